"""The partnership changes a drift rule's thresholds in the admin, without a deploy."""

import pytest
from django.test import Client

from cases.codes import Role
from cases.drift.evaluation import rule_configurations
from cases.models import DriftRuleSetting
from tests.support import factories

pytestmark = pytest.mark.django_db


def test_an_administrator_changes_a_threshold_and_the_next_evaluation_uses_it() -> None:
    admin = factories.practitioner(None, Role.ADMINISTRATOR, is_staff=True, is_superuser=True)
    client = Client()
    client.force_login(admin)
    assert client.get("/admin/cases/driftrulesetting/add/").status_code == 200
    response = client.post(
        "/admin/cases/driftrulesetting/add/",
        {
            "code": "CHILD_NOT_SEEN",
            "enabled": "on",
            "thresholds": '{"cp_working_days": 5}',
            "severity": "",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    configured = {c.rule.code: c for c in rule_configurations()}["CHILD_NOT_SEEN"]
    assert configured.thresholds["cp_working_days"] == 5
    assert configured.thresholds["cin_working_days"] == 20
    assert "5 on a protection plan" in configured.reason


def test_a_threshold_that_is_not_a_whole_number_is_refused() -> None:
    setting = DriftRuleSetting(code="CHILD_NOT_SEEN", thresholds={"cp_working_days": "ten"})
    with pytest.raises(Exception, match="whole number"):
        setting.full_clean()
