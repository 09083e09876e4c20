from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import DEFAULT_DB_ALIAS

from lotse.core.backup import MANIFEST_NAME, BackupError, backup_create, file_sha256


class Command(BaseCommand):
    # As migrate: a backup or restore must not depend on every page's code being importable.
    requires_system_checks: list[str] = []
    help = (
        "Back up the database (PostgreSQL: pg_dump custom format; SQLite: online backup), the "
        "uploaded files and a manifest with checksums and the audit chain's head into a new "
        "directory."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--out", required=True, type=Path, help="New (or empty) directory to write."
        )
        parser.add_argument(
            "--database", default=DEFAULT_DB_ALIAS, help="Database alias (default: default)."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        out: Path = options["out"]
        try:
            manifest = backup_create(out=out, using=options["database"], progress=self._progress)
        except BackupError as error:
            self.stderr.write("")
            raise CommandError(str(error)) from None
        self.stderr.write("")
        rows = sum(table["rows"] for table in manifest["tables"].values())
        head = manifest["audit_chain_head"]
        self.stdout.write(
            self.style.SUCCESS(
                f"Backup written to {out} in {manifest['seconds']:.1f} s: "
                f"{manifest['database']['vendor']} database, {len(manifest['tables'])} tables "
                f"({rows:,} rows), {manifest['media']['files']} uploaded files, audit chain of "
                f"{head['events']:,} events (head {str(head['last_hash'])[:12]})."
            )
        )
        # Kept apart from the backup (a log, a ticket), it shows a manifest forged later.
        digest = file_sha256(out / MANIFEST_NAME)
        self.stdout.write(f"SHA-256 of {out / MANIFEST_NAME}: {digest}")
        if manifest["media"]["missing"]:
            self.stdout.write(
                self.style.WARNING(
                    f"{len(manifest['media']['missing'])} files the database points to were "
                    f"not in the media directory, e.g. {manifest['media']['missing'][0]}."
                )
            )

    def _progress(self, stage: str) -> None:
        self.stderr.write(f"\r\033[K{stage}", ending="")
