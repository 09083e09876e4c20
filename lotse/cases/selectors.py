from __future__ import annotations

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from lotse.accounts.models import Membership
from lotse.consent import policy

from .access import journal_entries_visible_to
from .models import JournalEntry


def journal_entry_list(
    *, membership: Membership | None, person_id: int | None = None
) -> QuerySet[JournalEntry]:
    entries = journal_entries_visible_to(membership).select_related("owner_agency", "author")
    if person_id is not None:
        entries = entries.filter(subject_id=person_id)
    return entries.order_by("-occurred_at", "-pk")


def journal_entry_get(*, membership: Membership | None, entry_id: int) -> JournalEntry:
    """404 for missing and forbidden alike."""
    return get_object_or_404(
        journal_entries_visible_to(membership).select_related("owner_agency", "author", "subject"),
        pk=entry_id,
    )


def journal_entry_ref(*, entry_id: int) -> JournalEntry | None:
    """Id and person of an entry, no content: to audit a refused read."""
    return JournalEntry.objects.only("pk", "subject_id").filter(pk=entry_id).first()


def _about(person_id: int | None) -> QuerySet[JournalEntry]:
    entries = JournalEntry.objects.all()
    return entries if person_id is None else entries.filter(subject_id=person_id)


def journal_entry_count(*, membership: Membership | None, person_id: int | None = None) -> int:
    """The number of entries ``journal_entry_list`` would give, from indexed parts."""
    return policy.count_visible(membership, _about(person_id))


def journal_entry_total(
    *, membership: Membership | None, person_id: int | None = None
) -> policy.VisibleCount:
    """Like :func:`journal_entry_count`, but exact only up to ``policy.LIST_COUNT_CAP``."""
    return policy.count_visible_up_to(membership, _about(person_id))
