"""The lead's side: the drift queue, a flag's evidence and decision, supervision, stepping a case
up or down and concern outcomes. Thin: forms parse, the access policy decides, services act."""

from __future__ import annotations

from typing import Any, cast

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.views.decorators.http import require_http_methods

from cases import access
from cases.codes import NeedLevel
from cases.drift.queue import drift_queue_entries_refresh_due
from cases.models import Agency, Child, ConcernChild, Involvement, Practitioner
from cases.oversight import selectors, services
from cases.oversight.forms import (
    ChallengeAnswerForm,
    ChallengeForm,
    ConcernOutcomeForm,
    DriftDecisionForm,
    DriftQueueFilterForm,
    LevelChangeForm,
    StepUpDecisionForm,
    StepUpRequestForm,
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
    decides = access.decides_need_level(user)
    current = child.involvements.filter(ended_on__isnull=True).first()
    if current is not None and current.level in services.STATUTORY_LEVELS and not decides:
        raise PermissionDenied()  # a statutory case is stepped down by children's social care
    form = LevelChangeForm(request.POST or None, decides_need_level=decides)
    if request.method == "POST" and form.is_valid():
        try:
            change = services.involvement_step(child=child, lead=user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            assert change.receiving_team_id is not None
            if selectors.team_is_told(team_id=change.receiving_team_id):
                messages.success(
                    request, "Level of need changed; it is on the receiving team's leads' queue"
                )
            else:
                messages.warning(
                    request,
                    "Level of need changed, but no lead or manager of the receiving team uses "
                    "the tracker yet: tell the team yourself",
                )
            return redirect("child-detail", child.pk)
    return render(
        request,
        "cases/record_form.html",
        {
            "child": child,
            "form": form,
            "title": "Step the case up or down" if decides else "Open early help",
            "submit": "Change the level of need",
            "current_involvement": current,
        },
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
    drift_queue_entries_refresh_due(agency_id=user.agency_id, as_of=today)
    queue = selectors.drift_queue_page(
        user=user,
        view_name="drift_queue",  # the statement logs every child the page shows
        filters=filters,
        number=request.GET.get("page"),
        per_page=QUEUE_PAGE_SIZE,
        as_of=today,
    )
    counts = queue.counts
    rows = queue.page.object_list
    titles = selectors.rule_titles()
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
            "page": queue.page,
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
                    "team": [("", "All teams"), *queue.teams],
                    "worker": [("", "Anyone"), *queue.workers],
                },
            ),
            "new_to_team": queue.new_to_team,
            "awaiting_outcome": queue.awaiting,
            **queue.waiting,
        },
    )


@lead_required
@require_http_methods(["GET", "POST"])
def drift_flag(request: HttpRequest, flag_id: int) -> HttpResponse:
    """One flag: why, the evidence, earlier decisions, and the lead's decision form."""
    user = access.acting_user(request)
    # The flag comes only with a child the policy lets the user see, that read logged.
    flag = selectors.drift_flag_for_lead(user=user, flag_id=flag_id, view_name="drift_flag")
    if flag is None:
        raise access.ChildAccessRefused()
    child = flag.child
    form = DriftDecisionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.drift_flag_decide(flag=flag, lead=user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "Decision recorded as supervision and in the chronology")
            return redirect("drift-queue")
    reviews = list(selectors.flag_reviews(flag=flag))
    evidence = selectors.flag_evidence(flag=flag)
    involvement = cast(Involvement | None, evidence["involvement"])
    return render(
        request,
        "cases/drift_flag.html",
        {
            "child": child,
            "flag": flag,
            "rule_title": selectors.rule_titles().get(flag.rule_code, flag.rule_code),
            "sentence": selectors.drift_flag_sentence(flag=flag, today=timezone.localdate()),
            "today": timezone.localdate(),
            "evidence": evidence,
            "reviews": reviews,
            "own_review": next((r for r in reviews if r.agency_id == user.agency_id), None),
            "may_challenge": services.may_challenge_holder(
                user=user,
                holding_agency_id=involvement.lead_agency_id if involvement else None,
            ),
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
            return redirect(reverse("concerns-awaiting"))
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
) -> dict[str, object] | None:
    """The child's page, for leads: open drift flags and links to step up or down."""
    if not access.is_lead(user):
        return None  # nobody else reviews drift: the section reads nothing for them
    return {
        "is_lead": True,
        "decides_need_level": access.decides_need_level(user),
        "may_challenge": services.may_raise_challenge(user=user, child=child),
        "may_request_step_up": services.may_request_step_up(user=user),
        "current_level": child.involvements.filter(ended_on__isnull=True)
        .values_list("level", flat=True)
        .first(),
        "rule_titles": selectors.rule_titles(),
        "drift_flags": selectors.open_flags_for_child(user=user, child=child),
    }


def child_supervision_section(
    *, user: Practitioner, child: Child, request: HttpRequest
) -> dict[str, object]:
    """The child's page: supervision records, for the supervisor's agency's leads and the
    practitioner supervised; other agencies see only that supervision took place, and when."""
    return {
        "supervision": selectors.supervision_for_child(user=user, child=child)[:10],
        "supervision_elsewhere": selectors.supervision_elsewhere(user=user, child=child)[:10],
    }


def home_challenges_panel(*, user: Practitioner, request: HttpRequest) -> dict[str, object] | None:
    """A lead's home page: challenges and step-up requests waiting for their agency, and the
    answers to those it raised."""
    if not access.is_lead(user):
        return None
    home = selectors.challenges_for_home(user=user)
    access.log_children_read(
        user=user,
        children=[
            *(challenge.child for challenge in home.raised),
            *(step_up.child for step_up in home.requests_made),
        ],
        view_name="home_challenges",
    )
    return {
        "user": user,
        **home.waiting,
        "raised": home.raised,
        "requests_made": home.requests_made,
    }


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


LIST_SIZE = 25


@lead_required
@require_http_methods(["GET"])
def challenges(request: HttpRequest) -> HttpResponse:
    """Challenges and step-up requests: those the user's agency must answer, and those it raised."""
    user = access.acting_user(request)
    services.challenges_escalate()
    # Every row of these lists is about one child (a challenge or a step-up request).
    lists: dict[str, QuerySet[Any]] = {
        "to_answer": selectors.challenges_to_answer(user=user),
        "requests_to_decide": selectors.step_up_requests_to_decide(user=user),
        "raised": selectors.challenges_raised(user=user),
        "requests_made": selectors.step_up_requests_made(user=user),
    }
    pages = {
        name: Paginator(items, LIST_SIZE).get_page(request.GET.get(f"{name}_page"))
        for name, items in lists.items()
    }
    access.log_children_read(
        user=user,
        children=[item.child for page in pages.values() for item in page.object_list],
        view_name="challenges",
    )
    return render(request, "cases/challenges.html", {"pages": pages})


@lead_required
@require_http_methods(["GET", "POST"])
def challenge_create(request: HttpRequest, child_id: int) -> HttpResponse:
    user = access.acting_user(request)
    child = access.child_for_reading(user=user, child_id=child_id, view_name="challenge_create")
    if not services.may_raise_challenge(user=user, child=child):
        raise PermissionDenied()
    form = ChallengeForm(
        request.POST or None, child=child, initial={"drift_flag": request.GET.get("flag")}
    )
    if request.method == "POST" and form.is_valid():
        try:
            challenge = services.challenge_raise(child=child, raised_by=user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "Challenge sent to the agency holding the case")
            return redirect("challenge-detail", challenge.pk)
    return render(
        request,
        "cases/record_form.html",
        {
            "child": child,
            "form": form,
            "title": "Raise a professional challenge",
            "submit": "Send the challenge",
            "intro": (
                f"Your challenge goes to {services.agency_holding_case_for(child)}, which holds "
                "this case. If they have not answered by your date it rises to the next level."
            ),
        },
    )


@lead_required
@require_http_methods(["GET", "POST"])
def challenge_detail(request: HttpRequest, challenge_id: int) -> HttpResponse:
    """The challenge and its answer: answered here by the case-holding agency's leads."""
    user = access.acting_user(request)
    challenge = selectors.challenge_for_user(user=user, challenge_id=challenge_id)
    if challenge is None:
        raise access.ChildAccessRefused()
    child = access.child_for_reading(
        user=user, child_id=challenge.child_id, view_name="challenge_detail"
    )
    may_answer = services.may_answer_challenge(user=user, challenge=challenge)
    form = ChallengeAnswerForm(request.POST or None) if may_answer else None
    if request.method == "POST":
        if form is None:
            raise PermissionDenied()
        if form.is_valid():
            try:
                services.challenge_answer(challenge=challenge, lead=user, **form.cleaned_data)
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, "Answer sent to the agency that raised the challenge")
                return redirect("challenges")
    return render(
        request,
        "cases/challenge_detail.html",
        {"child": child, "challenge": challenge, "form": form},
    )


@lead_required
@require_http_methods(["GET", "POST"])
def step_up_request_create(request: HttpRequest, child_id: int) -> HttpResponse:
    user = access.acting_user(request)
    if not services.may_request_step_up(user=user):
        raise PermissionDenied()
    child = access.child_for_reading(
        user=user, child_id=child_id, view_name="step_up_request_create"
    )
    form = StepUpRequestForm(request.POST or None, child=child)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            step_up = services.step_up_request(
                child=child,
                requested_by=user,
                to_level=data["to_level"],
                reasons=data["reasons"],
                submission_key=data["submission_key"],
                evidence_concerns=list(data["evidence_concerns"]),
                evidence_flags=list(data["evidence_flags"]),
                evidence_entries=list(data["evidence_entries"]),
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "Request sent to children's social care")
            return redirect("step-up-request-detail", step_up.pk)
    return render(
        request,
        "cases/record_form.html",
        {
            "child": child,
            "form": form,
            "title": "Request a step up",
            "submit": "Send the request",
            "intro": (
                "Children's social care decides whether a child is in need or needs a "
                "protection plan. Give your reasons and link the evidence; you will see their "
                "decision on your challenges and requests page."
            ),
        },
    )


@lead_required
@require_http_methods(["GET", "POST"])
def step_up_request_detail(request: HttpRequest, request_id: int) -> HttpResponse:
    """The request and its evidence; a children's social care manager accepts or declines it."""
    user = access.acting_user(request)
    step_up = selectors.step_up_request_for_user(user=user, request_id=request_id)
    if step_up is None:
        raise access.ChildAccessRefused()
    child = access.child_for_reading(
        user=user, child_id=step_up.child_id, view_name="step_up_request_detail"
    )
    may_decide = services.may_decide_step_up(user=user, request=step_up)
    form = None
    if may_decide and step_up.status == "pending":
        assert user.agency is not None
        form = StepUpDecisionForm(
            request.POST or None, agency=user.agency, to_level=step_up.to_level
        )
    if request.method == "POST":
        if form is None:
            raise PermissionDenied()
        if form.is_valid():
            try:
                services.step_up_decide(request=step_up, manager=user, **form.cleaned_data)
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, "Decision recorded; the agency that asked will see it")
                return redirect("challenges")
    return render(
        request,
        "cases/step_up_request_detail.html",
        {"child": child, "step_up": step_up, "form": form},
    )


@lead_required
@require_http_methods(["GET"])
def concerns_awaiting(request: HttpRequest) -> HttpResponse:
    """Every concern waiting for the user's agency's outcome: counted, ordered, filtered, paged."""
    user = access.acting_user(request)
    params = request.GET
    filters = selectors.AwaitingFilters(
        agency=_int_or_none(params.get("agency")),
        age=params.get("age", "") if params.get("age") in selectors.CONCERN_AGES else "",
        newest_first=params.get("order") == "newest",
    )
    links = selectors.concerns_awaiting_outcome(user=user, filters=filters)
    page = Paginator(links, QUEUE_PAGE_SIZE).get_page(params.get("page"))
    access.log_children_read(
        user=user, children=[link.child for link in page.object_list], view_name="concerns_awaiting"
    )
    chosen = {key: str(params[key]) for key in ("agency", "age", "order") if params.get(key)}
    return render(
        request,
        "cases/concerns_awaiting.html",
        {
            "page": page,
            "filters": filters,
            "query_string": urlencode(chosen),
            "agency_choices": Agency.objects.order_by("name"),
            "age_choices": [
                (key, label) for key, (label, _n, _o) in selectors.CONCERN_AGES.items()
            ],
        },
    )
