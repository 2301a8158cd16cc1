"""The child's page, assembled in one place.

The page is a list of sections, each contributed by the package or app that owns what it shows
(casework: the record and the chronology; plans; oversight: drift flags and supervision;
assessments: GCP2). A contributor registers its section once, in its `AppConfig.ready`:

    register_child_page_section(
        key="gcp2",                               # unique; registering it twice is a bug
        order=30,                                 # where on the page, lowest first
        template="assessments/child_section.html",
        context_fn=gcp2_section,                  # (*, user, child, request) -> Mapping
    )

`child_page_sections` asks every section for its context and the page template renders them in
order (`{% child_page_section section %}`), so `cases` never imports a higher app or names its
templates. The child has already been read through the access policy (and logged) by the view;
a context function that shows other children logs their reads itself. Return querysets, not
lists, where the template may not need them, and keep each section's query count independent
of the chronology's length.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Protocol

from django.http import HttpRequest

from cases.models import Child, Practitioner


class SectionContext(Protocol):
    def __call__(
        self, *, user: Practitioner, child: Child, request: HttpRequest
    ) -> Mapping[str, object]: ...


@dataclass(frozen=True)
class ChildPageSection:
    key: str
    order: int
    template: str
    context_fn: SectionContext


@dataclass(frozen=True)
class Section:
    """One section as the page renders it: its template and what that template is given."""

    key: str
    template: str
    context: Mapping[str, object]


_sections: dict[str, ChildPageSection] = {}


def register_child_page_section(
    key: str, order: int, template: str, context_fn: SectionContext
) -> None:
    """Add a section to the child's page. Registering the same key twice is a bug."""
    section = ChildPageSection(key, order, template, context_fn)
    existing = _sections.get(key)
    if existing is not None and existing != section:
        raise ValueError(f"Child page section {key} is already registered")
    _sections[key] = section


def child_page_sections(*, user: Practitioner, child: Child, request: HttpRequest) -> list[Section]:
    """Every registered section for this child and reader, in page order."""
    ordered = sorted(_sections.values(), key=lambda section: (section.order, section.key))
    return [
        Section(s.key, s.template, s.context_fn(user=user, child=child, request=request))
        for s in ordered
    ]
