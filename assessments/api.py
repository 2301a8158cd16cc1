"""DRF endpoints for GCP2: the same access policy, selectors and services as the pages.

Input and output serializers are separate. Errors a user can fix answer 400 with messages keyed
by field (the same keys as the page form, e.g. "grade-physical-nutrition"); a stale version
answers 409 with the differences between what is saved and what was sent.
"""

from __future__ import annotations

from dataclasses import asdict, replace
from typing import Any

from django.core.exceptions import PermissionDenied
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import permissions, serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from cases import access
from cases.services import SubmissionKeyReused
from cases.web.api_errors import SubmissionKeyConflict
from cases.web.forms import api_service_errors
from cases.web.guards import DoesCasework

from . import selectors, services
from .models import TEXT_MAX_LENGTH, Assessment, AssessmentStatus


class AssessmentOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    child = serializers.IntegerField(source="child_id")
    framework = serializers.CharField(source="framework.code")
    status = serializers.CharField()
    version = serializers.IntegerField()
    assessed_on = serializers.DateField()
    child_age_years = serializers.IntegerField(allow_null=True)
    assessor = serializers.CharField(source="assessor.display_name")
    agency = serializers.CharField(source="agency.name")
    present = serializers.CharField()
    strengths = serializers.CharField()
    child_views = serializers.CharField()
    carer_views = serializers.CharField()
    analysis = serializers.CharField()
    next_steps = serializers.CharField()
    sub_area_grades = serializers.SerializerMethodField()
    area_grades = serializers.SerializerMethodField()
    our_summary_worst_sub_area_grade = serializers.SerializerMethodField(
        help_text="Our own summary per area (the worst sub-area grade), not a GCP2 score"
    )
    submitted_at = serializers.DateTimeField(allow_null=True)
    signed_off_at = serializers.DateTimeField(allow_null=True)
    return_comments = serializers.CharField()
    started_from = serializers.IntegerField(source="started_from_id", allow_null=True)
    supersedes = serializers.IntegerField(source="supersedes_id", allow_null=True)

    def get_sub_area_grades(self, obj: Assessment) -> dict[str, dict[str, Any]]:
        return {
            row.sub_area.key: {"grade": row.grade, "evidence": row.evidence}
            for row in obj.sub_grades.all()
        }

    def get_area_grades(self, obj: Assessment) -> dict[str, int | None]:
        return selectors.area_grades_by_code(obj)

    def get_our_summary_worst_sub_area_grade(self, obj: Assessment) -> dict[str, int | None]:
        return selectors.worst_sub_area_grades(obj)


def _output(assessment_id: int) -> dict[str, Any]:
    return AssessmentOutputSerializer(  # type: ignore[return-value]
        selectors.assessments_with_grades().get(pk=assessment_id)
    ).data


class SubAreaInputSerializer(serializers.Serializer):
    grade = serializers.IntegerField(allow_null=True, required=False)
    evidence = serializers.CharField(
        allow_blank=True, required=False, max_length=TEXT_MAX_LENGTH, trim_whitespace=False
    )


class AnswersInputSerializer(serializers.Serializer):
    """Any subset of the answers: what is left out keeps its saved value."""

    version = serializers.IntegerField()
    assessed_on = serializers.DateField(required=False)
    present = serializers.CharField(allow_blank=True, required=False, max_length=2000)
    strengths = serializers.CharField(allow_blank=True, required=False, max_length=TEXT_MAX_LENGTH)
    child_views = serializers.CharField(
        allow_blank=True, required=False, max_length=TEXT_MAX_LENGTH
    )
    carer_views = serializers.CharField(
        allow_blank=True, required=False, max_length=TEXT_MAX_LENGTH
    )
    analysis = serializers.CharField(allow_blank=True, required=False, max_length=TEXT_MAX_LENGTH)
    next_steps = serializers.CharField(allow_blank=True, required=False, max_length=TEXT_MAX_LENGTH)
    sub_area_grades = serializers.DictField(child=SubAreaInputSerializer(), required=False)
    area_grades = serializers.DictField(
        child=serializers.IntegerField(allow_null=True), required=False
    )

    def merged_answers(self, assessment: Assessment) -> services.Answers:
        data = self.validated_data
        answers = services.answers_of(assessment)
        simple = {
            name: data[name] for name in ("assessed_on", *services.TEXT_FIELDS) if name in data
        }
        answers = replace(answers, **simple)
        for key, given in data.get("sub_area_grades", {}).items():
            saved = answers.sub_areas.get(key, services.SubAreaAnswer())
            answers.sub_areas[key] = services.SubAreaAnswer(
                given.get("grade", saved.grade), given.get("evidence", saved.evidence)
            )
        answers.areas.update(data.get("area_grades", {}))
        return answers


class StartInputSerializer(serializers.Serializer):
    submission_key = serializers.CharField(max_length=64)
    start_from_last = serializers.BooleanField(
        default=False, help_text="Copy the grades of the last signed-off assessment"
    )


class ReturnInputSerializer(serializers.Serializer):
    comments = serializers.CharField(max_length=2000, allow_blank=True)


SAVE_RESPONSES = {
    200: AssessmentOutputSerializer,
    400: OpenApiResponse(description="Messages keyed by field"),
    409: OpenApiResponse(description="A stale version: the differences, nothing saved"),
}


def _errors(error: services.AssessmentError) -> Response:
    return Response(
        api_service_errors(error.errors),
        status=status.HTTP_400_BAD_REQUEST,
    )


def _stale(error: services.StaleVersion) -> Response:
    return Response(
        {
            "detail": "Someone else saved this assessment since your version: nothing was "
            "saved. Check the differences, then send again with the current version.",
            "current_version": error.current.version,
            "differences": [asdict(difference) for difference in error.differences],
        },
        status=status.HTTP_409_CONFLICT,
    )


class Gcp2Api(APIView):
    permission_classes = [permissions.IsAuthenticated, DoesCasework]


class ChildAssessmentsApi(Gcp2Api):
    """GET: the child's assessments, oldest first. POST: start a new draft."""

    @extend_schema(responses=AssessmentOutputSerializer(many=True))
    def get(self, request: Request, child_id: int) -> Response:
        user = access.acting_user(request)
        child = access.child_for_reading(user=user, child_id=child_id, view_name="api_gcp2_child")
        assessments = selectors.child_assessments(user=user, child=child)
        return Response(AssessmentOutputSerializer(assessments, many=True).data)

    @extend_schema(request=StartInputSerializer, responses={201: AssessmentOutputSerializer})
    def post(self, request: Request, child_id: int) -> Response:
        user = access.acting_user(request)
        child = access.child_for_reading(user=user, child_id=child_id, view_name="api_gcp2_start")
        given = StartInputSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        start_from = (
            selectors.latest_signed_off(child=child)
            if given.validated_data["start_from_last"]
            else None
        )
        if given.validated_data["start_from_last"] and start_from is None:
            return Response(
                {"start_from_last": ["The child has no signed-off assessment to start from"]},
                status=status.HTTP_400_BAD_REQUEST,
            )
        try:
            assessment = services.assessment_start(
                child=child,
                assessor=user,
                submission_key=given.validated_data["submission_key"],
                start_from=start_from,
            )
        except SubmissionKeyReused:
            raise SubmissionKeyConflict() from None
        return Response(_output(assessment.pk), status=status.HTTP_201_CREATED)


class AssessmentApi(Gcp2Api):
    """GET one assessment; PATCH a draft with the version it was read at."""

    @extend_schema(responses=AssessmentOutputSerializer)
    def get(self, request: Request, assessment_id: int) -> Response:
        user = access.acting_user(request)
        assessment = selectors.assessment_for_reading(
            user=user,
            assessment_id=assessment_id,
            view_name="api_gcp2_assessment",
        )
        return Response(AssessmentOutputSerializer(assessment).data)

    @extend_schema(request=AnswersInputSerializer, responses=SAVE_RESPONSES)
    def patch(self, request: Request, assessment_id: int) -> Response:
        user = access.acting_user(request)
        assessment = selectors.assessment_for_reading(
            user=user,
            assessment_id=assessment_id,
            view_name="api_gcp2_update",
        )
        given = AnswersInputSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        try:
            services.assessment_update(
                assessment_id=assessment.pk,
                by=user,
                expected_version=given.validated_data["version"],
                answers=given.merged_answers(assessment),
            )
        except services.StaleVersion as error:
            return _stale(error)
        except services.AssessmentError as error:
            return _errors(error)
        return Response(_output(assessment.pk))


class SubmitApi(Gcp2Api):
    @extend_schema(request=AnswersInputSerializer, responses=SAVE_RESPONSES)
    def post(self, request: Request, assessment_id: int) -> Response:
        user = access.acting_user(request)
        assessment = selectors.assessment_for_reading(
            user=user,
            assessment_id=assessment_id,
            view_name="api_gcp2_submit",
        )
        given = AnswersInputSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        try:
            services.assessment_submit(
                assessment_id=assessment.pk,
                by=user,
                expected_version=given.validated_data["version"],
                answers=given.merged_answers(assessment),
            )
        except services.StaleVersion as error:
            return _stale(error)
        except services.AssessmentError as error:
            return _errors(error)
        return Response(_output(assessment.pk))


class SignOffApi(Gcp2Api):
    @extend_schema(request=None, responses=AssessmentOutputSerializer)
    def post(self, request: Request, assessment_id: int) -> Response:
        user = access.acting_user(request)
        assessment = selectors.assessment_for_reading(
            user=user,
            assessment_id=assessment_id,
            view_name="api_gcp2_sign_off",
        )
        try:
            services.assessment_sign_off(assessment_id=assessment.pk, by=user)
        except services.AssessmentError as error:
            return _errors(error)
        return Response(_output(assessment.pk))


class ReturnApi(Gcp2Api):
    @extend_schema(request=ReturnInputSerializer, responses=AssessmentOutputSerializer)
    def post(self, request: Request, assessment_id: int) -> Response:
        user = access.acting_user(request)
        assessment = selectors.assessment_for_reading(
            user=user,
            assessment_id=assessment_id,
            view_name="api_gcp2_return",
        )
        if not services.can_review(user, assessment):
            raise PermissionDenied()
        given = ReturnInputSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        try:
            services.assessment_return(
                assessment_id=assessment.pk,
                by=user,
                comments=given.validated_data["comments"],
            )
        except services.AssessmentError as error:
            return _errors(error)
        return Response(_output(assessment.pk))


class CompareQuerySerializer(serializers.Serializer):
    before = serializers.IntegerField(required=False, help_text="an assessment of this child's")
    after = serializers.IntegerField(required=False, help_text="a later assessment of this child's")

    def validate(self, attrs: dict[str, int]) -> dict[str, int]:
        for given, missing in (("before", "after"), ("after", "before")):
            if given in attrs and missing not in attrs:
                raise serializers.ValidationError({missing: f"Name one with {given}"})
        return attrs


class CompareApi(Gcp2Api):
    """Each area (and sub-area both graded) better, same or worse between two assessments.

    Compares ?before=<id>&after=<id>, or by default the child's last two assessments that
    are not superseded.
    """

    @extend_schema(
        parameters=[CompareQuerySerializer],
        responses=OpenApiResponse(description="before, after and each area's change"),
    )
    def get(self, request: Request, child_id: int) -> Response:
        user = access.acting_user(request)
        child = access.child_for_reading(user=user, child_id=child_id, view_name="api_gcp2_compare")
        query = CompareQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        compared = [
            a
            for a in selectors.child_assessments(user=access.acting_user(request), child=child)
            if a.status != AssessmentStatus.SUPERSEDED
        ]
        by_id = {a.pk: a for a in compared}
        if query.validated_data:
            unknown = {
                name: ["Not one of this child's assessments"]
                for name, pk in query.validated_data.items()
                if pk not in by_id
            }
            if unknown:
                return Response(unknown, status=status.HTTP_400_BAD_REQUEST)
            before = by_id[query.validated_data["before"]]
            after = by_id[query.validated_data["after"]]
        elif len(compared) < 2:
            return Response({"before": None, "after": None, "areas": []})
        else:
            before, after = compared[-2], compared[-1]
        return Response(
            {
                "before": before.pk,
                "after": after.pk,
                "areas": [asdict(change) for change in selectors.assessment_compare(before, after)],
            }
        )
