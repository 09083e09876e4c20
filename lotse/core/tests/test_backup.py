"""``lotse backup`` and ``lotse restore``: a round trip proves itself; a bad one is refused.

The source is the test database (with committed rows: ``transaction=True``, since pg_dump reads
through a connection of its own); the target is a second database of the same engine — a temp
SQLite file, or a scratch PostgreSQL database created and dropped around the test.
"""

from __future__ import annotations

import copy
import json
import re
from collections.abc import Iterator
from datetime import date
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from lotse.accounts.tests.factories import acting
from lotse.audit.models import AuditAction, AuditEvent
from lotse.consent.categories import DataCategory
from lotse.consent.models import ConsentDeclaration, ConsentPurpose
from lotse.consent.services import consent_record
from lotse.consent.tests.factories import given_consent
from lotse.core import backup
from lotse.core.backup import BackupError, backup_create, backup_restore, restore_verify
from lotse.people.choices import District, HouseholdRole
from lotse.people.models import Household, Person
from lotse.people.services import HouseholdData, MemberData, PersonData, household_register

pytestmark = pytest.mark.django_db(transaction=True)

SCAN = b"%PDF-1.4\n%signed by the family\n" + b"0" * 2048 + b"\n%%EOF\n"
DATABASE_FILE = {"postgresql": backup.POSTGRES_DUMP, "sqlite": backup.SQLITE_COPY}


@pytest.fixture
def media(settings: Any, tmp_path: Path) -> Path:
    root = tmp_path / "media"
    settings.MEDIA_ROOT = root
    return root


@pytest.fixture
def restore_target(tmp_path: Path) -> Iterator[str]:
    """An empty database of the test database's engine, as a connection alias."""
    alias = "restore_target"
    settings_dict = copy.deepcopy(connection.settings_dict)
    if connection.vendor == "sqlite":
        settings_dict["NAME"] = str(tmp_path / "restored.sqlite3")
    elif connection.vendor == "postgresql":
        settings_dict["NAME"] = f"{connection.settings_dict['NAME']}_restore"
        _scratch_database("DROP DATABASE IF EXISTS {name} WITH (FORCE)", settings_dict["NAME"])
        _scratch_database("CREATE DATABASE {name}", settings_dict["NAME"])
    else:
        pytest.skip(f"no restore target for {connection.vendor}")
    try:
        with backup.database_alias(settings_dict, alias):
            yield alias
    finally:
        if connection.vendor == "postgresql":
            _scratch_database("DROP DATABASE IF EXISTS {name} WITH (FORCE)", settings_dict["NAME"])


def _scratch_database(statement: str, name: str) -> None:
    with connection._nodb_cursor() as cursor:
        cursor.execute(statement.format(name=connection.ops.quote_name(name)))


@pytest.fixture
def city(anna, agencies, media) -> dict[str, Any]:
    """A household of three, a consent with its signed scan, and their audit events."""
    membership = acting(anna)
    household = household_register(
        household=HouseholdData(street="Hofaue 1", postcode="42103", district=District.ELBERFELD),
        members=[
            MemberData(
                person=PersonData(
                    given_names="Leyla", family_name="Rahimi", birth_date=date(1990, 4, 1)
                ),
                role=HouseholdRole.HEAD,
            ),
            MemberData(person=PersonData(given_names="Omid", family_name="Rahimi"), role="child"),
            MemberData(person=PersonData(given_names="Sara", family_name="Rahimi"), role="child"),
        ],
        membership=membership,
        actor=anna,
    )
    leyla = Person.objects.get(given_names="Leyla")
    consent = consent_record(
        subject=leyla,
        data=given_consent(
            recipient_agencies=[agencies.jobcenter],
            categories=[DataCategory.IDENTITY],
            purpose=ConsentPurpose.CASE_MANAGEMENT,
        ),
        membership=membership,
        actor=anna,
        signed_form=SimpleUploadedFile("Leyla Rahimi.pdf", SCAN),
    )
    return {"household": household, "consent": consent}


def _backup(tmp_path: Path) -> tuple[Path, dict[str, Any]]:
    out = tmp_path / "backup"
    return out, backup_create(out=out)


def _round_trip(tmp_path: Path, city: dict[str, Any], target: str, settings: Any) -> None:
    out, manifest = _backup(tmp_path)
    assert (out / DATABASE_FILE[connection.vendor]).is_file()
    scan_name = city["consent"].signed_form.name
    assert f"media/{scan_name}" in manifest["files"]
    settings.MEDIA_ROOT = tmp_path / "restored-media"

    report = backup_restore(source=out, using=target)

    assert report.ok, backup.format_report(report)
    assert report.chain.intact
    # The source has one event more: the backup's own, recorded after its snapshot.
    before_backup, backup_event = AuditEvent.objects.order_by("-pk")[:2][::-1]
    assert backup_event.action == AuditAction.BACKUP_CREATED
    assert report.chain.checked == AuditEvent.objects.count() - 1 > 0
    assert report.chain_head_actual["last_hash"] == before_backup.hash
    assert {t.table for t in report.tables} >= {"people_person", "audit_auditevent"}
    assert all(t.matches for t in report.tables)
    restored = Person.objects.using(target).order_by("pk")
    assert list(restored.values_list("given_names", "version")) == list(
        Person.objects.order_by("pk").values_list("given_names", "version")
    )
    assert Household.objects.using(target).get().street == "Hofaue 1"
    restored_consent = ConsentDeclaration.objects.using(target).get(pk=city["consent"].pk)
    assert (tmp_path / "restored-media" / restored_consent.signed_form.name).read_bytes() == SCAN
    assert report.pending_migrations == 0


@pytest.mark.skipif(connection.vendor != "sqlite", reason="the SQLite round trip")
def test_sqlite_round_trip_into_a_fresh_file_restores_every_row_file_and_the_chain(
    tmp_path, city, restore_target, settings
):
    _round_trip(tmp_path, city, restore_target, settings)
    head = (tmp_path / "backup" / backup.SQLITE_COPY).read_bytes()[:16]
    assert head == b"SQLite format 3\x00"


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="PostgreSQL only (LOTSE_TEST_DATABASE_URL)"
)
def test_postgresql_round_trip_into_a_scratch_database_restores_every_row_file_and_the_chain(
    tmp_path, city, restore_target, settings
):
    _round_trip(tmp_path, city, restore_target, settings)
    # pg_dump's custom format, restorable with pg_restore of the same or a newer version.
    assert (tmp_path / "backup" / backup.POSTGRES_DUMP).read_bytes()[:5] == b"PGDMP"


def test_the_manifest_records_version_migrations_chain_head_and_every_file(tmp_path, city):
    out, manifest = _backup(tmp_path)
    on_disk = json.loads((out / "manifest.json").read_text())
    assert on_disk == manifest
    assert manifest["lotse_version"]
    assert manifest["database"]["vendor"] == connection.vendor
    assert manifest["migrations"]["people"].startswith("0")
    assert manifest["migrations"]["audit"] == "0004_subjects_append_only"
    last, backup_event = AuditEvent.objects.order_by("-pk")[:2][::-1]
    assert manifest["audit_chain_head"] == {
        "events": AuditEvent.objects.count() - 1,
        "last_id": last.pk,
        "last_hash": last.hash,
    }
    # The live chain keeps the manifest's hash, so a manifest forged later would show.
    assert backup_event.action == AuditAction.BACKUP_CREATED
    assert backup_event.prev_hash == last.hash
    assert backup_event.detail["manifest_sha256"] == backup.file_sha256(out / "manifest.json")
    assert manifest["tables"]["people_person"]["rows"] == 3
    assert manifest["tables"]["people_householdmember"]["rows"] == 3
    assert manifest["media"] == {"files": 1, "referenced": 1, "missing": []}
    files = sorted(p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file())
    assert sorted(manifest["files"]) == [f for f in files if f != "manifest.json"]
    for name, digest in manifest["files"].items():
        assert backup.file_sha256(out / name) == digest


def test_a_table_checksum_is_stable_and_changes_with_any_value(anna, city):
    before = backup.table_checksums()["people_person"]
    assert before == backup.table_checksums()["people_person"]
    Person.objects.filter(given_names="Sara").update(phone="+49 202 1")
    after = backup.table_checksums()["people_person"]
    assert after.rows == before.rows
    assert after.sha256 != before.sha256


def test_the_backup_command_refuses_a_directory_that_is_not_empty(tmp_path, city):
    out = tmp_path / "backup"
    out.mkdir()
    (out / "old.txt").write_text("x")
    with pytest.raises(CommandError, match="not an empty directory"):
        call_command("backup", "--out", str(out))
    assert sorted(p.name for p in out.iterdir()) == ["old.txt"]
    assert not [p for p in tmp_path.iterdir() if ".incomplete-" in p.name]


def test_restore_into_a_non_empty_database_is_refused_and_changes_nothing(tmp_path, city):
    out, _manifest = _backup(tmp_path)
    persons = Person.objects.count()
    with pytest.raises(CommandError) as refused:
        call_command("restore", str(out))
    message = str(refused.value)
    assert "not empty" in message
    assert "no table holds a row" in message
    assert re.search(r"\d+ tables hold rows", message)
    assert "migrations are applied" in message
    assert Person.objects.count() == persons


@pytest.mark.parametrize("tamper", ["database", "media", "extra file"])
def test_a_tampered_backup_is_refused_naming_the_file(tmp_path, city, restore_target, tamper):
    out, manifest = _backup(tmp_path)
    database_file = manifest["database"]["file"]
    if tamper == "database":
        path = out / database_file
        data = bytearray(path.read_bytes())
        data[len(data) // 2] ^= 0xFF
        path.write_bytes(bytes(data))
        named = database_file
    elif tamper == "media":
        named = next(name for name in manifest["files"] if name.startswith("media/"))
        (out / named).write_bytes(SCAN.replace(b"family", b"forger"))
    else:
        named = "media/consents/planted.pdf"
        (out / named).write_bytes(SCAN)

    with pytest.raises(CommandError, match="changed") as refused:
        call_command("restore", str(out), database=restore_target)

    assert named in str(refused.value)
    assert backup.tables_with_rows(using=restore_target) == []


def test_a_checksum_mismatch_is_reported_per_table_and_the_restore_exits_non_zero(
    tmp_path, city, restore_target
):
    out, manifest = _backup(tmp_path)
    # A manifest whose figure for one table no longer fits the dump (the files still match).
    manifest["tables"]["people_household"]["sha256"] = "0" * 64
    (out / "manifest.json").write_text(json.dumps(manifest))
    stdout = StringIO()

    with pytest.raises(CommandError, match="does not match the backup"):
        call_command("restore", str(out), database=restore_target, stdout=stdout)

    lines = {line.split()[0]: line for line in stdout.getvalue().splitlines() if line.strip()}
    assert lines["people_household"].endswith("MISMATCH")
    assert lines["people_person"].endswith("ok")
    assert "1 differ" in stdout.getvalue()


def test_a_row_changed_after_the_restore_is_named_by_the_verification(
    tmp_path, city, restore_target
):
    out, manifest = _backup(tmp_path)
    assert backup_restore(source=out, using=restore_target).ok
    Person.objects.using(restore_target).filter(given_names="Omid").update(family_name="X")

    report = restore_verify(manifest, using=restore_target)

    assert not report.ok
    assert [t.table for t in report.mismatched_tables] == ["people_person"]
    assert report.chain.intact


def test_a_backup_of_another_engine_is_refused(tmp_path, city, restore_target):
    out, manifest = _backup(tmp_path)
    manifest["database"]["vendor"] = "oracle"
    (out / "manifest.json").write_text(json.dumps(manifest))
    with pytest.raises(BackupError, match="oracle"):
        backup_restore(source=out, using=restore_target)


def test_a_manifest_naming_a_file_outside_the_backup_is_refused(tmp_path, city, restore_target):
    out, manifest = _backup(tmp_path)
    secret = tmp_path / "elsewhere.txt"
    secret.write_text("not part of the backup")
    manifest["files"]["../elsewhere.txt"] = backup.file_sha256(secret)
    (out / "manifest.json").write_text(json.dumps(manifest))
    with pytest.raises(BackupError, match="outside the backup"):
        backup_restore(source=out, using=restore_target)
    assert backup.tables_with_rows(using=restore_target) == []
