from __future__ import annotations

import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import models, transaction
from django.utils import timezone

from lotse.audit.models import AuditAction, AuditEvent
from lotse.audit.services import record

from .models import Agency, ApiToken, Membership, User, hash_api_token

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
