from __future__ import annotations

from functools import cache
from typing import Any, cast

from django.http import Http404, HttpRequest
from ninja.security import HttpBearer, SessionAuth

from lotse.accounts.middleware import resolve_membership
from lotse.accounts.models import Membership, User
from lotse.accounts.roles import Capability
from lotse.accounts.services import api_token_authenticate


class BearerTokenAuth(HttpBearer):
    """``Authorization: Bearer lotse_…`` — unknown, expired and revoked tokens look the same."""

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        api_token = api_token_authenticate(raw=token)
        if api_token is None:
            return None
        request.user = api_token.user
        request.membership = api_token.user.primary_membership()  # type: ignore[attr-defined]
        return api_token


class LotseSessionAuth(SessionAuth):
    """The browser session of the pages, with CSRF protection for writes."""

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        user = super().authenticate(request, key)
        if user is not None and getattr(request, "membership", None) is None:
            request.membership = resolve_membership(request)  # type: ignore[attr-defined]
        return user


class _CapabilityCheck:
    """Mixed into the API's authenticators: after signing in, demand one of some capabilities.

    Checked during authentication, i.e. before ninja reads the body, so a caller without the
    capability gets the same 404 whatever they send: the API cannot be probed for what exists
    or for how input is validated.
    """

    capabilities: frozenset[Capability]

    def authenticate(self, request: HttpRequest, key: Any) -> Any:
        result = super().authenticate(request, key)  # type: ignore[misc]
        if result is not None:
            membership: Membership | None = getattr(request, "membership", None)
            if membership is None or not any(membership.can(c) for c in self.capabilities):
                raise Http404
        return result


@cache
def requires(*capabilities: Capability) -> list[Any]:
    """Authenticators for an operation open to members with any of ``capabilities``."""
    # The classes keep the names of the API's own authenticators: OpenAPI names security
    # schemes after the class, so one "Authorize" in the docs covers every endpoint.
    return [
        type(base.__name__, (_CapabilityCheck, base), {"capabilities": frozenset(capabilities)})()
        for base in (BearerTokenAuth, LotseSessionAuth)
    ]


def acting_membership(request: HttpRequest) -> Membership:
    membership: Membership | None = getattr(request, "membership", None)
    if membership is None:  # pragma: no cover - the capability check came first
        raise Http404
    return membership


def acting_user(request: HttpRequest) -> User:
    return cast(User, request.user)  # authenticated by the capability check
