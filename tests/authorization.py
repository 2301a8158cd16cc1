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


# --- Issue 4: GCP2 assessments ----------------------------------------------------------------


def _gcp2(world: Any, status: str) -> int:
    """One assessment of the World's child by the health practitioner, per status, made once."""
    from tests.gcp2_factories import gcp2_assessment

    cache = world.__dict__.setdefault("gcp2_assessments", {})
    if status not in cache:
        cache[status] = gcp2_assessment(
            world.child, world.users["practitioner"], status=status, lead=world.users["lead"]
        ).pk
    return int(cache[status])


def lead_of_assessors_agency(anonymous: int = SIGN_IN, lead: int = 200) -> dict[str, int]:
    """Sign-off and return: only the lead of the assessor's agency, never the assessor."""
    return {**everyone(403), "anonymous": anonymous, "lead": lead}


def assessors_agency(status: int, anonymous: int = SIGN_IN) -> dict[str, int]:
    """Changing a draft: casework staff of the assessor's agency (health) who see the child."""
    return {**everyone(403), "anonymous": anonymous, "practitioner": status, "lead": status}


EXPECTED.update(
    {
        "gcp2-child": [
            ("get", lambda w: f"/children/{w.child.pk}/gcp2/", casework_on_known_child())
        ],
        "gcp2-family": [
            ("get", lambda w: f"/children/{w.child.pk}/gcp2/family/", casework_on_known_child())
        ],
        "gcp2-start": [
            ("get", lambda w: f"/children/{w.child.pk}/gcp2/new/", casework_on_known_child()),
            # An empty form is answered with its errors, not a new assessment.
            ("post", lambda w: f"/children/{w.child.pk}/gcp2/new/", casework_on_known_child()),
        ],
        "gcp2-assessment": [
            ("get", lambda w: f"/gcp2/{_gcp2(w, 'signed_off')}/", casework_on_known_child())
        ],
        "gcp2-edit": [
            ("get", lambda w: f"/gcp2/{_gcp2(w, 'draft')}/edit/", assessors_agency(200)),
            ("post", lambda w: f"/gcp2/{_gcp2(w, 'draft')}/edit/", assessors_agency(200)),
        ],
        "gcp2-review": [
            ("get", lambda w: f"/gcp2/{_gcp2(w, 'submitted')}/review/", lead_of_assessors_agency()),
            (
                "post",
                lambda w: f"/gcp2/{_gcp2(w, 'submitted')}/review/",
                lead_of_assessors_agency(),
            ),
        ],
        "gcp2-correct": [
            (
                "post",
                lambda w: f"/gcp2/{_gcp2(w, 'signed_off')}/correct/",
                assessors_agency(302),
            )
        ],
        "api-gcp2-child": [
            ("get", lambda w: f"/api/children/{w.child.pk}/gcp2/", casework_on_known_child(403)),
            ("post", lambda w: f"/api/children/{w.child.pk}/gcp2/", assessors_agency(400, 403)),
        ],
        "api-gcp2-compare": [
            (
                "get",
                lambda w: f"/api/children/{w.child.pk}/gcp2/compare/",
                casework_on_known_child(403),
            )
        ],
        "api-gcp2-assessment": [
            ("get", lambda w: f"/api/gcp2/{_gcp2(w, 'draft')}/", casework_on_known_child(403)),
            ("patch", lambda w: f"/api/gcp2/{_gcp2(w, 'draft')}/", assessors_agency(400, 403)),
        ],
        "api-gcp2-submit": [
            (
                "post",
                lambda w: f"/api/gcp2/{_gcp2(w, 'draft')}/submit/",
                assessors_agency(400, 403),
            )
        ],
        "api-gcp2-sign-off": [
            (
                "post",
                lambda w: f"/api/gcp2/{_gcp2(w, 'submitted')}/sign-off/",
                lead_of_assessors_agency(403),
            )
        ],
        "api-gcp2-return": [
            (
                "post",
                lambda w: f"/api/gcp2/{_gcp2(w, 'submitted')}/return/",
                lead_of_assessors_agency(403, lead=400),
            )
        ],
    }
)
CHILD_RECORD_READS += [
    "gcp2-child",
    "gcp2-family",
    "gcp2-start",
    "gcp2-assessment",
    "gcp2-edit",
    "api-gcp2-child",
    "api-gcp2-compare",
    "api-gcp2-assessment",
]
