"""How the seed writes: COPY values, the writer thread, foreign keys checked in bulk, and the
same partnership from the same seed."""

import datetime
from collections.abc import Iterator
from typing import Any

import pytest
from django.core.management import call_command
from django.db import IntegrityError, connection, transaction

from cases.models import Adult, Child, ChronologyEntry, Concern, Family, Involvement
from cases.seeding import SeedBatch, copy_rows, seeding_session
from tests.support import factories

pytestmark = pytest.mark.django_db
MOVED_IN = datetime.date(2020, 1, 1)


def test_copy_rows_keeps_null_apart_from_the_empty_string_and_writes_arrays() -> None:
    family = factories.family()
    columns = ("family_id", "first_name", "last_name", "date_of_birth", "sex", "risk_factors")
    copy_rows(
        "cases_adult",
        columns,
        [
            (family.pk, "", 'O"Brien, Jo', None, "F", ["3B", "2B"]),
            (family.pk, "Al", "", None, "M", []),
        ],
    )
    adults = list(Adult.objects.filter(family=family).order_by("first_name"))
    assert [(a.first_name, a.last_name, a.date_of_birth) for a in adults] == [
        ("", 'O"Brien, Jo', None),
        ("Al", "", None),
    ]
    assert [a.risk_factors for a in adults] == [["3B", "2B"], []]


def test_copy_rows_refuses_a_nullable_text_column() -> None:
    with pytest.raises(ValueError, match="submission_key"):
        copy_rows("cases_chronologyentry", ("submission_key",), [(None,)])


def test_a_session_reads_what_it_has_queued_and_checks_foreign_keys_at_the_end() -> None:
    family = factories.family()
    with transaction.atomic(), seeding_session():
        copy_rows(
            "cases_address",
            ("family_id", "line_1", "line_2", "town", "postcode", "moved_in"),
            [(family.pk, "1 Elm Grove", "", "Northbridge", "NT1 4AB", MOVED_IN)],
        )
        # A query naming a table with rows still queued waits for them.
        assert family.addresses.count() == 1  # type: ignore[attr-defined]
    with connection.cursor() as cursor:  # the foreign keys are back
        cursor.execute(
            "SELECT count(*) FROM pg_constraint WHERE contype = 'f' "
            "AND conrelid = 'cases_address'::regclass"
        )
        assert cursor.fetchone()[0] >= 1  # type: ignore[index]


def test_a_row_breaking_a_foreign_key_fails_the_whole_session() -> None:
    family = factories.family()
    missing = Family.objects.order_by("-pk").values_list("pk", flat=True)[0] + 1000
    with pytest.raises(IntegrityError), transaction.atomic(), seeding_session():
        copy_rows(
            "cases_address",
            ("family_id", "line_1", "line_2", "town", "postcode", "moved_in"),
            [(family.pk, "1 Elm Grove", "", "Northbridge", "NT1 4AB", MOVED_IN)],
        )
        copy_rows(
            "cases_address",
            ("family_id", "line_1", "line_2", "town", "postcode", "moved_in"),
            [(missing, "2 Elm Grove", "", "Northbridge", "NT1 4AB", MOVED_IN)],
        )
    assert not family.addresses.exists()  # type: ignore[attr-defined]


def _fingerprint() -> tuple[list[Any], ...]:
    """What the seed made, without ids or timestamps."""
    return (
        list(
            Child.objects.order_by("pk").values_list(
                "first_name", "last_name", "date_of_birth", "nhs_number", "upn", "ethnicity"
            )
        ),
        list(Involvement.objects.order_by("pk").values_list("level", "started_on", "ended_on")),
        list(
            ChronologyEntry.objects.order_by("pk").values_list(
                "occurred_on", "event_type", "significance"
            )
        ),
        list(
            Concern.objects.order_by("pk").values_list("severity", "observed_on", "neglect_types")
        ),
    )


@pytest.fixture
def empty_after(django_db_blocker: Any) -> Iterator[None]:
    yield
    with django_db_blocker.unblock():
        call_command("flush", interactive=False)


@pytest.mark.django_db(transaction=True)
def test_the_same_seed_makes_the_same_partnership(empty_after: None) -> None:
    from tests.support.gcp2_factories import ensure_gcp2_framework

    made = []
    for _ in range(2):
        # A fresh database each time: flush restarts the id sequences too (UPNs are made from
        # the child's id, so that each is the child's alone).
        call_command("flush", interactive=False)
        ensure_gcp2_framework()
        call_command("seed_partnership", children=150, seed=7, no_progress=True)
        made.append(_fingerprint())
    assert made[0] == made[1]
    assert len(made[0][0]) == 150


def test_a_later_step_adds_columns_to_rows_the_batch_still_holds() -> None:
    import random

    family = factories.family()
    batch = SeedBatch(children=[], rng=random.Random(1), today=MOVED_IN)
    columns = ("family_id", "line_1", "line_2", "town", "postcode")
    batch.copy_rows(
        "cases_address", columns, [(family.pk, "1 Elm Grove", "", "Westmoor", "NT1 4AB")]
    )
    batch.copy_rows(
        "cases_address", columns, [(family.pk, "2 Elm Grove", "", "Westmoor", "NT1 4AB")]
    )
    assert [row["line_1"] for row in batch.rows("cases_address")] == ["1 Elm Grove", "2 Elm Grove"]
    assert not family.addresses.exists()  # type: ignore[attr-defined]  # held, not written
    batch.add_columns("cases_address", ("moved_in",), [(MOVED_IN,), (MOVED_IN,)])
    batch.write()
    assert set(family.addresses.values_list("line_1", "moved_in")) == {  # type: ignore[attr-defined]
        ("1 Elm Grove", MOVED_IN),
        ("2 Elm Grove", MOVED_IN),
    }


def test_a_batch_writes_each_table_once_no_later_step_reads_it(monkeypatch: Any) -> None:
    """Rows go to the writer as soon as no later step reads them; a table a later step reads
    (or extends) is held until that step has run."""
    import random

    from cases import seeding

    family = factories.family()
    adult_columns = ("family_id", "first_name", "last_name", "sex", "risk_factors")
    address_columns = ("family_id", "line_1", "line_2", "town", "postcode", "moved_in")
    seen: dict[str, Any] = {}

    def makes_rows(batch: SeedBatch) -> None:
        batch.copy_rows("cases_adult", adult_columns, [(family.pk, "Sam", "Grey", "U", [])])
        batch.copy_rows(
            "cases_address",
            address_columns,
            [(family.pk, "1 Elm", "", "Westmoor", "NT1", MOVED_IN)],
        )

    def reads_addresses(batch: SeedBatch) -> None:
        seen["adults written"] = family.adults.count()  # type: ignore[attr-defined]
        seen["addresses written"] = family.addresses.count()  # type: ignore[attr-defined]
        seen["addresses held"] = [row["line_1"] for row in batch.rows("cases_address")]

    monkeypatch.setattr(seeding, "_seed_steps", {})
    seeding.register_seed_step(makes_rows)
    seeding.register_seed_step(reads_addresses, reads=("cases_address",))
    batch = SeedBatch(children=[], rng=random.Random(1), today=MOVED_IN)
    seeding.seed_batch_complete(batch)
    assert seen == {"adults written": 1, "addresses written": 0, "addresses held": ["1 Elm"]}
    assert family.addresses.count() == 1  # type: ignore[attr-defined]
    assert batch.pending == {}


def test_a_batch_shares_what_it_made_once_with_the_seed_s_later_batches() -> None:
    import random

    shared: dict[str, Any] = {}
    made: list[int] = []

    def make() -> int:
        made.append(42)
        return 42

    for number in range(3):
        batch = SeedBatch(
            children=[], rng=random.Random(1), today=MOVED_IN, number=number, shared=shared
        )
        assert batch.once("answer", make) == 42
    assert made == [42]
