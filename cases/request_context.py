"""The request id of the work being done, for the access and change logs and every log line.

The server's own id is always generated here; a client's `X-Request-ID` is only kept beside it
(validated), so nobody can choose the id that ties their requests to the audit trail. The
request-id middleware binds both for a web request; a worker or a test binds its own with
`request_id_bound`. This module imports nothing from the models because the logging
configuration loads it before Django's apps are ready.
"""

from __future__ import annotations

import contextlib
import contextvars
import re
import uuid
from collections.abc import Iterator

_request_id: contextvars.ContextVar[str] = contextvars.ContextVar("request_id", default="-")
_client_request_id: contextvars.ContextVar[str | None] = contextvars.ContextVar(
    "client_request_id", default=None
)
CLIENT_REQUEST_ID = re.compile(r"^[A-Za-z0-9-]{8,64}$")


def request_id_new() -> str:
    return uuid.uuid4().hex


def client_request_id_clean(value: str) -> str | None:
    """A client's id if it is well formed (it goes into logs and the access log), else None."""
    return value if CLIENT_REQUEST_ID.fullmatch(value) else None


def current_request_id() -> str:
    return _request_id.get()


def current_client_request_id() -> str | None:
    """The model default of AccessLogEntry.client_request_id."""
    return _client_request_id.get()


@contextlib.contextmanager
def request_id_bound(request_id: str, client_request_id: str | None = None) -> Iterator[None]:
    tokens = _request_id.set(request_id), _client_request_id.set(client_request_id)
    try:
        yield
    finally:
        _request_id.reset(tokens[0])
        _client_request_id.reset(tokens[1])
