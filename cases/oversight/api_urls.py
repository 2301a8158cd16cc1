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
    path("challenges/", api.ChallengeListApi.as_view(), name="api-challenges"),
    path(
        "challenges/<int:challenge_id>/answer/",
        api.ChallengeAnswerApi.as_view(),
        name="api-challenge-answer",
    ),
    path("step-up-requests/", api.StepUpListApi.as_view(), name="api-step-up-requests"),
    path(
        "step-up-requests/<int:request_id>/decision/",
        api.StepUpDecisionApi.as_view(),
        name="api-step-up-decision",
    ),
]
