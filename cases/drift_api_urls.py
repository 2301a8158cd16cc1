from django.urls import path

from . import drift_api

urlpatterns = [
    path("drift/flags/", drift_api.DriftFlagListApi.as_view(), name="api-drift-flags"),
    path(
        "drift/flags/<int:flag_id>/decision/",
        drift_api.DriftFlagDecisionApi.as_view(),
        name="api-drift-flag-decision",
    ),
    path("concern-outcomes/", drift_api.ConcernOutcomeApi.as_view(), name="api-concern-outcomes"),
]
