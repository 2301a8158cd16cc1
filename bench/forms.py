"""The concern form's answers as the benchmarks post them: the practitioner bench, the load test
and the concern form's statement-count test send the same concern."""

from __future__ import annotations

import datetime


def concern_form(children: list[int], observed_on: datetime.date) -> dict[str, object]:
    """A medium concern about `children` (the first is the one seen), without its submission key."""
    return {
        "children": [str(child) for child in children],
        "neglect_types": ["physical", "nutritional"],
        "what_was_seen": "Home cold; little food in the kitchen.",
        "severity": "medium",
        "observed_on-day": str(observed_on.day),
        "observed_on-month": str(observed_on.month),
        "observed_on-year": str(observed_on.year),
        "place_observed": "At home",
        "child_seen": "yes",
        "child_seen_alone": "no",
        "child_spoken_to": "yes",
        "child_voice": "I was cold.",
        "actions_taken": ["advice"],
        "consent_to_share": "given",
        "sharing_reason": "",
    }
