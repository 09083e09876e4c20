"""Writes of daily work: tasks, appointments, calendar addresses, the deadline run.

Every write is atomic, checks that the acting agency owns what it changes (seeing is not
owning), refuses a stale version, and leaves one audit event without names or content.
"""

from __future__ import annotations

import secrets
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, override

from lotse.accounts.models import Agency, Membership, Team, User
from lotse.accounts.roles import Capability
from lotse.audit.models import AuditAction
from lotse.audit.services import record
from lotse.cases.access import active_assignments, cases_visible_to
from lotse.cases.models import Case, Phase
from lotse.consent.categories import DataCategory
from lotse.core.errors import AccessDenied
from lotse.core.text import clean_text
from lotse.people.access import person_visible, persons_visible_to
from lotse.people.models import HouseholdMember, Person

from .access import (
    appointments_visible_to,
    may_change_appointment,
    may_change_task,
    working_membership,
)
from .deadlines import Deadline, Scope, one_per_group, source_of
from .models import (
    CATEGORY_OF_KIND,
    Appointment,
    AppointmentAgency,
    AppointmentParticipant,
    AppointmentStatus,
    CalendarFeed,
    DeadlineRule,
    InterpreterState,
    ReminderSubscription,
    Task,
    TaskComment,
    TaskStatus,
    effective_rules,
    feed_token_hash,
)
from .selectors import appointment_list, deadline_list, task_list


def _require_writer(membership: Membership) -> None:
    if not membership.can(Capability.WRITE_CASE_CONTENT):
        raise AccessDenied


def _require_person(membership: Membership, person: Person) -> None:
    if not person_visible(membership, person.pk):
        raise AccessDenied


def _check_case(membership: Membership, case: Case | None, person: Person) -> None:
    if case is None:
        return
    if not cases_visible_to(membership).filter(pk=case.pk).exists():
        raise AccessDenied
    if not HouseholdMember.objects.filter(household_id=case.household_id, person=person).exists():
        raise ValidationError({"case": _("The person is not a member of this family.")})


def _staff_of(agency_id: int, users: Iterable[User]) -> None:
    """Tasks and appointments go to colleagues of the same agency who do case work."""
    for user in users:
        if working_membership(user.pk, agency_id) is None:
            raise ValidationError({"assignee": _("Choose a caseworker of your agency.")})


def _check_team(agency_id: int, team: Team | None) -> None:
    if team is not None and team.agency_id != agency_id:
        raise ValidationError({"team": _("Choose a team of your agency.")})


#: Notes, comments and outcomes are free text over several lines; titles and places one line.
LONG_TEXT = 5000


def _text(
    value: str,
    *,
    name: str,
    max_length: int = 300,
    required: bool = True,
    multiline: bool = False,
) -> str:
    return clean_text(
        value, field=name, max_length=max_length, required=required, multiline=multiline
    )


# --- tasks ---------------------------------------------------------------------------------


@transaction.atomic
def task_create(
    *,
    membership: Membership,
    actor: User,
    subject: Person,
    title: str,
    due_on: date,
    note: str = "",
    case: Case | None = None,
    assignee: User | None = None,
    team: Team | None = None,
    category: str = DataCategory.CASE_PLAN,
    source_key: str = "",
    link: str = "",
) -> Task:
    _require_writer(membership)
    _require_person(membership, subject)
    _check_case(membership, case, subject)
    if assignee is not None:
        _staff_of(membership.agency_id, [assignee])
    _check_team(membership.agency_id, team)
    if category not in DataCategory.values:
        raise ValidationError({"category": _("Unknown category.")})
    if assignee is None and team is None:
        assignee = actor
    task = Task.objects.create(
        subject=subject,
        owner_agency_id=membership.agency_id,
        category=category,
        title=_text(title, name="title", max_length=200),
        note=_text(note, name="note", max_length=LONG_TEXT, required=False, multiline=True),
        due_on=due_on,
        case=case,
        assignee=assignee,
        team=team,
        created_by=actor,
        source_key=source_key,
        link=link,
    )
    _audit_task(membership, actor, task, change="created")
    return task


def _audit_task(membership: Membership, actor: User, task: Task, *, change: str) -> None:
    record(
        action=AuditAction.TASK_SAVED,
        actor=actor,
        agency=membership.agency,
        target=task,
        subject_id=task.subject_id,
        detail={"change": change, "status": task.status},
    )


def _own_task(membership: Membership, task: Task) -> None:
    _require_writer(membership)
    if not may_change_task(membership, task):
        raise AccessDenied


@transaction.atomic
def task_complete(
    *,
    membership: Membership,
    actor: User,
    task: Task,
    expected_version: int,
    cancelled: bool = False,
) -> Task:
    _own_task(membership, task)
    if not task.is_open:
        raise ValidationError({"status": _("This task is already closed.")})
    task.status = TaskStatus.CANCELLED if cancelled else TaskStatus.DONE
    task.completed_at = timezone.now()
    task.completed_by = actor
    task.save_versioned(
        expected_version=expected_version, update_fields=["status", "completed_at", "completed_by"]
    )
    _audit_task(membership, actor, task, change="cancelled" if cancelled else "completed")
    return task


@transaction.atomic
def task_reopen(*, membership: Membership, actor: User, task: Task, expected_version: int) -> Task:
    _own_task(membership, task)
    task.status = TaskStatus.OPEN
    task.completed_at = None
    task.completed_by = None
    task.save_versioned(
        expected_version=expected_version, update_fields=["status", "completed_at", "completed_by"]
    )
    _audit_task(membership, actor, task, change="reopened")
    return task


@transaction.atomic
def task_reassign(
    *,
    membership: Membership,
    actor: User,
    task: Task,
    assignee: User | None,
    team: Team | None,
    due_on: date,
    expected_version: int,
) -> Task:
    _own_task(membership, task)
    if assignee is None and team is None:
        raise ValidationError({"assignee": _("Choose a caseworker or a team.")})
    if assignee is not None:
        _staff_of(membership.agency_id, [assignee])
    _check_team(membership.agency_id, team)
    task.assignee = assignee
    task.team = team
    task.due_on = due_on
    task.save_versioned(
        expected_version=expected_version, update_fields=["assignee", "team", "due_on"]
    )
    _audit_task(membership, actor, task, change="reassigned")
    return task


@transaction.atomic
def task_comment(*, membership: Membership, actor: User, task: Task, text: str) -> TaskComment:
    _own_task(membership, task)
    comment = TaskComment.objects.create(
        task=task, author=actor, text=_text(text, name="text", max_length=LONG_TEXT, multiline=True)
    )
    _audit_task(membership, actor, task, change="commented")
    return comment


# --- appointments ---------------------------------------------------------------------------


@dataclass(frozen=True)
class AppointmentData:
    starts_at: datetime
    ends_at: datetime
    purpose: str
    place: str = ""
    video_link: str = ""
    category: str = DataCategory.CASE_PLAN
    interpreter_language: str = ""
    interpreter: str = InterpreterState.NOT_NEEDED
    agencies: Sequence[Agency] = ()
    staff: Sequence[User] = ()
    #: Family members taking part besides the person the appointment is with.
    participants: Sequence[Person] = ()


def _check_appointment(membership: Membership, data: AppointmentData) -> dict[str, Any]:
    errors: dict[str, str] = {}
    if data.ends_at <= data.starts_at:
        errors["ends_at"] = _("The end must be after the start.")
    elif data.ends_at - data.starts_at > timedelta(hours=12):
        errors["ends_at"] = _("An appointment lasts at most twelve hours.")
    if not (data.place.strip() or data.video_link.strip()):
        errors["place"] = _("Give a place or a video link.")
    if data.category not in DataCategory.values:
        errors["category"] = _("Unknown category.")
    if data.interpreter_language and data.interpreter == InterpreterState.NOT_NEEDED:
        errors["interpreter"] = _("Say whether the interpreter is booked.")
    if errors:
        raise ValidationError(errors)
    _staff_of(membership.agency_id, data.staff)
    return {
        "starts_at": data.starts_at,
        "ends_at": data.ends_at,
        "purpose": _text(data.purpose, name="purpose"),
        "place": _text(data.place, name="place", required=False),
        "video_link": data.video_link.strip(),
        "category": data.category,
        "interpreter_language": data.interpreter_language,
        "interpreter": data.interpreter if data.interpreter_language else "",
    }


def _audit_appointment(
    membership: Membership, actor: User, appointment: Appointment, *, change: str
) -> None:
    """One event naming the person and every family member taking part (ids only)."""
    record(
        action=AuditAction.APPOINTMENT_SAVED,
        actor=actor,
        agency=membership.agency,
        target=appointment,
        subject_id=appointment.subject_id,
        subject_ids=AppointmentParticipant.objects.filter(appointment=appointment).values_list(
            "person_id", flat=True
        ),
        detail={"change": change, "status": appointment.status},
    )


def family_members(membership: Membership, subject: Person, case: Case | None) -> QuerySet[Person]:
    """Who may take part in an appointment with ``subject``: the members of the family's
    household (the case's, else the person's) whom the member may see, ``subject`` included."""
    if case is not None:
        members = HouseholdMember.objects.filter(household_id=case.household_id)
    else:
        members = HouseholdMember.objects.filter(household__memberships__person=subject)
    return persons_visible_to(membership).filter(pk__in=members.values("person_id"))


def _check_participants(
    membership: Membership, subject: Person, case: Case | None, persons: Iterable[Person]
) -> set[int]:
    """The ids of ``persons`` besides ``subject``, all of them :func:`family_members`. Anyone
    else is refused with one message — a person the member may not see reads like one who
    does not live there."""
    chosen = {person.pk for person in persons} - {subject.pk}
    if not chosen:
        return set()
    allowed = set(
        family_members(membership, subject, case).filter(pk__in=chosen).values_list("pk", flat=True)
    )
    if allowed != chosen:
        raise ValidationError({"participants": _("Choose only members of the person's household.")})
    return chosen


@transaction.atomic
def appointment_create(
    *,
    membership: Membership,
    actor: User,
    subject: Person,
    data: AppointmentData,
    case: Case | None = None,
) -> Appointment:
    _require_writer(membership)
    _require_person(membership, subject)
    _check_case(membership, case, subject)
    values = _check_appointment(membership, data)
    participants = _check_participants(membership, subject, case, data.participants)
    appointment = Appointment.objects.create(
        subject=subject,
        owner_agency_id=membership.agency_id,
        case=case,
        created_by=actor,
        **values,
    )
    AppointmentAgency.objects.bulk_create(
        AppointmentAgency(appointment=appointment, agency=agency)
        for agency in {a.pk: a for a in data.agencies if a.pk != membership.agency_id}.values()
    )
    appointment.staff.set(list(data.staff) or [actor])
    AppointmentParticipant.objects.bulk_create(
        AppointmentParticipant(appointment=appointment, person_id=pk)
        for pk in sorted({subject.pk, *participants})
    )
    _audit_appointment(membership, actor, appointment, change="created")
    return appointment


def _own_appointment(membership: Membership, appointment: Appointment) -> None:
    _require_writer(membership)
    if not may_change_appointment(membership, appointment):
        raise AccessDenied


@transaction.atomic
def appointment_reschedule(
    *,
    membership: Membership,
    actor: User,
    appointment: Appointment,
    starts_at: datetime,
    ends_at: datetime,
    place: str,
    video_link: str,
    expected_version: int,
) -> Appointment:
    _own_appointment(membership, appointment)
    if appointment.status != AppointmentStatus.PLANNED:
        raise ValidationError({"starts_at": _("Only a planned appointment can be moved.")})
    values = _check_appointment(
        membership,
        AppointmentData(
            starts_at=starts_at,
            ends_at=ends_at,
            purpose=appointment.purpose,
            place=place,
            video_link=video_link,
            category=appointment.category,
            interpreter_language=appointment.interpreter_language,
            interpreter=appointment.interpreter or InterpreterState.NEEDED,
        ),
    )
    for name in ("starts_at", "ends_at", "place", "video_link"):
        setattr(appointment, name, values[name])
    appointment.save_versioned(
        expected_version=expected_version,
        update_fields=["starts_at", "ends_at", "place", "video_link"],
    )
    _audit_appointment(membership, actor, appointment, change="rescheduled")
    return appointment


@transaction.atomic
def appointment_close(
    *,
    membership: Membership,
    actor: User,
    appointment: Appointment,
    status: str,
    text: str,
    expected_version: int,
) -> Appointment:
    """Cancel it (``text``: the reason) or record how it went (held / missed, the outcome)."""
    _own_appointment(membership, appointment)
    if status not in (
        AppointmentStatus.CANCELLED,
        AppointmentStatus.HELD,
        AppointmentStatus.MISSED,
    ):
        raise ValidationError({"status": _("Unknown status.")})
    if appointment.status == AppointmentStatus.CANCELLED:
        raise ValidationError({"status": _("This appointment was cancelled.")})
    if status == AppointmentStatus.CANCELLED:
        appointment.cancelled_reason = _text(text, name="text")
    else:
        appointment.outcome = _text(
            text, name="text", max_length=LONG_TEXT, required=False, multiline=True
        )
    appointment.status = status
    appointment.save_versioned(
        expected_version=expected_version, update_fields=["status", "cancelled_reason", "outcome"]
    )
    _audit_appointment(membership, actor, appointment, change=status)
    return appointment


@transaction.atomic
def appointment_participants_set(
    *,
    membership: Membership,
    actor: User,
    appointment: Appointment,
    participants: Iterable[Person],
    expected_version: int,
) -> Appointment:
    """Who of the family takes part. The person the appointment is with always does; members
    the acting member may not see stay as they are (the form could not show them)."""
    _own_appointment(membership, appointment)
    if appointment.status == AppointmentStatus.CANCELLED:
        raise ValidationError({"participants": _("This appointment was cancelled.")})
    chosen = _check_participants(membership, appointment.subject, appointment.case, participants)
    rows = AppointmentParticipant.objects.filter(appointment=appointment)
    existing = set(rows.values_list("person_id", flat=True))
    hidden = existing - set(
        persons_visible_to(membership).filter(pk__in=existing).values_list("pk", flat=True)
    )
    wanted = {appointment.subject_id, *chosen, *hidden}
    # Checked first: a stale form changes nothing.
    appointment.save_versioned(expected_version=expected_version, update_fields=[])
    rows.exclude(person_id__in=wanted).delete()
    AppointmentParticipant.objects.bulk_create(
        AppointmentParticipant(appointment=appointment, person_id=pk)
        for pk in sorted(wanted - existing)
    )
    _audit_appointment(membership, actor, appointment, change="participants")
    return appointment


@transaction.atomic
def appointment_interpreter_booked(
    *, membership: Membership, actor: User, appointment: Appointment, expected_version: int
) -> Appointment:
    _own_appointment(membership, appointment)
    if not appointment.interpreter_language:
        raise ValidationError({"interpreter": _("No interpreter is needed.")})
    appointment.interpreter = InterpreterState.BOOKED
    appointment.save_versioned(expected_version=expected_version, update_fields=["interpreter"])
    _audit_appointment(membership, actor, appointment, change="interpreter_booked")
    return appointment


def appointment_conflicts(
    *,
    membership: Membership,
    starts_at: datetime,
    ends_at: datetime,
    subject_id: int,
    staff_ids: Sequence[int],
    participant_ids: Sequence[int] = (),
    exclude: int | None = None,
) -> list[Appointment]:
    """Planned appointments the member may see that overlap: with one of the same family
    members (as the person it is with or taking part) or with the same staff. Shown as a
    warning; two appointments may overlap on purpose. The family members are those the
    member chose, so they are persons the member may see."""
    persons = sorted({subject_id, *participant_ids})
    overlapping = appointments_visible_to(membership).filter(
        Q(subject_id__in=persons)
        | Q(participants__person_id__in=persons)
        | Q(staff__in=list(staff_ids)),
        status=AppointmentStatus.PLANNED,
        starts_at__lt=ends_at,
        ends_at__gt=starts_at,
    )
    if exclude is not None:
        overlapping = overlapping.exclude(pk=exclude)
    return list(overlapping.distinct().order_by("starts_at")[:10])


# --- calendar addresses --------------------------------------------------------------------


@transaction.atomic
def calendar_feed_create(*, membership: Membership, actor: User) -> str:
    """A new secret calendar address; the old one stops working. Returns the token, which is
    shown once and stored only as a hash."""
    calendar_feed_revoke(membership=membership, actor=actor, audit=False)
    token = secrets.token_urlsafe(32)
    CalendarFeed.objects.create(
        user=actor, agency_id=membership.agency_id, token_hash=feed_token_hash(token)
    )
    record(
        action=AuditAction.CALENDAR_FEED_CHANGED,
        actor=actor,
        agency=membership.agency,
        detail={"change": "created"},
    )
    return token


@transaction.atomic
def calendar_feed_revoke(*, membership: Membership, actor: User, audit: bool = True) -> int:
    revoked = CalendarFeed.objects.filter(user=actor, revoked_at__isnull=True).update(
        revoked_at=timezone.now()
    )
    if audit and revoked:
        record(
            action=AuditAction.CALENDAR_FEED_CHANGED,
            actor=actor,
            agency=membership.agency,
            detail={"change": "revoked"},
        )
    return revoked


# --- the deadline run ----------------------------------------------------------------------

#: Passed deadlines still get their task this many days late (a run that did not happen).
LATE_DAYS = 7
BATCH = 1000


@dataclass
class RunResult:
    created: Counter[str] = field(default_factory=Counter)
    due: Counter[str] = field(default_factory=Counter)
    would_create: list[Deadline] = field(default_factory=list)


def _assignees(subject_ids: set[int], agency_ids: set[int]) -> dict[tuple[int, int], Any]:
    """(person, agency) → (case id, user id) for persons with an open case: the lead case
    manager when the agency leads, else the agency's contact or assigned caseworker."""
    cases = {
        row["household__memberships__person_id"]: row
        for row in Case.objects.exclude(phase=Phase.CLOSED)
        .filter(household__memberships__person_id__in=subject_ids)
        .values("pk", "lead_agency_id", "lead_user_id", "household__memberships__person_id")
    }
    assigned: dict[tuple[int, int], int] = {}
    for row in (
        active_assignments()
        .filter(case_id__in={c["pk"] for c in cases.values()}, agency_id__in=agency_ids)
        .order_by("kind", "pk")
        .values("case_id", "agency_id", "user_id")
    ):
        assigned.setdefault((row["case_id"], row["agency_id"]), row["user_id"])
    result: dict[tuple[int, int], Any] = {}
    for person_id, case in cases.items():
        for agency_id in agency_ids:
            user = (
                case["lead_user_id"]
                if case["lead_agency_id"] == agency_id
                else assigned.get((case["pk"], agency_id))
            )
            result[(person_id, agency_id)] = (case["pk"], user)
    return result


def _without_task(batch: list[Deadline]) -> list[Deadline]:
    """The deadlines of ``batch`` that have no task yet (one query for the batch)."""
    keys = {(d.owner_agency_id, d.source_key) for d in batch}
    existing = set(
        Task.objects.filter(
            owner_agency_id__in={k[0] for k in keys}, source_key__in={k[1] for k in keys}
        ).values_list("owner_agency_id", "source_key")
    )
    return [d for d in batch if (d.owner_agency_id, d.source_key) not in existing]


def _create_batch(
    rule: DeadlineRule, batch: list[Deadline], result: RunResult, *, dry_run: bool
) -> None:
    new = _without_task(batch)
    if dry_run:
        result.would_create.extend(new)
        return
    if not new:
        return
    who = _assignees({d.subject_id for d in new}, {d.owner_agency_id for d in new})
    tasks = []
    for deadline in new:
        case_id, user_id = who.get((deadline.subject_id, deadline.owner_agency_id), (None, None))
        user_id = deadline.assignee_id or user_id
        tasks.append(
            Task(
                subject_id=deadline.subject_id,
                owner_agency_id=deadline.owner_agency_id,
                category=CATEGORY_OF_KIND[rule.kind],
                # no title: the rule's name, shown in the reader's language
                due_on=deadline.due_on,
                case_id=deadline.case_id or case_id,
                assignee_id=user_id,
                rule=rule,
                source_key=deadline.source_key,
                link=str(deadline.link),
            )
        )
    Task.objects.bulk_create(tasks, ignore_conflicts=True)
    result.created[rule.kind] += len(tasks)


def run_deadlines(*, today: date | None = None, dry_run: bool = False) -> RunResult:
    """Create a task for each deadline whose first warning step is reached; idempotent.

    Reads every source in the system scope, in batches (memory stays flat), and writes each
    rule's tasks in one transaction. ``dry_run`` writes nothing and returns what it would do.
    """
    today = today or timezone.localdate()
    result = RunResult()
    for rule in effective_rules():
        source = source_of(rule.kind)
        if source is None:
            continue
        if rule.pk is None and not dry_run:
            rule.save()
        start = today - timedelta(days=LATE_DAYS)
        end = today + timedelta(days=rule.first_warning)
        with transaction.atomic():
            batch: list[Deadline] = []
            for deadline in one_per_group(source(Scope(), start, end)):
                result.due[rule.kind] += 1
                batch.append(deadline)
                if len(batch) >= BATCH:
                    _create_batch(rule, batch, result, dry_run=dry_run)
                    batch = []
            if batch:
                _create_batch(rule, batch, result, dry_run=dry_run)
    if not dry_run and result.created.total():
        record(
            action=AuditAction.DEADLINE_TASKS_CREATED,
            detail={"created": dict(result.created), "on": today.isoformat()},
        )
    return result


# --- the daily e-mail digest ---------------------------------------------------------------


@transaction.atomic
def reminders_subscribe(*, membership: Membership, actor: User, on: bool) -> None:
    if on:
        ReminderSubscription.objects.update_or_create(
            user=actor, defaults={"agency_id": membership.agency_id}
        )
    else:
        ReminderSubscription.objects.filter(user=actor).delete()
    record(
        action=AuditAction.REMINDERS_CHANGED,
        actor=actor,
        agency=membership.agency,
        detail={"change": "reminders_on" if on else "reminders_off"},
    )


@dataclass(frozen=True)
class Digest:
    user: User
    tasks_due: int
    appointments: int
    deadlines: int

    @property
    def empty(self) -> bool:
        return not (self.tasks_due or self.appointments or self.deadlines)


def digest_for(membership: Membership, today: date) -> Digest:
    return Digest(
        user=membership.user,
        tasks_due=task_list(membership=membership, due_before=today).count(),
        appointments=appointment_list(membership=membership, start=today, end=today)
        .exclude(status=AppointmentStatus.CANCELLED)
        .count(),
        deadlines=len(deadline_list(membership=membership, within_days=7, today=today)),
    )


def _digest_mail(digest: Digest) -> tuple[str, str]:
    """Subject and body: how many, and where to look — no name, no case content."""
    lines = [
        ngettext(
            "%(count)d task is due today or overdue.",
            "%(count)d tasks are due today or overdue.",
            digest.tasks_due,
        )
        % {"count": digest.tasks_due},
        ngettext(
            "%(count)d appointment today.", "%(count)d appointments today.", digest.appointments
        )
        % {"count": digest.appointments},
        ngettext(
            "%(count)d deadline in the next 7 days.",
            "%(count)d deadlines in the next 7 days.",
            digest.deadlines,
        )
        % {"count": digest.deadlines},
    ]
    subject = _("Lotse: what is due today")
    body = "\n".join(
        [
            *lines,
            "",
            _("Open Lotse: %(url)s") % {"url": settings.BASE_URL.rstrip("/") + "/"},
            "",
            _("You get this e-mail because you asked for it; switch it off under Calendar."),
        ]
    )
    return subject, body


def reminders_send(*, today: date | None = None, dry_run: bool = False) -> list[Digest]:
    """One digest per subscribed user who has something due, at most once a day."""
    today = today or timezone.localdate()
    sent: list[Digest] = []
    subscriptions = ReminderSubscription.objects.select_related("user", "agency").exclude(
        last_sent_on=today
    )
    for subscription in subscriptions:
        membership = working_membership(subscription.user_id, subscription.agency_id)
        if membership is None or not subscription.user.email:
            continue
        digest = digest_for(membership, today)
        if digest.empty:
            continue
        sent.append(digest)
        if dry_run:
            continue
        with override("de"):
            subject, body = _digest_mail(digest)
        send_mail(subject, body, None, [subscription.user.email])
        ReminderSubscription.objects.filter(pk=subscription.pk).update(last_sent_on=today)
    return sent
