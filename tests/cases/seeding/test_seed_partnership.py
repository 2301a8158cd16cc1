"""The synthetic partnership generator, on a small size."""

from collections import Counter
from collections.abc import Iterator
from typing import Any

import pytest
from django.core.management import call_command

from cases.models import (
    Adult,
    Agency,
    Child,
    ChronologyEntry,
    Involvement,
    LegitimateRelationship,
    Practitioner,
)
from cases.seeding.synthetic import DEMO_ACCOUNTS
from cases.validators import validate_nhs_number, validate_upn
from tests.support.awaiting import maintained, recounted
from tests.support.seeding import seeded_partnership

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def seeded(django_db_setup: None, django_db_blocker: Any) -> Iterator[None]:
    with seeded_partnership(django_db_blocker, children=1500):
        yield


def test_it_makes_the_number_of_children_asked_for(seeded: None) -> None:
    assert Child.objects.count() == 1500


def test_every_agency_type_is_present_with_teams_and_practitioners(seeded: None) -> None:
    assert Agency.objects.values("agency_type").distinct().count() == 10
    for agency in Agency.objects.all():
        assert agency.teams.exists()
        assert agency.practitioners.exists()


def test_there_is_one_demo_login_per_role(seeded: None) -> None:
    roles = set(
        Practitioner.objects.filter(username__in=[a[0] for a in DEMO_ACCOUNTS]).values_list(
            "role", flat=True
        )
    )
    assert roles == {
        "practitioner",
        "safeguarding_lead",
        "social_care_manager",
        "analyst",
        "executive",
        "administrator",
        "information_governance",
        "business_manager",
    }


def test_families_have_siblings_and_some_children_are_unborn(seeded: None) -> None:
    family_sizes = Counter(Child.objects.values_list("family_id", flat=True))
    assert max(family_sizes.values()) >= 3
    unborn = Child.objects.filter(is_unborn=True)
    assert unborn.exists()
    assert not unborn.filter(expected_date_of_delivery__isnull=True).exists()


def test_identifiers_pass_their_own_checks(seeded: None) -> None:
    for nhs_number, upn in Child.objects.exclude(nhs_number="").values_list("nhs_number", "upn")[
        :300
    ]:
        validate_nhs_number(nhs_number)
        assert nhs_number.startswith("999")  # the NHS's reserved test range
        if upn:
            validate_upn(upn)


def test_about_half_of_protection_plans_are_for_neglect(seeded: None) -> None:
    plans = Involvement.objects.filter(level="child_protection", ended_on__isnull=True)
    neglect = plans.filter(protection_category="NEG").count()
    assert plans.count() > 50
    assert 0.35 < neglect / plans.count() < 0.65


def test_adults_carry_risk_factors_from_the_census_codes(seeded: None) -> None:
    factors = Counter(
        f for row in Adult.objects.values_list("risk_factors", flat=True) for f in row
    )
    assert {"3B", "2B", "4B"} <= set(factors)


def test_each_child_has_a_chronology_and_a_known_agency(seeded: None) -> None:
    per_child = Counter(ChronologyEntry.objects.values_list("child_id", flat=True))
    assert len(per_child) == 1500
    assert 14 <= sum(per_child.values()) / 1500 <= 27
    assert LegitimateRelationship.objects.values("child").distinct().count() == 1500


def test_if_empty_leaves_an_existing_partnership_alone(seeded: None) -> None:
    call_command("seed_partnership", children=100, if_empty=True, no_progress=True)
    assert Child.objects.count() == 1500


def test_concerns_awaiting_an_outcome_are_written_once_at_the_end(seeded: None) -> None:
    rows = maintained()
    assert rows and rows == recounted()
