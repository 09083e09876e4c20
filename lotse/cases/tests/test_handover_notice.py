"""A proposed hand-over reaches the receiving agency: a start-page card for its team lead and
caseworkers that links to the case page, where it accepts or declines."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from lotse.accounts.roles import Role
from lotse.accounts.tests.factories import acting, member
from lotse.cases.services import case_handover_propose, case_open, case_participant_save
from lotse.consent.categories import DataCategory
from lotse.people.tests.factories import HouseholdFactory, PersonFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def proposed(anna: Any, cem: Any, agencies: Any) -> Any:
    agencies.jobcenter.need_to_know = True
    agencies.jobcenter.save()
    person = PersonFactory.create(owner_agency=agencies.kim, family_name="Karimi")
    household = HouseholdFactory.create(owner_agency=agencies.kim, members=[person])
    case = case_open(household=household, membership=acting(anna), actor=anna)
    case_participant_save(
        case=case,
        agency=agencies.jobcenter,
        contact=cem,
        categories=[DataCategory.CASE_PLAN],
        membership=acting(anna),
        actor=anna,
        expected_version=case.version,
    )
    case.refresh_from_db()
    case_handover_propose(
        case=case,
        to_agency=agencies.jobcenter,
        reason="Wechsel ins SGB II",
        membership=acting(anna),
        actor=anna,
    )
    return case


def test_the_receiving_agency_is_told_of_a_proposed_handover_on_its_start_page(
    cem, ben, client_for, proposed, agencies
):
    lead = member("jola", agencies.jobcenter, Role.TEAM_LEAD)
    case_url = reverse("case:detail", args=[proposed.pk])
    for user in (cem, lead):
        start = client_for(user).get(reverse("start")).content.decode()
        assert 'data-testid="start-handovers"' in start, user
        assert case_url in start
        # … and the case page it links to opens, with the hand-over to decide on.
        assert client_for(user).get(case_url).status_code == 200
    # Another agency, without the proposal, learns nothing.
    assert (
        'data-testid="start-handovers"'
        not in client_for(ben).get(reverse("start")).content.decode()
    )
    assert client_for(ben).get(case_url).status_code == 404
