"""What leaves the aggregate face: published tables, already suppressed.

A :class:`Table` holds no raw count of a withheld cell — ``Entry.value`` is ``None`` there —
so charts, exports, the API and the committee report cannot reveal what the face withheld,
whatever they do with a table. Only :mod:`lotse.reports.aggregates` builds tables.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any, Literal

from django.utils.formats import date_format, number_format
from django.utils.translation import gettext as _

from .suppression import State

Unit = Literal["count", "fte", "ratio", "days"]
ChartKind = Literal["bar", "columns", "none"]

#: Shown for a secondary suppression: withheld so that a small cell cannot be computed.
SECONDARY_MARK = "•"


@dataclass(frozen=True)
class Entry:
    """One published number; ``value`` is ``None`` when it is withheld."""

    value: int | Decimal | None
    state: State = State.SHOWN

    @property
    def shown(self) -> bool:
        return self.state == State.SHOWN and self.value is not None

    def text(self, k: int) -> str:
        """As a table cell shows it: the number, "< k" or the mark of a secondary suppression."""
        if self.state == State.PRIMARY:
            return f"< {k}"
        if self.state == State.SECONDARY:
            return SECONDARY_MARK
        if self.value is None:
            return "–"
        if isinstance(self.value, Decimal):
            return number_format(self.value, decimal_pos=2 if self.value % 1 else 0)
        return number_format(self.value, force_grouping=True)

    def as_json(self) -> dict[str, Any]:
        value: Any = self.value
        if isinstance(value, Decimal):
            value = float(value)
        return {"value": value if self.state == State.SHOWN else None, "state": str(self.state)}


@dataclass(frozen=True)
class Column:
    code: str
    label: str


@dataclass(frozen=True)
class Row:
    code: str
    label: str
    entries: tuple[Entry, ...]
    total: Entry | None = None


@dataclass(frozen=True)
class Table:
    """A published table of at most two dimensions: rows × columns.

    With ``compare`` the two columns are the period and the same period one year earlier
    (``Column.code`` "current" and "previous"); ``change`` then gives the difference only where
    both sides are shown, so a difference never reveals a withheld cell.
    """

    key: str
    title: str
    row_heading: str
    columns: tuple[Column, ...]
    rows: tuple[Row, ...]
    column_totals: tuple[Entry, ...] | None = None
    grand_total: Entry | None = None
    unit: Unit = "count"
    k: int = 5
    compare: bool = False
    chart: ChartKind = "bar"
    #: What the numbers count ("persons", "families", "cases", "contacts" …), said in the title.
    note: str = ""
    #: The published entries with their periods and categories, as the audit across
    #: reports reads them (:mod:`~lotse.reports.release_audit`; JSON, published values
    #: only); ``None`` for tables of no count.
    form: Mapping[str, Any] | None = field(default=None, compare=False, hash=False, repr=False)

    @property
    def has_row_totals(self) -> bool:
        return any(row.total is not None for row in self.rows)

    def change(self, row: Row) -> int | Decimal | None:
        if not self.compare or len(row.entries) != 2:
            return None
        current, previous = row.entries
        if (
            current.value is None
            or previous.value is None
            or not (current.shown and previous.shown)
        ):
            return None
        return current.value - previous.value

    def withheld(self) -> int:
        """How many entries are withheld (primary or secondary)."""
        return sum(1 for entry in self.entries() if entry.state != State.SHOWN)

    def entries(self) -> Iterator[Entry]:
        for row in self.rows:
            yield from row.entries
            if row.total is not None:
                yield row.total
        yield from self.column_totals or ()
        if self.grand_total is not None:
            yield self.grand_total

    def as_json(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "title": self.title,
            "unit": self.unit,
            "columns": [{"code": c.code, "label": c.label} for c in self.columns],
            "rows": [
                {
                    "code": row.code,
                    "label": row.label,
                    "entries": [entry.as_json() for entry in row.entries],
                    "total": row.total.as_json() if row.total else None,
                }
                for row in self.rows
            ],
            "column_totals": [e.as_json() for e in self.column_totals]
            if self.column_totals
            else None,
            "grand_total": self.grand_total.as_json() if self.grand_total else None,
        }


@dataclass(frozen=True)
class Period:
    start: date
    end: date

    def label(self) -> str:
        return f"{date_format(self.start, 'SHORT_DATE_FORMAT')} – " + date_format(
            self.end, "SHORT_DATE_FORMAT"
        )


@dataclass(frozen=True)
class Section:
    """A group of tables under one heading (capacity, volume, …)."""

    key: str
    heading: str
    tables: tuple[Table, ...]


@dataclass(frozen=True)
class Figures:
    """Everything one figure request published."""

    period: Period
    previous: Period
    district: str
    district_label: str
    scope_label: str
    k: int
    as_of: date
    sections: tuple[Section, ...] = field(default=())

    def tables(self) -> Iterator[Table]:
        for section in self.sections:
            yield from section.tables

    def table(self, key: str) -> Table:
        for table in self.tables():
            if table.key == key:
                return table
        raise KeyError(key)

    def disclaimer(self) -> str:
        return _("Aggregated, anonymised data; values below %(k)s are not shown.") % {"k": self.k}

    def source(self) -> str:
        return _("Source: Lotse, as of %(date)s") % {
            "date": date_format(self.as_of, "SHORT_DATE_FORMAT")
        }

    def as_json(self) -> dict[str, Any]:
        return {
            "period": {"from": self.period.start.isoformat(), "to": self.period.end.isoformat()},
            "previous": {
                "from": self.previous.start.isoformat(),
                "to": self.previous.end.isoformat(),
            },
            "district": self.district or None,
            "minimum_cell_size": self.k,
            "as_of": self.as_of.isoformat(),
            "note": self.disclaimer(),
            "sections": [
                {
                    "key": s.key,
                    "heading": s.heading,
                    "tables": [t.as_json() for t in s.tables],
                }
                for s in self.sections
            ],
        }


# --- a released report's figures, frozen -------------------------------------------------------


def _value_json(value: int | Decimal | None) -> int | str | None:
    return str(value) if isinstance(value, Decimal) else value


def _value(data: int | str | None) -> int | Decimal | None:
    return Decimal(data) if isinstance(data, str) else data


def _entry_json(entry: Entry | None) -> list[Any] | None:
    if entry is None:
        return None
    return [_value_json(entry.value if entry.state == State.SHOWN else None), str(entry.state)]


def _entry(data: list[Any] | None) -> Entry | None:
    if data is None:
        return None
    return Entry(_value(data[0]), State(data[1]))


def figures_snapshot(figures: Figures) -> dict[str, Any]:
    """``figures`` as JSON, losslessly (decimals as strings); withheld entries carry no value."""

    def table(each: Table) -> dict[str, Any]:
        return {
            "key": each.key,
            "title": each.title,
            "row_heading": each.row_heading,
            "columns": [[c.code, c.label] for c in each.columns],
            "rows": [
                [row.code, row.label, [_entry_json(e) for e in row.entries], _entry_json(row.total)]
                for row in each.rows
            ],
            "column_totals": [_entry_json(e) for e in each.column_totals]
            if each.column_totals is not None
            else None,
            "grand_total": _entry_json(each.grand_total),
            "unit": each.unit,
            "k": each.k,
            "compare": each.compare,
            "chart": each.chart,
            "note": each.note,
            "form": dict(each.form) if each.form is not None else None,
        }

    return {
        "period": [figures.period.start.isoformat(), figures.period.end.isoformat()],
        "previous": [figures.previous.start.isoformat(), figures.previous.end.isoformat()],
        "district": figures.district,
        "district_label": figures.district_label,
        "scope_label": figures.scope_label,
        "k": figures.k,
        "as_of": figures.as_of.isoformat(),
        "sections": [
            {"key": s.key, "heading": s.heading, "tables": [table(t) for t in s.tables]}
            for s in figures.sections
        ],
    }


def figures_from_snapshot(data: Mapping[str, Any]) -> Figures:
    """The :class:`Figures` a :func:`figures_snapshot` was taken of."""

    def table(each: Mapping[str, Any]) -> Table:
        totals = each["column_totals"]
        return Table(
            key=each["key"],
            title=each["title"],
            row_heading=each["row_heading"],
            columns=tuple(Column(code, label) for code, label in each["columns"]),
            rows=tuple(
                Row(
                    code,
                    label,
                    tuple(e for e in (_entry(x) for x in entries) if e is not None),
                    _entry(total),
                )
                for code, label, entries, total in each["rows"]
            ),
            column_totals=tuple(e for e in (_entry(x) for x in totals) if e is not None)
            if totals is not None
            else None,
            grand_total=_entry(each["grand_total"]),
            unit=each["unit"],
            k=each["k"],
            compare=each["compare"],
            chart=each["chart"],
            note=each["note"],
            form=each["form"],
        )

    def day(text: str) -> date:
        return date.fromisoformat(text)

    return Figures(
        period=Period(day(data["period"][0]), day(data["period"][1])),
        previous=Period(day(data["previous"][0]), day(data["previous"][1])),
        district=data["district"],
        district_label=data["district_label"],
        scope_label=data["scope_label"],
        k=data["k"],
        as_of=day(data["as_of"]),
        sections=tuple(
            Section(s["key"], s["heading"], tuple(table(t) for t in s["tables"]))
            for s in data["sections"]
        ),
    )
