from django.urls import path

from cases.oversight import api

urlpatterns = [
    path("drift/flags/", api.DriftFlagListApi.as_view(), name="api-drift-flags"),
    path(
        "drift/flags/<int:flag_id>/decision/",
        api.DriftFlagDecisionApi.as_view(),
        name="api-drift-flag-decision",
    ),
    path("concern-outcomes/", api.ConcernOutcomeApi.as_view(), name="api-concern-outcomes"),
]
