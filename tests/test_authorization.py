"""Walks every URL pattern and checks how each role is answered, through the real stack."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from cases.models import AccessLogEntry
from tests.authorization import ADMIN_INDEX_EXPECTED, CHILD_RECORD_READS, EXPECTED, ROLES
from tests.support.world import World


def named_patterns(resolver: URLResolver, namespace: str = "") -> set[str]:
    names: set[str] = set()
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            if pattern.namespace == "admin":
                continue  # the admin site is checked as a whole below
            names |= named_patterns(pattern, pattern.namespace or namespace)
        elif isinstance(pattern, URLPattern):
            assert pattern.name, (
                f"URL pattern {pattern.pattern} has no name, so it cannot be listed"
            )
            names.add(f"{namespace}:{pattern.name}" if namespace else pattern.name)
    return names


def test_every_url_pattern_is_in_the_authorization_table() -> None:
    patterns = named_patterns(get_resolver())
    assert patterns - EXPECTED.keys() == set(), "add these URLs to tests/authorization.py"
    assert EXPECTED.keys() - patterns == set(), "these table rows name no URL"


def test_every_row_says_how_every_role_is_answered() -> None:
    for name, rows in EXPECTED.items():
        for _method, _path, statuses in rows:
            assert set(statuses) == set(ROLES), name


def client_for(world: World, role: str) -> Client:
    client = Client()
    if role != "anonymous":
        client.force_login(world.users[role])
    return client


CASES = [
    (name, index, role)
    for name, rows in EXPECTED.items()
    for index in range(len(rows))
    for role in ROLES
]


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "index", "role"), CASES)
def test_each_role_gets_the_expected_answer(
    world: World, name: str, index: int, role: str, celery_worker_process: None
) -> None:
    method, build_path, statuses = EXPECTED[name][index]
    client = client_for(world, role)
    response = getattr(client, method)(build_path(world))
    assert response.status_code == statuses[role], f"{method.upper()} {name} as {role}"
    if response.status_code == 403:
        # A refusal never leaks the child it was about.
        assert world.child.last_name.encode() not in response.content


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_the_admin_site_is_for_administrators_only(world: World, role: str) -> None:
    response = client_for(world, role).get("/admin/")
    assert response.status_code == ADMIN_INDEX_EXPECTED[role]


@pytest.mark.django_db
def test_every_successful_read_of_a_child_record_is_logged(world: World) -> None:
    client = client_for(world, "practitioner")
    for name in CHILD_RECORD_READS:
        _method, build_path, _statuses = EXPECTED[name][0]
        path = build_path(world)
        before = AccessLogEntry.objects.count()
        assert client.get(path).status_code == 200, name
        assert AccessLogEntry.objects.count() == before + 1, f"{name} read a child without logging"
