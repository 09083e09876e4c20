"""Duplicate detection on registration, without leaking across agencies.

Candidates come from the name-key index over *all* persons. Candidates in the user's scope are
scored on names, birth date (precision-aware), sex, nationality and household and shown with
their data. Candidates known only to other agencies collapse into one hint per agency — "a
possible match is known to <agency>" — and nothing else; the hint is decided on the names alone,
so that trying birth dates, sexes or nationalities one after another cannot recover an
attribute of a person the caller may not see (each hint is audited with the persons behind it).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.db.models import Count, QuerySet

from lotse.accounts.models import Agency

from . import names
from .choices import BirthDatePrecision, Sex
from .models import Person, PersonNameKey

LIKELY = 0.90
POSSIBLE = names.LIKELY_OR_POSSIBLE_THRESHOLD
CANDIDATES = 100


@dataclass(frozen=True)
class ProspectivePerson:
    given_names: str
    family_name: str
    aliases: tuple[str, ...] = ()
    native_name: str = ""
    birth_date: date | None = None
    birth_date_precision: str = BirthDatePrecision.EXACT
    sex: str = Sex.UNSPECIFIED
    nationalities: tuple[str, ...] = ()
    household_names: tuple[str, ...] = ()


@dataclass(frozen=True)
class Candidate:
    person: Person
    score: float
    tier: str  # "likely" or "possible"
    reasons: tuple[str, ...]


@dataclass(frozen=True)
class DuplicateReport:
    in_scope: list[Candidate] = field(default_factory=list)
    other_agencies: list[Agency] = field(default_factory=list)
    #: The hidden persons behind the hints: for the audit trail only, never shown.
    hinted_subject_ids: tuple[int, ...] = ()

    @property
    def is_empty(self) -> bool:
        return not (self.in_scope or self.other_agencies)


def _birth_score(a: Person | ProspectivePerson, b: Person | ProspectivePerson) -> float | None:
    """1 for the same date, lower for uncertain agreement, 0 for a clear conflict."""
    if a.birth_date is None or b.birth_date is None:
        return None
    uncertain = {BirthDatePrecision.YEAR, BirthDatePrecision.ESTIMATED}
    # Many documents carry 01.01. when only the year is known.
    a_vague = a.birth_date_precision in uncertain or (a.birth_date.month, a.birth_date.day) == (
        1,
        1,
    )
    b_vague = b.birth_date_precision in uncertain or (b.birth_date.month, b.birth_date.day) == (
        1,
        1,
    )
    if a.birth_date == b.birth_date:
        return 1.0
    years_apart = abs(a.birth_date.year - b.birth_date.year)
    if (a_vague or b_vague) and years_apart == 0:
        return 0.9
    estimated = BirthDatePrecision.ESTIMATED in {a.birth_date_precision, b.birth_date_precision}
    if estimated and years_apart <= 2:
        return 0.7
    if years_apart == 0 and (a.birth_date.month, a.birth_date.day) == (
        b.birth_date.day,
        b.birth_date.month,
    ):
        return 0.8  # day and month swapped: a common transcription slip
    return 0.0


def _spellings(p: Person | ProspectivePerson) -> list[str]:
    return names.spellings(p.given_names, p.family_name, p.aliases, p.native_name)


def name_score(new: ProspectivePerson, existing: Person) -> float:
    return max(names.name_similarity(a, b) for a in _spellings(new) for b in _spellings(existing))


def score_pair(new: ProspectivePerson, existing: Person) -> tuple[float, tuple[str, ...]]:
    name = name_score(new, existing)
    reasons = [f"name {name:.2f}"]
    score = name
    birth = _birth_score(new, existing)
    if birth is not None:
        reasons.append(f"birth date {birth:.1f}")
        # A clearly different birth date separates namesakes; agreement confirms.
        score = 0.65 * name + 0.35 * birth if birth > 0 else name * 0.6
    unknown_sex = {Sex.UNSPECIFIED, ""}
    if new.sex not in unknown_sex and existing.sex not in unknown_sex and new.sex != existing.sex:
        score *= 0.6
        reasons.append("sex differs")
    if new.nationalities and existing.nationalities:
        if set(new.nationalities) & set(existing.nationalities):
            score = min(1.0, score + 0.03)
            reasons.append("nationality matches")
        else:
            score *= 0.9
            reasons.append("nationality differs")
    return round(score, 4), tuple(reasons)


def candidate_query(new: ProspectivePerson) -> QuerySet[PersonNameKey, int] | None:
    """The database part of the check: persons sharing at least two name keys, over all
    agencies (what the user may see is decided afterwards, per candidate)."""
    keys: set[str] = set()
    for spelling in _spellings(new):
        keys.update(names.query_keys(spelling))
    if not keys:
        return None
    return (
        PersonNameKey.objects.filter(kind=PersonNameKey.Kind.KEY, value__in=sorted(keys))
        .values("person_id")
        .annotate(hits=Count("value", distinct=True))
        .filter(hits__gte=min(2, len(keys)))
        .order_by("-hits", "person_id")
        .values_list("person_id", flat=True)[:CANDIDATES]
    )


def _candidate_ids(new: ProspectivePerson) -> list[int]:
    query = candidate_query(new)
    return [] if query is None else list(query)


def check_duplicates(new: ProspectivePerson, scope: QuerySet[Person]) -> DuplicateReport:
    ids = _candidate_ids(new)
    if not ids:
        return DuplicateReport()
    visible_ids = set(scope.filter(pk__in=ids).values_list("pk", flat=True))
    in_scope: list[Candidate] = []
    hinted_agencies: dict[int, Agency] = {}
    candidates = Person.objects.filter(pk__in=ids, merged_into__isnull=True).select_related(
        "owner_agency"
    )
    hinted: list[int] = []
    for person in candidates:
        if person.pk not in visible_ids:
            # Names only: the caller typed them, so the hint reveals nothing else.
            if name_score(new, person) >= POSSIBLE:
                hinted_agencies[person.owner_agency_id] = person.owner_agency
                hinted.append(person.pk)
            continue
        score, reasons = score_pair(new, person)
        if score < POSSIBLE:
            continue
        tier = "likely" if score >= LIKELY else "possible"
        in_scope.append(Candidate(person, score, tier, reasons))
    in_scope.sort(key=lambda c: -c.score)
    others = sorted(hinted_agencies.values(), key=lambda a: a.name)
    return DuplicateReport(
        in_scope=in_scope, other_agencies=others, hinted_subject_ids=tuple(sorted(hinted))
    )
