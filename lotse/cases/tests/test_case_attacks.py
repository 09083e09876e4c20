"""The case tried as another agency would: with a consent for something else, a legal basis, or
nothing — writing where it may not, changing what is not its own, and learning from errors,
counts and lists what it may not see."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from lotse.accounts.tests.factories import acting
from lotse.cases.models import Assessment, Case, Goal, Measure
from lotse.cases.services import (
    case_open,
    case_participant_save,
    goal_create,
    measure_create,
)
from lotse.consent.categories import DataCategory
from lotse.consent.models import LegalBasis
from lotse.consent.tests.factories import record_directly
from lotse.people.tests.factories import HouseholdFactory, PersonFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def scene(anna: Any, cem: Any, agencies: Any) -> Any:
    """KIM leads a case for a couple; the Jobcenter takes part with a consent of the mother for
    her work data only; the father is registered by the Jugendamt and hidden from KIM."""
    mother = PersonFactory.create(
        owner_agency=agencies.kim, given_names="Salma", family_name="Aziz"
    )
    father = PersonFactory.create(
        owner_agency=agencies.jugendamt, given_names="Yusuf", family_name="Verborgen"
    )
    household = HouseholdFactory.create(owner_agency=agencies.kim, members=[mother, father])
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
    record_directly(
        subject=mother,
        recorded_by=anna,
        recording_agency=agencies.kim,
        disclosing=[agencies.kim],
        recipients=[agencies.jobcenter],
        categories=[DataCategory.IDENTITY, DataCategory.WORK],
    )
    case.refresh_from_db()
    return case, mother, father


def test_a_participant_writes_only_about_persons_it_may_see(cem, client_for, scene):
    case, _mother, father = scene
    response = client_for(cem).post(
        reverse("case:goal_new", args=[case.pk]),
        {
            "subjects": [father.public_id],
            "domain": "work",
            "text": "Ziel für jemanden, den ich nicht sehen darf",
            "responsible_agency": "jc",
        },
    )
    # The hidden father is not even offered: the choice is refused like any unknown value.
    assert response.status_code == 400
    assert not Goal.objects.filter(case=case).exists()
    assert "Verborgen" not in response.content.decode()


def test_an_agency_that_takes_no_part_cannot_write_into_the_case(dora, ben, client_for, scene):
    case, mother, _father = scene
    for user in (dora, ben):
        response = client_for(user).post(
            reverse("case:assessment_new", args=[case.pk]),
            {"person": mother.public_id, "domain": "residence", "need": "3"},
        )
        assert response.status_code == 404
    assert not Assessment.objects.filter(case=case).exists()


def test_a_participant_cannot_change_the_leads_plan(anna, cem, client_for, scene, agencies):
    case, mother, _father = scene
    # The Jobcenter sees the plan it is to own (a goal may not go to an agency that cannot).
    record_directly(
        subject=mother,
        recorded_by=anna,
        recording_agency=agencies.kim,
        disclosing=[agencies.kim],
        recipients=[agencies.jobcenter],
        categories=[DataCategory.CASE_PLAN],
    )
    (goal,) = goal_create(
        case=case,
        subjects=[mother],
        domain="work",
        text="Anerkennung",
        responsible_agency=agencies.jobcenter,
        membership=acting(anna),
        actor=anna,
    )
    (measure,) = measure_create(
        case=case,
        goal_group=goal.group,
        text="Unterlagen",
        responsible_agency=agencies.jobcenter,
        membership=acting(anna),
        actor=anna,
    )
    client = client_for(cem)
    for url, data in (
        (
            reverse("case:goal_edit", args=[case.pk, goal.group]),
            {"text": "Übernommen", "attainment": "2", "version": goal.version},
        ),
        (
            reverse("case:measure_edit", args=[case.pk, measure.group]),
            {"status": "cancelled", "version": measure.version},
        ),
        (reverse("case:measure_new", args=[case.pk, goal.group]), {"text": "Mehr"}),
    ):
        assert client.post(url, data).status_code == 404
    goal.refresh_from_db()
    measure.refresh_from_db()
    assert goal.text == "Anerkennung"
    assert goal.attainment is None
    assert measure.status == "planned"


def test_the_gap_list_does_not_name_members_the_lead_may_not_see(anna, client_for, scene):
    case, _mother, father = scene
    html = client_for(anna).get(reverse("case:detail", args=[case.pk])).content.decode()
    assert 'data-testid="gap-row"' in html
    assert "Verborgen" not in html
    assert father.public_id not in html
    assert "ein für Sie nicht sichtbares Mitglied" in html


def test_a_second_case_for_the_household_does_not_name_who_leads_the_first(
    anna, ben, client_for, agencies
):
    child = PersonFactory.create(owner_agency=agencies.jugendamt)
    household = HouseholdFactory.create(owner_agency=agencies.jugendamt, members=[child])
    case_open(household=household, membership=acting(ben), actor=ben)
    LegalBasis.objects.create(
        from_kind=agencies.jugendamt.kind,
        to_kind=agencies.kim.kind,
        categories=[DataCategory.IDENTITY],
        citation="§ 69 SGB X (test)",
    )
    response = client_for(anna).post(
        reverse("case:open", args=[household.public_id]), {"came_via": "self"}
    )
    assert response.status_code == 400
    body = response.content.decode()
    start = body.index("gibt es bereits einen Fall")
    # The refusal says that a case exists (it must), but not which agency leads it.
    assert "Jugendamt" not in body[start - 300 : start + 300]
    assert Case.objects.filter(household=household).count() == 1


def test_counts_and_lists_do_not_reveal_cases_one_does_not_work_on(
    anna, cem, dora, client_for, scene, agencies
):
    # A second KIM case the Jobcenter takes no part in.
    other = HouseholdFactory.create(
        owner_agency=agencies.kim, members=[PersonFactory.create(owner_agency=agencies.kim)]
    )
    case_open(household=other, membership=acting(anna), actor=anna)
    assert (
        client_for(anna)
        .get(reverse("case:my_families"))
        .content.decode()
        .count('data-testid="family-row"')
        == 2
    )
    jobcenter = client_for(cem).get(reverse("case:my_families")).content.decode()
    assert jobcenter.count('data-testid="family-row"') == 1
    assert other.public_id not in jobcenter
    assert (
        'data-testid="family-row"'
        not in client_for(dora).get(reverse("case:my_families")).content.decode()
    )


def test_next_due_dates_come_only_from_items_the_reader_may_see(
    anna, cem, client_for, scene, agencies
):
    case, _mother, father = scene
    # KIM cannot see the father, so the scenery writes his overdue goal's measure directly.
    (goal,) = goal_create(
        case=case,
        subjects=[scene[1]],
        domain="work",
        text="Sichtbar",
        responsible_agency=agencies.kim,
        membership=acting(anna),
        actor=anna,
    )
    (measure,) = measure_create(
        case=case,
        goal_group=goal.group,
        text="Überfällig, aber verborgen",
        responsible_agency=agencies.kim,
        membership=acting(anna),
        actor=anna,
    )
    # Overdue by now (a new date in the past is refused, so the scenery ages it directly).
    Measure.objects.filter(pk=measure.pk).update(due_date=timezone.localdate() - timedelta(days=5))
    # The measure is a plan item (case_plan) of KIM: the Jobcenter's consent (work) does not
    # open it, so neither may its due date mark the family overdue on the Jobcenter's list.
    html = client_for(cem).get(reverse("case:my_families")).content.decode()
    assert 'data-testid="overdue"' not in html
    assert (
        'data-testid="overdue"'
        in client_for(anna).get(reverse("case:my_families")).content.decode()
    )
    del father
