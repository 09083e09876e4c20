"""Stale edits on the directory's forms (optimistic locking, ``core.models.StaleEditError``):
what someone else saved meanwhile, field by field, beside what the user typed — for the table
``directory/_stale_edit.html`` — and the posted data re-based on the current version, so that
saving again overwrites knowingly.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date
from typing import Any

from django import forms
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.http import QueryDict
from django.utils.translation import gettext as _

from lotse.core.models import StaleEditError

#: One line of the table: the field's label, the current value, the user's entry (in words).
ConflictRow = dict[str, str]
#: A field compared in its own way: (current record, the user's cleaned data) → its line, or
#: None to leave the field out.
SpecialRow = Callable[[Any, Mapping[str, Any]], ConflictRow | None]


def shown(form: forms.Form, name: str, value: Any) -> str:
    """A value of the form's field ``name`` in words: choices by label, dates as dates."""
    if value in (None, "", []):
        return "—"
    if isinstance(value, bool):
        return str(_("yes") if value else _("no"))
    field = form.fields.get(name)
    choices = dict(getattr(field, "choices", []) or [])
    if isinstance(value, list | tuple):
        return ", ".join(str(choices.get(v, v)) for v in value)
    if isinstance(value, date):
        return value.strftime("%d.%m.%Y")
    return str(choices.get(value, value))


def conflict_rows(
    form: forms.Form,
    stale: StaleEditError,
    *,
    special: Mapping[str, SpecialRow] | None = None,
) -> list[ConflictRow]:
    """The fields that differ now, theirs beside the user's entry in ``form`` (validated).

    Fields the form does not show are left out unless ``special`` says how to show them."""
    current = stale.current
    mine = form.cleaned_data
    rows: list[ConflictRow] = []
    for name in stale.changed_fields:
        if special and name in special:
            row = special[name](current, mine)
            if row is not None:
                rows.append(row)
            continue
        if name not in form.fields:
            continue
        rows.append(
            {
                "field": str(form.fields[name].label),
                "current": shown(form, name, getattr(current, name)),
                "yours": shown(form, name, mine.get(name)),
            }
        )
    return rows


def rebased(data: QueryDict, stale: StaleEditError) -> QueryDict:
    """The posted ``data`` carrying the current version instead of the stale one."""
    copy = data.copy()
    copy["version"] = str(getattr(stale.current, "version", ""))
    return copy


def changed_labels(model: type[models.Model], stale: StaleEditError) -> str:
    """The changed fields by their verbose names, for a one-line message."""
    labels = []
    for name in stale.changed_fields:
        try:
            field = model._meta.get_field(name)
        except FieldDoesNotExist:
            labels.append(name)
            continue
        labels.append(str(getattr(field, "verbose_name", name)))
    return ", ".join(labels) or "—"
