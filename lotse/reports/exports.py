"""The published figures as CSV and XLSX downloads.

Both formats write the same cells (:func:`table_rows`), so they cannot drift apart, and both
carry what a table needs to be read correctly once it has left Lotse: the period, the period
a year earlier, the district, the suppression rule and the source.

A withheld entry has no value in a :class:`~lotse.reports.tables.Table`; it is written as
the table shows it ("< k", or "•" for a secondary suppression), never as a number.

Numbers are written unformatted (no thousands separator). In the CSV a decimal takes the
decimal separator of the active language — a German Excel, which expects semicolons, reads
"12.5" as a date — while the XLSX holds real number cells with a number format.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.utils.formats import get_format
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from openpyxl import Workbook  # type: ignore[import-untyped]
from openpyxl.styles import Alignment, Font  # type: ignore[import-untyped]
from openpyxl.utils import get_column_letter  # type: ignore[import-untyped]
from openpyxl.worksheet.hyperlink import Hyperlink  # type: ignore[import-untyped]

from .tables import SECONDARY_MARK, Entry, Figures, Row, Table

__all__ = ["figures_csv", "figures_xlsx", "table_rows"]

#: Text a spreadsheet would take for a formula (CSV injection), as the first character.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
INTEGER_FORMAT = "#,##0"
DECIMAL_FORMAT = "#,##0.00"
SHEET_TITLE_LENGTH = 31
#: What a table shows for a withheld or missing entry besides "< k".
MARKS = frozenset({"–", SECONDARY_MARK})
_SHEET_FORBIDDEN = re.compile(r"[\[\]:*?/\\']")


# --- the cells --------------------------------------------------------------------------------


def _cell(entry: Entry | None, k: int) -> object:
    """A number where the entry is shown, otherwise what the table shows instead."""
    if entry is None:
        return ""
    if entry.shown and entry.value is not None:
        return entry.value
    return entry.text(k)


def _change(table: Table, entries: tuple[Entry, ...]) -> object:
    change = table.change(Row("", "", entries))
    return "–" if change is None else change


def table_rows(table: Table) -> list[list[object]]:
    """The cells of ``table``: the header row, one row per table row, then the totals.

    Shown entries are ``int`` or ``Decimal``; withheld ones "< k" or "•"; "–" where there is
    no value (or no change, because one side is withheld).
    """
    row_totals = table.has_row_totals
    header: list[object] = [table.row_heading, *(column.label for column in table.columns)]
    if table.compare:
        header.append(pgettext("figures", "Change"))
    if row_totals:
        header.append(_("Total"))
    rows = [header]
    for row in table.rows:
        cells: list[object] = [row.label, *(_cell(entry, table.k) for entry in row.entries)]
        if table.compare:
            cells.append(_change(table, row.entries))
        if row_totals:
            cells.append(_cell(row.total, table.k))
        rows.append(cells)
    if table.column_totals is not None:
        totals: list[object] = [
            _("Total"),
            *(_cell(entry, table.k) for entry in table.column_totals),
        ]
        if table.compare:
            totals.append(_change(table, table.column_totals))
        if row_totals:
            totals.append(_cell(table.grand_total, table.k))
        rows.append(totals)
    return rows


def _title(figures: Figures) -> str:
    return _("Lotse figures: %(scope)s") % {"scope": figures.scope_label}


def _table_title(table: Table) -> str:
    if table.note:
        return f"{table.title} ({table.note})"
    return table.title


def _header(figures: Figures) -> list[list[object]]:
    """What every export says before its numbers."""
    return [
        [_("Period"), figures.period.label()],
        [_("Same period a year earlier"), figures.previous.label()],
        [_("District"), figures.district_label],
        [figures.disclaimer()],
        [figures.source()],
    ]


# --- CSV --------------------------------------------------------------------------------------


def _csv_text(value: object) -> str:
    if isinstance(value, bool):  # not a number of the tables; never expected
        return str(value)
    if isinstance(value, int):
        return str(value)
    if isinstance(value, Decimal):
        return format(value, "f").replace(".", str(get_format("DECIMAL_SEPARATOR")))
    text = str(value)
    if text.startswith(FORMULA_START):
        return "'" + text
    return text


def figures_csv(figures: Figures) -> str:
    """All tables of ``figures`` as one semicolon-separated CSV (the view adds the BOM)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")

    def write(rows: Iterable[list[object]]) -> None:
        writer.writerows([_csv_text(value) for value in row] for row in rows)

    write([[_title(figures)], *_header(figures), []])
    for table in figures.tables():
        write([[_table_title(table)], *table_rows(table), []])
    return buffer.getvalue()


# --- XLSX -------------------------------------------------------------------------------------


def _sheet_title(title: str, taken: set[str], number: int) -> str:
    """A sheet name Excel accepts: at most 31 characters, none of []:*?/\\', unique."""
    base = " ".join(_SHEET_FORBIDDEN.sub(" ", title).split()) or _("Table %(n)s") % {"n": number}
    name = base[:SHEET_TITLE_LENGTH]
    suffix = 1
    while name.casefold() in taken or name.casefold() == "history":
        suffix += 1
        ending = f" ({suffix})"
        name = base[: SHEET_TITLE_LENGTH - len(ending)].rstrip() + ending
    taken.add(name.casefold())
    return name


def _put(sheet: Any, row: int, column: int, value: object, *, bold: bool = False) -> Any:
    """Write one cell: a number cell with its format, or text that is never a formula."""
    cell = sheet.cell(row=row, column=column)
    if isinstance(value, Decimal | int) and not isinstance(value, bool):
        cell.value = value
        cell.number_format = DECIMAL_FORMAT if isinstance(value, Decimal) else INTEGER_FORMAT
    else:
        text = str(value)
        cell.value = text
        cell.data_type = "s"
        if text in MARKS or text.startswith("< "):
            cell.alignment = Alignment(horizontal="right")  # in line with the numbers
    if bold:
        cell.font = Font(bold=True)
    return cell


def _write(sheet: Any, start: int, rows: list[list[object]], *, bold: bool = False) -> int:
    """Write ``rows`` from row ``start``; the next free row."""
    for offset, cells in enumerate(rows):
        for column, value in enumerate(cells, start=1):
            _put(sheet, start + offset, column, value, bold=bold)
    return start + len(rows)


def _widths(sheet: Any, rows: list[list[object]]) -> None:
    widths: dict[int, int] = {}
    for cells in rows:
        for column, value in enumerate(cells, start=1):
            text = f"{value:,}" if isinstance(value, int | Decimal) else str(value)
            widths[column] = max(widths.get(column, 10), len(text) + 2)
    for column, width in widths.items():
        sheet.column_dimensions[get_column_letter(column)].width = min(width, 60)


def figures_xlsx(figures: Figures) -> bytes:
    """An XLSX workbook: an overview sheet, then one sheet per table."""
    workbook = Workbook()
    overview = workbook.active
    taken: set[str] = set()
    overview.title = _sheet_title(_("Overview"), taken, 0)
    title = _title(figures)
    workbook.properties.title = title
    workbook.properties.creator = "Lotse"

    _put(overview, 1, 1, title).font = Font(bold=True, size=14)
    row = _write(overview, 3, _header(figures)) + 1
    row = _write(overview, row, [[pgettext("spreadsheet", "Sheet"), _("Table")]], bold=True)
    first_list = row
    names: list[str] = []
    for number, table in enumerate(figures.tables(), start=1):
        name = _sheet_title(table.title, taken, number)
        names.append(name)
        link = _put(overview, row, 1, name)
        link.hyperlink = Hyperlink(ref=link.coordinate, location=f"'{name}'!A1", display=name)
        link.font = Font(color="0B3B66", underline="single")
        _put(overview, row, 2, _table_title(table))
        row += 1
        _table_sheet(workbook.create_sheet(name), figures, table)
    overview.column_dimensions["A"].width = max([28, *(len(name) + 2 for name in names)])
    overview.column_dimensions["B"].width = 90
    overview.freeze_panes = overview.cell(row=first_list, column=1)

    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _table_sheet(sheet: Any, figures: Figures, table: Table) -> None:
    """One table under its title, period, district and rule; header and totals bold."""
    _put(sheet, 1, 1, _table_title(table)).font = Font(bold=True, size=13)
    context: list[list[object]] = [[_("Period"), figures.period.label()]]
    if table.compare:
        context.append([_("Same period a year earlier"), figures.previous.label()])
    context += [[_("District"), figures.district_label], [figures.disclaimer()]]
    header = _write(sheet, 3, context) + 1
    rows = table_rows(table)
    _write(sheet, header, rows[:1], bold=True)
    end = _write(sheet, header + 1, rows[1:])
    if table.column_totals is not None:
        for column in range(1, len(rows[-1]) + 1):
            sheet.cell(row=end - 1, column=column).font = Font(bold=True)
    sheet.freeze_panes = sheet.cell(row=header + 1, column=2)
    _widths(sheet, rows)
