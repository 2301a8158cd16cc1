"""Template tags: the partnership home page's headline panels come from here, so the cases
app's template includes a reporting template and `cases` never imports `reporting`."""

from __future__ import annotations

from django import template

from .. import selectors
from ..suppression import SUPPRESSED

register = template.Library()


@register.inclusion_tag("reporting/includes/home_panels.html")
def partnership_headlines() -> dict[str, object]:
    build = selectors.current_build()
    return {
        "build": build,
        "headlines": selectors.headlines(build=build, period_type="quarter") if build else [],
    }


@register.simple_tag
def suppressed_marker() -> str:
    return SUPPRESSED


@register.simple_tag
def date_parts(form: object, prefix: str) -> list[tuple[object, int]]:
    """The day, month and year fields of a GOV.UK date input, with their widths."""
    return [
        (form[f"{prefix}_{part}"], width)  # type: ignore[index]
        for part, width in (("day", 2), ("month", 2), ("year", 4))
    ]
