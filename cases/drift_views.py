"""Pages for plans, visits, referrals, meetings, supervision, the lead's drift queue,
decisions, stepping a case up or down and concern outcomes. Thin: forms parse, services act."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.views.decorators.http import require_http_methods, require_POST

from . import access, drift_selectors, drift_services, plan_services
from .codes import NeedLevel
from .drift_forms import (
    ConcernOutcomeForm,
    DriftDecisionForm,
    LevelChangeForm,
    MeetingForm,
    PlanActionForm,
    PlanActionStatusForm,
    PlanForm,
    PlanReviewForm,
    ReferralForm,
    SupervisionForm,
    VisitForm,
    add_service_errors,
)
from .models import Child, ConcernChild, Plan, PlanAction, Practitioner, Team

QUEUE_PAGE_SIZE = 25


def _caseworker(request: HttpRequest) -> Practitioner:
    user = access.acting_user(request)
    if not access.does_casework(user):
        raise PermissionDenied()
    return user


def _lead(request: HttpRequest) -> Practitioner:
    user = access.acting_user(request)
    if not access.is_lead(user):
        raise PermissionDenied()
    return user


def _read_child(request: HttpRequest, user: Practitioner, child_id: int, view_name: str) -> Child:
    return access.child_for_reading(
        user=user,
        child_id=child_id,
        view_name=view_name,
        request_id=request.request_id,  # type: ignore[attr-defined]
    )


def _record_page(
    request: HttpRequest,
    *,
    child: Child,
    form: Any,
    title: str,
    submit: str,
    save: Callable[[dict[str, Any]], object],
    done: str,
    extra: dict[str, object] | None = None,
) -> HttpResponse:
    """The shared GET/POST shape of a recording form about one child."""
    if request.method == "POST" and form.is_valid():
        try:
            save(form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, done)
            return redirect("child-detail", child.pk)
    context = {"child": child, "form": form, "title": title, "submit": submit, **(extra or {})}
    return render(request, "cases/record_form.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def plan_create(request: HttpRequest, child_id: int) -> HttpResponse:
    user = _caseworker(request)
    child = _read_child(request, user, child_id, "plan_create")
    form = PlanForm(request.POST or None)
    return _record_page(
        request,
        child=child,
        form=form,
        title="Record a plan",
        submit="Save plan",
        done="Plan saved",
        save=lambda data: plan_services.plan_record(child=child, recorded_by=user, **data),
    )


@login_required
@require_http_methods(["GET", "POST"])
def plan_detail(request: HttpRequest, child_id: int, plan_id: int) -> HttpResponse:
    """The plan with its actions; a form to add an action."""
    user = _caseworker(request)
    child = _read_child(request, user, child_id, "plan_detail")
    plan = get_object_or_404(Plan.objects.select_related("lead_agency"), pk=plan_id, child=child)
    form = PlanActionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            plan_services.plan_action_record(plan=plan, recorded_by=user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "Action added to the plan")
            return redirect("plan-detail", child.pk, plan.pk)
    actions = plan.actions.select_related("owner_agency")
    return render(
        request,
        "cases/plan_detail.html",
        {
            "child": child,
            "plan": plan,
            "actions": actions,
            "form": form,
            "status_form": PlanActionStatusForm(),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def plan_review(request: HttpRequest, child_id: int, plan_id: int) -> HttpResponse:
    user = _caseworker(request)
    child = _read_child(request, user, child_id, "plan_review")
    plan = get_object_or_404(Plan, pk=plan_id, child=child)
    return _record_page(
        request,
        child=child,
        form=PlanReviewForm(request.POST or None),
        title=f"Review the {plan.get_level_display().lower()} plan",
        submit="Save review",
        done="Plan review saved",
        save=lambda data: plan_services.plan_review_record(plan=plan, reviewed_by=user, **data),
    )


@login_required
@require_POST
def plan_action_status(request: HttpRequest, child_id: int, action_id: int) -> HttpResponse:
    user = _caseworker(request)
    child = _read_child(request, user, child_id, "plan_action_status")
    action = get_object_or_404(PlanAction.objects.select_related("plan"), pk=action_id, child=child)
    form = PlanActionStatusForm(request.POST)
    if form.is_valid():
        plan_services.plan_action_status_update(
            action=action,
            updated_by=user,
            status=form.cleaned_data["status"],
            on=timezone.localdate(),
        )
        messages.success(request, "Action status updated")
    else:
        messages.error(request, "Choose a status")
    return redirect("plan-detail", child.pk, action.plan_id)


@login_required
@require_http_methods(["GET", "POST"])
def visit_create(request: HttpRequest, child_id: int) -> HttpResponse:
    user = _caseworker(request)
    child = _read_child(request, user, child_id, "visit_create")
    return _record_page(
        request,
        child=child,
        form=VisitForm(request.POST or None),
        title="Record a visit or contact",
        submit="Save visit",
        done="Visit saved",
        save=lambda data: plan_services.visit_record(child=child, recorded_by=user, **data),
    )


@login_required
@require_http_methods(["GET", "POST"])
def referral_create(request: HttpRequest, child_id: int) -> HttpResponse:
    user = _caseworker(request)
    child = _read_child(request, user, child_id, "referral_create")
    return _record_page(
        request,
        child=child,
        form=ReferralForm(request.POST or None),
        title="Record a referral",
        submit="Save referral",
        done="Referral saved",
        save=lambda data: plan_services.referral_record(child=child, recorded_by=user, **data),
    )


@login_required
@require_http_methods(["GET", "POST"])
def meeting_create(request: HttpRequest, child_id: int) -> HttpResponse:
    user = _caseworker(request)
    child = _read_child(request, user, child_id, "meeting_create")
    return _record_page(
        request,
        child=child,
        form=MeetingForm(request.POST or None),
        title="Record a strategy discussion, conference or core group",
        submit="Save meeting",
        done="Meeting saved",
        save=lambda data: plan_services.protection_meeting_record(
            child=child, recorded_by=user, **data
        ),
    )


@login_required
@require_http_methods(["GET", "POST"])
def supervision_create(request: HttpRequest, child_id: int) -> HttpResponse:
    user = _lead(request)
    child = _read_child(request, user, child_id, "supervision_create")
    assert user.agency is not None
    form = SupervisionForm(request.POST or None, agency=user.agency)
    return _record_page(
        request,
        child=child,
        form=form,
        title="Record supervision",
        submit="Save supervision",
        done="Supervision saved",
        save=lambda data: drift_services.supervision_record(child=child, supervisor=user, **data),
    )


@login_required
@require_http_methods(["GET", "POST"])
def level_change(request: HttpRequest, child_id: int) -> HttpResponse:
    user = _lead(request)
    child = _read_child(request, user, child_id, "level_change")
    form = LevelChangeForm(request.POST or None)
    current = child.involvements.filter(ended_on__isnull=True).first()
    return _record_page(
        request,
        child=child,
        form=form,
        title="Step the case up or down",
        submit="Change the level of need",
        done="Level of need changed; the receiving team has been told",
        save=lambda data: drift_services.involvement_step(child=child, lead=user, **data),
        extra={"current_involvement": current},
    )


def _int_or_none(value: str | None) -> int | None:
    return int(value) if value and value.isdigit() else None


@login_required
@require_http_methods(["GET"])
def drift_queue(request: HttpRequest) -> HttpResponse:
    user = _lead(request)
    filters = drift_selectors.QueueFilters(
        rule=request.GET.get("rule", ""),
        team=_int_or_none(request.GET.get("team")),
        worker=_int_or_none(request.GET.get("worker")),
        level=request.GET.get("level", "") if request.GET.get("level") in NeedLevel.values else "",
    )
    flags = drift_selectors.drift_queue(user=user, filters=filters)
    page = Paginator(flags, QUEUE_PAGE_SIZE).get_page(request.GET.get("page"))
    titles = drift_selectors.rule_titles()
    chosen: dict[str, str] = {
        key: str(request.GET.get(key, ""))
        for key in ("rule", "team", "worker", "level")
        if request.GET.get(key)
    }
    return render(
        request,
        "cases/drift_queue.html",
        {
            "page": page,
            "query_string": urlencode(chosen),
            "filters": filters,
            "rule_choices": sorted(titles.items(), key=lambda item: item[1]),
            "rule_titles": titles,
            "team_choices": Team.objects.filter(
                Q(agency_id=user.agency_id) | Q(agency__agency_type="childrens_social_care")
            ).select_related("agency"),
            "worker_choices": Practitioner.objects.filter(agency=user.agency, is_active=True),
            "level_choices": NeedLevel.choices,
            "new_to_team": drift_selectors.new_to_team(user=user)[:20],
            "awaiting_outcome": drift_selectors.concerns_awaiting_outcome(user=user)[:20],
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def drift_flag(request: HttpRequest, flag_id: int) -> HttpResponse:
    """One flag: why, the evidence, earlier decisions, and the lead's decision form."""
    user = _lead(request)
    flag = drift_selectors.drift_flag_for_lead(user=user, flag_id=flag_id)
    if flag is None:
        raise access.ChildAccessRefused()
    child = _read_child(request, user, flag.child_id, "drift_flag")
    form = DriftDecisionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            drift_services.drift_flag_decide(flag=flag, lead=user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "Decision recorded as supervision and in the chronology")
            return redirect("drift-queue")
    return render(
        request,
        "cases/drift_flag.html",
        {
            "child": child,
            "flag": flag,
            "rule_title": drift_selectors.rule_titles().get(flag.rule_code, flag.rule_code),
            "evidence": drift_selectors.flag_evidence(flag=flag),
            "form": form,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def concern_outcome(request: HttpRequest, concern_child_id: int) -> HttpResponse:
    user = _lead(request)
    link = (
        ConcernChild.objects.filter(
            pk=concern_child_id, child__in=access.children_visible_to(user=user)
        )
        .select_related("concern", "concern__author_agency")
        .first()
    )
    if link is None:
        raise access.ChildAccessRefused()
    child = _read_child(request, user, link.child_id, "concern_outcome")
    if not drift_services.may_record_outcome(user=user, child=child):
        raise PermissionDenied()
    form = ConcernOutcomeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            drift_services.concern_outcome_record(
                concern=link.concern, child=child, lead=user, **form.cleaned_data
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request, "Outcome recorded; the practitioner who raised it will see it"
            )
            return redirect(reverse("drift-queue") + "#awaiting-outcome")
    return render(
        request,
        "cases/concern_outcome.html",
        {
            "child": child,
            "concern": link.concern,
            "form": form,
            "outcomes": link.concern.outcomes.filter(child=child),
        },
    )
