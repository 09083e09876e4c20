"""Filters for published tables: an entry as text, a change with its sign."""

from __future__ import annotations

from decimal import Decimal

from django import template
from django.utils.formats import number_format

from lotse.reports.tables import Entry, Row, Table

register = template.Library()


@register.filter
def entry_text(entry: Entry | None, k: int) -> str:
    return entry.text(int(k)) if entry is not None else "–"


@register.filter
def change(table: Table, row: Row) -> int | Decimal | None:
    return table.change(row)


@register.filter
def signed(value: int | Decimal) -> str:
    text = number_format(value, force_grouping=True)
    return f"+{text}" if value > 0 else text
