"""The search page's one form: the query and the filters a caseworker narrows a search with."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from lotse.core.forms import KernForm

from .choices import District
from .search import (
    AGE_BANDS,
    HOUSEHOLD_WITH,
    HOUSEHOLD_WITHOUT,
    MIN_LETTERS,
    SearchFilters,
    parse_query,
)

QUERY_MAX_LENGTH = 200


def _age_band_label(code: str) -> Any:
    low, high = AGE_BANDS[code]
    if high is None:
        return _("%(low)s years and older") % {"low": low}
    return _("%(low)s to %(high)s years") % {"low": low, "high": high - 1}


class PersonSearchForm(KernForm):
    """GET parameters ``q``, ``age``, ``district``, ``household``; all optional, so that a link
    with only a filter changed keeps the rest."""

    min_letters = MIN_LETTERS

    q = forms.CharField(
        label=_("Name, year of birth or Lotse ID"),
        help_text=_(
            "Any spelling works, also the original script and either name order. "
            "Add a year or date of birth to find one person among namesakes."
        ),
        required=False,
        max_length=QUERY_MAX_LENGTH,
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off"}),
    )
    age = forms.ChoiceField(label=_("Age"), required=False)
    district = forms.ChoiceField(
        label=_("District"),
        required=False,
        choices=[("", _("All districts")), *District.choices],
    )
    household = forms.ChoiceField(
        label=_("Household"),
        required=False,
        choices=[
            ("", _("With or without")),
            (HOUSEHOLD_WITH, _("Lives in a household")),
            (HOUSEHOLD_WITHOUT, _("No household recorded")),
        ],
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        age_field = self.fields["age"]
        assert isinstance(age_field, forms.ChoiceField)  # noqa: S101 - declared above
        age_field.choices = [("", _("All ages")), *((c, _age_band_label(c)) for c in AGE_BANDS)]

    @property
    def query(self) -> str:
        return str(self.cleaned_data.get("q", "")).strip() if self.is_valid() else ""

    @property
    def too_short(self) -> bool:
        """A query that names too little to search by (see search.MIN_LETTERS)."""
        return bool(self.query) and parse_query(self.query).too_short

    @property
    def filtered(self) -> bool:
        return self.is_valid() and not self.filters().is_empty

    def filters(self) -> SearchFilters:
        data = self.cleaned_data if self.is_valid() else {}
        return SearchFilters(
            age_band=data.get("age", ""),
            district=data.get("district", ""),
            household=data.get("household", ""),
        )
