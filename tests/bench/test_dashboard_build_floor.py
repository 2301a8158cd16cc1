"""The dashboard build's floor must read every table the metrics read, or its ratio flatters."""

from __future__ import annotations

import re

import pytest

from bench.reporting import SOURCE_COLUMNS, sequential_read_seconds
from reporting.metrics import DIMENSIONS, METRICS

TABLE = re.compile(r"\b(?:FROM|JOIN)\s+((?:cases|assessments|learning)_[a-z_]+)")


def test_the_floor_reads_every_table_a_metric_reads() -> None:
    sql = [metric.facts for metric in METRICS] + [d.label_sql for d in DIMENSIONS.values()]
    read_by_metrics = {table for text in sql for table in TABLE.findall(text)}
    assert read_by_metrics, "the pattern found no tables: the metrics' SQL has changed shape"
    assert read_by_metrics <= set(SOURCE_COLUMNS)


@pytest.mark.django_db
def test_the_floor_reads_columns_that_exist() -> None:
    assert sequential_read_seconds() >= 0
