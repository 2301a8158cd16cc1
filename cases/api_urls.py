from django.urls import path

from . import api

urlpatterns = [
    path("children/", api.ChildListApi.as_view(), name="api-child-list"),
    path("children/<int:child_id>/", api.ChildDetailApi.as_view(), name="api-child-detail"),
]
