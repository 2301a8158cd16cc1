"""Template helpers for the drift and casework pages."""

from __future__ import annotations

import datetime
from typing import Any

from django import template
from django.forms import BoundField

from cases import access
from cases.codes import CHALLENGE_LEVELS, ConcernOutcomeKind, NeedLevel
from cases.oversight import selectors
from cases.oversight.selectors import casework_for_child, outcomes_for_referrer, rule_titles
from cases.oversight.services import may_raise_challenge, may_request_step_up

register = template.Library()


@register.filter
def date_part(field: BoundField, index: int) -> object:
    """Day (0), month (1) or year (2) of a three-field date input, as typed or as stored."""
    value = field.value()
    if isinstance(value, datetime.date):
        return (value.day, value.month, value.year)[index]
    if isinstance(value, list | tuple) and len(value) > index:
        return value[index] if value[index] is not None else ""
    return ""


@register.filter
def field_anchor(field: BoundField) -> str:
    """Where the error summary links to: the input itself, or the first of a group."""
    if field.widget_type in ("radioselect", "govukdate", "checkboxselectmultiple"):
        return f"{field.auto_id}_0"
    return str(field.id_for_label or field.auto_id)


@register.inclusion_tag("cases/includes/child_casework_sections.html", takes_context=True)
def child_casework(context: dict[str, Any], child: Any) -> dict[str, object]:
    user = access.acting_user(context["request"])
    return {
        "child": child,
        "is_lead": access.is_lead(user),
        "decides_need_level": access.decides_need_level(user),
        "records_statutory_steps": access.records_statutory_steps(user),
        "may_challenge": may_raise_challenge(user=user, child=child),
        "may_request_step_up": may_request_step_up(user=user),
        "current_level": child.involvements.filter(ended_on__isnull=True)
        .values_list("level", flat=True)
        .first(),
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


@register.filter
def challenge_level(level: int) -> str:
    return CHALLENGE_LEVELS.get(level, "")


@register.inclusion_tag("cases/includes/challenges_panel.html", takes_context=True)
def challenges_panel(context: dict[str, Any]) -> dict[str, object]:
    """For a lead's home page: what waits for their agency, and answers to what it asked."""
    user = access.acting_user(context["request"])
    if not access.is_lead(user):
        return {"show": False}
    return {
        "show": True,
        "user": user,
        "challenges_waiting": selectors.challenges_to_answer(user=user).count(),
        "step_ups_waiting": selectors.step_up_requests_to_decide(user=user).count(),
        "raised": selectors.challenges_raised(user=user)[:5],
        "requests_made": selectors.step_up_requests_made(user=user)[:5],
    }


@register.filter
def concern_outcome(value: str) -> str:
    return str(ConcernOutcomeKind(value).label) if value in ConcernOutcomeKind.values else ""
