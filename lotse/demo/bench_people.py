"""Benchmarks of the people module (issue 3, "Measured"), run by ``lotse bench``.

* ``name_quality_suite``: precision and recall of the "likely + possible" tiers on the labelled
  pairs in ``lotse/people/data/name_pairs.tsv`` — by name alone (names.name_similarity), by
  duplicates.score_pair, and through the whole duplicate check (candidate query + score) — and
  recall@10 of search (register name_a, query name_b).
* ``cross_script_suite``: recall@10 on the public Arabic-script → Latin pairs in
  ``../shared/data/translit`` (register the Latin name, query the Arabic form). Nothing is tuned
  to that file; it is measured as it is.
* ``latency_suite``: at N persons of the demo city, p50/p95 of search and of the duplicate
  check through the selectors a caseworker's request uses, beside the bare candidate query on
  ``people_personnamekey`` that each runs, and the query plans of those candidate queries.

The quality suites run before the demo city is loaded, in agencies of their own, so they
measure matching; ``search_recall_in_city`` repeats the search recall amid the city's persons.
"""

from __future__ import annotations

import csv
import random
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import connection
from django.db.models import QuerySet

from lotse.accounts.models import Agency, Membership, User
from lotse.accounts.roles import Role
from lotse.consent.models import ConsentGrant
from lotse.people import names, selectors
from lotse.people.duplicates import LIKELY, POSSIBLE, ProspectivePerson, score_pair
from lotse.people.duplicates import candidate_query as duplicate_candidates
from lotse.people.duplicates import check_duplicates as people_check_duplicates
from lotse.people.models import HouseholdMember, Person, PersonNameKey
from lotse.people.search import (
    candidate_count,
    candidate_query,
    name_key_values,
    parse_query,
    search_persons,
    word_conditions,
)

from .bench import BenchRow, row
from .families import generate_families, respell

PAIRS_FILE = names.PAIRS_FILE
TRANSLIT_DIR = Path(settings.BASE_DIR).parent / "shared" / "data" / "translit"
#: Reported only: the rules of people.names were never tuned on it.
TRANSLIT_FILE = TRANSLIT_DIR / "ar2en-test.tsv"
#: For development: rules are measured on it (general rules, not its individual lines).
TRANSLIT_EVAL_FILE = TRANSLIT_DIR / "ar2en-eval.tsv"

SEARCH_P95_TARGET_MS = 50.0
DUPLICATE_P95_TARGET_MS = 100.0
RECALL_TARGET = 0.95
CITY_RECALL_TARGET = 0.98
CITY_YEAR_RANK1_TARGET = 0.90
CROSS_SCRIPT_TARGET = 0.90
PRECISION_TARGET = 0.90
TOP = 10

Progress = Callable[[str, int, int], None]


# --- quality ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class QualityRow:
    what: str
    n: int
    precision: float | None
    recall: float | None
    target: str = ""
    note: str = ""


def format_quality_table(title: str, rows: list[QualityRow]) -> str:
    header = f"{'measurement':<66} {'n':>5} {'precision':>9} {'recall':>7}  {'target':<26} note"
    lines = [title, header, "-" * len(header)]
    for r in rows:
        precision = f"{r.precision:.3f}" if r.precision is not None else "—"
        recall = f"{r.recall:.3f}" if r.recall is not None else "—"
        lines.append(
            f"{r.what:<66} {r.n:>5} {precision:>9} {recall:>7}  {r.target:<26} {r.note}".rstrip()
        )
    return "\n".join(lines)


@dataclass(frozen=True)
class NamePair:
    name_a: str
    name_b: str
    same: bool
    note: str


def read_pairs(path: Path = PAIRS_FILE, limit: int | None = None) -> list[NamePair]:
    with path.open(encoding="utf-8") as handle:
        pairs = [
            NamePair(r["name_a"].strip(), r["name_b"].strip(), r["same"].strip() == "1", r["note"])
            for r in csv.DictReader(handle, delimiter="\t")
            if r.get("name_a") and r.get("name_b")
        ]
    return pairs[:limit] if limit is not None else pairs


_FAMILY_PARTICLES = frozenset({"al", "el", "bin", "ibn", "ben", "abu", "von", "van", "de"})


def split_name(full: str) -> tuple[str, str]:
    """'AL-HASSAN, Mohammed' → ('Mohammed', 'AL-HASSAN'); 'Mohammad Al Hassan' →
    ('Mohammad', 'Al Hassan'); a single word is a family name without given names."""
    if "," in full:
        family, _, given = full.partition(",")
        return given.strip(), family.strip()
    parts = full.split()
    if len(parts) <= 1:
        return "", full.strip()
    if len(parts) >= 3 and parts[-2].lower() in _FAMILY_PARTICLES:
        return " ".join(parts[:-2]), " ".join(parts[-2:])
    return " ".join(parts[:-1]), parts[-1]


def _is_latin(text: str) -> bool:
    return all(ord(ch) < 0x250 for ch in text)


def prospective(full: str) -> ProspectivePerson:
    given, family = split_name(full)
    return ProspectivePerson(
        given_names=given, family_name=family, native_name="" if _is_latin(full) else full
    )


def register_names(agency: Agency, full_names: Iterable[str]) -> dict[str, int]:
    """One person per distinct name in ``agency``, indexed as the services index them."""
    wanted = list(dict.fromkeys(n for n in full_names if n.strip()))
    persons = []
    for full in wanted:
        given, family = split_name(full)
        persons.append(
            Person(
                owner_agency=agency,
                given_names=given,
                family_name=family,
                native_name="" if _is_latin(full) else full,
            )
        )
    Person.objects.bulk_create(persons)
    keys = [
        PersonNameKey(person=p, owner_agency=agency, kind=kind, value=value)
        for p in persons
        for kind, value in name_key_values(
            given_names=p.given_names,
            family_name=p.family_name,
            aliases=[],
            native_name=p.native_name,
        )
    ]
    PersonNameKey.objects.bulk_create(keys, batch_size=2000)
    return {full: p.pk for full, p in zip(wanted, persons, strict=True)}


def _bench_agency(code: str, name: str) -> Agency:
    agency, _ = Agency.objects.get_or_create(
        code=code, defaults={"name": name, "kind": Agency.Kind.OTHER}
    )
    return agency


def _caseworker_of(agency: Agency) -> Membership:
    """A caseworker of the agency: search runs as a member, through the access policy."""
    user, _ = User.objects.get_or_create(username=f"bench-{agency.code}")
    membership, _ = Membership.objects.get_or_create(user=user, agency=agency, role=Role.CASEWORKER)
    return membership


def _precision_recall(predicted: list[bool], truth: list[bool]) -> tuple[float, float, str]:
    tp = sum(p and t for p, t in zip(predicted, truth, strict=True))
    fp = sum(p and not t for p, t in zip(predicted, truth, strict=True))
    fn = sum(t and not p for p, t in zip(predicted, truth, strict=True))
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / (tp + fn) if tp + fn else 1.0
    return precision, recall, f"tp={tp} fp={fp} fn={fn}"


def _verdict(precision: float | None, recall: float | None) -> str:
    ok = (recall is None or recall >= RECALL_TARGET) and (
        precision is None or precision >= PRECISION_TARGET
    )
    return ("ok" if ok else "MISSED") + " (R ≥ 0.95 at P ≥ 0.9)"


@dataclass(frozen=True)
class Recall:
    at_top: float
    at_one: float
    # rank 1, or tied for rank 1 with a person who explains the query as well (namesakes)
    at_one_or_tied: float
    misses: list[str]


def search_recall(
    membership: Membership, queries: list[tuple[str, int]], *, top: int = TOP
) -> Recall:
    """recall@top and recall@1 of (query, expected person id) pairs; the misses for reading."""
    at_top = at_one = tied = 0
    misses = []
    for query, expected in queries:
        hits = search_persons(membership, query, limit=top)
        ids = [hit.person.pk for hit in hits]
        if expected in ids:
            at_top += 1
            at_one += ids[0] == expected
            tied += hits[ids.index(expected)].score >= hits[0].score
        else:
            misses.append(query)
    total = max(1, len(queries))
    return Recall(at_top / total, at_one / total, tied / total, misses)


def name_quality_suite(*, limit: int | None = None, path: Path = PAIRS_FILE) -> list[QualityRow]:
    pairs = read_pairs(path, limit)
    truth = [p.same for p in pairs]
    positives = sum(truth)
    rows = []

    threshold = names.LIKELY_OR_POSSIBLE_THRESHOLD
    predicted = [names.name_similarity(p.name_a, p.name_b) >= threshold for p in pairs]
    precision, recall, counts = _precision_recall(predicted, truth)
    rows.append(
        QualityRow(
            f"pairs: name only, name_similarity ≥ {threshold}",
            len(pairs),
            precision,
            recall,
            _verdict(precision, recall),
            counts,
        )
    )

    predicted = []
    for p in pairs:
        given, family = split_name(p.name_a)
        existing = Person(
            given_names=given,
            family_name=family,
            native_name="" if _is_latin(p.name_a) else p.name_a,
        )
        score, _ = score_pair(prospective(p.name_b), existing)
        predicted.append(score >= POSSIBLE)
    precision, recall, counts = _precision_recall(predicted, truth)
    rows.append(
        QualityRow(
            f"pairs: duplicates.score_pair ≥ {POSSIBLE} (no birth data)",
            len(pairs),
            precision,
            recall,
            _verdict(precision, recall),
            counts,
        )
    )

    # Through the database: every name_a (positives and hard negatives) is a person of one
    # agency; the duplicate check for name_b must find the pair's person exactly when same=1.
    agency = _bench_agency("bench-pairs", "Bench: labelled name pairs")
    person_of = register_names(agency, (p.name_a for p in pairs))
    scope = Person.objects.filter(owner_agency=agency)
    predicted = []
    for p in pairs:
        report = people_check_duplicates(prospective(p.name_b), scope)
        predicted.append(any(c.person.pk == person_of[p.name_a] for c in report.in_scope))
    precision, recall, counts = _precision_recall(predicted, truth)
    likely = f"tiers likely ≥ {LIKELY} + possible ≥ {POSSIBLE}"
    rows.append(
        QualityRow(
            "pairs: duplicate check (candidate query + score)",
            len(pairs),
            precision,
            recall,
            _verdict(precision, recall),
            f"{counts}; {likely}",
        )
    )

    queries = [(p.name_b, person_of[p.name_a]) for p in pairs if p.same]
    found = search_recall(_caseworker_of(agency), queries)
    rows.append(
        QualityRow(
            f"pairs: search recall@{TOP} (register name_a, query name_b)",
            positives,
            None,
            found.at_top,
            "ok (≥ 0.95)" if found.at_top >= RECALL_TARGET else "MISSED (≥ 0.95)",
            f"recall@1={found.at_one:.3f}; {len(person_of)} persons incl. hard negatives"
            + (f"; misses e.g. {', '.join(found.misses[:3])}" if found.misses else ""),
        )
    )
    return rows


def read_translit(path: Path = TRANSLIT_FILE, limit: int | None = None) -> list[tuple[str, str]]:
    pairs = []
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            arabic, _, latin = line.rstrip("\n").partition("\t")
            if arabic.strip() and latin.strip():
                pairs.append((arabic.strip(), latin.strip()))
    return pairs[:limit] if limit is not None else pairs


def cross_script_suite(*, limit: int | None = None, path: Path = TRANSLIT_FILE) -> list[QualityRow]:
    role = "development set" if path.name == TRANSLIT_EVAL_FILE.name else "reported, never tuned on"
    what = f"cross-script: search recall@{TOP} ({path.name}, Arabic → Latin)"
    if not path.exists():
        return [QualityRow(what, 0, None, None, "", f"not measured: {path} is missing")]
    pairs = read_translit(path, limit)
    agency = _bench_agency(f"bench-{path.stem}", f"Bench: Arabic-script pairs ({path.name})")
    person_of = register_names(agency, (latin.title() for _, latin in pairs))
    queries = [(arabic, person_of[latin.title()]) for arabic, latin in pairs]
    found = search_recall(_caseworker_of(agency), queries)
    verdict = "ok" if found.at_top >= CROSS_SCRIPT_TARGET else "MISSED"
    return [
        QualityRow(
            what,
            len(queries),
            None,
            found.at_top,
            f"{verdict} (≥ {CROSS_SCRIPT_TARGET})",
            f"{role}; recall@1={found.at_one:.3f}; {len(person_of)} persons, one word each",
        )
    ]


def _birth_dates(person_ids: Iterable[int], seed: int = 5) -> dict[int, date]:
    """Exact birth dates for the labelled persons, from infants to the old."""
    rng = random.Random(seed)
    return {pk: date(1940, 1, 1) + timedelta(days=rng.randrange(0, 85 * 365)) for pk in person_ids}


def search_recall_in_city(
    agency: Agency, *, limit: int | None = None, path: Path = PAIRS_FILE
) -> list[QualityRow]:
    """Search recall of the labelled pairs among the persons an agency of the city holds:
    by the full name alone, and by full name plus birth year."""
    pairs = [p for p in read_pairs(path, limit) if p.same]
    person_of = register_names(agency, (p.name_a for p in pairs))
    born = _birth_dates(person_of.values())
    persons = list(Person.objects.filter(pk__in=born))
    for person in persons:
        person.birth_date = born[person.pk]
        person.birth_year = person.birth_date.year
    Person.objects.bulk_update(persons, ["birth_date", "birth_year"], batch_size=500)
    held = Person.objects.filter(owner_agency=agency).count()
    membership = _caseworker_of(agency)
    by_name = search_recall(membership, [(p.name_b, person_of[p.name_a]) for p in pairs])
    with_year = search_recall(
        membership,
        [(f"{p.name_b} {born[person_of[p.name_a]].year}", person_of[p.name_a]) for p in pairs],
    )
    ok = by_name.at_top >= CITY_RECALL_TARGET
    year_ok = with_year.at_one >= CITY_YEAR_RANK1_TARGET
    return [
        QualityRow(
            f"pairs amid the city ({agency.code}: {held:,} persons): full name, recall@{TOP}",
            len(pairs),
            None,
            by_name.at_top,
            f"{'ok' if ok else 'MISSED'} (≥ {CITY_RECALL_TARGET})",
            f"recall@1={by_name.at_one:.3f} (namesakes: chance), "
            f"first or tied for first={by_name.at_one_or_tied:.3f}"
            + (f"; misses e.g. {', '.join(by_name.misses[:3])}" if by_name.misses else ""),
        ),
        QualityRow(
            "pairs amid the city: full name + birth year, recall@1",
            len(pairs),
            None,
            with_year.at_one,
            f"{'ok' if year_ok else 'MISSED'} (≥ {CITY_YEAR_RANK1_TARGET})",
            f"recall@{TOP}={with_year.at_top:.3f}, "
            f"first or tied for first={with_year.at_one_or_tied:.3f}",
        ),
    ]


# --- latency ----------------------------------------------------------------------------------


def search_candidate_query(membership: Membership, raw: str) -> QuerySet[Any, Any] | None:
    """The database query of ``search_persons`` stage 1, exactly as search.py runs it."""
    query = parse_query(raw)
    if query.is_empty or query.too_short or query.public_id or not query.words:
        return None
    return candidate_query(membership, query, word_conditions(query), limit=candidate_count(TOP))


def duplicate_candidate_query(new: ProspectivePerson) -> QuerySet[Any, Any] | None:
    """The database query of the duplicate check, exactly as duplicates.py runs it."""
    return duplicate_candidates(new)


SEARCH_KINDS = (
    "variant spelling",
    "partial names",
    "either order",
    "name + birth year",
    "native script",
    "public ID",
    "family name only",
)


def _search_query(rng: random.Random, kind: str, person: Person) -> str:
    given = person.given_names or person.family_name
    family = person.family_name
    if kind == "variant spelling":
        return f"{respell(rng, given)} {respell(rng, family)}"
    if kind == "partial names":
        return f"{given.split()[0][:3]} {family[:4]}"
    if kind == "either order":
        return f"{family} {given}"
    if kind == "name + birth year":
        year = person.birth_year or ""
        return f"{respell(rng, given)} {family} {year}".strip()
    if kind == "native script":
        return person.native_name or f"{respell(rng, given)} {respell(rng, family)}"
    if kind == "public ID":
        return person.public_id.lower() if rng.random() < 0.3 else person.public_id
    return family


def _timed(fn: Callable[[], object]) -> float:
    start = time.perf_counter()
    fn()
    return (time.perf_counter() - start) * 1000


def _sample(scope: QuerySet[Person], rng: random.Random, count: int) -> list[Person]:
    ids = sorted(scope.values_list("pk", flat=True))
    chosen = rng.sample(ids, min(count, len(ids)))
    by_pk = Person.objects.in_bulk(chosen)
    return [by_pk[pk] for pk in chosen]


@dataclass(frozen=True)
class LatencyReport:
    rows: list[BenchRow]
    plans: list[tuple[str, str]]


def _ratio_note(full: list[float], bare: list[float], target_ms: float) -> str:
    full_p95 = row("", full).p95_ms
    bare_p95 = row("", bare).p95_ms
    verdict = "ok" if full_p95 <= target_ms else "MISSED"
    ratio = full_p95 / bare_p95 if bare_p95 else float("inf")
    return f"target p95 ≤ {target_ms:.0f} ms: {verdict}; p95 ratio to bare query {ratio:.1f}×"


def search_latency_rows(
    membership: Membership, sample: list[Person], rng: random.Random, *, what: str
) -> list[BenchRow]:
    """p50/p95 of search for one query per sampled person, the kinds of query in turn, beside
    the bare candidate query, and how often the person is in the top ten."""
    planned = [(SEARCH_KINDS[i % len(SEARCH_KINDS)], p) for i, p in enumerate(sample)]
    texts = [(kind, _search_query(rng, kind, p), p.pk) for kind, p in planned]
    for _, text, _ in texts[:5]:  # warm caches and connections
        selectors.person_search(membership=membership, query=text, limit=TOP)
    full: list[float] = []
    bare: list[float] = []
    per_kind: dict[str, list[float]] = {kind: [] for kind in SEARCH_KINDS}
    found = 0
    found_per_kind: dict[str, int] = dict.fromkeys(SEARCH_KINDS, 0)
    for kind, text, expected in texts:
        start = time.perf_counter()
        hits = selectors.person_search(membership=membership, query=text, limit=TOP)
        took = (time.perf_counter() - start) * 1000
        full.append(took)
        per_kind[kind].append(took)
        is_found = any(hit.person.pk == expected for hit in hits)
        found += is_found
        found_per_kind[kind] += is_found
        candidate = search_candidate_query(membership, text)
        if candidate is not None:
            bare.append(_timed(lambda q=candidate: list(q.all())))  # type: ignore[misc]
    rows = [
        row(
            what,
            full,
            _ratio_note(full, bare, SEARCH_P95_TARGET_MS)
            + f"; person in top {TOP}: {found / len(texts):.0%}",
        ),
        row("  bare candidate query (people_personnamekey)", bare, "SQL only"),
    ]
    for kind in SEARCH_KINDS:
        if per_kind[kind]:
            share = found_per_kind[kind] / len(per_kind[kind])
            rows.append(
                row(f"  search: {kind}", per_kind[kind], f"person in top {TOP}: {share:.0%}")
            )
    return rows


def settle_after_bulk_load() -> None:
    """On PostgreSQL: the visibility map and statistics of the person tables, as autovacuum
    gives them a live database soon after a bulk load (index-only scans of the name keys need
    the map). Outside a transaction only; SQLite has nothing to settle."""
    if connection.vendor != "postgresql" or connection.in_atomic_block:
        return
    with connection.cursor() as cursor:
        for model in (PersonNameKey, Person, HouseholdMember):
            cursor.execute("VACUUM ANALYZE " + connection.ops.quote_name(model._meta.db_table))


def latency_suite(
    *, persons: int, repeat: int, seed: int = 2017, progress: Progress | None = None
) -> LatencyReport:
    from lotse.demo.services import demo_city_seed

    families = max(1, round(persons / 2.5))
    started = time.perf_counter()
    seeded = demo_city_seed(families=families, seed=seed, progress=progress)
    elapsed = (time.perf_counter() - started) * 1000
    settle_after_bulk_load()
    total_persons = Person.objects.count()
    rows = [
        BenchRow(
            f"seed: {seeded.families_created:,} families (demo_city_seed)",
            1,
            elapsed,
            elapsed,
            f"{seeded.persons_created:,} persons, "
            f"{PersonNameKey.objects.count():,} name keys, "
            f"{seeded.persons_created / max(elapsed / 1000, 1e-9):,.0f} persons/s",
        )
    ]

    membership = (
        Membership.objects.select_related("agency", "user")
        .filter(user__username="kim", agency__code="kim", role="caseworker")
        .get()
    )
    rng = random.Random(seed + 1)
    queries = max(len(SEARCH_KINDS), repeat)
    sample = _sample(Person.objects.filter(owner_agency=membership.agency), rng, queries)
    rows += search_latency_rows(
        membership, sample, rng, what=f"search: mixed queries at {total_persons:,} persons"
    )

    # Duplicate check on registration: half look like a person of the own agency in another
    # spelling, a quarter like persons of other agencies, a quarter are new (namesakes occur).
    others = _sample(Person.objects.exclude(owner_agency=membership.agency), rng, queries // 4)
    new_people = [m for f in generate_families(queries // 4, seed=seed + 99) for m in f.members[:1]]
    prospects: list[ProspectivePerson] = []
    for person in [*sample[: queries // 2], *others]:
        given = respell(rng, person.given_names) if person.given_names else ""
        prospects.append(
            ProspectivePerson(
                given_names=given,
                family_name=respell(rng, person.family_name),
                birth_date=person.birth_date,
                birth_date_precision=person.birth_date_precision,
                sex=person.sex,
                nationalities=tuple(person.nationalities),
            )
        )
    prospects += [
        ProspectivePerson(
            given_names=m.given_names,
            family_name=m.family_name,
            birth_date=m.birth_date,
            birth_date_precision=m.birth_date_precision,
            sex=m.sex,
            nationalities=(m.country,),
        )
        for m in new_people
    ]
    for new in prospects[:5]:
        selectors.duplicate_check(membership=membership, prospective=new)
    full, bare = [], []
    flagged = 0
    for new in prospects:
        start = time.perf_counter()
        report = selectors.duplicate_check(membership=membership, prospective=new)
        full.append((time.perf_counter() - start) * 1000)
        flagged += not report.is_empty
        candidate = duplicate_candidate_query(new)
        if candidate is not None:
            bare.append(_timed(lambda q=candidate: list(q.all())))  # type: ignore[misc]
    rows.append(
        row(
            "duplicate check (selectors.duplicate_check)",
            full,
            _ratio_note(full, bare, DUPLICATE_P95_TARGET_MS)
            + f"; with a candidate or hint: {flagged / max(1, len(prospects)):.0%}",
        )
    )
    rows.append(row("  bare candidate query (people_personnamekey)", bare, "SQL only"))

    example = sample[0] if sample else None
    plans: list[tuple[str, str]] = []
    search_text = (
        f"{respell(rng, example.given_names)} {respell(rng, example.family_name)}"
        if example
        else "Muhammad Alhasan"
    )
    for label, text in (
        (f"search candidate query for {search_text!r}", search_text),
        ("search candidate query for a partial name 'moh al'", "moh al"),
    ):
        candidate = search_candidate_query(membership, text)
        if candidate is not None:
            plans.append((label, candidate.explain()))
    if prospects:
        candidate = duplicate_candidate_query(prospects[0])
        if candidate is not None:
            name = f"{prospects[0].given_names} {prospects[0].family_name}"
            plans.append((f"duplicate candidate query for {name!r}", candidate.explain()))
    return LatencyReport(rows, plans)


def format_plans(plans: list[tuple[str, str]]) -> str:
    lines = ["Query plans of the candidate queries"]
    for label, plan in plans:
        lines.append(f"-- {label}")
        lines.extend(f"   {line}" for line in plan.splitlines())
    return "\n".join(lines)


def search_with_grants_rows(*, persons: int, repeat: int) -> list[BenchRow]:
    """Search latency once a tenth of the persons consented to share with the integration
    office (the access bench's consents: 80,000 grants at 100k persons), without its entries."""
    from .bench_access import seed_access_data  # it imports this module

    seed_access_data(persons=persons, entries=0)
    membership = (
        Membership.objects.select_related("agency", "user")
        .filter(user__username="kim", agency__code="kim", role="caseworker")
        .get()
    )
    rng = random.Random(11)
    own = Person.objects.filter(owner_agency=membership.agency)
    return search_latency_rows(
        membership,
        _sample(own, rng, max(len(SEARCH_KINDS), 2 * repeat)),
        rng,
        what=f"search with {ConsentGrant.objects.count():,} consent grants in place",
    )
