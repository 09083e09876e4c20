from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.urls import URLPattern, URLResolver, re_path
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, ValidationError

from . import accounts, cases, consent, directory, people, referrals, reports, scheduling
from .auth import BearerTokenAuth, LotseSessionAuth

api = NinjaAPI(
    title="Lotse API",
    version="1",
    description=(
        "Cross-agency case management. Every response passes the same access policy as the "
        "pages: what a user may not see looks like it does not exist (404)."
    ),
    auth=[BearerTokenAuth(), LotseSessionAuth()],
    urls_namespace="api",
)
api.add_router("/", accounts.router)
api.add_router("/", people.router)
api.add_router("/", consent.router)
api.add_router("/", cases.router)
api.add_router("/", directory.router)
api.add_router("/", referrals.router)
api.add_router("/", reports.router)
api.add_router("/", scheduling.router)


@api.exception_handler(AuthenticationError)
def unauthorized(request: HttpRequest, exc: Exception) -> HttpResponse:
    return api.create_response(
        request,
        {"detail": "Authentication required: a valid bearer token or session."},
        status=401,
    )


@api.exception_handler(ValidationError)
def invalid(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    return api.create_response(
        request, {"detail": "Invalid request.", "errors": exc.errors}, status=422
    )


def _unknown_endpoint(request: HttpRequest, rest: str) -> JsonResponse:
    return JsonResponse({"detail": "Not found."}, status=404)


def api_urls() -> Any:
    """The API's URL patterns; the API authenticates itself, so the login redirect is off."""
    patterns, app_name, namespace = api.urls
    for pattern in _walk(patterns):
        pattern.callback.login_required = False  # type: ignore[attr-defined]
    fallback = re_path(r"^(?P<rest>.*)$", _unknown_endpoint, name="unknown")
    fallback.callback.login_required = False  # type: ignore[attr-defined]
    return [*patterns, fallback], app_name, namespace


def _walk(patterns: list[Any]) -> list[URLPattern]:
    found: list[URLPattern] = []
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            found.extend(_walk(pattern.url_patterns))
        else:
            found.append(pattern)
    return found
