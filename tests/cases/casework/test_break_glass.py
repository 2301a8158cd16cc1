"""Break-glass access: a declared reason, a time limit, and review by the child's leads."""

from __future__ import annotations

import datetime

import pytest
from django.test import Client
from django.utils import timezone

from cases.codes import AgencyType, Role
from cases.models import AccessGrant, AccessLogEntry, ChangeLogEntry
from tests.support import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def setting() -> dict:
    health = factories.agency("Health", AgencyType.HEALTH)
    police = factories.agency("Police", AgencyType.POLICE)
    child = factories.child(known_to=[health], first_name="Ada", last_name="Lovelock")
    return {
        "child": child,
        "officer": factories.practitioner(police, Role.PRACTITIONER),
        "lead": factories.practitioner(health, Role.SAFEGUARDING_LEAD),
        "police_lead": factories.practitioner(police, Role.SAFEGUARDING_LEAD),
    }


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_a_reason_opens_the_record_for_the_configured_hours(setting, settings) -> None:
    settings.BREAK_GLASS_HOURS = 6
    officer, child = setting["officer"], setting["child"]
    client = client_for(officer)
    assert client.get(f"/children/{child.pk}/").status_code == 403
    before = timezone.now()
    response = client.post(
        f"/children/{child.pk}/request-access/", {"reason": "Called to the home tonight"}
    )
    assert response.status_code == 302
    grant = AccessGrant.objects.get()
    assert grant.reason == "Called to the home tonight"
    expected = before + datetime.timedelta(hours=6)
    assert abs((grant.expires_at - expected).total_seconds()) < 60
    assert ChangeLogEntry.objects.filter(record_kind="AccessGrant", action="break_glass").exists()
    assert client.get(f"/children/{child.pk}/").status_code == 200
    log = AccessLogEntry.objects.get(view_name="child_detail")
    assert log.break_glass is True


def test_the_request_page_shows_only_initials_year_and_agencies(setting) -> None:
    response = client_for(setting["officer"]).get(
        f"/children/{setting['child'].pk}/request-access/"
    )
    html = response.content.decode()
    assert "AL" in html and "2019" in html and "Health" in html
    assert "Lovelock" not in html and "Ada" not in html


def test_a_reason_is_required_and_nothing_opens_without_one(setting) -> None:
    response = client_for(setting["officer"]).post(
        f"/children/{setting['child'].pk}/request-access/", {"reason": "  "}
    )
    assert response.status_code == 200
    assert b"Enter why you need to see this child" in response.content
    assert AccessGrant.objects.count() == 0


def test_an_expired_grant_no_longer_opens_the_record(setting) -> None:
    officer, child = setting["officer"], setting["child"]
    AccessGrant.objects.create(
        practitioner=officer,
        child=child,
        reason="Earlier call-out",
        expires_at=timezone.now() - datetime.timedelta(minutes=1),
    )
    assert client_for(officer).get(f"/children/{child.pk}/").status_code == 403


def test_the_childs_lead_sees_the_grant_and_marks_it_reviewed(setting) -> None:
    officer, child, lead = setting["officer"], setting["child"], setting["lead"]
    client_for(officer).post(f"/children/{child.pk}/request-access/", {"reason": "Call-out"})
    grant = AccessGrant.objects.get()
    home = client_for(lead).get("/").content.decode()
    assert "Break-glass access to review" in home and "Call-out" in home
    response = client_for(lead).post(f"/access-grants/{grant.pk}/review/")
    assert response.status_code == 302
    grant.refresh_from_db()
    assert grant.reviewed_by == lead and grant.reviewed_at is not None
    assert "Call-out" not in client_for(lead).get("/").content.decode()


def test_a_lead_of_an_agency_that_does_not_know_the_child_cannot_review(setting) -> None:
    officer, child = setting["officer"], setting["child"]
    client_for(officer).post(f"/children/{child.pk}/request-access/", {"reason": "Call-out"})
    grant = AccessGrant.objects.get()
    assert "Call-out" not in client_for(setting["police_lead"]).get("/").content.decode()
    client_for(setting["police_lead"]).post(f"/access-grants/{grant.pk}/review/")
    grant.refresh_from_db()
    assert grant.reviewed_at is None


def test_a_restricted_record_cannot_be_opened_by_breaking_glass(setting) -> None:
    child = setting["child"]
    child.is_restricted = True
    child.restriction_reason = "adoption"
    child.save()
    response = client_for(setting["officer"]).post(
        f"/children/{child.pk}/request-access/", {"reason": "Call-out"}
    )
    assert response.status_code == 403
    assert AccessGrant.objects.count() == 0
