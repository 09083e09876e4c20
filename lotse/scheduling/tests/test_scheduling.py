"""Daily work: deadlines from data, the idempotent run, tasks and appointments under the
access core, the calendar feed without personal data, the invitation in the family's
language, and the start page — each tried by another agency too."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation
from icalendar import Calendar

from lotse.accounts.models import User
from lotse.accounts.tests.factories import acting
from lotse.audit.models import AuditAction, AuditEvent
from lotse.cases.services import case_open
from lotse.consent.categories import DataCategory
from lotse.consent.tests.factories import record_directly
from lotse.people.choices import ResidenceKind
from lotse.people.models import HouseholdMember, Person, ResidenceStatus
from lotse.people.services import HouseholdData, MemberData, PersonData, household_register
from lotse.scheduling import selectors, services
from lotse.scheduling.deadlines import school_start
from lotse.scheduling.models import (
    Appointment,
    DeadlineKind,
    DeadlineRule,
    ReminderSubscription,
    Task,
    TaskStatus,
)

pytestmark = pytest.mark.django_db

TODAY = date(2026, 12, 2)


def _family(user: User, *names: tuple[str, date]) -> tuple[list[Person], Any]:
    members = [
        MemberData(
            person=PersonData(given_names=given, family_name="Haddad", birth_date=born),
            role="head" if index == 0 else "child",
        )
        for index, (given, born) in enumerate(names)
    ]
    household = household_register(
        household=HouseholdData(street="Berliner Straße 1", postcode="42275"),
        members=members,
        membership=acting(user),
        actor=user,
    )
    case = case_open(household=household, membership=acting(user), actor=user)
    persons = [
        m.person
        for m in HouseholdMember.objects.filter(household=household)
        .select_related("person")
        .order_by("pk")
    ]
    return persons, case


def _permit(person: Person, user: User, *, until: date, since: date | None = None) -> Any:
    return ResidenceStatus.objects.create(
        person=person,
        owner_agency=acting(user).agency,
        kind=ResidenceKind.RESIDENCE_PERMIT,
        paragraph="§ 25 Abs. 2 AufenthG",
        valid_from=since or until - timedelta(days=3 * 365),
        valid_until=until,
        recorded_by=user,
    )


@pytest.fixture
def family(anna: User) -> tuple[list[Person], Any]:
    return _family(anna, ("Samira", date(1988, 3, 4)), ("Yusuf", date(2020, 5, 17)))


def test_school_entry_follows_the_nrw_cut_off() -> None:
    assert school_start(date(2020, 9, 30)) == date(2026, 8, 1)
    assert school_start(date(2020, 10, 1)) == date(2027, 8, 1)
    assert school_start(date(2021, 1, 15)) == date(2027, 8, 1)


def test_a_permit_expiring_in_20_days_is_a_deadline_with_its_reason(
    anna: User, family: Any
) -> None:
    (mother, _child), _case = family
    _permit(mother, anna, until=TODAY + timedelta(days=20))
    rows = selectors.deadline_list(membership=acting(anna), within_days=30, today=TODAY)
    (row,) = [r for r in rows if r.deadline.kind == DeadlineKind.RESIDENCE_EXPIRY]
    assert row.person == mother
    assert row.days_left == 20
    assert row.step == 30
    assert "§ 81 Abs. 4 AufenthG" in row.rule.reason


def test_a_newer_permit_replaces_the_expiring_one(anna: User, family: Any) -> None:
    (mother, _child), _case = family
    _permit(mother, anna, until=TODAY + timedelta(days=20))
    _permit(mother, anna, until=TODAY + timedelta(days=900), since=TODAY)
    kinds = {
        r.deadline.kind
        for r in selectors.deadline_list(membership=acting(anna), within_days=30, today=TODAY)
    }
    assert DeadlineKind.RESIDENCE_EXPIRY not in kinds


def test_deadlines_of_another_agency_stay_hidden_without_a_basis(
    anna: User, ben: User, family: Any
) -> None:
    (mother, _child), _case = family
    _permit(mother, anna, until=TODAY + timedelta(days=20))
    # The Jugendamt neither takes part nor has a basis: no deadline, not even a count.
    assert selectors.deadline_list(membership=acting(ben), within_days=90, mine=False) == []


def test_a_switched_off_rule_shows_nothing(anna: User, family: Any) -> None:
    (mother, _child), _case = family
    _permit(mother, anna, until=TODAY + timedelta(days=20))
    DeadlineRule.objects.filter(kind=DeadlineKind.RESIDENCE_EXPIRY).update(is_active=False)
    rows = selectors.deadline_list(membership=acting(anna), within_days=30, today=TODAY)
    assert all(r.deadline.kind != DeadlineKind.RESIDENCE_EXPIRY for r in rows)


def test_run_deadlines_creates_each_task_once_and_dry_run_writes_nothing(
    anna: User, family: Any
) -> None:
    (mother, child), case = family
    _permit(mother, anna, until=TODAY + timedelta(days=60))
    # Yusuf (born May 2020) starts school on 1 August 2026 — passed; a child born in
    # February 2026 turns one in February 2027, within the Kita rule's 180 days.
    Person.objects.filter(pk=child.pk).update(birth_date=date(2026, 2, 10), birth_year=2026)

    dry = services.run_deadlines(today=TODAY, dry_run=True)
    assert {d.kind for d in dry.would_create} == {
        DeadlineKind.RESIDENCE_EXPIRY,
        DeadlineKind.KITA_AGE,
    }
    assert not Task.objects.exists()

    first = services.run_deadlines(today=TODAY)
    assert first.created == {DeadlineKind.RESIDENCE_EXPIRY: 1, DeadlineKind.KITA_AGE: 1}
    again = services.run_deadlines(today=TODAY)
    assert sum(again.created.values()) == 0
    task = Task.objects.get(rule__kind=DeadlineKind.RESIDENCE_EXPIRY)
    assert task.assignee == anna  # the lead case manager
    assert task.case_id == case.pk
    assert task.due_on == TODAY + timedelta(days=60)
    assert AuditEvent.objects.filter(action=AuditAction.DEADLINE_TASKS_CREATED).count() == 1


def test_the_command_prints_what_it_would_create(anna: User, family: Any, capsys: Any) -> None:
    (mother, _child), _case = family
    _permit(mother, anna, until=timezone.localdate() + timedelta(days=20))
    call_command("run_deadlines", "--dry-run")
    out = capsys.readouterr().out
    assert "residence_expiry" in out
    assert not Task.objects.exists()
    call_command("run_deadlines")
    assert Task.objects.count() == 1


def _task(user: User, person: Person, **values: Any) -> Task:
    values.setdefault("due_on", TODAY)
    return services.task_create(
        membership=acting(user), actor=user, subject=person, title="Unterlagen anfordern", **values
    )


def test_a_task_stays_inside_its_agency_even_with_the_persons_consent(
    anna: User, ben: User, family: Any, client_for: Any
) -> None:
    (mother, _child), _case = family
    task = _task(anna, mother)
    # A consent of the mother releases KIM's case plan to the Jugendamt — not KIM's tasks.
    record_directly(
        subject=mother,
        recorded_by=anna,
        recording_agency=acting(anna).agency,
        disclosing=[acting(anna).agency],
        recipients=[acting(ben).agency],
        categories=[DataCategory.IDENTITY, DataCategory.CASE_PLAN],
    )
    ben_client = client_for(ben)
    assert ben_client.get(reverse("scheduling:task", kwargs={"pk": task.pk})).status_code == 404
    response = ben_client.post(
        reverse("scheduling:task_complete", kwargs={"pk": task.pk}), {"version": task.version}
    )
    assert response.status_code == 404
    task.refresh_from_db()
    assert task.status == TaskStatus.OPEN
    assert "Unterlagen" not in ben_client.get(reverse("scheduling:tasks")).content.decode()


def test_completing_a_task_removes_it_from_the_start_page(
    anna: User, family: Any, client_for: Any
) -> None:
    (mother, _child), _case = family
    task = _task(anna, mother, due_on=timezone.localdate())
    client = client_for(anna)
    page = client.get(reverse("start")).content.decode()
    assert "Unterlagen anfordern" in page
    response = client.post(
        reverse("scheduling:task_complete", kwargs={"pk": task.pk}),
        {"version": task.version, "next": "start"},
    )
    assert response.status_code == 302
    assert "Unterlagen anfordern" not in client.get(reverse("start")).content.decode()


def test_a_stale_completion_is_refused(anna: User, family: Any, client_for: Any) -> None:
    (mother, _child), _case = family
    task = _task(anna, mother)
    client = client_for(anna)
    url = reverse("scheduling:task_complete", kwargs={"pk": task.pk})
    client.post(
        reverse("scheduling:task_reassign", kwargs={"pk": task.pk}),
        {
            "assignee": anna.pk,
            "due_on": "2026-12-24",
            "version": task.version,
        },
    )
    response = client.post(url, {"version": task.version}, follow=True)
    with translation.override("en"):
        assert "changed this task in the meantime" in response.content.decode() or (
            "in der Zwischenzeit" in response.content.decode()
        )
    task.refresh_from_db()
    assert task.status == TaskStatus.OPEN


def _appointment(user: User, person: Person, case: Any, **values: Any) -> Appointment:
    start = timezone.make_aware(datetime.combine(timezone.localdate(), time(10, 0)))
    data = services.AppointmentData(
        starts_at=start,
        ends_at=start + timedelta(hours=1),
        purpose="Bewerbung besprechen",
        place="Rathaus Barmen, Raum 12",
        **values,
    )
    return services.appointment_create(
        membership=acting(user), actor=user, subject=person, case=case, data=data
    )


def test_an_appointment_reaches_a_participating_agency_only_under_a_basis(
    anna: User, cem: User, family: Any, client_for: Any
) -> None:
    (mother, _child), case = family
    jobcenter = acting(cem).agency
    appointment = _appointment(anna, mother, case, category=DataCategory.WORK, agencies=[jobcenter])
    url = reverse("scheduling:appointment", kwargs={"pk": appointment.pk})
    cem_client = client_for(cem)
    assert cem_client.get(url).status_code == 404  # taking part opens nothing by itself
    record_directly(
        subject=mother,
        recorded_by=anna,
        recording_agency=acting(anna).agency,
        disclosing=[acting(anna).agency],
        recipients=[jobcenter],
        categories=[DataCategory.IDENTITY, DataCategory.WORK],
    )
    assert cem_client.get(url).status_code == 200
    # Seeing is not owning: the Jobcenter cannot move or cancel it.
    response = cem_client.post(
        reverse("scheduling:appointment_close", kwargs={"pk": appointment.pk}),
        {"status": "cancelled", "text": "x", "version": appointment.version},
    )
    assert response.status_code == 404


def test_overlapping_appointments_are_shown_before_saving(
    anna: User, family: Any, client_for: Any
) -> None:
    (mother, _child), case = family
    _appointment(anna, mother, case)
    client = client_for(anna)
    url = reverse("scheduling:appointment_new") + f"?person={mother.public_id}"
    data = {
        "day": timezone.localdate().isoformat(),
        "starts": "10:30",
        "ends": "11:00",
        "place": "Rathaus",
        "purpose": "Zweiter Termin",
        "category": "case_plan",
    }
    response = client.post(url, data)
    assert response.status_code == 400
    assert 'data-testid="appointment-conflicts"' in response.content.decode()
    assert client.post(url, {**data, "despite_conflicts": "1"}).status_code == 302
    assert Appointment.objects.count() == 2


def test_the_calendar_feed_carries_no_personal_data_and_can_be_revoked(
    anna: User, family: Any, client_for: Any
) -> None:
    (mother, _child), case = family
    _appointment(anna, mother, case)
    _task(anna, mother, due_on=timezone.localdate() + timedelta(days=2))
    token = services.calendar_feed_create(membership=acting(anna), actor=anna)
    feed_url = reverse("scheduling:calendar_feed", kwargs={"token": token})
    anonymous = client_for(None)
    response = anonymous.get(feed_url)
    assert response.status_code == 200
    body = response.content.decode()
    calendar = Calendar.from_ical(response.content)
    events = list(calendar.walk("VEVENT"))
    assert len(events) == 2
    assert {str(e["summary"]) for e in events} == {"Termin – Lotse", "Aufgabe fällig – Lotse"}
    for secret in ("Samira", "Haddad", "Bewerbung", "Rathaus", "Unterlagen", mother.public_id):
        assert secret not in body
    services.calendar_feed_revoke(membership=acting(anna), actor=anna)
    assert anonymous.get(feed_url).status_code == 404
    assert anonymous.get("/calendar/feed/guessed.ics").status_code == 404


def test_the_invitation_is_printed_in_german_and_arabic(
    anna: User, family: Any, client_for: Any
) -> None:
    (mother, _child), case = family
    appointment = _appointment(anna, mother, case, interpreter_language="ar", interpreter="needed")
    url = reverse("scheduling:appointment_invitation", kwargs={"pk": appointment.pk})
    page = client_for(anna).get(url + "?language=ar").content.decode()
    assert 'lang="ar" dir="rtl"' in page
    assert "دعوة" in page
    months = (
        "يناير",
        "فبراير",
        "مارس",
        "أبريل",
        "مايو",
        "يونيو",
        "يوليو",
        "أغسطس",
        "سبتمبر",
        "أكتوبر",
        "نوفمبر",
        "ديسمبر",
    )
    assert any(month in page for month in months)
    assert 'lang="de" dir="ltr"' in page
    # A language the family was not offered is missing, not guessed.
    assert client_for(anna).get(url + "?language=xx").status_code == 404


def test_the_start_page_costs_the_same_queries_for_one_task_or_ten(
    anna: User, family: Any, client_for: Any
) -> None:
    (mother, child), case = family
    _task(anna, mother)
    client = client_for(anna)
    client.get(reverse("start"))
    with CaptureQueriesContext(connection) as one:
        client.get(reverse("start"))
    for _ in range(9):
        _task(anna, child)
        _appointment(anna, child, case)
    with CaptureQueriesContext(connection) as ten:
        client.get(reverse("start"))
    assert len(ten) == len(one)


def test_api_tasks_complete_and_deadlines(anna: User, ben: User, family: Any) -> None:
    from lotse.accounts.services import api_token_create

    (mother, _child), _case = family
    _permit(mother, anna, until=timezone.localdate() + timedelta(days=20))
    task = _task(anna, mother, due_on=timezone.localdate())

    def client(user: User) -> Any:
        from django.test import Client

        token = api_token_create(user=user, name="test")
        return Client(HTTP_AUTHORIZATION=f"Bearer {token.raw}")

    api = client(anna)
    tasks = api.get("/api/v1/tasks?mine=1").json()
    assert [t["id"] for t in tasks["items"]] == [task.pk]
    deadlines = api.get("/api/v1/deadlines?within_days=30").json()
    assert [d["kind"] for d in deadlines["items"]] == ["residence_expiry"]
    assert deadlines["items"][0]["days_left"] == 20
    other = client(ben)
    assert other.get("/api/v1/tasks").json()["items"] == []
    refused = other.post(
        f"/api/v1/tasks/{task.pk}/complete", {"version": 1}, content_type="application/json"
    )
    assert refused.status_code == 404
    done = api.post(
        f"/api/v1/tasks/{task.pk}/complete", {"version": 1}, content_type="application/json"
    )
    assert done.json()["status"] == "done"
    again = api.post(
        f"/api/v1/tasks/{task.pk}/complete", {"version": 2}, content_type="application/json"
    )
    assert again.status_code == 422  # already closed
    other_task = _task(anna, mother)
    services.task_reassign(
        membership=acting(anna),
        actor=anna,
        task=other_task,
        assignee=anna,
        team=None,
        due_on=other_task.due_on,
        expected_version=1,
    )
    stale = api.post(
        f"/api/v1/tasks/{other_task.pk}/complete", {"version": 1}, content_type="application/json"
    )
    assert stale.status_code == 409
    assert stale.json()["current"]["version"] == 2


def test_the_daily_digest_counts_without_names_once_a_day(
    anna: User, family: Any, client_for: Any, mailoutbox: Any
) -> None:
    (mother, _child), case = family
    _task(anna, mother, due_on=timezone.localdate() - timedelta(days=1))
    _appointment(anna, mother, case)
    assert services.reminders_send() == []  # nobody asked for it
    User.objects.filter(pk=anna.pk).update(email="anna@kim.example")
    anna.refresh_from_db()
    client_for(anna).post(reverse("scheduling:calendar"), {"step": "reminders_on"})
    assert services.reminders_send(dry_run=True)[0].tasks_due == 1
    assert mailoutbox == []
    (digest,) = services.reminders_send()
    assert (digest.tasks_due, digest.appointments) == (1, 1)
    (mail,) = mailoutbox
    assert mail.to == [anna.email]
    text = mail.subject + mail.body
    assert "1 Aufgabe" in text
    for secret in ("Samira", "Haddad", "Unterlagen", "Bewerbung", "Rathaus", mother.public_id):
        assert secret not in text
    assert services.reminders_send() == []  # once a day
    client_for(anna).post(reverse("scheduling:calendar"), {"step": "reminders_off"})
    assert not ReminderSubscription.objects.filter(user=anna).exists()


def test_each_role_finds_real_work_on_the_start_page(
    anna: User, gero: User, emil: User, frida: User, family: Any, client_for: Any
) -> None:
    (mother, _child), _case = family
    _task(anna, mother, due_on=timezone.localdate() - timedelta(days=2))
    lead = client_for(gero).get(reverse("start")).content.decode()
    assert 'data-testid="start-team-overdue"' in lead
    assert "Samira" not in lead.split('data-testid="start-team-overdue"')[1][:400]
    coordinator = client_for(emil).get(reverse("start")).content.decode()
    assert 'data-testid="start-steering"' in coordinator
    assert 'data-testid="start-tasks"' not in coordinator
    dpo = client_for(frida).get(reverse("start")).content.decode()
    assert 'data-testid="start-dpo"' in dpo
    assert "Samira" not in dpo


def test_a_conference_decision_becomes_a_task_of_the_agency_that_carries_it_out(
    anna: User, cem: User, ben: User, family: Any
) -> None:
    from lotse.cases.models import CaseConference
    from lotse.cases.services import (
        case_participant_save,
        conference_decision_record,
        conference_plan,
    )

    (mother, _child), case = family
    jobcenter = acting(cem).agency
    case_participant_save(
        case=case,
        agency=jobcenter,
        contact=cem,
        categories=[DataCategory.WORK],
        membership=acting(anna),
        actor=anna,
        expected_version=case.version,
    )
    record_directly(
        subject=mother,
        recorded_by=anna,
        recording_agency=acting(anna).agency,
        disclosing=[acting(anna).agency],
        recipients=[jobcenter],
        categories=[DataCategory.IDENTITY, DataCategory.CASE_PLAN, DataCategory.WORK],
        purpose="case_conference",
    )
    conference = conference_plan(
        case=case,
        scheduled_at=timezone.now(),
        agencies=[jobcenter],
        topics=["work"],
        family=[mother],
        place="Rathaus",
        membership=acting(anna),
        actor=anna,
    )
    CaseConference.objects.filter(pk=conference.pk).update(status="held")
    conference.refresh_from_db()
    conference_decision_record(
        conference=conference,
        subjects=[mother],
        text="Maßnahme zur Aktivierung prüfen",
        responsible_agency=jobcenter,
        responsible_user=cem,
        due_date=timezone.localdate() + timedelta(days=10),
        membership=acting(anna),
        actor=anna,
    )
    services.run_deadlines()
    task = Task.objects.get(rule__kind=DeadlineKind.CONFERENCE_DECISION)
    assert (task.owner_agency_id, task.assignee) == (jobcenter.pk, cem)
    assert [t.pk for t in selectors.task_list(membership=acting(cem))] == [task.pk]
    assert not selectors.task_list(membership=acting(anna)).filter(pk=task.pk).exists()
    rows = selectors.deadline_list(membership=acting(cem), within_days=30, mine=False)
    assert [r.deadline.kind for r in rows] == [DeadlineKind.CONFERENCE_DECISION]
    # The Jugendamt takes no part: neither the decision nor its deadline reaches it.
    assert selectors.deadline_list(membership=acting(ben), within_days=30, mine=False) == []


def test_a_follow_up_is_a_deadline_of_the_agency_that_agreed_it_only(
    anna: User, ben: User, family: Any
) -> None:
    """Another agency that may read the talk (a consent for its category) learns of it on the
    person's page, but its follow-up is no deadline of that agency's members."""
    from lotse.cases.models import JournalEntry

    (mother, _child), case = family
    JournalEntry.objects.create(
        subject=mother,
        owner_agency=acting(anna).agency,
        author=anna,
        case=case,
        kind=JournalEntry.Kind.TALK,
        category=DataCategory.HOUSING,
        text="Gespräch zur Wohnungssuche",
        follow_up_on=TODAY + timedelta(days=5),
    )
    record_directly(
        subject=mother,
        recorded_by=anna,
        recording_agency=acting(anna).agency,
        disclosing=[acting(anna).agency],
        recipients=[acting(ben).agency],
        categories=[DataCategory.IDENTITY, DataCategory.HOUSING],
    )

    def follow_ups(user: User) -> list[Any]:
        rows = selectors.deadline_list(
            membership=acting(user), within_days=30, today=TODAY, mine=False
        )
        return [row for row in rows if row.deadline.kind == DeadlineKind.FOLLOW_UP]

    assert [row.person.pk for row in follow_ups(anna)] == [mother.pk]
    assert follow_ups(ben) == []
