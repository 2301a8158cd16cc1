from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

urlpatterns = [
    path("", include("cases.web.urls")),
    path("", include("cases.accounts.urls")),
    path("", include("cases.casework.urls")),
    path("", include("cases.plans.urls")),
    path("", include("cases.oversight.urls")),
    path("", include("cases.governance.urls")),
    path("", include("cases.census.urls")),
    path("", include("cases.clients.urls")),
    path("", include("cases.notifications.urls")),
    path("api/", include("cases.casework.api_urls")),
    path("api/", include("cases.oversight.api_urls")),
    path("api/", include("cases.notifications.api_urls")),
    path("", include("learning.urls")),
    path("", include("reporting.urls")),
    path("api/reporting/", include("reporting.api_urls")),
    path("", include("assessments.urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="api-schema"), name="api-docs"),
    path("admin/", admin.site.urls),
]
handler403 = "cases.web.views.permission_denied"
