"""The concern form and the concern page: GOV.UK errors, siblings in one go, double submit,
amendments, and a page that shows only the children the reader may see."""

from __future__ import annotations

import datetime

import pytest
from django.test import Client
from django.utils import timezone

from cases.codes import AgencyType, Role
from cases.models import AccessLogEntry, ChronologyEntry, Concern, ConcernAmendment
from tests.support import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def family_world() -> dict:
    health = factories.agency("Health", AgencyType.HEALTH)
    school = factories.agency("School", AgencyType.EDUCATION)
    family = factories.family()
    elder = factories.child(known_to=[health], in_family=family, first_name="Ada")
    younger = factories.child(known_to=[health, school], in_family=family, first_name="Bea")
    nurse = factories.practitioner(health, Role.PRACTITIONER)
    teacher = factories.practitioner(school, Role.PRACTITIONER)
    return {"elder": elder, "younger": younger, "nurse": nurse, "teacher": teacher}


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def concern_post(subjects: list, key: str = "k1", **overrides: object) -> dict:
    observed = timezone.localdate() - datetime.timedelta(days=1)
    data: dict[str, object] = {
        "submission_key": key,
        "children": [str(c.pk) for c in subjects],
        "neglect_types": ["physical", "supervision"],
        "what_was_seen": "Both children alone at home at 9pm.",
        "severity": "high",
        "observed_on-day": str(observed.day),
        "observed_on-month": str(observed.month),
        "observed_on-year": str(observed.year),
        "place_observed": "At home",
        "child_seen": "yes",
        "child_seen_alone": "no",
        "child_spoken_to": "yes",
        "child_voice": "Mum went out.",
        "actions_taken": ["front_door_referral"],
        "consent_to_share": "given",
        "sharing_reason": "",
    }
    data.update(overrides)
    return data


def test_the_form_offers_the_child_and_the_siblings_the_user_may_see(family_world) -> None:
    response = signed_in(family_world["nurse"]).get(
        f"/children/{family_world['elder'].pk}/concerns/new/"
    )
    assert response.status_code == 200
    assert b"Ada" in response.content and b"Bea" in response.content
    # Another agency that knows only the younger child is offered only that child.
    response = signed_in(family_world["teacher"]).get(
        f"/children/{family_world['younger'].pk}/concerns/new/"
    )
    assert b"Bea" in response.content and b"Ada" not in response.content


def test_it_logs_a_concern_for_two_siblings_and_redirects_to_it(family_world) -> None:
    elder, younger = family_world["elder"], family_world["younger"]
    response = signed_in(family_world["nurse"]).post(
        f"/children/{elder.pk}/concerns/new/", concern_post([elder, younger])
    )
    concern = Concern.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/concerns/{concern.pk}/"
    assert ChronologyEntry.objects.filter(source_id=concern.pk).count() == 2
    assert concern.child_voice == "Mum went out."
    assert concern.child_seen is True and concern.child_seen_alone is False


def test_a_double_submit_creates_one_concern_and_redirects_to_it(family_world) -> None:
    elder = family_world["elder"]
    client = signed_in(family_world["nurse"])
    first = client.post(f"/children/{elder.pk}/concerns/new/", concern_post([elder], key="dup"))
    second = client.post(f"/children/{elder.pk}/concerns/new/", concern_post([elder], key="dup"))
    assert Concern.objects.count() == 1
    assert first["Location"] == second["Location"]


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"neglect_types": []}, "neglect_types", "Select at least one type of neglect"),
        ({"what_was_seen": "x" * 2001}, "what_was_seen", "2,000 characters or fewer"),
        ({"observed_on-year": "2999"}, "observed_on-day", "must be today or in the past"),
        ({"observed_on-month": ""}, "observed_on-month", "must include a month"),
        ({"observed_on-day": "31", "observed_on-month": "2"}, "observed_on-day", "real date"),
        ({"children": []}, "children", "Select at least one child"),
        (
            {"consent_to_share": "not_sought"},
            "sharing_reason",
            "Explain why you are sharing without consent",
        ),
    ],
)
def test_bad_answers_get_a_message_on_the_field_and_nothing_is_saved(
    family_world, overrides: dict, field: str, message: str
) -> None:
    elder = family_world["elder"]
    response = signed_in(family_world["nurse"]).post(
        f"/children/{elder.pk}/concerns/new/", concern_post([elder], **overrides)
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "There is a problem" in html
    assert f'href="#id_{field}"' in html
    # A date's summary link goes to the part that is wrong; its message is the field's.
    assert f'id="id_{field.partition("-")[0]}-error"' in html
    assert message in html
    assert Concern.objects.count() == 0


def test_the_concern_page_shows_only_the_children_the_reader_may_see(family_world) -> None:
    elder, younger = family_world["elder"], family_world["younger"]
    concern = factories.concern(family_world["nurse"], [elder, younger])
    response = signed_in(family_world["teacher"]).get(f"/concerns/{concern.pk}/")
    assert response.status_code == 200
    assert younger.full_name.encode() in response.content
    assert elder.full_name.encode() not in response.content
    assert list(AccessLogEntry.objects.values_list("child_id", flat=True)) == [younger.pk]


def test_a_concern_about_nobody_the_reader_may_see_is_refused(family_world) -> None:
    elder = family_world["elder"]
    concern = factories.concern(family_world["nurse"], [elder])
    response = signed_in(family_world["teacher"]).get(f"/concerns/{concern.pk}/")
    assert response.status_code == 403


def test_an_amendment_is_added_from_the_concern_page(family_world) -> None:
    elder = family_world["elder"]
    concern = factories.concern(family_world["nurse"], [elder])
    client = signed_in(family_world["nurse"])
    response = client.post(f"/concerns/{concern.pk}/amendments/", {"text": "Seen by GP since."})
    assert response.status_code == 302
    assert ConcernAmendment.objects.get().text == "Seen by GP since."
    page = client.get(f"/concerns/{concern.pk}/")
    assert b"Seen by GP since." in page.content


def test_an_empty_amendment_gets_a_field_message(family_world) -> None:
    elder = family_world["elder"]
    concern = factories.concern(family_world["nurse"], [elder])
    response = signed_in(family_world["nurse"]).post(
        f"/concerns/{concern.pk}/amendments/", {"text": ""}
    )
    assert response.status_code == 200
    assert b"Enter the amendment" in response.content
    assert ConcernAmendment.objects.count() == 0
