"""``lotse directory_import``: offers from HSDS 3.0 JSON, an HSDS tabular package (zip or
folder) or, for one provider, a spreadsheet of offers (CSV or XLSX with German headers).

All or nothing: with any problem nothing is written, and every problem is listed with its
object (or file and row) and field. ``--dry-run`` checks everything and writes nothing. The
import acts as ``--user`` (their primary membership) under the same rules as the pages.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.http import Http404

from lotse.accounts.models import User
from lotse.directory import hsds
from lotse.directory.offer_import import offers_import_table

from .directory_export import provider_by_id

FORMATS = ("hsds-json", "hsds-csv", "table")


def _guess_format(path: Path) -> str:
    if path.is_dir() or path.suffix.lower() == ".zip":
        return "hsds-csv"
    if path.suffix.lower() in (".csv", ".xlsx"):
        return "table"
    return "hsds-json"


class Command(BaseCommand):
    help = "Import offers from HSDS JSON, an HSDS tabular package or a spreadsheet of offers."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", help="A .json file, a .zip or folder of CSV files, a .xlsx.")
        parser.add_argument(
            "--format",
            choices=FORMATS,
            dest="file_format",
            help="Default: from the file name (.json, .zip or a folder, .csv or .xlsx).",
        )
        parser.add_argument("--user", required=True, help="Who imports (username).")
        parser.add_argument(
            "--provider",
            help="Every offer becomes this provider's (HSDS id or id); needed for 'table'.",
        )
        parser.add_argument("--dry-run", action="store_true", help="Check only; write nothing.")

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["path"])
        if not path.exists():
            raise CommandError(f"No such file or folder: {path}")
        user = User.objects.filter(username=options["user"], is_active=True).first()
        if user is None:
            raise CommandError(f"No active user named {options['user']!r}.")
        membership = user.primary_membership()
        provider = provider_by_id(options["provider"]) if options["provider"] else None
        file_format = options["file_format"] or _guess_format(path)
        dry_run: bool = options["dry_run"]

        def progress(count: int) -> None:
            self.stderr.write(f"{count} services …")

        try:
            if file_format == "table":
                if provider is None:
                    raise CommandError("A spreadsheet of offers needs --provider.")
                table = offers_import_table(
                    provider=provider,
                    source=path,
                    membership=membership,
                    actor=user,
                    dry_run=dry_run,
                )
                problems = [str(issue) for issue in table.issues]
                summary = (
                    f"{table.rows} rows: {table.created} offers created, {table.updated} "
                    f"updated, {table.locations_created} locations created"
                )
            else:
                run = (
                    hsds.offers_import_json
                    if file_format == "hsds-json"
                    else (hsds.offers_import_package)
                )
                report = run(
                    source=path,
                    membership=membership,
                    actor=user,
                    provider=provider,
                    dry_run=dry_run,
                    progress=progress,
                )
                for warning in report.warnings:
                    self.stderr.write(f"warning: {warning}")
                problems = [str(issue) for issue in report.issues]
                summary = (
                    ", ".join(
                        f"{name.replace('_', ' ')}: {count}"
                        for name, count in sorted(report.counts.items())
                    )
                    or "nothing to import"
                )
        except Http404 as denied:  # AccessDenied: the user may not manage these offers
            raise CommandError(
                f"{user.username} may not import offers"
                + (f" for {provider}." if provider else ".")
            ) from denied
        if problems:
            raise CommandError(
                f"Nothing was imported: {len(problems)} problems.\n" + "\n".join(problems)
            )
        prefix = "Dry run, nothing written: " if dry_run else "Imported: "
        self.stdout.write(prefix + summary + ".")
