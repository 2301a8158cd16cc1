"""The CIN census XML layout (the Department for Education's schema, collection 2026-27), as
plain dataclasses, and the one place that turns them into XML elements and back.

Export builds `CensusChild` values from the tracker's records and writes them here; import reads
them here and writes the tracker's records, so the two directions cannot drift apart.
"""

from __future__ import annotations

import datetime
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field

COLLECTION = "CIN"
SOFTWARE_CODE = "Neglect Tracker"
RELEASE = "1"


def census_period(year: int) -> tuple[datetime.date, datetime.date]:
    """The collection year ending 31 March `year`: 1 April the year before to 31 March."""
    return datetime.date(year - 1, 4, 1), datetime.date(year, 3, 31)


def ruleset_for(year: int) -> str:
    """The Department's ruleset name for the year ending 31 March `year`: cin2026_27 for 2027."""
    return f"cin{year - 1}_{year % 100:02d}"


def collection_year_on(day: datetime.date) -> int:
    """The collection year a date falls in (named by the year it ends)."""
    return day.year + 1 if day.month >= 4 else day.year


@dataclass
class Assessment:
    started_on: datetime.date
    authorised_on: datetime.date | None
    factors: list[str] = field(default_factory=list)


@dataclass
class CinPlan:
    started_on: datetime.date
    ended_on: datetime.date | None


@dataclass
class Section47:
    started_on: datetime.date
    conference_target: datetime.date | None
    conference_on: datetime.date | None
    conference_not_required: bool


@dataclass
class ProtectionPlan:
    started_on: datetime.date
    ended_on: datetime.date | None
    initial_category: str
    latest_category: str
    previous_plans: int
    reviews: list[datetime.date] = field(default_factory=list)


@dataclass
class Episode:
    """A CINdetails block: one referral to children's social care and what followed."""

    referral_date: datetime.date
    source: str
    primary_need: str
    closed_on: datetime.date | None
    closure_reason: str
    no_further_action: bool
    assessments: list[Assessment] = field(default_factory=list)
    cin_plans: list[CinPlan] = field(default_factory=list)
    section47s: list[Section47] = field(default_factory=list)
    protection_plans: list[ProtectionPlan] = field(default_factory=list)


@dataclass
class CensusChild:
    la_child_id: str
    upn: str
    former_upn: str
    upn_unknown: str
    birth_date: datetime.date | None
    expected_birth_date: datetime.date | None
    sex: str
    death_date: datetime.date | None
    ethnicity: str
    disabilities: list[str]
    episodes: list[Episode] = field(default_factory=list)


def header_element(*, year: int, la_code: str, generated_at: datetime.datetime) -> ET.Element:
    header = ET.Element("Header")
    details = ET.SubElement(header, "CollectionDetails")
    _text(details, "Collection", COLLECTION)
    _text(details, "Year", str(year))
    _text(details, "ReferenceDate", census_period(year)[1].isoformat())
    source = ET.SubElement(header, "Source")
    _text(source, "SourceLevel", "L")
    _text(source, "LEA", la_code)
    _text(source, "SoftwareCode", SOFTWARE_CODE)
    _text(source, "Release", RELEASE)
    _text(source, "SerialNo", "1")
    _text(source, "DateTime", generated_at.strftime("%Y-%m-%dT%H:%M:%S"))
    return header


def child_element(child: CensusChild) -> ET.Element:
    element = ET.Element("Child")
    ids = ET.SubElement(element, "ChildIdentifiers")
    _text(ids, "LAchildID", child.la_child_id)
    _text(ids, "UPN", child.upn)
    _text(ids, "FormerUPN", child.former_upn)
    _text(ids, "UPNunknown", child.upn_unknown)
    _date(ids, "PersonBirthDate", child.birth_date)
    _date(ids, "ExpectedPersonBirthDate", child.expected_birth_date)
    _text(ids, "Sex", child.sex)
    _date(ids, "PersonDeathDate", child.death_date)
    characteristics = ET.SubElement(element, "ChildCharacteristics")
    _text(characteristics, "Ethnicity", child.ethnicity)
    disabilities = ET.SubElement(characteristics, "Disabilities")
    for code in child.disabilities or ["NONE"]:
        _text(disabilities, "Disability", code)
    for episode in child.episodes:
        element.append(_episode_element(episode))
    return element


def _episode_element(episode: Episode) -> ET.Element:
    element = ET.Element("CINdetails")
    _date(element, "CINreferralDate", episode.referral_date)
    _text(element, "ReferralSource", episode.source)
    _text(element, "PrimaryNeedCode", episode.primary_need)
    _date(element, "CINclosureDate", episode.closed_on)
    _text(element, "ReasonForClosure", episode.closure_reason)
    _text(element, "ReferralNFA", "true" if episode.no_further_action else "false")
    for assessment in episode.assessments:
        block = ET.SubElement(element, "Assessments")
        _date(block, "AssessmentActualStartDate", assessment.started_on)
        _date(block, "AssessmentAuthorisationDate", assessment.authorised_on)
        if assessment.factors:
            factors = ET.SubElement(block, "FactorsIdentifiedAtAssessment")
            for code in assessment.factors:
                _text(factors, "AssessmentFactors", code)
    for cin_plan in episode.cin_plans:
        block = ET.SubElement(element, "CINPlanDates")
        _date(block, "CINPlanStartDate", cin_plan.started_on)
        _date(block, "CINPlanEndDate", cin_plan.ended_on)
    for enquiry in episode.section47s:
        block = ET.SubElement(element, "Section47")
        _date(block, "S47ActualStartDate", enquiry.started_on)
        _date(block, "InitialCPCtarget", enquiry.conference_target)
        _date(block, "DateOfInitialCPC", enquiry.conference_on)
        _text(block, "ICPCnotRequired", "true" if enquiry.conference_not_required else "false")
    for plan in episode.protection_plans:
        block = ET.SubElement(element, "ChildProtectionPlans")
        _date(block, "CPPstartDate", plan.started_on)
        _date(block, "CPPendDate", plan.ended_on)
        _text(block, "InitialCategoryOfAbuse", plan.initial_category)
        _text(block, "LatestCategoryOfAbuse", plan.latest_category)
        _text(block, "NumberOfPreviousCPP", str(plan.previous_plans))
        # One Reviews block per review: the Department's tool reads one date from each.
        for day in plan.reviews:
            _date(ET.SubElement(block, "Reviews"), "CPPreviewDate", day)
    return element


class LayoutError(ValueError):
    """A child block the schema does not allow: where (the child's position and id) and what."""


def child_from_element(element: ET.Element, position: int) -> CensusChild:
    ids = element.find("ChildIdentifiers")
    characteristics = element.find("ChildCharacteristics")
    if ids is None or characteristics is None:
        raise LayoutError(f"Child {position}: ChildIdentifiers and ChildCharacteristics are needed")
    la_child_id = _read(ids, "LAchildID")
    where = f"Child {position} ({la_child_id or 'no LAchildID'})"
    try:
        disabilities = [
            (item.text or "").strip()
            for item in characteristics.iterfind("Disabilities/Disability")
        ]
        return CensusChild(
            la_child_id=la_child_id,
            upn=_read(ids, "UPN"),
            former_upn=_read(ids, "FormerUPN"),
            upn_unknown=_read(ids, "UPNunknown"),
            birth_date=_read_date(ids, "PersonBirthDate"),
            expected_birth_date=_read_date(ids, "ExpectedPersonBirthDate"),
            sex=_read(ids, "Sex") or _read(ids, "GenderCurrent"),
            death_date=_read_date(ids, "PersonDeathDate"),
            ethnicity=_read(characteristics, "Ethnicity"),
            disabilities=[code for code in disabilities if code and code != "NONE"],
            episodes=[_episode_from(block) for block in element.iterfind("CINdetails")],
        )
    except LayoutError as error:
        raise LayoutError(f"{where}: {error}") from None


def _episode_from(element: ET.Element) -> Episode:
    referral_date = _read_date(element, "CINreferralDate")
    if referral_date is None:
        raise LayoutError("CINdetails without a CINreferralDate")
    return Episode(
        referral_date=referral_date,
        source=_read(element, "ReferralSource"),
        primary_need=_read(element, "PrimaryNeedCode"),
        closed_on=_read_date(element, "CINclosureDate"),
        closure_reason=_read(element, "ReasonForClosure"),
        no_further_action=_read(element, "ReferralNFA") in ("true", "1"),
        assessments=[
            Assessment(
                started_on=_required_date(block, "AssessmentActualStartDate"),
                authorised_on=_read_date(block, "AssessmentAuthorisationDate"),
                factors=[
                    (item.text or "").strip()
                    for item in block.iterfind("FactorsIdentifiedAtAssessment/AssessmentFactors")
                ],
            )
            for block in element.iterfind("Assessments")
        ],
        cin_plans=[
            CinPlan(
                started_on=_required_date(block, "CINPlanStartDate"),
                ended_on=_read_date(block, "CINPlanEndDate"),
            )
            for block in element.iterfind("CINPlanDates")
        ],
        section47s=[
            Section47(
                started_on=_required_date(block, "S47ActualStartDate"),
                conference_target=_read_date(block, "InitialCPCtarget"),
                conference_on=_read_date(block, "DateOfInitialCPC"),
                conference_not_required=_read(block, "ICPCnotRequired") in ("true", "1"),
            )
            for block in element.iterfind("Section47")
        ],
        protection_plans=[
            ProtectionPlan(
                started_on=_required_date(block, "CPPstartDate"),
                ended_on=_read_date(block, "CPPendDate"),
                initial_category=_read(block, "InitialCategoryOfAbuse"),
                latest_category=_read(block, "LatestCategoryOfAbuse"),
                previous_plans=_read_int(block, "NumberOfPreviousCPP"),
                reviews=[
                    day
                    for item in block.iterfind("Reviews/CPPreviewDate")
                    if (day := _parse_date(item.text, "CPPreviewDate")) is not None
                ],
            )
            for block in element.iterfind("ChildProtectionPlans")
        ],
    )


def _text(parent: ET.Element, tag: str, value: str) -> None:
    if value:
        ET.SubElement(parent, tag).text = value


def _date(parent: ET.Element, tag: str, value: datetime.date | None) -> None:
    if value is not None:
        ET.SubElement(parent, tag).text = value.isoformat()


def _read(parent: ET.Element, tag: str) -> str:
    return (parent.findtext(tag) or "").strip()


def _read_date(parent: ET.Element, tag: str) -> datetime.date | None:
    return _parse_date(parent.findtext(tag), tag)


def _required_date(parent: ET.Element, tag: str) -> datetime.date:
    value = _read_date(parent, tag)
    if value is None:
        raise LayoutError(f"{parent.tag} without a {tag}")
    return value


def _parse_date(text: str | None, tag: str) -> datetime.date | None:
    if not text or not text.strip():
        return None
    try:
        return datetime.date.fromisoformat(text.strip()[:10])
    except ValueError:
        raise LayoutError(f"{tag} is not a date (YYYY-MM-DD): {text.strip()[:20]!r}") from None


def _read_int(parent: ET.Element, tag: str) -> int:
    text = _read(parent, tag)
    if not text:
        return 0
    if not text.isdigit():
        raise LayoutError(f"{tag} is not a whole number: {text[:20]!r}")
    return int(text)
