"""Request ids: one per request, on the response, in the access log and in every log line."""

import logging
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from cases.request_context import (
    client_request_id_clean,
    current_client_request_id,
    current_request_id,
    request_id_bound,
    request_id_new,
)


class RequestIdMiddleware:
    """Always makes the request id; a well-formed client X-Request-ID is kept beside it."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request_id = request_id_new()
        client_request_id = client_request_id_clean(request.headers.get("X-Request-ID", ""))
        request.request_id = request_id  # type: ignore[attr-defined]
        request.client_request_id = client_request_id  # type: ignore[attr-defined]
        with request_id_bound(request_id, client_request_id):
            response = self.get_response(request)
        response["X-Request-ID"] = request_id
        return response


class RequestIdLogFilter(logging.Filter):
    """Adds `request_id` and `client_request_id` (" client=<id>" or "") to every record."""

    def filter(self, record: logging.LogRecord) -> bool:
        # Django logs a 4xx/5xx after the middleware has finished: take the ids from the
        # request the record carries.
        request = getattr(record, "request", None)
        record.request_id = getattr(request, "request_id", None) or current_request_id()
        client = getattr(request, "client_request_id", None) or current_client_request_id()
        record.client_request_id = f" client={client}" if client else ""
        return True
