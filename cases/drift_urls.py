from django.urls import path

from . import drift_views as views

urlpatterns = [
    path("drift/", views.drift_queue, name="drift-queue"),
    path("drift/flags/<int:flag_id>/", views.drift_flag, name="drift-flag"),
    path(
        "drift/concern-outcomes/<int:concern_child_id>/",
        views.concern_outcome,
        name="concern-outcome",
    ),
    path("children/<int:child_id>/plans/new/", views.plan_create, name="plan-create"),
    path("children/<int:child_id>/plans/<int:plan_id>/", views.plan_detail, name="plan-detail"),
    path(
        "children/<int:child_id>/plans/<int:plan_id>/review/",
        views.plan_review,
        name="plan-review",
    ),
    path(
        "children/<int:child_id>/plan-actions/<int:action_id>/status/",
        views.plan_action_status,
        name="plan-action-status",
    ),
    path("children/<int:child_id>/visits/new/", views.visit_create, name="visit-create"),
    path("children/<int:child_id>/referrals/new/", views.referral_create, name="referral-create"),
    path("children/<int:child_id>/meetings/new/", views.meeting_create, name="meeting-create"),
    path(
        "children/<int:child_id>/supervision/new/",
        views.supervision_create,
        name="supervision-create",
    ),
    path("children/<int:child_id>/level/", views.level_change, name="level-change"),
]
