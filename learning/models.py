"""Learning from cases: multi-agency case audits (a themed sample of children, each taking-part
agency grading its own practice, then moderation and learning actions)."""

from __future__ import annotations

from django.db import models
from django.utils import timezone

from cases.models import AccessGrant, Agency, Child, Practitioner

TEXT_MAX = 4000


class AuditStatus(models.TextChoices):
    SETUP = "setup", "Being set up"
    GRADING = "grading", "Auditors grading"
    MODERATION = "moderation", "Moderated"
    CLOSED = "closed", "Closed"


class Grade(models.TextChoices):
    """Ofsted's four grades, best first; `GRADE_ORDER` gives each its rank (1 best)."""

    OUTSTANDING = "outstanding", "Outstanding"
    GOOD = "good", "Good"
    REQUIRES_IMPROVEMENT = "requires_improvement", "Requires improvement"
    INADEQUATE = "inadequate", "Inadequate"


GRADE_ORDER = {grade.value: rank for rank, grade in enumerate(Grade, start=1)}


class CaseAudit(models.Model):
    """A themed multi-agency audit run by the partnership business manager."""

    theme = models.CharField(max_length=200)
    created_by = models.ForeignKey(Practitioner, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    starts_on = models.DateField()
    ends_on = models.DateField()
    status = models.CharField(max_length=12, choices=AuditStatus.choices, default=AuditStatus.SETUP)
    # The population: open involvements at these levels (neglect only if asked), stratified by
    # level of need and lead agency.
    levels = models.JSONField(default=list)
    neglect_only = models.BooleanField(default=True)
    sample_size = models.PositiveIntegerField()
    # The draw: its seed and the population as it stood (child id, stratum), so the same seed
    # and snapshot always give the same sample.
    seed = models.BigIntegerField(null=True, blank=True)
    population = models.JSONField(default=list)
    sampled_at = models.DateTimeField(null=True, blank=True)
    worked_well = models.TextField(blank=True, max_length=TEXT_MAX)
    must_change = models.TextField(blank=True, max_length=TEXT_MAX)
    moderated_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    submission_key = models.CharField(max_length=64, blank=True)

    class Meta:
        ordering = ["-starts_on", "-pk"]

    def __str__(self) -> str:
        return self.theme


class AuditQuestion(models.Model):
    audit = models.ForeignKey(CaseAudit, on_delete=models.CASCADE, related_name="questions")
    position = models.PositiveSmallIntegerField()
    text = models.CharField(max_length=300)
    guidance = models.TextField(blank=True, max_length=TEXT_MAX)

    class Meta:
        ordering = ["position"]


class AuditAgency(models.Model):
    """An agency taking part, and its auditor (a safeguarding lead of that agency)."""

    audit = models.ForeignKey(CaseAudit, on_delete=models.CASCADE, related_name="agencies")
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    auditor = models.ForeignKey(Practitioner, on_delete=models.PROTECT, related_name="+")
    submitted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["agency__name"]
        constraints = [
            models.UniqueConstraint(fields=["audit", "agency"], name="one_auditor_per_agency")
        ]


class AuditSample(models.Model):
    """A child drawn into an audit's sample. A swapped-out child keeps its row and reason."""

    audit = models.ForeignKey(CaseAudit, on_delete=models.CASCADE, related_name="samples")
    child = models.ForeignKey(Child, on_delete=models.PROTECT, related_name="+")
    stratum = models.CharField(max_length=200)
    position = models.PositiveIntegerField()
    swapped_out_reason = models.TextField(blank=True, max_length=TEXT_MAX)
    swapped_out_at = models.DateTimeField(null=True, blank=True)
    replaces = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["position"]
        constraints = [
            models.UniqueConstraint(fields=["audit", "child"], name="a_child_once_per_audit")
        ]

    @property
    def in_sample(self) -> bool:
        return self.swapped_out_at is None


class AuditGrade(models.Model):
    """One agency's grade of its own practice for one sampled child and question."""

    sample = models.ForeignKey(AuditSample, on_delete=models.CASCADE, related_name="grades")
    question = models.ForeignKey(AuditQuestion, on_delete=models.CASCADE, related_name="+")
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    grade = models.CharField(max_length=24, choices=Grade.choices)
    evidence = models.TextField(max_length=TEXT_MAX)
    graded_by = models.ForeignKey(Practitioner, on_delete=models.PROTECT, related_name="+")
    graded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["sample", "question", "agency"], name="one_grade_per_agency"
            )
        ]


class AgreedGrade(models.Model):
    """The grade agreed at moderation for one sampled child, question and agency."""

    sample = models.ForeignKey(AuditSample, on_delete=models.CASCADE, related_name="agreed")
    question = models.ForeignKey(AuditQuestion, on_delete=models.CASCADE, related_name="+")
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    grade = models.CharField(max_length=24, choices=Grade.choices)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["sample", "question", "agency"], name="one_agreed_grade"
            )
        ]


class LearningAction(models.Model):
    """What must change, with an owner and a date (the delivery plan may take it up)."""

    audit = models.ForeignKey(CaseAudit, on_delete=models.CASCADE, related_name="actions")
    text = models.TextField(max_length=2000)
    owner = models.CharField(max_length=200)
    due_on = models.DateField()
    created_at = models.DateTimeField(default=timezone.now)
    submission_key = models.CharField(max_length=64, blank=True)

    class Meta:
        ordering = ["due_on", "pk"]


class AuditAccess(models.Model):
    """An auditor's time-limited grant (purpose "audit") to one sampled child, ended when the
    child is swapped out or the audit closes. It never makes a relationship."""

    audit = models.ForeignKey(CaseAudit, on_delete=models.CASCADE, related_name="accesses")
    grant = models.OneToOneField(AccessGrant, on_delete=models.CASCADE, related_name="+")


# --- Feedback from children and families ------------------------------------------------------


class Respondent(models.TextChoices):
    CHILD = "child", "The child"
    PARENT = "parent", "A parent or carer"


class FeedbackOccasion(models.TextChoices):
    VISIT = "visit", "A visit"
    REVIEW = "review", "A review"


class FeedbackQuestion(models.TextChoices):
    """The standard questionnaire: the child's two statements and the parent's or carer's."""

    SAFE_AT_HOME = "safe_at_home", "I feel safe at home"
    LISTENED_TO = "listened_to", "Someone listens to me"
    UNDERSTAND_CHANGE = "understand_change", "I understand what needs to change"


QUESTIONS_FOR = {
    Respondent.CHILD: [FeedbackQuestion.SAFE_AT_HOME, FeedbackQuestion.LISTENED_TO],
    Respondent.PARENT: [FeedbackQuestion.UNDERSTAND_CHANGE],
}
# The words of each point, worst first; an answer "agrees" at 80% of the scale or more (3 of 3,
# 4 or 5 of 5).
SCALES = {
    3: ["No", "Sometimes", "Yes"],
    5: ["Strongly disagree", "Disagree", "Not sure", "Agree", "Strongly agree"],
}


class Feedback(models.Model):
    """A short questionnaire a practitioner recorded with a child or a parent or carer."""

    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="+")
    respondent = models.CharField(max_length=8, choices=Respondent.choices)
    occasion = models.CharField(max_length=8, choices=FeedbackOccasion.choices)
    given_on = models.DateField()
    scale = models.PositiveSmallIntegerField(choices=[(3, "3-point"), (5, "5-point")])
    own_words = models.TextField(blank=True, max_length=TEXT_MAX)
    recorded_by = models.ForeignKey(
        Practitioner, on_delete=models.PROTECT, null=True, related_name="+"
    )
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)
    submission_key = models.CharField(max_length=64, blank=True)

    class Meta:
        ordering = ["-given_on", "-pk"]
        indexes = [models.Index(fields=["child", "given_on"])]


class FeedbackAnswer(models.Model):
    feedback = models.ForeignKey(Feedback, on_delete=models.CASCADE, related_name="answers")
    question = models.CharField(max_length=24, choices=FeedbackQuestion.choices)
    score = models.PositiveSmallIntegerField()  # 1 (worst) to the feedback's scale

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["feedback", "question"], name="one_answer_each")
        ]
