"""Permission-matrix rows of the page frame, login and administration."""

from __future__ import annotations

from typing import Any

from tests.matrix import EVERYONE, ROLES, Context, Row, page


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
        "set_language",
        method="POST",
        ok=302,
        allowed=EVERYONE,
        data=lambda ctx: {"language": "en"},
    ),
    "health": page("health", allowed=EVERYONE),
    # The Django admin keeps its own login page; it lets in system administrators only.
    "admin:*": page(
        "admin:index",
        allowed=("system_admin",),
        denied=302,
        note="admin redirects everyone else to its own login, which refuses them",
    ),
}
