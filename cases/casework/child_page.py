"""The child's page, assembled in one place.

The page is a list of sections, each contributed by the package or app that owns what it shows
(casework: the record and the chronology; oversight: drift flags and supervision; plans;
assessments: GCP2), registered once in its `AppConfig.ready`:

    register_child_page_section(
        key="gcp2",                                # unique on this page
        order=30,                                  # where on the page, lowest first
        template="assessments/child_section.html",
        context_fn=child_gcp2_section,             # (*, user, child, request) -> Mapping
    )

A context function that answers None leaves its section off the page for that reader (drift:
leads only), and reads nothing for them.

The view has already read the child through the access policy (and written its access-log
row); a context function that shows other children logs those reads itself. Keep each
section's query count independent of the chronology's length: return querysets the template
slices, never a query per row. See `cases.web.sections` for how sections are rendered.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Protocol

from django.http import HttpRequest

from cases.models import Child, Practitioner
from cases.web.sections import Section, SectionRegistry


class ChildSectionContext(Protocol):
    def __call__(
        self, *, user: Practitioner, child: Child, request: HttpRequest
    ) -> Mapping[str, object] | None: ...


_child_page = SectionRegistry("the child's page")


def register_child_page_section(
    key: str, order: int, template: str, context_fn: ChildSectionContext
) -> None:
    _child_page.register(key, order, template, context_fn)


def child_page_sections(*, user: Practitioner, child: Child, request: HttpRequest) -> list[Section]:
    """Every registered section for this child and reader, in page order."""
    return _child_page.sections(user=user, child=child, request=request)
