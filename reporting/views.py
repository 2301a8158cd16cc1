"""HTML views for dashboards, snapshot builds and the delivery plan: thin layers over the
selectors and services. Only partnership analysts and executives may use them."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from cases.access import (
    acting_user,
    does_casework,
    is_business_manager,
    sees_aggregates,
    works_on_delivery_plan,
)
from cases.codes import Role
from cases.models import Practitioner
from cases.services import SubmissionKeyReused
from cases.web.forms import add_service_errors
from cases.web.guards import (
    _role_required,
    aggregates_required,
    business_manager_required,
    delivery_plan_required,
)
from learning.follow_ups import FollowUp
from learning.models import LearningAction

from . import census, exports, selectors, services, tasks
from .forms import (
    DashboardFilterForm,
    DeliveryActionForm,
    DeliveryEvidenceForm,
    LearningLinkForm,
)
from .metrics import METRICS, Kind, Metric
from .models import (
    BuildTrigger,
    DeliveryAction,
    LearningActionLink,
    LearningLinkKind,
    Priority,
    SnapshotBuild,
)

# --- Dashboards ------------------------------------------------------------------------------


def _filters(request: HttpRequest) -> DashboardFilterForm:
    form = DashboardFilterForm(request.GET or None)
    form.is_valid()
    return form


def _metric(code: str) -> Metric:
    metric = selectors.metric_or_none(code)
    if metric is None:
        raise Http404()
    return metric


@aggregates_required
@require_GET
def dashboard(request: HttpRequest) -> HttpResponse:
    build = selectors.current_build()
    period_type = _filters(request).chosen_period_type()
    headlines = selectors.headlines(build=build, period_type=period_type) if build else []
    by_priority = [
        (priority, [h for h in headlines if h.metric.priority == priority.value])
        for priority in Priority
    ]
    return render(
        request,
        "reporting/dashboard.html",
        {
            "build": build,
            "period_type": period_type,
            "filter_form": DashboardFilterForm.shown(period_type=period_type),
            "by_priority": by_priority,
            "headlines": headlines,
            "may_refresh": selectors.may_refresh(acting_user(request)),
        },
    )


def _metric_context(request: HttpRequest, metric: Metric) -> dict[str, object]:
    build = selectors.current_build()
    form = _filters(request)
    period_type = form.chosen_period_type()
    context: dict[str, object] = {
        "metric": metric,
        "build": build,
        "period_type": period_type,
        "filter_form": DashboardFilterForm.shown(period_type=period_type),
    }
    if build is None:
        return context
    periods = selectors.available_periods(build=build, period_type=period_type)
    chosen = form.cleaned_data.get("period") if form.is_bound and form.is_valid() else None
    if chosen not in periods:
        chosen = selectors.last_complete_period(
            build=build, periods=periods, period_type=period_type
        )
    codes = [d.code for d in metric.dimensions]
    breakdown = form.cleaned_data.get("breakdown") if form.is_bound else ""
    if breakdown not in codes:
        breakdown = codes[0]
    context.update(
        {
            "filter_form": DashboardFilterForm.shown(
                period_type=period_type,
                periods=[(start, selectors.period_label(period_type, start)) for start in periods],
                period=chosen,
                breakdowns=[(d.code, d.name) for d in metric.dimensions],
                breakdown=breakdown,
            ),
            "period": chosen,
            "breakdown": breakdown,
            # A share of its own total is drawn as the shares it is made of (100% otherwise).
            "trend": selectors.shares_over_time(build=build, metric=metric, period_type=period_type)
            if metric.kind is Kind.SHARE_OF_TOTAL
            else selectors.trend_table(build=build, metric=metric, period_type=period_type),
            "breakdown_table": selectors.breakdown_table(
                build=build,
                metric=metric,
                period_type=period_type,
                period_start=chosen,  # type: ignore[arg-type]
                dimension=breakdown,
            )
            if chosen
            else None,
        }
    )
    return context


@aggregates_required
@require_GET
def metric_detail(request: HttpRequest, code: str) -> HttpResponse:
    metric = _metric(code)
    return render(request, "reporting/metric.html", _metric_context(request, metric))


@aggregates_required
@require_GET
def metric_csv(request: HttpRequest, code: str) -> HttpResponse:
    """The trend or breakdown table of a metric page, suppressed exactly as shown."""
    context = _metric_context(request, _metric(code))
    table = context.get("breakdown_table" if request.GET.get("table") == "breakdown" else "trend")
    if table is None:
        raise Http404()
    return exports.csv_response(table, f"{code}-{request.GET.get('table', 'trend')}.csv")  # type: ignore[arg-type]


@aggregates_required
@require_GET
def dashboard_csv(request: HttpRequest) -> HttpResponse:
    build = selectors.current_build()
    if build is None:
        raise Http404()
    period_type = _filters(request).chosen_period_type()
    headlines = selectors.headlines(build=build, period_type=period_type)
    return exports.headlines_csv_response(headlines, f"headlines-{period_type}.csv")


@aggregates_required
@require_GET
def report_pack(request: HttpRequest) -> HttpResponse:
    build = selectors.current_build()
    if build is None:
        raise Http404()
    period_type = _filters(request).chosen_period_type()
    pdf = exports.report_pack_pdf(build=build, period_type=period_type)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = 'attachment; filename="neglect-report-pack.pdf"'
    return response


# --- Builds ----------------------------------------------------------------------------------


@aggregates_required
@require_GET
def builds(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "reporting/builds.html",
        {
            "current": selectors.current_build(),
            "builds": selectors.recent_builds(),
            "may_refresh": selectors.may_refresh(acting_user(request)),
        },
    )


@aggregates_required
@require_POST
def refresh(request: HttpRequest) -> HttpResponse:
    user = acting_user(request)
    if not selectors.may_refresh(user):
        raise PermissionDenied()
    build, created = services.snapshot_build_request(
        trigger=BuildTrigger.REFRESH, requested_by=user, enqueue=tasks.enqueue_build
    )
    if not created:
        messages.info(request, "A build is already under way: this page shows its progress.")
    return redirect("dashboard-build", build_id=build.pk)


def _build_or_404(build_id: int) -> SnapshotBuild:
    # A build whose worker died would otherwise show "running" until the next request.
    services.snapshot_build_fail_abandoned()
    build = SnapshotBuild.objects.filter(pk=build_id).first()
    if build is None:
        raise Http404()
    return build


@aggregates_required
@require_GET
@never_cache
def build_detail(request: HttpRequest, build_id: int) -> HttpResponse:
    build = _build_or_404(build_id)
    return render(
        request,
        "reporting/build.html",
        {"build": build, "status_url": reverse("dashboard-build-status", args=[build.pk])},
    )


@aggregates_required
@require_GET
@never_cache
def build_status(request: HttpRequest, build_id: int) -> JsonResponse:
    build = _build_or_404(build_id)
    return JsonResponse(
        {
            "id": build.pk,
            "status": build.status,
            "status_text": build.get_status_display(),
            "metrics_done": build.metrics_done,
            "metrics_total": build.metrics_total,
            "percent_done": build.percent_done,
            "active": build.is_active,
            "error": build.error,
        }
    )


# --- Delivery plan ---------------------------------------------------------------------------


@delivery_plan_required
@require_GET
def delivery_plan(request: HttpRequest) -> HttpResponse:
    plan = selectors.delivery_plan()
    return render(
        request,
        "reporting/delivery_plan.html",
        {"plan": [(priority, plan[priority.value]) for priority in Priority]},
    )


@aggregates_required
@require_GET
def priorities(request: HttpRequest) -> HttpResponse:
    """Each priority beside the metrics that evidence it and its actions."""
    build = selectors.current_build()
    plan = selectors.delivery_plan()
    headlines = selectors.headlines(build=build, period_type="quarter") if build else []
    by_code = {headline.metric.code: headline for headline in headlines}
    rows = [
        (
            priority,
            [(m, by_code.get(m.code)) for m in METRICS if m.priority == priority.value],
            plan[priority.value],
        )
        for priority in Priority
    ]
    return render(request, "reporting/priorities.html", {"rows": rows, "build": build})


def _action_or_404(action_id: int) -> DeliveryAction:
    action = selectors.delivery_action_detail(action_id=action_id)
    if action is None:
        raise Http404()
    return action


@delivery_plan_required
@require_GET
def delivery_action(request: HttpRequest, action_id: int) -> HttpResponse:
    action = _action_or_404(action_id)
    return render(
        request,
        "reporting/delivery_action.html",
        {"action": action, "evidence_form": DeliveryEvidenceForm()},
    )


@delivery_plan_required
@require_http_methods(["GET", "POST"])
def delivery_action_new(request: HttpRequest) -> HttpResponse:
    form = DeliveryActionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            action = services.delivery_action_create(
                author=acting_user(request), fields=form.action_fields()
            )
        except services.DeliveryPlanError as error:
            add_service_errors(form, error.errors)
        else:
            messages.success(request, f"Action {action.reference} added")
            return redirect("delivery-action", action_id=action.pk)
    return render(request, "reporting/delivery_action_form.html", {"form": form, "action": None})


@delivery_plan_required
@require_http_methods(["GET", "POST"])
def delivery_action_edit(request: HttpRequest, action_id: int) -> HttpResponse:
    action = _action_or_404(action_id)
    if request.method == "POST":
        form = DeliveryActionForm(request.POST)
        if form.is_valid():
            try:
                services.delivery_action_update(
                    editor=acting_user(request),
                    action_id=action.pk,
                    expected_version=form.cleaned_data["version"] or 0,
                    fields=form.action_fields(),
                )
            except services.DeliveryPlanError as error:
                add_service_errors(form, error.errors)
            else:
                messages.success(request, f"Action {action.reference} updated")
                return redirect("delivery-action", action_id=action.pk)
    else:
        form = DeliveryActionForm(initial=DeliveryActionForm.initial_for(action))
    return render(request, "reporting/delivery_action_form.html", {"form": form, "action": action})


@delivery_plan_required
@require_POST
def delivery_evidence_add(request: HttpRequest, action_id: int) -> HttpResponse:
    action = _action_or_404(action_id)
    form = DeliveryEvidenceForm(request.POST)
    if form.is_valid():
        try:
            services.delivery_evidence_add(
                author=acting_user(request),
                action=action,
                recorded_on=form.cleaned_data["recorded_on"],
                text=form.cleaned_data["text"].strip(),
                submission_key=form.cleaned_data["submission_key"],
            )
        except services.DeliveryPlanError as error:
            add_service_errors(form, error.errors)
        except SubmissionKeyReused as error:
            form.add_error(None, error.messages)
        else:
            messages.success(request, "Evidence added")
            return redirect("delivery-action", action_id=action.pk)
    return render(
        request, "reporting/delivery_action.html", {"action": action, "evidence_form": form}
    )


def _sees_census_figures(user: Practitioner) -> bool:
    """Analysts and executives (who see every aggregate) and children's social care managers
    (whose statutory return the census is). The page names no child and is suppressed."""
    return sees_aggregates(user) or (does_casework(user) and user.role == Role.SOCIAL_CARE_MANAGER)


def census_figures_required(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    return _role_required(view, _sees_census_figures)


@census_figures_required
@require_GET
def census_comparison(request: HttpRequest) -> HttpResponse:
    """The tracker's figures beside those of the latest imported children in need census."""
    build = selectors.current_build()
    return render(
        request,
        "reporting/census_comparison.html",
        {
            "comparison": census.census_comparison(build=build),
            "build": build,
            "may_refresh": selectors.may_refresh(acting_user(request)),
            "sees_dashboards": sees_aggregates(acting_user(request)),
        },
    )


def home_headlines_panel(*, user: Practitioner, request: HttpRequest) -> dict[str, object] | None:
    """The partnership home page: last quarter's headline figures."""
    if not sees_aggregates(user):
        return None
    build = selectors.current_build()
    return {
        "build": build,
        "headlines": selectors.headlines(build=build, period_type="quarter") if build else [],
    }


@business_manager_required
@require_http_methods(["GET", "POST"])
def learning_action_link(request: HttpRequest, learning_action_id: int) -> HttpResponse:
    """The business manager takes an audit's learning action into the delivery plan."""
    learning_action = (
        LearningAction.objects.select_related("audit").filter(pk=learning_action_id).first()
    )
    if learning_action is None:
        raise Http404()
    linked = LearningActionLink.objects.filter(learning_action=learning_action).first()
    if linked is not None:  # linked once: show where it went rather than offer it again
        messages.success(
            request, "This learning action is already in the delivery plan, as shown here."
        )
        return redirect("delivery-action", action_id=linked.delivery_action_id)
    form = LearningLinkForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        new = data["how"] == LearningLinkKind.NEW_ACTION
        try:
            link = services.learning_action_link(
                manager=acting_user(request),
                learning_action=learning_action,
                delivery_action=None if new else data["delivery_action"],
                new_reference=data["reference"] if new else "",
                priority=data["priority"] if new else "",
            )
        except services.DeliveryPlanError as error:
            add_service_errors(form, error.errors)
        else:
            messages.success(
                request,
                f"Learning action added to the delivery plan ({link.delivery_action.reference})",
            )
            return redirect("audit-detail", learning_action.audit_id)
    return render(
        request,
        "reporting/learning_link_form.html",
        {"form": form, "learning_action": learning_action},
    )


def delivery_plan_follow_ups(
    *, actions: list[LearningAction], user: Practitioner
) -> dict[int, FollowUp]:
    """For an audit's page: the delivery plan action each learning action was taken into (a
    link for those who see the plan), or, for the business manager, the offer to take it."""
    links = {
        link.learning_action_id: link
        for link in LearningActionLink.objects.filter(learning_action__in=actions).select_related(
            "delivery_action"
        )
    }
    follow_ups = {}
    for action in actions:
        link = links.get(action.pk)
        if link is not None:
            how = "as evidence for" if link.kind == LearningLinkKind.EVIDENCE else "as"
            follow_ups[action.pk] = FollowUp(
                text=f"In the delivery plan {how} action {link.delivery_action.reference}",
                href=reverse("delivery-action", args=[link.delivery_action_id])
                if works_on_delivery_plan(user)
                else "",
            )
        elif is_business_manager(user):
            follow_ups[action.pk] = FollowUp(
                text="Add to the delivery plan",
                href=reverse("learning-action-link", args=[action.pk]),
                done=False,
            )
    return follow_ups
