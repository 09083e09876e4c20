"""Reads of the access core: consents, legal bases, emergency access — always through a scope.

The consent module sits below the content it guards (DESIGN §2), so persons are reached through
the lazy model reference ``people.Person`` and the policy, never by importing ``lotse.people``.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.apps import apps
from django.db.models import (
    Case,
    Count,
    Exists,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone

from lotse.accounts.models import Membership
from lotse.accounts.roles import Capability
from lotse.audit.models import AuditAction, AuditEvent, AuditSubject

from . import policy, rules
from .models import BreakGlass, ConsentDeclaration, LegalBasis


def _person_model() -> Any:
    return apps.get_model("people", "Person")


def _persons_visible_to(membership: Membership) -> QuerySet[Any]:
    person = _person_model()
    persons: QuerySet[Any] = person.objects.filter(policy.visible_q(membership, person))
    return persons


def subject_get(*, membership: Membership | None, public_id: str, for_consent: bool = False) -> Any:
    """The person with this Lotse ID if the member may see them; 404 for missing and forbidden.

    ``for_consent``: to record a consent, seeing the person by emergency access is not enough
    (rules.NOT_UNDER_EMERGENCY_ACCESS) — the page looks as if the person did not exist.
    """
    if not policy.may_read_content(membership):
        raise Http404
    assert membership is not None  # noqa: S101 - narrowed by may_read_content
    person = get_object_or_404(
        _persons_visible_to(membership).select_related("owner_agency"),
        public_id=public_id.strip().upper(),
    )
    if for_consent and policy.explain(membership, person).basis.startswith(
        policy.Basis.BREAK_GLASS
    ):
        raise Http404
    return person


def subject_visible(*, membership: Membership | None, subject_id: int) -> bool:
    return subject_id in visible_subject_ids(membership=membership, subject_ids={subject_id})


def subject_id_for(public_id: str) -> int | None:
    """The id behind a Lotse ID, without any content: for filters of the DPO's registers."""
    value: int | None = (
        _person_model()
        .objects.filter(public_id=public_id.strip().upper())
        .values_list("pk", flat=True)
        .first()
    )
    return value


def subject_ref(public_id: str) -> Any | None:
    """The person behind a Lotse ID as a bare reference (id and Lotse ID, no names loaded),
    without the content policy: for emergency access, which opens what the policy hides."""
    return (
        _person_model()
        .objects.only("pk", "public_id")
        .filter(public_id=public_id.strip().upper())
        .first()
    )


def household_companions(*, membership: Membership, subject: Any) -> list[Any]:
    """The other members of the person's households whom the member may see, by name: one
    consent form can record the same declaration for each of them."""
    member = apps.get_model("people", "HouseholdMember")
    households = member.objects.filter(person_id=subject.pk).values("household_id")
    companions = member.objects.filter(household_id__in=households).exclude(person_id=subject.pk)
    persons: list[Any] = list(
        _persons_visible_to(membership)
        .filter(pk__in=companions.values("person_id"), merged_into__isnull=True)
        .order_by("given_names", "family_name", "pk")
    )
    return persons


# --- consents -----------------------------------------------------------------------------------


def _naming(agency_id: int) -> Q:
    """Consents that name the agency: it recorded them, passes on or receives under them."""
    recipients = ConsentDeclaration.recipient_agencies.through.objects.filter(
        consentdeclaration_id=OuterRef("pk"), agency_id=agency_id
    )
    disclosers = ConsentDeclaration.disclosing_agencies.through.objects.filter(
        consentdeclaration_id=OuterRef("pk"), agency_id=agency_id
    )
    return Q(recording_agency_id=agency_id) | Exists(recipients) | Exists(disclosers)


def consents_visible_to(membership: Membership | None) -> QuerySet[ConsentDeclaration]:
    """Need-to-know (rules.NEED_TO_KNOW): the DPO sees the whole register; a caseworker only
    the consents their agency recorded, passes on or receives under — seeing the person is
    not enough, since a consent's categories and purpose say more than the person's name."""
    consents = ConsentDeclaration.objects.all()
    if membership is None:
        return consents.none()
    if membership.can(Capability.VIEW_CONSENT_REGISTER):
        return consents
    if not policy.may_read_content(membership):
        return consents.none()
    return consents.filter(_naming(membership.agency_id))


@dataclass(frozen=True)
class ConsentFilter:
    """The DPO register's filters; every field optional."""

    subject_id: int | None = None
    status: str = ""
    agency_id: int | None = None
    since: date | None = None
    until: date | None = None


#: The register's filter for given consents that end soon: renew them with the family in time.
EXPIRING = "expiring"
EXPIRING_DAYS = 30


def _with_status(consents: QuerySet[ConsentDeclaration], status: str) -> QuerySet[Any]:
    """Filter by the status a person would read: a given consent past its end is expired."""
    today = timezone.localdate()
    given = ConsentDeclaration.Status.GIVEN
    expired = ConsentDeclaration.Status.EXPIRED
    if status == EXPIRING:
        return consents.filter(
            status=given,
            valid_until__gte=today,
            valid_until__lte=today + timedelta(days=EXPIRING_DAYS),
        )
    if status == given:
        return consents.filter(status=given, valid_until__gte=today)
    if status == expired:
        return consents.filter(Q(status=expired) | Q(status=given, valid_until__lt=today))
    return consents.filter(status=status)


def consent_list(
    *, membership: Membership | None, filters: ConsentFilter | None = None
) -> QuerySet[ConsentDeclaration]:
    """Consents the member may see, newest first, with what a register row shows."""
    consents = consents_visible_to(membership)
    filters = filters or ConsentFilter()
    if filters.subject_id is not None:
        consents = consents.filter(subject_id=filters.subject_id)
    if filters.status:
        consents = _with_status(consents, filters.status)
    if filters.agency_id is not None:
        consents = consents.filter(_naming(filters.agency_id))
    # The period: consents valid on at least one day of it.
    if filters.since is not None:
        consents = consents.filter(valid_until__gte=filters.since)
    if filters.until is not None:
        consents = consents.filter(valid_from__lte=filters.until)
    return (
        consents.select_related("subject", "recording_agency", "recorded_by")
        .prefetch_related("disclosing_agencies", "recipient_agencies", "confirmations")
        .order_by("-valid_from", "-pk")
    )


def consent_get(*, membership: Membership | None, consent_id: int) -> ConsentDeclaration:
    """404 for missing and forbidden alike."""
    return get_object_or_404(consent_list(membership=membership), pk=consent_id)


def consent_ref(consent_id: int) -> ConsentDeclaration | None:
    """Id and person of a consent, nothing else: to audit a refused read."""
    return ConsentDeclaration.objects.only("pk", "subject_id").filter(pk=consent_id).first()


def visible_subject_ids(*, membership: Membership | None, subject_ids: set[int]) -> set[int]:
    """Which of these persons the member may see (identity): one query for a page."""
    if not subject_ids or not policy.may_read_content(membership):
        return set()
    assert membership is not None  # noqa: S101 - narrowed by may_read_content
    return set(
        _persons_visible_to(membership).filter(pk__in=subject_ids).values_list("pk", flat=True)
    )


def keeps_records(membership: Membership | None) -> bool:
    """Whether the member is the DPO: keeps the consent register, reviews emergency access
    and reads the audit trail."""
    return membership is not None and any(
        membership.can(capability)
        for capability in (
            Capability.VIEW_CONSENT_REGISTER,
            Capability.REVIEW_BREAK_GLASS,
            Capability.VIEW_AUDIT,
        )
    )


def subject_names(
    *, membership: Membership | None, subject_ids: Iterable[int | None]
) -> dict[int, str]:
    """The names of these persons that the member may read, by id: one query for a page.

    A caseworker reads a name where the policy shows the person's identity. The DPO reads no
    content (DESIGN §3), but keeps the consent register and reviews emergency accesses — two
    records that name their person anyway (the signed form; the reason given in an
    emergency) — so the DPO reads the names of the persons a consent declaration or an
    emergency access is about, and of nobody else: everyone else stays a Lotse ID.
    """
    ids = {int(pk) for pk in subject_ids if pk is not None}
    if not ids or membership is None:
        return {}
    person = _person_model()
    readable = Q(pk__in=[])
    if policy.may_read_content(membership):
        readable |= policy.visible_q(membership, person)
    if keeps_records(membership):
        readable |= Q(Exists(ConsentDeclaration.objects.filter(subject_id=OuterRef("pk")))) | Q(
            Exists(BreakGlass.objects.filter(subject_id=OuterRef("pk")))
        )
    rows = (
        person.objects.filter(pk__in=ids)
        .filter(readable)
        .values_list("pk", "given_names", "family_name")
    )
    return {pk: f"{given} {family}".strip() for pk, given, family in rows}


def may_open_signed_form(*, membership: Membership | None, consent: ConsentDeclaration) -> bool:
    """Who may open the scan of the signed form (it carries the person's name and signature):
    whoever records consents for the agency that recorded this one or for an agency that is to
    pass data on under it (it confirms after seeing the form), and the DPO, who keeps the
    register. Recipients see the consent, not the scan."""
    if membership is None:
        return False
    if membership.can(Capability.VIEW_CONSENT_REGISTER):
        return True
    return membership.can(Capability.RECORD_CONSENT) and (
        membership.agency_id == consent.recording_agency_id
        or membership.agency_id in rules.disclosing_ids(consent)
    )


# --- legal bases ----------------------------------------------------------------------------------


def legal_basis_list() -> QuerySet[LegalBasis]:
    """The register is no personal data: whoever may open the page sees all of it."""
    return LegalBasis.objects.order_by("-is_active", "from_kind", "to_kind", "pk")


def legal_basis_get(*, basis_id: int) -> LegalBasis:
    return get_object_or_404(LegalBasis, pk=basis_id)


# --- emergency access -----------------------------------------------------------------------------


def break_glass_active(*, membership: Membership, public_id: str) -> BreakGlass | None:
    """The member's own running emergency access under this Lotse ID, if any — found by the
    ID asked for, so that an ID matching nobody shows its (empty) access the same way."""
    return (
        BreakGlass.objects.filter(
            user_id=membership.user_id,
            agency_id=membership.agency_id,
            requested_id=public_id.strip().upper(),
            expires_at__gt=timezone.now(),
        )
        .order_by("-expires_at")
        .first()
    )


#: The emergency-access page itself (opened, asked for, reviewed): the access, not a read under it.
_GLASS_OWN_EVENTS = (
    AuditAction.BREAK_GLASS_OPENED,
    AuditAction.BREAK_GLASS_VIEWED,
    AuditAction.BREAK_GLASS_REVIEWED,
)


def _concerning(subject: Any) -> Q:
    """Events about the person: as their one subject, or among the persons a list showed."""
    listed = AuditSubject.objects.filter(subject_id=subject).values("event_id")
    return Q(subject_id=subject) | Q(pk__in=listed)


def _reads_count() -> Subquery:
    """The number of events of an access's user, for its agency, about its person, during
    its time — per queue row, in the same query as the row (by the actor-time index)."""
    events = AuditEvent.objects.filter(
        actor_id=OuterRef("user_id"),
        agency_id=OuterRef("agency_id"),
        occurred_at__gte=OuterRef("created_at"),
        occurred_at__lte=OuterRef("expires_at"),
    ).exclude(action__in=_GLASS_OWN_EVENTS)
    listed = AuditSubject.objects.filter(
        event_id=OuterRef("pk"), subject_id=OuterRef(OuterRef("subject_id"))
    )
    about = events.filter(Q(subject_id=OuterRef("subject_id")) | Q(Exists(listed)))
    return Subquery(
        about.order_by().values("actor_id").annotate(n=Count("pk")).values("n")[:1],
        output_field=IntegerField(),
    )


def break_glass_queue(*, membership: Membership | None) -> QuerySet[BreakGlass]:
    """For the DPO's review: awaiting review first, then the most recent decisions; each with
    how many reads and changes its user made of the person during it (``reads``)."""
    if membership is None or not membership.can(Capability.REVIEW_BREAK_GLASS):
        return BreakGlass.objects.none()
    pending_first = Case(When(review=BreakGlass.Review.PENDING, then=Value(0)), default=Value(1))
    return (
        BreakGlass.objects.select_related("user", "agency", "reviewed_by")
        .annotate(pending_first=pending_first, reads=Coalesce(_reads_count(), 0))
        .order_by("pending_first", "-created_at", "-pk")
    )


def break_glass_get(*, membership: Membership | None, glass_id: int) -> BreakGlass:
    return get_object_or_404(break_glass_queue(membership=membership), pk=glass_id)


def break_glass_reads(*, glass: BreakGlass) -> QuerySet[AuditEvent]:
    """Every event of the access's user, for its agency, about its person, while it was open
    (an unjustified one ends when reviewed): what was read and changed under it, oldest
    first. An ID that matched nobody opened nothing."""
    if glass.subject_id is None:
        return AuditEvent.objects.none()
    return (
        AuditEvent.objects.filter(
            _concerning(glass.subject_id),
            actor_id=glass.user_id,
            agency_id=glass.agency_id,
            occurred_at__gte=glass.created_at,
            occurred_at__lte=glass.expires_at,
        )
        .exclude(action__in=_GLASS_OWN_EVENTS)
        .select_related("actor", "agency")
        .order_by("pk")
    )
