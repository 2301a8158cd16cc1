from django.urls import path

from cases.casework import views

urlpatterns = [
    path("children/search/", views.child_search, name="child-search"),
    path("children/new/", views.child_register, name="child-register"),
    path("children/<int:child_id>/", views.child_detail, name="child-detail"),
    path("children/<int:child_id>/request-access/", views.access_request, name="access-request"),
    path(
        "access-grants/<int:grant_id>/review/",
        views.access_grant_review,
        name="access-grant-review",
    ),
    path("children/<int:child_id>/concerns/new/", views.concern_new, name="concern-new"),
    path("concerns/mine/", views.concerns_mine, name="concerns-mine"),
    path("concerns/<int:concern_id>/", views.concern_detail, name="concern-detail"),
    path("concerns/<int:concern_id>/amendments/", views.concern_amend, name="concern-amend"),
    path(
        "children/<int:child_id>/chronology/new/",
        views.chronology_entry_new,
        name="chronology-entry-new",
    ),
    path("children/<int:child_id>/chronology.csv", views.chronology_csv, name="chronology-csv"),
    path("children/<int:child_id>/chronology.pdf", views.chronology_pdf, name="chronology-pdf"),
]
