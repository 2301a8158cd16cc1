"""The token endpoint refuses a suspended client, whatever its secret."""

from __future__ import annotations

from typing import Any

from oauth2_provider.oauth2_validators import OAuth2Validator

from cases.clients.models import MachineClient


class MachineClientValidator(OAuth2Validator):
    def authenticate_client(self, request: Any, *args: Any, **kwargs: Any) -> bool:
        if not super().authenticate_client(request, *args, **kwargs):
            return False
        client = (
            MachineClient.objects.select_related("account")
            .filter(application=request.client)
            .first()
        )
        return client is not None and client.is_active and client.account.is_active
