from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from lotse.scheduling.services import reminders_send


class Command(BaseCommand):
    help = (
        "Send the daily e-mail digest to every user who asked for it and has something due: "
        "how many tasks, appointments and deadlines, and a link — never a name. Once a day."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--dry-run", action="store_true", help="Only print who would get one.")

    def handle(self, *args: Any, **options: Any) -> None:
        sent = reminders_send(dry_run=options["dry_run"])
        verb = "would get" if options["dry_run"] else "got"
        for digest in sent:
            self.stdout.write(
                f"{digest.user.username} {verb} a digest: {digest.tasks_due} tasks, "
                f"{digest.appointments} appointments, {digest.deadlines} deadlines"
            )
        self.stdout.write(f"{len(sent)} digests.")
