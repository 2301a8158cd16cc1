"""The access policy written as SQL for the statements the lead's pages write by hand
(`visible_child_sql`) lets through exactly the children `access.children_visible_to` does."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.utils import timezone

from cases.access import children_visible_to, visible_child_params, visible_child_sql
from cases.codes import AgencyType, GrantPurpose, Role
from cases.models import AccessGrant, Child, Practitioner
from tests.support import factories

pytestmark = pytest.mark.django_db


def grant(user: Practitioner, child: Child, *, hours: int, purpose: str) -> None:
    AccessGrant.objects.create(
        practitioner=user,
        child=child,
        reason="Call-out",
        purpose=purpose,
        expires_at=timezone.now() + datetime.timedelta(hours=hours),
    )


def visible_by_sql(user: Practitioner) -> set[int]:
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT child.id FROM cases_child child WHERE {visible_child_sql('child.id')}",  # noqa: S608  # nosec B608
            visible_child_params(user),
        )
        return {pk for (pk,) in cursor.fetchall()}


def test_the_sql_policy_is_the_orm_policy_for_every_way_to_see_a_child() -> None:
    health = factories.agency("Health", AgencyType.HEALTH)
    school = factories.agency("School", AgencyType.EDUCATION)
    lead = factories.practitioner(health, Role.SAFEGUARDING_LEAD, "lead")
    analyst = factories.practitioner(health, Role.ANALYST, "analyst")
    known = factories.child(known_to=[health])
    factories.child(known_to=[school])  # another agency's child
    by_grant = factories.child(known_to=[school])
    grant(lead, by_grant, hours=1, purpose=GrantPurpose.BREAK_GLASS)
    expired = factories.child(known_to=[school])
    grant(lead, expired, hours=-1, purpose=GrantPurpose.BREAK_GLASS)
    for purpose in GrantPurpose.values:
        if purpose != GrantPurpose.BREAK_GLASS:
            grant(lead, factories.child(known_to=[school]), hours=1, purpose=purpose)
    restricted_known = factories.child(known_to=[health])
    restricted_named = factories.child(known_to=[school])
    restricted_granted = factories.child(known_to=[school])
    grant(lead, restricted_granted, hours=1, purpose=GrantPurpose.BREAK_GLASS)
    for child in (restricted_known, restricted_named, restricted_granted):
        child.is_restricted = True
        child.save()
    restricted_named.restricted_to.add(lead)
    named_not_restricted = factories.child(known_to=[school])
    named_not_restricted.restricted_to.add(lead)

    assert visible_by_sql(lead) == set(children_visible_to(user=lead).values_list("pk", flat=True))
    assert visible_by_sql(lead) == {known.pk, by_grant.pk, restricted_named.pk}
    assert visible_by_sql(analyst) == set() == set(children_visible_to(user=analyst))
