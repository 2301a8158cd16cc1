"""The lead's drift queue's flags, drawn in Python."""

from __future__ import annotations

from html import escape
from typing import TYPE_CHECKING

from django import template
from django.utils.safestring import SafeString, mark_safe

if TYPE_CHECKING:
    from cases.oversight.selectors import QueueRow

register = template.Library()

_REVIEW_PASSED = ' <strong class="govuk-tag govuk-tag--grey">Review date passed</strong>'


@register.simple_tag
def queue_flag_items(row: QueueRow) -> SafeString:
    """One <li> per flag of a queue row, every value escaped here. A page holds fifty or so
    flags: drawn by template tags (or format_html, whose escaping goes through Django's
    lazy-string wrapper) they cost about a third of the page's render time (issue 10's speed
    figures). The standard library's escape is Django's `escape` without that wrapper."""
    name = escape(row.name)
    return mark_safe(  # noqa: S308  # nosec B308 B703  # every value escaped
        "\n".join(
            f'<li><strong class="govuk-tag {escape(flag.tag_class)}">'
            f"{escape(flag.severity_label)}</strong> "
            f'<a class="govuk-link" href="{escape(flag.url)}">{escape(flag.title)}'
            f'<span class="govuk-visually-hidden"> for {name}</span></a>: '
            f'<span data-testid="flag-sentence">{escape(flag.sentence)}</span>; '
            f"since {escape(flag.since)}.{_REVIEW_PASSED if flag.review_passed else ''}</li>"
            for flag in row.flags
        )
    )
