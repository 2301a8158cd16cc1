"""schemathesis over /api/schema/: every operation, as a machine client and as a signed-in
lead, with generated input. No server error, every response matching the schema, and every
400 answering with field errors. Bounded (a few examples per operation) to stay quick."""

from __future__ import annotations

import base64
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis.strategies import booleans
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance

from cases.accounts.services import account_confirm
from cases.clients.scopes import SCOPES
from cases.clients.services import machine_client_register
from tests.support import factories
from tests.support.world import World

EXAMPLES = 6  # per operation and caller: about a minute for the whole API
CSRF = "a" * 32  # the cookie and the header agree, as a browser's would


def field_errors_on_400(ctx: Any, response: Any, case: Any) -> bool | None:
    """A 400 says what is wrong, field by field (or as `detail`/`non_field_errors`)."""
    if response.status_code != 400:
        return None
    body = response.json()
    assert isinstance(body, dict) and body, f"400 without field errors: {body!r}"
    return True


@dataclass
class Caller:
    headers: dict[str, str]
    cookies: dict[str, str] = field(default_factory=dict)
    ids: dict[str, int] = field(default_factory=dict)  # records the caller may reach


def _machine_client(world: World) -> Caller:
    machine, secret = machine_client_register(
        actor=world.users["admin"], name="Fuzz", agency=world.health, scopes=list(SCOPES)
    )
    account_confirm(lead=world.users["lead"], account_id=machine.account_id)
    basic = base64.b64encode(f"{machine.application.client_id}:{secret}".encode()).decode()
    token = (
        Client()
        .post(
            "/oauth/token/",
            {"grant_type": "client_credentials"},
            HTTP_AUTHORIZATION=f"Basic {basic}",
        )
        .json()["access_token"]
    )
    return Caller({"Authorization": f"Bearer {token}"})


def _session(world: World) -> Caller:
    client = Client()
    client.force_login(world.users["lead"])
    session = client.cookies["sessionid"].value
    return Caller({"X-CSRFToken": CSRF}, {"sessionid": session, "csrftoken": CSRF})


@pytest.fixture(params=["machine_client", "signed_in_lead"])
def api_caller(request: pytest.FixtureRequest, db: None, gcp2_framework: None) -> Caller:
    world = World()
    factories.child(known_to=[world.health], first_name="Sibling", in_family=world.child.family)
    caller = _machine_client(world) if request.param == "machine_client" else _session(world)
    caller.ids = {"child_id": world.child.pk, "family_id": world.child.family_id}
    return caller


@pytest.fixture
def api_schema(api_caller: Caller) -> Iterator[Any]:
    served = Client(headers=api_caller.headers)
    for name, value in api_caller.cookies.items():
        served.cookies[name] = value
    response = served.get("/api/schema/?format=json")
    assert response.status_code == 200
    loaded = schemathesis.openapi.from_dict(response.json())
    loaded.app = get_wsgi_application()  # requests go through the whole Django stack
    # As Django's test client does: the test's transaction holds the connection, so the
    # handler must not close it at the end of each request.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield loaded
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


def test_the_api_answers_generated_input_by_its_schema(api_schema: Any, api_caller: Caller) -> None:
    checks = [not_a_server_error, response_schema_conformance, field_errors_on_400]
    operations = [result.ok() for result in api_schema.get_all_operations()]
    assert len(operations) > 15
    for operation in operations:

        @given(case=operation.as_strategy(), known=booleans())
        @settings(
            max_examples=EXAMPLES,
            deadline=None,
            derandomize=True,
            database=None,
            suppress_health_check=list(HealthCheck),
        )
        def answers_by_the_schema(case: Any, known: bool) -> None:
            if known and case.path_parameters:  # half the time, records that exist
                case.path_parameters.update(
                    {k: v for k, v in api_caller.ids.items() if k in case.path_parameters}
                )
            response = case.call(headers=api_caller.headers, cookies=api_caller.cookies)
            case.validate_response(response, checks=checks, headers=api_caller.headers)

        answers_by_the_schema()
