"""The domain core: agencies and people, families and children, involvement and chronology.

Rules about a model's own fields live here; rules that span records live in services.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import AbstractUser
from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GinIndex
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q, Value
from django.utils import timezone

from cases.codes import (
    AgencyType,
    AssessmentFactor,
    ChallengeOutcome,
    ChronologyEventType,
    ClosureReason,
    ConcernAction,
    ConcernOutcomeKind,
    ConcernSeverity,
    ConsentToShare,
    ContactKind,
    Disability,
    DriftDecision,
    DriftSeverity,
    Ethnicity,
    GrantPurpose,
    MeetingKind,
    NeedLevel,
    NeglectType,
    PlanActionStatus,
    PrimaryNeed,
    ProtectionCategory,
    ReferralDecision,
    ReferralSource,
    RelationshipBasis,
    RelationshipType,
    RestrictionReason,
    Role,
    SendProvision,
    Sex,
    Significance,
    StepUpStatus,
    UpnUnknown,
)
from cases.request_context import current_client_request_id
from cases.validators import normalise_nhs_number, validate_nhs_number, validate_upn

SUMMARY_MAX_LENGTH = 2000


class Agency(models.Model):
    name = models.CharField(max_length=200, unique=True)
    agency_type = models.CharField(max_length=32, choices=AgencyType.choices)

    class Meta:
        verbose_name_plural = "agencies"
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Team(models.Model):
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="teams")
    name = models.CharField(max_length=200)

    class Meta:
        ordering = ["agency__name", "name"]
        constraints = [models.UniqueConstraint(fields=["agency", "name"], name="team_unique_name")]

    def __str__(self) -> str:
        return f"{self.name} ({self.agency.name})"


class Practitioner(AbstractUser):
    """Everybody who signs in: one agency each, with one role."""

    agency = models.ForeignKey(
        Agency, on_delete=models.PROTECT, related_name="practitioners", null=True, blank=True
    )
    team = models.ForeignKey(
        Team, on_delete=models.SET_NULL, related_name="members", null=True, blank=True
    )
    role = models.CharField(max_length=32, choices=Role.choices, default=Role.PRACTITIONER)
    job_title = models.CharField(max_length=200, blank=True)
    # The service account of a machine client (cases.clients): no password, no sign-in.
    is_machine = models.BooleanField(default=False)
    # A lead of the account's agency confirms it before it reads any case content; moving the
    # account to another agency (or re-activating it) needs that agency's lead again.
    confirmed_for_agency = models.ForeignKey(
        Agency, on_delete=models.SET_NULL, related_name="+", null=True, blank=True
    )
    confirmed_at = models.DateTimeField(null=True, blank=True)
    confirmed_by = models.ForeignKey(
        "self", on_delete=models.SET_NULL, related_name="+", null=True, blank=True
    )

    class Meta:
        ordering = ["last_name", "first_name"]

    def clean(self) -> None:
        super().clean()
        if self.role not in (Role.ADMINISTRATOR,) and self.agency_id is None:
            raise ValidationError({"agency": "Choose the agency this person works for"})
        if self.team is not None and self.agency_id and self.team.agency_id != self.agency_id:
            raise ValidationError({"team": "Choose a team in this person's own agency"})

    def __str__(self) -> str:
        return self.name_and_role

    @property
    def display_name(self) -> str:
        return self.get_full_name() or self.username

    @property
    def is_confirmed_for_agency(self) -> bool:
        return self.agency_id is not None and self.confirmed_for_agency_id == self.agency_id

    @property
    def name_and_role(self) -> str:
        """How a person is shown to others: their name and what they do."""
        return f"{self.display_name}, {self.job_title or self.get_role_display()}"


class Family(models.Model):
    """A household. Members and addresses change over time."""

    reference = models.CharField(max_length=20, unique=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name_plural = "families"

    def __str__(self) -> str:
        return f"Family {self.reference}"


class Address(models.Model):
    family = models.ForeignKey(Family, on_delete=models.CASCADE, related_name="addresses")
    line_1 = models.CharField(max_length=200)
    line_2 = models.CharField(max_length=200, blank=True)
    town = models.CharField(max_length=100)
    postcode = models.CharField(max_length=10, db_index=True)
    moved_in = models.DateField()
    moved_out = models.DateField(null=True, blank=True)

    class Meta:
        verbose_name_plural = "addresses"
        ordering = ["-moved_in"]

    def clean(self) -> None:
        if self.moved_out and self.moved_out < self.moved_in:
            raise ValidationError({"moved_out": "Date moved out must be after the date moved in"})


class Child(models.Model):
    family = models.ForeignKey(Family, on_delete=models.PROTECT, related_name="children")
    first_name = models.CharField(max_length=100, blank=True)
    last_name = models.CharField(max_length=100)
    date_of_birth = models.DateField(null=True, blank=True)
    is_unborn = models.BooleanField(default=False)
    expected_date_of_delivery = models.DateField(null=True, blank=True)
    sex = models.CharField(max_length=1, choices=Sex.choices, default=Sex.UNKNOWN)
    nhs_number = models.CharField(
        max_length=10, blank=True, validators=[validate_nhs_number], db_index=True
    )
    upn = models.CharField(
        "unique pupil number", max_length=13, blank=True, validators=[validate_upn]
    )
    send_provision = models.CharField(
        "special educational needs",
        max_length=16,
        choices=SendProvision.choices,
        default=SendProvision.NONE,
    )
    disabilities = ArrayField(
        models.CharField(max_length=4, choices=Disability.choices), default=list, blank=True
    )
    elective_home_education = models.BooleanField(default=False)
    # The census fields (issue 13): db defaults let the seed's COPY leave them out.
    la_child_id = models.CharField(
        "the authority's child id", max_length=20, blank=True, db_default="", db_index=True
    )
    ethnicity = models.CharField(max_length=4, choices=Ethnicity.choices, blank=True, db_default="")
    upn_unknown = models.CharField(
        "why there is no UPN", max_length=4, choices=UpnUnknown.choices, blank=True, db_default=""
    )
    registered_with_gp = models.BooleanField(default=True)
    is_restricted = models.BooleanField(
        default=False, help_text="Visible only to the people named on the record"
    )
    restriction_reason = models.CharField(
        max_length=20, choices=RestrictionReason.choices, blank=True
    )
    restricted_to = models.ManyToManyField(
        Practitioner, blank=True, related_name="restricted_children"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name_plural = "children"
        indexes = [
            models.Index(fields=["last_name", "first_name"]),
            models.Index(fields=["date_of_birth"]),
            models.Index(fields=["upn"]),
            # The name search finds children by the exact names ChildName matched
            # (cases/casework/search.py); last names use the index above.
            models.Index(fields=["first_name"], name="child_first_name"),
            # The few restricted records, so long lists can exclude them without reading every
            # child (cases.access.visible_child_condition).
            models.Index(fields=["id"], condition=Q(is_restricted=True), name="child_restricted"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(is_unborn=False) | Q(expected_date_of_delivery__isnull=False),
                name="unborn_child_has_expected_date",
            ),
            models.CheckConstraint(
                condition=Q(is_unborn=True) | Q(date_of_birth__isnull=False),
                name="born_child_has_date_of_birth",
            ),
        ]

    def __str__(self) -> str:
        return self.full_name

    @property
    def full_name(self) -> str:
        if self.is_unborn and not self.first_name:
            return f"Unborn {self.last_name}"
        return f"{self.first_name} {self.last_name}".strip()

    @property
    def initials(self) -> str:
        return "".join(part[0] for part in (self.first_name, self.last_name) if part).upper()

    def clean(self) -> None:
        errors: dict[str, str] = {}
        today = timezone.localdate()
        if self.is_unborn:
            if not self.expected_date_of_delivery:
                errors["expected_date_of_delivery"] = "Enter the expected date of delivery"
        else:
            if not self.date_of_birth:
                errors["date_of_birth"] = "Enter the child's date of birth"
            elif self.date_of_birth > today:
                errors["date_of_birth"] = "Date of birth must be today or in the past"
        if self.restriction_reason and not self.is_restricted:
            errors["is_restricted"] = "Mark the record restricted, or remove the reason"
        if self.nhs_number:
            self.nhs_number = normalise_nhs_number(self.nhs_number)
        if self.upn:
            self.upn = self.upn.strip().upper()
        if errors:
            raise ValidationError(errors)

    def age_on(self, day) -> int | None:
        if self.is_unborn or self.date_of_birth is None:
            return None
        dob = self.date_of_birth
        return day.year - dob.year - ((day.month, day.day) < (dob.month, dob.day))


class ChildName(models.Model):
    """Every first and last name any child has, once each, for the spelling-tolerant search.

    The search matches its words against these few strings (trigram similarity, pg_trgm, or
    Double Metaphone, fuzzystrmatch, both indexed here) and then finds children by exact name,
    so its cost follows the children who match, not every child with a name sharing a few
    letters. Kept by the database (triggers on the child table from migration 0016, so seeding's
    COPY, imports and edits all add to it); a name no child has any more stays, harmlessly.
    """

    name = models.CharField(max_length=100, primary_key=True)

    class Meta:
        indexes = [
            GinIndex(fields=["name"], opclasses=["gin_trgm_ops"], name="child_name_trgm"),
            models.Index(
                models.Func(models.F("name"), function="dmetaphone"), name="child_name_sound"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Adult(models.Model):
    """A parent, carer or other adult in a child's household."""

    family = models.ForeignKey(Family, on_delete=models.PROTECT, related_name="adults")
    first_name = models.CharField(max_length=100)
    last_name = models.CharField(max_length=100)
    date_of_birth = models.DateField(null=True, blank=True)
    sex = models.CharField(max_length=1, choices=Sex.choices, default=Sex.UNKNOWN)
    risk_factors = ArrayField(
        models.CharField(max_length=4, choices=AssessmentFactor.choices), default=list, blank=True
    )

    def __str__(self) -> str:
        return f"{self.first_name} {self.last_name}"


class Relationship(models.Model):
    """How an adult is related to a child (mother, step-parent, grandparent...)."""

    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="relationships")
    adult = models.ForeignKey(Adult, on_delete=models.CASCADE, related_name="relationships")
    relationship_type = models.CharField(max_length=20, choices=RelationshipType.choices)
    has_parental_responsibility = models.BooleanField(default=False)
    lives_with_child = models.BooleanField(default=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["child", "adult"], name="relationship_unique_pair")
        ]


class Involvement(models.Model):
    """A period a child spends at one level on the continuum of need."""

    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="involvements")
    level = models.CharField(max_length=20, choices=NeedLevel.choices)
    protection_category = models.CharField(
        max_length=3, choices=ProtectionCategory.choices, blank=True
    )
    primary_need = models.CharField(max_length=2, choices=PrimaryNeed.choices, blank=True)
    referral_source = models.CharField(max_length=2, choices=ReferralSource.choices, blank=True)
    lead_agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    team = models.ForeignKey(
        Team, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    lead_professional = models.ForeignKey(
        Practitioner, on_delete=models.SET_NULL, null=True, blank=True, related_name="lead_for"
    )
    started_on = models.DateField()
    ended_on = models.DateField(null=True, blank=True)
    closure_reason = models.CharField(max_length=3, choices=ClosureReason.choices, blank=True)
    change_reason = models.TextField(blank=True, max_length=SUMMARY_MAX_LENGTH)
    # A protection plan's census NumberOfPreviousCPP when it came from an imported census (the
    # earlier plans may be in no file we hold); otherwise counted from the child's involvements.
    previous_protection_plans = models.PositiveSmallIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["-started_on"]
        indexes = [
            models.Index(fields=["child", "-started_on"]),
            # Caseloads: a team's, a lead professional's and a case-holding agency's open cases
            # (home pages, the lead's queue scopes).
            *(
                models.Index(
                    fields=[field, "child"],
                    condition=Q(ended_on__isnull=True),
                    name=f"involvement_open_{name}",
                )
                for field, name in (
                    ("team", "team"),
                    ("lead_professional", "lead"),
                    ("lead_agency", "agency"),
                )
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["child"], condition=Q(ended_on__isnull=True), name="one_open_involvement"
            ),
            models.CheckConstraint(
                condition=~Q(level="child_protection") | ~Q(protection_category=""),
                name="protection_plan_has_category",
            ),
        ]

    def clean(self) -> None:
        if self.level == NeedLevel.CHILD_PROTECTION and not self.protection_category:
            raise ValidationError(
                {"protection_category": "Choose the category of the child protection plan"}
            )
        if self.ended_on and self.ended_on < self.started_on:
            raise ValidationError({"ended_on": "The end date must be after the start date"})

    @property
    def is_open(self) -> bool:
        return self.ended_on is None


class TeamAroundFamilyMember(models.Model):
    """An agency (and usually a named person) working with a child."""

    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="team_around_family")
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    practitioner = models.ForeignKey(
        Practitioner, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    role_description = models.CharField(max_length=200, blank=True)
    joined_on = models.DateField(default=timezone.localdate)
    left_on = models.DateField(null=True, blank=True)


class LegitimateRelationship(models.Model):
    """That an agency has a reason to see a child's record, kept as one row per pair.

    Services write it whenever an agency joins the team around the family, logs a concern or
    records a chronology entry, so the access policy is one indexed lookup, not a union of
    every table that could imply a relationship.
    """

    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="agency_relationships")
    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="+")
    basis = models.CharField(max_length=20, choices=RelationshipBasis.choices)
    since = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["agency", "child"], name="relationship_unique_agency")
        ]


class ChronologyEntry(models.Model):
    """One significant event on a child's single multi-agency timeline."""

    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="chronology")
    family = models.ForeignKey(Family, on_delete=models.CASCADE, related_name="+")
    occurred_on = models.DateField()
    event_type = models.CharField(max_length=32, choices=ChronologyEventType.choices)
    significance = models.CharField(max_length=6, choices=Significance.choices)
    summary = models.TextField(max_length=SUMMARY_MAX_LENGTH)
    source_agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    recorded_by = models.ForeignKey(
        Practitioner, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)
    # Entries written by a feature (a concern, an assessment) name their source record.
    source_kind = models.CharField(max_length=40, blank=True)
    source_id = models.BigIntegerField(null=True, blank=True)
    # Entries added through the form carry its key, so a replayed submit adds nothing.
    submission_key = models.CharField(max_length=64, null=True, blank=True)

    class Meta:
        verbose_name_plural = "chronology entries"
        ordering = ["-occurred_on", "-recorded_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["submission_key"],
                condition=Q(submission_key__isnull=False),
                name="chronology_entry_submission_key",
            )
        ]
        indexes = [
            models.Index(fields=["child", "-occurred_on", "-recorded_at"]),
            models.Index(fields=["family", "-occurred_on"]),
            models.Index(fields=["source_kind", "source_id"]),
            # WAS_NOT_BROUGHT_REPEATED reads the year's missed appointments, a sliver of the
            # chronology: without this it read the whole table on every run.
            models.Index(
                fields=["occurred_on", "child"],
                condition=Q(event_type="was_not_brought"),
                name="chronology_was_not_brought",
            ),
        ]

    def clean(self) -> None:
        if self.occurred_on and self.occurred_on > timezone.localdate():
            raise ValidationError({"occurred_on": "The date must be today or in the past"})


class Concern(models.Model):
    """A neglect concern logged by a practitioner about one or more children of one family.

    A submitted concern is never edited: corrections are added as amendments.
    """

    author = models.ForeignKey(Practitioner, on_delete=models.PROTECT, related_name="concerns")
    author_agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    children = models.ManyToManyField(Child, through="ConcernChild", related_name="concerns")
    family = models.ForeignKey(Family, on_delete=models.PROTECT, related_name="+")
    neglect_types = ArrayField(models.CharField(max_length=16, choices=NeglectType.choices))
    what_was_seen = models.TextField(max_length=SUMMARY_MAX_LENGTH)
    severity = models.CharField(max_length=6, choices=ConcernSeverity.choices)
    observed_on = models.DateField()
    place_observed = models.CharField(max_length=200, blank=True)
    child_seen = models.BooleanField()
    child_seen_alone = models.BooleanField(default=False)
    child_spoken_to = models.BooleanField(default=False)
    child_voice = models.TextField(
        "the child's own words", max_length=SUMMARY_MAX_LENGTH, blank=True
    )
    actions_taken = ArrayField(models.CharField(max_length=24, choices=ConcernAction.choices))
    consent_to_share = models.CharField(max_length=16, choices=ConsentToShare.choices)
    sharing_reason = models.TextField(
        "reason for sharing without consent", max_length=SUMMARY_MAX_LENGTH, blank=True
    )
    submitted_at = models.DateTimeField(default=timezone.now)
    # A resubmitted form or retried API call carries the same key and creates nothing new.
    submission_key = models.CharField(max_length=64, unique=True)

    class Meta:
        ordering = ["-observed_on", "-submitted_at"]
        indexes = [
            models.Index(fields=["author_agency", "-submitted_at"]),
            # Recent concerns awaiting an outcome (the lead's home page and queue).
            models.Index(fields=["submitted_at"], name="concern_submitted"),
        ]

    def __str__(self) -> str:
        return f"Concern {self.pk}"

    @property
    def neglect_type_labels(self) -> list[str]:
        return [NeglectType(code).label for code in self.neglect_types]

    @property
    def action_labels(self) -> list[str]:
        return [ConcernAction(code).label for code in self.actions_taken]

    def clean(self) -> None:
        errors: dict[str, str] = {}
        if not self.neglect_types:
            errors["neglect_types"] = "Select at least one type of neglect"
        if self.observed_on and self.observed_on > timezone.localdate():
            errors["observed_on"] = "The date observed must be today or in the past"
        if self.child_seen_alone and not self.child_seen:
            errors["child_seen_alone"] = "A child seen alone must also have been seen"
        if self.consent_to_share != ConsentToShare.GIVEN and not self.sharing_reason.strip():
            errors["sharing_reason"] = "Explain why you are sharing without consent"
        if errors:
            raise ValidationError(errors)


class ConcernChild(models.Model):
    """One child of a concern, with that child's own answers: brothers and sisters are seen,
    spoken to and heard one by one, so one child's words are never shown as another's."""

    concern = models.ForeignKey(Concern, on_delete=models.CASCADE)
    child = models.ForeignKey(Child, on_delete=models.PROTECT)
    child_seen = models.BooleanField(default=False, db_default=False)
    child_seen_alone = models.BooleanField(default=False, db_default=False)
    child_spoken_to = models.BooleanField(default=False, db_default=False)
    child_voice = models.TextField(
        "the child's own words", max_length=SUMMARY_MAX_LENGTH, blank=True, db_default=""
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["concern", "child"], name="concern_child_unique")
        ]
        indexes = [models.Index(fields=["child", "concern"])]


class ConcernAmendment(models.Model):
    """A correction or addition to a submitted concern; the original text stays as it was."""

    concern = models.ForeignKey(Concern, on_delete=models.PROTECT, related_name="amendments")
    author = models.ForeignKey(Practitioner, on_delete=models.PROTECT, related_name="+")
    text = models.TextField(max_length=SUMMARY_MAX_LENGTH)
    added_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["added_at"]


class AccessGrant(models.Model):
    """Time-limited access a practitioner declared a reason for ("break glass")."""

    practitioner = models.ForeignKey(Practitioner, on_delete=models.CASCADE, related_name="grants")
    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="access_grants")
    reason = models.TextField(max_length=SUMMARY_MAX_LENGTH)
    purpose = models.CharField(
        max_length=12, choices=GrantPurpose.choices, default=GrantPurpose.BREAK_GLASS
    )
    granted_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    reviewed_by = models.ForeignKey(
        Practitioner, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["practitioner", "child", "expires_at"])]


class AccessLogEntry(models.Model):
    """A read of a child's record: who, from which agency, when, which view, which request."""

    # Rows are written only by `cases.access`, for a child it has just read (a list's rows by
    # one INSERT ... SELECT from the child table) and the signed-in user, and Django refuses to
    # delete anyone or anything a row names (PROTECT). So no foreign-key constraints: checking
    # three per row at commit cost a list page about a millisecond (the lead's queue logs some
    # forty children per read). The child and the practitioner lead indexes of their own below.
    practitioner = models.ForeignKey(
        Practitioner,
        on_delete=models.PROTECT,
        related_name="+",
        db_constraint=False,
        db_index=False,
    )
    agency = models.ForeignKey(
        Agency, on_delete=models.PROTECT, null=True, related_name="+", db_constraint=False
    )
    child = models.ForeignKey(
        Child, on_delete=models.PROTECT, related_name="+", db_constraint=False, db_index=False
    )
    view_name = models.CharField(max_length=100)
    request_id = models.CharField(max_length=64)
    # A client's own X-Request-ID (validated), kept beside the server's id, never instead of it.
    client_request_id = models.CharField(
        max_length=64, null=True, blank=True, default=current_client_request_id
    )
    accessed_at = models.DateTimeField(default=timezone.now)
    break_glass = models.BooleanField(default=False)

    class Meta:
        verbose_name_plural = "access log entries"
        indexes = [
            models.Index(fields=["child", "-accessed_at"]),
            models.Index(fields=["practitioner", "-accessed_at"]),
            models.Index(fields=["-accessed_at"]),  # the IG officer's date-range searches
        ]


class SearchLogEntry(models.Model):
    """A child search: who, when, which kinds of identifier (never their values), and how many
    results came back in full and masked. A masked result still confirms that a child with that
    exact NHS number or postcode is known, so searches are logged, limited and watched."""

    practitioner = models.ForeignKey(Practitioner, on_delete=models.PROTECT, related_name="+")
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, null=True, related_name="+")
    searched_at = models.DateTimeField(default=timezone.now)
    identifier_kinds = ArrayField(models.CharField(max_length=20), default=list)
    full_results = models.PositiveIntegerField(default=0)
    masked_results = models.PositiveIntegerField(default=0)
    refused = models.BooleanField(default=False)  # over the hourly limit: nothing was searched
    view_name = models.CharField(max_length=100)
    request_id = models.CharField(max_length=64)

    class Meta:
        verbose_name_plural = "search log entries"
        indexes = [models.Index(fields=["practitioner", "-searched_at"])]


class AccessLogExport(models.Model):
    """An export of the access log by an information governance officer: itself a record."""

    practitioner = models.ForeignKey(Practitioner, on_delete=models.PROTECT, related_name="+")
    exported_at = models.DateTimeField(default=timezone.now)
    filters = models.JSONField(default=dict)
    row_count = models.PositiveIntegerField()
    request_id = models.CharField(max_length=64)


class ChangeLogEntry(models.Model):
    """A change to case content: who changed which record, when and how."""

    practitioner = models.ForeignKey(
        Practitioner, on_delete=models.PROTECT, null=True, related_name="+"
    )
    child = models.ForeignKey(Child, on_delete=models.PROTECT, null=True, related_name="+")
    record_kind = models.CharField(max_length=40)
    record_id = models.BigIntegerField()
    action = models.CharField(max_length=40)
    changed_at = models.DateTimeField(default=timezone.now)
    request_id = models.CharField(max_length=64, blank=True)

    class Meta:
        indexes = [models.Index(fields=["record_kind", "record_id"])]


# --- Plans, visits, meetings and drift (issue 5) -------------------------------------------


class Plan(models.Model):
    """A plan for a child at early help, child in need or child protection level."""

    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="plans")
    level = models.CharField(max_length=20, choices=NeedLevel.choices)
    lead_agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    summary = models.TextField("what the plan must achieve", max_length=SUMMARY_MAX_LENGTH)
    started_on = models.DateField()
    review_due_on = models.DateField(null=True, blank=True)
    ended_on = models.DateField(null=True, blank=True)
    recorded_by = models.ForeignKey(
        Practitioner, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)
    submission_key = models.CharField(max_length=64, unique=True)

    class Meta:
        ordering = ["-started_on", "-pk"]
        indexes = [models.Index(fields=["child", "-started_on"])]

    def __str__(self) -> str:
        return f"Plan {self.pk}"

    def clean(self) -> None:
        if self.ended_on and self.started_on and self.ended_on < self.started_on:
            raise ValidationError({"ended_on": "The end date must be after the start date"})
        if self.review_due_on and self.started_on and self.review_due_on < self.started_on:
            raise ValidationError({"review_due_on": "The review date must be after the start date"})


class PlanAction(models.Model):
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="actions")
    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="+")
    description = models.TextField(max_length=SUMMARY_MAX_LENGTH)
    owner_agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    due_on = models.DateField()
    status = models.CharField(
        max_length=20, choices=PlanActionStatus.choices, default=PlanActionStatus.NOT_STARTED
    )
    completed_on = models.DateField(null=True, blank=True)
    # Who set the action, so a resubmitted key is matched to its author (empty when seeded).
    recorded_by = models.ForeignKey(
        Practitioner, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    submission_key = models.CharField(max_length=64, unique=True)

    class Meta:
        ordering = ["due_on", "pk"]
        indexes = [models.Index(fields=["child", "status", "due_on"])]


class Visit(models.Model):
    """A visit or contact with a child, and whether the child was seen, alone, and heard."""

    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="visits")
    occurred_on = models.DateField()
    kind = models.CharField(max_length=20, choices=ContactKind.choices)
    child_seen = models.BooleanField()
    child_seen_alone = models.BooleanField(default=False)
    child_voice = models.TextField(
        "what the child said or showed", max_length=SUMMARY_MAX_LENGTH, blank=True
    )
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    recorded_by = models.ForeignKey(
        Practitioner, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)
    submission_key = models.CharField(max_length=64, unique=True)

    class Meta:
        ordering = ["-occurred_on", "-pk"]
        indexes = [models.Index(fields=["child", "-occurred_on"])]

    @property
    def voice_recorded(self) -> bool:
        return bool(self.child_voice.strip())

    def clean(self) -> None:
        if self.occurred_on and self.occurred_on > timezone.localdate():
            raise ValidationError({"occurred_on": "The date must be today or in the past"})
        if self.child_seen_alone and not self.child_seen:
            raise ValidationError(
                {"child_seen_alone": "A child seen alone must also have been seen"}
            )


class Referral(models.Model):
    """A referral to children's social care: received, decided, and any assessment."""

    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="referrals")
    received_on = models.DateField()
    source = models.CharField(max_length=2, choices=ReferralSource.choices)
    decision = models.CharField(max_length=20, choices=ReferralDecision.choices, blank=True)
    decision_on = models.DateField(null=True, blank=True)
    assessment_started_on = models.DateField(null=True, blank=True)
    assessment_completed_on = models.DateField(null=True, blank=True)
    # The census episode (CINdetails) this referral opened: its need, factors and closure.
    primary_need = models.CharField(
        max_length=2, choices=PrimaryNeed.choices, blank=True, db_default=""
    )
    assessment_factors = ArrayField(
        models.CharField(max_length=4, choices=AssessmentFactor.choices),
        default=list,
        blank=True,
        db_default=Value([], output_field=ArrayField(models.CharField(max_length=4))),
    )
    closed_on = models.DateField(null=True, blank=True)
    closure_reason = models.CharField(
        max_length=3, choices=ClosureReason.choices, blank=True, db_default=""
    )
    recorded_by = models.ForeignKey(
        Practitioner, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)
    submission_key = models.CharField(max_length=64, unique=True)

    class Meta:
        ordering = ["-received_on", "-pk"]
        indexes = [models.Index(fields=["child", "-received_on"])]

    def clean(self) -> None:
        errors: dict[str, str] = {}
        if self.decision_on and self.received_on and self.decision_on < self.received_on:
            errors["decision_on"] = "The decision date must be on or after the date received"
        if bool(self.decision) != bool(self.decision_on):
            errors["decision"] = "Give both the decision and its date, or neither"
        if self.assessment_completed_on and not self.assessment_started_on:
            errors["assessment_started_on"] = "Enter the date the assessment started"
        if (
            self.assessment_completed_on
            and self.assessment_started_on
            and self.assessment_completed_on < self.assessment_started_on
        ):
            errors["assessment_completed_on"] = "The assessment must end after it started"
        if errors:
            raise ValidationError(errors)


class ProtectionMeeting(models.Model):
    """A strategy discussion, child protection conference or core group meeting."""

    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="protection_meetings")
    kind = models.CharField(max_length=24, choices=MeetingKind.choices)
    held_on = models.DateField()
    conference_needed = models.BooleanField(
        "initial conference to be convened",
        default=False,
        help_text="For a strategy discussion: whether it decided to convene a conference",
    )
    notes = models.TextField(max_length=SUMMARY_MAX_LENGTH, blank=True)
    recorded_by = models.ForeignKey(
        Practitioner, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)
    submission_key = models.CharField(max_length=64, unique=True)

    class Meta:
        ordering = ["-held_on", "-pk"]
        indexes = [models.Index(fields=["child", "kind", "-held_on"])]


class DriftRuleSetting(models.Model):
    """The partnership's settings for one drift rule, changed in the admin without a deploy."""

    code = models.CharField(max_length=40, unique=True)
    enabled = models.BooleanField(default=True)
    thresholds = models.JSONField(
        default=dict, blank=True, help_text='Only the thresholds you change, e.g. {"days": 15}'
    )
    severity = models.CharField(
        "severity override", max_length=6, choices=DriftSeverity.choices, blank=True
    )

    def __str__(self) -> str:
        return self.code

    def clean(self) -> None:
        if not isinstance(self.thresholds, dict) or not all(
            isinstance(value, int) and not isinstance(value, bool) and value >= 0
            for value in self.thresholds.values()
        ):
            raise ValidationError({"thresholds": "Give each threshold as a whole number"})


class DriftFlag(models.Model):
    """A rule that applies to a child, from when it was first found until it stops applying."""

    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="drift_flags")
    rule_code = models.CharField(max_length=40)
    severity = models.CharField(max_length=6, choices=DriftSeverity.choices)
    severity_rank = models.PositiveSmallIntegerField()  # 0 high, 1 medium, 2 low: sorts in SQL
    reason = models.CharField(max_length=400)
    opened_at = models.DateTimeField(default=timezone.now)
    opened_on = models.DateField()  # the evaluation date it was first found on
    # When the rule's condition first held for the child (e.g. the day after the last visit's
    # allowed working days ran out), computed by the rule, not the day the engine ran.
    condition_since = models.DateField()
    # The child's own facts behind the flag (dates and counts, never names), filled by the
    # rule's queryset; the rule turns them into one sentence (cases.drift.DriftRule.describe).
    figures = models.JSONField(default=dict)
    resolved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["severity_rank", "opened_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["child", "rule_code"],
                condition=Q(resolved_at__isnull=True),
                name="drift_flag_one_open_per_rule",
            )
        ]
        indexes = [
            models.Index(fields=["rule_code", "resolved_at"]),
            models.Index(fields=["child", "resolved_at"]),
            # The lead's queue groups open flags by child: worst severity, longest drifting.
            models.Index(
                fields=["child", "severity_rank", "condition_since"],
                include=["rule_code"],
                condition=Q(resolved_at__isnull=True),
                name="drift_flag_open_by_child",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.rule_code} flag {self.pk}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        # The engine always sets it from the rule; a flag made any other way has only the day
        # it was found to go on.
        if self.condition_since is None:
            self.condition_since = self.opened_on
        super().save(*args, **kwargs)

    @property
    def is_open(self) -> bool:
        return self.resolved_at is None


class SupervisionRecord(models.Model):
    """Reflective supervision about one child and one practitioner, with decisions and actions.

    A lead's decision on a drift flag is recorded as supervision too.
    """

    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="supervision_records")
    practitioner = models.ForeignKey(
        Practitioner,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="supervision_received",
    )
    supervisor = models.ForeignKey(Practitioner, on_delete=models.PROTECT, related_name="+")
    supervisor_agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    held_on = models.DateField()
    reflection = models.TextField(max_length=SUMMARY_MAX_LENGTH, blank=True)
    decisions = models.TextField(max_length=SUMMARY_MAX_LENGTH)
    actions = models.TextField(max_length=SUMMARY_MAX_LENGTH, blank=True)
    drift_flag = models.ForeignKey(
        DriftFlag,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="decisions",
    )
    drift_decision = models.CharField(max_length=24, choices=DriftDecision.choices, blank=True)
    next_review_on = models.DateField(null=True, blank=True)
    recorded_at = models.DateTimeField(default=timezone.now)
    submission_key = models.CharField(max_length=64, unique=True)

    class Meta:
        ordering = ["-held_on", "-recorded_at"]
        indexes = [models.Index(fields=["child", "-held_on"])]


class DriftFlagReview(models.Model):
    """One agency's latest decision on a flag: the flag leaves that agency's queue (and only
    that agency's) until the review date."""

    flag = models.ForeignKey(DriftFlag, on_delete=models.CASCADE, related_name="reviews")
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    review_on = models.DateField()
    decision = models.ForeignKey(SupervisionRecord, on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            # Backs the queue's "reviewed by my agency" lookup as well as keeping one per agency.
            models.UniqueConstraint(fields=["flag", "agency"], name="drift_flag_review_per_agency")
        ]


def _queue_order_index(name: str, *leading: str, include: tuple[str, ...] = ("level",)) -> Any:
    """An index for one scope of the drift queue: the scope's columns, then the queue's order,
    so a scope's count and any page of it are one index-only range scan."""
    return models.Index(
        fields=[*leading, "worst_rank", "drifting_since", "child"],
        include=list(include),
        condition=Q(flag_count__gt=0),
        name=name,
    )


class DriftQueueEntry(models.Model):
    """One child on one agency's drift queue, kept by `cases.drift.queue` in the transaction of
    every change that moves it (a drift evaluation, a decision, a case allocation, a new
    relationship) so the queue and its counts are index scans, not a pass over every open flag.

    There is a row for each agency with a relationship to a child that has open flags. Its
    figures cover the flags that agency has not put aside: when its decisions put aside all
    of them, flag_count is 0 (the row is off the queue) and returns_on says when the first
    comes back.
    """

    # The indexes below lead with child or agency; the other keys are looked up only when a
    # team, a practitioner or an agency is deleted, so they get no index of their own.
    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="+", db_index=False)
    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="+", db_index=False)
    flag_count = models.PositiveSmallIntegerField()
    worst_rank = models.PositiveSmallIntegerField(null=True)  # DriftFlag.severity_rank
    drifting_since = models.DateField(null=True)  # the oldest condition_since
    rule_codes = ArrayField(models.CharField(max_length=40), default=list)
    gcp2_overdue = models.BooleanField(default=False)
    # The earliest review date among the flags this agency put aside: the row changes then.
    returns_on = models.DateField(null=True)
    # The child's open involvement: the case-holding agency, team and lead professional.
    level = models.CharField(max_length=20, blank=True)
    holding_agency = models.ForeignKey(
        Agency, on_delete=models.SET_NULL, null=True, related_name="+", db_index=False
    )
    team = models.ForeignKey(
        Team, on_delete=models.SET_NULL, null=True, related_name="+", db_index=False
    )
    worker = models.ForeignKey(
        Practitioner, on_delete=models.SET_NULL, null=True, related_name="+", db_index=False
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["child", "agency"], name="drift_queue_entry_unique")
        ]
        indexes = [
            # Every child the agency works with; its INCLUDE columns make the counts for
            # every scope (and the GCP2 figures) one index-only scan.
            _queue_order_index(
                "drift_queue_all",
                "agency",
                include=("level", "team", "worker", "holding_agency", "gcp2_overdue"),
            ),
            _queue_order_index("drift_queue_team", "agency", "team"),
            _queue_order_index("drift_queue_worker", "agency", "worker"),
            _queue_order_index("drift_queue_held", "agency", "holding_agency"),
            models.Index(
                fields=["agency", "returns_on"],
                condition=Q(returns_on__isnull=False),
                name="drift_queue_returns",
            ),
        ]


class DriftQueueTally(models.Model):
    """How many children one agency's drift queue holds under one scope link (every child it
    works with, the cases it holds, one team's, one practitioner's), and how many of them have
    an overdue GCP2: the figures on the queue's scope links and the lead's home page, read as a
    few primary-key probes instead of a count over the agency's queue rows (13,600 for the
    busiest agency at 100,000 children).

    PostgreSQL keeps the figures itself (statement-level triggers on DriftQueueEntry, cases
    migration 0020): every write of a queue row adds its difference in the same transaction.
    The figures count every child; a reader takes off the restricted records hidden from the
    user (a short list) itself.
    """

    class Scope(models.TextChoices):
        ALL = "all", "Every child the agency works with"
        AGENCY = "agency", "Cases the agency holds"
        TEAM = "team", "One team's cases"
        MINE = "mine", "One practitioner's cases"

    # No foreign-key constraints: the triggers derive every row from the queue's rows.
    agency = models.ForeignKey(
        Agency, on_delete=models.DO_NOTHING, related_name="+", db_constraint=False, db_index=False
    )
    scope = models.CharField(max_length=6, choices=Scope.choices)
    # The team's or the practitioner's id; 0 for the agency-wide scopes.
    scope_key = models.BigIntegerField()
    children = models.IntegerField()
    gcp2_overdue = models.IntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["agency", "scope", "scope_key"], name="drift_queue_tally_unique"
            )
        ]


class LevelChange(models.Model):
    """A lead stepping a case up or down: the receiving team sees it as new to them."""

    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="level_changes")
    from_involvement = models.ForeignKey(
        Involvement, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    to_involvement = models.ForeignKey(Involvement, on_delete=models.PROTECT, related_name="+")
    stepped_up = models.BooleanField()
    reason = models.TextField(max_length=SUMMARY_MAX_LENGTH)
    changed_by = models.ForeignKey(Practitioner, on_delete=models.PROTECT, related_name="+")
    changed_at = models.DateTimeField(default=timezone.now)
    receiving_agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    receiving_team = models.ForeignKey(
        Team, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    submission_key = models.CharField(max_length=64, unique=True)

    class Meta:
        ordering = ["-changed_at"]
        indexes = [models.Index(fields=["receiving_agency", "-changed_at"])]


class ConcernOutcome(models.Model):
    """What happened to a concern about one child, told back to the practitioner who raised it."""

    concern = models.ForeignKey(Concern, on_delete=models.CASCADE, related_name="outcomes")
    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="+")
    outcome = models.CharField(max_length=20, choices=ConcernOutcomeKind.choices)
    reason = models.TextField(max_length=SUMMARY_MAX_LENGTH, blank=True)
    recorded_by = models.ForeignKey(Practitioner, on_delete=models.PROTECT, related_name="+")
    recording_agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-recorded_at"]
        constraints = [
            # One outcome of each kind per concern and child: a double submit creates nothing.
            models.UniqueConstraint(
                fields=["concern", "child", "outcome"], name="concern_outcome_unique"
            )
        ]

    def clean(self) -> None:
        if self.outcome == ConcernOutcomeKind.NO_FURTHER_ACTION and not self.reason.strip():
            raise ValidationError({"reason": "Give the reason for no further action"})


class ConcernAwaitingOutcome(models.Model):
    """One child of a concern still waiting for the case-holding agency's outcome, kept so the
    lead's home count, queue list and "Concerns awaiting an outcome" are index range scans over
    their own agency's rows, not probes of every recent concern.

    A row exists while the (concern, child) has no ConcernOutcome and the child has an open
    involvement whose lead agency has a relationship with the child. PostgreSQL keeps the rows
    itself (statement-level triggers of cases migration 0018, the way ChildName is kept): every
    path that logs a concern, records an outcome, opens, moves or closes an involvement or adds
    a relationship (pages, API, imports, seeding, raw SQL) refreshes the children it touched
    in one statement, without each service having to remember to.
    """

    # The primary key is the ConcernChild's, so a row's pk is the link the outcome page takes.
    # No foreign-key constraints: the triggers derive every row from the tables they point at.
    link = models.OneToOneField(
        ConcernChild,
        on_delete=models.DO_NOTHING,
        primary_key=True,
        related_name="+",
        db_constraint=False,
    )
    concern = models.ForeignKey(
        Concern, on_delete=models.DO_NOTHING, related_name="+", db_constraint=False, db_index=False
    )
    # Indexed: the triggers refresh a set of children.
    child = models.ForeignKey(
        Child, on_delete=models.DO_NOTHING, related_name="+", db_constraint=False
    )
    holding_agency = models.ForeignKey(
        Agency, on_delete=models.DO_NOTHING, related_name="+", db_constraint=False, db_index=False
    )
    team = models.ForeignKey(
        Team,
        on_delete=models.DO_NOTHING,
        null=True,
        related_name="+",
        db_constraint=False,
        db_index=False,
    )
    submitted_at = models.DateTimeField()  # the concern's
    author_agency = models.ForeignKey(
        Agency, on_delete=models.DO_NOTHING, related_name="+", db_constraint=False, db_index=False
    )

    class Meta:
        indexes = [
            # The holding agency's rows oldest or newest first; the INCLUDE columns make the
            # counts (team, restricted children left out, raising agency) index-only.
            models.Index(
                fields=["holding_agency", "submitted_at", "link"],
                include=["team", "child", "author_agency"],
                name="awaiting_agency_submitted",
            ),
        ]


class ConcernAwaitingTally(models.Model):
    """How many children of concerns logged on one day still wait for one holding agency's
    team's outcome (ConcernAwaitingOutcome rows): the lead's home page sums four weeks of days
    instead of counting thousands of rows.

    PostgreSQL keeps the figures itself (statement-level triggers on ConcernAwaitingOutcome,
    cases migration 0020), adding each write's difference in its transaction. Days are UTC
    dates, as `cases.oversight.selectors.awaiting_outcome_since` counts them. A reader takes
    off the restricted records hidden from the user itself.
    """

    # No foreign-key constraints: the triggers derive every row from the awaiting rows.
    holding_agency = models.ForeignKey(
        Agency, on_delete=models.DO_NOTHING, related_name="+", db_constraint=False, db_index=False
    )
    submitted_on = models.DateField()  # the concerns' day (UTC)
    team_key = models.BigIntegerField()  # the case's team's id; 0 for none
    children = models.IntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["holding_agency", "submitted_on", "team_key"],
                name="concern_awaiting_tally_unique",
            )
        ]


class DriftEvaluationRequest(models.Model):
    """A child whose drift rules must be re-evaluated, written in the same transaction as the
    change. The queued task deletes it when it evaluates the child; if Redis or the workers
    are down it stays until the scheduled catch-up (`cases.tasks.drift_evaluate_pending`)."""

    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="+")
    requested_at = models.DateTimeField(default=timezone.now)


class DriftEvaluationRun(models.Model):
    """A full drift evaluation that finished: the day it evaluated and the rule settings it
    used. The scheduled run evaluates everyone again only when the day or the settings differ
    from the latest one's; otherwise just the children whose records changed."""

    as_of = models.DateField()
    settings = models.TextField()  # the rule configurations, as canonical JSON
    seconds = models.FloatField()
    finished_at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [models.Index(fields=["-finished_at"], name="drift_run_latest")]


class AccountEventKind(models.TextChoices):
    CREATED = "created", "Account created"
    ROLE_CHANGED = "role_changed", "Role changed"
    AGENCY_CHANGED = "agency_changed", "Agency changed"
    TEAM_CHANGED = "team_changed", "Team changed"
    DEACTIVATED = "deactivated", "Account deactivated"
    REACTIVATED = "reactivated", "Account re-activated"
    CONFIRMED = "confirmed", "Confirmed by a lead"
    REJECTED = "rejected", "Rejected by a lead"
    FACTOR_ENROLLED = "factor_enrolled", "Second factor set up"
    FACTOR_RESET = "factor_reset", "Second factor reset"
    SECRET_ROTATED = "secret_rotated", "Machine client secret rotated"


class AccountEvent(models.Model):
    """A change to an account: who did it, when, what, old and new value. Shown to the leads of
    the agency the account belongs to (and, for a move, of the agency it left)."""

    account = models.ForeignKey(Practitioner, on_delete=models.PROTECT, related_name="+")
    actor = models.ForeignKey(Practitioner, on_delete=models.PROTECT, null=True, related_name="+")
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, null=True, related_name="+")
    from_agency = models.ForeignKey(
        Agency, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    kind = models.CharField(max_length=32, choices=AccountEventKind.choices)
    old_value = models.CharField(max_length=200, blank=True)
    new_value = models.CharField(max_length=200, blank=True)
    occurred_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-occurred_at", "-pk"]
        indexes = [
            models.Index(fields=["agency", "-occurred_at"]),
            models.Index(fields=["account", "-occurred_at"]),
        ]


class ProfessionalChallenge(models.Model):
    """A lead of one agency disagreeing, in writing, with the agency that holds the child's case.

    It is answered by the case-holding agency and rises a level each time its date passes."""

    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="challenges")
    drift_flag = models.ForeignKey(
        DriftFlag, on_delete=models.SET_NULL, null=True, blank=True, related_name="challenges"
    )
    raised_by = models.ForeignKey(Practitioner, on_delete=models.PROTECT, related_name="+")
    raising_agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    holding_agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    reason = models.TextField(max_length=SUMMARY_MAX_LENGTH)
    asked_for = models.TextField("what is asked for", max_length=SUMMARY_MAX_LENGTH)
    answer_by = models.DateField()
    level = models.PositiveSmallIntegerField(default=1)
    escalated_at = models.DateTimeField(null=True, blank=True)
    raised_at = models.DateTimeField(default=timezone.now)
    response = models.TextField(max_length=SUMMARY_MAX_LENGTH, blank=True)
    outcome = models.CharField(max_length=12, choices=ChallengeOutcome.choices, blank=True)
    answered_by = models.ForeignKey(
        Practitioner, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    answered_at = models.DateTimeField(null=True, blank=True)
    submission_key = models.CharField(max_length=64, unique=True)

    class Meta:
        ordering = ["answer_by", "pk"]
        indexes = [
            models.Index(
                fields=["holding_agency", "answer_by"],
                condition=Q(answered_at__isnull=True),
                name="challenge_to_answer",
            ),
            models.Index(fields=["raising_agency", "-raised_at"]),
        ]

    @property
    def is_answered(self) -> bool:
        return self.answered_at is not None


class StepUpRequest(models.Model):
    """Another agency asking children's social care to step a case up, with its evidence."""

    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="step_up_requests")
    requested_by = models.ForeignKey(Practitioner, on_delete=models.PROTECT, related_name="+")
    requesting_agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    receiving_agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    to_level = models.CharField(max_length=20, choices=NeedLevel.choices)
    reasons = models.TextField(max_length=SUMMARY_MAX_LENGTH)
    evidence_concerns = models.ManyToManyField(Concern, blank=True, related_name="+")
    evidence_flags = models.ManyToManyField(DriftFlag, blank=True, related_name="+")
    evidence_entries = models.ManyToManyField(ChronologyEntry, blank=True, related_name="+")
    requested_at = models.DateTimeField(default=timezone.now)
    status = models.CharField(
        max_length=10, choices=StepUpStatus.choices, default=StepUpStatus.PENDING
    )
    decided_by = models.ForeignKey(
        Practitioner, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_reason = models.TextField(max_length=SUMMARY_MAX_LENGTH, blank=True)
    level_change = models.ForeignKey(
        LevelChange, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    submission_key = models.CharField(max_length=64, unique=True)

    class Meta:
        ordering = ["requested_at", "pk"]
        indexes = [
            models.Index(fields=["receiving_agency", "status", "requested_at"]),
            models.Index(fields=["requesting_agency", "-requested_at"]),
        ]


class CensusJobKind(models.TextChoices):
    EXPORT = "export", "Export"
    IMPORT = "import", "Import"


class CensusJobStatus(models.TextChoices):
    QUEUED = "queued", "Waiting for a worker"
    RUNNING = "running", "Running"
    DONE = "done", "Done"
    INVALID = "invalid", "Not imported: the file has errors"
    FAILED = "failed", "Failed"


class CensusJob(models.Model):
    """One children in need census export or import, run by a worker (cases/census/)."""

    kind = models.CharField(max_length=6, choices=CensusJobKind.choices)
    collection_year = models.PositiveSmallIntegerField()  # the year the census ends: 2027
    status = models.CharField(
        max_length=8, choices=CensusJobStatus.choices, default=CensusJobStatus.QUEUED
    )
    stage = models.CharField(max_length=100, blank=True)
    done_children = models.PositiveIntegerField(default=0)
    total_children = models.PositiveIntegerField(default=0)
    file_name = models.CharField(max_length=200)  # inside settings.NT_CENSUS_DIR
    # The Department's rules' findings: [{rule_code, message, child, table, field, value}].
    errors = models.JSONField(default=list, blank=True)
    error_count = models.PositiveIntegerField(default=0)
    # An import's counts of what changed, and the official figures the census holds.
    summary = models.JSONField(default=dict, blank=True)
    figures = models.JSONField(default=dict, blank=True)
    requested_by = models.ForeignKey(
        Practitioner, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    requested_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-requested_at", "-pk"]


# Models kept beside their feature package, registered with the cases app here.
from cases.clients.models import MachineClient  # noqa: E402, F401
from cases.notifications.models import (  # noqa: E402, F401
    AttendanceRecord,
    ExclusionRecord,
    NotificationImport,
    NotificationRow,
)
