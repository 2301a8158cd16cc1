"""Template filters for the drift, challenge and casework pages."""

from __future__ import annotations

from django import template

from cases.codes import CHALLENGE_LEVELS, ConcernOutcomeKind, NeedLevel

register = template.Library()


@register.filter
def get_item(mapping: dict[str, str], key: str) -> str:
    return mapping.get(key, "")


@register.filter
def need_level(value: str | None) -> str:
    return str(NeedLevel(value).label) if value in NeedLevel.values else "Not open to a service"


@register.filter
def challenge_level(level: int) -> str:
    return CHALLENGE_LEVELS.get(level, "")


@register.filter
def concern_outcome(value: str) -> str:
    return str(ConcernOutcomeKind(value).label) if value in ConcernOutcomeKind.values else ""
