"""Render one section of a page assembled from registered sections (`cases.web.sections`)."""

from __future__ import annotations

from django import template
from django.utils.safestring import SafeString

from cases.web.sections import Section

register = template.Library()


@register.simple_tag(takes_context=True)
def render_section(context: template.Context, section: Section) -> SafeString:
    """Like {% include %}, with the section's own context on top of the page's."""
    section_template = context.template.engine.get_template(section.template)  # type: ignore[union-attr]
    with context.push(section.context):
        return section_template.render(context)
