"""The plan's owners and dates: a goal or measure goes only to an agency that may see it, and
new or changed due and target dates do not lie in the past."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from lotse.accounts.tests.factories import acting
from lotse.cases.models import Goal, Measure
from lotse.cases.services import (
    case_open,
    case_participant_save,
    goal_create,
    goal_update,
    measure_create,
)
from lotse.consent.categories import DataCategory
from lotse.consent.models import ConsentPurpose
from lotse.consent.tests.factories import record_directly
from lotse.people.tests.factories import HouseholdFactory, PersonFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def plan_case(anna: Any, cem: Any, agencies: Any) -> Any:
    mother = PersonFactory.create(owner_agency=agencies.kim, given_names="Rana")
    household = HouseholdFactory.create(owner_agency=agencies.kim, members=[mother])
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
    return case, mother


def _plan_consent(mother: Any, anna: Any, agencies: Any) -> None:
    record_directly(
        subject=mother,
        recorded_by=anna,
        recording_agency=agencies.kim,
        disclosing=[agencies.kim],
        recipients=[agencies.jobcenter],
        categories=[DataCategory.IDENTITY, DataCategory.CASE_PLAN],
        purpose=ConsentPurpose.CASE_MANAGEMENT,
    )


def test_a_goal_cannot_be_owned_by_an_agency_that_may_not_see_it(
    anna, client_for, plan_case, agencies
):
    case, mother = plan_case
    response = client_for(anna).post(
        reverse("case:goal_new", args=[case.pk]),
        {
            "subjects": [mother.public_id],
            "domain": "work",
            "text": "Arbeit finden",
            "responsible_agency": "jc",
        },
    )
    assert response.status_code == 400
    html = response.content.decode()
    # The refusal sits on the owner field (named in the error summary) and links to recording
    # the consent that is missing.
    assert "#id_responsible_agency" in html
    assert 'data-testid="record-consent"' in html
    assert reverse("consent:record", args=[mother.public_id]) in html
    assert not Goal.objects.filter(case=case).exists()
    # Once the family's consent covers the plan, the Jobcenter may own the goal.
    _plan_consent(mother, anna, agencies)
    goal_create(
        case=case,
        subjects=[mother],
        domain="work",
        text="Arbeit finden",
        responsible_agency=agencies.jobcenter,
        membership=acting(anna),
        actor=anna,
    )
    assert Goal.objects.filter(case=case, responsible_agency=agencies.jobcenter).exists()


def test_a_measure_cannot_go_to_an_agency_that_may_not_see_it(anna, plan_case, agencies):
    case, mother = plan_case
    (goal,) = goal_create(
        case=case,
        subjects=[mother],
        domain="work",
        text="Arbeit finden",
        responsible_agency=agencies.kim,
        membership=acting(anna),
        actor=anna,
    )
    with pytest.raises(ValidationError) as refused:
        measure_create(
            case=case,
            goal_group=goal.group,
            text="Bewerbungstraining",
            responsible_agency=agencies.jobcenter,
            membership=acting(anna),
            actor=anna,
        )
    assert "responsible_agency" in refused.value.message_dict
    assert not Measure.objects.filter(case=case).exists()


def test_new_target_and_due_dates_in_the_past_are_refused_naming_the_field(
    anna, plan_case, agencies
):
    case, mother = plan_case
    yesterday = timezone.localdate() - timedelta(days=1)
    with pytest.raises(ValidationError) as refused:
        goal_create(
            case=case,
            subjects=[mother],
            domain="work",
            text="Zu spät",
            responsible_agency=agencies.kim,
            target_date=yesterday,
            membership=acting(anna),
            actor=anna,
        )
    assert "target_date" in refused.value.message_dict
    (goal,) = goal_create(
        case=case,
        subjects=[mother],
        domain="work",
        text="Rechtzeitig",
        responsible_agency=agencies.kim,
        membership=acting(anna),
        actor=anna,
    )
    with pytest.raises(ValidationError) as refused:
        measure_create(
            case=case,
            goal_group=goal.group,
            text="Zu spät",
            responsible_agency=agencies.kim,
            due_date=yesterday,
            membership=acting(anna),
            actor=anna,
        )
    assert "due_date" in refused.value.message_dict


def test_an_old_goal_whose_target_date_passed_can_still_be_edited(anna, plan_case, agencies):
    case, mother = plan_case
    (goal,) = goal_create(
        case=case,
        subjects=[mother],
        domain="work",
        text="Alt",
        responsible_agency=agencies.kim,
        membership=acting(anna),
        actor=anna,
    )
    passed = timezone.localdate() - timedelta(days=30)
    Goal.objects.filter(pk=goal.pk).update(target_date=passed)
    (edited,) = goal_update(
        case=case,
        group=goal.group,
        text="Alt, bewertet",
        target_date=passed,
        attainment=1,
        expected_version=goal.version,
        membership=acting(anna),
        actor=anna,
    )
    assert edited.attainment == 1
    with pytest.raises(ValidationError) as refused:
        goal_update(
            case=case,
            group=goal.group,
            text="Alt, bewertet",
            target_date=passed - timedelta(days=1),
            attainment=1,
            expected_version=edited.version,
            membership=acting(anna),
            actor=anna,
        )
    assert "target_date" in refused.value.message_dict


def test_the_consent_gap_box_speaks_of_intake_only_during_intake(anna, client_for, plan_case):
    from lotse.cases.models import Case

    case, _mother = plan_case
    url = reverse("case:detail", args=[case.pk])
    intake = client_for(anna).get(url).content.decode()
    assert 'data-testid="coverage-gaps"' in intake
    assert "Der Fall kann die Aufnahme erst verlassen" in intake
    # Later (here: a participant added after intake) the box no longer speaks of intake.
    Case.objects.filter(pk=case.pk).update(phase="planning")
    later = client_for(anna).get(url).content.decode()
    assert 'data-testid="coverage-gaps"' in later
    assert "Aufnahme" not in later[later.index('data-testid="coverage-gaps"') :][:1500]


@pytest.mark.parametrize("page", ["entry", "conference"])
def test_the_interpreter_choice_is_a_short_list_of_languages(anna, client_for, plan_case, page):
    import re

    case, _mother = plan_case
    url = (
        reverse("case:entry_new", args=[case.pk])
        if page == "entry"
        else reverse("case:conference_new", args=[case.pk])
    )
    html = client_for(anna).get(url).content.decode()
    select = re.search(r'<select name="interpreter_language".*?</select>', html, re.S)
    assert select is not None
    options = re.findall(r"<option[^>]*>([^<]*)</option>", select.group(0))
    # The languages the city's interpreters cover, each once — not every ISO 639 language.
    assert 10 < len(options) < 60
    assert options.count("Arabisch") == 1
    assert len(set(options)) == len(options)
