"""Generates a synthetic partnership at any size, from a demo to a large county: agencies,
teams and practitioners, then families, children, adults and involvements in batches, each batch
handed to every registered seed step.

The shape follows published national rates per 10,000 children, scaled to the children a
partnership holds records for: most are known to universal or early-help services, about a
sixth are children in need, and about one in eight of those is on a protection plan, half
of them under neglect.
"""

from __future__ import annotations

import datetime
import functools
import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.db import connection, transaction
from django.utils import timezone

from cases.accounts.demo import demo_second_factor_ensure
from cases.codes import NeedLevel
from cases.models import Agency, Child, Practitioner, Team
from cases.seeding import (
    CHRONOLOGY_COLUMNS,
    INVOLVEMENT_COLUMNS,
    SeedBatch,
    SeedChild,
    Weighted,
    reserve_ids,
    seed_batch_complete,
    seeding_session,
    synthetic,
)
from cases.validators import nhs_number_check_digit, upn_check_letter

BATCH_CHILDREN = 2000


LEVEL_WEIGHTS = (
    (NeedLevel.UNIVERSAL, 30),
    (NeedLevel.EARLY_HELP, 35),
    (NeedLevel.CHILD_IN_NEED, 22),
    (NeedLevel.CHILD_PROTECTION, 8),
    (NeedLevel.LOOKED_AFTER, 5),
)
PROTECTION_WEIGHTS = (("NEG", 50), ("EMO", 33), ("PHY", 8), ("MUL", 6), ("SAB", 3))
EVENT_WEIGHTS = (
    ("missed_health_appointment", 20),
    ("school_absence", 20),
    ("police_call_out", 8),
    ("housing_visit", 8),
    ("hospital_attendance", 8),
    ("domestic_abuse_notification", 8),
    ("visit", 20),
    ("other", 8),
)
EVENT_SUMMARIES = {
    "missed_health_appointment": "Did not attend a booked health appointment; not rebooked by carer.",
    "school_absence": "Absent from school without explanation for several days.",
    "police_call_out": "Police attended the home after a report of shouting; children present.",
    "housing_visit": "Housing officer visited: damp, little food in the kitchen, no heating.",
    "hospital_attendance": "Attended the emergency department with a minor injury.",
    "domestic_abuse_notification": "Domestic abuse notification received; child in the house.",
    "visit": "Home visit: child seen, home conditions noted.",
    "other": "Significant event recorded by the agency.",
}
LEVELS = Weighted([(str(level), weight) for level, weight in LEVEL_WEIGHTS])
EVENTS = Weighted(EVENT_WEIGHTS)
SIGNIFICANCE = Weighted((("low", 50), ("medium", 35), ("high", 15)))
SEND_PROVISION = Weighted((("none", 85), ("sen_support", 11), ("ehcp", 4)))
RISK_FACTOR_RATES = (("3B", 0.22), ("2B", 0.12), ("1B", 0.10), ("4B", 0.25), ("5B", 0.04))


@dataclass
class Partnership:
    agency_ids: dict[str, list[int]] = field(default_factory=dict)  # by agency type
    team_ids: dict[int, list[int]] = field(default_factory=dict)  # by agency id
    practitioner_ids: dict[int, list[int]] = field(default_factory=dict)  # by agency id


def weighted(rng: random.Random, options: Sequence[tuple[str, int]]) -> str:
    return str(_weighted(tuple(options)).pick(rng))


@functools.cache
def _weighted(options: tuple[tuple[str, int], ...]) -> Weighted:
    return Weighted(options)


def synthetic_nhs_number(rng: random.Random) -> str:
    while True:
        first_nine = "999" + "".join(rng.choice("0123456789") for _ in range(6))
        check = nhs_number_check_digit(first_nine)
        if check is not None:
            return f"{first_nine}{check}"


def synthetic_upn(child_id: int, born: datetime.date) -> str:
    # Characters 2-4 are the authority's code: one the census rules recognise (rule 1530). The
    # school and serial digits come from the child's id: a pupil's UPN is theirs alone (random
    # digits gave a few dozen shared UPNs in 100,000 children, rule 1520).
    serial = f"{child_id % 10_000_000:07d}"
    body = settings.NT_CENSUS_LA_CODE + serial[:4] + f"{born.year % 100:02d}" + serial[4:]
    return upn_check_letter(body) + body


@transaction.atomic
def demo_accounts_ensure(*, password: str, only_missing: bool = False) -> None:
    """One demo login per role (a demo seeded before a role existed gets it on the next run)."""
    for username, role, agency_name, team_name, job_title in synthetic.DEMO_ACCOUNTS:
        if only_missing and Practitioner.objects.filter(username=username).exists():
            continue
        agency = Agency.objects.get(name=agency_name)
        team = Team.objects.get(agency=agency, name=team_name) if team_name else None
        first, last = username.capitalize(), "Demo"
        Practitioner.objects.update_or_create(
            username=username,
            defaults={
                "first_name": first,
                "last_name": last,
                "agency": agency,
                "team": team,
                "role": role,
                "job_title": job_title,
                "password": password,
                "is_staff": role == "administrator",
                "is_superuser": role == "administrator",
                "confirmed_for_agency": agency,
                "confirmed_at": timezone.now(),
            },
        )
        demo_second_factor_ensure(Practitioner.objects.get(username=username))


def partnership_reference_data(rng: random.Random, practitioners_per_team: int) -> Partnership:
    """Agencies, teams, practitioners and the demo accounts (created once, then reused)."""
    partnership = Partnership()
    password = make_password(synthetic.DEMO_PASSWORD)
    for name, agency_type, team_names in synthetic.AGENCIES:
        agency, _ = Agency.objects.get_or_create(name=name, defaults={"agency_type": agency_type})
        partnership.agency_ids.setdefault(agency_type, []).append(agency.pk)
        teams = [Team.objects.get_or_create(agency=agency, name=t)[0] for t in team_names]
        partnership.team_ids[agency.pk] = [t.pk for t in teams]
        existing = Practitioner.objects.filter(agency=agency, role="practitioner").count()
        wanted = practitioners_per_team * len(teams)
        new_people = []
        for n in range(existing, wanted):
            first = rng.choice(synthetic.FIRST_NAMES_F + synthetic.FIRST_NAMES_M)
            last = rng.choice(synthetic.SURNAMES)
            new_people.append(
                Practitioner(
                    username=f"{first.lower()}.{last.lower()}.{agency.pk}.{n}",
                    first_name=first,
                    last_name=last,
                    agency=agency,
                    team=teams[n % len(teams)],
                    role="practitioner",
                    password=password,
                    confirmed_for_agency=agency,
                    confirmed_at=timezone.now(),
                )
            )
        Practitioner.objects.bulk_create(new_people)
        partnership.practitioner_ids[agency.pk] = list(
            Practitioner.objects.filter(agency=agency, role="practitioner").values_list(
                "pk", flat=True
            )
        )
    demo_accounts_ensure(password=password)
    demo = Practitioner.objects.get(username="practitioner")
    partnership.practitioner_ids[demo.agency_id].append(demo.pk)  # type: ignore[index]
    return partnership


def seed_partnership(
    *, children: int, seed: int = 2026, progress: Callable[[int], object] | None = None
) -> int:
    """Create about `children` children with families, adults and chronologies. Returns the count."""
    rng = random.Random(seed)
    partnership = partnership_reference_data(rng, practitioners_per_team=max(3, children // 400))
    today = timezone.localdate()
    made = 0
    # One transaction: all or nothing, foreign keys checked in bulk at the end.
    with transaction.atomic(), seeding_session():
        shared: dict[str, Any] = {}
        while made < children:
            batch = min(BATCH_CHILDREN, children - made)
            seed_batch = _seed_family_batch(rng, partnership, batch, today)
            seed_batch.number, seed_batch.shared = made // BATCH_CHILDREN, shared
            seed_batch_complete(seed_batch)
            made += len(seed_batch.children)
            if progress:
                progress(len(seed_batch.children))
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return made


def _seed_family_batch(
    rng: random.Random, partnership: Partnership, wanted: int, today: datetime.date
) -> SeedBatch:
    family_sizes: list[int] = []
    while sum(family_sizes) < wanted:
        family_sizes.append(min(rng.choice((1, 1, 2, 2, 2, 3, 3, 4)), wanted - sum(family_sizes)))
    family_first = reserve_ids("cases_family", len(family_sizes))
    child_first = reserve_ids("cases_child", wanted)
    adults_per_family = [rng.choice((1, 1, 2)) for _ in family_sizes]
    adult_first = reserve_ids("cases_adult", sum(adults_per_family))

    families, addresses, kids, adults, relationships = [], [], [], [], []
    involvements, team_members, links, entries = [], [], [], []
    seeded: list[SeedChild] = []
    now = timezone.now()
    all_types = list(partnership.agency_ids)
    child_id, adult_id = child_first, adult_first
    for index, size in enumerate(family_sizes):
        family_id = family_first + index
        surname = rng.choice(synthetic.SURNAMES)
        families.append((family_id, f"F{family_id:07d}", now))
        addresses.append(
            (
                family_id,
                f"{rng.randrange(1, 200)} {rng.choice(synthetic.STREETS)}",
                "",
                rng.choice(synthetic.TOWNS),
                f"NT{rng.randrange(1, 30)} {rng.randrange(1, 10)}{rng.choice('ABDEFGHJLNPQRSTUWXYZ')}{rng.choice('ABDEFGHJLNPQRSTUWXYZ')}",
                today - datetime.timedelta(days=rng.randrange(200, 4000)),
                None,
            )
        )
        family_adult_ids = []
        for a in range(adults_per_family[index]):
            sex = "F" if a == 0 else "M"
            names = synthetic.FIRST_NAMES_F if sex == "F" else synthetic.FIRST_NAMES_M
            factors = [code for code, rate in RISK_FACTOR_RATES if rng.random() < rate]
            adults.append(
                (
                    adult_id,
                    family_id,
                    rng.choice(names),
                    surname,
                    today - datetime.timedelta(days=rng.randrange(18 * 365, 50 * 365)),
                    sex,
                    factors,
                )
            )
            family_adult_ids.append(adult_id)
            adult_id += 1
        # Siblings share a level of need more often than not.
        family_level = LEVELS.pick(rng)
        for k in range(size):
            unborn = k == size - 1 and rng.random() < 0.04
            sex = rng.choice("MF")
            names = synthetic.FIRST_NAMES_F if sex == "F" else synthetic.FIRST_NAMES_M
            if unborn:
                born, due = None, today + datetime.timedelta(days=rng.randrange(14, 200))
                first_name, nhs, upn = "", "", ""
            else:
                born = today - datetime.timedelta(days=rng.randrange(30, 17 * 365))
                due = None
                first_name = rng.choice(names)
                nhs = synthetic_nhs_number(rng)
                upn = synthetic_upn(child_id, born) if (today - born).days > 4 * 365 else ""
            disabilities = (
                [rng.choice(("COMM", "LD", "AUT", "BEH", "MOB"))] if rng.random() < 0.06 else []
            )
            kids.append(
                (
                    child_id,
                    family_id,
                    first_name,
                    surname,
                    born,
                    unborn,
                    due,
                    sex if not unborn else "U",
                    nhs,
                    upn,
                    SEND_PROVISION.pick(rng),
                    disabilities,
                    rng.random() < 0.02,
                    rng.random() > 0.03,
                    False,
                    "",
                    now,
                )
            )
            for a_index, a_id in enumerate(family_adult_ids):
                relationships.append(
                    (
                        child_id,
                        a_id,
                        "mother"
                        if a_index == 0
                        else rng.choice(("father", "step_parent", "partner_of_parent")),
                        a_index == 0,
                        True,
                    )
                )
            level = family_level if rng.random() < 0.8 else LEVELS.pick(rng)
            agency_ids = _agencies_for(rng, partnership, born, all_types, today)
            practitioner_ids = [rng.choice(partnership.practitioner_ids[a]) for a in agency_ids]
            started = None
            if level != NeedLevel.UNIVERSAL:
                started = today - datetime.timedelta(days=rng.randrange(20, 700))
                if born and started < born:
                    started = born
                if due and started < due - datetime.timedelta(days=250):
                    # Pre-birth work starts in pregnancy (census rule 8606: 40 weeks at most).
                    started = due - datetime.timedelta(days=250)
                if level == NeedLevel.CHILD_PROTECTION and started.weekday() > 4:
                    # A plan starts at its initial conference, held on a weekday (rule 8875).
                    started += datetime.timedelta(days=7 - started.weekday())
                lead_agency = _lead_agency(partnership, level, agency_ids)
                team_ids = partnership.team_ids[lead_agency]
                # A few new cases are still waiting for a lead professional to be allocated.
                waiting = (today - started).days < 45 and rng.random() < 0.25
                lead_professional = (
                    None if waiting else rng.choice(partnership.practitioner_ids[lead_agency])
                )
                involvements.append(
                    (
                        child_id,
                        level,
                        weighted(rng, PROTECTION_WEIGHTS)
                        if level == NeedLevel.CHILD_PROTECTION
                        else "",
                        "N1"
                        if level in (NeedLevel.CHILD_PROTECTION, NeedLevel.LOOKED_AFTER)
                        else rng.choice(("N1", "N3", "N4", "N5", "N7")),
                        rng.choice(("2A", "3B", "3E", "5D", "6", "1A", "4")),
                        lead_agency,
                        rng.choice(team_ids),
                        lead_professional,
                        started,
                        None,
                        "",
                        "",
                    )
                )
                if lead_agency not in agency_ids:
                    agency_ids.append(lead_agency)
                    practitioner_ids.append(
                        lead_professional or rng.choice(partnership.practitioner_ids[lead_agency])
                    )
            for agency_id, practitioner_id in zip(agency_ids, practitioner_ids, strict=True):
                team_members.append(
                    (
                        child_id,
                        agency_id,
                        practitioner_id,
                        "",
                        today - datetime.timedelta(days=rng.randrange(10, 900)),
                        None,
                    )
                )
                links.append((child_id, agency_id, "team_around_family", now))
            start_day = born or today - datetime.timedelta(days=200)
            span = max(1, min((today - start_day).days, 3 * 365))
            for _ in range(rng.randrange(14, 27)):
                event_type = EVENTS.pick(rng)
                source = rng.randrange(len(agency_ids))
                occurred = today - datetime.timedelta(days=rng.randrange(span))
                entries.append(
                    (
                        child_id,
                        family_id,
                        occurred,
                        event_type,
                        SIGNIFICANCE.pick(rng),
                        EVENT_SUMMARIES[event_type],
                        agency_ids[source],
                        practitioner_ids[source],
                        now,
                        "",
                        None,
                    )
                )
            seeded.append(
                SeedChild(
                    child_id,
                    family_id,
                    born,
                    unborn,
                    level,
                    started,
                    agency_ids,
                    practitioner_ids,
                    holding_agency_id=lead_agency if started is not None else None,
                )
            )
            child_id += 1

    batch = SeedBatch(children=seeded, rng=rng, today=today)
    batch.copy_rows("cases_family", ("id", "reference", "created_at"), families)
    batch.copy_rows(
        "cases_address",
        ("family_id", "line_1", "line_2", "town", "postcode", "moved_in", "moved_out"),
        addresses,
    )
    batch.copy_rows(
        "cases_adult",
        ("id", "family_id", "first_name", "last_name", "date_of_birth", "sex", "risk_factors"),
        adults,
    )
    batch.copy_rows(
        "cases_child",
        (
            "id",
            "family_id",
            "first_name",
            "last_name",
            "date_of_birth",
            "is_unborn",
            "expected_date_of_delivery",
            "sex",
            "nhs_number",
            "upn",
            "send_provision",
            "disabilities",
            "elective_home_education",
            "registered_with_gp",
            "is_restricted",
            "restriction_reason",
            "created_at",
        ),
        kids,
    )
    batch.copy_rows(
        "cases_relationship",
        (
            "child_id",
            "adult_id",
            "relationship_type",
            "has_parental_responsibility",
            "lives_with_child",
        ),
        relationships,
    )
    batch.copy_rows(
        "cases_involvement",
        INVOLVEMENT_COLUMNS,
        involvements,
    )
    batch.copy_rows(
        "cases_teamaroundfamilymember",
        ("child_id", "agency_id", "practitioner_id", "role_description", "joined_on", "left_on"),
        team_members,
    )
    batch.copy_rows(
        "cases_legitimaterelationship", ("child_id", "agency_id", "basis", "since"), links
    )
    batch.copy_rows(
        "cases_chronologyentry",
        CHRONOLOGY_COLUMNS,
        entries,
    )
    return batch


def _agencies_for(
    rng: random.Random,
    partnership: Partnership,
    born: datetime.date | None,
    all_types: list[str],
    today: datetime.date,
) -> list[int]:
    """The agencies in a child's team around the family: health visiting for under-fives and
    unborn children, a school from age four, and up to two others."""
    health = partnership.agency_ids["health"]
    school_age = born is not None and (today - born).days > 4 * 365
    chosen = [rng.choice(partnership.agency_ids["education"]) if school_age else health[0]]
    for agency_type in rng.sample(all_types, rng.randrange(0, 3)):
        agency_id = rng.choice(partnership.agency_ids[agency_type])
        if agency_id not in chosen:
            chosen.append(agency_id)
    return chosen


def _lead_agency(partnership: Partnership, level: str, agency_ids: list[int]) -> int:
    if level == NeedLevel.EARLY_HELP:
        return partnership.agency_ids["early_help"][0]
    return partnership.agency_ids["childrens_social_care"][0]


def partnership_is_empty() -> bool:
    return not Child.objects.exists()
