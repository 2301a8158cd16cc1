"""GCP2 (Graded Care Profile 2): the framework as versioned data, and assessments made with it.

The framework (areas and sub-areas, with our own short labels) is data loaded by a migration,
so a revision of the tool is a new FrameworkVersion and old assessments keep the version they
were made with. The NSPCC's descriptor text is licensed to trained practitioners and is not in
this repository: `SubArea.guidance` is left blank for an authority to fill from its own copy.
"""

from __future__ import annotations

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone

from cases.models import SUMMARY_MAX_LENGTH, Agency, Child, Practitioner

GRADE_MIN, GRADE_MAX = 1, 5

# The grade scale in our own words (GCP2 grades 1 best to 5 worst, the same in every area).
GRADE_MEANINGS = {
    1: "All the child's needs are met; care is child-centred",
    2: "Essential needs are met; the child comes first most of the time",
    3: "Some essential needs are unmet; the child's and carer's needs compete",
    4: "Most essential needs are unmet; the child comes second",
    5: "Essential needs are not met; the child is not considered",
}
GRADE_CHOICES = [(grade, f"{grade}: {meaning}") for grade, meaning in GRADE_MEANINGS.items()]
TEXT_MAX_LENGTH = SUMMARY_MAX_LENGTH * 2


class FrameworkVersion(models.Model):
    """One published revision of the tool, e.g. GCP2 (2015)."""

    code = models.SlugField(max_length=40, unique=True)
    name = models.CharField(max_length=200)
    is_current = models.BooleanField(
        default=False, help_text="New assessments use the current version"
    )
    loaded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-loaded_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["is_current"], condition=Q(is_current=True), name="one_current_framework"
            )
        ]

    def __str__(self) -> str:
        return self.name


class Area(models.Model):
    framework = models.ForeignKey(FrameworkVersion, on_delete=models.CASCADE, related_name="areas")
    code = models.SlugField(max_length=40, help_text="Stable across versions, used to compare")
    label = models.CharField(max_length=100)
    description = models.CharField(max_length=200, blank=True)
    ordering = models.PositiveSmallIntegerField()

    class Meta:
        ordering = ["framework", "ordering"]
        constraints = [
            models.UniqueConstraint(fields=["framework", "code"], name="area_unique_code")
        ]

    def __str__(self) -> str:
        return self.label


class SubArea(models.Model):
    area = models.ForeignKey(Area, on_delete=models.CASCADE, related_name="sub_areas")
    code = models.SlugField(max_length=40)
    label = models.CharField(max_length=100)
    ordering = models.PositiveSmallIntegerField()
    min_age_years = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="Applies only from this age (blank: from birth)"
    )
    max_age_years = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="Applies only up to this age (blank: no upper limit)"
    )
    guidance = models.TextField(
        blank=True,
        help_text="Guidance from the authority's licensed copy of the tool, shown to assessors",
    )

    class Meta:
        ordering = ["area__ordering", "ordering"]
        constraints = [
            models.UniqueConstraint(fields=["area", "code"], name="sub_area_unique_code")
        ]

    def __str__(self) -> str:
        return self.label

    @property
    def key(self) -> str:
        """Names the sub-area across framework versions and in forms: "area-subarea"."""
        return f"{self.area.code}-{self.code}"

    def applies_at(self, age_years: int | None) -> bool:
        if age_years is None:
            return self.min_age_years is None
        if self.min_age_years is not None and age_years < self.min_age_years:
            return False
        return self.max_age_years is None or age_years <= self.max_age_years


class AssessmentStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    SUBMITTED = "submitted", "Submitted for sign-off"
    RETURNED = "returned", "Returned with comments"
    SIGNED_OFF = "signed_off", "Signed off"
    SUPERSEDED = "superseded", "Superseded"


EDITABLE_STATUSES = (AssessmentStatus.DRAFT, AssessmentStatus.RETURNED)


class Assessment(models.Model):
    """One GCP2 assessment of one child, by one assessor of one agency."""

    child = models.ForeignKey(Child, on_delete=models.PROTECT, related_name="gcp2_assessments")
    framework = models.ForeignKey(FrameworkVersion, on_delete=models.PROTECT, related_name="+")
    assessor = models.ForeignKey(Practitioner, on_delete=models.PROTECT, related_name="+")
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    status = models.CharField(
        max_length=12, choices=AssessmentStatus.choices, default=AssessmentStatus.DRAFT
    )
    # Optimistic locking: every change increments it; a save carrying an older one is refused.
    version = models.PositiveIntegerField(default=1)
    assessed_on = models.DateField()
    child_age_years = models.PositiveSmallIntegerField(null=True, blank=True)
    present = models.TextField("who was present", max_length=SUMMARY_MAX_LENGTH, blank=True)
    strengths = models.TextField(max_length=TEXT_MAX_LENGTH, blank=True)
    child_views = models.TextField("the child's views", max_length=TEXT_MAX_LENGTH, blank=True)
    carer_views = models.TextField(
        "the parents' or carers' views", max_length=TEXT_MAX_LENGTH, blank=True
    )
    analysis = models.TextField(max_length=TEXT_MAX_LENGTH, blank=True)
    next_steps = models.TextField("agreed next steps", max_length=TEXT_MAX_LENGTH, blank=True)
    started_from = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    supersedes = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="superseded_by"
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    updated_by = models.ForeignKey(
        Practitioner, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    submitted_at = models.DateTimeField(null=True, blank=True)
    reviewed_by = models.ForeignKey(
        Practitioner, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    return_comments = models.TextField(max_length=SUMMARY_MAX_LENGTH, blank=True)
    signed_off_at = models.DateTimeField(null=True, blank=True)
    # A resubmitted start form or retried API call carries the same key and creates nothing new.
    submission_key = models.CharField(max_length=64, unique=True)

    class Meta:
        ordering = ["assessed_on", "pk"]
        indexes = [
            models.Index(fields=["child", "status", "-assessed_on"]),
            models.Index(fields=["agency", "status"]),
        ]

    def __str__(self) -> str:
        return f"GCP2 assessment {self.pk}"

    @property
    def is_editable(self) -> bool:
        return self.status in EDITABLE_STATUSES


class SubAreaGrade(models.Model):
    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="sub_grades")
    sub_area = models.ForeignKey(SubArea, on_delete=models.PROTECT, related_name="+")
    grade = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        validators=[MinValueValidator(GRADE_MIN), MaxValueValidator(GRADE_MAX)],
    )
    evidence = models.TextField(max_length=TEXT_MAX_LENGTH, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["assessment", "sub_area"], name="sub_area_grade_unique"
            ),
            models.CheckConstraint(
                condition=Q(grade__isnull=True) | Q(grade__gte=GRADE_MIN, grade__lte=GRADE_MAX),
                name="sub_area_grade_in_scale",
            ),
        ]


class AreaGrade(models.Model):
    """The assessor's own overall grade for an area, informed by its sub-areas."""

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="area_grades")
    area = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="+")
    grade = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        validators=[MinValueValidator(GRADE_MIN), MaxValueValidator(GRADE_MAX)],
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["assessment", "area"], name="area_grade_unique"),
            models.CheckConstraint(
                condition=Q(grade__isnull=True) | Q(grade__gte=GRADE_MIN, grade__lte=GRADE_MAX),
                name="area_grade_in_scale",
            ),
        ]
