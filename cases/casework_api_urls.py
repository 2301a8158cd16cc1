from django.urls import path

from . import casework_api as api

urlpatterns = [
    path("children/search/", api.ChildSearchApi.as_view(), name="api-child-search"),
    path(
        "children/<int:child_id>/chronology/",
        api.ChildChronologyApi.as_view(),
        name="api-child-chronology",
    ),
    path(
        "families/<int:family_id>/chronology/",
        api.FamilyChronologyApi.as_view(),
        name="api-family-chronology",
    ),
    path("concerns/", api.ConcernListCreateApi.as_view(), name="api-concerns"),
]
