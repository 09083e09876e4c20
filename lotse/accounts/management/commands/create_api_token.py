from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from lotse.accounts.models import User
from lotse.accounts.services import api_token_create


class Command(BaseCommand):
    help = "Create a bearer token for USERNAME and print it (it is shown only once)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")
        parser.add_argument("--days", type=int, default=None, help="Validity in days.")
        parser.add_argument("--name", default="", help="What the token is for.")

    def handle(self, *args: Any, **options: Any) -> None:
        user = User.objects.filter(username=options["username"], is_active=True).first()
        if user is None:
            raise CommandError(f"No active user named {options['username']!r}.")
        days = options["days"]
        if days is not None and days < 1:
            raise CommandError("--days must be at least 1.")
        issued = api_token_create(user=user, days=days, name=options["name"])
        self.stdout.write(issued.raw)
        self.stderr.write(
            f"Valid until {issued.token.expires_at:%Y-%m-%d %H:%M} UTC. "
            "Send it as 'Authorization: Bearer <token>'."
        )
