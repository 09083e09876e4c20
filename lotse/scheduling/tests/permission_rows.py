"""Matrix rows of daily work (see tests/test_permission_matrix.py).

``World.task``: a task of the owning agency — never seen by another agency, whatever basis it
has. ``World.appointment``: an appointment of the owning agency about work; in the foreign
cases the acting agency takes part, and sees it under the person's consent or legal basis for
work, not at all without one. Only the agency that made either changes it.
"""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from tests.matrix import OWN, OWNERS, VISIBLE, World, api_expect, api_op, expect, page


def _task(world: World) -> dict[str, Any]:
    return {"pk": world.task.pk}


def _appointment(world: World) -> dict[str, Any]:
    return {"pk": world.appointment.pk}


def _person(world: World) -> str:
    return f"person={world.person.public_id}"


def _feed_token(world: World) -> dict[str, Any]:
    """The acting user's own calendar address; a made-up one for visitors and for roles
    without case work (their membership may not hold a feed that shows anything)."""
    from lotse.accounts.tests.factories import acting
    from lotse.scheduling.services import calendar_feed_create

    if world.user is None:
        return {"token": "x" * 43}
    return {"token": calendar_feed_create(membership=acting(world.user), actor=world.user)}


def _version(obj: Any) -> dict[str, Any]:
    return {"version": obj.version}


TODAY = timezone.localdate


PAGES = {
    "scheduling:tasks": page("scheduling:tasks", expect=expect(owners=OWNERS)),
    "scheduling:task": page("scheduling:task", expect=expect(owners=[OWN]), kwargs=_task),
    "scheduling:task_new": page(
        "scheduling:task_new", expect=expect(owners=VISIBLE), query=_person
    ),
    "scheduling:task_new POST": page(
        "scheduling:task_new",
        method="POST",
        expect=expect(ok=302, owners=VISIBLE),
        query=_person,
        data=lambda world: {"title": "Rückruf", "due_on": TODAY().isoformat()},
    ),
    "scheduling:task_complete": page(
        "scheduling:task_complete",
        method="POST",
        expect=expect(ok=302, owners=[OWN]),
        kwargs=_task,
        data=lambda world: _version(world.task),
    ),
    "scheduling:task_reassign": page(
        "scheduling:task_reassign",
        method="POST",
        expect=expect(ok=302, owners=[OWN]),
        kwargs=_task,
        data=lambda world: {
            **_version(world.task),
            "assignee": world.own_caseworker.pk,
            "due_on": TODAY().isoformat(),
        },
    ),
    "scheduling:task_comment": page(
        "scheduling:task_comment",
        method="POST",
        expect=expect(ok=302, owners=[OWN]),
        kwargs=_task,
        data=lambda world: {"text": "Angerufen, niemand erreicht."},
    ),
    "scheduling:appointments": page("scheduling:appointments", expect=expect(owners=OWNERS)),
    "scheduling:appointment": page(
        "scheduling:appointment", expect=expect(owners=VISIBLE), kwargs=_appointment
    ),
    "scheduling:appointment_ics": page(
        "scheduling:appointment_ics", expect=expect(owners=VISIBLE), kwargs=_appointment
    ),
    "scheduling:appointment_invitation": page(
        "scheduling:appointment_invitation", expect=expect(owners=VISIBLE), kwargs=_appointment
    ),
    "scheduling:appointment_new": page(
        "scheduling:appointment_new", expect=expect(owners=VISIBLE), query=_person
    ),
    "scheduling:appointment_new POST": page(
        "scheduling:appointment_new",
        method="POST",
        expect=expect(ok=302, owners=VISIBLE),
        query=_person,
        data=lambda world: {
            "day": TODAY().isoformat(),
            "starts": "14:00",
            "ends": "15:00",
            "place": "Neumarkt 10",
            "purpose": "Gespräch",
            "category": "case_plan",
        },
    ),
    "scheduling:appointment_reschedule": page(
        "scheduling:appointment_reschedule",
        method="POST",
        expect=expect(ok=302, owners=[OWN]),
        kwargs=_appointment,
        data=lambda world: {
            **_version(world.appointment),
            "day": TODAY().isoformat(),
            "starts": "11:00",
            "ends": "12:00",
            "place": "Neumarkt 10",
        },
    ),
    "scheduling:appointment_close": page(
        "scheduling:appointment_close",
        method="POST",
        expect=expect(ok=302, owners=[OWN]),
        kwargs=_appointment,
        data=lambda world: {
            **_version(world.appointment),
            "status": "held",
            "text": "Unterlagen vollständig.",
        },
    ),
    # Who of the family takes part: the person alone (nobody else ticked) is always valid.
    "scheduling:appointment_participants": page(
        "scheduling:appointment_participants",
        method="POST",
        expect=expect(ok=302, owners=[OWN]),
        kwargs=_appointment,
        data=lambda world: _version(world.appointment),
    ),
    # Needs no interpreter: the step is refused with a message, still a redirect.
    "scheduling:appointment_interpreter": page(
        "scheduling:appointment_interpreter",
        method="POST",
        expect=expect(ok=302, owners=[OWN]),
        kwargs=_appointment,
        data=lambda world: _version(world.appointment),
    ),
    "scheduling:deadlines": page("scheduling:deadlines", expect=expect(owners=OWNERS)),
    "scheduling:calendar": page("scheduling:calendar", expect=expect(owners=OWNERS)),
    "scheduling:calendar POST": page(
        "scheduling:calendar",
        method="POST",
        expect=expect(ok=302, owners=OWNERS),
        data=lambda world: {"step": "revoke"},
    ),
    # The secret address is the credential: it works for a user who does case work.
    "scheduling:calendar_feed": page(
        "scheduling:calendar_feed",
        expect=expect(owners=OWNERS, anonymous=404),
        kwargs=_feed_token,
    ),
}

API = {
    "GET /api/v1/appointments": api_op("/api/v1/appointments", expect=api_expect(owners=OWNERS)),
    "GET /api/v1/tasks": api_op("/api/v1/tasks", expect=api_expect(owners=OWNERS)),
    "POST /api/v1/tasks/{id}/complete": api_op(
        "/api/v1/tasks/{id}/complete",
        method="POST",
        expect=api_expect(owners=[OWN]),
        path_args=lambda world: {"id": world.task.pk},
        data=lambda world: _version(world.task),
    ),
    "GET /api/v1/deadlines": api_op("/api/v1/deadlines", expect=api_expect(owners=OWNERS)),
}
