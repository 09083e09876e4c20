"""Referrals under ``/api/v1/``: send from a case, list (``?inbox=1`` for the receiving
agency), read, and the answers and steps ``accept | decline | waitlist | start | complete |
not_complete | cancel``.

The same rules as the pages (``lotse.referrals``): a referral is seen by the sending side
through the consent policy and by the receiving agency as its addressee; a step of the other
side answers 404. A referral whose data is not covered for the referral purpose answers 409
listing each category and what is missing — and nothing is sent. A stale ``version`` is 409.
Agencies by code, persons by Lotse ID.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Path, Query, Router, Schema, Status
from pydantic import BeforeValidator

from lotse.accounts.models import Agency
from lotse.accounts.roles import Capability
from lotse.audit.models import AuditAction
from lotse.cases import selectors as case_selectors
from lotse.cases.models import Assessment, Measure
from lotse.consent import policy
from lotse.consent.reads import audited_read
from lotse.directory.models import Offer
from lotse.people.access import persons_visible_to
from lotse.referrals import selectors, services
from lotse.referrals.access import referrals_visible_to
from lotse.referrals.models import Referral, Urgency

from .auth import acting_membership as _membership
from .auth import acting_user as _actor
from .auth import requires
from .people import ERRORS, InputSchema, invalid_input_as_422
from .schemas import MAX_ID, CheckedInput, ListOut, ObjectId, storable

router = Router(tags=["referrals"])

READ = requires(Capability.READ_CASE_CONTENT)
WRITE = requires(Capability.WRITE_CASE_CONTENT)

Step = Annotated[
    str,
    Path(..., description="accept, decline, waitlist, start, complete, not_complete or cancel."),
]


class ReferralOut(Schema):
    id: int
    case: int
    person: str | None = Field(description="Lotse ID; null when you may not see the person.")
    from_agency: str
    to_agency: str
    to_offer: int | None
    categories: list[str] = Field(description="The data categories that went with it.")
    message: str
    urgency: str
    language: str
    interpreter_needed: bool
    status: str
    sent_at: datetime
    answer_due: date
    overdue: bool
    decline_reason: str
    not_completed_reason: str
    feedback: str
    version: int


class ReferralIn(InputSchema):
    case: int = Field(ge=1, le=MAX_ID)
    person: Annotated[str, BeforeValidator(storable)] = Field(
        description="Lotse ID of the family member referred."
    )
    to_agency: Annotated[str | None, BeforeValidator(storable)] = Field(
        None, description="Agency code; not needed with to_offer."
    )
    to_offer: int | None = Field(None, ge=1, le=MAX_ID)
    categories: list[str] = Field(
        default_factory=list, description="Category codes that go with it (identity always)."
    )
    message: str
    urgency: str = Urgency.ROUTINE
    language: str = ""
    interpreter_needed: bool = False
    measure: int | None = Field(None, ge=1, le=MAX_ID)
    assessment: int | None = Field(None, ge=1, le=MAX_ID)


class StepIn(InputSchema):
    version: int = Field(ge=1, le=MAX_ID)
    reason: str = Field("", description="Required to decline and for not_complete.")
    note: str = Field("", description="Feedback (required to complete) or a note.")


class ReferralQuery(CheckedInput):
    inbox: bool = Field(False, description="Only referrals to your agency.")
    case: int | None = Field(None, ge=1, le=MAX_ID)
    status: str = ""
    limit: int = Field(50, ge=1, le=200)
    offset: int = Field(0, ge=0, le=100_000)


class UncoveredCategoryOut(Schema):
    category: str
    reason: str = Field(description="firewall (never) or consent (needs a consent).")
    explanation: str


class NotCoveredOut(Schema):
    detail: str
    uncovered: list[UncoveredCategoryOut]


class StaleOut(Schema):
    detail: str
    current: ReferralOut


def _outs(membership: Any, referrals: list[Referral]) -> list[ReferralOut]:
    visible = set(
        persons_visible_to(membership)
        .filter(pk__in=[r.subject_id for r in referrals])
        .values_list("pk", flat=True)
    )
    return [
        ReferralOut(
            id=r.pk,
            case=r.case_id,
            person=r.subject.public_id if r.subject_id in visible else None,
            from_agency=r.owner_agency.code,
            to_agency=r.to_agency.code,
            to_offer=r.to_offer_id,
            categories=list(r.categories),
            message=r.message,
            urgency=r.urgency,
            language=r.language,
            interpreter_needed=r.interpreter_needed,
            status=r.status,
            sent_at=r.sent_at,
            answer_due=r.answer_due,
            overdue=r.is_overdue,
            decline_reason=r.decline_reason,
            not_completed_reason=r.not_completed_reason,
            feedback=r.feedback,
            version=r.version,
        )
        for r in referrals
    ]


def _related(queryset: Any) -> Any:
    return queryset.select_related("subject", "owner_agency", "to_agency")


@router.get(
    "/referrals",
    response={200: ListOut[ReferralOut], **ERRORS},
    auth=READ,
    summary="Referrals you may see; ?inbox=1 for those to your agency",
)
def referrals_list(request: HttpRequest, query: Query[ReferralQuery]) -> ListOut[ReferralOut]:
    membership = _membership(request)
    rows = referrals_visible_to(membership)
    if query.inbox:
        rows = rows.filter(to_agency_id=membership.agency_id)
    if query.case is not None:
        rows = rows.filter(case_id=query.case)
    if query.status:
        rows = rows.filter(status=query.status)
    total = rows.count()
    page = list(
        _related(rows).order_by("-sent_at", "-pk")[query.offset : query.offset + query.limit]
    )
    audited_read(
        membership=membership,
        actor=_actor(request),
        action=AuditAction.REFERRALS_LISTED,
        items=page,
        subjects=[r.subject_id for r in page],
        api=True,
    )
    return ListOut(items=_outs(membership, page), count=total, count_exact=True)


@router.get(
    "/referrals/{id}",
    response={200: ReferralOut, **ERRORS},
    auth=READ,
    summary="One referral (the receiving agency's first read marks it received)",
)
def referral_get(request: HttpRequest, id: ObjectId) -> ReferralOut:
    membership = _membership(request)
    referral = selectors.referral_get(membership=membership, pk=id)
    services.referral_mark_received(referral=referral, membership=membership, actor=_actor(request))
    audited_read(
        membership=membership,
        actor=_actor(request),
        action=AuditAction.REFERRAL_VIEWED,
        target=referral,
        subject=referral.subject_id,
        api=True,
    )
    return _outs(membership, [referral])[0]


def _lookup_or_422(field: str, found: Any) -> Any:
    if found is None:
        raise DjangoValidationError({field: _("Not found, or not yours to use.")})
    return found


@router.post(
    "/referrals",
    response={201: ReferralOut, 409: NotCoveredOut, **ERRORS},
    auth=WRITE,
    summary="Send a referral from a case to an agency or an offer",
)
def referral_post(
    request: HttpRequest, payload: ReferralIn
) -> Status[ReferralOut] | Status[NotCoveredOut]:
    membership = _membership(request)
    case = case_selectors.case_get(membership=membership, pk=payload.case)
    with invalid_input_as_422():
        subject = _lookup_or_422(
            "person",
            persons_visible_to(membership).filter(public_id=payload.person).first(),
        )
        to_agency = None
        if payload.to_agency:
            to_agency = _lookup_or_422(
                "to_agency", Agency.objects.filter(code=payload.to_agency, is_active=True).first()
            )
        offer = None
        if payload.to_offer is not None:
            offer = _lookup_or_422(
                "to_offer",
                Offer.objects.select_related("provider", "provider__agency")
                .filter(pk=payload.to_offer)
                .first(),
            )
        measure = None
        if payload.measure is not None:
            measure = _lookup_or_422(
                "measure",
                Measure.objects.filter(
                    policy.visible_q(membership, Measure), pk=payload.measure, case=case
                ).first(),
            )
        assessment = None
        if payload.assessment is not None:
            assessment = _lookup_or_422(
                "assessment",
                Assessment.objects.filter(
                    policy.visible_q(membership, Assessment), pk=payload.assessment, case=case
                ).first(),
            )
        draft = services.ReferralDraft(
            subject=subject,
            message=payload.message,
            categories=payload.categories,
            to_agency=to_agency,
            to_offer=offer,
            urgency=payload.urgency,
            language=payload.language,
            interpreter_needed=payload.interpreter_needed,
            measure=measure,
            assessment=assessment,
        )
        try:
            referral = services.referral_send(
                case=case, draft=draft, membership=membership, actor=_actor(request)
            )
        except services.ReferralNotCovered as refused:
            return Status(
                409,
                NotCoveredOut(
                    detail=" ".join(refused.messages),
                    uncovered=[
                        UncoveredCategoryOut(
                            category=gap.category,
                            reason="firewall" if gap.reason == "firewall" else "consent",
                            explanation=gap.explanation,
                        )
                        for gap in refused.gaps
                    ],
                ),
            )
    fresh = _related(Referral.objects.filter(pk=referral.pk)).get()
    return Status(201, _outs(membership, [fresh])[0])


def _step(request: HttpRequest, id: int, step: str, payload: StepIn) -> Any:
    membership = _membership(request)
    referral = selectors.referral_get(membership=membership, pk=id)
    if not services.may_take(membership, referral, step):
        raise Http404
    with invalid_input_as_422():
        try:
            services.referral_step(
                referral=referral,
                step=step,
                expected_version=payload.version,
                membership=membership,
                actor=_actor(request),
                reason=payload.reason,
                note=payload.note,
            )
        except services.StaleReferral:
            current = _related(Referral.objects.filter(pk=referral.pk)).get()
            return Status(
                409,
                StaleOut(
                    detail=_(
                        "Someone else changed this referral in the meantime; nothing was saved."
                    ),
                    current=_outs(membership, [current])[0],
                ),
            )
    fresh = _related(Referral.objects.filter(pk=referral.pk)).get()
    return _outs(membership, [fresh])[0]


STEP_SUMMARIES = {
    "accept": "Accept the referral (receiving agency)",
    "decline": "Decline, with a reason: capacity, not_eligible, family_declined, other",
    "waitlist": "Put the family on the waiting list (receiving agency)",
    "start": "Start the support (receiving agency, after accepting)",
    "complete": "Complete, with feedback for the sender (receiving agency)",
    "not_complete": "Record that it was not completed, with a reason (receiving agency)",
    "cancel": "Cancel the referral before it is accepted (sender)",
}


def _register_step(step: str) -> None:
    def handler(request: HttpRequest, id: ObjectId, payload: StepIn) -> Any:
        return _step(request, id, step, payload)

    handler.__name__ = f"referral_{step}"
    router.post(
        f"/referrals/{{id}}/{step}",
        response={200: ReferralOut, 409: StaleOut, **ERRORS},
        auth=WRITE,
        summary=STEP_SUMMARIES[step],
        operation_id=f"referral_{step}",
    )(handler)


for _name in services.STEPS:
    _register_step(_name)
