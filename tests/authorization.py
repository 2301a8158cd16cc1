"""The authorization table: every URL pattern, and what each role gets from it.

`tests/test_authorization.py` walks the URL configuration and fails for any pattern missing
here, so a new URL is not done until it says how every role is answered. Later features add
their rows to EXPECTED. Each row is (method, path builder, expected status per role); the
path builder receives the test World so it can point at real records.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

ROLES = (
    "anonymous",
    "practitioner",
    "unrelated_practitioner",
    "lead",
    "manager",
    "analyst",
    "executive",
    "admin",
)

# Shorthands for the common shapes of answer.
SIGN_IN = 302  # a page redirects anonymous people to sign in
API_REFUSED = 403  # DRF answers anonymous session clients 403, with no redirect


def everyone(status: int) -> dict[str, int]:
    return dict.fromkeys(ROLES, status)


def signed_in(status: int, anonymous: int = SIGN_IN) -> dict[str, int]:
    return {**everyone(status), "anonymous": anonymous}


def casework_on_known_child(anonymous: int = SIGN_IN) -> dict[str, int]:
    """A child's record: only the agency that knows the child (health) may read it."""
    return {
        **everyone(403),
        "anonymous": anonymous,
        "practitioner": 200,
        "lead": 200,
    }


def casework_list(anonymous: int = SIGN_IN) -> dict[str, int]:
    """A list scoped by the policy: casework roles get 200 (scoped), others are refused."""
    return {
        **everyone(403),
        "anonymous": anonymous,
        "practitioner": 200,
        "unrelated_practitioner": 200,
        "lead": 200,
        "manager": 200,
    }


PathBuilder = Callable[[Any], str]
Row = tuple[str, PathBuilder, dict[str, int]]

EXPECTED: dict[str, list[Row]] = {
    "home": [("get", lambda w: "/", signed_in(200))],
    "healthz": [("get", lambda w: "/healthz", everyone(200))],
    "login": [("get", lambda w: "/sign-in/", {**everyone(302), "anonymous": 200})],
    "logout": [("post", lambda w: "/sign-out/", everyone(200))],
    "child-detail": [("get", lambda w: f"/children/{w.child.pk}/", casework_on_known_child())],
    "api-child-list": [("get", lambda w: "/api/children/", casework_list(API_REFUSED))],
    "api-child-detail": [
        ("get", lambda w: f"/api/children/{w.child.pk}/", casework_on_known_child(API_REFUSED))
    ],
    "api-schema": [("get", lambda w: "/api/schema/", signed_in(200, API_REFUSED))],
    "api-docs": [("get", lambda w: "/api/docs/", signed_in(200, API_REFUSED))],
}

# URLs that read one child's record: each read must write an access-log row.
CHILD_RECORD_READS = ["child-detail", "api-child-detail"]

# Django's admin site: only the administrator is staff. Checked on its index page.
ADMIN_INDEX_EXPECTED = {**everyone(302), "admin": 200}


# --- Issue 5: plans, visits, meetings, drift queue, supervision, escalation, outcomes -------


def _lead_only(anonymous: int = SIGN_IN, lead: int = 200) -> dict[str, int]:
    """Lead-only pages about the world's child: the health lead is the only lead who knows it."""
    return {**everyone(403), "anonymous": anonymous, "lead": lead}


def _leads(anonymous: int = SIGN_IN) -> dict[str, int]:
    """A lead's own scoped list: safeguarding leads and social-care managers."""
    return {**everyone(403), "anonymous": anonymous, "lead": 200, "manager": 200}


def _flag(w: Any) -> Any:
    import datetime

    from cases.models import DriftFlag

    flag, _ = DriftFlag.objects.get_or_create(
        child=w.child,
        rule_code="CHILD_NOT_SEEN",
        resolved_at=None,
        defaults={
            "severity": "high",
            "severity_rank": 0,
            "reason": "Not seen.",
            "opened_on": datetime.date(2026, 1, 5),
        },
    )
    return flag


def _plan(w: Any) -> Any:
    import datetime

    from tests import factories

    return factories.plan(w.child, "early_help", w.health, datetime.date(2026, 1, 5))


def _action(w: Any) -> Any:
    import datetime

    from tests import factories

    return factories.plan_action(_plan(w), w.health, datetime.date(2026, 2, 5))


def _concern_link(w: Any) -> Any:
    from cases.models import ConcernChild
    from tests import factories

    factories.involvement(w.child, "early_help", w.health)
    concern = factories.concern([w.child], w.users["practitioner"])
    return ConcernChild.objects.get(concern=concern, child=w.child)


EXPECTED.update(
    {
        "drift-queue": [("get", lambda w: "/drift/", _leads())],
        "drift-flag": [
            ("get", lambda w: f"/drift/flags/{_flag(w).pk}/", _lead_only()),
            ("post", lambda w: f"/drift/flags/{_flag(w).pk}/", _lead_only()),
        ],
        "concern-outcome": [
            ("get", lambda w: f"/drift/concern-outcomes/{_concern_link(w).pk}/", _lead_only()),
            ("post", lambda w: f"/drift/concern-outcomes/{_concern_link(w).pk}/", _lead_only()),
        ],
        "plan-create": [
            ("get", lambda w: f"/children/{w.child.pk}/plans/new/", casework_on_known_child()),
            ("post", lambda w: f"/children/{w.child.pk}/plans/new/", casework_on_known_child()),
        ],
        "plan-detail": [
            (
                "get",
                lambda w: f"/children/{w.child.pk}/plans/{_plan(w).pk}/",
                casework_on_known_child(),
            )
        ],
        "plan-review": [
            (
                "get",
                lambda w: f"/children/{w.child.pk}/plans/{_plan(w).pk}/review/",
                casework_on_known_child(),
            ),
            (
                "post",
                lambda w: f"/children/{w.child.pk}/plans/{_plan(w).pk}/review/",
                casework_on_known_child(),
            ),
        ],
        "plan-action-status": [
            (
                "post",
                lambda w: f"/children/{w.child.pk}/plan-actions/{_action(w).pk}/status/",
                {**casework_on_known_child(), "practitioner": 302, "lead": 302},
            )
        ],
        "visit-create": [
            ("get", lambda w: f"/children/{w.child.pk}/visits/new/", casework_on_known_child()),
            ("post", lambda w: f"/children/{w.child.pk}/visits/new/", casework_on_known_child()),
        ],
        "referral-create": [
            ("get", lambda w: f"/children/{w.child.pk}/referrals/new/", casework_on_known_child())
        ],
        "meeting-create": [
            ("get", lambda w: f"/children/{w.child.pk}/meetings/new/", casework_on_known_child())
        ],
        "supervision-create": [
            ("get", lambda w: f"/children/{w.child.pk}/supervision/new/", _lead_only()),
            ("post", lambda w: f"/children/{w.child.pk}/supervision/new/", _lead_only()),
        ],
        "level-change": [
            ("get", lambda w: f"/children/{w.child.pk}/level/", _lead_only()),
            ("post", lambda w: f"/children/{w.child.pk}/level/", _lead_only()),
        ],
    }
)
CHILD_RECORD_READS += ["plan-create", "plan-detail", "visit-create", "referral-create"]
CHILD_RECORD_READS += ["meeting-create", "plan-review"]
EXPECTED.update(
    {
        "api-drift-flags": [("get", lambda w: "/api/drift/flags/", _leads(API_REFUSED))],
        "api-drift-flag-decision": [
            (
                "post",
                lambda w: f"/api/drift/flags/{_flag(w).pk}/decision/",
                {**_lead_only(API_REFUSED), "lead": 400},
            )
        ],
        "api-concern-outcomes": [
            ("get", lambda w: "/api/concern-outcomes/", casework_list(API_REFUSED)),
            (
                "post",
                lambda w: "/api/concern-outcomes/",
                {**_leads(API_REFUSED), "lead": 400, "manager": 400},
            ),
        ],
    }
)
