"""CSV and XLSX downloads of the published figures: the same cells, and never a withheld value."""

from __future__ import annotations

import csv
import io
from datetime import date
from decimal import Decimal

import pytest
from django.utils import translation
from openpyxl import load_workbook  # type: ignore[import-untyped]

from lotse.reports.exports import figures_csv, figures_xlsx, table_rows
from lotse.reports.suppression import State
from lotse.reports.tables import Column, Entry, Figures, Period, Row, Section, Table

SHOWN, PRIMARY, SECONDARY = State.SHOWN, State.PRIMARY, State.SECONDARY


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def entry(value, state=SHOWN):
    """A published entry; ``value`` of a withheld one is what the face knew and dropped."""
    return Entry(value if state == SHOWN else None, state)


def contacts(title="Contacts by channel", key="contacts"):
    """Period and year before, with column totals; 3 and 4 are withheld (hidden)."""
    return Table(
        key=key,
        title=title,
        row_heading="Channel",
        columns=(Column("current", "2024"), Column("previous", "2023 (year before)")),
        rows=(
            Row("talk", "In person", (entry(1234), entry(980))),
            Row("phone", "Phone", (entry(34), entry(37))),
            Row("visit", "Home visit", (entry(3, PRIMARY), entry(12))),
            Row("mail", "E-mail", (entry(18, SECONDARY), entry(4, PRIMARY))),
        ),
        column_totals=(entry(1289), entry(1033)),
        compare=True,
        note="journal entries",
    )


def crossed():
    """Rows × columns with both margins."""
    return Table(
        key="referrals_by_target",
        title="Referrals: by receiving agency [state]",
        row_heading="Received by",
        columns=(Column("completed", "completed"), Column("open", "open")),
        rows=(
            Row("jmd", "=HYPERLINK()", (entry(20), entry(2, PRIMARY)), total=entry(22, SECONDARY)),
            Row("mbe", "Counselling", (entry(15), entry(9, SECONDARY)), total=entry(24)),
        ),
        column_totals=(entry(35), entry(11)),
        grand_total=entry(46),
        chart="none",
    )


def posts():
    return Table(
        key="posts",
        title="Staff posts",
        row_heading="Building block",
        columns=(Column("fte", "FTE"),),
        rows=(
            Row("a", "Counselling", (entry(Decimal("12.5")),)),
            Row("b", "Coordination", (entry(Decimal("1")),)),
        ),
        unit="fte",
        chart="none",
    )


def figures(*tables):
    return Figures(
        period=Period(date(2024, 1, 1), date(2024, 12, 31)),
        previous=Period(date(2023, 1, 1), date(2023, 12, 31)),
        district="",
        district_label="whole city",
        scope_label="the whole city",
        k=5,
        as_of=date(2025, 1, 15),
        sections=(Section("volume", "Case work", tables or (contacts(), crossed(), posts())),),
    )


HIDDEN = {"3", "4", "18", "2", "9", "22"}


# --- the cells --------------------------------------------------------------------------------


def test_table_rows_with_change_and_totals():
    assert table_rows(contacts()) == [
        ["Channel", "2024", "2023 (year before)", "Change"],
        ["In person", 1234, 980, 254],
        ["Phone", 34, 37, -3],
        ["Home visit", "< 5", 12, "–"],
        ["E-mail", "•", "< 5", "–"],
        ["Total", 1289, 1033, 256],
    ]


def test_table_rows_with_row_totals():
    assert table_rows(crossed()) == [
        ["Received by", "completed", "open", "Total"],
        ["=HYPERLINK()", 20, "< 5", "•"],
        ["Counselling", 15, "•", 24],
        ["Total", 35, 11, 46],
    ]


# --- CSV --------------------------------------------------------------------------------------


def read_csv(text):
    return list(csv.reader(io.StringIO(text), delimiter=";"))


def test_csv_header_rows():
    lines = read_csv(figures_csv(figures()))
    assert lines[0] == ["Lotse figures: the whole city"]
    assert lines[1] == ["Period", "01/01/2024 – 31/12/2024"]
    assert lines[2] == ["Same period a year earlier", "01/01/2023 – 31/12/2023"]
    assert lines[3] == ["District", "whole city"]
    assert lines[4] == ["Aggregated, anonymised data; values below 5 are not shown."]
    assert lines[5] == ["Source: Lotse, as of 15/01/2025"]
    assert lines[6] == []
    assert lines[7] == ["Contacts by channel (journal entries)"]
    assert lines[8] == ["Channel", "2024", "2023 (year before)", "Change"]


def test_csv_is_semicolon_separated_with_plain_numbers():
    text = figures_csv(figures())
    assert "In person;1234;980;254\r\n" in text
    assert "Phone;34;37;-3\r\n" in text
    assert "Counselling;12.5\r\n" in text
    assert not text.startswith("\ufeff")  # the view adds the BOM


def test_csv_withheld_as_the_table_shows_them():
    lines = read_csv(figures_csv(figures()))
    cells = [cell for line in lines for cell in line]
    assert ["Home visit", "< 5", "12", "–"] in lines
    assert ["E-mail", "•", "< 5", "–"] in lines
    assert not HIDDEN & set(cells)


def test_csv_in_german():
    with translation.override("de"):
        text = figures_csv(figures())
    assert "01.01.2024 – 31.12.2024" in text
    assert ";1234;980;" in text  # no thousands separator
    assert ";12,5\r\n" in text  # the decimal comma a German Excel expects


def test_csv_label_is_no_formula():
    lines = read_csv(figures_csv(figures(crossed())))
    assert ["'=HYPERLINK()", "20", "< 5", "•"] in lines


# --- XLSX -------------------------------------------------------------------------------------


def workbook(data):
    return load_workbook(io.BytesIO(data))


def values(sheet):
    return [[cell.value for cell in row] for row in sheet.iter_rows()]


def test_xlsx_has_an_overview_and_a_sheet_per_table():
    book = workbook(figures_xlsx(figures()))
    assert book.sheetnames == [
        "Overview",
        "Contacts by channel",
        "Referrals by receiving agency s",
        "Staff posts",
    ]
    overview = values(book["Overview"])
    assert overview[0][0] == "Lotse figures: the whole city"
    flat = [cell for row in overview for cell in row]
    assert "01/01/2024 – 31/12/2024" in flat
    assert "Aggregated, anonymised data; values below 5 are not shown." in flat
    assert "Source: Lotse, as of 15/01/2025" in flat
    assert "Contacts by channel (journal entries)" in flat
    link = book["Overview"]["A10"]
    assert link.value == "Contacts by channel"
    assert link.hyperlink.location == "'Contacts by channel'!A1"


def test_xlsx_sheet_names_are_valid_and_unique():
    tables = [contacts(title="Referrals per agency: [open/closed]?", key=f"t{i}") for i in range(3)]
    tables.append(contacts(title="Overview", key="o"))
    names = workbook(figures_xlsx(figures(*tables))).sheetnames
    assert len(set(map(str.casefold, names))) == len(names) == 5
    for name in names:
        assert len(name) <= 31
        assert not set(name) & set("[]:*?/\\")
    assert names[1:4] == [
        "Referrals per agency open close",
        "Referrals per agency open c (2)",
        "Referrals per agency open c (3)",
    ]
    assert names[4] == "Overview (2)"


def test_xlsx_numbers_are_numbers_and_withheld_are_text():
    sheet = workbook(figures_xlsx(figures()))["Contacts by channel"]
    rows = values(sheet)
    header = rows.index(["Channel", "2024", "2023 (year before)", "Change"])
    assert rows[header + 1 :] == [
        ["In person", 1234, 980, 254],
        ["Phone", 34, 37, -3],
        ["Home visit", "< 5", 12, "–"],
        ["E-mail", "•", "< 5", "–"],
        ["Total", 1289, 1033, 256],
    ]
    number = sheet.cell(row=header + 2, column=2)
    assert number.data_type == "n"
    assert number.number_format == "#,##0"
    withheld = sheet.cell(row=header + 4, column=2)
    assert withheld.data_type == "s"
    assert withheld.value == "< 5"
    assert all(cell.font.bold for cell in sheet[header + 1])
    assert all(cell.font.bold for cell in sheet[header + 6])
    assert sheet.freeze_panes == f"B{header + 2}"
    assert sheet.column_dimensions["A"].width >= len("In person")
    cells = {str(value) for row in rows for value in row if value is not None}
    assert not HIDDEN & cells


def test_xlsx_sheet_heads_with_period_and_rule():
    rows = values(workbook(figures_xlsx(figures()))["Staff posts"])
    flat = [cell for row in rows for cell in row]
    assert rows[0][0] == "Staff posts"
    assert ["Period", "01/01/2024 – 31/12/2024"] in rows
    assert "Aggregated, anonymised data; values below 5 are not shown." in flat


def test_xlsx_decimals_and_labels():
    book = workbook(figures_xlsx(figures()))
    posts_sheet = book["Staff posts"]
    cell = next(c for row in posts_sheet.iter_rows() for c in row if c.value == 12.5)
    assert cell.number_format == "#,##0.00"
    label = next(
        c for row in book.worksheets[2].iter_rows() for c in row if c.value == "=HYPERLINK()"
    )
    assert label.data_type == "s"  # text, not a formula


def test_csv_and_xlsx_write_the_same_cells():
    table = crossed()
    expected = table_rows(table)
    sheet = workbook(figures_xlsx(figures(table))).worksheets[1]
    rows = values(sheet)
    assert rows[-len(expected) :] == expected
    lines = read_csv(figures_csv(figures(table)))
    start = lines.index(["Received by", "completed", "open", "Total"])
    assert lines[start : start + len(expected)] == [
        ["'" + str(c) if str(c).startswith("=") else str(c) for c in row] for row in expected
    ]
