"""Hostile input is a 400 (a GOV.UK page, or the API's field errors), never a 500: every GET
URL of the authorization table is walked with every filter parameter the pages and the API
read, set to values an attacker or a broken client would send."""

from __future__ import annotations

from urllib.parse import parse_qsl, urlencode

import pytest
from django.test import Client

from tests.authorization import EXPECTED, ROLES
from tests.support.world import World

pytestmark = pytest.mark.django_db

# Every query parameter a page or endpoint reads (forms, filter sets, hand-parsed ones).
PARAMETERS = [
    "page", "rule", "team", "worker", "level", "agency", "event_type", "significance",
    "date_from", "date_to", "date_from-day", "date_from-month", "date_from-year",
    "date_to-day", "date_to-month", "date_to-year", "family", "child", "neglect_type",
    "severity", "observed_from", "observed_to", "period_type", "period", "period_start",
    "breakdown", "metric", "table", "before", "after", "search", "script", "format", "lang",
]  # fmt: skip
HOSTILE = [
    "\x00",
    "a\x00b",
    "x" * 5000,
    "y" * 999,
    "'; DROP TABLE cases_child; --",
    "-1",
    "99999999999999999999999",
    "abc",
    "2024-02-30",
    "1.5",
    "<script>alert(1)</script>",
    "%",
    "ünïcødé",
]
# Pages whose filters are parsed one by one as well (one bad value among good ones).
FILTERED = {
    "drift-queue": ["rule", "team", "worker", "level", "page"],
    "api-drift-flags": ["rule", "team", "worker", "level", "page"],
    "child-detail": ["agency", "event_type", "significance", "date_from-day", "page"],
    "api-concerns": ["child", "neglect_type", "severity", "observed_from", "page"],
    "api-child-chronology": ["agency", "event_type", "date_from", "date_to", "page"],
    "dashboard-metric": ["period_type", "period", "breakdown", "table"],
    "api-reporting-snapshot": ["metric", "period_type", "period_start", "breakdown"],
    "api-gcp2-compare": ["before", "after"],
}
SKIPPED = {"healthz", "logout", "login"}


def gets(world: World) -> list[tuple[str, str, dict[str, str], str]]:
    """(name, path, its own query, a role it answers) for every GET row of the table."""
    rows = []
    for name, entries in EXPECTED.items():
        for method, build, statuses in entries:
            if method != "get" or name in SKIPPED:
                continue
            role = next((r for r in ROLES if statuses[r] == 200), None)
            role = role or next((r for r in ROLES if statuses[r] == 404), None)
            if role is not None:
                path, _, query = build(world).partition("?")
                rows.append((name, path, dict(parse_qsl(query)), role))
    return rows


def client_for(world: World, role: str) -> Client:
    client = Client()
    if role != "anonymous":
        client.force_login(world.users[role])
    return client


def test_every_parameter_of_every_page_and_endpoint_survives_hostile_values(
    world: World,
) -> None:
    failures = []
    clients: dict[str, Client] = {}
    for name, path, own, role in gets(world):
        client = clients.setdefault(role, client_for(world, role))
        for value in HOSTILE:
            names = FILTERED.get(name, [])
            queries = [dict.fromkeys(PARAMETERS, value)] + [{**own, n: value} for n in names]
            for query in queries:
                response = client.get(f"{path}?{urlencode(query)}")
                if response.status_code >= 500:
                    failures.append((name, sorted(query)[:3], repr(value[:20])))
                if "\x00" in value:
                    assert response.status_code == 400, (name, query.keys())
    assert failures == []


def test_a_nul_byte_is_a_govuk_400_page_or_the_apis_field_errors(world: World) -> None:
    lead = client_for(world, "lead")
    page = lead.get("/drift/?rule=%00")
    assert page.status_code == 400
    html = page.content.decode()
    assert "There is a problem with what was sent" in html and "govuk-" in html
    assert "rule" in html
    api = lead.get("/api/drift/flags/?rule=%00")
    assert api.status_code == 400
    assert list(api.json()) == ["rule"]


def test_a_nul_byte_in_a_form_is_a_400_and_saves_nothing(world: World) -> None:
    from cases.models import ChronologyEntry

    client = client_for(world, "practitioner")
    before = ChronologyEntry.objects.count()
    response = client.post(
        f"/children/{world.child.pk}/chronology/new/",
        {"summary": "Seen at home\x00", "event_type": "visit", "significance": "low"},
    )
    assert response.status_code == 400
    assert ChronologyEntry.objects.count() == before
    assert client.post("/children/search/", {"name": "Zeb\x00"}).status_code == 400


def test_a_nul_byte_in_a_json_body_is_a_field_error(world: World) -> None:
    from rest_framework.test import APIClient

    client = APIClient()
    client.force_authenticate(world.users["practitioner"])
    response = client.post("/api/children/search/", {"name": "Zeb\x00"}, format="json")
    assert response.status_code == 400
    assert "name" in response.json()
