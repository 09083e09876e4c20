"""Who sees tasks and appointments.

A task is the agency's own working note: only its own agency sees it, and there the policy's
need-to-know (the staff assigned to the family's case, the author), plus whoever it is
assigned to. No consent or legal basis opens another agency's tasks — a consent releases the
data the agency collected, not its to-do list.

An appointment is shown to the agency that made it (under need-to-know) and to the agencies
taking part in it — to those only under the person's consent or legal basis for the
appointment's category and a purpose that covers case work. Taking part opens nothing by
itself: without a basis the appointment is missing (404) for them.
"""

from __future__ import annotations

from django.db.models import Exists, OuterRef, Q, QuerySet

from lotse.accounts.models import Membership
from lotse.accounts.roles import Capability
from lotse.consent import policy

from .models import Appointment, AppointmentAgency, Task


def may_work(membership: Membership | None) -> bool:
    return membership is not None and membership.can(Capability.READ_CASE_CONTENT)


def working_membership(user_id: int, agency_id: int) -> Membership | None:
    """The user's active membership of the agency if it does case work — for what runs
    without a request (the calendar feed, the e-mail digest)."""
    membership = (
        Membership.objects.filter(user_id=user_id, agency_id=agency_id, is_active=True)
        .select_related("agency", "team", "user")
        .first()
    )
    if membership is None or not membership.user.is_active or not may_work(membership):
        return None
    return membership


def tasks_visible_to(membership: Membership | None) -> QuerySet[Task]:
    if membership is None or not may_work(membership):
        return Task.objects.none()
    return Task.objects.filter(
        Q(owner_agency_id=membership.agency_id)
        & (policy.visible_q(membership, Task) | Q(assignee_id=membership.user_id))
    )


def appointments_visible_to(membership: Membership | None) -> QuerySet[Appointment]:
    if membership is None or not may_work(membership):
        return Appointment.objects.none()
    taking_part = Exists(
        AppointmentAgency.objects.filter(
            appointment_id=OuterRef("pk"), agency_id=membership.agency_id
        )
    )
    return Appointment.objects.filter(
        policy.visible_q(membership, Appointment)
        & (Q(owner_agency_id=membership.agency_id) | Q(taking_part))
    )


def may_change_task(membership: Membership, task: Task) -> bool:
    """Seeing is not owning: only the own agency's caseworkers change its tasks."""
    return task.owner_agency_id == membership.agency_id and membership.can(
        Capability.WRITE_CASE_CONTENT
    )


def may_change_appointment(membership: Membership, appointment: Appointment) -> bool:
    """The agency that made the appointment reschedules, cancels and records the outcome."""
    return appointment.owner_agency_id == membership.agency_id and membership.can(
        Capability.WRITE_CASE_CONTENT
    )
