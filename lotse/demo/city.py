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
    #: Only the staff assigned to a family's case see its content (§ 35 SGB I).
    need_to_know: bool = False


@dataclass(frozen=True)
class DemoAccount:
    username: str
    first_name: str
    last_name: str
    agency_code: str
    role: str
    description: str
    #: The work phone other agencies of a case call (demo numbers: the subscriber number
    #: starts with 0, which is never assigned in Germany).
    phone: str = ""
    team: str = ""


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
        need_to_know=True,
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

ELBERFELD = "Team Elberfeld"
BARMEN = "Team Barmen"

#: Teams inside an agency: (agency code, team name). A team lead sees their team's cases.
TEAMS: tuple[tuple[str, str], ...] = (("kim", ELBERFELD), ("kim", BARMEN))

# fmt: off
ACCOUNTS: tuple[DemoAccount, ...] = (
    DemoAccount("kim", "Katrin", "Imhoff", "kim", Role.CASEWORKER, "KIM case manager",
                "0202 0563-4101", ELBERFELD),
    DemoAccount("jugendamt", "Jonas", "Abel", "ja", Role.CASEWORKER, "Jugendamt ASD",
                "0202 0563-2210"),
    DemoAccount("jugendamt2", "Johanna", "Brandt", "ja", Role.CASEWORKER,
                "Jugendamt ASD, assigned to no demo family (need-to-know)", "0202 0563-2214"),
    DemoAccount("jobcenter", "Jana", "Cordes", "jc", Role.CASEWORKER, "Jobcenter",
                "0202 0747-3310"),
    DemoAccount("agentur", "Ahmet", "Günay", "aa", Role.CASEWORKER, "Agentur für Arbeit",
                "0202 0286-1150"),
    DemoAccount("sozialamt", "Sabine", "Otte", "sa", Role.CASEWORKER, "Sozialamt (AsylbLG)",
                "0202 0563-5120"),
    DemoAccount("abh", "Andreas", "Behrens", "abh", Role.CASEWORKER, "Ausländerbehörde",
                "0202 0563-6630"),
    DemoAccount("schulamt", "Svenja", "Ulrich", "schul", Role.CASEWORKER, "Schulamt",
                "0202 0563-7040"),
    DemoAccount("caritas", "Carla", "Rietz", "car", Role.CASEWORKER, "Caritas MBE",
                "0202 0389-0412"),
    DemoAccount("diakonie", "Dennis", "Iwanow", "dia", Role.CASEWORKER, "Diakonie JMD",
                "0202 0974-0218"),
    DemoAccount("mso", "Mariam", "Saleh", "mso", Role.CASEWORKER, "Migrant organisation",
                "0202 0695-1023"),
    DemoAccount("initiative", "Ingrid", "Thomsen", "fi", Role.CASEWORKER, "Refugee initiative",
                "0202 0317-4490"),
    DemoAccount("teamlead", "Tobias", "Lehmann", "kim", Role.TEAM_LEAD,
                "KIM team lead (Team Elberfeld)", "0202 0563-4100", ELBERFELD),
    DemoAccount("steuerung", "Stefanie", "Uhl", "kim", Role.COORDINATOR, "Steering group"),
    DemoAccount("dsb", "Dana", "Schubert", "kim", Role.DPO, "Data-protection officer",
                "0202 0563-1008"),
    DemoAccount("caritas-admin", "Clara", "Brenner", "car", Role.AGENCY_ADMIN,
                "Caritas agency admin: maintains the Caritas offers", "0202 0389-0400"),
    DemoAccount("mso-admin", "Murat", "Yıldız", "mso", Role.AGENCY_ADMIN,
                "Migrant organisation admin: proposed a new provider", "0202 0695-1000"),
    DemoAccount("admin", "Alex", "Dorn", "kim", Role.SYSTEM_ADMIN, "System administrator"),
)
# fmt: on


@dataclass(frozen=True)
class DemoLegalBasis:
    from_kind: str
    to_kind: str
    categories: tuple[str, ...]
    citation: str
    note: str


# The start of a legal-basis register as a DPO might keep it (demo data, not legal advice;
# in German, as the city's DPO writes it).
LEGAL_BASES: tuple[DemoLegalBasis, ...] = (
    DemoLegalBasis(
        Agency.Kind.SOCIAL_WELFARE_OFFICE,
        Agency.Kind.JOBCENTER,
        ("identity", "residence", "finances"),
        "§ 50 Abs. 1 SGB II",
        "Übergabe bei einem Rechtskreiswechsel (AsylbLG → SGB II).",
    ),
    DemoLegalBasis(
        Agency.Kind.JOBCENTER,
        Agency.Kind.EMPLOYMENT_AGENCY,
        ("identity", "work"),
        "§ 50 Abs. 1 SGB II",
        "Gemeinsame Integration in Arbeit im Integration Point.",
    ),
)
