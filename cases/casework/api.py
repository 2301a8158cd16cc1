"""DRF endpoints for practitioners' work: child search, concerns, chronologies.

The same access policy, services and selectors as the pages; separate input and output
serializers; a domain error becomes a 400 with field errors.
"""

from __future__ import annotations

from typing import Any

import django_filters
from django.conf import settings
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import QuerySet
from django.utils import timezone
from drf_spectacular.utils import (
    OpenApiResponse,
    extend_schema,
    extend_schema_field,
    inline_serializer,
)
from rest_framework import permissions, serializers, status
from rest_framework.exceptions import Throttled
from rest_framework.generics import ListAPIView
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from cases import access
from cases.casework import chronology, concerns, search
from cases.codes import (
    ChronologyEventType,
    ConcernAction,
    ConcernSeverity,
    ConsentToShare,
    NeglectType,
    Significance,
)
from cases.models import SUMMARY_MAX_LENGTH, Child, ChronologyEntry, Concern, ConcernChild
from cases.services import SubmissionKeyReused, chronology_entry_record
from cases.web import identifiers
from cases.web.api_errors import SubmissionKeyConflict
from cases.web.forms import api_service_errors
from cases.web.guards import DoesCasework

CASEWORK = [permissions.IsAuthenticated, DoesCasework]


def _request_id(request: Request) -> str:
    return str(request._request.request_id)  # type: ignore[attr-defined]


def _as_api_error(error: DjangoValidationError) -> serializers.ValidationError:
    return serializers.ValidationError(api_service_errors(error))


class PastDateField(serializers.DateField):
    def to_internal_value(self, value: Any) -> Any:
        day = super().to_internal_value(value)
        if day > timezone.localdate():
            raise serializers.ValidationError("The date must be today or in the past")
        return day


# --- Child search -----------------------------------------------------------------------


class ChildSearchInputSerializer(serializers.Serializer):
    name = serializers.CharField(required=False, allow_blank=True, max_length=200)
    date_of_birth = PastDateField(required=False)
    nhs_number = serializers.CharField(required=False, allow_blank=True, max_length=12)
    upn = serializers.CharField(required=False, allow_blank=True, max_length=13)
    postcode = serializers.CharField(required=False, allow_blank=True, max_length=10)

    # Django's ValidationError from the cleaners becomes this field's error in DRF.
    def validate_nhs_number(self, value: str) -> str:
        return identifiers.clean_nhs_number(value)

    def validate_upn(self, value: str) -> str:
        return identifiers.clean_upn(value)

    def validate_postcode(self, value: str) -> str:
        return identifiers.clean_postcode(value)

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if not any(attrs.values()):
            raise serializers.ValidationError(
                "Give a name, date_of_birth, nhs_number, upn or postcode"
            )
        return attrs


class ChildSearchResultOutputSerializer(serializers.Serializer):
    """A child the policy lets the user see comes back in full; others as initials, year of
    birth and the agencies that know them (every other field is null)."""

    id = serializers.IntegerField()
    access = serializers.ChoiceField(choices=["full", "request_access"])
    initials = serializers.CharField()
    year_of_birth = serializers.IntegerField(allow_null=True)
    known_to = serializers.ListField(child=serializers.CharField())
    full_name = serializers.CharField(allow_null=True)
    date_of_birth = serializers.DateField(allow_null=True)
    nhs_number = serializers.CharField(allow_null=True)
    upn = serializers.CharField(allow_null=True)
    postcode = serializers.CharField(allow_null=True)

    def to_representation(self, instance: search.ChildSearchResult) -> dict[str, Any]:
        child = instance.child if instance.visible else None
        return {
            "id": instance.id,
            "access": "full" if child else "request_access",
            "initials": instance.initials,
            "year_of_birth": instance.year_of_birth,
            "known_to": instance.agencies,
            "full_name": child.full_name if child else None,
            "date_of_birth": child.date_of_birth.isoformat()
            if child and child.date_of_birth
            else None,
            "nhs_number": child.nhs_number if child else None,
            "upn": child.upn if child else None,
            "postcode": instance.postcode if child else None,
        }


class ChildSearchApi(APIView):
    """Search every child the partnership knows; non-visible children are masked. POST, so
    identifiers stay in the body, never in a URL or a web server's log."""

    permission_classes = CASEWORK

    @extend_schema(
        request=ChildSearchInputSerializer,
        responses=inline_serializer(
            "ChildSearchResponse",
            {
                "count": serializers.IntegerField(),
                "results": ChildSearchResultOutputSerializer(many=True),
            },
        ),
    )
    def post(self, request: Request) -> Response:
        parsed = ChildSearchInputSerializer(data=request.data)
        parsed.is_valid(raise_exception=True)
        criteria = search.ChildSearchCriteria(**parsed.validated_data)
        try:
            results = search.child_search_logged(
                user=access.acting_user(request), criteria=criteria, view_name="api_child_search"
            )
        except search.SearchLimitReached:
            raise Throttled(
                detail=f"You can search up to {settings.SEARCH_LIMIT_PER_HOUR} times an hour"
            ) from None
        return Response(
            {
                "count": len(results),
                "results": ChildSearchResultOutputSerializer(results, many=True).data,
            }
        )


# --- Concerns ----------------------------------------------------------------------------


class ConcernInputSerializer(serializers.Serializer):
    children = serializers.ListField(child=serializers.IntegerField(), allow_empty=False)
    neglect_types = serializers.MultipleChoiceField(
        choices=NeglectType.choices,
        allow_empty=False,
        error_messages={"empty": "Select at least one type of neglect"},
    )
    what_was_seen = serializers.CharField(max_length=SUMMARY_MAX_LENGTH)
    severity = serializers.ChoiceField(choices=ConcernSeverity.choices)
    observed_on = PastDateField()
    place_observed = serializers.CharField(max_length=200, required=False, allow_blank=True)
    child_seen = serializers.BooleanField()
    child_seen_alone = serializers.BooleanField(required=False, default=False)
    child_spoken_to = serializers.BooleanField(required=False, default=False)
    child_voice = serializers.CharField(
        max_length=SUMMARY_MAX_LENGTH, required=False, allow_blank=True
    )
    actions_taken = serializers.MultipleChoiceField(
        choices=ConcernAction.choices, allow_empty=False
    )
    consent_to_share = serializers.ChoiceField(choices=ConsentToShare.choices)
    sharing_reason = serializers.CharField(
        max_length=SUMMARY_MAX_LENGTH, required=False, allow_blank=True
    )
    submission_key = serializers.CharField(
        max_length=64, help_text="A new random key per concern; a retry with it creates nothing"
    )


class ConcernChildAnswersSerializer(serializers.ModelSerializer):
    """One child's own answers: seen, seen alone, spoken to and their words."""

    class Meta:
        model = ConcernChild
        fields = ["child", "child_seen", "child_seen_alone", "child_spoken_to", "child_voice"]


class ConcernOutputSerializer(serializers.ModelSerializer):
    children = serializers.SerializerMethodField()
    # Each visible child's own answers, never the concern's: about siblings, one child's words
    # must not reach a reader who may see only the other child.
    answers = serializers.SerializerMethodField()
    author = serializers.CharField(source="author.display_name")
    author_agency = serializers.CharField(source="author_agency.name")

    class Meta:
        model = Concern
        fields = [
            "id",
            "children",
            "family",
            "neglect_types",
            "what_was_seen",
            "severity",
            "observed_on",
            "place_observed",
            "answers",
            "actions_taken",
            "consent_to_share",
            "sharing_reason",
            "author",
            "author_agency",
            "submitted_at",
        ]

    def get_children(self, concern: Concern) -> list[int]:
        """Only the children the user may see."""
        return [child.pk for child in getattr(concern, "visible_children", [])]

    @extend_schema_field(ConcernChildAnswersSerializer(many=True))
    def get_answers(self, concern: Concern) -> list[dict[str, object]]:
        answers = getattr(concern, "visible_answers", [])
        return list(ConcernChildAnswersSerializer(answers, many=True).data)


class ConcernFilter(django_filters.FilterSet):
    child = django_filters.NumberFilter(method="filter_child")
    neglect_type = django_filters.ChoiceFilter(
        choices=NeglectType.choices, method="filter_neglect_type"
    )
    severity = django_filters.ChoiceFilter(choices=ConcernSeverity.choices)
    observed_from = django_filters.DateFilter(field_name="observed_on", lookup_expr="gte")
    observed_to = django_filters.DateFilter(field_name="observed_on", lookup_expr="lte")

    class Meta:
        model = Concern
        fields = ["child", "neglect_type", "severity", "observed_from", "observed_to"]

    def filter_neglect_type(self, queryset: QuerySet[Concern], name: str, value: str) -> Any:
        return queryset.filter(neglect_types__contains=[value])

    def filter_child(self, queryset: QuerySet[Concern], name: str, value: int) -> Any:
        """Concerns about one child, if the user may see that child (else none)."""
        visible = access.children_visible_to(user=access.acting_user(self.request))
        if not visible.filter(pk=value).exists():
            return queryset.none()
        return queryset.filter(concernchild__child_id=value)


class ConcernListCreateApi(ListAPIView):
    """Concerns about at least one child you may see (GET); log a concern (POST)."""

    permission_classes = CASEWORK
    serializer_class = ConcernOutputSerializer
    filterset_class = ConcernFilter

    def get_queryset(self) -> QuerySet[Concern]:
        if getattr(self, "swagger_fake_view", False):  # the schema generator
            return Concern.objects.none()
        user = access.acting_user(self.request)
        return concerns.concerns_with_visible_children(
            user=user, concerns=concerns.concerns_visible_to(user=user)
        ).order_by("-submitted_at", "-pk")

    def paginate_queryset(self, queryset):  # type: ignore[no-untyped-def]
        """Every child named on the page is a read, logged before the page is answered."""
        shown = super().paginate_queryset(queryset) or []
        access.log_children_read(
            user=access.acting_user(self.request),
            children=[child for concern in shown for child in concern.visible_children],
            view_name="api_concerns",
        )
        return shown

    @extend_schema(
        request=ConcernInputSerializer,
        responses={
            201: ConcernOutputSerializer,
            200: OpenApiResponse(ConcernOutputSerializer, "A retry: the concern already saved"),
        },
    )
    def post(self, request: Request) -> Response:
        user = access.acting_user(request)
        parsed = ConcernInputSerializer(data=request.data)
        parsed.is_valid(raise_exception=True)
        data = dict(parsed.validated_data)
        child_ids = set(data.pop("children"))
        children = list(access.children_visible_to(user=user).filter(pk__in=child_ids))
        if len(children) != len(child_ids):
            raise serializers.ValidationError(
                {"children": ["You can only log a concern about children you can see"]}
            )
        already = Concern.objects.filter(
            submission_key=data["submission_key"], author=user
        ).exists()
        try:
            concern = concerns.concern_log(
                author=user,
                children=children,
                neglect_types=sorted(data.pop("neglect_types")),
                actions_taken=sorted(data.pop("actions_taken")),
                **data,
            )
        except SubmissionKeyReused:
            raise SubmissionKeyConflict() from None
        except DjangoValidationError as error:
            raise _as_api_error(error) from None
        concern = self.get_queryset().get(pk=concern.pk)
        return Response(
            ConcernOutputSerializer(concern).data,
            status=status.HTTP_200_OK if already else status.HTTP_201_CREATED,
        )


# --- Chronology --------------------------------------------------------------------------


class ChronologyEntryInputSerializer(serializers.Serializer):
    event_type = serializers.ChoiceField(choices=ChronologyEventType.choices)
    occurred_on = PastDateField()
    significance = serializers.ChoiceField(choices=Significance.choices)
    summary = serializers.CharField(max_length=SUMMARY_MAX_LENGTH)


class ChronologyEntryOutputSerializer(serializers.ModelSerializer):
    source_agency = serializers.CharField(source="source_agency.name")
    child_name = serializers.CharField(source="child.full_name")

    class Meta:
        model = ChronologyEntry
        fields = [
            "id",
            "child",
            "child_name",
            "family",
            "occurred_on",
            "event_type",
            "significance",
            "summary",
            "source_agency",
            "source_kind",
            "source_id",
            "recorded_at",
        ]


class ChronologyFilter(django_filters.FilterSet):
    """Parses the chronology filters; the selector applies them (one rule for page and API)."""

    agency = django_filters.NumberFilter()
    event_type = django_filters.ChoiceFilter(choices=ChronologyEventType.choices)
    significance = django_filters.ChoiceFilter(choices=Significance.choices)
    date_from = django_filters.DateFilter()
    date_to = django_filters.DateFilter()

    class Meta:
        model = ChronologyEntry
        fields: list[str] = []

    def filter_queryset(self, queryset: QuerySet[ChronologyEntry]) -> QuerySet[ChronologyEntry]:
        data = self.form.cleaned_data
        return chronology.chronology_filtered(
            queryset,
            chronology.ChronologyFilters(
                agency_id=data.get("agency"),
                event_type=data.get("event_type") or None,
                significance=data.get("significance") or None,
                date_from=data.get("date_from"),
                date_to=data.get("date_to"),
            ),
        )


class ChildChronologyApi(ListAPIView):
    """One child's chronology, newest first (GET); add a significant event (POST)."""

    permission_classes = CASEWORK
    serializer_class = ChronologyEntryOutputSerializer
    filterset_class = ChronologyFilter

    def _child(self, view_name: str) -> Child:
        return access.child_for_reading(
            user=access.acting_user(self.request),
            child_id=self.kwargs["child_id"],
            view_name=view_name,
        )

    def get_queryset(self) -> QuerySet[ChronologyEntry]:
        if getattr(self, "swagger_fake_view", False):
            return ChronologyEntry.objects.none()
        child = self._child("api_child_chronology")
        return chronology.chronology_for_children(
            children=[child], filters=chronology.ChronologyFilters()
        )

    @extend_schema(
        request=ChronologyEntryInputSerializer, responses={201: ChronologyEntryOutputSerializer}
    )
    def post(self, request: Request, child_id: int) -> Response:
        user = access.acting_user(request)
        child = self._child("api_chronology_entry_create")
        parsed = ChronologyEntryInputSerializer(data=request.data)
        parsed.is_valid(raise_exception=True)
        assert user.agency is not None
        try:
            entry = chronology_entry_record(
                child=child, source_agency=user.agency, recorded_by=user, **parsed.validated_data
            )
        except DjangoValidationError as error:
            raise _as_api_error(error) from None
        return Response(ChronologyEntryOutputSerializer(entry).data, status=status.HTTP_201_CREATED)


class FamilyChronologyApi(ListAPIView):
    """The family chronology: entries of every child in the family you may see."""

    permission_classes = CASEWORK
    serializer_class = ChronologyEntryOutputSerializer
    filterset_class = ChronologyFilter

    def get_queryset(self) -> QuerySet[ChronologyEntry]:
        if getattr(self, "swagger_fake_view", False):
            return ChronologyEntry.objects.none()
        user = access.acting_user(self.request)
        children = list(
            access.children_visible_to(user=user).filter(family_id=self.kwargs["family_id"])
        )
        if not children:
            raise access.ChildAccessRefused()
        access.log_children_read(
            user=user,
            children=children,
            view_name="api_family_chronology",
        )
        return chronology.chronology_for_children(
            children=children, filters=chronology.ChronologyFilters()
        )


class ChildOutputSerializer(serializers.ModelSerializer):
    full_name = serializers.CharField(read_only=True)

    class Meta:
        model = Child
        fields = [
            "id",
            "full_name",
            "first_name",
            "last_name",
            "date_of_birth",
            "is_unborn",
            "expected_date_of_delivery",
            "sex",
            "nhs_number",
            "upn",
            "family",
        ]


class ChildListApi(ListAPIView):
    """Children the signed-in practitioner's agency may see."""

    permission_classes = [permissions.IsAuthenticated, DoesCasework]
    serializer_class = ChildOutputSerializer

    def get_queryset(self):  # type: ignore[no-untyped-def]
        if getattr(self, "swagger_fake_view", False):  # the schema generator
            return Child.objects.none()
        return access.children_visible_to(user=access.acting_user(self.request)).order_by(
            "last_name", "pk"
        )

    def paginate_queryset(self, queryset):  # type: ignore[no-untyped-def]
        shown = super().paginate_queryset(queryset) or []
        access.log_children_read(
            user=access.acting_user(self.request), children=shown, view_name="api_child_list"
        )
        return shown


class ChildDetailApi(APIView):
    permission_classes = [permissions.IsAuthenticated, DoesCasework]

    @extend_schema(responses=ChildOutputSerializer)
    def get(self, request: Request, child_id: int) -> Response:
        child = access.child_for_reading(
            user=access.acting_user(request),
            child_id=child_id,
            view_name="api_child_detail",
        )
        return Response(ChildOutputSerializer(child).data)
