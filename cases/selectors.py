"""Selectors: read-only queries, already scoped by the access policy."""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet

from cases.access import children_visible_to
from cases.models import Child, Involvement, Practitioner, TeamAroundFamilyMember


def children_for_home(*, user: Practitioner) -> QuerySet[Child]:
    """Children the user's agency works with, those allocated to the user first."""
    open_involvements = Involvement.objects.filter(ended_on__isnull=True)
    return (
        children_visible_to(user=user)
        .select_related("family")
        .prefetch_related(Prefetch("involvements", open_involvements, to_attr="open_involvements"))
        .order_by("last_name", "first_name", "pk")
    )


def child_summary(*, user: Practitioner, child: Child) -> dict[str, object]:
    """What the child's page shows about identity, family and who is working with them.

    Siblings are named only where the policy lets the user see them; the others are counted,
    so the reader knows there are more children in the household to ask about.
    """
    household = child.family.children.exclude(pk=child.pk)
    visible_siblings = list(
        children_visible_to(user=user)
        .filter(family_id=child.family_id)
        .exclude(pk=child.pk)
        .order_by("date_of_birth", "expected_date_of_delivery")
    )
    return {
        "siblings": visible_siblings,
        "hidden_sibling_count": household.count() - len(visible_siblings),
        "current_involvement": child.involvements.filter(ended_on__isnull=True)
        .select_related("lead_agency", "lead_professional", "team")
        .first(),
        "adults": child.family.adults.order_by("last_name", "first_name"),
        "address": child.family.addresses.filter(moved_out__isnull=True).first(),
        "team_around_family": TeamAroundFamilyMember.objects.filter(
            child=child, left_on__isnull=True
        ).select_related("agency", "practitioner"),
    }
