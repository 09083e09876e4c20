from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.contrib.auth.hashers import make_password
from django.db import transaction

from lotse.accounts.models import Agency, Membership, Team, User
from lotse.accounts.roles import Role
from lotse.audit.models import AuditAction, AuditEvent
from lotse.audit.services import record
from lotse.consent.models import LegalBasis

from .cases import load_story_cases
from .city import ACCOUNTS, AGENCIES, DEMO_PASSWORD, LEGAL_BASES, TEAMS
from .daily import load_daily_work
from .families import load_families
from .offers import seed_demo_offers
from .referrals import load_demo_referrals
from .steering import load_steering_caseload
from .twofactor import demo_second_factor_ensure

Progress = Callable[[str, int, int], None]


@dataclass(frozen=True)
class SeedResult:
    agencies_created: int
    users_created: int
    families_created: int = 0
    persons_created: int = 0
    seconds_families: float = 0.0
    cases_created: int = 0
    steering_cases_created: int = 0


def demo_families_exist() -> bool:
    """Whether demo families were loaded before (recorded in the audit trail)."""
    return AuditEvent.objects.filter(
        action=AuditAction.DEMO_SEEDED, detail__has_key="families"
    ).exists()


def demo_cases_exist() -> bool:
    """Whether the story cases were written before (recorded in the audit trail)."""
    return AuditEvent.objects.filter(
        action=AuditAction.DEMO_SEEDED, detail__has_key="cases"
    ).exists()


def demo_steering_exists() -> bool:
    """Whether the statistical caseload was written before (recorded in the audit trail)."""
    return AuditEvent.objects.filter(
        action=AuditAction.DEMO_SEEDED, detail__has_key="steering"
    ).exists()


@transaction.atomic
def demo_city_seed(*, families: int, seed: int, progress: Progress | None = None) -> SeedResult:
    """Create the demo city once; running it again changes nothing that exists.

    ``families`` and ``seed`` drive the synthetic families (lotse.demo.families); the same seed
    always gives the same city. Families are loaded once: if demo families exist, none are added.
    The story cases (lotse.demo.cases) are written once, on households of those families; a
    missing work phone or team of a demo account is filled in. With families, the statistical
    caseload for the steering figures (lotse.demo.steering) is written once, too.
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
                "need_to_know": spec.need_to_know,
            },
        )
        agencies[spec.code] = agency
        agencies_created += int(created)

    teams = {
        (code, name): Team.objects.get_or_create(agency=agencies[code], name=name)[0]
        for code, name in TEAMS
    }

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
        team = teams.get((account.agency_code, account.team))
        membership, _ = Membership.objects.get_or_create(
            user=user,
            agency=agencies[account.agency_code],
            role=account.role,
            defaults={"phone": account.phone, "team": team},
        )
        missing: dict[str, object] = {}
        if not membership.phone and account.phone:
            missing["phone"] = account.phone
        if membership.team_id is None and team is not None:
            missing["team"] = team
        if missing:
            Membership.objects.filter(pk=membership.pk).update(**missing)
        demo_second_factor_ensure(user)  # dsb and admin: an app with a published demo secret
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
    cases_created = 0
    if not demo_cases_exist():
        cases_created = load_story_cases(seed=seed)
        if progress is not None and cases_created:
            progress("cases", cases_created, cases_created)
    # The directory (not personal data) and the referrals between the story cases' agencies.
    offers_created = seed_demo_offers().get("offers", 0)
    referrals_created = load_demo_referrals() if cases_created or demo_cases_exist() else 0
    if progress is not None and offers_created:
        progress("offers", offers_created, offers_created)
    if progress is not None and referrals_created:
        progress("referrals", referrals_created, referrals_created)
    # kim's appointments and tasks on the story cases, then the deadline run (once).
    daily_created = load_daily_work() if cases_created or demo_cases_exist() else 0
    if progress is not None and daily_created:
        progress("daily work", daily_created, daily_created)
    # After the story referrals: those are written only while no referral exists at all.
    steering_created = 0
    if families > 0 and not demo_steering_exists():
        steering_created = load_steering_caseload(seed=seed)
        if progress is not None and steering_created:
            progress("steering", steering_created, steering_created)
    if agencies_created or users_created or loaded is not None or cases_created or steering_created:
        detail: dict[str, int] = {
            "agencies": agencies_created,
            "users": users_created,
            "seed": seed,
        }
        if cases_created:
            detail["cases"] = cases_created
        if steering_created:
            detail["steering"] = steering_created
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
        cases_created=cases_created,
        steering_cases_created=steering_created,
    )
