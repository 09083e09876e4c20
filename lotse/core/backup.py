"""Backup and restore with proof: ``lotse backup --out DIR`` and ``lotse restore DIR``.

A backup directory holds the database (PostgreSQL: ``pg_dump --format=custom``; SQLite: a copy
made with SQLite's online backup API), the uploaded files under ``media/``, and
``manifest.json``: Lotse's version, the applied migrations, the audit chain's head, the SHA-256
of every file, and a checksum of every table (row count and a hash over its rows in primary-key
order). All figures in the manifest describe exactly what the backup holds: on PostgreSQL
pg_dump reads the snapshot the checksums are computed in (``--snapshot``), on SQLite they are
computed from the copy itself. Lotse keeps running meanwhile.

A restore checks every file's hash before it touches anything, goes only into an *empty*
database (no table in it holds a row, so no migration is applied either), and afterwards proves
the result: the audit chain verified as ``lotse verify_audit`` does, its head and the migrations
compared with the manifest, and every table's checksum recomputed and compared.

The table checksums are computed the same way on both engines: rows read through the models (so
values arrive as the same Python types), each row serialised to canonical JSON, hashed in
primary-key order (text keys in code-point order).
"""

from __future__ import annotations

import copy
import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import tempfile
import time
import uuid
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from datetime import time as time_of_day
from decimal import Decimal
from importlib.metadata import PackageNotFoundError
from importlib.metadata import version as package_version
from pathlib import Path
from typing import Any

from django.apps import apps
from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections, models, transaction
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.migrations.executor import MigrationExecutor
from django.db.migrations.recorder import MigrationRecorder
from django.db.models.functions import Collate
from django.db.utils import load_backend
from django.utils import timezone

from lotse.audit.models import AuditAction, AuditEvent
from lotse.audit.services import ChainVerification, record, verify_chain

MANIFEST_NAME = "manifest.json"
MEDIA_DIR = "media"
POSTGRES_DUMP = "database.dump"
SQLITE_COPY = "database.sqlite3"
FORMAT_VERSION = 1
_CHUNK = 5_000

Progress = Callable[[str], None]


class BackupError(Exception):
    """A backup or restore refused or failed; the message says why and what to do."""


@dataclass(frozen=True)
class TableChecksum:
    rows: int
    sha256: str

    def as_json(self) -> dict[str, Any]:
        return {"rows": self.rows, "sha256": self.sha256}


@dataclass(frozen=True)
class TableComparison:
    table: str
    expected: TableChecksum | None
    actual: TableChecksum | None

    @property
    def matches(self) -> bool:
        return self.expected is not None and self.expected == self.actual

    @property
    def status(self) -> str:
        if self.expected is None:
            return "not in backup"
        if self.actual is None:
            return "MISSING"
        return "ok" if self.matches else "MISMATCH"


@dataclass
class RestoreReport:
    tables: list[TableComparison]
    chain: ChainVerification
    chain_head_expected: dict[str, Any]
    chain_head_actual: dict[str, Any]
    migrations_expected: dict[str, str]
    migrations_actual: dict[str, str]
    missing_files: list[str] = field(default_factory=list)
    pending_migrations: int = 0
    restore_seconds: float = 0.0
    verify_seconds: float = 0.0

    @property
    def mismatched_tables(self) -> list[TableComparison]:
        return [t for t in self.tables if not t.matches]

    @property
    def chain_head_matches(self) -> bool:
        return self.chain_head_expected == self.chain_head_actual

    @property
    def migrations_match(self) -> bool:
        return self.migrations_expected == self.migrations_actual

    @property
    def ok(self) -> bool:
        return (
            not self.mismatched_tables
            and self.chain.intact
            and self.chain_head_matches
            and self.migrations_match
            and not self.missing_files
        )


# --- table checksums ----------------------------------------------------------------------------


# Types whose values json.dumps writes the same on both engines as they are.
_AS_IS = frozenset({type(None), bool, int, str, float, dict, list})


def _canonical(value: Any) -> Any:
    """A value as the same JSON on SQLite and PostgreSQL."""
    if type(value) in _AS_IS:
        return value
    if isinstance(value, datetime):
        return value.astimezone(UTC).isoformat() if value.tzinfo else value.isoformat()
    if isinstance(value, date | time_of_day):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, bytes | memoryview):
        return bytes(value).hex()
    if isinstance(value, timedelta):
        return value.total_seconds()
    if isinstance(value, uuid.UUID):
        return value.hex
    return str(value)


def _row_line(row: Iterable[Any]) -> bytes:
    # The type test inline: most values pass as they are, and this runs for every value.
    values = [v if type(v) in _AS_IS else _canonical(v) for v in row]
    text = json.dumps(values, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return text.encode() + b"\n"


def _table_models(wrapper: BaseDatabaseWrapper) -> dict[str, type[models.Model]]:
    """Every table of an installed model (and Django's migration record), by table name."""
    found: dict[str, type[models.Model]] = {}
    for model in apps.get_models(include_auto_created=True):
        meta = model._meta
        if meta.proxy or not meta.managed or meta.db_table in found:
            continue
        found[meta.db_table] = model
    recorder_model = MigrationRecorder(wrapper).Migration
    found[recorder_model._meta.db_table] = recorder_model
    return found


def _ordered_rows(model: type[models.Model], using: str) -> Iterator[tuple[Any, ...]]:
    pk: Any = model._meta.pk
    key_field = pk.target_field if pk.is_relation else pk
    order: Any = "pk"
    if isinstance(key_field, models.CharField | models.TextField):
        # Code-point order on both engines, whatever collation the database was created with.
        collation = "C" if connections[using].vendor == "postgresql" else "BINARY"
        order = Collate("pk", collation)
    names = [f.attname for f in model._meta.concrete_fields]
    rows = model._base_manager.using(using).order_by(order).values_list(*names)
    yield from rows.iterator(chunk_size=_CHUNK)


def _raw_rows(wrapper: BaseDatabaseWrapper, table: str) -> Iterator[tuple[Any, ...]]:
    # A table no model knows (none in Lotse today): hashed in the order of its serialised rows.
    with wrapper.cursor() as cursor:
        cursor.execute(f"SELECT * FROM {wrapper.ops.quote_name(table)}")  # noqa: S608
        lines = sorted(_row_line(row) for row in cursor.fetchall())
    for line in lines:
        yield (line.decode(),)


def table_checksum(rows: Iterable[tuple[Any, ...]], *, columns: list[str]) -> TableChecksum:
    digest = hashlib.sha256(_row_line(columns))
    count = 0
    for row in rows:
        digest.update(_row_line(row))
        count += 1
    return TableChecksum(count, digest.hexdigest())


def table_checksums(
    *, using: str = "default", progress: Progress | None = None
) -> dict[str, TableChecksum]:
    """Row count and content hash of every table in the database, by table name."""
    wrapper = connections[using]
    with wrapper.cursor() as cursor:
        tables = sorted(wrapper.introspection.table_names(cursor))
    known = _table_models(wrapper)
    result: dict[str, TableChecksum] = {}
    for index, table in enumerate(tables, start=1):
        if progress:
            progress(f"checksums: {table} ({index}/{len(tables)})")
        model = known.get(table)
        if model is None:
            result[table] = table_checksum(_raw_rows(wrapper, table), columns=["*"])
        else:
            columns = [f.column for f in model._meta.concrete_fields]
            result[table] = table_checksum(_ordered_rows(model, using), columns=columns)
    return result


# --- state recorded in the manifest --------------------------------------------------------------


def migration_state(*, using: str = "default") -> dict[str, str]:
    """The last applied migration of every app (by the order they were applied in)."""
    recorder = MigrationRecorder(connections[using])
    if not recorder.has_table():
        return {}
    latest: dict[str, str] = {}
    for app, name in recorder.migration_qs.order_by("id").values_list("app", "name"):
        latest[app] = name
    return dict(sorted(latest.items()))


def pending_migrations(*, using: str = "default") -> int:
    """Migrations this code has that the database has not applied."""
    executor = MigrationExecutor(connections[using])
    return len(executor.migration_plan(executor.loader.graph.leaf_nodes()))


def audit_chain_head(*, using: str = "default") -> dict[str, Any]:
    events = AuditEvent.objects.using(using)
    last = events.order_by("-pk").values("pk", "hash").first()
    return {
        "events": events.count(),
        "last_id": last["pk"] if last else None,
        "last_hash": last["hash"] if last else None,
    }


def referenced_files(*, using: str = "default") -> set[str]:
    """Names of the stored files the database's file fields point to."""
    names: set[str] = set()
    wrapper = connections[using]
    with wrapper.cursor() as cursor:
        tables = set(wrapper.introspection.table_names(cursor))
    for model in apps.get_models():
        if model._meta.db_table not in tables:
            continue
        for model_field in model._meta.concrete_fields:
            if isinstance(model_field, models.FileField):
                values = (
                    model._base_manager.using(using)
                    .exclude(**{model_field.attname: ""})
                    .exclude(**{f"{model_field.attname}__isnull": True})
                    .values_list(model_field.attname, flat=True)
                )
                names.update(values)
    return names


def lotse_version() -> str:
    try:
        return package_version("lotse")
    except PackageNotFoundError:
        return "unknown"


def file_sha256(path: Path) -> str:
    with path.open("rb") as handle:
        return hashlib.file_digest(handle, "sha256").hexdigest()


# --- PostgreSQL tools ---------------------------------------------------------------------------


def _pg_environment(settings_dict: dict[str, Any]) -> dict[str, str]:
    """libpq's variables for the configured database: the password never on a command line."""
    env = dict(os.environ)
    for variable, key in [
        ("PGHOST", "HOST"),
        ("PGPORT", "PORT"),
        ("PGUSER", "USER"),
        ("PGPASSWORD", "PASSWORD"),
        ("PGDATABASE", "NAME"),
    ]:
        value = settings_dict.get(key)
        if value:
            env[variable] = str(value)
        else:
            env.pop(variable, None)
    sslmode = (settings_dict.get("OPTIONS") or {}).get("sslmode")
    if sslmode:
        env["PGSSLMODE"] = str(sslmode)
    env["PGAPPNAME"] = "lotse-backup"
    return env


def _pg_tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        raise BackupError(
            f"{name} was not found. Install the PostgreSQL client of the server's major version "
            "(Debian: apt install postgresql-client)."
        )
    return path


def _tool_version(path: str) -> str:
    completed = subprocess.run([path, "--version"], capture_output=True, text=True, check=False)  # noqa: S603
    return completed.stdout.strip()


def _pg_server_version(wrapper: BaseDatabaseWrapper) -> str:
    number = int(getattr(wrapper, "pg_version", 0))  # e.g. 150020 for 15.20
    return f"{number // 10000}.{number % 10000}"


# --- backup -------------------------------------------------------------------------------------


def _prepare_output(out: Path) -> Path:
    if out.exists() and (not out.is_dir() or any(out.iterdir())):
        raise BackupError(f"{out} exists and is not an empty directory; give a new one.")
    out.parent.mkdir(parents=True, exist_ok=True)
    # Written beside the target and renamed at the end: a directory named DIR is complete.
    staging = Path(tempfile.mkdtemp(prefix=f".{out.name}.incomplete-", dir=out.parent))
    staging.chmod(0o700)  # social data: readable by the backup's owner only
    return staging


def _dump_postgresql(
    wrapper: BaseDatabaseWrapper, staging: Path, using: str, progress: Progress | None
) -> dict[str, Any]:
    pg_dump = _pg_tool("pg_dump")
    dump_path = staging / POSTGRES_DUMP
    with transaction.atomic(using=using), wrapper.cursor() as cursor:
        # One snapshot for the dump and for every figure in the manifest.
        cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        cursor.execute("SELECT pg_export_snapshot()")
        snapshot = cursor.fetchone()[0]
        if progress:
            progress("pg_dump running")
        dumper = subprocess.Popen(  # noqa: S603
            [
                pg_dump,
                "--format=custom",
                "--no-password",
                f"--snapshot={snapshot}",
                f"--file={dump_path}",
            ],
            env=_pg_environment(wrapper.settings_dict),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )
        try:
            state = _snapshot_state(using, progress)
        finally:
            _, errors = dumper.communicate()
        if dumper.returncode != 0:
            raise BackupError(f"pg_dump failed (exit {dumper.returncode}): {errors.strip()}")
    state["database"] = {
        "vendor": "postgresql",
        "server_version": _pg_server_version(wrapper),
        "name": wrapper.settings_dict["NAME"],
        "file": POSTGRES_DUMP,
        "tool": _tool_version(pg_dump),
    }
    return state


def _copy_sqlite(
    wrapper: BaseDatabaseWrapper, staging: Path, using: str, progress: Progress | None
) -> dict[str, Any]:
    copy_path = staging / SQLITE_COPY
    wrapper.ensure_connection()
    target = sqlite3.connect(copy_path)
    try:
        if progress:
            progress("copying the SQLite database")
        # The online backup: a consistent copy while Lotse goes on writing (a write in between
        # restarts it).
        wrapper.connection.backup(target)
        # One self-contained file, without -wal and -shm beside it.
        target.execute("PRAGMA journal_mode=DELETE")
    finally:
        target.close()
    # The manifest describes the copy itself, so it matches it however busy the source was.
    with _sqlite_alias(wrapper, copy_path) as copy_alias:
        state = _snapshot_state(copy_alias, progress)
    state["database"] = {
        "vendor": "sqlite",
        "server_version": sqlite3.sqlite_version,
        "name": str(wrapper.settings_dict["NAME"]),
        "file": SQLITE_COPY,
        "tool": "sqlite3 online backup API",
    }
    return state


@contextmanager
def _sqlite_alias(wrapper: BaseDatabaseWrapper, path: Path) -> Iterator[str]:
    """A read-only connection alias for the SQLite file ``path``."""
    settings_dict = copy.deepcopy(wrapper.settings_dict)
    settings_dict["NAME"] = f"file:{path}?mode=ro"
    settings_dict["OPTIONS"] = {}
    with database_alias(settings_dict) as alias:
        yield alias


@contextmanager
def database_alias(settings_dict: dict[str, Any], alias: str = "") -> Iterator[str]:
    """A connection alias for ``settings_dict`` (a complete one, as a connection has) while
    the block runs, in this thread; the ORM reaches it with ``using(alias)``."""
    alias = alias or f"lotse_backup_{uuid.uuid4().hex}"
    backend = load_backend(settings_dict["ENGINE"])
    connections[alias] = backend.DatabaseWrapper(settings_dict, alias)
    try:
        yield alias
    finally:
        connections[alias].close()
        del connections[alias]


def _snapshot_state(using: str, progress: Progress | None) -> dict[str, Any]:
    return {
        "migrations": migration_state(using=using),
        "audit_chain_head": audit_chain_head(using=using),
        "referenced_files": sorted(referenced_files(using=using)),
        "tables": {
            name: checksum.as_json()
            for name, checksum in table_checksums(using=using, progress=progress).items()
        },
    }


def _media_files(root: Path) -> list[Path]:
    if not root.is_dir():
        return []
    return sorted(path for path in root.rglob("*") if path.is_file())


def _copy_media(staging: Path, progress: Progress | None) -> list[str]:
    root = Path(settings.MEDIA_ROOT)
    copied = []
    for path in _media_files(root):
        relative = path.relative_to(root).as_posix()
        target = staging / MEDIA_DIR / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(path, target)
        copied.append(relative)
    if progress:
        progress(f"{len(copied)} uploaded files copied")
    return copied


def backup_create(
    *, out: Path, using: str = "default", progress: Progress | None = None
) -> dict[str, Any]:
    """Write a complete backup to the new directory ``out``; returns its manifest."""
    started = time.monotonic()
    created_at = timezone.now()
    wrapper = connections[using]
    if wrapper.in_atomic_block:
        # pg_dump would not see the transaction's rows; SQLite's backup waits for its end.
        raise BackupError("Run the backup outside a database transaction.")
    staging = _prepare_output(out)
    old_umask = os.umask(0o077)
    try:
        if wrapper.vendor == "postgresql":
            state = _dump_postgresql(wrapper, staging, using, progress)
        elif wrapper.vendor == "sqlite":
            state = _copy_sqlite(wrapper, staging, using, progress)
        else:
            raise BackupError(f"Backups of {wrapper.vendor} databases are not supported.")
        # After the snapshot: every file its rows point to was stored before it was taken.
        media = _copy_media(staging, progress)
        referenced = state.pop("referenced_files")
        if progress:
            progress("hashing the backup's files")
        files = {
            path.relative_to(staging).as_posix(): file_sha256(path)
            for path in sorted(p for p in staging.rglob("*") if p.is_file())
        }
        manifest = {
            "format": FORMAT_VERSION,
            "lotse_version": lotse_version(),
            "created_at": created_at.astimezone(UTC).isoformat(),
            **state,
            "media": {
                "files": len(media),
                "referenced": len(referenced),
                "missing": sorted(set(referenced) - set(media)),
            },
            "files": files,
            "seconds": round(time.monotonic() - started, 2),
        }
        (staging / MANIFEST_NAME).write_text(
            json.dumps(manifest, indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
        )
        if using == DEFAULT_DB_ALIAS:
            # The manifest's hash in the hash-chained trail: a manifest forged later shows.
            record(
                action=AuditAction.BACKUP_CREATED,
                detail={
                    "manifest_sha256": file_sha256(staging / MANIFEST_NAME),
                    "tables": len(manifest["tables"]),
                    "chain_head_id": manifest["audit_chain_head"]["last_id"],
                },
            )
        if out.exists():
            out.rmdir()
        staging.rename(out)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    finally:
        os.umask(old_umask)
    return manifest


# --- restore ------------------------------------------------------------------------------------


def read_manifest(source: Path) -> dict[str, Any]:
    path = source / MANIFEST_NAME
    if not path.is_file():
        raise BackupError(f"{source} is no Lotse backup: {MANIFEST_NAME} is missing.")
    try:
        manifest: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise BackupError(f"{path} is not valid JSON: {error}") from None
    if manifest.get("format") != FORMAT_VERSION:
        raise BackupError(
            f"{path} has backup format {manifest.get('format')!r}; this Lotse reads format "
            f"{FORMAT_VERSION}."
        )
    return manifest


def verify_files(source: Path, manifest: dict[str, Any]) -> None:
    """Every file the manifest lists is there with its hash, and there is no other."""
    listed: dict[str, str] = manifest.get("files") or {}
    database_file = POSTGRES_DUMP if manifest["database"]["vendor"] == "postgresql" else SQLITE_COPY
    if database_file not in listed:
        raise BackupError(f"The backup is incomplete: the manifest lists no {database_file}.")
    for name, expected in sorted(listed.items()):
        if Path(name).is_absolute() or ".." in Path(name).parts:
            raise BackupError(f"The manifest names a file outside the backup: {name}.")
        path = source / name
        if not path.is_file():
            raise BackupError(f"The backup is incomplete: {name} is missing.")
        if file_sha256(path) != expected:
            raise BackupError(
                f"The backup was changed: {name} does not match its SHA-256 in the manifest. "
                "Nothing was restored."
            )
    for path in sorted(p for p in source.rglob("*") if p.is_file()):
        name = path.relative_to(source).as_posix()
        if name != MANIFEST_NAME and name not in listed:
            raise BackupError(
                f"The backup was changed: {name} is not listed in the manifest. "
                "Nothing was restored."
            )


EMPTY_MEANS = (
    "A restore goes only into an empty database: one in which no table holds a row (so no "
    "migration is applied either), e.g. one just made with createdb, before `lotse migrate`."
)


def tables_with_rows(*, using: str = "default") -> list[str]:
    wrapper = connections[using]
    with wrapper.cursor() as cursor:
        tables = sorted(wrapper.introspection.table_names(cursor))
        found = []
        for table in tables:
            cursor.execute(f"SELECT 1 FROM {wrapper.ops.quote_name(table)} LIMIT 1")  # noqa: S608
            if cursor.fetchone() is not None:
                found.append(table)
    return found


def _require_empty(using: str) -> None:
    filled = tables_with_rows(using=using)
    if filled:
        shown = ", ".join(filled[:5]) + (f" and {len(filled) - 5} more" if len(filled) > 5 else "")
        migrated = " — migrations are applied" if "django_migrations" in filled else ""
        raise BackupError(
            f"Refused: the target database {connections[using].settings_dict['NAME']} is not "
            f"empty ({len(filled)} tables hold rows: {shown}{migrated}). Nothing was restored. "
            f"{EMPTY_MEANS}"
        )


def _media_conflicts(source: Path) -> list[str]:
    root = Path(settings.MEDIA_ROOT)
    conflicts = []
    for path in _media_files(source / MEDIA_DIR):
        relative = path.relative_to(source / MEDIA_DIR)
        existing = root / relative
        if existing.exists() and file_sha256(existing) != file_sha256(path):
            conflicts.append(relative.as_posix())
    return conflicts


def _restore_postgresql(wrapper: BaseDatabaseWrapper, dump: Path) -> None:
    pg_restore = _pg_tool("pg_restore")
    completed = subprocess.run(  # noqa: S603
        [
            pg_restore,
            "--no-owner",
            "--no-password",
            "--exit-on-error",
            "--single-transaction",
            # Only empty tables can be in the way here (the database holds no row).
            "--clean",
            "--if-exists",
            f"--dbname={wrapper.settings_dict['NAME']}",
            str(dump),
        ],
        env=_pg_environment(wrapper.settings_dict),
        capture_output=True,
        text=True,
        check=False,
    )
    if completed.returncode != 0:
        raise BackupError(
            f"pg_restore failed (exit {completed.returncode}); nothing was restored: "
            f"{completed.stderr.strip()}"
        )


def _restore_sqlite(wrapper: BaseDatabaseWrapper, copy: Path) -> None:
    wrapper.close()
    wrapper.ensure_connection()
    source = sqlite3.connect(f"file:{copy}?mode=ro", uri=True)
    try:
        source.backup(wrapper.connection)
    finally:
        source.close()
    wrapper.close()


def _restore_media(source: Path) -> None:
    root = Path(settings.MEDIA_ROOT)
    for path in _media_files(source / MEDIA_DIR):
        target = root / path.relative_to(source / MEDIA_DIR)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(path, target)


def restore_verify(
    manifest: dict[str, Any], *, using: str = "default", progress: Progress | None = None
) -> RestoreReport:
    """Compare a database with a backup's manifest: chain, migrations, every table."""
    started = time.monotonic()
    if progress:
        progress("verifying the audit chain")
    chain = verify_chain(using=using)
    actual = table_checksums(using=using, progress=progress)
    expected = {
        name: TableChecksum(int(value["rows"]), str(value["sha256"]))
        for name, value in (manifest.get("tables") or {}).items()
    }
    tables = [
        TableComparison(name, expected.get(name), actual.get(name))
        for name in sorted(set(expected) | set(actual))
    ]
    media_root = Path(settings.MEDIA_ROOT)
    missing = sorted(n for n in referenced_files(using=using) if not (media_root / n).is_file())
    return RestoreReport(
        tables=tables,
        chain=chain,
        chain_head_expected=manifest.get("audit_chain_head") or {},
        chain_head_actual=audit_chain_head(using=using),
        migrations_expected=manifest.get("migrations") or {},
        migrations_actual=migration_state(using=using),
        missing_files=missing,
        pending_migrations=pending_migrations(using=using),
        verify_seconds=time.monotonic() - started,
    )


def backup_restore(
    *, source: Path, using: str = "default", progress: Progress | None = None
) -> RestoreReport:
    """Restore the backup in ``source`` into the empty database ``using``, then prove it."""
    manifest = read_manifest(source)
    wrapper = connections[using]
    vendor = (manifest.get("database") or {}).get("vendor")
    if vendor != wrapper.vendor:
        raise BackupError(
            f"The backup is of a {vendor} database; the target database is {wrapper.vendor}."
        )
    if progress:
        progress("checking the backup's files")
    verify_files(source, manifest)
    _require_empty(using)
    conflicts = _media_conflicts(source)
    if conflicts:
        raise BackupError(
            f"Refused: {len(conflicts)} uploaded files in {settings.MEDIA_ROOT} differ from the "
            f"backup's (e.g. {conflicts[0]}). Restore into an empty media directory."
        )
    started = time.monotonic()
    database_file = source / (POSTGRES_DUMP if vendor == "postgresql" else SQLITE_COPY)
    if progress:
        progress("restoring the database")
    if vendor == "postgresql":
        _restore_postgresql(wrapper, database_file)
    else:
        _restore_sqlite(wrapper, database_file)
    _restore_media(source)
    restore_seconds = time.monotonic() - started
    report = restore_verify(manifest, using=using, progress=progress)
    report.restore_seconds = restore_seconds
    if using == DEFAULT_DB_ALIAS:
        # After the verification, which it would otherwise change: the chain goes on from the
        # head the manifest names.
        record(
            action=AuditAction.BACKUP_RESTORED,
            detail={
                "manifest_sha256": file_sha256(source / MANIFEST_NAME),
                "backup_created_at": manifest.get("created_at", ""),
                "verified": report.ok,
            },
        )
    return report


def format_report(report: RestoreReport, *, all_tables: bool = True) -> str:
    header = f"{'table':<44} {'rows (backup)':>13} {'rows (restored)':>15}  checksum"
    lines = [header, "-" * len(header)]
    for item in report.tables:
        if not all_tables and item.matches:
            continue
        expected = f"{item.expected.rows:,}" if item.expected else "—"
        actual = f"{item.actual.rows:,}" if item.actual else "—"
        lines.append(f"{item.table:<44} {expected:>13} {actual:>15}  {item.status}")
    matching = len(report.tables) - len(report.mismatched_tables)
    rows = sum(t.actual.rows for t in report.tables if t.actual)
    lines.append("-" * len(header))
    lines.append(
        f"{matching} of {len(report.tables)} tables match ({rows:,} rows); "
        f"{len(report.mismatched_tables)} differ."
    )
    chain = (
        f"intact, {report.chain.checked:,} events"
        if report.chain.intact
        else f"BROKEN at event {report.chain.first_broken_id}: {report.chain.reason}"
    )
    head = "matches" if report.chain_head_matches else "DIFFERS from"
    lines.append(f"Audit chain: {chain}; its head {head} the manifest.")
    lines.append(
        "Migrations: "
        + ("as in the backup." if report.migrations_match else "DIFFER from the backup.")
        + (
            f" This code has {report.pending_migrations} more, not applied yet: run "
            "`lotse migrate`."
            if report.pending_migrations
            else ""
        )
    )
    if report.missing_files:
        lines.append(
            f"Uploaded files MISSING: {len(report.missing_files)} (e.g. {report.missing_files[0]})."
        )
    return "\n".join(lines)
