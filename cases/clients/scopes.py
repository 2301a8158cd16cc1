"""What a machine client may do: its scopes, and the scope each API endpoint needs.

An endpoint missing from ENDPOINT_SCOPES is refused to every machine client (deny by default);
a signed-in person is never asked for a scope. The token endpoint's scope backend
(`ClientScopes`) offers each client only the scopes its administrator gave it.
"""

from __future__ import annotations

from typing import Any

from oauth2_provider.scopes import SettingsScopes

SCOPES = {
    "concerns:write": "Log concerns about children its agency may see",
    "concerns:read": "Read its own concerns and their outcomes",
    "chronology:write": "Add chronology entries",
    "children:read": "Find and read children its agency may see",
    "notifications:write": "Send bulk notifications and read their reports",
}

# (URL name, HTTP method) -> the scope a machine client's token must carry.
ENDPOINT_SCOPES = {
    ("api-concerns", "POST"): "concerns:write",
    ("api-concerns", "GET"): "concerns:read",
    ("api-concern-outcomes", "GET"): "concerns:read",
    ("api-child-chronology", "POST"): "chronology:write",
    ("api-child-chronology", "GET"): "children:read",
    ("api-family-chronology", "GET"): "children:read",
    ("api-child-list", "GET"): "children:read",
    ("api-child-detail", "GET"): "children:read",
    ("api-child-search", "POST"): "children:read",
    ("api-notification-imports", "POST"): "notifications:write",
    ("api-notification-import", "GET"): "notifications:write",
}


def endpoint_scope(url_name: str | None, method: str) -> str | None:
    return ENDPOINT_SCOPES.get((url_name or "", method.upper()))


class ClientScopes(SettingsScopes):
    """A client is offered, and given by default, only the scopes registered for it."""

    def get_available_scopes(
        self, application: Any = None, request: Any = None, *args: Any, **kwargs: Any
    ) -> list[str]:
        client = getattr(application, "machine_client", None)
        if client is None or not client.is_active:
            return []
        return [scope for scope in client.scopes if scope in SCOPES]

    def get_default_scopes(
        self, application: Any = None, request: Any = None, *args: Any, **kwargs: Any
    ) -> list[str]:
        return self.get_available_scopes(application, request)
