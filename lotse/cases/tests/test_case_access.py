"""The access core carries case content: need-to-know inside an agency, purposes that bind,
items per person under a household case, and decisions keyed by kind.

Every test builds content in *another* agency than the reader's or a colleague's, and checks
the three faces of the policy together: ``visible_q`` (lists), ``count_visible`` (counts) and
``explain_many`` (the "why" and the audit), so that none of them can tell more than another.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.db.models import Model
from django.utils import timezone

from lotse.accounts.models import Team, User
from lotse.accounts.roles import Role
from lotse.accounts.tests.factories import acting, member
from lotse.cases.models import Assessment, CaseAssignment, Goal, JournalEntry, LifeDomain
from lotse.cases.services import case_assign, case_open, case_participant_save
from lotse.consent import policy
from lotse.consent.categories import DataCategory
from lotse.consent.models import BreakGlass, ConsentPurpose
from lotse.consent.tests.factories import record_directly
from lotse.people.tests.factories import HouseholdFactory, PersonFactory

pytestmark = pytest.mark.django_db


def sees(user: User, item: Model) -> bool:
    """What the reader is shown, asked of all three faces; they must agree."""
    membership = acting(user)
    model = type(item)
    listed = model._default_manager.filter(policy.visible_q(membership, model), pk=item.pk).exists()
    counted = policy.count_visible(membership, model._default_manager.filter(pk=item.pk)) == 1
    explained = policy.explain_many(membership, [item]).of(item).allowed
    assert listed == counted == explained, (listed, counted, explained)
    return listed


def entry(owner_user: User, subject: Any, **values: Any) -> JournalEntry:
    values.setdefault("category", DataCategory.YOUTH_WELFARE)
    values.setdefault("author", owner_user)
    return JournalEntry.objects.create(
        subject=subject,
        owner_agency=acting(owner_user).agency,
        kind=JournalEntry.Kind.TALK,
        text="Gespräch",
        **values,
    )


@pytest.fixture
def family(agencies: Any) -> Any:
    mother = PersonFactory.create(owner_agency=agencies.jugendamt)
    child = PersonFactory.create(owner_agency=agencies.jugendamt)
    return HouseholdFactory.create(owner_agency=agencies.jugendamt, members=[mother, child])


@pytest.fixture
def kim_family(agencies: Any) -> Any:
    mother = PersonFactory.create(owner_agency=agencies.kim)
    child = PersonFactory.create(owner_agency=agencies.kim)
    return HouseholdFactory.create(owner_agency=agencies.kim, members=[mother, child])


@pytest.fixture
def need_to_know(agencies: Any) -> Any:
    agencies.jugendamt.need_to_know = True
    agencies.jugendamt.save()
    return agencies.jugendamt


@pytest.fixture
def bea(agencies: Any) -> User:
    """A second Jugendamt caseworker, not assigned to the family's case."""
    return member("bea", agencies.jugendamt, Role.CASEWORKER)


def test_without_need_to_know_every_caseworker_of_the_agency_sees_its_content(
    family: Any, ben: User, bea: User
) -> None:
    note = entry(ben, family.members.first())
    assert sees(bea, note)


def test_under_need_to_know_only_the_assigned_caseworker_sees_the_content(
    family: Any, need_to_know: Any, ben: User, bea: User
) -> None:
    mother = family.members.order_by("pk").first()
    case_open(household=family, membership=acting(ben), actor=ben)
    note = entry(bea, mother, author=ben)  # recorded by the agency, written by ben
    assert sees(ben, note)
    assert not sees(bea, note)
    decision = policy.explain(acting(bea), note)
    assert "§ 35 SGB I" in decision.explanation
    # The person herself (identity) stays findable: a colleague must be able to find her.
    assert sees(bea, mother)


def test_under_need_to_know_a_caseworker_sees_what_they_wrote_themselves(
    family: Any, need_to_know: Any, bea: User
) -> None:
    note = entry(bea, family.members.first())
    assert sees(bea, note)


def test_a_substitute_sees_the_case_only_for_the_dates_assigned(
    family: Any, need_to_know: Any, ben: User, bea: User, agencies: Any
) -> None:
    lead = member("lena", agencies.jugendamt, Role.TEAM_LEAD)
    case = case_open(household=family, membership=acting(ben), actor=ben)
    note = entry(ben, family.members.first())
    today = timezone.localdate()
    assignment = case_assign(
        case=case,
        user=bea,
        kind=CaseAssignment.Kind.SUBSTITUTE,
        membership=acting(lead),
        actor=lead,
        valid_from=today,
        valid_until=today + timedelta(days=14),
    )
    assert sees(bea, note)
    assignment.valid_from = today - timedelta(days=30)
    assignment.valid_until = today - timedelta(days=1)
    assignment.save()
    policy.forget(acting(bea))
    assert not sees(bea, note)


def test_a_team_lead_sees_their_teams_cases_and_no_other_team(
    family: Any, need_to_know: Any, ben: User, bea: User, agencies: Any
) -> None:
    north = Team.objects.create(agency=agencies.jugendamt, name="ASD Nord")
    south = Team.objects.create(agency=agencies.jugendamt, name="ASD Süd")
    lead_north = member("nora", agencies.jugendamt, Role.TEAM_LEAD)
    lead_south = member("sven", agencies.jugendamt, Role.TEAM_LEAD)
    for user, team in ((ben, north), (lead_north, north), (lead_south, south), (bea, south)):
        user.memberships.update(team=team)
    case_open(household=family, membership=acting(ben), actor=ben)
    note = entry(ben, family.members.first())
    assert sees(lead_north, note)
    assert not sees(lead_south, note)


def test_need_to_know_also_limits_what_the_agency_received_by_consent(
    family: Any, need_to_know: Any, anna: User, ben: User, bea: User, agencies: Any
) -> None:
    mother = family.members.order_by("pk").first()
    case_open(household=family, membership=acting(ben), actor=ben)
    record_directly(
        subject=mother,
        recorded_by=anna,
        recording_agency=agencies.kim,
        disclosing=[agencies.kim],
        recipients=[agencies.jugendamt],
        categories=[DataCategory.HOUSING],
    )
    kim_note = entry(anna, mother, category=DataCategory.HOUSING)
    assert sees(ben, kim_note)
    assert not sees(bea, kim_note)


def test_being_a_participant_opens_nothing_by_itself(
    family: Any, anna: User, ben: User, agencies: Any
) -> None:
    """KIM takes part in the Jugendamt's case; without a consent it sees no goal."""
    mother = family.members.order_by("pk").first()
    case = case_open(household=family, membership=acting(ben), actor=ben)
    case_participant_save(
        case=case,
        agency=agencies.kim,
        contact=anna,
        membership=acting(ben),
        actor=ben,
        expected_version=case.version,
    )
    goal = Goal.objects.create(
        case=case,
        subject=mother,
        owner_agency=agencies.jugendamt,
        category=DataCategory.CASE_PLAN,
        author=ben,
        domain=LifeDomain.FAMILY,
        text="Kita-Platz für das Kind",
        responsible_agency=agencies.kim,
    )
    assert not sees(anna, goal)


def test_purposes_bind_a_consent_for_benefits_opens_no_plan(
    kim_family: Any, anna: User, cem: User, agencies: Any
) -> None:
    mother = kim_family.members.order_by("pk").first()
    case = case_open(household=kim_family, membership=acting(anna), actor=anna)
    goal = Goal.objects.create(
        case=case,
        subject=mother,
        owner_agency=agencies.kim,
        category=DataCategory.CASE_PLAN,
        author=anna,
        domain=LifeDomain.WORK,
        text="Anerkennung des Berufsabschlusses",
        responsible_agency=agencies.jobcenter,
    )
    plain = entry(anna, mother, category=DataCategory.CASE_PLAN)
    record_directly(
        subject=mother,
        recorded_by=anna,
        recording_agency=agencies.kim,
        disclosing=[agencies.kim],
        recipients=[agencies.jobcenter],
        categories=[DataCategory.CASE_PLAN],
        purpose=ConsentPurpose.BENEFITS,
    )
    # The category matches, the purpose does not: the plan stays closed, and so does the case
    # journal (a note serves the case management only).
    assert not sees(cem, goal)
    assert not sees(cem, plain)
    record_directly(
        subject=mother,
        recorded_by=anna,
        recording_agency=agencies.kim,
        disclosing=[agencies.kim],
        recipients=[agencies.jobcenter],
        categories=[DataCategory.CASE_PLAN],
        purpose=ConsentPurpose.CASE_CONFERENCE,
    )
    policy.forget(acting(cem))
    assert sees(cem, goal)
    # The conference discusses the plan, not the caseworkers' notes.
    assert not sees(cem, plain)
    record_directly(
        subject=mother,
        recorded_by=anna,
        recording_agency=agencies.kim,
        disclosing=[agencies.kim],
        recipients=[agencies.jobcenter],
        categories=[DataCategory.CASE_PLAN],
        purpose=ConsentPurpose.CASE_MANAGEMENT,
    )
    policy.forget(acting(cem))
    assert sees(cem, plain)


def test_a_goal_for_two_persons_is_seen_per_person(
    kim_family: Any, anna: User, cem: User, agencies: Any
) -> None:
    mother, child = kim_family.members.order_by("pk")
    case = case_open(household=kim_family, membership=acting(anna), actor=anna)
    rows = [
        Goal.objects.create(
            case=case,
            subject=person,
            owner_agency=agencies.kim,
            category=DataCategory.CASE_PLAN,
            author=anna,
            domain=LifeDomain.LANGUAGE,
            text="Deutschkurs B1",
            responsible_agency=agencies.kim,
        )
        for person in (mother, child)
    ]
    rows[1].group = rows[0].group
    rows[1].save()
    record_directly(
        subject=mother,
        recorded_by=anna,
        recording_agency=agencies.kim,
        disclosing=[agencies.kim],
        recipients=[agencies.jobcenter],
        categories=[DataCategory.CASE_PLAN],
    )
    assert sees(cem, rows[0])
    assert not sees(cem, rows[1])


def test_decisions_are_keyed_by_kind_not_by_id_alone(
    kim_family: Any, anna: User, cem: User, agencies: Any
) -> None:
    """A timeline mixes kinds whose ids collide: the answer for one must not be the other's."""
    mother = kim_family.members.order_by("pk").first()
    case = case_open(household=kim_family, membership=acting(anna), actor=anna)
    record_directly(
        subject=mother,
        recorded_by=anna,
        recording_agency=agencies.kim,
        disclosing=[agencies.kim],
        recipients=[agencies.jobcenter],
        categories=[DataCategory.WORK],
    )
    note = entry(anna, mother, category=DataCategory.WORK)
    assessment = Assessment.objects.create(
        pk=note.pk,
        case=case,
        subject=mother,
        owner_agency=agencies.kim,
        category=DataCategory.HEALTH,
        author=anna,
        domain=LifeDomain.HEALTH,
        need=Assessment.Need.HIGH,
    )
    decisions = policy.explain_many(acting(cem), [note, assessment])
    assert decisions.of(note).allowed
    assert not decisions.of(assessment).allowed


def test_break_glass_opens_what_need_to_know_hides(
    family: Any, need_to_know: Any, ben: User, agencies: Any
) -> None:
    lead = member("lena", agencies.jugendamt, Role.TEAM_LEAD)
    lead.memberships.update(team=Team.objects.create(agency=agencies.jugendamt, name="Nord"))
    mother = family.members.order_by("pk").first()
    other = HouseholdFactory.create(owner_agency=agencies.jugendamt, members=[mother])
    del other
    note = entry(ben, mother)
    assert not sees(lead, note)
    BreakGlass.objects.create(
        user=lead,
        agency=agencies.jugendamt,
        subject=mother,
        requested_id=mother.public_id,
        reason="Kindeswohl",
        expires_at=timezone.now() + timedelta(hours=24),
    )
    policy.forget(acting(lead))
    assert sees(lead, note)


def test_need_to_know_keeps_languages_and_what_one_recorded_oneself(
    family: Any, need_to_know: Any, ben: User, bea: User
) -> None:
    from datetime import date

    from lotse.people.models import PersonLanguage, ResidenceStatus

    mother = family.members.order_by("pk").first()
    language = PersonLanguage.objects.create(
        person=mother, owner_agency=mother.owner_agency, language="ar"
    )
    mine = ResidenceStatus.objects.create(
        person=mother,
        owner_agency=mother.owner_agency,
        kind="aufenthaltserlaubnis",
        valid_from=date(2024, 1, 1),
        recorded_by=bea,
    )
    other = ResidenceStatus.objects.create(
        person=mother,
        owner_agency=mother.owner_agency,
        kind="aufenthaltserlaubnis",
        valid_from=date(2025, 1, 1),
        recorded_by=ben,
    )
    assert sees(bea, language)
    assert sees(bea, mine)
    assert not sees(bea, other)
