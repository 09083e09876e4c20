from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from lotse.demo.city import ACCOUNTS, DEMO_PASSWORD
from lotse.demo.services import demo_city_seed


class Command(BaseCommand):
    help = "Load the demo city (agencies, demo accounts, families). Safe to run again."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--families", type=int, default=200, help="Number of families.")
        parser.add_argument("--seed", type=int, default=2017, help="Random seed (deterministic).")
        parser.add_argument(
            "--print-logins", action="store_true", help="Print the demo logins afterwards."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["families"] < 0:
            raise CommandError("--families must not be negative.")

        def progress(stage: str, done: int, total: int) -> None:
            self.stderr.write(f"\r{stage}: {done}/{total}", ending="")
            if done == total:
                self.stderr.write("")

        result = demo_city_seed(
            families=options["families"], seed=options["seed"], progress=progress
        )
        self.stdout.write(
            f"Demo city ready ({result.agencies_created} agencies, "
            f"{result.users_created} accounts and {result.cases_created} family cases "
            "newly created)."
        )
        if options["print_logins"]:
            self.stdout.write(f"\nDemo logins (password for all: {DEMO_PASSWORD}):")
            for account in ACCOUNTS:
                self.stdout.write(f"  {account.username:<11} {account.description}")
