from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.contrib.auth.hashers import make_password
from django.db import transaction

from lotse.accounts.models import Agency, Membership, User
from lotse.accounts.roles import Role
from lotse.audit.models import AuditAction
from lotse.audit.services import record

from .city import ACCOUNTS, AGENCIES, DEMO_PASSWORD

Progress = Callable[[str, int, int], None]


@dataclass(frozen=True)
class SeedResult:
    agencies_created: int
    users_created: int


@transaction.atomic
def demo_city_seed(*, families: int, seed: int, progress: Progress | None = None) -> SeedResult:
    """Create the demo city once; running it again changes nothing that exists.

    ``families`` and ``seed`` drive the synthetic people, which arrive with the people module;
    the same seed always gives the same city.
    """
    agencies_created = 0
    agencies: dict[str, Agency] = {}
    for spec in AGENCIES:
        agency, created = Agency.objects.get_or_create(
            code=spec.code,
            defaults={
                "name": spec.name,
                "kind": spec.kind,
                "is_public_body": spec.is_public_body,
                "legal_domains": list(spec.legal_domains),
            },
        )
        agencies[spec.code] = agency
        agencies_created += int(created)

    users_created = 0
    # One hash for all demo accounts: Argon2 is deliberately slow.
    password_hash = make_password(DEMO_PASSWORD)
    for account in ACCOUNTS:
        is_admin = account.role == Role.SYSTEM_ADMIN
        user, created = User.objects.get_or_create(
            username=account.username,
            defaults={
                "first_name": account.first_name,
                "last_name": account.last_name,
                "email": f"{account.username}@lotse.example",
                "password": password_hash,
                "is_staff": is_admin,
                "is_superuser": is_admin,
            },
        )
        users_created += int(created)
        Membership.objects.get_or_create(
            user=user, agency=agencies[account.agency_code], role=account.role
        )
    if progress is not None:
        progress("accounts", len(ACCOUNTS), len(ACCOUNTS))
    if agencies_created or users_created:
        record(
            action=AuditAction.DEMO_SEEDED,
            detail={"agencies": agencies_created, "users": users_created, "seed": seed},
        )
    return SeedResult(agencies_created=agencies_created, users_created=users_created)
