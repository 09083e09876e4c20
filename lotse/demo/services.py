from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.contrib.auth.hashers import make_password
from django.db import transaction

from lotse.accounts.models import Agency, Membership, User
from lotse.accounts.roles import Role
from lotse.audit.models import AuditAction, AuditEvent
from lotse.audit.services import record
from lotse.consent.models import LegalBasis

from .city import ACCOUNTS, AGENCIES, DEMO_PASSWORD, LEGAL_BASES
from .families import load_families

Progress = Callable[[str, int, int], None]


@dataclass(frozen=True)
class SeedResult:
    agencies_created: int
    users_created: int
    families_created: int = 0
    persons_created: int = 0
    seconds_families: float = 0.0


def demo_families_exist() -> bool:
    """Whether demo families were loaded before (recorded in the audit trail)."""
    return AuditEvent.objects.filter(
        action=AuditAction.DEMO_SEEDED, detail__has_key="families"
    ).exists()


@transaction.atomic
def demo_city_seed(*, families: int, seed: int, progress: Progress | None = None) -> SeedResult:
    """Create the demo city once; running it again changes nothing that exists.

    ``families`` and ``seed`` drive the synthetic families (lotse.demo.families); the same seed
    always gives the same city. Families are loaded once: if demo families exist, none are added.
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

    for basis in LEGAL_BASES:
        LegalBasis.objects.get_or_create(
            from_kind=basis.from_kind,
            to_kind=basis.to_kind,
            citation=basis.citation,
            defaults={"categories": list(basis.categories), "note": basis.note},
        )

    loaded = None
    if families > 0 and not demo_families_exist():
        loaded = load_families(families=families, seed=seed, progress=progress)
    if agencies_created or users_created or loaded is not None:
        detail: dict[str, int] = {
            "agencies": agencies_created,
            "users": users_created,
            "seed": seed,
        }
        if loaded is not None:
            # One event for the bulk demo data: it holds no person, so nothing to record per row.
            detail |= {
                "families": loaded.families,
                "persons": loaded.persons,
                "residence_statuses": loaded.statuses,
                "transitions": loaded.transitions,
            }
        record(action=AuditAction.DEMO_SEEDED, detail=detail)
    return SeedResult(
        agencies_created=agencies_created,
        users_created=users_created,
        families_created=loaded.families if loaded else 0,
        persons_created=loaded.persons if loaded else 0,
        seconds_families=loaded.seconds if loaded else 0.0,
    )
