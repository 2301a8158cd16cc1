"""Pages made of several packages' and apps' sections: the child's page
(`cases.casework.child_page`) and the home page (`cases.web.home`).

Each such page keeps one registry. The package or app that owns a section registers it once in
its `AppConfig.ready` with a key, an order (lowest first), a template and a context function;
the page's view asks every registered section for its context and the page's template renders
them in order with `{% load sections %}{% render_section section %}`. So a lower app never
imports a higher one nor names its templates: dependencies keep pointing reporting ->
assessments -> cases, as with drift rules and seed steps.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

SectionContextFn = Callable[..., Mapping[str, object] | None]


@dataclass(frozen=True)
class Section:
    """One section as a page renders it: its template and what that template is given on top
    of the page's own context (request, user, csrf_token, the page's objects)."""

    key: str
    template: str
    context: Mapping[str, object]


@dataclass(frozen=True)
class _Registration:
    key: str
    order: int
    template: str
    context_fn: SectionContextFn


class SectionRegistry:
    def __init__(self, page: str) -> None:
        self.page = page
        self._registrations: dict[str, _Registration] = {}

    def register(self, key: str, order: int, template: str, context_fn: SectionContextFn) -> None:
        """Registering the same key twice (with anything different) is a bug and fails loudly."""
        registration = _Registration(key, order, template, context_fn)
        existing = self._registrations.get(key)
        if existing is not None and existing != registration:
            raise ValueError(f"{self.page}: section {key} is already registered")
        self._registrations[key] = registration

    def sections(self, **arguments: object) -> list[Section]:
        """Every section, in order, each given the same arguments; a context function that
        answers None leaves its section off the page (e.g. for roles it is not for)."""
        shown = []
        for entry in sorted(self._registrations.values(), key=lambda r: (r.order, r.key)):
            context = entry.context_fn(**arguments)
            if context is not None:
                shown.append(Section(entry.key, entry.template, context))
        return shown
