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

# --- Issue 6: dashboards, snapshot builds and the delivery plan -----------------------------
# Partnership analysts and executives only; practitioners, leads, managers and administrators
# are refused. Only analysts may start a build.


def aggregates_only(status: int = 200, anonymous: int = SIGN_IN) -> dict[str, int]:
    return {**everyone(403), "anonymous": anonymous, "analyst": status, "executive": status}


def _issue6_build(world: Any) -> Any:
    from reporting.models import BuildStatus, SnapshotBuild

    if not hasattr(world, "issue6_build"):
        world.issue6_build = SnapshotBuild.objects.create(
            status=BuildStatus.FAILED, trigger="command"
        )
    return world.issue6_build


def _issue6_action(world: Any) -> Any:
    import datetime

    from reporting.models import DeliveryAction

    if not hasattr(world, "issue6_action"):
        world.issue6_action = DeliveryAction.objects.create(
            reference="T1",
            priority="recognise",
            activity="Train every agency",
            responsible="Training lead",
            due_date=datetime.date(2027, 3, 31),
            rag_status="green",
        )
    return world.issue6_action


EXPECTED.update(
    {
        "dashboard": [("get", lambda w: "/dashboards/", aggregates_only())],
        "dashboard-csv": [("get", lambda w: "/dashboards/headlines.csv", aggregates_only(404))],
        "dashboard-report-pack": [
            ("get", lambda w: "/dashboards/report-pack.pdf", aggregates_only(404))
        ],
        "dashboard-builds": [("get", lambda w: "/dashboards/builds/", aggregates_only())],
        "dashboard-refresh": [
            (
                "post",
                lambda w: "/dashboards/builds/refresh/",
                {**aggregates_only(403), "analyst": 302},
            )
        ],
        "dashboard-build": [
            ("get", lambda w: f"/dashboards/builds/{_issue6_build(w).pk}/", aggregates_only())
        ],
        "dashboard-build-status": [
            (
                "get",
                lambda w: f"/dashboards/builds/{_issue6_build(w).pk}/status.json",
                aggregates_only(),
            )
        ],
        "dashboard-metric": [
            ("get", lambda w: "/dashboards/metrics/cp_neglect_share/", aggregates_only())
        ],
        "dashboard-metric-csv": [
            (
                "get",
                lambda w: "/dashboards/metrics/concerns_logged/export.csv",
                aggregates_only(404),
            )
        ],
        "delivery-plan": [("get", lambda w: "/delivery-plan/", aggregates_only())],
        "delivery-plan-priorities": [
            ("get", lambda w: "/delivery-plan/priorities/", aggregates_only())
        ],
        "delivery-action-new": [
            ("get", lambda w: "/delivery-plan/actions/new/", aggregates_only()),
            ("post", lambda w: "/delivery-plan/actions/new/", aggregates_only()),
        ],
        "delivery-action": [
            ("get", lambda w: f"/delivery-plan/actions/{_issue6_action(w).pk}/", aggregates_only())
        ],
        "delivery-action-edit": [
            (
                "get",
                lambda w: f"/delivery-plan/actions/{_issue6_action(w).pk}/edit/",
                aggregates_only(),
            ),
            (
                "post",
                lambda w: f"/delivery-plan/actions/{_issue6_action(w).pk}/edit/",
                aggregates_only(),
            ),
        ],
        "delivery-evidence-add": [
            (
                "post",
                lambda w: f"/delivery-plan/actions/{_issue6_action(w).pk}/evidence/",
                aggregates_only(),
            )
        ],
        "api-reporting-metrics": [
            ("get", lambda w: "/api/reporting/metrics/", aggregates_only(200, API_REFUSED))
        ],
        "api-reporting-snapshot": [
            (
                "get",
                lambda w: "/api/reporting/snapshot/?metric=cp_neglect_share",
                aggregates_only(200, API_REFUSED),
            )
        ],
        "api-reporting-delivery-plan": [
            ("get", lambda w: "/api/reporting/delivery-plan/", aggregates_only(200, API_REFUSED))
        ],
    }
)
