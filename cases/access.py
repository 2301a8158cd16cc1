"""The access policy: the one place that decides who may see which child.

Every HTML view and API endpoint that touches a child goes through this module. It scopes
querysets (lists, searches and exports are where leaks happen), not only single objects, and
every read of a child's record is written to the access log before anything is shown: a read
whose log row cannot be written fails.

The rules:
* practitioners, safeguarding leads and social-care managers see a child when their agency has
  a legitimate relationship with the child (team around the family, a concern or chronology
  entry, an allocation), or they hold an unexpired break-glass grant for the child;
* a restricted record (staff relative, adoption, high profile) is visible only to the people
  named on it, whatever their agency;
* partnership analysts and executives see no identifiable child, only aggregates;
* system administrators see no case content;
* an account works with children only once a lead of its own agency has confirmed it
  (`cases.accounts.services`), so an administrator alone never gives anyone access.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import connection
from django.db.models import (
    BooleanField,
    Exists,
    Expression,
    ExpressionWrapper,
    F,
    OuterRef,
    Q,
    QuerySet,
)
from django.http import HttpRequest
from django.utils import timezone

from cases.codes import AgencyType, GrantPurpose, Role
from cases.models import AccessGrant, AccessLogEntry, Child, LegitimateRelationship, Practitioner
from cases.request_context import current_client_request_id, current_request_id

CASEWORK_ROLES = frozenset({Role.PRACTITIONER, Role.SAFEGUARDING_LEAD, Role.SOCIAL_CARE_MANAGER})
AGGREGATE_ROLES = frozenset({Role.ANALYST, Role.EXECUTIVE})
LEAD_ROLES = frozenset({Role.SAFEGUARDING_LEAD, Role.SOCIAL_CARE_MANAGER})


class ChildAccessRefused(PermissionDenied):
    """The policy refused a child's record. Carries no detail about the child."""


def acting_user(request: HttpRequest) -> Practitioner:
    """The signed-in practitioner behind a request that login_required already let through."""
    user = request.user
    if not isinstance(user, Practitioner):
        raise PermissionDenied()
    return user


def has_casework_role(user: Practitioner) -> bool:
    """The role works with children, whether or not a lead has confirmed the account yet."""
    return bool(user.is_authenticated and user.is_active and user.role in CASEWORK_ROLES)


def does_casework(user: Practitioner) -> bool:
    """Works with children: a casework role, confirmed by a lead of the account's agency."""
    return has_casework_role(user) and user.is_confirmed_for_agency


def sees_aggregates(user: Practitioner) -> bool:
    return bool(user.is_authenticated and user.is_active and user.role in AGGREGATE_ROLES)


def is_lead(user: Practitioner) -> bool:
    return does_casework(user) and user.role in LEAD_ROLES


# Who decides what (Working Together): children's social care decides whether a child is in need
# or needs a protection plan, and records referral decisions and child protection meetings.


def in_childrens_social_care(user: Practitioner) -> bool:
    return user.agency is not None and user.agency.agency_type == AgencyType.CHILDRENS_SOCIAL_CARE


def records_statutory_steps(user: Practitioner) -> bool:
    """Referrals, strategy discussions, conferences and core groups: children's social care staff
    record them (a social worker records the meeting they attended and the decision made)."""
    return does_casework(user) and in_childrens_social_care(user)


def decides_need_level(user: Practitioner) -> bool:
    """Child in need, child protection and the plan's category: a social-care manager decides."""
    return (
        is_lead(user) and user.role == Role.SOCIAL_CARE_MANAGER and in_childrens_social_care(user)
    )


def is_business_manager(user: Practitioner) -> bool:
    """Runs case audits and sees a child only as one of an audit's sample."""
    return bool(
        user.is_authenticated and user.is_active and user.role == Role.PARTNERSHIP_BUSINESS_MANAGER
    )


def works_on_delivery_plan(user: Practitioner) -> bool:
    """Analysts and executives, and the business manager who takes audits' learning into it.
    The plan and its priorities' figures name no child."""
    return sees_aggregates(user) or is_business_manager(user)


def does_audit_work(user: Practitioner) -> bool:
    """The business manager, or a lead who may be an agency's auditor."""
    return is_business_manager(user) or is_lead(user)


def _active_grants(
    user: Practitioner, purpose: str = GrantPurpose.BREAK_GLASS
) -> QuerySet[AccessGrant]:
    return AccessGrant.objects.filter(
        practitioner=user, purpose=purpose, expires_at__gt=timezone.now()
    )


def children_visible_to(*, user: Practitioner) -> QuerySet[Child]:
    """Every child this user may open, as a queryset to filter further."""
    if not does_casework(user):
        return Child.objects.none()
    return Child.objects.filter(_ChildVisible(F("pk"), F("is_restricted"), user=user))


def child_known_to_agency(*, user: Practitioner, child: Child) -> bool:
    """Whether the agency relationship alone (no break-glass grant) lets the user see the child."""
    if not does_casework(user) or child.is_restricted:
        return False
    return LegitimateRelationship.objects.filter(child=child, agency=user.agency_id).exists()


def child_reached_by_break_glass(*, user: Practitioner, child: Child) -> bool:
    """Whether the user sees this (unrestricted) child only through a break-glass grant."""
    return not child.is_restricted and not child_known_to_agency(user=user, child=child)


def child_for_reading(*, user: Practitioner, child_id: int, view_name: str) -> Child:
    """The child, after checking the policy and writing the access-log row.

    Raises ChildAccessRefused (403) when the policy refuses, including for a child that does
    not exist, so the answer does not reveal which ids are real. Whether the agency knows the
    child (or the read is break glass) comes back with the child: one statement, then the row.
    """
    child = (
        children_visible_to(user=user)
        .filter(pk=child_id)
        .select_related("family")
        .annotate(
            known_to_agency=Exists(
                LegitimateRelationship.objects.filter(child=OuterRef("pk"), agency=user.agency_id)
            )
        )
        .first()
    )
    if child is None:
        raise ChildAccessRefused()
    _access_log_write(
        user=user,
        child=child,
        view_name=view_name,
        break_glass=not child.is_restricted and not child.known_to_agency,  # type: ignore[attr-defined]
    )
    return child


def log_child_read(*, user: Practitioner, child: Child, view_name: str) -> None:
    """Write the access-log row, working out in the same statement whether the read is break
    glass. Any failure propagates, so the read is refused."""
    log_children_read(user=user, children=[child], view_name=view_name)


def _access_log_write(
    *, user: Practitioner, child: Child, view_name: str, break_glass: bool
) -> None:
    # One INSERT, committed by autocommit before it returns (or part of the caller's
    # transaction): durable before anything is shown, without a BEGIN/COMMIT round trip each.
    AccessLogEntry.objects.create(
        practitioner=user,
        agency_id=user.agency_id,
        child=child,
        view_name=view_name,
        request_id=current_request_id(),
        break_glass=break_glass,
    )


def child_for_audit_reading(*, user: Practitioner, child_id: int, view_name: str) -> Child:
    """A sampled child read by an auditor through an unexpired audit grant: only the audit's
    own pages call this (an audit grant opens nothing else), and the read is logged."""
    if (
        not does_casework(user)
        or not _active_grants(user, GrantPurpose.AUDIT).filter(child_id=child_id).exists()
    ):
        raise ChildAccessRefused()
    child = Child.objects.select_related("family").get(pk=child_id)
    _access_log_write(user=user, child=child, view_name=view_name, break_glass=False)
    return child


def log_children_read(*, user: Practitioner, children: Iterable[Child], view_name: str) -> None:
    """Log reads of the children a list shows (one row per child, however often it appears)
    in one statement, which also works out which reads are break glass. Any failure
    propagates, so the list is not shown.

    The children must already have come through `children_visible_to`.
    """
    ids = [child.pk for child in children]
    if not ids:
        return
    # One INSERT ... SELECT, committed by autocommit before it returns (or part of the
    # caller's transaction): a list page's log costs one round trip, not a relationship
    # read plus a BEGIN, an INSERT and a COMMIT.
    with connection.cursor() as cursor:
        cursor.execute(
            _LOG_CHILDREN_READ,
            {**children_read_log_params(user=user, view_name=view_name), "ids": ids},
        )


def children_read_log_sql(ids: str) -> str:
    """The access log's INSERT ... SELECT for the children in `ids`, an SQL bigint[] in list
    order (repeats logged once, at their first place), to run alone or as a data-modifying CTE
    of a statement that reads the children (the lead's queue page: the read and its log in one
    round trip). Its parameters come from `children_read_log_params`.

    A read is break glass when the child is not restricted and the user's agency has no
    relationship with the child (the policy let the user in by a grant). Rows in list order.
    """
    return f"""
    INSERT INTO {AccessLogEntry._meta.db_table} (practitioner_id, agency_id, child_id,
        view_name, request_id, client_request_id, accessed_at, break_glass)
    SELECT %(log_practitioner)s, %(log_agency)s, child.id, %(log_view)s, %(log_request)s,
        %(log_client_request)s, %(log_at)s,
        NOT child.is_restricted AND NOT EXISTS (
            SELECT 1 FROM {LegitimateRelationship._meta.db_table} relationship
            WHERE relationship.child_id = child.id AND relationship.agency_id = %(log_agency)s)
    FROM (SELECT listed.child_id, min(listed.position) AS position
          FROM unnest({ids}) WITH ORDINALITY AS listed (child_id, position)
          GROUP BY listed.child_id) listed
    JOIN {Child._meta.db_table} child ON child.id = listed.child_id
    ORDER BY listed.position
"""  # noqa: S608  # nosec B608  (table names from the models; every value is a parameter)


def children_read_log_params(*, user: Practitioner, view_name: str) -> dict[str, Any]:
    return {
        "log_practitioner": user.pk,
        "log_agency": user.agency_id,
        "log_view": view_name,
        "log_request": current_request_id(),
        "log_client_request": current_client_request_id(),
        "log_at": timezone.now(),
    }


_LOG_CHILDREN_READ = children_read_log_sql("%(ids)s::bigint[]")


def visible_child_condition(*, user: Practitioner, child_field: str = "child") -> Q:
    """`children_visible_to` as a condition on a related child's id, for lists of many rows.

    The same policy, but each part is an uncorrelated id list that PostgreSQL builds once and
    probes by hash (restricted records through a small partial index), where the EXISTS form
    above runs index lookups per row: for the lead's queue over every open flag, the difference
    between milliseconds and seconds. Use `children_visible_to` for one child or a short list.
    """
    if not does_casework(user):
        return Q(pk__in=[])
    ids = f"{child_field}_id__in"
    restricted = Child.objects.filter(is_restricted=True).values("pk")
    by_agency = LegitimateRelationship.objects.filter(agency=user.agency_id).values("child_id")
    by_grant = _active_grants(user).values("child_id")
    named = Child.restricted_to.through.objects.filter(
        practitioner_id=user.pk, child__is_restricted=True
    ).values("child_id")
    return ((Q(**{ids: by_agency}) | Q(**{ids: by_grant})) & ~Q(**{ids: restricted})) | Q(
        **{ids: named}
    )


def restricted_children_hidden_from(*, user: Practitioner) -> QuerySet[Child]:
    """The restricted records that do not name the user: the only children an agency's own rows
    (each kept only where the agency has a relationship with the child) must still leave out.
    A short list, from a partial index."""
    return Child.objects.filter(is_restricted=True).exclude(
        Exists(
            Child.restricted_to.through.objects.filter(
                child_id=OuterRef("pk"), practitioner_id=user.pk
            )
        )
    )


def visible_child_probe(*, user: Practitioner, child_field: str = "child") -> Q:
    """`children_visible_to` as a condition on a related child's id, probing the indexes per
    row: for a short page of rows, or a count over a few thousand.

    The same policy again, without joining the child itself: the relationship and grant are
    index probes on the row's child id, restricted records come from a small partial index.
    Kept under the OR, no part is pulled up into the join, so PostgreSQL plans the statement
    in about a millisecond where `child__in=children_visible_to(...)` took 5 to 15.
    """
    if not does_casework(user):
        return Q(pk__in=[])
    return Q(_VisibleChildProbe(F(f"{child_field}_id"), user=user))


def child_visible_flag(*, user: Practitioner, child_field: str = "child") -> ExpressionWrapper:
    """`visible_child_probe` as a true/false value to annotate rows with (a list that names
    only the children the user may see and counts the others)."""
    return ExpressionWrapper(
        visible_child_probe(user=user, child_field=child_field), output_field=BooleanField()
    )


def visible_child_sql(child_id: str) -> str:
    """`visible_child_probe` as SQL on a column holding a child's id, for statements written by
    hand (the leads' queue and flag pages); its parameters come from `visible_child_params`.
    The same text is the probe's own SQL, so the two forms cannot drift apart."""
    return _VisibleChildProbe.sql.format(child_id)


def visible_child_params(user: Practitioner) -> dict[str, Any]:
    return {
        "casework": does_casework(user),
        "agency": user.agency_id,
        "user": user.pk,
        "break_glass": GrantPurpose.BREAK_GLASS,
        "now": timezone.now(),
    }


_NAMED_PARAMETER = re.compile(r"%\((\w+)\)s")


class _PolicyCondition(Expression):
    """The policy as SQL written once, with only the row's columns compiled: the leads' pages
    carry the policy in most of their statements, and building it from querysets cost about a
    millisecond of ORM work each time. `test_access_policy` checks every form against every
    rule, and the probe row for row against `children_visible_to`.
    """

    conditional = True
    output_field = BooleanField()
    # Placeholders {0}, {1}... for the columns, %(name)s for `visible_child_params`.
    sql = ""

    def __init__(self, *columns: F, user: Practitioner) -> None:
        super().__init__()
        self.columns: list[Any] = list(columns)
        self.values = visible_child_params(user)

    def get_source_expressions(self) -> list[Any]:
        return self.columns

    def set_source_expressions(self, exprs: Any) -> None:
        self.columns = list(exprs)

    def as_sql(self, compiler: Any, connection: Any) -> Any:
        columns = []
        for column in self.columns:
            sql, params = compiler.compile(column)
            if params:
                raise ValueError("a policy column takes no parameters")
            columns.append(sql)
        sql = self.sql.format(*columns)
        # The ORM binds positionally: each named parameter becomes %s, its value in order.
        names = _NAMED_PARAMETER.findall(sql)
        return _NAMED_PARAMETER.sub("%s", sql), tuple(self.values[name] for name in names)


# Table names come from the models; every value is a parameter.
_BY_AGENCY_OR_GRANT = f"""(
    EXISTS(SELECT 1 FROM {LegitimateRelationship._meta.db_table} relationship
           WHERE relationship.agency_id = %(agency)s AND relationship.child_id = {{0}})
    OR EXISTS(SELECT 1 FROM {AccessGrant._meta.db_table} grant_
              WHERE grant_.expires_at > %(now)s AND grant_.practitioner_id = %(user)s
                AND grant_.purpose = %(break_glass)s AND grant_.child_id = {{0}}))"""  # noqa: S608  # nosec B608


class _ChildVisible(_PolicyCondition):
    """`children_visible_to` on the child's own row: {0} its id, {1} its is_restricted."""

    sql = f"""(%(casework)s AND ((NOT {{1}} AND {_BY_AGENCY_OR_GRANT})
        OR ({{1}} AND EXISTS(
            SELECT 1 FROM {Child.restricted_to.through._meta.db_table} named
            WHERE named.child_id = {{0}} AND named.practitioner_id = %(user)s))))"""  # noqa: S608  # nosec B608


class _VisibleChildProbe(_PolicyCondition):
    """`visible_child_probe` on another row: {0} its child's id. Restricted records come from
    a small partial index, so the child itself is not joined."""

    sql = f"""(%(casework)s AND (({_BY_AGENCY_OR_GRANT}
            AND NOT ({{0}} IN (SELECT restricted.id FROM {Child._meta.db_table} restricted
                               WHERE restricted.is_restricted)))
        OR {{0}} IN (SELECT named.child_id FROM {Child.restricted_to.through._meta.db_table} named
                     JOIN {Child._meta.db_table} child_ ON child_.id = named.child_id
                     WHERE child_.is_restricted AND named.practitioner_id = %(user)s)))"""  # noqa: S608  # nosec B608
