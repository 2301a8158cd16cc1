"""Issue 11, failure 3: an administrator alone can never give anyone access to children.

Account changes are recorded and shown to the agency's leads; a new or moved account reads no
case content until a lead of its agency confirms it; deactivating ends every session at once."""

from __future__ import annotations

import pytest
from django.contrib.sessions.models import Session
from django.test import Client

from cases.codes import Role
from cases.models import AccountEvent, AccountEventKind, Practitioner
from tests.support import factories
from tests.support.auth import authenticator, mark_verified
from tests.support.world import World

pytestmark = pytest.mark.django_db


def as_user(user: Practitioner) -> Client:
    client = Client()
    client.force_login(user)
    return client


def created_by_admin(world: World, client: Client, **overrides: object) -> tuple[Practitioner, str]:
    fields = {
        "first_name": "Avery",
        "last_name": "Newstarter",
        "username": "avery.new",
        "email": "avery@example.org",
        "agency": world.health.pk,
        "team": "",
        "role": Role.PRACTITIONER,
        **overrides,
    }
    response = client.post("/accounts/new/", fields)
    assert response.status_code == 200
    assert "Account created" in response.content.decode()
    account = Practitioner.objects.get(username=fields["username"])
    password = response.content.decode().split('data-testid="first-password"><code>')[1]
    return account, password.split("</code>")[0]


def test_an_administrator_who_creates_an_account_and_signs_in_with_it_reads_no_child(
    world: World,
) -> None:
    admin = as_user(world.users["admin"])
    account, password = created_by_admin(world, admin)
    # The administrator signs in with the account's password and sets up its second factor.
    client = Client()
    assert client.login(username=account.username, password=password)
    mark_verified(client, account)
    assert client.get(f"/children/{world.child.pk}/").status_code == 403
    assert client.get(f"/api/children/{world.child.pk}/").status_code == 403
    assert client.get("/api/children/").status_code == 403
    home = client.get("/").content.decode()
    assert "waiting for confirmation" in home
    assert world.child.last_name not in home

    # A lead of the agency confirms the account: now its reads work.
    lead = as_user(world.users["lead"])
    pending = lead.get("/agency-accounts/").content.decode()
    assert "Avery Newstarter" in pending
    assert lead.post(f"/agency-accounts/{account.pk}/confirm/").status_code == 302
    assert client.get(f"/children/{world.child.pk}/").status_code == 200
    kinds = list(AccountEvent.objects.filter(account=account).values_list("kind", flat=True))
    assert set(kinds) == {AccountEventKind.CREATED, AccountEventKind.CONFIRMED}


def test_an_administrator_cannot_confirm_nor_make_themselves_a_reader(world: World) -> None:
    admin_user = world.users["admin"]
    admin = as_user(admin_user)
    account, _ = created_by_admin(world, admin)
    assert admin.post(f"/agency-accounts/{account.pk}/confirm/").status_code == 403
    # Moving their own account into an agency with a casework role does not help either.
    response = admin.post(
        f"/accounts/{admin_user.pk}/change/",
        {"agency": world.health.pk, "team": "", "role": Role.PRACTITIONER},
    )
    assert response.status_code == 302
    assert admin.get(f"/children/{world.child.pk}/").status_code == 403
    account.refresh_from_db()
    assert not account.is_confirmed_for_agency


def test_a_lead_confirms_only_their_own_agency_and_not_themselves(world: World) -> None:
    pending = factories.practitioner(world.health, Role.SAFEGUARDING_LEAD)
    pending.confirmed_for_agency = None
    pending.save()
    manager = as_user(world.users["manager"])  # a lead of another agency
    assert manager.post(f"/agency-accounts/{pending.pk}/confirm/").status_code == 403
    assert as_user(pending).post(f"/agency-accounts/{pending.pk}/confirm/").status_code == 403
    pending.refresh_from_db()
    assert not pending.is_confirmed_for_agency


def test_moving_an_account_to_another_agency_needs_that_agencys_lead(world: World) -> None:
    user = world.users["practitioner"]
    admin = as_user(world.users["admin"])
    response = admin.post(
        f"/accounts/{user.pk}/change/",
        {"agency": world.school.pk, "team": "", "role": Role.SAFEGUARDING_LEAD},
    )
    assert response.status_code == 302
    school_child = factories.child(known_to=[world.school])
    client = as_user(user)
    assert client.get(f"/children/{school_child.pk}/").status_code == 403
    assert client.get(f"/children/{world.child.pk}/").status_code == 403
    events = {e.kind: e for e in AccountEvent.objects.filter(account=user)}
    assert events[AccountEventKind.AGENCY_CHANGED].old_value == world.health.name
    assert events[AccountEventKind.AGENCY_CHANGED].new_value == world.school.name
    assert events[AccountEventKind.ROLE_CHANGED].new_value == "Safeguarding lead"
    # Both agencies' leads see the move.
    assert (
        "Agency changed" in as_user(world.users["lead"]).get("/agency-accounts/").content.decode()
    )
    school_lead = factories.practitioner(world.school, Role.SAFEGUARDING_LEAD)
    lead = as_user(school_lead)
    assert "Agency changed" in lead.get("/agency-accounts/").content.decode()
    assert lead.post(f"/agency-accounts/{user.pk}/confirm/").status_code == 302
    assert client.get(f"/children/{school_child.pk}/").status_code == 200


def test_deactivating_ends_every_session_at_once(world: World) -> None:
    user = world.users["practitioner"]
    phone, laptop = as_user(user), as_user(user)
    other = as_user(world.users["lead"])
    assert Session.objects.count() == 3
    admin = as_user(world.users["admin"])
    assert admin.post(f"/accounts/{user.pk}/deactivate/").status_code == 302
    assert Session.objects.count() == 2  # the lead's and the administrator's
    assert phone.get("/").status_code == 302
    assert laptop.get(f"/api/children/{world.child.pk}/").status_code == 403
    assert other.get("/").status_code == 200
    event = AccountEvent.objects.get(account=user, kind=AccountEventKind.DEACTIVATED)
    assert event.actor == world.users["admin"]

    # Re-activated, the account needs a lead's confirmation again.
    assert admin.post(f"/accounts/{user.pk}/reactivate/").status_code == 302
    user.refresh_from_db()
    assert user.is_active and not user.is_confirmed_for_agency
    assert as_user(user).get(f"/children/{world.child.pk}/").status_code == 403
    recent = as_user(world.users["lead"]).get("/agency-accounts/").content.decode()
    assert "Account re-activated" in recent and "Account deactivated" in recent


def test_a_lead_rejecting_an_account_deactivates_it(world: World) -> None:
    admin = as_user(world.users["admin"])
    account, _ = created_by_admin(world, admin)
    assert (
        as_user(world.users["lead"]).post(f"/agency-accounts/{account.pk}/reject/").status_code
        == 302
    )
    account.refresh_from_db()
    assert not account.is_active
    assert AccountEvent.objects.filter(account=account, kind=AccountEventKind.REJECTED).exists()


def test_the_create_form_shows_errors_and_saves_nothing(world: World) -> None:
    admin = as_user(world.users["admin"])
    page = admin.post(
        "/accounts/new/",
        {"first_name": "", "last_name": "X", "username": "hv", "role": "practitioner"},
    ).content.decode()
    assert "There is a problem" in page
    assert 'href="#id_first_name">Enter a first name' in page
    assert 'href="#id_agency">Choose the agency this person works for' in page
    duplicate = admin.post(
        "/accounts/new/",
        {
            "first_name": "A",
            "last_name": "B",
            "username": "HV",
            "agency": world.health.pk,
            "role": "practitioner",
        },
    ).content.decode()
    assert "An account with this username already exists" in duplicate
    assert not AccountEvent.objects.exists()


def test_the_account_list_searches_and_pages(world: World) -> None:
    for n in range(30):
        factories.practitioner(world.school, username=f"bulk{n:02d}")
    admin = as_user(world.users["admin"])
    page = admin.get(f"/accounts/?agency={world.school.pk}").content.decode()
    assert "31 accounts" in page  # 30 and the school's practitioner
    assert 'aria-label="Page 2"' in page and 'rel="next"' in page
    found = admin.get("/accounts/?q=bulk07").content.decode()
    assert "1 account" in found and "bulk07" in found


def test_the_django_admin_cannot_edit_accounts_or_second_factors(world: World) -> None:
    admin = as_user(world.users["admin"])
    assert admin.get("/admin/cases/practitioner/").status_code == 404
    assert admin.get("/admin/otp_totp/totpdevice/").status_code == 404
    assert admin.get("/admin/otp_static/staticdevice/").status_code == 404
    assert authenticator(world.users["practitioner"])  # unchanged
