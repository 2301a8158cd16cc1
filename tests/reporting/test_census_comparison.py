"""The census comparison page: the latest imported census's figures beside the tracker's own for
the same year, built with the dashboards, suppressed like every table, and an empty state."""

from __future__ import annotations

import datetime
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pytest
from django.test import Client

from cases.census.layout import (
    Assessment,
    CensusChild,
    Episode,
    ProtectionPlan,
    Section47,
    child_element,
    header_element,
)
from cases.census.services import census_dir, census_job_run
from cases.codes import AgencyType, NeedLevel, Role
from cases.models import CensusJob, CensusJobKind, CensusJobStatus
from reporting.census import census_comparison
from reporting.selectors import current_build
from reporting.services import snapshot_build_run
from tests.support import factories

YEAR = 2027
D = datetime.date


@pytest.fixture(autouse=True)
def census_files(settings: Any, tmp_path: Path) -> None:
    settings.NT_CENSUS_DIR = tmp_path / "census"


def _client(role: str, agency_type: str = AgencyType.HEALTH) -> Client:
    client = Client()
    client.force_login(factories.practitioner(factories.agency(agency_type=agency_type), role))
    return client


def _census_child(number: int, *, on_plan: bool) -> CensusChild:
    episode = Episode(
        referral_date=D(2026, 5, 4),
        source="2A",
        primary_need="N1" if on_plan else ("N2" if number < 11 else "N3"),
        closed_on=None,
        closure_reason="",
        no_further_action=False,
        assessments=[Assessment(D(2026, 5, 5), D(2026, 6, 1), ["16A"])],
    )
    if on_plan:
        episode.section47s = [Section47(D(2026, 6, 2), D(2026, 6, 23), D(2026, 6, 16), False)]
        episode.protection_plans = [ProtectionPlan(D(2026, 6, 16), None, "NEG", "NEG", 0)]
    return CensusChild(
        la_child_id=f"CMP{number:04d}",
        upn="",
        former_upn="",
        upn_unknown="UN1",
        birth_date=D(2020, 1, 9),
        expected_birth_date=None,
        sex="F",
        death_date=None,
        ethnicity="WBRI",
        disabilities=[],
        episodes=[episode],
    )


def _imported() -> CensusJob:
    """Six children on a neglect plan, five in need for N2 and two for N3 (a count to hide)."""
    root = ET.Element("Message")
    root.append(
        header_element(year=YEAR, la_code="001", generated_at=datetime.datetime(2027, 3, 31))
    )
    children = ET.SubElement(root, "Children")
    children.extend(child_element(_census_child(n, on_plan=n < 6)) for n in range(13))
    job = CensusJob.objects.create(
        kind=CensusJobKind.IMPORT, collection_year=YEAR, file_name="comparison.xml"
    )
    (census_dir() / job.file_name).write_bytes(ET.tostring(root))
    job = census_job_run(job_id=job.pk, validate=False)
    assert job.status == CensusJobStatus.DONE
    return job


def _rows(comparison: Any) -> dict[str, tuple[str, str, str]]:
    return {
        f"{table.caption}: {row.label}": (row.census, row.tracker, row.difference)
        for table in comparison.tables
        for row in [*table.rows, *([table.total] if table.total else [])]
    }


@pytest.mark.django_db
def test_with_no_census_imported_the_page_says_so() -> None:
    page = _client(Role.EXECUTIVE).get("/dashboards/census/")
    assert page.status_code == 200
    assert "No children in need census has been imported yet" in page.content.decode()


@pytest.mark.django_db
def test_the_tracker_figures_wait_for_a_build_after_the_import() -> None:
    snapshot_build_run(as_at=D(2026, 11, 1))
    _imported()

    page = _client(Role.ANALYST).get("/dashboards/census/").content.decode()

    assert "have not been built since the census was imported" in page
    assert "Not built" in page


@pytest.mark.django_db
def test_the_census_figures_beside_the_trackers_with_differences_and_suppression() -> None:
    _imported()
    # A plan the tracker holds that the census file does not.
    social_care = factories.agency("Children's services", AgencyType.CHILDRENS_SOCIAL_CARE)
    factories.involvement(
        factories.child(),
        NeedLevel.CHILD_PROTECTION,
        social_care,
        started_on=D(2026, 7, 1),
        protection_category="NEG",
    )
    snapshot_build_run(as_at=D(2027, 3, 31))

    comparison = census_comparison(build=current_build())

    assert comparison is not None and comparison.tracker_ready
    rows = _rows(comparison)
    assert rows[
        "Counts for the year: Referrals to children's social care received in the year"
    ] == (
        "13",
        "13",
        "0",
    )
    assert rows["Counts for the year: Child protection plans started in the year"] == (
        "6",
        "7",
        "+1",
    )
    assert rows[
        "Counts for the year: Children in need on the last day of the year (an episode open)"
    ] == (
        "13",
        "13",
        "0",
    )
    by_category = "Children on a child protection plan, by category"
    assert rows[f"{by_category}: Neglect"] == ("6", "7", "+1")
    # The catalogue's child-in-need metric counts the imported episodes: two for N3 are hidden,
    # and N2's five with them, which would give them back from the total.
    by_need = "Children in need not on a protection plan, by primary need"
    needs = {key: value for key, value in rows.items() if key.startswith(by_need)}
    assert sorted(needs.values()) == [
        ("7", "7", "0"),
        ("[c]", "[c]", "[c]"),
        ("[c]", "[c]", "[c]"),
    ]
    assert needs[f"{by_need}: Total"] == ("7", "7", "0")


@pytest.mark.django_db
def test_a_social_care_manager_sees_the_page_without_links_to_the_dashboards() -> None:
    _imported()
    snapshot_build_run(as_at=D(2027, 3, 31))
    manager = _client(Role.SOCIAL_CARE_MANAGER, AgencyType.CHILDRENS_SOCIAL_CARE)

    page = manager.get("/dashboards/census/").content.decode()

    assert "Child protection plans by category" in page
    assert "/dashboards/metrics/" not in page and "/dashboards/builds/" not in page
    assert "CMP0001" not in page  # figures only: no child
