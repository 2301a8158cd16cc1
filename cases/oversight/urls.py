from django.urls import path

from cases.oversight import views

urlpatterns = [
    path("drift/", views.drift_queue, name="drift-queue"),
    path("drift/flags/<int:flag_id>/", views.drift_flag, name="drift-flag"),
    path(
        "drift/concern-outcomes/<int:concern_child_id>/",
        views.concern_outcome,
        name="concern-outcome",
    ),
    path(
        "children/<int:child_id>/supervision/new/",
        views.supervision_create,
        name="supervision-create",
    ),
    path("children/<int:child_id>/level/", views.level_change, name="level-change"),
]
