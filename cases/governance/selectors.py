"""Reading the access and search logs. The information governance officer sees what the log
names (who, agency, when, which child by id, which view, break glass) and no case content."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Count, Q, QuerySet
from django.db.models.functions import TruncDate, TruncHour
from django.utils import timezone

from cases import access
from cases.codes import GrantPurpose, Role
from cases.models import (
    AccessGrant,
    AccessLogEntry,
    Child,
    LegitimateRelationship,
    Practitioner,
    SearchLogEntry,
)
from cases.working_days import breach_boundary

ALERT_WINDOW_DAYS = 30
BREAK_GLASS_REVIEW_WORKING_DAYS = 2


def is_information_governance(user: Practitioner) -> bool:
    return bool(
        user.is_authenticated and user.is_active and user.role == Role.INFORMATION_GOVERNANCE
    )


@dataclass(frozen=True)
class AccessLogFilters:
    person: str = ""  # a username, or part of a name
    child_id: int | None = None
    agency_id: int | None = None
    date_from: datetime.date | None = None
    date_to: datetime.date | None = None
    break_glass: bool | None = None

    def as_dict(self) -> dict[str, object]:
        """For the export's own log row: the filters, never case content."""
        return {
            key: value.isoformat() if isinstance(value, datetime.date) else value
            for key, value in self.__dict__.items()
            if value not in ("", None)
        }


def access_log_search(*, user: Practitioner, filters: AccessLogFilters) -> QuerySet[AccessLogEntry]:
    """The access log for the information governance officer, newest first."""
    if not is_information_governance(user):
        return AccessLogEntry.objects.none()
    entries = AccessLogEntry.objects.all()
    if filters.person:
        words = Q(practitioner__username__iexact=filters.person)
        for word in filters.person.split()[:3]:
            words |= Q(practitioner__first_name__icontains=word) | Q(
                practitioner__last_name__icontains=word
            )
        entries = entries.filter(words)
    if filters.child_id is not None:
        entries = entries.filter(child_id=filters.child_id)
    if filters.agency_id is not None:
        entries = entries.filter(agency_id=filters.agency_id)
    if filters.date_from is not None:
        entries = entries.filter(accessed_at__date__gte=filters.date_from)
    if filters.date_to is not None:
        entries = entries.filter(accessed_at__date__lte=filters.date_to)
    if filters.break_glass is not None:
        entries = entries.filter(break_glass=filters.break_glass)
    return entries.select_related("practitioner", "agency").order_by("-accessed_at", "-pk")


def may_see_who_has_read(*, user: Practitioner, child: Child) -> bool:
    """Leads of an agency with a relationship with the child (not through break glass)."""
    return (
        access.is_lead(user)
        and user.agency_id is not None
        and LegitimateRelationship.objects.filter(child=child, agency_id=user.agency_id).exists()
    )


def child_access_history(*, child: Child) -> QuerySet[AccessLogEntry]:
    return (
        AccessLogEntry.objects.filter(child=child)
        .select_related("practitioner", "agency")
        .order_by("-accessed_at", "-pk")
    )


@dataclass(frozen=True)
class Alert:
    kind: str
    title: str
    at: datetime.datetime
    practitioner: Practitioner
    child_id: int | None = None
    count: int | None = None


def _people(ids: set[int]) -> dict[int, Practitioner]:
    return Practitioner.objects.select_related("agency").in_bulk(list(ids))


def access_alerts(*, as_of: datetime.datetime | None = None) -> list[Alert]:
    """Unusual access in the last ALERT_WINDOW_DAYS, newest first, from the logs by four
    grouped queries: reads of more than NT_UNUSUAL_READS_PER_HOUR children in an hour, any
    read of a restricted record (per person, child and day), break glass not reviewed within
    2 working days, and more than NT_UNUSUAL_SEARCHES_PER_HOUR searches in an hour."""
    now = as_of or timezone.now()
    since = now - datetime.timedelta(days=ALERT_WINDOW_DAYS)
    reads = list(
        AccessLogEntry.objects.filter(accessed_at__gte=since)
        .annotate(hour=TruncHour("accessed_at"))
        .values("practitioner_id", "hour")
        .annotate(children=Count("child_id", distinct=True))
        .filter(children__gt=settings.UNUSUAL_READS_PER_HOUR)
    )
    restricted = list(
        AccessLogEntry.objects.filter(accessed_at__gte=since, child__is_restricted=True)
        .annotate(day=TruncDate("accessed_at"))
        .values("practitioner_id", "child_id", "day")
        .annotate(reads=Count("pk"))
        .order_by()
    )
    searches = list(
        SearchLogEntry.objects.filter(searched_at__gte=since)
        .annotate(hour=TruncHour("searched_at"))
        .values("practitioner_id", "hour")
        .annotate(searches=Count("pk"))
        .filter(searches__gt=settings.UNUSUAL_SEARCHES_PER_HOUR)
    )
    boundary = breach_boundary(timezone.localdate(now), BREAK_GLASS_REVIEW_WORKING_DAYS)
    grants = list(
        AccessGrant.objects.filter(
            reviewed_at__isnull=True,
            granted_at__date__lte=boundary,
            purpose=GrantPurpose.BREAK_GLASS,
        )
        .select_related("practitioner__agency")
        .order_by("-granted_at")
    )
    people = _people({row["practitioner_id"] for row in [*reads, *restricted, *searches]})
    alerts = [
        Alert(
            "unusual_reads",
            f"Read {row['children']} children's records in an hour",
            row["hour"],
            people[row["practitioner_id"]],
            count=row["children"],
        )
        for row in reads
    ]
    alerts += [
        Alert(
            "restricted_read",
            "Read a restricted record",
            datetime.datetime.combine(row["day"], datetime.time(), tzinfo=now.tzinfo),
            people[row["practitioner_id"]],
            child_id=row["child_id"],
            count=row["reads"],
        )
        for row in restricted
    ]
    alerts += [
        Alert(
            "break_glass_unreviewed",
            f"Break glass not reviewed within {BREAK_GLASS_REVIEW_WORKING_DAYS} working days",
            grant.granted_at,
            grant.practitioner,
            child_id=grant.child_id,
        )
        for grant in grants
    ]
    alerts += [
        Alert(
            "unusual_searches",
            f"Made {row['searches']} searches in an hour",
            row["hour"],
            people[row["practitioner_id"]],
            count=row["searches"],
        )
        for row in searches
    ]
    return sorted(alerts, key=lambda alert: alert.at, reverse=True)
