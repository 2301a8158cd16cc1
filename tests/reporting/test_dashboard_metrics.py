"""Each metric's figures on a small hand-built partnership where the answers are known.

The build runs as at 15 June 2026. The first quarter of 2026 (January to March) is the one
checked; the comments give each child's story and what it contributes.
"""

from __future__ import annotations

import csv
import datetime
import io
from typing import Any

import pytest
from django.utils import timezone

from assessments.models import Assessment
from cases.codes import AgencyType, NeedLevel, Role
from cases.models import DriftFlag, DriftRuleSetting
from cases.working_days import breach_boundary
from reporting.metrics import METRICS, period_ends
from reporting.models import BuildStatus, SnapshotRow
from reporting.services import snapshot_build_run
from tests.support import factories
from tests.support.gcp2_factories import gcp2_assessment

AS_AT = datetime.date(2026, 6, 15)
Q1 = datetime.date(2026, 1, 1)
Q4_2025 = datetime.date(2025, 10, 1)
D = datetime.date
CIN, CP, EH = NeedLevel.CHILD_IN_NEED, NeedLevel.CHILD_PROTECTION, NeedLevel.EARLY_HELP


class Partnership:
    def __init__(self) -> None:
        self.health = factories.agency("Health", AgencyType.HEALTH)
        self.care = factories.agency("Social care", AgencyType.CHILDRENS_SOCIAL_CARE)
        self.team_a = factories.team(self.care, "Team A")
        self.nurse = factories.practitioner(self.health, Role.PRACTITIONER)
        self.social_worker = factories.practitioner(self.care, Role.PRACTITIONER)
        self.social_worker.team = self.team_a
        self.social_worker.save()
        kids = {n: factories.child(first_name=f"C{n}") for n in range(1, 14)}
        self.kids = kids

        def inv(n: int, level: str, start: D, end: D | None = None, **extra: Any) -> None:
            extra.setdefault("lead_agency", self.care)
            factories.involvement(kids[n], level, started_on=start, ended_on=end, **extra)

        # Protection plans. Open at the end of Q1: c1 NEG, c2 NEG (social care), c3 EMO (health).
        inv(1, CP, D(2026, 1, 10), protection_category="NEG", team=self.team_a)
        inv(2, CP, D(2025, 12, 1), protection_category="NEG")
        inv(3, CP, D(2026, 2, 1), protection_category="EMO", lead_agency=self.health)
        # c4: PHY plan closed in March, so open at the end of Q4 2025 only.
        inv(4, CP, D(2025, 11, 1), D(2026, 3, 15), protection_category="PHY")
        # Children in need open at the end of Q1.
        inv(5, CIN, D(2026, 1, 5), primary_need="N1")
        inv(6, CIN, D(2026, 3, 1), primary_need="N4")
        # c7: closed in June 2025, back in February 2026: a re-referral within 12 months.
        inv(7, CIN, D(2025, 1, 1), D(2025, 6, 30), primary_need="N1")
        inv(7, CIN, D(2026, 2, 10), primary_need="N1")
        # c8: closed at the end of 2024, back in March 2026: a referral, not a re-referral.
        inv(8, CIN, D(2024, 1, 1), D(2024, 12, 31), primary_need="N5")
        inv(8, CIN, D(2026, 3, 5), primary_need="N5")
        # c9: early help stepped up to child in need in January (a referral too).
        inv(9, EH, D(2025, 9, 1), D(2026, 1, 20), lead_agency=self.health, primary_need="N4")
        inv(9, CIN, D(2026, 1, 20), primary_need="N1")
        # c10: a neglect plan stepped down to child in need in February (not a referral).
        inv(10, CP, D(2025, 6, 1), D(2026, 2, 15), protection_category="NEG")
        inv(10, CIN, D(2026, 2, 15), primary_need="N1")
        # Early help started in Q1: c11 (a concern in January), c12 (no neglect), c13 (N1).
        inv(11, EH, D(2026, 2, 1), lead_agency=self.health, primary_need="N4")
        inv(12, EH, D(2026, 3, 10), lead_agency=self.health, primary_need="N7")
        inv(13, EH, D(2026, 1, 3), lead_agency=self.health, primary_need="N1")
        # Concerns in Q1: two from health (one child seen with their words, two siblings seen
        # without), one from social care (child not seen).
        factories.concern_submitted_on(
            [kids[11]], self.nurse, D(2026, 1, 15), child_voice="I am hungry"
        )
        factories.concern_submitted_on(
            [kids[1], kids[2]], self.nurse, D(2026, 2, 20), child_voice="  "
        )
        factories.concern_submitted_on(
            [kids[3]], self.social_worker, D(2026, 3, 5), child_seen=False
        )
        self.add_gcp2s()
        self.add_drift_flags()
        self.add_visits()

    def add_gcp2s(self) -> None:
        """Signed off in Q1: c1 twice by the social worker (team A), c11 once by the nurse.
        c1's repeat: physical 4 to 2 and developmental 4 to 3 improved, safety the same,
        emotional 4 to 5 deteriorated. A draft is not completed."""

        def gcp2(n: int, by: Any, on: D, grades: Any, signed: D | None = None) -> None:
            made = gcp2_assessment(
                self.kids[n], by, grades=grades, assessed_on=on, status="signed_off"
            )
            moment = datetime.datetime.combine(signed or on, datetime.time(12))
            Assessment.objects.filter(pk=made.pk).update(signed_off_at=timezone.make_aware(moment))

        gcp2(1, self.social_worker, D(2026, 1, 15), 4, signed=D(2026, 1, 20))
        repeat = {"physical": 2, "safety": 4, "emotional": 5, "developmental": 3}
        gcp2(1, self.social_worker, D(2026, 3, 20), repeat, signed=D(2026, 3, 25))
        gcp2(11, self.nurse, D(2026, 2, 10), 3)
        gcp2_assessment(self.kids[2], self.social_worker, assessed_on=D(2026, 3, 1), status="draft")

    def add_drift_flags(self) -> None:
        """Open at the end of Q1 (31 March): c1 not seen (11 days), c2's actions (75 days), c5
        not seen (150 days). c6's flag closed on 10 March (open at the end of January)."""

        def flag(n: int, rule: str, opened: D, resolved: D | None = None) -> None:
            DriftFlag.objects.create(
                child=self.kids[n],
                rule_code=rule,
                severity="high",
                severity_rank=0,
                reason="Test",
                opened_on=opened,
                resolved_at=timezone.make_aware(
                    datetime.datetime.combine(resolved, datetime.time(9))
                )
                if resolved
                else None,
            )

        flag(1, "CHILD_NOT_SEEN", D(2026, 3, 20))
        flag(2, "PLAN_ACTIONS_OVERDUE", D(2026, 1, 15), D(2026, 4, 10))
        flag(5, "CHILD_NOT_SEEN", D(2025, 11, 1))
        flag(6, "NO_VOICE_OF_CHILD", D(2026, 1, 5), D(2026, 3, 10))

    def add_visits(self) -> None:
        """On 31 March 2026 a protection plan's 10 working days reach back to 18 March, a child
        in need's 20 to 4 March (no bank holidays in March). Seen in time: c1 (alone, 18 March),
        c6 (4 March), c10 (31 March), and c8 whose case started on 5 March. Not: c2 (seen but
        not alone on 25 March; alone on 17 March), c3 (never), c5 (3 March), c7 (a visit where
        the child was not seen), c9 (seen only in April)."""
        visit = factories.visit
        visit(self.kids[1], D(2026, 3, 18), self.care)
        visit(self.kids[2], D(2026, 3, 25), self.care, child_seen_alone=False)
        visit(self.kids[2], D(2026, 3, 17), self.care)
        visit(self.kids[5], D(2026, 3, 3), self.care, child_seen_alone=False)
        visit(self.kids[6], D(2026, 3, 4), self.care, child_seen_alone=False)
        visit(self.kids[7], D(2026, 3, 20), self.care, child_seen=False, child_seen_alone=False)
        visit(self.kids[9], D(2026, 4, 2), self.care)
        visit(self.kids[10], D(2026, 3, 31), self.care)


@pytest.fixture
def built(db: None, gcp2_framework: None) -> Partnership:
    partnership = Partnership()
    build = snapshot_build_run(as_at=AS_AT)
    assert build.status == BuildStatus.FINISHED, build.error
    partnership.build = build  # type: ignore[attr-defined]
    return partnership


def figure(
    p: Partnership,
    metric: str,
    start: D = Q1,
    period_type: str = "quarter",
    dimension: str = "all",
    key: str = "",
) -> tuple[int, int | None]:
    row = SnapshotRow.objects.get(
        build=p.build,  # type: ignore[attr-defined]
        metric=metric,
        period_type=period_type,
        period_start=start,
        dimension=dimension,
        dimension_key=key,
    )
    return row.numerator, row.denominator


def test_neglect_share_of_protection_plans_counts_plans_open_at_the_period_end(
    built: Partnership,
) -> None:
    assert figure(built, "cp_neglect_share") == (2, 3)
    assert figure(built, "cp_neglect_share", Q4_2025) == (2, 3)  # c2, c10 NEG; c4 PHY


def test_neglect_share_of_protection_plans_breaks_down_by_lead_agency_team_and_age(
    built: Partnership,
) -> None:
    care, health = str(built.care.pk), str(built.health.pk)
    assert figure(built, "cp_neglect_share", dimension="agency", key=care) == (2, 2)
    assert figure(built, "cp_neglect_share", dimension="agency", key=health) == (0, 1)
    assert figure(built, "cp_neglect_share", dimension="team", key=str(built.team_a.pk)) == (1, 1)
    assert figure(built, "cp_neglect_share", dimension="team", key="") == (1, 2)
    assert figure(built, "cp_neglect_share", dimension="age_band", key="5_9") == (2, 3)
    label = SnapshotRow.objects.get(
        build=built.build,  # type: ignore[attr-defined]
        metric="cp_neglect_share",
        period_type="quarter",
        period_start=Q1,
        dimension="agency",
        dimension_key=care,
    ).dimension_label
    assert label == "Social care"


def test_plans_by_category_set_neglect_against_the_other_categories(built: Partnership) -> None:
    assert figure(built, "cp_plans_by_category", dimension="category", key="NEG") == (2, 3)
    assert figure(built, "cp_plans_by_category", dimension="category", key="EMO") == (1, 3)
    assert figure(built, "cp_plans_by_category", Q4_2025, dimension="category", key="PHY") == (
        1,
        3,
    )


def test_neglect_share_of_children_in_need_uses_primary_need_n1(built: Partnership) -> None:
    # Open at the end of Q1: c5 N1, c6 N4, c7 N1, c8 N5, c9 N1, c10 N1.
    assert figure(built, "cin_neglect_share") == (4, 6)
    assert figure(built, "cin_by_primary_need", dimension="primary_need", key="N1") == (4, 6)
    assert figure(built, "cin_by_primary_need", dimension="primary_need", key="N5") == (1, 6)


def test_re_referrals_count_only_returns_within_12_months_of_closure(built: Partnership) -> None:
    # Referrals in Q1: c1, c3, c5, c6, c7 (again), c8 (again), c9; c10's step down is not one.
    assert figure(built, "re_referrals") == (1, 7)
    # February: c3 and c7 were referred; c10's step down in February is not a referral.
    assert figure(built, "re_referrals", D(2026, 2, 1), "month") == (1, 2)


def test_steps_up_and_down_follow_consecutive_involvements(built: Partnership) -> None:
    assert figure(built, "stepped_up") == (1, None)  # c9, early help to child in need
    assert figure(built, "stepped_down") == (1, None)  # c10, protection to child in need
    assert figure(built, "stepped_up", dimension="level", key=CIN) == (1, None)
    assert figure(built, "stepped_down", D(2026, 1, 1), "month") == (0, None)


def test_concerns_are_counted_per_agency_per_month(built: Partnership) -> None:
    assert figure(built, "concerns_logged") == (3, None)
    assert figure(built, "concerns_logged", dimension="agency", key=str(built.health.pk)) == (
        2,
        None,
    )
    assert figure(built, "concerns_logged", D(2026, 2, 1), "month") == (1, None)
    assert figure(built, "concerns_logged", dimension="team", key=str(built.team_a.pk)) == (1, None)


def test_voice_of_the_child_is_a_share_of_concerns_where_the_child_was_seen(
    built: Partnership,
) -> None:
    assert figure(built, "child_voice_share") == (1, 2)


def test_early_help_counts_neglect_by_primary_need_or_a_concern(built: Partnership) -> None:
    assert figure(built, "early_help_neglect") == (2, 3)  # c11 (concern), c13 (N1); not c12
    assert figure(built, "early_help_neglect", dimension="agency", key=str(built.health.pk)) == (
        2,
        3,
    )


def test_every_period_has_a_figure_even_when_nothing_happened(built: Partnership) -> None:
    months = SnapshotRow.objects.filter(
        build=built.build,  # type: ignore[attr-defined]
        period_type="month",
        dimension="all",
    )
    assert months.values("metric").distinct().count() == len(METRICS)
    assert months.filter(metric="concerns_logged").count() == 36
    assert figure(built, "concerns_logged", D(2025, 5, 1), "month") == (0, None)


def test_gcp2s_completed_count_sign_offs_by_the_assessors_agency_and_team(
    built: Partnership,
) -> None:
    assert figure(built, "gcp2_completed") == (3, None)  # the draft is not counted
    assert figure(built, "gcp2_completed", dimension="agency", key=str(built.care.pk)) == (2, None)
    assert figure(built, "gcp2_completed", dimension="agency", key=str(built.health.pk)) == (
        1,
        None,
    )
    assert figure(built, "gcp2_completed", dimension="team", key=str(built.team_a.pk)) == (2, None)
    assert figure(built, "gcp2_completed", D(2026, 2, 1), "month") == (1, None)


def test_a_repeat_gcp2_is_compared_area_by_area_with_the_childs_previous_one(
    built: Partnership,
) -> None:
    assert figure(built, "gcp2_repeat_change") == (4, 4)  # four areas compared
    assert figure(built, "gcp2_repeat_change", key="improved", dimension="direction") == (2, 4)
    assert figure(built, "gcp2_repeat_change", key="same", dimension="direction") == (1, 4)
    assert figure(built, "gcp2_repeat_change", key="deteriorated", dimension="direction") == (1, 4)
    assert figure(
        built, "gcp2_repeat_change", key="physical:improved", dimension="area_direction"
    ) == (1, 1)
    assert figure(
        built, "gcp2_repeat_change", key="emotional:deteriorated", dimension="area_direction"
    ) == (1, 1)
    # The first assessments (c1's in January, c11's) have nothing to compare with.
    assert figure(built, "gcp2_repeat_change", D(2026, 1, 1), "month") == (0, 0)
    label = SnapshotRow.objects.get(
        build=built.build,  # type: ignore[attr-defined]
        metric="gcp2_repeat_change",
        period_type="quarter",
        period_start=Q1,
        dimension="area_direction",
        dimension_key="physical:improved",
    ).dimension_label
    assert label == "Physical care: improved"


def test_drift_flags_open_at_the_period_end_by_rule_and_how_long_open(built: Partnership) -> None:
    assert figure(built, "drift_flags_open") == (3, None)
    assert figure(built, "drift_flags_open", dimension="rule", key="CHILD_NOT_SEEN") == (2, None)
    for band in ("under_30", "30_89", "90_over"):
        assert figure(built, "drift_flags_open", dimension="open_for", key=band) == (1, None)
    # At the end of January c6's flag was still open; c2's was 16 days old.
    assert figure(built, "drift_flags_open", D(2026, 1, 1), "month") == (3, None)
    assert figure(
        built, "drift_flags_open", D(2026, 1, 1), "month", dimension="open_for", key="under_30"
    ) == (2, None)
    label = SnapshotRow.objects.get(
        build=built.build,  # type: ignore[attr-defined]
        metric="drift_flags_open",
        period_type="quarter",
        period_start=Q1,
        dimension="rule",
        dimension_key="CHILD_NOT_SEEN",
    ).dimension_label
    assert label == "Child not seen"


def test_children_seen_within_the_working_days_for_their_level(built: Partnership) -> None:
    # Open at the end of Q1: protection c1, c2, c3; in need c5 to c10.
    assert figure(built, "children_seen_in_timescale") == (4, 9)
    assert figure(built, "children_seen_in_timescale", dimension="level", key=CP) == (1, 3)
    assert figure(built, "children_seen_in_timescale", dimension="level", key=CIN) == (3, 6)


def test_children_seen_in_timescale_follows_the_partnerships_child_not_seen_settings(
    db: None, gcp2_framework: None
) -> None:
    partnership = Partnership()
    DriftRuleSetting.objects.create(code="CHILD_NOT_SEEN", thresholds={"cp_working_days": 11})
    partnership.build = snapshot_build_run(as_at=AS_AT)  # type: ignore[attr-defined]
    # 11 working days back from 31 March reach 17 March, when c2 was seen alone.
    assert figure(partnership, "children_seen_in_timescale", dimension="level", key=CP) == (2, 3)


def test_a_visit_counts_for_every_later_month_end_a_long_timescale_reaches(
    db: None, gcp2_framework: None
) -> None:
    """With 45 working days for a child in need, the end of March reaches back into January:
    c9, seen only on 29 January before April, is within timescale two month ends later."""
    partnership = Partnership()
    assert breach_boundary(D(2026, 3, 31), 45) < D(2026, 1, 29)
    factories.visit(partnership.kids[9], D(2026, 1, 29), partnership.care)
    DriftRuleSetting.objects.create(code="CHILD_NOT_SEEN", thresholds={"cin_working_days": 45})
    partnership.build = snapshot_build_run(as_at=AS_AT)  # type: ignore[attr-defined]
    march = (partnership, "children_seen_in_timescale", D(2026, 3, 1), "month", "level", CIN)
    # c5, c6 and c10 seen, c7 and c8 started within the 45 days, and c9 from January.
    assert figure(*march) == (6, 6)


def test_every_period_end_of_a_build_has_its_working_day_boundary() -> None:
    ends = period_ends({"as_at": AS_AT, "first_month": D(2025, 11, 1)})
    assert ends[:3] == [D(2025, 11, 30), D(2025, 12, 31), D(2026, 1, 31)]
    assert ends[-1] == AS_AT and len(ends) == 8


def test_the_breakdown_by_area_hides_each_small_areas_count_as_well_as_its_cells(
    built: Partnership,
) -> None:
    from reporting.metrics import METRICS_BY_CODE
    from reporting.selectors import breakdown_table

    table = breakdown_table(
        build=built.build,  # type: ignore[attr-defined]
        metric=METRICS_BY_CODE["gcp2_repeat_change"],
        period_type="quarter",
        period_start=Q1,
        dimension="area_direction",
    )
    # One row per area and direction found; each area compared once, so every count is small.
    assert [row.label for row in table.rows][:2] == [
        "Developmental care: improved",
        "Emotional care: deteriorated",
    ]
    assert len(table.rows) == 4
    assert all(row.denominator is None for row in table.rows)
    assert all(row.numerator in (None, 0) for row in table.rows)


def test_the_new_breakdowns_are_shown_and_exported_suppressed(built: Partnership) -> None:
    from django.test import Client

    client = Client()
    client.force_login(factories.practitioner(factories.agency("Partnership"), Role.EXECUTIVE))
    page = client.get(
        "/dashboards/metrics/drift_flags_open/?period_type=quarter&period=2026-01-01&breakdown=rule"
    ).content.decode()
    assert "Child not seen" in page and "Drift rule" in page
    response = client.get(
        "/dashboards/metrics/gcp2_repeat_change/export.csv?table=breakdown&period_type=quarter"
        "&period=2026-01-01&breakdown=area_direction"
    )
    rows = {row[0]: row[1:] for row in csv.reader(io.StringIO(response.content.decode())) if row}
    assert rows["Physical care: improved"] == ["[c]", "[c]", "[c]"]
