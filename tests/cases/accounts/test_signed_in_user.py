"""The signed-in user is read with their agency and team: pages name and scope by them."""

from __future__ import annotations

import pytest

from cases.accounts.backends import PractitionerBackend
from cases.codes import AgencyType
from tests.support import factories

pytestmark = pytest.mark.django_db


def test_the_user_comes_with_agency_and_team_in_one_query(django_assert_num_queries) -> None:  # type: ignore[no-untyped-def]
    agency = factories.agency("Health", AgencyType.HEALTH)
    person = factories.practitioner(agency, team=factories.team(agency, "East"))
    with django_assert_num_queries(1):
        user = PractitionerBackend().get_user(person.pk)
        assert user is not None and user.agency is not None and user.team is not None
        assert (user.agency.name, user.team.name) == ("Health", "East")


def test_an_inactive_or_unknown_user_is_not_signed_in() -> None:
    person = factories.practitioner(factories.agency("Health", AgencyType.HEALTH))
    person.is_active = False
    person.save()
    assert PractitionerBackend().get_user(person.pk) is None
    assert PractitionerBackend().get_user(person.pk + 1000) is None


def test_a_signed_in_page_reads_the_user_through_it(client) -> None:  # type: ignore[no-untyped-def]
    agency = factories.agency("Health", AgencyType.HEALTH)
    person = factories.practitioner(agency)
    client.force_login(person)
    response = client.get("/")
    assert response.status_code == 200
    assert response.wsgi_request.session["_auth_user_backend"] == (
        "cases.accounts.backends.PractitionerBackend"
    )
    assert "agency" in response.wsgi_request.user._state.fields_cache
