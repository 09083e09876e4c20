"""Bench of daily work: the deadline run over the whole city and a caseworker's start page.

The demo city's families carry residence statuses, children's birth dates and (with the bench
cases) goals; the run reads every rule's source set-based, in batches. Memory is traced with
``tracemalloc`` over the run: flat means the peak does not grow with the city.
"""

from __future__ import annotations

import time
import tracemalloc

from django.test import Client

from lotse.accounts.models import User
from lotse.people.models import Household, Person
from lotse.scheduling.models import Task
from lotse.scheduling.services import run_deadlines

from .bench import BenchRow, analyze, measure, query_count, row
from .bench_case_pages import seed_bench_cases


def _timed_run() -> tuple[float, float, int]:
    tracemalloc.start()
    started = time.perf_counter()
    result = run_deadlines()
    seconds = time.perf_counter() - started
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return seconds, peak / 1_000_000, result.created.total()


def scheduling_suite(*, cases: int, repeat: int) -> list[BenchRow]:
    user = User.objects.get(username="kim")
    seed_bench_cases(user=user, count=cases)
    Task.objects.filter(rule__isnull=False).delete()
    analyze()
    persons = Person.objects.count()
    households = Household.objects.count()
    first_s, first_mb, created = _timed_run()
    again_s, again_mb, again = _timed_run()
    analyze()
    rows = [
        BenchRow(
            f"run_deadlines, first run ({persons:,} persons / {households:,} households)",
            1,
            first_s * 1000,
            first_s * 1000,
            f"{created:,} tasks; peak {first_mb:.0f} MB traced; target ≤ 30 s",
        ),
        BenchRow(
            "run_deadlines, again (idempotent)",
            1,
            again_s * 1000,
            again_s * 1000,
            f"{again} tasks; peak {again_mb:.0f} MB traced",
        ),
    ]
    client = Client()
    client.force_login(user)
    assert client.get("/").status_code == 200  # noqa: S101 - a bench of errors is no bench

    def start() -> object:
        return client.get("/")

    queries = query_count(start)
    rows.append(
        row(
            f"start page of a caseworker ({cases} cases)",
            measure(start, repeat=repeat),
            f"{queries} queries; target p95 ≤ 100 ms",
        )
    )
    return rows
