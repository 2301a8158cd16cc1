"""HTML views for GCP2: thin layers over the access policy, selectors and services.

Every view reads the child through `cases.access.child_for_reading`, which checks the policy
and writes the access-log row before anything is shown.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from cases import access
from cases.models import Child, Practitioner
from cases.services import SubmissionKeyReused
from cases.web.forms import add_service_errors
from cases.web.guards import casework_required

from . import selectors, services
from .due import gcp2_due_for_child, initial_days_setting, repeat_months_setting
from .forms import (
    RETURN,
    START_REPEAT,
    AssessmentForm,
    CorrectForm,
    ReviewForm,
    StartForm,
)
from .framework import framework_areas
from .models import GRADE_MEANINGS, Area, Assessment, AssessmentStatus

VALID_GRADES = {str(grade) for grade in GRADE_MEANINGS}


@casework_required
@require_GET
def child_gcp2(request: HttpRequest, child_id: int) -> HttpResponse:
    user = access.acting_user(request)
    child = access.child_for_reading(user=user, child_id=child_id, view_name="gcp2_child")
    profile = selectors.gcp2_profile(user=user, child=child)
    pairs = [
        (profile.assessments[i], profile.assessments[i + 1], comparison)
        for i, comparison in enumerate(profile.comparisons)
    ]
    return render(
        request,
        "assessments/child_gcp2.html",
        {
            "child": child,
            "profile": profile,
            "pairs": pairs,
            "due": gcp2_due_for_child(child),
            "can_start": access.does_casework(user),
            "today": timezone.localdate(),
            "repeat_months": repeat_months_setting(),
            "initial_days": initial_days_setting(),
            "grade_meanings": GRADE_MEANINGS,
        },
    )


@casework_required
@require_GET
def family_gcp2(request: HttpRequest, child_id: int) -> HttpResponse:
    user = access.acting_user(request)
    child = access.child_for_reading(user=user, child_id=child_id, view_name="gcp2_family")
    family = selectors.family_profiles(user=user, child=child)
    for member, _latest in family:
        if member.pk != child.pk:
            access.log_child_read(
                user=user,
                child=member,
                view_name="gcp2_family",
            )
    latest = [assessment for _member, assessment in family if assessment is not None]
    areas = selectors.framework_area_labels(latest)
    rows = [
        (
            member,
            assessment,
            [
                selectors.area_grades_by_code(assessment).get(area.code) if assessment else None
                for area in areas
            ],
        )
        for member, assessment in family
    ]
    return render(
        request, "assessments/family_gcp2.html", {"child": child, "areas": areas, "rows": rows}
    )


@casework_required
@require_http_methods(["GET", "POST"])
def start(request: HttpRequest, child_id: int) -> HttpResponse:
    user = access.acting_user(request)
    child = access.child_for_reading(user=user, child_id=child_id, view_name="gcp2_start")
    last = selectors.latest_signed_off(child=child)
    if request.method == "POST":
        form = StartForm(request.POST)
        if form.is_valid():
            start_from = last if form.cleaned_data["start"] == START_REPEAT else None
            try:
                assessment = services.assessment_start(
                    child=child,
                    assessor=user,
                    submission_key=form.cleaned_data["submission_key"],
                    start_from=start_from,
                )
            except SubmissionKeyReused as error:
                form.add_error(None, error.messages)
            else:
                return redirect("gcp2-edit", assessment_id=assessment.pk)
    else:
        form = StartForm(initial={"start": START_REPEAT if last else None})
    start_hint = (
        f"The last signed-off assessment was on {last.assessed_on:%-d %B %Y}. Starting from it "
        "copies its grades as starting points to review; evidence is not copied."
        if last
        else ""
    )
    return render(
        request,
        "assessments/start.html",
        {"child": child, "form": form, "last": last, "start_hint": start_hint},
    )


@casework_required
@require_http_methods(["POST"])
def correct(request: HttpRequest, assessment_id: int) -> HttpResponse:
    """Start a correction of a signed-off assessment, which supersedes it once signed off."""
    user = access.acting_user(request)
    original = selectors.assessment_for_reading(
        user=user, assessment_id=assessment_id, view_name="gcp2_correct"
    )
    form = CorrectForm(request.POST)
    if not form.is_valid():
        messages.error(request, "The form expired: try again")
        return redirect("gcp2-assessment", assessment_id=original.pk)
    try:
        assessment = services.assessment_start(
            child=original.child,
            assessor=user,
            submission_key=form.cleaned_data["submission_key"],
            supersedes=original,
        )
    except services.AssessmentError as error:
        raise PermissionDenied() from error
    except SubmissionKeyReused as error:
        messages.error(request, error.messages[0])
        return redirect("gcp2-assessment", assessment_id=original.pk)
    return redirect("gcp2-edit", assessment_id=assessment.pk)


def _sections(form: AssessmentForm, areas: list[Area], age: int | None) -> list[dict[str, Any]]:
    """The form laid out for the template: one part per area, its sub-areas, then its grade."""
    sections = []
    for area in areas:
        subs = [
            {
                "sub_area": sub,
                "applies": sub.applies_at(age),
                "grade": form[services.grade_field(sub.key)],
                "evidence": form[services.evidence_field(sub.key)],
            }
            for sub in area.sub_areas.all()
        ]
        given = (str(form[services.grade_field(sub.key)].value()) for sub in area.sub_areas.all())
        worst = max((int(grade) for grade in given if grade in VALID_GRADES), default=None)
        hint = "Your own judgement of the area, informed by the sub-area grades."
        if worst is not None:
            hint += (
                f" The worst sub-area grade given so far is {worst}"
                " (our summary, not a GCP2 score)."
            )
        sections.append(
            {
                "area": area,
                "subs": subs,
                "grade": form[services.area_grade_field(area.code)],
                "hint": hint,
            }
        )
    return sections


@casework_required
@require_http_methods(["GET", "POST"])
def edit(request: HttpRequest, assessment_id: int) -> HttpResponse:
    user = access.acting_user(request)
    assessment = selectors.assessment_for_reading(
        user=user, assessment_id=assessment_id, view_name="gcp2_edit"
    )
    if not services.can_edit(user, assessment):
        if assessment.is_editable:
            raise PermissionDenied()
        return redirect("gcp2-assessment", assessment_id=assessment.pk)
    areas = framework_areas(assessment.framework)
    stale: services.StaleVersion | None = None
    status = 200
    if request.method == "POST":
        form = AssessmentForm(request.POST, areas=areas)
        if form.is_valid():
            submitting = request.POST.get("action") == "submit"
            try:
                if submitting:
                    services.assessment_submit(
                        assessment_id=assessment.pk,
                        by=user,
                        expected_version=form.cleaned_data["version"],
                        answers=form.answers(),
                    )
                    messages.success(request, "Assessment submitted for sign-off")
                    return redirect("gcp2-assessment", assessment_id=assessment.pk)
                services.assessment_update(
                    assessment_id=assessment.pk,
                    by=user,
                    expected_version=form.cleaned_data["version"],
                    answers=form.answers(),
                )
                messages.success(request, "Draft saved. You can come back to it at any time.")
                return redirect("gcp2-edit", assessment_id=assessment.pk)
            except services.StaleVersion as error:
                stale = error
                # Keep everything the user typed; saving again now keeps their answers.
                data = request.POST.copy()
                data["version"] = str(error.current.version)
                form = AssessmentForm(data, areas=areas)
                form.is_valid()
                status = 409
            except services.AssessmentError as error:
                add_service_errors(form, error.errors)
    else:
        form = AssessmentForm(initial=AssessmentForm.initial_for(assessment), areas=areas)
    age = assessment.child.age_on(
        form.cleaned_data["assessed_on"]
        if form.is_bound and "assessed_on" in getattr(form, "cleaned_data", {})
        else assessment.assessed_on
    )
    return render(
        request,
        "assessments/edit.html",
        {
            "assessment": assessment,
            "child": assessment.child,
            "form": form,
            "sections": _sections(form, areas, age),
            "summary_fields": [form[name] for name in services.TEXT_FIELDS if name != "present"],
            "date_hint": "For example, 27 3 2026."
            + (f" The child was {age} on this date." if age is not None else ""),
            "age": age,
            "stale": stale,
            "grade_meanings": GRADE_MEANINGS,
        },
        status=status,
    )


@casework_required
@require_GET
def detail(request: HttpRequest, assessment_id: int) -> HttpResponse:
    user = access.acting_user(request)
    assessment = selectors.assessment_for_reading(
        user=user, assessment_id=assessment_id, view_name="gcp2_assessment"
    )
    return render(
        request,
        "assessments/detail.html",
        _detail_context(assessment, user) | {"review_form": None},
    )


def _detail_context(assessment: Assessment, user: Practitioner) -> dict[str, Any]:
    areas = framework_areas(assessment.framework)
    sub_grades = {row.sub_area_id: row for row in assessment.sub_grades.all()}
    area_grades = {row.area_id: row.grade for row in assessment.area_grades.all()}
    worst = selectors.worst_sub_area_grades(assessment)
    return {
        "assessment": assessment,
        "child": assessment.child,
        "areas": [
            {
                "area": area,
                "grade": area_grades.get(area.pk),
                "worst": worst.get(area.code),
                "subs": [(sub, sub_grades.get(sub.pk)) for sub in area.sub_areas.all()],
            }
            for area in areas
        ],
        "can_edit": services.can_edit(user, assessment),
        "can_review": services.can_review(user, assessment)
        and assessment.status == AssessmentStatus.SUBMITTED,
        "can_correct": assessment.status == AssessmentStatus.SIGNED_OFF
        and access.does_casework(user)
        and user.agency_id == assessment.agency_id,
        "correct_form": CorrectForm(),
        "grade_meanings": GRADE_MEANINGS,
    }


@casework_required
@require_http_methods(["GET", "POST"])
def review(request: HttpRequest, assessment_id: int) -> HttpResponse:
    """Sign off or return a submitted assessment: a lead of the assessor's agency only."""
    user = access.acting_user(request)
    assessment = selectors.assessment_for_reading(
        user=user, assessment_id=assessment_id, view_name="gcp2_review"
    )
    if not services.can_review(user, assessment):
        raise PermissionDenied()
    if assessment.status != AssessmentStatus.SUBMITTED:
        return redirect("gcp2-assessment", assessment_id=assessment.pk)
    form = ReviewForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            if form.cleaned_data["decision"] == RETURN:
                services.assessment_return(
                    assessment_id=assessment.pk, by=user, comments=form.cleaned_data["comments"]
                )
                messages.success(request, "Assessment returned to the assessor")
            else:
                services.assessment_sign_off(assessment_id=assessment.pk, by=user)
                messages.success(request, "Assessment signed off")
            return redirect("gcp2-child", child_id=assessment.child_id)
        except services.AssessmentError as error:
            add_service_errors(form, error.errors)
    return render(
        request,
        "assessments/detail.html",
        _detail_context(assessment, user) | {"review_form": form},
    )


def child_gcp2_section(
    *, user: Practitioner, child: Child, request: HttpRequest
) -> dict[str, object]:
    """The child's page: a link to the child's GCP2 assessments (the page reads nothing more)."""
    return {}


def home_gcp2_panel(*, user: Practitioner, request: HttpRequest) -> dict[str, object] | None:
    """The casework home page: GCP2s due, drafts to resume, assessments awaiting sign-off."""
    if not access.does_casework(user):
        return None
    gcp2 = selectors.gcp2_for_home(user=user)
    access.log_children_read(
        user=user,
        children=[
            *(child for child, _due in gcp2.due),
            *(assessment.child for assessment in gcp2.drafts + gcp2.awaiting_sign_off),
        ],
        view_name="home_gcp2",
    )
    return {"gcp2": gcp2}
