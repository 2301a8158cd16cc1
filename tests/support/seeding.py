"""A seeded synthetic partnership for a test module."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from typing import Any


@contextlib.contextmanager
def seeded_partnership(django_db_blocker: Any, children: int) -> Iterator[None]:
    """Seed a synthetic partnership for a test module (it commits), then empty the database.

    The GCP2 framework is data a migration loads; a flush (here, or after any transactional
    test) removes it, so it is restored before seeding or the seed would skip assessments.
    """
    from django.core.management import call_command

    from tests.support.gcp2_factories import ensure_gcp2_framework

    with django_db_blocker.unblock():
        ensure_gcp2_framework()
        call_command("seed_partnership", children=children, no_progress=True)
    try:
        yield
    finally:
        with django_db_blocker.unblock():
            call_command("flush", interactive=False)
