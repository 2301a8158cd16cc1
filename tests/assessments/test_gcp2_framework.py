"""The framework as versioned data: GCP2 (2015) loaded by migration, later versions as data,
old assessments keep their version, and an authority's licensed guidance loaded from a file."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from assessments.framework import current_framework, framework_areas, framework_version_load
from assessments.models import SubArea
from assessments.services import assessment_start
from tests.support.gcp2_factories import gcp2_assessment
from tests.support.world import World

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("gcp2_framework")]


def test_the_2015_structure_is_loaded_with_our_own_labels_and_no_guidance() -> None:
    framework = current_framework()
    assert framework.code == "gcp2-2015"
    structure = {
        area.label: [sub.label for sub in area.sub_areas.all()]
        for area in framework_areas(framework)
    }
    assert structure == {
        "Physical care": ["Nutrition", "Housing", "Clothing", "Hygiene", "Health"],
        "Safety": [
            "Safety in the carer's presence",
            "Safety in the carer's absence",
            "Online safety",
            "Safety in traffic",
            "Safety in the home",
        ],
        "Emotional care": [
            "The carer's responsiveness",
            "Mutual engagement between carer and child",
        ],
        "Developmental care": ["Stimulation", "Approval", "Disapproval", "Acceptance"],
    }
    assert not SubArea.objects.exclude(guidance="").exists()
    online = SubArea.objects.get(code="online")
    assert not online.applies_at(2) and online.applies_at(3)


def test_a_new_version_is_used_for_new_assessments_and_old_ones_keep_theirs(
    world: World,
) -> None:
    old = gcp2_assessment(world.child, world.users["practitioner"])
    revised = framework_version_load(
        code="gcp2-revised",
        name="GCP2 (revised)",
        areas=[
            {
                "code": area.code,
                "label": area.label,
                "sub_areas": [{"code": s.code, "label": s.label} for s in area.sub_areas.all()]
                + ([{"code": "sleep", "label": "Sleep"}] if area.code == "physical" else []),
            }
            for area in framework_areas(old.framework)
        ],
    )
    new = assessment_start(
        child=world.child, assessor=world.users["practitioner"], submission_key="new"
    )
    old.refresh_from_db()
    assert old.framework.code == "gcp2-2015"
    assert old.sub_grades.count() == 16
    assert new.framework == revised
    assert new.sub_grades.count() == 17
    assert current_framework() == revised


def test_guidance_is_loaded_from_the_authoritys_file(tmp_path: Path) -> None:
    path = tmp_path / "guidance.json"
    path.write_text(
        json.dumps({"framework": "gcp2-2015", "guidance": {"physical-nutrition": "Licensed text"}})
    )
    call_command("load_gcp2_guidance", str(path))
    assert SubArea.objects.get(code="nutrition").guidance == "Licensed text"


def test_a_guidance_file_naming_an_unknown_sub_area_changes_nothing(tmp_path: Path) -> None:
    path = tmp_path / "guidance.json"
    path.write_text(
        json.dumps(
            {
                "framework": "gcp2-2015",
                "guidance": {"physical-nutrition": "Text", "physical-sleep": "Text"},
            }
        )
    )
    with pytest.raises(CommandError, match="physical-sleep"):
        call_command("load_gcp2_guidance", str(path))
    assert SubArea.objects.get(code="nutrition").guidance == ""


def test_an_administrator_can_enter_guidance_for_a_sub_area_in_the_admin(world: World) -> None:
    from django.test import Client

    client = Client()
    client.force_login(world.users["admin"])
    nutrition = SubArea.objects.get(code="nutrition")
    page = client.get(f"/admin/assessments/subarea/{nutrition.pk}/change/")
    assert page.status_code == 200
    assert b'name="guidance"' in page.content
