"""Permission-matrix rows of the page frame, login and administration (no owner matters, but
for a passkey: one's own, or another user's)."""

from __future__ import annotations

import os
from typing import Any

from django_otp_webauthn.models import WebAuthnCredential

from tests.matrix import EVERYONE, OWN, ROLES, Row, World, expect, page


def _own_membership(world: World) -> dict[str, Any]:
    membership = world.user.memberships.first() if world.user else None
    return {"membership": membership.pk if membership else 0}


def _passkey(world: World) -> dict[str, Any]:
    """A passkey of the acting user (own case) or of ben, a user of another agency (the
    foreign cases, and for visitors). The own one is not confirmed: a confirmed one would make
    the unverified test session ask for its second step first."""
    owner = world.user if world.owner == OWN and world.user is not None else world.ben
    passkey = WebAuthnCredential.objects.create(
        user=owner,
        name="Passkey",
        confirmed=owner != world.user,
        credential_id=os.urandom(32),
        public_key=b"\xa0",
        aaguid="00000000-0000-0000-0000-000000000000",
    )
    return {"passkey_id": passkey.pk}


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
    # Passkeys: the JSON endpoints of django-otp-webauthn's scripts (the ceremonies themselves
    # are tested in test_passkeys), and the removal, which finds the user's own passkeys only.
    "accounts:passkey_register_begin": page(
        "accounts:passkey_register_begin",
        method="POST",
        expect=expect(roles=ROLES),
        note="the options for a new passkey of the session's user",
    ),
    "accounts:passkey_register_complete": page(
        "accounts:passkey_register_complete",
        method="POST",
        expect=expect(ok=400, roles=ROLES),
        note="no ceremony begun: refused (invalid_state)",
    ),
    "accounts:passkey_remove": page(
        "accounts:passkey_remove",
        method="POST",
        kwargs=_passkey,
        expect=expect(ok=302, roles=ROLES, owners=(OWN,)),
        note="another user's passkey is missing (404) and stays",
    ),
    "accounts:passkey_login_begin": page(
        "accounts:passkey_login_begin",
        method="POST",
        expect=expect(roles=(), denied=403, anonymous=403),
        note="no login waiting for its second step (test_passkeys runs the step)",
    ),
    "accounts:passkey_login_complete": page(
        "accounts:passkey_login_complete",
        method="POST",
        expect=expect(roles=(), denied=403, anonymous=403),
        note="no login waiting for its second step",
    ),
    "accounts:passkey_js_catalog": page(
        "accounts:passkey_js_catalog",
        expect=expect(roles=ROLES, anonymous=200),
        note="the package's script texts, needed before the login is complete",
    ),
    "accounts:agency_users": page(
        "accounts:agency_users",
        expect=expect(roles=("agency_admin", "system_admin")),
        note="the users of the own agency only; accounts are changed in the admin",
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
