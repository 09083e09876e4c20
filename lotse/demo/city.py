"""The demo city: agencies and accounts of a city like Wuppertal. Demo data only."""

from __future__ import annotations

from dataclasses import dataclass

from lotse.accounts.models import Agency, LegalDomain
from lotse.accounts.roles import Role

DEMO_PASSWORD = "lotse-demo"  # noqa: S105 - documented demo password, demo data only


@dataclass(frozen=True)
class DemoAgency:
    code: str
    name: str
    kind: str
    is_public_body: bool
    legal_domains: tuple[str, ...]


@dataclass(frozen=True)
class DemoAccount:
    username: str
    first_name: str
    last_name: str
    agency_code: str
    role: str
    description: str


AGENCIES: tuple[DemoAgency, ...] = (
    DemoAgency(
        "kim",
        "Ressort Zuwanderung und Integration – KIM-Case-Management",
        Agency.Kind.INTEGRATION_OFFICE,
        True,
        (LegalDomain.TINTG,),
    ),
    DemoAgency(
        "ja",
        "Jugendamt Wuppertal – Allgemeiner Sozialer Dienst",
        Agency.Kind.YOUTH_WELFARE_OFFICE,
        True,
        (LegalDomain.SGB_VIII,),
    ),
    DemoAgency("jc", "Jobcenter Wuppertal", Agency.Kind.JOBCENTER, True, (LegalDomain.SGB_II,)),
    DemoAgency(
        "aa",
        "Agentur für Arbeit Solingen-Wuppertal",
        Agency.Kind.EMPLOYMENT_AGENCY,
        True,
        (LegalDomain.SGB_III,),
    ),
    DemoAgency(
        "sa",
        "Sozialamt – Leistungen nach dem AsylbLG",
        Agency.Kind.SOCIAL_WELFARE_OFFICE,
        True,
        (LegalDomain.ASYLBLG, LegalDomain.SGB_XII),
    ),
    DemoAgency(
        "abh",
        "Ausländerbehörde Wuppertal",
        Agency.Kind.FOREIGNERS_AUTHORITY,
        True,
        (LegalDomain.AUFENTHG,),
    ),
    DemoAgency(
        "schul",
        "Schulamt für die Stadt Wuppertal",
        Agency.Kind.SCHOOL_AUTHORITY,
        True,
        (LegalDomain.SCHULG,),
    ),
    DemoAgency(
        "car",
        "Caritas – Migrationsberatung für Erwachsene (MBE)",
        Agency.Kind.WELFARE_ASSOCIATION,
        False,
        (LegalDomain.NONE,),
    ),
    DemoAgency(
        "dia",
        "Diakonie – Jugendmigrationsdienst (JMD)",
        Agency.Kind.WELFARE_ASSOCIATION,
        False,
        (LegalDomain.NONE,),
    ),
    DemoAgency(
        "mso",
        "Verbund der Migrantenorganisationen (Demo)",
        Agency.Kind.MIGRANT_ORGANISATION,
        False,
        (LegalDomain.NONE,),
    ),
    DemoAgency(
        "fi",
        "Flüchtlingsinitiative (Demo)",
        Agency.Kind.VOLUNTEER_INITIATIVE,
        False,
        (LegalDomain.NONE,),
    ),
)

ACCOUNTS: tuple[DemoAccount, ...] = (
    DemoAccount("kim", "Katrin", "Imhoff", "kim", Role.CASEWORKER, "KIM case manager"),
    DemoAccount("jugendamt", "Jonas", "Abel", "ja", Role.CASEWORKER, "Jugendamt ASD"),
    DemoAccount("jobcenter", "Jana", "Cordes", "jc", Role.CASEWORKER, "Jobcenter"),
    DemoAccount("agentur", "Ahmet", "Günay", "aa", Role.CASEWORKER, "Agentur für Arbeit"),
    DemoAccount("sozialamt", "Sabine", "Otte", "sa", Role.CASEWORKER, "Sozialamt (AsylbLG)"),
    DemoAccount("abh", "Andreas", "Behrens", "abh", Role.CASEWORKER, "Ausländerbehörde"),
    DemoAccount("schulamt", "Svenja", "Ulrich", "schul", Role.CASEWORKER, "Schulamt"),
    DemoAccount("caritas", "Carla", "Rietz", "car", Role.CASEWORKER, "Caritas MBE"),
    DemoAccount("diakonie", "Dennis", "Iwanow", "dia", Role.CASEWORKER, "Diakonie JMD"),
    DemoAccount("mso", "Mariam", "Saleh", "mso", Role.CASEWORKER, "Migrant organisation"),
    DemoAccount("initiative", "Ingrid", "Thomsen", "fi", Role.CASEWORKER, "Refugee initiative"),
    DemoAccount("teamlead", "Tobias", "Lehmann", "kim", Role.TEAM_LEAD, "KIM team lead"),
    DemoAccount("steuerung", "Stefanie", "Uhl", "kim", Role.COORDINATOR, "Steering group"),
    DemoAccount("dsb", "Dana", "Schubert", "kim", Role.DPO, "Data-protection officer"),
    DemoAccount("admin", "Alex", "Dorn", "kim", Role.SYSTEM_ADMIN, "System administrator"),
)


@dataclass(frozen=True)
class DemoLegalBasis:
    from_kind: str
    to_kind: str
    categories: tuple[str, ...]
    citation: str
    note: str


# The start of a legal-basis register as a DPO might keep it (demo data, not legal advice).
LEGAL_BASES: tuple[DemoLegalBasis, ...] = (
    DemoLegalBasis(
        Agency.Kind.SOCIAL_WELFARE_OFFICE,
        Agency.Kind.JOBCENTER,
        ("identity", "residence", "finances"),
        "§ 50 Abs. 1 SGB II",
        "Hand-over on a change of benefit law (AsylbLG → SGB II).",
    ),
    DemoLegalBasis(
        Agency.Kind.JOBCENTER,
        Agency.Kind.EMPLOYMENT_AGENCY,
        ("identity", "work"),
        "§ 50 Abs. 1 SGB II",
        "Joint labour-market integration in the Integration Point.",
    ),
)
