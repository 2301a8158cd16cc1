"""Template helpers for the drift and casework pages."""

from __future__ import annotations

from typing import Any

from django import template

from cases import access
from cases.codes import NeedLevel
from cases.oversight.selectors import casework_for_child, outcomes_for_referrer, rule_titles

register = template.Library()


@register.inclusion_tag("cases/includes/child_casework_sections.html", takes_context=True)
def child_casework(context: dict[str, Any], child: Any) -> dict[str, object]:
    user = access.acting_user(context["request"])
    return {
        "child": child,
        "is_lead": access.is_lead(user),
        "rule_titles": rule_titles(),
        **casework_for_child(user=user, child=child),
    }


@register.filter
def get_item(mapping: dict[str, str], key: str) -> str:
    return mapping.get(key, "")


@register.filter
def need_level(value: str | None) -> str:
    return str(NeedLevel(value).label) if value in NeedLevel.values else "Not open to a service"


@register.inclusion_tag("cases/includes/concern_outcomes_list.html", takes_context=True)
def concern_outcomes_for_me(context: dict[str, Any]) -> dict[str, object]:
    """Outcomes of the concerns the signed-in practitioner raised, for their home page."""
    user = access.acting_user(context["request"])
    return {"outcomes": outcomes_for_referrer(user=user)}
