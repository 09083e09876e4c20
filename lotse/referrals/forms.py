from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from lotse.accounts.models import Agency
from lotse.consent.categories import DataCategory
from lotse.core.forms import KernForm

from .models import DeclineReason, NotCompletedReason, Urgency

#: Identity always goes with a referral; the sender chooses the rest.
CHOOSABLE_CATEGORIES = [
    (value, label) for value, label in DataCategory.choices if value != DataCategory.IDENTITY
]


class ReferralForm(KernForm):
    subject = forms.ChoiceField(label=_("Who is referred"))
    to_agency = forms.ModelChoiceField(
        label=_("To agency"),
        queryset=Agency.objects.none(),
        required=False,
        help_text=_("Not needed when you refer to an offer: it goes to the offer's provider."),
    )
    to_offer = forms.IntegerField(widget=forms.HiddenInput, required=False)
    assessment = forms.IntegerField(widget=forms.HiddenInput, required=False)
    measure = forms.IntegerField(widget=forms.HiddenInput, required=False)
    categories = forms.MultipleChoiceField(
        label=_("Data that goes with it"),
        choices=CHOOSABLE_CATEGORIES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "Name and contact always go with it. Choose only what the other agency needs: "
            "each kind must be covered by the person's consent for a referral."
        ),
    )
    message = forms.CharField(
        label=_("Message"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("What should the other agency do, and what does the family expect?"),
    )
    urgency = forms.ChoiceField(label=_("Urgency"), choices=Urgency.choices)
    language = forms.ChoiceField(label=_("Language of the family"), required=False)
    interpreter_needed = forms.BooleanField(label=_("Interpreter needed"), required=False)

    def __init__(
        self,
        *args: Any,
        subjects: list[tuple[str, str]],
        languages: list[tuple[str, str]],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["subject"].choices = subjects  # type: ignore[attr-defined]
        self.fields["language"].choices = [("", "—"), *languages]  # type: ignore[attr-defined]
        self.fields["to_agency"].queryset = Agency.objects.filter(  # type: ignore[attr-defined]
            is_active=True
        ).order_by("name")


class StepForm(KernForm):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    reason = forms.CharField(required=False)
    note = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 3}))


DECLINE_REASONS = DeclineReason.choices
NOT_COMPLETED_REASONS = NotCompletedReason.choices
