from django.urls import path

from cases.governance import views

urlpatterns = [
    path("audit/access-log/", views.access_log, name="audit-access-log"),
    path("audit/access-log.csv", views.access_log_csv, name="audit-access-log-csv"),
    path("audit/alerts/", views.alerts, name="audit-alerts"),
    path("children/<int:child_id>/access-log/", views.child_access_log, name="child-access-log"),
]
