"""Access scopes of case work; every read of content goes through the consent policy.

A case (the container: lead, phase, participants and whom to call) is shown to the agencies
that take part in it; in an agency that limits its content to the assigned staff
(``Agency.need_to_know``, § 35 SGB I) only to the caseworkers assigned to the case and the
team lead of their team. What the case says about a person is a compartmented item, shown
only by the policy — a participant sees a goal only under that person's basis.
"""

from __future__ import annotations

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from lotse.accounts.models import Membership
from lotse.accounts.roles import Capability
from lotse.consent import policy
from lotse.people.models import HouseholdMember

from .models import Case, CaseAssignment, CaseHandover, CaseParticipant, JournalEntry


def journal_entries_visible_to(membership: Membership | None) -> QuerySet[JournalEntry]:
    return JournalEntry.objects.filter(policy.visible_q(membership, JournalEntry))


def _active_on_q(prefix: str = "") -> Q:
    today = timezone.localdate()
    return Q(**{f"{prefix}valid_from__lte": today}) & (
        Q(**{f"{prefix}valid_until__isnull": True}) | Q(**{f"{prefix}valid_until__gte": today})
    )


def active_assignments() -> QuerySet[CaseAssignment]:
    return CaseAssignment.objects.filter(_active_on_q())


def assigned_cases(membership: Membership) -> QuerySet[Case]:
    """The cases the member works on: their own assignments; for a team lead also the cases of
    their team and the agency's cases nobody is assigned to yet (so that they can assign them),
    or every case of the agency when they lead no named team."""
    mine = active_assignments().filter(user_id=membership.user_id, agency_id=membership.agency_id)
    scope = Q(pk__in=mine.values("case_id"))
    if membership.can(Capability.VIEW_TEAM_WORK):
        participating = CaseParticipant.objects.filter(
            agency_id=membership.agency_id, left_on__isnull=True
        )
        if membership.team_id is None:
            scope |= Q(pk__in=participating.values("case_id"))
        else:
            team = active_assignments().filter(
                agency_id=membership.agency_id,
                user__memberships__agency_id=membership.agency_id,
                user__memberships__team_id=membership.team_id,
                user__memberships__is_active=True,
            )
            nobody = participating.exclude(
                Exists(
                    active_assignments().filter(
                        case_id=OuterRef("case_id"), agency_id=membership.agency_id
                    )
                )
            )
            scope |= Q(pk__in=team.values("case_id")) | Q(pk__in=nobody.values("case_id"))
    return Case.objects.filter(scope)


def assigned_persons(membership: Membership) -> QuerySet[HouseholdMember]:
    """The need-to-know scope the policy asks for: members of the member's cases' households."""
    households = assigned_cases(membership).values("household_id")
    return HouseholdMember.objects.filter(household_id__in=households)


def _participating(membership: Membership) -> Q:
    return Q(
        Exists(
            CaseParticipant.objects.filter(
                case_id=OuterRef("pk"), agency_id=membership.agency_id, left_on__isnull=True
            )
        )
    )


def cases_visible_to(membership: Membership | None) -> QuerySet[Case]:
    """Cases the member may open: their agency takes part (and, under need-to-know, they are
    assigned or lead the team). Closed cases stay visible to the same people."""
    if membership is None or not membership.can(Capability.READ_CASE_CONTENT):
        return Case.objects.none()
    cases = Case.objects.filter(_participating(membership))
    if membership.agency.need_to_know:
        mine = Q(pk__in=assigned_cases(membership).values("pk"))
        if membership.can(Capability.VIEW_TEAM_WORK):
            # A case proposed to the agency for hand-over: its team leads open the case page to
            # accept or decline, whether or not their team works on it yet.
            mine |= Q(pk__in=handovers_to(membership).values("case_id"))
        cases = cases.filter(mine)
    return cases


def handovers_to(membership: Membership) -> QuerySet[CaseHandover]:
    """The open hand-overs proposed to the member's agency."""
    return CaseHandover.objects.filter(
        to_agency_id=membership.agency_id, state=CaseHandover.State.PROPOSED
    )


def require_visible_case(membership: Membership | None, pk: int) -> Case:
    case = cases_visible_to(membership).select_related("household").filter(pk=pk).first()
    if case is None:
        raise Http404
    return case


def leads(membership: Membership, case: Case) -> bool:
    """Only the lead agency steers the case: phase, participants, assignments."""
    return case.lead_agency_id == membership.agency_id and membership.can(
        Capability.WRITE_CASE_CONTENT
    )
