"""Pages for practitioners' daily work: find or register a child, ask for break-glass access,
log a concern, amend it, add to a chronology and export it. Thin: forms parse, the access
policy decides, services and selectors do the work.
"""

from __future__ import annotations

import secrets
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.text import slugify
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from cases import access, selectors
from cases.accounts import second_factor
from cases.casework import break_glass, chronology, concerns, registration, search
from cases.casework.child_page import child_page_sections
from cases.casework.forms import (
    AccessRequestForm,
    AmendmentForm,
    ChildRegistrationForm,
    ChildSearchForm,
    ChronologyEntryForm,
    ChronologyFilterForm,
    ConcernForm,
)
from cases.models import Child, Concern, Practitioner
from cases.services import chronology_entry_record
from cases.web.forms import add_service_errors
from cases.web.guards import casework_required, lead_required

SEARCHES_KEPT = 10  # a person's recent searches their results pages can point back to


def _child_search_remember(request: HttpRequest) -> str:
    """Keep the search in the session under a short random id, newest last."""
    searches: dict[str, dict[str, str]] = request.session.get("child_searches", {})
    search_id = secrets.token_urlsafe(8)
    searches[search_id] = {
        name: str(value) for name, value in request.POST.items() if name != "csrfmiddlewaretoken"
    }
    request.session["child_searches"] = dict(list(searches.items())[-SEARCHES_KEPT:])
    return search_id


@casework_required
@require_http_methods(["GET", "POST"])
def child_search(request: HttpRequest) -> HttpResponse:
    """Identifiers travel only in a POST body: the results page's address carries a short id
    of the search kept in the person's session, so it can be reloaded, but no NHS number, name
    or date of birth is ever in a URL, a browser history or a web server log."""
    user = access.acting_user(request)
    if request.method == "POST":
        form = ChildSearchForm(request.POST)
        if form.is_valid():
            search_id = _child_search_remember(request)
            return redirect(f"{reverse('child-search')}?search={search_id}#results")
    else:
        kept = request.session.get("child_searches", {}).get(request.GET.get("search", ""))
        form = ChildSearchForm(kept)
    results = None
    if form.is_bound and form.is_valid():
        criteria = search.ChildSearchCriteria(
            name=form.cleaned_data["name"].strip(),
            date_of_birth=form.cleaned_data["date_of_birth"],
            nhs_number=form.cleaned_data["nhs_number"],
            upn=form.cleaned_data["upn"],
            postcode=form.cleaned_data["postcode"],
        )
        try:
            results = search.child_search_logged(
                user=user, criteria=criteria, view_name="child_search"
            )
        except search.SearchLimitReached:
            return search_limit_page(request)
    return render(
        request,
        "cases/child_search.html",
        {"form": form, "results": results, "limit": search.SEARCH_LIMIT},
    )


def search_limit_page(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "cases/search_limit.html",
        {"limit": settings.SEARCH_LIMIT_PER_HOUR},
        status=429,
    )


@casework_required
@require_http_methods(["GET", "POST"])
def access_request(request: HttpRequest, child_id: int) -> HttpResponse:
    user = access.acting_user(request)
    child = break_glass.child_for_access_request(user=user, child_id=child_id)
    if child is None:
        raise access.ChildAccessRefused()
    if access.children_visible_to(user=user).filter(pk=child.pk).exists():
        return redirect("child-detail", child_id=child.pk)
    if not second_factor.recently_authenticated(request):
        # Break glass needs the password and a code given within the last few minutes.
        return redirect(second_factor.reauthenticate_url(request))
    form = AccessRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            break_glass.access_grant_request(
                practitioner=user, child=child, reason=form.cleaned_data["reason"]
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            return redirect("child-detail", child_id=child.pk)
    summary = search.child_recognition(child=child)
    return render(
        request,
        "cases/access_request.html",
        {"form": form, "result": summary, "hours": settings.BREAK_GLASS_HOURS},
    )


@lead_required
@require_POST
def access_grant_review(request: HttpRequest, grant_id: int) -> HttpResponse:
    user = access.acting_user(request)
    try:
        break_glass.access_grant_review(grant_id=grant_id, reviewer=user)
    except ValidationError:
        # Not a grant on a child this lead's agency knows, or reviewed already.
        raise PermissionDenied() from None
    messages.success(request, "Access request marked as reviewed")
    return redirect("home")


@casework_required
@require_http_methods(["GET", "POST"])
def child_register(request: HttpRequest) -> HttpResponse:
    user = access.acting_user(request)
    form = ChildRegistrationForm(request.POST or None)
    duplicates: list[search.ChildSearchResult] = []
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        is_unborn = data["is_unborn"] == "yes"
        if data["confirmed_new"] != "yes":
            try:
                duplicates = search.child_possible_duplicates(
                    user=user,
                    first_name=data["first_name"],
                    last_name=data["last_name"],
                    date_of_birth=None if is_unborn else data["date_of_birth"],
                    nhs_number=data["nhs_number"],
                )
            except search.SearchLimitReached:
                return search_limit_page(request)
        if not duplicates:
            try:
                child = registration.child_register(
                    registered_by=user,
                    first_name=data["first_name"],
                    last_name=data["last_name"],
                    is_unborn=is_unborn,
                    date_of_birth=data["date_of_birth"],
                    expected_date_of_delivery=data["expected_date_of_delivery"],
                    sex=data["sex"],
                    nhs_number=data["nhs_number"],
                    upn=data["upn"],
                    address_line_1=data["address_line_1"],
                    town=data["town"],
                    postcode=data["postcode"],
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, "Child registered")
                return redirect("child-detail", child_id=child.pk)
    return render(request, "cases/child_register.html", {"form": form, "duplicates": duplicates})


def _concern_children_choices(user: Practitioner, child: Child) -> list[Child]:
    """The child and the brothers and sisters the user may see, eldest first."""
    return [child, *chronology.siblings_visible_to(user=user, child=child)]


@casework_required
@require_http_methods(["GET", "POST"])
def concern_new(request: HttpRequest, child_id: int) -> HttpResponse:
    user = access.acting_user(request)
    child = access.child_for_reading(user=user, child_id=child_id, view_name="concern_new")
    candidates = _concern_children_choices(user, child)
    form = ConcernForm(
        request.POST or None,
        children=[(c.pk, c.full_name) for c in candidates],
        initial={"children": [str(child.pk)]},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        chosen = [c for c in candidates if str(c.pk) in data["children"]]
        try:
            concern = concerns.concern_log(
                author=user,
                children=chosen,
                neglect_types=data["neglect_types"],
                what_was_seen=data["what_was_seen"],
                severity=data["severity"],
                observed_on=data["observed_on"],
                place_observed=data["place_observed"],
                child_seen=data["child_seen"],
                child_seen_alone=data["child_seen_alone"],
                child_spoken_to=data["child_spoken_to"],
                child_voice=data["child_voice"],
                actions_taken=data["actions_taken"],
                consent_to_share=data["consent_to_share"],
                sharing_reason=data["sharing_reason"],
                submission_key=data["submission_key"],
                answers_by_child=data["answers_by_child"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "Concern logged")
            return redirect("concern-detail", concern_id=concern.pk)
    return render(request, "cases/concern_form.html", {"form": form, "child": child})


def _readable_concern(request: HttpRequest, concern_id: int) -> tuple[Concern, list[Child]]:
    user = access.acting_user(request)
    concern = concerns.concerns_visible_to(user=user).filter(pk=concern_id).first()
    if concern is None:
        raise access.ChildAccessRefused()
    children = concerns.concern_children_visible(user=user, concern=concern)
    for child in children:
        access.log_child_read(
            user=user,
            child=child,
            view_name="concern_detail",
        )
    return concern, children


@casework_required
@require_GET
def concern_detail(request: HttpRequest, concern_id: int) -> HttpResponse:
    concern, children = _readable_concern(request, concern_id)
    return render(
        request,
        "cases/concern_detail.html",
        {
            "concern": concern,
            "concern_children": children,
            "statuses": concerns.concern_statuses(concern=concern, children=children),
            "amendments": concern.amendments.select_related("author"),
            "form": AmendmentForm(),
        },
    )


@casework_required
@require_POST
def concern_amend(request: HttpRequest, concern_id: int) -> HttpResponse:
    concern, children = _readable_concern(request, concern_id)
    form = AmendmentForm(request.POST)
    if form.is_valid():
        try:
            concerns.concern_amend(
                concern=concern, author=access.acting_user(request), text=form.cleaned_data["text"]
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "Amendment added")
            return redirect("concern-detail", concern_id=concern.pk)
    return render(
        request,
        "cases/concern_detail.html",
        {
            "concern": concern,
            "concern_children": children,
            "statuses": concerns.concern_statuses(concern=concern, children=children),
            "amendments": concern.amendments.select_related("author"),
            "form": form,
        },
    )


@casework_required
@require_http_methods(["GET", "POST"])
def chronology_entry_new(request: HttpRequest, child_id: int) -> HttpResponse:
    user = access.acting_user(request)
    child = access.child_for_reading(user=user, child_id=child_id, view_name="chronology_entry_new")
    form = ChronologyEntryForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        assert user.agency is not None
        try:
            chronology_entry_record(
                child=child,
                occurred_on=form.cleaned_data["occurred_on"],
                event_type=form.cleaned_data["event_type"],
                significance=form.cleaned_data["significance"],
                summary=form.cleaned_data["summary"],
                source_agency=user.agency,
                recorded_by=user,
                submission_key=form.cleaned_data["submission_key"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "Chronology entry added")
            return redirect("child-detail", child_id=child.pk)
    return render(request, "cases/chronology_entry_form.html", {"form": form, "child": child})


def _filtered_chronology(
    request: HttpRequest, user: Practitioner, child: Child, view_name: str
) -> tuple[ChronologyFilterForm, chronology.ChronologyFilters, list[Child], Any]:
    filtering = any(key != "page" for key in request.GET)
    form = ChronologyFilterForm(request.GET if filtering else None)
    filters = chronology.ChronologyFilters(**form.filters())
    children = [child]
    if form.is_bound and form.is_valid() and form.cleaned_data.get("family"):
        siblings = chronology.siblings_visible_to(user=user, child=child)
        access.log_children_read(
            user=user,
            children=siblings,
            view_name=view_name,
        )
        children += siblings
    entries = chronology.chronology_for_children(children=children, filters=filters)
    return form, filters, children, entries


def child_record_section(
    *, user: Practitioner, child: Child, request: HttpRequest
) -> dict[str, object]:
    """The child's page: identity, level of need, team around the family and family."""
    return selectors.child_summary(user=user, child=child)


def child_chronology_section(
    *, user: Practitioner, child: Child, request: HttpRequest
) -> dict[str, object]:
    """The child's page: recent concerns, the voice of the child, concerns by type over time
    and the filtered (or family) chronology."""
    form, _filters, children, entries = _filtered_chronology(request, user, child, "child_detail")
    query = request.GET.copy()
    query.pop("page", None)
    # The most recent contacts serve both the recent concerns and the voice of the child.
    voice = chronology.voice_of_the_child(child=child)
    return {
        "filter_form": form,
        "chronology_page": chronology.chronology_page(
            entries=entries, page_number=request.GET.get("page")
        ),
        "query_string": query.urlencode(),
        "family_view": len(children) > 1,
        "recent_concerns": [contact.concern for contact in voice[: concerns.RECENT_CONCERNS]],
        "concern_counts": chronology.cumulative_concerns_by_type(child=child),
        "voice": voice,
    }


def _export_name(child: Child, extension: str) -> str:
    return f"chronology-{slugify(child.family.reference)}-{child.pk}.{extension}"


@casework_required
@require_GET
def chronology_csv(request: HttpRequest, child_id: int) -> HttpResponse:
    user = access.acting_user(request)
    child = access.child_for_reading(user=user, child_id=child_id, view_name="chronology_csv")
    _form, _filters, _children, entries = _filtered_chronology(
        request, user, child, "chronology_csv"
    )
    response = HttpResponse(
        chronology.chronology_csv(entries=entries), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{_export_name(child, "csv")}"'
    response["Cache-Control"] = "no-store"
    return response


@casework_required
@require_GET
def chronology_pdf(request: HttpRequest, child_id: int) -> HttpResponse:
    user = access.acting_user(request)
    child = access.child_for_reading(user=user, child_id=child_id, view_name="chronology_pdf")
    _form, filters, _children, entries = _filtered_chronology(
        request, user, child, "chronology_pdf"
    )
    response = HttpResponse(
        chronology.chronology_pdf(child=child, entries=entries, filters=filters, user=user),
        content_type="application/pdf",
    )
    response["Content-Disposition"] = f'attachment; filename="{_export_name(child, "pdf")}"'
    response["Cache-Control"] = "no-store"
    return response


@casework_required
@require_GET
def child_detail(request: HttpRequest, child_id: int) -> HttpResponse:
    """The child's page: each package's and app's registered section, in order."""
    user = access.acting_user(request)
    child = access.child_for_reading(user=user, child_id=child_id, view_name="child_detail")
    return render(
        request,
        "cases/child_detail.html",
        {
            "child": child,
            "sections": child_page_sections(user=user, child=child, request=request),
        },
    )


def home_access_grants_panel(
    *, user: Practitioner, request: HttpRequest
) -> dict[str, object] | None:
    """The casework home page: find or register a child and, for leads, break-glass grants on
    children their agency knows, awaiting review."""
    if not access.does_casework(user):
        return None
    grants = break_glass.access_grants_for_home(lead=user)
    access.log_children_read(
        user=user, children=[grant.child for grant in grants], view_name="home_access_grants"
    )
    return {"grants": grants, "is_lead": access.is_lead(user)}


@casework_required
@require_http_methods(["GET"])
def concerns_mine(request: HttpRequest) -> HttpResponse:
    """The concerns the signed-in practitioner raised, with each child's status."""
    user = access.acting_user(request)
    rows = concerns.concerns_raised_by(user=user)
    page = Paginator(rows, 25).get_page(request.GET.get("page"))
    access.log_children_read(  # only the children named: those the user may still see
        user=user,
        children=[row.child for row in page.object_list if row.child_visible],  # type: ignore[attr-defined]
        view_name="concerns_mine",
    )
    return render(request, "cases/concerns_mine.html", {"page": page})
