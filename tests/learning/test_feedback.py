"""Feedback from children and families: recorded with a visit or a plan review (or on its own), shown on the child's
page over time, measured on the dashboards with suppression."""

from __future__ import annotations

import datetime
import hashlib
import json
import re

import pytest
from django.test import Client
from django.utils import timezone

from cases.codes import Role
from cases.models import Visit
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
        for r in rows.filter(metric="feedback_safe_change", dimension="answer_direction")
    }
    # Better: the 8 who said no and now yes; same: 2 yes-yes; worse: 2 yes-no.
    assert change == {"improved": 8, "same": 2, "deteriorated": 2}
    executive = Client()
    executive.force_login(factories.practitioner(agency, Role.EXECUTIVE))
    page = executive.get(
        "/dashboards/metrics/feedback_safe_change/?period_type=quarter&breakdown=answer_direction"
    ).content.decode()
    assert "[c]" in page  # two children each way is a count to suppress


def test_the_change_is_drawn_as_the_shares_it_is_made_of_not_as_100_percent(db: None) -> None:
    """A share-of-total metric's trend would be 100% every period: its page stacks the shares
    (Chart.js) and its table and CSV give each share, as the report pack does."""
    agency = factories.agency()
    nurse = factories.practitioner(agency, Role.PRACTITIONER)
    today = timezone.localdate()
    earlier = today - datetime.timedelta(days=200)
    for n in range(20):  # 10 better, 5 the same, 5 worse: no count small enough to hide
        child = factories.child(known_to=[agency])
        first, latest = (1, 3) if n < 10 else (3, 3) if n < 15 else (3, 1)
        for day, score in ((earlier, first), (today, latest)):
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
    snapshot_build_run(trigger="command", as_at=today)
    executive = Client()
    executive.force_login(factories.practitioner(agency, Role.EXECUTIVE))
    page = executive.get(
        "/dashboards/metrics/feedback_safe_change/?period_type=quarter"
    ).content.decode()
    trend = page.split('data-testid="trend-table"')[1].split("</table>")[0]
    headers = re.findall(r'<th scope="col"[^>]*>([^<]+)</th>', trend)
    assert headers == ["Quarter", "Total", "Improved", "No change", "Deteriorated"]
    last = re.findall(r"<t[hd][^>]*>([^<]+)</t[hd]>", trend.split("<tr")[-1])
    assert last[1:] == ["20", "50.0%", "25.0%", "25.0%"]
    assert "100.0%" not in trend
    chart = json.loads(re.findall(r'id="trend-chart-data"[^>]*>(.*?)</script>', page)[0])
    assert chart["stacked"] is True
    last_shares = {series["label"]: series["values"][-1] for series in chart["series"]}
    assert last_shares == {"Improved": 50.0, "No change": 25.0, "Deteriorated": 25.0}
    csv_text = executive.get(
        "/dashboards/metrics/feedback_safe_change/export.csv?table=trend&period_type=quarter"
    ).content.decode()
    assert "Quarter,Total,Improved,No change,Deteriorated" in csv_text
    assert "20,50.0%,25.0%,25.0%" in csv_text


@pytest.mark.parametrize("scale", ["3", "5"])
def test_the_form_offers_the_chosen_scale(world: World, scale: str) -> None:
    client = Client()
    client.force_login(world.users["practitioner"])
    page = client.get(f"/children/{world.child.pk}/feedback/new/?scale={scale}").content.decode()
    assert ("Strongly agree" in page) == (scale == "5")


# --- The questionnaire as part of recording a visit or a plan review --------------------------


def _visit(client: Client, child_id: int, key: str, query: str = "", **fields: str) -> object:
    day = timezone.localdate()
    data = {
        "submission_key": key,
        "kind": "home_visit",
        "child_seen": "on",
        "occurred_on-day": str(day.day),
        "occurred_on-month": str(day.month),
        "occurred_on-year": str(day.year),
        "feedback-answer_safe_at_home": "3",
        "feedback-answer_listened_to": "2",
        "feedback-child_own_words": "Mum makes tea now",
        "feedback-answer_understand_change": "3",
        **fields,
    }
    return client.post(f"/children/{child_id}/visits/new/{query}", data)


def test_the_visit_form_records_the_questionnaire_once_however_often_it_is_sent(
    world: World,
) -> None:
    client = Client()
    client.force_login(world.users["practitioner"])
    page = client.get(f"/children/{world.child.pk}/visits/new/").content.decode()
    assert "Feedback from the child and family (optional)" in page
    for _ in range(2):
        assert _visit(client, world.child.pk, "visit-1").status_code == 302  # type: ignore[attr-defined]
    visit = Visit.objects.get()
    given = {f.respondent: f for f in Feedback.objects.filter(child=world.child)}
    assert set(given) == {"child", "parent"}
    assert all(f.occasion == "visit" and f.given_on == visit.occurred_on for f in given.values())
    assert given["child"].own_words == "Mum makes tea now" and given["parent"].own_words == ""
    answers = {a.question: a.score for a in FeedbackAnswer.objects.all()}
    assert answers == {"safe_at_home": 3, "listened_to": 2, "understand_change": 3}
    child_page = client.get(f"/children/{world.child.pk}/").content.decode()
    assert "Yes (3 of 3)" in child_page and "Mum makes tea now" in child_page


def test_a_visit_without_the_questionnaire_records_no_feedback(world: World) -> None:
    client = Client()
    client.force_login(world.users["practitioner"])
    empty = {
        "feedback-answer_safe_at_home": "",
        "feedback-answer_listened_to": "",
        "feedback-child_own_words": "",
        "feedback-answer_understand_change": "",
    }
    assert _visit(client, world.child.pk, "visit-2", **empty).status_code == 302  # type: ignore[attr-defined]
    assert Visit.objects.count() == 1 and not Feedback.objects.exists()


def test_the_questionnaires_errors_join_the_visits_in_one_summary_and_nothing_is_saved(
    world: World,
) -> None:
    client = Client()
    client.force_login(world.users["practitioner"])
    response = _visit(
        client,
        world.child.pk,
        "visit-3",
        kind="",
        **{"feedback-answer_listened_to": "", "feedback-answer_understand_change": ""},
    )
    page = response.content.decode()  # type: ignore[attr-defined]
    assert page.count('class="govuk-error-summary"') == 1
    summary = page.split('class="govuk-error-summary"')[1].split("</ul>")[0]
    assert 'href="#id_kind"' in summary  # the visit's own field
    assert 'href="#id_feedback-answer_listened_to"' in summary
    # The parent's answers left empty ask nothing of them: only the child's missing one is wrong.
    assert "id_feedback-answer_understand_change" not in summary
    assert not Visit.objects.exists() and not Feedback.objects.exists()


def test_a_refused_questionnaire_leaves_no_visit_behind(world: World) -> None:
    """The visit and its answers are saved together: if the feedback service refuses (here a
    submission key already used for another child), the visit is rolled back too."""
    client = Client()
    client.force_login(world.users["practitioner"])
    other = factories.child(known_to=[world.health])
    key = hashlib.sha256(b"visit-4:child").hexdigest()
    feedback_record(
        author=world.users["practitioner"],
        child=other,
        respondent="child",
        occasion="visit",
        given_on=timezone.localdate(),
        scale=3,
        answers={"safe_at_home": 1, "listened_to": 1},
        own_words="",
        submission_key=key,
    )
    page = _visit(client, world.child.pk, "visit-4").content.decode()  # type: ignore[attr-defined]
    assert "There is a problem" in page
    assert not Visit.objects.exists()
    assert not Feedback.objects.filter(child=world.child).exists()


def test_the_five_point_scale_is_chosen_in_the_address(world: World) -> None:
    client = Client()
    client.force_login(world.users["practitioner"])
    page = client.get(f"/children/{world.child.pk}/visits/new/?scale=5").content.decode()
    assert "Strongly agree" in page
    _visit(client, world.child.pk, "visit-5", "?scale=5", **{"feedback-answer_safe_at_home": "5"})
    child_feedback = Feedback.objects.get(respondent="child")
    assert child_feedback.scale == 5
    assert child_feedback.answers.get(question="safe_at_home").score == 5


def test_a_plan_review_records_the_questionnaire_as_given_at_a_review(world: World) -> None:
    client = Client()
    client.force_login(world.users["practitioner"])
    today = timezone.localdate()
    plan = factories.plan(
        world.child, "early_help", world.health, today - datetime.timedelta(days=60)
    )
    data = {
        "submission_key": "review-1",
        "summary": "Going well",
        **_date("reviewed_on", today),
        **_date("next_review_on", today + datetime.timedelta(days=90)),
        "feedback-answer_understand_change": "2",
        "feedback-parent_own_words": "I know the house must be warm",
    }
    url = f"/children/{world.child.pk}/plans/{plan.pk}/review/"
    assert "Feedback from the child and family" in client.get(url).content.decode()
    for _ in range(2):
        assert client.post(url, data).status_code == 302
    given = Feedback.objects.get()
    assert (given.respondent, given.occasion, given.given_on) == ("parent", "review", today)
    assert given.answers.get().score == 2


def _date(prefix: str, day: datetime.date) -> dict[str, str]:
    return {
        f"{prefix}-day": str(day.day),
        f"{prefix}-month": str(day.month),
        f"{prefix}-year": str(day.year),
    }
