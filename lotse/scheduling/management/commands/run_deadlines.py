from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from lotse.scheduling.services import run_deadlines


class Command(BaseCommand):
    help = (
        "Create a task for each deadline whose first warning step is reached (residence "
        "permits, consents, Kita and school age, integration courses, changes of benefit law, "
        "referral answers, plan goals, follow-ups). Idempotent: each deadline gets one task; "
        "run it daily (systemd timer or cron, see docs/operations.md)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--dry-run", action="store_true", help="Only print what would be created."
        )
        parser.add_argument("--today", help="Run as if today were this date (YYYY-MM-DD).")

    def handle(self, *args: Any, **options: Any) -> None:
        today = None
        if options["today"]:
            try:
                today = date.fromisoformat(options["today"])
            except ValueError:
                raise CommandError("--today must be a date like 2026-12-01.") from None
        result = run_deadlines(today=today, dry_run=options["dry_run"])
        if options["dry_run"]:
            for deadline in result.would_create:
                self.stdout.write(
                    f"would create: {deadline.kind} due {deadline.due_on:%Y-%m-%d} "
                    f"agency {deadline.owner_agency_id} ({deadline.source_key})"
                )
            self.stdout.write(f"{len(result.would_create)} tasks would be created.")
            return
        for kind, count in sorted(result.created.items()):
            self.stdout.write(f"{kind}: {count} tasks created ({result.due[kind]} deadlines due)")
        self.stdout.write(f"{result.created.total()} tasks created in all.")
