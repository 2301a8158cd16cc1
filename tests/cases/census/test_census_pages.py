"""The census pages: a manager uploads a file with known errors and sees each rule's finding on
the job page and in the CSV; an export runs and its file downloads."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from cases.census.services import census_job_run
from cases.models import CensusJob, CensusJobStatus
from tests.cases.census.test_census_files import KNOWN_ERRORS, _file


@pytest.fixture(autouse=True)
def census_files(settings: Any, tmp_path: Path) -> None:
    settings.NT_CENSUS_DIR = tmp_path / "census"


@pytest.mark.django_db
def test_an_uploaded_file_with_errors_shows_each_finding_and_its_csv(
    world: Any, client: Any
) -> None:
    client.force_login(world.users["manager"])
    upload = SimpleUploadedFile("census.xml", _file(list(KNOWN_ERRORS.values())), "application/xml")

    response = client.post("/census/import/", {"year": "2027", "file": upload})

    job = CensusJob.objects.get()
    assert response.status_code == 302 and response.url == f"/census/jobs/{job.pk}/"
    census_job_run(job_id=job.pk)  # what the worker does
    page = client.get(f"/census/jobs/{job.pk}/").content.decode()
    assert "nothing was imported" in page
    for code, child in KNOWN_ERRORS.items():
        assert f'<td class="govuk-table__cell">{code}</td>' in page
        assert child.la_child_id in page
    csv_text = client.get(f"/census/jobs/{job.pk}/errors.csv").content.decode()
    assert csv_text.startswith("Rule,Type,Message,LAchildID,Table,Field,Value")
    assert all(f"{code}," in csv_text for code in KNOWN_ERRORS)
    status = client.get(f"/census/jobs/{job.pk}/status/").json()
    assert status["finished"] and status["status"] == CensusJobStatus.INVALID


@pytest.mark.django_db
def test_an_empty_upload_form_says_what_to_fix(world: Any, client: Any) -> None:
    client.force_login(world.users["manager"])
    response = client.post("/census/import/", {"year": "2027"})
    assert response.status_code == 400
    assert b"Choose the census XML file to import" in response.content
    assert not CensusJob.objects.exists()


@pytest.mark.django_db
def test_an_export_runs_and_its_file_downloads(world: Any, client: Any) -> None:
    client.force_login(world.users["manager"])
    client.post("/census/export/", {"year": "2027"})
    job = census_job_run(job_id=CensusJob.objects.get().pk)
    assert job.status == CensusJobStatus.DONE
    response = client.get(f"/census/jobs/{job.pk}/file.xml")
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"<?xml")
