"""Small builders for the world each test needs. No giant shared fixture: call what you need."""

from __future__ import annotations

import datetime
import itertools
from typing import Any

from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from cases.codes import AgencyType, RelationshipBasis, Role
from cases.models import (
    Address,
    Agency,
    Child,
    ChronologyEntry,
    Concern,
    ConcernChild,
    Family,
    Involvement,
    Plan,
    PlanAction,
    Practitioner,
    ProtectionMeeting,
    Referral,
    Team,
    Visit,
)
from cases.services import legitimate_relationship_record

PASSWORD = "correct-horse-battery-staple"
_counter = itertools.count(1)


def agency(name: str | None = None, agency_type: str = AgencyType.HEALTH) -> Agency:
    return Agency.objects.create(name=name or f"Agency {next(_counter)}", agency_type=agency_type)


def team(of: Agency, name: str | None = None) -> Team:
    return Team.objects.create(agency=of, name=name or f"Team {next(_counter)}")


def practitioner(
    at: Agency | None, role: str = Role.PRACTITIONER, username: str | None = None, **extra: object
) -> Practitioner:
    person = Practitioner(
        username=username or f"user{next(_counter)}",
        first_name="Pat",
        last_name=f"Worker{next(_counter)}",
        agency=at,
        role=role,
        **extra,
    )
    person.set_password(PASSWORD)
    # Test accounts are confirmed by their agency and have an authenticator app.
    person.confirmed_for_agency = at
    person.confirmed_at = timezone.now() if at else None
    person.save()
    TOTPDevice.objects.create(user=person, name="Test app", confirmed=True)
    return person


def family() -> Family:
    return Family.objects.create(reference=f"T{next(_counter):06d}")


def child(
    known_to: list[Agency] | tuple[Agency, ...] = (),
    in_family: Family | None = None,
    first_name: str = "Zebedee",
    last_name: str | None = None,
    **extra: object,
) -> Child:
    """A child whose record the given agencies have a legitimate relationship with."""
    fields: dict[str, object] = {
        "family": in_family or family(),
        "first_name": first_name,
        "last_name": last_name or f"Quillfeather{next(_counter)}",
        "date_of_birth": datetime.date(2019, 5, 4),
    }
    fields.update(extra)
    record = Child.objects.create(**fields)
    for each in known_to:
        legitimate_relationship_record(
            child=record, agency_id=each.pk, basis=RelationshipBasis.TEAM_AROUND_FAMILY
        )
    return record


def involvement(
    of: Child,
    level: str,
    lead_agency: Agency,
    started_on: datetime.date | None = None,
    **extra: Any,
) -> Involvement:
    return Involvement.objects.create(
        child=of,
        level=level,
        lead_agency=lead_agency,
        started_on=started_on or timezone.localdate() - datetime.timedelta(days=30),
        **extra,
    )


def concern_submitted_on(
    about: list[Child], author: Practitioner, submitted_on: datetime.date, **extra: Any
) -> Concern:
    """A neglect concern submitted (and by default observed) on a given day."""
    extra.setdefault("observed_on", submitted_on)
    extra.setdefault("neglect_types", ["nutritional"])
    extra.setdefault("actions_taken", ["advice"])
    return concern_observed(
        about,
        author,
        submitted_at=datetime.datetime.combine(
            submitted_on, datetime.time(12, 0), tzinfo=datetime.UTC
        ),
        **extra,
    )


# --- Issue 5: concerns, plans, visits, meetings and referrals for drift scenarios ---------


def concern_observed(
    about: list[Child] | tuple[Child, ...],
    by: Practitioner,
    observed_on: datetime.date | None = None,
    **extra: Any,
) -> Concern:
    """A submitted concern written straight to the database (no concern-logging service)."""
    fields: dict[str, Any] = {
        "author": by,
        "author_agency": by.agency,
        "family": about[0].family,
        "neglect_types": ["physical"],
        "what_was_seen": "Child arrived hungry and in dirty clothes.",
        "severity": "medium",
        "observed_on": observed_on or timezone.localdate(),
        "child_seen": True,
        "actions_taken": ["none_yet"],
        "consent_to_share": "given",
        "submission_key": f"concern-{next(_counter)}",
    }
    fields.update(extra)
    record = Concern.objects.create(**fields)
    for each in about:
        ConcernChild.objects.create(concern=record, child=each)
    return record


def address(of: Family, postcode: str = "NT1 4AB") -> Address:
    return Address.objects.create(
        family=of,
        line_1="1 Test Street",
        town="Testtown",
        postcode=postcode,
        moved_in=datetime.date(2015, 1, 1),
    )


def concern_fields(**overrides: Any) -> dict[str, Any]:
    """A complete, valid set of answers for concern_log (children and author not included)."""
    fields: dict[str, Any] = {
        "neglect_types": ["physical", "nutritional"],
        "what_was_seen": "Children hungry at school; no coats in November.",
        "severity": "medium",
        "observed_on": timezone.localdate() - datetime.timedelta(days=2),
        "place_observed": "At school",
        "child_seen": True,
        "child_seen_alone": True,
        "child_spoken_to": True,
        "child_voice": "There was no breakfast again.",
        "actions_taken": ["advice"],
        "consent_to_share": "given",
        "sharing_reason": "",
        "submission_key": f"key-{next(_counter)}",
    }
    fields.update(overrides)
    return fields


def concern(author: Practitioner, children: list[Child], **overrides: Any) -> Concern:
    from cases.casework.concerns import concern_log

    return concern_log(author=author, children=children, **concern_fields(**overrides))


def visit(of: Child, on: datetime.date, by: Agency, **extra: Any) -> Visit:
    fields: dict[str, Any] = {
        "child": of,
        "occurred_on": on,
        "kind": "home_visit",
        "child_seen": True,
        "child_seen_alone": True,
        "child_voice": "Said she likes school dinners.",
        "agency": by,
        "submission_key": f"visit-{next(_counter)}",
    }
    fields.update(extra)
    return Visit.objects.create(**fields)


def plan(of: Child, level: str, lead_agency: Agency, started_on: datetime.date) -> Plan:
    return Plan.objects.create(
        child=of,
        level=level,
        lead_agency=lead_agency,
        summary="Regular meals, school attendance, health appointments kept.",
        started_on=started_on,
        submission_key=f"plan-{next(_counter)}",
    )


def plan_action(of: Plan, owner: Agency, due_on: datetime.date, **extra: Any) -> PlanAction:
    return PlanAction.objects.create(
        plan=of,
        child_id=of.child_id,
        description="Book dental appointment",
        owner_agency=owner,
        due_on=due_on,
        submission_key=f"action-{next(_counter)}",
        **extra,
    )


def meeting(of: Child, kind: str, held_on: datetime.date, **extra: Any) -> ProtectionMeeting:
    return ProtectionMeeting.objects.create(
        child=of,
        kind=kind,
        held_on=held_on,
        submission_key=f"meeting-{next(_counter)}",
        **extra,
    )


def referral(of: Child, received_on: datetime.date, **extra: Any) -> Referral:
    fields: dict[str, Any] = {
        "child": of,
        "received_on": received_on,
        "source": "2A",
        "submission_key": f"referral-{next(_counter)}",
    }
    fields.update(extra)
    return Referral.objects.create(**fields)


def chronology(of: Child, on: datetime.date, event_type: str, source: Agency) -> ChronologyEntry:
    return ChronologyEntry.objects.create(
        child=of,
        family_id=of.family_id,
        occurred_on=on,
        event_type=event_type,
        significance="medium",
        summary="Recorded for a test.",
        source_agency=source,
    )
