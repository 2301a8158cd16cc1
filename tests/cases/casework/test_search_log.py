"""Issue 11: every search is logged (who, when, kinds of identifier, result counts: never the
values) and limited per person per hour; over the limit is a GOV.UK page or a 429."""

from __future__ import annotations

import pytest
from django.test import Client, override_settings

from cases.codes import AgencyType
from cases.models import SearchLogEntry
from tests.support import factories

pytestmark = pytest.mark.django_db
NHS_NUMBER = "9434765919"


@pytest.fixture
def scene() -> dict:
    health = factories.agency("Health", AgencyType.HEALTH)
    police = factories.agency("Police", AgencyType.POLICE)
    factories.child(known_to=[police], nhs_number=NHS_NUMBER)
    nurse = factories.practitioner(health)
    client = Client()
    client.force_login(nurse)
    return {"nurse": nurse, "client": client}


def test_a_search_is_logged_with_kinds_and_counts_not_values(scene: dict) -> None:
    answer = scene["client"].post(
        "/api/children/search/", {"nhs_number": NHS_NUMBER, "name": "Zeb"}
    )
    assert answer.status_code == 200 and answer.json()["count"] == 1
    entry = SearchLogEntry.objects.get()
    assert entry.practitioner == scene["nurse"]
    assert entry.identifier_kinds == ["name", "nhs_number"]
    assert (entry.full_results, entry.masked_results, entry.refused) == (0, 1, False)
    stored = str(SearchLogEntry.objects.values().get())
    assert NHS_NUMBER not in stored and "Zeb" not in stored


@override_settings(SEARCH_LIMIT_PER_HOUR=2)
def test_searches_over_the_hourly_limit_are_refused_and_logged(scene: dict) -> None:
    client = scene["client"]
    for _ in range(2):
        assert client.post("/children/search/", {"name": "Zebedee"}, follow=True).status_code == 200
    page = client.post("/children/search/", {"name": "Zebedee"}, follow=True)
    assert page.status_code == 429
    assert b"You have searched too many times" in page.content
    assert client.post("/api/children/search/", {"name": "Zebedee"}).status_code == 429
    assert SearchLogEntry.objects.filter(refused=True).count() == 2
    assert SearchLogEntry.objects.filter(refused=False).count() == 2
