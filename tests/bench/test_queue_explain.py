"""The bench's EXPLAIN of the busiest team's queue explains the statement the page runs."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from bench.drift import _explain_busiest_team
from cases.codes import AgencyType, NeedLevel, Role
from cases.drift.evaluation import drift_evaluate
from cases.models import AccessLogEntry
from tests.support import factories


@pytest.mark.django_db
def test_the_busiest_teams_queue_is_explained(capsys: pytest.CaptureFixture[str]) -> None:
    social_care = factories.agency("Children's Social Care", AgencyType.CHILDRENS_SOCIAL_CARE)
    north = factories.team(social_care, "North")
    factories.practitioner(social_care, Role.SOCIAL_CARE_MANAGER, "manager", team=north)
    child = factories.child(known_to=[social_care])
    started = timezone.localdate() - datetime.timedelta(days=90)
    factories.involvement(
        child, NeedLevel.CHILD_IN_NEED, social_care, started_on=started, team=north
    )
    drift_evaluate()
    logged_before = AccessLogEntry.objects.count()
    _explain_busiest_team()
    printed = capsys.readouterr().out
    assert "busiest team: 1 children" in printed
    assert printed.count("EXPLAIN ANALYZE, the busiest team's queue") == 2
    assert printed.count("Execution Time") == 2
    # Explained within a rolled-back transaction: the explained statement's log rows go too.
    assert AccessLogEntry.objects.count() == logged_before + 2  # the two captured page reads
