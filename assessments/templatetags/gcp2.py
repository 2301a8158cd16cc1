"""The GCP2 panel on a casework home page, so `cases` templates can show it without `cases`
importing this app: templates/cases/home_casework.html includes assessments/home_panel.html."""

from __future__ import annotations

from typing import Any

from django import template

from cases import access

from ..selectors import gcp2_for_home

register = template.Library()


@register.inclusion_tag("assessments/includes/home_panel_content.html", takes_context=True)
def gcp2_home_panel(context: template.Context) -> dict[str, Any]:
    user = context["request"].user
    if not access.does_casework(user):
        return {"gcp2": None}
    return {"gcp2": gcp2_for_home(user=user)}
