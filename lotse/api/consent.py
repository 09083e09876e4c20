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
from datetime import date, datetime
from typing import Any, Literal

from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status
from ninja.errors import ValidationError
from pydantic import field_validator

from lotse.accounts import selectors as accounts
from lotse.accounts.models import Agency, Membership
from lotse.accounts.roles import Capability
from lotse.audit.models import AuditAction
from lotse.audit.services import record
from lotse.cases import selectors as cases
from lotse.cases.models import JournalEntry
from lotse.cases.services import journal_entry_create
from lotse.consent import policy
from lotse.consent import rules as consent_rules
from lotse.consent import selectors as consent_selectors
from lotse.consent.categories import DataCategory
from lotse.consent.form import FORM_VERSION
from lotse.consent.models import ConsentDeclaration, ConsentPurpose, LegalBasis
from lotse.consent.reads import audited_denial, audited_read
from lotse.consent.services import (
    ConsentData,
    consent_confirm,
    consent_give,
    consent_record,
    consent_refuse,
    consent_withdraw,
    legal_basis_save,
)
from lotse.core.dates import EARLIEST_YEAR, LATEST_YEAR, in_range
from lotse.people import selectors as people
from lotse.people.models import Person
from lotse.privacy import selectors as audit_selectors

from .auth import acting_membership as _membership
from .auth import acting_user as _actor
from .auth import requires
from .people import ERRORS, MAX_OFFSET, MAX_PAGE, InputSchema, Page, invalid_input_as_422
from .schemas import CheckedInput, ListOut, ObjectId

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
    found = accounts.active_agencies_by_code(wanted)
    unknown = sorted(wanted - {agency.code for agency in found})
    if unknown:
        raise _body_error(
            [field], _("Unknown agency code: %(codes)s") % {"codes": ", ".join(unknown)}
        )
    return found


def _denied(request: HttpRequest, target: Any) -> None:
    """Audit a refused detail read (forbidden or missing: the caller learns nothing)."""
    audited_denial(membership=_membership(request), actor=_actor(request), target=target)


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
    # The person only filters: the entries still pass the policy, so an unknown or hidden
    # person's id simply yields no entries.
    subject_id = consent_selectors.subject_id_for(query.person) if query.person.strip() else None
    if query.person.strip() and subject_id is None:
        page: list[JournalEntry] = []
        total = policy.VisibleCount(0, exact=True)
    else:
        entries = cases.journal_entry_list(membership=membership, person_id=subject_id)
        page = list(entries.select_related("subject")[query.offset : query.offset + query.limit])
        total = cases.journal_entry_total(membership=membership, person_id=subject_id)
    decisions = policy.explain_many(membership, page)
    audited_read(
        membership=membership,
        actor=_actor(request),
        action=AuditAction.JOURNAL_ENTRY_VIEWED,
        items=page,
        decisions=decisions,
        subject=subject_id,
        count=total.value,
    )
    return {
        "items": [_entry_out(entry, decisions.of(entry).basis) for entry in page],
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
def journal_entry_detail(request: HttpRequest, id: ObjectId) -> JournalEntryOut:
    membership = _membership(request)
    try:
        entry = cases.journal_entry_get(membership=membership, entry_id=id)
    except Http404:
        _denied(request, cases.journal_entry_ref(entry_id=id))
        raise
    basis = policy.explain(membership, entry).basis
    audited_read(
        membership=membership,
        actor=_actor(request),
        action=AuditAction.JOURNAL_ENTRY_VIEWED,
        target=entry,
        basis=basis,
    )
    return _entry_out(entry, basis)


# --- consents -----------------------------------------------------------------------------------


def _consent_get(request: HttpRequest, consent_id: int) -> ConsentDeclaration:
    """The consent if the caller's agency is named in it (or the DPO); 404 like missing,
    and the refused attempt is audited."""
    membership = _membership(request)
    try:
        return consent_selectors.consent_get(membership=membership, consent_id=consent_id)
    except Http404:
        _denied(request, consent_selectors.consent_ref(consent_id))
        raise


class ConsentIn(InputSchema):
    subject: str = Field(description="The Lotse ID of the person (visible to you).")
    given_by: ConsentDeclaration.GivenBy = ConsentDeclaration.GivenBy.SUBJECT
    guardian_name: str = Field("", description="Only when a parent or guardian consents.")
    disclosing_agencies: list[str] = Field(
        default_factory=list,
        description="Agency codes that may pass data on; empty: your agency alone. Another "
        "agency's data are released only once that agency confirms the consent.",
    )
    recipient_agencies: list[str] = Field(
        description="Agency codes that may receive — named, never 'all authorities', never "
        "your own agency."
    )
    categories: list[DataCategory]
    includes_entrusted: bool = Field(
        False,
        description="Releases what the person confided to the Jugendamt (§ 65 SGB VIII); "
        "the Jugendamt must be among the disclosing agencies.",
    )
    purpose: ConsentPurpose
    purpose_text: str = ""
    valid_from: date | None = Field(None, description="Default: today.")
    valid_until: date | None = Field(None, description="Default: two years from today.")
    form_version: str = FORM_VERSION
    form_language: str = Field("de", description="Language of the form the person signed.")
    status: ConsentDeclaration.Status = Field(
        ConsentDeclaration.Status.REQUESTED,
        description="requested (default), given or refused. 'given' needs `no_scan_reason` "
        "here: the scan of the signed form is uploaded on the consent's page.",
    )
    no_scan_reason: str = Field("", description="Why a given consent has no scan yet.")


class ConsentOut(Schema):
    id: int
    subject: str = Field(description="The Lotse ID of the person.")
    given_by: str
    guardian_name: str = Field(description="Only for those who may see the person's identity.")
    recording_agency: str
    disclosing_agencies: list[str]
    confirmed_disclosing_agencies: list[str] = Field(
        description="Disclosing agencies whose data the consent releases: the recorder and "
        "those that confirmed it."
    )
    recipient_agencies: list[str]
    categories: list[str]
    includes_entrusted: bool
    purpose: str
    purpose_text: str
    valid_from: date
    valid_until: date
    status: str = Field(description="requested, given, refused, withdrawn or expired.")
    signed_form: bool = Field(description="Whether a scan of the signed form is uploaded.")
    no_scan_reason: str
    form_version: str
    form_language: str


class GiveIn(InputSchema):
    no_scan_reason: str = Field(
        description="Why there is no scan of the signed form yet (upload it on the page)."
    )


class WithdrawIn(InputSchema):
    reason: str = Field(description="Why the consent was withdrawn (e.g. 'the family asked').")


class EmptyIn(InputSchema):
    pass


class ConsentQuery(Page):
    person: str = Field("", description="Only consents of this person (Lotse ID).")
    status: ConsentDeclaration.Status | Literal[""] = Field(
        "", description="Only consents in this state (a given one past its end is expired)."
    )


def _consents_out(
    consents: Sequence[ConsentDeclaration], membership: Membership
) -> list[ConsentOut]:
    # The guardian's name is identity data: only for those who may see the person.
    identity_visible = consent_selectors.visible_subject_ids(
        membership=membership, subject_ids={c.subject_id for c in consents}
    )
    return [_consent_out(c, c.subject_id in identity_visible) for c in consents]


def _consent_out(consent: ConsentDeclaration, identity_visible: bool) -> ConsentOut:
    confirmed = consent_rules.confirmed_ids(consent)
    return ConsentOut(
        id=consent.pk,
        subject=consent.subject.public_id,
        given_by=consent.given_by,
        guardian_name=consent.guardian_name if identity_visible else "",
        recording_agency=consent.recording_agency.code,
        disclosing_agencies=sorted(a.code for a in consent.disclosing_agencies.all()),
        confirmed_disclosing_agencies=sorted(
            a.code for a in consent.disclosing_agencies.all() if a.pk in confirmed
        ),
        recipient_agencies=sorted(a.code for a in consent.recipient_agencies.all()),
        categories=list(consent.categories),
        includes_entrusted=consent.includes_entrusted,
        purpose=consent.purpose,
        purpose_text=consent.purpose_text,
        valid_from=consent.valid_from,
        valid_until=consent.valid_until,
        status=consent.effective_status(),
        signed_form=bool(consent.signed_form),
        no_scan_reason=consent.no_scan_reason,
        form_version=consent.form_version,
        form_language=consent.form_language,
    )


def _one_consent_out(request: HttpRequest, consent_id: int) -> ConsentOut:
    membership = _membership(request)
    consent = consent_selectors.consent_get(membership=membership, consent_id=consent_id)
    return _consents_out([consent], membership)[0]


def _consent_viewed(request: HttpRequest, **kwargs: Any) -> None:
    audited_read(
        membership=_membership(request),
        actor=_actor(request),
        action=AuditAction.CONSENT_VIEWED,
        **kwargs,
    )


READ_CONSENTS = (Capability.READ_CASE_CONTENT, Capability.VIEW_CONSENT_REGISTER)


@router.get(
    "/consents",
    response={200: ListOut[ConsentOut], **ERRORS},
    auth=requires(*READ_CONSENTS),
    tags=["consents"],
    summary="Consent declarations naming your agency (the DPO: all); filter with ?person=",
)
def consent_list(request: HttpRequest, query: Query[ConsentQuery]) -> dict[str, Any]:
    """Need-to-know: a consent is listed for the agency that recorded it, the agencies it names
    and the DPO — seeing the person is not enough."""
    membership = _membership(request)
    subject_id: int | None = None
    if query.person.strip():
        subject_id = consent_selectors.subject_id_for(query.person)
    consents = (
        consent_selectors.consent_list(
            membership=membership,
            filters=consent_selectors.ConsentFilter(subject_id=subject_id, status=query.status),
        )
        if subject_id is not None or not query.person.strip()
        else ConsentDeclaration.objects.none()
    )
    page = list(consents[query.offset : query.offset + query.limit])
    count = consents.count()
    items = _consents_out(page, membership)
    _consent_viewed(
        request,
        subject=subject_id,
        subjects={consent.subject_id for consent in page},
        shown=[consent.pk for consent in page],
        count=count,
    )
    return {"items": items, "count": count}


@router.post(
    "/consents",
    response={201: ConsentOut, **ERRORS},
    auth=requires(Capability.RECORD_CONSENT),
    tags=["consents"],
    summary="Record a consent declaration (refused with the rule if a rule or firewall forbids it)",
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
        no_scan_reason=payload.no_scan_reason,
    )
    with invalid_input_as_422():
        consent = consent_record(
            subject=subject, data=data, membership=membership, actor=_actor(request)
        )
    return Status(201, _one_consent_out(request, consent.pk))


@router.get(
    "/consents/{id}",
    response={200: ConsentOut, **ERRORS},
    auth=requires(*READ_CONSENTS),
    tags=["consents"],
    summary="A consent declaration",
)
def consent_detail(request: HttpRequest, id: ObjectId) -> ConsentOut:
    consent = _consent_get(request, id)
    _consent_viewed(request, target=consent)
    return _consents_out([consent], _membership(request))[0]


def _act_on_consent(
    request: HttpRequest, consent_id: int, action: Any, **kwargs: Any
) -> ConsentOut:
    consent = _consent_get(request, consent_id)
    with invalid_input_as_422():
        action(
            declaration=consent, membership=_membership(request), actor=_actor(request), **kwargs
        )
    return _one_consent_out(request, consent_id)


@router.post(
    "/consents/{id}/give",
    response={200: ConsentOut, **ERRORS},
    auth=requires(Capability.RECORD_CONSENT),
    tags=["consents"],
    summary="Mark a requested consent given (the agency that recorded it)",
)
def consent_give_post(request: HttpRequest, id: ObjectId, payload: GiveIn) -> ConsentOut:
    return _act_on_consent(request, id, consent_give, no_scan_reason=payload.no_scan_reason)


@router.post(
    "/consents/{id}/refuse",
    response={200: ConsentOut, **ERRORS},
    auth=requires(Capability.RECORD_CONSENT),
    tags=["consents"],
    summary="Mark a requested consent refused (the agency that recorded it)",
)
def consent_refuse_post(request: HttpRequest, id: ObjectId, payload: EmptyIn) -> ConsentOut:
    return _act_on_consent(request, id, consent_refuse)


@router.post(
    "/consents/{id}/confirm",
    response={200: ConsentOut, **ERRORS},
    auth=requires(Capability.RECORD_CONSENT),
    tags=["consents"],
    summary="Confirm a given consent as a disclosing agency: it then releases your data too",
)
def consent_confirm_post(request: HttpRequest, id: ObjectId, payload: EmptyIn) -> ConsentOut:
    return _act_on_consent(request, id, consent_confirm)


@router.post(
    "/consents/{id}/withdraw",
    response={200: ConsentOut, **ERRORS},
    auth=requires(Capability.RECORD_CONSENT),
    tags=["consents"],
    summary="Withdraw a consent: it stops opening anything from the next request on",
)
def consent_withdraw_post(request: HttpRequest, id: ObjectId, payload: WithdrawIn) -> ConsentOut:
    """Through an agency the consent names (recorder, discloser or recipient) only."""
    return _act_on_consent(request, id, consent_withdraw, reason=payload.reason)


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
    bases = consent_selectors.legal_basis_list()
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
def legal_basis_patch(
    request: HttpRequest, id: ObjectId, payload: LegalBasisPatch
) -> LegalBasisOut:
    basis = consent_selectors.legal_basis_get(basis_id=id)
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
    """'2026-01-31' means the whole day; anything longer is a point in time (ISO 8601; a time
    without offset is Berlin time). Parsed here, so a bad value is one error naming the field,
    not one per union member."""
    if value is None or isinstance(value, date):
        parsed = value
    else:
        text = str(value).strip()
        if not text:
            return None
        try:
            parsed = (
                date.fromisoformat(text)
                if len(text) == len("YYYY-MM-DD")
                else datetime.fromisoformat(text)
            )
        except ValueError as error:
            raise ValueError(_("Give a day (YYYY-MM-DD) or a time (ISO 8601).")) from error
    if parsed is not None and not in_range(parsed):
        raise ValueError(
            _("Give a date between %(first)s and %(last)s.")
            % {"first": EARLIEST_YEAR, "last": LATEST_YEAR}
        )
    return parsed


class AuditQuery(CheckedInput):
    person: str = Field("", description="Events concerning this person (Lotse ID).")
    user: str = Field("", description="Events of this user (username).")
    agency: str = Field("", description="Events of users acting for this agency (code).")
    action: str = Field("", description="Only events of this kind, e.g. 'access_denied'.")
    since: datetime | date | None = Field(None, description="From this day or time on.")
    until: datetime | date | None = Field(None, description="Up to this day (inclusive) or time.")
    limit: int = Field(50, ge=1, le=MAX_PAGE)
    offset: int = Field(0, ge=0, le=MAX_OFFSET)

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


def _audit_filter(query: AuditQuery) -> audit_selectors.AuditFilter:
    """The page's filters from the query; an unknown person, user or agency is a 422 naming
    the parameter (the DPO may know which exist)."""
    subject_id = actor_id = None
    agency = None
    if query.person.strip():
        ref = audit_selectors.person_ref(query.person)
        if ref is None:
            raise _query_error("person", _("No person with this ID."))
        subject_id = ref.pk
    if query.user.strip():
        actor_id = audit_selectors.user_id_for(query.user)
        if actor_id is None:
            raise _query_error("user", _("No user with this name."))
    if query.agency.strip():
        agency = audit_selectors.agency_for_code(query.agency)
        if agency is None:
            raise _query_error("agency", _("No agency with this code."))
    if query.action.strip() and query.action.strip() not in AuditAction.values:
        raise _query_error("action", _("No such kind of event."))
    if (
        query.since is not None
        and query.until is not None
        and audit_selectors.lower_bound(query.until) < audit_selectors.lower_bound(query.since)
    ):
        raise _query_error("until", _("The end lies before the start."))
    return audit_selectors.AuditFilter(
        subject_id=subject_id,
        actor_id=actor_id,
        agency=agency,
        since=query.since,
        until=query.until,
        action=query.action.strip(),
    )


@router.get(
    "/audit",
    response={200: ListOut[AuditEventOut], **ERRORS},
    auth=requires(Capability.VIEW_AUDIT),
    tags=["audit"],
    summary="The audit trail by person, user, agency, kind and period (data-protection officer)",
)
def audit_list(request: HttpRequest, query: Query[AuditQuery]) -> dict[str, Any]:
    """Reading the trail is itself recorded (``audit_viewed``), as on the DPO's pages."""
    filters = _audit_filter(query)
    events = audit_selectors.audit_events(filters=filters)
    page = list(events[query.offset : query.offset + query.limit])
    count = events.count()
    membership = _membership(request)
    record(
        action=AuditAction.AUDIT_VIEWED,
        actor=_actor(request),
        agency=membership.agency,
        subject_id=filters.subject_id,
        detail={
            "filters": sorted(
                name
                for name in ("person", "user", "agency", "action", "since", "until")
                if getattr(query, name) not in (None, "")
            ),
            "count": count,
            "via": "api",
        },
    )
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
                subject=event.subject_public_id,  # type: ignore[attr-defined]
                basis=event.basis,
                detail=event.detail or {},
            )
            for event in page
        ],
        "count": count,
    }
