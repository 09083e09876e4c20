"""Writes of the access core: consents, legal bases, break-glass. Atomic and audited."""

from __future__ import annotations

from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from django.apps import apps
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lotse.accounts.models import Agency, Membership, User
from lotse.accounts.roles import Capability
from lotse.audit.models import AuditAction
from lotse.audit.services import record

from . import firewall
from .categories import Compartment, DataCategory
from .form import FORM_VERSION
from .models import BreakGlass, ConsentDeclaration, ConsentGrant, LegalBasis, default_valid_until

MAX_UPLOAD_BYTES = 10 * 1024 * 1024
_SIGNATURES = {
    b"%PDF-": "application/pdf",
    b"\xff\xd8\xff": "image/jpeg",
    b"\x89PNG\r\n\x1a\n": "image/png",
}
BREAK_GLASS_HOURS = 24
BREAK_GLASS_MIN_REASON = 20
GUARDIAN_AGE = 15


def agencies_holding_data_on(subject: Any) -> set[int]:
    """Every agency that recorded an item about the subject, over all compartmented models."""
    holders: set[int] = set()
    for model in apps.get_models():
        compartment = getattr(model, "compartment", None)
        if not isinstance(compartment, Compartment):
            continue
        lookup = "pk" if compartment.subject == "pk" else compartment.subject
        holders.update(
            model._default_manager.filter(**{lookup: subject.pk}).values_list(
                "owner_agency_id", flat=True
            )
        )
    return holders


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
    disclosing_agencies: list[Agency] = field(default_factory=list)
    purpose_text: str = ""
    given_by: str = ConsentDeclaration.GivenBy.SUBJECT
    guardian_name: str = ""
    includes_entrusted: bool = False
    valid_from: date | None = None
    valid_until: date | None = None
    form_version: str = FORM_VERSION
    form_language: str = "de"
    status: str = ConsentDeclaration.Status.GIVEN


def _validate_consent(subject: Any, data: ConsentData) -> None:
    if not data.recipient_agencies:
        raise ValidationError({"recipient_agencies": _("Name at least one recipient agency.")})
    unknown = sorted(set(data.categories) - set(DataCategory.values))
    if not data.categories or unknown:
        raise ValidationError({"categories": _("Choose at least one valid category.")})
    if data.purpose == "other" and not data.purpose_text.strip():
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
    age = subject.age_on(timezone.localdate()) if hasattr(subject, "age_on") else None
    if age is not None and age < GUARDIAN_AGE and data.given_by != "guardian":
        raise ValidationError(
            {
                "given_by": _(
                    "A child under 15 cannot consent alone: a parent or guardian gives it "
                    "(§ 36 SGB I)."
                )
            }
        )
    if data.given_by == "guardian" and not data.guardian_name.strip():
        raise ValidationError({"guardian_name": _("Name the parent or guardian.")})


@transaction.atomic
def consent_record(
    *,
    subject: Any,
    data: ConsentData,
    membership: Membership,
    actor: User,
    signed_form: UploadedFile | None = None,
) -> ConsentDeclaration:
    """Record a consent declaration; refused if a firewall rule forbids what it would open."""
    _validate_consent(subject, data)
    _check_upload(signed_form)
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
    if signed_form is not None:
        declaration.signed_form = signed_form
    declaration.save()
    disclosing = data.disclosing_agencies or list(
        Agency.objects.filter(pk__in=agencies_holding_data_on(subject))
    )
    declaration.disclosing_agencies.set(disclosing)
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
        },
    )
    if data.status == ConsentDeclaration.Status.GIVEN:
        consent_give(declaration=declaration, membership=membership, actor=actor)
    elif data.status == ConsentDeclaration.Status.REFUSED:
        consent_refuse(declaration=declaration, membership=membership, actor=actor)
    return declaration


def _grants_for(declaration: ConsentDeclaration) -> list[ConsentGrant]:
    disclosing = list(declaration.disclosing_agencies.all())
    if not disclosing:
        disclosing = list(
            Agency.objects.filter(pk__in=agencies_holding_data_on(declaration.subject))
        )
    grants = []
    for source in disclosing:
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
                        includes_entrusted=declaration.includes_entrusted,
                        valid_from=declaration.valid_from,
                        valid_until=declaration.valid_until,
                        active=True,
                    )
                )
    return grants


@transaction.atomic
def consent_give(*, declaration: ConsentDeclaration, membership: Membership, actor: User) -> None:
    if declaration.status != ConsentDeclaration.Status.REQUESTED:
        raise ValidationError({"status": _("Only a requested consent can be given.")})
    declaration.status = ConsentDeclaration.Status.GIVEN
    declaration.save(update_fields=["status", "updated_at"])
    declaration.grants.all().delete()
    ConsentGrant.objects.bulk_create(_grants_for(declaration))
    record(
        action=AuditAction.CONSENT_GIVEN,
        actor=actor,
        agency=membership.agency,
        target=declaration,
        subject_id=declaration.subject_id,
    )


@transaction.atomic
def consent_refuse(*, declaration: ConsentDeclaration, membership: Membership, actor: User) -> None:
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
def consent_withdraw(
    *, declaration: ConsentDeclaration, reason: str, membership: Membership, actor: User
) -> None:
    """Withdrawal takes effect on the very next request: the grants close now."""
    if declaration.status != ConsentDeclaration.Status.GIVEN:
        raise ValidationError({"status": _("Only a given consent can be withdrawn.")})
    if not reason.strip():
        raise ValidationError({"reason": _("Give the reason for the withdrawal.")})
    declaration.status = ConsentDeclaration.Status.WITHDRAWN
    declaration.withdrawn_at = timezone.now()
    declaration.withdrawal_reason = reason.strip()[:500]
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
    ids = list(expired.values_list("pk", flat=True))
    ConsentGrant.objects.filter(declaration_id__in=ids).update(active=False)
    expired.update(status=ConsentDeclaration.Status.EXPIRED)
    for declaration_id in ids:
        record(action=AuditAction.CONSENT_WITHDRAWN, detail={"expired": declaration_id})
    return len(ids)


@transaction.atomic
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
    if not citation.strip():
        raise ValidationError({"citation": _("Cite the statute, e.g. § 50 SGB II.")})
    entity = basis or LegalBasis()
    entity.from_kind = from_kind
    entity.to_kind = to_kind
    entity.categories = sorted(set(categories))
    entity.citation = citation.strip()
    entity.note = note
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
    *, subject: Any, reason: str, membership: Membership, actor: User
) -> BreakGlass:
    if not membership.can(Capability.BREAK_GLASS):
        raise ValidationError(_("Only team leads may open emergency access."))
    if len(reason.strip()) < BREAK_GLASS_MIN_REASON:
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
        reason=reason.strip(),
        expires_at=timezone.now() + timedelta(hours=BREAK_GLASS_HOURS),
    )
    record(
        action=AuditAction.BREAK_GLASS_OPENED,
        actor=actor,
        agency=membership.agency,
        target=glass,
        subject_id=subject.pk,
        basis=f"break_glass:{glass.pk}",
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
    glass.review_note = note
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
