from django.urls import path

from . import views

urlpatterns = [
    path("audits/", views.audit_list, name="audit-list"),
    path("audits/new/", views.audit_new, name="audit-new"),
    path("audits/<int:audit_id>/", views.audit_detail, name="audit-detail"),
    path("audits/<int:audit_id>/sample/", views.audit_sample_draw, name="audit-sample-draw"),
    path(
        "audits/<int:audit_id>/sample/<int:sample_id>/swap/",
        views.audit_sample_swap,
        name="audit-sample-swap",
    ),
    path(
        "audits/<int:audit_id>/children/<int:sample_id>/",
        views.audit_child,
        name="audit-child",
    ),
    path("audits/<int:audit_id>/moderation/", views.audit_moderation, name="audit-moderation"),
    path(
        "audits/<int:audit_id>/actions/new/",
        views.learning_action_new,
        name="learning-action-new",
    ),
    path("audits/<int:audit_id>/close/", views.audit_close, name="audit-close"),
    path("audits/<int:audit_id>/report.pdf", views.audit_report, name="audit-report"),
    path("children/<int:child_id>/feedback/new/", views.feedback_new, name="feedback-new"),
]
