from typing import Any

from django.core.management.base import BaseCommand, CommandError

from lotse.audit.services import verify_chain


class Command(BaseCommand):
    help = "Verify the audit trail's hash chain and name the first broken event."

    def handle(self, *args: Any, **options: Any) -> None:
        result = verify_chain()
        if not result.intact:
            raise CommandError(
                f"Audit chain broken at event {result.first_broken_id}: {result.reason} "
                f"({result.checked} events checked)."
            )
        self.stdout.write(self.style.SUCCESS(f"Audit chain intact: {result.checked} events."))
