from __future__ import annotations

from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, transaction
from django.db.utils import DatabaseError

from lotse.audit.models import GENESIS_HASH, AuditEvent
from lotse.audit.services import record, verify_chain

pytestmark = pytest.mark.django_db


def _three_events(anna):
    return [record(action="test_event", actor=anna, detail={"n": n}) for n in range(3)]


def test_events_form_a_hash_chain(anna):
    first, second, third = _three_events(anna)
    assert first.prev_hash == GENESIS_HASH
    assert second.prev_hash == first.hash
    assert third.prev_hash == second.hash
    assert verify_chain().intact


def _tamper(sql: str, params: list[Any]) -> None:
    """Change the table behind the application's back, as an attacker with DB access would."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # A superuser can switch triggers off for a session; the hash chain still tells.
            cursor.execute("SET session_replication_role = replica")
        cursor.execute(sql, params)
        if connection.vendor == "postgresql":
            cursor.execute("SET session_replication_role = DEFAULT")


def test_verify_audit_names_the_first_updated_row(anna):
    _first, second, _third = _three_events(anna)
    _tamper("UPDATE audit_auditevent SET action = %s WHERE id = %s", ["nothing", second.pk])
    result = verify_chain()
    assert result.first_broken_id == second.pk
    with pytest.raises(CommandError, match=f"broken at event {second.pk}"):
        call_command("verify_audit")


def test_verify_audit_detects_a_deleted_row(anna):
    _first, second, third = _three_events(anna)
    _tamper("DELETE FROM audit_auditevent WHERE id = %s", [second.pk])
    assert verify_chain().first_broken_id == third.pk


def test_verify_audit_reports_an_intact_chain(anna, capsys):
    _three_events(anna)
    call_command("verify_audit")
    assert "intact" in capsys.readouterr().out


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the trigger is PostgreSQL's")
def test_postgresql_refuses_updates_and_deletes(anna):
    event = record(action="test_event", actor=anna)
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        AuditEvent.objects.filter(pk=event.pk).update(action="changed")
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        AuditEvent.objects.filter(pk=event.pk).delete()
