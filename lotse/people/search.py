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

from django.db.models import Count, Q, QuerySet

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


def search_persons(scope: QuerySet[Person], raw_query: str, *, limit: int = 25) -> list[SearchHit]:
    query = parse_query(raw_query)
    if query.is_empty:
        return []
    live = scope.filter(merged_into__isnull=True)
    if query.public_id:
        return [SearchHit(p, 1.0) for p in live.filter(public_id=query.public_id)[:1]]
    if query.birth_date:
        live = live.filter(Q(birth_date=query.birth_date) | Q(birth_year=query.birth_date.year))
    elif query.birth_year:
        live = live.filter(birth_year=query.birth_year)
    if not (query.keys or query.prefixes):
        people = list(live.order_by("family_name", "given_names", "pk")[:limit])
        return [SearchHit(p, 1.0) for p in people]

    conditions = Q(kind=PersonNameKey.Kind.KEY, value__in=query.keys) if query.keys else Q()
    for prefix in query.prefixes:
        conditions |= _prefix_q(prefix)
    matched = (
        PersonNameKey.objects.filter(conditions, person__in=live.values("pk"))
        .values("person_id")
        .annotate(hits=Count("value", distinct=True))
        .order_by("-hits", "person_id")[:CANDIDATES]
    )
    hits_by_person = {row["person_id"]: row["hits"] for row in matched}
    if not hits_by_person:
        return []
    wanted = max(1, len(query.keys) + len(query.prefixes))
    candidates = Person.objects.filter(pk__in=hits_by_person).select_related("owner_agency")
    ranked = []
    for person in candidates:
        coverage = min(1.0, hits_by_person[person.pk] / wanted)
        similarity = max(
            names.name_similarity(query.text, spelling) for spelling in _spellings(person)
        )
        if similarity < _MIN_SIMILARITY:
            continue
        ranked.append(SearchHit(person, round(0.4 * coverage + 0.6 * similarity, 4)))
    ranked.sort(key=lambda hit: (-hit.score, hit.person.family_name, hit.person.pk))
    return ranked[:limit]


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
