"""Services: the functions that change GCP2 assessments. Each runs in one transaction.

Pages and API endpoints call the same functions, so they cannot disagree about the rules:
* who may edit (casework staff of the assessor's agency, while a draft or returned);
* who may sign off or return (a safeguarding lead or social-care manager of the assessor's
  agency, never the assessor);
* optimistic locking (`version`): a save carrying an older version is refused with the
  differences between what is saved and what was sent, so nothing is lost silently;
* what a complete assessment is (every sub-area that applies at the child's age graded, with
  evidence, and every area given the assessor's overall grade).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field, replace

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils import timezone

from cases import access
from cases.codes import ChronologyEventType, Significance
from cases.models import Child, Practitioner
from cases.services import change_log_record, chronology_entry_record, submission_repeat

from .framework import current_framework, framework_areas
from .models import (
    GRADE_MAX,
    GRADE_MIN,
    Area,
    AreaGrade,
    Assessment,
    AssessmentStatus,
    SubAreaGrade,
)

SOURCE_KIND = "gcp2_assessment"
TEXT_FIELDS = ("present", "strengths", "child_views", "carer_views", "analysis", "next_steps")
TEXT_LABELS = {
    "assessed_on": "Date of the assessment",
    "present": "Who was present",
    "strengths": "Strengths",
    "child_views": "The child's views",
    "carer_views": "The parents' or carers' views",
    "analysis": "Analysis",
    "next_steps": "Agreed next steps",
}


def grade_field(sub_area_key: str) -> str:
    return f"grade-{sub_area_key}"


def evidence_field(sub_area_key: str) -> str:
    return f"evidence-{sub_area_key}"


def area_grade_field(area_code: str) -> str:
    return f"area-{area_code}"


class AssessmentError(Exception):
    """Something the user can fix, as messages keyed by field name."""

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__("; ".join(errors.values()))
        self.errors = errors


@dataclass(frozen=True)
class Difference:
    field: str
    label: str
    saved: str
    yours: str


class StaleVersion(Exception):
    """Someone else saved the assessment since this user loaded it."""

    def __init__(self, current: Assessment, differences: list[Difference]) -> None:
        super().__init__("The assessment was changed by someone else")
        self.current = current
        self.differences = differences


@dataclass(frozen=True)
class SubAreaAnswer:
    grade: int | None = None
    evidence: str = ""


@dataclass
class Answers:
    """Everything an assessor writes: the details, each sub-area and each area's grade."""

    assessed_on: datetime.date
    present: str = ""
    strengths: str = ""
    child_views: str = ""
    carer_views: str = ""
    analysis: str = ""
    next_steps: str = ""
    sub_areas: dict[str, SubAreaAnswer] = field(default_factory=dict)  # by sub-area key
    areas: dict[str, int | None] = field(default_factory=dict)  # by area code


# --- Who may do what -------------------------------------------------------------------------


def can_edit(user: Practitioner, assessment: Assessment) -> bool:
    return (
        access.does_casework(user)
        and user.agency_id == assessment.agency_id
        and assessment.is_editable
    )


def can_review(user: Practitioner, assessment: Assessment) -> bool:
    """Sign off or return: a lead of the assessor's own agency who is not the assessor."""
    return (
        access.is_lead(user)
        and user.agency_id == assessment.agency_id
        and user.pk != assessment.assessor_id
    )


# --- Reading an assessment's answers ---------------------------------------------------------


def answers_of(assessment: Assessment) -> Answers:
    return Answers(
        assessed_on=assessment.assessed_on,
        **{name: getattr(assessment, name) for name in TEXT_FIELDS},
        sub_areas={
            row.sub_area.key: SubAreaAnswer(row.grade, row.evidence)
            for row in assessment.sub_grades.select_related("sub_area__area")
        },
        areas={row.area.code: row.grade for row in assessment.area_grades.select_related("area")},
    )


def answers_differences(
    assessment: Assessment, answers: Answers, areas: list[Area] | None = None
) -> list[Difference]:
    """Where the saved assessment and the given answers differ, field by field."""
    saved = answers_of(assessment)
    differences = []
    for name in ("assessed_on", *TEXT_FIELDS):
        before, after = getattr(saved, name), getattr(answers, name)
        if before != after:
            differences.append(Difference(name, TEXT_LABELS[name], str(before), str(after)))
    for area in areas if areas is not None else framework_areas(assessment.framework):
        for sub in area.sub_areas.all():
            was = saved.sub_areas.get(sub.key, SubAreaAnswer())
            now = answers.sub_areas.get(sub.key, SubAreaAnswer())
            if was.grade != now.grade:
                differences.append(
                    Difference(
                        grade_field(sub.key),
                        f"{area.label}: {sub.label} grade",
                        _grade_text(was.grade),
                        _grade_text(now.grade),
                    )
                )
            if was.evidence != now.evidence:
                differences.append(
                    Difference(
                        evidence_field(sub.key),
                        f"{area.label}: {sub.label} evidence",
                        was.evidence,
                        now.evidence,
                    )
                )
        if saved.areas.get(area.code) != answers.areas.get(area.code):
            differences.append(
                Difference(
                    area_grade_field(area.code),
                    f"{area.label}: overall grade",
                    _grade_text(saved.areas.get(area.code)),
                    _grade_text(answers.areas.get(area.code)),
                )
            )
    return differences


def _grade_text(grade: int | None) -> str:
    return str(grade) if grade is not None else "not graded"


def area_grades_text(assessment: Assessment) -> str:
    """ "Physical care 3, Safety 2, ..." in framework order, for chronology summaries."""
    rows = assessment.area_grades.select_related("area").order_by("area__ordering")
    return ", ".join(f"{row.area.label} {_grade_text(row.grade)}" for row in rows)


# --- Validation ------------------------------------------------------------------------------


def _validate(assessment: Assessment, answers: Answers, areas: list[Area]) -> dict[str, str]:
    """Rules for any save: the grade scale, known sub-areas, a sensible date."""
    errors: dict[str, str] = {}
    today = timezone.localdate()
    child = assessment.child
    if answers.assessed_on > today:
        errors["assessed_on"] = "The date of the assessment must be today or in the past"
    elif child.date_of_birth and answers.assessed_on < child.date_of_birth:
        errors["assessed_on"] = "The date of the assessment must be after the child's birth"
    sub_areas = {sub.key: (area, sub) for area in areas for sub in area.sub_areas.all()}
    area_codes = {area.code: area for area in areas}
    for key, answer in answers.sub_areas.items():
        if key not in sub_areas:
            errors[grade_field(key)] = f"{key} is not a sub-area of {assessment.framework.name}"
        elif answer.grade is not None and not GRADE_MIN <= answer.grade <= GRADE_MAX:
            _area, sub = sub_areas[key]
            errors[grade_field(key)] = f"Select a grade between 1 and 5 for {sub.label.lower()}"
    for code, grade in answers.areas.items():
        if code not in area_codes:
            errors[area_grade_field(code)] = f"{code} is not an area of {assessment.framework.name}"
        elif grade is not None and not GRADE_MIN <= grade <= GRADE_MAX:
            errors[area_grade_field(code)] = (
                f"Select an overall grade between 1 and 5 for {area_codes[code].label.lower()}"
            )
    return errors


def _completeness_errors(
    assessment: Assessment, answers: Answers, areas: list[Area]
) -> dict[str, str]:
    """What submitting needs beyond a valid draft."""
    errors: dict[str, str] = {}
    age = assessment.child.age_on(answers.assessed_on)
    for area in areas:
        for sub in area.sub_areas.all():
            if not sub.applies_at(age):
                continue
            answer = answers.sub_areas.get(sub.key, SubAreaAnswer())
            if answer.grade is None:
                errors[grade_field(sub.key)] = f"Select a grade for {sub.label.lower()}"
            elif not answer.evidence.strip():
                errors[evidence_field(sub.key)] = (
                    f"Enter the evidence for the {sub.label.lower()} grade"
                )
        if answers.areas.get(area.code) is None:
            errors[area_grade_field(area.code)] = (
                f"Select your overall grade for {area.label.lower()}"
            )
    if not answers.present.strip():
        errors["present"] = "Enter who was present"
    if not answers.analysis.strip():
        errors["analysis"] = "Enter your analysis"
    if not answers.next_steps.strip():
        errors["next_steps"] = "Enter the agreed next steps"
    return errors


# --- Changing an assessment ------------------------------------------------------------------


def _write_answers(assessment: Assessment, answers: Answers, areas: list[Area]) -> None:
    assessment.assessed_on = answers.assessed_on
    assessment.child_age_years = assessment.child.age_on(answers.assessed_on)
    for name in TEXT_FIELDS:
        setattr(assessment, name, getattr(answers, name).strip())
    existing_sub = {row.sub_area_id: row for row in assessment.sub_grades.all()}
    existing_area = {row.area_id: row for row in assessment.area_grades.all()}
    new_sub, changed_sub, new_area, changed_area = [], [], [], []
    for area in areas:
        for sub in area.sub_areas.all():
            answer = answers.sub_areas.get(sub.key, SubAreaAnswer())
            row = existing_sub.get(sub.pk)
            if row is None:
                new_sub.append(
                    SubAreaGrade(
                        assessment=assessment,
                        sub_area=sub,
                        grade=answer.grade,
                        evidence=answer.evidence.strip(),
                    )
                )
            elif (row.grade, row.evidence) != (answer.grade, answer.evidence.strip()):
                row.grade, row.evidence = answer.grade, answer.evidence.strip()
                changed_sub.append(row)
        grade = answers.areas.get(area.code)
        area_row = existing_area.get(area.pk)
        if area_row is None:
            new_area.append(AreaGrade(assessment=assessment, area=area, grade=grade))
        elif area_row.grade != grade:
            area_row.grade = grade
            changed_area.append(area_row)
    SubAreaGrade.objects.bulk_create(new_sub)
    SubAreaGrade.objects.bulk_update(changed_sub, ["grade", "evidence"])
    AreaGrade.objects.bulk_create(new_area)
    AreaGrade.objects.bulk_update(changed_area, ["grade"])


def _locked(assessment_id: int) -> Assessment:
    return (
        Assessment.objects.select_for_update(of=("self",))
        .select_related("child", "framework", "agency")
        .get(pk=assessment_id)
    )


def _touch(assessment: Assessment, by: Practitioner, fields: list[str]) -> None:
    assessment.version += 1
    assessment.updated_by = by
    assessment.updated_at = timezone.now()
    assessment.save(update_fields=[*fields, "version", "updated_by", "updated_at"])


def _save_answers(
    assessment: Assessment, *, by: Practitioner, expected_version: int, answers: Answers
) -> list[Area]:
    if not can_edit(by, assessment):
        if assessment.is_editable:
            raise PermissionDenied()
        raise AssessmentError(
            {
                "__all__": f"This assessment is {assessment.get_status_display().lower()} and "
                "can no longer be changed"
            }
        )
    areas = framework_areas(assessment.framework)
    if assessment.version != expected_version:
        raise StaleVersion(assessment, answers_differences(assessment, answers, areas))
    errors = _validate(assessment, answers, areas)
    if errors:
        raise AssessmentError(errors)
    _write_answers(assessment, answers, areas)
    return areas


@transaction.atomic
def assessment_update(
    *, assessment_id: int, by: Practitioner, expected_version: int, answers: Answers
) -> Assessment:
    """Save a draft (or a returned assessment being corrected). Incomplete answers are fine."""
    assessment = _locked(assessment_id)
    _save_answers(assessment, by=by, expected_version=expected_version, answers=answers)
    _touch(assessment, by, ["assessed_on", "child_age_years", *TEXT_FIELDS])
    change_log_record(practitioner=by, child=assessment.child, record=assessment, action="saved")
    return assessment


@transaction.atomic
def assessment_submit(
    *,
    assessment_id: int,
    by: Practitioner,
    expected_version: int,
    answers: Answers | None = None,
) -> Assessment:
    """Save the answers (if given) and submit for sign-off; refused if anything is missing."""
    assessment = _locked(assessment_id)
    if answers is None:
        answers = answers_of(assessment)
    areas = _save_answers(assessment, by=by, expected_version=expected_version, answers=answers)
    errors = _completeness_errors(assessment, answers, areas)
    if errors:
        raise AssessmentError(errors)
    assessment.status = AssessmentStatus.SUBMITTED
    assessment.submitted_at = timezone.now()
    _touch(
        assessment, by, ["assessed_on", "child_age_years", *TEXT_FIELDS, "status", "submitted_at"]
    )
    change_log_record(
        practitioner=by, child=assessment.child, record=assessment, action="submitted"
    )
    return assessment


def _significance(assessment: Assessment) -> Significance:
    grades = [g for g in assessment.area_grades.values_list("grade", flat=True) if g is not None]
    worst = max(grades, default=0)
    if worst >= 4:
        return Significance.HIGH
    return Significance.MEDIUM if worst == 3 else Significance.LOW


def _chronology(assessment: Assessment, *, by: Practitioner, summary: str) -> None:
    assert by.agency is not None
    chronology_entry_record(
        child=assessment.child,
        occurred_on=timezone.localdate(),
        event_type=ChronologyEventType.ASSESSMENT,
        significance=_significance(assessment),
        summary=summary,
        source_agency=by.agency,
        recorded_by=by,
        source_kind=SOURCE_KIND,
        source_id=assessment.pk,
    )


def _reviewable(assessment_id: int, by: Practitioner) -> Assessment:
    assessment = _locked(assessment_id)
    if not can_review(by, assessment):
        raise PermissionDenied()
    if assessment.status != AssessmentStatus.SUBMITTED:
        raise AssessmentError(
            {"__all__": "Only a submitted assessment can be signed off or returned"}
        )
    return assessment


@transaction.atomic
def assessment_sign_off(*, assessment_id: int, by: Practitioner) -> Assessment:
    """Sign off a submitted assessment; a correction supersedes the one it corrects."""
    assessment = _reviewable(assessment_id, by)
    now = timezone.now()
    assessment.status = AssessmentStatus.SIGNED_OFF
    assessment.reviewed_by, assessment.reviewed_at, assessment.signed_off_at = by, now, now
    _touch(assessment, by, ["status", "reviewed_by", "reviewed_at", "signed_off_at"])
    if assessment.supersedes_id:
        Assessment.objects.filter(
            pk=assessment.supersedes_id, status=AssessmentStatus.SIGNED_OFF
        ).update(status=AssessmentStatus.SUPERSEDED, updated_at=now)
    change_log_record(
        practitioner=by, child=assessment.child, record=assessment, action="signed_off"
    )
    _chronology(
        assessment,
        by=by,
        summary=(
            f"GCP2 assessment of {assessment.assessed_on:%-d %B %Y} signed off"
            f"{' (a correction of an earlier one)' if assessment.supersedes_id else ''}. "
            f"Area grades: {area_grades_text(assessment)}."
        ),
    )
    return assessment


@transaction.atomic
def assessment_return(*, assessment_id: int, by: Practitioner, comments: str) -> Assessment:
    """Return a submitted assessment to the assessor with comments; it becomes editable again."""
    if not comments.strip():
        raise AssessmentError({"comments": "Enter your comments for the assessor"})
    assessment = _reviewable(assessment_id, by)
    assessment.status = AssessmentStatus.RETURNED
    assessment.reviewed_by, assessment.reviewed_at = by, timezone.now()
    assessment.return_comments = comments.strip()
    _touch(assessment, by, ["status", "reviewed_by", "reviewed_at", "return_comments"])
    change_log_record(practitioner=by, child=assessment.child, record=assessment, action="returned")
    _chronology(
        assessment,
        by=by,
        summary=(
            f"GCP2 assessment of {assessment.assessed_on:%-d %B %Y} returned to the assessor "
            f"with comments. Area grades as submitted: {area_grades_text(assessment)}."
        ),
    )
    return assessment


@transaction.atomic
def assessment_start(
    *,
    child: Child,
    assessor: Practitioner,
    submission_key: str,
    start_from: Assessment | None = None,
    supersedes: Assessment | None = None,
    assessed_on: datetime.date | None = None,
) -> Assessment:
    """Start a draft with the current framework version.

    `start_from` (a repeat) copies the earlier assessment's grades as starting points, not
    its evidence; `supersedes` (a correction of a signed-off assessment) copies everything.
    The caller has already read the child through the access policy. A repeated submission
    key returns the assessment it created the first time.
    """
    if not access.does_casework(assessor) or assessor.agency is None:
        raise PermissionDenied()
    existing = submission_repeat(
        Assessment.objects.all(),
        submission_key=submission_key,
        assessor_id=assessor.pk,
        child_id=child.pk,
        supersedes_id=supersedes.pk if supersedes else None,
    )
    if existing is not None:
        return existing
    source = supersedes or start_from
    if source is not None:
        if source.child_id != child.pk:
            raise AssessmentError({"__all__": "Start from an assessment of the same child"})
        if supersedes is not None and (
            supersedes.status != AssessmentStatus.SIGNED_OFF
            or supersedes.agency_id != assessor.agency_id
        ):
            raise AssessmentError(
                {"__all__": "Only your agency's signed-off assessments can be corrected"}
            )
    day = assessed_on or timezone.localdate()
    try:
        with transaction.atomic():
            assessment = Assessment.objects.create(
                child=child,
                framework=current_framework(),
                assessor=assessor,
                agency=assessor.agency,
                assessed_on=day,
                child_age_years=child.age_on(day),
                started_from=start_from,
                supersedes=supersedes,
                updated_by=assessor,
                submission_key=submission_key,
            )
    except IntegrityError:
        # Two identical submissions raced: the other one created it.
        return Assessment.objects.get(submission_key=submission_key)
    areas = framework_areas(assessment.framework)
    answers = Answers(assessed_on=day)
    if source is not None:
        copied = answers_of(source)
        answers = (
            replace(copied, assessed_on=day)
            if supersedes
            else Answers(
                assessed_on=day,
                sub_areas={k: SubAreaAnswer(v.grade) for k, v in copied.sub_areas.items()},
                areas=dict(copied.areas),
            )
        )
        known = {sub.key for area in areas for sub in area.sub_areas.all()}
        answers.sub_areas = {k: v for k, v in answers.sub_areas.items() if k in known}
        answers.areas = {k: v for k, v in answers.areas.items() if k in {a.code for a in areas}}
    _write_answers(assessment, answers, areas)
    assessment.save()
    change_log_record(practitioner=assessor, child=child, record=assessment, action="started")
    if supersedes is not None:
        how = f" to correct the signed-off assessment of {supersedes.assessed_on:%-d %B %Y}"
    elif start_from is not None:
        how = (
            f" as a repeat of the assessment of {start_from.assessed_on:%-d %B %Y}; "
            f"starting grades: {area_grades_text(assessment)}"
        )
    else:
        how = ""
    _chronology(assessment, by=assessor, summary=f"GCP2 assessment started{how}.")
    return assessment
