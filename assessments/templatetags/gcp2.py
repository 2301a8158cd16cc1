"""Template filters for the GCP2 pages."""

from __future__ import annotations

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString

register = template.Library()


CHANGE_TAGS = {
    "better": ("govuk-tag--green", "Better"),
    "same": ("govuk-tag--grey", "Same"),
    "worse": ("govuk-tag--red", "Worse"),
}


@register.filter
def change_tag(direction: str | None) -> SafeString:
    """Better, same or worse as a GOV.UK tag (a filter: the comparison tables repeat it)."""
    if direction not in CHANGE_TAGS:
        return format_html('<span class="govuk-body-s">{}</span>', "Not compared")
    colour, words = CHANGE_TAGS[direction]
    return format_html('<strong class="govuk-tag {}">{}</strong>', colour, words)
