"""Access-core bench: a 25-row access-filtered list with its count over 1M journal entries.

The data: persons of the demo agencies, journal entries spread over them and their agencies
(categories, some entrusted), consents of a tenth of the persons to the integration office,
and a legal basis Jobcenter → integration office for work. Measured for a KIM caseworker.
"""

from __future__ import annotations

import random
from typing import Any

from django.db import connection

from lotse.accounts.models import Agency, User
from lotse.cases.models import JournalEntry
from lotse.cases.selectors import journal_entry_list, journal_entry_total
from lotse.consent.categories import DataCategory
from lotse.consent.models import ConsentDeclaration, ConsentGrant, LegalBasis
from lotse.consent.policy import VisibleCount, count_parts, count_visible
from lotse.people.models import Person

from .bench import BenchRow, measure, query_count, row
from .bench_people import SEARCH_KINDS, _sample, search_latency_rows

BATCH = 10_000
#: Marks the bench's own consents: the demo city brings consents of its story cases.
ACCESS_MARK = "Bench: access core"


def _ensure_persons(count: int, agencies: list[Agency], rng: random.Random) -> list[int]:
    existing = list(Person.objects.values_list("pk", flat=True)[:count])
    missing = count - len(existing)
    for start in range(0, missing, BATCH):
        Person.objects.bulk_create(
            [
                Person(
                    owner_agency=rng.choice(agencies),
                    given_names=f"Bench{start + index}",
                    family_name="Person",
                )
                for index in range(min(BATCH, missing - start))
            ]
        )
    return list(Person.objects.values_list("pk", flat=True)[:count])


def seed_access_data(*, persons: int, entries: int, seed: int = 7) -> dict[str, Any]:
    rng = random.Random(seed)
    agencies = list(
        Agency.objects.filter(code__in=["kim", "ja", "jc", "sa", "car"]).order_by("code")
    )
    kim = next(a for a in agencies if a.code == "kim")
    jobcenter = next(a for a in agencies if a.code == "jc")
    author = User.objects.get(username="kim")
    person_ids = _ensure_persons(persons, agencies, rng)
    categories = list(DataCategory.values)
    have = JournalEntry.objects.count()
    for start in range(have, entries, BATCH):
        batch = []
        for _ in range(min(BATCH, entries - start)):
            owner = rng.choice(agencies)
            batch.append(
                JournalEntry(
                    subject_id=rng.choice(person_ids),
                    owner_agency=owner,
                    category=rng.choice(categories),
                    entrusted=owner.kind == Agency.Kind.YOUTH_WELFARE_OFFICE and rng.random() < 0.2,
                    text="Bench entry",
                    author=author,
                )
            )
        JournalEntry.objects.bulk_create(batch)
    if not ConsentDeclaration.objects.filter(purpose_text=ACCESS_MARK).exists():
        consented = rng.sample(person_ids, len(person_ids) // 10)
        for start in range(0, len(consented), BATCH):
            chunk = consented[start : start + BATCH]
            declarations = ConsentDeclaration.objects.bulk_create(
                [
                    ConsentDeclaration(
                        subject_id=pk,
                        categories=[DataCategory.IDENTITY, DataCategory.HOUSING],
                        purpose="case_management",
                        purpose_text=ACCESS_MARK,
                        status=ConsentDeclaration.Status.GIVEN,
                        recorded_by=author,
                        recording_agency=kim,
                    )
                    for pk in chunk
                ]
            )
            grants = []
            for declaration in declarations:
                for source in agencies:
                    if source.pk == kim.pk:
                        continue
                    for category in declaration.categories:
                        grants.append(
                            ConsentGrant(
                                declaration=declaration,
                                subject_id=declaration.subject_id,
                                disclosing_agency=source,
                                recipient_agency=kim,
                                category=category,
                                purpose=declaration.purpose,
                                valid_from=declaration.valid_from,
                                valid_until=declaration.valid_until,
                                active=True,
                            )
                        )
            ConsentGrant.objects.bulk_create(grants, batch_size=BATCH)
        LegalBasis.objects.get_or_create(
            from_kind=jobcenter.kind,
            to_kind=kim.kind,
            citation="§ 50 SGB II",
            defaults={"categories": [DataCategory.WORK]},
        )
    if connection.vendor == "postgresql":
        # Statistics and the visibility map after the bulk load, as autovacuum would give a
        # real database (index-only scans need the latter).
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
    return {"persons": len(person_ids), "entries": JournalEntry.objects.count()}


def _plan(sql: str, params: Any) -> str:
    prefix = "EXPLAIN QUERY PLAN " if connection.vendor == "sqlite" else "EXPLAIN "
    with connection.cursor() as cursor:
        cursor.execute(prefix + sql, params)
        rows = cursor.fetchall()
    return "\n".join("    " + " ".join(str(part) for part in r) for r in rows)


def access_suite(*, persons: int, entries: int, repeat: int) -> tuple[list[BenchRow], str]:
    sizes = seed_access_data(persons=persons, entries=entries)
    kim = User.objects.get(username="kim")
    membership = kim.primary_membership()
    assert membership is not None  # noqa: S101 - the demo caseworker has one

    def page_with_count() -> tuple[VisibleCount, list[JournalEntry]]:
        # What GET /api/v1/journal-entries runs: a page and its count, exact up to the cap.
        total = journal_entry_total(membership=membership)
        return total, list(journal_entry_list(membership=membership)[:25])

    def exact_count() -> int:
        return count_visible(membership, JournalEntry.objects.all())

    def one_person() -> list[JournalEntry]:
        return list(journal_entry_list(membership=membership, person_id=sizes_person)[:25])

    sizes_person = Person.objects.order_by("pk").values_list("pk", flat=True).first()
    queries = query_count(page_with_count)
    total, _page = page_with_count()
    shown = f"{total.value:,}" if total.exact else f"more than {total.value:,}"
    rows = [
        row(
            f"access: 25-row list + count of {sizes['entries']:,} entries",
            measure(page_with_count, repeat=repeat),
            f"{queries} queries, count: {shown}; target p95 ≤ 150 ms",
        ),
        row(
            "  exact count of everything visible (count_visible)",
            measure(exact_count, repeat=repeat),
            f"{exact_count():,} visible; for reports (target ≤ 1 s)",
        ),
        row("access: one person's journal (25 rows)", measure(one_person, repeat=repeat)),
    ]
    # Search again, now that a tenth of the persons consented to share with this agency: each
    # hit of another agency is checked against these grants.
    rng = random.Random(11)
    own = Person.objects.filter(owner_agency=membership.agency)
    rows += search_latency_rows(
        membership,
        _sample(own, rng, max(len(SEARCH_KINDS), 2 * repeat)),
        rng,
        what=f"search with {ConsentGrant.objects.count():,} consent grants in place",
    )
    listing = journal_entry_list(membership=membership)
    sql, params = listing[:25].query.sql_with_params()
    plan = "Plan of the list query (newest first, scanned until a page is full):\n"
    plan += _plan(sql, params)
    names = ("own agency", "by consent", "by legal basis or emergency access")
    for name, part in zip(names, count_parts(membership, JournalEntry.objects.all()), strict=False):
        part_sql, part_params = part.values("pk").query.sql_with_params()
        plan += f"\nPlan of the counted part '{name}':\n" + _plan(part_sql, part_params)
    return rows, plan
