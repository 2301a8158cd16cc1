"""A machine client reaches an endpoint only with the scope the endpoint needs."""

from __future__ import annotations

from typing import Any

from oauth2_provider.contrib.rest_framework import TokenHasScope
from rest_framework.request import Request

from cases.clients.scopes import endpoint_scope


class ClientHasEndpointScope(TokenHasScope):
    """TokenHasScope with the scope looked up by the endpoint's URL name and method; an
    endpoint no scope names is refused to every client."""

    def get_scopes(self, request: Request, view: Any) -> list[str]:
        match = request._request.resolver_match
        scope = endpoint_scope(match.url_name if match else None, request.method or "")
        return [scope] if scope else ["(no scope allows this endpoint)"]


def client_scope_allows(request: Request, view: Any) -> bool:
    """True for a signed-in person; for a machine client, whether its token has the scope."""
    if getattr(request._request, "machine_client", None) is None:
        return True
    return ClientHasEndpointScope().has_permission(request, view)
