from django.urls import path

from . import views

urlpatterns = [
    path("dashboards/", views.dashboard, name="dashboard"),
    path("dashboards/headlines.csv", views.dashboard_csv, name="dashboard-csv"),
    path("dashboards/report-pack.pdf", views.report_pack, name="dashboard-report-pack"),
    path("dashboards/census/", views.census_comparison, name="dashboard-census"),
    path("dashboards/builds/", views.builds, name="dashboard-builds"),
    path("dashboards/builds/refresh/", views.refresh, name="dashboard-refresh"),
    path("dashboards/builds/<int:build_id>/", views.build_detail, name="dashboard-build"),
    path(
        "dashboards/builds/<int:build_id>/status.json",
        views.build_status,
        name="dashboard-build-status",
    ),
    path("dashboards/metrics/<slug:code>/", views.metric_detail, name="dashboard-metric"),
    path(
        "dashboards/metrics/<slug:code>/export.csv", views.metric_csv, name="dashboard-metric-csv"
    ),
    path("delivery-plan/", views.delivery_plan, name="delivery-plan"),
    path("delivery-plan/priorities/", views.priorities, name="delivery-plan-priorities"),
    path("delivery-plan/actions/new/", views.delivery_action_new, name="delivery-action-new"),
    path("delivery-plan/actions/<int:action_id>/", views.delivery_action, name="delivery-action"),
    path(
        "delivery-plan/actions/<int:action_id>/edit/",
        views.delivery_action_edit,
        name="delivery-action-edit",
    ),
    path(
        "delivery-plan/learning-actions/<int:learning_action_id>/",
        views.learning_action_link,
        name="learning-action-link",
    ),
    path(
        "delivery-plan/actions/<int:action_id>/evidence/",
        views.delivery_evidence_add,
        name="delivery-evidence-add",
    ),
]
