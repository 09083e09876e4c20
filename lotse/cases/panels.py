"""The case on the person and household pages: phase, lead and whom to call at each agency;
and the registry of sections other apps add to the case page.

Providers for ``people.panels``: they read through the case access scope and return what the
page shows; the page records it in its one audit event.
"""

from __future__ import annotations

from typing import Protocol

from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils.safestring import SafeString

from lotse.accounts.models import Membership
from lotse.accounts.roles import Capability
from lotse.people.access import households_visible_to, persons_visible_to
from lotse.people.models import Household, HouseholdMember, Person
from lotse.people.panels import Panel

from . import access, selectors
from .models import Case


class CasePanelProvider(Protocol):
    """A section another app adds to the case page (referrals live above cases)."""

    def __call__(
        self, *, request: HttpRequest, membership: Membership, case: Case
    ) -> Panel | None: ...


_CASE_PANELS: list[CasePanelProvider] = []


def register_case_panel(provider: CasePanelProvider) -> None:
    if provider not in _CASE_PANELS:
        _CASE_PANELS.append(provider)


def case_panels(*, request: HttpRequest, membership: Membership, case: Case) -> list[Panel]:
    panels = (p(request=request, membership=membership, case=case) for p in _CASE_PANELS)
    return [panel for panel in panels if panel is not None]


def _panel(membership: Membership, *, household_ids: list[int], person: Person | None) -> Panel:
    cases = list(
        access.cases_visible_to(membership)
        .filter(household_id__in=household_ids)
        .select_related("household", "lead_agency", "lead_user")
        .order_by("pk")
    )
    contacts = selectors.contacts_of(cases) if cases else {}
    with_case = {case.household_id for case in cases}
    openable = (
        list(
            households_visible_to(membership)
            .filter(pk__in=[pk for pk in household_ids if pk not in with_case])
            .order_by("pk")
        )
        if membership.can(Capability.WRITE_CASE_CONTENT)
        else []
    )
    return Panel(
        template="cases/_case_panel.html",
        context={
            "cases": [{"case": case, "contacts": contacts[case.pk]} for case in cases],
            "openable": openable,
            "may_open": membership.can(Capability.WRITE_CASE_CONTENT),
            "person": person,
        },
        detail={"cases": len(cases)} if cases else {},
    )


def person_case_panel(
    *, request: HttpRequest, membership: Membership, person: Person
) -> Panel | None:
    if not membership.can(Capability.READ_CASE_CONTENT):
        return None
    household_ids = list(
        HouseholdMember.objects.filter(person=person).values_list("household_id", flat=True)
    )
    return _panel(membership, household_ids=household_ids, person=person)


def household_case_panel(
    *, request: HttpRequest, membership: Membership, household: Household
) -> Panel | None:
    if not membership.can(Capability.READ_CASE_CONTENT):
        return None
    return _panel(membership, household_ids=[household.pk], person=None)


def start_handovers(*, request: HttpRequest, membership: Membership) -> SafeString | None:
    """The receiving agency's start page: the cases proposed to it for hand-over that the
    member may open (team leads: all of them; caseworkers: the cases they work on), each
    linking to the case page where the hand-over is accepted or declined."""
    from .case_views import family_name  # the case page imports this module

    if not membership.can(Capability.WRITE_CASE_CONTENT):
        return None
    handovers = list(
        access.handovers_to(membership)
        .filter(case__in=access.cases_visible_to(membership))
        .select_related("case__household", "from_agency")
        .order_by("created_at", "pk")[:20]
    )
    if not handovers:
        return None
    household_ids = {h.case.household_id for h in handovers}
    visible = households_visible_to(membership).filter(pk__in=household_ids)
    members: dict[int, list[HouseholdMember]] = {}
    for row in (
        HouseholdMember.objects.filter(household__in=visible)
        .filter(person__in=persons_visible_to(membership))
        .select_related("person")
    ):
        members.setdefault(row.household_id, []).append(row)
    rows = [
        {
            "handover": handover,
            "name": family_name(
                handover.case.household, members.get(handover.case.household_id, [])
            ),
        }
        for handover in handovers
    ]
    return SafeString(
        render_to_string("cases/_start_handovers.html", {"rows": rows}, request=request)
    )
