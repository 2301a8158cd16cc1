"""Render one section of the child's page (`cases.casework.child_page`) with its own context."""

from __future__ import annotations

from django import template
from django.utils.safestring import SafeString

from cases.casework.child_page import Section

register = template.Library()


@register.simple_tag(takes_context=True)
def child_page_section(context: template.Context, section: Section) -> SafeString:
    """Like {% include %}, with the section's context on top of the page's (request, child)."""
    section_template = context.template.engine.get_template(section.template)  # type: ignore[union-attr]
    with context.push(section.context):
        return section_template.render(context)
