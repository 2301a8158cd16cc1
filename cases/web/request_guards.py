"""Request-wide guards: no caching of personal data, and a 400 (never a 500) for input no page
or endpoint can use."""

from __future__ import annotations

import functools
import re
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.cache import add_never_cache_headers

Handler = Callable[[HttpRequest], HttpResponse]
MAX_PARAMETER_LENGTH = 1000  # no filter, id or search field needs more
_FORBIDDEN_CHARACTERS = ("\x00",)  # PostgreSQL text cannot hold a NUL byte


def is_api(request: HttpRequest) -> bool:
    return request.path.startswith("/api/")


class NoStoreMiddleware:
    """Every response to a signed-in user, and every API response, may carry personal data:
    no browser or proxy may keep it. Static files never get here (whitenoise answers first)."""

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if is_api(request) or (user is not None and user.is_authenticated):
            add_never_cache_headers(response)
            response["Cache-Control"] = "no-store, no-cache, must-revalidate, max-age=0, private"
        return response


def invalid_parameters(request: HttpRequest) -> list[str]:
    """Names of query-string or form parameters no view can use (a NUL byte, absurd length)."""
    bad: list[str] = []
    sources = [request.GET]
    if request.method == "POST" and request.content_type in (
        "application/x-www-form-urlencoded",
        "multipart/form-data",
    ):
        sources.append(request.POST)
    for source in sources:
        for name, values in source.lists():
            hostile_name = any(c in name for c in _FORBIDDEN_CHARACTERS)
            if hostile_name or any(
                any(c in value for c in _FORBIDDEN_CHARACTERS)
                or (len(value) > MAX_PARAMETER_LENGTH and source is request.GET)
                for value in values
            ):
                bad.append("(unnamed)" if hostile_name else name)
    return bad


class InvalidInputMiddleware:
    """Answers 400 before any view sees input it cannot use: a GOV.UK error page, or for the
    API the usual field errors."""

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        bad = invalid_parameters(request)
        if not bad:
            return self.get_response(request)
        if is_api(request):
            return JsonResponse(
                {
                    name: ["This value contains characters or a length that are not allowed."]
                    for name in bad
                },
                status=400,
            )
        return render(request, "400.html", {"fields": bad}, status=400)


@functools.cache
def _declared_query_parameters() -> dict[tuple[str, str], frozenset[str]]:
    """(METHOD, path template) -> the query parameters the API's published schema declares:
    generated once per process from the same views the schema page describes."""
    from drf_spectacular.generators import SchemaGenerator

    schema = SchemaGenerator().get_schema(request=None, public=True)
    return {
        (method.upper(), path): frozenset(
            p["name"] for p in operation.get("parameters", []) if p["in"] == "query"
        )
        for path, methods in schema["paths"].items()
        for method, operation in methods.items()
    }


def _path_template(route: str) -> str:
    """A Django route ("api/children/<int:child_id>/") as the schema writes it."""
    return "/" + _CONVERTER.sub(r"{\1}", route)


_CONVERTER = re.compile(r"<(?:\w+:)?(\w+)>")


class UndeclaredQueryParametersMiddleware:
    """The API refuses a query parameter its schema does not declare, naming it, rather than
    ignoring it: a misspelt filter (`?agncy=3`) would otherwise answer with everything the
    caller may see, as if it had not been asked."""

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(
        self, request: HttpRequest, view: object, args: object, kwargs: object
    ) -> HttpResponse | None:
        match = request.resolver_match
        if not is_api(request) or not request.GET or match is None:
            return None
        declared = _declared_query_parameters().get(
            (request.method or "GET", _path_template(match.route))
        )
        if declared is None:  # not an operation of the published API (the schema page itself)
            return None
        undeclared = sorted(set(request.GET) - declared)
        if not undeclared:
            return None
        return JsonResponse(
            {name: ["This operation takes no such query parameter."] for name in undeclared},
            status=400,
        )
