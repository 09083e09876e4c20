"""The committee report as PDF: a council paper laid out like VO/0513/20, then its Anlage.

Page 1 follows the municipal template (header block with the labels left and the values right,
the sessions, title, Grund der Vorlage, Beschlussvorschlag, Unterschrift, Begründung in
numbered sections, Anlagen). The Anlage "Überblick, Ergebnisse und Perspektiven" starts on a
new page: per section its narrative, its charts ("Abbildung n") and tables ("Tabelle n"), each
with its source and the note on suppression. The document is always German
(:data:`committee.DOCUMENT_LANGUAGE`); cells show what ``Entry.text`` shows ("< 5", "•"), so a
withheld value cannot reach the PDF.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.utils import translation
from django.utils.formats import date_format, number_format
from django.utils.safestring import SafeString, mark_safe

from lotse.core.pdf import render_pdf

from . import committee
from .models import CommitteeReport
from .tables import Figures, Section, Table

TEMPLATE = "reports/report_pdf.html"
TEMPLATE_DIR = Path(__file__).resolve().parent / "templates" / "reports"

# What precedes the <svg> element in a standalone SVG file (XML declaration, doctype, comments).
_SVG_START = re.compile(r"<svg[\s>]", re.IGNORECASE)


@dataclass(frozen=True)
class SessionLine:
    date: str
    committee: str
    quality: str


@dataclass(frozen=True)
class TableView:
    """A table as the PDF prints it: every cell already text."""

    kind = "table"

    number: int
    caption: str
    note: str
    header: list[str]
    rows: list[list[str]]
    totals: list[str] | None
    numeric_from: int = 1


@dataclass(frozen=True)
class ChartView:
    kind = "chart"
    number: int
    caption: str
    svg: SafeString


@dataclass
class AnnexBlock:
    number: int | None
    heading: str
    text: str
    items: list[TableView | ChartView] = field(default_factory=list)


def _change(value: int | Decimal | None) -> str:
    if value is None:
        return "–"
    if value == 0:
        return "±0"
    sign = "+" if value > 0 else "−"
    magnitude = -value if value < 0 else value
    if isinstance(magnitude, Decimal):
        return sign + number_format(magnitude, decimal_pos=2 if magnitude % 1 else 0)
    return sign + number_format(magnitude, force_grouping=True)


def table_view(table: Table, number: int) -> TableView:
    labels = committee.DOCUMENT
    header = [table.row_heading, *(column.label for column in table.columns)]
    if table.has_row_totals:
        header.append(labels["row_total"])
    if table.compare:
        header.append(labels["change"])
    rows: list[list[str]] = []
    for row in table.rows:
        cells = [row.label, *(entry.text(table.k) for entry in row.entries)]
        if table.has_row_totals:
            cells.append(row.total.text(table.k) if row.total is not None else "")
        if table.compare:
            cells.append(_change(table.change(row)))
        rows.append(cells)
    totals: list[str] | None = None
    if table.column_totals:
        totals = [labels["total"], *(entry.text(table.k) for entry in table.column_totals)]
        if table.has_row_totals:
            totals.append(table.grand_total.text(table.k) if table.grand_total else "")
        if table.compare:
            totals.append("")
    return TableView(
        number=number,
        caption=f"{labels['table'] % {'number': number}}: {table.title}",
        note=table.note,
        header=header,
        rows=rows,
        totals=totals,
    )


def inline_svg(svg: str) -> SafeString:
    """An SVG document as an element to put inline into the HTML (declarations removed).

    The SVG comes from :mod:`lotse.reports.charts`, which builds it from the table's labels
    and escapes them."""
    match = _SVG_START.search(svg)
    return mark_safe(svg[match.start() :] if match else "")  # noqa: S308 - our own charts


def _chart(table: Table, number: int) -> str | None:
    from . import charts

    if table.chart == "none":
        return None
    # The charts serialise through ElementTree's global namespace registry, where they make
    # SVG the default namespace on import. WeasyPrint's metadata module, imported with the
    # first PDF of a process, registers its own default ('' for ''), after which every chart
    # came out as <ns0:svg …>, which no renderer draws. Registering again costs nothing.
    ET.register_namespace("", charts.SVG_NS)
    return charts.chart_svg(table, number=number)


@dataclass
class _Numbers:
    tables: int = 0
    charts: int = 0


def _items(sections: list[Section], numbers: _Numbers) -> list[TableView | ChartView]:
    items: list[TableView | ChartView] = []
    for section in sections:
        for table in section.tables:
            svg = inline_svg(_chart(table, numbers.charts + 1) or "")
            if svg:
                numbers.charts += 1
                caption = committee.DOCUMENT["figure"] % {"number": numbers.charts}
                items.append(ChartView(numbers.charts, f"{caption}: {table.title}", svg))
            numbers.tables += 1
            items.append(table_view(table, numbers.tables))
    return items


def annex_blocks(report: CommitteeReport, figures: Figures) -> list[AnnexBlock]:
    """The Anlage: per section of the report its narrative and the figures it takes; figure
    sections no section takes follow under "Weitere Kennzahlen"."""
    by_key = {section.key: section for section in figures.sections}
    used: set[str] = set()
    numbers = _Numbers()
    blocks: list[AnnexBlock] = []
    for number, section in enumerate(report.sections or [], start=1):
        keys = committee.figure_keys(str(section.get("key", "")))
        taken = [by_key[key] for key in keys if key in by_key and key not in used]
        used.update(s.key for s in taken)
        text = str(section.get("annex") or "")
        if not taken and not text:
            continue
        blocks.append(
            AnnexBlock(number, str(section.get("heading", "")), text, _items(taken, numbers))
        )
    rest = [section for section in figures.sections if section.key not in used]
    if rest:
        blocks.append(
            AnnexBlock(None, committee.DOCUMENT["more_figures"], "", _items(rest, numbers))
        )
    return blocks


def _day(value: date | None) -> str:
    return date_format(value, "d.m.Y") if value else ""


def _sessions(report: CommitteeReport) -> list[SessionLine]:
    lines = []
    for session in report.sessions or []:
        raw = str(session.get("date") or "")
        try:
            shown = _day(date.fromisoformat(raw)) if raw else ""
        except ValueError:
            shown = raw
        lines.append(
            SessionLine(shown, str(session.get("committee", "")), str(session.get("quality", "")))
        )
    return lines


def pdf_context(report: CommitteeReport, figures: Figures) -> dict[str, Any]:
    labels = committee.labels(report.label_style)
    document = committee.DOCUMENT
    reference = report.reference.strip()
    attachments = [str(item) for item in report.attachments or []]
    annex_name = attachments[0] if attachments else document["annex_title"]
    return {
        "report": report,
        "labels": labels,
        "doc": document,
        "council_style": report.label_style == CommitteeReport.LabelStyle.COUNCIL_SYSTEM,
        "draft": report.state == CommitteeReport.State.DRAFT,
        "date": _day(report.report_date),
        "reference": reference,
        "footer_reference": f"{labels['reference_short']} {reference}" if reference else "",
        "sessions": _sessions(report),
        "sections": [
            {"number": n, "heading": s.get("heading", ""), "text": s.get("text", "")}
            for n, s in enumerate(report.sections or [], start=1)
        ],
        "attachments": attachments,
        "annex_heading": (
            document["annex_of"]
            % {"number": 1, "reference": f"{labels['reference_short']} {reference}"}
            if reference
            else document["annex_of_unnumbered"] % {"number": 1}
        ),
        "annex_name": annex_name,
        "period": f"{_day(figures.period.start)} – {_day(figures.period.end)}",
        "previous": f"{_day(figures.previous.start)} – {_day(figures.previous.end)}",
        "area": committee.area_text(figures.district),
        "blocks": annex_blocks(report, figures),
        "source": document["source"] % {"date": _day(figures.as_of)},
        "disclaimer": figures.disclaimer(),
    }


def render_report_pdf(report: CommitteeReport, figures: Figures) -> bytes:
    """The report with its Anlage as PDF bytes, in German."""
    with translation.override(committee.DOCUMENT_LANGUAGE):
        return render_pdf(TEMPLATE, pdf_context(report, figures), base_url=TEMPLATE_DIR)


def pdf_filename(report: CommitteeReport, suffix: str = "pdf") -> str:
    """``VO_0513_20.pdf`` from the paper number, else ``sachstandsbericht-<id>.pdf``."""
    reference = re.sub(r"[^A-Za-z0-9]+", "_", report.reference).strip("_")
    stem = reference or f"sachstandsbericht-{report.pk}"
    return f"{stem}.{suffix}"
