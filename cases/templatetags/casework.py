from typing import Any

from django import template

from cases import access
from cases.casework import break_glass

register = template.Library()


@register.inclusion_tag("cases/includes/access_grants_panel.html", takes_context=True)
def access_grants_panel(context: dict[str, Any]) -> dict[str, Any]:
    """Break-glass grants on children the signed-in lead's agency knows, awaiting review."""
    user = access.acting_user(context["request"])
    grants = list(break_glass.access_grants_to_review(lead=user)[:20])
    access.log_children_read(
        user=user, children=[grant.child for grant in grants], view_name="home_access_grants"
    )
    return {
        "grants": grants,
        "is_lead": access.is_lead(user),
        "csrf_token": context.get("csrf_token"),
    }
