"""The permission matrix: every URL and API operation × every role.

Adding a URL or an API operation without a row here fails ``test_every_url_has_a_row`` and
``test_every_api_operation_has_a_row``. A row says, for each role, which status the request
gets. Denied looks like missing (404) for logged-in users; anonymous visitors are sent to the
login page (pages) or get 401 (API).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from lotse.accounts.models import User
from lotse.api.api import api

ANONYMOUS = "anonymous"
ROLES = ("caseworker", "team_lead", "coordinator", "dpo", "agency_admin", "system_admin")
EVERYONE = (ANONYMOUS, *ROLES)
ROLE_FIXTURES = {
    "caseworker": "anna",
    "team_lead": "gero",
    "coordinator": "emil",
    "dpo": "frida",
    "agency_admin": "ida",
    "system_admin": "hana",
}


@dataclass
class Context:
    """What a row may need to build its request: the acting user and the cast's objects."""

    user: User | None
    request: pytest.FixtureRequest

    def fixture(self, name: str) -> Any:
        return self.request.getfixturevalue(name)


@dataclass(frozen=True)
class Row:
    method: str
    path: Callable[[Context], str]
    expect: Mapping[str, int]
    data: Callable[[Context], dict[str, Any]] = field(default=lambda ctx: {})
    note: str = ""


def page(
    name: str,
    *,
    allowed: tuple[str, ...] = ROLES,
    ok: int = 200,
    denied: int = 404,
    anonymous: int = 302,
    method: str = "GET",
    kwargs: Callable[[Context], dict[str, Any]] | None = None,
    data: Callable[[Context], dict[str, Any]] | None = None,
    overrides: Mapping[str, int] | None = None,
    note: str = "",
) -> Row:
    expect = {role: (ok if role in allowed else denied) for role in ROLES}
    expect[ANONYMOUS] = ok if ANONYMOUS in allowed else anonymous
    expect.update(overrides or {})
    return Row(
        method=method,
        path=lambda ctx: reverse(name, kwargs=kwargs(ctx) if kwargs else None),
        expect=expect,
        data=data or (lambda ctx: {}),
        note=note,
    )


def api_op(
    path: str,
    *,
    allowed: tuple[str, ...] = ROLES,
    method: str = "GET",
    ok: int = 200,
    path_args: Callable[[Context], dict[str, Any]] | None = None,
    data: Callable[[Context], dict[str, Any]] | None = None,
) -> Row:
    expect = {role: (ok if role in allowed else 404) for role in ROLES}
    expect[ANONYMOUS] = ok if ANONYMOUS in allowed else 401
    return Row(
        method=method,
        path=lambda ctx: path.format(**(path_args(ctx) if path_args else {})),
        expect=expect,
        data=data or (lambda ctx: {}),
    )


def _own_membership(ctx: Context) -> dict[str, Any]:
    membership = ctx.user.memberships.first() if ctx.user else None
    return {"membership": membership.pk if membership else 0}


PAGES: dict[str, Row] = {
    "start": page("start"),
    "accounts:login": page(
        "accounts:login",
        allowed=EVERYONE,
        overrides=dict.fromkeys(ROLES, 302),
        note="logged-in users are sent on to their start page",
    ),
    "accounts:logout": page("accounts:logout", method="POST", ok=302, allowed=EVERYONE),
    "accounts:switch_membership": page(
        "accounts:switch_membership", method="POST", ok=302, data=_own_membership
    ),
    "set_language": page(
        "set_language", method="POST", ok=302, allowed=EVERYONE, data=lambda ctx: {"language": "en"}
    ),
    "health": page("health", allowed=EVERYONE),
    "api:openapi-json": page("api:openapi-json", allowed=EVERYONE, note="public API description"),
    "api:openapi-view": page("api:openapi-view", allowed=EVERYONE, note="public API docs"),
    "api:api-root": page(
        "api:api-root", allowed=(), denied=404, anonymous=404, note="nothing at the root"
    ),
    "api:unknown": page(
        "api:unknown",
        kwargs=lambda ctx: {"rest": "no-such-endpoint"},
        allowed=(),
        denied=404,
        anonymous=404,
    ),
    # The Django admin keeps its own login page; it lets in system administrators only.
    "admin:*": page(
        "admin:index",
        allowed=("system_admin",),
        denied=302,
        note="admin redirects everyone else to its own login, which refuses them",
    ),
}

API: dict[str, Row] = {
    "GET /api/v1/me": api_op("/api/v1/me"),
    "GET /api/v1/agencies": api_op("/api/v1/agencies"),
}


# --- enumeration ------------------------------------------------------------------------------


def _walk(patterns: list[Any], namespace: str | None = None) -> Iterator[tuple[str, str]]:
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = pattern.namespace
            ns = f"{namespace}:{inner}" if namespace and inner else inner or namespace
            prefix = str(pattern.pattern)
            for name, route in _walk(pattern.url_patterns, ns):
                yield name, prefix + route
        elif isinstance(pattern, URLPattern):
            name = f"{namespace}:{pattern.name}" if namespace else str(pattern.name)
            yield name, str(pattern.pattern)


def _openapi_operations() -> set[str]:
    schema = api.get_openapi_schema()
    return {
        f"{method.upper()} {path}"
        for path, operations in schema["paths"].items()
        for method in operations
    }


def _as_openapi_path(route: str) -> str:
    return "/" + re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", route)


def test_every_url_has_a_row():
    operation_paths = {op.split(" ", 1)[1] for op in _openapi_operations()}
    missing = []
    for name, route in _walk(get_resolver().url_patterns):
        if name.startswith("admin:"):
            continue  # covered by the "admin:*" row
        if name.startswith("api:") and _as_openapi_path(route) in operation_paths:
            continue  # an API operation: covered by API rows
        if name not in PAGES:
            missing.append(f"{name} ({route})")
    assert not missing, f"URLs without a permission-matrix row: {missing}"


def test_every_api_operation_has_a_row():
    missing = sorted(_openapi_operations() - set(API))
    assert not missing, f"API operations without a permission-matrix row: {missing}"
    stale = sorted(set(API) - _openapi_operations())
    assert not stale, f"Rows for API operations that no longer exist: {stale}"


# --- the matrix itself ----------------------------------------------------------------------


def _cases() -> Iterator[Any]:
    for key, row in [*PAGES.items(), *API.items()]:
        for role in EVERYONE:
            yield pytest.param(row, role, id=f"{key}-{role}")


@pytest.mark.django_db
@pytest.mark.parametrize(("row", "role"), list(_cases()))
def test_matrix(row: Row, role: str, request: pytest.FixtureRequest) -> None:
    user = None if role == ANONYMOUS else request.getfixturevalue(ROLE_FIXTURES[role])
    request.getfixturevalue("agencies")
    ctx = Context(user=user, request=request)
    client = Client()
    if user is not None:
        client.force_login(user)
    path = row.path(ctx)
    response = client.generic(
        row.method,
        path,
        data=_encode(row.data(ctx)),
        content_type="application/x-www-form-urlencoded",
    )
    expected = row.expect[role]
    assert response.status_code == expected, (
        f"{row.method} {path} as {role}: expected {expected}, got {response.status_code}"
    )
    if role == ANONYMOUS and expected == 302 and row.method == "GET" and "admin" not in path:
        assert response["Location"].startswith(reverse("accounts:login"))


def _encode(data: dict[str, Any]) -> str:
    from urllib.parse import urlencode

    return urlencode(data)
