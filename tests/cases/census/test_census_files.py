"""The children in need census file: the demo export passes the Department's rules, a file with
known errors is reported rule by rule and imports nothing, and a clean file round-trips byte for
byte through an empty database."""

from __future__ import annotations

import datetime
import io
import subprocess
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command

from cases.census.export import census_xml_write
from cases.census.importing import census_file_layout_errors
from cases.census.layout import (
    Assessment,
    CensusChild,
    Episode,
    ProtectionPlan,
    Section47,
    child_element,
    header_element,
    ruleset_for,
)
from cases.census.services import census_dir, census_job_run
from cases.census.validation import RUNNER, census_file_validate
from cases.models import CensusJob, CensusJobKind, CensusJobStatus, Child, Involvement, Referral
from tests.support.seeding import seeded_partnership

YEAR = 2027
D = datetime.date


@pytest.fixture(autouse=True)
def census_files(settings: Any, tmp_path: Path) -> None:
    settings.NT_CENSUS_DIR = tmp_path / "census"


@pytest.fixture(scope="module")
def demo_export(django_db_blocker: Any) -> Iterator[bytes]:
    """The demo partnership's census, exported once (transactional tests empty the database)."""
    with seeded_partnership(django_db_blocker, children=300), django_db_blocker.unblock():
        yield _export()


def _export() -> bytes:
    out = io.BytesIO()
    census_xml_write(year=YEAR, out=out)
    return out.getvalue()


def _import(content: bytes, *, validate: bool = True) -> CensusJob:
    job = CensusJob.objects.create(
        kind=CensusJobKind.IMPORT, collection_year=YEAR, file_name="upload.xml"
    )
    (census_dir() / job.file_name).write_bytes(content)
    return census_job_run(job_id=job.pk, validate=validate)


@pytest.mark.django_db(transaction=True)
def test_the_demo_export_passes_the_departments_rules_with_no_errors(
    demo_export: bytes, tmp_path: Path
) -> None:
    path = tmp_path / "demo.xml"
    path.write_bytes(demo_export)
    result = census_file_validate(path=path, ruleset=ruleset_for(YEAR))
    assert result.schema_errors == []
    assert [f"{f.rule_code} {f.child} {f.field}" for f in result.errors] == []
    assert ET.fromstring(demo_export).find("Children")  # noqa: S314 - our own export  # children were exported


# Builds the Department's tables both ways in the validator's own environment and says which
# tables differ (rows, order, index, columns, dtypes and missing values all count).
SAME_TABLES = """
import sys, xml.etree.ElementTree as ET
sys.path.insert(0, sys.argv[2])
import cin_runner
from cin_validator import cin_validator
root = ET.parse(sys.argv[1]).getroot()
theirs, ours = cin_validator.convert_data(root), cin_runner.tables(root)
print(sorted(name for name in theirs if not (
    theirs[name].equals(ours[name]) and list(theirs[name].dtypes) == list(ours[name].dtypes)
    and all(repr(a) == repr(b) for a, b in zip(theirs[name].itertuples(), ours[name].itertuples()))
)), len(theirs["ChildIdentifiers"]))
"""


def test_the_runner_builds_the_departments_tables_exactly_as_its_converter_does(
    demo_export: bytes, tmp_path: Path, settings: Any
) -> None:
    """The runner joins each table once instead of once a child (linear, not quadratic): the
    tables the rules read must be the converter's own."""
    path = tmp_path / "demo.xml"
    path.write_bytes(demo_export)
    completed = subprocess.run(
        [settings.NT_CIN_PYTHON, "-c", SAME_TABLES, str(path), str(RUNNER.parent)],
        capture_output=True,
        text=True,
        check=True,
    )
    assert completed.stdout.split() == ["[]", str(demo_export.count(b"<Child>"))]


@pytest.mark.django_db(transaction=True)
def test_a_clean_export_round_trips_byte_for_byte_through_an_empty_database(
    demo_export: bytes,
) -> None:
    first = demo_export
    call_command("flush", interactive=False)
    assert not Child.objects.exists()

    job = _import(first)

    assert job.status == CensusJobStatus.DONE, job.errors
    assert job.summary["children created"] == first.count(b"<Child>")
    assert _export() == first
    again = _import(first, validate=False)
    assert again.summary.get("referrals created", 0) == 0
    assert again.summary.get("chronology entries", 0) == 0


def _child(la_child_id: str, **changes: Any) -> CensusChild:
    episode = Episode(
        referral_date=D(2026, 5, 4),
        source="2A",
        primary_need="N1",
        closed_on=None,
        closure_reason="",
        no_further_action=False,
        assessments=[Assessment(D(2026, 5, 5), D(2026, 6, 1), ["16A"])],
        section47s=[Section47(D(2026, 6, 2), D(2026, 6, 23), D(2026, 6, 16), False)],
        protection_plans=[ProtectionPlan(D(2026, 6, 16), None, "NEG", "NEG", 0, [D(2026, 9, 8)])],
    )
    child = CensusChild(
        la_child_id=la_child_id,
        upn="",
        former_upn="",
        upn_unknown="",
        birth_date=D(2022, 1, 9),
        expected_birth_date=None,
        sex="F",
        death_date=None,
        ethnicity="WBRI",
        disabilities=[],
        episodes=[episode],
    )
    for name, value in changes.items():
        target = episode if hasattr(episode, name) else child
        setattr(target, name, value)
    return child


def _file(children: list[CensusChild]) -> bytes:
    root = ET.Element("Message")
    root.append(
        header_element(year=YEAR, la_code="001", generated_at=datetime.datetime(2027, 3, 31))
    )
    listing = ET.SubElement(root, "Children")
    listing.extend(child_element(child) for child in children)
    return ET.tostring(root)


KNOWN_ERRORS = {
    "4220": _child("ETHNIC1", ethnicity="XXXX"),  # ethnicity not in the code set
    "8866": _child("SOURCE1", source="99"),  # referral source not in the code set
    "8650": _child("NEED1", primary_need="N99"),  # primary need not in the code set
    "8805": _child("CLOSED1", closed_on=D(2026, 12, 1)),  # closed without a reason
    "8794": _child("DISAB1", disabilities=["MOB", "MOB"]),  # the same disability twice
}


@pytest.mark.django_db
def test_a_file_with_known_errors_reports_each_rule_and_imports_nothing() -> None:
    job = _import(_file([_child("CLEAN1"), *KNOWN_ERRORS.values()]))

    assert job.status == CensusJobStatus.INVALID
    found = {(error["rule_code"], error["child"]) for error in job.errors}
    for code, child in KNOWN_ERRORS.items():
        assert (code, child.la_child_id) in found
    assert not any(error["child"] == "CLEAN1" for error in job.errors)
    assert job.error_count >= len(KNOWN_ERRORS)
    assert not Child.objects.exists() and not Referral.objects.exists()


@pytest.mark.django_db
def test_a_file_with_layout_errors_imports_nothing_and_says_where() -> None:
    content = _file([_child("GOOD1"), _child("GOOD2")]).replace(
        b"<CPPstartDate>2026-06-16</CPPstartDate>", b"<CPPstartDate>16/06/2026</CPPstartDate>", 1
    )

    job = _import(content)

    assert job.status == CensusJobStatus.INVALID
    assert any(
        "Child 1 (GOOD1)" in message and "CPPstartDate" in message
        for message in job.summary["schema_errors"]
    )
    assert not Child.objects.exists()
    broken = _import(b"<Message><Header>")
    assert "not well-formed" in broken.summary["schema_errors"][0]


@pytest.mark.django_db
def test_a_later_file_updates_what_changed_and_matches_by_upn() -> None:
    first = _import(_file([_child("LATER1")]))
    assert first.status == CensusJobStatus.DONE, first.errors
    child = Child.objects.get(la_child_id="LATER1")
    child.la_child_id = ""  # the tracker's own record, found again by its UPN
    child.upn = "A001202200001"
    child.save()
    closed = _child("LATER1", closed_on=D(2026, 12, 1), closure_reason="RC7", upn=child.upn)
    closed.episodes[0].protection_plans[0].ended_on = D(2026, 11, 30)

    later = _import(_file([closed]), validate=False)

    assert later.summary["children matched"] == 1
    assert Child.objects.count() == 1
    referral = Referral.objects.get()
    assert (referral.closed_on, referral.closure_reason) == (D(2026, 12, 1), "RC7")
    spells = child.involvements.order_by("started_on").values_list(
        "level", "started_on", "ended_on"
    )
    assert list(spells) == [
        ("child_in_need", D(2026, 5, 4), D(2026, 6, 16)),
        ("child_protection", D(2026, 6, 16), D(2026, 11, 30)),
        ("child_in_need", D(2026, 11, 30), D(2026, 12, 1)),
    ]


@pytest.mark.django_db
def test_a_second_open_episode_after_an_open_plan_imports_the_same_twice() -> None:
    """Two episodes left open, the first with an open protection plan: one level is open after
    the first import, and importing the file again changes nothing."""
    child = _child("TWICE1", section47s=[])
    later = Episode(D(2027, 2, 17), "2A", "N2", None, "", False)
    child.episodes.append(later)
    content = _file([child])

    first = _import(content, validate=False)
    again = _import(content, validate=False)

    assert first.status == again.status == CensusJobStatus.DONE
    assert Involvement.objects.filter(ended_on__isnull=True).count() == 1
    assert again.summary.get("plans and involvements updated", 0) == 0
    assert again.summary.get("chronology entries", 0) == 0


@pytest.mark.django_db
def test_an_import_keeps_the_census_figures_and_the_catalogue_counts_its_records() -> None:
    """The figures the comparison page shows, and the episode as the levels of need the
    catalogue's protection and child-in-need metrics count (between its protection plans)."""
    in_need = _child("NEED2", primary_need="N2", protection_plans=[], section47s=[])
    nfa = _child("NFA1", no_further_action=True, assessments=[], protection_plans=[])
    nfa.episodes[0].section47s = []
    job = _import(_file([_child("PLAN1"), in_need, nfa]))

    assert job.status == CensusJobStatus.DONE, job.errors
    assert job.figures["reference_date"] == "2027-03-31"
    assert job.figures["counts"] == {
        "referrals": 3,
        "assessments_completed": 2,
        "section47_enquiries": 1,
        "initial_conferences": 1,
        "protection_plans_started": 1,
        "in_need_at_end": 2,
    }
    assert job.figures["protection_by_category"] == {"NEG": 1}
    assert job.figures["in_need_by_primary_need"] == {"N2": 1}
    open_levels = Involvement.objects.filter(ended_on__isnull=True).values_list(
        "child__la_child_id", "level", "primary_need", "protection_category"
    )
    assert sorted(open_levels) == [
        ("NEED2", "child_in_need", "N2", ""),
        ("PLAN1", "child_protection", "", "NEG"),
    ]
    assert not Involvement.objects.filter(child__la_child_id="NFA1").exists()


def test_a_file_declaring_entities_is_refused_before_anything_expands(tmp_path: Path) -> None:
    bomb = tmp_path / "bomb.xml"
    bomb.write_text(
        '<?xml version="1.0"?><!DOCTYPE Message [<!ENTITY a "aaaaaaaaaa">'
        '<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]><Message><Header/><Children>&b;'
        "</Children></Message>"
    )
    errors = census_file_layout_errors(bomb)
    assert errors == [
        "The file declares entities or a document type, which a census file never does"
    ]
