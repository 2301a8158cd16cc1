"""Feedback from children and families: recorded at a visit or review, shown on the child's
page over time, measured on the dashboards with suppression."""

from __future__ import annotations

import datetime

import pytest
from django.test import Client
from django.utils import timezone

from cases.codes import Role
from learning.feedback import feedback_record
from learning.models import Feedback, FeedbackAnswer
from reporting.models import SnapshotRow
from reporting.services import snapshot_build_run
from tests.support import factories
from tests.support.world import World


def _post(client: Client, child_id: int, key: str, **fields: str) -> object:
    day = timezone.localdate()
    data = {
        "submission_key": key,
        "respondent": "child",
        "occasion": "visit",
        "given_on-day": str(day.day),
        "given_on-month": str(day.month),
        "given_on-year": str(day.year),
        "answer_safe_at_home": "3",
        "answer_listened_to": "2",
        "own_words": "I like it when my mum is home",
        **fields,
    }
    return client.post(f"/children/{child_id}/feedback/new/", data)


def test_the_childs_answers_show_on_their_page(world: World) -> None:
    client = Client()
    client.force_login(world.users["practitioner"])
    response = _post(client, world.child.pk, "k1")
    assert response.status_code == 302  # type: ignore[attr-defined]
    page = client.get(f"/children/{world.child.pk}/").content.decode()
    assert "Feedback from the child and family" in page
    assert "Yes (3 of 3)" in page and "Sometimes (2 of 3)" in page
    assert "I like it when my mum is home" in page


def test_a_double_submit_saves_one_questionnaire(world: World) -> None:
    client = Client()
    client.force_login(world.users["practitioner"])
    _post(client, world.child.pk, "same")
    _post(client, world.child.pk, "same")
    assert Feedback.objects.count() == 1 and FeedbackAnswer.objects.count() == 2


def test_each_of_the_respondents_statements_needs_an_answer(world: World) -> None:
    client = Client()
    client.force_login(world.users["practitioner"])
    page = _post(client, world.child.pk, "k2", answer_listened_to="").content.decode()  # type: ignore[attr-defined]
    assert "Select an answer to" in page and 'href="#id_answer_listened_to"' in page
    assert not Feedback.objects.exists()


def test_a_child_the_practitioner_cannot_see_is_refused(world: World) -> None:
    client = Client()
    client.force_login(world.users["unrelated_practitioner"])
    assert _post(client, world.child.pk, "k3").status_code == 403  # type: ignore[attr-defined]


def test_the_dashboards_measure_feeling_safe_and_its_change(db: None) -> None:
    agency = factories.agency()
    nurse = factories.practitioner(agency, Role.PRACTITIONER)
    today = timezone.localdate()
    earlier = today - datetime.timedelta(days=200)
    for n in range(12):
        child = factories.child(known_to=[agency])
        first = 1 if n < 8 else 3  # eight said no before; four said yes
        for day, score in ((earlier, first), (today, 3 if n < 10 else 1)):
            feedback_record(
                author=nurse,
                child=child,
                respondent="child",
                occasion="visit",
                given_on=day,
                scale=3,
                answers={"safe_at_home": score, "listened_to": 2},
                own_words="",
                submission_key=f"k{n}-{day}",
            )
    build = snapshot_build_run(trigger="command", as_at=today)
    quarter = datetime.date(today.year, (today.month - 1) // 3 * 3 + 1, 1)
    rows = SnapshotRow.objects.filter(build=build, period_type="quarter", period_start=quarter)
    safe = rows.get(metric="feedback_feel_safe", dimension="all")
    assert (safe.numerator, safe.denominator) == (10, 12)
    change = {
        r.dimension_key: r.numerator
        for r in rows.filter(metric="feedback_safe_change", dimension="direction")
    }
    # Better: the 8 who said no and now yes; same: 2 yes-yes; worse: 2 yes-no.
    assert change == {"improved": 8, "same": 2, "deteriorated": 2}
    executive = Client()
    executive.force_login(factories.practitioner(agency, Role.EXECUTIVE))
    page = executive.get(
        "/dashboards/metrics/feedback_safe_change/?period_type=quarter&breakdown=direction"
    ).content.decode()
    assert "[c]" in page  # two children each way is a count to suppress


@pytest.mark.parametrize("scale", ["3", "5"])
def test_the_form_offers_the_chosen_scale(world: World, scale: str) -> None:
    client = Client()
    client.force_login(world.users["practitioner"])
    page = client.get(f"/children/{world.child.pk}/feedback/new/?scale={scale}").content.decode()
    assert ("Strongly agree" in page) == (scale == "5")
