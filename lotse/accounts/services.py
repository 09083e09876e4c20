from __future__ import annotations

import secrets
import time
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import models, transaction
from django.utils import timezone
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp_webauthn.models import WebAuthnCredential

from lotse.audit.models import AuditAction, AuditEvent
from lotse.audit.services import record

from .models import Agency, ApiToken, Membership, User, hash_api_token
from .two_factor import (
    RECOVERY_CODE_COUNT,
    normalise_code,
    second_factor_required,
    user_has_primary_device,
)

TOKEN_PREFIX = "lotse_"  # noqa: S105 - a marker, not a secret


@dataclass(frozen=True)
class IssuedToken:
    token: ApiToken
    raw: str


@transaction.atomic
def api_token_create(*, user: User, days: int | None = None, name: str = "") -> IssuedToken:
    """Create a bearer token; the raw value is returned once and never stored."""
    lifetime = days if days is not None else settings.API_TOKEN_DEFAULT_DAYS
    if lifetime < 1:
        raise ValueError("A token must be valid for at least one day.")
    raw = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=user,
        name=name,
        prefix=raw[: len(TOKEN_PREFIX) + 6],
        key_hash=hash_api_token(raw),
        expires_at=timezone.now() + timedelta(days=lifetime),
    )
    membership = user.primary_membership()
    record(
        action=AuditAction.API_TOKEN_CREATED,
        actor=user,
        agency=membership.agency if membership else None,
        target=token,
        detail={"days": lifetime},
    )
    return IssuedToken(token=token, raw=raw)


@transaction.atomic
def api_token_revoke(*, token: ApiToken, actor: User) -> None:
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        record(action=AuditAction.API_TOKEN_REVOKED, actor=actor, target=token)


def api_token_authenticate(*, raw: str) -> ApiToken | None:
    """The usable token for ``raw``, or None for unknown, expired and revoked alike."""
    if not raw.startswith(TOKEN_PREFIX) or len(raw) > 200:
        return None
    token = (
        ApiToken.objects.select_related("user")
        .filter(key_hash=hash_api_token(raw), user__is_active=True)
        .first()
    )
    if token is None or not token.is_usable():
        return None
    now = timezone.now()
    # Record use at most once a minute, so that busy clients do not write on every call.
    if token.last_used_at is None or now - token.last_used_at > timedelta(minutes=1):
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token


@transaction.atomic
def membership_switch(*, user: User, membership: Membership) -> None:
    record(
        action=AuditAction.MEMBERSHIP_SWITCHED,
        actor=user,
        agency=membership.agency,
        target=membership,
    )


# --- Audited writes of the Django admin --------------------------------------------------------
#
# The admin at /admin/ calls these, so that every write there leaves an audit event in the same
# transaction as the write itself. Events name the changed *fields*, never their values, except
# the few non-personal values the DPO needs to judge access (see ``_admin_access_values``).

ADMIN_ACTIONS = frozenset(
    {AuditAction.ADMIN_ADDED, AuditAction.ADMIN_CHANGED, AuditAction.ADMIN_DELETED}
)
# Form fields that all mean "the password": an event names them as ``password`` and nothing else.
_PASSWORD_FIELDS = frozenset(
    {"password", "password1", "password2", "usable_password", "set_usable_password"}
)


def _admin_field_names(fields: Iterable[str]) -> list[str]:
    return sorted({"password" if name in _PASSWORD_FIELDS else name for name in fields})


def _admin_access_values(target: models.Model) -> dict[str, Any]:
    """The values of ``target`` the DPO needs to judge access: no names, passwords or content."""
    if isinstance(target, Membership):
        return {
            "user": target.user_id,
            "agency": target.agency.code,
            "role": target.role,
            "is_active": target.is_active,
        }
    if isinstance(target, User):
        return {
            "is_active": target.is_active,
            "is_staff": target.is_staff,
            "is_superuser": target.is_superuser,
        }
    if isinstance(target, Agency):
        return {"code": target.code, "is_active": target.is_active}
    if isinstance(target, ApiToken):
        return {"user": target.user_id, "revoked": target.revoked_at is not None}
    return {}


def admin_change_record(
    *,
    actor: User,
    action: str,
    target: models.Model,
    fields: Iterable[str] = (),
    detail: dict[str, Any] | None = None,
) -> AuditEvent:
    """Record one admin write of ``target``, acting for the actor's primary agency.

    ``fields`` are the names of the changed form fields (never their values); deletions carry
    none. A deletion must be recorded before the row is gone, while ``target`` still has its id.
    """
    if action not in ADMIN_ACTIONS:
        raise ValueError(f"Not an admin action: {action!r}")
    if target.pk is None:
        raise ValueError("An admin event needs a saved target.")
    event_detail: dict[str, Any] = {}
    if action != AuditAction.ADMIN_DELETED:
        event_detail["fields"] = _admin_field_names(fields)
    event_detail.update(_admin_access_values(target))
    event_detail.update(detail or {})
    membership = actor.primary_membership()
    return record(
        action=action,
        actor=actor,
        agency=membership.agency if membership else None,
        target=target,
        detail=event_detail,
    )


@transaction.atomic
def admin_object_save(
    *, actor: User, obj: models.Model, fields: Iterable[str], adding: bool
) -> AuditEvent:
    """Save ``obj`` as the admin form left it, and record it as added or changed."""
    obj.save()
    return admin_change_record(
        actor=actor,
        action=AuditAction.ADMIN_ADDED if adding else AuditAction.ADMIN_CHANGED,
        target=obj,
        fields=fields,
    )


@transaction.atomic
def admin_object_delete(*, actor: User, obj: models.Model) -> None:
    admin_change_record(actor=actor, action=AuditAction.ADMIN_DELETED, target=obj)
    obj.delete()


@transaction.atomic
def admin_objects_delete(*, actor: User, queryset: models.QuerySet[Any]) -> int:
    """Delete the objects of ``queryset``, one event each; returns how many were deleted.

    Only the recorded objects are deleted, even if rows matching ``queryset`` appear meanwhile.
    """
    objects = list(queryset)
    for obj in objects:
        admin_change_record(actor=actor, action=AuditAction.ADMIN_DELETED, target=obj)
    queryset.filter(pk__in=[obj.pk for obj in objects]).delete()
    return len(objects)


@transaction.atomic
def api_tokens_revoke(*, tokens: Iterable[ApiToken], actor: User) -> int:
    """Revoke every token not yet revoked (each audited); returns how many were revoked now."""
    revoked = 0
    for token in tokens:
        if token.revoked_at is None:
            api_token_revoke(token=token, actor=actor)
            revoked += 1
    return revoked


# --- Second factor -------------------------------------------------------------------------------
#
# Authenticator apps (TOTP), passkeys (WebAuthn) and one-time recovery codes, kept by django-otp
# and django-otp-webauthn. Who needs them and the login in two steps are in ``two_factor``; the
# passkey ceremonies in ``passkeys``; these are the writes.

TOTP_DEVICE_NAME = "Authenticator-App"
RECOVERY_DEVICE_NAME = "Wiederherstellungscodes"


@dataclass(frozen=True)
class Enrolment:
    device: TOTPDevice
    recovery_codes: list[str]


def _acting_agency(user: User) -> Agency | None:
    membership = user.primary_membership()
    return membership.agency if membership else None


def _recovery_codes_replace(*, user: User) -> list[str]:
    """Ten new one-time codes; the old ones stop working. The device itself stays, so that a
    session verified with a recovery code stays verified."""
    devices = list(StaticDevice.objects.filter(user=user).order_by("pk"))
    if devices:
        device = devices[0]
        StaticDevice.objects.filter(pk__in=[d.pk for d in devices[1:]]).delete()
        device.token_set.all().delete()
        if not device.confirmed:
            device.confirmed = True
            device.save(update_fields=["confirmed"])
    else:
        device = StaticDevice.objects.create(user=user, name=RECOVERY_DEVICE_NAME, confirmed=True)
    codes: set[str] = set()
    while len(codes) < RECOVERY_CODE_COUNT:
        codes.add(StaticToken.random_token())
    ordered = sorted(codes)
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in ordered)
    return ordered


@transaction.atomic
def second_factor_enrol(*, user: User, key_hex: str, code: str) -> Enrolment | None:
    """Set up the app whose secret is ``key_hex`` if ``code`` is its current code; else None.

    An app set up before is replaced (a new phone), and ten new recovery codes replace the old.
    The confirming code cannot be used again for a login (django-otp's ``last_t``).
    """
    code = normalise_code(code)
    if not (code.isdigit() and len(code) == 6):
        return None
    totp = TOTP(bytes.fromhex(key_hex), 30, 0, 6, 0)
    totp.time = time.time()
    if not totp.verify(int(code), tolerance=1):
        return None
    replaced = TOTPDevice.objects.filter(user=user).count()
    TOTPDevice.objects.filter(user=user).delete()
    device = TOTPDevice.objects.create(
        user=user, name=TOTP_DEVICE_NAME, key=key_hex, confirmed=True, last_t=totp.t()
    )
    codes = _recovery_codes_replace(user=user)
    record(
        action=AuditAction.SECOND_FACTOR_ENROLLED,
        actor=user,
        agency=_acting_agency(user),
        target=user,
        detail={"device": "totp", "replaced": replaced, "recovery_codes": len(codes)},
    )
    return Enrolment(device=device, recovery_codes=codes)


@transaction.atomic
def recovery_codes_regenerate(*, user: User) -> list[str]:
    """New recovery codes for a user with an app or a passkey; the old codes stop working."""
    if not user_has_primary_device(user):
        raise ValueError("Recovery codes need an authenticator app or a passkey set up first.")
    codes = _recovery_codes_replace(user=user)
    record(
        action=AuditAction.RECOVERY_CODES_GENERATED,
        actor=user,
        agency=_acting_agency(user),
        target=user,
        detail={"recovery_codes": len(codes)},
    )
    return codes


def second_factor_verify(*, user: User, code: str) -> Any | None:
    """The device that accepts ``code`` (an app's code or an unused recovery code), or None.

    Six digits go to the app, anything else to the recovery codes, so that a mistyped app code
    does not slow down the recovery codes (django-otp brakes each device after wrong codes). A
    recovery code is deleted as it is used. Wrong codes are counted by the caller (axes).
    """
    code = normalise_code(code)
    if not code or len(code) > 16:
        return None
    model: Any = TOTPDevice if code.isdigit() and len(code) == 6 else StaticDevice
    with transaction.atomic():
        for device in model.objects.filter(user=user, confirmed=True).select_for_update():
            if device.verify_token(code):
                return device
    return None


@transaction.atomic
def second_factor_reset(*, user: User, actor: User) -> int:
    """Remove the user's app, passkeys and recovery codes (lost phone or key); returns how many
    devices went.

    Their sessions lose the verification with the device; a member of a role that needs a
    second factor is led through the enrolment again at the next request.
    """
    removed: int = TOTPDevice.objects.filter(user=user).count()
    removed += WebAuthnCredential.objects.filter(user=user).count()
    removed += StaticDevice.objects.filter(user=user).count()
    TOTPDevice.objects.filter(user=user).delete()
    # The passkeys with their attestations (deleted along by the database relation).
    WebAuthnCredential.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()
    record(
        action=AuditAction.SECOND_FACTOR_RESET,
        actor=actor,
        agency=_acting_agency(actor),
        target=user,
        detail={"devices": removed},
    )
    return removed


@transaction.atomic
def second_factors_reset(*, users: Iterable[User], actor: User) -> int:
    """Reset each user's second factor (each audited); returns how many users were reset."""
    count = 0
    for user in users:
        second_factor_reset(user=user, actor=actor)
        count += 1
    return count


# --- passkeys ------------------------------------------------------------------------------------

PASSKEY_DEVICE_NAME = "Passkey"


class LastSecondFactorError(Exception):
    """The passkey is the user's last app or passkey, and their role needs a second factor."""


def passkey_registered(*, user: User, device: WebAuthnCredential) -> None:
    """Audit a passkey the registration ceremony has just saved (``passkeys``, in its
    transaction). The passkey is an addition: the app and the recovery codes stay."""
    record(
        action=AuditAction.SECOND_FACTOR_ENROLLED,
        actor=user,
        agency=_acting_agency(user),
        target=user,
        detail={
            "device": "passkey",
            "passkeys": WebAuthnCredential.objects.filter(user=user, confirmed=True).count(),
        },
    )


@transaction.atomic
def passkey_remove(*, passkey: WebAuthnCredential, actor: User) -> bool:
    """The owner removes one of their passkeys; returns whether the recovery codes went too.

    A passkey is removed by its owner only (an administrator resets the whole second factor).
    The last app or passkey of a user whose role needs a second factor stays: they set up
    another first. Without any app or passkey left, the recovery codes have nothing to stand
    in for and go as well.
    """
    if passkey.user_id != actor.pk:
        raise PermissionError("A passkey is removed by its owner only.")
    others = WebAuthnCredential.objects.filter(user=actor, confirmed=True).exclude(pk=passkey.pk)
    last = not (others.exists() or TOTPDevice.objects.filter(user=actor, confirmed=True).exists())
    if last and second_factor_required(actor):
        raise LastSecondFactorError
    passkey.delete()
    codes_removed = False
    if last:
        codes_removed = StaticDevice.objects.filter(user=actor).delete()[0] > 0
    record(
        action=AuditAction.SECOND_FACTOR_REMOVED,
        actor=actor,
        agency=_acting_agency(actor),
        target=actor,
        detail={"device": "passkey", "recovery_codes_removed": codes_removed},
    )
    return codes_removed
