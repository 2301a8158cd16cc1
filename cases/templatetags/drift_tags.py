"""Template helpers for the drift and casework pages."""

from __future__ import annotations

from django import template

from cases.codes import NeedLevel

register = template.Library()


@register.filter
def get_item(mapping: dict[str, str], key: str) -> str:
    return mapping.get(key, "")


@register.filter
def need_level(value: str | None) -> str:
    return str(NeedLevel(value).label) if value in NeedLevel.values else "Not open to a service"
