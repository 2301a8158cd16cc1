"""schemathesis over /api/schema/: every operation, as a machine client and as a signed-in
lead, with input that fits the schema and input that does not. No server error, every response
matching the schema, every 400 answering with field errors, and input that does not fit the
schema refused: a 400 naming a field, or one of the answers in INVALID_INPUT_ANSWERS. Bounded (a
few examples per operation and mode) to stay quick."""

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
from schemathesis.config import SchemathesisConfig
from schemathesis.generation import GenerationMode
from schemathesis.specs.openapi.checks import (
    negative_data_rejection,
    response_schema_conformance,
)

from cases.accounts.services import account_confirm
from cases.clients.scopes import SCOPES
from cases.clients.services import machine_client_register
from tests.support import factories
from tests.support.world import World

EXAMPLES = 4  # per operation, mode and caller: under a minute for the whole API
CSRF = "a" * 32  # the cookie and the header agree, as a browser's would

# What input that does not fit the schema may be answered with, besides a 400 naming a field.
INVALID_INPUT_ANSWERS = {
    400: "the input is wrong: the body names the wrong fields (see invalid_input_names_a_field)",
    403: "the caller may not use the operation at all (its scopes or role) or may not reach the "
    "record: the access policy answers before any input is read, and says nothing about it",
    404: "a path id that is not a whole number matches no URL, and a whole number may name no "
    "record the caller can reach",
    409: "a submission key the caller already used for another record",
}
# Keys a 400 may use that are not a field of the operation: errors about the whole input, and a
# parameter whose own name cannot be shown (it holds a NUL byte).
WHOLE_INPUT = {"non_field_errors", "(unnamed)"}


def field_errors_on_400(ctx: Any, response: Any, case: Any) -> bool | None:
    """A 400 says what is wrong, field by field (or as `detail`/`non_field_errors`)."""
    if response.status_code != 400:
        return None
    body = response.json()
    assert isinstance(body, dict) and body, f"400 without field errors: {body!r}"
    return True


def declared_fields(schema: dict[str, Any]) -> dict[tuple[str, str], set[str]]:
    """(METHOD, path) -> the names of its query parameters and request-body properties."""

    def resolved(node: dict[str, Any]) -> dict[str, Any]:
        while "$ref" in node:
            node = schema["components"]["schemas"][node["$ref"].rsplit("/", 1)[1]]
        return node

    fields: dict[tuple[str, str], set[str]] = {}
    for path, methods in schema["paths"].items():
        for method, operation in methods.items():
            names = {p["name"] for p in operation.get("parameters", []) if p["in"] != "header"}
            for content in operation.get("requestBody", {}).get("content", {}).values():
                names |= set(resolved(content["schema"]).get("properties", {}))
            fields[(method.upper(), path)] = names
    return fields


def invalid_input_names_a_field(fields: dict[tuple[str, str], set[str]]) -> Any:
    def check(ctx: Any, response: Any, case: Any) -> bool | None:
        """A 400 to input that does not fit the schema names a field of the operation, or a query
        parameter it was sent that the operation does not take; only a body that is not JSON at
        all (there is no field to name) is answered with `detail`."""
        if response.status_code != 400 or not case.meta.generation.mode.is_negative:
            return None
        body = response.json()
        assert isinstance(body, dict) and body, f"400 without field errors: {body!r}"
        if set(body) == {"detail"}:
            assert "parse error" in str(body["detail"]), f"400 names no field: {body!r}"
            return True
        known = fields[(case.method.upper(), case.operation.path)] | WHOLE_INPUT
        # A query parameter the operation does not declare is named as the wrong input.
        undeclared = set(case.query or {}) - known
        assert set(body) <= known | undeclared, f"400 names fields not sent: {sorted(body)}"
        return True

    return check


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
def api_schema(api_caller: Caller) -> Iterator[tuple[Any, dict[str, Any]]]:
    served = Client(headers=api_caller.headers)
    for name, value in api_caller.cookies.items():
        served.cookies[name] = value
    response = served.get("/api/schema/?format=json")
    assert response.status_code == 200
    config = SchemathesisConfig.from_dict(
        {
            "checks": {
                "negative_data_rejection": {"expected-statuses": sorted(INVALID_INPUT_ANSWERS)}
            }
        }
    )
    loaded = schemathesis.openapi.from_dict(response.json(), config=config)
    loaded.app = get_wsgi_application()  # requests go through the whole Django stack
    # As Django's test client does: the test's transaction holds the connection, so the
    # handler must not close it at the end of each request.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield loaded, response.json()
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


def test_the_api_answers_generated_input_by_its_schema(
    api_schema: tuple[Any, dict[str, Any]], api_caller: Caller
) -> None:
    loaded, raw = api_schema
    fields = declared_fields(raw)
    checks = [
        not_a_server_error,
        response_schema_conformance,
        field_errors_on_400,
        negative_data_rejection,  # refused with one of INVALID_INPUT_ANSWERS
        invalid_input_names_a_field(fields),
    ]
    operations = [result.ok() for result in loaded.get_all_operations()]
    assert len(operations) > 15
    negated = 0
    for operation in operations:
        has_input = fields[(operation.method.upper(), operation.path)]
        # An operation that takes no input has none to get wrong.
        modes = [GenerationMode.POSITIVE, *([GenerationMode.NEGATIVE] if has_input else [])]
        negated += len(modes) - 1
        for mode in modes:

            @given(case=operation.as_strategy(generation_mode=mode), known=booleans())
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
    assert negated > 10
