from django.urls import path

from cases.notifications import views

urlpatterns = [
    path("notifications/", views.import_list, name="notification-list"),
    path("notifications/new/", views.import_upload, name="notification-upload"),
    path("notifications/<int:import_id>/", views.import_detail, name="notification-import"),
    path(
        "notifications/<int:import_id>/status.json",
        views.import_status,
        name="notification-import-status",
    ),
    path(
        "notifications/<int:import_id>/report.csv",
        views.import_report_csv,
        name="notification-import-report",
    ),
    path(
        "notifications/templates/<str:kind>.csv",
        views.layout_template,
        name="notification-template",
    ),
    path("notifications/matching/", views.matching_queue, name="notification-matching"),
    path(
        "notifications/matching/<int:row_id>/",
        views.matching_row,
        name="notification-matching-row",
    ),
]
