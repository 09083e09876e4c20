"""The family case under ``/api/v1/``: list, open, read and steer (phase, participants, lead),
and its content: assessments, the plan's goals and measures, conferences and the timeline.

The same rules as the case pages (``lotse.cases.case_views``): a case is shown to the agencies
that take part in it (``cases.access.cases_visible_to``), only the lead agency steers it, and
everything else answers 404 like a case that does not exist. Agencies are named by code,
households and persons by Lotse ID, caseworkers by username — never by the name of a person.
Reads are audited through ``consent.reads`` with the household members the caller may see;
writes go through ``cases.services``, whose ``ValidationError`` becomes the API's 422 naming
the field. A stale ``version`` answers 409 with the case as it is now; a case that may not
leave intake answers 409 listing every data flow no consent or legal basis covers.

Content under the case is read per person through the policy, as on the case pages: a goal for
two persons is one goal (``id`` = the group its rows share) with the ``persons`` whose rows the
caller may see, each item with its ``access_basis``. Every participant records its own content;
only the agency that recorded a goal or measure changes it (404 for everyone else), and only
the lead agency plans and holds conferences.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Mapping, Sequence
from datetime import date, datetime
from typing import Annotated, Any, Literal, TypeVar

from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Path, Query, Router, Schema, Status
from ninja.errors import ValidationError
from pydantic import BeforeValidator, field_validator

from lotse.accounts import selectors as accounts
from lotse.accounts.models import Agency, Membership, User
from lotse.accounts.roles import Capability
from lotse.audit.models import AuditAction
from lotse.cases import access, selectors, services
from lotse.cases.models import (
    Assessment,
    CameVia,
    Case,
    CaseConference,
    CasePhaseChange,
    ClosureReason,
    ConferenceDecision,
    ConferenceMinute,
    Goal,
    JournalEntry,
    LifeDomain,
    Measure,
    Phase,
)
from lotse.consent import policy
from lotse.consent.categories import DataCategory
from lotse.consent.reads import audited_denial, audited_read
from lotse.core.dates import EARLIEST_YEAR, LATEST_YEAR, aware, in_range
from lotse.people import selectors as people
from lotse.people.access import person_visible
from lotse.people.models import HouseholdMember, Person

from .auth import acting_membership as _membership
from .auth import acting_user as _actor
from .auth import requires
from .people import ERRORS, InputSchema, Page, invalid_input_as_422
from .schemas import MAX_ID, CheckedInput, ListOut, ObjectId, storable

router = Router(tags=["cases"])

READ = requires(Capability.READ_CASE_CONTENT)
WRITE = requires(Capability.WRITE_CASE_CONTENT)

#: An agency's code in a path.
AgencyCode = Annotated[
    str, BeforeValidator(storable), Path(..., description="The agency's code, e.g. 'jc'.")
]


def _version_field() -> Any:
    # Bounded like row ids: a larger number cannot be a version, and SQLite could not be
    # asked about it (a 500 instead of a 422 naming the field).
    return Field(ge=1, le=MAX_ID, description="The case's version you read (optimistic locking).")


# --- schemas ------------------------------------------------------------------------------------


class ParticipantOut(Schema):
    agency: str = Field(description="The agency's code.")
    contact: str | None = Field(description="Username of the person to call there, if named.")
    categories: list[str] = Field(
        description="What the agency will see of the lead agency's content (category codes); "
        "empty for the lead agency itself."
    )
    phone: str = Field(description="The contact person's phone at the agency.")
    email: str = Field(description="The contact person's e-mail.")


class CaseOut(Schema):
    id: int
    household: str = Field(description="The household's Lotse ID (H-…).")
    lead_agency: str = Field(description="Code of the agency that leads the case.")
    lead_user: str = Field(description="Username of the lead case manager.")
    phase: str = Field(description="intake, assessment, planning, implementation, …, closed.")
    phase_since: datetime
    opened_on: date
    closure_reason: str = Field(description="Why the case was closed; empty while it is open.")
    closed_on: date | None
    came_via: str = Field(description="self, agency or other.")
    referred_by: str | None = Field(description="Code of the agency that referred the family.")
    interpreter_language: str = Field(description="Language code, empty if none is needed.")
    participants: list[ParticipantOut] = Field(
        description="The agencies taking part, the lead agency first."
    )
    version: int


class StaleCaseOut(Schema):
    detail: str
    current: CaseOut


class UncoveredOut(Schema):
    agency: str = Field(description="Code of the participating agency.")
    person: str | None = Field(
        description="The member's Lotse ID; null for a member you may not see."
    )
    category: str
    reason: Literal["consent", "firewall"] = Field(
        description="'consent': a consent for case management (or a legal basis) is missing; "
        "'firewall': a rule forbids the flow whatever the family agrees to."
    )
    explanation: str


class NotCoveredOut(Schema):
    detail: str
    uncovered: list[UncoveredOut]


class CaseQuery(Page):
    phase: str = Field(
        "",
        description="Only cases in this phase.",
        json_schema_extra={"enum": ["", *Phase.values]},
    )
    household: str = Field("", description="Only the case of this household (Lotse ID).")
    mine: bool = Field(False, description="Only cases you are assigned to (mine=1).")

    @field_validator("phase")
    @classmethod
    def _known_phase(cls, value: str) -> str:
        # One error naming the parameter (a union with "" would name it once per branch).
        if value and value not in Phase.values:
            raise ValueError(_("Choose a phase."))
        return value


class CaseIn(InputSchema):
    household: str = Field(description="The Lotse ID of a household you can see, e.g. H-….")
    came_via: CameVia = CameVia.SELF
    referred_by: str | None = Field(
        None, description="Code of the referring agency; needed when came_via is 'agency'."
    )
    interpreter_language: str = Field("", description="Language code, e.g. 'ar'; empty if none.")


class ParticipantIn(InputSchema):
    agency: str = Field(description="Code of the agency that takes part.")
    contact: str | None = Field(
        None, description="Username of a caseworker of that agency; null for nobody yet."
    )
    categories: list[DataCategory] = Field(
        default_factory=lambda: list(services.DEFAULT_PARTICIPANT_CATEGORIES),
        description="What it will see of your agency's content (default: case_plan). Each "
        "needs a consent for case management of every member or a legal basis before the "
        "case can leave intake.",
    )
    version: int = _version_field()

    @field_validator("categories")
    @classmethod
    def _at_least_one(cls, value: list[DataCategory]) -> list[DataCategory]:
        if not value:
            raise ValueError(_("Choose at least one kind of information."))
        return value


class TransitionIn(InputSchema):
    phase: Phase
    reason: ClosureReason | Literal[""] = Field("", description="Needed to close the case.")
    note: str = Field("", description="For the other agencies of the case; no personal details.")
    version: int = _version_field()


class LeadIn(InputSchema):
    user: str = Field(description="Username of a caseworker of the lead agency.")
    version: int = _version_field()


class VersionQuery(CheckedInput):
    version: int = _version_field()


# --- building the answers -----------------------------------------------------------------------


def _cases_out(cases: Sequence[Case]) -> list[CaseOut]:
    """A page of cases with their participants and contacts: the selectors' one read of
    them (two queries, whatever the number of cases)."""
    contacts = selectors.contacts_of(list(cases))
    return [_case_out(case, contacts[case.pk]) for case in cases]


def _case_out(case: Case, contacts: list[selectors.Contact]) -> CaseOut:
    return CaseOut(
        id=case.pk,
        household=case.household.public_id,
        lead_agency=case.lead_agency.code,
        lead_user=case.lead_user.get_username(),
        phase=case.phase,
        phase_since=case.phase_since,
        opened_on=case.opened_on,
        closure_reason=case.closure_reason,
        closed_on=case.closed_on,
        came_via=case.came_via,
        referred_by=case.referred_by.code if case.referred_by else None,
        interpreter_language=case.interpreter_language,
        participants=[
            ParticipantOut(
                agency=c.participant.agency.code,
                contact=c.participant.contact.get_username() if c.participant.contact else None,
                categories=list(c.participant.categories),
                phone=c.phone,
                email=c.email,
            )
            for c in contacts
        ],
        version=case.version,
    )


def _one_case_out(case: Case) -> CaseOut:
    return _cases_out([case])[0]


def _uncovered_out(
    membership: Membership, refused: services.CaseNotCovered
) -> Status[NotCoveredOut]:
    """The refused transition's gaps; a member the caller may not see is not named."""
    subject_ids = {gap.subject_id for gap in refused.gaps}
    visible = [pk for pk in sorted(subject_ids) if person_visible(membership, pk)]
    public_ids = dict(Person.objects.filter(pk__in=visible).values_list("pk", "public_id"))
    return Status(
        409,
        NotCoveredOut(
            detail=" ".join(refused.messages),
            uncovered=[
                UncoveredOut(
                    agency=gap.agency.code,
                    person=public_ids.get(gap.subject_id),
                    category=gap.category,
                    reason="firewall" if gap.reason == "firewall" else "consent",
                    explanation=gap.explanation,
                )
                for gap in refused.gaps
            ],
        ),
    )


def _members_shown(membership: Membership, cases: list[Case]) -> list[int]:
    """The household members the caller may see: the persons a case answer names."""
    with_members = selectors.with_visible_members(membership, cases)
    return [m.person_id for case in with_members for m in getattr(case, "visible_members", [])]


# --- errors -------------------------------------------------------------------------------------


def _body_error(field: str, message: str) -> ValidationError:
    return ValidationError([{"type": "invalid", "loc": ["body", "payload", field], "msg": message}])


def _is_stale(error: DjangoValidationError) -> bool:
    return not hasattr(error, "error_dict") and any(
        item.code == "stale" for item in error.error_list
    )


def _renamed(error: DjangoValidationError, names: Mapping[str, str]) -> DjangoValidationError:
    """The service's field names as the API's input names them."""
    if not names or not hasattr(error, "error_dict"):
        return error
    return DjangoValidationError(
        {names.get(field, field): items for field, items in error.error_dict.items()}
    )


def _written(
    membership: Membership,
    case: Case,
    write: Callable[[], object],
    *,
    names: Mapping[str, str] | None = None,
) -> CaseOut | Status[StaleCaseOut] | Status[NotCoveredOut]:
    """Run a steering service: the changed case, 409 when stale or not covered, 422 naming
    the field for other refusals (404 for what the caller may not do passes through)."""
    with invalid_input_as_422():
        try:
            write()
        except services.CaseNotCovered as refused:
            return _uncovered_out(membership, refused)
        except DjangoValidationError as error:
            if _is_stale(error):
                current = selectors.case_get(membership=membership, pk=case.pk)
                return Status(
                    409,
                    StaleCaseOut(
                        detail=_(
                            "Someone else changed this case in the meantime; nothing was "
                            "saved. Compare with the current version and send your change again."
                        ),
                        current=_one_case_out(current),
                    ),
                )
            renamed = _renamed(error, names or {})
            if renamed is error:
                raise
            raise renamed from error
    # The service changed the case in place (phase, lead, version); participants are re-read.
    return _one_case_out(case)


def _readable_case(request: HttpRequest, case_id: int) -> tuple[Membership, Case]:
    """The case if the caller may open it; 404 like a missing case otherwise, and the
    refused read is audited (the DPO sees the attempt, the caller learns nothing)."""
    membership = _membership(request)
    try:
        case = selectors.case_get(membership=membership, pk=case_id)
    except Http404:
        audited_denial(
            membership=membership,
            actor=_actor(request),
            target=Case.objects.only("pk").filter(pk=case_id).first(),
        )
        raise
    return membership, case


def _lead_case(request: HttpRequest, case_id: int) -> tuple[Membership, Case]:
    """The case if the caller's agency leads it; 404 like a missing case otherwise."""
    membership = _membership(request)
    case = selectors.case_get(membership=membership, pk=case_id)
    if not access.leads(membership, case):
        raise Http404
    return membership, case


def _agency(code: str | None, field: str) -> Agency | None:
    if code is None or not code.strip():
        return None
    found = accounts.active_agencies_by_code({code.strip()})
    if not found:
        raise _body_error(field, _("Unknown agency code: %(codes)s") % {"codes": code.strip()})
    return found[0]


def _username(username: str | None) -> User | None:
    if username is None or not username.strip():
        return None
    return User.objects.filter(username=username.strip()).first()


STEER_RESPONSES: dict[int, Any] = {200: CaseOut, 409: StaleCaseOut, **ERRORS}


# --- cases --------------------------------------------------------------------------------------


@router.get(
    "/cases",
    response={200: ListOut[CaseOut], **ERRORS},
    auth=READ,
    summary="Cases your agency takes part in; filter with ?phase=, ?household=, ?mine=1",
)
def case_list(request: HttpRequest, query: Query[CaseQuery]) -> dict[str, Any]:
    """Newest first, closed cases included unless ``phase`` says otherwise. The count is of
    the cases you may open: a case you do not take part in is in neither list nor count."""
    membership = _membership(request)
    cases = access.cases_visible_to(membership)
    if query.phase:
        cases = cases.filter(phase=query.phase)
    if query.household.strip():
        cases = cases.filter(household__public_id=query.household.strip().upper())
    if query.mine:
        mine = access.active_assignments().filter(
            user_id=membership.user_id, agency_id=membership.agency_id
        )
        cases = cases.filter(pk__in=mine.values("case_id"))
    page = list(
        cases.select_related("household", "lead_agency", "lead_user", "referred_by").order_by(
            "-pk"
        )[query.offset : query.offset + query.limit]
    )
    count = cases.count()
    items = _cases_out(page)
    audited_read(
        membership=membership,
        actor=_actor(request),
        action=AuditAction.CASES_LISTED,
        subjects=_members_shown(membership, page),
        shown=[case.pk for case in page],
        count=count,
    )
    return {"items": items, "count": count}


@router.post(
    "/cases",
    response={201: CaseOut, **ERRORS},
    auth=WRITE,
    summary="Open a household's case: your agency leads it, you are the lead case manager",
)
def case_create(request: HttpRequest, payload: CaseIn) -> Status[CaseOut]:
    """A household has one case: if it has one already, the answer is 422 on ``household``
    without naming the agency that leads it."""
    membership = _membership(request)
    try:
        household = people.household_get(
            membership=membership, public_id=payload.household.strip().upper()
        )
    except Http404 as missing:
        # The same answer for "missing" and "not yours": IDs cannot be probed.
        unknown = _("No household with this ID is known to you.")
        raise _body_error("household", unknown) from missing
    referred_by = _agency(payload.referred_by, "referred_by")
    with invalid_input_as_422():
        case = services.case_open(
            household=household,
            membership=membership,
            actor=_actor(request),
            came_via=payload.came_via,
            referred_by=referred_by,
            interpreter_language=payload.interpreter_language,
        )
    return Status(201, _one_case_out(case))


@router.get(
    "/cases/{id}",
    response={200: CaseOut, **ERRORS},
    auth=READ,
    summary="A case: lead, phase and the participating agencies with whom to call",
)
def case_detail(request: HttpRequest, id: ObjectId) -> CaseOut:
    membership, case = _readable_case(request, id)
    audited_read(
        membership=membership,
        actor=_actor(request),
        action=AuditAction.CASE_VIEWED,
        target=case,
        subjects=_members_shown(membership, [case]),
    )
    return _one_case_out(case)


@router.post(
    "/cases/{id}/participants",
    response=STEER_RESPONSES,
    auth=WRITE,
    summary="Let an agency take part, or change its contact person and what it will see "
    "(lead agency)",
)
def case_participant_post(
    request: HttpRequest, id: ObjectId, payload: ParticipantIn
) -> CaseOut | Status[StaleCaseOut] | Status[NotCoveredOut]:
    membership, case = _lead_case(request, id)
    agency = _agency(payload.agency, "agency")
    if agency is None:
        raise _body_error("agency", _("Choose an agency."))
    contact = _username(payload.contact)
    if payload.contact and payload.contact.strip() and contact is None:
        # An unknown username is refused like a colleague of another agency.
        raise _body_error(
            "contact", _("Choose a caseworker of %(agency)s.") % {"agency": agency.name}
        )
    return _written(
        membership,
        case,
        lambda: services.case_participant_save(
            case=case,
            agency=agency,
            contact=contact,
            categories=[str(category) for category in payload.categories],
            membership=membership,
            actor=_actor(request),
            expected_version=payload.version,
        ),
    )


@router.delete(
    "/cases/{id}/participants/{agency}",
    response=STEER_RESPONSES,
    auth=WRITE,
    summary="The agency stops taking part (lead agency); send ?version=",
)
def case_participant_delete(
    request: HttpRequest, id: ObjectId, agency: AgencyCode, query: Query[VersionQuery]
) -> CaseOut | Status[StaleCaseOut] | Status[NotCoveredOut]:
    """Its assignments end; the items it recorded stay with it. An agency that does not take
    part (or the lead agency) is refused with 422 on the path's ``agency``."""
    membership, case = _lead_case(request, id)
    leaving = Agency.objects.filter(code=agency).first()
    if leaving is None:
        raise Http404
    try:
        return _written(
            membership,
            case,
            lambda: services.case_participant_leave(
                case=case,
                agency=leaving,
                membership=membership,
                actor=_actor(request),
                expected_version=query.version,
            ),
        )
    except ValidationError as invalid:
        # No body here: the service's "agency" is the path's.
        raise ValidationError(
            [
                {**error, "loc": ["path", "agency"]}
                if error.get("loc") == ["body", "payload", "agency"]
                else error
                for error in invalid.errors
            ]
        ) from invalid


@router.post(
    "/cases/{id}/transition",
    response={200: CaseOut, 409: NotCoveredOut | StaleCaseOut, **ERRORS},
    auth=WRITE,
    summary="Move the case to the next phase (lead agency); leaving intake needs consent",
)
def case_transition_post(
    request: HttpRequest, id: ObjectId, payload: TransitionIn
) -> CaseOut | Status[StaleCaseOut] | Status[NotCoveredOut]:
    """Closing needs a ``reason``. Leaving intake needs, for every participating agency, a
    consent for case management of every household member (or a legal basis) covering what
    it will see; otherwise the answer is 409 with ``uncovered``: each agency, member (null
    for one you may not see), category and what is missing. A stale ``version`` is 409 with
    the current case."""
    membership, case = _lead_case(request, id)
    return _written(
        membership,
        case,
        lambda: services.case_transition(
            case=case,
            phase=payload.phase,
            reason=payload.reason,
            note=payload.note,
            membership=membership,
            actor=_actor(request),
            expected_version=payload.version,
        ),
    )


@router.post(
    "/cases/{id}/lead",
    response=STEER_RESPONSES,
    auth=WRITE,
    summary="Hand the case to another caseworker of the lead agency (lead manager, team lead)",
)
def case_lead_post(
    request: HttpRequest, id: ObjectId, payload: LeadIn
) -> CaseOut | Status[StaleCaseOut] | Status[NotCoveredOut]:
    membership, case = _lead_case(request, id)
    new_lead = _username(payload.user)
    if new_lead is None:
        # An unknown username is refused like a colleague of another agency.
        raise _body_error(
            "user", _("Choose a caseworker of %(agency)s.") % {"agency": case.lead_agency.name}
        )
    return _written(
        membership,
        case,
        lambda: services.case_lead_user_change(
            case=case,
            user=new_lead,
            membership=membership,
            actor=_actor(request),
            expected_version=payload.version,
        ),
        names={"lead_user": "user"},
    )


# === content under the case ======================================================================
# Read per person through the policy (``consent.policy``), written through ``cases.services``,
# which refuse what the caller's agency may not do (take part, lead, own what it changes) with
# 404. Each read is one audit event naming the rows shown and the policy's bases for them.

T = TypeVar("T")

#: A goal's or measure's id in a path: the group its rows (one per person) share.
GroupId = Annotated[
    uuid.UUID, Path(..., description="The item's id: the group its rows (one per person) share.")
]

#: The longest timeline page.
MAX_TIMELINE = 200


def _item_version_field() -> Any:
    return Field(ge=1, le=MAX_ID, description="The version you read (optimistic locking).")


def _plausible(value: Any) -> Any:
    """A date or time Lotse can store and compare: between EARLIEST_YEAR and LATEST_YEAR
    (a time in year 1 cannot be moved to UTC: a 500 instead of a 422 naming the field)."""
    if isinstance(value, date) and not in_range(value):
        raise ValueError(
            _("Give a date between %(first)s and %(last)s.")
            % {"first": EARLIEST_YEAR, "last": LATEST_YEAR}
        )
    return value


def _not_null(value: Any) -> Any:
    # Validators run only on fields that were sent: null is refused, absence keeps the value.
    if value is None:
        raise ValueError(_("This field cannot be null."))
    return value


# --- schemas ------------------------------------------------------------------------------------


def _basis_field() -> Any:
    return Field(
        description="Why you see this: own_agency, consent:<id>, legal_basis:<id> or "
        "break_glass:<id> (for an item for several persons: of the first person's row)."
    )


class AssessmentIn(InputSchema):
    person: str = Field(description="The Lotse ID of a household member you can see.")
    domain: LifeDomain
    need: int = Field(ge=0, le=3, description="Need for support: 0 none, 1 low, 2 medium, 3 high.")
    situation: str = ""
    resources: str = ""
    assessed_on: date | None = Field(None, description="Default: today; never in the future.")
    entrusted: bool = Field(
        False, description="Confided to the Jugendamt (§ 65 SGB VIII); Jugendamt only."
    )

    _check_assessed_on = field_validator("assessed_on")(_plausible)


class AssessmentOut(Schema):
    id: int
    person: str = Field(description="The Lotse ID of the person assessed.")
    domain: str
    need: int
    situation: str
    resources: str
    assessed_on: date
    category: str = Field(description="The data category of the domain: decides who sees it.")
    entrusted: bool
    owner_agency: str = Field(description="Code of the agency that recorded it.")
    recorded_at: datetime
    access_basis: str = _basis_field()


class GoalIn(InputSchema):
    persons: list[str] = Field(
        description="Lotse IDs of the household members the goal is for (one row each: every "
        "agency sees the goal for the persons its basis covers)."
    )
    domain: LifeDomain
    text: str
    responsible_agency: str = Field(description="Code of a participating agency that owns it.")
    target_date: date | None = None

    _check_target_date = field_validator("target_date")(_plausible)


class GoalPatch(InputSchema):
    """Only the fields sent change; ``attainment`` and ``target_date`` may be null."""

    version: int = _item_version_field()
    text: str | None = None
    target_date: date | None = None
    attainment: int | None = Field(
        None, ge=-2, le=2, description="Goal attainment scaling: −2 … +2; null: not rated."
    )

    _check_text = field_validator("text", mode="before")(_not_null)
    _check_target_date = field_validator("target_date")(_plausible)


class GoalOut(Schema):
    id: uuid.UUID = Field(description="The goal's group: one id for all persons it is for.")
    persons: list[str] = Field(description="Lotse IDs of the persons whose row you may see.")
    domain: str
    text: str
    responsible_agency: str = Field(description="Code of the agency that owns the goal.")
    target_date: date | None
    attainment: int | None
    owner_agency: str = Field(description="Code of the agency that recorded it (changes it).")
    version: int
    access_basis: str = _basis_field()


class StaleGoalOut(Schema):
    detail: str
    current: GoalOut


class MeasureIn(InputSchema):
    goal: uuid.UUID = Field(description="The id of a goal your agency recorded in this case.")
    text: str
    responsible_agency: str = Field(description="Code of the participating agency that does it.")
    due_date: date | None = None

    _check_due_date = field_validator("due_date")(_plausible)


class MeasurePatch(InputSchema):
    """Only the fields sent change; ``due_date`` may be null."""

    version: int = _item_version_field()
    status: Measure.Status | None = None
    due_date: date | None = None

    _check_status = field_validator("status", mode="before")(_not_null)
    _check_due_date = field_validator("due_date")(_plausible)


class MeasureOut(Schema):
    id: uuid.UUID = Field(description="The measure's group: one id for all its persons.")
    goal: uuid.UUID = Field(description="The id of the goal it leads to.")
    persons: list[str] = Field(description="Lotse IDs of the persons whose row you may see.")
    text: str
    responsible_agency: str = Field(description="Code of the agency that does it.")
    due_date: date | None
    status: str
    owner_agency: str = Field(description="Code of the agency that recorded it (changes it).")
    version: int
    access_basis: str = _basis_field()


class StaleMeasureOut(Schema):
    detail: str
    current: MeasureOut


class ConferenceIn(InputSchema):
    scheduled_at: datetime = Field(description="ISO 8601; a time without offset is Berlin time.")
    agencies: list[str] = Field(
        description="Codes of the participating agencies that attend; yours attends anyway."
    )
    topics: list[LifeDomain] = Field(description="The agenda: life domains to discuss.")
    persons: list[str] = Field(
        default_factory=list, description="Lotse IDs of the household members who attend."
    )
    place: str = Field("", description="Where; a place or a video link is needed.")
    video_link: str = ""
    interpreter_language: str = Field("", description="Language code, e.g. 'ar'; empty if none.")

    _check_scheduled_at = field_validator("scheduled_at")(_plausible)


class HoldIn(InputSchema):
    version: int = _item_version_field()
    early: bool = Field(
        default=False,
        description="Confirms that a conference planned for a later day takes place today; "
        "without it holding before the scheduled day is refused on this field.",
    )


class MinuteOut(Schema):
    id: uuid.UUID = Field(description="The minutes' group: one id for all persons concerned.")
    persons: list[str]
    topic: str
    text: str
    owner_agency: str
    access_basis: str = _basis_field()


class DecisionOut(Schema):
    id: uuid.UUID = Field(description="The decision's group: one id for all persons concerned.")
    persons: list[str]
    text: str
    responsible_agency: str = Field(description="Code of the agency that carries it out.")
    responsible_user: str | None = Field(description="Username of who does it, if named.")
    due_date: date
    status: str
    access_basis: str = _basis_field()


class ConferenceOut(Schema):
    id: int
    scheduled_at: datetime
    place: str
    video_link: str
    interpreter_language: str
    status: str = Field(description="planned, held or cancelled.")
    held_at: datetime | None
    agencies: list[str] = Field(description="Codes of the attending agencies.")
    topics: list[str]
    version: int
    minutes: list[MinuteOut] | None = Field(
        description="The minutes you may see; null when your agency does not attend."
    )
    decisions: list[DecisionOut] | None = Field(
        description="The decisions you may see; null when your agency does not attend."
    )


class StaleConferenceOut(Schema):
    detail: str
    current: ConferenceOut


class TimelineQuery(CheckedInput):
    before: datetime | None = Field(
        None,
        description="Only what happened before this time (ISO 8601): for the next page, the "
        "`next_before` of the previous one.",
    )
    limit: int = Field(selectors.TIMELINE_PAGE, ge=1, le=MAX_TIMELINE)

    _check_before = field_validator("before")(_plausible)


class _TimelineBase(Schema):
    at: datetime
    persons: list[str] = Field(description="Lotse IDs of the persons whose row you may see.")
    access_basis: str = Field(
        description="Why you see it (see the other lists); empty for phase changes and "
        "conferences, which are no content about a person."
    )


class TimelineEntryOut(_TimelineBase):
    kind: Literal["entry"]
    id: int = Field(description="The journal entry (of the first person: /journal-entries/{id}).")
    entry_kind: str = Field(description="talk, phone_call, home_visit, letter or decision.")
    category: str
    text: str
    owner_agency: str
    follow_up_on: date | None


class TimelineAssessmentOut(_TimelineBase):
    kind: Literal["assessment"]
    id: int
    domain: str
    need: int
    owner_agency: str


class TimelineGoalOut(_TimelineBase):
    kind: Literal["goal"]
    id: uuid.UUID
    domain: str
    text: str
    owner_agency: str


class TimelineMeasureOut(_TimelineBase):
    kind: Literal["measure"]
    id: uuid.UUID
    goal: uuid.UUID
    text: str
    status: str
    owner_agency: str


class TimelineConferenceOut(_TimelineBase):
    kind: Literal["conference"]
    id: int
    status: str


class TimelinePhaseOut(_TimelineBase):
    kind: Literal["phase"]
    id: int
    from_phase: str
    to_phase: str
    closure_reason: str
    note: str
    agency: str = Field(description="Code of the agency that changed the phase.")


TimelineItemOut = Annotated[
    TimelineEntryOut
    | TimelineAssessmentOut
    | TimelineGoalOut
    | TimelineMeasureOut
    | TimelineConferenceOut
    | TimelinePhaseOut,
    Field(discriminator="kind"),
]


class TimelineOut(Schema):
    items: list[TimelineItemOut] = Field(description="Newest first.")
    next_before: datetime | None = Field(
        description="Send as `before` for the next page; null on the last page."
    )


# --- helpers ------------------------------------------------------------------------------------


class _Stale(Exception):
    """The service refused a stale version; the endpoint answers 409 with the current state."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def _service(write: Callable[[], T], *, names: Mapping[str, str] | None = None) -> T:
    """Run a content service: its ``ValidationError`` is a 422 naming the field as the API
    names it, a stale version is ``_Stale``; 404 for what the caller may not do passes."""
    with invalid_input_as_422():
        try:
            return write()
        except DjangoValidationError as error:
            if _is_stale(error):
                raise _Stale(" ".join(error.messages)) from error
            renamed = _renamed(error, names or {})
            if renamed is error:
                raise
            raise renamed from error


def _writable_case(request: HttpRequest, case_id: int) -> tuple[Membership, Case]:
    membership = _membership(request)
    return membership, selectors.case_get(membership=membership, pk=case_id)


def _visible_members(membership: Membership, case: Case) -> list[HouseholdMember]:
    members: list[HouseholdMember] = selectors.with_visible_members(membership, [case])[
        0
    ].visible_members  # type: ignore[attr-defined]
    return members


def _household_persons(
    membership: Membership, case: Case, public_ids: Sequence[str], field: str, *, many: bool
) -> list[Person]:
    """The household members named by Lotse ID; 422 naming the entry for one the caller may
    not see, of another household or missing alike."""
    known = {m.person.public_id: m.person for m in _visible_members(membership, case)}
    persons = []
    for index, public_id in enumerate(public_ids):
        person = known.get(public_id.strip().upper())
        if person is None:
            loc: list[str | int] = ["body", "payload", field, *([index] if many else [])]
            raise ValidationError(
                [
                    {
                        "type": "invalid",
                        "loc": loc,
                        "msg": _("No person with this ID is known to you."),
                    }
                ]
            )
        persons.append(person)
    return persons


def _agencies(codes: Sequence[str], field: str) -> list[Agency]:
    wanted = {code.strip() for code in codes if code.strip()}
    found = accounts.active_agencies_by_code(wanted)
    unknown = sorted(wanted - {agency.code for agency in found})
    if unknown:
        raise _body_error(
            field, _("Unknown agency code: %(codes)s") % {"codes": ", ".join(unknown)}
        )
    return found


def _own_rows(
    model: type[Goal] | type[Measure], membership: Membership, case: Case, group: uuid.UUID
) -> list[Any]:
    """The rows of a goal or measure the caller's agency recorded; 404 for anyone else's."""
    rows = list(
        model.objects.filter(case=case, group=group, owner_agency=membership.agency)
        .filter(policy.visible_q(membership, model))
        .order_by("pk")
    )
    if not rows:
        raise Http404
    return rows


def _audited(
    request: HttpRequest,
    membership: Membership,
    case: Case,
    *,
    section: str,
    items: Sequence[Any],
    answers: policy.Decisions,
    members: Sequence[HouseholdMember] | None = None,
) -> None:
    if members is None:
        members = _visible_members(membership, case)
    audited_read(
        membership=membership,
        actor=_actor(request),
        action=AuditAction.CASE_VIEWED,
        target=case,
        items=items,
        decisions=answers,
        subjects=[m.person_id for m in members],
        section=section,
    )


def _grouped(rows: Sequence[Any]) -> list[list[Any]]:
    groups: dict[Any, list[Any]] = {}
    for row in rows:
        groups.setdefault(row.group, []).append(row)
    return list(groups.values())


# --- building the answers -----------------------------------------------------------------------


def _assessment_out(assessment: Assessment, basis: str) -> AssessmentOut:
    return AssessmentOut(
        id=assessment.pk,
        person=assessment.subject.public_id,
        domain=assessment.domain,
        need=assessment.need,
        situation=assessment.situation,
        resources=assessment.resources,
        assessed_on=assessment.assessed_on,
        category=assessment.category,
        entrusted=assessment.entrusted,
        owner_agency=assessment.owner_agency.code,
        recorded_at=assessment.created_at,
        access_basis=basis,
    )


def _goal_out(goal: selectors.PlanGoal, answers: policy.Decisions) -> GoalOut:
    first = goal.first
    return GoalOut(
        id=first.group,
        persons=[person.public_id for person in goal.persons],
        domain=first.domain,
        text=first.text,
        responsible_agency=first.responsible_agency.code,
        target_date=first.target_date,
        attainment=first.attainment,
        owner_agency=first.owner_agency.code,
        version=first.version,
        access_basis=answers.of(first).basis,
    )


def _measure_out(rows: list[Measure], answers: policy.Decisions) -> MeasureOut:
    first = rows[0]
    return MeasureOut(
        id=first.group,
        goal=first.goal_group,
        persons=[row.subject.public_id for row in rows],
        text=first.text,
        responsible_agency=first.responsible_agency.code,
        due_date=first.due_date,
        status=first.status,
        owner_agency=first.owner_agency.code,
        version=first.version,
        access_basis=answers.of(first).basis,
    )


def _plan_goal(membership: Membership, case: Case, group: uuid.UUID) -> GoalOut:
    """One goal as the plan shows it to the caller (after a write: the rows as saved)."""
    plan, _shown = selectors.case_plan(membership=membership, case=case)
    for goal in plan:
        if goal.first.group == group:
            return _goal_out(goal, policy.explain_many(membership, goal.rows))
    raise Http404


def _plan_measures(membership: Membership, case: Case) -> tuple[list[list[Measure]], list[Any]]:
    """The measures of the plan the caller may see, per measure, in the plan's order, and
    the rows shown (also those towards a goal whose rows the caller may not see)."""
    _plan, shown = selectors.case_plan(membership=membership, case=case)
    rows = [item for item in shown if isinstance(item, Measure)]
    return _grouped(rows), rows


def _plan_measure(membership: Membership, case: Case, group: uuid.UUID) -> MeasureOut:
    measures, _rows = _plan_measures(membership, case)
    for rows in measures:
        if rows[0].group == group:
            return _measure_out(rows, policy.explain_many(membership, rows))
    raise Http404


def _minute_out(minute: selectors.Grouped, answers: policy.Decisions) -> MinuteOut:
    first: ConferenceMinute = minute.first
    return MinuteOut(
        id=first.group,
        persons=[person.public_id for person in minute.persons],
        topic=first.topic,
        text=first.text,
        owner_agency=first.owner_agency.code,
        access_basis=answers.of(first).basis,
    )


def _decision_out(decision: selectors.Grouped, answers: policy.Decisions) -> DecisionOut:
    first: ConferenceDecision = decision.first
    return DecisionOut(
        id=first.group,
        persons=[person.public_id for person in decision.persons],
        text=first.text,
        responsible_agency=first.responsible_agency.code,
        responsible_user=first.responsible_user.get_username() if first.responsible_user else None,
        due_date=first.due_date,
        status=first.status,
        access_basis=answers.of(first).basis,
    )


ConferenceContent = tuple[list[selectors.Grouped], list[selectors.Grouped]]


def _conference_contents(
    membership: Membership, conferences: Sequence[CaseConference]
) -> tuple[dict[int, ConferenceContent], list[Any]]:
    """Minutes and decisions of the conferences the caller's agency attends (the agencies
    prefetched), and every row shown."""
    contents = {
        conference.pk: selectors.conference_content(membership=membership, conference=conference)
        for conference in conferences
        if any(agency.pk == membership.agency_id for agency in conference.agencies.all())
    }
    shown = [
        row
        for minutes, decisions in contents.values()
        for item in [*minutes, *decisions]
        for row in item.rows
    ]
    return contents, shown


def _conference_out(
    conference: CaseConference, content: ConferenceContent | None, answers: policy.Decisions
) -> ConferenceOut:
    return ConferenceOut(
        id=conference.pk,
        scheduled_at=conference.scheduled_at,
        place=conference.place,
        video_link=conference.video_link,
        interpreter_language=conference.interpreter_language,
        status=conference.status,
        held_at=conference.held_at,
        agencies=sorted(agency.code for agency in conference.agencies.all()),
        topics=list(conference.topics),
        version=conference.version,
        minutes=[_minute_out(m, answers) for m in content[0]] if content is not None else None,
        decisions=[_decision_out(d, answers) for d in content[1]] if content is not None else None,
    )


def _one_conference_out(
    request: HttpRequest, membership: Membership, conference: CaseConference
) -> ConferenceOut:
    """A conference the caller leads, as saved; minutes and decisions shown are audited."""
    current = CaseConference.objects.prefetch_related("agencies").get(pk=conference.pk)
    contents, shown = _conference_contents(membership, [current])
    answers = policy.explain_many(membership, shown)
    if shown:
        _audited(
            request, membership, conference.case, section="conference", items=shown, answers=answers
        )
    return _conference_out(current, contents.get(current.pk), answers)


def _timeline_out(entry: selectors.TimelineItem, answers: policy.Decisions) -> Any:
    item = entry.item
    persons = [person.public_id for person in entry.persons]
    if entry.kind == "phase":
        change: CasePhaseChange = item
        return TimelinePhaseOut(
            kind="phase",
            at=entry.at,
            id=change.pk,
            persons=[],
            access_basis="",
            from_phase=change.from_phase,
            to_phase=change.to_phase,
            closure_reason=change.closure_reason,
            note=change.note,
            agency=change.agency.code,
        )
    if entry.kind == "conference":
        conference: CaseConference = item
        return TimelineConferenceOut(
            kind="conference",
            at=entry.at,
            id=conference.pk,
            persons=[],
            access_basis="",
            status=conference.status,
        )
    common = {"at": entry.at, "persons": persons, "access_basis": answers.of(item).basis}
    if entry.kind == "entry":
        journal: JournalEntry = item
        return TimelineEntryOut(
            kind="entry",
            id=journal.pk,
            entry_kind=journal.kind,
            category=journal.category,
            text=journal.text,
            owner_agency=journal.owner_agency.code,
            follow_up_on=journal.follow_up_on,
            **common,
        )
    if entry.kind == "assessment":
        assessment: Assessment = item
        return TimelineAssessmentOut(
            kind="assessment",
            id=assessment.pk,
            domain=assessment.domain,
            need=assessment.need,
            owner_agency=assessment.owner_agency.code,
            **common,
        )
    if entry.kind == "goal":
        goal: Goal = item
        return TimelineGoalOut(
            kind="goal",
            id=goal.group,
            domain=goal.domain,
            text=goal.text,
            owner_agency=goal.owner_agency.code,
            **common,
        )
    measure: Measure = item
    return TimelineMeasureOut(
        kind="measure",
        id=measure.group,
        goal=measure.goal_group,
        text=measure.text,
        status=measure.status,
        owner_agency=measure.owner_agency.code,
        **common,
    )


# --- assessments --------------------------------------------------------------------------------


@router.get(
    "/cases/{id}/assessments",
    response={200: ListOut[AssessmentOut], **ERRORS},
    auth=READ,
    tags=["case content"],
    summary="The case's assessments you may see, newest first (the latest per person and "
    "domain is the current one)",
)
def case_assessment_list(request: HttpRequest, id: ObjectId, query: Query[Page]) -> dict[str, Any]:
    """Each assessment is about one person and takes the category of its life domain (health
    is health, work is work): you see it under that person's basis for that category, and a
    consent opens it only for case management or a case conference."""
    membership, case = _readable_case(request, id)
    visible = Assessment.objects.filter(policy.visible_q(membership, Assessment), case=case)
    page = list(
        visible.select_related("subject", "owner_agency").order_by("-assessed_on", "-pk")[
            query.offset : query.offset + query.limit
        ]
    )
    count = visible.count()
    answers = policy.explain_many(membership, page)
    _audited(request, membership, case, section="assessments", items=page, answers=answers)
    return {
        "items": [_assessment_out(item, answers.of(item).basis) for item in page],
        "count": count,
    }


@router.post(
    "/cases/{id}/assessments",
    response={201: AssessmentOut, **ERRORS},
    auth=WRITE,
    tags=["case content"],
    summary="Assess how a household member stands in a life domain (any participating agency)",
)
def case_assessment_post(
    request: HttpRequest, id: ObjectId, payload: AssessmentIn
) -> Status[AssessmentOut]:
    """Your agency's own record: each one is kept, the latest is the current assessment."""
    membership, case = _writable_case(request, id)
    (person,) = _household_persons(membership, case, [payload.person], "person", many=False)
    assessment = _service(
        lambda: services.assessment_record(
            case=case,
            subject=person,
            domain=payload.domain.value,
            need=payload.need,
            situation=payload.situation,
            resources=payload.resources,
            assessed_on=payload.assessed_on,
            entrusted=payload.entrusted,
            membership=membership,
            actor=_actor(request),
        ),
        names={"subjects": "person"},
    )
    return Status(201, _assessment_out(assessment, policy.explain(membership, assessment).basis))


# --- goals --------------------------------------------------------------------------------------


@router.get(
    "/cases/{id}/goals",
    response={200: ListOut[GoalOut], **ERRORS},
    auth=READ,
    tags=["case content"],
    summary="The family integration plan's goals you may see, each with the persons you may "
    "see it for",
)
def case_goal_list(request: HttpRequest, id: ObjectId) -> dict[str, Any]:
    """A goal for two persons is one goal here (``id`` = its group) with the ``persons``
    whose rows your basis opens; a goal none of whose rows you may see is not in the list."""
    membership, case = _readable_case(request, id)
    plan, _shown = selectors.case_plan(membership=membership, case=case)
    rows = [row for goal in plan for row in goal.rows]
    answers = policy.explain_many(membership, rows)
    _audited(request, membership, case, section="goals", items=rows, answers=answers)
    return {"items": [_goal_out(goal, answers) for goal in plan], "count": len(plan)}


@router.post(
    "/cases/{id}/goals",
    response={201: GoalOut, **ERRORS},
    auth=WRITE,
    tags=["case content"],
    summary="Add a goal to the plan for one or more household members (any participating "
    "agency; it stays yours)",
)
def case_goal_post(request: HttpRequest, id: ObjectId, payload: GoalIn) -> Status[GoalOut]:
    membership, case = _writable_case(request, id)
    persons = _household_persons(membership, case, payload.persons, "persons", many=True)
    agency = _agency(payload.responsible_agency, "responsible_agency")
    goals = _service(
        lambda: services.goal_create(
            case=case,
            subjects=persons,
            domain=payload.domain.value,
            text=payload.text,
            responsible_agency=agency,
            target_date=payload.target_date,
            membership=membership,
            actor=_actor(request),
        ),
        names={"subjects": "persons"},
    )
    return Status(201, _plan_goal(membership, case, goals[0].group))


@router.patch(
    "/cases/{id}/goals/{group}",
    response={200: GoalOut, 409: StaleGoalOut, **ERRORS},
    auth=WRITE,
    tags=["case content"],
    summary="Change a goal or rate its attainment (the agency that recorded it)",
)
def case_goal_patch(
    request: HttpRequest, id: ObjectId, group: GroupId, payload: GoalPatch
) -> GoalOut | Status[StaleGoalOut]:
    """All persons' rows change together. Seeing a goal is not owning it: another agency's
    goal answers 404 like a missing one. A stale ``version`` is 409 with the goal as it is."""
    membership, case = _writable_case(request, id)
    first: Goal = _own_rows(Goal, membership, case, group)[0]
    sent = payload.model_fields_set
    try:
        _service(
            lambda: services.goal_update(
                case=case,
                group=group,
                text=payload.text if payload.text is not None else first.text,
                target_date=payload.target_date if "target_date" in sent else first.target_date,
                attainment=payload.attainment if "attainment" in sent else first.attainment,
                membership=membership,
                actor=_actor(request),
                expected_version=payload.version,
            )
        )
    except _Stale as stale:
        return Status(
            409, StaleGoalOut(detail=stale.message, current=_plan_goal(membership, case, group))
        )
    return _plan_goal(membership, case, group)


# --- measures -----------------------------------------------------------------------------------


@router.get(
    "/cases/{id}/measures",
    response={200: ListOut[MeasureOut], **ERRORS},
    auth=READ,
    tags=["case content"],
    summary="The plan's measures you may see, by due date, each with the persons you may see "
    "it for",
)
def case_measure_list(request: HttpRequest, id: ObjectId) -> dict[str, Any]:
    membership, case = _readable_case(request, id)
    measures, rows = _plan_measures(membership, case)
    answers = policy.explain_many(membership, rows)
    _audited(request, membership, case, section="measures", items=rows, answers=answers)
    return {"items": [_measure_out(m, answers) for m in measures], "count": len(measures)}


@router.post(
    "/cases/{id}/measures",
    response={201: MeasureOut, **ERRORS},
    auth=WRITE,
    tags=["case content"],
    summary="Add a step towards one of your agency's goals, for the goal's persons",
)
def case_measure_post(request: HttpRequest, id: ObjectId, payload: MeasureIn) -> Status[MeasureOut]:
    """A ``goal`` another agency recorded is refused on ``goal`` like a missing one."""
    membership, case = _writable_case(request, id)
    own_goal = (
        Goal.objects.filter(case=case, group=payload.goal, owner_agency=membership.agency)
        .filter(policy.visible_q(membership, Goal))
        .exists()
    )
    if not own_goal:
        raise _body_error("goal", _("No goal of your agency with this ID is in this case."))
    agency = _agency(payload.responsible_agency, "responsible_agency")
    measures = _service(
        lambda: services.measure_create(
            case=case,
            goal_group=payload.goal,
            text=payload.text,
            responsible_agency=agency,
            due_date=payload.due_date,
            membership=membership,
            actor=_actor(request),
        )
    )
    return Status(201, _plan_measure(membership, case, measures[0].group))


@router.patch(
    "/cases/{id}/measures/{group}",
    response={200: MeasureOut, 409: StaleMeasureOut, **ERRORS},
    auth=WRITE,
    tags=["case content"],
    summary="Change a measure's status or due date (the agency that recorded it)",
)
def case_measure_patch(
    request: HttpRequest, id: ObjectId, group: GroupId, payload: MeasurePatch
) -> MeasureOut | Status[StaleMeasureOut]:
    """Another agency's measure answers 404; a stale ``version`` is 409 with it as it is."""
    membership, case = _writable_case(request, id)
    first: Measure = _own_rows(Measure, membership, case, group)[0]
    try:
        _service(
            lambda: services.measure_update(
                case=case,
                group=group,
                status=payload.status.value if payload.status is not None else first.status,
                due_date=payload.due_date
                if "due_date" in payload.model_fields_set
                else first.due_date,
                membership=membership,
                actor=_actor(request),
                expected_version=payload.version,
            )
        )
    except _Stale as stale:
        return Status(
            409,
            StaleMeasureOut(detail=stale.message, current=_plan_measure(membership, case, group)),
        )
    return _plan_measure(membership, case, group)


# --- conferences --------------------------------------------------------------------------------


@router.get(
    "/cases/{id}/conferences",
    response={200: ListOut[ConferenceOut], **ERRORS},
    auth=READ,
    tags=["case content"],
    summary="The case's conferences; minutes and decisions of those your agency attends",
)
def case_conference_list(request: HttpRequest, id: ObjectId) -> dict[str, Any]:
    """Newest first. Minutes and decisions are read per person under a basis for the
    conference purpose; for a conference your agency does not attend they are null."""
    membership, case = _readable_case(request, id)
    conferences = selectors.case_conferences(case)
    contents, shown = _conference_contents(membership, conferences)
    answers = policy.explain_many(membership, shown)
    _audited(request, membership, case, section="conferences", items=shown, answers=answers)
    return {
        "items": [_conference_out(c, contents.get(c.pk), answers) for c in conferences],
        "count": len(conferences),
    }


@router.post(
    "/cases/{id}/conferences",
    response={201: ConferenceOut, **ERRORS},
    auth=WRITE,
    tags=["case content"],
    summary="Plan a case conference with agencies of the case and family members (lead agency)",
)
def case_conference_post(
    request: HttpRequest, id: ObjectId, payload: ConferenceIn
) -> Status[ConferenceOut]:
    """Before it can be held, every attending agency needs a consent covering the conference
    (or a legal basis) for each household member and topic: see ``/conferences/{id}/hold``."""
    membership, case = _lead_case(request, id)
    agencies = _agencies(payload.agencies, "agencies")
    persons = _household_persons(membership, case, payload.persons, "persons", many=True)
    conference = _service(
        lambda: services.conference_plan(
            case=case,
            scheduled_at=aware(payload.scheduled_at),
            agencies=agencies,
            topics=[topic.value for topic in payload.topics],
            family=persons,
            place=payload.place,
            video_link=payload.video_link,
            interpreter_language=payload.interpreter_language,
            membership=membership,
            actor=_actor(request),
        ),
        names={"subjects": "persons"},
    )
    return Status(201, _one_conference_out(request, membership, conference))


@router.post(
    "/conferences/{id}/hold",
    response={200: ConferenceOut, 409: NotCoveredOut | StaleConferenceOut, **ERRORS},
    auth=WRITE,
    tags=["case content"],
    summary="The conference takes place (lead agency); refused while a consent is missing",
)
def conference_hold_post(
    request: HttpRequest, id: ObjectId, payload: HoldIn
) -> ConferenceOut | Status[NotCoveredOut] | Status[StaleConferenceOut]:
    """Refused with 409 and ``uncovered`` (each attending agency, member — null for one you
    may not see — and category no consent for the conference or legal basis covers), like a
    case that may not leave intake. A stale ``version`` is 409 with the conference as it is."""
    membership = _membership(request)
    conference = (
        CaseConference.objects.select_related("case", "case__household", "case__lead_agency")
        .filter(pk=id, case__in=access.cases_visible_to(membership))
        .first()
    )
    if conference is None or not access.leads(membership, conference.case):
        raise Http404

    def stale() -> Status[StaleConferenceOut]:
        return Status(
            409,
            StaleConferenceOut(
                detail=_("Someone else changed the conference; reload the page."),
                current=_one_conference_out(request, membership, conference),
            ),
        )

    if payload.version != conference.version:
        return stale()
    with invalid_input_as_422():
        try:
            services.conference_hold(
                conference=conference,
                membership=membership,
                actor=_actor(request),
                expected_version=payload.version,
                early=payload.early,
            )
        except services.CaseNotCovered as refused:
            return _uncovered_out(membership, refused)
        except DjangoValidationError:
            # The service's stale refusal carries no code: a version moved meanwhile says it.
            if CaseConference.objects.filter(pk=id, version=payload.version).exists():
                raise
            return stale()
    return _one_conference_out(request, membership, conference)


# --- timeline -----------------------------------------------------------------------------------


@router.get(
    "/cases/{id}/timeline",
    response={200: TimelineOut, **ERRORS},
    auth=READ,
    tags=["case content"],
    summary="Journal entries, assessments, goals, measures, conferences and phase changes, "
    "newest first; page with ?before=",
)
def case_timeline_get(
    request: HttpRequest, id: ObjectId, query: Query[TimelineQuery]
) -> TimelineOut:
    """Each item passes the policy per person (``persons``: those whose row you may see);
    the cost is the same for ten items as for two hundred."""
    membership, case = _readable_case(request, id)
    before = aware(query.before) if query.before is not None else None
    items, shown = selectors.case_timeline(
        membership=membership, case=case, limit=query.limit, before=before
    )
    answers = policy.explain_many(membership, shown)
    _audited(request, membership, case, section="timeline", items=shown, answers=answers)
    return TimelineOut(
        items=[_timeline_out(item, answers) for item in items],
        next_before=items[-1].at if len(items) == query.limit else None,
    )
