from django.urls import include, path

from . import api

urlpatterns = [
    path("children/", api.ChildListApi.as_view(), name="api-child-list"),
    path("children/<int:child_id>/", api.ChildDetailApi.as_view(), name="api-child-detail"),
    path("", include("cases.casework_api_urls")),
    path("", include("cases.drift_api_urls")),
]
