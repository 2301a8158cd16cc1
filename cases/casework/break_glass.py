"""Break-glass access: a practitioner declares why they need a child's record their agency does
not know; the grant is time-limited, the reason is kept, and the safeguarding leads of every
agency that knows the child see it on their home page until one of them marks it reviewed.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import Exists, OuterRef, QuerySet
from django.utils import timezone

from cases.access import does_casework, is_lead
from cases.codes import GrantPurpose
from cases.models import AccessGrant, Agency, Child, LegitimateRelationship, Practitioner
from cases.services import change_log_record


def child_for_access_request(*, user: Practitioner, child_id: int) -> Child | None:
    """A child the user may ask to see: any record that is not restricted."""
    if not does_casework(user):
        return None
    return Child.objects.filter(pk=child_id, is_restricted=False).first()


@transaction.atomic
def access_grant_request(*, practitioner: Practitioner, child: Child, reason: str) -> AccessGrant:
    """Open the child's record to this practitioner for NT_BREAK_GLASS_HOURS, with the reason."""
    if not does_casework(practitioner) or child.is_restricted:
        raise ValidationError("You cannot ask for access to this record")
    now = timezone.now()
    grant = AccessGrant(
        practitioner=practitioner,
        child=child,
        reason=reason.strip(),
        granted_at=now,
        expires_at=now + datetime.timedelta(hours=settings.BREAK_GLASS_HOURS),
    )
    grant.full_clean()
    grant.save()
    change_log_record(practitioner=practitioner, child=child, record=grant, action="break_glass")
    return grant


def access_grants_to_review(*, lead: Practitioner) -> QuerySet[AccessGrant]:
    """Unreviewed grants on children the lead's agency knows, newest first."""
    if not is_lead(lead):
        return AccessGrant.objects.none()
    known = LegitimateRelationship.objects.filter(child=OuterRef("child_id"), agency=lead.agency_id)
    return (
        AccessGrant.objects.filter(reviewed_at__isnull=True, purpose=GrantPurpose.BREAK_GLASS)
        .filter(Exists(known))
        .select_related("practitioner__agency", "child")
        .order_by("-granted_at")
    )


# `access_grants_to_review` as the home page lists it, by hand: through the ORM, building the
# statement cost more than running it. The latest grants first, limited before names are joined.
_GRANTS_FOR_HOME = f"""
    SELECT grant_.id, grant_.practitioner_id, grant_.child_id, grant_.reason, grant_.granted_at,
        grant_.expires_at, child.first_name, child.last_name, child.is_unborn, child.is_restricted,
        person.username, person.first_name, person.last_name, person.agency_id, person.role,
        person.job_title, agency.name
    FROM (SELECT * FROM {AccessGrant._meta.db_table} listed
          WHERE listed.reviewed_at IS NULL AND listed.purpose = %(break_glass)s
            AND EXISTS (SELECT 1 FROM {LegitimateRelationship._meta.db_table} relationship
                        WHERE relationship.child_id = listed.child_id
                          AND relationship.agency_id = %(agency)s)
          ORDER BY listed.granted_at DESC, listed.id DESC
          LIMIT %(limit)s) grant_
    JOIN {Child._meta.db_table} child ON child.id = grant_.child_id
    JOIN {Practitioner._meta.db_table} person ON person.id = grant_.practitioner_id
    LEFT JOIN {Agency._meta.db_table} agency ON agency.id = person.agency_id
    ORDER BY grant_.granted_at DESC, grant_.id DESC
"""  # noqa: S608  # nosec B608
# Each in its model's field order: `from_db` takes a subset of fields' values in that order.
_GRANT_FIELDS = ["id", "practitioner_id", "child_id", "reason", "granted_at", "expires_at"]
_CHILD_NAME_FIELDS = ["id", "first_name", "last_name", "is_unborn", "is_restricted"]
_PERSON_FIELDS = ["id", "username", "first_name", "last_name", "agency_id", "role", "job_title"]


def access_grants_for_home(*, lead: Practitioner, limit: int = 20) -> list[AccessGrant]:
    """The latest of `access_grants_to_review`, each with its child's name and who asked (their
    name, role and agency): none for anyone but a lead."""
    if not is_lead(lead) or lead.agency_id is None:
        return []
    with connection.cursor() as cursor:
        cursor.execute(
            _GRANTS_FOR_HOME,
            {"break_glass": GrantPurpose.BREAK_GLASS, "agency": lead.agency_id, "limit": limit},
        )
        rows = cursor.fetchall()
    grants = []
    for row in rows:
        grant = AccessGrant.from_db(connection.alias, _GRANT_FIELDS, row[:6])
        grant.child = Child.from_db(
            connection.alias, _CHILD_NAME_FIELDS, [grant.child_id, *row[6:10]]
        )
        grant.practitioner = Practitioner.from_db(
            connection.alias, _PERSON_FIELDS, [grant.practitioner_id, *row[10:16]]
        )
        if grant.practitioner.agency_id is not None:
            grant.practitioner.agency = Agency.from_db(
                connection.alias, ["id", "name"], [grant.practitioner.agency_id, row[16]]
            )
        grants.append(grant)
    return grants


@transaction.atomic
def access_grant_review(*, grant_id: int, reviewer: Practitioner) -> AccessGrant:
    grant = (
        access_grants_to_review(lead=reviewer)
        .select_for_update(of=("self",))
        .filter(pk=grant_id)
        .first()
    )
    if grant is None:
        raise ValidationError("This access request is not yours to review, or was reviewed already")
    grant.reviewed_by = reviewer
    grant.reviewed_at = timezone.now()
    grant.save(update_fields=["reviewed_by", "reviewed_at"])
    change_log_record(practitioner=reviewer, child=grant.child, record=grant, action="reviewed")
    return grant
