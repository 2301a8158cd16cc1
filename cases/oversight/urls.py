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
    path("drift/challenges/", views.challenges, name="challenges"),
    path("drift/concerns/", views.concerns_awaiting, name="concerns-awaiting"),
    path("drift/challenges/<int:challenge_id>/", views.challenge_detail, name="challenge-detail"),
    path(
        "children/<int:child_id>/challenges/new/",
        views.challenge_create,
        name="challenge-create",
    ),
    path(
        "drift/step-up-requests/<int:request_id>/",
        views.step_up_request_detail,
        name="step-up-request-detail",
    ),
    path(
        "children/<int:child_id>/step-up-requests/new/",
        views.step_up_request_create,
        name="step-up-request-create",
    ),
]
