"""DRF endpoints for drift flags and concern outcomes: the same selectors and services as the
pages, with separate input and output serializers."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import permissions, serializers, status
from rest_framework.generics import ListAPIView
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from cases import access
from cases.codes import ConcernOutcomeKind, DriftDecision, NeedLevel
from cases.models import Concern
from cases.oversight import selectors, services
from cases.services import SubmissionKeyReused
from cases.web.api_errors import SubmissionKeyConflict
from cases.web.forms import api_service_errors
from cases.web.guards import DoesCasework, IsLead


class DriftFlagOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    child = serializers.IntegerField(source="child_id")
    child_name = serializers.CharField(source="child.full_name")
    rule_code = serializers.CharField()
    reason = serializers.CharField()
    severity = serializers.CharField()
    level = serializers.CharField(allow_null=True)
    opened_on = serializers.DateField()
    review_on = serializers.DateField(allow_null=True)


class DriftFlagListApi(ListAPIView):
    """The signed-in lead's drift queue; filter with ?rule=, ?team=, ?worker=, ?level=."""

    permission_classes = [permissions.IsAuthenticated, IsLead]
    serializer_class = DriftFlagOutputSerializer
    filter_backends: list[type] = []

    def get_queryset(self):  # type: ignore[no-untyped-def]
        params = self.request.query_params
        level = params.get("level", "")
        filters = selectors.QueueFilters(
            rule=params.get("rule", ""),
            team=int(params["team"]) if params.get("team", "").isdigit() else None,
            worker=int(params["worker"]) if params.get("worker", "").isdigit() else None,
            level=level if level in NeedLevel.values else "",
        )
        return selectors.drift_queue(user=access.acting_user(self.request), filters=filters)

    def paginate_queryset(self, queryset):  # type: ignore[no-untyped-def]
        flags = super().paginate_queryset(queryset) or []
        access.log_children_read(
            user=access.acting_user(self.request),
            children=[flag.child for flag in flags],
            view_name="api_drift_flags",
        )
        return flags


class DriftDecisionInputSerializer(serializers.Serializer):
    decision = serializers.ChoiceField(choices=DriftDecision.choices)
    reason = serializers.CharField(max_length=2000)
    actions = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")
    next_review_on = serializers.DateField()
    submission_key = serializers.CharField(max_length=64)


class SupervisionOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    child = serializers.IntegerField(source="child_id")
    drift_flag = serializers.IntegerField(source="drift_flag_id")
    drift_decision = serializers.CharField()
    decisions = serializers.CharField()
    actions = serializers.CharField()
    next_review_on = serializers.DateField()
    held_on = serializers.DateField()


class DriftFlagDecisionApi(APIView):
    permission_classes = [permissions.IsAuthenticated, IsLead]

    @extend_schema(request=DriftDecisionInputSerializer, responses=SupervisionOutputSerializer)
    def post(self, request: Request, flag_id: int) -> Response:
        user = access.acting_user(request)
        flag = selectors.drift_flag_for_lead(user=user, flag_id=flag_id)
        if flag is None:
            raise access.ChildAccessRefused()
        access.log_child_read(
            user=user,
            child=flag.child,
            view_name="api_drift_flag_decision",
        )
        data = DriftDecisionInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            record = services.drift_flag_decide(flag=flag, lead=user, **data.validated_data)
        except SubmissionKeyReused:
            raise SubmissionKeyConflict() from None
        except ValidationError as error:
            return Response(api_service_errors(error), status=status.HTTP_400_BAD_REQUEST)
        return Response(SupervisionOutputSerializer(record).data, status=status.HTTP_201_CREATED)


class ConcernOutcomeInputSerializer(serializers.Serializer):
    concern = serializers.IntegerField()
    child = serializers.IntegerField()
    outcome = serializers.ChoiceField(choices=ConcernOutcomeKind.choices)
    reason = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")


class ConcernOutcomeOutputSerializer(serializers.Serializer):
    """For the referrer: the child is named only when their agency may see the child."""

    id = serializers.IntegerField(source="outcome.id")
    concern = serializers.IntegerField(source="outcome.concern_id")
    observed_on = serializers.DateField(source="outcome.concern.observed_on")
    outcome = serializers.CharField(source="outcome.outcome")
    recorded_by_agency = serializers.CharField(source="outcome.recording_agency.name")
    recorded_at = serializers.DateTimeField(source="outcome.recorded_at")
    child = serializers.SerializerMethodField()
    reason = serializers.SerializerMethodField()

    def get_child(self, item: selectors.OutcomeForReferrer) -> int | None:
        return item.outcome.child_id if item.child_visible else None

    def get_reason(self, item: selectors.OutcomeForReferrer) -> str:
        return item.outcome.reason if item.child_visible else ""


class ConcernOutcomeApi(APIView):
    """GET: outcomes of the concerns you raised. POST: a lead records an outcome."""

    permission_classes = [permissions.IsAuthenticated, DoesCasework]

    @extend_schema(responses=ConcernOutcomeOutputSerializer(many=True))
    def get(self, request: Request) -> Response:
        user = access.acting_user(request)
        items = selectors.outcomes_for_referrer(user=user, limit=100)
        access.log_children_read(
            user=user,
            children=[item.outcome.child for item in items if item.child_visible],
            view_name="api_concern_outcomes",
        )
        return Response(ConcernOutcomeOutputSerializer(items, many=True).data)

    @extend_schema(request=ConcernOutcomeInputSerializer, responses=ConcernOutcomeOutputSerializer)
    def post(self, request: Request) -> Response:
        user = access.acting_user(request)
        if not access.is_lead(user):
            raise access.ChildAccessRefused()
        data = ConcernOutcomeInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        child = access.child_for_reading(
            user=user,
            child_id=data.validated_data["child"],
            view_name="api_concern_outcome",
        )
        concern = get_object_or_404(Concern, pk=data.validated_data["concern"])
        try:
            outcome = services.concern_outcome_record(
                concern=concern,
                child=child,
                lead=user,
                outcome=data.validated_data["outcome"],
                reason=data.validated_data["reason"],
            )
        except ValidationError as error:
            return Response(api_service_errors(error), status=status.HTTP_400_BAD_REQUEST)
        item = selectors.OutcomeForReferrer(outcome, child_visible=True)
        return Response(ConcernOutcomeOutputSerializer(item).data, status=status.HTTP_201_CREATED)
