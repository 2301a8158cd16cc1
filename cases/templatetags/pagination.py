"""The page numbers the GOV.UK pagination component shows."""

from __future__ import annotations

from collections.abc import Iterator

from django import template
from django.core.paginator import Page

register = template.Library()


@register.filter
def elided_pages(page: Page) -> Iterator[str | int]:
    """First, last and the current page's neighbours; the rest as the paginator's ellipsis."""
    return page.paginator.get_elided_page_range(page.number, on_each_side=1, on_ends=1)
