"""The census pages in Chromium: a social-care manager uploads a file with known errors and
reads the Department's findings; axe on each page, screenshots under the test's tmp folder."""

from __future__ import annotations

import datetime
import os
from pathlib import Path
from typing import Any

import pytest

from cases.census.services import census_dir, census_job_run
from cases.models import CensusJob, CensusJobKind
from reporting.services import snapshot_build_run
from tests.cases.census.test_census_files import KNOWN_ERRORS, _child, _file
from tests.support.browser import axe_violations, sign_in
from tests.support.world import World

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_manager_uploads_a_census_file_and_reads_each_finding(
    world: World, live_server: Any, page: Any, tmp_path: Path, settings: Any
) -> None:
    settings.NT_CENSUS_DIR = tmp_path / "census"
    shots = Path(os.environ.get("NT_SCREENSHOTS", str(tmp_path)))
    shots.mkdir(parents=True, exist_ok=True)
    upload = tmp_path / "census.xml"
    upload.write_bytes(_file(list(KNOWN_ERRORS.values())))

    sign_in(page, live_server, "manager")
    page.goto(f"{live_server.url}/census/")
    assert axe_violations(page) == []
    page.screenshot(path=str(shots / "census-home.png"), full_page=True)
    page.get_by_role("button", name="Check and import").click()
    assert "Choose the census XML file to import" in page.content()
    assert axe_violations(page) == []

    page.get_by_label("Census file (XML)").set_input_files(str(upload))
    page.get_by_role("button", name="Check and import").click()
    census_job_run(job_id=CensusJob.objects.get().pk)  # the worker's part
    page.reload()
    table = page.get_by_test_id("census-findings")
    for code in KNOWN_ERRORS:
        assert table.get_by_role("cell", name=code, exact=True).count() >= 1
    assert axe_violations(page) == []
    page.screenshot(path=str(shots / "census-job.png"), full_page=True)


def test_the_census_beside_the_trackers_figures_for_a_manager_and_an_executive(
    world: World, live_server: Any, page: Any, tmp_path: Path, settings: Any
) -> None:
    settings.NT_CENSUS_DIR = tmp_path / "census"
    shots = Path(os.environ.get("NT_SCREENSHOTS", str(tmp_path)))
    shots.mkdir(parents=True, exist_ok=True)
    sign_in(page, live_server, "manager")
    page.get_by_role("link", name="Children in need census").click()
    page.get_by_role("link", name="Compare the latest imported census").click()
    assert page.get_by_test_id("no-census").is_visible()
    assert axe_violations(page) == []

    job = CensusJob.objects.create(
        kind=CensusJobKind.IMPORT, collection_year=2027, file_name="comparison.xml"
    )
    (census_dir() / job.file_name).write_bytes(_file([_child(f"CMP{n:03d}") for n in range(12)]))
    census_job_run(job_id=job.pk, validate=False)
    page.reload()
    assert page.get_by_test_id("tracker-not-built").is_visible()
    assert axe_violations(page) == []

    snapshot_build_run(as_at=datetime.date(2027, 3, 31))
    page.reload()
    tables = page.get_by_test_id("comparison-table")
    assert tables.count() == 3
    neglect = tables.nth(1).get_by_role("row", name="Neglect")
    assert neglect.get_by_role("cell").all_inner_texts() == ["12", "12", "0"]
    assert "CMP001" not in page.content()
    assert axe_violations(page) == []
    page.screenshot(path=str(shots / "census-comparison.png"), full_page=True)

    page.context.clear_cookies()
    sign_in(page, live_server, "executive")
    page.goto(f"{live_server.url}/dashboards/")
    page.get_by_role("link", name="Compare with the latest children in need census").click()
    assert page.get_by_test_id("comparison-table").count() == 3
    page.get_by_role("link", name="Child protection plans by category").click()
    assert page.locator("h1").inner_text() == "Child protection plans by category"
