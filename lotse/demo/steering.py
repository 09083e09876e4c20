"""The statistical caseload of the demo city: enough families for the steering figures.

The story cases (``lotse.demo.cases``) are a dozen; on the figures page (``/steering/``)
nearly every cell of a dozen families is withheld ("< 5"). :func:`load_steering_caseload`
adds a few hundred families in case management over the last thirty months, so that a
coordinator sees what the figures are for: stock and flow, contacts by channel, who is in
care, needs, referrals, closures and goals, structural findings, and the network around them.

Isolated, so that no demo account's view changes: the families belong to agencies of their
own (:data:`STEERING_AGENCIES`) without demo logins — their staff are internal members
without a usable password, needed only as authors — and nothing is shared with a demo agency
(no consent, no participation, no referral to one). No agency here *owns* data of a kind the
demo's legal-basis register (``city.LEGAL_BASES``) opens to another kind: the Jobcenter of
the caseload only receives referrals, as the demo Agentur would otherwise see its persons
under § 50 SGB II. Staff posts, meetings and agreements are no personal data; they name demo
agencies too, as a real steering group's records would.

Written as the other demo loaders write: families through ``families.write_families`` (the
bulk writer of the demo families), everything else with ``bulk_create``, keeping what the
services keep (a participant row and a lead assignment per case, phase changes along
``cases.services.TRANSITIONS``, assessments in ``DOMAIN_CATEGORY[domain]``, goals and measures
in ``case_plan``, referral events for every change of state). Dates are relative to the day
of seeding. Deterministic: the same seed and day give the same caseload.
"""

from __future__ import annotations

import math
import random
import uuid
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.db.models import Q
from django.utils import timezone

from lotse.accounts.models import Agency, LegalDomain, Membership, User
from lotse.accounts.roles import Role
from lotse.cases.models import (
    DOMAIN_CATEGORY,
    Assessment,
    CameVia,
    Case,
    CaseAssignment,
    CaseParticipant,
    CasePhaseChange,
    ClosureReason,
    Goal,
    JournalEntry,
    LifeDomain,
    Measure,
    Phase,
    UnmetNeed,
)
from lotse.consent.categories import DataCategory
from lotse.core.dates import start_of, years_before
from lotse.people.choices import District, HouseholdRole, LanguageLevel
from lotse.people.models import Household, Person
from lotse.referrals.models import (
    DeclineReason,
    NotCompletedReason,
    Referral,
    ReferralEvent,
    Status,
    Urgency,
)
from lotse.reports.models import (
    BuildingBlock,
    CooperationAgreement,
    FindingStatus,
    GovernanceMeeting,
    StaffPost,
    StructuralFinding,
)

from .city import DemoAgency
from .families import (
    COUPLE,
    SINGLE,
    FamilySpec,
    PersonSpec,
    Weighted,
    generate_families,
    write_families,
)

#: How far back the caseload reaches (thirty months).
MONTHS = 30
DAYS_BACK = MONTHS * 365 // 12

A = Agency.Kind

STEERING_AGENCIES: tuple[DemoAgency, ...] = (
    DemoAgency(
        "kim-nord",
        "KIM-Case-Management Wuppertal-Nord (Statistikbestand)",
        A.INTEGRATION_OFFICE,
        True,
        (LegalDomain.TINTG,),
    ),
    DemoAgency(
        "kim-sued",
        "KIM-Case-Management Wuppertal-Süd (Statistikbestand)",
        A.INTEGRATION_OFFICE,
        True,
        (LegalDomain.TINTG,),
    ),
    DemoAgency(
        "ja-mig",
        "Jugendamt – Fachdienst Migration und Familie (Statistikbestand)",
        A.YOUTH_WELFARE_OFFICE,
        True,
        (LegalDomain.SGB_VIII,),
        need_to_know=True,
    ),
    # The receivers own no personal data: they only receive referrals and own goals.
    DemoAgency(
        "jc-ip",
        "Jobcenter – Integration Point (Statistikbestand)",
        A.JOBCENTER,
        True,
        (LegalDomain.SGB_II,),
    ),
    DemoAgency(
        "awo-mbe",
        "AWO – Migrationsberatung und Fachdienste (Statistikbestand)",
        A.WELFARE_ASSOCIATION,
        False,
        (LegalDomain.NONE,),
    ),
    DemoAgency(
        "mso-netz",
        "Netzwerk der Migrantenorganisationen (Statistikbestand)",
        A.MIGRANT_ORGANISATION,
        False,
        (LegalDomain.NONE,),
    ),
)
LEADS = ("kim-nord", "kim-sued", "ja-mig")
#: Internal caseworkers per lead agency (never a figure per caseworker; authors only).
STAFF_PER_LEAD = 3

#: Where the two KIM offices work; the Fachdienst of the Jugendamt works city-wide.
NORTH = frozenset(
    {
        District.ELBERFELD,
        District.ELBERFELD_WEST,
        District.UELLENDAHL_KATERNBERG,
        District.VOHWINKEL,
        District.CRONENBERG,
    }
)

#: The clientele of KIM case management: mostly refugees, some EU migrants, a few from
#: countries rare enough to end up among "Sonstige".
ORIGIN_WEIGHTS: tuple[tuple[str, float], ...] = (
    ("SY", 22), ("UA", 17), ("AF", 13), ("IQ", 10), ("TR", 9), ("RO", 9), ("ER", 8),
    ("BG", 3), ("IR", 3), ("GN", 3), ("NG", 3),
)  # fmt: skip
#: Parents who followed their children (family reunion) or fled late in life.
OLDER_SHARE = {COUPLE: 0.3, SINGLE: 0.06}
OLDER_ORIGINS = frozenset({"UA", "SY", "TR", "RO", "IQ"})

STAFF_NAMES = (
    ("Miriam", "Albers"), ("Kai", "Berger"), ("Leonie", "Dahl"), ("Timo", "Ebert"),
    ("Sina", "Frank"), ("Yusuf", "Kaya"), ("Nadine", "Lorenz"), ("Paul", "Menke"),
    ("Aylin", "Özdemir"), ("Hanna", "Pohl"), ("Ole", "Richter"), ("Vera", "Stein"),
)  # fmt: skip


# --- the course of a case (shared with the reports bench) ------------------------------------


EARLY_END: Weighted[str] = Weighted(
    [
        (ClosureReason.ENDED_COOPERATION, 45),
        (ClosureReason.MOVED_AWAY, 40),
        (ClosureReason.OTHER, 15),
    ]
)
REGULAR_END: Weighted[str] = Weighted(
    [
        (ClosureReason.GOALS_REACHED, 62),
        (ClosureReason.HANDED_OVER, 18),
        (ClosureReason.MOVED_AWAY, 8),
        (ClosureReason.ENDED_COOPERATION, 7),
        (ClosureReason.OTHER, 5),
    ]
)
#: Days from the previous step to the next one of the cycle, as (phase, fewest, most).
CYCLE = (
    (Phase.ASSESSMENT, 5, 21),
    (Phase.PLANNING, 14, 45),
    (Phase.IMPLEMENTATION, 7, 28),
    (Phase.MONITORING, 90, 200),
    (Phase.EVALUATION, 45, 120),
)


@dataclass(frozen=True)
class CaseCourse:
    """When a case was opened, the phases it entered since (in order) and its end."""

    opened: date
    steps: tuple[tuple[str, date], ...]
    closed: date | None
    reason: str  # closure reason; "" while open

    @property
    def phase(self) -> str:
        return self.steps[-1][0] if self.steps else Phase.INTAKE

    def entered(self, phase: str) -> date | None:
        return next((day for each, day in self.steps if each == phase), None)


def case_course(
    rng: random.Random, today: date, *, days_back: int, not_before: date | None = None
) -> CaseCourse:
    """A case opened within ``days_back`` days (more of them recently: the programme grew),
    not before ``not_before``, going through the cycle; one in eight ends early (the family
    moved or stopped), the others after three months to two years, most with goals reached.
    Nothing of it lies after ``today``.
    """
    if rng.random() < 0.5:
        back = rng.randint(0, days_back)
    else:
        back = int(days_back * (1 - math.sqrt(rng.random())))
    opened = today - timedelta(days=back)
    if not_before is not None and opened < not_before:
        opened = min(today, not_before + timedelta(days=rng.randint(7, 60)))
    if rng.random() < 0.12:
        ends, reason = opened + timedelta(days=rng.randint(14, 120)), EARLY_END.pick(rng)
    else:
        ends = opened + timedelta(days=int(rng.triangular(90, 760, 330)))
        reason = REGULAR_END.pick(rng)
    steps: list[tuple[str, date]] = []
    day = opened
    for phase, fewest, most in CYCLE:
        day += timedelta(days=rng.randint(fewest, most))
        if day >= ends or day > today:
            break
        steps.append((phase, day))
    if ends > today:
        return CaseCourse(opened, tuple(steps), None, "")
    steps.append((Phase.CLOSED, ends))
    return CaseCourse(opened, tuple(steps), ends, reason)


# --- what the caseload writes about ----------------------------------------------------------


@dataclass(frozen=True)
class DomainText:
    topic: str  # a journal entry's subject
    fine: str  # situation with little need
    hard: str  # situation with a medium or high need
    goal: str
    measure: str
    gap: str  # a need without a suitable offer
    receiver: str = ""  # the agency a referral goes to ("": the lead works on it itself)
    referral: str = ""
    feedback: str = "Unterstützung abgeschlossen; Rückmeldung an die Fallverantwortliche."


D = LifeDomain
TEXTS: dict[str, DomainText] = {
    D.RESIDENCE: DomainText(
        "Verlängerung des Aufenthaltstitels und Unterlagen für die Ausländerbehörde besprochen.",
        "Aufenthaltstitel gültig; die nächste Verlängerung ist vorbereitet.",
        "Aufenthalt ungesichert; Fristen laufen, Unterlagen fehlen.",
        "Der Aufenthalt ist gesichert, die Verlängerung rechtzeitig beantragt.",
        "Termin bei der Ausländerbehörde vorbereiten und begleiten.",
        "Keine Verfahrensberatung mit Sprachmittlung in erreichbarer Nähe.",
    ),
    D.LANGUAGE: DomainText(
        "Deutschkurs und Kinderbetreuung während des Kurses besprochen.",
        "Besucht einen Integrationskurs und kommt gut voran.",
        "Kaum Deutschkenntnisse; ein Kurs scheiterte bisher an der Kinderbetreuung.",
        "Deutsch auf Niveau B1: Integrationskurs abgeschlossen.",
        "Anmeldung zum Integrationskurs mit Kinderbetreuung.",
        "Integrationskurs mit Kinderbetreuung: im Bezirk keine freien Plätze.",
        "awo-mbe",
        "Bitte Anmeldung zum Integrationskurs; Kinderbetreuung wird gebraucht.",
        "Kurs begonnen, erstes Modul abgeschlossen; nimmt regelmäßig teil.",
    ),
    D.HOUSING: DomainText(
        "Wohnungssuche: Angebote gesichtet, Unterlagen für Vermieter zusammengestellt.",
        "Eigene Wohnung, unbefristeter Mietvertrag.",
        "Lebt beengt in einer Unterkunft und sucht seit Monaten eine Wohnung.",
        "Die Familie bezieht eine eigene, ausreichend große Wohnung.",
        "Wohnberechtigungsschein beantragen, Wohnungssuche begleiten.",
        "Große Wohnungen zu angemessenen Kosten: kein Angebot.",
        "awo-mbe",
        "Bitte Unterstützung bei der Wohnungssuche.",
        "Wohnung gefunden, Mietvertrag unterschrieben.",
    ),
    D.WORK: DomainText(
        "Berufliche Perspektive, Anerkennung des Abschlusses und Bewerbungen besprochen.",
        "Arbeitet in Teilzeit und möchte aufstocken.",
        "Ohne Arbeit; der ausländische Abschluss ist nicht anerkannt.",
        "Eine sozialversicherungspflichtige Beschäftigung aufnehmen.",
        "Anerkennungsberatung und Bewerbungstraining vermitteln.",
        "Berufsbezogener Sprachkurs in Teilzeit: kein passendes Angebot.",
        "jc-ip",
        "Bitte Beratung zur Arbeitsaufnahme und zur Anerkennung des Abschlusses.",
        "Anerkennung beantragt, Arbeitsvertrag ab dem Monatsersten.",
    ),
    D.EDUCATION: DomainText(
        "Schulsituation, Elternsprechtag und Hausaufgabenhilfe besprochen.",
        "Geht regelmäßig zur Schule und kommt mit.",
        "Große Lücken in der Schule; braucht Förderung.",
        "Regelmäßiger Schulbesuch mit Förderunterricht.",
        "Hausaufgabenhilfe vermitteln, Gespräch mit der Klassenleitung.",
        "Seiteneinsteigerklassen: lange Wartezeit auf einen Schulplatz.",
        "mso-netz",
        "Bitte Platz in der Hausaufgabenhilfe.",
        "Kommt zweimal in der Woche; die Noten haben sich verbessert.",
    ),
    D.CHILDCARE: DomainText(
        "Kita-Platz: Anmeldung im Kita-Portal und Wartelisten besprochen.",
        "Geht in eine Kita in der Nähe.",
        "Kein Kita-Platz; die Mutter kann deshalb keinen Kurs besuchen.",
        "Das Kind hat einen Kita-Platz.",
        "Kita-Anmeldung und Kontakt zum Kita-Navigator.",
        "Kita-Plätze für unter Dreijährige: keine freien Plätze im Bezirk.",
    ),
    D.HEALTH: DomainText(
        "Arzttermine, Krankenversicherung und Belastungen besprochen.",
        "Keine besonderen Beschwerden; ein Hausarzt ist gefunden.",
        "Psychisch stark belastet; eine Therapie mit Sprachmittlung ist nötig.",
        "Eine passende Behandlung hat begonnen.",
        "Termin in der psychosozialen Beratung vereinbaren.",
        "Psychotherapie mit Sprachmittlung: Wartezeit über sechs Monate.",
        "awo-mbe",
        "Bitte Termin in der psychosozialen Beratung; Sprachmittlung nötig.",
        "Beratung begonnen; Übergang in eine Therapie ist geplant.",
    ),
    D.FINANCES: DomainText(
        "Leistungsbescheid und offene Rechnungen durchgesehen.",
        "Leistungen bewilligt; das Geld reicht.",
        "Mietschulden und Mahnungen; der Bescheid ist unklar.",
        "Die Schulden sind geregelt, ein Haushaltsplan steht.",
        "Schuldnerberatung vermitteln, Ratenzahlung vereinbaren.",
        "Schuldnerberatung: Wartezeit über drei Monate.",
        "awo-mbe",
        "Bitte Termin in der Schuldnerberatung.",
        "Ratenzahlung mit dem Vermieter vereinbart.",
    ),
    D.FAMILY: DomainText(
        "Erziehungsfragen und Belastungen im Familienalltag besprochen.",
        "Die Eltern kommen im Alltag gut zurecht.",
        "Hohe Belastung im Familienalltag; Konflikte zwischen Eltern und Kindern.",
        "Die Eltern fühlen sich in Erziehungsfragen sicherer.",
        "Teilnahme am Elterncafé oder an einer Erziehungsberatung.",
        "Erziehungsberatung in der Familiensprache: kein Angebot.",
        "mso-netz",
        "Bitte Aufnahme in das Elterncafé.",
        "Die Mutter kommt regelmäßig ins Elterncafé.",
    ),
    D.PARTICIPATION: DomainText(
        "Freizeit, Vereine und Kontakte im Stadtteil besprochen.",
        "Hat Kontakte im Stadtteil und ist im Verein aktiv.",
        "Isoliert; kaum Kontakte außerhalb der Familie.",
        "Regelmäßige Teilnahme an einem Angebot im Stadtteil.",
        "Kontakt zu einer Migrantenorganisation im Stadtteil herstellen.",
        "Frauentreff mit Kinderbetreuung: kein Angebot im Bezirk.",
        "mso-netz",
        "Bitte Kontakt zu einem Treffpunkt im Stadtteil.",
        "Nimmt am Frauentreff teil.",
    ),
    D.MOBILITY: DomainText(
        "Sozialticket und Wege zu Terminen besprochen.",
        "Kommt mit Bus und Bahn zurecht.",
        "Termine sind schwer erreichbar; kein Sozialticket.",
        "Die Familie hat ein Sozialticket und kennt die Wege.",
        "Sozialticket beantragen.",
        "Keine Begleitung zu Terminen außerhalb des Bezirks.",
    ),
}

K = JournalEntry.Kind
KINDS: Weighted[str] = Weighted(
    [
        (K.TALK, 36),
        (K.PHONE_CALL, 30),
        (K.EMAIL, 14),
        (K.HOME_VISIT, 10),
        (K.LETTER, 6),
        (K.DECISION, 2),
        (K.OTHER, 2),
    ]
)
OPENERS: dict[str, str] = {
    K.TALK: "Gespräch im Büro:",
    K.PHONE_CALL: "Telefonat:",
    K.EMAIL: "E-Mail:",
    K.HOME_VISIT: "Hausbesuch:",
    K.LETTER: "Schreiben:",
    K.DECISION: "Entscheidung im Fall:",
    K.OTHER: "Notiz:",
}
SPOKEN = frozenset({K.TALK, K.PHONE_CALL, K.HOME_VISIT})
NEEDS: Weighted[int] = Weighted([(0, 12), (1, 28), (2, 38), (3, 22)])
GERMAN_NEED: dict[str, int] = {
    LanguageLevel.NONE: 3, LanguageLevel.A1: 3, LanguageLevel.A2: 2, LanguageLevel.B1: 2,
    LanguageLevel.B2: 1, LanguageLevel.C1: 0, LanguageLevel.C2: 0, LanguageLevel.NATIVE: 0,
}  # fmt: skip
#: Goal attainment by how the case ended (None: not evaluated).
ATTAINMENT: dict[str, Weighted[int | None]] = {
    ClosureReason.GOALS_REACHED: Weighted([(2, 12), (1, 30), (0, 45), (-1, 10), (-2, 3)]),
    ClosureReason.HANDED_OVER: Weighted([(1, 10), (0, 45), (-1, 25), (None, 20)]),
    ClosureReason.ENDED_COOPERATION: Weighted([(0, 10), (-1, 35), (-2, 35), (None, 20)]),
    ClosureReason.MOVED_AWAY: Weighted([(0, 25), (-1, 25), (None, 50)]),
    ClosureReason.OTHER: Weighted([(0, 30), (-1, 30), (None, 40)]),
    Phase.EVALUATION: Weighted([(1, 20), (0, 40), (-1, 20), (None, 20)]),
}
#: How likely a need of a domain finds no suitable offer in the districts where offers are
#: lacking (elsewhere: ``GAP_ELSEWHERE``): gaps cluster, which the steering group looks for.
GAPS: dict[str, tuple[float, frozenset[str]]] = {
    D.HOUSING: (0.35, frozenset({District.OBERBARMEN, District.ELBERFELD})),
    D.CHILDCARE: (0.3, frozenset({District.ELBERFELD, District.BARMEN})),
    D.HEALTH: (0.3, frozenset({District.ELBERFELD, District.BARMEN, District.OBERBARMEN})),
    D.LANGUAGE: (0.2, frozenset({District.HECKINGHAUSEN, District.OBERBARMEN})),
    D.WORK: (0.1, frozenset({District.VOHWINKEL})),
}
GAP_ELSEWHERE = 0.015
OUTCOMES: Weighted[str] = Weighted(
    [
        ("completed", 40),
        ("in_progress", 12),
        ("waitlisted", 6),
        ("declined", 16),
        ("not_completed", 9),
        ("cancelled", 5),
        ("expired", 5),
        ("accepted", 7),
    ]
)
DECLINES: Weighted[str] = Weighted(
    [
        (DeclineReason.CAPACITY, 55),
        (DeclineReason.NOT_ELIGIBLE, 20),
        (DeclineReason.FAMILY_DECLINED, 15),
        (DeclineReason.OTHER, 10),
    ]
)
NOT_COMPLETED: Weighted[str] = Weighted(
    [
        (NotCompletedReason.DROPPED_OUT, 45),
        (NotCompletedReason.NOT_SUITABLE, 30),
        (NotCompletedReason.MOVED, 15),
        (NotCompletedReason.OTHER, 10),
    ]
)


# --- the writer --------------------------------------------------------------------------------


@dataclass
class _Family:
    spec: FamilySpec
    household_id: int
    person_ids: dict[str, int]  # public id → pk

    def pk(self, person: PersonSpec) -> int:
        return self.person_ids[person.public_id]


@dataclass
class _Caseload:
    rng: random.Random
    today: date
    agencies: dict[str, Agency]
    staff: dict[str, list[User]]
    cases: list[Case] = field(default_factory=list)
    courses: list[CaseCourse] = field(default_factory=list)
    families: list[_Family] = field(default_factory=list)
    changes: list[CasePhaseChange] = field(default_factory=list)
    participants: list[CaseParticipant] = field(default_factory=list)
    assignments: list[CaseAssignment] = field(default_factory=list)
    assessments: list[Assessment] = field(default_factory=list)
    goals: list[Goal] = field(default_factory=list)
    measures: list[Measure] = field(default_factory=list)
    entries: list[JournalEntry] = field(default_factory=list)
    unmet: list[tuple[UnmetNeed, datetime]] = field(default_factory=list)
    # (referral, its events, the measure and the assessment it carries out)
    referrals: list[tuple[Referral, list[ReferralEvent], Measure, Assessment | None]] = field(
        default_factory=list
    )

    def group(self) -> uuid.UUID:
        return uuid.UUID(int=self.rng.getrandbits(128), version=4)

    @property
    def last(self) -> date:
        """The last day the caseload tells of: yesterday, so that no time of it lies after the
        moment of seeding and the same day always gives the same caseload."""
        return self.today - timedelta(days=1)

    def at(self, day: date, earliest: int = 8, latest: int = 17) -> datetime:
        """A time in office hours on ``day``."""
        moment = datetime.combine(
            day, time(self.rng.randint(earliest, latest - 1), self.rng.choice((0, 15, 30, 45)))
        )
        return timezone.make_aware(moment)

    # --- one case ---------------------------------------------------------------------------

    def case(self, family: _Family) -> None:
        rng, spec = self.rng, family.spec
        head = spec.members[0]
        arrived = head.arrival_in_city or head.arrival_in_germany
        course = case_course(rng, self.last, days_back=DAYS_BACK, not_before=arrived)
        code = spec.agency_code
        lead_agency, lead = self.agencies[code], rng.choice(self.staff[code])
        came_via = rng.choices(list(CameVia.values), weights=(45, 45, 10))[0]
        referred_by = (
            self.agencies[rng.choice(("awo-mbe", "mso-netz", "jc-ip"))]
            if came_via == CameVia.AGENCY
            else None
        )
        german = next((lang for lang in head.languages if lang.language == "de"), None)
        interpreter = head.languages[0].language if german and german.interpreter_needed else ""
        phase_since = (
            self.at(course.steps[-1][1], 14, 17) if course.steps else start_of(course.opened)
        )
        case = Case(
            household_id=family.household_id,
            lead_agency=lead_agency,
            lead_user=lead,
            opened_by=lead,
            opened_on=course.opened,
            phase=course.phase,
            phase_since=phase_since,
            came_via=came_via,
            referred_by=referred_by,
            interpreter_language=interpreter,
            closed_on=course.closed,
            closure_reason=course.reason,
        )
        self.cases.append(case)
        self.courses.append(course)
        self.families.append(family)

    def age(self, person: PersonSpec, day: date) -> int:
        return _age(person, day)

    # --- what a case holds, once the cases have their ids -----------------------------------

    def content(self) -> None:
        for case, course, family in zip(self.cases, self.courses, self.families, strict=True):
            self._history(case, course)
            looks = self._assessments(case, course, family)
            self._plan(case, course, family, looks)
            self._journal(case, course, family, looks)

    def _history(self, case: Case, course: CaseCourse) -> None:
        self.participants.append(
            CaseParticipant(
                case=case, agency=case.lead_agency, contact=case.lead_user, joined_on=course.opened
            )
        )
        self.assignments.append(
            CaseAssignment(
                case=case,
                agency=case.lead_agency,
                user=case.lead_user,
                kind=CaseAssignment.Kind.LEAD,
                valid_from=course.opened,
                assigned_by=case.lead_user,
            )
        )
        before = Phase.INTAKE.value
        for index, (phase, day) in enumerate(course.steps):
            last = index == len(course.steps) - 1
            self.changes.append(
                CasePhaseChange(
                    case=case,
                    from_phase=before,
                    to_phase=phase,
                    closure_reason=course.reason if phase == Phase.CLOSED else "",
                    changed_by=case.lead_user,
                    agency=case.lead_agency,
                    changed_at=case.phase_since if last else self.at(day, 14, 17),
                )
            )
            before = phase

    def _domains(self, person: PersonSpec, age: int, spec: FamilySpec) -> list[str]:
        """The life domains assessed for a person, each with how likely it is looked at."""
        chances: list[tuple[str, float]]
        if age < 6:
            chances = [(D.CHILDCARE, 1.0 if age >= 1 else 0.0), (D.HEALTH, 0.3)]
        elif age < 18:
            chances = [(D.EDUCATION, 1), (D.LANGUAGE, 0.5), (D.PARTICIPATION, 0.3), (D.HEALTH, 0.2)]
        else:
            parent = person.role == HouseholdRole.HEAD and any(
                m.role == HouseholdRole.CHILD for m in spec.members
            )
            chances = [
                (D.LANGUAGE, 1),
                (D.HOUSING, 1),
                (D.FINANCES, 1),
                (D.WORK, 1 if age < 65 else 0),
                # EU citizens need no residence title.
                (D.RESIDENCE, 0 if spec.country in ("RO", "BG") else 1),
                (D.FAMILY, 0.6 if parent else 0),
                (D.HEALTH, 0.7 if age >= 65 else 0.4),
                (D.PARTICIPATION, 0.4),
                (D.MOBILITY, 0.15),
            ]
        return [str(domain) for domain, chance in chances if self.rng.random() < chance]

    def _need(self, person: PersonSpec, domain: str) -> int:
        if domain == D.LANGUAGE:
            german = next((lang.level for lang in person.languages if lang.language == "de"), None)
            if german is not None:
                return max(
                    0, min(3, GERMAN_NEED.get(str(german), 2) + self.rng.choice((-1, 0, 0, 0)))
                )
        need: int = NEEDS.pick(self.rng)
        if domain == D.HOUSING:
            need = max(need, self.rng.choice((1, 2, 3)))
        return need

    def _assessments(
        self, case: Case, course: CaseCourse, family: _Family
    ) -> dict[tuple[int, str], Assessment]:
        """The assessment when the case entered it, and a second look at its evaluation;
        the latest per (person, domain)."""
        first = course.entered(Phase.ASSESSMENT)
        if first is None:
            return {}
        looks: dict[tuple[int, str], Assessment] = {}
        assessed = min(first + timedelta(days=self.rng.randint(0, 14)), self.last)
        spec = family.spec
        for person in spec.members:
            if person.birth_date > assessed:
                continue
            for domain in self._domains(person, self.age(person, assessed), spec):
                looks[(family.pk(person), domain)] = self._look(
                    case, family, person, domain, self._need(person, domain), assessed
                )
        evaluated = course.entered(Phase.EVALUATION)
        if evaluated is not None:
            for (pk, domain), earlier in list(looks.items()):
                if earlier.need >= 2 and self.rng.random() < 0.7:
                    person = next(m for m in spec.members if family.pk(m) == pk)
                    need = max(0, earlier.need - self.rng.choice((0, 1, 1, 2)))
                    looks[(pk, domain)] = self._look(case, family, person, domain, need, evaluated)
        return looks

    def _look(
        self,
        case: Case,
        family: _Family,
        person: PersonSpec,
        domain: str,
        need: int,
        day: date,
    ) -> Assessment:
        text = TEXTS[domain]
        assessment = Assessment(
            subject_id=family.pk(person),
            owner_agency=case.lead_agency,
            category=DOMAIN_CATEGORY[domain],
            case=case,
            group=self.group(),
            author=case.lead_user,
            domain=domain,
            situation=text.hard if need >= 2 else text.fine,
            need=need,
            assessed_on=day,
        )
        self.assessments.append(assessment)
        share, districts = GAPS.get(domain, (GAP_ELSEWHERE, frozenset()))
        if family.spec.district not in districts:
            share = GAP_ELSEWHERE
        if need >= 2 and self.rng.random() < share:
            noted = self.at(min(day + timedelta(days=self.rng.randint(1, 10)), self.last))
            resolved = None
            if self.rng.random() < 0.25 and noted.date() + timedelta(days=60) < self.last:
                resolved = noted.date() + timedelta(days=self.rng.randint(60, 240))
                resolved = min(resolved, self.last)
            unmet = UnmetNeed(
                subject_id=family.pk(person),
                owner_agency=case.lead_agency,
                category=DOMAIN_CATEGORY[domain],
                case=case,
                group=self.group(),
                author=case.lead_user,
                assessment=assessment,
                domain=domain,
                district=family.spec.district,
                note=text.gap,
                resolved_on=resolved,
            )
            self.unmet.append((unmet, noted))
        return assessment

    def _plan(
        self,
        case: Case,
        course: CaseCourse,
        family: _Family,
        looks: dict[tuple[int, str], Assessment],
    ) -> None:
        planned = course.entered(Phase.PLANNING)
        if planned is None:
            return
        rng = self.rng
        by_domain: dict[str, list[Assessment]] = {}
        for (_pk, domain), look in looks.items():
            if look.need >= 2:
                by_domain.setdefault(domain, []).append(look)
        chosen = sorted(by_domain, key=lambda d: (-max(a.need for a in by_domain[d]), d))
        chosen = chosen[: rng.randint(1, 3)] or [D.LANGUAGE]
        outcome = ATTAINMENT.get(course.reason or course.phase)
        for domain in chosen:
            text = TEXTS[domain]
            # A goal for at most two persons of the same need (both parents, two children).
            about = by_domain.get(domain, [])[:2]
            subjects = [a.subject_id for a in about] or [family.pk(family.spec.members[0])]
            responsible = self.agencies[text.receiver] if text.receiver else case.lead_agency
            goal_group, measure_group = self.group(), self.group()
            attainment = outcome.pick(rng) if outcome is not None else None
            target = planned + timedelta(days=rng.randint(120, 365))
            due = planned + timedelta(days=rng.randint(30, 150))
            status = self._measure_status(course, due, attainment)
            measures = []
            for subject in subjects:
                self.goals.append(
                    Goal(
                        subject_id=subject,
                        owner_agency=case.lead_agency,
                        category=DataCategory.CASE_PLAN,
                        case=case,
                        group=goal_group,
                        author=case.lead_user,
                        domain=domain,
                        text=text.goal,
                        responsible_agency=responsible,
                        target_date=target,
                        attainment=attainment,
                    )
                )
                measure = Measure(
                    subject_id=subject,
                    owner_agency=case.lead_agency,
                    category=DataCategory.CASE_PLAN,
                    case=case,
                    group=measure_group,
                    author=case.lead_user,
                    goal_group=goal_group,
                    text=text.measure,
                    responsible_agency=responsible,
                    due_date=due,
                    status=status,
                )
                self.measures.append(measure)
                measures.append(measure)
            if text.receiver:
                need = about[0] if about else None
                self._referral(case, course, family, domain, measures[0], need, planned)

    def _measure_status(self, course: CaseCourse, due: date, attainment: int | None) -> str:
        S, rng = Measure.Status, self.rng
        if course.closed is not None:
            worked = attainment is not None and attainment >= 0
            return S.DONE if worked or rng.random() < 0.4 else S.CANCELLED
        if due < self.today:
            return rng.choices([S.DONE, S.IN_PROGRESS, S.CANCELLED, S.PLANNED], (50, 35, 5, 10))[0]
        return rng.choices([S.PLANNED, S.IN_PROGRESS], (60, 40))[0]

    def _referral(
        self,
        case: Case,
        course: CaseCourse,
        family: _Family,
        domain: str,
        measure: Measure,
        look: Assessment | None,
        planned: date,
    ) -> None:
        rng, text = self.rng, TEXTS[domain]
        sent_on = planned + timedelta(days=rng.randint(1, 20))
        if sent_on > self.last or (course.closed is not None and sent_on >= course.closed):
            return
        sender = case.lead_user
        receiver_agency = self.agencies[text.receiver]
        receiver = rng.choice(self.staff[text.receiver])
        sent = self.at(sent_on, 9, 16)
        limit = start_of(self.today)
        if course.closed is not None:
            limit = min(limit, self.at(course.closed, 14, 17))
        outcome = OUTCOMES.pick(rng)
        chain: list[tuple[str, int, int]] = [] if rng.random() < 0.3 else [(Status.RECEIVED, 0, 2)]
        accept = [(Status.ACCEPTED, 1, 10)]
        chain += {
            "completed": [*accept, (Status.IN_PROGRESS, 5, 45), (Status.COMPLETED, 30, 180)],
            "in_progress": [*accept, (Status.IN_PROGRESS, 5, 45)],
            "accepted": accept,
            "not_completed": [
                *accept,
                (Status.IN_PROGRESS, 5, 45),
                (Status.NOT_COMPLETED, 20, 120),
            ],
            "waitlisted": [
                (Status.WAITLISTED, 2, 10),
                (Status.ACCEPTED, 20, 60),
                (Status.IN_PROGRESS, 5, 30),
                (Status.COMPLETED, 30, 150),
            ],
            "declined": [(Status.DECLINED, 1, 10)],
            "cancelled": [(Status.CANCELLED, 3, 20)],
            "expired": [],
        }[outcome]
        events = [ReferralEvent(status=Status.SENT, at=sent, agency=case.lead_agency, by=sender)]
        status, when = Status.SENT.value, sent
        values: dict[str, Any] = {}
        for step, fewest, most in chain:
            later = when + timedelta(days=rng.randint(fewest, most), hours=rng.randint(0, 6))
            if later > limit:
                break
            status, when = step, later
            by_sender = step == Status.CANCELLED
            events.append(
                ReferralEvent(
                    status=step,
                    at=when,
                    agency=case.lead_agency if by_sender else receiver_agency,
                    by=sender if by_sender else receiver,
                    note=self._step_values(step, text, values),
                )
            )
        expires = sent + timedelta(days=settings.REFERRAL_EXPIRY_DAYS)
        if status in (Status.SENT, Status.RECEIVED) and expires <= limit:
            # What ``referrals_expire`` does each night to an answer that never came.
            status, when = Status.EXPIRED.value, expires
            events.append(ReferralEvent(status=status, at=when))
        elif course.closed is not None and status not in (
            Status.COMPLETED,
            Status.DECLINED,
            Status.NOT_COMPLETED,
            Status.CANCELLED,
        ):
            # The case closed first: the support ends with it, or the sender withdraws.
            if status in (Status.ACCEPTED, Status.IN_PROGRESS):
                status = Status.NOT_COMPLETED.value
                reason = (
                    NotCompletedReason.MOVED
                    if course.reason == ClosureReason.MOVED_AWAY
                    else NotCompletedReason.DROPPED_OUT
                )
                values |= {"not_completed_reason": reason, "feedback": ""}
                agency, by = receiver_agency, receiver
            else:
                status = Status.CANCELLED.value
                agency, by = case.lead_agency, sender
            when = max(when, limit)
            events.append(ReferralEvent(status=status, at=when, agency=agency, by=by))
        head = family.spec.members[0]
        referral = Referral(
            subject_id=measure.subject_id,
            owner_agency=case.lead_agency,
            category=DataCategory.CASE_PLAN,
            case=case,
            to_agency=receiver_agency,
            categories=sorted({DataCategory.IDENTITY, DOMAIN_CATEGORY[domain]}),
            message=text.referral,
            urgency=rng.choices(list(Urgency.values), weights=(75, 20, 5))[0],
            language=head.languages[0].language if head.languages else "",
            interpreter_needed=bool(case.interpreter_language),
            status=status,
            sent_by=sender,
            sent_at=sent,
            answer_due=(sent + timedelta(days=settings.REFERRAL_ANSWER_DAYS)).date(),
            expires_on=expires.date(),
            handled_by=receiver
            if any(e.by == receiver and e.status != Status.RECEIVED for e in events)
            else None,
            status_changed_at=when,
            version=len(events),
            **values,
        )
        self.referrals.append((referral, events, measure, look))

    def _step_values(self, step: str, text: DomainText, values: dict[str, Any]) -> str:
        """The reason and feedback a step records (as ``referral_step`` asks), its note."""
        if step == Status.DECLINED:
            reason = DECLINES.pick(self.rng)
            values["decline_reason"] = reason
            if reason == DeclineReason.CAPACITY:
                return "Derzeit keine freien Plätze; Warteliste geschlossen."
            if reason == DeclineReason.OTHER:
                return "Das Angebot richtet sich an eine andere Altersgruppe."
            return ""
        if step == Status.NOT_COMPLETED:
            reason = NOT_COMPLETED.pick(self.rng)
            note = "Termine mehrfach nicht wahrgenommen." if reason == "other" else ""
            values |= {"not_completed_reason": reason, "feedback": note}
            return note
        if step == Status.COMPLETED:
            values["feedback"] = text.feedback
            return text.feedback
        if step == Status.WAITLISTED:
            return "Auf der Warteliste; Platz voraussichtlich in einigen Wochen."
        return ""

    def _journal(
        self,
        case: Case,
        course: CaseCourse,
        family: _Family,
        looks: dict[tuple[int, str], Assessment],
    ) -> None:
        rng, spec = self.rng, family.spec
        end = course.closed or self.last
        days = max(0, (end - course.opened).days)
        count = min(40, 1 + days // rng.randint(12, 30))
        topics = sorted({domain for (_pk, domain), a in looks.items() if a.need >= 2}) or [
            D.HOUSING,
            D.LANGUAGE,
        ]
        youth = case.lead_agency.kind == A.YOUTH_WELFARE_OFFICE
        for index in range(count):
            day = course.opened + timedelta(days=0 if index == 0 else rng.randint(0, days))
            day = min(day, self.last)
            kind = K.TALK if index == 0 else KINDS.pick(rng)
            domain = rng.choice(topics)
            category = DOMAIN_CATEGORY[domain]
            entrusted = False
            if youth and domain in (D.FAMILY, D.EDUCATION) and rng.random() < 0.3:
                category, entrusted = DataCategory.YOUTH_WELFARE, rng.random() < 0.5
            opener = "Erstgespräch:" if index == 0 else OPENERS[kind]
            present = [m for m in spec.members if m.birth_date <= day]
            if rng.random() < 0.15 and kind in SPOKEN:
                about = present
            else:
                about = [
                    rng.choice([m for m in present if m.role != HouseholdRole.CHILD] or present)
                ]
            when = self.at(day)
            group = self.group()
            follow_up = None
            if course.closed is None and index == count - 1:
                follow_up = self.today + timedelta(days=rng.randint(3, 21))
            for person in about:
                self.entries.append(
                    JournalEntry(
                        subject_id=family.pk(person),
                        owner_agency=case.lead_agency,
                        category=category,
                        entrusted=entrusted,
                        kind=kind,
                        text=f"{opener} {TEXTS[domain].topic}",
                        occurred_at=when,
                        author=case.lead_user,
                        case=case,
                        group=group,
                        follow_up_on=follow_up,
                        interpreter_language=(
                            case.interpreter_language
                            if kind in SPOKEN and rng.random() < 0.7
                            else ""
                        ),
                    )
                )

    def flush(self) -> None:
        CasePhaseChange.objects.bulk_create(self.changes, batch_size=BATCH)
        CaseParticipant.objects.bulk_create(self.participants, batch_size=BATCH)
        CaseAssignment.objects.bulk_create(self.assignments, batch_size=BATCH)
        Assessment.objects.bulk_create(self.assessments, batch_size=BATCH)
        Goal.objects.bulk_create(self.goals, batch_size=BATCH)
        Measure.objects.bulk_create(self.measures, batch_size=BATCH)
        JournalEntry.objects.bulk_create(self.entries, batch_size=BATCH)
        needs = [unmet for unmet, _noted in self.unmet]
        for unmet in needs:
            unmet.assessment_id = unmet.assessment.pk
        UnmetNeed.objects.bulk_create(needs, batch_size=BATCH)
        # Marked when it was found, not when the demo was seeded: the findings count by it.
        for unmet, noted in self.unmet:
            unmet.created_at = noted
        UnmetNeed.objects.bulk_update(needs, ["created_at"], batch_size=BATCH)
        referrals = []
        for referral, _events, measure, look in self.referrals:
            referral.measure_id = measure.pk
            referral.assessment_id = look.pk if look is not None else None
            referrals.append(referral)
        Referral.objects.bulk_create(referrals, batch_size=BATCH)
        events = []
        for referral, each, _measure, _look in self.referrals:
            for event in each:
                event.referral = referral
                events.append(event)
        ReferralEvent.objects.bulk_create(events, batch_size=BATCH)


BATCH = 500


# --- the network: agencies, staff, posts, meetings, agreements, findings ------------------------


def _agencies() -> dict[str, Agency]:
    agencies: dict[str, Agency] = {}
    for spec in STEERING_AGENCIES:
        agencies[spec.code], _created = Agency.objects.get_or_create(
            code=spec.code,
            defaults={
                "name": spec.name,
                "kind": spec.kind,
                "is_public_body": spec.is_public_body,
                "legal_domains": list(spec.legal_domains),
                "need_to_know": spec.need_to_know,
            },
        )
    return agencies


def _staff(agencies: dict[str, Agency]) -> dict[str, list[User]]:
    """Internal caseworkers: authors of the caseload, who cannot log in (no usable password)."""
    staff: dict[str, list[User]] = {}
    names = iter(STAFF_NAMES * 3)
    for code, agency in agencies.items():
        count = STAFF_PER_LEAD if code in LEADS else 1
        for number in range(1, count + 1):
            first, last = next(names)
            user, _created = User.objects.get_or_create(
                username=f"{code}-{number}",
                defaults={
                    "first_name": first,
                    "last_name": last,
                    "email": f"{code}-{number}@lotse.example",
                    "password": make_password(None),
                },
            )
            Membership.objects.get_or_create(user=user, agency=agency, role=Role.CASEWORKER)
            staff.setdefault(code, []).append(user)
    return staff


def _months_ago(today: date, months: int, day: int = 1) -> date:
    year, month = divmod(today.year * 12 + today.month - 1 - months, 12)
    return date(year, month + 1, min(day, 28))


def _network(today: date, agencies: dict[str, Agency]) -> None:
    """Staff posts, meetings, agreements and findings of the steering group."""
    demo = {
        a.code: a
        for a in Agency.objects.filter(
            code__in=["kim", "ja", "jc", "sa", "abh", "aa", "car", "dia", "mso"]
        )
    }
    every = {**demo, **agencies}

    def ago(months: int, day: int = 1) -> date:
        return _months_ago(today, months, day)

    B = BuildingBlock
    posts = [
        ("kim", B.COORDINATION, "2.0", ago(MONTHS), None, "KIM-Koordinierungsstelle"),
        ("kim-nord", B.CASE_MANAGEMENT, "2.0", ago(MONTHS), None, ""),
        ("kim-nord", B.CASE_MANAGEMENT, "0.5", ago(11), None, "Aufstockung"),
        ("kim-sued", B.CASE_MANAGEMENT, "1.5", ago(MONTHS), None, ""),
        ("kim-sued", B.CASE_MANAGEMENT, "0.5", ago(MONTHS), ago(8, 28), "befristet"),
        ("ja-mig", B.CASE_MANAGEMENT, "0.5", ago(24), None, ""),
        ("ja-mig", B.OTHER, "1.5", ago(MONTHS), None, "Kommunale Mittel"),
        ("awo-mbe", B.CASE_MANAGEMENT, "1.0", ago(18), None, "Freier Träger"),
        ("awo-mbe", B.OTHER, "2.0", ago(MONTHS), None, "Bundesmittel MBE"),
        ("abh", B.FOREIGNERS_AUTHORITY, "3.0", ago(MONTHS), None, ""),
        ("mso-netz", B.OTHER, "0.75", ago(20), None, ""),
    ]
    StaffPost.objects.bulk_create(
        StaffPost(
            agency=every[code],
            building_block=block,
            full_time_equivalents=Decimal(fte),
            valid_from=start,
            valid_until=until,
            note=note,
        )
        for code, block, fte, start, until, note in posts
        if code in every
    )

    steering_present = [every[c] for c in ("kim", "ja", "jc", "sa", "abh", *LEADS) if c in every]
    meetings: list[tuple[GovernanceMeeting, list[Agency]]] = []
    for quarter in range(MONTHS // 3):
        held = ago(quarter * 3 + 1, 12)
        if held <= today:
            label = f"Lenkungskreis KIM, {((held.month - 1) // 3) + 1}. Quartal {held.year}"
            meeting = GovernanceMeeting(
                kind=GovernanceMeeting.Kind.STEERING_GROUP, held_on=held, title=label
            )
            meetings.append((meeting, steering_present))
    groups = (
        ("AG Wohnen", ("kim-nord", "kim-sued", "awo-mbe", "sa")),
        ("AG Sprache und Kinderbetreuung", ("kim-sued", "ja-mig", "awo-mbe", "car")),
        ("AG Arbeit und Anerkennung", ("kim-nord", "jc-ip", "jc", "aa")),
        ("AG Gesundheit", ("kim-nord", "awo-mbe", "mso-netz", "dia")),
    )
    for number in range(MONTHS * 2 // 3):
        title, codes = groups[number % len(groups)]
        held = today - timedelta(days=7 + number * 45)
        if held < today - timedelta(days=DAYS_BACK):
            break
        meeting = GovernanceMeeting(
            kind=GovernanceMeeting.Kind.WORKING_GROUP, held_on=held, title=title
        )
        meetings.append((meeting, [every[c] for c in codes if c in every]))
    GovernanceMeeting.objects.bulk_create([meeting for meeting, _present in meetings])
    for meeting, present in meetings:
        meeting.agencies.set(present)

    agreements: tuple[tuple[str, date, date | None, tuple[str, ...]], ...] = (
        ("Kooperationsvereinbarung rechtskreisübergreifendes Case Management", ago(28), None,
         ("kim", "ja", "jc", "sa", "abh", *LEADS)),
        ("Modellprojekt Familienlotsen", ago(MONTHS), ago(10, 28), ("kim", "ja-mig", "awo-mbe")),
        ("Vereinbarung Integration Point", ago(20), ago(-16, 28), ("jc", "aa", "jc-ip")),
        ("Rahmenvereinbarung Migrationsberatung", ago(14), None, ("kim", "awo-mbe", "car", "dia")),
        ("Kooperation mit den Migrantenorganisationen", ago(7), None, ("kim", "mso", "mso-netz")),
    )  # fmt: skip
    for title, signed, until, partners in agreements:
        agreement = CooperationAgreement.objects.create(
            title=title, signed_on=signed, valid_until=until
        )
        agreement.agencies.set([every[c] for c in partners if c in every])

    steering = [m for m, _present in meetings if m.kind == GovernanceMeeting.Kind.STEERING_GROUP]
    findings = (
        (D.HOUSING, District.OBERBARMEN, FindingStatus.TAKEN_UP,
         "Wohnraumbörse mit der Wohnungsgesellschaft; Bericht im nächsten Lenkungskreis.", 1),
        (D.CHILDCARE, District.ELBERFELD, FindingStatus.OPEN, "", None),
        (D.HEALTH, "", FindingStatus.TAKEN_UP,
         "Pool von Sprachmittlerinnen für die psychosoziale Beratung beantragt.", 2),
        (D.LANGUAGE, District.HECKINGHAUSEN, FindingStatus.RESOLVED,
         "Zusätzlicher Integrationskurs mit Kinderbetreuung seit dem Frühjahr.", 5),
        (D.WORK, District.VOHWINKEL, FindingStatus.OPEN, "", None),
    )  # fmt: skip
    for domain, district, status, measure, meeting_index in findings:
        decided_in = (
            steering[meeting_index]
            if meeting_index is not None and meeting_index < len(steering)
            else None
        )
        # get_or_create: a finding is one per domain and district, and may exist already.
        StructuralFinding.objects.get_or_create(
            domain=domain,
            district=district,
            defaults={
                "status": status,
                "measure": measure,
                "meeting": decided_in,
                "decided_on": decided_in.held_on if decided_in is not None else None,
            },
        )


# --- the families ------------------------------------------------------------------------------


def _older(rng: random.Random, spec: FamilySpec, today: date) -> None:
    """Make some couples and single adults older (65+): the generator's adults are young."""
    share = OLDER_SHARE.get(spec.structure, 0.0)
    if spec.country not in OLDER_ORIGINS or rng.random() >= share:
        return
    head = spec.members[0]
    shift = max(0, rng.randint(64, 80) - (today.year - head.birth_date.year))
    for person in spec.members:
        if person.role in (HouseholdRole.HEAD, HouseholdRole.PARTNER):
            person.birth_date = years_before(person.birth_date, shift)


def _age(person: PersonSpec, day: date) -> int:
    born = person.birth_date
    return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


def _families(rng: random.Random, seed: int, households: int, today: date) -> list[FamilySpec]:
    taken = set(Person.objects.values_list("public_id", flat=True)) | set(
        Household.objects.values_list("public_id", flat=True)
    )
    specs = list(
        generate_families(
            households,
            seed=f"steering-{seed}",
            today=today,
            taken_ids=taken,
            origins=ORIGIN_WEIGHTS,
        )
    )
    for spec in specs:
        _older(rng, spec, today)
        # Registered by the agency that leads its case: the KIM office of its district, or
        # for some families with children the Jugendamt; no second registration elsewhere.
        minors = any(_age(m, today) < 18 for m in spec.members)
        if minors and rng.random() < 0.22:
            spec.agency_code = "ja-mig"
        else:
            spec.agency_code = "kim-nord" if spec.district in NORTH else "kim-sued"
        spec.registered_elsewhere = None
    return specs


# --- the load ----------------------------------------------------------------------------------


def load_steering_caseload(*, seed: int, households: int = 350) -> int:
    """Write the statistical caseload (``households`` families, one case each); the number of
    cases written. Nothing is written when the caseload's agencies have cases already.

    Call inside a transaction (``services.demo_city_seed`` does, once).
    """
    today = timezone.localdate()
    agencies = _agencies()
    leads = [agencies[code] for code in LEADS]
    if households <= 0 or Case.objects.filter(lead_agency__in=leads).exists():
        return 0
    rng = random.Random(f"lotse-steering-{seed}")
    staff = _staff(agencies)
    specs = _families(rng, seed, households, today)
    write_families(
        specs,
        agencies=agencies,
        users={code: users[0] for code, users in staff.items()},
        today=today,
    )
    owned = Q(owner_agency__in=leads)
    household_ids = dict(Household.objects.filter(owned).values_list("public_id", "pk"))
    person_ids = dict(Person.objects.filter(owned).values_list("public_id", "pk"))
    caseload = _Caseload(rng=rng, today=today, agencies=agencies, staff=staff)
    for spec in specs:
        caseload.case(
            _Family(
                spec,
                household_ids[spec.public_id],
                {m.public_id: person_ids[m.public_id] for m in spec.members},
            )
        )
    Case.objects.bulk_create(caseload.cases, batch_size=BATCH)
    caseload.content()
    caseload.flush()
    _network(today, agencies)
    return len(caseload.cases)
