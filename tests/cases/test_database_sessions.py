"""The application's database sessions: settings every connection starts with."""

from __future__ import annotations

import pytest
from django.db import connection

pytestmark = pytest.mark.django_db


def test_sessions_run_without_jit() -> None:
    # JIT compiling cost 30-40 ms a query and doubled the drift evaluation (settings.py).
    with connection.cursor() as cursor:
        cursor.execute("SHOW jit")
        assert cursor.fetchone() == ("off",)


def test_the_bench_baselines_run_without_jit_too() -> None:
    from django.conf import settings

    from bench.harness import connect_to

    bench = connect_to(str(settings.DATABASES["default"]["NAME"]))
    try:
        with bench.cursor() as cursor:
            cursor.execute("SHOW jit")
            assert cursor.fetchone() == ("off",)
    finally:
        bench.close()
