"""Issue 11, failure 5: the idle timeout, and re-authentication before break glass."""

from __future__ import annotations

import time

import pytest
from django.test import Client, override_settings

from cases.accounts.middleware import LAST_ACTIVITY
from cases.accounts.second_factor import AUTHENTICATED_AT
from cases.models import AccessGrant, Practitioner
from tests.support import factories
from tests.support.auth import authenticator, totp_code
from tests.support.world import World

pytestmark = pytest.mark.django_db


def moved_back(client: Client, key: str, minutes: float) -> None:
    """Move the clock: the session's timestamp is set `minutes` into the past."""
    session = client.session
    session[key] = time.time() - minutes * 60
    session.save()


def signed_in(user: Practitioner) -> Client:
    client = Client()
    client.force_login(user)
    client.get("/")  # the first request stamps the session's last activity
    return client


def test_a_session_idle_past_the_limit_is_signed_out(world: World) -> None:
    client = signed_in(world.users["practitioner"])
    moved_back(client, LAST_ACTIVITY, 31)
    response = client.get(f"/children/{world.child.pk}/")
    assert response.status_code == 302
    assert response["Location"] == "/signed-out/?reason=idle"
    page = client.get(response["Location"]).content.decode()
    assert "You have been signed out" in page
    assert "30 minutes" in page
    assert client.get("/").status_code == 302  # the session really ended


def test_a_session_used_within_the_limit_stays_signed_in(world: World) -> None:
    client = signed_in(world.users["practitioner"])
    moved_back(client, LAST_ACTIVITY, 29)
    assert client.get(f"/children/{world.child.pk}/").status_code == 200


@override_settings(IDLE_MINUTES=5)
def test_the_idle_limit_is_configurable_and_the_api_answers_403(world: World) -> None:
    client = signed_in(world.users["practitioner"])
    moved_back(client, LAST_ACTIVITY, 6)
    response = client.get(f"/api/children/{world.child.pk}/")
    assert response.status_code == 403
    assert world.child.last_name.encode() not in response.content


def test_break_glass_asks_for_password_and_code_again_after_15_minutes(world: World) -> None:
    user = world.users["unrelated_practitioner"]
    client = signed_in(user)
    path = f"/children/{world.child.pk}/request-access/"
    moved_back(client, AUTHENTICATED_AT, 16)
    for response in (client.get(path), client.post(path, {"reason": "Brother is at my school"})):
        assert response.status_code == 302
        assert response["Location"].startswith("/sign-in/confirm-it-is-you/?next=")
    assert not AccessGrant.objects.filter(practitioner=user).exists()

    # A wrong password is refused even with a right code.
    wrong = client.post(
        "/sign-in/confirm-it-is-you/",
        {"password": "not-it", "code": totp_code(authenticator(user)), "next": path},
    )
    assert wrong.status_code == 200
    assert "The password is not right" in wrong.content.decode()

    done = client.post(
        "/sign-in/confirm-it-is-you/",
        {"password": factories.PASSWORD, "code": totp_code(authenticator(user)), "next": path},
    )
    assert done.status_code == 302
    assert done["Location"] == path
    assert client.get(path).status_code == 200
    granted = client.post(path, {"reason": "Brother is at my school"})
    assert granted.status_code == 302
    assert AccessGrant.objects.filter(practitioner=user, child=world.child).exists()


def test_a_fresh_sign_in_counts_as_recent(world: World) -> None:
    client = signed_in(world.users["unrelated_practitioner"])
    moved_back(client, AUTHENTICATED_AT, 14)
    assert client.get(f"/children/{world.child.pk}/request-access/").status_code == 200
