"""Export: the tracker's children's social care records for one collection year as CIN census XML.

The mapping (README, "The children in need census"): a referral to children's social care is a
CINdetails episode (its need, factors, closure); its assessment is the episode's assessment; a
child in need plan is CINPlanDates; a strategy discussion is a Section 47 enquiry, with the
initial conference after it; a child protection involvement is a ChildProtectionPlans block with
its review conferences. A record belongs to the episode whose referral date it follows, up to the
episode's closure (or the next referral). Dates after the census's reference date have not
happened yet as far as the return is concerned; modules that ended before the year began are left
out, as the Department's rules require.

Children are read in keyset pages with five queries a page and written one element at a time,
so memory stays flat at any size.
"""

from __future__ import annotations

import datetime
import xml.etree.ElementTree as ET
from collections import defaultdict
from collections.abc import Callable, Iterator
from typing import IO, Any

from django.conf import settings
from django.db.models import Exists, OuterRef

from cases.census.layout import (
    Assessment,
    CensusChild,
    CinPlan,
    Episode,
    ProtectionPlan,
    Section47,
    census_period,
    child_element,
    header_element,
)
from cases.codes import MeetingKind, NeedLevel, ReferralDecision
from cases.models import Child, Involvement, Plan, ProtectionMeeting, Referral
from cases.working_days import nth_working_day_from

PAGE = 2000
DAY = datetime.timedelta(days=1)


def census_children_count(*, year: int) -> int:
    return _in_scope(year).count()


def census_xml_write(
    *,
    year: int,
    out: IO[bytes],
    progress: Callable[[int], None] | None = None,
    generated_at: datetime.datetime | None = None,
) -> int:
    """Write the census for the year ending 31 March `year`; returns how many children.

    The header's DateTime is the reference date unless given, so the same records always give
    the same bytes."""
    end = census_period(year)[1]
    stamp = generated_at or datetime.datetime.combine(end, datetime.time())
    out.write(b"<?xml version='1.0' encoding='utf-8'?>\n<Message>")
    out.write(
        ET.tostring(
            header_element(year=year, la_code=settings.NT_CENSUS_LA_CODE, generated_at=stamp)
        )
    )
    out.write(b"<Children>")
    written = 0
    for child in census_children(year=year):
        out.write(ET.tostring(child_element(child)))
        written += 1
        if progress and written % PAGE == 0:
            progress(written)
    out.write(b"</Children></Message>\n")
    if progress:
        progress(written)
    return written


def _in_scope(year: int) -> Any:
    start, end = census_period(year)
    open_in_year = Referral.objects.filter(child=OuterRef("pk"), received_on__lte=end).exclude(
        closed_on__lt=start
    )
    return Child.objects.filter(Exists(open_in_year))


def census_children(*, year: int) -> Iterator[CensusChild]:
    """Every child with an episode open during the year, ordered by the authority's child id."""
    start, end = census_period(year)
    scope = _in_scope(year).order_by("la_child_id", "pk")
    fields = (
        "pk",
        "la_child_id",
        "upn",
        "upn_unknown",
        "date_of_birth",
        "is_unborn",
        "expected_date_of_delivery",
        "sex",
        "ethnicity",
        "disabilities",
    )
    after: tuple[str, int] | None = None
    while True:
        page = scope
        if after is not None:
            page = page.extra(where=["(la_child_id, cases_child.id) > (%s, %s)"], params=after)
        rows = list(page.values(*fields)[:PAGE])
        if not rows:
            return
        after = (rows[-1]["la_child_id"], rows[-1]["pk"])
        records = _records_for([row["pk"] for row in rows], end)
        for row in rows:
            yield _census_child(row, records, start, end)


class _Records:
    def __init__(self) -> None:
        self.referrals: dict[int, list[dict[str, Any]]] = defaultdict(list)
        self.cin_plans: dict[int, list[dict[str, Any]]] = defaultdict(list)
        self.meetings: dict[int, list[dict[str, Any]]] = defaultdict(list)
        self.protection: dict[int, list[dict[str, Any]]] = defaultdict(list)


def _records_for(child_ids: list[int], end: datetime.date) -> _Records:
    records = _Records()
    row: Any
    for row in (
        Referral.objects.filter(child_id__in=child_ids, received_on__lte=end)
        .order_by("child_id", "received_on", "pk")
        .values(
            "child_id",
            "received_on",
            "source",
            "primary_need",
            "decision",
            "assessment_started_on",
            "assessment_completed_on",
            "assessment_factors",
            "closed_on",
            "closure_reason",
        )
    ):
        records.referrals[row["child_id"]].append(dict(row))
    for row in (
        Plan.objects.filter(
            child_id__in=child_ids, level=NeedLevel.CHILD_IN_NEED, started_on__lte=end
        )
        .order_by("child_id", "started_on", "pk")
        .values("child_id", "started_on", "ended_on")
    ):
        records.cin_plans[row["child_id"]].append(dict(row))
    for row in (
        ProtectionMeeting.objects.filter(
            child_id__in=child_ids,
            held_on__lte=end,
            kind__in=(
                MeetingKind.STRATEGY_DISCUSSION,
                MeetingKind.INITIAL_CONFERENCE,
                MeetingKind.REVIEW_CONFERENCE,
            ),
        )
        .order_by("child_id", "held_on", "pk")
        .values("child_id", "kind", "held_on", "conference_needed")
    ):
        records.meetings[row["child_id"]].append(dict(row))
    for row in (
        Involvement.objects.filter(
            child_id__in=child_ids, level=NeedLevel.CHILD_PROTECTION, started_on__lte=end
        )
        .order_by("child_id", "started_on", "pk")
        .values(
            "child_id", "started_on", "ended_on", "protection_category", "previous_protection_plans"
        )
    ):
        records.protection[row["child_id"]].append(dict(row))
    return records


def _census_child(
    row: dict[str, Any], records: _Records, start: datetime.date, end: datetime.date
) -> CensusChild:
    child_id = row["pk"]
    referrals = records.referrals[child_id]
    meetings = records.meetings[child_id]
    protection = [
        {**plan, "number": number} for number, plan in enumerate(records.protection[child_id])
    ]
    episodes = []
    for index, referral in enumerate(referrals):
        closed_on = _by(referral["closed_on"], end)
        if closed_on is not None and closed_on < start:
            continue
        following = referrals[index + 1]["received_on"] - DAY if index + 1 < len(referrals) else end
        window = (referral["received_on"], closed_on or following)
        episodes.append(
            _episode(
                referral, closed_on, window, records, meetings, protection, start, end, child_id
            )
        )
    unborn = row["is_unborn"]
    return CensusChild(
        la_child_id=row["la_child_id"],
        upn=row["upn"],
        former_upn="",
        upn_unknown=row["upn_unknown"],
        birth_date=None if unborn else row["date_of_birth"],
        expected_birth_date=row["expected_date_of_delivery"] if unborn else None,
        sex=row["sex"],
        death_date=None,
        ethnicity=row["ethnicity"],
        disabilities=list(row["disabilities"]),
        episodes=episodes,
    )


def _episode(
    referral: dict[str, Any],
    closed_on: datetime.date | None,
    window: tuple[datetime.date, datetime.date],
    records: _Records,
    meetings: list[dict[str, Any]],
    protection: list[dict[str, Any]],
    start: datetime.date,
    end: datetime.date,
    child_id: int,
) -> Episode:
    def inside(day: datetime.date) -> bool:
        return window[0] <= day <= window[1]

    no_further_action = referral["decision"] == ReferralDecision.NO_FURTHER_ACTION
    episode = Episode(
        referral_date=referral["received_on"],
        source=referral["source"],
        primary_need=referral["primary_need"],
        closed_on=closed_on,
        closure_reason=referral["closure_reason"] if closed_on else "",
        no_further_action=no_further_action,
    )
    if no_further_action:
        return episode
    started = referral["assessment_started_on"]
    if started is not None and started <= end:
        completed = _by(referral["assessment_completed_on"], end)
        if completed is None or completed >= start:
            episode.assessments.append(
                Assessment(
                    started_on=started,
                    authorised_on=completed,
                    factors=list(referral["assessment_factors"]) if completed else [],
                )
            )
    for plan in records.cin_plans[child_id]:
        ended = _by(plan["ended_on"], end)
        if inside(plan["started_on"]) and (ended is None or ended >= start):
            episode.cin_plans.append(CinPlan(started_on=plan["started_on"], ended_on=ended))
    conferences = [m["held_on"] for m in meetings if m["kind"] == MeetingKind.INITIAL_CONFERENCE]
    for meeting in meetings:
        if meeting["kind"] != MeetingKind.STRATEGY_DISCUSSION or not inside(meeting["held_on"]):
            continue
        held = meeting["held_on"]
        conference = (
            next((day for day in conferences if held <= day and inside(day)), None)
            if meeting["conference_needed"]
            else None
        )
        if (conference or held) < start:
            continue
        episode.section47s.append(
            Section47(
                started_on=held,
                conference_target=nth_working_day_from(held + DAY, 15),
                conference_on=conference,
                conference_not_required=not meeting["conference_needed"],
            )
        )
    reviews = [m["held_on"] for m in meetings if m["kind"] == MeetingKind.REVIEW_CONFERENCE]
    for plan in protection:
        ended = _by(plan["ended_on"], end)
        if not inside(plan["started_on"]) or (ended is not None and ended < start):
            continue
        last = ended or end
        episode.protection_plans.append(
            ProtectionPlan(
                started_on=plan["started_on"],
                ended_on=ended,
                initial_category=plan["protection_category"],
                latest_category=plan["protection_category"],
                previous_plans=plan["previous_protection_plans"]
                if plan["previous_protection_plans"] is not None
                else plan["number"],
                reviews=[
                    day for day in reviews if plan["started_on"] < day <= last and day >= start
                ],
            )
        )
    return episode


def _by(day: datetime.date | None, end: datetime.date) -> datetime.date | None:
    """A date as the census sees it on its reference date: later dates have not happened."""
    return day if day is not None and day <= end else None
