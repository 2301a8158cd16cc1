"""The home page's panels, assembled in one place.

Each package or app adds its panel in its `AppConfig.ready`:

    register_home_panel(
        key="gcp2",
        order=20,                                     # lowest first
        template="assessments/includes/home_panel_content.html",
        context_fn=home_gcp2_panel,                   # (*, user, request) -> Mapping | None
    )

The context function answers None for a user the panel is not for (e.g. figures for the
partnership, GCP2 work for practitioners), so one registry serves every role's home page.
See `cases.web.sections` for how panels are rendered.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Protocol

from django.http import HttpRequest

from cases.models import Practitioner
from cases.web.sections import Section, SectionRegistry


class HomePanelContext(Protocol):
    def __call__(
        self, *, user: Practitioner, request: HttpRequest
    ) -> Mapping[str, object] | None: ...


_home = SectionRegistry("the home page")


def register_home_panel(key: str, order: int, template: str, context_fn: HomePanelContext) -> None:
    _home.register(key, order, template, context_fn)


def home_panels(*, user: Practitioner, request: HttpRequest) -> list[Section]:
    """The panels this user's home page shows, in order."""
    return _home.sections(user=user, request=request)
