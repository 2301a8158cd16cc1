"""Reads for the notification pages: an agency's imports, their rows, the matching queue."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import QuerySet

from cases import access
from cases.casework.search import ChildSearchResult, child_recognition
from cases.models import Child, Practitioner
from cases.notifications.models import NotificationImport, NotificationRow, RowStatus


def imports_visible_to(*, user: Practitioner) -> QuerySet[NotificationImport]:
    """A lead sees their agency's imports; a machine client those it sent."""
    if access.is_lead(user):
        return NotificationImport.objects.filter(agency=user.agency)
    if user.is_machine and access.does_casework(user):
        return NotificationImport.objects.filter(sent_by=user)
    return NotificationImport.objects.none()


def matching_queue(*, user: Practitioner) -> QuerySet[NotificationRow]:
    """Rows of the user's agency that matched no child or several, oldest first."""
    if not access.does_casework(user):
        return NotificationRow.objects.none()
    return (
        NotificationRow.objects.filter(agency=user.agency, status=RowStatus.QUEUED)
        .select_related("notification_import")
        .order_by("notification_import__created_at", "row_number")
    )


def agency_rows(*, user: Practitioner) -> QuerySet[NotificationRow]:
    """Rows of the user's agency waiting or answered in the matching queue (a double submit
    finds the row it answered)."""
    if not access.does_casework(user):
        return NotificationRow.objects.none()
    answered = [RowStatus.QUEUED, RowStatus.LINKED, RowStatus.REGISTERED, RowStatus.REJECTED]
    return NotificationRow.objects.filter(agency=user.agency, status__in=answered).select_related(
        "notification_import"
    )


@dataclass
class Candidate:
    id: int
    result: ChildSearchResult
    child: Child | None  # only when the user may see the child


def row_candidates(*, user: Practitioner, row: NotificationRow) -> list[Candidate]:
    """The children the row matched, masked as in search: in full (a logged read) only where
    the policy lets the user see them."""
    children = list(Child.objects.filter(pk__in=row.candidates).order_by("last_name", "pk"))
    visible = set(
        access.children_visible_to(user=user)
        .filter(pk__in=[c.pk for c in children])
        .values_list("pk", flat=True)
    )
    shown = [child for child in children if child.pk in visible]
    access.log_children_read(user=user, children=shown, view_name="notification_row")
    return [
        Candidate(
            id=child.pk,
            result=child_recognition(child=child),
            child=child if child.pk in visible else None,
        )
        for child in children
    ]
