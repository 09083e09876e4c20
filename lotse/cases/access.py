"""Access scopes of case work; every read goes through the consent policy."""

from __future__ import annotations

from django.db.models import QuerySet

from lotse.accounts.models import Membership
from lotse.consent import policy

from .models import JournalEntry


def journal_entries_visible_to(membership: Membership | None) -> QuerySet[JournalEntry]:
    return JournalEntry.objects.filter(policy.visible_q(membership, JournalEntry))
