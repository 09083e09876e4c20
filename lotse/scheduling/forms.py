from __future__ import annotations

from datetime import datetime
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from lotse.accounts.models import Agency, Team, User
from lotse.consent.categories import DataCategory
from lotse.core.dates import aware
from lotse.core.forms import KernForm, PlausibleDateField, SafeModelChoiceField, date_input
from lotse.people.models import Person
from lotse.people.validation import language_name

from .models import AppointmentStatus, InterpreterState

#: Offered for interpreting besides the family's own languages: the city's most asked for.
COMMON_LANGUAGES = ("ar", "fa", "prs", "ps", "ku", "kmr", "tr", "ru", "uk", "ti", "so", "ro", "bg")


def time_input() -> forms.TimeInput:
    return forms.TimeInput(attrs={"type": "time"}, format="%H:%M")


def language_choices(family_languages: list[str]) -> list[tuple[str, Any]]:
    codes = list(dict.fromkeys([*family_languages, *COMMON_LANGUAGES]))
    return [("", _("no interpreter")), *((code, language_name(code)) for code in codes)]


class TaskForm(KernForm):
    title = forms.CharField(label=_("What is to be done"), max_length=200)
    due_on = PlausibleDateField(label=_("Due on"), widget=date_input())
    assignee = SafeModelChoiceField(
        label=_("Who does it"), queryset=User.objects.none(), required=False
    )
    team = SafeModelChoiceField(
        label=_("Or a team"),
        queryset=Team.objects.none(),
        required=False,
        help_text=_("Leave the caseworker empty to give the task to the whole team."),
    )
    note = forms.CharField(
        label=_("Note"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )

    def __init__(self, *args: Any, staff: Any, teams: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["assignee"].queryset = staff  # type: ignore[attr-defined]
        self.fields["team"].queryset = teams  # type: ignore[attr-defined]


class ReassignForm(TaskForm):
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        del self.fields["title"]
        del self.fields["note"]


class VersionForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


class CommentForm(KernForm):
    text = forms.CharField(label=_("Comment"), widget=forms.Textarea(attrs={"rows": 2}))


CATEGORY_CHOICES = [(value, label) for value, label in DataCategory.choices]


class _WhenForm(KernForm):
    """Date, times and place of an appointment: planning it and moving it ask the same."""

    day = PlausibleDateField(label=_("Date"), widget=date_input())
    starts = forms.TimeField(label=_("From"), widget=time_input())
    ends = forms.TimeField(label=_("Until"), widget=time_input())
    place = forms.CharField(label=_("Place"), max_length=200, required=False)
    video_link = forms.URLField(
        label=_("Video link"), max_length=300, required=False, assume_scheme="https"
    )

    def when(self) -> tuple[datetime, datetime]:
        day = self.cleaned_data["day"]
        return (
            aware(datetime.combine(day, self.cleaned_data["starts"])),
            aware(datetime.combine(day, self.cleaned_data["ends"])),
        )


class _ParticipantsField(forms.ModelMultipleChoiceField):  # type: ignore[type-arg]
    """Family members to tick; each shown by name and Lotse ID."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(
            label=_("Family members taking part"),
            queryset=Person.objects.none(),
            required=False,
            widget=forms.CheckboxSelectMultiple(
                attrs={"data-testid": "appointment-participant-choice"}
            ),
            help_text=_("The person the appointment is with always takes part."),
            **kwargs,
        )

    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.full_name} ({obj.public_id})"


def _offer_participants(form: forms.Form, family: Any) -> None:
    """Offer the family members; without any besides the person, the field is left out."""
    if family is None or not family.exists():
        del form.fields["participants"]
    else:
        form.fields["participants"].queryset = family  # type: ignore[attr-defined]


class AppointmentForm(_WhenForm):
    purpose = forms.CharField(label=_("What it is about"), max_length=300)
    category = forms.ChoiceField(
        label=_("Kind of data"),
        choices=CATEGORY_CHOICES,
        initial=DataCategory.CASE_PLAN,
        help_text=_(
            "Decides which participating agency sees the appointment: only one that may see "
            "this kind of data of the person."
        ),
    )
    interpreter_language = forms.ChoiceField(label=_("Interpreter"), required=False)
    interpreter = forms.ChoiceField(
        label=_("Interpreter booked?"),
        choices=[
            (InterpreterState.NEEDED, InterpreterState.NEEDED.label),
            (InterpreterState.BOOKED, InterpreterState.BOOKED.label),
        ],
        required=False,
        widget=forms.RadioSelect,
    )
    agencies = forms.ModelMultipleChoiceField(
        label=_("Other agencies taking part"),
        queryset=Agency.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    staff = forms.ModelMultipleChoiceField(
        label=_("Colleagues taking part"),
        queryset=User.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Without a choice: you."),
    )
    participants = _ParticipantsField()

    def __init__(
        self,
        *args: Any,
        agencies: Any,
        staff: Any,
        languages: list[str],
        family: Any = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["agencies"].queryset = agencies  # type: ignore[attr-defined]
        self.fields["staff"].queryset = staff  # type: ignore[attr-defined]
        self.fields["interpreter_language"].choices = language_choices(languages)  # type: ignore[attr-defined]
        _offer_participants(self, family)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("interpreter_language") and not data.get("interpreter"):
            self.add_error("interpreter", _("Say whether the interpreter is booked."))
        return data


class ParticipantsForm(KernForm):
    """Change who of the family takes part in a planned or held appointment."""

    participants = _ParticipantsField()
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)

    def __init__(self, *args: Any, family: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _offer_participants(self, family)


class RescheduleForm(_WhenForm):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


class CloseForm(KernForm):
    status = forms.ChoiceField(
        label=_("What happened"),
        choices=[
            (AppointmentStatus.HELD, AppointmentStatus.HELD.label),
            (AppointmentStatus.MISSED, AppointmentStatus.MISSED.label),
            (AppointmentStatus.CANCELLED, AppointmentStatus.CANCELLED.label),
        ],
        widget=forms.RadioSelect,
    )
    text = forms.CharField(
        label=_("Outcome or reason"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text=_("For a cancellation, say why."),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
