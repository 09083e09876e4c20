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
        raise ValidationError(_("Your role does not record case content."))
    if category not in DataCategory.values:
        raise ValidationError({"category": _("Choose a category.")})
    if entrusted and membership.agency.kind != Agency.Kind.YOUTH_WELFARE_OFFICE:
        raise ValidationError(
            {"entrusted": _("Only the Jugendamt records entrusted information (§ 65 SGB VIII).")}
        )
    if not text.strip():
        raise ValidationError({"text": _("Write what happened.")})
    when = occurred_at or timezone.now()
    if when > timezone.now() + timedelta(minutes=5):
        raise ValidationError({"occurred_at": _("The time lies in the future.")})
    entry = JournalEntry(
        subject=subject,
        owner_agency=membership.agency,
        category=category,
        entrusted=entrusted,
        kind=kind,
        text=text.strip(),
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
