"""Issue 11, failure 5: a second factor for every account, enrolled at first sign-in."""

from __future__ import annotations

import pytest
from django.test import Client
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from cases.models import AccountEvent, AccountEventKind
from tests.support import factories
from tests.support.auth import authenticator, totp_code
from tests.support.world import World

pytestmark = pytest.mark.django_db


def password_only(user: object) -> Client:
    client = Client()
    response = client.post(
        "/sign-in/",
        {"username": user.username, "password": factories.PASSWORD},  # type: ignore[attr-defined]
    )
    assert response.status_code == 302
    return client


def test_a_password_alone_opens_no_child_page_or_api(world: World) -> None:
    client = password_only(world.users["practitioner"])
    page = client.get(f"/children/{world.child.pk}/")
    assert page.status_code == 302
    assert page["Location"].startswith("/sign-in/second-factor/?next=")
    assert client.get("/").status_code == 302
    api = client.get(f"/api/children/{world.child.pk}/")
    assert api.status_code == 403
    assert world.child.last_name.encode() not in api.content


def test_a_code_from_the_app_completes_the_sign_in(world: World) -> None:
    user = world.users["practitioner"]
    client = password_only(user)
    response = client.post(
        "/sign-in/second-factor/",
        {"code": totp_code(authenticator(user)), "next": f"/children/{world.child.pk}/"},
    )
    assert response.status_code == 302
    assert response["Location"] == f"/children/{world.child.pk}/"
    assert client.get(f"/children/{world.child.pk}/").status_code == 200
    assert client.get(f"/api/children/{world.child.pk}/").status_code == 200


def test_a_wrong_code_is_refused_with_an_error_summary(world: World) -> None:
    client = password_only(world.users["practitioner"])
    page = client.post("/sign-in/second-factor/", {"code": "000000"}).content.decode()
    assert "There is a problem" in page
    assert 'href="#id_code"' in page
    assert client.get(f"/children/{world.child.pk}/").status_code == 302


def test_a_new_account_sets_up_its_app_then_gets_recovery_codes_that_work_once(
    world: World,
) -> None:
    user = factories.practitioner(world.health)
    TOTPDevice.objects.filter(user=user).delete()
    client = password_only(user)
    assert client.get("/")["Location"].startswith("/sign-in/set-up-second-factor/")
    enrol = client.get("/sign-in/set-up-second-factor/").content.decode()
    assert "<svg" in enrol and 'role="img"' in enrol
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    # The key a person types, grouped in fours, is the device's secret.
    import base64

    secret = base64.b32encode(device.bin_key).decode().rstrip("=")
    assert secret[:4] + " " + secret[4:8] in enrol
    code = f"{TOTP(base64.b32decode(secret)).token():06d}"
    done = client.post("/sign-in/set-up-second-factor/", {"code": code, "next": "/"})
    assert done.status_code == 200
    codes = list(StaticToken.objects.filter(device__user=user).values_list("token", flat=True))
    assert len(codes) == 10
    for each in codes:
        assert each in done.content.decode()
    assert client.get("/").status_code == 200
    assert AccountEvent.objects.filter(account=user, kind=AccountEventKind.FACTOR_ENROLLED).exists()

    # A recovery code signs in once, and never again.
    again = password_only(user)
    assert again.post("/sign-in/second-factor/", {"code": codes[0]}).status_code == 302
    assert again.get("/").status_code == 200
    third = password_only(user)
    assert third.post("/sign-in/second-factor/", {"code": codes[0]}).status_code == 200
    assert third.get("/").status_code == 302


def test_an_enrolled_account_cannot_enrol_again_with_a_password_alone(world: World) -> None:
    client = password_only(world.users["practitioner"])
    response = client.get("/sign-in/set-up-second-factor/")
    assert response.status_code == 302
    assert response["Location"].startswith("/sign-in/second-factor/")
    assert not TOTPDevice.objects.filter(user=world.users["practitioner"], confirmed=False)


@pytest.mark.parametrize("actor", ["lead", "admin"])
def test_a_reset_is_recorded_signs_out_and_forces_enrolment(world: World, actor: str) -> None:
    user = world.users["practitioner"]
    signed_in = Client()
    signed_in.force_login(user)
    staff = Client()
    staff.force_login(world.users[actor])
    assert staff.post(f"/accounts/{user.pk}/reset-second-factor/").status_code == 302
    event = AccountEvent.objects.get(account=user, kind=AccountEventKind.FACTOR_RESET)
    assert event.actor == world.users[actor]
    assert not TOTPDevice.objects.filter(user=user).exists()
    assert signed_in.get("/").status_code == 302  # its sessions ended
    client = password_only(user)
    assert client.get("/")["Location"].startswith("/sign-in/set-up-second-factor/")


def test_a_lead_of_another_agency_cannot_reset(world: World) -> None:
    staff = Client()
    staff.force_login(world.users["manager"])
    user = world.users["practitioner"]
    assert staff.post(f"/accounts/{user.pk}/reset-second-factor/").status_code == 403
    assert TOTPDevice.objects.filter(user=user).exists()


def test_a_lead_cannot_reset_an_administrator_of_their_agency(world: World) -> None:
    administrator = factories.practitioner(world.health, "administrator", is_staff=True)
    staff = Client()
    staff.force_login(world.users["lead"])
    assert staff.post(f"/accounts/{administrator.pk}/reset-second-factor/").status_code == 403
    assert TOTPDevice.objects.filter(user=administrator).exists()
