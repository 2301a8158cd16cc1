from django.http import HttpRequest
from django.urls import reverse

from cases import access
from cases.access import (
    does_audit_work,
    does_casework,
    is_lead,
    sees_aggregates,
    works_on_delivery_plan,
)
from cases.codes import Role
from cases.models import Practitioner


def _items(user: Practitioner) -> list[tuple[str, str]]:
    """The service navigation's links this user may follow, in the bar's order."""
    casework, lead, aggregates = does_casework(user), is_lead(user), sees_aggregates(user)
    admin = user.role == Role.ADMINISTRATOR and user.is_active
    governance = user.role == Role.INFORMATION_GOVERNANCE and user.is_active
    shown = [
        ("Home", "home", True),
        ("Drift queue", "drift-queue", lead),
        ("Your agency's accounts", "agency-accounts", lead),
        ("Notifications", "notification-list", lead),
        ("Accounts", "account-list", admin),
        ("Machine clients", "client-list", admin),
        ("Reference data", "admin:index", admin),
        ("Find a child", "child-search", casework),
        ("Matching queue", "notification-matching", casework),
        # The authority's statutory census is the social-care manager's (cases/census/).
        ("Children in need census", "census", casework and user.role == Role.SOCIAL_CARE_MANAGER),
        ("Dashboards", "dashboard", aggregates),
        ("Priorities and evidence", "delivery-plan-priorities", aggregates),
        ("Delivery plan", "delivery-plan", works_on_delivery_plan(user)),
        ("Builds", "dashboard-builds", aggregates),
        ("Alerts", "audit-alerts", governance),
        ("Access log", "audit-access-log", governance),
        ("Case audits", "audit-list", does_audit_work(user)),
    ]
    return [(label, reverse(name)) for label, name, show in shown if show]


def navigation(request: HttpRequest) -> dict[str, object]:
    """The service navigation for the signed-in user, with the item for this page marked:
    aria-current "page" on the item's own page, "true" on a page inside its section (the
    longest matching address wins, so /dashboards/builds/ is Builds, not Dashboards)."""
    if not request.user.is_authenticated:
        return {}
    items = _items(access.acting_user(request))
    path = request.path
    inside = [href for _, href in items if href != "/" and path.startswith(href)]
    section = max(inside, key=len) if inside else ("/" if path == "/" else "")
    return {
        "nav_items": [
            {
                "label": label,
                "href": href,
                "current": ("page" if path == href else "true") if href == section else "",
            }
            for label, href in items
        ]
    }
