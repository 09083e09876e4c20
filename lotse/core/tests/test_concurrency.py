"""Concurrency and crashes on PostgreSQL, the production engine (issue 13, part 5).

Real parallelism needs real commits and one connection per writer: the tests commit
(``transaction=True``) and run their writers in threads, each with its own connection, or in a
process of its own. SQLite has one writer at a time and the suite's database lives in memory, so
these tests run on PostgreSQL only (``LOTSE_TEST_DATABASE_URL``).
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import Callable
from itertools import pairwise
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
from django.conf import settings
from django.db import connection

from lotse.accounts.tests.factories import acting
from lotse.audit.models import AuditAction, AuditEvent
from lotse.audit.services import record, verify_chain
from lotse.core.models import StaleEditError
from lotse.people.models import Household, HouseholdMember, Person, PersonNameKey
from lotse.people.services import PersonData, person_register, person_update

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="needs parallel writers on PostgreSQL (set LOTSE_TEST_DATABASE_URL); SQLite "
        "serialises all writers and the suite's SQLite database is in memory",
    ),
]

SAVES = 50
WRITERS = 8


def _in_parallel(count: int, work: Callable[[int], Any]) -> list[Any]:
    """``work(i)`` in ``count`` threads released together; each result or raised exception."""
    barrier = threading.Barrier(count, timeout=60)
    results: list[Any] = [None] * count

    def run(index: int) -> None:
        try:
            barrier.wait()
            results[index] = work(index)
        except Exception as error:  # collected and asserted by the test
            results[index] = error
        finally:
            connection.close()  # this thread's own connection

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not any(thread.is_alive() for thread in threads), "a writer hangs"
    return results


# --- 50 saves of the same version ---------------------------------------------------------------


def test_of_50_parallel_saves_of_one_version_exactly_one_wins_and_49_are_refused_as_stale(anna):
    membership = acting(anna)
    person = person_register(
        data=PersonData(given_names="Leyla", family_name="Rahimi"),
        membership=membership,
        actor=anna,
    )
    assert person.version == 1
    events_before = AuditEvent.objects.count()

    def save(index: int) -> str:
        # Each caseworker opened the form at version 1 and saves a different phone number.
        mine = Person.objects.get(pk=person.pk)
        person_update(
            person=mine,
            expected_version=1,
            changes={"phone": f"+49 202 {index:04d}"},
            membership=membership,
            actor=anna,
        )
        return mine.phone

    results = _in_parallel(SAVES, save)

    winners = [r for r in results if isinstance(r, str)]
    refused = [r for r in results if isinstance(r, StaleEditError)]
    assert len(winners) == 1, results
    assert len(refused) == SAVES - 1, [r for r in results if not isinstance(r, str)]
    # Every refusal shows the winner's record and names the field that changed under it.
    for stale in refused:
        assert isinstance(stale.current, Person)
        assert (stale.current.phone, stale.current.version) == (winners[0], 2)
        assert stale.changed_fields == ["phone"]
    stored = Person.objects.get(pk=person.pk)
    assert (stored.phone, stored.version) == (winners[0], 2)
    updates = AuditEvent.objects.filter(action=AuditAction.PERSON_UPDATED, subject_id=person.pk)
    assert updates.count() == 1
    assert AuditEvent.objects.count() == events_before + 1
    assert verify_chain().intact


# --- a server killed in the middle of a household registration ---------------------------------


def _test_database_url() -> str:
    db = connection.settings_dict
    credentials = quote(db["USER"] or "", safe="")
    if db["PASSWORD"]:
        credentials += ":" + quote(db["PASSWORD"], safe="")
    host = db["HOST"] or "localhost"
    port = f":{db['PORT']}" if db["PORT"] else ""
    return f"postgres://{credentials}@{host}{port}/{quote(db['NAME'], safe='')}"


def _wait_for(condition: Callable[[], bool], *, seconds: float, what: str) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            pytest.fail(f"timed out waiting for {what}")
        time.sleep(0.05)


def _backend_alive(pid: int) -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT state FROM pg_stat_activity WHERE pid = %s", [pid])
        return cursor.fetchone() is not None


def test_a_server_killed_in_the_middle_of_a_household_registration_leaves_no_partial_rows(
    anna, tmp_path
):
    before = {
        "persons": Person.objects.count(),
        "households": Household.objects.count(),
        "members": HouseholdMember.objects.count(),
        "name_keys": PersonNameKey.objects.count(),
    }
    last_event = AuditEvent.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    ready = tmp_path / "inserted.json"
    env = {
        **os.environ,
        "LOTSE_ENV": "test",
        "DJANGO_SETTINGS_MODULE": "config.settings_test",
        "LOTSE_TEST_DATABASE_URL": _test_database_url(),
    }
    script = Path(__file__).with_name("crash_household.py")
    server = subprocess.Popen(  # noqa: S603
        [sys.executable, str(script), anna.username, str(ready)],
        env=env,
        cwd=settings.BASE_DIR,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        _wait_for(
            lambda: ready.exists() or server.poll() is not None,
            seconds=90,
            what="the registration to reach its second member",
        )
        assert server.poll() is None, server.communicate()
        inserted = json.loads(ready.read_text())
        assert len(inserted["person_ids"]) == 2
        assert [pk for pk in inserted["audit_event_ids"] if pk > last_event]
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT state FROM pg_stat_activity WHERE pid = %s", [inserted["backend_pid"]]
            )
            # Killed while its transaction is open, with rows written and nothing committed.
            assert cursor.fetchone() == ("idle in transaction",)
    finally:
        server.send_signal(signal.SIGKILL)
        server.communicate(timeout=30)
    assert server.returncode == -signal.SIGKILL

    # PostgreSQL ends the dead client's session and rolls its transaction back.
    _wait_for(
        lambda: not _backend_alive(inserted["backend_pid"]),
        seconds=30,
        what="PostgreSQL to end the killed server's session",
    )
    assert not Household.objects.filter(pk=inserted["household_id"]).exists()
    assert not Person.objects.filter(pk__in=inserted["person_ids"]).exists()
    assert not HouseholdMember.objects.filter(household_id=inserted["household_id"]).exists()
    assert not AuditEvent.objects.filter(pk__gt=last_event).exists()
    assert not AuditEvent.objects.filter(subject_id__in=inserted["person_ids"]).exists()
    after = {
        "persons": Person.objects.count(),
        "households": Household.objects.count(),
        "members": HouseholdMember.objects.count(),
        "name_keys": PersonNameKey.objects.count(),
    }
    assert after == before
    # Nothing stays locked: the chain goes on and the next registration succeeds.
    assert verify_chain().intact
    person_register(
        data=PersonData(given_names="Amal", family_name="Haddad"),
        membership=acting(anna),
        actor=anna,
    )
    assert verify_chain().intact


# --- the audit chain under 8 parallel writers ----------------------------------------------------


def test_the_audit_chain_stays_one_unbroken_line_under_8_parallel_writers(anna):
    membership = acting(anna)
    persons_each, events_each = 10, 25
    events_before = AuditEvent.objects.count()

    def write(index: int) -> int:
        # Audited writes (each in its own transaction) interleaved with bare events.
        for n in range(persons_each):
            person_register(
                data=PersonData(given_names=f"Writer{index}", family_name=f"Person{n}"),
                membership=membership,
                actor=anna,
            )
            for _ in range(events_each // persons_each):
                record(action="test_parallel", actor=anna, detail={"writer": index})
        for _ in range(events_each - persons_each * (events_each // persons_each)):
            record(action="test_parallel", actor=anna, detail={"writer": index})
        return index

    results = _in_parallel(WRITERS, write)

    assert results == list(range(WRITERS)), results
    written = WRITERS * (persons_each + events_each)
    events = list(AuditEvent.objects.order_by("pk").values_list("pk", "prev_hash", "hash"))
    assert len(events) == events_before + written  # nothing lost
    result = verify_chain()
    assert result.intact, result
    assert result.checked == len(events)
    # No fork: no two events name the same predecessor; the line has one start.
    predecessors = Counter(prev for _pk, prev, _hash in events)
    assert max(predecessors.values()) == 1
    # No gap: each event links to the one stored right before it.
    for (_pk, _prev, previous_hash), (_next_pk, next_prev, _h) in pairwise(events):
        assert next_prev == previous_hash
    writers = Counter(
        AuditEvent.objects.filter(action="test_parallel").values_list("detail__writer", flat=True)
    )
    assert writers == dict.fromkeys(range(WRITERS), events_each)
