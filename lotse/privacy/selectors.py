"""Reads of the data-protection officer's pages: the audit trail, never content.

The DPO sees no case content (DESIGN §3): persons are reached by their Lotse ID, without the
content policy, and nothing here loads a name (names come from
``consent.selectors.subject_names``, for the persons the DPO may name).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.db.models import OuterRef, Q, QuerySet, Subquery
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from lotse.accounts.models import Agency, User
from lotse.audit.models import AuditAction, AuditEvent, AuditSubject
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


A = AuditAction


@dataclass(frozen=True)
class ActionGroup:
    """A kind of event the DPO asks about, across the single actions that make it up."""

    label: Promise
    actions: tuple[str, ...]
    #: events of other actions that belong to the kind (e.g. a read under emergency access)
    also: Q | None = None

    def q(self) -> Q:
        condition = Q(action__in=self.actions)
        return condition | self.also if self.also is not None else condition


#: Reads that relied on an emergency access: the basis of a single read, or among the bases a
#: list read keeps in its detail.
_UNDER_EMERGENCY = Q(basis__startswith="break_glass:") | Q(detail__icontains='"break_glass:')

ACTION_GROUPS: dict[str, ActionGroup] = {
    "emergency": ActionGroup(
        _("Emergency access: opened, reviewed, and every read under it"),
        (A.BREAK_GLASS_OPENED, A.BREAK_GLASS_VIEWED, A.BREAK_GLASS_REVIEWED),
        _UNDER_EMERGENCY,
    ),
    "denied": ActionGroup(_("Refused access"), (A.ACCESS_DENIED,)),
    "exports": ActionGroup(
        _("Exports, downloads and prints"),
        (
            A.CONSENTS_EXPORTED,
            A.OFFERS_EXPORTED,
            A.FIGURES_EXPORTED,
            A.COMMITTEE_REPORT_EXPORTED,
            A.COMMITTEE_REPORT_PRINTED,
            A.CASE_PLAN_PRINTED,
        ),
        Q(detail__format__in=["csv", "xlsx"])
        | Q(detail__has_key="printed")
        | Q(detail__has_key="downloaded"),
    ),
    "logins": ActionGroup(
        _("Logins and failed logins"),
        (
            A.LOGIN_SUCCEEDED,
            A.LOGIN_FAILED,
            A.LOGOUT,
            A.SECOND_FACTOR_FAILED,
            A.MEMBERSHIP_SWITCHED,
        ),
    ),
    "accounts": ActionGroup(
        _("Second factor, API tokens and the administration"),
        (
            A.SECOND_FACTOR_ENROLLED,
            A.RECOVERY_CODES_GENERATED,
            A.SECOND_FACTOR_RESET,
            A.API_TOKEN_CREATED,
            A.API_TOKEN_REVOKED,
            A.ADMIN_ADDED,
            A.ADMIN_CHANGED,
            A.ADMIN_DELETED,
        ),
    ),
    "consents": ActionGroup(
        _("Consents and legal bases"),
        (*(a for a in A.values if a.startswith("consent")), A.LEGAL_BASIS_SAVED),
    ),
    "duplicates": ActionGroup(
        _("Duplicate checks, hints and merges"),
        (
            A.DUPLICATE_CHECKED,
            A.DUPLICATE_HINT_SHOWN,
            A.DUPLICATE_HINTS_UNUSUAL,
            A.PERSON_MERGE_PROPOSED,
            A.PERSON_MERGE_CONFIRMED,
            A.PERSON_MERGE_REVERTED,
        ),
    ),
    "audit": ActionGroup(_("Reads of the audit trail"), (A.AUDIT_VIEWED,)),
}
GROUP_PREFIX = "group:"


def action_q(action: str) -> Q:
    """One action, or a kind of event (``group:emergency``); an unknown kind matches nothing."""
    if action.startswith(GROUP_PREFIX):
        group = ACTION_GROUPS.get(action.removeprefix(GROUP_PREFIX))
        return group.q() if group is not None else Q(pk__in=[])
    return Q(action=action)


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
        events = events.filter(action_q(filters.action))
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
