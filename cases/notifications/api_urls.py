from django.urls import path

from cases.notifications import api

urlpatterns = [
    path(
        "notifications/",
        api.NotificationImportCreateApi.as_view(),
        name="api-notification-imports",
    ),
    path(
        "notifications/<int:import_id>/",
        api.NotificationImportApi.as_view(),
        name="api-notification-import",
    ),
]
