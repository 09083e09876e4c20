from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from lotse.demo.city import ACCOUNTS, DEMO_PASSWORD
from lotse.demo.services import demo_city_seed
from lotse.demo.twofactor import DEMO_TOTP_SECRETS, demo_totp_uri


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
            f"{result.users_created} accounts, {result.cases_created} family cases and "
            f"{result.steering_cases_created} statistical cases newly created)."
        )
        if options["print_logins"]:
            self.stdout.write(f"\nDemo logins (password for all: {DEMO_PASSWORD}):")
            for account in ACCOUNTS:
                self.stdout.write(f"  {account.username:<11} {account.description}")
            self._print_second_factor()

    def _print_second_factor(self) -> None:
        self.stdout.write(
            "\nSecond factor (demo secrets, published): after the password, dsb and admin are "
            "asked for the code of an authenticator app. Type the secret into any app (time-"
            "based, 6 digits, 30 s) or open the otpauth URI with it:"
        )
        for username, secret in DEMO_TOTP_SECRETS.items():
            self.stdout.write(f"  {username:<11} {secret}")
            self.stdout.write(f"  {'':<11} {demo_totp_uri(username)}")
        example = next(iter(DEMO_TOTP_SECRETS.values()))
        self.stdout.write(
            "Or compute the current code without an app, e.g. for dsb:\n"
            '  .venv/bin/python -c "import base64; from django_otp.oath import totp; '
            f"print('%06d' % totp(base64.b32decode('{example}')))\""
        )
