"""Import: a CIN census file's children, episodes, assessments, plans, enquiries, protection plans
and reviews as the tracker's own records, with children's social care as the agency.

Matching: a child is the tracker's child with the same authority child id (LAchildID), else the
same UPN, else the same former UPN; the census carries no NHS number. Within a child, a record
is the same record when it starts on the same day: a referral by its date, a child in need plan
by its start, a meeting by its kind and date, a protection plan by its start. So importing a file
twice changes nothing, and a later file updates what changed (closures, end dates, categories).
Every record created or closed writes a chronology entry and asks for the child's drift rules to
be re-evaluated.

The file is read twice with `iterparse`, a child at a time: once to check its layout (a file
with layout errors imports nothing) and once to write, in pages of children with a few set-based
queries a page, each page one transaction, so memory stays flat at any size.
"""

from __future__ import annotations

import datetime
import hashlib
import xml.etree.ElementTree as ET
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import iterparse
from django.db import connection, transaction
from django.db.models import Model, Value
from django.db.models.expressions import DatabaseDefault
from django.utils import timezone

from cases.census.figures import CensusFigures
from cases.census.layout import CensusChild, Episode, LayoutError, child_from_element
from cases.codes import (
    AgencyType,
    ChronologyEventType,
    MeetingKind,
    NeedLevel,
    ReferralDecision,
    RelationshipBasis,
    Sex,
    Significance,
)
from cases.models import (
    Agency,
    Child,
    ChronologyEntry,
    Family,
    Involvement,
    Plan,
    ProtectionMeeting,
    Referral,
    TeamAroundFamilyMember,
)
from cases.seeding import CHRONOLOGY_COLUMNS, copy_rows
from cases.services import drift_evaluation_request

PAGE = 1000
# Uploads are untrusted: they are parsed with defusedxml, which refuses entity declarations,
# external references and DTD tricks outright.
SOURCE_KIND = "census_import"
FROM_CENSUS = "(from the CIN census)"
IN_NEED_REASON = f"Child in need {FROM_CENSUS}"


@dataclass
class ImportSummary:
    children: int = 0
    counts: Counter[str] = field(default_factory=Counter)
    figures: dict[str, Any] = field(default_factory=dict)


def census_children_read(path: Path) -> Iterator[tuple[int, CensusChild]]:
    """Each child in the file, in order, parsed from its own element (cleared once read)."""
    position = 0
    for _, element in iterparse(path, events=("end",)):
        if element.tag != "Child":
            continue
        position += 1
        child = child_from_element(element, position)
        element.clear()
        yield position, child


def census_file_layout_errors(path: Path, limit: int = 50) -> list[str]:
    """Where the file breaks the census layout (nothing is imported if anything is listed)."""
    errors: list[str] = []
    seen: set[str] = set()
    try:
        root_tag = next(iterparse(path, events=("start",)))[1].tag
        if root_tag != "Message":
            return [f"A census file starts with <Message>; this one starts with <{root_tag}>"]
        for position, child in _read_checked(path, errors):
            if not child.la_child_id:
                errors.append(f"Child {position}: LAchildID is missing")
            elif child.la_child_id in seen:
                errors.append(f"Child {position} ({child.la_child_id}): LAchildID appears twice")
            seen.add(child.la_child_id)
            if child.birth_date is None and child.expected_birth_date is None:
                errors.append(
                    f"Child {position} ({child.la_child_id}): PersonBirthDate or "
                    "ExpectedPersonBirthDate is needed"
                )
            if len(errors) >= limit:
                break
    except ET.ParseError as error:
        errors.append(f"The file is not well-formed XML: {error}")
    except DefusedXmlException:
        errors.append(
            "The file declares entities or a document type, which a census file never does"
        )
    return errors


def _read_checked(path: Path, errors: list[str]) -> Iterator[tuple[int, CensusChild]]:
    position = 0
    for _, element in iterparse(path, events=("end",)):
        if element.tag != "Child":
            continue
        position += 1
        try:
            yield position, child_from_element(element, position)
        except LayoutError as error:
            errors.append(str(error))
        element.clear()


def census_file_import(
    *, path: Path, year: int, progress: Callable[[int], None] | None = None
) -> ImportSummary:
    """Bring the file's records in (its layout must already have been checked)."""
    agency = _social_care_agency()
    summary = ImportSummary()
    figures = CensusFigures(year)
    page: list[CensusChild] = []
    for _, child in census_children_read(path):
        page.append(child)
        figures.add(child)
        if len(page) == PAGE:
            _import_page(page, agency, summary)
            page = []
            if progress:
                progress(summary.children)
    if page:
        _import_page(page, agency, summary)
    if progress:
        progress(summary.children)
    summary.figures = figures.as_dict()
    return summary


def _social_care_agency() -> Agency:
    agency = (
        Agency.objects.filter(agency_type=AgencyType.CHILDRENS_SOCIAL_CARE).order_by("pk").first()
    )
    if agency is None:
        agency, _ = Agency.objects.get_or_create(
            name="Children's social care",
            defaults={"agency_type": AgencyType.CHILDRENS_SOCIAL_CARE},
        )
    return agency


@transaction.atomic
def _import_page(page: list[CensusChild], agency: Agency, summary: ImportSummary) -> None:
    writer = _PageWriter(agency, summary)
    children = writer.children_match_or_create(page)
    for census_child, child in zip(page, children, strict=True):
        writer.child_records(census_child, child)
    writer.flush()
    summary.children += len(page)


class _PageWriter:
    def __init__(self, agency: Agency, summary: ImportSummary) -> None:
        self.agency = agency
        self.counts = summary.counts
        self.entries: list[tuple[object, ...]] = []  # CHRONOLOGY_COLUMNS, written with COPY
        self.now = timezone.now()
        self.touched: set[int] = set()
        self.referrals: dict[tuple[int, datetime.date], Referral] = {}
        self.plans: dict[tuple[int, datetime.date], Plan] = {}
        self.meetings: set[tuple[int, str, datetime.date]] = set()
        self.protection: dict[tuple[int, datetime.date], Involvement] = {}
        self.open_involvements: dict[int, Involvement] = {}
        self.in_need: dict[tuple[int, datetime.date], Involvement] = {}
        self.own_levels: set[int] = set()
        self.loaded: dict[int, tuple[object, ...]] = {}  # each involvement as it was read
        self.new_referrals: list[Referral] = []
        self.new_plans: list[Plan] = []
        self.new_meetings: list[ProtectionMeeting] = []
        self.new_involvements: list[Involvement] = []
        self.changed: dict[str, dict[int, Any]] = defaultdict(dict)

    # Children -----------------------------------------------------------------------------
    def children_match_or_create(self, page: list[CensusChild]) -> list[Child]:
        by_la = {
            child.la_child_id: child
            for child in Child.objects.filter(la_child_id__in=[c.la_child_id for c in page])
        }
        upns = {c.upn for c in page if c.upn} | {c.former_upn for c in page if c.former_upn}
        by_upn = {child.upn: child for child in Child.objects.filter(upn__in=upns)} if upns else {}
        matched: list[Child | None] = []
        for census_child in page:
            child = (
                by_la.get(census_child.la_child_id)
                or by_upn.get(census_child.upn)
                or by_upn.get(census_child.former_upn)
            )
            matched.append(child)
        new = [c for c, m in zip(page, matched, strict=True) if m is None]
        family_ids = _ids(Family, len(new))
        copy_rows(
            Family._meta.db_table,
            ("id", "reference", "created_at"),
            (
                (pk, _family_reference(c.la_child_id), self.now)
                for pk, c in zip(family_ids, new, strict=True)
            ),
        )
        created = [_new_child(c, pk) for c, pk in zip(new, family_ids, strict=True)]
        _copy(Child, created, with_ids=True)
        self.counts["children created"] += len(created)
        created_iter = iter(created)
        children = [m if m is not None else next(created_iter) for m in matched]
        self._children_update(page, children, {child.pk for child in created})
        ids = [child.pk for child in children]
        _copy(
            TeamAroundFamilyMember,
            [
                TeamAroundFamilyMember(
                    child_id=pk, agency=self.agency, role_description="Children's social care"
                )
                for pk in ids
                if pk not in self._team_members(ids)
            ],
        )
        with connection.cursor() as cursor:
            cursor.execute(
                "INSERT INTO cases_legitimaterelationship (child_id, agency_id, basis, since) "
                "SELECT unnest(%s::bigint[]), %s, %s, now() ON CONFLICT DO NOTHING",
                [ids, self.agency.pk, RelationshipBasis.TEAM_AROUND_FAMILY],
            )
        self._existing_load(ids)
        return children

    def _team_members(self, ids: list[int]) -> set[int]:
        if not hasattr(self, "_members"):
            self._members = set(
                TeamAroundFamilyMember.objects.filter(
                    child_id__in=ids, agency=self.agency, left_on__isnull=True
                ).values_list("child_id", flat=True)
            )
        return self._members

    def _children_update(
        self, page: list[CensusChild], children: list[Child], new: set[int]
    ) -> None:
        changed = []
        for census_child, child in zip(page, children, strict=True):
            if child.pk in new:
                continue
            before = (
                child.la_child_id,
                child.upn,
                child.ethnicity,
                child.upn_unknown,
                child.disabilities,
            )
            child.la_child_id = child.la_child_id or census_child.la_child_id
            child.upn = child.upn or census_child.upn
            child.ethnicity = census_child.ethnicity or child.ethnicity
            child.upn_unknown = census_child.upn_unknown
            child.disabilities = census_child.disabilities
            if before != (
                child.la_child_id,
                child.upn,
                child.ethnicity,
                child.upn_unknown,
                child.disabilities,
            ):
                changed.append(child)
        if changed:
            Child.objects.bulk_update(
                changed, ["la_child_id", "upn", "ethnicity", "upn_unknown", "disabilities"]
            )
            self.counts["children updated"] += len(changed)
        self.counts["children matched"] += len(page) - len(new)

    def _existing_load(self, ids: list[int]) -> None:
        for referral in Referral.objects.filter(child_id__in=ids):
            self.referrals[(referral.child_id, referral.received_on)] = referral
        for plan in Plan.objects.filter(child_id__in=ids, level=NeedLevel.CHILD_IN_NEED):
            self.plans[(plan.child_id, plan.started_on)] = plan
        self.meetings = set(
            ProtectionMeeting.objects.filter(child_id__in=ids).values_list(
                "child_id", "kind", "held_on"
            )
        )
        for involvement in Involvement.objects.filter(child_id__in=ids):
            if involvement.level == NeedLevel.CHILD_PROTECTION:
                self.protection[(involvement.child_id, involvement.started_on)] = involvement
            elif involvement.change_reason == IN_NEED_REASON:
                self.in_need[(involvement.child_id, involvement.started_on)] = involvement
            if not involvement.change_reason.endswith(FROM_CENSUS):
                self.own_levels.add(involvement.child_id)
            if involvement.ended_on is None:
                self.open_involvements[involvement.child_id] = involvement
            self.loaded[involvement.pk] = _state(involvement)

    # Records ------------------------------------------------------------------------------
    def child_records(self, census_child: CensusChild, child: Child) -> None:
        for episode in census_child.episodes:
            self._referral(child, episode)
            self._in_need(child, episode)
            for cin_plan in episode.cin_plans:
                self._cin_plan(child, cin_plan.started_on, cin_plan.ended_on)
            for enquiry in episode.section47s:
                self._meeting(
                    child,
                    MeetingKind.STRATEGY_DISCUSSION,
                    enquiry.started_on,
                    conference_needed=not enquiry.conference_not_required,
                )
                if enquiry.conference_on:
                    self._meeting(child, MeetingKind.INITIAL_CONFERENCE, enquiry.conference_on)
            for plan in episode.protection_plans:
                self._protection_plan(child, plan)
                for day in plan.reviews:
                    self._meeting(child, MeetingKind.REVIEW_CONFERENCE, day)

    def _referral(self, child: Child, episode: Any) -> None:
        assessment = episode.assessments[0] if episode.assessments else None
        wanted = {
            "source": episode.source,
            "primary_need": episode.primary_need,
            "closed_on": episode.closed_on,
            "closure_reason": episode.closure_reason,
        }
        if assessment is not None:  # an assessment finished before the year is not in the file
            wanted["assessment_started_on"] = assessment.started_on
            wanted["assessment_completed_on"] = assessment.authorised_on
            wanted["assessment_factors"] = list(assessment.factors)
        referral = self.referrals.get((child.pk, episode.referral_date))
        if referral is None:
            decision = (
                ReferralDecision.NO_FURTHER_ACTION
                if episode.no_further_action
                else ReferralDecision.ASSESSMENT
                if assessment
                else ""
            )
            referral = Referral(  # type: ignore[misc]
                child=child,
                received_on=episode.referral_date,
                decision=decision,
                decision_on=episode.referral_date if decision else None,
                submission_key=f"census-referral-{child.pk}-{episode.referral_date}",
                **wanted,
            )
            self.referrals[(child.pk, episode.referral_date)] = referral
            self.new_referrals.append(referral)
            self._entry(
                child,
                episode.referral_date,
                ChronologyEventType.OTHER,
                Significance.MEDIUM,
                "Referral to children's social care (from the CIN census)",
            )
            if episode.closed_on:
                self._entry(
                    child,
                    episode.closed_on,
                    ChronologyEventType.OTHER,
                    Significance.LOW,
                    f"Children's social care episode closed ({episode.closure_reason})",
                )
            return
        if episode.no_further_action and referral.decision != ReferralDecision.NO_FURTHER_ACTION:
            referral.decision = ReferralDecision.NO_FURTHER_ACTION
            referral.decision_on = referral.decision_on or episode.referral_date
            self.changed["referral"][id(referral)] = referral
        for name, value in wanted.items():
            if getattr(referral, name) != value:
                if name == "closed_on" and value and not referral.closed_on:
                    self._entry(
                        child,
                        value,
                        ChronologyEventType.OTHER,
                        Significance.LOW,
                        f"Children's social care episode closed ({episode.closure_reason})",
                    )
                setattr(referral, name, value)
                self.changed["referral"][id(referral)] = referral

    def _cin_plan(self, child: Child, started: datetime.date, ended: datetime.date | None) -> None:
        plan = self.plans.get((child.pk, started))
        if plan is None:
            plan = Plan(
                child=child,
                level=NeedLevel.CHILD_IN_NEED,
                lead_agency=self.agency,
                summary="Child in need plan (from the CIN census)",
                started_on=started,
                ended_on=ended,
                submission_key=f"census-cin-plan-{child.pk}-{started}",
            )
            self.plans[(child.pk, started)] = plan
            self.new_plans.append(plan)
            self._entry(
                child,
                started,
                ChronologyEventType.PLAN,
                Significance.MEDIUM,
                "Child in need plan started (from the CIN census)",
            )
        elif plan.ended_on != ended:
            plan.ended_on = ended
            self.changed["plan"][id(plan)] = plan
            if ended:
                self._entry(
                    child,
                    ended,
                    ChronologyEventType.PLAN,
                    Significance.LOW,
                    "Child in need plan ended (from the CIN census)",
                )

    def _meeting(
        self, child: Child, kind: str, held: datetime.date, conference_needed: bool = False
    ) -> None:
        if (child.pk, kind, held) in self.meetings:
            return
        self.meetings.add((child.pk, kind, held))
        self.new_meetings.append(
            ProtectionMeeting(
                child=child,
                kind=kind,
                held_on=held,
                conference_needed=conference_needed,
                submission_key=f"census-meeting-{child.pk}-{kind}-{held}",
            )
        )
        label = MeetingKind(kind).label
        self._entry(
            child,
            held,
            ChronologyEventType.PLAN,
            Significance.HIGH if kind != MeetingKind.REVIEW_CONFERENCE else Significance.MEDIUM,
            f"{label} (from the CIN census)",
        )

    def _in_need(self, child: Child, episode: Episode) -> None:
        """The episode as child-in-need involvements around its protection plans, so the
        catalogue's child-in-need metrics count it: only for a child whose levels of need the
        tracker does not already record itself (its own involvements stand)."""
        if episode.no_further_action or child.pk in self.own_levels:
            return
        day = episode.referral_date
        for plan in sorted(episode.protection_plans, key=lambda p: p.started_on):
            if plan.started_on > day:
                self._in_need_spell(child, episode, day, plan.started_on)
            if plan.ended_on is None:
                return
            day = max(day, plan.ended_on)
        if episode.closed_on is None or episode.closed_on > day:
            self._in_need_spell(child, episode, day, episode.closed_on)

    def _in_need_spell(
        self, child: Child, episode: Episode, started: datetime.date, ended: datetime.date | None
    ) -> None:
        involvement = self.in_need.get((child.pk, started))
        if involvement is None:
            involvement = Involvement(
                child=child,
                level=NeedLevel.CHILD_IN_NEED,
                primary_need=episode.primary_need,
                referral_source=episode.source,
                lead_agency=self.agency,
                started_on=started,
                ended_on=ended,
                change_reason=IN_NEED_REASON,
            )
            if ended is None:
                self._open(child, involvement)
            self.in_need[(child.pk, started)] = involvement
            self.new_involvements.append(involvement)
            self.counts["child in need spells created"] += 1
            return
        if ended is None and involvement.ended_on is not None:
            self._open(child, involvement)
        for name, value in (("ended_on", ended), ("primary_need", episode.primary_need)):
            if getattr(involvement, name) != value:
                setattr(involvement, name, value)
                self.changed["involvement"][id(involvement)] = involvement

    def _open(self, child: Child, involvement: Involvement) -> None:
        """One open level at a time: a newly open involvement ends whatever was open."""
        other = self.open_involvements.get(child.pk)
        if other is not None and other is not involvement and other.ended_on is None:
            other.ended_on = max(involvement.started_on, other.started_on)
            self.changed["involvement"][id(other)] = other
        self.open_involvements[child.pk] = involvement

    def _protection_plan(self, child: Child, plan: Any) -> None:
        involvement = self.protection.get((child.pk, plan.started_on))
        category = plan.latest_category or plan.initial_category
        if involvement is None:
            involvement = Involvement(
                child=child,
                level=NeedLevel.CHILD_PROTECTION,
                protection_category=category,
                lead_agency=self.agency,
                started_on=plan.started_on,
                ended_on=plan.ended_on,
                previous_protection_plans=plan.previous_plans,
                change_reason=f"Child protection plan {FROM_CENSUS}",
            )
            if plan.ended_on is None:
                self._open(child, involvement)
            self.protection[(child.pk, plan.started_on)] = involvement
            self.new_involvements.append(involvement)
            self._entry(
                child,
                plan.started_on,
                ChronologyEventType.INVOLVEMENT_CHANGE,
                Significance.HIGH,
                f"Child protection plan started: {category} (from the CIN census)",
            )
            return
        if plan.ended_on is None and involvement.ended_on is not None:
            self._open(child, involvement)
        wanted = {
            "ended_on": plan.ended_on,
            "protection_category": category,
            "previous_protection_plans": plan.previous_plans,
        }
        for name, value in wanted.items():
            if getattr(involvement, name) != value:
                if name == "ended_on" and value:
                    self._entry(
                        child,
                        value,
                        ChronologyEventType.INVOLVEMENT_CHANGE,
                        Significance.MEDIUM,
                        "Child protection plan ended (from the CIN census)",
                    )
                setattr(involvement, name, value)
                self.changed["involvement"][id(involvement)] = involvement

    def _entry(
        self, child: Child, day: datetime.date, event_type: str, significance: str, summary: str
    ) -> None:
        self.entries.append(
            (
                child.pk,
                child.family_id,
                day,
                event_type,
                significance,
                summary,
                self.agency.pk,
                None,
                self.now,
                SOURCE_KIND,
                None,
            )
        )
        self.touched.add(child.pk)

    def flush(self) -> None:
        # Involvements that end up as they were read are left alone (one open at a time may
        # have closed and reopened them on the way). Those that close go first, then those that
        # open, then the new ones: one open involvement a child at every row.
        updated = [
            i
            for i in self.changed["involvement"].values()
            if i.pk is not None and _state(i) != self.loaded[i.pk]
        ]
        for batch in (
            [i for i in updated if i.ended_on is not None],
            [i for i in updated if i.ended_on is None],
        ):
            if batch:
                Involvement.objects.bulk_update(
                    batch,
                    [
                        "ended_on",
                        "protection_category",
                        "previous_protection_plans",
                        "primary_need",
                    ],
                )
        if self.changed["referral"]:
            Referral.objects.bulk_update(
                [r for r in self.changed["referral"].values() if r.pk is not None],
                [
                    "decision",
                    "decision_on",
                    "source",
                    "primary_need",
                    "closed_on",
                    "closure_reason",
                    "assessment_started_on",
                    "assessment_completed_on",
                    "assessment_factors",
                ],
            )
        if self.changed["plan"]:
            Plan.objects.bulk_update(
                [p for p in self.changed["plan"].values() if p.pk is not None], ["ended_on"]
            )
        _copy(Referral, self.new_referrals)
        _copy(Plan, self.new_plans)
        _copy(ProtectionMeeting, self.new_meetings)
        # Closed plans first, then the open one, so the constraint holds at every row.
        _copy(Involvement, sorted(self.new_involvements, key=lambda i: i.ended_on is None))
        copy_rows(ChronologyEntry._meta.db_table, CHRONOLOGY_COLUMNS, self.entries)
        self.counts["referrals created"] += len(self.new_referrals)
        self.counts["referrals updated"] += len(self.changed["referral"])
        self.counts["child in need plans created"] += len(self.new_plans)
        self.counts["meetings created"] += len(self.new_meetings)
        self.counts["protection plans created"] += len(self.new_involvements)
        self.counts["plans and involvements updated"] += len(self.changed["plan"]) + len(updated)
        self.counts["chronology entries"] += len(self.entries)
        drift_evaluation_request(child_ids=self.touched)


def _copy(model: type[Model], objects: list[Any], *, with_ids: bool = False) -> None:
    """Write new instances with COPY: `bulk_create` compiles an INSERT a few times slower than
    the rest of the import. With `with_ids`, ids are first taken from the table's sequence (one
    `nextval` each, so a concurrent insert can never collide) and set on the instances."""
    if not objects:
        return
    meta = model._meta
    fields = [f for f in meta.concrete_fields if with_ids or not f.primary_key]
    if with_ids:
        for instance, pk in zip(objects, _ids(model, len(objects)), strict=True):
            instance.pk = pk
    copy_rows(
        meta.db_table,
        [str(f.column) for f in fields],
        ([_db_value(f, instance) for f in fields] for instance in objects),
    )


def _state(involvement: Involvement) -> tuple[object, ...]:
    return (
        involvement.ended_on,
        involvement.protection_category,
        involvement.previous_protection_plans,
        involvement.primary_need,
    )


def _ids(model: type[Model], count: int) -> list[int]:
    """`count` new ids from the table's sequence (one `nextval` each: a concurrent insert can
    never take one of them)."""
    if not count:
        return []
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
            [model._meta.db_table, count],
        )
        return [int(pk) for (pk,) in cursor.fetchall()]


def _db_value(field: Any, instance: Model) -> object:
    """The value as COPY takes it: the import only sets plain values (text, dates, numbers,
    lists of codes), so Django's per-field preparation, the costliest step, is not needed."""
    value = getattr(instance, field.attname)
    if isinstance(value, DatabaseDefault):  # a field left to its db_default
        default = field.db_default
        value = default.value if isinstance(default, Value) else default
    return value


def _family_reference(la_child_id: str) -> str:
    return "CIN-" + hashlib.sha256(la_child_id.encode()).hexdigest()[:14].upper()


def _new_child(census_child: CensusChild, family_id: int) -> Child:
    unborn = census_child.birth_date is None
    return Child(
        family_id=family_id,
        first_name="",
        last_name=f"Census child {census_child.la_child_id}",
        date_of_birth=census_child.birth_date,
        is_unborn=unborn,
        expected_date_of_delivery=census_child.expected_birth_date if unborn else None,
        sex=census_child.sex if census_child.sex in Sex.values else Sex.UNKNOWN,
        upn=census_child.upn,
        la_child_id=census_child.la_child_id,
        ethnicity=census_child.ethnicity,
        upn_unknown=census_child.upn_unknown,
        disabilities=census_child.disabilities,
    )
