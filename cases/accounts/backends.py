"""Signing in and the signed-in user."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.backends import ModelBackend

from cases.models import Practitioner


class PractitionerBackend(ModelBackend):
    """Django's username-and-password backend, whose signed-in user comes with their agency
    and team: nearly every page names or scopes by them, and each was a query of its own."""

    def get_user(self, user_id: Any) -> Practitioner | None:
        user = (
            Practitioner._default_manager.select_related("agency", "team")
            .filter(pk=user_id)
            .first()
        )
        return user if user is not None and self.user_can_authenticate(user) else None
