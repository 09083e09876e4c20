"""The person page's section of daily work: open tasks and coming appointments, with the
links to add either (registered with ``people.panels``)."""

from __future__ import annotations

from django.http import HttpRequest

from lotse.accounts.models import Membership
from lotse.accounts.roles import Capability
from lotse.people.models import Person
from lotse.people.panels import Panel

from .access import may_work
from .selectors import person_appointments, person_tasks


def person_work_panel(
    *, request: HttpRequest, membership: Membership, person: Person
) -> Panel | None:
    if not may_work(membership):
        return None
    tasks = person_tasks(membership=membership, person=person)
    appointments = person_appointments(membership=membership, person=person)
    return Panel(
        template="scheduling/_person_panel.html",
        context={
            "person": person,
            "tasks": tasks,
            "appointments": appointments,
            "writer": membership.can(Capability.WRITE_CASE_CONTENT),
        },
        items=[*tasks, *appointments],
        detail={"tasks": len(tasks), "appointments": len(appointments)},
    )
