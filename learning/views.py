"""Pages for multi-agency case audits: thin layers over the services and selectors. The
business manager sets up, samples, moderates and closes; each agency's auditor grades their
own agency's practice for each sampled child through an audit grant."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from cases import access
from cases.access import acting_user, child_for_audit_reading, is_business_manager
from cases.models import Child, Practitioner
from cases.services import SubmissionKeyReused
from cases.web.forms import GovUKForm, add_service_errors
from cases.web.guards import audit_work_required, business_manager_required, casework_required

from . import feedback, selectors, services
from .follow_ups import learning_actions_with_follow_ups
from .forms import (
    AuditForm,
    FeedbackForm,
    FeedbackPart,
    GradesForm,
    LearningActionForm,
    ModerationForm,
    SwapForm,
)
from .models import AuditSample, CaseAudit
from .reports import audit_report_pdf


def _audit(request: HttpRequest, audit_id: int) -> CaseAudit:
    audit = selectors.audit_for(user=acting_user(request), audit_id=audit_id)
    if audit is None:
        raise Http404()
    return audit


def _form_page(
    request: HttpRequest,
    form: GovUKForm,
    *,
    save: Callable[[], Any],
    done: str,
    then: str,
    template: str,
    context: dict[str, object],
) -> HttpResponse:
    if request.method == "POST" and form.is_valid():
        try:
            save()
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, done)
            return redirect(then)
    return render(request, template, {"form": form, **context})


@audit_work_required
def audit_list(request: HttpRequest) -> HttpResponse:
    user = acting_user(request)
    return render(
        request,
        "learning/audit_list.html",
        {"audits": selectors.audits_for(user=user), "may_set_up": is_business_manager(user)},
    )


@business_manager_required
@require_http_methods(["GET", "POST"])
def audit_new(request: HttpRequest) -> HttpResponse:
    form = AuditForm(request.POST or None)
    created: list[CaseAudit] = []

    def save() -> None:
        data = form.cleaned_data
        created.append(
            services.audit_create(
                manager=acting_user(request),
                theme=data["theme"],
                starts_on=data["starts_on"],
                ends_on=data["ends_on"],
                levels=data["levels"],
                neglect_only=data["neglect_only"],
                sample_size=data["sample_size"],
                questions=form.question_fields(),
                auditors=list(data["auditors"]),
                submission_key=data["submission_key"],
            )
        )

    response = _form_page(
        request,
        form,
        save=save,
        done="Audit set up. Draw its sample next.",
        then="/audits/",
        template="learning/audit_form.html",
        context={},
    )
    return redirect("audit-detail", created[0].pk) if created else response


@audit_work_required
def audit_detail(request: HttpRequest, audit_id: int) -> HttpResponse:
    user = acting_user(request)
    audit = _audit(request, audit_id)
    own = audit.agencies.filter(auditor=user).first()
    graded = set(
        selectors.grades_visible(user=user, audit=audit).values_list("sample_id", "agency_id")
    )
    return render(
        request,
        "learning/audit_detail.html",
        {
            "audit": audit,
            "samples": selectors.samples(audit=audit),
            "manager": is_business_manager(user),
            "own": own,
            "graded": graded,
            "grades": list(selectors.grades_visible(user=user, audit=audit))
            if audit.moderated_at or is_business_manager(user)
            else [],
            "agreed": list(selectors.agreed_grades(audit=audit)),
            "actions": learning_actions_with_follow_ups(
                actions=list(audit.actions.all()), user=user
            ),
        },
    )


@business_manager_required
@require_POST
def audit_sample_draw(request: HttpRequest, audit_id: int) -> HttpResponse:
    audit = _audit(request, audit_id)
    try:
        services.audit_sample_draw(manager=acting_user(request), audit_id=audit.pk)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, "Sample drawn. The auditors can now grade each child.")
    return redirect("audit-detail", audit.pk)


def _sample(audit: CaseAudit, sample_id: int) -> AuditSample:
    sample = audit.samples.select_related("child").filter(pk=sample_id).first()
    if sample is None:
        raise Http404()
    return sample


@business_manager_required
@require_http_methods(["GET", "POST"])
def audit_sample_swap(request: HttpRequest, audit_id: int, sample_id: int) -> HttpResponse:
    audit = _audit(request, audit_id)
    sample = _sample(audit, sample_id)
    form = SwapForm(request.POST or None)
    return _form_page(
        request,
        form,
        save=lambda: services.audit_sample_swap(
            manager=acting_user(request), sample_id=sample.pk, reason=form.cleaned_data["reason"]
        ),
        done="Child swapped out. The next child from the same group has been drawn.",
        then=f"/audits/{audit.pk}/",
        template="learning/swap_form.html",
        context={"audit": audit, "sample": sample},
    )


@audit_work_required
@require_http_methods(["GET", "POST"])
def audit_child(request: HttpRequest, audit_id: int, sample_id: int) -> HttpResponse:
    """The auditor's page of one sampled child: the record as it stood, and their agency's
    grades. Reached only through the auditor's audit grant, which ends with the audit."""
    user = acting_user(request)
    audit = _audit(request, audit_id)
    own = audit.agencies.filter(auditor=user).first()
    sample = _sample(audit, sample_id)
    if own is None or not sample.in_sample:
        raise PermissionDenied()
    child = child_for_audit_reading(user=user, child_id=sample.child_id, view_name="audit-child")
    questions = list(audit.questions.all())
    existing = {
        g.question_id: g
        for g in selectors.grades_visible(user=user, audit=audit).filter(
            sample=sample, agency_id=own.agency_id
        )
    }
    initial = {}
    for question_id, grade in existing.items():
        initial[f"grade_{question_id}"] = grade.grade
        initial[f"evidence_{question_id}"] = grade.evidence
    form = GradesForm(request.POST or None, questions=questions, initial=initial)
    return _form_page(
        request,
        form,
        save=lambda: services.audit_grades_record(
            auditor=user, sample_id=sample.pk, grades=form.grades()
        ),
        done="Grades saved.",
        then=f"/audits/{audit.pk}/",
        template="learning/audit_child.html",
        context={
            "audit": audit,
            "sample": sample,
            "own": own,
            "record": selectors.record_as_it_stood(child=child, audit=audit),
            "others": list(
                selectors.grades_visible(user=user, audit=audit)
                .filter(sample=sample)
                .exclude(agency_id=own.agency_id)
            ),
        },
    )


@business_manager_required
@require_http_methods(["GET", "POST"])
def audit_moderation(request: HttpRequest, audit_id: int) -> HttpResponse:
    user = acting_user(request)
    audit = _audit(request, audit_id)
    grades = list(
        selectors.grades_visible(user=user, audit=audit)
        .filter(sample__swapped_out_at__isnull=True)
        .order_by("sample__position", "question__position", "agency__name")
    )
    keys = [
        (
            (g.sample_id, g.question_id, g.agency_id),
            f"Child {g.sample.position}, question {g.question.position}, {g.agency.name}: "
            f"graded {g.get_grade_display().lower()}",
        )
        for g in grades
    ]
    agreed = {
        (a.sample_id, a.question_id, a.agency_id): a.grade
        for a in selectors.agreed_grades(audit=audit)
    }
    initial: dict[str, object] = {
        f"agreed_{s}_{q}_{a}": agreed.get((s, q, a), "") for (s, q, a), _ in keys
    }
    initial |= {"worked_well": audit.worked_well, "must_change": audit.must_change}
    form = ModerationForm(request.POST or None, keys=keys, initial=initial)
    return _form_page(
        request,
        form,
        save=lambda: services.audit_moderate(
            manager=user,
            audit_id=audit.pk,
            agreed=form.agreed(),
            worked_well=form.cleaned_data["worked_well"],
            must_change=form.cleaned_data["must_change"],
        ),
        done="Moderation recorded. Every auditor can now see every agency's grades.",
        then=f"/audits/{audit.pk}/",
        template="learning/moderation.html",
        context={"audit": audit, "grades": grades},
    )


@business_manager_required
@require_http_methods(["GET", "POST"])
def learning_action_new(request: HttpRequest, audit_id: int) -> HttpResponse:
    audit = _audit(request, audit_id)
    form = LearningActionForm(request.POST or None)
    return _form_page(
        request,
        form,
        save=lambda: services.learning_action_add(
            manager=acting_user(request),
            audit_id=audit.pk,
            text=form.cleaned_data["text"],
            owner=form.cleaned_data["owner"],
            due_on=form.cleaned_data["due_on"],
            submission_key=form.cleaned_data["submission_key"],
        ),
        done="Learning action added.",
        then=f"/audits/{audit.pk}/",
        template="learning/learning_action_form.html",
        context={"audit": audit},
    )


@business_manager_required
@require_POST
def audit_close(request: HttpRequest, audit_id: int) -> HttpResponse:
    audit = _audit(request, audit_id)
    try:
        services.audit_close(manager=acting_user(request), audit_id=audit.pk)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, "Audit closed. The auditors' access to the sample has ended.")
    return redirect("audit-detail", audit.pk)


@business_manager_required
def audit_report(request: HttpRequest, audit_id: int) -> HttpResponse:
    audit = _audit(request, audit_id)
    response = HttpResponse(
        audit_report_pdf(audit=audit, reader=acting_user(request)), content_type="application/pdf"
    )
    response["Content-Disposition"] = f'attachment; filename="case-audit-{audit.pk}.pdf"'
    return response


# --- Feedback from children and families ------------------------------------------------------


@casework_required
@require_http_methods(["GET", "POST"])
def feedback_new(request: HttpRequest, child_id: int) -> HttpResponse:
    user = acting_user(request)
    child = access.child_for_reading(user=user, child_id=child_id, view_name="feedback-new")
    scale = 5 if request.GET.get("scale") == "5" else 3
    form = FeedbackForm(request.POST or None, scale=scale)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            feedback.feedback_record(
                author=user,
                child=child,
                respondent=data["respondent"],
                occasion=data["occasion"],
                given_on=data["given_on"],
                scale=scale,
                answers=form.answers(),
                own_words=data["own_words"],
                submission_key=data["submission_key"],
            )
        except SubmissionKeyReused as error:
            form.add_error(None, error.messages)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "Feedback recorded")
            return redirect("child-detail", child.pk)
    return render(
        request, "learning/feedback_form.html", {"form": form, "child": child, "scale": scale}
    )


def feedback_part(
    *, occasion: str, user: Practitioner, child: Child, request: HttpRequest
) -> FeedbackPart | None:
    """The questionnaire on the visit and plan review forms, on the scale the page's address
    names (3 points unless ?scale=5). Only a practitioner of an agency records feedback."""
    if user.agency_id is None:
        return None
    return FeedbackPart(
        request.POST or None,
        prefix="feedback",
        author=user,
        child=child,
        occasion=occasion,
        scale=5 if request.GET.get("scale") == "5" else 3,
    )


def child_feedback_section(
    *, user: Practitioner, child: Child, request: HttpRequest
) -> dict[str, object]:
    """The child's page: questionnaire answers over time, beside the GCP2 section."""
    return {"feedback": feedback.feedback_over_time(child=child)}
