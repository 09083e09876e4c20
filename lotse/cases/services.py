from __future__ import annotations

from datetime import datetime, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lotse.accounts.models import Agency, Membership, User
from lotse.accounts.roles import Capability
from lotse.audit.models import AuditAction
from lotse.audit.services import record
from lotse.consent.categories import DataCategory
from lotse.core.dates import EARLIEST_YEAR, aware
from lotse.core.errors import AccessDenied
from lotse.core.text import LONG_TEXT_MAX, clean_text
from lotse.people.access import require_visible_person
from lotse.people.models import Person

from .models import JournalEntry


@transaction.atomic
def journal_entry_create(
    *,
    subject: Person,
    kind: str,
    category: str,
    text: str,
    membership: Membership,
    actor: User,
    entrusted: bool = False,
    occurred_at: datetime | None = None,
) -> JournalEntry:
    """Record a talk, call, visit, letter or decision about a person."""
    if not membership.can(Capability.WRITE_CASE_CONTENT):
        raise AccessDenied
    # An entry of one's own about a person one may see: seeing is the basis for writing here.
    require_visible_person(membership, subject)
    if category not in DataCategory.values:
        raise ValidationError({"category": _("Choose a category.")})
    if entrusted and membership.agency.kind != Agency.Kind.YOUTH_WELFARE_OFFICE:
        raise ValidationError(
            {"entrusted": _("Only the Jugendamt records entrusted information (§ 65 SGB VIII).")}
        )
    text = clean_text(text, field="text", max_length=LONG_TEXT_MAX, multiline=True)
    if not text:
        raise ValidationError({"text": _("Write what happened.")})
    when = aware(occurred_at) if occurred_at is not None else timezone.now()
    if when > timezone.now() + timedelta(minutes=5):
        raise ValidationError({"occurred_at": _("The time lies in the future.")})
    if when.year < EARLIEST_YEAR:
        raise ValidationError(
            {"occurred_at": _("The time lies before %(year)s.") % {"year": EARLIEST_YEAR}}
        )
    entry = JournalEntry(
        subject=subject,
        owner_agency=membership.agency,
        category=category,
        entrusted=entrusted,
        kind=kind,
        text=text,
        occurred_at=when,
        author=actor,
    )
    entry.full_clean(exclude=["subject", "owner_agency", "author"])
    entry.save()
    record(
        action=AuditAction.JOURNAL_ENTRY_CREATED,
        actor=actor,
        agency=membership.agency,
        target=entry,
        subject_id=subject.pk,
        basis="own_agency",
    )
    return entry


def journal_content_move(*, survivor_id: int, merged_id: int) -> dict[str, int]:
    """The journal's part of a merge (CasesConfig.move_person_content)."""
    moved = JournalEntry.objects.filter(subject_id=merged_id).update(subject_id=survivor_id)
    return {"journal_entries": moved}
