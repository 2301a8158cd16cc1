"""Template tags for the dashboards and the delivery plan."""

from __future__ import annotations

import datetime

from django import template

from ..models import Priority, RagStatus

register = template.Library()


FIELD_LABELS = {
    "reference": "Reference",
    "priority": "Priority",
    "activity": "Activity",
    "responsible": "Responsible",
    "due_date": "Due date",
    "rag_status": "RAG status",
}


@register.filter
def field_label(name: str) -> str:
    return FIELD_LABELS.get(name, name)


@register.simple_tag
def history_value(field: str, value: object) -> str:
    """A stored history value in words: codes become their labels, dates read as dates."""
    words = {"priority": dict(Priority.choices), "rag_status": dict(RagStatus.choices)}
    if value in (None, ""):
        return "blank"
    if field == "due_date":
        return datetime.date.fromisoformat(str(value)).strftime("%-d %B %Y")
    return str(words.get(field, {}).get(str(value), value))
