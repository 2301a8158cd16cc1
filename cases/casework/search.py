"""Finding a child: search and the duplicate check, scoped by the access policy.

Names match when they are spelt alike (trigram similarity, pg_trgm) or sound alike (Double
Metaphone, fuzzystrmatch): each word is matched against the distinct names children have
(ChildName, indexed both ways), then children are found by those exact names.

A search looks across every child the partnership knows, so that a practitioner can find a
child their agency does not know yet, but it answers with two kinds of row: a child the
policy lets the user see comes back in full; any other child comes back as initials, year of
birth and the names of the agencies that know them, and nothing else leaves the database.
Restricted records the user is not named on never appear at all. Each search is at most three
queries (the names alike, the masked matches, then the full records of the visible ones),
however many rows match.
"""

from __future__ import annotations

import datetime
import operator
from dataclasses import dataclass, field
from functools import reduce

from django.conf import settings
from django.contrib.postgres.expressions import ArraySubquery
from django.contrib.postgres.search import TrigramSimilarity
from django.db import transaction
from django.db.models import (
    BooleanField,
    Case,
    CharField,
    Exists,
    ExpressionWrapper,
    F,
    Func,
    OuterRef,
    Q,
    QuerySet,
    Value,
    When,
)
from django.db.models.functions import Coalesce, Concat, ExtractYear, Greatest, Left, Upper
from django.utils import timezone

from cases import access
from cases.access import children_visible_to, does_casework
from cases.models import (
    Address,
    Child,
    ChildName,
    LegitimateRelationship,
    Practitioner,
    SearchLogEntry,
)
from cases.request_context import current_request_id

SEARCH_LIMIT = 50


@dataclass
class ChildSearchCriteria:
    name: str = ""
    date_of_birth: datetime.date | None = None
    nhs_number: str = ""
    upn: str = ""
    postcode: str = ""

    def is_empty(self) -> bool:
        return not self.identifier_kinds()

    def identifier_kinds(self) -> list[str]:
        """Which kinds of identifier were given (for the search log: never their values)."""
        return [
            kind
            for kind in ("name", "date_of_birth", "nhs_number", "upn", "postcode")
            if getattr(self, kind)
        ]


class SearchLimitReached(Exception):
    """The person has searched NT_SEARCH_LIMIT_PER_HOUR times in the last hour."""


@dataclass
class ChildSearchResult:
    """One search result. Only `visible` results carry a Child; the others carry no name."""

    id: int
    visible: bool
    initials: str
    year_of_birth: int | None
    agencies: list[str] = field(default_factory=list)
    child: Child | None = None
    postcode: str = ""


def _names_matching(words: list[str]) -> list[list[str]] | None:
    """For each word, the names (first or last, of any child) spelt or sounding like it: one
    query over ChildName's few strings. None when some word matches no name at all."""
    matches = {
        f"word_{index}": ExpressionWrapper(
            Q(name__trigram_similar=word)
            | Q(sound=Func(Value(word), function="dmetaphone", output_field=CharField())),
            output_field=BooleanField(),
        )
        for index, word in enumerate(words)
    }
    rows = list(
        ChildName.objects.alias(
            sound=Func(F("name"), function="dmetaphone", output_field=CharField())
        )
        .annotate(**matches)
        .filter(reduce(operator.or_, (Q(**{key: True}) for key in matches)))
        .values_list("name", *matches)
    )
    names = [[row[0] for row in rows if row[index + 1]] for index in range(len(words))]
    return names if all(names) else None


def _matching_children(criteria: ChildSearchCriteria) -> QuerySet[Child] | None:
    """The children matching every criterion, or None when no child can match."""
    children = Child.objects.all()
    if criteria.name:
        # A child matches a word when either name is spelt alike (trigram similarity) or sounds
        # alike (Double Metaphone): the same test as on the child's own columns, made once per
        # distinct name, so the children are then found by exact name through btree indexes.
        words = criteria.name.split()[:4]
        names = _names_matching(words) if words else []
        if names is None:
            return None
        for alike in names:
            children = children.filter(Q(first_name__in=alike) | Q(last_name__in=alike))
        children = children.annotate(
            score=Greatest(
                TrigramSimilarity(Concat("first_name", Value(" "), "last_name"), criteria.name),
                TrigramSimilarity("last_name", criteria.name),
            )
        )
    if criteria.date_of_birth:
        children = children.filter(date_of_birth=criteria.date_of_birth)
    if criteria.nhs_number:
        children = children.filter(nhs_number=criteria.nhs_number)
    if criteria.upn:
        children = children.filter(upn=criteria.upn)
    if criteria.postcode:
        children = children.filter(
            family_id__in=Address.objects.filter(
                postcode=criteria.postcode, moved_out__isnull=True
            ).values("family_id")
        )
    return children


def child_search(
    *, user: Practitioner, criteria: ChildSearchCriteria, limit: int = SEARCH_LIMIT
) -> list[ChildSearchResult]:
    """The best matches, most similar first; full only where the policy allows."""
    if not does_casework(user) or criteria.is_empty():
        return []
    visible = Exists(children_visible_to(user=user).filter(pk=OuterRef("pk")))
    current_postcode = (
        Address.objects.filter(family=OuterRef("family_id"), moved_out__isnull=True)
        .order_by("-moved_in")
        .values("postcode")[:1]
    )
    matching = _matching_children(criteria)
    if matching is None:
        return []
    rows = list(
        matching.annotate(visible=visible)
        # A restricted record is found only by the people named on it.
        .filter(Q(is_restricted=False) | Q(visible=True))
        .order_by(*([F("score").desc()] if criteria.name else []), "last_name", "first_name", "pk")
        # Only these columns leave the database: no name, date or identifier of a child the
        # user may not see.
        .values_list(
            "pk",
            "visible",
            Upper(Concat(Left("first_name", 1), Left("last_name", 1))),
            ExtractYear(Coalesce("date_of_birth", "expected_date_of_delivery")),
            ArraySubquery(
                LegitimateRelationship.objects.filter(child=OuterRef("pk"))
                .order_by("agency__name")
                .values("agency__name")
            ),
            Case(When(visible=True, then=Coalesce(current_postcode, Value("")))),
        )[:limit]
    )
    shown = Child.objects.select_related("family").in_bulk(
        [pk for pk, is_visible, *_rest in rows if is_visible]
    )
    results = []
    for pk, is_visible, initials, year, agencies, postcode in rows:
        results.append(
            ChildSearchResult(
                id=pk,
                visible=is_visible,
                initials=initials,
                year_of_birth=year,
                agencies=agencies,
                child=shown.get(pk) if is_visible else None,
                postcode=postcode or "",
            )
        )
    return results


def child_search_logged(
    *, user: Practitioner, criteria: ChildSearchCriteria, view_name: str
) -> list[ChildSearchResult]:
    """A search as people make it: limited per person per hour, written to the search log
    (kinds of identifier and result counts), and every child shown in full written to the
    access log, before anything is shown. A search over the limit is logged as refused."""
    if not does_casework(user) or criteria.is_empty():
        return []
    entry = SearchLogEntry(
        practitioner=user,
        agency_id=user.agency_id,
        identifier_kinds=criteria.identifier_kinds(),
        view_name=view_name,
        request_id=current_request_id(),
    )
    hour_ago = timezone.now() - datetime.timedelta(hours=1)
    done = SearchLogEntry.objects.filter(
        practitioner=user, searched_at__gt=hour_ago, refused=False
    ).count()
    if done >= settings.SEARCH_LIMIT_PER_HOUR:
        entry.refused = True
        entry.save()
        raise SearchLimitReached()
    results = child_search(user=user, criteria=criteria)
    shown = [result.child for result in results if result.child is not None]
    entry.full_results = len(shown)
    entry.masked_results = len(results) - len(shown)
    with transaction.atomic():
        entry.save()
        access.log_children_read(user=user, children=shown, view_name=view_name)
    return results


def child_possible_duplicates(
    *,
    user: Practitioner,
    first_name: str,
    last_name: str,
    date_of_birth: datetime.date | None,
    nhs_number: str,
) -> list[ChildSearchResult]:
    """Existing children who may be the one being registered: the same NHS number, or a
    similar name and the same date of birth. Shown with the same masking as a search, and
    logged and limited as searches."""
    results: dict[int, ChildSearchResult] = {}
    if nhs_number:
        for result in child_search_logged(
            user=user,
            criteria=ChildSearchCriteria(nhs_number=nhs_number),
            view_name="child_register",
        ):
            results[result.id] = result
    if date_of_birth:
        name = f"{first_name} {last_name}".strip()
        for result in child_search_logged(
            user=user,
            criteria=ChildSearchCriteria(name=name, date_of_birth=date_of_birth),
            view_name="child_register",
        ):
            results.setdefault(result.id, result)
    return list(results.values())


def child_recognition(*, child: Child) -> ChildSearchResult:
    """Just enough to recognise a child the user may not see: initials, year, agencies."""
    born = child.date_of_birth or child.expected_date_of_delivery
    return ChildSearchResult(
        id=child.pk,
        visible=False,
        initials=child.initials,
        year_of_birth=born.year if born else None,
        agencies=list(
            child.agency_relationships.order_by("agency__name").values_list(
                "agency__name", flat=True
            )
        ),
    )
