"""Read-only DRF endpoints over the same selectors (and suppression) as the pages."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import permissions, serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from cases.web.guards import SeesAggregates

from . import selectors
from .metrics import METRICS, PERIOD_TYPES


class MetricOutputSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    definition = serializers.CharField()
    numerator = serializers.CharField()
    denominator = serializers.CharField()
    priority = serializers.CharField()
    breakdowns = serializers.ListField(child=serializers.CharField())
    kind = serializers.CharField(source="kind.value")


class MetricListApi(APIView):
    """The metrics catalogue."""

    permission_classes = [permissions.IsAuthenticated, SeesAggregates]

    @extend_schema(responses=MetricOutputSerializer(many=True))
    def get(self, request: Request) -> Response:
        return Response(MetricOutputSerializer(METRICS, many=True).data)


class SnapshotInputSerializer(serializers.Serializer):
    metric = serializers.ChoiceField(choices=[m.code for m in METRICS])
    period_type = serializers.ChoiceField(choices=list(PERIOD_TYPES), default="quarter")
    period_start = serializers.DateField(required=False)
    breakdown = serializers.CharField(required=False)

    def validate(self, attrs: dict[str, object]) -> dict[str, object]:
        metric = selectors.metric_or_none(str(attrs["metric"]))
        breakdown = attrs.get("breakdown")
        if metric and breakdown and breakdown not in metric.breakdowns:
            raise serializers.ValidationError(
                {"breakdown": f"Choose one of: {', '.join(metric.breakdowns)}"}
            )
        return attrs


class FigureOutputSerializer(serializers.Serializer):
    label = serializers.CharField()  # type: ignore[assignment]
    numerator = serializers.IntegerField(allow_null=True)
    denominator = serializers.IntegerField(allow_null=True)
    rate = serializers.FloatField(allow_null=True)
    suppressed = serializers.BooleanField(source="numerator_hidden")


class SnapshotOutputSerializer(serializers.Serializer):
    build = serializers.IntegerField(allow_null=True)
    as_at = serializers.DateField(required=False)
    metric = serializers.CharField(required=False)
    title = serializers.CharField(required=False)
    rows = FigureOutputSerializer(many=True)
    total = FigureOutputSerializer(allow_null=True, required=False)


class SnapshotApi(APIView):
    """A metric's figures from the current snapshot, suppressed: the trend over periods, or
    with `breakdown` (and optionally `period_start`) one period broken down."""

    permission_classes = [permissions.IsAuthenticated, SeesAggregates]

    @extend_schema(parameters=[SnapshotInputSerializer], responses=SnapshotOutputSerializer)
    def get(self, request: Request) -> Response:
        given = SnapshotInputSerializer(data=request.query_params)
        given.is_valid(raise_exception=True)
        build = selectors.current_build()
        if build is None:
            return Response({"build": None, "rows": []})
        metric = selectors.metric_or_none(given.validated_data["metric"])
        assert metric is not None
        period_type = given.validated_data["period_type"]
        breakdown = given.validated_data.get("breakdown")
        start = None
        if breakdown:
            periods = selectors.available_periods(build=build, period_type=period_type)
            start = given.validated_data.get("period_start") or selectors.last_complete_period(
                build=build, periods=periods, period_type=period_type
            )
        if breakdown and start:
            table = selectors.breakdown_table(
                build=build,
                metric=metric,
                period_type=period_type,
                period_start=start,
                dimension=breakdown,
            )
        else:
            table = selectors.trend_table(build=build, metric=metric, period_type=period_type)
        return Response(
            {
                "build": build.pk,
                "as_at": build.as_at,
                "metric": metric.code,
                "title": table.title,
                "rows": FigureOutputSerializer(table.rows, many=True).data,
                "total": FigureOutputSerializer(table.total).data if table.total else None,
            }
        )


class EvidenceOutputSerializer(serializers.Serializer):
    recorded_on = serializers.DateField()
    text = serializers.CharField()


class ActionOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    reference = serializers.CharField()
    priority = serializers.CharField()
    activity = serializers.CharField()
    responsible = serializers.CharField()
    due_date = serializers.DateField()
    rag_status = serializers.CharField()
    version = serializers.IntegerField()
    evidence = EvidenceOutputSerializer(many=True, source="evidence.all")


class DeliveryPlanOutputSerializer(serializers.Serializer):
    recognise = ActionOutputSerializer(many=True)
    respond = ActionOutputSerializer(many=True)
    make_a_difference = ActionOutputSerializer(many=True)


class DeliveryPlanApi(APIView):
    """The delivery plan's actions by priority, with their evidence."""

    permission_classes = [permissions.IsAuthenticated, SeesAggregates]

    @extend_schema(responses=DeliveryPlanOutputSerializer)
    def get(self, request: Request) -> Response:
        plan = selectors.delivery_plan()
        return Response(
            {
                priority: ActionOutputSerializer(actions, many=True).data
                for priority, actions in plan.items()
            }
        )
