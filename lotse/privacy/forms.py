"""The audit search: by person (Lotse ID), user, agency, kind of event and period."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from lotse.accounts.models import Agency
from lotse.audit.models import AuditAction
from lotse.core.forms import KernForm, PlausibleDateField, SafeModelChoiceField, date_input

from .selectors import ACTION_GROUPS, GROUP_PREFIX


class AuditFilterForm(KernForm):
    person = forms.CharField(
        label=_("Lotse ID of the person"),
        required=False,
        max_length=12,
        widget=forms.TextInput(attrs={"autocomplete": "off", "placeholder": "P-7K3M-9QX2"}),
    )
    user = forms.CharField(
        label=_("User name"),
        required=False,
        max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    agency = SafeModelChoiceField(
        label=_("Agency"),
        required=False,
        queryset=Agency.objects.none(),
        to_field_name="code",
        empty_label=_("all"),
    )
    action = forms.ChoiceField(
        label=_("Kind of event"),
        required=False,
        choices=[
            ("", _("all")),
            (
                _("Kinds of event"),
                [(GROUP_PREFIX + key, group.label) for key, group in ACTION_GROUPS.items()],
            ),
            (_("Single events"), AuditAction.choices),
        ],
    )
    since = PlausibleDateField(label=_("From"), required=False, widget=date_input())
    until = PlausibleDateField(label=_("Until"), required=False, widget=date_input())

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        agency = self.fields["agency"]
        assert isinstance(agency, forms.ModelChoiceField)  # noqa: S101
        agency.queryset = Agency.objects.order_by("name")

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        since, until = cleaned.get("since"), cleaned.get("until")
        if since and until and until < since:
            self.add_error("until", _("The end lies before the start."))
        return cleaned
