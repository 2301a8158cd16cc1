"""Small builders for the world each test needs. No giant shared fixture: call what you need."""

from __future__ import annotations

import datetime
import itertools
from typing import Any

from django.utils import timezone

from cases.codes import AgencyType, RelationshipBasis, Role
from cases.models import (
    Address,
    Agency,
    Child,
    Concern,
    ConcernChild,
    Family,
    Involvement,
    Practitioner,
    Team,
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
    person.save()
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
    about: list[Child],
    author: Practitioner,
    submitted_on: datetime.date,
    child_seen: bool = True,
    child_voice: str = "",
    **extra: Any,
) -> Concern:
    """A neglect concern logged on a given day (built directly: the logging journey is
    tested on its own)."""
    assert author.agency is not None
    record = Concern.objects.create(
        author=author,
        author_agency=author.agency,
        family=about[0].family,
        neglect_types=["nutritional"],
        what_was_seen="Little food in the home.",
        severity="medium",
        observed_on=extra.pop("observed_on", submitted_on),
        child_seen=child_seen,
        child_voice=child_voice,
        actions_taken=["advice"],
        consent_to_share="given",
        submitted_at=datetime.datetime.combine(
            submitted_on, datetime.time(12, 0), tzinfo=datetime.UTC
        ),
        submission_key=f"test-{next(_counter)}",
        **extra,
    )
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
    from cases.concerns import concern_log

    return concern_log(author=author, children=children, **concern_fields(**overrides))
