"""``lotse bench --suite backup``: backup and restore of the city in the scratch database.

Backs the scratch database up as ``lotse backup`` does, restores it into a second, empty
database of the same engine (PostgreSQL: a scratch database beside it; SQLite: a temp file) as
``lotse restore`` does, and reports the times and whether every checksum matched (issue 13:
both under 2 minutes at 100k persons, 100 % of the checksums matching).
"""

from __future__ import annotations

import copy
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from django.db import connection

from lotse.core.backup import backup_create, backup_restore, database_alias

from .bench import BenchRow

TARGET_SECONDS = 120


@contextmanager
def _empty_database(workdir: Path) -> Iterator[str]:
    settings_dict = copy.deepcopy(connection.settings_dict)
    if connection.vendor == "sqlite":
        settings_dict["NAME"] = str(workdir / "restored.sqlite3")
        with database_alias(settings_dict) as alias:
            yield alias
        return
    name = f"{settings_dict['NAME']}_restore"
    quoted = connection.ops.quote_name(name)
    with connection._nodb_cursor() as cursor:
        cursor.execute(f"DROP DATABASE IF EXISTS {quoted} WITH (FORCE)")
        cursor.execute(f"CREATE DATABASE {quoted}")
    settings_dict["NAME"] = name
    try:
        with database_alias(settings_dict) as alias:
            yield alias
    finally:
        with connection._nodb_cursor() as cursor:
            cursor.execute(f"DROP DATABASE IF EXISTS {quoted} WITH (FORCE)")


def _row(what: str, seconds: float, note: str) -> BenchRow:
    return BenchRow(what, 1, seconds * 1000, seconds * 1000, note)


def backup_suite() -> list[BenchRow]:
    with tempfile.TemporaryDirectory(prefix="lotse-bench-backup-") as tmp:
        workdir = Path(tmp)
        manifest = backup_create(out=workdir / "backup")
        rows = sum(table["rows"] for table in manifest["tables"].values())
        size = sum(p.stat().st_size for p in (workdir / "backup").rglob("*") if p.is_file())
        backup_seconds = float(manifest["seconds"])
        with _empty_database(workdir) as target:
            report = backup_restore(source=workdir / "backup", using=target)
    matching = len(report.tables) - len(report.mismatched_tables)
    total_restore = report.restore_seconds + report.verify_seconds
    verdict = "ok" if total_restore < TARGET_SECONDS else "SLOW"
    return [
        _row(
            f"backup: {len(manifest['tables'])} tables, {rows:,} rows",
            backup_seconds,
            f"{size / 1e6:,.1f} MB; dump and checksums of one snapshot; "
            f"target < {TARGET_SECONDS} s: {'ok' if backup_seconds < TARGET_SECONDS else 'SLOW'}",
        ),
        _row("restore: load into an empty database", report.restore_seconds, ""),
        _row(
            "restore: verify chain and every table",
            report.verify_seconds,
            f"{report.chain.checked:,} events, chain "
            f"{'intact' if report.chain.intact else 'BROKEN'}; "
            f"{matching}/{len(report.tables)} checksums match",
        ),
        _row(
            "restore: total",
            total_restore,
            f"target < {TARGET_SECONDS} s: {verdict}; "
            f"{'verified' if report.ok else 'DOES NOT MATCH the backup'}",
        ),
    ]
