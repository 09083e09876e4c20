"""Reads of the data-protection officer's pages: the audit trail, never content.

The DPO sees no case content (DESIGN §3): persons are reached by their Lotse ID only, without
the content policy, and nothing here loads a name.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from django.apps import apps
from django.db.models import OuterRef, QuerySet, Subquery
from django.utils import timezone

from lotse.accounts.models import Agency, User
from lotse.audit.models import AuditEvent
from lotse.consent.models import LegalBasis
from lotse.people.models import Person


@dataclass(frozen=True)
class PersonRef:
    """A person as the DPO sees them: an id and the pseudonymous Lotse ID, no name."""

    pk: int
    public_id: str


def person_ref(public_id: str) -> PersonRef | None:
    row = (
        Person.objects.filter(public_id=public_id.strip().upper())
        .values_list("pk", "public_id")
        .first()
    )
    return PersonRef(*row) if row else None


def user_id_for(username: str) -> int | None:
    value: int | None = (
        User.objects.filter(username=username.strip()).values_list("pk", flat=True).first()
    )
    return value


@dataclass(frozen=True)
class AuditFilter:
    subject_id: int | None = None
    actor_id: int | None = None
    agency: Agency | None = None
    since: date | None = None
    until: date | None = None


def _start_of(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def audit_events(*, filters: AuditFilter) -> QuerySet[AuditEvent]:
    """Audit events, newest first, each with the Lotse ID of the person it concerns."""
    events = AuditEvent.objects.select_related("actor", "agency").annotate(
        subject_public_id=Subquery(
            Person.objects.filter(pk=OuterRef("subject_id")).values("public_id")[:1]
        )
    )
    if filters.subject_id is not None:
        events = events.filter(subject_id=filters.subject_id)
    if filters.actor_id is not None:
        events = events.filter(actor_id=filters.actor_id)
    if filters.agency is not None:
        events = events.filter(agency=filters.agency)
    if filters.since is not None:
        events = events.filter(occurred_at__gte=_start_of(filters.since))
    if filters.until is not None:
        events = events.filter(occurred_at__lt=_start_of(filters.until + timedelta(days=1)))
    return events.order_by("-pk")


def legal_bases_by_id(ids: set[int]) -> dict[int, LegalBasis]:
    return LegalBasis.objects.in_bulk(ids) if ids else {}


def target_label(target_type: str) -> str:
    """'cases.journalentry' → 'journal entry' (no lookup of the target itself)."""
    if not target_type:
        return ""
    try:
        model: Any = apps.get_model(target_type)
    except (LookupError, ValueError):
        return target_type
    return str(model._meta.verbose_name)
