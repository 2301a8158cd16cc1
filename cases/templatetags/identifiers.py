"""Identifiers as people read them, for every page that shows one."""

from __future__ import annotations

from django import template

from cases.web.identifiers import nhs_number_display

register = template.Library()


@register.filter
def nhs_number(value: str | None) -> str:
    return nhs_number_display(value) if value else ""
