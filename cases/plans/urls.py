from django.urls import path

from cases.plans import views

urlpatterns = [
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
]
