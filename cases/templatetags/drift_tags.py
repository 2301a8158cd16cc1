"""Template helpers for the drift and casework pages."""

from __future__ import annotations

import datetime

from django import template
from django.forms import BoundField

from cases.codes import NeedLevel

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
    if field.widget_type in ("radioselect", "govukdate"):
        return f"{field.auto_id}_0"
    return str(field.id_for_label or field.auto_id)


@register.filter
def get_item(mapping: dict[str, str], key: str) -> str:
    return mapping.get(key, "")


@register.filter
def need_level(value: str | None) -> str:
    return str(NeedLevel(value).label) if value in NeedLevel.values else "Not open to a service"
