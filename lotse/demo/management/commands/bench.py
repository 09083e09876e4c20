from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.db import connection

from lotse.demo.bench import format_table, foundation_suite, scratch_database


class Command(BaseCommand):
    help = "Measure Lotse's performance on a scratch database and print a table."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--repeat", type=int, default=200, help="Samples per measurement.")

    def handle(self, *args: Any, **options: Any) -> None:
        with scratch_database() as vendor:
            version = connection.cursor().connection.server_version if vendor != "sqlite" else ""
            title = f"Lotse bench on {vendor} {version}".strip()
            self.stdout.write(format_table(title, foundation_suite(options["repeat"])))
