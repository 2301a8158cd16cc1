"""Selectors: read-only queries, already scoped by the access policy."""

from __future__ import annotations

from django.db import connection
from django.db.models import Count, Exists, IntegerField, OuterRef, Prefetch, QuerySet, Subquery
from django.db.models.functions import Coalesce

from cases.access import children_visible_to, visible_child_params, visible_child_sql
from cases.models import Child, DriftFlag, Involvement, Practitioner, TeamAroundFamilyMember


def children_for_home(*, user: Practitioner) -> QuerySet[Child]:
    """The user's caseload: children they are lead professional for, then those whose team
    around the family names them, each with the number of open drift flags.

    Never every child the agency knows: that is what search and the lead's queue are for.
    """
    allocated = Involvement.objects.filter(ended_on__isnull=True, lead_professional=user)
    open_involvements = Involvement.objects.filter(ended_on__isnull=True).select_related(
        "lead_professional", "lead_agency"
    )
    open_flags = (
        DriftFlag.objects.filter(child=OuterRef("pk"), resolved_at__isnull=True)
        .order_by()
        .values("child_id")
        .annotate(n=Count("pk"))
        .values("n")
    )
    # The caseload's ids first (two indexed lookups), with the policy on those few children:
    # asking PostgreSQL for "visible and (allocated or named)" reads every child. By hand, as
    # the policy compiled through the ORM cost more than PostgreSQL's work.
    with connection.cursor() as cursor:
        cursor.execute(_CASELOAD, visible_child_params(user))
        caseload = [pk for (pk,) in cursor.fetchall()]
    if not caseload:  # a lead without cases of their own: nothing more to read
        return Child.objects.none()
    return (
        Child.objects.filter(pk__in=caseload)
        .annotate(
            is_allocated=Exists(allocated.filter(child=OuterRef("pk"))),
            open_flag_count=Coalesce(Subquery(open_flags, output_field=IntegerField()), 0),
        )
        .select_related("family")
        .prefetch_related(Prefetch("involvements", open_involvements, to_attr="open_involvements"))
        .order_by("-is_allocated", "last_name", "first_name", "pk")
    )


_CASELOAD = f"""
    SELECT caseload.child_id FROM (
        SELECT involvement.child_id FROM {Involvement._meta.db_table} involvement
        WHERE involvement.ended_on IS NULL AND involvement.lead_professional_id = %(user)s
        UNION
        SELECT member.child_id FROM {TeamAroundFamilyMember._meta.db_table} member
        WHERE member.practitioner_id = %(user)s AND member.left_on IS NULL
    ) caseload
    WHERE {visible_child_sql("caseload.child_id")}
"""  # noqa: S608  # nosec B608


def child_summary(*, user: Practitioner, child: Child) -> dict[str, object]:
    """What the child's page shows about identity, family and who is working with them.

    Siblings are named only where the policy lets the user see them; the others are counted,
    so the reader knows there are more children in the household to ask about.
    """
    # The whole household in one statement, each marked with whether the policy lets the user
    # see them.
    household = list(
        Child.objects.filter(family_id=child.family_id)
        .exclude(pk=child.pk)
        .annotate(visible=Exists(children_visible_to(user=user).filter(pk=OuterRef("pk"))))
        .order_by("date_of_birth", "expected_date_of_delivery")
    )
    visible_siblings = [sibling for sibling in household if sibling.visible]  # type: ignore[attr-defined]
    return {
        "siblings": visible_siblings,
        "hidden_sibling_count": len(household) - len(visible_siblings),
        "current_involvement": child.involvements.filter(ended_on__isnull=True)
        .select_related("lead_agency", "lead_professional")
        .first(),
        "adults": child.family.adults.order_by("last_name", "first_name"),
        "address": child.family.addresses.filter(moved_out__isnull=True).first(),
        "team_around_family": TeamAroundFamilyMember.objects.filter(
            child=child, left_on__isnull=True
        ).select_related("agency", "practitioner"),
    }
