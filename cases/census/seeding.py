"""The census facts the synthetic partnership needs (a seed step): each child's authority id
and ethnicity, and each referral's primary need and the factors its completed assessment found.
Added as columns of the batch's rows before they are written, so no row is written twice."""

from __future__ import annotations

from cases.seeding import SeedBatch

# Roughly England's child population (the census's main ethnicity codes).
ETHNICITIES = (
    ("WBRI", 70),
    ("WOTH", 6),
    ("MWBC", 2),
    ("MWAS", 2),
    ("MOTH", 2),
    ("AIND", 3),
    ("APKN", 4),
    ("ABAN", 2),
    ("AOTH", 2),
    ("BAFR", 3),
    ("BCRB", 1),
    ("CHNE", 1),
    ("OOTH", 1),
    ("NOBT", 1),
)
NEEDS = (("N1", 60), ("N2", 6), ("N3", 5), ("N4", 10), ("N5", 14), ("N6", 2), ("N8", 3))
# Factors seen at assessment where neglect is the concern (never 18A/19A: the Department now
# asks for 18B/18C and 19B/19C, query rules 8945Q and 8950Q).
FACTORS = ("16A", "16A", "16A", "3B", "4B", "2B", "1B", "17A", "6B", "5B", "7A", "10A")


def seed_census_facts(batch: SeedBatch) -> None:
    rng = batch.rng
    batch.add_columns(
        "cases_child",
        ("la_child_id", "ethnicity"),
        [(f"C{child.id:08d}", _weighted(rng, ETHNICITIES)) for child in batch.children],
    )
    facts = []
    for referral in batch.rows("cases_referral"):
        completed = referral["assessment_completed_on"] is not None
        need = _weighted(rng, NEEDS)
        found = sorted(set(rng.sample(FACTORS, rng.randrange(1, 4)))) if completed else []
        facts.append((need, found))
    batch.add_columns("cases_referral", ("primary_need", "assessment_factors"), facts)


def _weighted(rng, options):  # type: ignore[no-untyped-def]
    return rng.choices([code for code, _ in options], weights=[w for _, w in options])[0]
