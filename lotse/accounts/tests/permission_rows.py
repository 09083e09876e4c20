"""Permission-matrix rows of the page frame, login and administration (no owner matters)."""

from __future__ import annotations

from typing import Any

from tests.matrix import EVERYONE, ROLES, Row, World, expect, page


def _own_membership(world: World) -> dict[str, Any]:
    membership = world.user.memberships.first() if world.user else None
    return {"membership": membership.pk if membership else 0}


PAGES: dict[str, Row] = {
    "start": page("start", expect=expect(roles=ROLES)),
    "accounts:login": page(
        "accounts:login",
        expect=expect(roles=(), denied=302, anonymous=200),
        note="logged-in users are sent on to their start page",
    ),
    "accounts:logout": page(
        "accounts:logout", method="POST", expect=expect(ok=302, roles=ROLES, anonymous=302)
    ),
    # Without a pending login (the password step) there is no code to ask for: visitors go to
    # the login, logged-in users whose login is complete to their start page.
    "accounts:login_code": page(
        "accounts:login_code",
        expect=expect(roles=(), denied=302, anonymous=302),
        note="the code step itself is tested in test_two_factor",
    ),
    "accounts:two_factor": page("accounts:two_factor", expect=expect(roles=ROLES)),
    "accounts:two_factor_enrol": page("accounts:two_factor_enrol", expect=expect(roles=ROLES)),
    "accounts:two_factor_enrol POST": page(
        "accounts:two_factor_enrol",
        method="POST",
        expect=expect(roles=ROLES),
        data=lambda world: {"code": "000000"},
        note="a wrong code: the page again, with the error",
    ),
    "accounts:two_factor_recovery_codes": page(
        "accounts:two_factor_recovery_codes",
        method="POST",
        expect=expect(ok=302, roles=ROLES, anonymous=302),
        note="without an app there are no recovery codes: sent to set one up",
    ),
    "accounts:switch_membership": page(
        "accounts:switch_membership",
        method="POST",
        expect=expect(ok=302, roles=ROLES),
        data=_own_membership,
    ),
    "set_language": page(
        "set_language",
        method="POST",
        expect=expect(ok=302, roles=ROLES, anonymous=302),
        data=lambda world: {"language": "en"},
    ),
    "health": page("health", expect=expect(roles=EVERYONE, anonymous=200)),
    # The Django admin keeps its own login page; it lets in system administrators only.
    "admin:*": page(
        "admin:index",
        expect=expect(roles=("system_admin",), denied=302),
        note="admin redirects everyone else to its own login, which refuses them",
    ),
}
