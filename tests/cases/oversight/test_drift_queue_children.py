"""The child-centred queue: one row per child with all their flags, scopes with counts, and a
page whose query count does not grow with the number of flags."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from cases.codes import AgencyType, NeedLevel, Role
from cases.drift.evaluation import drift_evaluate
from cases.models import AccessLogEntry, Agency, Child, DriftFlag, Practitioner
from cases.oversight.selectors import (
    QueueFilters,
    drift_queue_children,
    drift_queue_counts,
    drift_queue_page,
)
from tests.support import factories

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


def open_case(agency: Agency, *, days_ago: int, **extra: object) -> Child:
    child = factories.child(known_to=[agency])
    factories.involvement(
        child,
        NeedLevel.EARLY_HELP,
        agency,
        started_on=TODAY - datetime.timedelta(days=days_ago),
        **extra,
    )
    return child


@pytest.fixture
def scene(db: None) -> dict[str, object]:
    health = factories.agency("Health", AgencyType.HEALTH)
    team = factories.team(health, "Health visiting north")
    lead = factories.practitioner(health, Role.SAFEGUARDING_LEAD, "lead", team=team)
    nurse = factories.practitioner(health, team=team)
    # Unallocated and unseen for 200 days: two flags, drifting the longest.
    two_flags = open_case(health, days_ago=200, team=team)
    # Allocated to the lead, unseen for 100 days: one flag.
    mine = open_case(health, days_ago=100, team=team, lead_professional=lead)
    # Another team's case the agency holds, allocated to the nurse, unseen for 80 days.
    other = open_case(health, days_ago=80, lead_professional=nurse)
    drift_evaluate()
    return {"lead": lead, "two_flags": two_flags, "mine": mine, "other": other, "team": team}


def test_each_child_is_one_row_with_all_their_flags_longest_drifting_first(scene) -> None:  # type: ignore[no-untyped-def]
    rows = drift_queue_page(user=scene["lead"], view_name="drift_queue").page.object_list
    assert [row.child_id for row in rows] == [
        scene["two_flags"].pk,
        scene["mine"].pk,
        scene["other"].pk,
    ]
    assert [row["child_id"] for row in drift_queue_children(user=scene["lead"])] == [
        row.child_id for row in rows
    ]
    assert [item.rule_code for item in rows[0].flags] == [
        "CHILD_NOT_SEEN",
        "NO_LEAD_PROFESSIONAL",
    ]
    first = DriftFlag.objects.filter(child=scene["two_flags"]).order_by("condition_since")[0]
    assert rows[0].drifting_since == first.condition_since < TODAY
    assert "Early help; case held by Health" in rows[1].summary
    assert f"lead professional {scene['lead'].display_name}." in rows[1].summary


def test_a_rule_filter_keeps_the_childs_other_flags(scene) -> None:  # type: ignore[no-untyped-def]
    filters = QueueFilters(rule="NO_LEAD_PROFESSIONAL")
    children = drift_queue_children(user=scene["lead"], filters=filters)
    assert [row["child_id"] for row in children] == [scene["two_flags"].pk]
    (row,) = drift_queue_page(
        user=scene["lead"], view_name="drift_queue", filters=filters
    ).page.object_list
    assert row.child_id == scene["two_flags"].pk and len(row.flags) == 2


def test_the_scopes_count_children_not_flags(scene) -> None:  # type: ignore[no-untyped-def]
    counts = drift_queue_counts(user=scene["lead"])
    assert (counts["all"], counts["agency"], counts["team"], counts["mine"]) == (3, 3, 2, 1)
    mine = drift_queue_children(user=scene["lead"], filters=QueueFilters(scope="mine"))
    assert [row["child_id"] for row in mine] == [scene["mine"].pk]


def test_the_page_shows_figures_the_lead_professional_and_the_holding_agency(scene) -> None:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(scene["lead"])
    page = client.get("/drift/?scope=team").content.decode()
    assert "2 children" in page
    assert "Your team&#x27;s cases (2)" in page and "Your own cases (1)" in page
    assert "case held by Health" in page and "lead professional not allocated" in page
    assert "allowed at early help" in page


def test_the_page_costs_the_same_queries_with_more_flags(scene) -> None:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(scene["lead"])
    client.get("/drift/")
    with CaptureQueriesContext(connection) as before:
        assert client.get("/drift/").status_code == 200
    health = Agency.objects.get(name="Health")
    for days in (150, 160, 170, 180):
        open_case(health, days_ago=days)
    drift_evaluate()
    with CaptureQueriesContext(connection) as after:
        assert client.get("/drift/").status_code == 200
    # The session, the user and their second factor; the queue rows due back; the queue (counts,
    # the page's children with their case and flags, the filter's choices, new to the team,
    # concerns awaiting an outcome, challenges waiting, and the access log's rows for the
    # children shown).
    assert len(after) == len(before) == 5
    with CaptureQueriesContext(connection) as later_page:
        assert client.get("/drift/?page=2").status_code == 200  # past the last: shows the last
    assert len(later_page) == 5  # the statement itself finds the last page


def test_another_agencys_lead_sees_none_of_these_children(scene) -> None:  # type: ignore[no-untyped-def]
    school = factories.agency("School", AgencyType.EDUCATION)
    stranger: Practitioner = factories.practitioner(school, Role.SAFEGUARDING_LEAD, "dsl")
    assert list(drift_queue_children(user=stranger)) == []
    assert drift_queue_counts(user=stranger)["all"] == 0


def test_the_flag_page_links_to_the_child_and_says_the_same_figures(scene) -> None:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(scene["lead"])
    flag = DriftFlag.objects.get(child=scene["mine"], rule_code="CHILD_NOT_SEEN")
    page = client.get(f"/drift/flags/{flag.pk}/").content.decode()
    assert f'href="/children/{scene["mine"].pk}/"' in page
    (row,) = drift_queue_page(
        user=scene["lead"], view_name="drift_queue", filters=QueueFilters(scope="mine")
    ).page.object_list
    assert row.flags[0].sentence in page
    assert flag.condition_since.strftime("%-d %B %Y") in page


def test_a_lead_without_a_team_still_gets_their_agencys_counts(scene) -> None:  # type: ignore[no-untyped-def]
    lead = scene["lead"]
    lead.team = None
    lead.save()
    counts = drift_queue_counts(user=lead)
    assert (counts["all"], counts["agency"], counts["team"], counts["mine"]) == (3, 3, 0, 1)


def test_the_flag_page_costs_the_same_queries_with_more_flags(scene) -> None:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(scene["lead"])
    flag = DriftFlag.objects.get(child=scene["mine"], rule_code="CHILD_NOT_SEEN")
    client.get(f"/drift/flags/{flag.pk}/")
    with CaptureQueriesContext(connection) as before:
        assert client.get(f"/drift/flags/{flag.pk}/").status_code == 200
    health = Agency.objects.get(name="Health")
    for days in (150, 160, 170, 180):
        open_case(health, days_ago=days, team=scene["team"])
    # The child's own case loses its lead professional: a second flag on the same child.
    scene["mine"].involvements.update(lead_professional=None)
    drift_evaluate()
    assert DriftFlag.objects.filter(child=scene["mine"], resolved_at__isnull=True).count() == 2
    with CaptureQueriesContext(connection) as after:
        assert client.get(f"/drift/flags/{flag.pk}/").status_code == 200
    # The session, the user (with agency and team) and their second factor; the flag within
    # the access policy and the access log's row (one statement, break glass worked out in it);
    # the agencies' decisions; the open involvement; the evidence; the earlier decisions.
    assert len(after) == len(before) == 8


def test_the_flag_page_logs_one_read_of_the_child_and_refuses_another_agency(scene) -> None:  # type: ignore[no-untyped-def]
    flag = DriftFlag.objects.get(child=scene["mine"], rule_code="CHILD_NOT_SEEN")
    client = Client()
    client.force_login(scene["lead"])
    assert client.get(f"/drift/flags/{flag.pk}/").status_code == 200
    (read,) = AccessLogEntry.objects.filter(view_name="drift_flag")
    assert (read.child_id, read.practitioner_id, read.break_glass) == (
        scene["mine"].pk,
        scene["lead"].pk,
        False,
    )
    school = factories.agency("School", AgencyType.EDUCATION)
    stranger = factories.practitioner(school, Role.SAFEGUARDING_LEAD, "dsl")
    client.force_login(stranger)
    assert client.get(f"/drift/flags/{flag.pk}/").status_code == 403
    assert AccessLogEntry.objects.filter(view_name="drift_flag").count() == 1
