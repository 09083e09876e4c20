"""Server-rendered SVG charts of the published tables.

A chart draws only what its table publishes: the SHOWN entries. Where rows are withheld and
the column total is shown, the rest (total − shown entries) is derivable from the table
anyway, so it becomes one bar "Other or not shown"; otherwise the withheld rows are left out
and a note says how many values are not shown. A withheld value is never drawn.

Rendering uses matplotlib's object API with the SVG canvas only (no pyplot, no global figure
manager). The settings the SVG backend reads from the global ``rcParams`` (text as text, a
fixed hash salt for deterministic ids) are set in an ``rc_context`` held under a lock, so
concurrent requests cannot see each other's settings. The layout is computed here in px
(one axes over the whole figure, no axis, tick or legend artist): ~15–45 ms a chart.

The SVG is meant to be inlined in a page under a strict Content-Security-Policy
(``style-src 'self'``): matplotlib's ``style`` attributes and ``<style>`` element are turned
into presentation attributes, and every id is prefixed with the table's key so that several
charts on one page do not collide.
"""

from __future__ import annotations

import io
import re
import textwrap
import threading
import xml.etree.ElementTree as ET
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any, Literal

import matplotlib as mpl
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from matplotlib.backends.backend_svg import FigureCanvasSVG
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle

from .suppression import State
from .tables import Entry, Table

if TYPE_CHECKING:
    from matplotlib.typing import RcKeyType

__all__ = ["chart_svg", "chart_text"]

#: The KERN dark blue for the period, a teal grey for the year before (3.8:1 on white and
#: 3:1 against the dark blue), then further colours of at least 3:1 on white.
COLOURS = ("#0B3B66", "#5B8A94", "#A35200", "#7A5C99", "#8A6A00", "#5E6B7D")
TEXT_COLOUR = "#131525"
MUTED_COLOUR = "#4A4F5C"
BACKGROUND = "#FFFFFF"
FONT_FAMILY = "'Fira Sans', 'DejaVu Sans', sans-serif"

WIDTH = 640
FONT_SIZE = 12.0
LABEL_SIZE = 11.0
NOTE_SIZE = 11.0
#: The distance of two lines of a label in px.
LINE = 15.0
#: Average advance of a character in em, generous for DejaVu Sans; Fira Sans is narrower.
CHAR_EM = 0.6

#: Units whose entries add up to the column total (a remainder of a ratio means nothing).
ADDITIVE_UNITS = frozenset({"count", "fte"})

SVG_NS = "http://www.w3.org/2000/svg"
XLINK_NS = "http://www.w3.org/1999/xlink"
ET.register_namespace("", SVG_NS)
ET.register_namespace("xlink", XLINK_NS)

_METADATA: dict[str, str | None] = {"Date": None, "Creator": None, "Format": None, "Type": None}
_RC: dict[RcKeyType, Any] = {
    "svg.fonttype": "none",
    "svg.id": None,
    "font.family": ["DejaVu Sans"],
    "font.size": FONT_SIZE,
    "text.parse_math": False,
    "text.color": TEXT_COLOUR,
    "path.simplify": False,
}
_LOCK = threading.Lock()
_REFERENCE = re.compile(r"url\(#([^)]+)\)")


# --- what a chart shows -----------------------------------------------------------------------


@dataclass(frozen=True)
class _Category:
    """One bar group: a table row, or the derived "Other or not shown"."""

    code: str
    label: str
    #: One per series; ``None`` where nothing is known (no derivable rest).
    entries: tuple[Entry | None, ...]
    other: bool = False


@dataclass(frozen=True)
class _Plan:
    series: tuple[str, ...]
    categories: tuple[_Category, ...]
    withheld: int
    other: bool


def _is_withheld(entry: Entry) -> bool:
    return entry.state != State.SHOWN


def _plan(table: Table) -> _Plan:
    """The series and bar groups a chart of ``table`` shows; shared by the SVG and its text."""
    n = len(table.columns)
    rows = [row for row in table.rows if len(row.entries) == n]
    categories = [
        _Category(row.code, row.label, row.entries)
        for row in rows
        if any(entry.shown for entry in row.entries)
    ]
    withheld = sum(1 for row in rows for entry in row.entries if _is_withheld(entry))
    other = False
    totals = table.column_totals
    if withheld and totals is not None and len(totals) == n and table.unit in ADDITIVE_UNITS:
        rests: list[Entry | None] = []
        for column, total in enumerate(totals):
            rest: Entry | None = None
            if total.shown and total.value is not None:
                shown: int | Decimal = sum(
                    (row.entries[column].value or 0 for row in rows if row.entries[column].shown),
                    start=0,
                )
                remainder = total.value - shown
                if remainder >= 0:
                    rest = Entry(remainder)
                    other = other or any(_is_withheld(row.entries[column]) for row in rows)
            rests.append(rest)
        if other:
            categories.append(_Category("other", _("Other or not shown"), tuple(rests), True))
    return _Plan(
        series=tuple(column.label for column in table.columns),
        categories=tuple(categories),
        withheld=withheld,
        other=other,
    )


def _notes(plan: _Plan) -> list[str]:
    notes = []
    if plan.withheld:
        notes.append(
            ngettext("%(n)s value not shown.", "%(n)s values not shown.", plan.withheld)
            % {"n": plan.withheld}
        )
    if plan.other:
        notes.append(_("“Other or not shown” is the total minus the values shown."))
    return notes


def chart_text(table: Table) -> str:
    """The text alternative of the chart: one sentence per shown row, then what is withheld."""
    plan = _plan(table)
    sentences = [_sentence(table, plan, category) for category in plan.categories]
    return " ".join(sentences + _notes(plan))


def _sentence(table: Table, plan: _Plan, category: _Category) -> str:
    def text(entry: Entry | None) -> str:
        if entry is None:
            return _("not shown")
        return entry.text(table.k)

    entries = category.entries
    if table.compare and len(entries) == 2:
        current, previous = entries
        return _("%(label)s: %(value)s (previous year %(previous)s).") % {
            "label": category.label,
            "value": text(current),
            "previous": text(previous),
        }
    if len(entries) == 1:
        return _("%(label)s: %(value)s.") % {"label": category.label, "value": text(entries[0])}
    values = ", ".join(
        _("%(column)s %(value)s") % {"column": column, "value": text(entry)}
        for column, entry in zip(plan.series, entries, strict=True)
    )
    return _("%(label)s: %(values)s.") % {"label": category.label, "values": values}


# --- drawing ----------------------------------------------------------------------------------


def chart_svg(table: Table, *, number: int | None = None) -> str | None:
    """The chart of ``table`` as inline SVG; ``None`` without a chart or a value to draw.

    ``number`` makes the accessible name "Figure n: title".
    """
    if table.chart == "none" or not table.columns:
        return None
    plan = _plan(table)
    if not any(entry is not None and entry.shown for c in plan.categories for entry in c.entries):
        return None
    title = table.title
    if number is not None:
        title = _("Figure %(n)s: %(title)s") % {"n": number, "title": table.title}
    prefix = "chart-" + (re.sub(r"[^A-Za-z0-9_-]+", "-", table.key).strip("-") or "table")
    with _LOCK, mpl.rc_context({**_RC, "svg.hashsalt": prefix}):
        figure = _draw(table, plan, prefix, kind="columns" if table.chart == "columns" else "bar")
        buffer = io.StringIO()
        figure.savefig(buffer, format="svg", metadata=_METADATA, facecolor=BACKGROUND)
    return _finish(buffer.getvalue(), prefix, title=title, desc=chart_text(table))


def _width(text: str, size: float) -> float:
    """An estimate of the rendered width of ``text`` in px (longest line)."""
    return max((len(line) for line in text.split("\n")), default=0) * size * CHAR_EM


def _wrap(label: str, chars: int) -> list[str]:
    return textwrap.wrap(label, max(chars, 4), break_long_words=False) or [label]


@dataclass(frozen=True)
class _Bar:
    category: int
    series: int
    entry: Entry | None

    @property
    def length(self) -> float | None:
        """The value the bar stands for; ``None`` where no bar is drawn."""
        entry = self.entry
        if entry is None or not entry.shown or entry.value is None:
            return None
        return float(entry.value)


def _bars(plan: _Plan) -> list[_Bar]:
    return [
        _Bar(c, s, entry)
        for c, category in enumerate(plan.categories)
        for s, entry in enumerate(category.entries)
    ]


def _mark(table: Table, entry: Entry | None) -> str:
    """The label of a bar, or what stands in for one not drawn: "< k", "•" or "–".

    Empty where nothing is known (the rest of a column whose total is withheld).
    """
    return "" if entry is None else entry.text(table.k)


class _Canvas:
    """A figure whose data coordinates are px from the top left corner.

    One axes over the whole figure and no axis, tick or legend artist: the layout is
    computed here, which is simpler to keep readable and much faster than matplotlib's.
    """

    def __init__(self, height: float, prefix: str) -> None:
        self.height = height
        self.prefix = prefix
        self.figure = Figure(figsize=(WIDTH / 72, height / 72), dpi=72)
        FigureCanvasSVG(self.figure)
        self.axes = self.figure.add_axes((0, 0, 1, 1))
        self.axes.set_axis_off()
        self.axes.set_xlim(0, WIDTH)
        self.axes.set_ylim(height, 0)

    def rect(
        self, x: float, y: float, width: float, height: float, colour: str, gid: str | None = None
    ) -> None:
        self.axes.add_artist(  # not add_patch: the limits are fixed, nothing to update
            Rectangle(
                (x, y),
                width,
                height,
                facecolor=colour,
                edgecolor="none",
                gid=None if gid is None else f"{self.prefix}-{gid}",
                clip_on=False,
            )
        )

    def text(
        self,
        x: float,
        y: float,
        text: str,
        *,
        size: float = FONT_SIZE,
        colour: str = TEXT_COLOUR,
        ha: Literal["left", "center", "right"] = "left",
        va: Literal["top", "center", "bottom", "baseline"] = "center",
        rotation: float = 0,
    ) -> None:
        self.axes.text(
            x,
            y,
            text,
            fontsize=size,
            color=colour,
            ha=ha,
            va=va,
            rotation=rotation,
            rotation_mode="anchor",
            clip_on=False,
        )


def _colour(series: int) -> str:
    return COLOURS[series % len(COLOURS)]


def _legend_layout(plan: _Plan) -> list[tuple[float, float, str]]:
    """(x, y, label) of each legend entry from the top left corner; none for one series."""
    if len(plan.series) < 2:
        return []
    widths = [_width(label, LABEL_SIZE) + 18 + 24 for label in plan.series]
    if sum(widths) <= WIDTH - 16:
        starts = [8 + sum(widths[:s]) for s in range(len(widths))]
        return [(x, 0.0, label) for x, label in zip(starts, plan.series, strict=True)]
    return [(8.0, s * 20.0, label) for s, label in enumerate(plan.series)]


def _legend_height(plan: _Plan) -> float:
    layout = _legend_layout(plan)
    return max(y for _x, y, _label in layout) + 20 + 10 if layout else 0.0


def _legend(canvas: _Canvas, plan: _Plan, top: float) -> None:
    for series, (x, y, label) in enumerate(_legend_layout(plan)):
        canvas.rect(x, top + y + 1, 12, 12, _colour(series))
        canvas.text(x + 18, top + y + 7, label, size=LABEL_SIZE)


def _note_lines(plan: _Plan) -> list[str]:
    chars = int((WIDTH - 16) / (NOTE_SIZE * CHAR_EM))
    return [line for note in _notes(plan) for line in textwrap.wrap(note, chars)]


def _note(canvas: _Canvas, lines: list[str], top: float) -> None:
    for number, line in enumerate(lines):
        canvas.text(8, top + number * LINE, line, size=NOTE_SIZE, colour=MUTED_COLOUR, va="top")


def _scale(bars: Sequence[_Bar], room: float, extent: float) -> float:
    """px per unit, leaving ``room`` px beside the longest bar for its label."""
    top = max((bar.length or 0.0 for bar in bars), default=0.0) or 1.0
    return max(extent - room, extent * 2 / 3) / top


def _draw(table: Table, plan: _Plan, prefix: str, *, kind: Literal["bar", "columns"]) -> Figure:
    if kind == "columns":
        return _draw_columns(table, plan, prefix)
    return _draw_bars(table, plan, prefix)


def _draw_bars(table: Table, plan: _Plan, prefix: str) -> Figure:
    """Horizontal bars, one group per category, the labels on the left."""
    n_series = len(plan.series)
    bar = 18.0 if n_series > 1 else 22.0
    gap = 10.0
    labels = [_wrap(c.label, int(WIDTH * 0.34 / (FONT_SIZE * CHAR_EM))) for c in plan.categories]
    bands = [max(n_series * bar, len(lines) * LINE) + gap for lines in labels]
    notes = _note_lines(plan)
    top = 8 + _legend_height(plan)
    plot = sum(bands)
    height = top + plot + 8 + (len(notes) * LINE + 10 if notes else 0)
    widest = max(_width(line, FONT_SIZE) for lines in labels for line in lines)
    left = min(widest + 14, WIDTH * 0.4)
    extent = WIDTH - left - 8
    bars = _bars(plan)
    texts = [_mark(table, item.entry) for item in bars]
    scale = _scale(bars, max(_width(text, LABEL_SIZE) for text in texts) + 10, extent)

    canvas = _Canvas(height, prefix)
    _legend(canvas, plan, 8)
    centres = [top + sum(bands[:c]) + bands[c] / 2 for c in range(len(bands))]
    for lines, centre in zip(labels, centres, strict=True):
        for number, line in enumerate(lines):
            y = centre + (number - (len(lines) - 1) / 2) * LINE
            canvas.text(left - 8, y, line, ha="right")
    for item, text in zip(bars, texts, strict=True):
        if not text:
            continue
        y = centres[item.category] + (item.series - (n_series - 1) / 2) * bar
        length = item.length
        if length is not None:
            gid = f"bar-{item.category}-{item.series}"
            canvas.rect(left, y - (bar - 2) / 2, length * scale, bar - 2, _colour(item.series), gid)
        colour = MUTED_COLOUR if length is None else TEXT_COLOUR
        canvas.text(left + (length or 0) * scale + 4, y, text, size=LABEL_SIZE, colour=colour)
    canvas.rect(left - 1, top, 1, plot, MUTED_COLOUR)
    _note(canvas, notes, top + plot + 12)
    return canvas.figure


def _draw_columns(table: Table, plan: _Plan, prefix: str) -> Figure:
    """Vertical columns, one group per category, the labels below (slanted if they must)."""
    n_series = len(plan.series)
    n_categories = len(plan.categories)
    left = 12.0
    band = (WIDTH - left - 12) / n_categories
    chars = int(band / (FONT_SIZE * CHAR_EM))
    rotate = any(len(word) > chars for c in plan.categories for word in c.label.split())
    if rotate:
        # Labels at 40° reach down to the left of their category: room for the first ones.
        labels = [[category.label] for category in plan.categories]
        widths = [_width(category.label, FONT_SIZE) for category in plan.categories]
        reach = [w * 0.77 - band * (c + 0.5) for c, w in enumerate(widths)]
        left = min(max(left, max(reach) + 8), WIDTH * 0.3)
        band = (WIDTH - left - 12) / n_categories
        label_height = min(max(widths) * 0.65 + 16, 180)
    else:
        labels = [_wrap(category.label, chars) for category in plan.categories]
        label_height = max(len(lines) for lines in labels) * LINE + 10
    bar = min(44.0, (band - 12) / n_series)
    notes = _note_lines(plan)
    top = 8 + _legend_height(plan)
    plot = 220.0
    baseline = top + plot
    height = baseline + label_height + 8 + (len(notes) * LINE + 10 if notes else 0)
    bars = _bars(plan)
    texts = [_mark(table, item.entry) for item in bars]
    widest = max(_width(text, LABEL_SIZE) for text in texts)
    upright = widest > bar + 4
    scale = _scale(bars, (widest if upright else LABEL_SIZE) + 8, plot)

    canvas = _Canvas(height, prefix)
    _legend(canvas, plan, 8)
    centres = [left + band * (c + 0.5) for c in range(n_categories)]
    for lines, centre in zip(labels, centres, strict=True):
        for number, line in enumerate(lines):
            y = baseline + 6 + number * LINE
            if rotate:
                canvas.text(centre, y, line, ha="right", va="top", rotation=40)
            else:
                canvas.text(centre, y, line, ha="center", va="top")
    for item, text in zip(bars, texts, strict=True):
        if not text:
            continue
        x = centres[item.category] + (item.series - (n_series - 1) / 2) * bar
        length = item.length
        size = (length or 0) * scale
        if length is not None:
            gid = f"bar-{item.category}-{item.series}"
            canvas.rect(
                x - (bar - 2) / 2, baseline - size, bar - 2, size, _colour(item.series), gid
            )
        colour = MUTED_COLOUR if length is None else TEXT_COLOUR
        if upright:
            canvas.text(x, baseline - size - 3, text, size=LABEL_SIZE, colour=colour, rotation=90)
        else:
            y = baseline - size - 3
            canvas.text(x, y, text, size=LABEL_SIZE, colour=colour, ha="center", va="bottom")
    canvas.rect(left, baseline, WIDTH - left - 12, 1, MUTED_COLOUR)
    _note(canvas, notes, baseline + label_height + 8)
    return canvas.figure


# --- the SVG for a page -----------------------------------------------------------------------


def _q(name: str, namespace: str = SVG_NS) -> str:
    return f"{{{namespace}}}{name}"


def _finish(svg: str, prefix: str, *, title: str, desc: str) -> str:
    """Inline SVG: no prologue, presentation attributes, unique ids, title and desc."""
    root = ET.fromstring(svg)  # noqa: S314  # our own output, not untrusted input
    href = _q("href", XLINK_NS)
    for parent in list(root.iter()):
        for child in list(parent):
            if child.tag in (_q("metadata"), _q("style")):
                parent.remove(child)
    referenced: set[str] = set()
    for element in root.iter():
        for name, value in element.attrib.items():
            referenced.update(_REFERENCE.findall(value))
            if name in (href, "href") and value.startswith("#"):
                referenced.add(value[1:])

    def reference(value: str) -> str:
        return _REFERENCE.sub(lambda m: f"url(#{prefix}-{m.group(1)})", value)

    for element in root.iter():
        style = element.attrib.pop("style", None)
        if style:
            for declaration in style.split(";"):
                name, _colon, value = declaration.partition(":")
                if name.strip() and value.strip():
                    element.set(name.strip(), value.strip())
        if "font-family" in element.attrib:
            element.set("font-family", FONT_FAMILY)
        ident = element.attrib.pop("id", None)
        if ident is not None and (ident in referenced or ident.startswith(prefix)):
            element.set("id", ident if ident.startswith(prefix) else f"{prefix}-{ident}")
        for name, value in element.attrib.items():
            if "url(#" in value:
                element.set(name, reference(value))
            elif name in (href, "href") and value.startswith("#"):
                element.set(name, f"#{prefix}-{value[1:]}")
    for defs in root.findall(_q("defs")):
        if len(defs) == 0:
            root.remove(defs)

    _x, _y, width, height = root.attrib["viewBox"].split()
    for name in ("version", "width", "height"):
        root.attrib.pop(name, None)
    root.set("width", width)
    root.set("height", height)
    root.set("class", "lotse-chart")
    root.set("role", "img")
    root.set("aria-labelledby", f"{prefix}-title")
    root.set("aria-describedby", f"{prefix}-desc")
    root.set("stroke-linejoin", "round")
    root.set("stroke-linecap", "butt")
    title_element = ET.Element(_q("title"), {"id": f"{prefix}-title"})
    title_element.text = title
    desc_element = ET.Element(_q("desc"), {"id": f"{prefix}-desc"})
    desc_element.text = desc
    root.insert(0, desc_element)
    root.insert(0, title_element)
    # ElementTree's namespace registry is global, and WeasyPrint changes it on its first PDF
    # (every later chart came out as <ns0:svg>, which nothing draws): set it on every chart.
    ET.register_namespace("", SVG_NS)
    return ET.tostring(root, encoding="unicode")
