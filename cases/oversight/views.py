"""The lead's side: the drift queue, a flag's evidence and decision, supervision, stepping a case
up or down and concern outcomes. Thin: forms parse, the access policy decides, services act."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.views.decorators.http import require_http_methods

from cases import access
from cases.codes import NeedLevel
from cases.models import Child, ConcernChild, Practitioner, Team
from cases.oversight import selectors, services
from cases.oversight.forms import (
    ConcernOutcomeForm,
    DriftDecisionForm,
    DriftQueueFilterForm,
    LevelChangeForm,
    SupervisionForm,
)
from cases.web.forms import add_service_errors, record_page
from cases.web.guards import lead_required

QUEUE_PAGE_SIZE = 25


@lead_required
@require_http_methods(["GET", "POST"])
def supervision_create(request: HttpRequest, child_id: int) -> HttpResponse:
    user = access.acting_user(request)
    child = access.child_for_reading(user=user, child_id=child_id, view_name="supervision_create")
    assert user.agency is not None
    form = SupervisionForm(request.POST or None, agency=user.agency)
    return record_page(
        request,
        child=child,
        form=form,
        title="Record supervision",
        submit="Save supervision",
        done="Supervision saved",
        save=lambda data: services.supervision_record(child=child, supervisor=user, **data),
    )


@lead_required
@require_http_methods(["GET", "POST"])
def level_change(request: HttpRequest, child_id: int) -> HttpResponse:
    user = access.acting_user(request)
    child = access.child_for_reading(user=user, child_id=child_id, view_name="level_change")
    form = LevelChangeForm(request.POST or None)
    current = child.involvements.filter(ended_on__isnull=True).first()
    return record_page(
        request,
        child=child,
        form=form,
        title="Step the case up or down",
        submit="Change the level of need",
        done="Level of need changed; the receiving team has been told",
        save=lambda data: services.involvement_step(child=child, lead=user, **data),
        extra={"current_involvement": current},
    )


def _int_or_none(value: str | None) -> int | None:
    return int(value) if value and value.isdigit() else None


def queue_filters(params: QueryDict) -> selectors.QueueFilters:
    level = params.get("level", "")
    scope = params.get("scope", "")
    return selectors.QueueFilters(
        rule=params.get("rule", ""),
        team=_int_or_none(params.get("team")),
        worker=_int_or_none(params.get("worker")),
        level=level if level in NeedLevel.values else "",
        scope=scope if scope in selectors.SCOPES else "",
    )


@lead_required
@require_http_methods(["GET"])
def drift_queue(request: HttpRequest) -> HttpResponse:
    """One row per child with all of the child's open flags, worst and longest drifting first."""
    user = access.acting_user(request)
    today = timezone.localdate()
    filters = queue_filters(request.GET)
    children = selectors.drift_queue_children(user=user, as_of=today, filters=filters)
    counts = selectors.drift_queue_counts(user=user, as_of=today)
    paginator = Paginator(children, QUEUE_PAGE_SIZE)
    if not (filters.rule or filters.team or filters.worker or filters.level):
        # The scope's count is already known: no second pass over the flags to count them.
        paginator.count = counts[filters.scope or "all"]  # type: ignore[misc]
    page = paginator.get_page(request.GET.get("page"))
    rows = selectors.drift_queue_rows(rows=list(page.object_list), as_of=today)
    new_to_team = list(selectors.new_to_team(user=user)[:20])
    awaiting_outcome = list(
        selectors.concerns_awaiting_outcome(
            user=user, logged_since=selectors.awaiting_outcome_since()
        )[:20]
    )
    access.log_children_read(
        user=user,
        children=[
            *(row.child for row in rows),
            *(change.child for change in new_to_team),
            *(link.child for link in awaiting_outcome),
        ],
        view_name="drift_queue",
    )
    titles = selectors.rule_titles()
    teams = Team.objects.filter(
        Q(agency_id=user.agency_id) | Q(agency__agency_type="childrens_social_care")
    ).select_related("agency")
    # The lead's own team (a county agency has a thousand practitioners, too many to choose
    # from); the whole agency's for a lead without a team.
    workers = Practitioner.objects.filter(
        agency=user.agency, is_active=True, **({"team": user.team} if user.team_id else {})
    ).order_by("last_name", "first_name")
    chosen: dict[str, str] = {
        key: str(request.GET.get(key, ""))
        for key in ("rule", "team", "worker", "level", "scope")
        if request.GET.get(key)
    }
    others = {key: value for key, value in chosen.items() if key != "scope"}
    scopes = [
        {
            "key": key,
            "label": label,
            "count": counts[key or "all"],
            "query": urlencode({**others, **({"scope": key} if key else {})}),
            "current": key == filters.scope,
        }
        for key, label in selectors.SCOPES.items()
        if key != "team" or user.team_id
    ]
    return render(
        request,
        "cases/drift_queue.html",
        {
            "page": page,
            "rows": rows,
            "today": today,
            "query_string": urlencode(chosen),
            "filters": filters,
            "scopes": scopes,
            "filter_form": DriftQueueFilterForm(
                initial=chosen,
                choices={
                    "rule": [("", "All rules"), *sorted(titles.items(), key=lambda i: i[1])],
                    "level": [("", "All levels"), *NeedLevel.choices],
                    "team": [("", "All teams")]
                    + [(team.pk, f"{team.name} ({team.agency.name})") for team in teams],
                    "worker": [("", "Anyone")]
                    + [(person.pk, person.display_name) for person in workers],
                },
            ),
            "new_to_team": new_to_team,
            "awaiting_outcome": awaiting_outcome,
        },
    )


@lead_required
@require_http_methods(["GET", "POST"])
def drift_flag(request: HttpRequest, flag_id: int) -> HttpResponse:
    """One flag: why, the evidence, earlier decisions, and the lead's decision form."""
    user = access.acting_user(request)
    flag = selectors.drift_flag_for_lead(user=user, flag_id=flag_id)
    if flag is None:
        raise access.ChildAccessRefused()
    child = access.child_for_reading(user=user, child_id=flag.child_id, view_name="drift_flag")
    form = DriftDecisionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.drift_flag_decide(flag=flag, lead=user, **form.cleaned_data)
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
            "rule_title": selectors.rule_titles().get(flag.rule_code, flag.rule_code),
            "queue_flag": selectors.queue_flag(flag, timezone.localdate()),
            "today": timezone.localdate(),
            "evidence": selectors.flag_evidence(flag=flag),
            "form": form,
        },
    )


@lead_required
@require_http_methods(["GET", "POST"])
def concern_outcome(request: HttpRequest, concern_child_id: int) -> HttpResponse:
    user = access.acting_user(request)
    link = (
        ConcernChild.objects.filter(
            pk=concern_child_id, child__in=access.children_visible_to(user=user)
        )
        .select_related("concern", "concern__author_agency")
        .first()
    )
    if link is None:
        raise access.ChildAccessRefused()
    child = access.child_for_reading(user=user, child_id=link.child_id, view_name="concern_outcome")
    if not services.may_record_outcome(user=user, child=child):
        raise PermissionDenied()
    form = ConcernOutcomeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.concern_outcome_record(
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


def child_drift_section(
    *, user: Practitioner, child: Child, request: HttpRequest
) -> dict[str, object]:
    """The child's page, for leads: open drift flags and links to step up or down."""
    return {
        "is_lead": access.is_lead(user),
        "rule_titles": selectors.rule_titles(),
        "drift_flags": selectors.open_flags_for_child(user=user, child=child),
    }


def child_supervision_section(
    *, user: Practitioner, child: Child, request: HttpRequest
) -> dict[str, object]:
    """The child's page: supervision records, for leads and the practitioner supervised."""
    return {"supervision": selectors.supervision_for_child(user=user, child=child)[:10]}


def home_concern_outcomes_panel(
    *, user: Practitioner, request: HttpRequest
) -> dict[str, object] | None:
    """The casework home page: outcomes of the concerns the practitioner raised."""
    if not access.does_casework(user):
        return None
    outcomes = selectors.outcomes_for_referrer(user=user)
    access.log_children_read(
        user=user,
        children=[item.outcome.child for item in outcomes if item.child_visible],
        view_name="home_concern_outcomes",
    )
    return {"outcomes": outcomes}
