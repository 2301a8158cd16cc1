"""Template tags: the partnership home page's headline panels come from here, so the cases
app's template includes a reporting template and `cases` never imports `reporting`."""

from __future__ import annotations

import datetime

from django import template

from .. import selectors
from ..models import Priority, RagStatus

register = template.Library()


@register.inclusion_tag("reporting/includes/home_panels.html")
def partnership_headlines() -> dict[str, object]:
    build = selectors.current_build()
    return {
        "build": build,
        "headlines": selectors.headlines(build=build, period_type="quarter") if build else [],
    }


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
