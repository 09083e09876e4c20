"""Reads of the data-protection officer's pages: the audit trail, never content.

The DPO sees no case content (DESIGN §3): persons are reached by their Lotse ID only, without
the content policy, and nothing here loads a name.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from django.apps import apps
from django.db.models import OuterRef, Q, QuerySet, Subquery
from django.utils import timezone

from lotse.accounts.models import Agency, User
from lotse.audit.models import AuditAction, AuditEvent, AuditSubject
from lotse.consent.models import LegalBasis
from lotse.core.dates import aware, end_of, start_of
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


def agency_for_code(code: str) -> Agency | None:
    return Agency.objects.filter(code=code.strip()).first()


@dataclass(frozen=True)
class AuditFilter:
    """A day means the whole day (``until`` inclusive); a time is an exact bound."""

    subject_id: int | None = None
    actor_id: int | None = None
    agency: Agency | None = None
    since: date | datetime | None = None
    until: date | datetime | None = None
    action: str = ""


def lower_bound(value: date | datetime) -> datetime:
    """The first moment a filter value means: a day from its start, a time as it is."""
    return aware(value) if isinstance(value, datetime) else start_of(value)


def _upper(value: date | datetime) -> Q:
    if isinstance(value, datetime):
        return Q(occurred_at__lte=aware(value))
    return Q(occurred_at__lt=end_of(value))


def _concerning(subject_id: int) -> Q:
    """Events about the person — as the one person an event is about, or among the persons
    a list, search or hint showed — including those about records merged into them."""
    merged = Person.objects.filter(merged_into_id=subject_id).values("pk")
    listed = AuditSubject.objects.filter(
        Q(subject_id=subject_id) | Q(subject_id__in=merged)
    ).values("event_id")
    return Q(subject_id=subject_id) | Q(subject_id__in=merged) | Q(pk__in=listed)


def audit_events(*, filters: AuditFilter) -> QuerySet[AuditEvent]:
    """Audit events, newest first, each with the Lotse ID of the person it concerns."""
    events = AuditEvent.objects.select_related("actor", "agency").annotate(
        subject_public_id=Subquery(
            Person.objects.filter(pk=OuterRef("subject_id")).values("public_id")[:1]
        )
    )
    if filters.subject_id is not None:
        events = events.filter(_concerning(filters.subject_id))
    if filters.actor_id is not None:
        events = events.filter(actor_id=filters.actor_id)
    if filters.agency is not None:
        events = events.filter(agency=filters.agency)
    if filters.action:
        events = events.filter(action=filters.action)
    if filters.since is not None:
        events = events.filter(occurred_at__gte=lower_bound(filters.since))
    if filters.until is not None:
        events = events.filter(_upper(filters.until))
    return events.order_by("-pk")


def unusual_activity(*, days: int = 30) -> QuerySet[AuditEvent]:
    """What the DPO should look at: users flagged for unusually many duplicate hints."""
    since = timezone.now() - timedelta(days=days)
    return (
        AuditEvent.objects.filter(
            action=AuditAction.DUPLICATE_HINTS_UNUSUAL, occurred_at__gte=since
        )
        .select_related("actor", "agency")
        .order_by("-pk")
    )


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
