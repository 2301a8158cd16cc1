"""The measures notifications feed: attendance and permanent exclusions among children known
for neglect (the dashboard catalogue) and the "repeatedly not brought" drift rule."""

from __future__ import annotations

import datetime

import pytest

from cases.codes import AgencyType
from cases.drift import drift_rule
from cases.drift.evaluation import drift_evaluate
from cases.drift.wording import short_date
from cases.models import DriftFlag, DriftRuleSetting
from cases.notifications.models import AttendanceRecord, ExclusionRecord
from reporting.models import BuildStatus, SnapshotRow
from reporting.services import snapshot_build_run
from tests.support import factories

pytestmark = pytest.mark.django_db

D = datetime.date
AS_AT = D(2026, 6, 15)
Q1 = D(2026, 1, 1)


def attendance(child, school, end: D, attended: int) -> None:  # type: ignore[no-untyped-def]
    AttendanceRecord.objects.create(
        child=child,
        agency=school,
        period_start=end - datetime.timedelta(days=60),
        period_end=end,
        sessions_possible=100,
        sessions_attended=attended,
    )


def quarter_figure(build, metric: str) -> tuple[int, int | None]:  # type: ignore[no-untyped-def]
    row = SnapshotRow.objects.get(
        build=build,
        metric=metric,
        period_type="quarter",
        period_start=Q1,
        dimension="all",
        dimension_key="",
    )
    return row.numerator, row.denominator


def test_attendance_and_exclusions_count_only_children_known_for_neglect(
    gcp2_framework: None,
) -> None:
    school = factories.agency("School", AgencyType.EDUCATION)
    health = factories.agency("Health", AgencyType.HEALTH)
    nurse = factories.practitioner(health)
    improved, worse, unknown = (
        factories.child(known_to=[health], first_name=n) for n in ("A", "B", "C")
    )
    for child in (improved, worse):
        factories.concern(nurse, [child], observed_on=D(2025, 9, 1))
    attendance(improved, school, D(2025, 12, 19), 70)
    attendance(improved, school, D(2026, 3, 27), 85)  # improved: counted
    attendance(worse, school, D(2025, 12, 19), 90)
    attendance(worse, school, D(2026, 3, 27), 80)  # worse: in the denominator only
    attendance(unknown, school, D(2025, 12, 19), 50)
    attendance(unknown, school, D(2026, 3, 27), 95)  # not known for neglect: not counted
    ExclusionRecord.objects.create(
        child=improved, agency=school, excluded_on=D(2026, 2, 2), permanent=True
    )
    ExclusionRecord.objects.create(
        child=worse, agency=school, excluded_on=D(2026, 2, 3), permanent=False, days=3
    )
    ExclusionRecord.objects.create(
        child=unknown, agency=school, excluded_on=D(2026, 2, 4), permanent=True
    )
    build = snapshot_build_run(as_at=AS_AT)
    assert build.status == BuildStatus.FINISHED, build.error
    assert quarter_figure(build, "attendance_improved_neglect") == (1, 2)
    assert quarter_figure(build, "permanent_exclusions_neglect")[0] == 1


def test_repeatedly_not_brought_flags_at_the_admins_threshold() -> None:
    health = factories.agency("Health", AgencyType.HEALTH)
    child = factories.child(known_to=[health])
    today = datetime.date.today()
    for days_ago in (10, 40):
        factories.chronology(
            child, today - datetime.timedelta(days=days_ago), "was_not_brought", health
        )
    drift_evaluate(child_ids=[child.pk])
    flags = DriftFlag.objects.filter(rule_code="WAS_NOT_BROUGHT_REPEATED", child=child)
    assert not flags.exists()  # 2 of the default 3
    DriftRuleSetting.objects.create(code="WAS_NOT_BROUGHT_REPEATED", thresholds={"appointments": 2})
    drift_evaluate(child_ids=[child.pk])
    assert flags.filter(resolved_at__isnull=True).count() == 1


def test_repeatedly_not_brought_says_since_when_and_the_childs_figures() -> None:
    health = factories.agency("Health", AgencyType.HEALTH)
    child = factories.child(known_to=[health])
    today = datetime.date.today()
    days = [today - datetime.timedelta(days=n) for n in (300, 200, 90, 20)]
    days.append(today - datetime.timedelta(days=400))  # outside the year: not counted
    for day in days:
        factories.chronology(child, day, "was_not_brought", health)
    drift_evaluate(child_ids=[child.pk])
    flag = DriftFlag.objects.get(rule_code="WAS_NOT_BROUGHT_REPEATED", child=child)
    # The third missed appointment in the window is when "3 in a year" first held.
    assert flag.condition_since == days[2]
    assert flag.figures["appointments"] == 4
    sentence = drift_rule("WAS_NOT_BROUGHT_REPEATED").sentence(flag.figures, today)
    assert sentence == (
        f"Not brought to 4 health appointments between {short_date(days[0], today)} "
        f"and {short_date(days[3], today)}"
    )
