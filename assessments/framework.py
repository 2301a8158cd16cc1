"""Loading a framework version, and the guidance text an authority adds from its licensed copy.

The GCP2 (2015) structure itself is loaded by migration 0002; a later revision of the tool (or
the antenatal GCP2A) is loaded with `framework_version_load` as a new version, so assessments
already made keep the version they were made with.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from django.db import transaction

from .models import Area, FrameworkVersion, SubArea


class GuidanceError(ValueError):
    """The guidance file names sub-areas the framework version does not have."""


@transaction.atomic
def framework_version_load(
    *, code: str, name: str, areas: Sequence[Mapping[str, Any]], make_current: bool = True
) -> FrameworkVersion:
    """Create a framework version from its structure.

    `areas` is a list of {"code", "label", "description", "sub_areas": [{"code", "label",
    "min_age_years"?, "max_age_years"?}]}, in order. Making it current retires the previous
    current version for new assessments only.
    """
    if make_current:
        FrameworkVersion.objects.filter(is_current=True).update(is_current=False)
    version = FrameworkVersion.objects.create(code=code, name=name, is_current=make_current)
    for area_index, area_data in enumerate(areas, start=1):
        area = Area.objects.create(
            framework=version,
            code=area_data["code"],
            label=area_data["label"],
            description=area_data.get("description", ""),
            ordering=area_index,
        )
        SubArea.objects.bulk_create(
            SubArea(
                area=area,
                code=sub["code"],
                label=sub["label"],
                ordering=sub_index,
                min_age_years=sub.get("min_age_years"),
                max_age_years=sub.get("max_age_years"),
            )
            for sub_index, sub in enumerate(area_data["sub_areas"], start=1)
        )
    return version


def current_framework() -> FrameworkVersion:
    return FrameworkVersion.objects.get(is_current=True)


def framework_areas(framework: FrameworkVersion) -> list[Area]:
    """The areas of a version with their sub-areas, in order, in two queries."""
    return list(
        Area.objects.filter(framework=framework).prefetch_related("sub_areas").order_by("ordering")
    )


@transaction.atomic
def guidance_load(*, framework_code: str, guidance: Mapping[str, str]) -> int:
    """Set each sub-area's guidance text, by key ("area-subarea"). Returns how many were set.

    Refuses the whole file (nothing changed) if any key is not in the framework version.
    """
    framework = FrameworkVersion.objects.get(code=framework_code)
    sub_areas = {
        sub.key: sub
        for sub in SubArea.objects.filter(area__framework=framework).select_related("area")
    }
    unknown = sorted(set(guidance) - set(sub_areas))
    if unknown:
        raise GuidanceError(f"Not sub-areas of {framework_code}: {', '.join(unknown)}")
    for key, text in guidance.items():
        sub_areas[key].guidance = text.strip()
    SubArea.objects.bulk_update([sub_areas[key] for key in guidance], ["guidance"])
    return len(guidance)
