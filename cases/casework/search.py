"""Finding a child: search and the duplicate check, scoped by the access policy.

Names match when they are spelt alike (trigram similarity, pg_trgm) or sound alike (Double
Metaphone, fuzzystrmatch), both served by indexes on the child's names.

A search looks across every child the partnership knows, so that a practitioner can find a
child their agency does not know yet, but it answers with two kinds of row: a child the
policy lets the user see comes back in full; any other child comes back as initials, year of
birth and the names of the agencies that know them, and nothing else leaves the database.
Restricted records the user is not named on never appear at all. Each search is two queries
(the masked matches, then the full records of the visible ones), however many rows match.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.contrib.postgres.expressions import ArraySubquery
from django.contrib.postgres.search import TrigramSimilarity
from django.db.models import (
    Case,
    CharField,
    Exists,
    F,
    Func,
    OuterRef,
    Q,
    QuerySet,
    Value,
    When,
)
from django.db.models.functions import Coalesce, Concat, ExtractYear, Greatest, Left, Upper

from cases.access import children_visible_to, does_casework
from cases.models import Address, Child, LegitimateRelationship, Practitioner

SEARCH_LIMIT = 50


@dataclass
class ChildSearchCriteria:
    name: str = ""
    date_of_birth: datetime.date | None = None
    nhs_number: str = ""
    upn: str = ""
    postcode: str = ""

    def is_empty(self) -> bool:
        return not (self.name or self.date_of_birth or self.nhs_number or self.upn or self.postcode)


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


def _matching_children(criteria: ChildSearchCriteria) -> QuerySet[Child]:
    children = Child.objects.all()
    if criteria.name:
        words = criteria.name.split()[:4]
        children = children.alias(
            first_sound=Func(F("first_name"), function="dmetaphone", output_field=CharField()),
            last_sound=Func(F("last_name"), function="dmetaphone", output_field=CharField()),
        )
        for word in words:
            sound = Func(Value(word), function="dmetaphone", output_field=CharField())
            children = children.filter(
                Q(first_name__trigram_similar=word)
                | Q(last_name__trigram_similar=word)
                | Q(first_sound=sound)
                | Q(last_sound=sound)
            )
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
    rows = list(
        _matching_children(criteria)
        .annotate(visible=visible)
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


def child_possible_duplicates(
    *,
    user: Practitioner,
    first_name: str,
    last_name: str,
    date_of_birth: datetime.date | None,
    nhs_number: str,
) -> list[ChildSearchResult]:
    """Existing children who may be the one being registered: the same NHS number, or a
    similar name and the same date of birth. Shown with the same masking as a search."""
    results: dict[int, ChildSearchResult] = {}
    if nhs_number:
        for result in child_search(user=user, criteria=ChildSearchCriteria(nhs_number=nhs_number)):
            results[result.id] = result
    if date_of_birth:
        name = f"{first_name} {last_name}".strip()
        for result in child_search(
            user=user, criteria=ChildSearchCriteria(name=name, date_of_birth=date_of_birth)
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
