"""The OpenAPI description of machine clients' bearer tokens (drf-spectacular)."""

from __future__ import annotations

from typing import Any

from drf_spectacular.extensions import OpenApiAuthenticationExtension


class MachineClientScheme(OpenApiAuthenticationExtension):
    target_class = "cases.clients.authentication.MachineClientAuthentication"
    name = "machineClient"

    def get_security_definition(self, auto_schema: Any) -> dict[str, Any]:
        from cases.clients.scopes import SCOPES

        return {
            "type": "oauth2",
            "flows": {"clientCredentials": {"tokenUrl": "/oauth/token/", "scopes": SCOPES}},
        }
