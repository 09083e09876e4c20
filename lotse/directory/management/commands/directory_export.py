"""``lotse directory_export``: the directory as HSDS 3.0 JSON or tabular package (zip).

By default the current offers of approved providers, as the API and the public directory show
them; ``--all`` exports every offer (for a backup or a move to another instance). Audited once
with the count; offers are not personal data.
"""

from __future__ import annotations

import sys
import uuid
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from lotse.directory import hsds
from lotse.directory.models import Offer, Provider
from lotse.directory.selectors import offers_search


def provider_by_id(value: str) -> Provider:
    """A provider by its HSDS id or its row id; CommandError naming the value otherwise."""
    try:
        found = Provider.objects.filter(hsds_id=uuid.UUID(value)).first()
    except ValueError:
        found = Provider.objects.filter(pk=int(value)).first() if value.isdigit() else None
    if found is None:
        raise CommandError(f"No provider with the id {value!r}.")
    return found


class Command(BaseCommand):
    help = "Export offers as HSDS 3.0: JSON (a list of services) or the tabular package (zip)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--format", choices=("hsds-json", "hsds-csv"), default="hsds-json", dest="file_format"
        )
        parser.add_argument(
            "--output", default="-", help="File to write; '-' (default) is standard output."
        )
        parser.add_argument("--provider", help="Only this provider's offers (HSDS id or id).")
        parser.add_argument(
            "--all",
            action="store_true",
            help="Every offer, not only the current offers of approved providers.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        offers = Offer.objects.all() if options["all"] else offers_search()
        if options["provider"]:
            offers = offers.filter(provider=provider_by_id(options["provider"]))
        output: str = options["output"]

        def progress(count: int) -> None:
            self.stderr.write(f"{count} offers …")

        if options["file_format"] == "hsds-json":
            chunks = hsds.offers_export_json(offers=offers, actor=None, progress=progress)
            if output == "-":
                for chunk in chunks:
                    self.stdout.write(chunk, ending="")
            else:
                with Path(output).open("w", encoding="utf-8") as handle:
                    handle.writelines(chunks)
        else:
            if output == "-" and sys.stdout.isatty():
                raise CommandError("A zip does not belong on a terminal: give --output.")
            data = hsds.offers_export_package(offers=offers, actor=None, progress=progress)
            if output == "-":
                for piece in data:
                    sys.stdout.buffer.write(piece)
            else:
                with Path(output).open("wb") as target:
                    target.writelines(data)
        if output != "-":
            self.stderr.write(f"Exported {offers.count()} offers to {output}.")
