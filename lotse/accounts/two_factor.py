"""The second factor: who needs one, and the half-finished login between password and code.

A login with a second factor has two steps. The password step does not log the user in: it
keeps a *pending login* in the session (the user, the backend, where to go next), and only the
code step calls Django's ``login()`` and django-otp's ``login()``. So axes resets its count only
after both steps, the audit trail records one successful login, and no session is ever
"logged in" with half the credentials — except the one case where there is no second factor yet:
a member of a role that needs one logs in with the password and may do nothing but enrol
(``SecondFactorMiddleware``).

A second factor is an authenticator app (TOTP), a passkey (WebAuthn, ``passkeys``) or both;
the recovery codes come with the first of them. The writes (enrolment, recovery codes,
verification, removal, reset) are in ``services``.
"""

from __future__ import annotations

import enum
import time
from base64 import b32encode
from dataclasses import dataclass
from typing import Any

import segno
from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY
from django.db.models import BooleanField, Exists, OuterRef, QuerySet, Value
from django.http import HttpRequest
from django.utils.safestring import SafeString, mark_safe
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp_webauthn.models import WebAuthnCredential

from .models import Membership, User

#: The sender of ``user_login_failed`` for a wrong code: axes counts it like a wrong password,
#: the audit trail records it as a failed second step.
SECOND_STEP_SENDER = "lotse.accounts.second_step"
PENDING_SESSION_KEY = "lotse_2fa_pending"
ENROL_KEY_SESSION_KEY = "lotse_2fa_enrol_key"
#: Minutes between the password and the code before the password has to be entered again.
PENDING_MINUTES = 5
RECOVERY_CODE_COUNT = 10


class Need(enum.StrEnum):
    """What an authenticated session without a verified second factor still lacks."""

    VERIFY = "verify"  # the user has a device: enter its code
    ENROL = "enrol"  # the user's role needs a device and there is none: set one up


def required_roles() -> frozenset[str]:
    return frozenset(settings.TWO_FACTOR_REQUIRED_ROLES)


def _required_q(roles: frozenset[str]) -> Exists:
    return Exists(
        Membership.objects.filter(
            user=OuterRef("pk"), is_active=True, agency__is_active=True, role__in=roles
        )
    )


def _device_q(model: Any) -> Exists:
    return Exists(model.objects.filter(user=OuterRef("pk"), confirmed=True))


def with_second_factor_state(users: QuerySet[User]) -> QuerySet[User]:
    """``users`` annotated with what ``second_factor_need`` asks (a device, a role needing one),
    so that the request's user answers it without a query of its own."""
    roles = required_roles()
    return users.annotate(
        lotse_2fa_totp=_device_q(TOTPDevice),
        lotse_2fa_static=_device_q(StaticDevice),
        lotse_2fa_passkey=_device_q(WebAuthnCredential),
        lotse_2fa_required=_required_q(roles)
        if roles
        else Value(False, output_field=BooleanField()),
    )


def second_factor_need(user: User) -> Need | None:
    """What ``user`` lacks for a full login when the session is not verified.

    Whoever has a device needs its code; whoever has none needs one if any of their active
    memberships is in a role of ``TWO_FACTOR_REQUIRED_ROLES`` (switching agency or role must
    not get around it). The request's user carries the answer (``LotseModelBackend``); any
    other user costs one query.
    """
    state = getattr(user, "lotse_2fa_totp", None)
    if state is None:
        fresh = with_second_factor_state(User.objects.filter(pk=user.pk)).first()
        if fresh is None:
            return None
        user = fresh
    if user.lotse_2fa_totp or user.lotse_2fa_passkey or user.lotse_2fa_static:  # type: ignore[attr-defined]
        return Need.VERIFY
    if user.lotse_2fa_required:  # type: ignore[attr-defined]
        return Need.ENROL
    return None


def user_has_second_factor(user: User) -> bool:
    return bool(
        TOTPDevice.objects.filter(user=user, confirmed=True).exists()
        or WebAuthnCredential.objects.filter(user=user, confirmed=True).exists()
        or StaticDevice.objects.filter(user=user, confirmed=True).exists()
    )


def user_has_app(user: User) -> bool:
    return bool(TOTPDevice.objects.filter(user=user, confirmed=True).exists())


def user_has_passkey(user: User) -> bool:
    return bool(WebAuthnCredential.objects.filter(user=user, confirmed=True).exists())


def user_has_primary_device(user: User) -> bool:
    """An app or a passkey: what the recovery codes stand in for when it is not at hand."""
    return user_has_app(user) or user_has_passkey(user)


def second_factor_required(user: User) -> bool:
    roles = required_roles()
    return bool(roles) and User.objects.filter(pk=user.pk).filter(_required_q(roles)).exists()


@dataclass(frozen=True)
class SecondFactorOverview:
    """What the "Zweiter Faktor" page shows: the app, the passkeys, the codes left, whether the
    role needs a second factor."""

    apps: list[Any]
    passkeys: list[Any]
    recovery_codes_left: int
    required: bool

    @property
    def has_primary_device(self) -> bool:
        return bool(self.apps or self.passkeys)


def second_factor_overview(user: User) -> SecondFactorOverview:
    apps = list(TOTPDevice.objects.filter(user=user, confirmed=True).order_by("pk"))
    passkeys = list(WebAuthnCredential.objects.filter(user=user, confirmed=True).order_by("pk"))
    return SecondFactorOverview(
        apps=apps,
        passkeys=passkeys,
        recovery_codes_left=StaticToken.objects.filter(
            device__user=user, device__confirmed=True
        ).count(),
        required=second_factor_required(user),
    )


# --- the pending login ---------------------------------------------------------------------


@dataclass(frozen=True)
class PendingLogin:
    user: User
    backend: str
    next_url: str


def pending_login_start(request: HttpRequest, *, user: User, next_url: str) -> None:
    """After the right password of a user with a device: remember them for the code step."""
    # A new session key: whoever planted a session cookie cannot take over the code step.
    request.session.cycle_key()
    request.session[PENDING_SESSION_KEY] = {
        "user": user.pk,
        "backend": getattr(user, "backend", settings.AUTHENTICATION_BACKENDS[-1]),
        "next": next_url,
        "since": time.time(),
    }


def pending_login_get(request: HttpRequest) -> PendingLogin | None:
    """The login waiting for its code, or None (none, expired, or the account deactivated)."""
    data = request.session.get(PENDING_SESSION_KEY)
    if not isinstance(data, dict):
        return None
    if time.time() - float(data.get("since", 0)) > PENDING_MINUTES * 60:
        pending_login_clear(request)
        return None
    user_id = data.get("user")
    if not isinstance(user_id, int):
        pending_login_clear(request)
        return None
    user = User.objects.filter(pk=user_id, is_active=True).first()
    if user is None or data.get("backend") not in settings.AUTHENTICATION_BACKENDS:
        pending_login_clear(request)
        return None
    return PendingLogin(user=user, backend=str(data["backend"]), next_url=str(data["next"]))


def pending_login_clear(request: HttpRequest) -> None:
    request.session.pop(PENDING_SESSION_KEY, None)


def session_backend(request: HttpRequest) -> str:
    """The backend that logged in the session's user (for completing their login)."""
    backend = request.session.get(BACKEND_SESSION_KEY)
    if backend in settings.AUTHENTICATION_BACKENDS:
        return str(backend)
    return str(settings.AUTHENTICATION_BACKENDS[-1])


# --- enrolment -----------------------------------------------------------------------------


def normalise_code(raw: str) -> str:
    """A code as typed: spaces and dashes dropped (apps show "123 456"), letters lower-cased."""
    return "".join(raw.split()).replace("-", "").lower()


def totp_uri(*, user: User, key_hex: str) -> str:
    """The otpauth:// URI an authenticator app reads from the QR code."""
    return str(TOTPDevice(user=user, key=key_hex).config_url)


def base32_secret(key_hex: str) -> str:
    """The secret as authenticator apps take it when typed in: base32 in groups of four."""
    plain = b32encode(bytes.fromhex(key_hex)).decode().rstrip("=")
    return " ".join(plain[i : i + 4] for i in range(0, len(plain), 4))


def qr_svg(data: str, *, title: str) -> SafeString:
    """The QR code as inline SVG: no image request, no inline style (the CSP allows neither)."""
    qr = segno.make(data, error="m")
    svg = qr.svg_inline(
        scale=5, border=4, dark="#000", light="#fff", title=title, svgclass="lotse-qr"
    )
    # segno escapes the title and writes only paths and attributes: safe to embed.
    return mark_safe(svg)  # noqa: S308
