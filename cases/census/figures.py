"""The official figures an imported census holds, as at its reference date (31 March): what the
census comparison page (reporting) sets beside the tracker's own figures for the same year.

Each figure is defined once here, in words and for the file; reporting computes the tracker's side
with the same definition over the tracker's records (or, where the metrics catalogue has the
figure, with the catalogue's own query), so the two columns count the same thing.
"""

from __future__ import annotations

import datetime
from collections import Counter
from typing import Any

from cases.census.layout import CensusChild, census_period

# Counts over the collection year (1 April to 31 March) or on its last day, in page order.
COUNTS = {
    "referrals": "Referrals to children's social care received in the year",
    "assessments_completed": "Assessments completed in the year",
    "section47_enquiries": "Section 47 enquiries (strategy discussions) started in the year",
    "initial_conferences": "Initial child protection conferences held in the year",
    "protection_plans_started": "Child protection plans started in the year",
    "in_need_at_end": "Children in need on the last day of the year (an episode open)",
}
# Breakdowns on the last day of the year, each the same as a catalogue metric's.
BREAKDOWNS = {
    "protection_by_category": "Children on a child protection plan, by category",
    "in_need_by_primary_need": "Children in need not on a protection plan, by primary need",
}


class CensusFigures:
    """Adds the file's children up, a child at a time, as the import reads them."""

    def __init__(self, year: int) -> None:
        self.year = year
        self.start, self.end = census_period(year)
        self.counts: Counter[str] = Counter(dict.fromkeys(COUNTS, 0))
        self.protection: Counter[str] = Counter()
        self.need: Counter[str] = Counter()

    def _in_year(self, day: datetime.date | None) -> bool:
        return day is not None and self.start <= day <= self.end

    def add(self, child: CensusChild) -> None:
        open_plan = ""
        open_need: str | None = None
        for episode in child.episodes:
            self.counts["referrals"] += self._in_year(episode.referral_date)
            for assessment in episode.assessments:
                self.counts["assessments_completed"] += self._in_year(assessment.authorised_on)
            for enquiry in episode.section47s:
                self.counts["section47_enquiries"] += self._in_year(enquiry.started_on)
                self.counts["initial_conferences"] += self._in_year(enquiry.conference_on)
            for plan in episode.protection_plans:
                self.counts["protection_plans_started"] += self._in_year(plan.started_on)
                if plan.ended_on is None:
                    open_plan = plan.latest_category or plan.initial_category
            if episode.closed_on is None and not episode.no_further_action:
                open_need = episode.primary_need
        if open_need is not None:
            self.counts["in_need_at_end"] += 1
        if open_plan:
            self.protection[open_plan] += 1
        elif open_need is not None:
            self.need[open_need] += 1

    def as_dict(self) -> dict[str, Any]:
        return {
            "period_start": self.start.isoformat(),
            "reference_date": self.end.isoformat(),
            "counts": dict(self.counts),
            "protection_by_category": dict(sorted(self.protection.items())),
            "in_need_by_primary_need": dict(sorted(self.need.items())),
        }
