"""The request id of the work being done, for the access and change logs and every log line.

The request-id middleware binds it for a web request; a worker or a test binds its own with
`request_id_bound`. It lives apart from the access policy because the logging configuration
imports it before Django's models are ready.
"""

from __future__ import annotations

import contextlib
import contextvars
from collections.abc import Iterator

_current_request_id: contextvars.ContextVar[str] = contextvars.ContextVar("request_id", default="-")


def current_request_id() -> str:
    return _current_request_id.get()


@contextlib.contextmanager
def request_id_bound(request_id: str) -> Iterator[None]:
    token = _current_request_id.set(request_id)
    try:
        yield
    finally:
        _current_request_id.reset(token)
