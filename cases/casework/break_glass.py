"""Break-glass access: a practitioner declares why they need a child's record their agency does
not know; the grant is time-limited, the reason is kept, and the safeguarding leads of every
agency that knows the child see it on their home page until one of them marks it reviewed.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Exists, OuterRef, QuerySet
from django.utils import timezone

from cases.access import does_casework, is_lead
from cases.codes import GrantPurpose
from cases.models import AccessGrant, Child, LegitimateRelationship, Practitioner
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
