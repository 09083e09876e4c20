"""Forms of the steering pages: which figures, and the network facts coordinators record."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lotse.accounts.models import Agency
from lotse.core.dates import years_before
from lotse.core.forms import (
    KernForm,
    SafeModelChoiceField,
    SafeModelMultipleChoiceField,
    date_input,
)
from lotse.people.choices import District

from .models import BuildingBlock, FindingStatus, GovernanceMeeting


def last_twelve_months(today: date | None = None) -> tuple[date, date]:
    """The twelve months up to today: what "the last year" means on the figures page."""
    end = today or timezone.localdate()
    return years_before(end, 1) + timedelta(days=1), end


class FiguresForm(KernForm):
    start = forms.DateField(label=_("From"), widget=date_input())
    end = forms.DateField(label=_("Until"), widget=date_input())
    district = forms.ChoiceField(
        label=_("District"),
        choices=[("", _("whole city")), *District.choices],
        required=False,
    )

    @classmethod
    def initial_values(cls) -> dict[str, Any]:
        start, end = last_twelve_months()
        return {"start": start, "end": end, "district": ""}

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        start, end = cleaned.get("start"), cleaned.get("end")
        if start and end and end < start:
            self.add_error("end", _("The end of the period lies before its start."))
        return cleaned


class FindingForm(KernForm):
    version = forms.IntegerField(widget=forms.HiddenInput)
    status = forms.ChoiceField(
        label=_("Status in the steering group"), choices=FindingStatus.choices
    )
    measure = forms.CharField(
        label=_("Measure decided"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=2000,
        help_text=_(
            "What the steering group decided, and who carries it out. No names of families."
        ),
    )
    decided_on = forms.DateField(label=_("Decided on"), widget=date_input(), required=False)
    meeting = SafeModelChoiceField(
        label=_("In the meeting"),
        queryset=GovernanceMeeting.objects.order_by("-held_on"),
        required=False,
    )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if (
            cleaned.get("status") in (FindingStatus.TAKEN_UP, FindingStatus.RESOLVED)
            and not (cleaned.get("measure") or "").strip()
        ):
            self.add_error("measure", _("Say which measure was decided."))
        return cleaned


class NewFindingForm(KernForm):
    domain = forms.CharField(widget=forms.HiddenInput)
    district = forms.CharField(widget=forms.HiddenInput, required=False)


class StaffPostForm(KernForm):
    agency = SafeModelChoiceField(
        label=_("Provider"), queryset=Agency.objects.filter(is_active=True).order_by("name")
    )
    building_block = forms.ChoiceField(label=_("Building block"), choices=BuildingBlock.choices)
    full_time_equivalents = forms.DecimalField(
        label=_("Full-time equivalents"),
        min_value=0.01,
        max_value=999,
        decimal_places=2,
        # "1,5" as German writes it, "1.5" as English does.
        localize=True,
        help_text=_("For example 1.5 for one full-time and one half-time post."),
    )
    valid_from = forms.DateField(label=_("From"), widget=date_input())
    valid_until = forms.DateField(label=_("Until"), widget=date_input(), required=False)
    note = forms.CharField(label=_("Note"), max_length=200, required=False)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        start, end = cleaned.get("valid_from"), cleaned.get("valid_until")
        if start and end and end < start:
            self.add_error("valid_until", _("The end lies before the start."))
        return cleaned


class MeetingForm(KernForm):
    kind = forms.ChoiceField(label=_("Kind"), choices=GovernanceMeeting.Kind.choices)
    held_on = forms.DateField(label=_("Held on"), widget=date_input())
    title = forms.CharField(label=_("Title"), max_length=200)
    agencies = SafeModelMultipleChoiceField(
        label=_("Agencies present"),
        queryset=Agency.objects.filter(is_active=True).order_by("name"),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )


class AgreementForm(KernForm):
    title = forms.CharField(label=_("Title"), max_length=200)
    agencies = SafeModelMultipleChoiceField(
        label=_("Partner agencies"),
        queryset=Agency.objects.filter(is_active=True).order_by("name"),
        widget=forms.CheckboxSelectMultiple,
    )
    signed_on = forms.DateField(label=_("Signed on"), widget=date_input())
    valid_until = forms.DateField(label=_("Valid until"), widget=date_input(), required=False)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        start, end = cleaned.get("signed_on"), cleaned.get("valid_until")
        if start and end and end < start:
            self.add_error("valid_until", _("The end lies before the signing."))
        return cleaned
