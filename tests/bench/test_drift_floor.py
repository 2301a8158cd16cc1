"""The drift evaluation's floor must read every table the rules read, or its ratio flatters."""

from __future__ import annotations

import datetime
import re

import pytest
from django.db import connection

from bench.drift import SOURCE_COLUMNS, sequential_read_seconds
from cases.drift import DriftContext, drift_rules
from cases.drift.queue import _COMPUTED as QUEUE_ROWS_SQL
from cases.models import Child

TABLE = re.compile(r'\b(?:FROM|JOIN)\s+"?((?:cases|assessments|learning)_[a-z_]+)"?')
# What the evaluation writes: its output, not its evidence.
WRITTEN = {"cases_driftflag", "cases_driftqueueentry"}


def tables_read(sql: str) -> set[str]:
    return set(TABLE.findall(sql)) - WRITTEN


@pytest.mark.django_db
def test_the_floor_reads_every_table_a_rule_reads() -> None:
    rules = drift_rules()
    assert len(rules) >= 14, "fewer rules registered than the evaluation runs"
    for rule in rules:
        context = DriftContext(
            as_of=datetime.date(2026, 3, 2),
            thresholds=rule.default_thresholds,
            children=Child.objects.all(),
        )
        sql, _params = rule.matching_children(context).query.sql_with_params()
        read = tables_read(sql)
        assert "cases_child" in read, f"{rule.code}: the pattern found no tables"
        assert read <= set(SOURCE_COLUMNS), f"{rule.code} reads {read - set(SOURCE_COLUMNS)}"


def test_the_floor_reads_every_table_the_queue_rows_are_built_from() -> None:
    assert tables_read(QUEUE_ROWS_SQL) <= set(SOURCE_COLUMNS)


def test_a_table_missing_from_the_floor_is_caught() -> None:
    assert not tables_read('SELECT 1 FROM "cases_secretnotes" JOIN cases_child') <= set(
        SOURCE_COLUMNS
    )


@pytest.mark.django_db
def test_the_floor_reads_columns_that_exist() -> None:
    with connection.cursor() as cursor:
        assert sequential_read_seconds(cursor.cursor) >= 0
