"""Case conferences: the consent check for the conference purpose, minutes per topic and
person, decisions that become tasks — and who sees what of them."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from lotse.accounts.tests.factories import acting
from lotse.cases.models import CaseConference, ConferenceDecision
from lotse.cases.services import (
    case_open,
    case_participant_save,
    conference_decision_record,
    conference_minute_record,
    conference_plan,
)
from lotse.consent.categories import DataCategory
from lotse.consent.models import ConsentPurpose
from lotse.consent.tests.factories import record_directly
from lotse.people.tests.factories import HouseholdFactory, PersonFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def setting(anna: Any, cem: Any, agencies: Any) -> Any:
    mother = PersonFactory.create(
        owner_agency=agencies.kim, given_names="Hala", family_name="Nasser"
    )
    father = PersonFactory.create(
        owner_agency=agencies.kim, given_names="Adel", family_name="Nasser"
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
    conference = conference_plan(
        case=case,
        scheduled_at=timezone.now() + timedelta(days=3),
        agencies=[agencies.jobcenter],
        topics=["work"],
        family=[mother],
        place="Rathaus",
        membership=acting(anna),
        actor=anna,
    )
    return case, conference, mother, father


def _consent(person: Any, anna: Any, agencies: Any, purpose: str) -> None:
    record_directly(
        subject=person,
        recorded_by=anna,
        recording_agency=agencies.kim,
        disclosing=[agencies.kim],
        recipients=[agencies.jobcenter],
        categories=[DataCategory.IDENTITY, DataCategory.WORK, DataCategory.CASE_PLAN],
        purpose=purpose,
    )


def _hold(client: Any, conference: CaseConference) -> Any:
    """Hold the conference (planned three days ahead: confirmed as taking place earlier)."""
    conference.refresh_from_db()
    return client.post(
        reverse("case:conference_hold", args=[conference.pk]),
        {"version": conference.version, "early": "on"},
    )


def test_a_conference_is_held_only_under_consents_covering_the_conference(
    anna, client_for, setting, agencies
):
    _case, conference, mother, father = setting
    client = client_for(anna)
    page = client.get(reverse("case:conference", args=[conference.pk])).content.decode()
    # Two persons, each for the plan and the agenda's topic (work).
    assert page.count('data-testid="gap-row"') == 4
    # A consent for benefits names the right categories but not the purpose: still refused.
    for person in (mother, father):
        _consent(person, anna, agencies, ConsentPurpose.BENEFITS)
    refused = _hold(client, conference)
    assert refused.status_code == 400
    assert "Nasser" in refused.content.decode()
    conference.refresh_from_db()
    assert conference.status == CaseConference.Status.PLANNED
    for person in (mother, father):
        _consent(person, anna, agencies, ConsentPurpose.CASE_CONFERENCE)
    assert _hold(client, conference).status_code == 302
    conference.refresh_from_db()
    assert conference.status == CaseConference.Status.HELD


def test_minutes_reach_an_agency_only_under_a_consent_covering_the_conference(
    anna, cem, client_for, setting, agencies
):
    case, conference, mother, father = setting
    _consent(mother, anna, agencies, ConsentPurpose.CASE_CONFERENCE)
    _consent(father, anna, agencies, ConsentPurpose.REFERRAL)  # a referral: not the conference
    CaseConference.objects.filter(pk=conference.pk).update(status="held")
    conference.refresh_from_db()
    conference_minute_record(
        conference=conference,
        subjects=[mother, father],
        topic="work",
        text="Beide suchen Arbeit in der Pflege.",
        membership=acting(anna),
        actor=anna,
    )
    (decision, _other) = conference_decision_record(
        conference=conference,
        subjects=[mother, father],
        text="Vermittlung in Pflegehelferkurs",
        responsible_agency=agencies.jobcenter,
        responsible_user=cem,
        due_date=timezone.localdate() + timedelta(days=14),
        membership=acting(anna),
        actor=anna,
    )
    html = client_for(cem).get(reverse("case:conference", args=[conference.pk])).content.decode()
    assert "Beide suchen Arbeit" in html
    assert "Hala" in html
    assert "Adel" not in html  # his rows open only under a consent covering the conference
    assert "Vermittlung in Pflegehelferkurs" in html
    # The Jobcenter carries out the task and says when it is done.
    done = client_for(cem).post(reverse("case:decision_done", args=[conference.pk, decision.group]))
    assert done.status_code == 302
    assert set(
        ConferenceDecision.objects.filter(group=decision.group).values_list("status", flat=True)
    ) == {"done"}
    pdf = client_for(cem).get(reverse("case:minutes_pdf", args=[conference.pk]))
    assert pdf.status_code == 200
    assert pdf.content.startswith(b"%PDF")
    del case


def test_an_agency_that_does_not_attend_finds_no_conference(dora, ben, client_for, setting):
    _case, conference, _mother, _father = setting
    for user in (dora, ben):
        assert (
            client_for(user).get(reverse("case:conference", args=[conference.pk])).status_code
            == 404
        )


def test_minutes_wait_until_the_conference_is_held(anna, client_for, setting):
    _case, conference, mother, _father = setting
    response = client_for(anna).post(
        reverse("case:conference_minute", args=[conference.pk]),
        {"minute-subjects": [mother.public_id], "minute-topic": "work", "minute-text": "Früh."},
    )
    assert response.status_code == 400


def test_the_conference_names_who_comes_for_each_agency(anna, cem, client_for, setting):
    """Agencies attend with a person: the case's contact person, the lead case manager for
    the lead agency — on the conference page and in the minutes."""
    _case, conference, _mother, _father = setting
    page = client_for(anna).get(reverse("case:conference", args=[conference.pk]))
    text = page.content.decode()
    assert f"Jobcenter ({cem.get_full_name()})" in text
    assert f"({anna.get_full_name()})" in text


def _held_with_consents(setting: Any, anna: Any, agencies: Any) -> Any:
    _case, conference, mother, father = setting
    for person in (mother, father):
        _consent(person, anna, agencies, ConsentPurpose.CASE_CONFERENCE)
    CaseConference.objects.filter(pk=conference.pk).update(status="held")
    conference.refresh_from_db()
    return conference


def test_a_recorded_decision_is_at_once_a_task_of_the_responsible_agency_and_person(
    anna, cem, setting, agencies
):
    from lotse.scheduling.models import Task, TaskStatus
    from lotse.scheduling.services import run_deadlines

    conference = _held_with_consents(setting, anna, agencies)
    _case, _conference, mother, father = setting
    due = timezone.localdate() + timedelta(days=40)  # beyond the run's first warning
    decisions = conference_decision_record(
        conference=conference,
        subjects=[mother, father],
        text="Vermittlung in Pflegehelferkurs",
        responsible_agency=agencies.jobcenter,
        responsible_user=cem,
        due_date=due,
        membership=acting(anna),
        actor=anna,
    )
    tasks = Task.objects.filter(source_key__startswith="decision:").order_by("subject_id")
    assert [(t.subject_id, t.owner_agency_id, t.assignee_id, t.due_on) for t in tasks] == sorted(
        (d.subject_id, agencies.jobcenter.pk, cem.pk, due) for d in decisions
    )
    assert {t.source_key for t in tasks} == {f"decision:{d.pk}:{due:%Y-%m-%d}" for d in decisions}
    assert all(t.status == TaskStatus.OPEN and t.case_id == conference.case_id for t in tasks)
    # The nightly run, even once the decision is in reach, makes no second task.
    run_deadlines(today=due - timedelta(days=3))
    assert Task.objects.filter(source_key__startswith="decision:").count() == 2


def test_a_decision_without_a_named_person_is_a_task_of_the_agency(anna, setting, agencies):
    from lotse.scheduling.models import Task

    conference = _held_with_consents(setting, anna, agencies)
    _case, _conference, mother, _father = setting
    (decision,) = conference_decision_record(
        conference=conference,
        subjects=[mother],
        text="Sprachkurs klären",
        responsible_agency=agencies.jobcenter,
        due_date=timezone.localdate() + timedelta(days=11),
        membership=acting(anna),
        actor=anna,
    )
    task = Task.objects.get(source_key__startswith=f"decision:{decision.pk}:")
    assert task.owner_agency_id == agencies.jobcenter.pk
    assert task.due_on == decision.due_date


def test_a_decision_marked_done_closes_its_task(anna, cem, setting, agencies):
    from lotse.cases.services import conference_decision_done
    from lotse.scheduling.models import Task, TaskStatus

    conference = _held_with_consents(setting, anna, agencies)
    _case, _conference, mother, father = setting
    (decision, _other) = conference_decision_record(
        conference=conference,
        subjects=[mother, father],
        text="Bewerbung schreiben",
        responsible_agency=agencies.jobcenter,
        responsible_user=cem,
        due_date=timezone.localdate() + timedelta(days=5),
        membership=acting(anna),
        actor=anna,
    )
    conference_decision_done(
        conference=conference, group=decision.group, membership=acting(cem), actor=cem
    )
    tasks = Task.objects.filter(source_key__startswith="decision:")
    assert tasks.count() == 2
    assert set(tasks.values_list("status", flat=True)) == {TaskStatus.DONE}


def test_a_changed_due_date_moves_the_decisions_task(anna, cem, setting, agencies):
    from lotse.cases.services import conference_decision_due_change
    from lotse.scheduling.models import Task

    conference = _held_with_consents(setting, anna, agencies)
    _case, _conference, mother, _father = setting
    (decision,) = conference_decision_record(
        conference=conference,
        subjects=[mother],
        text="Kita-Platz beantragen",
        responsible_agency=agencies.jobcenter,
        due_date=timezone.localdate() + timedelta(days=5),
        membership=acting(anna),
        actor=anna,
    )
    later = timezone.localdate() + timedelta(days=20)
    conference_decision_due_change(
        conference=conference,
        group=decision.group,
        due_date=later,
        membership=acting(anna),
        actor=anna,
    )
    (task,) = Task.objects.filter(source_key__startswith=f"decision:{decision.pk}:")
    assert task.due_on == later
    assert task.source_key == f"decision:{decision.pk}:{later:%Y-%m-%d}"


def test_the_interpreter_language_is_named_not_coded(anna, client_for, setting, agencies):
    case, _conference, mother, _father = setting
    conference = conference_plan(
        case=case,
        scheduled_at=timezone.now() + timedelta(days=3),
        agencies=[agencies.jobcenter],
        topics=["work"],
        family=[mother],
        place="Rathaus",
        interpreter_language="ar",
        membership=acting(anna),
        actor=anna,
    )
    html = client_for(anna).get(reverse("case:conference", args=[conference.pk])).content.decode()
    assert "Arabisch" in html
    assert ">ar<" not in html


def test_a_conference_is_not_held_before_its_day_without_confirmation(
    anna, client_for, setting, agencies
):
    _case, conference, mother, father = setting
    for person in (mother, father):
        _consent(person, anna, agencies, ConsentPurpose.CASE_CONFERENCE)
    client = client_for(anna)
    assert (
        'name="early"'
        in client.get(reverse("case:conference", args=[conference.pk])).content.decode()
    )
    refused = client.post(
        reverse("case:conference_hold", args=[conference.pk]), {"version": conference.version}
    )
    assert refused.status_code == 400
    conference.refresh_from_db()
    assert conference.status == CaseConference.Status.PLANNED
    assert _hold(client, conference).status_code == 302
    conference.refresh_from_db()
    assert conference.status == CaseConference.Status.HELD


# --- the lead moves a decision's due date from the conference page ---------------------------


def _open_decision(setting: Any, anna: Any, agencies: Any, *, both: bool = True) -> Any:
    """A decision of the held conference for the mother (and the father), due in five days."""
    conference = _held_with_consents(setting, anna, agencies)
    _case, _conference, mother, father = setting
    decisions = conference_decision_record(
        conference=conference,
        subjects=[mother, father] if both else [mother],
        text="Kita-Platz beantragen",
        responsible_agency=agencies.jobcenter,
        due_date=timezone.localdate() + timedelta(days=5),
        membership=acting(anna),
        actor=anna,
    )
    return conference, decisions


def _english(client: Any) -> Any:
    client.cookies["lotse_language"] = "en"
    return client


def _move(client: Any, conference: Any, group: Any, due: str, shown: Any) -> Any:
    return client.post(
        reverse("case:decision_due", args=[conference.pk, group]),
        {"due_date": due, "shown": str(shown)},
    )


def _due_dates(group: Any) -> set[Any]:
    return set(ConferenceDecision.objects.filter(group=group).values_list("due_date", flat=True))


def _decision_tasks(decisions: Any) -> list[tuple[int, Any, str]]:
    from lotse.scheduling.models import Task

    return sorted(
        (task.pk, task.due_on, task.source_key)
        for task in Task.objects.filter(source_key__startswith="decision:").filter(
            source_key__regex=r"^decision:(" + "|".join(str(d.pk) for d in decisions) + "):"
        )
    )


def test_the_lead_moves_a_decisions_due_date_and_its_tasks_with_it(
    anna, client_for, setting, agencies
):
    from lotse.audit.models import AuditAction, AuditEvent
    from lotse.scheduling.models import Task

    conference, decisions = _open_decision(setting, anna, agencies)
    group = decisions[0].group
    client = _english(client_for(anna))
    page = client.get(reverse("case:conference", args=[conference.pk])).content.decode()
    # Next to the decision: a date field with its label tied to it, showing the current date.
    field_id = f"due-{group}-due_date"
    assert 'data-testid="decision-due"' in page
    assert f'<label class="kern-label" for="{field_id}">New due date' in page
    assert f'id="{field_id}"' in page
    assert f'value="{decisions[0].due_date:%Y-%m-%d}"' in page
    tasks_before = _decision_tasks(decisions)
    events_before = AuditEvent.objects.count()
    later = timezone.localdate() + timedelta(days=20)

    moved = _move(client, conference, group, later.isoformat(), decisions[0].due_date)

    assert moved.status_code == 302
    assert moved["Location"] == reverse("case:conference", args=[conference.pk])
    assert _due_dates(group) == {later}
    # The same two tasks, moved and re-keyed: no second task for the new date.
    tasks = _decision_tasks(decisions)
    assert [pk for pk, _due, _key in tasks] == [pk for pk, _due, _key in tasks_before]
    assert {(due, key) for _pk, due, key in tasks} == {
        (later, f"decision:{d.pk}:{later:%Y-%m-%d}") for d in decisions
    }
    assert Task.objects.filter(source_key__startswith="decision:").count() == 2
    (event,) = AuditEvent.objects.order_by("pk")[events_before:]
    assert event.action == AuditAction.CASE_CONTENT_SAVED
    assert event.actor_id == anna.pk
    assert event.detail == {"case": conference.case_id, "kind": "decision", "due": str(later)}
    after = client.get(moved["Location"]).content.decode()
    assert "The due date has been changed" in after


def test_an_attending_agency_does_not_move_the_lead_agencys_date(
    anna, cem, client_for, setting, agencies
):
    """The Jobcenter carries the decision out and sees it, but only the lead moves its date."""
    conference, decisions = _open_decision(setting, anna, agencies)
    group = decisions[0].group
    tasks_before = _decision_tasks(decisions)
    client = client_for(cem)
    page = client.get(reverse("case:conference", args=[conference.pk])).content.decode()
    assert "Kita-Platz beantragen" in page
    assert 'data-testid="decision-due"' not in page
    later = timezone.localdate() + timedelta(days=20)
    refused = _move(client, conference, group, later.isoformat(), decisions[0].due_date)
    assert refused.status_code == 404
    assert _due_dates(group) == {decisions[0].due_date}
    assert _decision_tasks(decisions) == tasks_before


def test_a_decision_of_another_conference_or_an_unknown_one_is_not_there(
    anna, client_for, setting, agencies
):
    import uuid

    case, _conference, mother, _father = setting
    conference, decisions = _open_decision(setting, anna, agencies)
    other = conference_plan(
        case=case,
        scheduled_at=timezone.now(),
        agencies=[agencies.jobcenter],
        topics=["work"],
        family=[mother],
        place="Stadthaus",
        membership=acting(anna),
        actor=anna,
    )
    CaseConference.objects.filter(pk=other.pk).update(status="held")
    other.refresh_from_db()
    (elsewhere,) = conference_decision_record(
        conference=other,
        subjects=[mother],
        text="Sprachkurs anmelden",
        responsible_agency=agencies.jobcenter,
        due_date=timezone.localdate() + timedelta(days=3),
        membership=acting(anna),
        actor=anna,
    )
    client = client_for(anna)
    later = (timezone.localdate() + timedelta(days=20)).isoformat()
    for group in (elsewhere.group, uuid.uuid4()):
        # Refused alike with valid input and with input that would be a form error.
        for due in (later, ""):
            response = _move(client, conference, group, due, elsewhere.due_date)
            assert response.status_code == 404
    assert _due_dates(elsewhere.group) == {elsewhere.due_date}
    assert _due_dates(decisions[0].group) == {decisions[0].due_date}


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("past", "This date has passed: choose today or a later day."),
        ("", "Say by when it is to be done."),
        ("bald", "Enter a valid date."),
        ("2025-02-30", "Enter a valid date."),
    ],
)
def test_a_past_missing_or_garbled_date_is_refused_on_its_field(
    anna, client_for, setting, agencies, typed, message
):
    conference, decisions = _open_decision(setting, anna, agencies, both=False)
    (decision,) = decisions
    if typed == "past":
        typed = (timezone.localdate() - timedelta(days=1)).isoformat()
    tasks_before = _decision_tasks(decisions)

    response = _move(
        _english(client_for(anna)), conference, decision.group, typed, decision.due_date
    )

    assert response.status_code == 400
    html = response.content.decode()
    summary = html.split('id="error-summary"')[1].split("</ul>")[0]
    field_id = f"due-{decision.group}-due_date"
    assert f'href="#{field_id}"' in summary
    assert f"New due date: {message}" in summary
    # The form comes back with what was typed (and the other forms of the page unbound).
    if typed:
        assert f'value="{typed}"' in html
    assert f'id="{field_id}_error"' in html
    assert _due_dates(decision.group) == {decision.due_date}
    assert _decision_tasks(decisions) == tasks_before


def test_a_change_from_an_older_page_is_refused_as_stale(anna, client_for, setting, agencies):
    from lotse.cases.services import conference_decision_done, conference_decision_due_change

    conference, decisions = _open_decision(setting, anna, agencies)
    group = decisions[0].group
    shown = decisions[0].due_date
    moved_meanwhile = timezone.localdate() + timedelta(days=9)
    conference_decision_due_change(
        conference=conference,
        group=group,
        due_date=moved_meanwhile,
        membership=acting(anna),
        actor=anna,
    )
    client = _english(client_for(anna))
    later = (timezone.localdate() + timedelta(days=20)).isoformat()

    stale = _move(client, conference, group, later, shown)

    assert stale.status_code == 400
    assert "Someone else changed this in the meantime" in stale.content.decode()
    assert _due_dates(group) == {moved_meanwhile}
    # Marked done meanwhile: refused the same way, and nothing reopens.
    conference_decision_done(
        conference=conference, group=group, membership=acting(anna), actor=anna
    )
    done = _move(client, conference, group, later, moved_meanwhile)
    assert done.status_code == 400
    assert "Someone else changed this in the meantime" in done.content.decode()
    assert _due_dates(group) == {moved_meanwhile}
    assert set(ConferenceDecision.objects.filter(group=group).values_list("status", flat=True)) == {
        "done"
    }


def test_a_form_without_the_date_it_showed_asks_to_reload(anna, client_for, setting, agencies):
    conference, decisions = _open_decision(setting, anna, agencies, both=False)
    (decision,) = decisions
    later = (timezone.localdate() + timedelta(days=20)).isoformat()
    response = _english(client_for(anna)).post(
        reverse("case:decision_due", args=[conference.pk, decision.group]), {"due_date": later}
    )
    assert response.status_code == 400
    assert "Reload the page and try again." in response.content.decode()
    assert _due_dates(decision.group) == {decision.due_date}


def _second_jobcenter_caseworker(agencies: Any) -> Any:
    from lotse.accounts.roles import Role
    from lotse.accounts.tests.factories import member

    return member("jana", agencies.jobcenter, Role.CASEWORKER, first_name="Jana", last_name="Jung")


def _decide_for(conference: Any, person: Any, user: Any, anna: Any, agencies: Any) -> Any:
    return conference_decision_record(
        conference=conference,
        subjects=[person],
        text="Bewerbungstraining",
        responsible_agency=agencies.jobcenter,
        responsible_user=user,
        due_date=timezone.localdate() + timedelta(days=20),
        membership=acting(anna),
        actor=anna,
    )


def test_under_need_to_know_a_decision_names_only_someone_who_works_on_the_case(
    anna, cem, setting, agencies
):
    """The lead cannot open another agency's case to its unassigned staff through a task."""
    from django.core.exceptions import ValidationError

    from lotse.scheduling.models import Task

    conference = _held_with_consents(setting, anna, agencies)
    _case, _conference, mother, _father = setting
    jana = _second_jobcenter_caseworker(agencies)
    agencies.jobcenter.need_to_know = True
    agencies.jobcenter.save(update_fields=["need_to_know"])

    with pytest.raises(ValidationError) as refused:
        _decide_for(conference, mother, jana, anna, agencies)
    assert "responsible_user" in refused.value.message_dict
    assert "Jana Jung" in refused.value.message_dict["responsible_user"][0]
    assert not ConferenceDecision.objects.exists()
    assert not Task.objects.filter(source_key__startswith="decision:").exists()

    # the Jobcenter's contact person works on the case: named, and the task is theirs
    (decision,) = _decide_for(conference, mother, cem, anna, agencies)
    assert Task.objects.get(source_key__startswith=f"decision:{decision.pk}:").assignee == cem


def test_without_need_to_know_any_caseworker_of_the_agency_may_be_named(anna, setting, agencies):
    conference = _held_with_consents(setting, anna, agencies)
    _case, _conference, mother, _father = setting
    jana = _second_jobcenter_caseworker(agencies)
    (decision,) = _decide_for(conference, mother, jana, anna, agencies)
    assert decision.responsible_user == jana


def test_the_conference_page_names_the_field_when_the_person_may_not_see_the_case(
    anna, client_for, setting, agencies
):
    conference = _held_with_consents(setting, anna, agencies)
    _case, _conference, mother, _father = setting
    _second_jobcenter_caseworker(agencies)
    agencies.jobcenter.need_to_know = True
    agencies.jobcenter.save(update_fields=["need_to_know"])
    response = _english(client_for(anna)).post(
        reverse("case:conference_decision", kwargs={"pk": conference.pk}),
        {
            "decision-subjects": [mother.public_id],
            "decision-text": "Bewerbungstraining",
            "decision-responsible_agency": agencies.jobcenter.code,
            "decision-responsible_user": "jana",
            "decision-due_date": (timezone.localdate() + timedelta(days=20)).isoformat(),
        },
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "Jana Jung does not work on this family&#x27;s case" in page
    assert 'href="#id_decision-responsible_user"' in page  # the summary names the field
    assert not ConferenceDecision.objects.exists()
