"""Bearer tokens from the client-credentials grant, answered as the client's service account."""

from __future__ import annotations

from typing import Any

from oauth2_provider.contrib.rest_framework import OAuth2Authentication
from rest_framework.exceptions import AuthenticationFailed
from rest_framework.request import Request

from cases.clients.models import MachineClient


class MachineClientAuthentication(OAuth2Authentication):
    """A valid token of an active client authenticates as the client's account.

    A client-credentials token carries no user, so the account comes from the client; a
    suspended client (or deactivated account) is refused at once, whatever tokens it holds.
    """

    def authenticate(self, request: Request) -> tuple[Any, Any] | None:
        result = super().authenticate(request)
        if result is None:
            return None
        token = result[1]
        client = (
            MachineClient.objects.select_related("account", "account__agency")
            .filter(application_id=token.application_id)
            .first()
        )
        if client is None or not client.is_active or not client.account.is_active:
            raise AuthenticationFailed("This client is suspended")
        request._request.machine_client = client  # type: ignore[attr-defined]
        return client.account, token
