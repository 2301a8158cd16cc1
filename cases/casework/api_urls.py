from django.urls import path

from cases.casework import api

urlpatterns = [
    path("children/", api.ChildListApi.as_view(), name="api-child-list"),
    path("children/<int:child_id>/", api.ChildDetailApi.as_view(), name="api-child-detail"),
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
