"""Referral workflow: send, answer, carry out, close — each step atomic and audited.

States (FHIR Task for referral management): sent → received → accepted | declined |
waiting list → in progress → completed | not completed; the sender may cancel before
acceptance; an unanswered referral expires (``referrals_expire``). A referral is sent only
when every category that goes with it is covered for the referral purpose — by a consent of
the person or a legal basis; otherwise nothing is sent and the gaps are listed.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from lotse.accounts.models import Agency, Membership, User
from lotse.accounts.roles import Capability
from lotse.audit.models import AuditAction
from lotse.audit.services import record
from lotse.cases.access import cases_visible_to
from lotse.cases.models import DOMAIN_CATEGORY, Assessment, Case, Measure
from lotse.consent import policy
from lotse.consent.categories import DataCategory
from lotse.consent.models import ConsentPurpose
from lotse.core.errors import AccessDenied
from lotse.core.text import clean_text
from lotse.directory.models import Offer, Provider
from lotse.people.access import persons_visible_to
from lotse.people.models import HouseholdMember, Person
from lotse.people.validation import language_codes

from .models import (
    UNANSWERED,
    DeclineReason,
    NotCompletedReason,
    Referral,
    ReferralEvent,
    Status,
    Urgency,
)


class ReferralNotCovered(ValidationError):
    """Refused: some data that would go with the referral has no consent for the referral
    purpose and no legal basis. ``gaps`` names each category; nothing was sent."""

    def __init__(self, gaps: list[policy.FlowGap]) -> None:
        super().__init__(
            {
                "categories": _(
                    "Not sent: %(count)s kinds of data have no consent for a referral to this "
                    "agency and no legal basis."
                )
                % {"count": len(gaps)}
            },
            code="uncovered",
        )
        self.gaps = gaps


def referral_gaps(
    *, membership: Membership, subject: Person, to_agency: Agency, categories: Sequence[str]
) -> list[policy.FlowGap]:
    """What is missing for the referral to go: identity always goes with it."""
    wanted = list(dict.fromkeys([DataCategory.IDENTITY, *categories]))
    return policy.flow_gaps(
        disclosing=membership.agency,
        recipient=to_agency,
        subject_ids=[subject.pk],
        categories=wanted,
        use=ConsentPurpose.REFERRAL,
    )


def _require_writer(membership: Membership) -> None:
    if not membership.can(Capability.WRITE_CASE_CONTENT):
        raise AccessDenied


def offer_target(offer: Offer) -> Agency:
    """The agency whose inbox a referral to ``offer`` reaches, or a ValidationError saying
    why the offer takes no referrals."""
    today = timezone.localdate()
    if not offer.is_current(today) or offer.provider.status != Provider.Status.APPROVED:
        raise ValidationError({"to_offer": _("This offer is not available at the moment.")})
    agency = offer.provider.agency
    if agency is None or not agency.is_active:
        raise ValidationError(
            {
                "to_offer": _(
                    "This provider does not work with Lotse: give the family the contact "
                    "details instead."
                )
            }
        )
    if not offer.accepts_referrals:
        raise ValidationError(
            {"to_offer": _("The provider has paused referrals to this offer (it is full).")}
        )
    return agency


@dataclass(frozen=True)
class ReferralDraft:
    subject: Person
    message: str
    categories: Sequence[str]
    to_agency: Agency | None = None
    to_offer: Offer | None = None
    urgency: str = Urgency.ROUTINE
    language: str = ""
    interpreter_needed: bool = False
    measure: Measure | None = None
    assessment: Assessment | None = None


def _checked_target(draft: ReferralDraft) -> Agency:
    if draft.to_offer is not None:
        agency = offer_target(draft.to_offer)
        if draft.to_agency is not None and draft.to_agency.pk != agency.pk:
            raise ValidationError({"to_agency": _("The offer belongs to another agency.")})
        return agency
    if draft.to_agency is None or not draft.to_agency.is_active:
        raise ValidationError({"to_agency": _("Choose the agency or the offer to refer to.")})
    return draft.to_agency


def _checked_fields(draft: ReferralDraft) -> tuple[str, list[str], str]:
    errors: dict[str, str] = {}
    message = ""
    try:
        message = clean_text(
            draft.message, field="message", max_length=4000, required=True, multiline=True
        )
    except ValidationError as exc:
        errors.update({k: v[0] for k, v in exc.message_dict.items()})
    categories = list(dict.fromkeys(draft.categories))
    if [c for c in categories if c not in DataCategory.values]:
        errors["categories"] = _("Unknown kind of data.")
    if draft.urgency not in Urgency.values:
        errors["urgency"] = _("Choose how urgent it is.")
    language = draft.language.strip().lower()
    if language and language not in language_codes():
        errors["language"] = _("Unknown language code.")
    if errors:
        raise ValidationError(errors)
    return message, categories, language


def _checked_links(membership: Membership, case: Case, draft: ReferralDraft) -> None:
    """The measure or need it answers: of this case and person, and visible to the member."""
    for name, item, model in (
        ("measure", draft.measure, Measure),
        ("assessment", draft.assessment, Assessment),
    ):
        if item is None:
            continue
        visible = model._default_manager.filter(
            policy.visible_q(membership, model), pk=item.pk, case=case, subject=draft.subject
        )
        if not visible.exists():
            raise ValidationError({name: _("Choose one of this person's items in this case.")})


@transaction.atomic
def referral_send(
    *, case: Case, draft: ReferralDraft, membership: Membership, actor: User
) -> Referral:
    _require_writer(membership)
    if not cases_visible_to(membership).filter(pk=case.pk).exists() or case.is_closed:
        raise AccessDenied
    in_household = HouseholdMember.objects.filter(
        household_id=case.household_id, person_id=draft.subject.pk
    ).exists()
    if not in_household or not persons_visible_to(membership).filter(pk=draft.subject.pk).exists():
        raise ValidationError({"subject": _("Choose a member of this family.")})
    to_agency = _checked_target(draft)
    message, categories, language = _checked_fields(draft)
    _checked_links(membership, case, draft)
    if draft.assessment is not None:
        # The receiver learns the need the referral answers (its domain and level): its
        # category goes with the referral and must be covered like the rest.
        categories = list(dict.fromkeys([*categories, DOMAIN_CATEGORY[draft.assessment.domain]]))
    gaps = referral_gaps(
        membership=membership, subject=draft.subject, to_agency=to_agency, categories=categories
    )
    if gaps:
        raise ReferralNotCovered(gaps)
    referral = Referral.objects.create(
        case=case,
        subject=draft.subject,
        owner_agency=membership.agency,
        category=DataCategory.CASE_PLAN,
        to_agency=to_agency,
        to_offer=draft.to_offer,
        measure=draft.measure,
        assessment=draft.assessment,
        categories=[DataCategory.IDENTITY, *[c for c in categories if c != DataCategory.IDENTITY]],
        message=message,
        urgency=draft.urgency,
        language=language,
        interpreter_needed=draft.interpreter_needed,
        sent_by=actor,
    )
    ReferralEvent.objects.create(
        referral=referral, status=Status.SENT, agency=membership.agency, by=actor
    )
    record(
        action=AuditAction.REFERRAL_SENT,
        actor=actor,
        agency=membership.agency,
        target=referral,
        subject_id=draft.subject.pk,
        detail={
            "to_agency": to_agency.code,
            "categories": referral.categories,
            "offer": draft.to_offer.pk if draft.to_offer else None,
        },
    )
    return referral


@dataclass(frozen=True)
class Step:
    """An answer or a step of the referral: who takes it, from which states, to which."""

    side: str  # "receiver" or "sender"
    sources: frozenset[str]
    target: str


STEPS: dict[str, Step] = {
    "accept": Step(
        "receiver", frozenset({Status.SENT, Status.RECEIVED, Status.WAITLISTED}), Status.ACCEPTED
    ),
    "decline": Step(
        "receiver", frozenset({Status.SENT, Status.RECEIVED, Status.WAITLISTED}), Status.DECLINED
    ),
    "waitlist": Step("receiver", frozenset({Status.SENT, Status.RECEIVED}), Status.WAITLISTED),
    "start": Step("receiver", frozenset({Status.ACCEPTED}), Status.IN_PROGRESS),
    "complete": Step("receiver", frozenset({Status.IN_PROGRESS}), Status.COMPLETED),
    "not_complete": Step(
        "receiver", frozenset({Status.ACCEPTED, Status.IN_PROGRESS}), Status.NOT_COMPLETED
    ),
    "cancel": Step(
        "sender", frozenset({Status.SENT, Status.RECEIVED, Status.WAITLISTED}), Status.CANCELLED
    ),
}


def may_take(membership: Membership, referral: Referral, step: str) -> bool:
    """Whether the member's agency takes this step (the state aside)."""
    if not membership.can(Capability.WRITE_CASE_CONTENT):
        return False
    if STEPS[step].side == "receiver":
        return referral.to_agency_id == membership.agency_id
    return referral.owner_agency_id == membership.agency_id


def steps_open(membership: Membership, referral: Referral) -> list[str]:
    return [
        name
        for name, step in STEPS.items()
        if referral.status in step.sources and may_take(membership, referral, name)
    ]


def _check_reason(step: str, reason: str, note: str) -> dict[str, str]:
    values: dict[str, str] = {}
    if step == "decline":
        if reason not in DeclineReason.values:
            raise ValidationError({"reason": _("Say why the referral is declined.")})
        if reason == DeclineReason.OTHER and not note:
            raise ValidationError({"note": _("Describe the reason.")})
        values["decline_reason"] = reason
    elif step == "not_complete":
        if reason not in NotCompletedReason.values:
            raise ValidationError({"reason": _("Say why it was not completed.")})
        if reason == NotCompletedReason.OTHER and not note:
            raise ValidationError({"note": _("Describe the reason.")})
        values["not_completed_reason"] = reason
        values["feedback"] = note
    elif step == "complete":
        if not note:
            raise ValidationError(
                {"note": _("Give the sender feedback: what came of the referral?")}
            )
        values["feedback"] = note
    return values


class StaleReferral(ValidationError):
    def __init__(self) -> None:
        super().__init__(
            _(
                "Someone else changed this referral in the meantime. Reload the page to see "
                "its current state."
            ),
            code="stale",
        )


@transaction.atomic
def referral_step(
    *,
    referral: Referral,
    step: str,
    expected_version: int,
    membership: Membership,
    actor: User,
    reason: str = "",
    note: str = "",
) -> Referral:
    """Take ``step`` (a key of ``STEPS``). A step of the other side, or one the referral's
    state does not allow, is refused; a stale version writes nothing."""
    if step not in STEPS:
        raise ValidationError({"step": _("Unknown step.")})
    if not may_take(membership, referral, step):
        raise AccessDenied
    if referral.status not in STEPS[step].sources:
        raise ValidationError(
            {
                "step": _("This is no longer possible: the referral is now “%(status)s”.")
                % {"status": Status(referral.status).label}
            }
        )
    note = clean_text(note, field="note", max_length=4000, multiline=True)
    values: dict[str, object] = dict(_check_reason(step, reason, note))
    values.update(status=STEPS[step].target, status_changed_at=timezone.now(), handled_by=actor)
    if STEPS[step].side == "sender":
        values.pop("handled_by")
    updated = Referral.objects.filter(pk=referral.pk, version=expected_version).update(
        version=expected_version + 1, **values
    )
    if updated != 1:
        raise StaleReferral
    ReferralEvent.objects.create(
        referral=referral, status=STEPS[step].target, agency=membership.agency, by=actor, note=note
    )
    record(
        action=AuditAction.REFERRAL_CHANGED,
        actor=actor,
        agency=membership.agency,
        target=referral,
        subject_id=referral.subject_id,
        detail={"step": step, "status": STEPS[step].target, "reason": reason},
    )
    referral.refresh_from_db()
    return referral


@transaction.atomic
def referral_mark_received(*, referral: Referral, membership: Membership, actor: User) -> None:
    """The receiving agency opened a sent referral: it is "received" (FHIR Task: received)."""
    if referral.status != Status.SENT or referral.to_agency_id != membership.agency_id:
        return
    updated = Referral.objects.filter(pk=referral.pk, status=Status.SENT).update(
        status=Status.RECEIVED, status_changed_at=timezone.now(), version=referral.version + 1
    )
    if updated:
        ReferralEvent.objects.create(
            referral=referral, status=Status.RECEIVED, agency=membership.agency, by=actor
        )
        record(
            action=AuditAction.REFERRAL_CHANGED,
            actor=actor,
            agency=membership.agency,
            target=referral,
            subject_id=referral.subject_id,
            detail={"step": "receive", "status": Status.RECEIVED},
        )
        referral.refresh_from_db()


def _unanswered() -> QuerySet[Referral]:
    return Referral.objects.filter(status__in=sorted(UNANSWERED))


@transaction.atomic
def referrals_expire(*, today: date | None = None, dry_run: bool = False) -> list[int]:
    """Unanswered referrals past their expiry date become "expired". Idempotent."""
    today = today or timezone.localdate()
    due = dict(_unanswered().filter(expires_on__lt=today).values_list("pk", "subject_id"))
    if dry_run or not due:
        return sorted(due)
    now = timezone.now()
    Referral.objects.filter(pk__in=due).update(status=Status.EXPIRED, status_changed_at=now)
    ReferralEvent.objects.bulk_create(
        ReferralEvent(referral_id=pk, status=Status.EXPIRED, at=now) for pk in due
    )
    for pk, subject_id in due.items():
        record(
            action=AuditAction.REFERRAL_CHANGED,
            target=Referral(pk=pk),
            subject_id=subject_id,
            detail={"step": "expire", "status": Status.EXPIRED},
        )
    return sorted(due)


@transaction.atomic
def referrals_escalate(*, today: date | None = None, dry_run: bool = False) -> list[int]:
    """Unanswered referrals past their answer date are escalated to the receiving agency's
    team leads (they see them in their inbox as overdue). Each once; idempotent."""
    today = today or timezone.localdate()
    due = dict(
        _unanswered()
        .filter(answer_due__lt=today, escalated_at__isnull=True)
        .values_list("pk", "subject_id")
    )
    if dry_run or not due:
        return sorted(due)
    Referral.objects.filter(pk__in=due).update(escalated_at=timezone.now())
    for pk, subject_id in due.items():
        record(
            action=AuditAction.REFERRAL_CHANGED,
            target=Referral(pk=pk),
            subject_id=subject_id,
            detail={"step": "escalate"},
        )
    return sorted(due)
