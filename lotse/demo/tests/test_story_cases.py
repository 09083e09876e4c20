"""The demo city's family cases tell their stories: every phase, covered consents, need-to-know.

The city is seeded once for the module (the default demo: 200 families, seed 2017) inside a
transaction that is rolled back afterwards; the tests only read it.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from typing import Any

import pytest
from django.db import transaction
from django.db.models import Model
from django.utils import timezone

from lotse.accounts.models import Agency, Membership, User
from lotse.cases.models import (
    DOMAIN_CATEGORY,
    Assessment,
    Case,
    CaseAssignment,
    CaseParticipant,
    CasePhaseChange,
    Goal,
    JournalEntry,
    Measure,
    Phase,
)
from lotse.cases.selectors import FamilyFilters, family_cases, with_last_contact
from lotse.cases.services import TRANSITIONS, case_coverage_gaps
from lotse.consent import policy
from lotse.consent.categories import DataCategory
from lotse.consent.models import ConsentDeclaration, ConsentPurpose
from lotse.demo.cases import STORIES, story_cases
from lotse.demo.city import ACCOUNTS
from lotse.demo.services import demo_city_seed
from lotse.people.models import HouseholdMember


@pytest.fixture(scope="module")
def city(django_db_setup: Any, django_db_blocker: Any) -> Iterator[None]:
    with django_db_blocker.unblock(), transaction.atomic():
        demo_city_seed(families=200, seed=2017)
        yield
        transaction.set_rollback(True)


pytestmark = pytest.mark.usefixtures("city", "db")


def acting(username: str) -> Membership:
    membership = User.objects.get(username=username).primary_membership()
    assert membership is not None
    return membership


def visible(username: str, model: type[Model], cases: list[Case]) -> int:
    membership = acting(username)
    return (
        model._default_manager.filter(policy.visible_q(membership, model))
        .filter(case__in=cases)
        .count()
    )


def test_every_story_found_a_family_and_every_phase_occurs() -> None:
    assert story_cases().count() == len(STORIES)
    phases = Counter(story_cases().values_list("phase", flat=True))
    assert set(phases) == set(Phase.values)
    for case in Case.objects.filter(phase=Phase.CLOSED):
        assert case.closure_reason
        assert case.closed_on is not None


def test_the_phase_history_leads_to_the_phase_and_one_case_was_reopened() -> None:
    reopened = 0
    for case in Case.objects.all():
        changes = list(CasePhaseChange.objects.filter(case=case).order_by("changed_at", "pk"))
        phase = Phase.INTAKE.value
        for change in changes:
            assert change.from_phase == phase
            assert change.to_phase in TRANSITIONS[phase]
            assert bool(change.closure_reason) == (change.to_phase == Phase.CLOSED)
            assert change.changed_by_id == case.lead_user_id
            reopened += change.from_phase == Phase.CLOSED
            phase = change.to_phase
        assert phase == case.phase
        if changes:
            assert case.phase_since == changes[-1].changed_at
    assert reopened == 1


def test_every_case_beyond_intake_is_covered_and_the_intake_case_shows_its_gaps() -> None:
    for case in Case.objects.exclude(phase=Phase.INTAKE):
        assert case_coverage_gaps(case) == [], case.household_id
    intake = story_cases().get(phase=Phase.INTAKE)
    gaps = case_coverage_gaps(intake)
    assert gaps
    assert {gap.reason for gap in gaps} == {"consent"}
    # The family has not yet signed for the Jobcenter; it has for the Caritas.
    assert {gap.agency.code for gap in gaps} == {"jc"}
    assert ConsentDeclaration.objects.filter(
        subject__household_memberships__household=intake.household,
        status=ConsentDeclaration.Status.REQUESTED,
    ).exists()


def test_consents_are_given_by_the_lead_for_case_management_and_one_for_a_conference() -> None:
    declarations = ConsentDeclaration.objects.all()
    assert declarations.exists()
    leads = {c.lead_user_id for c in Case.objects.all()}
    assert set(declarations.values_list("recorded_by_id", flat=True)) <= leads
    purposes = Counter(declarations.values_list("purpose", flat=True))
    assert purposes[ConsentPurpose.CASE_MANAGEMENT] > 0
    assert purposes[ConsentPurpose.CASE_CONFERENCE] > 0
    # A parent signs for a child under 15 (§ 36 SGB I).
    assert declarations.filter(given_by=ConsentDeclaration.GivenBy.GUARDIAN).exists()


def test_the_cases_keep_what_the_case_services_keep() -> None:
    for case in Case.objects.all():
        lead = CaseParticipant.objects.get(case=case, agency=case.lead_agency)
        assert lead.contact_id == case.lead_user_id
        assert CaseAssignment.objects.filter(
            case=case, agency=case.lead_agency, user=case.lead_user, kind="lead"
        ).exists()
        for participant in CaseParticipant.objects.filter(case=case, contact__isnull=False):
            assert CaseAssignment.objects.filter(
                case=case, agency=participant.agency, user=participant.contact
            ).exists()
        members = set(
            HouseholdMember.objects.filter(household=case.household).values_list(
                "person_id", flat=True
            )
        )
        for model in (Assessment, Goal, Measure, JournalEntry):
            subjects = set(
                model._default_manager.filter(case=case).values_list("subject_id", flat=True)
            )
            assert subjects <= members
    for assessment in Assessment.objects.all():
        assert assessment.category == DOMAIN_CATEGORY[assessment.domain]
    assert set(Goal.objects.values_list("category", flat=True)) == {DataCategory.CASE_PLAN}
    assert set(Measure.objects.values_list("category", flat=True)) == {DataCategory.CASE_PLAN}
    goal_groups = set(Goal.objects.values_list("group", flat=True))
    assert set(Measure.objects.values_list("goal_group", flat=True)) <= goal_groups


def test_the_story_has_the_details_the_pages_show() -> None:
    # A goal for two persons (one group), goals owned by several agencies, some overdue.
    sizes = Counter(Goal.objects.values_list("group", flat=True))
    assert max(sizes.values()) >= 2
    assert Goal.objects.values("responsible_agency").distinct().count() >= 4
    assert Goal.objects.filter(
        attainment__isnull=True, target_date__lt=timezone.localdate()
    ).exists()
    assert set(Measure.objects.values_list("status", flat=True)) == set(Measure.Status.values)
    # A household-wide entry: one row per member with the same group.
    entries = Counter(JournalEntry.objects.values_list("group", flat=True))
    assert max(entries.values()) >= 3
    kinds = set(JournalEntry.objects.values_list("kind", flat=True))
    assert {"talk", "phone_call", "home_visit"} <= kinds
    assert JournalEntry.objects.filter(follow_up_on__isnull=False).exists()
    assert JournalEntry.objects.filter(entrusted=True).exists()
    substitute = CaseAssignment.objects.get(kind=CaseAssignment.Kind.SUBSTITUTE)
    assert substitute.valid_until is not None
    assert substitute.valid_from <= timezone.localdate() <= substitute.valid_until
    # A participant without a contact person yet: nobody of KIM is assigned to that case.
    unnamed = CaseParticipant.objects.get(contact__isnull=True)
    assert unnamed.agency.code == "kim"
    codes = set(CaseParticipant.objects.values_list("agency__code", flat=True))
    assert {"jc", "ja", "car", "sa", "abh"} <= codes


@pytest.mark.parametrize(
    ("username", "scope"),
    [("kim", "mine"), ("jugendamt", "mine"), ("jobcenter", "mine"), ("teamlead", "team")],
)
def test_my_families_show_due_items_and_last_contacts(username: str, scope: str) -> None:
    # Annotated rows: the next due item and the last contact the member may see (the last
    # contact is read for the rows shown).
    membership = acting(username)
    rows: list[Any] = with_last_contact(
        membership, list(family_cases(membership=membership, filters=FamilyFilters(scope=scope)))
    )
    assert rows
    assert any(row.next_due is not None for row in rows)
    assert any(row.last_contact is not None for row in rows)


def test_the_team_lead_sees_the_case_nobody_of_kim_is_assigned_to() -> None:
    rows = family_cases(
        membership=acting("teamlead"), filters=FamilyFilters(scope="team", unassigned=True)
    )
    assert [row.lead_agency.code for row in rows] == ["ja"]


def test_need_to_know_hides_the_jugendamt_cases_from_the_colleague_not_assigned() -> None:
    assert Agency.objects.get(code="ja").need_to_know
    led = list(Case.objects.filter(lead_agency__code="ja"))
    assert led
    for model in (Assessment, Goal, JournalEntry):
        assert visible("jugendamt", model, led) > 0, model
        assert visible("jugendamt2", model, led) == 0, model
    assert not list(family_cases(membership=acting("jugendamt2"), filters=FamilyFilters()))
    assert not CaseAssignment.objects.filter(user__username="jugendamt2").exists()


def test_demo_accounts_have_work_phones_and_kim_has_two_teams() -> None:
    with_phone = {
        m.user.username for m in Membership.objects.select_related("user").exclude(phone="")
    }
    caseworkers = {a.username for a in ACCOUNTS if a.role in ("caseworker", "team_lead")}
    assert caseworkers <= with_phone
    kim = Agency.objects.get(code="kim")
    assert set(kim.teams.values_list("name", flat=True)) == {"Team Elberfeld", "Team Barmen"}
    lead = acting("teamlead")
    assert lead.team is not None
    assert lead.team.name == "Team Elberfeld"
    assert acting("kim").team_id == lead.team_id
