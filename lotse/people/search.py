"""Person search: canonical name keys in an indexed token table, then a fine ranking.

Stage 1 (SQL, the same on SQLite and PostgreSQL): persons in the user's scope that share a
canonical variant key or a spelled-out prefix with the query, counted per person — a B-tree
lookup on ``people_personnamekey``. Stage 2 (Python, on at most ``CANDIDATES`` rows): rank by
key coverage and string similarity of the whole name (people.names.name_similarity).
"""

from __future__ import annotations

import heapq
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from django.db.models import Case, Count, F, IntegerField, Max, Q, QuerySet, Value, When

from lotse.accounts.models import Membership
from lotse.consent import policy

from . import names
from .models import Person, PersonNameKey

CANDIDATES = 200
_PUBLIC_ID = re.compile(r"^([PH])-?([0-9A-Z]{4})-?([0-9A-Z]{4})$", re.IGNORECASE)
_YEAR = re.compile(r"^(19|20)\d\d$")
_DATE = re.compile(r"^(\d{1,2})\.(\d{1,2})\.(\d{4})$")
_MIN_PREFIX = 2
# A shared sound-alike key alone (Mahmoud for a Muhammad query) is no hit.
_MIN_SIMILARITY = 0.2


@dataclass(frozen=True)
class ParsedQuery:
    text: str
    public_id: str | None
    birth_year: int | None
    birth_date: date | None
    keys: tuple[str, ...]
    prefixes: tuple[str, ...]

    @property
    def is_empty(self) -> bool:
        return not (self.public_id or self.keys or self.prefixes or self.birth_year)


def parse_query(raw: str) -> ParsedQuery:
    raw = raw.strip()[:200]
    match = _PUBLIC_ID.match(raw.replace(" ", ""))
    if match:
        public_id = f"{match.group(1)}-{match.group(2)}-{match.group(3)}".upper()
        return ParsedQuery(raw, public_id, None, None, (), ())
    birth_year = None
    birth_date = None
    name_parts = []
    for part in raw.split():
        if _YEAR.match(part):
            birth_year = int(part)
        elif (found := _DATE.match(part)) is not None:
            try:
                birth_date = date(int(found.group(3)), int(found.group(2)), int(found.group(1)))
                birth_year = birth_date.year
            except ValueError:
                name_parts.append(part)
        else:
            name_parts.append(part)
    text = " ".join(name_parts)
    keys = tuple(dict.fromkeys(names.query_keys(text))) if text else ()
    prefixes = tuple(dict.fromkeys(t for t in names.fold(text).split() if len(t) >= _MIN_PREFIX))
    return ParsedQuery(text, None, birth_year, birth_date, keys, prefixes)


@dataclass(frozen=True)
class SearchHit:
    person: Person
    score: float


def _prefix_q(prefix: str) -> Q:
    # A range instead of LIKE: uses the B-tree index on both engines, whatever the collation.
    return Q(kind=PersonNameKey.Kind.TOKEN, value__gte=prefix, value__lt=prefix + "\x7f")


def _birth_q(query: ParsedQuery, prefix: str = "") -> Q:
    if query.birth_date:
        return Q(**{f"{prefix}birth_date": query.birth_date}) | Q(
            **{f"{prefix}birth_year": query.birth_date.year}
        )
    if query.birth_year:
        return Q(**{f"{prefix}birth_year": query.birth_year})
    return Q()


def token_conditions(text: str) -> list[Q]:
    """One condition per word of the query: its variant keys, or its spelling as a prefix."""
    conditions = []
    for token in names.name_tokens(text):
        condition = Q(kind=PersonNameKey.Kind.KEY, value__in=names.token_keys(token))
        if len(token) >= _MIN_PREFIX:
            condition |= _prefix_q(token)
        conditions.append(condition)
    particles = []
    for word in names.fold(text).split():
        # Glued forms fold differently (Alhassan → hassan); the spelled-out word still counts.
        if len(word) < _MIN_PREFIX or word in names.name_tokens(text):
            continue
        if names.is_particle(word):
            particles.append(_prefix_q(word))
        else:
            conditions.append(_prefix_q(word))
    # A particle (al, bin) starts thousands of names and tells nobody apart: it counts only
    # when the query has nothing else.
    return conditions or particles


def candidate_query(
    membership: Membership | None, query: ParsedQuery, conditions: list[Q]
) -> QuerySet[PersonNameKey, tuple[int, int]]:
    """Stage 1: (person id, words covered) of the best ``CANDIDATES`` persons.

    It reads the name-key index and checks the access rule on the key rows themselves (they
    carry the person's agency), so the person table is joined only to filter by birth.
    """
    any_token = conditions[0]
    for condition in conditions[1:]:
        any_token |= condition
    # How many words of the query a person covers, not how many of their spellings match.
    covered = {
        f"w{index}": Max(Case(When(condition, then=1), default=0, output_field=IntegerField()))
        for index, condition in enumerate(conditions)
    }
    return (
        PersonNameKey.objects.filter(
            any_token,
            policy.visible_q(membership, PersonNameKey),
            _birth_q(query, prefix="person__"),
        )
        .values("person_id")
        .annotate(**covered)
        .annotate(hits=sum((F(name) for name in covered), Value(0)), evidence=Count("pk"))
        # Among persons covering as many words, those matching more spellings and keys first.
        .order_by("-hits", "-evidence", "person_id")
        .values_list("person_id", "hits")[:CANDIDATES]
    )


def search_persons(
    membership: Membership | None, raw_query: str, *, limit: int = 25
) -> list[SearchHit]:
    """Persons the member may see whose names match the query, best first."""
    query = parse_query(raw_query)
    if query.is_empty:
        return []
    scope = Person.objects.filter(policy.visible_q(membership, Person), merged_into__isnull=True)
    if query.public_id:
        return [SearchHit(p, 1.0) for p in scope.filter(public_id=query.public_id)[:1]]
    birth = _birth_q(query)
    conditions = token_conditions(query.text) if query.text else []
    if not conditions:
        people = list(scope.filter(birth).order_by("family_name", "given_names", "pk")[:limit])
        return [SearchHit(p, 1.0) for p in people]

    hits_by_person = dict(candidate_query(membership, query, conditions))
    if not hits_by_person:
        return []
    # Merged persons keep their keys (a merge can be reverted) but are never a hit.
    names_by_person = {
        pk: names.spellings(given, family, aliases, native)
        for pk, given, family, aliases, native in Person.objects.filter(
            pk__in=hits_by_person, merged_into__isnull=True
        ).values_list("pk", "given_names", "family_name", "aliases", "native_name")
    }
    best = _rank(query.text, len(conditions), hits_by_person, names_by_person, limit)
    full = Person.objects.select_related("owner_agency").in_bulk([pk for _score, pk in best])
    return [SearchHit(full[pk], score) for score, pk in best]


def _score(coverage: float, similarity: float) -> float:
    return round(0.4 * coverage + 0.6 * similarity, 4)


def _rank(
    text: str,
    words: int,
    hits_by_person: dict[int, int],
    names_by_person: dict[int, list[str]],
    limit: int,
) -> list[tuple[float, int]]:
    """Stage 2: the ``limit`` best (score, person id), by coverage and name similarity.

    Candidates come most words covered first; once the ``limit``-th best score is out of reach
    for a candidate even with a perfect name match, no later candidate can enter either.
    """
    best: list[tuple[float, int]] = []  # min-heap of (score, -pk): the weakest on top
    for pk, hits in sorted(hits_by_person.items(), key=lambda item: (-item[1], item[0])):
        spellings = names_by_person.get(pk)
        if not spellings:
            continue
        coverage = hits / words
        if len(best) == limit and _score(coverage, 1.0) < best[0][0]:
            break
        similarity = max(names.name_similarity(text, spelling) for spelling in spellings)
        if similarity < _MIN_SIMILARITY:
            continue
        entry = (_score(coverage, similarity), -pk)
        if len(best) < limit:
            heapq.heappush(best, entry)
        elif entry > best[0]:
            heapq.heapreplace(best, entry)
    return [(score, -negative_pk) for score, negative_pk in sorted(best, reverse=True)]


def _spellings(person: Person) -> list[str]:
    return names.spellings(
        person.given_names, person.family_name, person.aliases, person.native_name
    )


def name_key_values(
    *, given_names: str, family_name: str, aliases: Sequence[str], native_name: str
) -> list[tuple[str, str]]:
    """(kind, value) of a person's search tokens: the variant keys of
    ``names.person_search_keys`` and the folded words of every spelling."""
    keys = names.person_search_keys(
        given_names=given_names,
        family_name=family_name,
        aliases=[str(a) for a in aliases],
        native_name=native_name,
    )
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
