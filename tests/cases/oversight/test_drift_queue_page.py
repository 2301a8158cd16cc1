"""The queue page's one statement (drift_queue_page, SQL by hand) gives what the ORM selectors
give: the same children in the same order under every scope and filter, the same counts, the
same access-policy scoping, and Django's paging rules."""

from __future__ import annotations

import datetime

import pytest
from django.test import Client
from django.utils import timezone

from cases.codes import AgencyType, NeedLevel, Role
from cases.drift.evaluation import drift_evaluate
from cases.drift.queue import drift_queue_entries_refresh
from cases.models import (
    AccessGrant,
    AccessLogEntry,
    Agency,
    Child,
    DriftFlag,
    DriftFlagReview,
    Practitioner,
)
from cases.oversight import services
from cases.oversight.selectors import (
    QueueFilters,
    drift_flag_for_lead,
    drift_queue_children,
    drift_queue_counts,
    drift_queue_page,
)
from tests.support import factories

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


def open_case(
    agency: Agency, *, days_ago: int, level: str = NeedLevel.EARLY_HELP, **extra: object
) -> Child:
    child = factories.child(known_to=[agency])
    factories.involvement(
        child, level, agency, started_on=TODAY - datetime.timedelta(days=days_ago), **extra
    )
    return child


@pytest.fixture
def scene(db: None) -> dict[str, object]:
    health = factories.agency("Health", AgencyType.HEALTH)
    north = factories.team(health, "Health visiting north")
    south = factories.team(health, "Health visiting south")
    lead = factories.practitioner(health, Role.SAFEGUARDING_LEAD, "lead", team=north)
    nurse = factories.practitioner(health, team=south)
    children = [
        open_case(health, days_ago=200, team=north),
        open_case(health, days_ago=150, team=north, lead_professional=lead),
        open_case(health, days_ago=120, team=south, lead_professional=nurse),
        open_case(health, days_ago=90, team=south, lead_professional=nurse),
        open_case(health, days_ago=70, level=NeedLevel.CHILD_IN_NEED, team=south),
    ]
    drift_evaluate()
    return {"lead": lead, "nurse": nurse, "north": north, "children": children}


def ids_by_orm(user: Practitioner, filters: QueueFilters) -> list[int]:
    return [row["child_id"] for row in drift_queue_children(user=user, filters=filters)]


def ids_on_page(user: Practitioner, filters: QueueFilters, **paging: object) -> list[int]:
    page = drift_queue_page(user=user, view_name="drift_queue", filters=filters, **paging).page  # type: ignore[arg-type]
    return [row.child_id for row in page.object_list]


def test_every_scope_and_filter_lists_what_the_orm_lists(scene) -> None:  # type: ignore[no-untyped-def]
    lead, nurse, north = scene["lead"], scene["nurse"], scene["north"]
    every = [
        QueueFilters(),
        QueueFilters(scope="agency"),
        QueueFilters(scope="team"),
        QueueFilters(scope="mine"),
        QueueFilters(team=north.pk),
        QueueFilters(worker=nurse.pk),
        QueueFilters(level=NeedLevel.CHILD_IN_NEED),
        QueueFilters(rule="NO_LEAD_PROFESSIONAL"),
        QueueFilters(scope="team", rule="CHILD_NOT_SEEN", level=NeedLevel.EARLY_HELP),
    ]
    for filters in every:
        expected = ids_by_orm(lead, filters)
        assert ids_on_page(lead, filters) == expected, filters
        assert drift_queue_page(
            user=lead, view_name="drift_queue", filters=filters
        ).page.paginator.count == len(expected)
    assert ids_on_page(lead, QueueFilters(scope="mine")) == [scene["children"][1].pk]


def test_the_counts_are_drift_queue_counts(scene) -> None:  # type: ignore[no-untyped-def]
    lead = scene["lead"]
    counts = drift_queue_page(user=lead, view_name="drift_queue").counts
    assert counts == drift_queue_counts(user=lead)
    # The tallies count what the ORM lists under each scope.
    for scope in ("", "agency", "team", "mine"):
        assert counts[scope or "all"] == len(ids_by_orm(lead, QueueFilters(scope=scope))) > 0
    lead.team = None
    lead.save()
    queue = drift_queue_page(user=lead, view_name="drift_queue", filters=QueueFilters(scope="team"))
    assert queue.counts == drift_queue_counts(user=lead)
    assert queue.counts["team"] == 0 and queue.page.object_list == []


def test_pages_follow_djangos_rules(scene) -> None:  # type: ignore[no-untyped-def]
    lead = scene["lead"]
    every = ids_by_orm(lead, QueueFilters())
    assert len(every) == 5
    assert ids_on_page(lead, QueueFilters(), number="2", per_page=2) == every[2:4]
    # Past the last page, or not a number: the last page, or the first.
    last = drift_queue_page(user=lead, view_name="drift_queue", number="9", per_page=2).page
    assert (last.number, [row.child_id for row in last.object_list]) == (3, every[4:])
    assert ids_on_page(lead, QueueFilters(), number="two", per_page=2) == every[:2]
    assert ids_on_page(lead, QueueFilters(), number="0", per_page=2) == every[4:]
    assert ids_on_page(lead, QueueFilters(), number="9" * 30, per_page=2) == every[4:]
    assert ids_on_page(lead, QueueFilters(team=10**30)) == []


def test_a_restricted_record_is_shown_only_to_the_people_it_names(scene) -> None:  # type: ignore[no-untyped-def]
    lead, child = scene["lead"], scene["children"][0]
    child.is_restricted = True
    child.save()
    assert child.pk not in ids_on_page(lead, QueueFilters())
    assert drift_queue_page(user=lead, view_name="drift_queue").counts["all"] == 4
    child.restricted_to.add(lead)
    assert child.pk in ids_on_page(lead, QueueFilters())


def test_another_agency_and_a_break_glass_grant_see_nothing(scene) -> None:  # type: ignore[no-untyped-def]
    school = factories.agency("School", AgencyType.EDUCATION)
    dsl = factories.practitioner(school, Role.SAFEGUARDING_LEAD, "dsl")
    AccessGrant.objects.create(
        practitioner=dsl,
        child=scene["children"][0],
        reason="Call-out",
        expires_at=timezone.now() + datetime.timedelta(hours=1),
    )
    queue = drift_queue_page(user=dsl, view_name="drift_queue")
    assert queue.page.object_list == [] and queue.counts["all"] == 0


def test_a_flag_put_aside_is_off_the_row_and_one_whose_review_date_came_is_marked(scene) -> None:  # type: ignore[no-untyped-def]
    lead, child = scene["lead"], scene["children"][0]
    aside, back = DriftFlag.objects.filter(child=child, resolved_at__isnull=True).order_by("pk")
    for flag in (aside, back):
        services.drift_flag_decide(
            flag=flag,
            lead=lead,
            decision="accept_risk",
            reason="Seen at clinic.",
            next_review_on=TODAY + datetime.timedelta(days=7),
            submission_key=f"decide-{flag.pk}",
        )
    # A week on: the second flag's review date has come.
    DriftFlagReview.objects.filter(flag=back).update(review_on=TODAY)
    drift_queue_entries_refresh(child_ids=[child.pk])
    (row,) = [
        row
        for row in drift_queue_page(user=lead, view_name="drift_queue").page.object_list
        if row.child_id == child.pk
    ]
    assert [(item.pk, item.review_passed) for item in row.flags] == [(back.pk, True)]
    assert row.url == f"/children/{child.pk}/" and row.flags[0].url == f"/drift/flags/{back.pk}/"


def test_the_filter_choices_are_the_teams_and_the_leads_team(scene) -> None:  # type: ignore[no-untyped-def]
    lead = scene["lead"]
    social_care = factories.agency("Children's social care", AgencyType.CHILDRENS_SOCIAL_CARE)
    front_door = factories.team(social_care, "Front door")
    queue = drift_queue_page(user=lead, view_name="drift_queue")
    assert [label for _pk, label in queue.teams] == [
        "Front door (Children's social care)",
        "Health visiting north (Health)",
        "Health visiting south (Health)",
    ]
    assert queue.teams[0][0] == front_door.pk
    assert queue.workers == [(lead.pk, lead.display_name)]


def test_a_flag_comes_with_its_child_and_figures_only_within_the_policy(scene) -> None:  # type: ignore[no-untyped-def]
    lead, child = scene["lead"], scene["children"][1]
    stored = DriftFlag.objects.get(child=child, rule_code="CHILD_NOT_SEEN")
    flag = drift_flag_for_lead(user=lead, flag_id=stored.pk, view_name="drift_flag")
    assert flag is not None and flag.child == child and flag.child.full_name == child.full_name
    assert (flag.figures, flag.opened_at, flag.resolved_at) == (
        stored.figures,
        stored.opened_at,
        None,
    )
    assert isinstance(flag.figures, dict) and flag.figures
    school = factories.agency("School", AgencyType.EDUCATION)
    dsl = factories.practitioner(school, Role.SAFEGUARDING_LEAD, "dsl")
    assert drift_flag_for_lead(user=dsl, flag_id=stored.pk, view_name="drift_flag") is None
    assert drift_flag_for_lead(user=lead, flag_id=stored.pk + 1000, view_name="drift_flag") is None
    assert drift_flag_for_lead(user=lead, flag_id=10**30, view_name="drift_flag") is None
    # The one read the policy let through is logged, by the same statement.
    assert list(
        AccessLogEntry.objects.filter(view_name="drift_flag").values_list(
            "practitioner_id", "child_id", "break_glass"
        )
    ) == [(lead.pk, child.pk, False)]


def test_the_page_escapes_every_value_it_draws_and_names_an_unborn_child(scene) -> None:  # type: ignore[no-untyped-def]
    lead, child, unborn = scene["lead"], scene["children"][0], scene["children"][1]
    Child.objects.filter(pk=child.pk).update(first_name="<b>Amy</b>", last_name='"Smith"')
    Child.objects.filter(pk=unborn.pk).update(
        first_name="", is_unborn=True, last_name="Jones", expected_date_of_delivery=TODAY
    )
    client = Client()
    client.force_login(lead)
    page = client.get("/drift/").content.decode()
    assert "<b>Amy</b>" not in page and '"Smith"' not in page
    # The child's link and, in each flag's link, the name a screen reader hears.
    assert (
        page.count("&lt;b&gt;Amy&lt;/b&gt; &quot;Smith&quot;")
        == 1 + DriftFlag.objects.filter(child=child, resolved_at__isnull=True).count()
    )
    assert "Unborn Jones</a>" in page and "for Unborn Jones</span>" in page
