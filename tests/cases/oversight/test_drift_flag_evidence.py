"""Each flag's page shows the records behind it: concerns, visits, actions, referrals, meetings."""

from __future__ import annotations

import datetime

import pytest
from django.test import Client
from django.utils import timezone

from cases.codes import AgencyType, MeetingKind, NeedLevel, Role
from cases.drift.evaluation import drift_evaluate
from cases.models import DriftFlag
from tests.support import factories

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()
DAY = datetime.timedelta(days=1)


def test_every_kind_of_evidence_is_shown_on_the_flags_page() -> None:
    social_care = factories.agency("Social Care", AgencyType.CHILDRENS_SOCIAL_CARE)
    lead = factories.practitioner(social_care, Role.SOCIAL_CARE_MANAGER)
    child = factories.child(known_to=[social_care])
    factories.involvement(
        child, NeedLevel.CHILD_PROTECTION, social_care, TODAY - 200 * DAY, protection_category="NEG"
    )
    for days in (10, 20, 30):
        factories.concern_observed([child], lead, observed_on=TODAY - days * DAY)
    factories.visit(child, TODAY - 60 * DAY, social_care, child_voice="")
    plan = factories.plan(child, NeedLevel.CHILD_PROTECTION, social_care, TODAY - 200 * DAY)
    factories.plan_action(plan, social_care, TODAY - 5 * DAY)
    factories.referral(child, TODAY - 10 * DAY)
    factories.meeting(child, MeetingKind.INITIAL_CONFERENCE, TODAY - 200 * DAY)
    drift_evaluate()
    expected = {
        "CUMULATIVE_CONCERNS": "Concerns logged",
        "CHILD_NOT_SEEN": "Latest visits and contacts",
        "PLAN_ACTIONS_OVERDUE": "Overdue plan actions",
        "REFERRAL_DECISION_LATE": "Referrals",
        "FIRST_CORE_GROUP_LATE": "Strategy discussions, conferences and core groups",
        "NO_LEAD_PROFESSIONAL": "with no lead professional allocated",
    }
    client = Client()
    client.force_login(lead)
    for code, caption in expected.items():
        flag = DriftFlag.objects.get(child=child, rule_code=code)
        page = client.get(f"/drift/flags/{flag.pk}/").content.decode()
        assert caption in page, code
        assert flag.reason.replace("'", "&#x27;") in page, code
