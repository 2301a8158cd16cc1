"""DRF endpoints for drift flags and concern outcomes: the same selectors and services as the
pages, with separate input and output serializers."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import permissions, serializers, status
from rest_framework.generics import ListAPIView
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from cases import access
from cases.codes import ChallengeOutcome, ConcernOutcomeKind, DriftDecision, NeedLevel
from cases.models import Concern, DriftFlag, Team
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


class DriftFlagQuerySerializer(serializers.Serializer):
    rule = serializers.CharField(required=False, max_length=64, help_text="a drift rule's code")
    team = serializers.IntegerField(required=False, min_value=1)
    worker = serializers.IntegerField(required=False, min_value=1)
    level = serializers.ChoiceField(choices=NeedLevel.choices, required=False)
    page = serializers.IntegerField(required=False, min_value=1)


@extend_schema(parameters=[DriftFlagQuerySerializer])
class DriftFlagListApi(ListAPIView):
    """The signed-in lead's drift queue; filter with ?rule=, ?team=, ?worker=, ?level=
    (a value that is not one is a 400 naming it, never a silently wider list)."""

    permission_classes = [permissions.IsAuthenticated, IsLead]
    serializer_class = DriftFlagOutputSerializer
    filter_backends: list[type] = []

    def get_queryset(self):  # type: ignore[no-untyped-def]
        query = DriftFlagQuerySerializer(data=self.request.query_params)
        query.is_valid(raise_exception=True)
        given = query.validated_data
        filters = selectors.QueueFilters(
            rule=given.get("rule", ""),
            team=given.get("team"),
            worker=given.get("worker"),
            level=given.get("level", ""),
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
        # The flag comes only with a child the policy lets the user see, that read logged.
        flag = selectors.drift_flag_for_lead(
            user=user, flag_id=flag_id, view_name="api_drift_flag_decision"
        )
        if flag is None:
            raise access.ChildAccessRefused()
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


class ChallengeOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    child = serializers.IntegerField(source="child_id")
    drift_flag = serializers.IntegerField(source="drift_flag_id", allow_null=True)
    raising_agency = serializers.CharField(source="raising_agency.name")
    holding_agency = serializers.CharField(source="holding_agency.name")
    reason = serializers.CharField()
    asked_for = serializers.CharField()
    answer_by = serializers.DateField()
    level = serializers.IntegerField()
    escalated_at = serializers.DateTimeField(allow_null=True)
    outcome = serializers.CharField()
    response = serializers.CharField()
    answered_at = serializers.DateTimeField(allow_null=True)


class ChallengeInputSerializer(serializers.Serializer):
    child = serializers.IntegerField()
    reason = serializers.CharField(max_length=2000)
    asked_for = serializers.CharField(max_length=2000)
    answer_by = serializers.DateField()
    drift_flag = serializers.IntegerField(required=False, allow_null=True, default=None)
    submission_key = serializers.CharField(max_length=64)


class ChallengeListApi(APIView):
    """GET: challenges your agency must answer and those it raised. POST: raise one."""

    permission_classes = [permissions.IsAuthenticated, IsLead]

    @extend_schema(
        responses=inline_serializer(
            "ChallengeLists",
            {
                "to_answer": ChallengeOutputSerializer(many=True),
                "raised": ChallengeOutputSerializer(many=True),
            },
        )
    )
    def get(self, request: Request) -> Response:
        user = access.acting_user(request)
        services.challenges_escalate()
        to_answer = list(selectors.challenges_to_answer(user=user)[:100])
        raised = list(selectors.challenges_raised(user=user)[:100])
        access.log_children_read(
            user=user,
            children=[challenge.child for challenge in [*to_answer, *raised]],
            view_name="api_challenges",
        )
        return Response(
            {
                "to_answer": ChallengeOutputSerializer(to_answer, many=True).data,
                "raised": ChallengeOutputSerializer(raised, many=True).data,
            }
        )

    @extend_schema(request=ChallengeInputSerializer, responses=ChallengeOutputSerializer)
    def post(self, request: Request) -> Response:
        user = access.acting_user(request)
        data = ChallengeInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        child = access.child_for_reading(
            user=user, child_id=values.pop("child"), view_name="api_challenge_create"
        )
        flag_id = values.pop("drift_flag")
        flag = DriftFlag.objects.filter(pk=flag_id, child=child).first() if flag_id else None
        if flag_id and flag is None:
            return Response(
                {"drift_flag": ["Choose a flag about this child"]},
                status=status.HTTP_400_BAD_REQUEST,
            )
        try:
            challenge = services.challenge_raise(
                child=child, raised_by=user, drift_flag=flag, **values
            )
        except ValidationError as error:
            return Response(api_service_errors(error), status=status.HTTP_400_BAD_REQUEST)
        return Response(ChallengeOutputSerializer(challenge).data, status=status.HTTP_201_CREATED)


class ChallengeAnswerInputSerializer(serializers.Serializer):
    outcome = serializers.ChoiceField(choices=ChallengeOutcome.choices)
    response = serializers.CharField(max_length=2000)


class ChallengeAnswerApi(APIView):
    """The case-holding agency's answer to a challenge."""

    permission_classes = [permissions.IsAuthenticated, IsLead]

    @extend_schema(request=ChallengeAnswerInputSerializer, responses=ChallengeOutputSerializer)
    def post(self, request: Request, challenge_id: int) -> Response:
        user = access.acting_user(request)
        challenge = selectors.challenge_for_user(user=user, challenge_id=challenge_id)
        if challenge is None:
            raise access.ChildAccessRefused()
        if not services.may_answer_challenge(user=user, challenge=challenge):
            raise PermissionDenied()
        access.log_child_read(user=user, child=challenge.child, view_name="api_challenge_answer")
        data = ChallengeAnswerInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            answered = services.challenge_answer(
                challenge=challenge, lead=user, **data.validated_data
            )
        except ValidationError as error:
            return Response(api_service_errors(error), status=status.HTTP_400_BAD_REQUEST)
        return Response(ChallengeOutputSerializer(answered).data)


class StepUpOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    child = serializers.IntegerField(source="child_id")
    requesting_agency = serializers.CharField(source="requesting_agency.name")
    receiving_agency = serializers.CharField(source="receiving_agency.name")
    to_level = serializers.CharField()
    reasons = serializers.CharField()
    status = serializers.CharField()
    decision_reason = serializers.CharField()
    decided_at = serializers.DateTimeField(allow_null=True)


class StepUpInputSerializer(serializers.Serializer):
    child = serializers.IntegerField()
    to_level = serializers.ChoiceField(
        choices=[NeedLevel.CHILD_IN_NEED.value, NeedLevel.CHILD_PROTECTION.value]
    )
    reasons = serializers.CharField(max_length=2000)
    evidence_concerns = serializers.ListField(child=serializers.IntegerField(), default=list)
    evidence_flags = serializers.ListField(child=serializers.IntegerField(), default=list)
    evidence_entries = serializers.ListField(child=serializers.IntegerField(), default=list)
    submission_key = serializers.CharField(max_length=64)


class StepUpListApi(APIView):
    """GET: requests your agency must decide and those it made. POST: ask for a step up."""

    permission_classes = [permissions.IsAuthenticated, IsLead]

    @extend_schema(
        responses=inline_serializer(
            "StepUpLists",
            {
                "to_decide": StepUpOutputSerializer(many=True),
                "made": StepUpOutputSerializer(many=True),
            },
        )
    )
    def get(self, request: Request) -> Response:
        user = access.acting_user(request)
        to_decide = list(selectors.step_up_requests_to_decide(user=user)[:100])
        made = list(selectors.step_up_requests_made(user=user)[:100])
        access.log_children_read(
            user=user,
            children=[step_up.child for step_up in [*to_decide, *made]],
            view_name="api_step_up_requests",
        )
        return Response(
            {
                "to_decide": StepUpOutputSerializer(to_decide, many=True).data,
                "made": StepUpOutputSerializer(made, many=True).data,
            }
        )

    @extend_schema(request=StepUpInputSerializer, responses=StepUpOutputSerializer)
    def post(self, request: Request) -> Response:
        user = access.acting_user(request)
        if not services.may_request_step_up(user=user):
            raise PermissionDenied()
        data = StepUpInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        child = access.child_for_reading(
            user=user, child_id=values["child"], view_name="api_step_up_request_create"
        )
        # Evidence is looked up within this child's records only.
        concerns = list(Concern.objects.filter(pk__in=values["evidence_concerns"], children=child))
        flags = list(child.drift_flags.filter(pk__in=values["evidence_flags"]))
        entries = list(child.chronology.filter(pk__in=values["evidence_entries"]))
        if len(concerns) + len(flags) + len(entries) != sum(
            len(values[key]) for key in ("evidence_concerns", "evidence_flags", "evidence_entries")
        ):
            return Response(
                {"evidence": ["Link only evidence about this child"]},
                status=status.HTTP_400_BAD_REQUEST,
            )
        try:
            step_up = services.step_up_request(
                child=child,
                requested_by=user,
                to_level=values["to_level"],
                reasons=values["reasons"],
                submission_key=values["submission_key"],
                evidence_concerns=concerns,
                evidence_flags=flags,
                evidence_entries=entries,
            )
        except ValidationError as error:
            return Response(api_service_errors(error), status=status.HTTP_400_BAD_REQUEST)
        return Response(StepUpOutputSerializer(step_up).data, status=status.HTTP_201_CREATED)


class StepUpDecisionInputSerializer(serializers.Serializer):
    accept = serializers.BooleanField()
    reason = serializers.CharField(max_length=2000)
    receiving_team = serializers.IntegerField(required=False, allow_null=True, default=None)
    protection_category = serializers.CharField(required=False, allow_blank=True, default="")
    submission_key = serializers.CharField(max_length=64)


class StepUpDecisionApi(APIView):
    """A children's social care manager accepts (stepping the case up) or declines a request."""

    permission_classes = [permissions.IsAuthenticated, IsLead]

    @extend_schema(request=StepUpDecisionInputSerializer, responses=StepUpOutputSerializer)
    def post(self, request: Request, request_id: int) -> Response:
        user = access.acting_user(request)
        step_up = selectors.step_up_request_for_user(user=user, request_id=request_id)
        if step_up is None:
            raise access.ChildAccessRefused()
        if not services.may_decide_step_up(user=user, request=step_up):
            raise PermissionDenied()
        access.log_child_read(user=user, child=step_up.child, view_name="api_step_up_decision")
        data = StepUpDecisionInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        team_id = values.pop("receiving_team")
        team = Team.objects.filter(pk=team_id, agency=user.agency).first() if team_id else None
        try:
            decided = services.step_up_decide(
                request=step_up, manager=user, receiving_team=team, **values
            )
        except ValidationError as error:
            return Response(api_service_errors(error), status=status.HTTP_400_BAD_REQUEST)
        return Response(StepUpOutputSerializer(decided).data)
