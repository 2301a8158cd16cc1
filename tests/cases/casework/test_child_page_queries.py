"""The child's page and logging a concern cost a fixed number of SQL statements however long the
child's history is (issue 15): pinned here, so a section that starts to query per row, or a new
query on every page, fails a test instead of quietly slowing the page down."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from bench.forms import concern_form
from cases.codes import AgencyType, Role
from cases.models import Agency, Child, ChronologyEntry, Concern, Practitioner
from tests.support import factories

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
# Statements for one GET of the child's page, the session and second factor included (32 for a
# practitioner and 34 for a lead before issue 15). A lead also sees the drift section and "who
# has seen this record".
CHILD_PAGE_STATEMENTS = {Role.PRACTITIONER: 22, Role.SAFEGUARDING_LEAD: 26}
# One POST of the concern form about two siblings, saved and redirected (43 before issue 15,
# growing with each child). The change-log rows go in through psycopg's execute_values, which
# Django's capture does not see.
CONCERN_STATEMENTS = 15


@pytest.fixture
def household() -> dict:
    health = factories.agency("Health", AgencyType.HEALTH)
    school = factories.agency("School", AgencyType.EDUCATION)
    family = factories.family()
    factories.address(family)
    child = factories.child(known_to=[health, school], in_family=family, first_name="Ada")
    sibling = factories.child(known_to=[health], in_family=family, first_name="Bea")
    factories.child(known_to=[school], in_family=family, first_name="Cy")  # not shown to health
    factories.involvement(child, "child_in_need", school)
    return {"health": health, "school": school, "child": child, "sibling": sibling}


def history(child: Child, sibling: Child, author: Practitioner, other: Agency, n: int) -> None:
    """n more of everything the page lists: chronology entries, concerns over several months,
    plans with actions, visits, meetings and referrals."""
    assert author.agency is not None
    ChronologyEntry.objects.bulk_create(
        ChronologyEntry(
            child=child,
            family_id=child.family_id,
            occurred_on=TODAY - datetime.timedelta(days=3 * i),
            event_type="visit",
            significance="low",
            summary="Home visit",
            source_agency=other if i % 2 else author.agency,
        )
        for i in range(n)
    )
    for i in range(max(1, n // 30)):
        factories.concern(
            author, [child, sibling], observed_on=TODAY - datetime.timedelta(days=40 * i)
        )
        factories.visit(child, TODAY - datetime.timedelta(days=7 * i), other)
        plan = factories.plan(child, "child_in_need", other, TODAY - datetime.timedelta(days=i))
        factories.plan_action(plan, author.agency, TODAY + datetime.timedelta(days=10))
        factories.plan_action(plan, other, TODAY + datetime.timedelta(days=20))
        factories.meeting(child, "strategy_discussion", TODAY - datetime.timedelta(days=i))
        factories.referral(child, TODAY - datetime.timedelta(days=i))


def statements(client: Client, path: str, data: dict | None = None) -> int:
    with CaptureQueriesContext(connection) as captured:
        if data is None:
            assert client.get(path).status_code == 200
        else:
            assert client.post(path, data).status_code == 302
    return len(captured)


@pytest.mark.parametrize("role", [Role.PRACTITIONER, Role.SAFEGUARDING_LEAD])
def test_the_childs_page_costs_the_same_few_statements_at_30_and_300_entries(
    household, role
) -> None:
    reader = factories.practitioner(household["health"], role)
    client = Client()
    client.force_login(reader)
    path = f"/children/{household['child'].pk}/"
    history(household["child"], household["sibling"], reader, household["school"], 30)
    at_30 = statements(client, path)
    history(household["child"], household["sibling"], reader, household["school"], 270)
    at_300 = statements(client, path)
    assert ChronologyEntry.objects.filter(child=household["child"]).count() > 300
    assert at_300 == at_30 <= CHILD_PAGE_STATEMENTS[role]


def test_a_page_of_the_chronology_past_the_end_shows_the_last_page(household) -> None:
    nurse = factories.practitioner(household["health"], Role.PRACTITIONER)
    history(household["child"], household["sibling"], nurse, household["school"], 30)
    client = Client()
    client.force_login(nurse)
    path = f"/children/{household['child'].pk}/"
    last = client.get(path, {"page": "99"}).content.decode()
    assert 'aria-current="page">2<' in last and "31 entries" in last
    first = client.get(path, {"page": "not-a-number"}).content.decode()
    assert 'aria-current="page">1<' in first
    beyond_any_offset = client.get(path, {"page": "9" * 30}).content.decode()
    assert 'aria-current="page">2<' in beyond_any_offset


def test_logging_a_concern_about_two_children_costs_a_fixed_number_of_statements(
    household,
) -> None:
    nurse = factories.practitioner(household["health"], Role.PRACTITIONER)
    client = Client()
    client.force_login(nurse)
    child, sibling = household["child"], household["sibling"]
    history(child, sibling, nurse, household["school"], 60)
    observed = TODAY - datetime.timedelta(days=1)
    form = {
        **concern_form([child.pk, sibling.pk], observed),
        f"sibling_{sibling.pk}_seen": "yes",
        f"sibling_{sibling.pk}_seen_alone": "no",
        f"sibling_{sibling.pk}_spoken_to": "no",
        "submission_key": "concern-statements",
    }
    before = Concern.objects.count()
    count = statements(client, f"/children/{child.pk}/concerns/new/", form)
    assert Concern.objects.count() == before + 1
    assert ChronologyEntry.objects.filter(source_kind="concern", child=sibling).exists()
    assert count <= CONCERN_STATEMENTS
