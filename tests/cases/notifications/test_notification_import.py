"""Bulk notifications: every row checked, matched like search, written once, reported."""

from __future__ import annotations

import base64
import csv
import datetime
import io
import json

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from openpyxl import Workbook

from cases import access
from cases.accounts.services import account_confirm
from cases.clients.services import machine_client_register
from cases.codes import AgencyType, Role
from cases.drift.evaluation import drift_evaluate
from cases.models import (
    AccessLogEntry,
    ChangeLogEntry,
    Child,
    ChronologyEntry,
    Concern,
    DriftEvaluationRequest,
    DriftFlag,
    Practitioner,
    SearchLogEntry,
)
from cases.notifications import services
from cases.notifications.layouts import header
from cases.notifications.models import (
    AttendanceRecord,
    ExclusionRecord,
    NotificationImport,
    NotificationRow,
    RowStatus,
)
from cases.notifications.tasks import notification_import_run
from tests.support import factories
from tests.support.world import World

pytestmark = pytest.mark.django_db

NHS = "9990000026"  # passes Modulus 11
UNKNOWN_NHS = "9990000042"  # valid, and no child has it
TODAY = datetime.date.today()


def csv_file(kind: str, rows: list[dict[str, str]]) -> bytes:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=header(kind))
    writer.writeheader()
    for row in rows:
        writer.writerow(row)
    return buffer.getvalue().encode()


def run(
    world: World,
    kind: str,
    content: bytes,
    *,
    key: str,
    dry_run: bool = False,
    name: str = "file.csv",
    sender: Practitioner | None = None,
) -> NotificationImport:
    notification_import, _created = services.notification_import_create(
        sender=sender or world.users["lead"],
        kind=kind,
        file_name=name,
        content=content,
        dry_run=dry_run,
        submission_key=key,
    )
    notification_import_run(notification_import.pk)
    notification_import.refresh_from_db()
    return notification_import


def statuses(notification_import: NotificationImport) -> dict[int, str]:
    return dict(notification_import.rows.values_list("row_number", "status"))


@pytest.fixture
def children(world: World) -> dict[str, object]:
    known = factories.child(known_to=[world.health], first_name="Ada", nhs_number=NHS)
    by_name = factories.child(known_to=[world.school], first_name="Bea", last_name="Brook")
    factories.address(by_name.family, postcode="NT2 5CD")
    twin_a = factories.child(first_name="Cy", last_name="Twin", upn="A123456789012")
    twin_b = factories.child(first_name="Cy", last_name="Twin", upn="A123456789012")
    return {"known": known, "by_name": by_name, "twins": [twin_a, twin_b]}


def was_not_brought(**values: str) -> dict[str, str]:
    return {"appointment_date": "2026-10-12", "service": "Dental", **values}


def test_good_bad_unmatched_ambiguous_and_repeated_rows(world: World, children) -> None:
    content = csv_file(
        "was_not_brought",
        [
            was_not_brought(nhs_number=NHS),  # 2: by NHS number
            was_not_brought(
                first_name="bea", last_name="BROOK", date_of_birth="2019-05-04", postcode="nt25cd"
            ),  # 3: by name, date of birth and postcode
            was_not_brought(nhs_number="1234567890", service=""),  # 4: two errors
            was_not_brought(
                first_name="No", last_name="Body", date_of_birth="2018-01-01", postcode="NT9 9ZZ"
            ),  # 5: matches nobody
            was_not_brought(upn="A123456789012"),  # 6: matches two children
            was_not_brought(nhs_number=NHS),  # 7: the same as row 2
        ],
    )
    first = run(world, "was_not_brought", content, key="a")
    assert statuses(first) == {
        2: "created",
        3: "created",
        4: "invalid",
        5: "queued",
        6: "queued",
        7: "repeated",
    }
    errors = first.rows.get(row_number=4).errors
    assert {e["column"] for e in errors} == {"nhs_number", "service"}
    assert all(e["message"] for e in errors)
    entries = ChronologyEntry.objects.filter(event_type="was_not_brought")
    assert sorted(entries.values_list("child_id", flat=True)) == sorted(
        [children["known"].pk, children["by_name"].pk]
    )
    assert set(entries.values_list("source_agency_id", flat=True)) == {world.health.pk}
    assert DriftEvaluationRequest.objects.filter(child=children["known"]).exists()
    assert first.counts == {"created": 2, "invalid": 1, "queued": 2, "repeated": 1}
    # Matching confirms children are known, as a search does: logged without values.
    logged = SearchLogEntry.objects.get(view_name="notification_import")
    assert logged.masked_results == 2 and "nhs_number" in logged.identifier_kinds

    again = run(world, "was_not_brought", content, key="b")
    assert statuses(again) == {
        2: "repeated",
        3: "repeated",
        4: "invalid",
        5: "repeated",
        6: "repeated",
        7: "repeated",
    }
    assert entries.count() == 2


def test_a_dry_run_changes_nothing(world: World, children) -> None:
    content = csv_file("was_not_brought", [was_not_brought(nhs_number=NHS)])
    checked = run(world, "was_not_brought", content, key="dry", dry_run=True)
    assert statuses(checked) == {2: "would_create"}
    assert not ChronologyEntry.objects.filter(event_type="was_not_brought").exists()
    real = run(world, "was_not_brought", content, key="real")
    assert statuses(real) == {2: "created"}


def test_attendance_and_exclusions_become_school_records(world: World, children) -> None:
    attendance = csv_file(
        "attendance",
        [
            {
                "nhs_number": NHS,
                "period_start": "2026-09-01",
                "period_end": "2026-10-31",
                "sessions_possible": "80",
                "sessions_attended": "40",
            },
            {
                "nhs_number": NHS,
                "period_start": "2026-09-01",
                "period_end": "2026-10-31",
                "sessions_possible": "80",
                "sessions_attended": "90",
            },
        ],
    )
    done = run(world, "attendance", attendance, key="att")
    assert statuses(done) == {2: "created", 3: "invalid"}
    record = AttendanceRecord.objects.get()
    assert (record.sessions_possible, record.sessions_attended) == (80, 40)
    assert ChronologyEntry.objects.get(event_type="school_absence").significance == "medium"
    exclusion = csv_file(
        "exclusion",
        [
            {"nhs_number": NHS, "exclusion_date": "2026-10-10", "exclusion_type": "permanent"},
            {"nhs_number": NHS, "exclusion_date": "2026-10-11", "exclusion_type": "suspension"},
        ],
    )
    done = run(world, "exclusion", exclusion, key="exc")
    assert statuses(done) == {2: "created", 3: "invalid"}
    assert ExclusionRecord.objects.get().permanent


def test_an_xlsx_file_is_read_like_a_csv(world: World, children) -> None:
    book = Workbook()
    sheet = book.active
    sheet.append(header("was_not_brought"))
    sheet.append([NHS, "", "", "", None, "", "", "", datetime.date(2026, 10, 12), "Dental", ""])
    buffer = io.BytesIO()
    book.save(buffer)
    done = run(world, "was_not_brought", buffer.getvalue(), key="x", name="pas.xlsx")
    assert statuses(done) == {2: "created"}
    entry = ChronologyEntry.objects.get(event_type="was_not_brought")
    assert entry.child_id == children["known"].pk and entry.occurred_on == datetime.date(
        2026, 10, 12
    )


def police_notification(**values: str) -> dict[str, str]:
    return {
        "incident_date": str(TODAY - datetime.timedelta(days=3)),
        "incident_reference": "DA/1",
        "summary": "Officers attended; the child was in the house.",
        **values,
    }


def test_a_police_notification_is_a_concern_from_the_police(world: World, children) -> None:
    police = factories.agency("Test Constabulary", AgencyType.POLICE)
    sender = factories.practitioner(police, Role.SAFEGUARDING_LEAD, "police-lead")
    school = factories.practitioner(world.school)
    child = children["known"]
    for days in (20, 10):  # two concerns already from the school
        factories.concern_observed([child], school, observed_on=TODAY - datetime.timedelta(days))
    longest = police_notification(
        first_name="Bea",
        last_name="Brook",
        date_of_birth="2019-05-04",
        postcode="NT2 5CD",
        incident_reference="R" * 50,
        summary="S" * 1850,
    )
    content = csv_file("domestic_abuse", [police_notification(nhs_number=NHS), longest])
    done = run(world, "domestic_abuse", content, key="p", sender=sender)
    assert statuses(done) == {2: "created", 3: "created"}  # the longest fit in a concern
    row = done.rows.get(row_number=2)
    concern = row.concern
    assert concern is not None
    assert (concern.author, concern.author_agency) == (sender, police)
    assert concern.observed_on == TODAY - datetime.timedelta(days=3)
    assert "DA/1" in concern.what_was_seen and "in the house" in concern.what_was_seen
    assert list(concern.children.all()) == [child]
    # Its chronology entry is the one logging a concern writes.
    entry = row.chronology_entry
    assert entry is not None
    assert (entry.event_type, entry.source_kind, entry.source_id) == (
        "concern",
        "concern",
        concern.pk,
    )
    assert (entry.source_agency, entry.occurred_on) == (police, concern.observed_on)
    assert ChangeLogEntry.objects.filter(record_kind="Concern", record_id=concern.pk).exists()
    assert not ChronologyEntry.objects.filter(event_type="domestic_abuse_notification").exists()
    # The drift rule counting concerns from several agencies sees it.
    drift_evaluate(as_of=TODAY)
    flag = DriftFlag.objects.get(child=child, rule_code="CUMULATIVE_CONCERNS")
    assert flag.figures["agencies"] == ["education", "police"]
    # Sent again: nothing new.
    again = run(world, "domestic_abuse", content, key="p2", sender=sender)
    assert statuses(again) == {2: "repeated", 3: "repeated"}
    assert Concern.objects.filter(author_agency=police).count() == 2


def test_a_police_notification_linked_from_the_queue_is_a_concern(world: World, children) -> None:
    police = factories.agency("Test Constabulary", AgencyType.POLICE)
    sender = factories.practitioner(police, Role.SAFEGUARDING_LEAD, "police-lead")
    officer = factories.practitioner(police)
    twin = children["twins"][0]
    content = csv_file("domestic_abuse", [police_notification(upn="A123456789012")])
    row = run(world, "domestic_abuse", content, key="p", sender=sender).rows.get()
    assert row.status == "queued" and not Concern.objects.exists()
    services.notification_row_link(
        practitioner=officer, row_id=row.pk, child_id=twin.pk, submission_key="l"
    )
    row.refresh_from_db()
    concern = row.concern
    assert concern is not None
    assert (concern.author, list(concern.children.all())) == (sender, [twin])
    assert row.chronology_entry is not None
    assert row.chronology_entry.source_id == concern.pk


def test_a_file_without_the_layouts_columns_is_refused(world: World) -> None:
    with pytest.raises(ValidationError) as refused:
        services.notification_import_create(
            sender=world.users["lead"],
            kind="attendance",
            file_name="a.csv",
            content=b"name,date\nx,y\n",
            dry_run=False,
            submission_key="k",
        )
    assert "missing" in str(refused.value)


def test_the_matching_queue_links_registers_and_rejects(world: World, children) -> None:
    content = csv_file(
        "was_not_brought",
        [
            was_not_brought(upn="A123456789012"),
            was_not_brought(
                first_name="New",
                last_name="Child",
                date_of_birth="2020-02-02",
                postcode="NT3 1AA",
                address_line_1="1 High Street",
                town="Newtown",
            ),
            was_not_brought(
                first_name="Not", last_name="Ours", date_of_birth="2020-02-02", postcode="NT3 1AA"
            ),
        ],
    )
    done = run(world, "was_not_brought", content, key="q")
    rows = {row.row_number: row for row in done.rows.all()}
    practitioner = world.users["practitioner"]
    twin = children["twins"][1]
    services.notification_row_link(
        practitioner=practitioner, row_id=rows[2].pk, child_id=twin.pk, submission_key="k1"
    )
    child = services.notification_row_register(
        practitioner=practitioner, row_id=rows[3].pk, submission_key="k2"
    )
    services.notification_row_reject(
        practitioner=practitioner,
        row_id=rows[4].pk,
        reason="Not a child in this area",
        submission_key="k3",
    )
    assert statuses(done) == {2: "linked", 3: "registered", 4: "rejected"}
    written = ChronologyEntry.objects.filter(event_type="was_not_brought")
    assert sorted(written.values_list("child_id", flat=True)) == sorted([twin.pk, child.pk])
    # The registered child is the row's, and the practitioner's agency now works with them.
    assert (child.first_name, child.last_name, str(child.date_of_birth)) == (
        "New",
        "Child",
        "2020-02-02",
    )
    assert access.children_visible_to(user=practitioner).filter(pk=child.pk).exists()
    with pytest.raises(ValidationError):
        services.notification_row_reject(
            practitioner=practitioner, row_id=rows[4].pk, reason="again", submission_key="k4"
        )


def test_a_link_writes_what_an_automatic_match_writes(world: World, children) -> None:
    row = was_not_brought(upn="A123456789012")
    queued = run(world, "was_not_brought", csv_file("was_not_brought", [row]), key="q").rows.get()
    twin = children["twins"][0]
    services.notification_row_link(
        practitioner=world.users["practitioner"],
        row_id=queued.pk,
        child_id=twin.pk,
        submission_key="link",
    )
    matched = run(
        world,
        "was_not_brought",
        csv_file("was_not_brought", [was_not_brought(nhs_number=NHS)]),
        key="m",
    ).rows.get()

    def written(row_id: int) -> tuple[object, ...]:
        row = NotificationRow.objects.get(pk=row_id)
        entry = row.chronology_entry
        assert entry is not None
        logged = ChangeLogEntry.objects.get(record_kind="ChronologyEntry", record_id=entry.pk)
        return (
            entry.event_type,
            entry.significance,
            entry.summary,
            entry.source_agency_id,
            entry.recorded_by_id,
            entry.source_kind,
            entry.source_id == row.pk,
            logged.practitioner_id,
            DriftEvaluationRequest.objects.filter(child=row.child).exists(),
        )

    assert written(queued.pk) == written(matched.pk)


def test_a_double_submit_links_once(world: World, children) -> None:
    content = csv_file("was_not_brought", [was_not_brought(upn="A123456789012")])
    row = run(world, "was_not_brought", content, key="q").rows.get()
    practitioner = world.users["practitioner"]
    twin = children["twins"][0]
    for _ in range(2):
        linked = services.notification_row_link(
            practitioner=practitioner, row_id=row.pk, child_id=twin.pk, submission_key="once"
        )
        assert linked == twin
    assert ChronologyEntry.objects.filter(event_type="was_not_brought").count() == 1
    # Another answer (another key) to a row already answered is refused.
    with pytest.raises(ValidationError):
        services.notification_row_link(
            practitioner=practitioner, row_id=row.pk, child_id=twin.pk, submission_key="twice"
        )


def test_an_unmatched_row_is_linked_to_a_child_found_from_its_page(world: World, children) -> None:
    content = csv_file(
        "was_not_brought",
        [
            was_not_brought(
                first_name="Zebedy",
                last_name="Child",
                date_of_birth="2018-01-01",
                postcode="NT9 9ZZ",
            )
        ],
    )
    row = run(world, "was_not_brought", content, key="u").rows.get()
    assert row.status == "queued" and row.candidates == []
    page = Client()
    page.force_login(world.users["practitioner"])
    address = f"/notifications/matching/{row.pk}/"
    shown = page.get(address).content.decode()
    assert 'value="Zebedy Child"' in shown  # the search starts from what the row says
    found = page.post(
        address, {"action": "search", "search-name": "Zebedee", "search-postcode": ""}
    )
    assert found.status_code == 200
    html = found.content.decode()
    assert world.child.full_name in html and f'name="found-child" value="{world.child.pk}"' in html
    # Masked as search masks: a child the agency cannot see shows no name and cannot be linked.
    stranger = factories.child(first_name="Zebedee", last_name="Stranger")
    html = page.post(address, {"action": "search", "search-name": "Zebedee"}).content.decode()
    assert "Stranger" not in html and f'value="{stranger.pk}"' not in html
    logged = SearchLogEntry.objects.filter(view_name="notification_row_search")
    assert [entry.identifier_kinds for entry in logged] == [["name"], ["name"]]
    assert AccessLogEntry.objects.filter(
        child=world.child, view_name="notification_row_search"
    ).exists()
    form = {"action": "link-found", "found-child": world.child.pk, "found-submission_key": "f1"}
    assert page.post(address, form).status_code == 302
    assert page.post(address, form).status_code == 302  # the double submit
    row.refresh_from_db()
    assert (row.status, row.child_id) == ("linked", world.child.pk)
    assert (
        ChronologyEntry.objects.filter(child=world.child, event_type="was_not_brought").count() == 1
    )
    assert page.get(address).status_code == 302  # dealt with: back to the queue


def test_a_row_is_not_linked_to_a_child_the_agency_cannot_see(world: World, children) -> None:
    content = csv_file("was_not_brought", [was_not_brought(nhs_number=UNKNOWN_NHS)])
    row = run(world, "was_not_brought", content, key="n").rows.get()
    page = Client()
    page.force_login(world.users["practitioner"])
    address = f"/notifications/matching/{row.pk}/"
    unseen = children["by_name"]  # known to the school only
    answer = page.post(
        address, {"action": "link-found", "found-child": unseen.pk, "found-submission_key": "x"}
    )
    assert answer.status_code == 200
    assert "Choose a child your agency can see" in answer.content.decode()
    row.refresh_from_db()
    assert row.status == "queued" and not ChronologyEntry.objects.filter(child=unseen).exists()
    with pytest.raises(ValidationError):
        services.notification_row_link(
            practitioner=world.users["practitioner"],
            row_id=row.pk,
            child_id=unseen.pk,
            submission_key="y",
        )


def test_register_and_reject_work_from_the_page(world: World, children) -> None:
    content = csv_file(
        "was_not_brought",
        [
            was_not_brought(
                first_name="Newly",
                last_name="Found",
                date_of_birth="2021-03-03",
                postcode="NT3 1AA",
            ),
            was_not_brought(nhs_number=UNKNOWN_NHS),
        ],
    )
    rows = {r.row_number: r for r in run(world, "was_not_brought", content, key="p").rows.all()}
    page = Client()
    page.force_login(world.users["practitioner"])
    first = f"/notifications/matching/{rows[2].pk}/"
    assert "Newly Found" in page.get(first).content.decode()
    for _ in range(2):  # a double submit registers one child
        assert (
            page.post(first, {"action": "register", "register-submission_key": "r"}).status_code
            == 302
        )
    assert Child.objects.filter(first_name="Newly", last_name="Found").count() == 1
    second = f"/notifications/matching/{rows[3].pk}/"
    refused = page.post(second, {"action": "reject", "reject-submission_key": "j"})
    assert "Enter why the row is rejected" in refused.content.decode()
    assert "register the child" in refused.content.decode().lower()  # no name to register from
    page.post(
        second, {"action": "reject", "reject-reason": "Wrong UPN", "reject-submission_key": "j"}
    )
    rows[3].refresh_from_db()
    assert (rows[3].status, rows[3].reject_reason) == ("rejected", "Wrong UPN")


def test_registering_from_a_row_shows_children_who_may_be_the_one_first(
    world: World, children
) -> None:
    known = children["known"]
    content = csv_file(
        "was_not_brought",
        [
            was_not_brought(
                first_name=known.first_name,
                last_name=known.last_name,
                date_of_birth=known.date_of_birth.isoformat(),
                postcode="NT9 9ZZ",  # the family has moved since: no automatic match
            )
        ],
    )
    row = run(world, "was_not_brought", content, key="d").rows.get()
    assert row.status == "queued", row.errors
    page = Client()
    page.force_login(world.users["practitioner"])
    address = f"/notifications/matching/{row.pk}/"
    form = {"action": "register", "register-submission_key": "dup"}
    shown = page.post(address, form)
    assert shown.status_code == 200
    text = shown.content.decode()
    assert "1 child the partnership knows may be the one in this row" in text
    assert f'name="found-child" value="{known.pk}"' in text  # linkable from the answer
    assert "None of these is the child: register a new child" in text
    assert Child.objects.filter(first_name=known.first_name).count() == 1
    row.refresh_from_db()
    assert row.status == "queued"
    confirmed = page.post(address, {**form, "register-confirmed_new": "yes"})
    assert confirmed.status_code == 302
    assert Child.objects.filter(first_name=known.first_name).count() == 2
    row.refresh_from_db()
    assert row.status == "registered" and row.child_id != known.pk


def test_another_agency_cannot_work_the_queue(world: World, children) -> None:
    content = csv_file("was_not_brought", [was_not_brought(upn="A123456789012")])
    row = run(world, "was_not_brought", content, key="o").rows.get()
    other = Client()
    other.force_login(world.users["unrelated_practitioner"])
    assert other.get(f"/notifications/matching/{row.pk}/").status_code == 404
    with pytest.raises(PermissionDenied):
        services.notification_row_reject(
            practitioner=world.users["unrelated_practitioner"],
            row_id=row.pk,
            reason="no",
            submission_key="k",
        )


def test_a_machine_client_sends_a_file_through_the_api(world: World, children) -> None:
    machine, secret = machine_client_register(
        actor=world.users["admin"],
        name="Trust PAS",
        agency=world.health,
        scopes=["notifications:write"],
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
    api = Client(HTTP_AUTHORIZATION=f"Bearer {token}")
    upload = io.BytesIO(
        csv_file("was_not_brought", [was_not_brought(nhs_number=NHS), was_not_brought(service="")])
    )
    upload.name = "pas.csv"
    sent = api.post(
        "/api/notifications/",
        {"kind": "was_not_brought", "file": upload, "submission_key": "pas-1"},
    )
    assert sent.status_code == 202, sent.content
    notification_import_run(sent.json()["id"])
    report = api.get(f"/api/notifications/{sent.json()['id']}/").json()
    assert report["status"] == "done" and report["counts"] == {"created": 1, "invalid": 1}
    assert report["rows"][0]["row"] == 3 and report["rows"][0]["errors"]
    bad = api.post("/api/notifications/", {"kind": "nonsense", "submission_key": "x"})
    assert bad.status_code == 400 and set(json.loads(bad.content)) >= {"kind", "file"}
    assert RowStatus.CREATED in report["counts"]
