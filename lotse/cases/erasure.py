"""Erasure after retention: the lead agency erases a closed case file once it is due.

Social data are erased once they are no longer needed (§ 84 Abs. 2 SGB X, Art. 17 GDPR); the
city keeps a closed case file for ``LOTSE_RETENTION_YEARS`` (``retention``). ``erase_case``
erases one due case in one transaction, or nothing.

**What goes.** The case file, whoever wrote into it: the case with its participants,
assignments, hand-overs and phase history; every journal entry, assessment, goal, measure,
need without an offer, case conference (with its attendees, minutes and decisions), task,
appointment (with its participants, agencies and staff) and referral (with its history) that
points at the case — also those a participating agency recorded. Whatever an agency keeps
about the person *outside* the case (a note not linked to it, its own task) is untouched.

**Persons and the household.** A member of the household is erased with the case only if the
lead agency registered them and nothing else refers to them once the case file is gone: no
other household, no item of any agency, no consent declaration (in force or not: the consent
register is the proof of consent and has its own period), no emergency access, no merge. Their
master data of the lead agency go with them (name keys, languages, residence statuses,
changes of benefit law); a residence status or language another agency recorded keeps the
person. Everybody else stays as they are — another agency's records never lose their person.
The household goes when the lead agency registered it, no member is left and no other
household's history points to it.

**What stays.** The erasure record (:class:`~lotse.cases.models.CaseErasure`: case id,
household Lotse ID while the household stays, lead agency, closing day, erased when and by
whom, rows per kind) and the audit trail, which holds ids and codes only and stays
append-only and verifiable (``lotse verify_audit``); one event records the erasure.

**Reports.** Figures computed now for a past period no longer count an erased case (it is no
longer there); figures already released (``reports.FigureRelease``) and committee reports
saved keep what they published.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from lotse.accounts.models import Agency, Membership, User
from lotse.accounts.roles import Capability
from lotse.audit.models import AuditAction
from lotse.audit.services import record
from lotse.core.errors import AccessDenied
from lotse.people.models import (
    DomainTransition,
    Household,
    HouseholdDeparture,
    HouseholdMember,
    Person,
    PersonLanguage,
    PersonNameKey,
    ResidenceStatus,
)
from lotse.referrals.models import Referral, ReferralEvent
from lotse.scheduling.models import (
    Appointment,
    AppointmentAgency,
    AppointmentParticipant,
    Task,
    TaskComment,
)

from .models import (
    Assessment,
    AutomaticErasure,
    Case,
    CaseAssignment,
    CaseConference,
    CaseErasure,
    CaseHandover,
    CaseParticipant,
    CasePhaseChange,
    ConferenceAttendee,
    ConferenceDecision,
    ConferenceMinute,
    Goal,
    JournalEntry,
    Measure,
    Phase,
    UnmetNeed,
)
from .retention import retention_limit

#: The kinds counted in the erasure record, in the order the page names them.
KINDS: tuple[str, ...] = (
    "journal_entries",
    "assessments",
    "goals",
    "measures",
    "unmet_needs",
    "conferences",
    "conference_attendees",
    "conference_minutes",
    "conference_decisions",
    "tasks",
    "task_comments",
    "appointments",
    "appointment_participants",
    "appointment_agencies",
    "referrals",
    "referral_events",
    "participants",
    "assignments",
    "handovers",
    "phase_changes",
    "cases",
    "persons",
    "households",
)

#: A person's own master data, erased with the person when the lead agency recorded it.
_MASTER_DATA: tuple[type[models.Model], ...] = (PersonLanguage, ResidenceStatus, DomainTransition)


class CaseNotErasable(ValidationError):
    """The case may not be erased (not closed, not due, already erased, changed meanwhile)."""


@dataclass
class ErasureResult:
    case_id: int
    counts: dict[str, int] = field(default_factory=dict)
    record: CaseErasure | None = None


# --- who may erase ------------------------------------------------------------------------------


def may_erase(membership: Membership | None, case: Case) -> bool:
    """The lead agency erases: its team lead, or the case's lead case manager."""
    if membership is None or case.lead_agency_id != membership.agency_id:
        return False
    if membership.can(Capability.ERASE_CASES):
        return True
    return case.lead_user_id == membership.user_id and membership.can(Capability.WRITE_CASE_CONTENT)


def may_see_erasure_list(membership: Membership | None) -> bool:
    return membership is not None and (
        membership.can(Capability.ERASE_CASES) or membership.can(Capability.WRITE_CASE_CONTENT)
    )


def due_cases_of(membership: Membership, today: date | None = None) -> QuerySet[Case]:
    """The due cases the member may erase: the agency's (a team lead) or those they lead."""
    cases = Case.objects.filter(
        phase=Phase.CLOSED,
        closed_on__lte=retention_limit(today),
        lead_agency_id=membership.agency_id,
    )
    if not membership.can(Capability.ERASE_CASES):
        cases = cases.filter(lead_user_id=membership.user_id)
    return cases.order_by("closed_on", "pk")


def require_erasable_case(membership: Membership | None, pk: int) -> Case:
    """The case, if the member may erase it; 404 for every other agency and role, so that no
    one learns that a case exists which is not theirs to erase."""
    if membership is None or not may_see_erasure_list(membership):
        raise Http404
    case = due_cases_of(membership).select_related("household").filter(pk=pk).first()
    if case is None:
        raise Http404
    return case


def automatic_erasure_on(agency: Agency) -> bool:
    return AutomaticErasure.objects.filter(agency=agency).exists()


@transaction.atomic
def automatic_erasure_switch(*, membership: Membership, actor: User, on: bool) -> bool:
    """A team lead of the agency switches the nightly erasure of its due cases on or off."""
    if not membership.can(Capability.ERASE_CASES):
        raise AccessDenied
    if on:
        changed = AutomaticErasure.objects.get_or_create(
            agency=membership.agency, defaults={"switched_on_by": actor}
        )[1]
    else:
        changed = AutomaticErasure.objects.filter(agency=membership.agency).delete()[0] > 0
    if changed:
        record(
            action=AuditAction.AUTO_ERASURE_CHANGED,
            actor=actor,
            agency=membership.agency,
            detail={"on": on},
        )
    return changed


# --- the erasure itself -------------------------------------------------------------------------


def _refuse(message: str, code: str) -> CaseNotErasable:
    return CaseNotErasable(message, code=code)


def _check_due(case: Case, *, expected_version: int | None, today: date) -> None:
    if CaseErasure.objects.filter(case_id=case.pk).exists():
        raise _refuse(_("This case file has already been erased."), "erased")
    if case.phase != Phase.CLOSED or case.closed_on is None:
        reopened = CasePhaseChange.objects.filter(case=case, from_phase=Phase.CLOSED).exists()
        if reopened:
            raise _refuse(_("The case has been reopened: an open case is not erased."), "reopened")
        raise _refuse(_("Only a closed case can be erased."), "not_closed")
    if case.closed_on > retention_limit(today):
        raise _refuse(_("The retention period of this case has not run out yet."), "not_due")
    if expected_version is not None and case.version != expected_version:
        raise _refuse(
            _(
                "Someone changed this case in the meantime. Reload the page and check it "
                "again before you erase it."
            ),
            "stale",
        )


def _delete(queryset: QuerySet[models.Model]) -> int:
    """Delete the rows, counting the queryset's own model only (cascades count separately)."""
    label = queryset.model._meta.label
    return queryset.delete()[1].get(label, 0)


def _erase_content(case: Case) -> dict[str, int]:
    """Every row under or linked to the case, children before parents (PROTECT stays safe:
    a row missed here makes the case's deletion fail and the whole erasure roll back)."""
    counts: dict[str, int] = {}
    referrals = Referral.objects.filter(case=case)
    counts["referral_events"] = _delete(ReferralEvent.objects.filter(referral__in=referrals))
    counts["referrals"] = _delete(referrals)
    tasks = Task.objects.filter(case=case)
    counts["task_comments"] = _delete(TaskComment.objects.filter(task__in=tasks))
    counts["tasks"] = _delete(tasks)
    appointments = Appointment.objects.filter(case=case)
    counts["appointment_participants"] = _delete(
        AppointmentParticipant.objects.filter(appointment__in=appointments)
    )
    counts["appointment_agencies"] = _delete(
        AppointmentAgency.objects.filter(appointment__in=appointments)
    )
    counts["appointments"] = _delete(appointments)
    conferences = CaseConference.objects.filter(case=case)
    counts["conference_minutes"] = _delete(ConferenceMinute.objects.filter(case=case))
    counts["conference_decisions"] = _delete(ConferenceDecision.objects.filter(case=case))
    counts["conference_attendees"] = _delete(
        ConferenceAttendee.objects.filter(conference__in=conferences)
    )
    counts["conferences"] = _delete(conferences)
    counts["unmet_needs"] = _delete(UnmetNeed.objects.filter(case=case))
    counts["measures"] = _delete(Measure.objects.filter(case=case))
    counts["goals"] = _delete(Goal.objects.filter(case=case))
    counts["assessments"] = _delete(Assessment.objects.filter(case=case))
    counts["journal_entries"] = _delete(JournalEntry.objects.filter(case=case))
    counts["participants"] = _delete(CaseParticipant.objects.filter(case=case))
    counts["assignments"] = _delete(CaseAssignment.objects.filter(case=case))
    counts["handovers"] = _delete(CaseHandover.objects.filter(case=case))
    counts["phase_changes"] = _delete(CasePhaseChange.objects.filter(case=case))
    counts["cases"] = _delete(Case.objects.filter(pk=case.pk))
    return counts


def _reverse_relations(model: type[models.Model]) -> Iterable[models.ForeignObjectRel]:
    """Every relation of another row to ``model`` (hidden ones — ``related_name="+"`` — too)."""
    for relation in model._meta.get_fields(include_hidden=True):
        if (
            isinstance(relation, models.ForeignObjectRel)
            and not relation.many_to_many
            and relation.field.concrete
        ):
            yield relation


def _referred(
    model: type[models.Model], ids: set[int], allowed: dict[type[models.Model], Q | None]
) -> set[int]:
    """Which of ``ids`` some row still refers to, leaving out the ``allowed`` rows (``None``:
    every row of that model is the record's own and goes with it)."""
    referred: set[int] = set()
    for relation in _reverse_relations(model):
        related = relation.related_model
        assert not isinstance(related, str)  # noqa: S101 - resolved once the apps are loaded
        if related in allowed and allowed[related] is None:
            continue
        name = relation.field.name
        rows = related._base_manager.filter(**{f"{name}__in": ids - referred})
        if related in allowed:
            rows = rows.exclude(allowed[related])
        referred.update(rows.values_list(relation.field.attname, flat=True).distinct())
        if referred >= ids:
            break
    return referred


def _erase_people(case: Case, household: Household) -> tuple[int, bool]:
    """The household's persons nobody else refers to, and the household if nothing is left.
    Runs after the case file is gone, so that only references from elsewhere count."""
    lead = case.lead_agency_id
    candidates = set(
        HouseholdMember.objects.filter(household=household).values_list("person_id", flat=True)
    ) | set(
        HouseholdDeparture.objects.filter(household=household).values_list("person_id", flat=True)
    )
    candidates = set(
        Person.objects.filter(pk__in=candidates, owner_agency_id=lead).values_list("pk", flat=True)
    )
    erasable: set[int] = set()
    if candidates:
        allowed: dict[type[models.Model], Q | None] = {
            PersonNameKey: None,
            HouseholdMember: Q(household=household),
            HouseholdDeparture: Q(household=household),
        } | {model: Q(owner_agency_id=lead) for model in _MASTER_DATA}
        erasable = candidates - _referred(Person, candidates, allowed)
    persons = 0
    if erasable:
        HouseholdMember.objects.filter(household=household, person_id__in=erasable).delete()
        HouseholdDeparture.objects.filter(household=household, person_id__in=erasable).delete()
        persons = _delete(Person.objects.filter(pk__in=erasable))
    household_erased = (
        household.owner_agency_id == lead
        and not HouseholdMember.objects.filter(household=household).exists()
        and not _referred(Household, {household.pk}, {HouseholdDeparture: Q(household=household)})
    )
    if household_erased:
        _delete(Household.objects.filter(pk=household.pk))
    return persons, household_erased


@transaction.atomic
def erase_case(
    *,
    case: Case,
    membership: Membership | None,
    actor: User | None,
    expected_version: int | None,
    automatic: bool = False,
    today: date | None = None,
) -> ErasureResult:
    """Erase the due closed ``case`` with its whole file, in one transaction, or nothing.

    By hand: ``membership`` may erase it (``may_erase``) and ``expected_version`` is the
    version the person confirmed. ``automatic``: the run of ``lotse erase_due_cases``, with
    no membership — the command chooses which agencies' cases it erases.
    """
    today = today or timezone.localdate()
    # Lock the row and read it afresh: a case reopened or changed since it was shown stays.
    locked = Case.objects.select_for_update().filter(pk=case.pk).first()
    if locked is None:
        raise _refuse(_("This case file has already been erased."), "erased")
    if automatic:
        agency = locked.lead_agency
    else:
        if not may_erase(membership, locked):
            raise AccessDenied
        assert membership is not None  # noqa: S101 - may_erase checked it
        agency = membership.agency
    _check_due(locked, expected_version=expected_version, today=today)
    household = Household.objects.get(pk=locked.household_id)
    closed_on = locked.closed_on
    assert closed_on is not None  # noqa: S101 - _check_due checked it
    members = sorted(
        set(HouseholdMember.objects.filter(household=household).values_list("person_id", flat=True))
    )
    counts = _erase_content(locked)
    persons, household_erased = _erase_people(locked, household)
    counts["persons"] = persons
    counts["households"] = int(household_erased)
    counts = {kind: counts.get(kind, 0) for kind in KINDS}
    erasure = CaseErasure.objects.create(
        case_id=locked.pk,
        household_public_id="" if household_erased else household.public_id,
        lead_agency_id=locked.lead_agency_id,
        closed_on=closed_on,
        erased_at=timezone.now(),
        erased_by=actor if not automatic else None,
        automatic=automatic,
        counts=counts,
    )
    record(
        action=AuditAction.CASE_ERASED,
        actor=actor if not automatic else None,
        agency=agency,
        subject_ids=members,
        basis="§ 84 Abs. 2 SGB X",
        detail={
            "case": locked.pk,
            "erasure": erasure.pk,
            "closed_on": closed_on.isoformat(),
            "automatic": automatic,
            "counts": {kind: n for kind, n in counts.items() if n},
        },
    )
    return ErasureResult(case_id=locked.pk, counts=counts, record=erasure)


def would_erase(case: Case, *, today: date | None = None) -> ErasureResult:
    """What ``erase_case`` would erase, counted by doing it and rolling back (dry run)."""
    result = ErasureResult(case_id=case.pk)
    try:
        with transaction.atomic():
            result = erase_case(
                case=case,
                membership=None,
                actor=None,
                expected_version=None,
                automatic=True,
                today=today,
            )
            raise _DryRunError
    except _DryRunError:
        pass
    result.record = None
    return result


class _DryRunError(Exception):
    """Rolls the dry run's transaction back."""
