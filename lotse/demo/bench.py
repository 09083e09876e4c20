"""``make bench``: performance measured on a scratch database, printed as a table.

Each suite returns rows of (what, n, p50 ms, p95 ms, note). The scratch database is Django's
test database for the configured engine (SQLite by default, PostgreSQL with
``LOTSE_TEST_DATABASE_URL``), created and dropped around the run.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from django.core.signals import request_finished, request_started
from django.db import close_old_connections, connection, reset_queries
from django.test import Client
from django.test.utils import CaptureQueriesContext

from lotse.core.runtime import tune_garbage_collector


@dataclass(frozen=True)
class BenchRow:
    what: str
    n: int
    p50_ms: float
    p95_ms: float
    note: str = ""


def analyze() -> None:
    """The planner's statistics, as a server keeps them (autovacuum on PostgreSQL, ``PRAGMA
    optimize`` on SQLite) once tables have grown: here at once after seeding, or the pages
    would be planned on the statistics of empty tables. On PostgreSQL also the visibility map
    autovacuum keeps after inserts, without which no index-only scan skips the table."""
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")


def measure(fn: Callable[[], object], *, repeat: int, warmup: int = 3) -> list[float]:
    # A server's worker holds the application, not what seeding the city left behind: the
    # seeder's survivors are set aside as the application is (``core.runtime``), so that no
    # full collection inside a timed request walks them.
    tune_garbage_collector()
    for _ in range(warmup):
        fn()
    timings = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        timings.append((time.perf_counter() - start) * 1000)
    return timings


def row(what: str, timings: list[float], note: str = "") -> BenchRow:
    ordered = sorted(timings)
    p95_index = max(0, round(0.95 * len(ordered)) - 1)
    return BenchRow(what, len(ordered), statistics.median(ordered), ordered[p95_index], note)


def query_count(fn: Callable[[], object]) -> int:
    with CaptureQueriesContext(connection) as captured:
        fn()
    count = len(captured.captured_queries)  # read before the log is cleared
    reset_queries()
    return count


@contextmanager
def scratch_database() -> Iterator[str]:
    # As Django's test runner does: keep one connection for the whole run, and keep the queries
    # of a request for counting.
    request_started.disconnect(reset_queries)
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    creation = connection.creation
    old_name = connection.settings_dict["NAME"]
    creation.create_test_db(verbosity=0, autoclobber=True, keepdb=False)
    try:
        yield connection.vendor
    finally:
        creation.destroy_test_db(old_name, verbosity=0)


def foundation_suite(repeat: int) -> list[BenchRow]:
    from lotse.accounts.models import User
    from lotse.accounts.services import api_token_create
    from lotse.audit.services import record, verify_chain
    from lotse.demo.services import demo_city_seed

    demo_city_seed(families=0, seed=1)
    kim = User.objects.get(username="kim")
    client = Client()
    client.force_login(kim)
    token = api_token_create(user=kim).raw
    api = Client(headers={"Authorization": f"Bearer {token}"})

    rows = []
    for label, fn in [
        ("page: start (logged in)", lambda: client.get("/")),
        ("page: login form", lambda: Client().get("/accounts/login/")),
        ("api: GET /api/v1/me (token)", lambda: api.get("/api/v1/me")),
        ("api: GET /api/v1/agencies (token)", lambda: api.get("/api/v1/agencies")),
    ]:
        queries = query_count(fn)
        rows.append(row(label, measure(fn, repeat=repeat), f"{queries} queries"))

    rows.append(
        row(
            "audit: append one event",
            measure(lambda: record(action="bench", actor=kim), repeat=repeat * 5),
        )
    )
    events = 20_000
    for _ in range(events):
        record(action="bench", actor=kim)
    start = time.perf_counter()
    result = verify_chain()
    elapsed = time.perf_counter() - start
    rows.append(
        BenchRow(
            f"audit: verify chain of {result.checked} events",
            1,
            elapsed * 1000,
            elapsed * 1000,
            f"{result.checked / elapsed:,.0f} events/s, intact={result.intact}",
        )
    )
    return rows


def format_table(title: str, rows: list[BenchRow]) -> str:
    header = f"{'measurement':<48} {'n':>6} {'p50 ms':>9} {'p95 ms':>9}  note"
    lines = [title, header, "-" * len(header)]
    for r in rows:
        lines.append(f"{r.what:<48} {r.n:>6} {r.p50_ms:>9.2f} {r.p95_ms:>9.2f}  {r.note}")
    return "\n".join(lines)
