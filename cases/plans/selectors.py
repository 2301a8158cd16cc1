"""Selectors for plans, visits, child protection meetings and referrals. The child has already
been read through the access policy by the caller."""

from __future__ import annotations

from django.db.models import Count

from cases.models import Child, Plan, ProtectionMeeting, Referral, Visit


def plans_for_child(*, child: Child) -> dict[str, object]:
    """The child's latest plans (with how many actions each has), visits, meetings and referrals."""
    return {
        "plans": Plan.objects.filter(child=child).annotate(action_count=Count("actions"))[:5],
        "visits": Visit.objects.filter(child=child).select_related("agency")[:10],
        "meetings": ProtectionMeeting.objects.filter(child=child)[:10],
        "referrals": Referral.objects.filter(child=child)[:5],
    }
