from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from lotse.consent.categories import Compartment
from lotse.consent.models import CompartmentedItem


class JournalEntry(CompartmentedItem):
    """A talk, call, home visit, letter or decision about a person (a compartmented item)."""

    compartment = Compartment(subject="subject_id", category=None, entrusted=True)

    class Kind(models.TextChoices):
        TALK = "talk", _("Talk")
        PHONE_CALL = "phone_call", _("Phone call")
        HOME_VISIT = "home_visit", _("Home visit")
        LETTER = "letter", _("Letter")
        DECISION = "decision", pgettext_lazy("journal entry kind", "Decision")
        OTHER = "other", _("Other")

    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices, default=Kind.TALK)
    text = models.TextField(_("text"))
    occurred_at = models.DateTimeField(_("occurred at"), default=timezone.now)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("author"),
    )

    class Meta:
        verbose_name = _("journal entry")
        verbose_name_plural = _("journal entries")
        ordering = ["-occurred_at", "-pk"]
        indexes = [
            # (owner, category, subject): probed by the consent join on all three, and by the
            # legal-basis part of a count on (owner, category); with ``entrusted`` the counts
            # read the index alone.
            models.Index(
                fields=["owner_agency", "category", "subject", "entrusted"],
                name="cases_entry_owner_cat_idx",
            ),
            models.Index(fields=["subject", "occurred_at"], name="cases_entry_subject_idx"),
            # newest first over everything the member may see: scanned backwards until a page
            models.Index(fields=["occurred_at", "id"], name="cases_entry_time_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.occurred_at:%Y-%m-%d}"
