"""The demo seed adds a small delivery plan once, so a new installation shows one."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from reporting.models import DeliveryAction, DeliveryEvidence, Priority


@pytest.mark.django_db
def test_seeding_adds_a_demo_delivery_plan_once_across_batches() -> None:
    call_command("seed_partnership", children=2001, no_progress=True)  # two batches
    assert DeliveryAction.objects.count() == 6
    assert set(DeliveryAction.objects.values_list("priority", flat=True)) == set(Priority.values)
    assert DeliveryEvidence.objects.exists()
    assert all(action.history.exists() for action in DeliveryAction.objects.all())
