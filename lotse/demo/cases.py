"""Story cases of the demo city: families whose case tells a story. Demo data only.

Each story is data (:data:`STORIES`): which family suits it (children for a Jugendamt case,
adults of working age for the Jobcenter), the lead, the participating agencies with their
contact person and what each will see, the phases it went through, the assessment, the plan
(goals and measures) and the journal. :func:`load_story_cases` finds a fitting household of
the lead agency's demo families for each story and writes it:

* with the ORM, so that dates lie in the past as the story tells them (opened eight months
  ago, moved to implementation in spring), keeping what the case services keep: a participant
  row and a lead assignment for the lead agency, a contact assignment per named contact,
  phase changes along ``cases.services.TRANSITIONS``, closure reason and date, goals and
  measures in category ``case_plan`` and assessments in ``DOMAIN_CATEGORY[domain]``, items
  about several persons as one row per person with a shared ``group``;
* consents through ``consent.services.consent_record`` (recorded by the lead, given, purpose
  case management, the categories the participant will see; a guardian for children under 15),
  so that the grants are exactly those the services build.

Together the stories cover every phase of the cycle (one case closed because the goals were
reached, one because the family moved, one reopened, one closed so long ago that it is due
for erasure), one case in intake whose consent for the
Sozialamt is still only requested (its page lists the gaps), a substitute with dates, a case
led by the Jugendamt — whose staff see a family's content only while assigned to its case, so
``jugendamt2`` sees none of it — and a Jugendamt case that asks KIM to take part without a
contact person yet (the KIM team lead's "unassigned" view).

Deterministic: the same demo families (same seed) and the same day give the same cases; group
ids come from ``random.Random(seed)``. Idempotent through ``services.demo_city_seed``, which
writes the stories once.
"""

from __future__ import annotations

import random
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.db.models import QuerySet
from django.utils import timezone

from lotse.accounts.models import Agency, Membership, User
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
)
from lotse.cases.services import TRANSITIONS
from lotse.consent import firewall
from lotse.consent.categories import DataCategory
from lotse.consent.form import LANGUAGES as FORM_LANGUAGES
from lotse.consent.models import ConsentDeclaration, ConsentPurpose
from lotse.consent.services import GUARDIAN_AGE, ConsentData, consent_record
from lotse.people.choices import District, HouseholdRole, Sex
from lotse.people.models import Household, HouseholdMember, Person, PersonLanguage, ResidenceStatus

from .city import ACCOUNTS, AGENCIES

#: Households looked at per lead agency (the first by Lotse ID): enough choice for every
#: story, cheap in a city of 100,000 persons.
CANDIDATES = 400
CONSENT_DAYS = 730
EU_COUNTRIES = frozenset({"RO", "BG"})
NO_SCAN = "Auf Papier unterschrieben; das Original liegt in der Papierakte (Demo)."

ID = DataCategory.IDENTITY
RES = DataCategory.RESIDENCE
LANG = DataCategory.LANGUAGE
EDU = DataCategory.EDUCATION
WORK = DataCategory.WORK
HOUS = DataCategory.HOUSING
FIN = DataCategory.FINANCES
YW = DataCategory.YOUTH_WELFARE
HEALTH = DataCategory.HEALTH
PLAN = DataCategory.CASE_PLAN

D = LifeDomain
TALK = JournalEntry.Kind.TALK
CALL = JournalEntry.Kind.PHONE_CALL
VISIT = JournalEntry.Kind.HOME_VISIT
PLANNED = Measure.Status.PLANNED
RUNNING = Measure.Status.IN_PROGRESS
DONE = Measure.Status.DONE
CANCELLED = Measure.Status.CANCELLED

LANGUAGE_NAMES = {
    "ar": "Arabisch", "ku": "Kurdisch", "uk": "Ukrainisch", "ru": "Russisch", "prs": "Dari",
    "ps": "Paschtu", "fa": "Farsi", "tr": "Türkisch", "ro": "Rumänisch", "rom": "Romanes",
    "bg": "Bulgarisch", "ti": "Tigrinya", "ff": "Fulfulde", "sus": "Susu", "emk": "Maninka",
    "bin": "Edo", "ha": "Hausa", "ig": "Igbo", "yo": "Yoruba", "en": "Englisch",
    "fr": "Französisch",
}  # fmt: skip


# --- the families ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Member:
    person: Person
    role: str
    age: int

    @property
    def name(self) -> str:
        return self.person.given_names or self.person.family_name

    @property
    def full_name(self) -> str:
        return f"{self.person.given_names} {self.person.family_name}".strip()


@dataclass(frozen=True)
class Profile:
    """A household as the stories ask about it."""

    household: Household
    head: Member
    partner: Member | None
    minors: tuple[Member, ...]  # oldest first
    members: tuple[Member, ...]  # head, partner, then the others, oldest first
    regime: str  # benefit regime of the head's latest residence status
    country: str
    first_language: str
    interpreter: str  # the language an interpreter is needed for, or ""


Fit = Callable[[Profile], bool]


def couple(p: Profile) -> bool:
    return p.partner is not None


def alone(p: Profile) -> bool:
    return len(p.members) == 1


def no_partner(p: Profile) -> bool:
    return p.partner is None


def mother_alone(p: Profile) -> bool:
    return p.partner is None and p.head.person.sex == Sex.FEMALE and bool(p.minors)


def minors(count: int = 1) -> Fit:
    return lambda p: len(p.minors) >= count


def youngest_aged(low: int, high: int) -> Fit:
    return lambda p: bool(p.minors) and low <= p.minors[-1].age <= high


def oldest_from(age: int) -> Fit:
    return lambda p: bool(p.minors) and p.minors[0].age >= age


def head_aged(low: int, high: int) -> Fit:
    return lambda p: low <= p.head.age <= high


def regime(value: str) -> Fit:
    return lambda p: p.regime == value


def country(*codes: str) -> Fit:
    return lambda p: p.country in codes


def third_country(p: Profile) -> bool:
    """Not an EU citizen: a residence permit, and the foreigners' authority, matter."""
    return p.country not in EU_COUNTRIES


def male(p: Profile) -> bool:
    return p.head.person.sex == Sex.MALE


def interpreter(p: Profile) -> bool:
    return bool(p.interpreter)


def _born_by(members: list[Member], day: date) -> list[Member]:
    """The members born by ``day``: nothing about a child is dated before its birth."""
    return [m for m in members if m.person.birth_date is None or m.person.birth_date <= day]


def _who(profile: Profile, who: str) -> list[Member]:
    """The members a spec is about: head, partner, adults, child (the oldest minor), younger
    (the youngest minor, if there are two or more), youngest, children (minors), household."""
    minor = list(profile.minors)
    adults = [profile.head] + ([profile.partner] if profile.partner else [])
    chosen = {
        "head": [profile.head],
        "partner": [profile.partner] if profile.partner else [],
        "adults": adults,
        "child": minor[:1],
        "younger": minor[-1:] if len(minor) >= 2 else [],
        "youngest": minor[-1:],
        "children": minor,
        "household": list(profile.members),
    }
    if who not in chosen:
        raise ValueError(f"unknown member selector {who!r}")
    return chosen[who]


def _profiles(agency: Agency, today: date) -> list[Profile]:
    households = list(
        Household.objects.filter(owner_agency=agency, case__isnull=True).order_by("public_id")[
            :CANDIDATES
        ]
    )
    by_household: dict[int, list[HouseholdMember]] = {}
    for row in (
        HouseholdMember.objects.filter(household__in=households)
        .select_related("person")
        .order_by("household_id", "person__birth_date", "person_id")
    ):
        by_household.setdefault(row.household_id, []).append(row)
    heads = {
        row.person_id: row
        for rows in by_household.values()
        for row in rows
        if row.role == HouseholdRole.HEAD
    }
    regimes: dict[int, str] = {}
    for status in ResidenceStatus.objects.filter(person_id__in=list(heads)).order_by(
        "person_id", "valid_from", "pk"
    ):
        regimes[status.person_id] = status.benefit_regime
    languages: dict[int, list[PersonLanguage]] = {}
    for language in PersonLanguage.objects.filter(person_id__in=list(heads)).order_by("pk"):
        languages.setdefault(language.person_id, []).append(language)

    def member(row: HouseholdMember) -> Member:
        age = row.person.age_on(today)
        return Member(row.person, row.role, 30 if age is None else age)

    profiles = []
    for household in households:
        rows = by_household.get(household.pk, [])
        head_row = next((r for r in rows if r.role == HouseholdRole.HEAD), None)
        if head_row is None:
            continue
        partner_row = next((r for r in rows if r.role == HouseholdRole.PARTNER), None)
        head = member(head_row)
        partner = member(partner_row) if partner_row is not None else None
        others = [member(r) for r in rows if r not in (head_row, partner_row)]
        spoken = languages.get(head.person.pk, [])
        first = next((lang.language for lang in spoken if lang.language != "de"), "")
        needs = any(lang.interpreter_needed for lang in spoken)
        profiles.append(
            Profile(
                household=household,
                head=head,
                partner=partner,
                minors=tuple(m for m in others if m.role == HouseholdRole.CHILD and m.age < 18),
                members=(head, *([partner] if partner else []), *others),
                regime=regimes.get(head.person.pk, ""),
                country=(head.person.nationalities or [""])[0],
                first_language=first,
                interpreter=first if needs else "",
            )
        )
    return profiles


# --- the stories as data ----------------------------------------------------------------------


@dataclass(frozen=True)
class Party:
    """A participating agency: its contact person (None: not named yet), what it will see,
    since when (days ago), and whether the family's consent is given or only requested."""

    agency: str
    contact: str | None
    categories: tuple[str, ...]
    joined: int
    consent: str = ConsentDeclaration.Status.GIVEN


@dataclass(frozen=True)
class Step:
    """A move to ``phase``, ``days`` ago."""

    phase: str
    days: int
    note: str = ""
    reason: str = ""


@dataclass(frozen=True)
class Look:
    """An assessment of the members ``who`` in ``domain``; ``small`` replaces domain, need,
    situation and resources for a child under six (childcare instead of school)."""

    who: str
    domain: str
    need: int
    situation: str
    resources: str = ""
    days: int | None = None  # days ago; default: the story's ``assessed``
    small: tuple[str, int, str, str] | None = None


@dataclass(frozen=True)
class Task:
    """A measure: what, by which agency, due in ``due`` days (negative: in the past)."""

    text: str
    agency: str
    due: int
    status: str


@dataclass(frozen=True)
class Aim:
    """A goal for the members ``who`` (one row each, one group), owned by ``agency``."""

    who: str
    domain: str
    text: str
    agency: str
    target: int  # days from today (negative: in the past)
    attainment: int | None = None
    tasks: tuple[Task, ...] = ()


@dataclass(frozen=True)
class Note:
    """A journal entry about ``who`` ("household": one row per member, one group), written
    ``days`` ago by ``author`` (default: the lead) for the author's agency."""

    who: str
    kind: str
    category: str
    days: int
    text: str
    at: str = "10:00"
    author: str = ""
    follow_up: int | None = None  # days from today
    interpreter: bool = False
    entrusted: bool = False


@dataclass(frozen=True)
class Cover:
    """A further assignment (substitute or team member) from ``start`` to ``end`` (days from
    today), made by ``by`` (a team lead of the user's agency)."""

    user: str
    kind: str
    start: int
    end: int | None
    by: str


@dataclass(frozen=True)
class Conference:
    """A consent for a case conference: to these agencies, for these categories."""

    agencies: tuple[str, ...]
    categories: tuple[str, ...]
    days: int
    text: str


@dataclass(frozen=True)
class Story:
    key: str
    lead: str
    fits: tuple[Fit, ...]
    opened: int
    parties: tuple[Party, ...]
    history: tuple[Step, ...] = ()
    prefers: tuple[Fit, ...] = ()
    came_via: str = CameVia.SELF
    referred_by: str = ""
    assessed: int = 0
    looks: tuple[Look, ...] = ()
    aims: tuple[Aim, ...] = ()
    notes: tuple[Note, ...] = ()
    covers: tuple[Cover, ...] = ()
    conference: Conference | None = None
    #: (from, until) in days ago for each round of consents; from None: the day the case was
    #: opened, until None: two years later
    consent_rounds: tuple[tuple[int | None, int | None], ...] = ((None, None),)


JC_SEES = (ID, LANG, WORK, PLAN)
JA_SEES = (ID, EDU, YW, PLAN)
CAR_SEES = (ID, LANG, HOUS, PLAN)
ABH_SEES = (ID, RES)

_SCHOOL_SMALL = (
    D.CHILDCARE,
    1,
    "{name} ist noch nicht im Schulalter und geht in eine Kita in der Nähe der Wohnung.",
    "Fühlt sich in der Gruppe wohl, spricht schon einige Sätze Deutsch.",
)

STORIES: tuple[Story, ...] = (
    Story(
        key="intake-consent-missing",
        lead="kim",
        fits=(couple, minors(1)),
        prefers=(regime("sgb_ii"), interpreter),
        opened=6,
        came_via=CameVia.AGENCY,
        referred_by="car",
        parties=(
            Party("car", "caritas", (ID, LANG, PLAN), 6),
            Party("jc", "jobcenter", (ID, WORK, FIN), 5, ConsentDeclaration.Status.REQUESTED),
        ),
        notes=(
            Note(
                "household", TALK, PLAN, 6, at="10:00", interpreter=True, follow_up=3,
                text="Erstgespräch mit {head} und {partner}, vermittelt von der "
                "Migrationsberatung der Caritas (Sprachmittlung {language}). Die Familie lebt "
                "in einer städtischen Unterkunft in {district} und sucht eine eigene Wohnung. "
                "Weitere Anliegen: Betreuung und Schule für die Kinder, Deutschkurs für beide "
                "Eltern, Fragen zum Leistungsbescheid. Die Einwilligung gegenüber der Caritas "
                "ist unterschrieben; die gegenüber dem Jobcenter möchte {head} erst in Ruhe "
                "lesen – Formular in der Familiensprache mitgegeben.",
            ),
            Note(
                "head", CALL, FIN, 2, at="14:20", follow_up=3,
                text="{head} ruft an: Die Einwilligung für das Jobcenter wird zum nächsten "
                "Termin unterschrieben mitgebracht, ebenso der aktuelle Leistungsbescheid. "
                "Termin am {d+3} um 9:30 Uhr bestätigt.",
            ),
        ),
    ),
    Story(
        key="assessment-single-mother",
        lead="kim",
        fits=(mother_alone, oldest_from(6), third_country),
        prefers=(country("UA"),),
        opened=35,
        parties=(
            Party("jc", "jobcenter", JC_SEES, 33),
            Party("abh", "abh", ABH_SEES, 33),
        ),
        history=(Step(Phase.ASSESSMENT, 28, "Einwilligungen für Jobcenter und Ausländerbehörde "
                      "liegen vor."),),
        assessed=21,
        looks=(
            Look("head", D.RESIDENCE, 1,
                 "Aufenthaltserlaubnis befristet; die Verlängerung steht in einigen Monaten an. "
                 "Ein Termin bei der Ausländerbehörde ist noch nicht vereinbart.",
                 "Alle Unterlagen liegen vor; {head} kennt die Online-Terminvergabe."),
            Look("head", D.LANGUAGE, 2,
                 "Integrationskurs nach Modul 3 unterbrochen, weil die Kinderbetreuung fehlte. "
                 "Verständigt sich im Alltag auf Englisch; Behördenschreiben versteht sie kaum.",
                 "Sehr motiviert, lernt abends mit einer Sprach-App."),
            Look("head", D.WORK, 2,
                 "Ausgebildete Buchhalterin mit langjähriger Berufserfahrung im Herkunftsland. "
                 "Die Anerkennung des Abschlusses ist noch nicht beantragt; derzeit ohne Arbeit.",
                 "Zeugnisse und Arbeitsnachweise liegen im Original vor."),
            Look("head", D.HEALTH, 1,
                 "Schlafstörungen seit der Flucht, bisher ohne Behandlung. Wünscht Kontakt zu "
                 "einer Beratung in ihrer Sprache.",
                 "Hausärztin in der Nähe, gutes Vertrauensverhältnis."),
            Look("head", D.FINANCES, 1,
                 "Leistungen bewilligt; der Antrag auf Bildung und Teilhabe (Schulbedarf, "
                 "Mittagessen) ist noch nicht gestellt."),
            Look("child", D.EDUCATION, 2,
                 "{name} besucht eine Gesamtschule in {district}; Deutschförderung läuft. In "
                 "Mathematik gut, in Deutsch noch schwach – die Schule empfiehlt Nachhilfe.",
                 "Hat Freundinnen und Freunde in der Klasse, spielt in der Volleyball-AG."),
            Look("younger", D.EDUCATION, 1,
                 "{name} geht gern zur Schule; die Lehrerin berichtet von schnellen "
                 "Fortschritten im Deutschen.", "", small=_SCHOOL_SMALL),
        ),
        notes=(
            Note("head", TALK, LANG, 21, at="09:30",
                 text="Assessment-Gespräch zu Sprache, Arbeit und Gesundheit. {head} möchte so "
                 "bald wie möglich wieder im Rechnungswesen arbeiten; zuerst soll der "
                 "Integrationskurs mit Kinderbetreuung weitergehen."),
            Note("head", TALK, WORK, 12, at="11:00", author="jobcenter", follow_up=16,
                 text="Beratung im Jobcenter: Anerkennungsberatung empfohlen, Berufssprachkurs "
                 "nach dem Integrationskurs in Aussicht gestellt. Voraussetzung ist eine "
                 "Kinderbetreuung am Vormittag."),
            Note("head", CALL, RES, 9, at="15:10", follow_up=5,
                 text="Telefonat mit {head}: Den Termin bei der Ausländerbehörde zur "
                 "Verlängerung bucht sie online; die Kopie des Passes fehlt noch in den "
                 "Unterlagen und wird nachgereicht."),
        ),
    ),
    Story(
        key="planning-after-change-of-benefit-law",
        lead="kim",
        fits=(couple, youngest_aged(1, 5), third_country),
        prefers=(regime("sgb_ii"), country("SY", "IQ", "AF")),
        opened=70,
        came_via=CameVia.AGENCY,
        referred_by="jc",
        parties=(
            Party("jc", "jobcenter", JC_SEES, 68),
            Party("ja", "jugendamt", JA_SEES, 60),
        ),
        history=(
            Step(Phase.ASSESSMENT, 63, "Einwilligungen liegen vor."),
            Step(Phase.PLANNING, 12, "Assessment abgeschlossen; der Integrationsplan wird mit "
                 "der Familie erarbeitet."),
        ),
        assessed=50,
        looks=(
            Look("head", D.WORK, 2,
                 "Hat im Herkunftsland als Fliesenleger gearbeitet, ohne formalen Abschluss. "
                 "Seit dem Wechsel ins Bürgergeld beim Jobcenter gemeldet.",
                 "Viel praktische Erfahrung; Führerschein Klasse B (Umschreibung nötig)."),
            Look("head", D.LANGUAGE, 2,
                 "Deutsch auf Niveau A2; Integrationskurs ohne B1-Zertifikat beendet.",
                 "Spricht im Alltag viel Deutsch mit Nachbarn und Kollegen."),
            Look("partner", D.LANGUAGE, 3,
                 "Kaum Deutschkenntnisse; war bisher wegen der Betreuung der Kinder in keinem "
                 "Kurs.", "Großes Interesse an einem Kurs mit Kinderbetreuung."),
            Look("partner", D.HEALTH, 1,
                 "Rückenschmerzen, in hausärztlicher Behandlung."),
            Look("youngest", D.CHILDCARE, 2,
                 "{name} hat noch keinen Kita-Platz; die Familie steht auf der Warteliste von "
                 "zwei Kitas in {district}.", "Die Eltern kennen das Familienzentrum im Quartier."),
            Look("head", D.HOUSING, 1,
                 "Drei-Zimmer-Wohnung, ausreichend groß; Feuchtigkeit im Schlafzimmer, der "
                 "Vermieter ist informiert."),
            Look("head", D.FINANCES, 2,
                 "Mietrückstand von zwei Monatsmieten aus der Zeit des Leistungswechsels; "
                 "Ratenzahlung mit dem Vermieter vereinbart.",
                 "Hält die Raten bisher pünktlich ein."),
        ),
        aims=(
            Aim("adults", D.LANGUAGE, "{head} und {partner} erreichen Deutsch auf Niveau B1",
                "kim", 240, tasks=(
                    Task("Anmeldung zum Integrationskurs mit Kinderbetreuung für {partner}",
                         "kim", 14, PLANNED),
                    Task("Berufssprachkurs B1 für {head} beim Jobcenter beantragen", "jc", 30,
                         PLANNED),
                )),
            Aim("youngest", D.CHILDCARE, "{youngest} besucht eine Kita", "ja", 120, tasks=(
                Task("Vormerkungen im Kita-Portal prüfen, Härtefallantrag stellen", "ja", 21,
                     PLANNED),
            )),
            Aim("head", D.WORK, "{head} arbeitet im Ausbaugewerbe", "jc", 200, tasks=(
                Task("Kompetenzfeststellung im Jobcenter", "jc", 28, PLANNED),
            )),
        ),
        notes=(
            Note("head", CALL, WORK, 40, at="13:45",
                 text="Telefonat mit {@jobcenter} (Jobcenter): Der Wechsel ins Bürgergeld ist "
                 "bewilligt, das Erstgespräch im Jobcenter hat stattgefunden."),
            Note("youngest", CALL, EDU, 20, at="10:15", author="jugendamt", follow_up=10,
                 text="Rückfrage bei der Kita-Platzvergabe: {youngest} ist in zwei Kitas "
                 "vorgemerkt. Ein Härtefallantrag hat Aussicht, wenn die Mutter einen "
                 "Kursplatz nachweist."),
            Note("household", TALK, PLAN, 12, at="09:00", interpreter=True, follow_up=9,
                 text="Planungsgespräch mit {head} und {partner}: Reihenfolge vereinbart – "
                 "zuerst der Kita-Platz für {youngest}, damit {partner} den Integrationskurs "
                 "besuchen kann; parallel der Berufssprachkurs für {head}. Der Entwurf des "
                 "Integrationsplans liegt zum nächsten Termin vor."),
        ),
    ),
    Story(
        key="implementation-four-agencies",
        lead="kim",
        fits=(couple, minors(2), youngest_aged(1, 5), third_country),
        prefers=(country("SY", "AF", "IQ"), interpreter),
        opened=200,
        parties=(
            Party("jc", "jobcenter", JC_SEES, 195),
            Party("ja", "jugendamt", JA_SEES, 170),
            Party("car", "caritas", CAR_SEES, 195),
            Party("abh", "abh", ABH_SEES, 150),
        ),
        history=(
            Step(Phase.ASSESSMENT, 190),
            Step(Phase.PLANNING, 160, "Assessment abgeschlossen."),
            Step(Phase.IMPLEMENTATION, 140, "Integrationsplan mit der Familie unterschrieben."),
        ),
        assessed=175,
        looks=(
            Look("head", D.WORK, 3,
                 "Elektriker mit Berufserfahrung im Herkunftsland, in Deutschland bisher nur "
                 "Aushilfsjobs. Der Abschluss ist nicht anerkannt.",
                 "Zeugnisse liegen übersetzt vor; hohe Motivation."),
            Look("head", D.LANGUAGE, 2, "Integrationskurs läuft, Niveau A2."),
            Look("partner", D.LANGUAGE, 2,
                 "Integrationskurs mit Kinderbetreuung, Niveau A2; die Prüfung steht im "
                 "nächsten Quartal an."),
            Look("head", D.HOUSING, 3,
                 "Zwei-Zimmer-Wohnung mit 58 m² für {n} Personen, Schimmel im Kinderzimmer. "
                 "Wohnungssuche seit über einem Jahr ohne Erfolg.",
                 "Gute Nachbarschaft; die Familie fühlt sich im Quartier zu Hause."),
            Look("partner", D.HEALTH, 2,
                 "Erschöpfung und Kopfschmerzen, Verdacht auf eine Belastungsreaktion. Möchte "
                 "eine Beratung, aber keine Klinik.", "Vertrauensverhältnis zur Hausärztin."),
            Look("child", D.EDUCATION, 2,
                 "{name} kommt in der Schule mit, braucht aber Unterstützung in Deutsch; "
                 "Hausaufgaben sind in der engen Wohnung schwierig.",
                 "Geht gern zur Schule, spielt Fußball im Verein.", small=_SCHOOL_SMALL),
            Look("younger", D.CHILDCARE, 2,
                 "{name} hat noch keinen Kita-Platz und ist den ganzen Tag bei der Mutter.",
                 "Neugierig, spricht schon einzelne Wörter Deutsch."),
            Look("head", D.FINANCES, 2,
                 "Schulden bei einem Mobilfunkanbieter (rund 1.400 €), Inkassoschreiben.",
                 "Ist bereit, zur Schuldnerberatung zu gehen."),
            Look("head", D.RESIDENCE, 1,
                 "Die Aufenthaltserlaubnis läuft in einigen Monaten ab; die Verlängerung muss "
                 "rechtzeitig beantragt werden."),
        ),
        aims=(
            Aim("adults", D.LANGUAGE,
                "{head} und {partner} schließen den Integrationskurs mit dem Deutsch-Test für "
                "Zuwanderer (B1) ab", "car", -10, tasks=(
                    Task("Anmeldung zum Integrationskurs mit Kinderbetreuung (VHS)", "car",
                         -150, DONE),
                    Task("Prüfungsvorbereitung im Sprachcafé der Caritas", "car", 14, RUNNING),
                )),
            Aim("head", D.WORK,
                "{head} arbeitet sozialversicherungspflichtig, zunächst als Elektrohelfer", "jc",
                90, tasks=(
                    Task("Anerkennungsberatung (IQ Netzwerk) zum Berufsabschluss", "jc", -30,
                         DONE),
                    Task("Vermittlungsvorschlag Elektrohelfer bei einem Betrieb in Vohwinkel",
                         "jc", -5, PLANNED),
                    Task("Antrag auf Anerkennung bei der Handwerkskammer stellen", "kim", 20,
                         RUNNING),
                )),
            Aim("adults", D.HOUSING, "Die Familie wohnt in einer Wohnung mit mindestens drei "
                "Zimmern", "kim", 60, tasks=(
                    Task("Wohnberechtigungsschein beantragen", "kim", -40, DONE),
                    Task("Bewerbungen bei Wohnungsgesellschaften und Genossenschaften begleiten",
                         "car", 21, RUNNING),
                )),
            Aim("younger", D.CHILDCARE, "{younger} besucht ab dem Sommer eine Kita", "ja", 45,
                tasks=(
                    Task("Anmeldung im Kita-Portal der Stadt", "ja", -60, DONE),
                    Task("Zusage der Kita nachhalten", "ja", 10, PLANNED),
                )),
            Aim("head", D.RESIDENCE, "Die Aufenthaltserlaubnis wird rechtzeitig verlängert",
                "kim", 30, tasks=(
                    Task("Termin bei der Ausländerbehörde, Unterlagen zusammenstellen", "kim",
                         12, RUNNING),
                )),
            Aim("head", D.FINANCES, "{head} hat einen Überblick über die Schulden und eine "
                "Ratenvereinbarung", "kim", -20, tasks=(
                    Task("Termin bei der Schuldnerberatung", "kim", -25, DONE),
                )),
        ),
        notes=(
            Note("household", TALK, PLAN, 140, at="10:00", interpreter=True,
                 text="Integrationsplan mit {head} und {partner} besprochen und unterschrieben. "
                 "Verantwortlich: Caritas (Sprache, Wohnungssuche), Jobcenter (Arbeit), "
                 "Jugendamt (Kita), KIM (Wohnen, Aufenthalt, Schulden, Koordination)."),
            Note("household", VISIT, HOUS, 60, at="15:30", interpreter=True,
                 text="Hausbesuch: Die Wohnung ist für {n} Personen zu klein, im Kinderzimmer "
                 "Schimmel an der Außenwand. Fotos für den Vermieter gemacht, Mieterverein "
                 "empfohlen."),
            Note("head", CALL, WORK, 30, at="11:20",
                 text="Telefonat mit {@jobcenter} (Jobcenter): Die Anerkennungsberatung hat "
                 "stattgefunden; der Antrag bei der Handwerkskammer wird vorbereitet."),
            Note("younger", CALL, EDU, 25, at="09:40", author="jugendamt", follow_up=10,
                 text="Die Kita in {district} hat ab Sommer voraussichtlich einen Platz für "
                 "{younger}; die schriftliche Zusage steht noch aus."),
            Note("head", TALK, WORK, 15, at="08:30", author="jobcenter", follow_up=9,
                 text="Kooperationsplan fortgeschrieben: Bewerbung als Elektrohelfer, parallel "
                 "das Anerkennungsverfahren. Nächster Termin im Jobcenter vereinbart."),
            Note("partner", TALK, LANG, 8, at="14:00", author="caritas", follow_up=6,
                 text="Sprachcafé: {partner} übt für den Deutsch-Test, das Hörverstehen ist "
                 "noch unsicher. Den Prüfungstermin erfragen wir beim Kursträger."),
            Note("head", CALL, RES, 4, at="12:10", follow_up=12,
                 text="Telefonat mit {@abh} (Ausländerbehörde): Der Verlängerungsantrag kann mit "
                 "den vorhandenen Unterlagen gestellt werden; läuft der Titel vor dem Termin "
                 "ab, gibt es eine Fiktionsbescheinigung."),
            Note("household", TALK, PLAN, 2, at="10:30", interpreter=True, follow_up=7,
                 text="Gespräch mit der Familie zum Stand: Die Wohnungssuche bleibt das "
                 "dringendste Thema. {partner} fühlt sich entlastet, seit die "
                 "Prüfungsvorbereitung läuft."),
        ),
    ),
    Story(
        key="implementation-young-adult-substitute",
        lead="kim",
        fits=(alone, head_aged(18, 26)),
        prefers=(male, regime("sgb_ii")),
        opened=120,
        came_via=CameVia.AGENCY,
        referred_by="dia",
        parties=(
            Party("dia", "diakonie", (ID, EDU, LANG, WORK, PLAN), 118),
            Party("jc", "jobcenter", JC_SEES, 100),
        ),
        history=(
            Step(Phase.ASSESSMENT, 112),
            Step(Phase.PLANNING, 90),
            Step(Phase.IMPLEMENTATION, 75, "Plan steht; {head} beginnt mit dem "
                 "Bewerbungstraining."),
        ),
        covers=(Cover("teamlead", CaseAssignment.Kind.SUBSTITUTE, -3, 11, "teamlead"),),
        assessed=100,
        looks=(
            Look("head", D.LANGUAGE, 1,
                 "Deutsch B1 erreicht (Deutsch-Test für Zuwanderer bestanden); schreibt noch "
                 "unsicher.", "Spricht fließend im Alltag, übersetzt oft für Bekannte."),
            Look("head", D.EDUCATION, 2,
                 "Schulbesuch im Herkunftsland bis zur 9. Klasse; kein in Deutschland "
                 "anerkannter Abschluss.", "Gute Noten in Mathematik."),
            Look("head", D.WORK, 2,
                 "Sucht einen Ausbildungsplatz im Elektro- oder Kfz-Bereich; Minijob in einer "
                 "Bäckerei am Wochenende.",
                 "Pünktlich und zuverlässig, Empfehlung vom Minijob-Arbeitgeber."),
            Look("head", D.HOUSING, 2,
                 "Wohnt zur Untermiete in einer Wohngemeinschaft; der Vertrag läuft Ende des "
                 "Jahres aus."),
            Look("head", D.PARTICIPATION, 1,
                 "Spielt Fußball in einem Verein in {district}; wenige Kontakte außerhalb der "
                 "eigenen Community.", "Der Trainer hilft bei Bewerbungen."),
        ),
        aims=(
            Aim("head", D.EDUCATION, "{head} erwirbt den Hauptschulabschluss nach Klasse 10",
                "dia", -15, tasks=(
                    Task("Anmeldung am Weiterbildungskolleg (Abendschule)", "dia", -45, DONE),
                    Task("Zeugnisbewertung bei der Bezirksregierung beantragen", "dia", -10,
                         RUNNING),
                )),
            Aim("head", D.WORK, "{head} beginnt im Herbst eine Ausbildung", "jc", 100, tasks=(
                Task("Bewerbungstraining im Jugendmigrationsdienst", "dia", -20, DONE),
                Task("Einstiegsqualifizierung in einem Elektrobetrieb", "jc", 30, RUNNING),
                Task("Bewerbungsunterlagen für fünf Ausbildungsbetriebe", "kim", 7, PLANNED),
            )),
            Aim("head", D.HOUSING, "{head} hat einen eigenen Mietvertrag", "kim", 150, tasks=(
                Task("Anfrage bei Wohnheimen für Auszubildende", "kim", 40, PLANNED),
            )),
        ),
        notes=(
            Note("head", TALK, WORK, 10, at="16:00", follow_up=7,
                 text="Gespräch mit {head}: Die Einstiegsqualifizierung läuft gut; der Betrieb "
                 "kann sich eine Ausbildung ab Herbst vorstellen. Die Bewerbungsunterlagen "
                 "werden überarbeitet."),
            Note("head", TALK, EDU, 6, at="17:30", author="diakonie", follow_up=14,
                 text="Jugendmigrationsdienst: Zeugnisbewertung beantragt; {head} besucht die "
                 "Abendschule regelmäßig."),
            Note("head", CALL, WORK, 2, at="09:05", author="teamlead", follow_up=4,
                 text="Vertretung für {@kim}: {head} ruft an, der Betrieb lädt zum "
                 "Vorstellungsgespräch am {d+4} ein. Unterlagen gehen per E-Mail an den "
                 "Jugendmigrationsdienst."),
        ),
    ),
    Story(
        key="monitoring-sozialamt",
        lead="kim",
        fits=(couple, third_country),
        prefers=(regime("asylblg"),),
        opened=300,
        came_via=CameVia.AGENCY,
        referred_by="sa",
        parties=(
            Party("sa", "sozialamt", (ID, FIN, HOUS, PLAN), 298),
            Party("car", "caritas", (ID, LANG, RES, PLAN), 290),
        ),
        history=(
            Step(Phase.ASSESSMENT, 290),
            Step(Phase.PLANNING, 260),
            Step(Phase.IMPLEMENTATION, 240),
            Step(Phase.MONITORING, 30, "Maßnahmen weitgehend umgesetzt; Begleitung in größeren "
                 "Abständen."),
        ),
        assessed=280,
        looks=(
            Look("head", D.RESIDENCE, 2,
                 "Der Aufenthalt ist noch nicht dauerhaft gesichert; die offene Frage belastet "
                 "die Familie.", "Hat Kontakt zur Verfahrensberatung."),
            Look("head", D.HOUSING, 2,
                 "Lebt mit {partner} in einer Gemeinschaftsunterkunft; der Auszug in eine "
                 "eigene Wohnung ist beantragt."),
            Look("partner", D.LANGUAGE, 2,
                 "Ohne Zulassung zum Integrationskurs; besucht einen ehrenamtlichen "
                 "Deutschkurs.", "Lernt schnell, hilft anderen Frauen in der Unterkunft."),
            Look("head", D.FINANCES, 2,
                 "Leistungen nach dem AsylbLG; das Geld reicht nicht für die Fahrten zu "
                 "Terminen."),
            Look("partner", D.HEALTH, 1,
                 "Diabetes, medikamentös eingestellt; Behandlungsschein über das Sozialamt."),
            Look("head", D.MOBILITY, 2,
                 "Fährt ohne Fahrkarte nicht zu Terminen; Ämter und Kursorte liegen in "
                 "Elberfeld und Barmen."),
        ),
        aims=(
            Aim("adults", D.HOUSING, "Die Familie zieht aus der Gemeinschaftsunterkunft in "
                "eine eigene Wohnung", "sa", -60, attainment=1, tasks=(
                    Task("Antrag auf Auszug aus der Gemeinschaftsunterkunft", "sa", -200, DONE),
                    Task("Mietangebot prüfen, Kaution klären", "sa", -120, DONE),
                )),
            Aim("adults", D.LANGUAGE, "{head} und {partner} besuchen regelmäßig einen "
                "Deutschkurs", "car", -30, attainment=0, tasks=(
                    Task("Platz im Sprachkurs der Caritas", "car", -220, DONE),
                )),
            Aim("head", D.MOBILITY, "{head} erreicht Termine mit Bus und Bahn (Sozialticket)",
                "kim", -90, attainment=1, tasks=(
                    Task("Antrag auf das Sozialticket", "kim", -100, DONE),
                )),
            Aim("head", D.RESIDENCE, "Der Stand des Aufenthaltsverfahrens ist geklärt", "kim",
                60, tasks=(
                    Task("Termin bei der Verfahrensberatung der Caritas", "car", 20, PLANNED),
                )),
        ),
        notes=(
            Note("partner", TALK, LANG, 40, at="11:00", author="caritas",
                 text="Caritas: {partner} ist im Sprachkurs angekommen und fehlt selten."),
            Note("household", TALK, PLAN, 30, at="10:00", interpreter=True, follow_up=12,
                 text="Zwischenbilanz mit {head} und {partner}: Der Umzug in die eigene Wohnung "
                 "ist geschafft, der Deutschkurs läuft. Offen bleibt die Aufenthaltsfrage. "
                 "Weiter im Monitoring, Termine alle vier bis sechs Wochen."),
            Note("head", TALK, FIN, 14, at="09:15", author="sozialamt", follow_up=25,
                 text="Sozialamt: Leistungen an die neue Wohnung angepasst, Erstausstattung "
                 "bewilligt."),
        ),
    ),
    Story(
        key="evaluation-case-conference",
        lead="kim",
        fits=(couple, head_aged(25, 62)),
        prefers=(regime("sgb_ii"), minors(1)),
        opened=420,
        parties=(
            Party("jc", "jobcenter", JC_SEES, 415),
            Party("car", "caritas", CAR_SEES, 415),
        ),
        history=(
            Step(Phase.ASSESSMENT, 410),
            Step(Phase.PLANNING, 380),
            Step(Phase.IMPLEMENTATION, 350),
            Step(Phase.MONITORING, 120),
            Step(Phase.EVALUATION, 10, "Fallkonferenz zur Auswertung des Integrationsplans."),
        ),
        conference=Conference(
            ("jc", "car"), (PLAN, WORK, LANG), 14,
            "Fallkonferenz am {d-7} zur Auswertung des Integrationsplans mit Jobcenter und "
            "Caritas",
        ),
        assessed=405,
        looks=(
            Look("head", D.WORK, 3,
                 "Seit zwei Jahren ohne Arbeit; keine Berufserfahrung in Deutschland."),
            Look("partner", D.WORK, 2,
                 "Hat im Herkunftsland als Schneiderin gearbeitet; möchte in Teilzeit arbeiten."),
            Look("head", D.LANGUAGE, 2, "Deutsch auf Niveau A2."),
            Look("partner", D.LANGUAGE, 3, "Deutsch A1; den Kurs hat sie abgebrochen."),
            Look("head", D.HOUSING, 1,
                 "Wohnung angemessen; eine Nebenkostennachzahlung ist offen."),
        ),
        aims=(
            Aim("head", D.WORK, "{head} hat eine feste Stelle", "jc", -30, attainment=1,
                tasks=(
                    Task("Maßnahme Lagerlogistik mit Staplerschein", "jc", -200, DONE),
                    Task("Bewerbung bei einem Logistikzentrum in Langerfeld", "jc", -120, DONE),
                )),
            Aim("partner", D.WORK, "{partner} arbeitet in Teilzeit", "jc", -20, attainment=-1,
                tasks=(
                    Task("Beratung zur Teilzeitbeschäftigung", "jc", -100, DONE),
                    Task("Minijob in einer Änderungsschneiderei", "car", -60, CANCELLED),
                )),
            Aim("adults", D.LANGUAGE, "{head} und {partner} erreichen Deutsch auf Niveau B1",
                "car", -40, attainment=0, tasks=(
                    Task("Integrationskurs mit Kinderbetreuung", "car", -300, DONE),
                )),
        ),
        notes=(
            Note("head", CALL, WORK, 20, at="10:40", author="jobcenter",
                 text="Der Arbeitgeber bestätigt das Ende der Probezeit; die Leistungen werden "
                 "angepasst."),
            Note("household", TALK, PLAN, 7, at="14:00", interpreter=True, follow_up=10,
                 text="Fallkonferenz mit {@jobcenter} (Jobcenter), {@caritas} (Caritas) und der "
                 "Familie: {head} arbeitet seit vier Monaten im Lager, die Probezeit ist "
                 "bestanden. {partner} hat den Minijob nicht angetreten. Vorschlag: Abschluss "
                 "des Case Managements nach einem letzten Gespräch; die Caritas begleitet "
                 "{partner} weiter."),
        ),
    ),
    Story(
        key="closed-goals-reached",
        lead="kim",
        fits=(no_partner, head_aged(25, 60)),
        prefers=(minors(1),),
        opened=460,
        parties=(Party("jc", "jobcenter", JC_SEES, 455),),
        history=(
            Step(Phase.ASSESSMENT, 450),
            Step(Phase.PLANNING, 420),
            Step(Phase.IMPLEMENTATION, 400),
            Step(Phase.MONITORING, 200),
            Step(Phase.EVALUATION, 60),
            Step(Phase.CLOSED, 45, "Alle Ziele erreicht; Abschlussgespräch geführt.",
                 ClosureReason.GOALS_REACHED),
        ),
        assessed=445,
        looks=(
            Look("head", D.WORK, 2,
                 "Hat im Herkunftsland in der Altenpflege gearbeitet; möchte in Deutschland "
                 "eine Ausbildung in der Pflege machen."),
            Look("head", D.LANGUAGE, 2, "Deutsch A2, B1 ist für die Ausbildung nötig."),
            Look("head", D.HOUSING, 1, "Wohnung angemessen."),
        ),
        aims=(
            Aim("head", D.WORK, "{head} beginnt eine Ausbildung zur Pflegefachassistenz", "jc",
                -80, attainment=2, tasks=(
                    Task("Praktikum in einem Pflegeheim in Ronsdorf", "jc", -250, DONE),
                    Task("Bewerbung an der Pflegeschule", "jc", -150, DONE),
                )),
            Aim("head", D.LANGUAGE, "{head} erreicht Deutsch auf Niveau B1", "kim", -120,
                attainment=1, tasks=(
                    Task("Berufssprachkurs Pflege", "kim", -180, DONE),
                )),
        ),
        notes=(
            Note("head", TALK, PLAN, 45, at="13:00",
                 text="Abschlussgespräch: {head} hat die Ausbildung begonnen und kommt mit dem "
                 "Schichtdienst gut zurecht. Das Case Management endet; bei neuen Fragen kann "
                 "{head} sich jederzeit melden."),
        ),
    ),
    Story(
        key="closed-moved-away",
        lead="kim",
        fits=(head_aged(18, 70),),
        prefers=(alone,),
        opened=250,
        parties=(Party("car", "caritas", (ID, LANG, HOUS, PLAN), 245),),
        history=(
            Step(Phase.ASSESSMENT, 240),
            Step(Phase.PLANNING, 210),
            Step(Phase.IMPLEMENTATION, 190),
            Step(Phase.CLOSED, 90, "Umzug nach Köln zu Verwandten; {head} hat die Unterlagen "
                 "mitgenommen und die Adresse des Kommunalen Integrationszentrums Köln "
                 "erhalten.", ClosureReason.MOVED_AWAY),
        ),
        assessed=235,
        looks=(
            Look("head", D.HOUSING, 3, "Ohne eigene Wohnung; wohnt vorübergehend bei Bekannten."),
            Look("head", D.LANGUAGE, 2, "Deutsch A2."),
        ),
        aims=(
            Aim("head", D.HOUSING, "{head} hat eine eigene Wohnung in Wuppertal", "kim", -100,
                attainment=-1, tasks=(
                    Task("Wohnungsbewerbungen mit Unterstützung der Caritas", "car", -120,
                         CANCELLED),
                )),
        ),
        notes=(
            Note("head", CALL, HOUS, 92, at="15:00",
                 text="{head} teilt mit, zum Monatsende zu Verwandten nach Köln zu ziehen. "
                 "Abschluss des Case Managements besprochen."),
        ),
    ),
    Story(
        key="reopened-notice-to-quit",
        lead="kim",
        fits=(couple, minors(1)),
        prefers=(regime("sgb_ii"),),
        opened=520,
        parties=(
            Party("jc", "jobcenter", (ID, WORK, HOUS, FIN, PLAN), 515),
            Party("car", "caritas", CAR_SEES, 515),
        ),
        consent_rounds=((520, 30), (24, None)),
        history=(
            Step(Phase.ASSESSMENT, 510),
            Step(Phase.PLANNING, 480),
            Step(Phase.IMPLEMENTATION, 450),
            Step(Phase.CLOSED, 210, "Ziele erreicht.", ClosureReason.GOALS_REACHED),
            Step(Phase.INTAKE, 24, "Wiederaufnahme: Die Familie meldet sich wegen einer "
                 "Kündigung der Wohnung (Eigenbedarf)."),
            Step(Phase.ASSESSMENT, 17, "Die Einwilligungen sind erneuert."),
        ),
        assessed=17,
        looks=(
            Look("head", D.WORK, 2, "Sucht Arbeit als Kraftfahrer; Führerschein anerkannt.",
                 days=505),
            Look("head", D.LANGUAGE, 2, "Deutsch A2, Integrationskurs läuft.", days=505),
            Look("head", D.HOUSING, 3,
                 "Kündigung wegen Eigenbedarf zum Ende des übernächsten Monats; noch keine neue "
                 "Wohnung in Sicht.", "Die Familie sucht aktiv, der Mieterverein berät."),
            Look("head", D.FINANCES, 2,
                 "Nebenkostennachzahlung von rund 600 €; Umzugskosten ungeklärt."),
            Look("child", D.EDUCATION, 1,
                 "{name} soll die Schule trotz Umzug nicht wechseln müssen.", "",
                 small=_SCHOOL_SMALL),
        ),
        aims=(
            Aim("head", D.WORK, "{head} arbeitet als Kraftfahrer", "jc", -300, attainment=1,
                tasks=(Task("Umschreibung des Führerscheins", "jc", -420, DONE),)),
        ),
        notes=(
            Note("household", TALK, HOUS, 24, at="09:30", interpreter=True, follow_up=4,
                 text="Wiederaufnahme: {head} und {partner} kommen mit der "
                 "Eigenbedarfskündigung. Die Einwilligungen für Jobcenter und Caritas sind neu "
                 "unterschrieben (die alten waren abgelaufen)."),
            Note("head", CALL, HOUS, 3, at="11:30", follow_up=6,
                 text="Telefonat mit dem Mieterverein: Die Kündigungsfrist beträgt sechs "
                 "Monate, ein Widerspruch wird geprüft. Termin mit der Familie am {d+6}."),
        ),
    ),
    Story(
        key="jugendamt-leads-single-mother",
        lead="jugendamt",
        fits=(mother_alone, oldest_from(6)),
        prefers=(interpreter,),
        opened=150,
        came_via=CameVia.AGENCY,
        referred_by="schul",
        parties=(
            Party("kim", "kim", (ID, LANG, PLAN), 140),
            Party("car", "caritas", (ID, LANG, PLAN), 120),
        ),
        history=(
            Step(Phase.ASSESSMENT, 140),
            Step(Phase.PLANNING, 110),
            Step(Phase.IMPLEMENTATION, 90, "Hilfeplan mit der Mutter vereinbart."),
        ),
        assessed=130,
        looks=(
            Look("head", D.FAMILY, 2,
                 "Alleinerziehend seit der Trennung; fühlt sich mit der Erziehung vor allem am "
                 "Nachmittag überfordert.", "Enge Bindung zu den Kindern; eine Schwester wohnt "
                 "in der Nähe."),
            Look("child", D.EDUCATION, 2,
                 "{name} fehlt häufig in der Schule; die Klassenlehrerin hat über das Schulamt "
                 "das Jugendamt eingeschaltet.", "{name} geht gern zum Sport."),
            Look("child", D.FAMILY, 2,
                 "Übernimmt zu Hause viel Verantwortung; kaum Zeit für Hausaufgaben."),
            Look("head", D.LANGUAGE, 2,
                 "Deutsch A1/A2; Gespräche mit der Schule nur mit Sprachmittlung."),
            Look("head", D.HEALTH, 2,
                 "Gedrückte Stimmung; die Hausärztin hat eine Psychotherapie empfohlen, die "
                 "Wartezeit beträgt mehrere Monate."),
        ),
        aims=(
            Aim("head", D.FAMILY, "{head} nimmt regelmäßig an der Erziehungsberatung teil", "ja",
                60, tasks=(
                    Task("Erstgespräch in der Erziehungsberatungsstelle", "ja", -70, DONE),
                    Task("Sozialpädagogische Familienhilfe, zwei Stunden pro Woche", "ja", 90,
                         RUNNING),
                )),
            Aim("child", D.EDUCATION, "{child} geht regelmäßig zur Schule und bekommt Hilfe "
                "bei den Hausaufgaben", "ja", -5, tasks=(
                    Task("Anmeldung zur Hausaufgabenhilfe im Stadtteilzentrum", "ja", -40, DONE),
                    Task("Gespräch mit Schule und Familie zu den Fehlzeiten", "ja", 5, PLANNED),
                )),
            Aim("head", D.LANGUAGE, "{head} besucht einen Integrationskurs mit "
                "Kinderbetreuung", "kim", 120, tasks=(
                    Task("Beratung zum Integrationskurs, Antrag auf Zulassung", "kim", -20, DONE),
                    Task("Kursplatz mit Kinderbetreuung finden", "car", 14, RUNNING),
                )),
        ),
        notes=(
            Note("household", VISIT, YW, 30, at="16:00", author="jugendamt", interpreter=True,
                 text="Hausbesuch: Die Wohnung ist aufgeräumt, die Kinder wirken versorgt. "
                 "{head} berichtet von Streit mit {child} um Handy und Hausaufgaben. Die "
                 "Familienhilfe beginnt nächste Woche."),
            Note("head", TALK, YW, 20, at="10:00", author="jugendamt", entrusted=True,
                 text="Im Vertrauen: {head} erzählt von Gewalt durch den früheren Partner und "
                 "hat Angst, dass er sie findet. Sie möchte nicht, dass andere Stellen davon "
                 "erfahren."),
            Note("head", TALK, LANG, 12, at="13:30", author="kim", follow_up=14,
                 text="KIM: Beratung zum Integrationskurs; die Zulassung ist beantragt, ein Kurs "
                 "mit Kinderbetreuung wird gesucht."),
            Note("child", CALL, EDU, 5, at="12:00", author="jugendamt", follow_up=3,
                 text="Telefonat mit der Schule: {child} war diese Woche jeden Tag da; die "
                 "Hausaufgabenhilfe beginnt nächsten Monat."),
        ),
    ),
    Story(
        key="jugendamt-asks-kim-to-take-part",
        lead="jugendamt",
        fits=(couple, minors(1)),
        prefers=(regime("sgb_ii"), interpreter),
        opened=50,
        parties=(
            Party("kim", None, (ID, LANG, WORK, PLAN), 8),
            Party("jc", "jobcenter", (ID, WORK, PLAN), 45),
        ),
        history=(
            Step(Phase.ASSESSMENT, 40),
            Step(Phase.PLANNING, 6, "Hilfeplan in Vorbereitung; KIM soll die "
                 "Integrationsbegleitung übernehmen."),
        ),
        assessed=35,
        looks=(
            Look("adults", D.FAMILY, 2,
                 "Unsicher, was Kita und Schule von den Eltern erwarten; wünscht "
                 "Unterstützung."),
            Look("head", D.WORK, 2,
                 "Arbeitet in Teilzeit als Reinigungskraft; ergänzend Bürgergeld."),
            Look("partner", D.LANGUAGE, 2, "Deutsch A2; möchte einen Kurs am Vormittag."),
            Look("child", D.EDUCATION, 1,
                 "{name} kommt in der Schule gut mit.", "", small=_SCHOOL_SMALL),
        ),
        aims=(
            Aim("adults", D.FAMILY, "{head} und {partner} besuchen einen Elternkurs", "ja", 60,
                tasks=(Task("Anmeldung zum Elternkurs im Familienzentrum", "ja", 14, PLANNED),)),
            Aim("partner", D.LANGUAGE, "{partner} beginnt einen Integrationskurs", "kim", 90,
                tasks=(Task("Beratung zum Integrationskurs bei KIM", "kim", 21, PLANNED),)),
        ),
        notes=(
            Note("head", CALL, WORK, 15, at="10:20", author="jobcenter", follow_up=12,
                 text="Jobcenter: Weiterbewilligung des Bürgergelds; Gespräch zur Aufstockung "
                 "auf Vollzeit vereinbart."),
            Note("household", TALK, YW, 6, at="09:00", author="jugendamt", interpreter=True,
                 follow_up=8,
                 text="Hilfeplangespräch vorbereitet. Die Familie wünscht Unterstützung bei "
                 "Sprache und Arbeit; KIM wird gebeten, die Integrationsbegleitung zu "
                 "übernehmen – die Ansprechperson bei KIM steht noch nicht fest."),
        ),
    ),
    # Closed longer ago than the retention period (LOTSE_RETENTION_YEARS, three years): the
    # KIM team lead finds it under "Akten löschen", the DPO on the retention list.
    Story(
        key="closed-retention-due",
        lead="kim",
        fits=(head_aged(20, 75),),
        prefers=(alone,),
        opened=1700,
        parties=(Party("car", "caritas", CAR_SEES, 1690),),
        consent_rounds=((None, -120),),
        history=(
            Step(Phase.ASSESSMENT, 1680),
            Step(Phase.PLANNING, 1650),
            Step(Phase.IMPLEMENTATION, 1620),
            Step(Phase.CLOSED, 1300, "Ziele erreicht; {head} arbeitet und wohnt selbstständig.",
                 ClosureReason.GOALS_REACHED),
        ),
        assessed=1675,
        looks=(
            Look("head", D.LANGUAGE, 2, "Deutsch A1; möchte schnell einen Kurs beginnen."),
            Look("head", D.HOUSING, 2, "Wohnt in einer Gemeinschaftsunterkunft."),
        ),
        aims=(
            Aim("head", D.HOUSING, "{head} findet eine eigene Wohnung", "car", -1400,
                attainment=1, tasks=(
                    Task("Wohnungssuche mit der Caritas", "car", -1450, DONE),
                )),
        ),
        notes=(
            Note("head", TALK, PLAN, 1300, at="11:00",
                 text="Abschlussgespräch: {head} hat eine Wohnung und eine Arbeitsstelle; das "
                 "Case Management endet."),
        ),
    ),
)  # fmt: skip


# --- writing ----------------------------------------------------------------------------------


class _Names(dict[str, str]):
    """Placeholders of the texts: names of the family, ``{d+3}`` for a date, ``{@kim}`` for
    a demo account's name."""

    def __init__(self, values: dict[str, str], today: date, users: dict[str, User]) -> None:
        super().__init__(values)
        self.today = today
        self.users = users

    def __missing__(self, key: str) -> str:
        if key.startswith("d") and key[1:2] in "+-" and key[2:].isdigit():
            return (self.today + timedelta(days=int(key[1:]))).strftime("%d.%m.%Y")
        if key.startswith("@") and key[1:] in self.users:
            return str(self.users[key[1:]])
        raise KeyError(key)


@dataclass
class _Writer:
    today: date
    rng: random.Random
    agencies: dict[str, Agency]
    users: dict[str, User]
    memberships: dict[str, Membership]
    assessments: list[Assessment] = field(default_factory=list)
    goals: list[Goal] = field(default_factory=list)
    measures: list[Measure] = field(default_factory=list)
    entries: list[JournalEntry] = field(default_factory=list)

    def group(self) -> uuid.UUID:
        return uuid.UUID(int=self.rng.getrandbits(128), version=4)

    def day(self, offset: int) -> date:
        return self.today + timedelta(days=offset)

    def at(self, days_ago: int, clock: str = "10:00") -> datetime:
        hour, minute = (int(part) for part in clock.split(":"))
        return timezone.make_aware(datetime.combine(self.day(-days_ago), time(hour, minute)))

    def names(self, profile: Profile) -> _Names:
        minor = profile.minors
        language = profile.interpreter or profile.first_language
        district = profile.household.district
        values = {
            "head": profile.head.name,
            "partner": profile.partner.name if profile.partner else "",
            "child": minor[0].name if minor else "",
            "younger": minor[-1].name if len(minor) >= 2 else "",
            "youngest": minor[-1].name if minor else "",
            "family": profile.head.person.family_name,
            "n": str(len(profile.members)),
            "district": District(district).label if district in District.values else "Wuppertal",
            "language": LANGUAGE_NAMES.get(language, "in der Familiensprache"),
        }
        return _Names(values, self.today, self.users)

    def write(self, story: Story, profile: Profile) -> Case:
        lead = self.memberships[story.lead]
        text = self.names(profile)
        case = self._case(story, profile, lead, text)
        parties = self._participants(story, case, lead)
        self._consents(story, profile, lead, parties, text)
        self._assessments(story, profile, case, lead, text)
        self._plan(story, profile, case, lead, parties, text)
        self._journal(story, profile, case, lead, parties, text)
        return case

    def _case(self, story: Story, profile: Profile, lead: Membership, text: _Names) -> Case:
        opened = self.at(story.opened, "09:00")
        phase, since = Phase.INTAKE.value, opened
        changes = []
        for step in story.history:
            if step.phase not in TRANSITIONS[phase]:
                raise ValueError(f"{story.key}: {phase} cannot move to {step.phase}")
            if (step.phase == Phase.CLOSED) != bool(step.reason):
                raise ValueError(f"{story.key}: a closing step needs a reason, others none")
            since = self.at(step.days, "16:30")
            changes.append((phase, step, since))
            phase = step.phase
        closed = phase == Phase.CLOSED
        case = Case.objects.create(
            household=profile.household,
            lead_agency=lead.agency,
            lead_user=lead.user,
            phase=phase,
            phase_since=since,
            opened_on=opened.date(),
            came_via=story.came_via,
            referred_by=self.agencies[story.referred_by] if story.referred_by else None,
            interpreter_language=profile.interpreter,
            closure_reason=story.history[-1].reason if closed else "",
            closed_on=since.date() if closed else None,
            opened_by=lead.user,
        )
        CasePhaseChange.objects.bulk_create(
            CasePhaseChange(
                case=case,
                from_phase=before,
                to_phase=step.phase,
                closure_reason=step.reason,
                note=step.note.format_map(text),
                changed_by=lead.user,
                agency=lead.agency,
                changed_at=when,
            )
            for before, step, when in changes
        )
        return case

    def _participants(self, story: Story, case: Case, lead: Membership) -> dict[str, Party]:
        """The lead's participant row and assignment, each party's row and its contact's
        assignment, and the further assignments (substitutes) — as the services write them."""
        opened = case.opened_on
        CaseParticipant.objects.create(
            case=case, agency=lead.agency, contact=lead.user, joined_on=opened
        )
        assignments = [
            CaseAssignment(
                case=case,
                agency=lead.agency,
                user=lead.user,
                kind=CaseAssignment.Kind.LEAD,
                valid_from=opened,
                assigned_by=lead.user,
            )
        ]
        parties: dict[str, Party] = {}
        for party in story.parties:
            agency = self.agencies[party.agency]
            blocked = firewall.blocked_categories(agency.kind) & set(party.categories)
            if agency.pk == lead.agency_id or blocked:
                raise ValueError(f"{story.key}: {party.agency} cannot take part like this")
            contact = self.memberships[party.contact] if party.contact else None
            if contact is not None and contact.agency_id != agency.pk:
                raise ValueError(f"{story.key}: {party.contact} does not work for {agency}")
            joined = self.day(-party.joined)
            CaseParticipant.objects.create(
                case=case,
                agency=agency,
                contact=contact.user if contact else None,
                categories=sorted(party.categories),
                joined_on=joined,
            )
            if contact is not None:
                assignments.append(
                    CaseAssignment(
                        case=case,
                        agency=agency,
                        user=contact.user,
                        kind=CaseAssignment.Kind.CONTACT,
                        valid_from=joined,
                        assigned_by=lead.user,
                    )
                )
            parties[party.agency] = party
        for cover in story.covers:
            member, by = self.memberships[cover.user], self.memberships[cover.by]
            if by.agency_id != member.agency_id or not by.role == "team_lead":
                raise ValueError(f"{story.key}: {cover.by} cannot assign {cover.user}")
            assignments.append(
                CaseAssignment(
                    case=case,
                    agency=member.agency,
                    user=member.user,
                    kind=cover.kind,
                    valid_from=self.day(cover.start),
                    valid_until=self.day(cover.end) if cover.end is not None else None,
                    assigned_by=by.user,
                )
            )
        CaseAssignment.objects.bulk_create(assignments)
        return parties

    def _consents(
        self,
        story: Story,
        profile: Profile,
        lead: Membership,
        parties: dict[str, Party],
        text: _Names,
    ) -> None:
        """One declaration per member and participant (and round), recorded by the lead:
        given (or only requested) for case management and the categories the participant
        will see; a parent signs for a child under 15."""
        form_language = profile.first_language if profile.first_language in FORM_LANGUAGES else "de"
        for start, until in story.consent_rounds:
            valid_from = self.day(-(story.opened if start is None else start))
            valid_until = (
                self.day(-until) if until is not None else valid_from + timedelta(CONSENT_DAYS)
            )
            for party in parties.values():
                for member in profile.members:
                    self._consent(
                        member,
                        profile,
                        lead,
                        recipients=[self.agencies[party.agency]],
                        categories=party.categories,
                        purpose=ConsentPurpose.CASE_MANAGEMENT,
                        status=party.consent,
                        valid_from=valid_from,
                        valid_until=valid_until,
                        form_language=form_language,
                    )
        if story.conference is not None:
            conference = story.conference
            for member in profile.members:
                self._consent(
                    member,
                    profile,
                    lead,
                    recipients=[self.agencies[code] for code in conference.agencies],
                    categories=conference.categories,
                    purpose=ConsentPurpose.CASE_CONFERENCE,
                    purpose_text=conference.text.format_map(text),
                    status=ConsentDeclaration.Status.GIVEN,
                    valid_from=self.day(-conference.days),
                    valid_until=self.day(180),
                    form_language=form_language,
                )

    def _consent(
        self,
        member: Member,
        profile: Profile,
        lead: Membership,
        *,
        recipients: list[Agency],
        categories: Sequence[str],
        purpose: str,
        status: str,
        valid_from: date,
        valid_until: date,
        form_language: str,
        purpose_text: str = "",
    ) -> None:
        born = member.person.birth_date
        if born is not None and born > valid_from:
            # A child born since: the parents signed for it after the birth.
            valid_from = born
            if valid_from > valid_until:
                return
        # The consent rules ask for the age today, whatever day the story is told for.
        age = member.person.age_on(timezone.localdate())
        minor = age is not None and age < GUARDIAN_AGE
        parent = profile.partner or profile.head
        given = status == ConsentDeclaration.Status.GIVEN
        consent_record(
            subject=member.person,
            data=ConsentData(
                recipient_agencies=recipients,
                categories=list(categories),
                purpose=purpose,
                purpose_text=purpose_text,
                given_by=(
                    ConsentDeclaration.GivenBy.GUARDIAN
                    if minor
                    else ConsentDeclaration.GivenBy.SUBJECT
                ),
                guardian_name=parent.full_name if minor else "",
                valid_from=valid_from,
                valid_until=valid_until,
                form_language=form_language,
                status=status,
                no_scan_reason=NO_SCAN if given else "",
            ),
            membership=lead,
            actor=lead.user,
        )

    def _assessments(
        self, story: Story, profile: Profile, case: Case, lead: Membership, text: _Names
    ) -> None:
        for look in story.looks:
            assessed_on = self.day(-(look.days or story.assessed))
            for member in _born_by(_who(profile, look.who), assessed_on):
                domain, need, situation, resources = (
                    look.small
                    if look.small is not None and member.age < 6
                    else (look.domain, look.need, look.situation, look.resources)
                )
                names = _Names({**text, "name": member.name}, self.today, self.users)
                self.assessments.append(
                    Assessment(
                        subject=member.person,
                        owner_agency=lead.agency,
                        category=DOMAIN_CATEGORY[domain],
                        case=case,
                        group=self.group(),
                        author=lead.user,
                        domain=domain,
                        situation=situation.format_map(names),
                        resources=resources.format_map(names),
                        need=need,
                        assessed_on=assessed_on,
                    )
                )

    def _plan(
        self,
        story: Story,
        profile: Profile,
        case: Case,
        lead: Membership,
        parties: dict[str, Party],
        text: _Names,
    ) -> None:
        taking_part = {lead.agency.code, *parties}
        for aim in story.aims:
            members = _who(profile, aim.who)
            if not members:
                continue
            owners = {aim.agency, *(task.agency for task in aim.tasks)}
            if not owners <= taking_part:
                raise ValueError(f"{story.key}: {sorted(owners - taking_part)} do not take part")
            goal_group = self.group()
            for member in members:
                self.goals.append(
                    Goal(
                        subject=member.person,
                        owner_agency=lead.agency,
                        category=PLAN,
                        case=case,
                        group=goal_group,
                        author=lead.user,
                        domain=aim.domain,
                        text=aim.text.format_map(text),
                        responsible_agency=self.agencies[aim.agency],
                        target_date=self.day(aim.target),
                        attainment=aim.attainment,
                    )
                )
            for task in aim.tasks:
                group = self.group()
                for member in members:
                    self.measures.append(
                        Measure(
                            subject=member.person,
                            owner_agency=lead.agency,
                            category=PLAN,
                            case=case,
                            group=group,
                            author=lead.user,
                            goal_group=goal_group,
                            text=task.text.format_map(text),
                            responsible_agency=self.agencies[task.agency],
                            due_date=self.day(task.due),
                            status=task.status,
                        )
                    )

    def _journal(
        self,
        story: Story,
        profile: Profile,
        case: Case,
        lead: Membership,
        parties: dict[str, Party],
        text: _Names,
    ) -> None:
        for note in story.notes:
            author = self.memberships[note.author] if note.author else lead
            code = author.agency.code
            # As journal_entry_create: the author's agency works on the case and sees the
            # person (its own family, or by the consent it has been given for identity).
            party = parties.get(code)
            sees = code == lead.agency.code or (
                party is not None
                and party.consent == ConsentDeclaration.Status.GIVEN
                and ID in party.categories
            )
            confidant = author.agency.kind == Agency.Kind.YOUTH_WELFARE_OFFICE
            if not sees or (note.entrusted and not confidant):
                raise ValueError(f"{story.key}: {note.author or story.lead} cannot write this")
            if note.days < 1:
                raise ValueError(f"{story.key}: a journal entry lies in the past")
            group = self.group()
            when = self.at(note.days, note.at)
            for member in _born_by(_who(profile, note.who), when.date()):
                self.entries.append(
                    JournalEntry(
                        subject=member.person,
                        owner_agency=author.agency,
                        category=note.category,
                        entrusted=note.entrusted,
                        kind=note.kind,
                        text=note.text.format_map(text),
                        occurred_at=when,
                        author=author.user,
                        case=case,
                        group=group,
                        follow_up_on=(
                            self.day(note.follow_up) if note.follow_up is not None else None
                        ),
                        interpreter_language=case.interpreter_language if note.interpreter else "",
                    )
                )

    def flush(self) -> None:
        Assessment.objects.bulk_create(self.assessments)
        Goal.objects.bulk_create(self.goals)
        Measure.objects.bulk_create(self.measures)
        JournalEntry.objects.bulk_create(self.entries)


def _memberships() -> dict[str, Membership]:
    """Each demo account's membership in its demo agency."""
    wanted = {a.username: a.agency_code for a in ACCOUNTS}
    found: dict[str, Membership] = {}
    for membership in Membership.objects.select_related("agency", "user").filter(
        user__username__in=list(wanted), is_active=True
    ):
        if wanted[membership.user.username] == membership.agency.code:
            found.setdefault(membership.user.username, membership)
    return found


def _pick(story: Story, profiles: list[Profile], used: set[int], today: date) -> Profile | None:
    """The household that fits the story and most of its preferences (the first by Lotse ID
    among equals), living in the city when the case was opened."""
    opened = today - timedelta(days=story.opened)
    best: Profile | None = None
    best_score = -1
    for profile in profiles:
        head = profile.head.person
        arrived = head.arrival_in_city or head.arrival_in_germany
        if (
            profile.household.pk in used
            or (arrived is not None and arrived > opened)
            or not all(fit(profile) for fit in story.fits)
        ):
            continue
        score = sum(prefer(profile) for prefer in story.prefers)
        if score > best_score:
            best, best_score = profile, score
    return best


def story_cases() -> QuerySet[Case]:
    """The story cases: those led by an agency of the demo city. (The statistical caseload,
    ``lotse.demo.steering``, is led by agencies of its own.)"""
    return Case.objects.filter(lead_agency__code__in=[spec.code for spec in AGENCIES])


def load_story_cases(*, seed: int, stories: Sequence[Story] = STORIES) -> int:
    """Write the story cases on fitting demo households; the number written.

    A story whose lead, participants or fitting household is missing (a small city, another
    seed) is left out. Call inside a transaction (``demo_city_seed`` does).
    """
    # The stories show need-to-know at the Jugendamt (its staff see a family's content only
    # while assigned to the family's case), also in a demo database older than the stories.
    need_to_know = [spec.code for spec in AGENCIES if spec.need_to_know]
    Agency.objects.filter(code__in=need_to_know, need_to_know=False).update(need_to_know=True)
    memberships = _memberships()
    agencies = {a.code: a for a in Agency.objects.filter(code__in=[s.code for s in AGENCIES])}
    today = timezone.localdate()
    writer = _Writer(
        today=today,
        rng=random.Random(seed),
        agencies=agencies,
        users={name: m.user for name, m in memberships.items()},
        memberships=memberships,
    )
    profiles: dict[str, list[Profile]] = {}
    used: set[int] = set()
    chosen: dict[str, Profile] = {}
    # The most demanding stories choose first; the cases are written in the stories' order.
    for story in sorted(stories, key=lambda s: -len(s.fits)):
        if not _story_people(story) <= set(memberships):
            continue
        lead = memberships[story.lead]
        if lead.agency.code not in profiles:
            profiles[lead.agency.code] = _profiles(lead.agency, today)
        profile = _pick(story, profiles[lead.agency.code], used, today)
        if profile is not None:
            used.add(profile.household.pk)
            chosen[story.key] = profile
    for story in stories:
        if story.key in chosen:
            writer.write(story, chosen[story.key])
    writer.flush()
    return len(chosen)


def _story_people(story: Story) -> set[str]:
    people: set[str] = {story.lead}
    people |= {party.contact for party in story.parties if party.contact}
    people |= {note.author for note in story.notes if note.author}
    people |= {cover.user for cover in story.covers} | {cover.by for cover in story.covers}
    return people
