"""Pages of daily work: tasks, appointments, deadlines, the calendar address.

Thin: services decide and write; selectors read through the access scopes; every page that
shows tasks, appointments or deadlines leaves one audit event naming what it showed.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from functools import partial
from typing import Any, TypeVar

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.forms import Form
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.html import conditional_escape, format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from lotse.accounts.access import current_user, membership_with
from lotse.accounts.models import Agency, Membership, Team, User
from lotse.accounts.roles import Capability
from lotse.audit.models import AuditAction
from lotse.audit.services import record
from lotse.cases.access import cases_visible_to
from lotse.cases.models import Case, CaseParticipant
from lotse.consent.reads import audited_read
from lotse.core.forms import apply_service_errors, error_summary
from lotse.core.models import StaleEditError
from lotse.core.paging import Paging
from lotse.core.queries import head_and_count
from lotse.people.access import languages_visible_to, persons_visible_to
from lotse.people.models import HouseholdMember, Person
from lotse.people.validation import language_name

from . import calendar, selectors, services
from .access import may_change_appointment, may_change_task, working_membership
from .forms import (
    AppointmentForm,
    CloseForm,
    CommentForm,
    ParticipantsForm,
    ReassignForm,
    RescheduleForm,
    TaskForm,
    VersionForm,
)
from .invitation import texts_for
from .models import (
    Appointment,
    AppointmentStatus,
    CalendarFeed,
    DeadlineKind,
    InterpreterState,
    ReminderSubscription,
    Task,
    feed_token_hash,
)

TASK_PAGE = 25
_Item = TypeVar("_Item")
#: Deadlines the list offers to look ahead.
WITHIN_CHOICES = (7, 30, 90)


def _staff(membership: Membership) -> Any:
    return User.objects.filter(
        memberships__agency_id=membership.agency_id,
        memberships__is_active=True,
        memberships__role__in=("caseworker", "team_lead"),
        is_active=True,
    ).order_by("last_name", "first_name")


def _teams(membership: Membership) -> Any:
    return Team.objects.filter(agency_id=membership.agency_id).order_by("name")


def _stale(request: HttpRequest, stale: StaleEditError, what: str) -> None:
    del stale  # the message names no fields: a task or appointment is short
    messages.error(
        request,
        _(
            "Someone else changed this task in the meantime. Nothing was saved: check it and "
            "try again."
        )
        if what == "task"
        else _(
            "Someone else changed this appointment in the meantime. Nothing was saved: check "
            "it and try again."
        ),
    )


def _shown(
    request: HttpRequest, membership: Membership, action: str, item: Any, **detail: Any
) -> None:
    audited_read(
        membership=membership,
        actor=current_user(request),
        action=action,
        target=item,
        items=[item],
        **detail,
    )


def _person_and_case(request: HttpRequest, membership: Membership) -> tuple[Person, Case | None]:
    """The person (``?person=`` Lotse ID) and, with ``?case=``, the family's case — both
    through the access core: what the member may not see is missing."""
    public_id = request.GET.get("person", "")
    person = persons_visible_to(membership).filter(public_id=public_id).first()
    if person is None:
        raise Http404
    case = None
    case_id = request.GET.get("case", "")
    if case_id:
        if not case_id.isdigit() or len(case_id) > 12:
            raise Http404
        case = cases_visible_to(membership).filter(pk=int(case_id)).first()
        if case is None:
            raise Http404
    else:
        households = HouseholdMember.objects.filter(person=person).values("household_id")
        case = cases_visible_to(membership).filter(household_id__in=households).first()
    return person, case


# --- tasks ---------------------------------------------------------------------------------


@require_GET
def task_list(request: HttpRequest) -> HttpResponse:
    membership = membership_with(request, Capability.READ_CASE_CONTENT)
    view = request.GET.get("view", selectors.TaskView.MINE)
    if view not in selectors.TaskView.ALL or (
        view == selectors.TaskView.TEAM and not membership.can(Capability.VIEW_TEAM_WORK)
    ):
        view = selectors.TaskView.MINE
    tasks = selectors.task_list(membership=membership, view=view)
    paging = Paging.of(request, total=tasks.count(), per_page=TASK_PAGE)
    page = list(tasks[paging.offset : paging.end])
    audited_read(
        membership=membership,
        actor=current_user(request),
        action=AuditAction.TASKS_LISTED,
        items=page,
        view=view,
    )
    views = [(selectors.TaskView.MINE, _("My open tasks"))]
    if membership.can(Capability.VIEW_TEAM_WORK):
        views.append((selectors.TaskView.TEAM, _("The team's open tasks")))
    views.append((selectors.TaskView.DONE, _("Done")))
    return render(
        request,
        "scheduling/task_list.html",
        {
            "tasks": page,
            "paging": paging,
            "view": view,
            "views": views,
            "today": timezone.localdate(),
        },
    )


@require_http_methods(["GET", "POST"])
def task_new(request: HttpRequest) -> HttpResponse:
    membership = membership_with(request, Capability.WRITE_CASE_CONTENT)
    person, case = _person_and_case(request, membership)
    form = TaskForm(
        request.POST or None,
        staff=_staff(membership),
        teams=_teams(membership),
        initial={"assignee": request.user.pk, "due_on": timezone.localdate() + timedelta(days=7)},
    )
    if request.method == "POST" and form.is_valid():
        try:
            task = services.task_create(
                membership=membership,
                actor=current_user(request),
                subject=person,
                case=case,
                title=form.cleaned_data["title"],
                due_on=form.cleaned_data["due_on"],
                note=form.cleaned_data["note"],
                assignee=form.cleaned_data["assignee"],
                team=form.cleaned_data["team"],
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("The task was saved."))
            return redirect("scheduling:task", pk=task.pk)
    return render(
        request,
        "scheduling/task_new.html",
        {"form": form, "person": person, "case": case, "summary": error_summary(form)},
        status=400 if form.is_bound and form.errors else 200,
    )


def _task_page(
    request: HttpRequest, membership: Membership, task: Task, **extra: Any
) -> HttpResponse:
    editable = may_change_task(membership, task)
    reassign = ReassignForm(
        staff=_staff(membership),
        teams=_teams(membership),
        initial={
            "assignee": task.assignee_id,
            "team": task.team_id,
            "due_on": task.due_on,
            "version": task.version,
        },
    )
    context = {
        "task": task,
        "editable": editable,
        "comments": list(task.comments.select_related("author")),
        "comment_form": CommentForm(),
        "reassign_form": reassign,
        "reason": task.rule.reason if task.rule else "",
        "today": timezone.localdate(),
        **extra,
    }
    status: int = extra.get("status", 200)
    return render(request, "scheduling/task_detail.html", context, status=status)


@require_GET
def task_detail(request: HttpRequest, pk: int) -> HttpResponse:
    membership = membership_with(request, Capability.READ_CASE_CONTENT)
    task = selectors.task_get(membership=membership, pk=pk)
    _shown(request, membership, AuditAction.TASK_VIEWED, task)
    return _task_page(request, membership, task)


def _changeable_task(request: HttpRequest, pk: int) -> tuple[Membership, Task]:
    """Seeing is not owning: what another agency may see but not change answers 404."""
    membership = membership_with(request, Capability.WRITE_CASE_CONTENT)
    task = selectors.task_get(membership=membership, pk=pk)
    return membership, _require(may_change_task(membership, task), task)


@require_POST
def task_complete(request: HttpRequest, pk: int) -> HttpResponse:
    membership, task = _changeable_task(request, pk)
    form = VersionForm(request.POST)
    if not form.is_valid():
        raise Http404
    step = request.POST.get("step", "done")
    try:
        if step == "reopen":
            services.task_reopen(
                membership=membership,
                actor=current_user(request),
                task=task,
                expected_version=form.cleaned_data["version"],
            )
        else:
            services.task_complete(
                membership=membership,
                actor=current_user(request),
                task=task,
                expected_version=form.cleaned_data["version"],
                cancelled=step == "cancel",
            )
    except StaleEditError as stale:
        _stale(request, stale, "task")
        return redirect("scheduling:task", pk=task.pk)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        return redirect("scheduling:task", pk=task.pk)
    messages.success(
        request, _("The task is open again.") if step == "reopen" else _("The task is closed.")
    )
    target = request.POST.get("next", "")
    if target == "start":
        return redirect("start")
    return redirect("scheduling:tasks") if step != "reopen" else redirect("scheduling:task", pk=pk)


@require_POST
def task_reassign(request: HttpRequest, pk: int) -> HttpResponse:
    membership, task = _changeable_task(request, pk)
    form = ReassignForm(request.POST, staff=_staff(membership), teams=_teams(membership))
    if form.is_valid():
        try:
            services.task_reassign(
                membership=membership,
                actor=current_user(request),
                task=task,
                assignee=form.cleaned_data["assignee"],
                team=form.cleaned_data["team"],
                due_on=form.cleaned_data["due_on"],
                expected_version=form.cleaned_data["version"],
            )
        except StaleEditError as stale:
            _stale(request, stale, "task")
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("The task was handed on."))
            return redirect("scheduling:task", pk=task.pk)
    return _task_page(
        request,
        membership,
        selectors.task_get(membership=membership, pk=pk),
        reassign_form=form,
        summary=error_summary(form),
        status=400,
    )


@require_POST
def task_comment(request: HttpRequest, pk: int) -> HttpResponse:
    membership, task = _changeable_task(request, pk)
    form = CommentForm(request.POST)
    if form.is_valid():
        try:
            services.task_comment(
                membership=membership,
                actor=current_user(request),
                task=task,
                text=form.cleaned_data["text"],
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            return redirect("scheduling:task", pk=task.pk)
    return _task_page(
        request, membership, task, comment_form=form, summary=error_summary(form), status=400
    )


# --- appointments ---------------------------------------------------------------------------


@require_GET
def appointment_list(request: HttpRequest) -> HttpResponse:
    membership = membership_with(request, Capability.READ_CASE_CONTENT)
    today = timezone.localdate()
    mine = request.GET.get("all") != "1"
    appointments = list(
        selectors.appointment_list(
            membership=membership, start=today, end=today + timedelta(days=27), mine=mine
        )[:200]
    )
    audited_read(
        membership=membership,
        actor=current_user(request),
        action=AuditAction.APPOINTMENTS_LISTED,
        items=appointments,
        mine=mine,
    )
    return render(
        request,
        "scheduling/appointment_list.html",
        {"appointments": appointments, "mine": mine, "today": today},
    )


def _participating_agencies(membership: Membership, case: Case | None) -> Any:
    if case is None:
        return Agency.objects.none()
    ids = CaseParticipant.objects.filter(case=case, left_on__isnull=True).values("agency_id")
    return Agency.objects.filter(pk__in=ids).exclude(pk=membership.agency_id).order_by("name")


def _family(membership: Membership, person: Person, case: Case | None) -> Any:
    """Whom the appointment form offers to take part besides the person."""
    return (
        services.family_members(membership, person, case)
        .exclude(pk=person.pk)
        .order_by("family_name", "given_names", "pk")
    )


def _family_languages(membership: Membership, person: Person) -> list[str]:
    return list(
        languages_visible_to(membership)
        .filter(person=person)
        .exclude(language__in=("de", "deu"))
        .values_list("language", flat=True)
    )


@require_http_methods(["GET", "POST"])
def appointment_new(request: HttpRequest) -> HttpResponse:
    membership = membership_with(request, Capability.WRITE_CASE_CONTENT)
    person, case = _person_and_case(request, membership)
    actor = current_user(request)
    form = AppointmentForm(
        request.POST or None,
        agencies=_participating_agencies(membership, case),
        staff=_staff(membership),
        languages=_family_languages(membership, person),
        family=_family(membership, person, case),
        initial={"day": timezone.localdate() + timedelta(days=1)},
    )
    conflicts: list[Appointment] = []
    if request.method == "POST" and form.is_valid():
        starts_at, ends_at = form.when()
        staff = list(form.cleaned_data["staff"]) or [actor]
        # An end before the start is the service's to name, not a list of overlaps.
        conflicts = (
            []
            if ends_at <= starts_at
            else services.appointment_conflicts(
                membership=membership,
                starts_at=starts_at,
                ends_at=ends_at,
                subject_id=person.pk,
                staff_ids=[user.pk for user in staff],
                participant_ids=[p.pk for p in form.cleaned_data.get("participants") or []],
            )
        )
        if not conflicts or request.POST.get("despite_conflicts") == "1":
            try:
                appointment = services.appointment_create(
                    membership=membership,
                    actor=actor,
                    subject=person,
                    case=case,
                    data=services.AppointmentData(
                        starts_at=starts_at,
                        ends_at=ends_at,
                        purpose=form.cleaned_data["purpose"],
                        place=form.cleaned_data["place"],
                        video_link=form.cleaned_data["video_link"],
                        category=form.cleaned_data["category"],
                        interpreter_language=form.cleaned_data["interpreter_language"],
                        interpreter=form.cleaned_data["interpreter"] or "",
                        agencies=list(form.cleaned_data["agencies"]),
                        staff=staff,
                        participants=list(form.cleaned_data.get("participants") or []),
                    ),
                )
            except ValidationError as error:
                _on_form(form, error)
            else:
                messages.success(request, _("The appointment was saved."))
                return redirect("scheduling:appointment", pk=appointment.pk)
    return render(
        request,
        "scheduling/appointment_new.html",
        {
            "form": form,
            "person": person,
            "case": case,
            "conflicts": conflicts,
            "summary": error_summary(form),
        },
        status=400 if form.is_bound and (form.errors or conflicts) else 200,
    )


def _appointment_page(
    request: HttpRequest, membership: Membership, appointment: Appointment, **extra: Any
) -> HttpResponse:
    editable = may_change_appointment(membership, appointment)
    local = timezone.localtime(appointment.starts_at)
    participants = extra.pop("participants", None)
    if participants is None:
        participants = _participants(membership, appointment)
    participants_form = extra.pop("participants_form", None)
    if participants_form is None and editable and not appointment.is_cancelled:
        participants_form = ParticipantsForm(
            family=_family(membership, appointment.subject, appointment.case),
            initial={
                "participants": [p.pk for p in participants if p.pk != appointment.subject_id],
                "version": appointment.version,
            },
        )
    if participants_form is not None and "participants" not in participants_form.fields:
        participants_form = None  # nobody else in the household to choose
    context = {
        "appointment": appointment,
        "participants": participants,
        "participants_form": participants_form,
        "editable": editable and appointment.status == AppointmentStatus.PLANNED,
        "agencies": list(
            Agency.objects.filter(
                pk__in=appointment_agency_ids(appointment) | {appointment.owner_agency_id}
            ).order_by("name")
        ),
        "staff": list(appointment.staff.order_by("last_name")),
        "person_visible": persons_visible_to(membership).filter(pk=appointment.subject_id).exists(),
        "interpreter_language": language_name(appointment.interpreter_language)
        if appointment.interpreter_language
        else "",
        "invitation_languages": _invitation_languages(membership, appointment),
        "reschedule_form": RescheduleForm(
            initial={
                "day": local.date(),
                "starts": local.time(),
                "ends": timezone.localtime(appointment.ends_at).time(),
                "place": appointment.place,
                "video_link": appointment.video_link,
                "version": appointment.version,
            }
        ),
        "close_form": CloseForm(initial={"version": appointment.version}),
        **extra,
    }
    status: int = extra.get("status", 200)
    return render(request, "scheduling/appointment_detail.html", context, status=status)


def _participants(membership: Membership, appointment: Appointment) -> list[Person]:
    return selectors.appointment_participants(membership=membership, appointments=[appointment])[
        appointment.pk
    ]


def appointment_agency_ids(appointment: Appointment) -> set[int]:
    return set(appointment.agencies.values_list("pk", flat=True))


def _invitation_languages(membership: Membership, appointment: Appointment) -> list[Any]:
    codes = [appointment.interpreter_language] if appointment.interpreter_language else []
    codes += _family_languages(membership, appointment.subject)
    return [
        (code, language_name(code))
        for code in dict.fromkeys(codes)
        if code and code not in ("de", "deu")  # German is always printed
    ]


@require_GET
def appointment_detail(request: HttpRequest, pk: int) -> HttpResponse:
    membership = membership_with(request, Capability.READ_CASE_CONTENT)
    appointment = selectors.appointment_get(membership=membership, pk=pk)
    participants = _participants(membership, appointment)
    _shown(
        request,
        membership,
        AuditAction.APPOINTMENT_VIEWED,
        appointment,
        subjects=[person.pk for person in participants],
    )
    return _appointment_page(request, membership, appointment, participants=participants)


def _changeable_appointment(request: HttpRequest, pk: int) -> tuple[Membership, Appointment]:
    membership = membership_with(request, Capability.WRITE_CASE_CONTENT)
    appointment = selectors.appointment_get(membership=membership, pk=pk)
    return membership, _require(may_change_appointment(membership, appointment), appointment)


def _require(allowed: bool, item: _Item) -> _Item:
    if not allowed:
        raise Http404
    return item


#: The services name an appointment's times as the model does; the forms ask for a day with
#: "from" and "until".
_APPOINTMENT_FIELDS = {"starts_at": "starts", "ends_at": "ends"}


def _on_form(form: Form, error: ValidationError) -> None:
    """A service's refusal at the form's own fields (and so in the error summary)."""
    if hasattr(error, "error_dict"):
        error = ValidationError(
            {_APPOINTMENT_FIELDS.get(key, key): items for key, items in error.error_dict.items()}
        )
    apply_service_errors(form, error)


#: Builds an appointment page's form from what was sent, for the appointment as it is.
_MakeForm = Callable[[QueryDict, Membership, Appointment], Form]
#: Saves through the service; returns what to show instead of saving (e.g. overlaps), or None.
_Save = Callable[[Membership, Appointment, Any], dict[str, Any] | None]


def _appointment_step(
    request: HttpRequest,
    pk: int,
    *,
    form_name: str | None,
    make: _MakeForm,
    save: _Save,
    success: str,
) -> HttpResponse:
    """One change of an appointment from its page, answered alike for every change.

    Saved: back to the page. Refused by a rule: the page with the input and the message at
    its field (400). Someone else saved since the page was opened: nothing is written, the
    page shows the appointment as it is now, with the input kept but based on the current
    version, so that saving again overwrites knowingly (409). A step whose form is not on
    the page (``form_name`` None: a button) answers a hand-made post with 404 and a refusal
    with a message after the redirect."""
    membership, appointment = _changeable_appointment(request, pk)
    form = make(request.POST, membership, appointment)

    def again(**extra: Any) -> HttpResponse:
        shown = {form_name: form} if form_name else {}
        return _appointment_page(request, membership, appointment, **shown, **extra, status=400)

    if not form.is_valid():
        if form_name is None:
            raise Http404
        return again(summary=error_summary(form))
    try:
        held = save(membership, appointment, form)
    except StaleEditError as stale:
        _stale(request, stale, "appointment")
        current = selectors.appointment_get(membership=membership, pk=pk)
        extra: dict[str, Any] = {}
        if form_name is not None:
            data = request.POST.copy()
            data["version"] = str(current.version)
            rebased = make(data, membership, current)
            rebased.is_valid()
            extra[form_name] = rebased
        return _appointment_page(request, membership, current, **extra, status=409)
    except ValidationError as error:
        if form_name is None:
            for message in error.messages:
                messages.error(request, message)
            return redirect("scheduling:appointment", pk=pk)
        _on_form(form, error)
        return again(summary=error_summary(form))
    if held:
        return again(**held)
    messages.success(request, success)
    return redirect("scheduling:appointment", pk=pk)


def _reschedule_form(data: QueryDict, membership: Membership, appointment: Appointment) -> Form:
    return RescheduleForm(data)


def _reschedule(
    request: HttpRequest, membership: Membership, appointment: Appointment, form: RescheduleForm
) -> dict[str, Any] | None:
    starts_at, ends_at = form.when()
    if request.POST.get("despite_conflicts") != "1" and ends_at > starts_at:
        conflicts = services.appointment_conflicts(
            membership=membership,
            starts_at=starts_at,
            ends_at=ends_at,
            subject_id=appointment.subject_id,
            staff_ids=list(appointment.staff.values_list("pk", flat=True)),
            participant_ids=[p.pk for p in _participants(membership, appointment)],
            exclude=appointment.pk,
        )
        if conflicts:
            return {"conflicts": conflicts}
    services.appointment_reschedule(
        membership=membership,
        actor=current_user(request),
        appointment=appointment,
        starts_at=starts_at,
        ends_at=ends_at,
        place=form.cleaned_data["place"],
        video_link=form.cleaned_data["video_link"],
        expected_version=form.cleaned_data["version"],
    )
    return None


@require_POST
def appointment_reschedule(request: HttpRequest, pk: int) -> HttpResponse:
    return _appointment_step(
        request,
        pk,
        form_name="reschedule_form",
        make=_reschedule_form,
        save=partial(_reschedule, request),
        success=_("The appointment was moved."),
    )


def _close_form(data: QueryDict, membership: Membership, appointment: Appointment) -> Form:
    return CloseForm(data)


@require_POST
def appointment_close(request: HttpRequest, pk: int) -> HttpResponse:
    def save(membership: Membership, appointment: Appointment, form: CloseForm) -> None:
        services.appointment_close(
            membership=membership,
            actor=current_user(request),
            appointment=appointment,
            status=form.cleaned_data["status"],
            text=form.cleaned_data["text"],
            expected_version=form.cleaned_data["version"],
        )

    return _appointment_step(
        request,
        pk,
        form_name="close_form",
        make=_close_form,
        save=save,
        success=_("The appointment was updated."),
    )


def _participants_form(data: QueryDict, membership: Membership, appointment: Appointment) -> Form:
    return ParticipantsForm(data, family=_family(membership, appointment.subject, appointment.case))


@require_POST
def appointment_participants(request: HttpRequest, pk: int) -> HttpResponse:
    def save(membership: Membership, appointment: Appointment, form: ParticipantsForm) -> None:
        services.appointment_participants_set(
            membership=membership,
            actor=current_user(request),
            appointment=appointment,
            participants=list(form.cleaned_data.get("participants") or []),
            expected_version=form.cleaned_data["version"],
        )

    return _appointment_step(
        request,
        pk,
        form_name="participants_form",
        make=_participants_form,
        save=save,
        success=_("Who takes part was saved."),
    )


def _version_form(data: QueryDict, membership: Membership, appointment: Appointment) -> Form:
    return VersionForm(data)


@require_POST
def appointment_interpreter(request: HttpRequest, pk: int) -> HttpResponse:
    def save(membership: Membership, appointment: Appointment, form: VersionForm) -> None:
        services.appointment_interpreter_booked(
            membership=membership,
            actor=current_user(request),
            appointment=appointment,
            expected_version=form.cleaned_data["version"],
        )

    return _appointment_step(
        request,
        pk,
        form_name=None,
        make=_version_form,
        save=save,
        success=_("The interpreter is booked."),
    )


@require_GET
def appointment_ics(request: HttpRequest, pk: int) -> HttpResponse:
    membership = membership_with(request, Capability.READ_CASE_CONTENT)
    appointment = selectors.appointment_get(membership=membership, pk=pk)
    _shown(request, membership, AuditAction.APPOINTMENT_VIEWED, appointment, format="ics")
    response = HttpResponse(
        calendar.appointment_ics(appointment, base_url=request.build_absolute_uri("/")),
        content_type=calendar.CONTENT_TYPE,
    )
    response["Content-Disposition"] = f'attachment; filename="termin-{appointment.pk}.ics"'
    return response


@require_GET
def appointment_invitation(request: HttpRequest, pk: int) -> HttpResponse:
    """A printable invitation for the family: German and, beside it, the family's language."""
    membership = membership_with(request, Capability.READ_CASE_CONTENT)
    appointment = selectors.appointment_get(membership=membership, pk=pk)
    if not persons_visible_to(membership).filter(pk=appointment.subject_id).exists():
        raise Http404
    offered = dict(_invitation_languages(membership, appointment))
    language = request.GET.get("language", "")
    if language and language not in offered:
        raise Http404
    participants = _participants(membership, appointment)
    _shown(
        request,
        membership,
        AuditAction.APPOINTMENT_VIEWED,
        appointment,
        subjects=[person.pk for person in participants],
        format="invitation",
        language=language,
    )
    names = [person.full_name for person in participants]
    contact = selectors.invitation_contact(appointment)
    versions = [_invitation_text(appointment, "de", names, contact)]
    if language and language != "de":
        versions.append(_invitation_text(appointment, language, names, contact))
    return render(
        request,
        "scheduling/invitation.html",
        {"appointment": appointment, "versions": versions},
    )


def _isolated(text: str) -> SafeString:
    """Names, places and agencies keep their own direction inside a right-to-left letter."""
    return format_html("<bdi>{}</bdi>", text)


def _invitation_text(
    appointment: Appointment, language: str, names: list[str], contact: tuple[str, str]
) -> dict[str, Any]:
    """The invitation's sentences in ``language`` (German where Lotse has none for it) and
    the date and time as that language writes them; with family members taking part, the
    names of those the reader may see. Whom to call is named with the number when one is
    recorded; without one the letter asks to be told, not to call."""
    texts = texts_for(language)
    who, phone = contact
    agency = _isolated(", ".join(part for part in (appointment.owner_agency.name, who) if part))
    if phone:
        cannot = format_html(
            conditional_escape(texts.cannot),
            agency=agency,
            phone=format_html('<bdi dir="ltr">{}</bdi>', phone),
        )
    else:
        cannot = format_html(conditional_escape(texts.cannot_no_phone), agency=agency)
    separator = calendar.list_separator(language)
    interpreter = ""
    if appointment.interpreter == InterpreterState.BOOKED:
        interpreter = texts.interpreter
    elif appointment.interpreter == InterpreterState.NEEDED:
        interpreter = texts.interpreter_sought
    return {
        "language": language,
        "name": language_name(language),
        "rtl": language in calendar.RTL_LANGUAGES,
        "texts": texts,
        "dear": format_html(
            conditional_escape(texts.dear), name=_isolated(appointment.subject.full_name)
        ),
        "cannot": cannot,
        "together": format_html(
            conditional_escape(texts.together),
            names=format_html_join(separator, "<bdi>{}</bdi>", ((name,) for name in names)),
        )
        if len(names) > 1
        else "",
        "when": calendar.written_out(appointment.starts_at, appointment.ends_at, language),
        "separator": separator,
        "interpreter": interpreter,
        "place": _isolated(appointment.place or appointment.video_link),
        "purpose": _isolated(appointment.purpose),
    }


# --- deadlines ------------------------------------------------------------------------------


@require_GET
def deadline_list(request: HttpRequest) -> HttpResponse:
    membership = membership_with(request, Capability.READ_CASE_CONTENT)
    try:
        within = int(request.GET.get("within", "30"))
    except ValueError:
        within = 30
    if within not in WITHIN_CHOICES:
        within = 30
    mine = request.GET.get("all") != "1"
    rows = selectors.deadline_list(membership=membership, within_days=within, mine=mine)
    _audit_deadlines(request, membership, rows)
    return render(
        request,
        "scheduling/deadlines.html",
        {
            "rows": rows,
            "within": within,
            "choices": WITHIN_CHOICES,
            "mine": mine,
            "today": timezone.localdate(),
        },
    )


def _audit_deadlines(
    request: HttpRequest, membership: Membership, rows: list[selectors.DeadlineRow]
) -> None:
    audited_read(
        membership=membership,
        actor=current_user(request),
        action=AuditAction.DEADLINES_LISTED,
        subjects=[row.deadline.subject_id for row in rows],
        count=len(rows),
    )


# --- calendar address -----------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def calendar_settings(request: HttpRequest) -> HttpResponse:
    membership = membership_with(request, Capability.READ_CASE_CONTENT)
    actor = current_user(request)
    address = ""
    if request.method == "POST":
        step = request.POST.get("step")
        if step in ("reminders_on", "reminders_off"):
            services.reminders_subscribe(
                membership=membership, actor=actor, on=step == "reminders_on"
            )
            messages.success(
                request,
                _("You will get the daily e-mail.")
                if step == "reminders_on"
                else _("The daily e-mail is switched off."),
            )
            return redirect("scheduling:calendar")
        if step == "revoke":
            services.calendar_feed_revoke(membership=membership, actor=actor)
            messages.success(request, _("The calendar address no longer works."))
            return redirect("scheduling:calendar")
        token = services.calendar_feed_create(membership=membership, actor=actor)
        # built here once: the token is never stored
        address = request.build_absolute_uri(
            reverse("scheduling:calendar_feed", kwargs={"token": token})
        )
    active = CalendarFeed.objects.filter(user=actor, revoked_at__isnull=True).first()
    return render(
        request,
        "scheduling/calendar.html",
        {
            "address": address,
            "active": active,
            "reminders": ReminderSubscription.objects.filter(user=actor).exists(),
            "email": actor.email,
        },
    )


@login_not_required
@require_GET
def calendar_feed(request: HttpRequest, token: str) -> HttpResponse:
    """The calendar program's view: the secret address is the only credential; it answers
    404 once revoked, and for a user who no longer does case work."""
    if len(token) > 100:
        raise Http404
    feed = CalendarFeed.objects.filter(
        token_hash=feed_token_hash(token), revoked_at__isnull=True
    ).first()
    membership = working_membership(feed.user_id, feed.agency_id) if feed else None
    if feed is None or membership is None:
        raise Http404
    today = timezone.localdate()
    appointments = list(
        selectors.appointment_list(
            membership=membership, start=today - timedelta(days=30), end=today + timedelta(days=180)
        )
    )
    tasks = list(selectors.task_list(membership=membership)[:500])
    CalendarFeed.objects.filter(pk=feed.pk).update(last_used_at=timezone.now())
    record(
        action=AuditAction.CALENDAR_FEED_READ,
        actor=membership.user,
        agency=membership.agency,
        detail={"appointments": len(appointments), "tasks": len(tasks)},
    )
    response = HttpResponse(
        calendar.feed_ics(
            appointments=appointments,
            tasks=tasks,
            # the host the calendar program asked (checked against ALLOWED_HOSTS), as the
            # calendar address itself was built
            base_url=request.build_absolute_uri("/"),
        ),
        content_type=calendar.CONTENT_TYPE,
    )
    response["Cache-Control"] = "private, no-store"
    return response


# --- start page -----------------------------------------------------------------------------

START_ITEMS = 8
#: The start card's deadlines: those the law sets (follow-ups agreed in talks are on the
#: deadlines page and in "My families").
LEGAL_DEADLINES = frozenset(DeadlineKind.values) - {DeadlineKind.FOLLOW_UP}


def start_daily_work(*, request: HttpRequest, membership: Membership) -> SafeString | None:
    """Today's appointments, my tasks due in the next week or overdue, the deadlines of the
    next 30 days — one audited read for the three."""
    if not membership.can(Capability.READ_CASE_CONTENT):
        return None
    today = timezone.localdate()
    appointments = selectors.appointments_today(membership=membership, today=today)
    tasks, task_count = head_and_count(
        selectors.task_list(membership=membership, due_before=today + timedelta(days=7)),
        START_ITEMS,
    )
    # The legal deadlines; follow-ups agreed in talks are on the deadlines page.
    deadlines = selectors.deadline_list(
        membership=membership, within_days=30, today=today, kinds=LEGAL_DEADLINES
    )
    team_overdue = None
    if membership.can(Capability.VIEW_TEAM_WORK):
        # a count for the team, never per person (staff-council safe)
        team_overdue = (
            selectors.task_list(membership=membership, view=selectors.TaskView.TEAM)
            .filter(due_on__lt=today)
            .count()
        )
    audited_read(
        membership=membership,
        actor=current_user(request),
        action=AuditAction.TASKS_LISTED,
        items=[*appointments, *tasks],
        subjects=[row.deadline.subject_id for row in deadlines if not row.overdue][:START_ITEMS],
        section="start",
    )
    return render_to_string(
        "scheduling/_start.html",
        {
            "appointments": appointments,
            "tasks": tasks,
            "task_count": task_count,
            # what is coming first; the passed ones (open hand-overs, late answers) as a count
            "deadlines": [row for row in deadlines if not row.overdue][:START_ITEMS],
            "deadline_count": len(deadlines),
            "deadlines_passed": sum(1 for row in deadlines if row.overdue),
            "today": today,
            "writer": membership.can(Capability.WRITE_CASE_CONTENT),
            "team_overdue": team_overdue,
        },
        request=request,
    )
