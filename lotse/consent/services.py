"""Writes of the access core: consents, legal bases, break-glass. Atomic and audited."""

from __future__ import annotations

from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile, UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lotse.accounts.models import Agency, Membership, User
from lotse.accounts.roles import Capability
from lotse.audit.models import AuditAction
from lotse.audit.services import record
from lotse.core.errors import AccessDenied
from lotse.core.text import LONG_TEXT_MAX, SHORT_TEXT_MAX, clean_text

from . import firewall, policy, rules
from .categories import DataCategory
from .form import FORM_VERSION
from .models import (
    BreakGlass,
    ConsentDeclaration,
    ConsentGrant,
    DisclosureConfirmation,
    LegalBasis,
    default_valid_until,
)

MAX_UPLOAD_BYTES = 10 * 1024 * 1024
_SIGNATURES = {
    b"%PDF-": "application/pdf",
    b"\xff\xd8\xff": "image/jpeg",
    b"\x89PNG\r\n\x1a\n": "image/png",
}
BREAK_GLASS_HOURS = 24
BREAK_GLASS_MIN_REASON = 20
GUARDIAN_AGE = 15


def signed_form_type(head: bytes) -> str | None:
    """The content type of a signed form by its first bytes (PDF, JPEG, PNG), else None."""
    for signature, content_type in _SIGNATURES.items():
        if head.startswith(signature):
            return content_type
    return None


def _check_upload(upload: UploadedFile | None) -> None:
    if upload is None:
        return
    if upload.size is not None and upload.size > MAX_UPLOAD_BYTES:
        raise ValidationError({"signed_form": _("The file is larger than 10 MB.")})
    head = upload.read(16)
    upload.seek(0)
    if signed_form_type(head) is None:
        raise ValidationError({"signed_form": _("Upload the signed form as PDF, JPEG or PNG.")})


@dataclass
class ConsentData:
    recipient_agencies: list[Agency]
    categories: list[str]
    purpose: str
    #: Empty: the recording agency alone passes on its own data.
    disclosing_agencies: list[Agency] = field(default_factory=list)
    purpose_text: str = ""
    given_by: str = ConsentDeclaration.GivenBy.SUBJECT
    guardian_name: str = ""
    includes_entrusted: bool = False
    valid_from: date | None = None
    valid_until: date | None = None
    form_version: str = FORM_VERSION
    form_language: str = "de"
    status: str = ConsentDeclaration.Status.REQUESTED
    #: Why a consent recorded as given has no scan of the signed form (e.g. sent by post).
    no_scan_reason: str = ""


def _age(subject: Any) -> int | None:
    return subject.age_on(timezone.localdate()) if hasattr(subject, "age_on") else None


def _require_recording_basis(subject: Any, membership: Membership) -> None:
    """The member may see the person by a documented basis — not by emergency access."""
    if not membership.can(Capability.RECORD_CONSENT):
        raise AccessDenied
    decision = policy.explain(membership, subject)
    if not decision.allowed:
        raise AccessDenied
    if decision.basis.startswith(policy.Basis.BREAK_GLASS):
        raise rules.NOT_UNDER_EMERGENCY_ACCESS.refusal("subject")


def _validate_consent(subject: Any, data: ConsentData, membership: Membership) -> None:
    if not data.recipient_agencies:
        raise ValidationError({"recipient_agencies": _("Name at least one recipient agency.")})
    if any(agency.pk == membership.agency_id for agency in data.recipient_agencies):
        raise rules.NOT_TO_ONESELF.refusal("recipient_agencies")
    unknown = sorted(set(data.categories) - set(DataCategory.values))
    if not data.categories or unknown:
        raise ValidationError({"categories": _("Choose at least one valid category.")})
    data.purpose_text = clean_text(
        data.purpose_text, field="purpose_text", max_length=SHORT_TEXT_MAX, multiline=True
    )
    if data.purpose == "other" and not data.purpose_text:
        raise ValidationError({"purpose_text": _("Describe the purpose.")})
    for recipient in data.recipient_agencies:
        broken = firewall.violations(recipient.kind, set(data.categories))
        if broken:
            rule = broken[0]
            raise ValidationError(
                {
                    "categories": _("Not allowed for %(agency)s: %(rule)s (%(citation)s)")
                    % {
                        "agency": recipient.name,
                        "rule": rule.description,
                        "citation": rule.citation,
                    }
                }
            )
    if data.includes_entrusted and not any(
        agency.kind in rules.CONFIDANT_KINDS for agency in data.disclosing_agencies
    ):
        raise rules.ENTRUSTED_THROUGH_CONFIDANT.refusal("includes_entrusted")
    _validate_given_by(subject, data)
    data.no_scan_reason = clean_text(
        data.no_scan_reason, field="no_scan_reason", max_length=300, multiline=True
    )


def _validate_given_by(subject: Any, data: ConsentData) -> None:
    age = _age(subject)
    data.guardian_name = clean_text(data.guardian_name, field="guardian_name", max_length=200)
    if data.given_by == ConsentDeclaration.GivenBy.GUARDIAN:
        if age is not None and age >= rules.MINOR_AGE:
            raise rules.GUARDIAN_ONLY_FOR_MINORS.refusal("given_by")
        if not data.guardian_name:
            raise ValidationError({"guardian_name": _("Name the parent or guardian.")})
        return
    if data.given_by != ConsentDeclaration.GivenBy.SUBJECT:
        raise ValidationError({"given_by": _("Choose who gives the consent.")})
    if age is not None and age < GUARDIAN_AGE:
        raise ValidationError(
            {
                "given_by": _(
                    "A child under 15 cannot consent alone: a parent or guardian gives it "
                    "(§ 36 SGB I)."
                )
            }
        )
    if data.guardian_name:
        raise ValidationError(
            {
                "guardian_name": _(
                    "Only when a parent or guardian consents: leave the name empty when the "
                    "person consents themself."
                )
            }
        )


def _require_form_or_reason(*, has_scan: bool, reason: str, field: str = "no_scan_reason") -> None:
    """A consent counts as given only with the signed form or a recorded reason why not."""
    if not has_scan and not reason:
        raise ValidationError(
            {
                field: _(
                    "Upload the signed form, or say why there is none yet (e.g. “signed on "
                    "paper, the scan follows”)."
                )
            }
        )


def _new_declaration(
    *, subject: Any, data: ConsentData, membership: Membership, actor: User
) -> ConsentDeclaration:
    valid_from = data.valid_from or timezone.localdate()
    valid_until = data.valid_until or default_valid_until()
    if valid_until < valid_from:
        raise ValidationError({"valid_until": _("The end lies before the start.")})
    if data.status not in {
        ConsentDeclaration.Status.GIVEN,
        ConsentDeclaration.Status.REQUESTED,
        ConsentDeclaration.Status.REFUSED,
    }:
        raise ValidationError({"status": _("A new consent is requested, given or refused.")})
    declaration = ConsentDeclaration(
        subject=subject,
        given_by=data.given_by,
        guardian_name=data.guardian_name,
        categories=sorted(set(data.categories)),
        includes_entrusted=data.includes_entrusted,
        purpose=data.purpose,
        purpose_text=data.purpose_text,
        valid_from=valid_from,
        valid_until=valid_until,
        form_version=data.form_version,
        form_language=data.form_language,
        status=ConsentDeclaration.Status.REQUESTED,
        recorded_by=actor,
        recording_agency=membership.agency,
    )
    declaration.full_clean(exclude=["subject", "recorded_by", "recording_agency", "signed_form"])
    return declaration


@transaction.atomic
def consent_record(
    *,
    subject: Any,
    data: ConsentData,
    membership: Membership,
    actor: User,
    signed_form: UploadedFile | None = None,
) -> ConsentDeclaration:
    """Record a consent declaration; refused if a rule or a firewall forbids what it would open.

    It releases the recording agency's own data at once (once given) and every other
    disclosing agency's data only after that agency confirmed it (``consent_confirm``).
    """
    _require_recording_basis(subject, membership)
    data.disclosing_agencies = list(dict.fromkeys(data.disclosing_agencies or [membership.agency]))
    _validate_consent(subject, data, membership)
    _check_upload(signed_form)
    if data.status == ConsentDeclaration.Status.GIVEN:
        _require_form_or_reason(has_scan=signed_form is not None, reason=data.no_scan_reason)
    declaration = _new_declaration(subject=subject, data=data, membership=membership, actor=actor)
    if signed_form is not None:
        signed_form.seek(0)
        declaration.signed_form = signed_form
    declaration.save()
    declaration.disclosing_agencies.set(data.disclosing_agencies)
    declaration.recipient_agencies.set(data.recipient_agencies)
    record(
        action=AuditAction.CONSENT_RECORDED,
        actor=actor,
        agency=membership.agency,
        target=declaration,
        subject_id=subject.pk,
        detail={
            "categories": declaration.categories,
            "recipients": sorted(a.code for a in data.recipient_agencies),
            "disclosing": sorted(a.code for a in data.disclosing_agencies),
        },
    )
    if data.status == ConsentDeclaration.Status.GIVEN:
        _give(declaration, membership=membership, actor=actor, no_scan_reason=data.no_scan_reason)
    elif data.status == ConsentDeclaration.Status.REFUSED:
        consent_refuse(declaration=declaration, membership=membership, actor=actor)
    return declaration


@dataclass(frozen=True)
class ConsentDraft:
    """A declaration checked like a real one but not saved: printed for the family to sign."""

    declaration: ConsentDeclaration
    recipients: list[Agency]
    disclosing: list[Agency]


def consent_draft(
    *, subject: Any, data: ConsentData, membership: Membership, actor: User
) -> ConsentDraft:
    """Everything :func:`consent_record` checks, nothing saved (and so nothing audited here:
    the page that prints it records the read)."""
    _require_recording_basis(subject, membership)
    data = replace(
        data,
        disclosing_agencies=list(dict.fromkeys(data.disclosing_agencies or [membership.agency])),
        status=ConsentDeclaration.Status.REQUESTED,
    )
    _validate_consent(subject, data, membership)
    declaration = _new_declaration(subject=subject, data=data, membership=membership, actor=actor)
    return ConsentDraft(declaration, list(data.recipient_agencies), data.disclosing_agencies)


@transaction.atomic
def consent_record_many(
    *,
    subjects: list[tuple[Any, ConsentData]],
    membership: Membership,
    actor: User,
    signed_form: UploadedFile | None = None,
) -> list[ConsentDeclaration]:
    """The same consent for several members of a household: one declaration per person, all
    saved or none. Errors name the member as ``members[<index>].<field>``."""
    declarations = []
    # One signed sheet for everyone: each declaration keeps its own copy (the storage may
    # move the uploaded file itself away when it saves the first).
    _check_upload(signed_form)
    scan = b"".join(signed_form.chunks()) if signed_form is not None else b""
    for index, (subject, data) in enumerate(subjects):
        copy = (
            SimpleUploadedFile(signed_form.name or "signed-form", scan)
            if signed_form is not None
            else None
        )
        try:
            declarations.append(
                consent_record(
                    subject=subject,
                    data=data,
                    membership=membership,
                    actor=actor,
                    signed_form=copy,
                )
            )
        except ValidationError as error:
            if index == 0:
                raise
            messages = error.message_dict if hasattr(error, "error_dict") else {"": error.messages}
            raise ValidationError(
                {f"members[{index}]" + (f".{k}" if k else ""): v for k, v in messages.items()}
            ) from error
    return declarations


def _grants_for(declaration: ConsentDeclaration) -> list[ConsentGrant]:
    """The grants of a given consent: for each disclosing agency that recorded or confirmed
    it, towards each recipient, one per category."""
    confirmed = rules.confirmed_ids(declaration)
    grants = []
    for source in declaration.disclosing_agencies.all():
        if source.pk not in confirmed:
            continue
        for recipient in declaration.recipient_agencies.all():
            if source.pk == recipient.pk:
                continue
            for category in declaration.categories:
                grants.append(
                    ConsentGrant(
                        declaration=declaration,
                        subject_id=declaration.subject_id,
                        disclosing_agency=source,
                        recipient_agency=recipient,
                        category=category,
                        purpose=declaration.purpose,
                        includes_entrusted=declaration.includes_entrusted
                        and source.kind in rules.CONFIDANT_KINDS,
                        valid_from=declaration.valid_from,
                        valid_until=declaration.valid_until,
                        active=True,
                    )
                )
    return grants


def _rebuild_grants(declaration: ConsentDeclaration) -> None:
    declaration.grants.all().delete()
    ConsentGrant.objects.bulk_create(_grants_for(declaration))


def _give(
    declaration: ConsentDeclaration, *, membership: Membership, actor: User, no_scan_reason: str
) -> None:
    declaration.status = ConsentDeclaration.Status.GIVEN
    declaration.no_scan_reason = no_scan_reason
    declaration.save(update_fields=["status", "no_scan_reason", "signed_form", "updated_at"])
    _rebuild_grants(declaration)
    record(
        action=AuditAction.CONSENT_GIVEN,
        actor=actor,
        agency=membership.agency,
        target=declaration,
        subject_id=declaration.subject_id,
        detail={"signed_form": bool(declaration.signed_form)},
    )


def _require_decider(declaration: ConsentDeclaration, membership: Membership) -> None:
    """rules.DECIDED_BY_RECORDER: to every other agency the action does not exist (404)."""
    if declaration.recording_agency_id != membership.agency_id or not membership.can(
        Capability.RECORD_CONSENT
    ):
        raise AccessDenied


@transaction.atomic
def consent_give(
    *,
    declaration: ConsentDeclaration,
    membership: Membership,
    actor: User,
    signed_form: UploadedFile | None = None,
    no_scan_reason: str = "",
) -> None:
    """A requested consent has been signed: it is given from now on, with the scan uploaded
    now or before, or with the reason why there is none."""
    _require_decider(declaration, membership)
    if declaration.status != ConsentDeclaration.Status.REQUESTED:
        raise ValidationError({"status": _("Only a requested consent can be given.")})
    reason = clean_text(no_scan_reason, field="no_scan_reason", max_length=300, multiline=True)
    _check_upload(signed_form)
    _require_form_or_reason(
        has_scan=signed_form is not None or bool(declaration.signed_form), reason=reason
    )
    if declaration.valid_until < timezone.localdate():
        raise ValidationError({"status": _("The consent's period has ended; record a new one.")})
    if signed_form is not None:
        signed_form.seek(0)
        declaration.signed_form = signed_form
    _give(declaration, membership=membership, actor=actor, no_scan_reason=reason)


@transaction.atomic
def consent_refuse(*, declaration: ConsentDeclaration, membership: Membership, actor: User) -> None:
    _require_decider(declaration, membership)
    if declaration.status != ConsentDeclaration.Status.REQUESTED:
        raise ValidationError({"status": _("Only a requested consent can be refused.")})
    declaration.status = ConsentDeclaration.Status.REFUSED
    declaration.save(update_fields=["status", "updated_at"])
    record(
        action=AuditAction.CONSENT_REFUSED,
        actor=actor,
        agency=membership.agency,
        target=declaration,
        subject_id=declaration.subject_id,
    )


@transaction.atomic
def consent_confirm(
    *, declaration: ConsentDeclaration, membership: Membership, actor: User
) -> None:
    """A disclosing agency has seen the signed form and accepts: from now on the consent
    releases its data too."""
    if membership.agency_id not in rules.disclosing_ids(declaration) or not membership.can(
        Capability.RECORD_CONSENT
    ):
        raise AccessDenied
    if membership.agency_id not in rules.pending_ids(declaration):
        raise ValidationError({"status": _("Your agency has confirmed this consent already.")})
    if declaration.effective_status() != ConsentDeclaration.Status.GIVEN:
        raise ValidationError({"status": _("Only a given consent can be confirmed.")})
    DisclosureConfirmation.objects.create(
        declaration=declaration, agency=membership.agency, confirmed_by=actor
    )
    # The prefetched confirmations are stale now.
    declaration = ConsentDeclaration.objects.get(pk=declaration.pk)
    _rebuild_grants(declaration)
    record(
        action=AuditAction.CONSENT_CONFIRMED,
        actor=actor,
        agency=membership.agency,
        target=declaration,
        subject_id=declaration.subject_id,
    )


@transaction.atomic
def consent_withdraw(
    *, declaration: ConsentDeclaration, reason: str, membership: Membership, actor: User
) -> None:
    """Withdrawal takes effect on the very next request: the grants close now. The family
    withdraws through an agency the consent names, never through a third."""
    if membership.agency_id not in rules.party_ids(declaration):
        raise AccessDenied
    if not membership.can(Capability.RECORD_CONSENT):
        raise AccessDenied
    if declaration.status != ConsentDeclaration.Status.GIVEN:
        raise ValidationError({"status": _("Only a given consent can be withdrawn.")})
    text = clean_text(reason, field="reason", max_length=500, required=True, multiline=True)
    declaration.status = ConsentDeclaration.Status.WITHDRAWN
    declaration.withdrawn_at = timezone.now()
    declaration.withdrawal_reason = text
    declaration.save(update_fields=["status", "withdrawn_at", "withdrawal_reason", "updated_at"])
    declaration.grants.update(active=False)
    record(
        action=AuditAction.CONSENT_WITHDRAWN,
        actor=actor,
        agency=membership.agency,
        target=declaration,
        subject_id=declaration.subject_id,
    )


@transaction.atomic
def consents_expire(*, today: date | None = None) -> int:
    """Mark given consents past their end as expired (the grants stop by date already)."""
    today = today or timezone.localdate()
    expired = ConsentDeclaration.objects.filter(
        status=ConsentDeclaration.Status.GIVEN, valid_until__lt=today
    )
    declarations = list(expired.only("pk", "subject_id"))
    ids = [declaration.pk for declaration in declarations]
    ConsentGrant.objects.filter(declaration_id__in=ids).update(active=False)
    ConsentDeclaration.objects.filter(pk__in=ids).update(status=ConsentDeclaration.Status.EXPIRED)
    for declaration in declarations:
        record(
            action=AuditAction.CONSENT_EXPIRED,
            target=declaration,
            subject_id=declaration.subject_id,
        )
    return len(ids)


def _labels(categories: AbstractSet[str]) -> str:
    return ", ".join(str(DataCategory(code).label) for code in sorted(categories))


def _legal_basis_refusals(to_kind: str, categories: set[str]) -> list[str]:
    """Why a legal basis may not open these categories to this kind of agency: a firewall
    rule closes them to everything, or they open by the person's consent only."""
    refusals = [
        _("%(rule)s (%(citation)s) No legal basis can open: %(categories)s.")
        % {
            "categories": _labels(rule.categories & categories),
            "rule": rule.description,
            "citation": rule.citation,
        }
        for rule in firewall.violations(to_kind, categories)
    ]
    consent_only = (
        firewall.consent_only_categories(to_kind) & categories
    ) - firewall.blocked_categories(to_kind)
    if consent_only:
        refusals.append(
            _(
                "Only the person's own consent opens %(categories)s to this kind of agency, "
                "never a legal basis."
            )
            % {"categories": _labels(consent_only)}
        )
    return refusals


@transaction.atomic
def legal_basis_save(
    *,
    basis: LegalBasis | None,
    from_kind: str,
    to_kind: str,
    categories: list[str],
    citation: str,
    note: str,
    is_active: bool,
    membership: Membership,
    actor: User,
) -> LegalBasis:
    if not membership.can(Capability.MANAGE_LEGAL_BASES):
        raise ValidationError(_("Only the data-protection officer keeps the legal-basis register."))
    unknown = sorted(set(categories) - set(DataCategory.values))
    if not categories or unknown:
        raise ValidationError({"categories": _("Choose at least one valid category.")})
    refusals = _legal_basis_refusals(to_kind, set(categories))
    if refusals:
        raise ValidationError({"categories": refusals})
    citation = clean_text(citation, field="citation", max_length=200)
    if not citation:
        raise ValidationError({"citation": _("Cite the statute, e.g. § 50 SGB II.")})
    entity = basis or LegalBasis()
    entity.from_kind = from_kind
    entity.to_kind = to_kind
    entity.categories = sorted(set(categories))
    entity.citation = citation
    entity.note = clean_text(note, field="note", max_length=LONG_TEXT_MAX, multiline=True)
    entity.is_active = is_active
    entity.full_clean()
    entity.save()
    record(
        action=AuditAction.LEGAL_BASIS_SAVED,
        actor=actor,
        agency=membership.agency,
        target=entity,
        detail={
            "from": from_kind,
            "to": to_kind,
            "categories": entity.categories,
            "active": is_active,
        },
    )
    return entity


@transaction.atomic
def break_glass_open(
    *,
    subject: Any | None,
    reason: str,
    membership: Membership,
    actor: User,
    public_id: str = "",
) -> BreakGlass:
    """Open emergency access to the person with ``public_id`` for 24 hours.

    ``subject`` is that person, or None when the ID matches nobody: the request is then kept
    and queued for review all the same, so that neither the answer nor its timing tells an
    existing ID from a missing one — and the DPO sees every ID somebody tried.
    """
    if not membership.can(Capability.BREAK_GLASS):
        raise AccessDenied
    text = clean_text(reason, field="reason", max_length=2000, required=True, multiline=True)
    if len(text) < BREAK_GLASS_MIN_REASON:
        raise ValidationError(
            {
                "reason": _("Explain the emergency in at least %(n)s characters.")
                % {"n": BREAK_GLASS_MIN_REASON}
            }
        )
    glass = BreakGlass.objects.create(
        user=actor,
        agency=membership.agency,
        subject=subject,
        requested_id=(public_id or (subject.public_id if subject is not None else ""))[:12],
        reason=text,
        expires_at=timezone.now() + timedelta(hours=BREAK_GLASS_HOURS),
    )
    record(
        action=AuditAction.BREAK_GLASS_OPENED,
        actor=actor,
        agency=membership.agency,
        target=glass,
        subject_id=subject.pk if subject is not None else None,
        basis=f"break_glass:{glass.pk}",
        detail={"requested_id": glass.requested_id, "known": subject is not None},
    )
    return glass


@transaction.atomic
def break_glass_review(
    *, glass: BreakGlass, justified: bool, note: str, membership: Membership, actor: User
) -> None:
    if not membership.can(Capability.REVIEW_BREAK_GLASS):
        raise ValidationError(_("Only the data-protection officer reviews emergency access."))
    if glass.review != BreakGlass.Review.PENDING:
        raise ValidationError(_("This emergency access has already been reviewed."))
    glass.review = BreakGlass.Review.JUSTIFIED if justified else BreakGlass.Review.UNJUSTIFIED
    glass.reviewed_by = actor
    glass.reviewed_at = timezone.now()
    glass.review_note = clean_text(note, field="note", max_length=2000, multiline=True)
    if not justified:
        glass.expires_at = min(glass.expires_at, timezone.now())
    glass.save()
    record(
        action=AuditAction.BREAK_GLASS_REVIEWED,
        actor=actor,
        agency=membership.agency,
        target=glass,
        subject_id=glass.subject_id,
        detail={"justified": justified},
    )


def consent_content_move(*, survivor_id: int, merged_id: int) -> dict[str, int]:
    """The access core's part of a merge (ConsentConfig.move_person_content): the person's
    consents with their grants, and emergency accesses to the absorbed record, now concern the
    survivor — a consent the person gave does not vanish because a record was a duplicate."""
    return {
        "consents": ConsentDeclaration.objects.filter(subject_id=merged_id).update(
            subject_id=survivor_id
        ),
        "consent_grants": ConsentGrant.objects.filter(subject_id=merged_id).update(
            subject_id=survivor_id
        ),
        "emergency_accesses": BreakGlass.objects.filter(subject_id=merged_id).update(
            subject_id=survivor_id
        ),
    }
