from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from lotse.referrals.services import referrals_escalate, referrals_expire


class Command(BaseCommand):
    help = (
        "Escalate referrals past their answer date to the receiving team lead, and expire "
        "referrals unanswered past their expiry date. Idempotent: run it daily (cron or a "
        "systemd timer)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--dry-run", action="store_true", help="Only print what would change.")

    def handle(self, *args: Any, **options: Any) -> None:
        dry_run = options["dry_run"]
        escalated = referrals_escalate(dry_run=dry_run)
        expired = referrals_expire(dry_run=dry_run)
        verb = "would be" if dry_run else "were"
        self.stdout.write(f"{len(escalated)} referrals {verb} escalated: {escalated}")
        self.stdout.write(f"{len(expired)} referrals {verb} expired: {expired}")
