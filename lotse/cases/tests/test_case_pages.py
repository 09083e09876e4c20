"""The family case through its pages, across agencies: open, take part, consent, assess,
plan, print, list — and what each agency sees at every step."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from lotse.accounts.models import User
from lotse.accounts.roles import Role
from lotse.accounts.tests.factories import acting, member
from lotse.audit.models import AuditAction, AuditEvent
from lotse.cases.models import Case, JournalEntry, Phase
from lotse.cases.services import (
    assessment_record,
    case_entry_create,
    case_open,
    case_participant_save,
    goal_create,
    measure_create,
)
from lotse.consent.categories import DataCategory
from lotse.consent.tests.factories import record_directly
from lotse.people.tests.factories import (
    DomainTransitionFactory,
    HouseholdFactory,
    PersonFactory,
    ResidenceStatusFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def household(agencies: Any) -> Any:
    mother = PersonFactory.create(
        owner_agency=agencies.kim, given_names="Rania", family_name="Darwish"
    )
    son = PersonFactory.create(owner_agency=agencies.kim, given_names="Omar", family_name="Darwish")
    return HouseholdFactory.create(owner_agency=agencies.kim, members=[mother, son])


def _members(household: Any) -> list[Any]:
    return list(household.members.order_by("pk"))


def _case_with_jobcenter(anna: User, cem: User, household: Any, agencies: Any) -> Case:
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
    return case


def _consent_for(person: Any, anna: User, agencies: Any, recipient: Any) -> None:
    record_directly(
        subject=person,
        recorded_by=anna,
        recording_agency=agencies.kim,
        disclosing=[agencies.kim],
        recipients=[recipient],
        categories=[DataCategory.IDENTITY, DataCategory.CASE_PLAN],
    )


def test_opening_a_case_from_the_household_page(anna, client_for, household):
    client = client_for(anna)
    page = client.get(reverse("people:household_detail", args=[household.public_id]))
    open_url = reverse("case:open", args=[household.public_id])
    assert open_url in page.content.decode()
    response = client.post(open_url, {"came_via": "self", "urgent": "Mietschulden, Räumungsklage"})
    case = Case.objects.get(household=household)
    assert response.status_code == 302
    assert response["Location"] == reverse("case:detail", args=[case.pk])
    assert case.lead_user == anna
    assert case.phase == Phase.INTAKE
    # The urgent matters: one household entry, a row per member, under the case.
    urgent = JournalEntry.objects.filter(case=case)
    assert urgent.count() == 2
    assert len({e.group for e in urgent}) == 1
    html = client.get(reverse("case:detail", args=[case.pk])).content.decode()
    assert "Familie Darwish" in html
    assert "Mietschulden" in html


def test_the_case_cannot_leave_intake_until_each_participant_is_covered(
    anna, cem, client_for, household, agencies
):
    case = _case_with_jobcenter(anna, cem, household, agencies)
    mother, son = _members(household)
    client = client_for(anna)
    detail = reverse("case:detail", args=[case.pk])
    html = client.get(detail).content.decode()
    assert html.count('data-testid="gap-row"') == 2  # both members, case plan, Jobcenter
    refused = client.post(
        reverse("case:transition", args=[case.pk]),
        {"phase": "assessment", "version": case.version},
    )
    assert refused.status_code == 400
    body = refused.content.decode()
    assert "Rania" in body
    assert "Omar" in body
    assert "Jobcenter" in body
    assert reverse("consent:record", args=[mother.public_id]) in body
    case.refresh_from_db()
    assert case.phase == Phase.INTAKE
    for person in (mother, son):
        _consent_for(person, anna, agencies, agencies.jobcenter)
    done = client.post(
        reverse("case:transition", args=[case.pk]),
        {"phase": "assessment", "version": case.version},
    )
    assert done.status_code == 302
    case.refresh_from_db()
    assert case.phase == Phase.ASSESSMENT
    assert 'data-testid="coverage-ok"' in client.get(detail).content.decode()


def test_a_stale_phase_change_is_refused_with_a_clear_message(anna, client_for, household):
    case = case_open(household=household, membership=acting(anna), actor=anna)
    old = case.version
    client = client_for(anna)
    client.post(
        reverse("case:transition", args=[case.pk]),
        {"phase": "closed", "reason": "moved_away", "version": old},
    )
    again = client.post(
        reverse("case:transition", args=[case.pk]),
        {"phase": "intake", "version": old},
    )
    assert again.status_code == 400
    assert "diesen Fall inzwischen geändert" in again.content.decode()


def test_closing_needs_a_reason_and_a_closed_case_reopens_into_intake(anna, client_for, household):
    case = case_open(household=household, membership=acting(anna), actor=anna)
    client = client_for(anna)
    url = reverse("case:transition", args=[case.pk])
    assert client.post(url, {"phase": "closed", "version": case.version}).status_code == 400
    assert (
        client.post(
            url, {"phase": "closed", "reason": "goals_reached", "version": case.version}
        ).status_code
        == 302
    )
    case.refresh_from_db()
    assert case.closure_reason == "goals_reached"
    assert case.closed_on == timezone.localdate()
    assert client.post(url, {"phase": "intake", "version": case.version}).status_code == 302
    case.refresh_from_db()
    assert case.phase == Phase.INTAKE
    assert case.closure_reason == ""


def test_each_agency_sees_the_plan_for_the_persons_its_basis_covers(
    anna, cem, dora, client_for, household, agencies
):
    case = _case_with_jobcenter(anna, cem, household, agencies)
    mother, son = _members(household)
    _consent_for(mother, anna, agencies, agencies.jobcenter)  # the son: no consent
    goals = goal_create(
        case=case,
        subjects=[mother, son],
        domain="language",
        text="Deutschkurs B1 abschließen",
        responsible_agency=agencies.jobcenter,
        target_date=timezone.localdate() + timedelta(days=90),
        membership=acting(anna),
        actor=anna,
    )
    measure_create(
        case=case,
        goal_group=goals[0].group,
        text="Anmeldung beim Kursträger",
        responsible_agency=agencies.kim,
        due_date=timezone.localdate() + timedelta(days=7),
        membership=acting(anna),
        actor=anna,
    )
    assessment_record(
        case=case,
        subject=mother,
        domain="health",
        need=3,
        situation="Geheim: Traumatherapie",
        membership=acting(anna),
        actor=anna,
    )
    jobcenter_page = client_for(cem).get(reverse("case:detail", args=[case.pk])).content.decode()
    assert "Deutschkurs B1" in jobcenter_page
    assert "Anmeldung beim Kursträger" in jobcenter_page
    assert "Rania" in jobcenter_page
    assert "Omar" not in jobcenter_page  # the son's row of the goal stays closed
    assert "Geheim: Traumatherapie" not in jobcenter_page  # health: no consent for it
    assert 'data-testid="why"' in jobcenter_page
    # The foreigners' authority takes no part: the case does not exist for it.
    assert client_for(dora).get(reverse("case:detail", args=[case.pk])).status_code == 404
    # A participant may not rate or change the lead's goal.
    edit = reverse("case:goal_edit", args=[case.pk, goals[0].group])
    assert client_for(cem).get(edit).status_code == 404


def test_the_plan_pdf_opens_in_german_and_in_arabic(anna, client_for, household, agencies):
    case = case_open(household=household, membership=acting(anna), actor=anna)
    mother, _son = _members(household)
    goal_create(
        case=case,
        subjects=[mother],
        domain="work",
        text="Anerkennung des Abschlusses",
        responsible_agency=agencies.kim,
        membership=acting(anna),
        actor=anna,
    )
    client = client_for(anna)
    url = reverse("case:plan_pdf", args=[case.pk])
    for query in ("", "?for=family&lang=de", "?for=family&lang=ar", "?for=family&lang=fa"):
        response = client.get(url + query)
        assert response.status_code == 200
        assert response["Content-Type"] == "application/pdf"
        assert response.content.startswith(b"%PDF")
    assert "plan-ar-" in client.get(url + "?for=family&lang=ar")["Content-Disposition"]
    event = AuditEvent.objects.filter(action=AuditAction.CASE_PLAN_PRINTED).latest("pk")
    assert event.detail["language"] == "ar"
    assert event.detail["shown"]


def test_my_families_lists_the_cases_one_works_on(anna, cem, ben, client_for, household, agencies):
    case = _case_with_jobcenter(anna, cem, household, agencies)
    mother, son = _members(household)
    case_entry_create(
        case=case,
        subjects=[mother, son],
        kind="talk",
        category=DataCategory.CASE_PLAN,
        text="Erstgespräch",
        follow_up_on=timezone.localdate() - timedelta(days=2),
        membership=acting(anna),
        actor=anna,
    )
    mine = client_for(anna).get(reverse("case:my_families")).content.decode()
    assert mine.count('data-testid="family-row"') == 1
    assert "Familie Darwish" in mine
    assert 'data-testid="overdue"' in mine
    # The Jobcenter's contact person has the family on the list; names only as far as the
    # Jobcenter may see them (no consent yet: the household is named by its Lotse ID).
    theirs = client_for(cem).get(reverse("case:my_families")).content.decode()
    assert theirs.count('data-testid="family-row"') == 1
    assert "Darwish" not in theirs
    assert household.public_id in theirs
    # Last contact and due dates come from what the reader may see: none for the Jobcenter.
    assert 'data-testid="overdue"' not in theirs
    assert (
        'data-testid="family-row"'
        not in client_for(ben).get(reverse("case:my_families")).content.decode()
    )


def test_the_start_page_shows_my_families(anna, client_for, household):
    case_open(household=household, membership=acting(anna), actor=anna)
    html = client_for(anna).get(reverse("start")).content.decode()
    assert 'data-testid="start-families"' in html
    assert reverse("case:my_families") in html


def test_under_need_to_know_an_unassigned_colleague_finds_no_case(ben, client_for, agencies):
    agencies.jugendamt.need_to_know = True
    agencies.jugendamt.save()
    bea = member("bea", agencies.jugendamt, Role.CASEWORKER)
    child = PersonFactory.create(owner_agency=agencies.jugendamt)
    household = HouseholdFactory.create(owner_agency=agencies.jugendamt, members=[child])
    case = case_open(household=household, membership=acting(ben), actor=ben)
    assert client_for(ben).get(reverse("case:detail", args=[case.pk])).status_code == 200
    assert client_for(bea).get(reverse("case:detail", args=[case.pk])).status_code == 404
    # Nor does the household page give the case away.
    page = client_for(bea).get(reverse("people:household_detail", args=[household.public_id]))
    assert reverse("case:detail", args=[case.pk]) not in page.content.decode()


def _case_page_queries(client: Any, case: Case) -> int:
    url = reverse("case:detail", args=[case.pk])
    client.get(url)
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def _fill(case: Case, size: int, anna: User, cem: User, agencies: Any) -> None:
    mother, son = list(case.household.members.order_by("pk"))
    for index in range(size):
        goals = goal_create(
            case=case,
            subjects=[mother, son],
            domain="work",
            text=f"Ziel {index}",
            responsible_agency=agencies.jobcenter,
            membership=acting(anna),
            actor=anna,
        )
        measure_create(
            case=case,
            goal_group=goals[0].group,
            text=f"Schritt {index}",
            responsible_agency=agencies.jobcenter,
            membership=acting(anna),
            actor=anna,
        )
        assessment_record(
            case=case, subject=son, domain="education", need=2, membership=acting(anna), actor=anna
        )
        # Foreign content beside it: the Jobcenter's own notes about the mother.
        JournalEntry.objects.create(
            subject=mother,
            owner_agency=agencies.jobcenter,
            category=DataCategory.WORK,
            text=f"Notiz {index}",
            author=cem,
            case=case,
        )


def test_case_page_queries_do_not_grow_with_the_content(anna, cem, client_for, agencies):
    counts = []
    for size in (2, 12):
        persons = [PersonFactory.create(owner_agency=agencies.kim) for _ in range(2)]
        household = HouseholdFactory.create(owner_agency=agencies.kim, members=persons)
        case = _case_with_jobcenter(anna, cem, household, agencies)
        _consent_for(persons[0], anna, agencies, agencies.jobcenter)
        _fill(case, size, anna, cem, agencies)
        counts.append(_case_page_queries(client_for(cem), case))
    assert counts[0] == counts[1], counts


def test_a_hand_over_takes_effect_when_the_receiving_agency_accepts(
    anna, cem, ben, client_for, household, agencies
):
    case = _case_with_jobcenter(anna, cem, household, agencies)
    detail = reverse("case:detail", args=[case.pk])
    client_for(anna).post(
        reverse("case:handover", args=[case.pk]),
        {"to_agency": agencies.jobcenter.code, "reason": "Wechsel ins SGB II"},
    )
    # Another agency cannot answer for the Jobcenter; the case does not even exist for it.
    decide = reverse("case:handover_decide", args=[case.pk])
    assert client_for(ben).post(decide, {"decision": "accept"}).status_code == 404
    case.refresh_from_db()
    assert case.lead_agency == agencies.kim
    assert 'data-testid="handover"' in client_for(cem).get(detail).content.decode()
    assert client_for(cem).post(decide, {"decision": "accept"}).status_code == 302
    case.refresh_from_db()
    assert case.lead_agency == agencies.jobcenter
    assert case.lead_user == cem
    # KIM stays a participant but no longer steers.
    assert client_for(anna).get(detail).status_code == 200
    transition = reverse("case:transition", args=[case.pk])
    assert (
        client_for(anna)
        .post(transition, {"phase": "closed", "reason": "other", "version": case.version})
        .status_code
        == 404
    )


def test_a_change_of_benefit_law_proposes_the_hand_over_to_the_agency_of_the_new_law(
    anna, cem, household, agencies, client_for
):
    agencies.jobcenter.legal_domains = ["sgb_ii"]
    agencies.jobcenter.save()
    case = _case_with_jobcenter(anna, cem, household, agencies)
    mother = _members(household)[0]
    DomainTransitionFactory.create(
        residence_status=ResidenceStatusFactory.create(
            person=mother,
            owner_agency=agencies.kim,
            kind="residence_permit",
            paragraph="§ 25 Abs. 2 AufenthG",
        )
    )
    detail = reverse("case:detail", args=[case.pk])
    page = client_for(anna).get(detail).content.decode()
    assert 'data-testid="handover-hint"' in page
    hint = page.split('data-testid="handover-hint"')[1].split("</ul>")[0]
    assert "Rania Darwish" in hint
    assert agencies.jobcenter.name in hint
    # the hand-over form starts with the Jobcenter chosen and the reason written
    assert f'value="{agencies.jobcenter.code}" selected' in page
    assert "SGB II" in page.split('id="handover-reason"')[1].split(">")[0]
    # The participant that is not the lead is not asked to propose anything.
    assert 'data-testid="handover-hint"' not in client_for(cem).get(detail).content.decode()


def test_a_hidden_change_of_benefit_law_suggests_no_hand_over(
    anna, cem, household, agencies, client_for
):
    """A status the Ausländerbehörde recorded and KIM may not see must not show through a
    hint: the hint is read through the policy like the status itself."""
    agencies.jobcenter.legal_domains = ["sgb_ii"]
    agencies.jobcenter.save()
    case = _case_with_jobcenter(anna, cem, household, agencies)
    mother = _members(household)[0]
    DomainTransitionFactory.create(
        residence_status=ResidenceStatusFactory.create(
            person=mother,
            owner_agency=agencies.abh,
            kind="residence_permit",
            paragraph="§ 25 Abs. 2 AufenthG",
        )
    )
    page = client_for(anna).get(reverse("case:detail", args=[case.pk])).content.decode()
    assert 'data-testid="handover-hint"' not in page
    assert " selected>" not in page.split('id="handover-agency"')[1].split("</select>")[0]


def test_the_case_page_preview_reuses_the_plan_and_shows_what_a_fresh_read_shows(
    anna, cem, agencies
):
    """The case page hands the rows of its grid and plan to the timeline instead of reading
    them again; the preview must not differ from one read from the database — including
    measures whose goal the reader may not see."""
    from lotse.cases import selectors

    persons = [PersonFactory.create(owner_agency=agencies.kim) for _ in range(2)]
    household = HouseholdFactory.create(owner_agency=agencies.kim, members=persons)
    case = _case_with_jobcenter(anna, cem, household, agencies)
    _consent_for(persons[0], anna, agencies, agencies.jobcenter)
    _fill(case, 6, anna, cem, agencies)
    for user in (anna, cem):
        membership = acting(user)
        assessments = selectors.case_assessments(membership=membership, case=case)
        _plan, planned = selectors.case_plan(membership=membership, case=case)
        loaded = {
            "assessment": assessments,
            "goal": [row for row in planned if row._meta.model_name == "goal"],
            "measure": [row for row in planned if row._meta.model_name == "measure"],
        }
        for limit in (3, 10, 50):
            fresh, fresh_shown = selectors.case_timeline(
                membership=membership, case=case, limit=limit
            )
            reused, reused_shown = selectors.case_timeline(
                membership=membership, case=case, limit=limit, loaded=loaded
            )
            assert [(t.kind, t.item.group, len(t.persons)) for t in reused] == [
                (t.kind, t.item.group, len(t.persons)) for t in fresh
            ]
            assert {policy_key(i) for i in reused_shown} == {policy_key(i) for i in fresh_shown}


def policy_key(item: Any) -> tuple[str, int]:
    return (item._meta.label, item.pk)
