from django.urls import path

from . import api

urlpatterns = [
    path("metrics/", api.MetricListApi.as_view(), name="api-reporting-metrics"),
    path("snapshot/", api.SnapshotApi.as_view(), name="api-reporting-snapshot"),
    path("delivery-plan/", api.DeliveryPlanApi.as_view(), name="api-reporting-delivery-plan"),
]
