from __future__ import annotations

import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from lotse.accounts.models import Agency, Membership, User
from lotse.accounts.roles import Capability
from lotse.audit.models import AuditAction
from lotse.audit.services import record
from lotse.consent import firewall, policy
from lotse.consent.categories import DataCategory
from lotse.consent.models import ConsentPurpose
from lotse.core.dates import EARLIEST_YEAR, aware
from lotse.core.errors import AccessDenied
from lotse.core.models import StaleEditError
from lotse.core.text import LONG_TEXT_MAX, clean_text
from lotse.people.access import households_visible_to, require_visible_person
from lotse.people.models import Household, HouseholdMember, Person
from lotse.people.validation import language_codes
from lotse.scheduling.models import DEFAULT_RULES, DeadlineKind, DeadlineRule, Task, TaskStatus

from . import access
from .models import (
    DOMAIN_CATEGORY,
    Assessment,
    CameVia,
    Case,
    CaseAssignment,
    CaseConference,
    CaseHandover,
    CaseParticipant,
    CasePhaseChange,
    ClosureReason,
    ConferenceAttendee,
    ConferenceDecision,
    ConferenceMinute,
    Goal,
    JournalEntry,
    LifeDomain,
    Measure,
    Phase,
    UnmetNeed,
)


@transaction.atomic
def journal_entry_create(
    *,
    subject: Person,
    kind: str,
    category: str,
    text: str,
    membership: Membership,
    actor: User,
    entrusted: bool = False,
    occurred_at: datetime | None = None,
    case: Case | None = None,
    group: uuid.UUID | None = None,
    follow_up_on: date | None = None,
    interpreter_language: str = "",
    participants: str = "",
) -> JournalEntry:
    """Record a talk, call, visit, letter or decision about a person — on its own or under
    the family's case; entries about the whole household share a ``group``."""
    if not membership.can(Capability.WRITE_CASE_CONTENT):
        raise AccessDenied
    # An entry of one's own about a person one may see: seeing is the basis for writing here.
    require_visible_person(membership, subject)
    if category not in DataCategory.values:
        raise ValidationError({"category": _("Choose a category.")})
    if entrusted and membership.agency.kind != Agency.Kind.YOUTH_WELFARE_OFFICE:
        raise ValidationError(
            {"entrusted": _("Only the Jugendamt records entrusted information (§ 65 SGB VIII).")}
        )
    text = clean_text(text, field="text", max_length=LONG_TEXT_MAX, multiline=True)
    if not text:
        raise ValidationError({"text": _("Write what happened.")})
    when = aware(occurred_at) if occurred_at is not None else timezone.now()
    if when > timezone.now() + timedelta(minutes=5):
        raise ValidationError({"occurred_at": _("The time lies in the future.")})
    if when.year < EARLIEST_YEAR:
        raise ValidationError(
            {"occurred_at": _("The time lies before %(year)s.") % {"year": EARLIEST_YEAR}}
        )
    if case is not None and not (
        access.cases_visible_to(membership).filter(pk=case.pk).exists()
        and HouseholdMember.objects.filter(household_id=case.household_id, person=subject).exists()
    ):
        raise AccessDenied
    if interpreter_language and interpreter_language not in language_codes():
        raise ValidationError({"interpreter_language": _("Choose a language from the list.")})
    entry = JournalEntry(
        subject=subject,
        owner_agency=membership.agency,
        category=category,
        entrusted=entrusted,
        kind=kind,
        text=text,
        occurred_at=when,
        author=actor,
        case=case,
        follow_up_on=follow_up_on,
        interpreter_language=interpreter_language,
        participants=clean_text(participants, field="participants", max_length=300),
    )
    if group is not None:
        entry.group = group
    entry.full_clean(exclude=["subject", "owner_agency", "author"])
    entry.save()
    record(
        action=AuditAction.JOURNAL_ENTRY_CREATED,
        actor=actor,
        agency=membership.agency,
        target=entry,
        subject_id=subject.pk,
        basis="own_agency",
    )
    return entry


def case_content_move(*, survivor_id: int, merged_id: int) -> dict[str, int]:
    """Case work's part of a merge (CasesConfig.move_person_content): every item about the
    merged record now concerns the survivor, under the survivor's bases."""
    return {
        name: model.objects.filter(subject_id=merged_id).update(subject_id=survivor_id)
        for name, model in (
            ("journal_entries", JournalEntry),
            ("assessments", Assessment),
            ("goals", Goal),
            ("measures", Measure),
            ("conference_minutes", ConferenceMinute),
            ("conference_decisions", ConferenceDecision),
            ("unmet_needs", UnmetNeed),
        )
    } | {
        "conference_attendees": ConferenceAttendee.objects.filter(person_id=merged_id)
        .exclude(
            conference__in=ConferenceAttendee.objects.filter(person_id=survivor_id).values(
                "conference"
            )
        )
        .update(person_id=survivor_id)
    }


# --- the case -----------------------------------------------------------------------------

#: The case-management cycle's allowed steps. Closing is possible from every phase (a family
#: moves away during implementation); a closed case reopens into intake, so that the consents
#: are checked again before anyone sees more.
TRANSITIONS: dict[str, frozenset[str]] = {
    Phase.INTAKE: frozenset({Phase.ASSESSMENT, Phase.CLOSED}),
    Phase.ASSESSMENT: frozenset({Phase.PLANNING, Phase.INTAKE, Phase.CLOSED}),
    Phase.PLANNING: frozenset({Phase.IMPLEMENTATION, Phase.ASSESSMENT, Phase.CLOSED}),
    Phase.IMPLEMENTATION: frozenset({Phase.MONITORING, Phase.PLANNING, Phase.CLOSED}),
    Phase.MONITORING: frozenset(
        {Phase.EVALUATION, Phase.IMPLEMENTATION, Phase.PLANNING, Phase.CLOSED}
    ),
    Phase.EVALUATION: frozenset({Phase.CLOSED, Phase.IMPLEMENTATION, Phase.PLANNING}),
    Phase.CLOSED: frozenset({Phase.INTAKE}),
}

#: What a participating agency sees of the lead's content unless the lead chooses more.
DEFAULT_PARTICIPANT_CATEGORIES = (DataCategory.CASE_PLAN,)


def _require_lead(membership: Membership, case: Case) -> None:
    if not access.leads(membership, case):
        raise AccessDenied


def _require_case_visible(membership: Membership, case: Case) -> None:
    if not access.cases_visible_to(membership).filter(pk=case.pk).exists():
        raise AccessDenied


def _bump(case: Case, *, expected_version: int, fields: list[str]) -> None:
    try:
        case.save_versioned(expected_version=expected_version, update_fields=fields)
    except StaleEditError as error:
        raise ValidationError(
            _(
                "Someone else changed this case in the meantime. Reload the page to see "
                "their changes, then make yours again."
            ),
            code="stale",
        ) from error


def _caseworker(agency: Agency, user: User | None, *, field: str) -> User | None:
    """``user`` if they work for ``agency`` with case content; the field is named otherwise."""
    if user is None:
        return None
    works_there = Membership.objects.filter(
        user=user, agency=agency, is_active=True, user__is_active=True
    )
    if not any(m.can(Capability.READ_CASE_CONTENT) for m in works_there):
        raise ValidationError(
            {field: _("Choose a caseworker of %(agency)s.") % {"agency": agency.name}}
        )
    return user


def _opens_case(user: User, agency: Agency, case: Case) -> bool:
    """Whether ``user`` may open ``case`` as a member of ``agency`` (need-to-know included)."""
    memberships = Membership.objects.filter(
        user=user, agency=agency, is_active=True
    ).select_related("agency")
    return any(access.cases_visible_to(m).filter(pk=case.pk).exists() for m in memberships)


def _clean_categories(agency: Agency, categories: Iterable[str]) -> list[str]:
    chosen = sorted(set(categories))
    unknown = [c for c in chosen if c not in DataCategory.values]
    if unknown:
        raise ValidationError({"categories": _("Choose categories from the list.")})
    blocked = firewall.blocked_categories(agency.kind)
    closed = [str(DataCategory(c).label) for c in chosen if c in blocked]
    if closed:
        raise ValidationError(
            {
                "categories": _("%(agency)s may never see: %(categories)s.")
                % {"agency": agency.name, "categories": ", ".join(closed)}
            }
        )
    return chosen


def _assign(
    *, case: Case, agency: Agency, user: User, kind: str, actor: User, **dates: Any
) -> CaseAssignment:
    return CaseAssignment.objects.create(
        case=case, agency=agency, user=user, kind=kind, assigned_by=actor, **dates
    )


def _end_assignments(case: Case, *, agency: Agency, kind: str, user: User | None = None) -> None:
    today = timezone.localdate()
    ending = access.active_assignments().filter(case=case, agency=agency, kind=kind)
    if user is not None:
        ending = ending.filter(user=user)
    # Ends yesterday: from today on the assignment no longer opens anything.
    ending.update(valid_until=today - timedelta(days=1))


@transaction.atomic
def case_open(
    *,
    household: Household,
    membership: Membership,
    actor: User,
    came_via: str = CameVia.SELF,
    referred_by: Agency | None = None,
    interpreter_language: str = "",
) -> Case:
    """Open the household's case with the member's agency as lead and the member as lead
    case manager. A household has one case; a closed one is reopened, not opened again."""
    if not membership.can(Capability.WRITE_CASE_CONTENT):
        raise AccessDenied
    if not households_visible_to(membership).filter(pk=household.pk).exists():
        raise AccessDenied
    if Case.objects.filter(household=household).exists():
        # Named without the agency: who leads another family's case is not the asker's to know.
        raise ValidationError(
            {
                "household": _(
                    "This household already has a case. Ask the family which agency leads "
                    "it and ask that agency to let yours take part."
                )
            }
        )
    if came_via not in CameVia.values:
        raise ValidationError({"came_via": _("Choose how the family came.")})
    if came_via == CameVia.AGENCY and referred_by is None:
        raise ValidationError({"referred_by": _("Choose the agency that referred the family.")})
    if came_via != CameVia.AGENCY:
        referred_by = None
    language = clean_text(interpreter_language, field="interpreter_language", max_length=8)
    if language and language not in language_codes():
        raise ValidationError({"interpreter_language": _("Choose a language from the list.")})
    case = Case.objects.create(
        household=household,
        lead_agency=membership.agency,
        lead_user=actor,
        came_via=came_via,
        referred_by=referred_by,
        interpreter_language=language,
        opened_by=actor,
    )
    CaseParticipant.objects.create(case=case, agency=membership.agency, contact=actor)
    _assign(
        case=case, agency=membership.agency, user=actor, kind=CaseAssignment.Kind.LEAD, actor=actor
    )
    record(
        action=AuditAction.CASE_OPENED,
        actor=actor,
        agency=membership.agency,
        target=case,
        detail={"household": household.pk},
    )
    return case


@transaction.atomic
def case_open_with_intake(
    *,
    household: Household,
    membership: Membership,
    actor: User,
    came_via: str,
    referred_by: Agency | None,
    interpreter_language: str,
    urgent: str,
    urgent_category: str,
    subjects: Sequence[Person],
) -> Case:
    """The intake talk (Erstgespräch): open the case and note the urgent matters as one
    household entry — a row per member the caseworker may see, each under its own basis."""
    case = case_open(
        household=household,
        membership=membership,
        actor=actor,
        came_via=came_via,
        referred_by=referred_by,
        interpreter_language=interpreter_language,
    )
    urgent = clean_text(urgent, field="urgent", max_length=LONG_TEXT_MAX, multiline=True)
    if urgent:
        if not subjects:
            raise ValidationError({"urgent": _("You may see no member to note this for.")})
        group = uuid.uuid4()
        for subject in subjects:
            journal_entry_create(
                subject=subject,
                kind=JournalEntry.Kind.TALK,
                category=urgent_category,
                text=urgent,
                membership=membership,
                actor=actor,
                case=case,
                group=group,
                interpreter_language=case.interpreter_language,
            )
    return case


@transaction.atomic
def case_participant_save(
    *,
    case: Case,
    agency: Agency,
    contact: User | None,
    categories: Iterable[str] = DEFAULT_PARTICIPANT_CATEGORIES,
    membership: Membership,
    actor: User,
    expected_version: int,
) -> CaseParticipant:
    """Let ``agency`` take part (or change its contact person and what it will see)."""
    _require_lead(membership, case)
    if case.is_closed:
        raise ValidationError(_("A closed case takes no new participants; reopen it first."))
    if agency.pk == case.lead_agency_id:
        raise ValidationError({"agency": _("The lead agency takes part already.")})
    if not agency.is_active:
        raise ValidationError({"agency": _("Choose an active agency.")})
    chosen = _clean_categories(agency, categories)
    contact = _caseworker(agency, contact, field="contact")
    participant, created = CaseParticipant.objects.get_or_create(
        case=case, agency=agency, defaults={"contact": contact, "categories": chosen}
    )
    if not created:
        changed = participant.contact_id != (contact.pk if contact else None)
        if changed and participant.contact is not None:
            _end_assignments(
                case, agency=agency, kind=CaseAssignment.Kind.CONTACT, user=participant.contact
            )
        participant.contact = contact
        participant.categories = chosen
        participant.left_on = None
        participant.save(update_fields=["contact", "categories", "left_on", "updated_at"])
    if contact is not None and not (
        access.active_assignments()
        .filter(case=case, agency=agency, user=contact, kind=CaseAssignment.Kind.CONTACT)
        .exists()
    ):
        _assign(
            case=case, agency=agency, user=contact, kind=CaseAssignment.Kind.CONTACT, actor=actor
        )
    _bump(case, expected_version=expected_version, fields=[])
    record(
        action=AuditAction.CASE_PARTICIPANT_SAVED,
        actor=actor,
        agency=membership.agency,
        target=case,
        detail={"agency": agency.pk, "categories": chosen, "added": created},
    )
    return participant


@transaction.atomic
def case_participant_leave(
    *, case: Case, agency: Agency, membership: Membership, actor: User, expected_version: int
) -> None:
    """The agency stops taking part: its assignments end, its items stay with it."""
    _require_lead(membership, case)
    participant = CaseParticipant.objects.filter(
        case=case, agency=agency, left_on__isnull=True
    ).first()
    if participant is None or agency.pk == case.lead_agency_id:
        raise ValidationError({"agency": _("This agency does not take part in the case.")})
    participant.left_on = timezone.localdate()
    participant.save(update_fields=["left_on", "updated_at"])
    for kind in CaseAssignment.Kind.values:
        _end_assignments(case, agency=agency, kind=kind)
    _bump(case, expected_version=expected_version, fields=[])
    record(
        action=AuditAction.CASE_PARTICIPANT_LEFT,
        actor=actor,
        agency=membership.agency,
        target=case,
        detail={"agency": agency.pk},
    )


@dataclass(frozen=True)
class CoverageGap:
    """A participating agency that would see a household member's data without a basis."""

    agency: Agency
    subject_id: int
    category: str
    reason: str  # "firewall" or "consent"
    explanation: str


def _flow_gaps(
    case: Case, recipients: Iterable[tuple[Agency, Sequence[str]]], *, use: str
) -> list[CoverageGap]:
    """The lead agency's flows to each (agency, categories) that nothing covers for ``use``,
    for every member of the household."""
    member_ids = list(
        HouseholdMember.objects.filter(household_id=case.household_id)
        .order_by("person_id")
        .values_list("person_id", flat=True)
    )
    return [
        CoverageGap(agency, gap.subject_id, gap.category, gap.reason, gap.explanation)
        for agency, categories in recipients
        for gap in policy.flow_gaps(
            disclosing=case.lead_agency,
            recipient=agency,
            subject_ids=member_ids,
            categories=categories,
            use=use,
        )
    ]


def case_coverage_gaps(case: Case) -> list[CoverageGap]:
    """For each participant but the lead: every member and category it will see that no
    consent for case management and no legal basis covers. A few queries per participant."""
    participants = (
        CaseParticipant.objects.filter(case=case, left_on__isnull=True)
        .exclude(agency_id=case.lead_agency_id)
        .select_related("agency")
        .order_by("agency__name")
    )
    return _flow_gaps(
        case,
        ((p.agency, p.categories) for p in participants),
        use=ConsentPurpose.CASE_MANAGEMENT,
    )


class CaseNotCovered(ValidationError):
    """Refused for missing consent (leaving intake, holding a conference): ``gaps`` lists
    each agency, person and category not covered."""

    def __init__(self, gaps: list[CoverageGap], *, message: str | None = None) -> None:
        text = message or _(
            "The case cannot leave intake yet: %(count)s data flows to participating "
            "agencies have no consent for case management and no legal basis."
        )
        super().__init__({"phase": text % {"count": len(gaps)}}, code="uncovered")
        self.gaps = gaps


@transaction.atomic
def case_transition(
    *,
    case: Case,
    phase: str,
    membership: Membership,
    actor: User,
    expected_version: int,
    reason: str = "",
    note: str = "",
) -> Case:
    """Move the case to ``phase`` along the cycle; leaving intake needs every participant's
    data flows covered (``case_coverage_gaps``); closing needs a reason."""
    _require_lead(membership, case)
    if phase not in Phase.values:
        raise ValidationError({"phase": _("Choose a phase.")})
    if phase not in TRANSITIONS[case.phase]:
        raise ValidationError(
            {
                "phase": _("A case in %(current)s cannot move to %(next)s.")
                % {"current": Phase(case.phase).label, "next": Phase(phase).label}
            }
        )
    note = clean_text(note, field="note", max_length=300)
    fields = ["phase", "phase_since"]
    if case.phase == Phase.INTAKE and phase != Phase.CLOSED:
        gaps = case_coverage_gaps(case)
        if gaps:
            raise CaseNotCovered(gaps)
    if phase == Phase.CLOSED:
        if reason not in ClosureReason.values:
            raise ValidationError({"reason": _("Choose why the case is closed.")})
        case.closure_reason = reason
        case.closed_on = timezone.localdate()
        fields += ["closure_reason", "closed_on"]
    elif case.phase == Phase.CLOSED:
        case.closure_reason = ""
        case.closed_on = None
        fields += ["closure_reason", "closed_on"]
    previous = case.phase
    case.phase = phase
    case.phase_since = timezone.now()
    _bump(case, expected_version=expected_version, fields=fields)
    CasePhaseChange.objects.create(
        case=case,
        from_phase=previous,
        to_phase=phase,
        closure_reason=case.closure_reason if phase == Phase.CLOSED else "",
        note=note,
        changed_by=actor,
        agency=membership.agency,
    )
    record(
        action=AuditAction.CASE_PHASE_CHANGED,
        actor=actor,
        agency=membership.agency,
        target=case,
        detail={"from": previous, "to": phase, "reason": case.closure_reason},
    )
    return case


@transaction.atomic
def case_lead_user_change(
    *, case: Case, user: User, membership: Membership, actor: User, expected_version: int
) -> Case:
    """Hand the lead to a colleague in the lead agency (the lead manager or a team lead)."""
    _require_lead(membership, case)
    if actor.pk != case.lead_user_id and not membership.can(Capability.ASSIGN_CASES):
        raise AccessDenied
    new_lead = _caseworker(case.lead_agency, user, field="lead_user")
    assert new_lead is not None  # noqa: S101 - user is given
    _end_assignments(case, agency=case.lead_agency, kind=CaseAssignment.Kind.LEAD)
    _assign(
        case=case,
        agency=case.lead_agency,
        user=new_lead,
        kind=CaseAssignment.Kind.LEAD,
        actor=actor,
    )
    CaseParticipant.objects.filter(case=case, agency=case.lead_agency).update(contact=new_lead)
    case.lead_user = new_lead
    _bump(case, expected_version=expected_version, fields=["lead_user"])
    record(
        action=AuditAction.CASE_LEAD_CHANGED,
        actor=actor,
        agency=membership.agency,
        target=case,
        detail={"user": new_lead.pk},
    )
    return case


@transaction.atomic
def case_assign(
    *,
    case: Case,
    user: User,
    kind: str,
    membership: Membership,
    actor: User,
    valid_from: date | None = None,
    valid_until: date | None = None,
) -> CaseAssignment:
    """A team lead assigns a colleague of their agency to a case their agency takes part in:
    as a further team member, or as a substitute for the dates given."""
    if not membership.can(Capability.ASSIGN_CASES):
        raise AccessDenied
    _require_case_visible(membership, case)
    if kind not in (CaseAssignment.Kind.MEMBER, CaseAssignment.Kind.SUBSTITUTE):
        raise ValidationError({"kind": _("Choose team member or substitute.")})
    assignee = _caseworker(membership.agency, user, field="user")
    assert assignee is not None  # noqa: S101
    start = valid_from or timezone.localdate()
    if kind == CaseAssignment.Kind.SUBSTITUTE and valid_until is None:
        raise ValidationError({"valid_until": _("Say until when the substitute covers.")})
    if valid_until is not None and valid_until < start:
        raise ValidationError({"valid_until": _("The end lies before the start.")})
    assignment = _assign(
        case=case,
        agency=membership.agency,
        user=assignee,
        kind=kind,
        actor=actor,
        valid_from=start,
        valid_until=valid_until,
    )
    record(
        action=AuditAction.CASE_ASSIGNED,
        actor=actor,
        agency=membership.agency,
        target=case,
        detail={"user": assignee.pk, "kind": kind},
    )
    return assignment


@transaction.atomic
def case_assignment_end(*, assignment: CaseAssignment, membership: Membership, actor: User) -> None:
    """End a team member's or substitute's assignment (leads and contacts change elsewhere)."""
    if not membership.can(Capability.ASSIGN_CASES) or assignment.agency_id != membership.agency_id:
        raise AccessDenied
    if assignment.kind not in (CaseAssignment.Kind.MEMBER, CaseAssignment.Kind.SUBSTITUTE):
        raise ValidationError(_("Change the lead or the contact person instead."))
    assignment.valid_until = timezone.localdate() - timedelta(days=1)
    assignment.save(update_fields=["valid_until", "updated_at"])
    record(
        action=AuditAction.CASE_ASSIGNMENT_ENDED,
        actor=actor,
        agency=membership.agency,
        target=assignment.case,
        detail={"user": assignment.user_id, "kind": assignment.kind},
    )


# --- assessment and plan ---------------------------------------------------------------------


def _require_case_member(membership: Membership, case: Case) -> None:
    """Writing content under a case: the member's agency takes part and the member may see
    the case (need-to-know); content stays the writing agency's own (``owner_agency``)."""
    if not membership.can(Capability.WRITE_CASE_CONTENT):
        raise AccessDenied
    _require_case_visible(membership, case)


def _case_subjects(membership: Membership, case: Case, subjects: Iterable[Person]) -> list[Person]:
    chosen = list(dict.fromkeys(subjects))
    if not chosen:
        raise ValidationError({"subjects": _("Choose at least one person.")})
    members = set(
        HouseholdMember.objects.filter(household_id=case.household_id).values_list(
            "person_id", flat=True
        )
    )
    for person in chosen:
        if person.pk not in members:
            raise AccessDenied
        require_visible_person(membership, person)
    return chosen


def _participating_agency(case: Case, agency: Agency | None, *, field: str) -> Agency:
    if (
        agency is None
        or not CaseParticipant.objects.filter(
            case=case, agency=agency, left_on__isnull=True
        ).exists()
    ):
        raise ValidationError({field: _("Choose an agency that takes part in the case.")})
    return agency


def _may_entrust(membership: Membership, entrusted: bool) -> None:
    if entrusted and membership.agency.kind != Agency.Kind.YOUTH_WELFARE_OFFICE:
        raise ValidationError(
            {"entrusted": _("Only the Jugendamt records entrusted information (§ 65 SGB VIII).")}
        )


def _not_closed(case: Case) -> None:
    if case.is_closed:
        raise ValidationError(_("The case is closed; reopen it to change its content."))


def _content_saved(
    items: Iterable[Any],
    *,
    case: Case,
    kind: str,
    membership: Membership,
    actor: User,
    **detail: Any,
) -> None:
    """One audit event per person's row written: the DPO's "who wrote about this person"."""
    for item in items:
        record(
            action=AuditAction.CASE_CONTENT_SAVED,
            actor=actor,
            agency=membership.agency,
            target=item,
            subject_id=item.subject_id,
            basis="own_agency",
            detail={"case": case.pk, "kind": kind, **detail},
        )


def _long_text(value: str, *, field: str) -> str:
    return clean_text(value, field=field, max_length=LONG_TEXT_MAX, multiline=True)


@transaction.atomic
def assessment_record(
    *,
    case: Case,
    subject: Person,
    domain: str,
    need: int,
    membership: Membership,
    actor: User,
    situation: str = "",
    resources: str = "",
    assessed_on: date | None = None,
    entrusted: bool = False,
) -> Assessment:
    """Record how one person stands in one life domain. Each record is kept: the latest is
    the current assessment, the earlier ones are its history on the timeline."""
    _require_case_member(membership, case)
    _not_closed(case)
    (subject,) = _case_subjects(membership, case, [subject])
    if domain not in LifeDomain.values:
        raise ValidationError({"domain": _("Choose a life domain.")})
    if need not in Assessment.Need.values:
        raise ValidationError({"need": _("Choose the need for support (0 to 3).")})
    _may_entrust(membership, entrusted)
    on = assessed_on or timezone.localdate()
    if on > timezone.localdate():
        raise ValidationError({"assessed_on": _("The date lies in the future.")})
    assessment = Assessment.objects.create(
        case=case,
        subject=subject,
        owner_agency=membership.agency,
        category=DOMAIN_CATEGORY[domain],
        entrusted=entrusted,
        author=actor,
        domain=domain,
        need=need,
        situation=clean_text(
            situation, field="situation", max_length=LONG_TEXT_MAX, multiline=True
        ),
        resources=clean_text(
            resources, field="resources", max_length=LONG_TEXT_MAX, multiline=True
        ),
        assessed_on=on,
    )
    record(
        action=AuditAction.CASE_CONTENT_SAVED,
        actor=actor,
        agency=membership.agency,
        target=assessment,
        subject_id=subject.pk,
        basis="own_agency",
        detail={"case": case.pk, "kind": "assessment"},
    )
    return assessment


class PlanOwnerNotCovered(ValidationError):
    """Refused: the agency chosen to own a goal or measure may not see it. ``record_urls``
    names, for each person not covered, where to record the missing consent."""

    def __init__(self, message: str, *, field: str, record_urls: list[tuple[str, str]]) -> None:
        super().__init__({field: message})
        self.record_urls = record_urls


def _owner_may_see_plan(
    membership: Membership, agency: Agency, persons: Sequence[Person], *, field: str
) -> None:
    """The access core decides whether ``agency`` may see the plan items the member's agency
    writes about ``persons``: a goal owned by an agency that cannot read it for any of them
    helps no one.

    Plan items open under a consent whose purpose covers the case conference (that is, case
    management or the conference: ``PLAN_PURPOSES``) or under a legal basis — the use passed
    to ``policy.flow_gaps`` is the conference for that reason."""
    gaps = policy.flow_gaps(
        disclosing=membership.agency,
        recipient=agency,
        subject_ids=[p.pk for p in persons],
        categories=[DataCategory.CASE_PLAN],
        use=ConsentPurpose.CASE_CONFERENCE,
    )
    missing = {gap.subject_id for gap in gaps}
    if len(missing) < len({p.pk for p in persons}):
        # A goal for several persons is seen per person: the owner sees it for those its
        # basis covers (the other rows stay the writer's). Refused only when it sees none.
        return
    uncovered = [p for p in persons if p.pk in missing]
    names = ", ".join(p.full_name for p in uncovered)
    if any(gap.reason == "firewall" for gap in gaps):
        message = _(
            "%(agency)s may not see this family's goals and measures: %(rule)s Choose another "
            "agency."
        ) % {"agency": agency.name, "rule": gaps[0].explanation}
        raise PlanOwnerNotCovered(message, field=field, record_urls=[])
    message = _(
        "%(agency)s may not see this family's goals: there is no consent for "
        "‘%(category)s’ (and no legal basis) for %(persons)s. Record the consent first or "
        "choose another agency."
    ) % {"agency": agency.name, "category": DataCategory.CASE_PLAN.label, "persons": names}
    urls = [(p.full_name, reverse("consent:record", args=[p.public_id])) for p in uncovered]
    raise PlanOwnerNotCovered(message, field=field, record_urls=urls)


@transaction.atomic
def goal_create(
    *,
    case: Case,
    subjects: Iterable[Person],
    domain: str,
    text: str,
    responsible_agency: Agency | None,
    membership: Membership,
    actor: User,
    target_date: date | None = None,
) -> list[Goal]:
    """A goal of the family integration plan, one row per person it is for (same ``group``)."""
    _require_case_member(membership, case)
    _not_closed(case)
    persons = _case_subjects(membership, case, subjects)
    if domain not in LifeDomain.values:
        raise ValidationError({"domain": _("Choose a life domain.")})
    text = clean_text(text, field="text", max_length=500)
    if not text:
        raise ValidationError({"text": _("Say what the goal is.")})
    agency = _participating_agency(case, responsible_agency, field="responsible_agency")
    _not_in_past(target_date, field="target_date")
    _owner_may_see_plan(membership, agency, persons, field="responsible_agency")
    group = uuid.uuid4()
    goals = [
        Goal.objects.create(
            case=case,
            subject=person,
            owner_agency=membership.agency,
            category=DataCategory.CASE_PLAN,
            author=actor,
            group=group,
            domain=domain,
            text=text,
            responsible_agency=agency,
            target_date=target_date,
        )
        for person in persons
    ]
    _content_saved(goals, case=case, kind="goal", membership=membership, actor=actor)
    return goals


def _own_group(
    model: type[Goal] | type[Measure], *, case: Case, group: uuid.UUID, membership: Membership
) -> list[Any]:
    """The rows of one item for several persons, if the member's agency recorded them."""
    rows = list(
        model.objects.filter(case=case, owner_agency=membership.agency, group=group).order_by("pk")
    )
    if not rows:
        raise AccessDenied
    return rows


def _stale_item() -> ValidationError:
    return ValidationError(
        _(
            "Someone else changed this in the meantime. Reload the page to see their "
            "changes, then make yours again."
        ),
        code="stale",
    )


def _save_group(rows: list[Any], *, expected_version: int, values: dict[str, Any]) -> None:
    """Update every row of an item for several persons together, refused when stale."""
    model = type(rows[0])
    updated = model.objects.filter(
        pk__in=[row.pk for row in rows], version=expected_version
    ).update(**values, version=expected_version + 1, updated_at=timezone.now())
    if updated != len(rows):
        raise _stale_item()


@transaction.atomic
def goal_update(
    *,
    case: Case,
    group: uuid.UUID,
    membership: Membership,
    actor: User,
    expected_version: int,
    text: str,
    target_date: date | None,
    attainment: int | None,
) -> list[Goal]:
    """Change a goal or rate its attainment (−2 … +2). Only the agency that recorded it:
    seeing a goal is not owning it."""
    _require_case_member(membership, case)
    _not_closed(case)
    goals: list[Goal] = _own_group(Goal, case=case, group=group, membership=membership)
    text = clean_text(text, field="text", max_length=500)
    if not text:
        raise ValidationError({"text": _("Say what the goal is.")})
    if attainment is not None and attainment not in Goal.Attainment.values:
        raise ValidationError({"attainment": _("Choose a value from −2 to +2.")})
    if target_date != goals[0].target_date:
        _not_in_past(target_date, field="target_date")
    _save_group(
        goals,
        expected_version=expected_version,
        values={"text": text, "target_date": target_date, "attainment": attainment},
    )
    _content_saved(goals, case=case, kind="goal", membership=membership, actor=actor, changed=True)
    return list(Goal.objects.filter(pk__in=[g.pk for g in goals]).order_by("pk"))


@transaction.atomic
def measure_create(
    *,
    case: Case,
    goal_group: uuid.UUID,
    text: str,
    responsible_agency: Agency | None,
    membership: Membership,
    actor: User,
    due_date: date | None = None,
) -> list[Measure]:
    """A step towards a goal of the member's agency, for the persons of that goal."""
    _require_case_member(membership, case)
    _not_closed(case)
    goals: list[Goal] = _own_group(Goal, case=case, group=goal_group, membership=membership)
    text = clean_text(text, field="text", max_length=500)
    if not text:
        raise ValidationError({"text": _("Say what is to be done.")})
    agency = _participating_agency(case, responsible_agency, field="responsible_agency")
    _not_in_past(due_date, field="due_date")
    persons = list(Person.objects.filter(pk__in=[goal.subject_id for goal in goals]))
    _owner_may_see_plan(membership, agency, persons, field="responsible_agency")
    group = uuid.uuid4()
    measures = [
        Measure.objects.create(
            case=case,
            subject_id=goal.subject_id,
            owner_agency=membership.agency,
            category=DataCategory.CASE_PLAN,
            author=actor,
            group=group,
            goal_group=goal_group,
            text=text,
            responsible_agency=agency,
            due_date=due_date,
        )
        for goal in goals
    ]
    _content_saved(measures, case=case, kind="measure", membership=membership, actor=actor)
    return measures


@transaction.atomic
def measure_update(
    *,
    case: Case,
    group: uuid.UUID,
    status: str,
    due_date: date | None,
    membership: Membership,
    actor: User,
    expected_version: int,
) -> list[Measure]:
    _require_case_member(membership, case)
    _not_closed(case)
    measures: list[Measure] = _own_group(Measure, case=case, group=group, membership=membership)
    if status not in Measure.Status.values:
        raise ValidationError({"status": _("Choose a status.")})
    if due_date != measures[0].due_date:
        _not_in_past(due_date, field="due_date")
    _save_group(
        measures, expected_version=expected_version, values={"status": status, "due_date": due_date}
    )
    _content_saved(
        measures, case=case, kind="measure", membership=membership, actor=actor, status=status
    )
    return list(Measure.objects.filter(pk__in=[m.pk for m in measures]).order_by("pk"))


@transaction.atomic
def case_entry_create(
    *,
    case: Case,
    subjects: Iterable[Person],
    kind: str,
    category: str,
    text: str,
    membership: Membership,
    actor: User,
    follow_up_on: date | None = None,
    occurred_at: datetime | None = None,
    participants: str = "",
    interpreter_language: str | None = None,
) -> list[JournalEntry]:
    """A journal entry under the case, about one person or several (the whole household):
    one row per person with the same group, each under that person's basis."""
    _require_case_member(membership, case)
    _not_closed(case)
    persons = _case_subjects(membership, case, subjects)
    group = uuid.uuid4()
    return [
        journal_entry_create(
            subject=person,
            kind=kind,
            category=category,
            text=text,
            membership=membership,
            actor=actor,
            occurred_at=occurred_at,
            case=case,
            group=group,
            follow_up_on=follow_up_on,
            interpreter_language=case.interpreter_language
            if interpreter_language is None
            else interpreter_language,
            participants=participants,
        )
        for person in persons
    ]


# --- case conferences ----------------------------------------------------------------------------


@transaction.atomic
def conference_plan(
    *,
    case: Case,
    scheduled_at: datetime,
    agencies: Iterable[Agency],
    topics: Iterable[str],
    membership: Membership,
    actor: User,
    family: Iterable[Person] = (),
    place: str = "",
    video_link: str = "",
    interpreter_language: str = "",
) -> CaseConference:
    """The lead agency plans a conference with agencies of the case and family members."""
    _require_lead(membership, case)
    _not_closed(case)
    chosen_topics = sorted(set(topics))
    if not chosen_topics or any(t not in LifeDomain.values for t in chosen_topics):
        raise ValidationError({"topics": _("Choose what the conference will discuss.")})
    attending = list(dict.fromkeys(agencies))
    for agency in attending:
        _participating_agency(case, agency, field="agencies")
    if not any(a.pk != case.lead_agency_id for a in attending):
        raise ValidationError({"agencies": _("Choose at least one other agency of the case.")})
    if interpreter_language and interpreter_language not in language_codes():
        raise ValidationError({"interpreter_language": _("Choose a language from the list.")})
    if not place.strip() and not video_link.strip():
        raise ValidationError({"place": _("Give a place or a video link.")})
    persons = _case_subjects(membership, case, family) if list(family) else []
    conference = CaseConference.objects.create(
        case=case,
        scheduled_at=aware(scheduled_at),
        place=clean_text(place, field="place", max_length=200),
        video_link=video_link.strip(),
        interpreter_language=interpreter_language,
        topics=chosen_topics,
        organised_by=actor,
    )
    conference.full_clean(exclude=["case", "organised_by", "agencies"])
    conference.agencies.set({case.lead_agency, *attending})
    ConferenceAttendee.objects.bulk_create(
        ConferenceAttendee(conference=conference, person=person) for person in persons
    )
    record(
        action=AuditAction.CASE_CONFERENCE_SAVED,
        actor=actor,
        agency=membership.agency,
        target=conference,
        detail={"case": case.pk, "agencies": len(attending), "family": len(persons)},
    )
    return conference


def conference_gaps(conference: CaseConference) -> list[CoverageGap]:
    """Every attending agency, member and category of the agenda that no consent covering
    the conference (or legal basis) opens: the conference cannot be held before they are."""
    case = conference.case
    categories = sorted({DOMAIN_CATEGORY[t] for t in conference.topics} | {DataCategory.CASE_PLAN})
    attending = conference.agencies.exclude(pk=case.lead_agency_id).order_by("name")
    return _flow_gaps(
        case, ((agency, categories) for agency in attending), use=ConsentPurpose.CASE_CONFERENCE
    )


def _require_conference_lead(membership: Membership, conference: CaseConference) -> None:
    _require_lead(membership, conference.case)
    if conference.status == CaseConference.Status.CANCELLED:
        raise ValidationError(_("The conference was cancelled."))


@transaction.atomic
def conference_hold(
    *,
    conference: CaseConference,
    membership: Membership,
    actor: User,
    expected_version: int,
    early: bool = False,
) -> CaseConference:
    """The conference takes place: refused while the consent check lists anything, and
    before its scheduled day unless the lead confirms that it takes place earlier (``early``)."""
    _require_conference_lead(membership, conference)
    if conference.status == CaseConference.Status.HELD:
        return conference
    gaps = conference_gaps(conference)
    if gaps:
        raise CaseNotCovered(
            gaps,
            message=_(
                "The conference cannot be held yet: %(count)s data flows to attending agencies "
                "have no consent covering the conference and no legal basis."
            ),
        )
    day = timezone.localdate(conference.scheduled_at)
    if day > timezone.localdate() and not early:
        raise ValidationError(
            {
                "early": _(
                    "The conference is planned for %(date)s. Confirm that it takes place "
                    "earlier, today."
                )
                % {"date": date_format(day)}
            }
        )
    conference.status = CaseConference.Status.HELD
    conference.held_at = timezone.now()
    try:
        conference.save_versioned(
            expected_version=expected_version, update_fields=["status", "held_at"]
        )
    except StaleEditError as error:
        raise ValidationError(
            _("Someone else changed the conference; reload the page."), code="stale"
        ) from error
    record(
        action=AuditAction.CASE_CONFERENCE_SAVED,
        actor=actor,
        agency=membership.agency,
        target=conference,
        detail={"case": conference.case_id, "held": True},
    )
    return conference


def _not_in_past(value: date | None, *, field: str) -> None:
    """New or changed due and target dates lie today or later (an old date stays editable)."""
    if value is not None and value < timezone.localdate():
        raise ValidationError({field: _("This date has passed: choose today or a later day.")})


def _require_held(conference: CaseConference) -> None:
    if conference.status != CaseConference.Status.HELD:
        raise ValidationError(_("Minutes and decisions follow once the conference is held."))


@transaction.atomic
def conference_minute_record(
    *,
    conference: CaseConference,
    subjects: Iterable[Person],
    topic: str,
    text: str,
    membership: Membership,
    actor: User,
    entrusted: bool = False,
) -> list[ConferenceMinute]:
    """The minutes on one topic, one row per person it concerns, compartmented by the
    topic's category and open only under a consent covering the conference."""
    _require_conference_lead(membership, conference)
    _require_held(conference)
    case = conference.case
    persons = _case_subjects(membership, case, subjects)
    if topic not in conference.topics:
        raise ValidationError({"topic": _("Choose a topic of the agenda.")})
    _may_entrust(membership, entrusted)
    text = _long_text(text, field="text")
    if not text:
        raise ValidationError({"text": _("Write what was discussed.")})
    group = uuid.uuid4()
    minutes = [
        ConferenceMinute.objects.create(
            case=case,
            conference=conference,
            subject=person,
            owner_agency=membership.agency,
            category=DOMAIN_CATEGORY[topic],
            entrusted=entrusted,
            author=actor,
            group=group,
            topic=topic,
            text=text,
        )
        for person in persons
    ]
    _content_saved(minutes, case=case, kind="minutes", membership=membership, actor=actor)
    return minutes


@transaction.atomic
def conference_decision_record(
    *,
    conference: CaseConference,
    subjects: Iterable[Person],
    text: str,
    responsible_agency: Agency | None,
    due_date: date | None,
    membership: Membership,
    actor: User,
    responsible_user: User | None = None,
) -> list[ConferenceDecision]:
    """A decision that becomes a task: an agency of the conference (and a person there) does
    it by a date."""
    _require_conference_lead(membership, conference)
    _require_held(conference)
    case = conference.case
    persons = _case_subjects(membership, case, subjects)
    if (
        responsible_agency is None
        or not conference.agencies.filter(pk=responsible_agency.pk).exists()
    ):
        raise ValidationError({"responsible_agency": _("Choose an agency of the conference.")})
    if due_date is None:
        raise ValidationError({"due_date": _("Say by when it is to be done.")})
    _not_in_past(due_date, field="due_date")
    owner = _caseworker(responsible_agency, responsible_user, field="responsible_user")
    if owner is not None and not _opens_case(owner, responsible_agency, case):
        # Under need-to-know the lead cannot open the case to someone else's staff: the task
        # would lead them to a page they may not see (and to a decision hidden from them).
        raise ValidationError(
            {
                "responsible_user": _(
                    "%(name)s does not work on this family's case, and %(agency)s shows its "
                    "cases only to the staff assigned. Choose someone assigned, or name nobody: "
                    "then the agency's contact person gets the task."
                )
                % {"name": str(owner), "agency": responsible_agency.name}
            }
        )
    text = clean_text(text, field="text", max_length=500)
    if not text:
        raise ValidationError({"text": _("Say what was decided.")})
    group = uuid.uuid4()
    decisions = [
        ConferenceDecision.objects.create(
            case=case,
            conference=conference,
            subject=person,
            owner_agency=membership.agency,
            category=DataCategory.CASE_PLAN,
            author=actor,
            group=group,
            text=text,
            responsible_agency=responsible_agency,
            responsible_user=owner,
            due_date=due_date,
        )
        for person in persons
    ]
    _content_saved(decisions, case=case, kind="decision", membership=membership, actor=actor)
    _sync_decision_tasks(decisions, actor=actor)
    return decisions


def decision_source_key(decision: ConferenceDecision) -> str:
    """The key the deadline run gives a decision's task (``scheduling.deadlines``): one task
    per decision row and due date, whoever creates it first."""
    return f"decision:{decision.pk}:{decision.due_date:%Y-%m-%d}"


def _decision_rule() -> DeadlineRule:
    kind = DeadlineKind.CONFERENCE_DECISION
    rule, _created = DeadlineRule.objects.get_or_create(
        kind=kind, defaults={"lead_days": list(DEFAULT_RULES[kind][0])}
    )
    return rule


def _decision_assignee(decision: ConferenceDecision, case: Case) -> int | None:
    """The person named in the decision; else, as the deadline run does, the lead case manager
    when the lead agency carries it out, or the agency's contact or assigned caseworker."""
    if decision.responsible_user_id is not None:
        return decision.responsible_user_id
    if decision.responsible_agency_id == case.lead_agency_id:
        return case.lead_user_id
    return (
        access.active_assignments()
        .filter(case_id=case.pk, agency_id=decision.responsible_agency_id)
        .order_by("kind", "pk")
        .values_list("user_id", flat=True)
        .first()
    )


def _sync_decision_tasks(decisions: Sequence[ConferenceDecision], *, actor: User) -> None:
    """Each decision row is a task of the agency that carries it out, from the moment it is
    recorded: made with the deadline run's ``source_key`` (so the nightly run finds it and
    makes no second one), moved when the due date changes, closed when the decision is done.

    The task carries no copy of the decision's text (what the responsible agency may read of
    the decision stays the policy's answer on the conference page it links to); it is named by
    its rule, as the deadline run names it."""
    if not decisions:
        return
    rule = _decision_rule()
    case = Case.objects.get(pk=decisions[0].case_id)
    now = timezone.now()
    for decision in decisions:
        key = decision_source_key(decision)
        tasks = Task.objects.filter(
            owner_agency_id=decision.responsible_agency_id,
            source_key__startswith=f"decision:{decision.pk}:",
        )
        if decision.status == ConferenceDecision.Status.DONE:
            tasks.filter(status=TaskStatus.OPEN).update(
                status=TaskStatus.DONE,
                completed_at=now,
                completed_by=actor,
                version=F("version") + 1,
                updated_at=now,
            )
            continue
        existing = tasks.order_by("pk").first()
        if existing is None:
            Task.objects.create(
                subject_id=decision.subject_id,
                owner_agency_id=decision.responsible_agency_id,
                category=DataCategory.CASE_PLAN,
                due_on=decision.due_date,
                case_id=case.pk,
                assignee_id=_decision_assignee(decision, case),
                created_by=actor,
                rule=rule,
                source_key=key,
                link=reverse("case:conference", kwargs={"pk": decision.conference_id}),
            )
        elif existing.source_key != key:
            tasks.filter(pk=existing.pk).update(
                due_on=decision.due_date,
                source_key=key,
                version=F("version") + 1,
                updated_at=now,
            )


@transaction.atomic
def conference_decision_done(
    *, conference: CaseConference, group: uuid.UUID, membership: Membership, actor: User
) -> int:
    """The task of a decision is done: said by the agency that carries it out or by the lead.
    Only rows the member may see are touched — and all rows of the decision move together."""
    if not membership.can(Capability.WRITE_CASE_CONTENT):
        raise AccessDenied
    rows = ConferenceDecision.objects.filter(conference=conference, group=group).filter(
        policy.visible_q(membership, ConferenceDecision)
    )
    first = rows.first()
    if first is None or membership.agency_id not in (
        first.responsible_agency_id,
        conference.case.lead_agency_id,
    ):
        raise AccessDenied
    done = ConferenceDecision.objects.filter(conference=conference, group=group).update(
        status=ConferenceDecision.Status.DONE, updated_at=timezone.now()
    )
    _sync_decision_tasks(
        list(ConferenceDecision.objects.filter(conference=conference, group=group)), actor=actor
    )
    record(
        action=AuditAction.CASE_CONTENT_SAVED,
        actor=actor,
        agency=membership.agency,
        target=first,
        subject_id=first.subject_id,
        detail={"case": conference.case_id, "kind": "decision", "done": True},
    )
    return done


@transaction.atomic
def conference_decision_due_change(
    *,
    conference: CaseConference,
    group: uuid.UUID,
    due_date: date | None,
    membership: Membership,
    actor: User,
    expected_due_date: date | None = None,
) -> int:
    """The lead moves the due date of an open decision: all its rows move together, and so do
    their tasks (no second task for the new date).

    ``expected_due_date`` is the date the lead's page showed. A decision has no ``version``:
    its due date and its status are all of it that changes, so a change made from an older
    page — moved or marked done by someone else meanwhile — is refused as stale."""
    _require_conference_lead(membership, conference)
    group_rows = ConferenceDecision.objects.filter(conference=conference, group=group)
    rows = group_rows.filter(status=ConferenceDecision.Status.OPEN)
    first = rows.filter(policy.visible_q(membership, ConferenceDecision)).first()
    if first is None:
        if (
            expected_due_date is not None
            and group_rows.filter(policy.visible_q(membership, ConferenceDecision)).exists()
        ):
            raise _stale_item()
        raise AccessDenied
    if expected_due_date is not None and first.due_date != expected_due_date:
        raise _stale_item()
    if due_date is None:
        raise ValidationError({"due_date": _("Say by when it is to be done.")})
    if due_date != first.due_date:
        _not_in_past(due_date, field="due_date")
    total = rows.count()
    # Compare and set: a row moved meanwhile no longer matches, and the count tells.
    moving = rows if expected_due_date is None else rows.filter(due_date=expected_due_date)
    moved = moving.update(due_date=due_date, updated_at=timezone.now())
    if moved != total:
        raise _stale_item()
    _sync_decision_tasks(list(rows), actor=actor)
    record(
        action=AuditAction.CASE_CONTENT_SAVED,
        actor=actor,
        agency=membership.agency,
        target=first,
        subject_id=first.subject_id,
        detail={"case": conference.case_id, "kind": "decision", "due": due_date.isoformat()},
    )
    return moved


# --- hand-over of the lead ---------------------------------------------------------------


@transaction.atomic
def case_handover_propose(
    *, case: Case, to_agency: Agency, reason: str, membership: Membership, actor: User
) -> CaseHandover:
    """The lead proposes to hand the case over to another agency that takes part."""
    _require_lead(membership, case)
    _not_closed(case)
    if to_agency.pk == case.lead_agency_id:
        raise ValidationError({"to_agency": _("Choose another agency than the lead.")})
    _participating_agency(case, to_agency, field="to_agency")
    reason = clean_text(reason, field="reason", max_length=300)
    if not reason:
        raise ValidationError({"reason": _("Say why the case is handed over.")})
    if CaseHandover.objects.filter(case=case, state=CaseHandover.State.PROPOSED).exists():
        raise ValidationError({"to_agency": _("A hand-over is already waiting for an answer.")})
    handover = CaseHandover.objects.create(
        case=case,
        from_agency=case.lead_agency,
        to_agency=to_agency,
        reason=reason,
        proposed_by=actor,
    )
    record(
        action=AuditAction.CASE_HANDOVER,
        actor=actor,
        agency=membership.agency,
        target=case,
        detail={"to": to_agency.pk, "state": "proposed"},
    )
    return handover


@transaction.atomic
def case_handover_decide(
    *,
    handover: CaseHandover,
    accept: bool,
    membership: Membership,
    actor: User,
    lead_user: User | None = None,
) -> CaseHandover:
    """The receiving agency accepts (its caseworker becomes lead case manager; the former
    lead stays a participant) or declines."""
    if (
        handover.state != CaseHandover.State.PROPOSED
        or handover.to_agency_id != membership.agency_id
        or not membership.can(Capability.WRITE_CASE_CONTENT)
    ):
        raise AccessDenied
    case = Case.objects.select_for_update().get(pk=handover.case_id)
    handover.state = CaseHandover.State.ACCEPTED if accept else CaseHandover.State.DECLINED
    handover.decided_by = actor
    handover.decided_at = timezone.now()
    handover.save(update_fields=["state", "decided_by", "decided_at", "updated_at"])
    if accept:
        new_lead = _caseworker(membership.agency, lead_user or actor, field="lead_user")
        assert new_lead is not None  # noqa: S101
        _end_assignments(case, agency=case.lead_agency, kind=CaseAssignment.Kind.LEAD)
        _assign(
            case=case,
            agency=membership.agency,
            user=new_lead,
            kind=CaseAssignment.Kind.LEAD,
            actor=actor,
        )
        CaseParticipant.objects.filter(case=case, agency=membership.agency).update(contact=new_lead)
        case.lead_agency = membership.agency
        case.lead_user = new_lead
        _bump(case, expected_version=case.version, fields=["lead_agency", "lead_user"])
    record(
        action=AuditAction.CASE_HANDOVER,
        actor=actor,
        agency=membership.agency,
        target=case,
        detail={"from": handover.from_agency_id, "state": handover.state},
    )
    return handover


# --- needs without a suitable offer -----------------------------------------------------------


@transaction.atomic
def need_mark_unmet(
    *, case: Case, assessment: Assessment, note: str, membership: Membership, actor: User
) -> UnmetNeed:
    """Record that the directory holds nothing suitable for an assessed need (level ≥ 2): a
    structural finding for the steering group. Once per need while it is open."""
    _require_case_member(membership, case)
    _not_closed(case)
    visible = Assessment.objects.filter(
        policy.visible_q(membership, Assessment), pk=assessment.pk, case=case
    )
    if not visible.exists():
        raise AccessDenied
    if assessment.need < Assessment.Need.MEDIUM:
        raise ValidationError({"assessment": _("Only a medium or high need is a finding.")})
    note = clean_text(note, field="note", max_length=2000, required=True, multiline=True)
    if UnmetNeed.objects.filter(
        assessment=assessment, owner_agency=membership.agency, resolved_on__isnull=True
    ).exists():
        raise ValidationError({"assessment": _("This need is already marked.")})
    subject = assessment.subject
    unmet = UnmetNeed.objects.create(
        case=case,
        subject=subject,
        owner_agency=membership.agency,
        category=DOMAIN_CATEGORY[assessment.domain],
        author=actor,
        assessment=assessment,
        domain=assessment.domain,
        district=subject.district or case.household.district,
        note=note,
    )
    _content_saved([unmet], case=case, kind="unmet_need", membership=membership, actor=actor)
    record(
        action=AuditAction.NEED_UNMET,
        actor=actor,
        agency=membership.agency,
        target=unmet,
        subject_id=subject.pk,
        detail={"domain": assessment.domain},
    )
    return unmet
