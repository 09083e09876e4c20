"""Person search: canonical name keys in an indexed token table, then a fine ranking.

Stage 1 (SQL, the same on SQLite and PostgreSQL): persons in the user's scope that share a
canonical variant key or a spelled-out prefix with the query, counted per person — a B-tree
lookup on ``people_personnamekey``. Stage 2 (Python, on at most ``CANDIDATES`` rows): rank by
key coverage and string similarity of the whole name (people.names.name_similarity).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from django.db.models import Case, F, IntegerField, Max, Q, QuerySet, Value, When

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
    for word in names.fold(text).split():
        # Particles and glued forms fold differently; the spelled-out word still counts.
        if len(word) >= _MIN_PREFIX and word not in names.name_tokens(text):
            conditions.append(_prefix_q(word))
    return conditions


def candidate_query(
    membership: Membership | None, query: ParsedQuery, conditions: list[Q]
) -> QuerySet[PersonNameKey, tuple[int, int]]:
    """Stage 1: (person id, words covered) of the best ``CANDIDATES`` persons.

    It starts from the name-key index; the access rule is checked through the join on the few
    matching rows instead of collecting the agency's whole scope first.
    """
    visible = (
        policy.visible_q(membership, Person, prefix="person__")
        & Q(person__merged_into__isnull=True)
        & _birth_q(query, prefix="person__")
    )
    any_token = conditions[0]
    for condition in conditions[1:]:
        any_token |= condition
    # How many words of the query a person covers, not how many of their spellings match.
    covered = {
        f"w{index}": Max(Case(When(condition, then=1), default=0, output_field=IntegerField()))
        for index, condition in enumerate(conditions)
    }
    return (
        PersonNameKey.objects.filter(any_token, visible)
        .values("person_id")
        .annotate(**covered)
        .annotate(hits=sum((F(name) for name in covered), Value(0)))
        .order_by("-hits", "person_id")
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

    matched = candidate_query(membership, query, conditions)
    hits_by_person = dict(matched)
    if not hits_by_person:
        return []
    candidates = Person.objects.filter(pk__in=hits_by_person).only(
        "pk", "given_names", "family_name", "aliases", "native_name"
    )
    ranked = []
    for person in candidates:
        coverage = hits_by_person[person.pk] / len(conditions)
        similarity = max(
            names.name_similarity(query.text, spelling) for spelling in _spellings(person)
        )
        if similarity < _MIN_SIMILARITY:
            continue
        ranked.append((round(0.4 * coverage + 0.6 * similarity, 4), person.pk))
    ranked.sort(key=lambda item: (-item[0], item[1]))
    best = ranked[:limit]
    full = Person.objects.select_related("owner_agency").in_bulk([pk for _score, pk in best])
    return [SearchHit(full[pk], score) for score, pk in best]


def _spellings(person: Person) -> list[str]:
    spellings = [person.full_name]
    spellings.extend(str(alias) for alias in person.aliases if alias)
    if person.native_name:
        spellings.append(person.native_name)
    return spellings


def index_person_names(person: Person) -> None:
    """Rewrite the person's search tokens; called by every write that changes a name."""
    keys = names.person_search_keys(
        given_names=person.given_names,
        family_name=person.family_name,
        aliases=[str(a) for a in person.aliases],
        native_name=person.native_name,
    )
    tokens: set[str] = set()
    for spelling in _spellings(person):
        tokens.update(t for t in names.fold(spelling).split() if t)
    PersonNameKey.objects.filter(person=person).delete()
    PersonNameKey.objects.bulk_create(
        [PersonNameKey(person=person, kind=PersonNameKey.Kind.KEY, value=k[:64]) for k in keys]
        + [
            PersonNameKey(person=person, kind=PersonNameKey.Kind.TOKEN, value=t[:64])
            for t in tokens
        ]
    )
