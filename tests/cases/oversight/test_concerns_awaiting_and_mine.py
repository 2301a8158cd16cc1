"""Concerns awaiting an outcome (counted, ordered, filtered, paged), each child's status on the
concern page, and a practitioner's "Concerns I raised"."""

from __future__ import annotations

import datetime

import pytest
from django.test import Client
from django.utils import timezone

from cases.codes import AgencyType, NeedLevel, Role
from cases.models import Concern
from cases.oversight.selectors import AwaitingFilters, concerns_awaiting_outcome
from cases.oversight.services import concern_outcome_record
from tests.support import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def scene() -> dict[str, object]:
    school = factories.agency("School", AgencyType.EDUCATION)
    health = factories.agency("Health", AgencyType.HEALTH)
    csc = factories.agency("Social Care", AgencyType.CHILDRENS_SOCIAL_CARE)
    teacher = factories.practitioner(school, Role.PRACTITIONER, "teacher")
    nurse = factories.practitioner(health, Role.PRACTITIONER, "nurse")
    manager = factories.practitioner(csc, Role.SOCIAL_CARE_MANAGER, "manager")
    older = factories.child(known_to=[school, health, csc], first_name="Older")
    younger = factories.child(known_to=[school, csc], in_family=older.family, first_name="Younger")
    factories.involvement(older, NeedLevel.CHILD_IN_NEED, csc)
    factories.involvement(younger, NeedLevel.CHILD_IN_NEED, csc)
    siblings = factories.concern_observed([older, younger], teacher)
    old = factories.concern_observed([older], nurse)
    Concern.objects.filter(pk=old.pk).update(
        submitted_at=timezone.now() - datetime.timedelta(days=40)
    )
    return {
        "school": school,
        "health": health,
        "teacher": teacher,
        "manager": manager,
        "older": older,
        "younger": younger,
        "siblings": siblings,
        "old": old,
    }


def test_the_list_is_filtered_by_agency_and_age_and_ordered_either_way(scene) -> None:  # type: ignore[no-untyped-def]
    manager = scene["manager"]
    oldest_first = list(concerns_awaiting_outcome(user=manager))
    assert oldest_first[0].concern == scene["old"]
    assert len(oldest_first) == 3  # one row per child of each concern
    newest = list(
        concerns_awaiting_outcome(user=manager, filters=AwaitingFilters(newest_first=True))
    )
    assert newest[-1].concern == scene["old"]
    by_school = concerns_awaiting_outcome(
        user=manager, filters=AwaitingFilters(agency=scene["school"].pk)
    )
    assert {link.concern for link in by_school} == {scene["siblings"]}
    older_than_a_month = concerns_awaiting_outcome(
        user=manager, filters=AwaitingFilters(age="older")
    )
    assert [link.concern for link in older_than_a_month] == [scene["old"]]
    this_week = concerns_awaiting_outcome(user=manager, filters=AwaitingFilters(age="week"))
    assert {link.concern for link in this_week} == {scene["siblings"]}


def test_the_page_counts_and_pages(scene) -> None:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(scene["manager"])
    page = client.get("/drift/concerns/", {"order": "newest"}).content.decode()
    assert "3 concerns awaiting an outcome" in page
    filtered = client.get("/drift/concerns/", {"age": "older"}).content.decode()
    assert "1 concern awaiting an outcome" in filtered


def test_each_sibling_has_its_own_status_on_the_concern_page_and_in_concerns_i_raised(
    scene,
) -> None:  # type: ignore[no-untyped-def]
    concern_outcome_record(
        concern=scene["siblings"],
        child=scene["older"],
        lead=scene["manager"],
        outcome="assessment_started",
        reason="",
    )
    client = Client()
    client.force_login(scene["teacher"])
    page = client.get(f"/concerns/{scene['siblings'].pk}/").content.decode()
    statuses = page.split('data-testid="concern-statuses"')[1].split("</table>")[0]
    assert "Assessment started" in statuses and "Awaiting an outcome" in statuses
    mine = client.get("/concerns/mine/").content.decode()
    assert mine.count("Assessment started") == 1 and mine.count("Awaiting an outcome") == 1


def test_the_concern_page_shows_only_the_children_the_reader_may_see(scene) -> None:  # type: ignore[no-untyped-def]
    nurse_view = Client()
    nurse_view.force_login(factories.practitioner(scene["health"], Role.PRACTITIONER))
    page = nurse_view.get(f"/concerns/{scene['siblings'].pk}/").content.decode()
    statuses = page.split('data-testid="concern-statuses"')[1].split("</table>")[0]
    assert scene["older"].full_name in statuses
    assert scene["younger"].full_name not in statuses


def test_siblings_in_one_concern_keep_their_own_words(scene) -> None:  # type: ignore[no-untyped-def]
    older, younger = scene["older"], scene["younger"]
    client = Client()
    client.force_login(scene["teacher"])
    day = timezone.localdate()
    response = client.post(
        f"/children/{older.pk}/concerns/new/",
        {
            "submission_key": "siblings-own-words",
            "children": [str(older.pk), str(younger.pk)],
            "neglect_types": ["nutritional"],
            "what_was_seen": "Both arrived without breakfast.",
            "severity": "medium",
            "observed_on-day": day.day,
            "observed_on-month": day.month,
            "observed_on-year": day.year,
            "child_seen": "yes",
            "child_seen_alone": "yes",
            "child_spoken_to": "yes",
            "child_voice": "There was no food.",
            f"sibling_{younger.pk}_seen": "yes",
            f"sibling_{younger.pk}_seen_alone": "no",
            f"sibling_{younger.pk}_spoken_to": "no",
            f"sibling_{younger.pk}_voice": "",
            "actions_taken": ["advice"],
            "consent_to_share": "given",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    older_page = client.get(f"/children/{older.pk}/").content.decode()
    younger_page = client.get(f"/children/{younger.pk}/").content.decode()
    voice = 'data-testid="voice-of-the-child"'
    assert "There was no food." in older_page.split(voice)[1].split("</table>")[0]
    assert "There was no food." not in younger_page.split(voice)[1].split("</table>")[0]


def test_a_sibling_chosen_without_their_own_answers_is_asked_for_them(scene) -> None:  # type: ignore[no-untyped-def]
    older, younger = scene["older"], scene["younger"]
    client = Client()
    client.force_login(scene["teacher"])
    day = timezone.localdate()
    response = client.post(
        f"/children/{older.pk}/concerns/new/",
        {
            "submission_key": "siblings-missing",
            "children": [str(older.pk), str(younger.pk)],
            "neglect_types": ["nutritional"],
            "what_was_seen": "Both arrived without breakfast.",
            "severity": "medium",
            "observed_on-day": day.day,
            "observed_on-month": day.month,
            "observed_on-year": day.year,
            "child_seen": "no",
            "child_seen_alone": "no",
            "child_spoken_to": "no",
            "actions_taken": ["advice"],
            "consent_to_share": "given",
        },
    )
    assert response.status_code == 200
    assert f"Select yes or no: was {younger.full_name.lower()} seen" in response.content.decode()
    assert not Concern.objects.filter(submission_key="siblings-missing").exists()
