"""Registering a child the partnership does not know, with a duplicate check first."""

from __future__ import annotations

import datetime

import pytest
from django.test import Client
from django.utils import timezone

from cases.codes import AgencyType, Role
from cases.models import Child, LegitimateRelationship
from tests.support import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def nurse():
    return factories.practitioner(factories.agency("Health", AgencyType.HEALTH), Role.PRACTITIONER)


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def answers(**overrides: str) -> dict[str, str]:
    data = {
        "first_name": "Noah",
        "last_name": "Pemberton",
        "is_unborn": "no",
        "date_of_birth-day": "4",
        "date_of_birth-month": "5",
        "date_of_birth-year": "2020",
        "sex": "M",
        "nhs_number": "943 476 5919",
        "upn": "",
        "address_line_1": "2 Mill Lane",
        "town": "Northtown",
        "postcode": "nt3 5xy",
    }
    data.update(overrides)
    return data


def test_it_registers_the_child_with_a_family_address_and_relationship(nurse) -> None:
    response = client_for(nurse).post("/children/new/", answers())
    child = Child.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/children/{child.pk}/"
    assert child.nhs_number == "9434765919"
    assert child.family.addresses.get().postcode == "NT3 5XY"
    assert LegitimateRelationship.objects.filter(child=child, agency=nurse.agency).exists()
    assert child.team_around_family.get().practitioner == nurse


def test_an_unborn_child_is_registered_with_an_expected_date(nurse) -> None:
    due = timezone.localdate() + datetime.timedelta(days=60)
    response = client_for(nurse).post(
        "/children/new/",
        answers(
            first_name="",
            is_unborn="yes",
            nhs_number="",
            **{
                "date_of_birth-day": "",
                "date_of_birth-month": "",
                "date_of_birth-year": "",
                "expected_date_of_delivery-day": str(due.day),
                "expected_date_of_delivery-month": str(due.month),
                "expected_date_of_delivery-year": str(due.year),
            },
        ),
    )
    assert response.status_code == 302
    child = Child.objects.get()
    assert child.is_unborn and child.expected_date_of_delivery == due


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"nhs_number": "943 476 5918"}, "nhs_number", "fails the check digit"),
        ({"date_of_birth-year": "2999"}, "date_of_birth-day", "must be today or in the past"),
        (
            {"is_unborn": "yes", "first_name": ""},
            "expected_date_of_delivery-day",
            "Enter the expected date of delivery",
        ),
        ({"last_name": "x" * 101}, "last_name", "100 characters or fewer"),
        ({"postcode": "nowhere"}, "postcode", "Enter a real postcode"),
    ],
)
def test_bad_input_gets_a_field_message_and_nothing_is_saved(nurse, overrides, field, message):
    response = client_for(nurse).post("/children/new/", answers(**overrides))
    html = response.content.decode()
    assert response.status_code == 200
    assert f'href="#id_{field}"' in html and message in html
    assert Child.objects.count() == 0


def test_the_same_nhs_number_is_shown_as_a_possible_duplicate_before_saving(nurse) -> None:
    school = factories.agency("School", AgencyType.EDUCATION)
    existing = factories.child(known_to=[school], first_name="Noel", nhs_number="9434765919")
    response = client_for(nurse).post("/children/new/", answers())
    html = response.content.decode()
    assert "The partnership may already know this child" in html
    assert f"/children/{existing.pk}/request-access/" in html
    assert existing.last_name not in html  # the nurse's agency does not know them
    assert Child.objects.count() == 1


def test_a_similar_name_and_the_same_date_of_birth_is_a_possible_duplicate(nurse) -> None:
    factories.child(
        known_to=[nurse.agency],
        first_name="Noah",
        last_name="Pembertan",
        date_of_birth=datetime.date(2020, 5, 4),
    )
    response = client_for(nurse).post("/children/new/", answers(nhs_number=""))
    assert b"The partnership may already know this child" in response.content
    assert b"Pembertan" in response.content  # known to the nurse's agency: shown in full
    assert Child.objects.count() == 1


def test_the_practitioner_may_proceed_after_seeing_the_duplicates(nurse) -> None:
    factories.child(
        known_to=[nurse.agency],
        first_name="Noah",
        last_name="Pembertan",
        date_of_birth=datetime.date(2020, 5, 4),
    )
    response = client_for(nurse).post("/children/new/", answers(nhs_number="", confirmed_new="yes"))
    assert response.status_code == 302
    assert Child.objects.count() == 2
