from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

urlpatterns = [
    path("", include("cases.urls")),
    path("api/", include("cases.api_urls")),
    path("", include("reporting.urls")),
    path("api/reporting/", include("reporting.api_urls")),
    path("", include("assessments.urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="api-schema"), name="api-docs"),
    path("admin/", admin.site.urls),
]
handler403 = "cases.views.permission_denied"
