import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from cases.models import Child, Involvement
from tests.support import factories

pytestmark = pytest.mark.django_db


def test_an_unborn_child_needs_an_expected_date_of_delivery() -> None:
    child = Child(family=factories.family(), last_name="Quill", is_unborn=True)
    with pytest.raises(ValidationError) as caught:
        child.full_clean()
    assert "expected_date_of_delivery" in caught.value.message_dict


def test_the_database_also_refuses_an_unborn_child_without_a_date() -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        Child.objects.create(family=factories.family(), last_name="Quill", is_unborn=True)


def test_a_date_of_birth_in_the_future_is_refused() -> None:
    child = Child(
        family=factories.family(),
        first_name="Ada",
        last_name="Quill",
        date_of_birth=timezone.localdate() + datetime.timedelta(days=1),
    )
    with pytest.raises(ValidationError) as caught:
        child.full_clean()
    assert caught.value.message_dict["date_of_birth"] == [
        "Date of birth must be today or in the past"
    ]


def test_an_nhs_number_failing_modulus_11_is_refused_on_the_field() -> None:
    child = Child(
        family=factories.family(),
        first_name="Ada",
        last_name="Quill",
        date_of_birth=datetime.date(2020, 1, 1),
        nhs_number="9434765918",
    )
    with pytest.raises(ValidationError) as caught:
        child.full_clean()
    assert "nhs_number" in caught.value.message_dict


def test_a_child_has_one_open_involvement_at_a_time() -> None:
    agency = factories.agency()
    child = factories.child(known_to=[agency])
    factories.involvement(child, "early_help", agency)
    with pytest.raises(IntegrityError), transaction.atomic():
        factories.involvement(child, "child_in_need", agency)


def test_a_protection_plan_needs_its_category() -> None:
    agency = factories.agency()
    plan = Involvement(
        child=factories.child(),
        level="child_protection",
        lead_agency=agency,
        started_on=timezone.localdate(),
    )
    with pytest.raises(ValidationError) as caught:
        plan.full_clean()
    assert "protection_category" in caught.value.message_dict
