"""Daily work under ``/api/v1/``: appointments, tasks (``?mine=1``, ``?due_before=``),
completing a task, and the deadlines of the next ``within_days``.

The same scopes as the pages (``lotse.scheduling``): a task is seen only inside the agency
that made it; an appointment by that agency and by participating agencies under the person's
basis. Deadlines are read live from what the caller may see. A stale ``version`` is 409.
Persons by Lotse ID.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from django.http import Http404, HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status

from lotse.accounts.roles import Capability
from lotse.audit.models import AuditAction
from lotse.consent.reads import audited_read
from lotse.core.models import StaleEditError
from lotse.people.models import Person
from lotse.scheduling import selectors, services
from lotse.scheduling.access import may_change_task
from lotse.scheduling.models import Appointment, Task

from .auth import acting_membership as _membership
from .auth import acting_user as _actor
from .auth import requires
from .people import ERRORS, InputSchema, invalid_input_as_422
from .schemas import MAX_ID, CheckedInput, ListOut, ObjectId

router = Router(tags=["daily work"])

READ = requires(Capability.READ_CASE_CONTENT)
WRITE = requires(Capability.WRITE_CASE_CONTENT)


class AppointmentOut(Schema):
    id: int
    person: str = Field(description="Lotse ID.")
    participants: list[str] = Field(
        description="Lotse IDs of the family members taking part (the person first) — only "
        "those you may see."
    )
    case: int | None
    agency: str = Field(description="The agency that made the appointment (code).")
    starts_at: datetime
    ends_at: datetime
    place: str
    video_link: str
    purpose: str
    category: str
    interpreter_language: str
    interpreter: str = Field(description="'', needed or booked.")
    status: str
    outcome: str
    version: int


class TaskOut(Schema):
    id: int
    person: str = Field(description="Lotse ID.")
    case: int | None
    title: str
    due_on: date
    overdue: bool
    status: str
    assignee: str | None = Field(description="Username of the caseworker, if any.")
    team: str | None
    rule: str | None = Field(description="The deadline rule that created it, if any.")
    reason: str = Field(description="The legal reason of the deadline rule.")
    version: int


class DeadlineOut(Schema):
    kind: str
    title: str
    due_on: date
    days_left: int
    warning_step: int = Field(description="Warning step reached (days ahead); 0 when due.")
    person: str = Field(description="Lotse ID.")
    reason: str
    link: str


class AppointmentQuery(CheckedInput):
    from_: date | None = Field(None, alias="from")
    to: date | None = None
    mine: bool = Field(True, description="Only appointments you take part in or made.")
    limit: int = Field(100, ge=1, le=500)


class TaskQuery(CheckedInput):
    mine: bool = Field(True, description="Yours, your team's unassigned ones, those you cover.")
    due_before: date | None = Field(None, description="Due on or before this date.")
    limit: int = Field(100, ge=1, le=500)
    offset: int = Field(0, ge=0, le=100_000)


class DeadlineQuery(CheckedInput):
    within_days: int = Field(30, ge=0, le=366)
    mine: bool = Field(True, description="Only the deadlines of your own families.")


class CompleteIn(InputSchema):
    version: int = Field(ge=1, le=MAX_ID)
    cancelled: bool = Field(False, description="Closed as no longer needed.")


class StaleTaskOut(Schema):
    detail: str
    current: TaskOut


def _appointment_out(a: Appointment, participants: list[Person]) -> AppointmentOut:
    return AppointmentOut(
        id=a.pk,
        person=a.subject.public_id,
        participants=[person.public_id for person in participants],
        case=a.case_id,
        agency=a.owner_agency.code,
        starts_at=a.starts_at,
        ends_at=a.ends_at,
        place=a.place,
        video_link=a.video_link,
        purpose=a.purpose,
        category=a.category,
        interpreter_language=a.interpreter_language,
        interpreter=a.interpreter,
        status=a.status,
        outcome=a.outcome,
        version=a.version,
    )


def _task_out(t: Task) -> TaskOut:
    return TaskOut(
        id=t.pk,
        person=t.subject.public_id,
        case=t.case_id,
        title=t.label,
        due_on=t.due_on,
        overdue=t.is_overdue,
        status=t.status,
        assignee=t.assignee.username if t.assignee else None,
        team=t.team.name if t.team else None,
        rule=t.rule.kind if t.rule else None,
        reason=t.rule.reason if t.rule else "",
        version=t.version,
    )


@router.get(
    "/appointments",
    response={200: ListOut[AppointmentOut], **ERRORS},
    auth=READ,
    summary="Appointments you may see, from today four weeks ahead unless ?from=&to=",
)
def appointments_list(
    request: HttpRequest, query: Query[AppointmentQuery]
) -> ListOut[AppointmentOut]:
    membership = _membership(request)
    start = query.from_ or timezone.localdate()
    end = query.to or start + timedelta(days=27)
    if end < start or (end - start).days > 366:
        raise Http404
    rows = selectors.appointment_list(membership=membership, start=start, end=end, mine=query.mine)
    page = list(rows[: query.limit])
    participants = selectors.appointment_participants(membership=membership, appointments=page)
    audited_read(
        membership=membership,
        actor=_actor(request),
        action=AuditAction.APPOINTMENTS_LISTED,
        items=page,
        subjects=[person.pk for persons in participants.values() for person in persons],
        api=True,
    )
    return ListOut(
        items=[_appointment_out(a, participants[a.pk]) for a in page],
        count=len(page),
        count_exact=True,
    )


@router.get(
    "/tasks",
    response={200: ListOut[TaskOut], **ERRORS},
    auth=READ,
    summary="Open tasks: yours (?mine=1, the default) or, for a team lead, the team's",
)
def tasks_list(request: HttpRequest, query: Query[TaskQuery]) -> ListOut[TaskOut]:
    membership = _membership(request)
    view = selectors.TaskView.MINE if query.mine else selectors.TaskView.TEAM
    rows = selectors.task_list(membership=membership, view=view, due_before=query.due_before)
    total = rows.count()
    page = list(rows[query.offset : query.offset + query.limit])
    audited_read(
        membership=membership,
        actor=_actor(request),
        action=AuditAction.TASKS_LISTED,
        items=page,
        api=True,
    )
    return ListOut(items=[_task_out(t) for t in page], count=total, count_exact=True)


@router.post(
    "/tasks/{id}/complete",
    response={200: TaskOut, 409: StaleTaskOut, **ERRORS},
    auth=WRITE,
    summary="Mark a task of your agency as done (or, with cancelled, as no longer needed)",
)
def task_complete(request: HttpRequest, id: ObjectId, payload: CompleteIn) -> Any:
    membership = _membership(request)
    task = selectors.task_get(membership=membership, pk=id)
    if not may_change_task(membership, task):
        raise Http404
    with invalid_input_as_422():
        try:
            services.task_complete(
                membership=membership,
                actor=_actor(request),
                task=task,
                expected_version=payload.version,
                cancelled=payload.cancelled,
            )
        except StaleEditError:
            current = selectors.task_get(membership=membership, pk=id)
            return Status(
                409,
                StaleTaskOut(
                    detail=_("Someone else changed this task in the meantime; nothing was saved."),
                    current=_task_out(current),
                ),
            )
    return _task_out(selectors.task_get(membership=membership, pk=id))


@router.get(
    "/deadlines",
    response={200: ListOut[DeadlineOut], **ERRORS},
    auth=READ,
    summary="Deadlines of your families from two weeks ago to ?within_days= ahead",
)
def deadlines_list(request: HttpRequest, query: Query[DeadlineQuery]) -> ListOut[DeadlineOut]:
    membership = _membership(request)
    rows = selectors.deadline_list(
        membership=membership, within_days=query.within_days, mine=query.mine
    )
    audited_read(
        membership=membership,
        actor=_actor(request),
        action=AuditAction.DEADLINES_LISTED,
        subjects=[row.deadline.subject_id for row in rows],
        count=len(rows),
        api=True,
    )
    items = [
        DeadlineOut(
            kind=row.deadline.kind,
            title=str(row.rule.get_kind_display()),
            due_on=row.deadline.due_on,
            days_left=row.days_left,
            warning_step=row.step,
            person=row.person.public_id,
            reason=row.rule.reason,
            link=str(row.deadline.link),
        )
        for row in rows
    ]
    return ListOut(items=items, count=len(items), count_exact=True)
