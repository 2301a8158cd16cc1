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
    "information_governance",
    "business_manager",
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


def delivery_plan_only(status: int = 200) -> dict[str, int]:
    """The delivery plan's pages: analysts and executives, and the business manager who takes
    case audits' learning actions into it (issue 14)."""
    return {**aggregates_only(status), "business_manager": status}


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


# --- Issue 3: find a child, log a concern, the multi-agency chronology ---------------------


def _world_concern(world: Any) -> int:
    """A concern about the World's child, logged once by its health practitioner."""
    from cases.casework.concerns import concern_log
    from cases.models import Concern

    existing = Concern.objects.filter(submission_key="authorization-table").first()
    if existing is not None:
        return existing.pk
    return concern_log(
        author=world.users["practitioner"],
        children=[world.child],
        neglect_types=["physical"],
        what_was_seen="No heating in the home in December.",
        severity="medium",
        observed_on=world.child.date_of_birth.replace(year=2024),
        child_seen=True,
        actions_taken=["advice"],
        consent_to_share="given",
        submission_key="authorization-table",
    ).pk


def _world_grant(world: Any) -> int:
    """A break-glass grant the school's practitioner holds on the World's child."""
    import datetime

    from django.utils import timezone

    from cases.models import AccessGrant

    grant, _ = AccessGrant.objects.get_or_create(
        practitioner=world.users["unrelated_practitioner"],
        child=world.child,
        defaults={
            "reason": "Authorization table",
            "expires_at": timezone.now() + datetime.timedelta(hours=1),
        },
    )
    return grant.pk


def child_leads_only(anonymous: int = SIGN_IN) -> dict[str, int]:
    """Only a lead of an agency that knows the child may review (then is sent home)."""
    return {**everyone(403), "anonymous": anonymous, "lead": 302}


def break_glass_request() -> dict[str, int]:
    """Who already sees the child is sent to the record; other casework roles may ask."""
    return {
        **casework_list(),
        "practitioner": 302,
        "lead": 302,
    }


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
        "delivery-plan": [("get", lambda w: "/delivery-plan/", delivery_plan_only())],
        "delivery-plan-priorities": [
            ("get", lambda w: "/delivery-plan/priorities/", aggregates_only())
        ],
        "delivery-action-new": [
            ("get", lambda w: "/delivery-plan/actions/new/", delivery_plan_only()),
            ("post", lambda w: "/delivery-plan/actions/new/", delivery_plan_only()),
        ],
        "delivery-action": [
            (
                "get",
                lambda w: f"/delivery-plan/actions/{_issue6_action(w).pk}/",
                delivery_plan_only(),
            )
        ],
        "delivery-action-edit": [
            (
                "get",
                lambda w: f"/delivery-plan/actions/{_issue6_action(w).pk}/edit/",
                delivery_plan_only(),
            ),
            (
                "post",
                lambda w: f"/delivery-plan/actions/{_issue6_action(w).pk}/edit/",
                delivery_plan_only(),
            ),
        ],
        "delivery-evidence-add": [
            (
                "post",
                lambda w: f"/delivery-plan/actions/{_issue6_action(w).pk}/evidence/",
                delivery_plan_only(),
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

EXPECTED.update(
    {
        # A search is a POST (identifiers never in a URL); an empty one shows its errors.
        "child-search": [
            ("get", lambda w: "/children/search/", casework_list()),
            ("post", lambda w: "/children/search/", casework_list()),
        ],
        "child-register": [("get", lambda w: "/children/new/", casework_list())],
        "access-request": [
            ("get", lambda w: f"/children/{w.child.pk}/request-access/", break_glass_request())
        ],
        "access-grant-review": [
            ("post", lambda w: f"/access-grants/{_world_grant(w)}/review/", child_leads_only())
        ],
        "concern-new": [
            ("get", lambda w: f"/children/{w.child.pk}/concerns/new/", casework_on_known_child())
        ],
        "concern-detail": [
            ("get", lambda w: f"/concerns/{_world_concern(w)}/", casework_on_known_child())
        ],
        # An empty amendment: the form answers with its errors for those who may amend.
        "concern-amend": [
            (
                "post",
                lambda w: f"/concerns/{_world_concern(w)}/amendments/",
                casework_on_known_child(),
            )
        ],
        "chronology-entry-new": [
            (
                "get",
                lambda w: f"/children/{w.child.pk}/chronology/new/",
                casework_on_known_child(),
            )
        ],
        "chronology-csv": [
            ("get", lambda w: f"/children/{w.child.pk}/chronology.csv", casework_on_known_child())
        ],
        "chronology-pdf": [
            ("get", lambda w: f"/children/{w.child.pk}/chronology.pdf", casework_on_known_child())
        ],
    }
)
CHILD_RECORD_READS += [
    "concern-new",
    "concern-detail",
    "chronology-entry-new",
    "chronology-csv",
    "chronology-pdf",
]


def casework_post_with_errors(everyone_casework: bool) -> dict[str, int]:
    """An empty POST: 400 with field errors for those allowed, 403 for everyone else."""
    allowed = (
        ["practitioner", "unrelated_practitioner", "lead", "manager"]
        if everyone_casework
        else ["practitioner", "lead"]
    )
    return {**everyone(403), **dict.fromkeys(allowed, 400)}


EXPECTED.update(
    {
        "api-child-search": [
            ("post", lambda w: "/api/children/search/", casework_post_with_errors(True))
        ],
        "api-child-chronology": [
            (
                "get",
                lambda w: f"/api/children/{w.child.pk}/chronology/",
                casework_on_known_child(API_REFUSED),
            ),
            (
                "post",
                lambda w: f"/api/children/{w.child.pk}/chronology/",
                casework_post_with_errors(everyone_casework=False),
            ),
        ],
        "api-family-chronology": [
            (
                "get",
                lambda w: f"/api/families/{w.child.family_id}/chronology/",
                casework_on_known_child(API_REFUSED),
            )
        ],
        "api-concerns": [
            ("get", lambda w: "/api/concerns/", casework_list(API_REFUSED)),
            ("post", lambda w: "/api/concerns/", casework_post_with_errors(everyone_casework=True)),
        ],
    }
)
CHILD_RECORD_READS += ["api-child-chronology", "api-family-chronology"]


# --- Issue 4: GCP2 assessments ----------------------------------------------------------------


def _gcp2(world: Any, status: str) -> int:
    """One assessment of the World's child by the health practitioner, per status, made once."""
    from tests.support.gcp2_factories import gcp2_assessment

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

# --- Issue 5: plans, visits, meetings, drift queue, supervision, escalation, outcomes -------


def _lead_only(anonymous: int = SIGN_IN, lead: int = 200) -> dict[str, int]:
    """Lead-only pages about the world's child: the health lead is the only lead who knows it."""
    return {**everyone(403), "anonymous": anonymous, "lead": lead}


def _leads(anonymous: int = SIGN_IN) -> dict[str, int]:
    """A lead's own scoped list: safeguarding leads and social-care managers."""
    return {**everyone(403), "anonymous": anonymous, "lead": 200, "manager": 200}


def _csc_manager(anonymous: int = SIGN_IN, manager: int = 200) -> dict[str, int]:
    return {**everyone(403), "anonymous": anonymous, "manager": manager}


def _known_to_csc(w: Any) -> int:
    from cases.models import LegitimateRelationship

    LegitimateRelationship.objects.get_or_create(
        child=w.child, agency=w.social_care, defaults={"basis": "allocation"}
    )
    return int(w.child.pk)


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

    from tests.support import factories

    return factories.plan(w.child, "early_help", w.health, datetime.date(2026, 1, 5))


def _action(w: Any) -> Any:
    import datetime

    from tests.support import factories

    return factories.plan_action(_plan(w), w.health, datetime.date(2026, 2, 5))


def _concern_link(w: Any) -> Any:
    from cases.models import ConcernChild
    from tests.support import factories

    factories.involvement(w.child, "early_help", w.health)
    concern = factories.concern_observed([w.child], w.users["practitioner"])
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
        # Children's social care records referrals and meetings: once it knows the child, the
        # manager may; health, which knows the child too, may not.
        "referral-create": [
            ("get", lambda w: f"/children/{_known_to_csc(w)}/referrals/new/", _csc_manager())
        ],
        "meeting-create": [
            ("get", lambda w: f"/children/{_known_to_csc(w)}/meetings/new/", _csc_manager())
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
CHILD_RECORD_READS += ["plan-create", "plan-detail", "visit-create", "plan-review"]
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

# --- Issue 11: the information governance officer's pages and "who has seen this record" -----
# The officer reads the log and its alerts (and nothing with case content, which every row
# above refuses them); only a lead of an agency with a relationship sees who read a child.


def information_governance_only(anonymous: int = SIGN_IN) -> dict[str, int]:
    return {**everyone(403), "anonymous": anonymous, "information_governance": 200}


# --- Issue 11: accounts, the second factor and re-authentication ---------------------------
# Administrators manage accounts; leads confirm and reset the factors of their own agency's.


def _account(world: Any, confirmed: bool) -> int:
    """A health practitioner account: confirmed, or waiting for a health lead's confirmation."""
    from cases.models import Practitioner

    username = "issue11-confirmed" if confirmed else "issue11-pending"
    account = Practitioner.objects.filter(username=username).first()
    if account is None:
        from tests.support import factories

        account = factories.practitioner(world.health, username=username)
        if not confirmed:
            account.confirmed_for_agency = None
            account.save()
    return account.pk


def _inactive_account(world: Any) -> int:
    from cases.models import Practitioner

    Practitioner.objects.filter(pk=_account(world, True)).update(is_active=False)
    return _account(world, True)


def _administrators(status: int) -> dict[str, int]:
    return {**everyone(403), "anonymous": SIGN_IN, "admin": status}


# --- Issue 10: who decides what: challenges and step-up requests --------------------------


def _held_by_csc(w: Any) -> int:
    """The world's child with its case held by children's social care (which then knows it)."""
    from django.utils import timezone

    from cases.models import Involvement
    from tests.support import factories

    open_cases = Involvement.objects.filter(child=w.child, ended_on__isnull=True)
    if not open_cases.filter(lead_agency=w.social_care).exists():
        # Another row may have opened the case elsewhere (the hostile-input walk shares a world).
        open_cases.update(ended_on=timezone.localdate())
        factories.involvement(w.child, "child_in_need", w.social_care)
    return _known_to_csc(w)


def _challenge(w: Any) -> int:
    """A challenge from the health lead to children's social care, which holds the case."""
    import datetime

    from django.utils import timezone

    from cases.oversight.services import challenge_raise

    _held_by_csc(w)
    return challenge_raise(
        child=w.child,
        raised_by=w.users["lead"],
        reason="Not seen for seven weeks.",
        asked_for="A visit this week.",
        answer_by=timezone.localdate() + datetime.timedelta(days=10),
        submission_key="authz-challenge",
    ).pk


def _step_up(w: Any) -> int:
    """A request from the health lead asking children's social care to step the case up."""
    from cases.models import Involvement
    from cases.oversight.services import step_up_request

    # Ask for a level above the child's (another row may already have opened child in need).
    in_need = Involvement.objects.filter(
        child=w.child, ended_on__isnull=True, level="child_in_need"
    ).exists()
    return step_up_request(
        child=w.child,
        requested_by=w.users["lead"],
        to_level="child_protection" if in_need else "child_in_need",
        reasons="Three concerns this month.",
        submission_key="authz-step-up",
    ).pk


def _raiser_and_holder(
    anonymous: int = SIGN_IN, lead: int = 200, manager: int = 200
) -> dict[str, int]:
    """A challenge or request: the health lead raised it, the social-care manager answers it."""
    return {**everyone(403), "anonymous": anonymous, "lead": lead, "manager": manager}


EXPECTED.update(
    {
        "audit-access-log": [
            ("get", lambda w: "/audit/access-log/", information_governance_only())
        ],
        "audit-access-log-csv": [
            ("get", lambda w: "/audit/access-log.csv", information_governance_only())
        ],
        "audit-alerts": [("get", lambda w: "/audit/alerts/", information_governance_only())],
        "child-access-log": [
            ("get", lambda w: f"/children/{w.child.pk}/access-log/", _lead_only())
        ],
        # Everyone in the table has an authenticator already: enrolment sends them to the code.
        "second-factor-enrol": [("get", lambda w: "/sign-in/set-up-second-factor/", everyone(302))],
        "second-factor-verify": [("get", lambda w: "/sign-in/second-factor/", signed_in(200))],
        "reauthenticate": [("get", lambda w: "/sign-in/confirm-it-is-you/", signed_in(200))],
        "signed-out": [("get", lambda w: "/signed-out/?reason=idle", everyone(200))],
        "account-list": [("get", lambda w: "/accounts/?q=pat", _administrators(200))],
        "account-create": [
            ("get", lambda w: "/accounts/new/", _administrators(200)),
            ("post", lambda w: "/accounts/new/", _administrators(200)),
        ],
        "account-detail": [
            ("get", lambda w: f"/accounts/{_account(w, True)}/", _administrators(200))
        ],
        "account-change": [
            ("get", lambda w: f"/accounts/{_account(w, True)}/change/", _administrators(200))
        ],
        "account-deactivate": [
            ("post", lambda w: f"/accounts/{_account(w, True)}/deactivate/", _administrators(302))
        ],
        "account-reactivate": [
            (
                "post",
                lambda w: f"/accounts/{_inactive_account(w)}/reactivate/",
                _administrators(302),
            )
        ],
        "second-factor-reset": [
            (
                "post",
                lambda w: f"/accounts/{_account(w, True)}/reset-second-factor/",
                {**_administrators(302), "lead": 302},
            )
        ],
        "agency-accounts": [("get", lambda w: "/agency-accounts/", _leads())],
        "account-confirm": [
            (
                "post",
                lambda w: f"/agency-accounts/{_account(w, False)}/confirm/",
                {**everyone(403), "anonymous": SIGN_IN, "lead": 302},
            )
        ],
        "account-reject": [
            (
                "post",
                lambda w: f"/agency-accounts/{_account(w, False)}/reject/",
                {**everyone(403), "anonymous": SIGN_IN, "lead": 302},
            )
        ],
        "challenges": [("get", lambda w: "/drift/challenges/", _leads())],
        "concerns-awaiting": [("get", lambda w: "/drift/concerns/", _leads())],
        "concerns-mine": [("get", lambda w: "/concerns/mine/", casework_list())],
        "challenge-create": [
            # The health lead may challenge; the manager's agency holds the case, so may not.
            ("get", lambda w: f"/children/{_held_by_csc(w)}/challenges/new/", _lead_only()),
            ("post", lambda w: f"/children/{_held_by_csc(w)}/challenges/new/", _lead_only()),
        ],
        "challenge-detail": [
            ("get", lambda w: f"/drift/challenges/{_challenge(w)}/", _raiser_and_holder()),
            # Only the case-holding agency answers (an empty answer: the form comes back).
            (
                "post",
                lambda w: f"/drift/challenges/{_challenge(w)}/",
                _raiser_and_holder(lead=403),
            ),
        ],
        "step-up-request-create": [
            # Other agencies request; children's social care steps a case up itself.
            ("get", lambda w: f"/children/{w.child.pk}/step-up-requests/new/", _lead_only()),
            ("post", lambda w: f"/children/{w.child.pk}/step-up-requests/new/", _lead_only()),
        ],
        "step-up-request-detail": [
            ("get", lambda w: f"/drift/step-up-requests/{_step_up(w)}/", _raiser_and_holder()),
            (
                "post",
                lambda w: f"/drift/step-up-requests/{_step_up(w)}/",
                _raiser_and_holder(lead=403),
            ),
        ],
    }
)

EXPECTED.update(
    {
        "api-challenges": [
            ("get", lambda w: "/api/challenges/", _leads(API_REFUSED)),
            # An empty challenge: both leads reach the service's checks and get field errors.
            (
                "post",
                lambda w: "/api/challenges/",
                {**_leads(API_REFUSED), "lead": 400, "manager": 400},
            ),
        ],
        "api-challenge-answer": [
            (
                "post",
                lambda w: f"/api/challenges/{_challenge(w)}/answer/",
                _raiser_and_holder(API_REFUSED, lead=403, manager=400),
            )
        ],
        "api-step-up-requests": [
            ("get", lambda w: "/api/step-up-requests/", _leads(API_REFUSED)),
            # Children's social care does not ask itself.
            (
                "post",
                lambda w: "/api/step-up-requests/",
                {**_leads(API_REFUSED), "lead": 400, "manager": 403},
            ),
        ],
        "api-step-up-decision": [
            (
                "post",
                lambda w: f"/api/step-up-requests/{_step_up(w)}/decision/",
                _raiser_and_holder(API_REFUSED, lead=403, manager=400),
            )
        ],
    }
)


# --- Issue 13: the children in need census (social-care managers only: the file names children)
def _census_managers(status: int) -> dict[str, int]:
    return {**everyone(403), "anonymous": SIGN_IN, "manager": status}


def _census_job(w: Any) -> int:
    from cases.models import CensusJob, CensusJobKind

    job, _ = CensusJob.objects.get_or_create(
        kind=CensusJobKind.EXPORT,
        collection_year=2027,
        file_name="authorization.xml",
        defaults={"requested_by": w.users["manager"]},
    )
    return job.pk


EXPECTED.update(
    {
        "census": [("get", lambda w: "/census/", _census_managers(200))],
        # An empty form is answered with its errors.
        "census-export": [("post", lambda w: "/census/export/", _census_managers(400))],
        "census-import": [("post", lambda w: "/census/import/", _census_managers(400))],
        "census-job": [("get", lambda w: f"/census/jobs/{_census_job(w)}/", _census_managers(200))],
        "census-job-status": [
            ("get", lambda w: f"/census/jobs/{_census_job(w)}/status/", _census_managers(200))
        ],
        # The job has not run, so there is no file yet.
        "census-job-file": [
            ("get", lambda w: f"/census/jobs/{_census_job(w)}/file.xml", _census_managers(404))
        ],
        "census-job-errors-csv": [
            ("get", lambda w: f"/census/jobs/{_census_job(w)}/errors.csv", _census_managers(200))
        ],
        # The census's figures beside the tracker's: aggregates (suppressed, no child), for
        # those who see aggregates and for children's social care managers.
        "dashboard-census": [
            ("get", lambda w: "/dashboards/census/", {**aggregates_only(), "manager": 200})
        ],
    }
)

# --- Issue 14: multi-agency case audits ------------------------------------------------------
# The partnership business manager runs audits and sees no case content beyond an audit's
# sample; an agency's auditor (the World's health lead) grades through an audit grant; the
# social-care manager, a lead but not an auditor here, finds no such audit (404).


def _business_manager(status: int = 200, anonymous: int = SIGN_IN) -> dict[str, int]:
    return {**everyone(403), "anonymous": anonymous, "business_manager": status}


def _audit(world: Any) -> Any:
    """An audit of the World's child, graded by the health lead, with one learning action."""
    import datetime

    from django.utils import timezone

    from cases.codes import GrantPurpose
    from cases.models import AccessGrant
    from learning.models import (
        AuditAccess,
        AuditAgency,
        AuditQuestion,
        AuditSample,
        AuditStatus,
        CaseAudit,
        LearningAction,
    )

    if not hasattr(world, "issue14_audit"):
        today = timezone.localdate()
        audit = CaseAudit.objects.create(
            theme="Voice of the child",
            created_by=world.users["business_manager"],
            starts_on=today,
            ends_on=today + datetime.timedelta(days=30),
            levels=["child_in_need"],
            sample_size=1,
            seed=7,
            population=[[world.child.pk, "Child in need / Health"]],
            sampled_at=timezone.now(),
            status=AuditStatus.GRADING,
        )
        AuditQuestion.objects.create(audit=audit, position=1, text="Is the child heard?")
        AuditAgency.objects.create(audit=audit, agency=world.health, auditor=world.users["lead"])
        world.issue14_sample = AuditSample.objects.create(
            audit=audit, child=world.child, stratum="Child in need / Health", position=1
        )
        grant = AccessGrant.objects.create(
            practitioner=world.users["lead"],
            child=world.child,
            reason="audit",
            purpose=GrantPurpose.AUDIT,
            expires_at=timezone.now() + datetime.timedelta(days=30),
        )
        AuditAccess.objects.create(audit=audit, grant=grant)
        world.issue14_action = LearningAction.objects.create(
            audit=audit, text="Record words", owner="Health", due_on=today
        )
        world.issue14_audit = audit
    return world.issue14_audit


def _audit_workers(manager: int) -> dict[str, int]:
    return {
        **everyone(403),
        "anonymous": SIGN_IN,
        "business_manager": 200,
        "lead": 200,
        "manager": manager,
    }


EXPECTED.update(
    {
        "audit-list": [("get", lambda w: "/audits/", _audit_workers(200))],
        "audit-new": [
            ("get", lambda w: "/audits/new/", _business_manager()),
            ("post", lambda w: "/audits/new/", _business_manager()),
        ],
        "audit-detail": [("get", lambda w: f"/audits/{_audit(w).pk}/", _audit_workers(404))],
        "audit-sample-draw": [
            ("post", lambda w: f"/audits/{_audit(w).pk}/sample/", _business_manager(302))
        ],
        "audit-sample-swap": [
            (
                "get",
                lambda w: f"/audits/{_audit(w).pk}/sample/{w.issue14_sample.pk}/swap/",
                _business_manager(),
            )
        ],
        "audit-child": [
            (
                "get",
                lambda w: f"/audits/{_audit(w).pk}/children/{w.issue14_sample.pk}/",
                {**everyone(403), "anonymous": SIGN_IN, "lead": 200, "manager": 404},
            )
        ],
        "audit-moderation": [
            ("get", lambda w: f"/audits/{_audit(w).pk}/moderation/", _business_manager())
        ],
        "learning-action-new": [
            ("get", lambda w: f"/audits/{_audit(w).pk}/actions/new/", _business_manager())
        ],
        "audit-close": [
            ("post", lambda w: f"/audits/{_audit(w).pk}/close/", _business_manager(302))
        ],
        "audit-report": [
            ("get", lambda w: f"/audits/{_audit(w).pk}/report.pdf", _business_manager())
        ],
        "feedback-new": [
            ("get", lambda w: f"/children/{w.child.pk}/feedback/new/", casework_on_known_child())
        ],
        "learning-action-link": [
            (
                "get",
                lambda w: f"/delivery-plan/learning-actions/{_audit(w) and w.issue14_action.pk}/",
                _business_manager(),
            )
        ],
    }
)


# --- Issue 12: machine clients and bulk notifications ---------------------------------------
# Administrators register and manage clients; the token endpoint answers only clients (a
# request without a grant type is 400 for everyone). Leads send notification files and
# read their agency's imports (another agency's import is 404); practitioners of the agency
# work the matching queue.


def _issue12_client(world: Any) -> int:
    from cases.clients.services import machine_client_register

    if not hasattr(world, "issue12_client"):
        world.issue12_client, _secret = machine_client_register(
            actor=world.users["admin"],
            name="Walk client",
            agency=world.health,
            scopes=["concerns:write"],
        )
    return int(world.issue12_client.pk)


def _issue12_import(world: Any) -> int:
    from cases.notifications.models import NotificationImport, NotificationRow

    if not hasattr(world, "issue12_import"):
        world.issue12_import = NotificationImport.objects.create(
            agency=world.health,
            kind="was_not_brought",
            sent_by=world.users["lead"],
            file_name="walk.csv",
            content=b"",
            status="done",
            submission_key="walk",
        )
        world.issue12_row = NotificationRow.objects.create(
            notification_import=world.issue12_import,
            agency=world.health,
            row_number=2,
            fingerprint="walk",
            status="queued",
            data={"first_name": "Nobody", "last_name": "Known"},
        )
    return int(world.issue12_import.pk)


def _issue12_row(world: Any) -> int:
    _issue12_import(world)
    return int(world.issue12_row.pk)


def _agency_leads(status: int, other_agency: int = 404, anonymous: int = SIGN_IN) -> dict[str, int]:
    return {
        **everyone(403),
        "anonymous": anonymous,
        "lead": status,
        "manager": other_agency,
    }


EXPECTED.update(
    {
        "oauth-token": [("post", lambda w: "/oauth/token/", everyone(400))],
        "client-list": [("get", lambda w: "/clients/", _administrators(200))],
        "client-register": [
            ("get", lambda w: "/clients/new/", _administrators(200)),
            ("post", lambda w: "/clients/new/", _administrators(200)),
        ],
        "client-detail": [
            ("get", lambda w: f"/clients/{_issue12_client(w)}/", _administrators(200))
        ],
        "client-suspend": [
            ("post", lambda w: f"/clients/{_issue12_client(w)}/suspend/", _administrators(302))
        ],
        "client-reactivate": [
            (
                "post",
                lambda w: f"/clients/{_issue12_client(w)}/reactivate/",
                _administrators(302),
            )
        ],
        "client-rotate": [
            ("post", lambda w: f"/clients/{_issue12_client(w)}/rotate/", _administrators(200))
        ],
        "notification-list": [("get", lambda w: "/notifications/", _agency_leads(200, 200))],
        "notification-upload": [
            ("get", lambda w: "/notifications/new/", _agency_leads(200, 200)),
            ("post", lambda w: "/notifications/new/", _agency_leads(200, 200)),
        ],
        "notification-import": [
            ("get", lambda w: f"/notifications/{_issue12_import(w)}/", _agency_leads(200))
        ],
        "notification-import-status": [
            (
                "get",
                lambda w: f"/notifications/{_issue12_import(w)}/status.json",
                _agency_leads(200),
            )
        ],
        "notification-import-report": [
            (
                "get",
                lambda w: f"/notifications/{_issue12_import(w)}/report.csv",
                _agency_leads(200),
            )
        ],
        "notification-template": [
            ("get", lambda w: "/notifications/templates/attendance.csv", signed_in(200))
        ],
        "notification-matching": [("get", lambda w: "/notifications/matching/", casework_list())],
        "notification-matching-row": [
            (
                "get",
                lambda w: f"/notifications/matching/{_issue12_row(w)}/",
                {
                    **casework_on_known_child(),
                    "unrelated_practitioner": 404,
                    "manager": 404,
                },
            )
        ],
        "api-notification-imports": [
            (
                "post",
                lambda w: "/api/notifications/",
                {**everyone(403), "lead": 400, "manager": 400},
            )
        ],
        "api-notification-import": [
            (
                "get",
                lambda w: f"/api/notifications/{_issue12_import(w)}/",
                _agency_leads(200, anonymous=API_REFUSED),
            )
        ],
    }
)
