"""Request ids are the server's: a client's X-Request-ID is validated and kept beside the
server's id (in logs and the access log), never used as it (issue 11)."""

from __future__ import annotations

import logging

import pytest
from django.test import Client

from cases.models import AccessLogEntry
from tests.support.world import World

pytestmark = pytest.mark.django_db


def read_child(world: World, **headers: str):  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(world.users["practitioner"])
    return client.get(f"/children/{world.child.pk}/", headers=headers)


def test_a_client_request_id_is_kept_beside_the_servers_own(world: World) -> None:
    response = read_child(world, X_Request_ID="client-chosen-id-0001")
    assert response.status_code == 200
    server_id = response["X-Request-ID"]
    assert server_id != "client-chosen-id-0001"
    assert len(server_id) == 32 and int(server_id, 16) >= 0  # uuid4 hex
    entry = AccessLogEntry.objects.get(child=world.child)
    assert entry.request_id == server_id
    assert entry.client_request_id == "client-chosen-id-0001"


@pytest.mark.parametrize(
    "sent", ["short", "x" * 65, "has spaces in it", "semi;colon-0001", "new\nline-00001"]
)
def test_a_malformed_client_request_id_is_dropped(world: World, sent: str) -> None:
    response = read_child(world, X_Request_ID=sent)
    assert response.status_code == 200
    assert response["X-Request-ID"] != sent
    assert AccessLogEntry.objects.get(child=world.child).client_request_id is None


def test_without_a_client_id_the_column_is_empty(world: World) -> None:
    response = read_child(world)
    entry = AccessLogEntry.objects.get(child=world.child)
    assert entry.request_id == response["X-Request-ID"] and entry.client_request_id is None


def test_log_lines_carry_both_ids(world: World, caplog: pytest.LogCaptureFixture) -> None:
    from django.conf import settings

    from cases.web.middleware import RequestIdLogFilter

    formatter = logging.Formatter(settings.LOGGING["formatters"]["plain"]["format"])  # type: ignore[index]
    lines: list[str] = []

    class Capture(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            lines.append(formatter.format(record))

    handler = Capture()
    handler.addFilter(RequestIdLogFilter())
    logger = logging.getLogger("django.request")
    logger.addHandler(handler)
    try:
        client = Client()
        client.force_login(world.users["practitioner"])
        response = client.get("/no-such-page/?nhs_number=9434765919", HTTP_X_REQUEST_ID="abcd-1234")
    finally:
        logger.removeHandler(handler)
    assert response.status_code == 404
    [line] = [line for line in lines if "Not Found" in line]
    assert f"[{response['X-Request-ID']} client=abcd-1234]" in line
    assert "9434765919" not in line  # no query string in application logs
