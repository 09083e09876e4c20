"""Reads of daily work, always through the access scopes of ``access`` and ``deadlines``."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone

from lotse.accounts.models import Membership, User
from lotse.accounts.roles import Capability
from lotse.cases.access import active_assignments
from lotse.cases.models import CaseAssignment
from lotse.cases.selectors import contacts_of
from lotse.core.dates import end_of, start_of
from lotse.people.access import persons_visible_to
from lotse.people.models import Person

from .access import appointments_visible_to, tasks_visible_to
from .deadlines import OVERDUE_DAYS, Deadline, Scope, decided, one_per_group, source_of
from .models import (
    Appointment,
    AppointmentParticipant,
    AppointmentStatus,
    DeadlineRule,
    Task,
    TaskStatus,
    effective_rules,
)


class TaskView:
    MINE = "mine"
    TEAM = "team"
    DONE = "done"
    ALL = (MINE, TEAM, DONE)


def _mine_q(membership: Membership) -> Q:
    """Assigned to me, to my team with nobody named, or in a case I cover as substitute."""
    covering = active_assignments().filter(
        user_id=membership.user_id,
        agency_id=membership.agency_id,
        kind=CaseAssignment.Kind.SUBSTITUTE,
    )
    mine = Q(assignee_id=membership.user_id) | Q(case_id__in=covering.values("case_id"))
    if membership.team_id is not None:
        mine |= Q(assignee__isnull=True, team_id=membership.team_id)
    return mine


def _team_q(membership: Membership) -> Q:
    """A team lead's view: the team's tasks and the agency's tasks nobody holds yet."""
    unassigned = Q(assignee__isnull=True)
    if membership.team_id is None:
        return Q()
    team_users = Membership.objects.filter(
        agency_id=membership.agency_id, team_id=membership.team_id, is_active=True
    ).values("user_id")
    return Q(team_id=membership.team_id) | Q(assignee_id__in=team_users) | unassigned


def task_list(
    *, membership: Membership, view: str = TaskView.MINE, due_before: date | None = None
) -> QuerySet[Task]:
    tasks = tasks_visible_to(membership)
    if view == TaskView.DONE:
        tasks = tasks.exclude(status=TaskStatus.OPEN).filter(_mine_q(membership))
        return tasks.select_related("subject", "rule", "assignee").order_by("-completed_at", "-pk")
    tasks = tasks.filter(status=TaskStatus.OPEN)
    if view == TaskView.TEAM and membership.can(Capability.VIEW_TEAM_WORK):
        tasks = tasks.filter(_team_q(membership))
    else:
        tasks = tasks.filter(_mine_q(membership))
    if due_before is not None:
        tasks = tasks.filter(due_on__lte=due_before)
    return tasks.select_related("subject", "rule", "assignee", "team").order_by("due_on", "pk")


def task_get(*, membership: Membership | None, pk: int) -> Task:
    task = (
        tasks_visible_to(membership)
        .select_related("subject", "rule", "assignee", "team", "case", "created_by")
        .filter(pk=pk)
        .first()
    )
    if task is None:
        raise Http404
    return task


def person_tasks(*, membership: Membership, person: Person) -> list[Task]:
    return list(
        tasks_visible_to(membership)
        .filter(subject=person, status=TaskStatus.OPEN)
        .select_related("rule", "assignee")
        .order_by("due_on", "pk")[:20]
    )


def _mine_appointments(membership: Membership) -> Q:
    return Q(staff=membership.user_id) | Q(created_by_id=membership.user_id)


def appointment_list(
    *, membership: Membership, start: date, end: date, mine: bool = True
) -> QuerySet[Appointment]:
    appointments = appointments_visible_to(membership).filter(
        starts_at__gte=start_of(start), starts_at__lte=end_of(end)
    )
    if mine:
        appointments = appointments.filter(
            pk__in=Appointment.objects.filter(_mine_appointments(membership)).values("pk")
        )
    return appointments.select_related("subject", "owner_agency").order_by("starts_at", "pk")


def appointments_today(*, membership: Membership, today: date | None = None) -> list[Appointment]:
    today = today or timezone.localdate()
    return list(
        appointment_list(membership=membership, start=today, end=today).exclude(
            status=AppointmentStatus.CANCELLED
        )
    )


def appointment_get(*, membership: Membership | None, pk: int) -> Appointment:
    appointment = (
        appointments_visible_to(membership)
        .select_related("subject", "owner_agency", "case", "created_by")
        .filter(pk=pk)
        .first()
    )
    if appointment is None:
        raise Http404
    return appointment


def appointment_participants(
    *, membership: Membership, appointments: Sequence[Appointment]
) -> dict[int, list[Person]]:
    """The family members taking part whom ``membership`` may see, per appointment (one
    query for a list): the person the appointment is with first, then by name. A member the
    reader may not see is left out without a trace — no count, no placeholder."""
    result: dict[int, list[Person]] = {a.pk: [] for a in appointments}
    if not result:
        return result
    rows = (
        AppointmentParticipant.objects.filter(
            appointment_id__in=list(result), person__in=persons_visible_to(membership)
        )
        .select_related("person")
        .order_by("person__family_name", "person__given_names", "pk")
    )
    for row in rows:
        result[row.appointment_id].append(row.person)
    for appointment in appointments:
        result[appointment.pk].sort(key=lambda person: person.pk != appointment.subject_id)
    return result


def person_appointments(*, membership: Membership, person: Person) -> list[Appointment]:
    since = timezone.now() - timedelta(days=1)
    return list(
        appointments_visible_to(membership)
        .filter(subject=person, starts_at__gte=since)
        .select_related("owner_agency")
        .order_by("starts_at", "pk")[:10]
    )


@dataclass(frozen=True)
class DeadlineRow:
    deadline: Deadline
    rule: DeadlineRule
    person: Person
    days_left: int
    #: The warning step reached (90, 30, 7 …); 0 when due today or passed.
    step: int

    @property
    def overdue(self) -> bool:
        return self.days_left < 0


def _step(rule: DeadlineRule, days_left: int) -> int:
    reached = [int(day) for day in rule.lead_days if days_left <= int(day)]
    return min(reached) if reached and days_left >= 0 else 0


def deadline_list(
    *,
    membership: Membership,
    within_days: int = 30,
    today: date | None = None,
    mine: bool = True,
    kinds: frozenset[str] | None = None,
) -> list[DeadlineRow]:
    """The deadlines of the member's families (``mine``; else of every person the member may
    see) from a fortnight ago to ``within_days`` ahead, soonest first. Each record passed the
    access core; a rule switched off shows nothing."""
    if not membership.can(Capability.READ_CASE_CONTENT):
        return []
    today = today or timezone.localdate()
    start = today - timedelta(days=OVERDUE_DAYS)
    end = today + timedelta(days=within_days)
    scope = Scope(membership, mine=mine)
    rules = {rule.kind: rule for rule in effective_rules() if kinds is None or rule.kind in kinds}
    sources = [source for kind in rules if (source := source_of(kind)) is not None]
    # Forward-looking rules count from today; open hand-overs and answers stay listed.
    found = [deadline for source in sources for deadline in source(scope, start, end)]
    if scope.checks_items:
        found = decided(membership, found)
    persons = _persons(membership, {deadline.subject_id for deadline in found})
    # Grouped after the access core has spoken: a group (a household's hand-over) is named by
    # the first member the reader may see, never by one they may not.
    found = list(one_per_group(d for d in found if d.subject_id in persons))
    rows = [
        DeadlineRow(
            deadline=deadline,
            rule=rules[deadline.kind],
            person=persons[deadline.subject_id],
            days_left=deadline.days_left(today),
            step=_step(rules[deadline.kind], deadline.days_left(today)),
        )
        for deadline in found
    ]
    rows.sort(key=lambda row: (row.deadline.due_on, row.person.family_name, row.deadline.kind))
    return rows


def _persons(membership: Membership, ids: set[int]) -> dict[int, Any]:
    if not ids:
        return {}
    persons = persons_visible_to(membership).filter(pk__in=ids)
    # what a deadline row shows of the person: the name and the Lotse ID
    return {p.pk: p for p in persons.only("pk", "public_id", "given_names", "family_name")}


def invitation_contact(appointment: Appointment) -> tuple[str, str]:
    """Whom the family calls, and the number: the owning agency's contact person in the
    family's case (as the plan PDF names them), else a colleague taking part, else whoever
    planned it — the first of them with a work phone at that agency; ("", "") for none."""
    agency_id = appointment.owner_agency_id
    candidates: list[User] = []
    if appointment.case is not None:
        for row in contacts_of([appointment.case])[appointment.case.pk]:
            if row.participant.agency_id == agency_id and row.participant.contact is not None:
                if row.phone:
                    return row.name, row.phone
                candidates.append(row.participant.contact)
    candidates += [*appointment.staff.order_by("last_name", "first_name"), appointment.created_by]
    phones = dict(
        Membership.objects.filter(
            user__in=[user.pk for user in candidates], agency_id=agency_id, is_active=True
        )
        .exclude(phone="")
        .values_list("user_id", "phone")
    )
    for user in candidates:
        if phones.get(user.pk):
            return str(user), phones[user.pk]
    return "", ""
