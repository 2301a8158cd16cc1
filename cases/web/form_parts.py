"""Parts a higher app adds to a recording form of a lower one: learning's questionnaire of the
child and family on the visit and plan review forms of `cases.plans`.

The package or app that owns a part registers it once in its `AppConfig.ready`:

    register_record_form_part(
        key="feedback",                         # the part's form prefix; unique
        order=10,                               # where below the record's own fields
        occasions=["visit", "plan_review"],     # which forms take it
        template="learning/feedback_part.html", # given `part` (the form) and the page's context
        build=feedback_part,                    # (*, occasion, user, child, request) -> form
    )

`build` answers a bound (on POST) or unbound `RecordFormPart`, or None to leave the part off for
this user. `record_page` validates the record's form and every part together, shows all their
errors in the one error summary, then saves the record and calls each part's `save_part` in
one transaction: a part that refuses rolls the record back too. `save_part` is given the
record's submission key, so a retry of the same form creates nothing new in the part either.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Protocol

from django.http import HttpRequest

from cases.models import Child, Practitioner

from .forms import GovUKForm


class RecordFormPart(GovUKForm):
    """A part's form, built for one user, child and occasion. Its fields are named with its
    prefix so they never clash with the record's own."""

    def save_part(self, *, on: datetime.date, submission_key: str) -> None:
        """Save what was entered (nothing if the part was left empty), inside the record's
        transaction; raise ValidationError to refuse, naming the part's fields."""
        raise NotImplementedError


class PartBuilder(Protocol):
    def __call__(
        self, *, occasion: str, user: Practitioner, child: Child, request: HttpRequest
    ) -> RecordFormPart | None: ...


@dataclass(frozen=True)
class FormPart:
    key: str
    template: str
    form: RecordFormPart


@dataclass(frozen=True)
class _Registration:
    key: str
    order: int
    occasions: frozenset[str]
    template: str
    build: PartBuilder


_registrations: dict[str, _Registration] = {}


def register_record_form_part(
    key: str, order: int, occasions: Iterable[str], template: str, build: PartBuilder
) -> None:
    """Registering the same key twice (with anything different) is a bug and fails loudly."""
    registration = _Registration(key, order, frozenset(occasions), template, build)
    existing = _registrations.get(key)
    if existing is not None and existing != registration:
        raise ValueError(f"Record form part {key} is already registered")
    _registrations[key] = registration


def record_form_parts(
    occasion: str, *, user: Practitioner, child: Child, request: HttpRequest
) -> list[FormPart]:
    """The parts registered for this form, in order, each built for this user and child."""
    parts = []
    for entry in sorted(_registrations.values(), key=lambda r: (r.order, r.key)):
        if occasion not in entry.occasions:
            continue
        form = entry.build(occasion=occasion, user=user, child=child, request=request)
        if form is not None:
            parts.append(FormPart(entry.key, entry.template, form))
    return parts
