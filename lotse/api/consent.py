"""Journal entries, consents, the legal-basis register and the audit trail under ``/api/v1/``.

The access core through the API (DESIGN §3): every journal entry passes ``consent.policy``
(``visible_q`` for lists and counts, ``explain_many`` for ``access_basis``); what a caller may
not see answers 404 like something missing and is absent from lists and counts. The DPO sees
consents, legal bases and the audit trail, never case content. Writes go through the services,
whose ``ValidationError`` becomes the API's 422 naming the field — a firewall refusal names
``categories`` with the rule and its citation.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, time, timedelta
from typing import Any

from django.db.models import QuerySet
from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status
from ninja.errors import ValidationError
from pydantic import field_validator

from lotse.accounts.models import Agency, Membership, User
from lotse.accounts.roles import Capability
from lotse.audit.models import AuditAction, AuditEvent
from lotse.audit.services import record
from lotse.cases import selectors as cases
from lotse.cases.models import JournalEntry
from lotse.cases.services import journal_entry_create
from lotse.consent import policy
from lotse.consent import selectors as consent_selectors
from lotse.consent.categories import DataCategory
from lotse.consent.form import FORM_VERSION
from lotse.consent.models import ConsentDeclaration, ConsentPurpose, LegalBasis
from lotse.consent.services import (
    ConsentData,
    consent_record,
    consent_withdraw,
    legal_basis_save,
)
from lotse.people import selectors as people
from lotse.people.models import Person

from .auth import acting_membership as _membership
from .auth import acting_user as _actor
from .auth import requires
from .people import ERRORS, MAX_PAGE, InputSchema, Page, invalid_input_as_422
from .schemas import ListOut

router = Router(tags=["access"])


# --- access: one of several capabilities, checked before the body is read ----------------------


def _body_error(loc: Sequence[str | int], message: str) -> ValidationError:
    return ValidationError([{"type": "invalid", "loc": ["body", "payload", *loc], "msg": message}])


def _query_error(field: str, message: str) -> ValidationError:
    return ValidationError([{"type": "invalid", "loc": ["query", field], "msg": message}])


def _public_id(value: str) -> str:
    return value.strip().upper()


def _visible_person(membership: Membership, public_id: str, field: str) -> Person:
    """A person the caller may see, or 422 on ``field``: missing and forbidden look alike."""
    try:
        return people.person_get(membership=membership, public_id=_public_id(public_id))
    except Http404 as missing:
        raise _body_error([field], _("No person with this ID is known to you.")) from missing


def _agencies(codes: Sequence[str], field: str) -> list[Agency]:
    wanted = {code.strip() for code in codes if code.strip()}
    found = list(Agency.objects.filter(code__in=wanted, is_active=True).order_by("code"))
    unknown = sorted(wanted - {agency.code for agency in found})
    if unknown:
        raise _body_error(
            [field], _("Unknown agency code: %(codes)s") % {"codes": ", ".join(unknown)}
        )
    return found


def _denied(request: HttpRequest, target: Any) -> None:
    """Audit a refused detail read (forbidden or missing: the caller learns nothing)."""
    membership = _membership(request)
    record(
        action=AuditAction.ACCESS_DENIED,
        actor=_actor(request),
        agency=membership.agency,
        target=target,
        subject_id=getattr(target, "subject_id", None),
    )


# --- journal entries ----------------------------------------------------------------------------


class JournalEntryIn(InputSchema):
    person: str = Field(description="The Lotse ID of a person you can see, e.g. P-7K3M-9QX2.")
    kind: JournalEntry.Kind = JournalEntry.Kind.TALK
    category: DataCategory = Field(description="What the entry is about (decides who may see it).")
    entrusted: bool = Field(
        False, description="Confided to the Jugendamt (§ 65 SGB VIII); Jugendamt only."
    )
    text: str
    occurred_at: datetime | None = Field(None, description="Default: now.")


class JournalEntryOut(Schema):
    id: int
    person: str = Field(description="The Lotse ID of the person the entry is about.")
    kind: str
    category: str
    entrusted: bool
    text: str
    occurred_at: datetime
    access_basis: str = Field(
        description="Why you see this entry: own_agency, consent:<id>, legal_basis:<id> or "
        "break_glass:<id>."
    )


class JournalQuery(Page):
    person: str = Field("", description="Only entries about this person (Lotse ID).")


def _entry_out(entry: JournalEntry, basis: str) -> JournalEntryOut:
    return JournalEntryOut(
        id=entry.pk,
        person=entry.subject.public_id,
        kind=entry.kind,
        category=entry.category,
        entrusted=entry.entrusted,
        text=entry.text,
        occurred_at=entry.occurred_at,
        access_basis=basis,
    )


@router.get(
    "/journal-entries",
    response={200: ListOut[JournalEntryOut], **ERRORS},
    auth=requires(Capability.READ_CASE_CONTENT),
    tags=["journal"],
    summary="Journal entries you may see, newest first; filter with ?person=",
)
def journal_entry_list(request: HttpRequest, query: Query[JournalQuery]) -> dict[str, Any]:
    membership = _membership(request)
    subject_id: int | None = None
    if query.person.strip():
        # Only to filter and to audit: the entries themselves still pass the policy, so a
        # person's id that is unknown or not visible simply yields no entries.
        subject_id = (
            Person.objects.filter(public_id=_public_id(query.person))
            .values_list("pk", flat=True)
            .first()
        )
    entries: QuerySet[JournalEntry]
    if query.person.strip() and subject_id is None:
        entries = JournalEntry.objects.none()
    else:
        entries = cases.journal_entry_list(membership=membership, person_id=subject_id)
    entries = entries.select_related("subject")
    page = list(entries[query.offset : query.offset + query.limit])
    total = (
        policy.VisibleCount(0, exact=True)
        if query.person.strip() and subject_id is None
        else cases.journal_entry_total(membership=membership, person_id=subject_id)
    )
    decisions = policy.explain_many(membership, page)
    record(
        action=AuditAction.JOURNAL_ENTRY_VIEWED,
        actor=_actor(request),
        agency=membership.agency,
        subject_id=subject_id,
        detail={
            "count": total.value,
            "shown": [entry.pk for entry in page],
            "bases": sorted({decisions[entry.pk].basis for entry in page}),
        },
    )
    return {
        "items": [_entry_out(entry, decisions[entry.pk].basis) for entry in page],
        "count": total.value,
        "count_exact": total.exact,
    }


@router.post(
    "/journal-entries",
    response={201: JournalEntryOut, **ERRORS},
    auth=requires(Capability.WRITE_CASE_CONTENT),
    tags=["journal"],
    summary="Record a talk, call, home visit, letter or decision about a person",
)
def journal_entry_post(request: HttpRequest, payload: JournalEntryIn) -> Status[JournalEntryOut]:
    membership = _membership(request)
    person = _visible_person(membership, payload.person, "person")
    with invalid_input_as_422():
        entry = journal_entry_create(
            subject=person,
            kind=payload.kind,
            category=payload.category,
            text=payload.text,
            entrusted=payload.entrusted,
            occurred_at=payload.occurred_at,
            membership=membership,
            actor=_actor(request),
        )
    return Status(201, _entry_out(entry, policy.explain(membership, entry).basis))


@router.get(
    "/journal-entries/{id}",
    response={200: JournalEntryOut, **ERRORS},
    auth=requires(Capability.READ_CASE_CONTENT),
    tags=["journal"],
    summary="A journal entry",
)
def journal_entry_detail(request: HttpRequest, id: int) -> JournalEntryOut:
    membership = _membership(request)
    try:
        entry = cases.journal_entry_get(membership=membership, entry_id=id)
    except Http404:
        _denied(request, JournalEntry.objects.only("pk", "subject_id").filter(pk=id).first())
        raise
    basis = policy.explain(membership, entry).basis
    record(
        action=AuditAction.JOURNAL_ENTRY_VIEWED,
        actor=_actor(request),
        agency=membership.agency,
        target=entry,
        subject_id=entry.subject_id,
        basis=basis,
    )
    return _entry_out(entry, basis)


# --- consents -----------------------------------------------------------------------------------


def _consents(membership: Membership) -> QuerySet[ConsentDeclaration]:
    return (
        consent_selectors.consents_visible_to(membership)
        .select_related("subject")
        .prefetch_related("disclosing_agencies", "recipient_agencies")
        .order_by("-valid_from", "-pk")
    )


def _consent_get(membership: Membership, consent_id: int) -> ConsentDeclaration:
    return get_object_or_404(_consents(membership), pk=consent_id)


class ConsentIn(InputSchema):
    subject: str = Field(description="The Lotse ID of the person (visible to you).")
    given_by: ConsentDeclaration.GivenBy = ConsentDeclaration.GivenBy.SUBJECT
    guardian_name: str = ""
    disclosing_agencies: list[str] = Field(
        default_factory=list,
        description="Agency codes that may disclose; empty: every agency holding data now.",
    )
    recipient_agencies: list[str] = Field(
        description="Agency codes that may receive — named, never 'all authorities'."
    )
    categories: list[DataCategory]
    includes_entrusted: bool = Field(
        False, description="Releases what the person confided to the Jugendamt (§ 65 SGB VIII)."
    )
    purpose: ConsentPurpose
    purpose_text: str = ""
    valid_from: date | None = Field(None, description="Default: today.")
    valid_until: date | None = Field(None, description="Default: two years from today.")
    form_version: str = FORM_VERSION
    form_language: str = Field("de", description="Language of the form the person signed.")
    status: ConsentDeclaration.Status = Field(
        ConsentDeclaration.Status.GIVEN, description="given, requested or refused."
    )


class ConsentOut(Schema):
    id: int
    subject: str = Field(description="The Lotse ID of the person.")
    given_by: str
    guardian_name: str
    disclosing_agencies: list[str]
    recipient_agencies: list[str]
    categories: list[str]
    includes_entrusted: bool
    purpose: str
    purpose_text: str
    valid_from: date
    valid_until: date
    status: str = Field(description="requested, given, refused, withdrawn or expired.")
    form_version: str
    form_language: str


class WithdrawIn(InputSchema):
    reason: str = Field(description="Why the consent was withdrawn (e.g. 'the family asked').")


class ConsentQuery(Page):
    person: str = Field("", description="Only consents of this person (Lotse ID).")


def _consent_out(consent: ConsentDeclaration) -> ConsentOut:
    return ConsentOut(
        id=consent.pk,
        subject=consent.subject.public_id,
        given_by=consent.given_by,
        guardian_name=consent.guardian_name,
        disclosing_agencies=sorted(a.code for a in consent.disclosing_agencies.all()),
        recipient_agencies=sorted(a.code for a in consent.recipient_agencies.all()),
        categories=list(consent.categories),
        includes_entrusted=consent.includes_entrusted,
        purpose=consent.purpose,
        purpose_text=consent.purpose_text,
        valid_from=consent.valid_from,
        valid_until=consent.valid_until,
        status=consent.effective_status(),
        form_version=consent.form_version,
        form_language=consent.form_language,
    )


READ_CONSENTS = (Capability.READ_CASE_CONTENT, Capability.VIEW_CONSENT_REGISTER)


@router.get(
    "/consents",
    response={200: ListOut[ConsentOut], **ERRORS},
    auth=requires(*READ_CONSENTS),
    tags=["consents"],
    summary="Consent declarations you may see; filter with ?person=",
)
def consent_list(request: HttpRequest, query: Query[ConsentQuery]) -> dict[str, Any]:
    membership = _membership(request)
    consents = _consents(membership)
    subject_id: int | None = None
    if query.person.strip():
        subject_id = (
            Person.objects.filter(public_id=_public_id(query.person))
            .values_list("pk", flat=True)
            .first()
        )
        consents = consents.filter(subject_id=subject_id) if subject_id else consents.none()
    page = list(consents[query.offset : query.offset + query.limit])
    count = consents.count()
    record(
        action=AuditAction.CONSENT_VIEWED,
        actor=_actor(request),
        agency=membership.agency,
        subject_id=subject_id,
        detail={"count": count, "shown": [consent.pk for consent in page]},
    )
    return {"items": [_consent_out(consent) for consent in page], "count": count}


@router.post(
    "/consents",
    response={201: ConsentOut, **ERRORS},
    auth=requires(Capability.RECORD_CONSENT),
    tags=["consents"],
    summary="Record a consent declaration (refused with the rule if a firewall forbids it)",
)
def consent_create(request: HttpRequest, payload: ConsentIn) -> Status[ConsentOut]:
    membership = _membership(request)
    subject = _visible_person(membership, payload.subject, "subject")
    data = ConsentData(
        recipient_agencies=_agencies(payload.recipient_agencies, "recipient_agencies"),
        disclosing_agencies=_agencies(payload.disclosing_agencies, "disclosing_agencies"),
        categories=[str(category) for category in payload.categories],
        purpose=payload.purpose,
        purpose_text=payload.purpose_text,
        given_by=payload.given_by,
        guardian_name=payload.guardian_name,
        includes_entrusted=payload.includes_entrusted,
        valid_from=payload.valid_from,
        valid_until=payload.valid_until,
        form_version=payload.form_version,
        form_language=payload.form_language,
        status=payload.status,
    )
    with invalid_input_as_422():
        consent = consent_record(
            subject=subject, data=data, membership=membership, actor=_actor(request)
        )
    return Status(201, _consent_out(_consent_get(membership, consent.pk)))


@router.get(
    "/consents/{id}",
    response={200: ConsentOut, **ERRORS},
    auth=requires(*READ_CONSENTS),
    tags=["consents"],
    summary="A consent declaration",
)
def consent_detail(request: HttpRequest, id: int) -> ConsentOut:
    membership = _membership(request)
    try:
        consent = _consent_get(membership, id)
    except Http404:
        _denied(request, ConsentDeclaration.objects.only("pk", "subject_id").filter(pk=id).first())
        raise
    record(
        action=AuditAction.CONSENT_VIEWED,
        actor=_actor(request),
        agency=membership.agency,
        target=consent,
        subject_id=consent.subject_id,
    )
    return _consent_out(consent)


@router.post(
    "/consents/{id}/withdraw",
    response={200: ConsentOut, **ERRORS},
    auth=requires(Capability.RECORD_CONSENT),
    tags=["consents"],
    summary="Withdraw a consent: it stops opening anything from the next request on",
)
def consent_withdraw_post(request: HttpRequest, id: int, payload: WithdrawIn) -> ConsentOut:
    membership = _membership(request)
    consent = _consent_get(membership, id)
    with invalid_input_as_422():
        consent_withdraw(
            declaration=consent,
            reason=payload.reason,
            membership=membership,
            actor=_actor(request),
        )
    return _consent_out(_consent_get(membership, id))


# --- legal bases --------------------------------------------------------------------------------


class LegalBasisIn(InputSchema):
    from_kind: Agency.Kind = Field(description="Kind of agency the data come from.")
    to_kind: Agency.Kind = Field(description="Kind of agency that may receive them.")
    categories: list[DataCategory]
    citation: str = Field(description="The statute, e.g. '§ 50 SGB II'.")
    note: str = ""
    is_active: bool = True


class LegalBasisPatch(InputSchema):
    """Only the fields sent are changed."""

    from_kind: Agency.Kind | None = None
    to_kind: Agency.Kind | None = None
    categories: list[DataCategory] | None = None
    citation: str | None = None
    note: str | None = None
    is_active: bool | None = None

    @field_validator("*", mode="before")
    @classmethod
    def _not_null(cls, value: Any) -> Any:
        # Validators run only on fields that were sent: null is refused, absence is fine.
        if value is None:
            raise ValueError(_("This field cannot be null."))
        return value


class LegalBasisOut(Schema):
    id: int
    from_kind: str
    to_kind: str
    categories: list[str]
    citation: str
    note: str
    is_active: bool


def _basis_out(basis: LegalBasis) -> LegalBasisOut:
    return LegalBasisOut(
        id=basis.pk,
        from_kind=basis.from_kind,
        to_kind=basis.to_kind,
        categories=list(basis.categories),
        citation=basis.citation,
        note=basis.note,
        is_active=basis.is_active,
    )


def _save_basis(
    request: HttpRequest, basis: LegalBasis | None, values: dict[str, Any]
) -> LegalBasis:
    with invalid_input_as_422():
        return legal_basis_save(
            basis=basis,
            from_kind=str(values["from_kind"]),
            to_kind=str(values["to_kind"]),
            categories=[str(category) for category in values["categories"]],
            citation=values["citation"],
            note=values["note"],
            is_active=values["is_active"],
            membership=_membership(request),
            actor=_actor(request),
        )


@router.get(
    "/legal-bases",
    response={200: ListOut[LegalBasisOut], **ERRORS},
    auth=requires(Capability.READ_CASE_CONTENT, Capability.MANAGE_LEGAL_BASES),
    tags=["legal bases"],
    summary="The legal-basis register: flows a statute allows without consent",
)
def legal_basis_list(request: HttpRequest, page: Query[Page]) -> dict[str, Any]:
    bases = LegalBasis.objects.order_by("from_kind", "to_kind", "pk")
    return {
        "items": [_basis_out(b) for b in bases[page.offset : page.offset + page.limit]],
        "count": bases.count(),
    }


@router.post(
    "/legal-bases",
    response={201: LegalBasisOut, **ERRORS},
    auth=requires(Capability.MANAGE_LEGAL_BASES),
    tags=["legal bases"],
    summary="Register a legal basis (data-protection officer)",
)
def legal_basis_create(request: HttpRequest, payload: LegalBasisIn) -> Status[LegalBasisOut]:
    return Status(201, _basis_out(_save_basis(request, None, payload.model_dump())))


@router.patch(
    "/legal-bases/{id}",
    response={200: LegalBasisOut, **ERRORS},
    auth=requires(Capability.MANAGE_LEGAL_BASES),
    tags=["legal bases"],
    summary="Change or deactivate a legal basis (data-protection officer)",
)
def legal_basis_patch(request: HttpRequest, id: int, payload: LegalBasisPatch) -> LegalBasisOut:
    basis = get_object_or_404(LegalBasis, pk=id)
    values = {
        "from_kind": basis.from_kind,
        "to_kind": basis.to_kind,
        "categories": basis.categories,
        "citation": basis.citation,
        "note": basis.note,
        "is_active": basis.is_active,
        **payload.model_dump(exclude_unset=True),
    }
    return _basis_out(_save_basis(request, basis, values))


# --- audit --------------------------------------------------------------------------------------


def _day_or_time(value: Any) -> Any:
    """'2026-01-31' means the whole day; anything longer is a point in time (ISO 8601).

    Parsed here, so a bad value is one error naming the field, not one per union member."""
    if value is None or isinstance(value, date):
        return value
    text = str(value).strip()
    if not text:
        return None
    try:
        if len(text) == len("YYYY-MM-DD"):
            return date.fromisoformat(text)
        return datetime.fromisoformat(text)
    except ValueError as error:
        raise ValueError(_("Give a day (YYYY-MM-DD) or a time (ISO 8601).")) from error


class AuditQuery(Schema):
    person: str = Field("", description="Events concerning this person (Lotse ID).")
    user: str = Field("", description="Events of this user (username).")
    agency: str = Field("", description="Events of users acting for this agency (code).")
    since: datetime | date | None = Field(None, description="From this day or time on.")
    until: datetime | date | None = Field(None, description="Up to this day (inclusive) or time.")
    limit: int = Field(50, ge=1, le=MAX_PAGE)
    offset: int = Field(0, ge=0)

    _check_since = field_validator("since", mode="before")(_day_or_time)
    _check_until = field_validator("until", mode="before")(_day_or_time)


class AuditEventOut(Schema):
    id: int
    time: datetime
    actor: str | None = Field(description="Username; none for the system.")
    agency: str | None = Field(description="Code of the agency the actor acted for.")
    action: str
    target_type: str
    target_id: str
    subject: str | None = Field(description="The Lotse ID of the person concerned.")
    basis: str
    detail: dict[str, Any] = Field(description="Counts and ids; never names or content.")


def _aware(value: datetime | date, *, end: bool) -> datetime:
    if isinstance(value, datetime):
        return value if timezone.is_aware(value) else timezone.make_aware(value)
    day = value + timedelta(days=1) if end else value
    return timezone.make_aware(datetime.combine(day, time.min))


def _audit_events(query: AuditQuery) -> QuerySet[AuditEvent]:
    events = AuditEvent.objects.select_related("actor", "agency").order_by("-pk")
    if query.person.strip():
        subject_id = (
            Person.objects.filter(public_id=_public_id(query.person))
            .values_list("pk", flat=True)
            .first()
        )
        if subject_id is None:
            raise _query_error("person", _("No person with this ID."))
        events = events.filter(subject_id=subject_id)
    if query.user.strip():
        user_id = (
            User.objects.filter(username=query.user.strip()).values_list("pk", flat=True).first()
        )
        if user_id is None:
            raise _query_error("user", _("No user with this name."))
        events = events.filter(actor_id=user_id)
    if query.agency.strip():
        agency_id = (
            Agency.objects.filter(code=query.agency.strip()).values_list("pk", flat=True).first()
        )
        if agency_id is None:
            raise _query_error("agency", _("No agency with this code."))
        events = events.filter(agency_id=agency_id)
    if query.since is not None:
        events = events.filter(occurred_at__gte=_aware(query.since, end=False))
    if query.until is not None:
        until = _aware(query.until, end=True)
        if isinstance(query.until, datetime):
            events = events.filter(occurred_at__lte=until)
        else:
            events = events.filter(occurred_at__lt=until)
    return events


@router.get(
    "/audit",
    response={200: ListOut[AuditEventOut], **ERRORS},
    auth=requires(Capability.VIEW_AUDIT),
    tags=["audit"],
    summary="The audit trail by person, user, agency and period (data-protection officer)",
)
def audit_list(request: HttpRequest, query: Query[AuditQuery]) -> dict[str, Any]:
    events = _audit_events(query)
    page = list(events[query.offset : query.offset + query.limit])
    subjects = {event.subject_id for event in page if event.subject_id is not None}
    public_ids = dict(Person.objects.filter(pk__in=subjects).values_list("pk", "public_id"))
    return {
        "items": [
            AuditEventOut(
                id=event.pk,
                time=event.occurred_at,
                actor=event.actor.get_username() if event.actor else None,
                agency=event.agency.code if event.agency else None,
                action=event.action,
                target_type=event.target_type,
                target_id=event.target_id,
                subject=public_ids.get(event.subject_id) if event.subject_id else None,
                basis=event.basis,
                detail=event.detail or {},
            )
            for event in page
        ],
        "count": events.count(),
    }
