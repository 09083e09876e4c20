"""``lotse erase_due_cases``: erase closed case files whose retention period has run out.

Safe by default: without ``--agency`` or ``--all`` it erases only the due cases of lead
agencies whose team lead switched automatic erasure on (page "Erase case files"); every other
due case waits for its lead agency to erase it by hand. ``--dry-run`` erases nothing and prints
what would go. Each case is erased in a transaction of its own; a case that fails is named
and the run goes on (exit status 1). Run it nightly (deploy/systemd/lotse-erase-due-cases.timer).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db.models import QuerySet

from lotse.accounts.models import Agency
from lotse.cases.erasure import erase_case, would_erase
from lotse.cases.models import AutomaticErasure, Case
from lotse.cases.retention import retention_due


class Command(BaseCommand):
    help = (
        "Erase closed case files whose retention period (LOTSE_RETENTION_YEARS) has run out, "
        "with their whole content. By default only of lead agencies that switched automatic "
        "erasure on; --agency CODE or --all to erase others (on the lead agency's order). "
        "--dry-run prints what would be erased and changes nothing."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--dry-run", action="store_true", help="Only print what would be erased."
        )
        scope = parser.add_mutually_exclusive_group()
        scope.add_argument(
            "--agency",
            action="append",
            default=[],
            metavar="CODE",
            help="Erase the due cases led by this agency (repeatable), switched on or not.",
        )
        scope.add_argument(
            "--all", action="store_true", help="Erase every due case, whoever leads it."
        )
        parser.add_argument("--today", help="Run as if today were this date (YYYY-MM-DD).")

    def _cases(self, options: dict[str, Any], today: date | None) -> QuerySet[Case]:
        due = retention_due(today)
        if options["all"]:
            return due
        if options["agency"]:
            codes = set(options["agency"])
            known = set(Agency.objects.filter(code__in=codes).values_list("code", flat=True))
            if codes - known:
                raise CommandError(f"Unknown agency: {', '.join(sorted(codes - known))}")
            return due.filter(lead_agency__code__in=codes)
        return due.filter(lead_agency__in=AutomaticErasure.objects.values("agency"))

    def handle(self, *args: Any, **options: Any) -> None:
        today = None
        if options["today"]:
            try:
                today = date.fromisoformat(options["today"])
            except ValueError:
                raise CommandError("--today must be a date like 2026-12-01.") from None
        cases = list(self._cases(options, today))
        verb = "would erase" if options["dry_run"] else "erased"
        failed = 0
        for number, case in enumerate(cases, start=1):
            where = f"[{number}/{len(cases)}] case {case.pk} ({case.lead_agency.code})"
            try:
                if options["dry_run"]:
                    result = would_erase(case, today=today)
                else:
                    result = erase_case(
                        case=case,
                        membership=None,
                        actor=None,
                        expected_version=None,
                        automatic=True,
                        today=today,
                    )
            except ValidationError as error:
                failed += 1
                self.stderr.write(f"{where}: not erased: {'; '.join(error.messages)}")
                continue
            except Exception as error:  # a case that fails is named; the others go on
                failed += 1
                self.stderr.write(f"{where}: not erased: {type(error).__name__}: {error}")
                continue
            counts = ", ".join(f"{kind} {n}" for kind, n in result.counts.items() if n)
            self.stdout.write(f"{where} closed {case.closed_on:%Y-%m-%d}: {verb} {counts}")
        done = len(cases) - failed
        self.stdout.write(f"{done} case files {verb}" + (f", {failed} failed." if failed else "."))
        if failed:
            raise CommandError(f"{failed} case files could not be erased.")
