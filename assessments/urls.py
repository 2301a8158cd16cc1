from django.urls import path

from . import api, views

urlpatterns = [
    path("children/<int:child_id>/gcp2/", views.child_gcp2, name="gcp2-child"),
    path("children/<int:child_id>/gcp2/family/", views.family_gcp2, name="gcp2-family"),
    path("children/<int:child_id>/gcp2/new/", views.start, name="gcp2-start"),
    path("gcp2/<int:assessment_id>/", views.detail, name="gcp2-assessment"),
    path("gcp2/<int:assessment_id>/edit/", views.edit, name="gcp2-edit"),
    path("gcp2/<int:assessment_id>/review/", views.review, name="gcp2-review"),
    path("gcp2/<int:assessment_id>/correct/", views.correct, name="gcp2-correct"),
    # The API: the same services and access policy as the pages.
    path(
        "api/children/<int:child_id>/gcp2/",
        api.ChildAssessmentsApi.as_view(),
        name="api-gcp2-child",
    ),
    path(
        "api/children/<int:child_id>/gcp2/compare/",
        api.CompareApi.as_view(),
        name="api-gcp2-compare",
    ),
    path("api/gcp2/<int:assessment_id>/", api.AssessmentApi.as_view(), name="api-gcp2-assessment"),
    path("api/gcp2/<int:assessment_id>/submit/", api.SubmitApi.as_view(), name="api-gcp2-submit"),
    path(
        "api/gcp2/<int:assessment_id>/sign-off/",
        api.SignOffApi.as_view(),
        name="api-gcp2-sign-off",
    ),
    path("api/gcp2/<int:assessment_id>/return/", api.ReturnApi.as_view(), name="api-gcp2-return"),
]
