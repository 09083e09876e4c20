"""Building blocks of the permission matrix (see tests/test_permission_matrix.py).

Each app lists its rows in ``lotse/<app>/tests/permission_rows.py`` as ``PAGES`` (keyed by URL
name) and ``API`` (keyed by "METHOD /api/v1/path"); the matrix test collects them all.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import pytest
from django.urls import reverse

from lotse.accounts.models import User

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
