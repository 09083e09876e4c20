"""The consent register as CSV and XLSX for the data-protection officer.

Both formats write the same cells (:func:`register_cells`), so they cannot drift apart. Both
stream: the CSV line by line, the XLSX through openpyxl's write-only mode into a spooled
temporary file — the register of a city (80,000 declarations) never sits in memory at once.
Text that a spreadsheet would take for a formula is written as text (CSV injection).
"""

from __future__ import annotations

import csv
import tempfile
from collections.abc import Iterable, Iterator
from typing import IO, Any

from django.db.models import QuerySet
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from . import display, rules
from .models import ConsentDeclaration

CHUNK = 2000
#: Text a spreadsheet would take for a formula, as the first character.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def header() -> list[str]:
    return [
        _("No."),
        _("Lotse ID"),
        _("Name"),
        _("Status"),
        _("Purpose"),
        _("Purpose in detail"),
        _("May receive"),
        _("May pass on"),
        _("Information"),
        _("Includes what was confided to the Jugendamt"),
        _("Valid from"),
        _("Valid until"),
        _("Recorded by"),
        _("Recording agency"),
        _("Recorded on"),
        _("Withdrawn on"),
        _("Form"),
        _("Signed form"),
    ]


def _names(agencies: Iterable[Any]) -> str:
    return ", ".join(sorted(agency.name for agency in agencies))


def register_cells(
    consents: QuerySet[ConsentDeclaration], names: dict[int, str]
) -> Iterator[list[object]]:
    """One row per consent, read in chunks (the prefetches follow each chunk)."""
    today = timezone.localdate()
    statuses = dict(ConsentDeclaration.Status.choices)
    for consent in consents.iterator(chunk_size=CHUNK):
        status = consent.effective_status(today)
        label = str(statuses[status])
        if status == ConsentDeclaration.Status.GIVEN and rules.pending_ids(consent):
            label = _("%(status)s, awaits confirmation") % {"status": label}
        yield [
            consent.pk,
            consent.subject.public_id,
            names.get(consent.subject_id, ""),
            label,
            consent.get_purpose_display(),
            consent.purpose_text,
            _names(consent.recipient_agencies.all()),
            _names(consent.disclosing_agencies.all()),
            ", ".join(display.category_labels(list(consent.categories))),
            _("yes") if consent.includes_entrusted else _("no"),
            consent.valid_from,
            _("open-ended") if display.is_open_ended(consent.valid_until) else consent.valid_until,
            display.staff_name(consent.recorded_by),
            consent.recording_agency.name,
            timezone.localtime(consent.created_at).date(),
            timezone.localtime(consent.withdrawn_at).date() if consent.withdrawn_at else "",
            f"{consent.form_version} ({consent.form_language})",
            _("yes") if consent.signed_form else _("no"),
        ]


def _text(value: object) -> str:
    if hasattr(value, "isoformat"):
        return value.isoformat()  # type: ignore[no-any-return]
    text = str(value)
    return "'" + text if text.startswith(FORMULA_START) else text


class _Echo:
    def write(self, value: str) -> str:
        return value


def csv_lines(rows: Iterable[list[object]], *, language: str) -> Iterator[str]:
    """Semicolon-separated with a byte-order mark: what a German spreadsheet opens as is.

    The lines are written while the response streams, after the view has returned and the
    request's language is no longer active: they are written in ``language`` explicitly.
    """
    writer = csv.writer(_Echo(), delimiter=";", lineterminator="\r\n")
    with translation.override(language):
        yield "\ufeff" + writer.writerow(header())
        for row in rows:
            yield writer.writerow([_text(value) for value in row])


def xlsx_file(rows: Iterable[list[object]]) -> IO[bytes]:
    """The workbook in a temporary file (in memory while small, on disk beyond), rewound."""
    from openpyxl import Workbook  # type: ignore[import-untyped]
    from openpyxl.cell import WriteOnlyCell  # type: ignore[import-untyped]
    from openpyxl.styles import Font  # type: ignore[import-untyped]

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(_("Consent register"))
    sheet.freeze_panes = "A2"
    bold = Font(bold=True)

    def cell(value: object, *, head: bool = False) -> Any:
        written = WriteOnlyCell(sheet, value=value)
        if isinstance(value, str):
            written.data_type = "s"  # never a formula, whatever the text begins with
        if head:
            written.font = bold
        if hasattr(value, "isoformat"):
            written.number_format = "DD.MM.YYYY"
        return written

    sheet.append([cell(title, head=True) for title in header()])
    for row in rows:
        sheet.append([cell(value) for value in row])
    spooled = tempfile.SpooledTemporaryFile(max_size=8 * 1024 * 1024)  # noqa: SIM115 - returned open
    workbook.save(spooled)
    spooled.seek(0)
    return spooled
