"""Form fields that turn every odd input into a message on the field, never a server error."""

from __future__ import annotations

from datetime import date
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from .dates import EARLIEST_YEAR, LATEST_YEAR


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
