from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja.security import HttpBearer, SessionAuth

from lotse.accounts.middleware import resolve_membership
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
