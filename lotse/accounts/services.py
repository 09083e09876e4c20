from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from lotse.audit.models import AuditAction
from lotse.audit.services import record

from .models import ApiToken, Membership, User, hash_api_token

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
