"""Form helpers every page uses: parse, mark and summarise; no domain rules.

The fields turn every odd input into a message on the field, never a server error.
:class:`KernForm` gives the widgets the KERN-UX classes. The services refuse what the rules
forbid with a ``ValidationError`` naming the field; :func:`apply_service_errors` puts that
message back on the field, and :func:`error_summary` lists every error above the form, each
naming its field (and, in a formset, its row) and linked to it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.forms.formsets import DELETION_FIELD_NAME, BaseFormSet
from django.forms.utils import ErrorDict, ErrorList
from django.utils.functional import Promise
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from .dates import EARLIEST_YEAR, LATEST_YEAR

# --- fields --------------------------------------------------------------------------------------


class PlausibleDateField(forms.DateField):
    """A date between 1900 and 2200: year 1 would break time-zone arithmetic further on."""

    def validate(self, value: Any) -> None:
        super().validate(value)
        if isinstance(value, date) and not EARLIEST_YEAR <= value.year <= LATEST_YEAR:
            raise ValidationError(
                _("Give a date between %(first)s and %(last)s."),
                code="out_of_range",
                params={"first": EARLIEST_YEAR, "last": LATEST_YEAR},
            )


class SafeModelChoiceField(forms.ModelChoiceField):  # type: ignore[type-arg]
    """A choice by id that answers "not one of the choices" for ids no database can hold."""

    def to_python(self, value: Any) -> Any:
        try:
            return super().to_python(value)
        except OverflowError:
            raise ValidationError(
                self.error_messages["invalid_choice"], code="invalid_choice"
            ) from None


class SafeModelMultipleChoiceField(forms.ModelMultipleChoiceField):  # type: ignore[type-arg]
    def clean(self, value: Any) -> Any:
        try:
            return super().clean(value)
        except OverflowError:
            raise ValidationError(
                self.error_messages["invalid_choice"],
                code="invalid_choice",
                params={"value": "…"},
            ) from None


def date_input() -> forms.DateInput:
    """The browser's date picker; the value travels as ISO date."""
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


# --- KERN-UX classes and explained choices ------------------------------------------------------


class KernForm(forms.Form):
    """Gives every widget the KERN-UX classes, and the error variant to fields with errors."""

    _CLASSES = {
        "select": "kern-form-input__select",
        "checkbox": "kern-form-check__checkbox",
        "checkboxselectmultiple": "kern-form-check__checkbox",
        "radioselect": "kern-form-check__radio",
    }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            kind = field.widget.__class__.__name__.lower().removesuffix("input")
            if not isinstance(field.widget, forms.HiddenInput):
                field.widget.attrs["class"] = self._CLASSES.get(kind, "kern-form-input__input")

    def full_clean(self) -> None:
        super().full_clean()
        for name in self.errors:
            if name in self.fields:
                widget = self.fields[name].widget
                css = widget.attrs.get("class", "")
                if css and "--error" not in css:
                    widget.attrs["class"] = f"{css} {css.split()[0]}--error"


@dataclass(frozen=True)
class Choice:
    """One checkbox or radio button with its plain-language explanation."""

    widget: Any
    help: str


def explained_choices(
    field: forms.BoundField, explanations: Mapping[str, str | Promise]
) -> list[Choice]:
    """The field's checkboxes or radios, each with its explanation by value (for
    ``forms/_explained_choices.html``); a value without one gets an empty explanation."""
    return [
        Choice(widget, str(explanations.get(str(widget.data["value"]), "")))
        for widget in field.subwidgets
    ]


# --- service errors back on the fields -----------------------------------------------------------


def error_field(key: str | None) -> str | None:
    """The form field a service's error key names, ``None`` for the whole form.

    A key may point into a field: 'aliases[1]' and 'members[0].given_names' name the fields
    'aliases' and 'members'.
    """
    if not key or key == "__all__":
        return None
    return key.split("[", 1)[0].split(".", 1)[0]


def apply_service_errors(form: forms.Form, error: ValidationError) -> None:
    """Put a service's ValidationError on the fields it names, anything else on the form."""
    by_field = error.error_dict if hasattr(error, "error_dict") else {"__all__": error.error_list}
    for key, items in by_field.items():
        name = error_field(key)
        target = name if name in form.fields else None
        for item in items:
            form.add_error(target, item)


def suppress_errors(*forms_: forms.Form, formset: BaseFormSet[Any] | None = None) -> None:
    """Show bound forms without validating them (e.g. after "add a row": nothing was sent)."""
    all_forms: list[forms.Form] = [*forms_, *(formset.forms if formset is not None else [])]
    for form in all_forms:
        form._errors = ErrorDict()  # type: ignore[attr-defined]
    if formset is not None:
        formset._errors = [ErrorDict() for _ in formset.forms]  # type: ignore[attr-defined]
        formset._non_form_errors = ErrorList()  # type: ignore[attr-defined]


def row_deleted(form: forms.Form) -> bool:
    """Whether a formset row was ticked to be left out (False before it is validated)."""
    return bool(getattr(form, "cleaned_data", {}).get(DELETION_FIELD_NAME))


# --- the error summary above the form ------------------------------------------------------------


@dataclass(frozen=True)
class SummaryItem:
    anchor: str
    text: str


@dataclass(frozen=True)
class RowTexts:
    """How the summary names a formset row, in the words of the page.

    ``field``: an error of one field, with ``%(row)s``, ``%(field)s`` and ``%(message)s``;
    ``plain``: an error of the whole row, with ``%(row)s`` and ``%(message)s``.
    """

    field: str | Promise
    plain: str | Promise


def error_summary(
    *forms_: forms.Form,
    formset: BaseFormSet[Any] | None = None,
    rows: RowTexts | None = None,
) -> list[SummaryItem]:
    """Every error of the page, each naming its field (and row), linked to the field.

    An error of a whole form links to the page's ``main``. With a ``formset``: its own errors
    link to its prefix, the rows (except those left out) follow, numbered from 1 and named with
    ``rows``; an error of a whole row links to the row's prefix, which the template gives the
    row's fieldset as id.
    """
    items: list[SummaryItem] = []
    for form in forms_:
        items.extend(_form_summary(form, row=None, rows=None))
    if formset is not None:
        for message in formset.non_form_errors():
            items.append(SummaryItem(formset.prefix or "main", str(message)))
        for number, form in enumerate(formset.forms, start=1):
            if not row_deleted(form):
                items.extend(_form_summary(form, row=number, rows=rows))
    return items


def _form_summary(form: forms.Form, *, row: int | None, rows: RowTexts | None) -> list[SummaryItem]:
    items: list[SummaryItem] = []
    if not form.is_bound or not form.errors:
        return items
    whole = (form.prefix or "main") if row is not None else "main"
    for name, messages in form.errors.items():
        bound = None
        if name == "__all__" or name not in form.fields:
            anchor, label = whole, ""
        else:
            bound = form[name]
            anchor, label = bound.auto_id or whole, str(bound.label or name)
        codes = [error.code for error in messages.as_data()]
        for index, message in enumerate(messages):
            if row is not None and rows is not None:
                text = (
                    str(rows.field) % {"row": row, "field": label, "message": message}
                    if label
                    else str(rows.plain) % {"row": row, "message": message}
                )
            elif label and bound is not None:
                code = codes[index] if index < len(codes) else None
                text = _field_sentence(bound, label, str(message), code)
            else:
                text = str(message)
            items.append(SummaryItem(anchor, text))
    return items


_CHOOSING = ("select", "radioselect", "checkboxselectmultiple", "selectmultiple")


def _field_sentence(bound: forms.BoundField, label: str, message: str, code: str | None) -> str:
    """One error of a field as a sentence that names the field.

    Django's bare "This field is required." becomes a request in the field's own words — "Please
    answer the question “Why …?”" — rather than "Why …?: This field is required."; a field's
    own message (e.g. "Enter the name.") follows its label.
    """
    if code == "required" and message == str(forms.Field.default_error_messages["required"]):
        if label.rstrip().endswith("?"):
            return gettext("Please answer the question “%(field)s”.") % {"field": label}
        if bound.widget_type in _CHOOSING:
            return gettext("Please choose an answer for “%(field)s”.") % {"field": label}
        return gettext("Please fill in “%(field)s”.") % {"field": label}
    if label.rstrip().endswith(("?", ":")):
        return gettext("%(field)s %(message)s") % {"field": label, "message": message}
    return gettext("%(field)s: %(message)s") % {"field": label, "message": message}
