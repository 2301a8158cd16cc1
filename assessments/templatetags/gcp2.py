"""The GCP2 panel on a casework home page, so `cases` templates can show it without `cases`
importing this app: templates/cases/home_casework.html includes assessments/home_panel.html."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString

from cases import access

from ..selectors import gcp2_for_home

register = template.Library()


@register.inclusion_tag("assessments/includes/home_panel_content.html", takes_context=True)
def gcp2_home_panel(context: template.Context) -> dict[str, Any]:
    user = context["request"].user
    if not access.does_casework(user):
        return {"gcp2": None}
    gcp2 = gcp2_for_home(user=user)
    access.log_children_read(
        user=user,
        children=[
            *(child for child, _due in gcp2.due),
            *(assessment.child for assessment in gcp2.drafts + gcp2.awaiting_sign_off),
        ],
        view_name="home_gcp2",
    )
    return {"gcp2": gcp2}


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
