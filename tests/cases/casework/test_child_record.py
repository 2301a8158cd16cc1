"""The child's record page: policy, access log, and what a refusal reveals."""

import logging

import pytest
from django.db import DatabaseError
from django.test import Client

from cases.models import AccessLogEntry
from tests.support.world import World

pytestmark = pytest.mark.django_db


def signed_in(world: World, role: str) -> Client:
    client = Client(raise_request_exception=False)
    client.force_login(world.users[role])
    return client


def test_it_shows_the_child_to_their_agency_and_logs_the_read(world: World) -> None:
    response = signed_in(world, "practitioner").get(f"/children/{world.child.pk}/")
    assert response.status_code == 200
    assert world.child.full_name in response.content.decode()
    entry = AccessLogEntry.objects.get()
    assert entry.request_id == response["X-Request-ID"]
    assert entry.view_name == "child_detail"


def test_it_refuses_an_unrelated_agency_with_403_and_no_name(world: World) -> None:
    response = signed_in(world, "unrelated_practitioner").get(f"/children/{world.child.pk}/")
    body = response.content.decode()
    assert response.status_code == 403
    assert world.child.last_name not in body
    assert world.child.first_name not in body
    assert "request access" in body
    assert not AccessLogEntry.objects.exists()


def test_a_read_whose_log_row_cannot_be_written_fails(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    def refuse(*args: object, **kwargs: object) -> None:
        raise DatabaseError("access log unavailable")

    monkeypatch.setattr(AccessLogEntry.objects, "create", refuse)
    response = signed_in(world, "practitioner").get(f"/children/{world.child.pk}/")
    assert response.status_code == 500
    assert world.child.last_name.encode() not in response.content


def test_application_logs_carry_no_personal_data(
    world: World, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    signed_in(world, "practitioner").get(f"/children/{world.child.pk}/")
    signed_in(world, "unrelated_practitioner").get(f"/children/{world.child.pk}/")
    assert world.child.last_name not in caplog.text
    assert world.child.first_name not in caplog.text


def test_each_response_carries_a_request_id(world: World) -> None:
    first = signed_in(world, "practitioner").get("/")
    second = signed_in(world, "practitioner").get("/")
    assert first["X-Request-ID"] != second["X-Request-ID"]


def test_it_names_only_the_siblings_the_reader_may_see(world: World) -> None:
    from tests.support import factories

    known = factories.child(known_to=[world.health], in_family=world.child.family, first_name="Kit")
    unknown = factories.child(
        known_to=[world.school], in_family=world.child.family, first_name="Wren"
    )
    page = signed_in(world, "practitioner").get(f"/children/{world.child.pk}/").content.decode()
    assert known.last_name in page
    assert unknown.first_name not in page
    assert "1 other child in this household, not shown" in page
