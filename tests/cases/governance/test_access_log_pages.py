"""Issue 11: the information governance officer searches and exports the access log (the export
itself recorded, cells escaped) and reads alerts; a child's leads see who has read the record."""

from __future__ import annotations

import datetime

import pytest
from django.test import Client, override_settings
from django.utils import timezone

from cases.casework.break_glass import access_grant_request
from cases.codes import AgencyType, Role
from cases.governance.selectors import access_alerts
from cases.models import AccessGrant, AccessLogEntry, AccessLogExport, SearchLogEntry
from cases.services import team_around_family_add
from tests.support import factories
from tests.support.world import World

pytestmark = pytest.mark.django_db


def client_for(user) -> Client:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def reads(world: World) -> World:
    """The practitioner reads the child; a police officer breaks glass and reads it too."""
    client_for(world.users["practitioner"]).get(f"/children/{world.child.pk}/")
    police = factories.agency("Police", AgencyType.POLICE)
    world.officer = factories.practitioner(police, Role.PRACTITIONER, "pc-glass")  # type: ignore[attr-defined]
    world.officer.first_name, world.officer.last_name = "=HYPERLINK(1)", "Glass"  # type: ignore[attr-defined]
    world.officer.save()  # type: ignore[attr-defined]
    access_grant_request(practitioner=world.officer, child=world.child, reason="Call-out")  # type: ignore[attr-defined]
    client_for(world.officer).get(f"/children/{world.child.pk}/")  # type: ignore[attr-defined]
    return world


def test_the_officer_searches_by_person_child_agency_date_and_break_glass(reads: World) -> None:
    officer = client_for(reads.users["information_governance"])
    everything = officer.get("/audit/access-log/")
    assert everything.status_code == 200 and b"pc-glass" in everything.content
    assert reads.child.full_name.encode() not in everything.content  # the log names ids only
    glass = officer.get("/audit/access-log/?break_glass=yes").content
    assert b"pc-glass" in glass and reads.users["practitioner"].username.encode() not in glass
    by_person = officer.get("/audit/access-log/?person=pc-glass").content
    assert b"1 entry" in by_person
    by_agency = officer.get(f"/audit/access-log/?agency={reads.health.pk}").content
    assert b"pc-glass" not in by_agency and b"1 entry" in by_agency
    assert (
        b"No reads match" in officer.get(f"/audit/access-log/?child={reads.child.pk + 999}").content
    )
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    later = officer.get(
        "/audit/access-log/",
        {
            "date_from-day": tomorrow.day,
            "date_from-month": tomorrow.month,
            "date_from-year": tomorrow.year,
        },
    )
    assert b"must be today or in the past" in later.content


def test_a_bad_filter_is_a_form_error(reads: World) -> None:
    answer = client_for(reads.users["information_governance"]).get("/audit/access-log/?child=abc")
    assert answer.status_code == 200
    assert b"govuk-error-summary" in answer.content and b"must be a number" in answer.content


def test_the_export_is_recorded_and_its_cells_cannot_run_as_formulas(reads: World) -> None:
    answer = client_for(reads.users["information_governance"]).get(
        "/audit/access-log.csv?break_glass=yes"
    )
    assert answer.status_code == 200 and "no-store" in answer["Cache-Control"]
    body = answer.content.decode()
    assert "'=HYPERLINK(1) Glass" in body and "\n=" not in body and ",=" not in body
    export = AccessLogExport.objects.get()
    assert export.practitioner == reads.users["information_governance"]
    assert export.filters == {"break_glass": True} and export.row_count == 1


def test_the_officer_sees_no_case_content(reads: World) -> None:
    officer = client_for(reads.users["information_governance"])
    assert officer.get(f"/children/{reads.child.pk}/").status_code == 403
    assert officer.get(f"/api/children/{reads.child.pk}/").status_code == 403
    assert officer.get("/api/concerns/").status_code == 403


@override_settings(UNUSUAL_READS_PER_HOUR=2, UNUSUAL_SEARCHES_PER_HOUR=2)
def test_alerts_name_unusual_reads_restricted_reads_late_reviews_and_searches(
    world: World,
) -> None:
    reader = world.users["practitioner"]
    for _ in range(3):
        team_around_family_add(child=factories.child(), agency=world.health, practitioner=reader)
    client_for(reader).get("/")  # the home caseload lists four children: four reads in an hour
    restricted = factories.child(is_restricted=True)
    restricted.restricted_to.add(reader)
    client_for(reader).get(f"/children/{restricted.pk}/")
    grant = access_grant_request(
        practitioner=world.users["unrelated_practitioner"], child=world.child, reason="Call-out"
    )
    AccessGrant.objects.filter(pk=grant.pk).update(
        granted_at=timezone.now() - datetime.timedelta(days=7)
    )
    for _ in range(3):
        client_for(world.users["lead"]).post("/children/search/", {"name": "Quentin"}, follow=True)
    kinds = {(alert.kind, alert.practitioner.username) for alert in access_alerts()}
    assert kinds == {
        ("unusual_reads", reader.username),
        ("restricted_read", reader.username),
        ("break_glass_unreviewed", world.users["unrelated_practitioner"].username),
        ("unusual_searches", world.users["lead"].username),
    }
    page = client_for(world.users["information_governance"]).get("/audit/alerts/")
    assert page.status_code == 200 and b"Break glass not reviewed" in page.content
    assert world.child.last_name.encode() not in page.content
    assert SearchLogEntry.objects.count() == 3


def test_a_lead_sees_who_has_read_the_record_and_that_read_is_logged(reads: World) -> None:
    lead = client_for(reads.users["lead"])
    child_page = lead.get(f"/children/{reads.child.pk}/")
    assert b"Who has seen this record" in child_page.content
    answer = lead.get(f"/children/{reads.child.pk}/access-log/")
    assert answer.status_code == 200
    assert b"=HYPERLINK(1) Glass" in answer.content and b"Break glass" in answer.content
    assert AccessLogEntry.objects.filter(view_name="child_access_log", child=reads.child).exists()


def test_a_lead_who_reaches_the_child_by_break_glass_cannot_see_who_has_read_it(
    reads: World,
) -> None:
    police_lead = factories.practitioner(reads.officer.agency, Role.SAFEGUARDING_LEAD)  # type: ignore[attr-defined]
    access_grant_request(practitioner=police_lead, child=reads.child, reason="Urgent")
    client = client_for(police_lead)
    assert b"Who has seen this record" not in client.get(f"/children/{reads.child.pk}/").content
    assert client.get(f"/children/{reads.child.pk}/access-log/").status_code == 403
    assert (
        client_for(reads.users["practitioner"])
        .get(f"/children/{reads.child.pk}/access-log/")
        .status_code
        == 403
    )
