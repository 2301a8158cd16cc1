"""The census pages in Chromium: a social-care manager uploads a file with known errors and
reads the Department's findings; axe on each page, screenshots under the test's tmp folder."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

from cases.census.services import census_job_run
from cases.models import CensusJob
from tests.cases.census.test_census_files import KNOWN_ERRORS, _file
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
