from django.urls import path

from cases.census import views

urlpatterns = [
    path("census/", views.census_home, name="census"),
    path("census/export/", views.census_export_start, name="census-export"),
    path("census/import/", views.census_import_start, name="census-import"),
    path("census/jobs/<int:job_id>/", views.census_job, name="census-job"),
    path("census/jobs/<int:job_id>/status/", views.census_job_status, name="census-job-status"),
    path("census/jobs/<int:job_id>/file.xml", views.census_job_download, name="census-job-file"),
    path(
        "census/jobs/<int:job_id>/errors.csv",
        views.census_job_findings_csv,
        name="census-job-errors-csv",
    ),
]
