"""Machine clients: registered by an administrator, confirmed by a lead of their agency, then
calling the API with a client-credentials token, within their scopes and their agency's
children."""

from __future__ import annotations

import base64
import datetime
import json

import pytest
from django.contrib.auth.hashers import check_password
from django.test import Client
from oauth2_provider.models import AccessToken, Application

from cases.accounts.services import account_confirm
from cases.clients import services
from cases.clients.models import MachineClient
from cases.codes import Role
from cases.models import AccessLogEntry, Concern, Practitioner
from cases.oversight.services import concern_outcome_record
from tests.support import factories
from tests.support.factories import concern_fields
from tests.support.world import World

pytestmark = pytest.mark.django_db


def token_for(client_id: str, secret: str, scope: str = "") -> Client:
    """A test client that sends a bearer token from the client-credentials grant."""
    basic = base64.b64encode(f"{client_id}:{secret}".encode()).decode()
    data = {"grant_type": "client_credentials", **({"scope": scope} if scope else {})}
    response = Client().post("/oauth/token/", data, HTTP_AUTHORIZATION=f"Basic {basic}")
    assert response.status_code == 200, response.content
    return Client(HTTP_AUTHORIZATION=f"Bearer {response.json()['access_token']}")


def token_refused(client_id: str, secret: str) -> int:
    basic = base64.b64encode(f"{client_id}:{secret}".encode()).decode()
    return (
        Client()
        .post(
            "/oauth/token/",
            {"grant_type": "client_credentials"},
            HTTP_AUTHORIZATION=f"Basic {basic}",
        )
        .status_code
    )


def register(
    world: World, scopes: list[str], confirm: bool = True
) -> tuple[MachineClient, str, str]:
    client, secret = services.machine_client_register(
        actor=world.users["admin"], name="Health trust records", agency=world.health, scopes=scopes
    )
    if confirm:
        account_confirm(lead=world.users["lead"], account_id=client.account_id)
    return client, client.application.client_id, secret


def concern_body(child_id: int, key: str = "trust-1") -> dict[str, object]:
    fields = concern_fields(submission_key=key)
    fields["observed_on"] = fields["observed_on"].isoformat()
    return {**fields, "children": [child_id]}


def test_a_client_logs_a_concern_and_reads_its_outcome(world: World) -> None:
    machine, client_id, secret = register(world, ["concerns:write", "concerns:read"])
    api = token_for(client_id, secret)
    body = concern_body(world.child.pk)
    created = api.post("/api/concerns/", json.dumps(body), content_type="application/json")
    retry = api.post("/api/concerns/", json.dumps(body), content_type="application/json")
    assert created.status_code == 201, created.content
    assert retry.status_code == 200 and retry.json()["id"] == created.json()["id"]
    concern = Concern.objects.get()
    assert concern.author_id == machine.account_id and concern.author_agency == world.health
    factories.involvement(world.child, "early_help", world.health)
    concern_outcome_record(
        concern=concern,
        child=world.child,
        lead=world.users["lead"],
        outcome="acknowledged",
        reason="Seen by the health visitor",
    )
    outcomes = api.get("/api/concern-outcomes/")
    assert outcomes.status_code == 200
    assert [o["outcome"] for o in outcomes.json()] == ["acknowledged"]
    assert outcomes.json()[0]["child"] == world.child.pk
    # Each read is in the access log under the client's own account, which names it.
    logged = AccessLogEntry.objects.filter(practitioner_id=machine.account_id)
    assert logged.filter(view_name="api_concern_outcomes").count() == 1
    assert Practitioner.objects.get(pk=machine.account_id).first_name == "Health trust records"


def test_it_is_refused_outside_its_scopes(world: World) -> None:
    _machine, client_id, secret = register(world, ["concerns:write"])
    api = token_for(client_id, secret)
    assert api.get("/api/concern-outcomes/").status_code == 403
    assert api.get("/api/children/").status_code == 403
    assert api.get(f"/api/children/{world.child.pk}/").status_code == 403
    # Endpoints no scope names (the lead's drift API) are refused to every client.
    assert api.get("/api/drift/flags/").status_code == 403
    # It cannot ask the token endpoint for a scope it was not given.
    basic = base64.b64encode(f"{client_id}:{secret}".encode()).decode()
    wider = Client().post(
        "/oauth/token/",
        {"grant_type": "client_credentials", "scope": "children:read"},
        HTTP_AUTHORIZATION=f"Basic {basic}",
    )
    assert wider.status_code == 400


def test_it_sees_only_its_agencys_children(world: World) -> None:
    _machine, client_id, secret = register(world, ["concerns:write", "children:read"])
    api = token_for(client_id, secret)
    stranger = factories.child(known_to=[world.school], first_name="Ottoline")
    assert api.get(f"/api/children/{world.child.pk}/").status_code == 200
    assert api.get(f"/api/children/{stranger.pk}/").status_code == 403
    listed = api.get("/api/children/").json()["results"]
    assert [c["id"] for c in listed] == [world.child.pk]
    refused = api.post(
        "/api/concerns/",
        json.dumps(concern_body(stranger.pk, "trust-2")),
        content_type="application/json",
    )
    assert refused.status_code == 400 and "children" in refused.json()
    assert Concern.objects.count() == 0


def test_it_reads_no_child_until_a_lead_confirms_it(world: World) -> None:
    _machine, client_id, secret = register(world, ["children:read"], confirm=False)
    api = token_for(client_id, secret)
    assert api.get(f"/api/children/{world.child.pk}/").status_code == 403


def test_suspending_takes_effect_at_once(world: World) -> None:
    machine, client_id, secret = register(world, ["children:read"])
    api = token_for(client_id, secret)
    assert api.get("/api/children/").status_code == 200
    services.machine_client_suspend(actor=world.users["admin"], client_id=machine.pk)
    assert api.get("/api/children/").status_code in (401, 403)
    assert token_refused(client_id, secret) in (400, 401)


def test_rotating_ends_the_old_secret_and_its_tokens(world: World) -> None:
    machine, client_id, secret = register(world, ["children:read"])
    api = token_for(client_id, secret)
    _client, new_secret = services.machine_client_rotate(
        actor=world.users["admin"], client_id=machine.pk
    )
    assert api.get("/api/children/").status_code in (401, 403)
    assert token_refused(client_id, secret) == 401
    assert token_for(client_id, new_secret).get("/api/children/").status_code == 200


def test_the_secret_and_tokens_are_stored_hashed(world: World) -> None:
    machine, client_id, secret = register(world, ["children:read"])
    stored = Application.objects.get(pk=machine.application_id).client_secret
    assert stored != secret and check_password(secret, stored)
    api = token_for(client_id, secret)
    bearer = api.defaults["HTTP_AUTHORIZATION"].removeprefix("Bearer ")
    assert not AccessToken.objects.filter(token=bearer).exists()
    assert api.get("/api/children/").status_code == 200


def test_an_administrator_registers_a_client_on_the_page(world: World) -> None:
    admin = Client()
    admin.force_login(world.users["admin"])
    empty = admin.post("/clients/new/", {"name": ""})
    assert empty.status_code == 200 and b"Enter the name of the system" in empty.content
    created = admin.post(
        "/clients/new/",
        {"name": "School MIS", "agency": world.school.pk, "scopes": ["concerns:write"]},
    )
    assert created.status_code == 200 and b"client-secret" in created.content
    assert "no-store" in created["Cache-Control"]
    machine = world.school.machine_clients.get()
    assert machine.account.is_machine and machine.account.role == Role.PRACTITIONER
    assert not machine.account.has_usable_password()
    page = admin.get(f"/clients/{machine.pk}/")
    assert b"Waiting for a lead to confirm" in page.content


def test_a_client_is_throttled_at_its_own_rate(world: World) -> None:
    machine, client_id, secret = register(world, ["children:read"])
    machine.rate_per_minute = 2
    machine.save()
    api = token_for(client_id, secret)
    from django.core.cache import caches

    caches["throttle"].clear()
    answers = [api.get("/api/children/").status_code for _ in range(3)]
    assert answers == [200, 200, 429]
    assert AccessToken.objects.filter(application_id=machine.application_id).exists()


def test_a_token_after_expiry_is_refused(world: World) -> None:
    machine, client_id, secret = register(world, ["children:read"])
    api = token_for(client_id, secret)
    AccessToken.objects.filter(application_id=machine.application_id).update(
        expires=datetime.datetime(2020, 1, 1, tzinfo=datetime.UTC)
    )
    assert api.get("/api/children/").status_code in (401, 403)
