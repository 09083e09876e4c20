"""Person search: canonical name keys in an indexed token table, then a ranking that explains.

Stage 1 (SQL, the same on SQLite and PostgreSQL): the rows of ``people_personnamekey`` that
match a word of the query — a canonical variant key (also with a compatible final vowel), a
coarse consonant key (cross-script for a query in Arabic or Persian script, and for long Latin
words no variant key groups), or the spelled-out word as a prefix — in the member's scope,
grouped per person. The access rule is applied on the key rows, which carry the person's
agency; a consent is probed per row (``policy.visible_q(probe=True)``) instead of hashing all
of the agency's grants first. A birth date in the query and the filters (age band, district,
household) read the person row. The best candidates come first by birth match, words covered
and evidence.

Stage 2 (Python, on at most ``CANDIDATES`` rows): each candidate is scored by how much of the
query it explains — which words, how well (people.names), the birth date or year; without a
date in the query adults come before children — and says why it matched (``Reason``).
"""

from __future__ import annotations

import heapq
import itertools
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache, reduce
from operator import or_
from typing import Any, NamedTuple

from django.db.models import (
    Case,
    Count,
    Exists,
    F,
    IntegerField,
    Max,
    OuterRef,
    Q,
    QuerySet,
    Value,
    When,
)
from django.utils import timezone
from django.utils.translation import pgettext
from rapidfuzz.distance import Levenshtein

from lotse.accounts.models import Membership
from lotse.consent import policy
from lotse.core.dates import years_before

from . import access, names
from .choices import BirthDatePrecision
from .models import HouseholdMember, Person, PersonNameKey

CANDIDATES = 200
#: Candidates ranked per hit asked for (at least ``MIN_CANDIDATES``): the index's order (words
#: covered, evidence) already puts the likely ones first; ranking more costs time, not recall.
CANDIDATES_PER_HIT = 4
MIN_CANDIDATES = 100
#: A name query needs this many letters (or a birth year, or a Lotse ID): fewer match
#: thousands of names and rank none of them meaningfully.
MIN_LETTERS = 3
_PUBLIC_ID = re.compile(r"^([PH])-?([0-9A-Z]{4})-?([0-9A-Z]{4})$", re.IGNORECASE)
_YEAR = re.compile(r"^(19|20)\d\d$")
_DATE = re.compile(r"^(\d{1,2})[./](\d{1,2})[./](\d{4})$")
_ISO_DATE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
_MIN_PREFIX = 2
# A shared sound-alike key alone (Mahmoud for a Muhammad query) is no hit.
_MIN_SIMILARITY = 0.2
# A query word counts as explained by a word of the person's name from this similarity on.
_WORD_MATCH = 0.75
_VARIANT = 0.9
_PREFIX_MATCH = 0.8
_SCRIPT_MATCH = 0.85
_KEYED_FLOOR = 0.5
_KNOWN_VARIANT = 0.97
_MIN_COARSE = 3  # consonant classes a coarse key needs (after its "~")
ADULT_AGE = 18
_INFANT_AGE = 3

# --- filters ------------------------------------------------------------------------------------

#: Age bands as the steering figures count them (reports.aggregates): code → (from, below).
AGE_BANDS: dict[str, tuple[int, int | None]] = {
    "0-17": (0, 18),
    "18-26": (18, 27),
    "27-64": (27, 65),
    "65+": (65, None),
}
HOUSEHOLD_WITH = "with"
HOUSEHOLD_WITHOUT = "without"


@dataclass(frozen=True)
class SearchFilters:
    """Narrow a search to visible persons of an age band, a district, with or without a
    household. Filters only remove hits: they never reach a person the search could not."""

    age_band: str = ""
    district: str = ""
    household: str = ""

    @property
    def is_empty(self) -> bool:
        return not (self.age_band or self.district or self.household)


def _born_after(day: date, years: int, prefix: str) -> Q:
    """Younger than ``years`` on ``day``: by the birth date, else by the year of birth."""
    return Q(**{f"{prefix}birth_date__gt": years_before(day, years)}) | Q(
        **{f"{prefix}birth_date__isnull": True, f"{prefix}birth_year__gt": day.year - years}
    )


def _row_filters(filters: SearchFilters, prefix: str = "") -> Q:
    """Conditions on the person's own columns (``prefix`` reaches them from a key row)."""
    condition = Q()
    if filters.district:
        condition &= Q(**{f"{prefix}district": filters.district})
    if filters.age_band in AGE_BANDS:
        today = timezone.localdate()
        low, high = AGE_BANDS[filters.age_band]
        stated = Q(**{f"{prefix}birth_date__isnull": False}) | Q(
            **{f"{prefix}birth_year__isnull": False}
        )
        condition &= stated & ~_born_after(today, low, prefix)
        if high is not None:
            condition &= _born_after(today, high, prefix)
    return condition


def _household_filter(filters: SearchFilters, subject: str) -> Q:
    if filters.household not in (HOUSEHOLD_WITH, HOUSEHOLD_WITHOUT):
        return Q()
    member = Exists(HouseholdMember.objects.filter(person_id=OuterRef(subject)))
    return Q(member) if filters.household == HOUSEHOLD_WITH else ~Q(member)


# --- the query ----------------------------------------------------------------------------------


@dataclass(frozen=True, eq=False)  # compared by identity: a cheap key for the ranking's memo
class QueryWord:
    """One word as typed, in the forms the index holds."""

    written: str
    tokens: tuple[str, ...]  # identity-bearing forms (names.name_tokens)
    keys: tuple[str, ...]  # variant keys and, for Arabic or Persian script, cross-script keys
    key_set: frozenset[str]
    # Coarse consonant keys of a long Latin word (names.script_name_keys): they meet spellings
    # no variant key groups (Qorbani, Ghorbani), for the ranking to judge.
    coarse: frozenset[str]
    prefixes: tuple[str, ...]  # spelled-out forms, matched as the start of a name word
    script: bool  # written in Arabic or Persian script


@dataclass(frozen=True)
class ParsedQuery:
    text: str
    public_id: str | None
    birth_year: int | None
    birth_date: date | None
    words: tuple[QueryWord, ...]
    letters: int

    @property
    def has_birth(self) -> bool:
        return self.birth_year is not None

    @property
    def is_empty(self) -> bool:
        return not (self.public_id or self.words or self.has_birth)

    @property
    def too_short(self) -> bool:
        """Too little to search by: fewer than ``MIN_LETTERS`` letters and no year or ID."""
        return not (self.public_id or self.has_birth) and self.letters < MIN_LETTERS


def _parse_date(part: str) -> date | None:
    found = _DATE.match(part)
    if found is not None:
        day, month, year = (int(found.group(i)) for i in (1, 2, 3))
    elif (found := _ISO_DATE.match(part)) is not None:
        year, month, day = (int(found.group(i)) for i in (1, 2, 3))
    else:
        return None
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _query_word(written: str) -> QueryWord | None:
    tokens = names.name_tokens(written)
    if not tokens:
        # A particle (al, bin, abu) starts thousands of names and tells nobody apart.
        return None
    folded = [w for w in names.fold(written).split() if len(w) >= _MIN_PREFIX]
    script = names.has_script_letters(written)
    keys = [k for t in tokens for k in names.query_token_keys(t)]
    coarse: list[str] = []
    known = any(k.startswith("=") for k in keys)
    if script:
        # A common Arabic name (a known family: Ahmad, Ali) has its keys; its few consonants
        # as a cross-script key would meet thousands of other names.
        keys += [k for k in names.script_query_keys(written) if not known or len(k) > _MIN_COARSE]
    elif not known:
        # Known variants have their family key; short skeletons would meet half the city.
        coarse = [k for k in names.script_name_keys(written) if len(k) > _MIN_COARSE]
        keys += coarse
    # Glued forms fold differently (Alhassan → hassan); the spelled-out word still counts.
    prefixes = [t for t in tokens if len(t) >= _MIN_PREFIX]
    prefixes += [w for w in folded if not names.is_particle(w)]
    if not keys and not prefixes:
        return None
    return QueryWord(
        written,
        tokens,
        tuple(dict.fromkeys(keys)),
        frozenset(keys),
        frozenset(coarse),
        tuple(dict.fromkeys(prefixes)),
        script=script,
    )


def parse_query(raw: str) -> ParsedQuery:
    raw = raw.strip()[:200]
    match = _PUBLIC_ID.match(raw.replace(" ", ""))
    if match:
        public_id = f"{match.group(1)}-{match.group(2)}-{match.group(3)}".upper()
        return ParsedQuery(raw, public_id, None, None, (), 0)
    birth_year = None
    birth_date = None
    name_parts = []
    for part in raw.split():
        if _YEAR.match(part):
            birth_year = int(part)
        elif (day := _parse_date(part)) is not None:
            birth_date, birth_year = day, day.year
        else:
            name_parts.append(part)
    text = " ".join(name_parts)
    words = [w for w in (_query_word(part) for part in name_parts) if w is not None]
    # Letters of the identity-bearing words: "Al" or "Abu" alone name nobody.
    letters = sum(len(token) for word in words for token in word.tokens)
    return ParsedQuery(text, None, birth_year, birth_date, tuple(words), letters)


# --- why a person matched -----------------------------------------------------------------------


@dataclass(frozen=True)
class Reason:
    """One short, translatable reason why a hit matched; ``value`` names a spelling."""

    GIVEN_NAME = "given_name"
    FAMILY_NAME = "family_name"
    SPELLING = "spelling"
    ORIGINAL_SCRIPT = "original_script"
    TRANSLITERATED = "transliterated"
    PARTIAL = "partial"
    SIMILAR = "similar"
    BIRTH_DATE = "birth_date"
    BIRTH_YEAR = "birth_year"
    LOTSE_ID = "lotse_id"
    HOUSEHOLD = "household"

    code: str
    value: str = ""

    @property
    def label(self) -> str:
        labels = {
            self.GIVEN_NAME: pgettext("search reason", "given name"),
            self.FAMILY_NAME: pgettext("search reason", "family name"),
            self.ORIGINAL_SCRIPT: pgettext("search reason", "original script"),
            self.TRANSLITERATED: pgettext("search reason", "from Arabic script"),
            self.PARTIAL: pgettext("search reason", "beginning of the name"),
            self.SIMILAR: pgettext("search reason", "similar"),
            self.BIRTH_DATE: pgettext("search reason", "date of birth"),
            self.BIRTH_YEAR: pgettext("search reason", "year of birth"),
            self.LOTSE_ID: pgettext("search reason", "Lotse ID"),
            self.HOUSEHOLD: pgettext("search reason", "household"),
        }
        if self.code == self.SPELLING:
            return pgettext("search reason", "spelling %(name)s") % {"name": self.value}
        return labels.get(self.code, self.code)


@dataclass(frozen=True)
class SearchHit:
    person: Person
    score: float
    reasons: tuple[Reason, ...] = field(default=())


class _NameWord(NamedTuple):
    token: str
    written: str
    part: str  # "given", "family", "alias" or "native"
    folded: tuple[str, ...]  # the word as the index holds its spelling (token rows)


@dataclass(frozen=True)
class _WordMatch:
    score: float
    kind: str  # "exact", "variant", "similar", "prefix", "script"
    word: _NameWord | None


_NO_MATCH = _WordMatch(0.0, "", None)


@lru_cache(maxsize=50_000)
def _words_of(text: str, part: str) -> tuple[_NameWord, ...]:
    words: list[_NameWord] = []
    for written in text.split():
        folded = tuple(names.fold(written).split())
        words.extend(_NameWord(t, written, part, folded) for t in names.name_tokens(written))
    return tuple(words)


def _compounds(words: Sequence[_NameWord]) -> list[_NameWord]:
    """Neighbouring words as one (Alaa Al-Din: Alaaddin; Ali Reza: Alireza), as the index
    holds their compound key (names.query_keys)."""
    return [
        _NameWord(
            first.token + second.token,
            first.written
            if first.written == second.written
            else f"{first.written} {second.written}",
            first.part if first.part == second.part else "given",
            first.folded + second.folded,
        )
        for first, second in itertools.pairwise(words)
    ]


@lru_cache(maxsize=50_000)
def _name_words(
    given: str, family: str, aliases: tuple[str, ...], native: str
) -> tuple[_NameWord, ...]:
    """The words of every spelling and their compounds, the record's own name first (it wins
    ties)."""
    own = [*_words_of(given, "given"), *_words_of(family, "family")]
    words = [*own, *_compounds(own)]
    for spelling, part in [*((alias, "alias") for alias in aliases if alias), (native, "native")]:
        written = _words_of(spelling, part)
        words.extend([*written, *_compounds(written)])
    return tuple(words)


def _compare(word: QueryWord, candidate: _NameWord) -> tuple[float, str]:
    """How a word of the query matches one word of a name: (score, kind). Only words that
    share a key, a prefix or a cross-script key are compared: the index found them so."""
    keyed = not word.key_set.isdisjoint(names.token_keys(candidate.token))
    prefixed = any(f.startswith(p) for f in candidate.folded for p in word.prefixes)
    scripted = (
        word.script
        and candidate.part != "native"
        and not word.key_set.isdisjoint(names.script_name_keys(candidate.written))
    )
    coarse = bool(word.coarse) and not word.coarse.isdisjoint(
        names.script_name_keys(candidate.written)
    )
    if not (keyed or prefixed or scripted or coarse):
        return 0.0, ""
    score = max(names.token_similarity(token, candidate.token) for token in word.tokens)
    if coarse and not keyed:
        # The same consonants: how close the spellings are decides (Qorbani, Ghorbani).
        score = max(
            score,
            *(
                Levenshtein.normalized_similarity(
                    names.light_form(token), names.light_form(candidate.token)
                )
                for token in word.tokens
            ),
        )
    if keyed and score >= _KEYED_FLOOR:
        # Same consonant skeleton, vowels read differently (Emanuel, Amanuel): a variant the
        # index groups, weaker than a known one; names of different families score 0 here.
        score = max(score, _WORD_MATCH)
    if score >= _VARIANT:
        same = any(names.light_form(t) == names.light_form(candidate.token) for t in word.tokens)
        kind = "exact" if same else "variant"
        if not same:
            # A spelling as typed (an alias, the original script) beats a known variant.
            score = min(score, _KNOWN_VARIANT)
    elif score >= _WORD_MATCH:
        kind = "similar"
    elif prefixed:
        score, kind = _PREFIX_MATCH, "prefix"
    else:
        kind = ""
    if scripted and score < _SCRIPT_MATCH:
        score, kind = _SCRIPT_MATCH, "script"
    return score, kind


def _match_word(
    word: QueryWord,
    name_words: Iterable[_NameWord],
    compared: dict[tuple[QueryWord, _NameWord], tuple[float, str]],
) -> _WordMatch:
    """The best word of the name for a word of the query; ``compared`` remembers pairs
    across candidates (the same given and family names recur)."""
    best = _NO_MATCH
    for candidate in name_words:
        pair = (word, candidate)
        if pair not in compared:
            compared[pair] = _compare(word, candidate)
        score, kind = compared[pair]
        if score > best.score:
            best = _WordMatch(score, kind, candidate)
    return best if best.score >= _WORD_MATCH else _NO_MATCH


def _word_reasons(query: ParsedQuery, matches: Sequence[_WordMatch]) -> list[Reason]:
    parts = {m.word.part for m in matches if m.word is not None}
    reasons = []
    if "given" in parts:
        reasons.append(Reason(Reason.GIVEN_NAME))
    if "family" in parts:
        reasons.append(Reason(Reason.FAMILY_NAME))
    for word, match in zip(query.words, matches, strict=True):
        if match.word is None:
            continue
        if match.word.part == "native":
            reasons.append(Reason(Reason.ORIGINAL_SCRIPT))
        elif word.script or match.kind == "script":
            reasons.append(Reason(Reason.TRANSLITERATED))
        elif match.kind == "prefix":
            reasons.append(Reason(Reason.PARTIAL))
        elif match.kind == "similar":
            reasons.append(Reason(Reason.SIMILAR))
        elif match.word.part == "alias" or match.word.token not in word.tokens:
            reasons.append(Reason(Reason.SPELLING, match.word.written))
    return reasons


# --- stage 1: candidates ------------------------------------------------------------------------


def _prefix_q(prefix: str) -> Q:
    # A range instead of LIKE: uses the B-tree index on both engines, whatever the collation.
    return Q(kind=PersonNameKey.Kind.TOKEN, value__gte=prefix, value__lt=prefix + "\x7f")


def word_conditions(query: ParsedQuery) -> list[Q]:
    """One condition per word of the query: its keys, or its spelling as a prefix."""
    conditions = []
    for word in query.words:
        condition = Q(kind=PersonNameKey.Kind.KEY, value__in=word.keys) if word.keys else Q()
        for prefix in word.prefixes:
            condition = condition | _prefix_q(prefix) if condition else _prefix_q(prefix)
        conditions.append(condition)
    return conditions


def _birth_level(query: ParsedQuery, prefix: str = "") -> Case | Value:
    """2: the exact birth date of the query; 1: its year of birth; 0: neither."""
    whens = []
    if query.birth_date is not None:
        whens.append(
            When(
                Q(
                    **{
                        f"{prefix}birth_date": query.birth_date,
                        f"{prefix}birth_date_precision": BirthDatePrecision.EXACT,
                    }
                ),
                then=2,
            )
        )
    if query.birth_year is not None:
        whens.append(When(Q(**{f"{prefix}birth_year": query.birth_year}), then=1))
    if not whens:
        return Value(0)
    return Case(*whens, default=0, output_field=IntegerField())


def candidate_count(limit: int) -> int:
    return min(CANDIDATES, max(MIN_CANDIDATES, CANDIDATES_PER_HIT * limit))


def candidate_query(
    membership: Membership | None,
    query: ParsedQuery,
    conditions: list[Q],
    filters: SearchFilters | None = None,
    *,
    limit: int = CANDIDATES,
) -> QuerySet[PersonNameKey, tuple[Any, ...]]:
    """Stage 1: (person id, words covered, birth level, covered flag per word) of the best
    ``limit`` persons the member may see."""
    filters = filters or SearchFilters()
    # Which words of the query a person covers, not how many of their spellings match.
    covered = {
        f"w{index}": Max(Case(When(condition, then=1), default=0, output_field=IntegerField()))
        for index, condition in enumerate(conditions)
    }
    rows = PersonNameKey.objects.filter(
        reduce(or_, conditions),
        # On the key rows, which carry the person's agency: most are the member's own and
        # need no more; for the others the consent is probed per row (``probe``), cheaper
        # than reading all of the agency's grants first (measured: lotse bench --suite people).
        policy.visible_q(membership, PersonNameKey, probe=True),
        _row_filters(filters, "person__"),
        _household_filter(filters, "person_id"),
    )
    grouped = (
        rows.values("person_id")
        .annotate(**covered)
        .annotate(
            hits=sum((F(name) for name in covered), Value(0)),
            evidence=Count("pk"),
            birth=Max(_birth_level(query, "person__")) if query.has_birth else Value(0),
        )
    )
    return grouped.order_by("-birth", "-hits", "-evidence", "person_id").values_list(
        "person_id", "hits", "birth", *covered
    )[:limit]


# --- stage 2: ranking ---------------------------------------------------------------------------

_BIRTH_POINTS = {2: 0.5, 1: 0.4, 0: 0.0}
_COMPARED = 20
_ADULT_POINTS = 0.03


def _score(coverage: float, similarity: float, birth: float, prior: float) -> float:
    return round(0.4 * coverage + 0.5 * similarity + birth + prior, 4)


def _order_points(matches: Sequence[_WordMatch]) -> float:
    """Given names first, as the query wrote them, before the same names the other way round
    (Hassan Al-Mohammad for "Mohammad Alhassan"); passport order (family name first) next."""
    parts = [m.word.part for m in matches if m.word is not None]
    parts = [p for p in parts if p in ("given", "family")]
    if "given" not in parts or "family" not in parts:
        return 0.0
    if parts == sorted(parts, key=lambda p: p != "given"):
        return 0.01
    return 0.005 if parts == sorted(parts, key=lambda p: p != "family") else 0.0


def _age_points(birth_date: date | None, birth_year: int | None, today: date) -> float:
    """Without a date in the query, adults before children before infants: most searches
    are for the person who comes in, and a baby shares the family's names."""
    if birth_date is not None:
        age = (
            today.year
            - birth_date.year
            - ((today.month, today.day) < (birth_date.month, birth_date.day))
        )
    elif birth_year is not None:
        age = today.year - birth_year
    else:
        return _ADULT_POINTS / 2
    if age >= ADULT_AGE:
        return _ADULT_POINTS
    return _ADULT_POINTS / 2 if age >= _INFANT_AGE else 0.0


def _birth_reasons(level: int) -> list[Reason]:
    if level == 2:
        return [Reason(Reason.BIRTH_DATE)]
    if level == 1:
        return [Reason(Reason.BIRTH_YEAR)]
    return []


_CANDIDATE_FIELDS = (
    "pk",
    "given_names",
    "family_name",
    "aliases",
    "native_name",
    "birth_date",
    "birth_year",
)


def _estimated_similarity(matches: Sequence[_WordMatch], own_words: int) -> float:
    """``names.name_similarity`` as the word matches suggest it, without comparing whole
    names again: the weakest word weighs as much as the average, extra words cost a little."""
    scores = [m.score for m in matches]
    extra = abs(own_words - len(scores))
    return (0.5 * sum(scores) / len(scores) + 0.5 * min(scores)) * (1 - 0.04 * extra)


def _rank(
    query: ParsedQuery, candidates: list[tuple[Any, ...]], limit: int
) -> list[tuple[float, int, tuple[Reason, ...]]]:
    """Stage 2: the ``limit`` best (score, person id, reasons).

    Every candidate is estimated from its word matches (cached per pair of words); only the
    best ``2 × limit`` (at least ``_COMPARED``) are compared as whole names, which costs most.
    """
    words = len(query.words)
    rows = {
        row[0]: row
        for row in Person.objects.filter(
            pk__in=[c[0] for c in candidates], merged_into__isnull=True
        ).values_list(*_CANDIDATE_FIELDS)
    }
    today = timezone.localdate()
    estimates = []
    # Namesakes are many: each distinct name and set of covered words is matched once.
    matched: dict[tuple[Any, ...], tuple[list[_WordMatch], float, float]] = {}
    compared: dict[tuple[QueryWord, _NameWord], tuple[float, str]] = {}
    for pk, _hits, level, *flags in candidates:
        row = rows.get(pk)
        if row is None:
            continue  # merged persons keep their keys (a merge can be reverted), but no hit
        _pk, given, family, aliases, native, birth_date, birth_year = row
        name = (given, family, tuple(str(a) for a in aliases), native, *flags)
        if name not in matched:
            name_words = _name_words(given, family, tuple(str(a) for a in aliases), native)
            matches = [
                _match_word(word, name_words, compared) if flag else _NO_MATCH
                for word, flag in zip(query.words, flags, strict=True)
            ]
            coverage = sum(m.score for m in matches) / words
            own_words = len(_words_of(given, "given")) + len(_words_of(family, "family"))
            estimated = _estimated_similarity(matches, own_words) if coverage else 0.0
            matched[name] = (matches, coverage, estimated)
        matches, coverage, estimated = matched[name]
        if not coverage:
            continue  # only a shared sound-alike key (Hussein for Hassan): no word explained
        birth = _BIRTH_POINTS[level]
        age = _order_points(matches)
        if not query.has_birth:
            age += _age_points(birth_date, birth_year, today)
        estimate = _score(coverage, estimated, birth, age)
        estimates.append((estimate, -pk, row, matches, coverage, birth, age, level))
    ranked = []
    for _estimate, negative_pk, row, matches, coverage, birth, age, level in heapq.nlargest(
        max(2 * limit, _COMPARED), estimates, key=lambda e: (e[0], e[1])
    ):
        _pk, given, family, aliases, native, _date, _year = row
        spellings = names.spellings(given, family, aliases, native)
        similarity = max(names.name_similarity(query.text, s) for s in spellings)
        if similarity < _MIN_SIMILARITY:
            continue
        reasons = tuple(dict.fromkeys([*_word_reasons(query, matches), *_birth_reasons(level)]))
        ranked.append((_score(coverage, similarity, birth, age), negative_pk, reasons))
    ranked.sort(key=lambda r: (r[0], r[1]), reverse=True)
    return [(score, -negative_pk, reasons) for score, negative_pk, reasons in ranked[:limit]]


# --- search -------------------------------------------------------------------------------------


def _by_name(scope: QuerySet[Person]) -> QuerySet[Person]:
    return scope.select_related("owner_agency").order_by("family_name", "given_names", "pk")


def search_persons(
    membership: Membership | None,
    raw_query: str,
    *,
    limit: int = 25,
    filters: SearchFilters | None = None,
) -> list[SearchHit]:
    """Persons the member may see whose names match the query, best first, with reasons."""
    query = parse_query(raw_query)
    filters = filters or SearchFilters()
    if query.is_empty or query.too_short or not policy.may_read_content(membership):
        return []
    scope = Person.objects.filter(
        policy.visible_q(membership, Person),
        _row_filters(filters),
        _household_filter(filters, "pk"),
        merged_into__isnull=True,
    )
    if query.public_id and query.public_id.startswith("H-"):
        # The visible members of a household the member may see.
        household = access.households_visible_to(membership).filter(public_id=query.public_id)
        members = _by_name(scope.filter(household_memberships__household__in=household))
        return [SearchHit(p, 1.0, (Reason(Reason.HOUSEHOLD),)) for p in members[:limit]]
    if query.public_id:
        found = scope.select_related("owner_agency").filter(public_id=query.public_id)[:1]
        return [SearchHit(p, 1.0, (Reason(Reason.LOTSE_ID),)) for p in found]
    if not query.words:
        people = _by_name(scope.annotate(birth=_birth_level(query)).filter(birth__gt=0))[:limit]
        return [
            SearchHit(p, 1.0, tuple(_birth_reasons(p.birth)))  # type: ignore[attr-defined]
            for p in people
        ]

    candidates = list(
        candidate_query(
            membership, query, word_conditions(query), filters, limit=candidate_count(limit)
        )
    )
    if not candidates:
        return []
    best = _rank(query, candidates, limit)
    full = Person.objects.select_related("owner_agency").in_bulk([pk for _s, pk, _r in best])
    return [SearchHit(full[pk], score, reasons) for score, pk, reasons in best]


# --- the index ----------------------------------------------------------------------------------


def name_key_values(
    *, given_names: str, family_name: str, aliases: Sequence[str], native_name: str
) -> list[tuple[str, str]]:
    """(kind, value) of a person's search tokens: the variant keys of
    ``names.person_search_keys``, the cross-script keys of the Latin spellings
    (``names.script_name_keys``) and the folded words of every spelling."""
    keys = names.person_search_keys(
        given_names=given_names,
        family_name=family_name,
        aliases=[str(a) for a in aliases],
        native_name=native_name,
    )
    for latin in (given_names, family_name, *(str(a) for a in aliases)):
        if latin and not names.has_script_letters(latin):
            keys.update(names.script_name_keys(latin))
    tokens: set[str] = set()
    for spelling in names.spellings(given_names, family_name, aliases, native_name):
        tokens.update(t for t in names.fold(spelling).split() if t)
    rows = {(PersonNameKey.Kind.KEY.value, k[:64]) for k in keys}
    rows |= {(PersonNameKey.Kind.TOKEN.value, t[:64]) for t in tokens}
    return sorted(rows)


def index_person_names(person: Person) -> None:
    """Rewrite the person's search tokens; called by every write that changes a name."""
    values = name_key_values(
        given_names=person.given_names,
        family_name=person.family_name,
        aliases=person.aliases,
        native_name=person.native_name,
    )
    PersonNameKey.objects.filter(person=person).delete()
    PersonNameKey.objects.bulk_create(
        PersonNameKey(person=person, owner_agency_id=person.owner_agency_id, kind=kind, value=value)
        for kind, value in values
    )
