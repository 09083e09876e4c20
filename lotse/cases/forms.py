"""Input schema of the journal's quick entry: parse and name fields; the rules live in services."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lotse.consent.categories import DataCategory
from lotse.consent.forms import KernForm

from .models import JournalEntry

DATETIME_FORMAT = "%Y-%m-%dT%H:%M"


class JournalEntryForm(KernForm):
    kind = forms.ChoiceField(
        label=_("What was it?"), choices=JournalEntry.Kind.choices, initial=JournalEntry.Kind.TALK
    )
    category = forms.ChoiceField(
        label=_("What is it about?"),
        choices=DataCategory.choices,
        widget=forms.RadioSelect,
        help_text=_(
            "This decides who may see the entry: another agency sees it only if the family "
            "agreed to share this kind of information with it, or a law allows it."
        ),
        error_messages={"required": _("Choose what the entry is about.")},
    )
    entrusted = forms.BooleanField(
        label=_("Confided in personal help (§ 65 SGB VIII)"),
        required=False,
        help_text=_(
            "The person confided this to you. No one outside the Jugendamt sees it without "
            "the person's own consent – no legal basis and no emergency access opens it."
        ),
    )
    text = forms.CharField(
        label=_("What happened?"),
        widget=forms.Textarea(attrs={"rows": 6}),
        error_messages={"required": _("Write what happened.")},
    )
    occurred_at = forms.DateTimeField(
        label=_("When?"),
        input_formats=[DATETIME_FORMAT],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format=DATETIME_FORMAT),
    )

    def __init__(self, *args: Any, may_entrust: bool, **kwargs: Any) -> None:
        now = timezone.localtime().replace(second=0, microsecond=0)
        kwargs.setdefault("initial", {"occurred_at": now})
        super().__init__(*args, **kwargs)
        if not may_entrust:
            # Only the Jugendamt records entrusted information: others never see the box.
            del self.fields["entrusted"]
        if not self.is_bound:
            # Straight to typing; after an error the error summary takes the focus instead.
            self.fields["kind"].widget.attrs["autofocus"] = True
