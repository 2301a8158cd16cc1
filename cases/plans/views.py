"""Pages for plans, actions, reviews, visits, referrals and child protection meetings, each hung
off the child's record. Thin: forms parse, the access policy decides, services act."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from cases import access
from cases.models import Child, Plan, PlanAction, Practitioner
from cases.plans import selectors, services
from cases.plans.forms import (
    MeetingForm,
    PlanActionForm,
    PlanActionStatusForm,
    PlanForm,
    PlanReviewForm,
    ReferralForm,
    VisitForm,
)
from cases.web.form_parts import record_form_parts
from cases.web.forms import add_service_errors, record_page
from cases.web.guards import casework_required, childrens_social_care_required


@casework_required
@require_http_methods(["GET", "POST"])
def plan_create(request: HttpRequest, child_id: int) -> HttpResponse:
    user = access.acting_user(request)
    child = access.child_for_reading(user=user, child_id=child_id, view_name="plan_create")
    form = PlanForm(request.POST or None)
    return record_page(
        request,
        child=child,
        form=form,
        title="Record a plan",
        submit="Save plan",
        done="Plan saved",
        save=lambda data: services.plan_record(child=child, recorded_by=user, **data),
    )


@casework_required
@require_http_methods(["GET", "POST"])
def plan_detail(request: HttpRequest, child_id: int, plan_id: int) -> HttpResponse:
    """The plan with its actions; a form to add an action."""
    user = access.acting_user(request)
    child = access.child_for_reading(user=user, child_id=child_id, view_name="plan_detail")
    plan = get_object_or_404(Plan.objects.select_related("lead_agency"), pk=plan_id, child=child)
    form = PlanActionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.plan_action_record(plan=plan, recorded_by=user, **form.cleaned_data)
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


@casework_required
@require_http_methods(["GET", "POST"])
def plan_review(request: HttpRequest, child_id: int, plan_id: int) -> HttpResponse:
    user = access.acting_user(request)
    child = access.child_for_reading(user=user, child_id=child_id, view_name="plan_review")
    plan = get_object_or_404(Plan, pk=plan_id, child=child)

    return record_page(
        request,
        child=child,
        form=PlanReviewForm(request.POST or None),
        title=f"Review the {plan.get_level_display().lower()} plan",
        submit="Save review",
        done="Plan review saved",
        save=lambda data: services.plan_review_record(plan=plan, reviewed_by=user, **data),
        parts=record_form_parts("plan_review", user=user, child=child, request=request),
        part_date="reviewed_on",
    )


@casework_required
@require_POST
def plan_action_status(request: HttpRequest, child_id: int, action_id: int) -> HttpResponse:
    user = access.acting_user(request)
    child = access.child_for_reading(user=user, child_id=child_id, view_name="plan_action_status")
    action = get_object_or_404(PlanAction.objects.select_related("plan"), pk=action_id, child=child)
    form = PlanActionStatusForm(request.POST)
    if form.is_valid():
        services.plan_action_status_update(
            action=action,
            updated_by=user,
            status=form.cleaned_data["status"],
            on=timezone.localdate(),
        )
        messages.success(request, "Action status updated")
    else:
        messages.error(request, "Choose a status")
    return redirect("plan-detail", child.pk, action.plan_id)


@casework_required
@require_http_methods(["GET", "POST"])
def visit_create(request: HttpRequest, child_id: int) -> HttpResponse:
    user = access.acting_user(request)
    child = access.child_for_reading(user=user, child_id=child_id, view_name="visit_create")
    return record_page(
        request,
        child=child,
        form=VisitForm(request.POST or None),
        title="Record a visit or contact",
        submit="Save visit",
        done="Visit saved",
        save=lambda data: services.visit_record(child=child, recorded_by=user, **data),
        parts=record_form_parts("visit", user=user, child=child, request=request),
        part_date="occurred_on",
    )


@childrens_social_care_required
@require_http_methods(["GET", "POST"])
def referral_create(request: HttpRequest, child_id: int) -> HttpResponse:
    user = access.acting_user(request)
    child = access.child_for_reading(user=user, child_id=child_id, view_name="referral_create")
    return record_page(
        request,
        child=child,
        form=ReferralForm(request.POST or None),
        title="Record a referral",
        submit="Save referral",
        done="Referral saved",
        save=lambda data: services.referral_record(child=child, recorded_by=user, **data),
    )


@childrens_social_care_required
@require_http_methods(["GET", "POST"])
def meeting_create(request: HttpRequest, child_id: int) -> HttpResponse:
    user = access.acting_user(request)
    child = access.child_for_reading(user=user, child_id=child_id, view_name="meeting_create")
    return record_page(
        request,
        child=child,
        form=MeetingForm(request.POST or None),
        title="Record a strategy discussion, conference or core group",
        submit="Save meeting",
        done="Meeting saved",
        save=lambda data: services.protection_meeting_record(child=child, recorded_by=user, **data),
    )


def child_plans_section(
    *, user: Practitioner, child: Child, request: HttpRequest
) -> dict[str, object]:
    """The child's page: plans, visits and contacts, meetings and referrals (recorded by
    children's social care)."""
    return {
        **selectors.plans_for_child(child=child),
        "records_statutory_steps": access.records_statutory_steps(user),
    }
