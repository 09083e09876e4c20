"""Update the German catalogue from the source and fail on missing or fuzzy translations.

The source texts are English, so English is complete by construction; every one of them must
have a German translation, and none may be marked fuzzy (a guess by gettext).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import polib
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser

TARGET_LANGUAGES = ("de",)
IGNORE = [".venv/*", "node_modules/*", "var/*", "build/*", "*/tests/*", "tests/*"]


def _entries(po: polib.POFile) -> list[tuple[Any, ...]]:
    return [
        (
            e.msgctxt,
            e.msgid,
            e.msgid_plural,
            e.msgstr,
            tuple(sorted(e.msgstr_plural.items())),
            tuple(e.flags),
            e.obsolete,
        )
        for e in po
    ]


class Command(BaseCommand):
    help = "Refresh the translation catalogues; fail on missing or fuzzy German translations."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--update-only", action="store_true", help="Refresh the catalogues, do not check."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        locale_dir = Path(settings.LOCALE_PATHS[0])
        before: dict[str, str] = {}
        for language in TARGET_LANGUAGES:
            path = locale_dir / language / "LC_MESSAGES" / "django.po"
            before[language] = path.read_text(encoding="utf-8") if path.exists() else ""
        call_command(
            "makemessages",
            locale=list(TARGET_LANGUAGES),
            ignore_patterns=IGNORE,
            no_location=False,
            add_location="file",
            no_obsolete=True,
            verbosity=0,
        )
        problems: list[str] = []
        for language in TARGET_LANGUAGES:
            path = locale_dir / language / "LC_MESSAGES" / "django.po"
            catalogue = polib.pofile(str(path))
            # Keep the file untouched when only gettext's time stamp changed.
            if before[language] and _entries(polib.pofile(before[language])) == _entries(catalogue):
                path.write_text(before[language], encoding="utf-8")
            if catalogue.metadata_is_fuzzy:
                problems.append(f"{language}: the catalogue header is marked fuzzy")
            for entry in catalogue.untranslated_entries():
                problems.append(f"{language}: missing translation for {entry.msgid!r}")
            for entry in catalogue.fuzzy_entries():
                problems.append(f"{language}: fuzzy translation for {entry.msgid!r}")
        if options["update_only"]:
            self.stdout.write(f"Catalogues updated; {len(problems)} entries need a translation.")
            return
        if problems:
            listing = "\n".join(problems[:200])
            raise CommandError(f"{len(problems)} translation problems:\n{listing}")
        self.stdout.write(
            self.style.SUCCESS("Translations complete: " + ", ".join(TARGET_LANGUAGES))
        )
