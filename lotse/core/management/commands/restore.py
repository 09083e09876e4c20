from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import DEFAULT_DB_ALIAS

from lotse.core.backup import EMPTY_MEANS, BackupError, backup_restore, format_report


class Command(BaseCommand):
    # As migrate: a backup or restore must not depend on every page's code being importable.
    requires_system_checks: list[str] = []
    help = (
        "Restore a backup made by `lotse backup` into an empty database, then verify the audit "
        "chain and compare every table's checksum with the backup's manifest. " + EMPTY_MEANS
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("directory", type=Path, help="The backup directory.")
        parser.add_argument(
            "--database", default=DEFAULT_DB_ALIAS, help="Database alias (default: default)."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            report = backup_restore(
                source=options["directory"], using=options["database"], progress=self._progress
            )
        except BackupError as error:
            self.stderr.write("")
            raise CommandError(str(error)) from None
        self.stderr.write("")
        self.stdout.write(format_report(report))
        timing = (
            f"restored in {report.restore_seconds:.1f} s, verified in {report.verify_seconds:.1f} s"
        )
        if not report.ok:
            raise CommandError(f"The restored database does not match the backup ({timing}).")
        self.stdout.write(self.style.SUCCESS(f"Restore complete and verified ({timing})."))

    def _progress(self, stage: str) -> None:
        self.stderr.write(f"\r\033[K{stage}", ending="")
