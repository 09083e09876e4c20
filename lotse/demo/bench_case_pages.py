"""Bench of the family case: "My families" of a caseworker in 300 cases and a case page with
200 timeline items, with need-to-know on, amid the bench city (100k persons, 1M entries).

The cases are bulk-inserted with the invariants the services keep (the lead agency takes part,
its lead case manager is assigned); the pages are requested through the test client, so the
timings include the policy, the audit event and the template.
"""

from __future__ import annotations

import random
import uuid
from datetime import timedelta

from django.test import Client
from django.utils import timezone

from lotse.accounts.models import Agency, User
from lotse.cases.models import (
    DOMAIN_CATEGORY,
    Assessment,
    Case,
    CaseAssignment,
    CaseParticipant,
    Goal,
    JournalEntry,
    LifeDomain,
    Measure,
    Phase,
)
from lotse.consent.categories import DataCategory
from lotse.people.models import Household

from .bench import BenchRow, analyze, measure, query_count, row

BATCH = 2_000
ENTRIES_PER_CASE = 4
BENCH_MARK = "bench case"
#: Marks the bench's cases apart from the demo's story cases of the same caseworker.
BENCH_LANGUAGE = "so"


def seed_bench_cases(*, user: User, count: int, seed: int = 5) -> list[int]:
    """``count`` cases led by ``user``'s agency with ``user`` as lead case manager, on
    households without a case, each with a few journal entries; idempotent."""
    membership = user.primary_membership()
    assert membership is not None  # noqa: S101 - bench users have one
    agency = membership.agency
    # The bench's own cases (the demo's story cases of the same user are not counted).
    existing = list(
        Case.objects.filter(lead_user=user, opened_by=user, interpreter_language=BENCH_LANGUAGE)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    if len(existing) >= count:
        return existing[:count]
    rng = random.Random(seed)
    households = list(
        Household.objects.filter(case__isnull=True)
        .order_by("pk")
        .values_list("pk", flat=True)[: count - len(existing)]
    )
    phases = [p for p in Phase.values if p != Phase.CLOSED]
    cases = Case.objects.bulk_create(
        [
            Case(
                household_id=pk,
                lead_agency=agency,
                lead_user=user,
                opened_by=user,
                phase=rng.choice(phases),
                interpreter_language=BENCH_LANGUAGE,
            )
            for pk in households
        ],
        batch_size=BATCH,
    )
    CaseParticipant.objects.bulk_create(
        [CaseParticipant(case=case, agency=agency, contact=user) for case in cases],
        batch_size=BATCH,
    )
    CaseAssignment.objects.bulk_create(
        [
            CaseAssignment(
                case=case,
                agency=agency,
                user=user,
                kind=CaseAssignment.Kind.LEAD,
                assigned_by=user,
            )
            for case in cases
        ],
        batch_size=BATCH,
    )
    members = dict(
        Household.objects.filter(pk__in=households)
        .values_list("pk", "memberships__person_id")
        .order_by("pk")
    )
    now = timezone.now()
    entries = []
    for case in cases:
        person = members.get(case.household_id)
        if person is None:
            continue
        for index in range(ENTRIES_PER_CASE):
            entries.append(
                JournalEntry(
                    subject_id=person,
                    owner_agency=agency,
                    category=DataCategory.CASE_PLAN,
                    text=BENCH_MARK,
                    author=user,
                    case=case,
                    occurred_at=now - timedelta(days=rng.randint(1, 200)),
                    follow_up_on=(now + timedelta(days=rng.randint(-20, 60))).date()
                    if index == 0
                    else None,
                )
            )
    JournalEntry.objects.bulk_create(entries, batch_size=BATCH)
    return existing + [case.pk for case in cases]


#: A long-running case's timeline: mostly talks, calls and visits, then assessments, then
#: the plan (shares of the items).
TIMELINE_MIX = {"entries": 0.7, "assessments": 0.15, "goals": 0.075, "measures": 0.075}


def _fill_timeline(case: Case, user: User, items: int) -> None:
    """``items`` timeline items on one case, mixed as in ``TIMELINE_MIX``."""
    agency = case.lead_agency
    person = case.household.memberships.values_list("person_id", flat=True).first()
    assert person is not None  # noqa: S101 - bench households have members
    if JournalEntry.objects.filter(case=case, text__startswith="Gespräch").exists():
        return
    domains = list(LifeDomain.values)
    have = JournalEntry.objects.filter(case=case).count()
    count = {kind: round(share * items) for kind, share in TIMELINE_MIX.items()}
    count["entries"] = max(0, count["entries"] - have)
    JournalEntry.objects.bulk_create(
        JournalEntry(
            subject_id=person,
            owner_agency=agency,
            category=DataCategory.CASE_PLAN,
            text=f"Gespräch {i}",
            author=user,
            case=case,
        )
        for i in range(count["entries"])
    )
    Assessment.objects.bulk_create(
        Assessment(
            case=case,
            subject_id=person,
            owner_agency=agency,
            category=DOMAIN_CATEGORY[domains[i % len(domains)]],
            author=user,
            domain=domains[i % len(domains)],
            need=i % 4,
        )
        for i in range(count["assessments"])
    )
    goals = Goal.objects.bulk_create(
        Goal(
            case=case,
            subject_id=person,
            owner_agency=agency,
            category=DataCategory.CASE_PLAN,
            author=user,
            group=uuid.uuid4(),
            domain=domains[i % len(domains)],
            text=f"Ziel {i}",
            responsible_agency=agency,
        )
        for i in range(count["goals"])
    )
    Measure.objects.bulk_create(
        Measure(
            case=case,
            subject_id=person,
            owner_agency=agency,
            category=DataCategory.CASE_PLAN,
            author=user,
            goal_group=goal.group,
            text=f"Schritt {i}",
            responsible_agency=agency,
        )
        for i, goal in enumerate(goals[: count["measures"]])
    )


def case_suite(*, cases: int, repeat: int) -> list[BenchRow]:
    user = User.objects.get(username="kim")
    agency = Agency.objects.get(code="kim")
    ids = seed_bench_cases(user=user, count=cases)
    agency.need_to_know = True
    agency.save(update_fields=["need_to_know"])
    big = Case.objects.select_related("household", "lead_agency").get(pk=ids[0])
    _fill_timeline(big, user, items=200)
    analyze()
    client = Client()
    client.force_login(user)
    families = "/cases/"
    overdue = "/cases/?overdue=on&sort=last_contact"
    page = f"/cases/{big.pk}/"
    timeline = f"/cases/{big.pk}/timeline/"
    rows = []
    for label, url, note in (
        (f"case: My families ({len(ids)} cases, need-to-know)", families, "target p95 ≤ 100 ms"),
        ("  filtered: overdue, longest without contact", overdue, ""),
        (
            "case: case page (200 timeline items)",
            page,
            "70% talks, 15% assessments, 15% plan; target p95 ≤ 100 ms",
        ),
        ("case: whole timeline page (200 items)", timeline, ""),
    ):
        assert client.get(url).status_code == 200  # noqa: S101 - a bench of errors is no bench

        def get(url: str = url) -> object:
            return client.get(url)

        queries = query_count(get)
        rows.append(
            row(
                label,
                measure(get, repeat=repeat),
                f"{queries} queries" + (f"; {note}" if note else ""),
            )
        )
    agency.need_to_know = False
    agency.save(update_fields=["need_to_know"])
    return rows
