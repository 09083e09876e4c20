"""The case's content through the API: assessments, goals, measures, conferences, timeline.

The cast (conftest): anna leads the Haddad family's case for the KIM, cem (Jobcenter) takes part
and sees what the family's consents open to him, ben (Jugendamt) takes part in some tests,
dora (Ausländerbehörde) does not take part at all.
"""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from lotse.accounts.models import User
from lotse.accounts.tests.factories import acting
from lotse.audit.models import AuditAction, AuditEvent
from lotse.cases.models import (
    Assessment,
    Case,
    CaseConference,
    ConferenceDecision,
    ConferenceMinute,
    Goal,
    JournalEntry,
    Measure,
)
from lotse.cases.services import (
    assessment_record,
    case_entry_create,
    case_open,
    case_participant_save,
    conference_decision_record,
    conference_minute_record,
    conference_plan,
    goal_create,
    measure_create,
)
from lotse.consent.categories import DataCategory
from lotse.consent.models import ConsentDeclaration
from lotse.consent.tests.factories import record_directly
from lotse.people.models import Household, Person
from lotse.people.tests.factories import HouseholdFactory, PersonFactory

pytestmark = pytest.mark.django_db

CASES = "/api/v1/cases"
PLAN: list[str] = [DataCategory.IDENTITY, DataCategory.WORK, DataCategory.CASE_PLAN]


def _send(client: Client, method: str, path: str, body: dict[str, Any]) -> Any:
    return client.generic(method, path, data=json.dumps(body), content_type="application/json")


def _post(client: Client, path: str, body: dict[str, Any]) -> Any:
    return _send(client, "POST", path, body)


def _patch(client: Client, path: str, body: dict[str, Any]) -> Any:
    return _send(client, "PATCH", path, body)


def _error_locations(response: Any) -> list[list[Any]]:
    assert response.status_code == 422, response.content
    return [error["loc"] for error in response.json()["errors"]]


def _members(household: Household) -> list[Person]:
    return list(Person.objects.filter(household_memberships__household=household).order_by("pk"))


def _new_family(agencies: Any) -> Household:
    mother = PersonFactory.create(owner_agency=agencies.kim, family_name="Haddad")
    son = PersonFactory.create(owner_agency=agencies.kim, family_name="Haddad")
    household: Household = HouseholdFactory.create(
        owner_agency=agencies.kim, members=[mother, (son, "child")]
    )
    return household


def _join(case: Case, agency: Any, contact: User | None, anna: User) -> None:
    case_participant_save(
        case=case,
        agency=agency,
        contact=contact,
        categories=[DataCategory.CASE_PLAN],
        membership=acting(anna),
        actor=anna,
        expected_version=case.version,
    )
    case.refresh_from_db()


def _case_for(anna: User, cem: User, agencies: Any, household: Household) -> Case:
    case = case_open(household=household, membership=acting(anna), actor=anna)
    _join(case, agencies.jobcenter, cem, anna)
    return case


@pytest.fixture
def family(agencies: Any) -> Household:
    """A KIM household: a mother and her son, both registered by the KIM."""
    return _new_family(agencies)


@pytest.fixture
def case(anna: User, cem: User, agencies: Any, family: Household) -> Case:
    """Led by the KIM (anna); the Jobcenter (cem) takes part."""
    return _case_for(anna, cem, agencies, family)


def _consent(
    person: Person, anna: User, agencies: Any, *, purpose: str = "case_management"
) -> ConsentDeclaration:
    """The family lets the KIM pass identity, work and the plan on to the Jobcenter."""
    return record_directly(
        subject=person,
        recorded_by=anna,
        recording_agency=agencies.kim,
        disclosing=[agencies.kim],
        recipients=[agencies.jobcenter],
        categories=PLAN,
        purpose=purpose,
    )


def _goal_for_both(
    client: Client, case: Case, family: Household, *, owner: str = "jc"
) -> dict[str, Any]:
    mother, son = _members(family)
    response = _post(
        client,
        f"{CASES}/{case.pk}/goals",
        {
            "persons": [mother.public_id, son.public_id],
            "domain": "language",
            "text": "Deutschkurs B1 abschließen",
            "responsible_agency": owner,
            "target_date": (timezone.localdate() + timedelta(days=90)).isoformat(),
        },
    )
    assert response.status_code == 201, response.content
    created: dict[str, Any] = response.json()
    return created


def _viewed(section: str) -> AuditEvent:
    event: AuditEvent = AuditEvent.objects.filter(
        action=AuditAction.CASE_VIEWED, detail__section=section
    ).latest("pk")
    return event


# --- goals: one goal per group, with the persons the caller may see ----------------------------


@pytest.mark.parametrize("purpose", ["case_management", "case_conference"])
def test_a_goal_for_two_shows_another_agency_only_with_the_person_its_consent_covers(
    purpose, anna, cem, agencies, case, family, client_for
):
    mother, son = _members(family)
    consent = _consent(mother, anna, agencies, purpose=purpose)
    # A consent for benefits opens no plan: the son's row stays closed.
    _consent(son, anna, agencies, purpose="benefits")
    created = _goal_for_both(client_for(anna), case, family)
    group = created["id"]
    assert Goal.objects.filter(group=group).count() == 2
    assert created == {
        "id": group,
        "persons": [mother.public_id, son.public_id],
        "domain": "language",
        "text": "Deutschkurs B1 abschließen",
        "responsible_agency": "jc",
        "target_date": created["target_date"],
        "attainment": None,
        "owner_agency": "kim",
        "version": 1,
        "access_basis": "own_agency",
    }
    lead = client_for(anna).get(f"{CASES}/{case.pk}/goals").json()
    assert lead == {"items": [created], "count": 1, "count_exact": True}

    seen = client_for(cem).get(f"{CASES}/{case.pk}/goals")
    assert seen.status_code == 200, seen.content
    assert seen.json()["count"] == 1
    (goal,) = seen.json()["items"]
    assert goal["id"] == group
    assert goal["persons"] == [mother.public_id]
    assert goal["access_basis"] == f"consent:{consent.pk}"
    assert son.public_id not in seen.content.decode()


def test_a_consent_for_benefits_opens_no_goal(anna, cem, agencies, case, family, client_for):
    mother, son = _members(family)
    for person in (mother, son):
        _consent(person, anna, agencies, purpose="benefits")
    _goal_for_both(client_for(anna), case, family, owner="kim")
    seen = client_for(cem).get(f"{CASES}/{case.pk}/goals").json()
    assert seen == {"items": [], "count": 0, "count_exact": True}
    # Nor does the goal's measure show, nor the goal on the timeline.
    assert client_for(cem).get(f"{CASES}/{case.pk}/measures").json()["count"] == 0
    kinds = [i["kind"] for i in client_for(cem).get(f"{CASES}/{case.pk}/timeline").json()["items"]]
    assert "goal" not in kinds


def test_measures_follow_their_goal_per_person(anna, cem, agencies, case, family, client_for):
    mother, son = _members(family)
    _consent(mother, anna, agencies)
    client = client_for(anna)
    goal = _goal_for_both(client, case, family)
    due = (timezone.localdate() + timedelta(days=7)).isoformat()
    response = _post(
        client,
        f"{CASES}/{case.pk}/measures",
        {
            "goal": goal["id"],
            "text": "Anmeldung beim Kursträger",
            "responsible_agency": "kim",
            "due_date": due,
        },
    )
    assert response.status_code == 201, response.content
    measure = response.json()
    assert measure["goal"] == goal["id"]
    assert measure["persons"] == [mother.public_id, son.public_id]
    assert (measure["status"], measure["due_date"], measure["version"]) == ("planned", due, 1)
    assert Measure.objects.filter(group=measure["id"]).count() == 2

    (seen,) = client_for(cem).get(f"{CASES}/{case.pk}/measures").json()["items"]
    assert seen["id"] == measure["id"]
    assert seen["persons"] == [mother.public_id]
    assert seen["access_basis"].startswith("consent:")

    done = _patch(
        client, f"{CASES}/{case.pk}/measures/{measure['id']}", {"status": "done", "version": 1}
    )
    assert done.status_code == 200, done.content
    # Only the status was sent: the due date stays.
    assert (done.json()["status"], done.json()["due_date"], done.json()["version"]) == (
        "done",
        due,
        2,
    )


# --- seeing is not owning -----------------------------------------------------------------------


def test_a_participant_cannot_change_the_leads_goal_or_measure(
    anna, cem, agencies, case, family, client_for
):
    mother, _son = _members(family)
    _consent(mother, anna, agencies)
    lead = client_for(anna)
    goal = _goal_for_both(lead, case, family)
    measure = _post(
        lead,
        f"{CASES}/{case.pk}/measures",
        {"goal": goal["id"], "text": "Kurs buchen", "responsible_agency": "jc"},
    ).json()
    client = client_for(cem)
    # cem sees both (the mother's consent) …
    assert client.get(f"{CASES}/{case.pk}/goals").json()["count"] == 1
    assert client.get(f"{CASES}/{case.pk}/measures").json()["count"] == 1
    # … but they are the KIM's: changing them is refused like a goal that does not exist.
    goal_path = f"{CASES}/{case.pk}/goals/{goal['id']}"
    changed = _patch(client, goal_path, {"text": "Anders", "attainment": 2, "version": 1})
    missing = _patch(
        client,
        f"{CASES}/{case.pk}/goals/00000000-0000-4000-8000-000000000000",
        {"text": "Anders", "version": 1},
    )
    assert changed.status_code == missing.status_code == 404
    assert changed.json() == missing.json()
    measure_path = f"{CASES}/{case.pk}/measures/{measure['id']}"
    assert _patch(client, measure_path, {"status": "done", "version": 1}).status_code == 404
    # A step towards the KIM's goal is refused on "goal", as for an unknown one.
    foreign = _post(
        client,
        f"{CASES}/{case.pk}/measures",
        {"goal": goal["id"], "text": "Eigener Schritt", "responsible_agency": "jc"},
    )
    assert _error_locations(foreign) == [["body", "payload", "goal"]]
    assert (
        foreign.json()["errors"][0]["msg"] == "No goal of your agency with this ID is in this case."
    )
    assert set(Goal.objects.values_list("text", "attainment", "version")) == {
        ("Deutschkurs B1 abschließen", None, 1)
    }
    assert set(Measure.objects.values_list("status", "version")) == {("planned", 1)}


def test_an_agency_not_taking_part_finds_no_content(anna, dora, case, family, client_for):
    goal = _goal_for_both(client_for(anna), case, family, owner="kim")
    client = client_for(dora)
    for section in ("assessments", "goals", "measures", "conferences", "timeline"):
        assert client.get(f"{CASES}/{case.pk}/{section}").status_code == 404
    assert (
        _patch(
            client, f"{CASES}/{case.pk}/goals/{goal['id']}", {"text": "x", "version": 1}
        ).status_code
        == 404
    )
    mother, _son = _members(family)
    assert (
        _post(
            client,
            f"{CASES}/{case.pk}/assessments",
            {"person": mother.public_id, "domain": "work", "need": 1},
        ).status_code
        == 404
    )
    denied = AuditEvent.objects.filter(action=AuditAction.ACCESS_DENIED, target_id=str(case.pk))
    assert denied.count() == 5


# --- stale versions -----------------------------------------------------------------------------


def test_a_stale_goal_patch_is_refused_with_the_goal_as_it_is(anna, case, family, client_for):
    client = client_for(anna)
    goal = _goal_for_both(client, case, family, owner="kim")
    path = f"{CASES}/{case.pk}/goals/{goal['id']}"
    first = _patch(client, path, {"attainment": 1, "version": 1})
    assert first.status_code == 200, first.content
    # Only the attainment was sent: text and target date stay.
    assert first.json() == {**goal, "attainment": 1, "version": 2}

    stale = _patch(client, path, {"text": "Deutschkurs C1", "version": 1})
    assert stale.status_code == 409, stale.content
    body = stale.json()
    assert body["detail"].startswith("Someone else changed this in the meantime")
    assert body["current"] == first.json()
    assert set(Goal.objects.values_list("text", "attainment", "version")) == {
        ("Deutschkurs B1 abschließen", 1, 2)
    }
    cleared = _patch(client, path, {"attainment": None, "target_date": None, "version": 2})
    assert cleared.status_code == 200, cleared.content
    assert (cleared.json()["attainment"], cleared.json()["target_date"]) == (None, None)


def test_a_stale_measure_patch_is_refused(anna, case, family, client_for):
    client = client_for(anna)
    goal = _goal_for_both(client, case, family, owner="kim")
    measure = _post(
        client,
        f"{CASES}/{case.pk}/measures",
        {"goal": goal["id"], "text": "Kurs buchen", "responsible_agency": "kim"},
    ).json()
    path = f"{CASES}/{case.pk}/measures/{measure['id']}"
    assert _patch(client, path, {"status": "in_progress", "version": 1}).status_code == 200
    stale = _patch(client, path, {"status": "cancelled", "version": 1})
    assert stale.status_code == 409, stale.content
    assert stale.json()["current"]["status"] == "in_progress"
    assert stale.json()["current"]["version"] == 2


# --- input is checked field by field ------------------------------------------------------------


def test_writes_name_the_field_they_refuse(anna, ben, agencies, case, family, client_for):
    mother, son = _members(family)
    hidden = PersonFactory.create(owner_agency=agencies.jugendamt)
    other = PersonFactory.create(owner_agency=agencies.kim)  # visible, not of the household
    client = client_for(anna)
    goals = f"{CASES}/{case.pk}/goals"
    goal = {"domain": "work", "text": "Ziel", "responsible_agency": "kim"}
    for persons, index in (
        ([mother.public_id, hidden.public_id], 1),
        ([other.public_id], 0),
        (["P-XXXX-XXXX"], 0),
    ):
        response = _post(client, goals, {**goal, "persons": persons})
        assert _error_locations(response) == [["body", "payload", "persons", index]]
    assert _error_locations(_post(client, goals, {**goal, "persons": []})) == [
        ["body", "payload", "persons"]
    ]
    for field, value in (
        ("responsible_agency", "nope"),
        ("responsible_agency", "abh"),  # takes no part in the case
        ("text", "  "),
        ("domain", "gossip"),
        ("target_date", "0001-01-01"),
    ):
        response = _post(client, goals, {**goal, "persons": [mother.public_id], field: value})
        assert _error_locations(response)[0][:3] == ["body", "payload", field], field
    assert _error_locations(
        _post(client, goals, {**goal, "persons": [mother.public_id], "colour": "red"})
    ) == [["body", "payload", "colour"]]

    assessments = f"{CASES}/{case.pk}/assessments"
    assessment: dict[str, Any] = {"person": son.public_id, "domain": "education", "need": 2}
    checks: list[tuple[str, Any]] = [
        ("person", hidden.public_id),
        ("need", 4),
        ("entrusted", True),  # the KIM is no Jugendamt
        ("assessed_on", (timezone.localdate() + timedelta(days=1)).isoformat()),
    ]
    for field, value in checks:
        response = _post(client, assessments, {**assessment, field: value})
        assert _error_locations(response)[0][:3] == ["body", "payload", field], field
    assert Goal.objects.count() == Assessment.objects.count() == 0

    goal_path = f"{goals}/{_goal_for_both(client, case, family, owner='kim')['id']}"
    assert _error_locations(_patch(client, goal_path, {"attainment": 3, "version": 1})) == [
        ["body", "payload", "attainment"]
    ]
    assert _error_locations(_patch(client, goal_path, {"text": None, "version": 1})) == [
        ["body", "payload", "text"]
    ]
    assert _error_locations(_patch(client, f"{goals}/not-a-uuid", {"version": 1})) == [
        ["path", "group"]
    ]


def test_a_closed_case_takes_no_new_content(anna, case, family, client_for):
    client = client_for(anna)
    closed = _post(
        client,
        f"{CASES}/{case.pk}/transition",
        {"phase": "closed", "reason": "other", "version": case.version},
    )
    assert closed.status_code == 200, closed.content
    mother, _son = _members(family)
    refused = _post(
        client,
        f"{CASES}/{case.pk}/assessments",
        {"person": mother.public_id, "domain": "work", "need": 1},
    )
    assert _error_locations(refused) == [["body", "payload"]]
    assert "closed" in refused.json()["errors"][0]["msg"]


# --- assessments --------------------------------------------------------------------------------


def test_assessments_show_per_person_and_category(anna, cem, agencies, case, family, client_for):
    mother, son = _members(family)
    _consent(mother, anna, agencies)
    client = client_for(anna)
    path = f"{CASES}/{case.pk}/assessments"
    work = _post(
        client,
        path,
        {
            "person": mother.public_id.lower(),
            "domain": "work",
            "need": 2,
            "situation": "Pflegeausbildung aus Syrien",
            "assessed_on": (timezone.localdate() - timedelta(days=3)).isoformat(),
        },
    )
    assert work.status_code == 201, work.content
    assert work.json() | {"id": 0, "recorded_at": ""} == {
        "id": 0,
        "person": mother.public_id,
        "domain": "work",
        "need": 2,
        "situation": "Pflegeausbildung aus Syrien",
        "resources": "",
        "assessed_on": (timezone.localdate() - timedelta(days=3)).isoformat(),
        "category": "work",
        "entrusted": False,
        "owner_agency": "kim",
        "recorded_at": "",
        "access_basis": "own_agency",
    }
    for person, domain in ((mother, "health"), (son, "work")):
        created = _post(client, path, {"person": person.public_id, "domain": domain, "need": 3})
        assert created.status_code == 201, created.content

    mine = client.get(path).json()
    assert mine["count"] == 3
    # Newest assessment first: today's two before the one of three days ago.
    assert mine["items"][-1]["id"] == work.json()["id"]
    # The Jobcenter: the mother's work only — not her health, not the son (no consent).
    seen = client_for(cem).get(path)
    assert seen.json()["count"] == 1
    assert [(a["person"], a["domain"]) for a in seen.json()["items"]] == [
        (mother.public_id, "work")
    ]
    assert seen.json()["items"][0]["access_basis"].startswith("consent:")
    # A participant records its own assessment.
    own = _post(client_for(cem), path, {"person": mother.public_id, "domain": "work", "need": 1})
    assert own.status_code == 201, own.content
    assert own.json()["owner_agency"] == "jc"
    assert client.get(f"{path}?limit=1&offset=1").json()["count"] == 3  # cem's is not shared


# --- conferences --------------------------------------------------------------------------------


def _plan(client: Client, case: Case, family: Household, **body: Any) -> dict[str, Any]:
    mother, _son = _members(family)
    response = _post(
        client,
        f"{CASES}/{case.pk}/conferences",
        {
            "scheduled_at": (timezone.localtime() + timedelta(days=3)).isoformat(),
            "agencies": ["jc"],
            "topics": ["work"],
            "persons": [mother.public_id],
            "place": "Rathaus Barmen",
            **body,
        },
    )
    assert response.status_code == 201, response.content
    planned: dict[str, Any] = response.json()
    return planned


def test_holding_is_refused_until_every_flow_has_a_consent_for_the_conference(
    anna, cem, agencies, case, family, client_for
):
    mother, son = _members(family)
    _consent(mother, anna, agencies, purpose="case_conference")
    _consent(son, anna, agencies, purpose="benefits")  # does not cover a conference
    client = client_for(anna)
    conference = _plan(client, case, family, interpreter_language="ar")
    assert conference["agencies"] == ["jc", "kim"]
    assert (conference["status"], conference["version"]) == ("planned", 1)
    assert conference["minutes"] == conference["decisions"] == []
    path = f"/api/v1/conferences/{conference['id']}/hold"

    assert _post(client_for(cem), path, {"version": 1}).status_code == 404  # not the lead
    refused = _post(client, path, {"version": 1})
    assert refused.status_code == 409, refused.content
    body = refused.json()
    assert body["detail"].startswith("The conference cannot be held yet")
    assert sorted(
        (g["agency"], g["person"], g["category"], g["reason"]) for g in body["uncovered"]
    ) == [
        ("jc", son.public_id, "case_plan", "consent"),
        ("jc", son.public_id, "work", "consent"),
    ]
    assert CaseConference.objects.get().status == "planned"

    _consent(son, anna, agencies, purpose="case_management")  # includes the conferences
    # Planned for a later day: holding it today needs the confirmation.
    early = _post(client, path, {"version": 1})
    assert _error_locations(early) == [["body", "payload", "early"]]
    held = _post(client, path, {"version": 1, "early": True})
    assert held.status_code == 200, held.content
    assert (held.json()["status"], held.json()["version"]) == ("held", 2)
    assert held.json()["held_at"] is not None
    stale = _post(client, path, {"version": 1})
    assert stale.status_code == 409, stale.content
    assert stale.json()["current"]["status"] == "held"
    assert stale.json()["current"]["version"] == 2


def test_a_member_the_lead_may_not_see_is_not_named_when_holding_is_refused(
    anna, cem, agencies, client_for
):
    mother = PersonFactory.create(owner_agency=agencies.kim)
    child = PersonFactory.create(owner_agency=agencies.jugendamt, family_name="Verborgen")
    household = HouseholdFactory.create(owner_agency=agencies.kim, members=[mother, child])
    case = _case_for(anna, cem, agencies, household)
    _consent(mother, anna, agencies, purpose="case_conference")
    client = client_for(anna)
    conference = _plan(client, case, household, persons=[])
    refused = _post(client, f"/api/v1/conferences/{conference['id']}/hold", {"version": 1})
    assert refused.status_code == 409, refused.content
    assert {(g["agency"], g["person"]) for g in refused.json()["uncovered"]} == {("jc", None)}
    assert child.public_id not in refused.content.decode()


def test_only_the_lead_plans_and_the_plan_is_checked(anna, cem, case, family, client_for):
    _mother, son = _members(family)
    path = f"{CASES}/{case.pk}/conferences"
    body = {
        "scheduled_at": timezone.localtime().isoformat(),
        "agencies": ["jc"],
        "topics": ["work"],
    }
    assert _post(client_for(cem), path, {**body, "place": "Jobcenter"}).status_code == 404
    client = client_for(anna)
    assert _error_locations(_post(client, path, body)) == [["body", "payload", "place"]]
    for field, value in (
        ("agencies", ["nope"]),
        ("agencies", ["abh"]),
        ("agencies", ["kim"]),
        ("topics", []),
        ("persons", ["P-XXXX-XXXX"]),
        ("video_link", "kein link"),
        ("interpreter_language", "zz"),
        ("scheduled_at", "0001-01-01T00:00:00"),
    ):
        response = _post(client, path, {**body, "place": "Rathaus", field: value})
        assert _error_locations(response)[0][:3] == ["body", "payload", field], field
    assert CaseConference.objects.count() == 0
    video = _plan(client, case, family, place="", video_link="https://meet.example/haddad")
    assert video["video_link"] == "https://meet.example/haddad"
    assert son.public_id not in json.dumps(video)


def test_minutes_and_decisions_show_to_attending_agencies_per_person(
    anna, cem, ben, agencies, case, family, client_for
):
    mother, son = _members(family)
    _join(case, agencies.jugendamt, ben, anna)  # takes part, does not attend
    _consent(mother, anna, agencies, purpose="case_conference")
    conference = conference_plan(
        case=case,
        scheduled_at=timezone.now(),
        agencies=[agencies.jobcenter],
        topics=["work"],
        family=[mother, son],
        place="Rathaus",
        membership=acting(anna),
        actor=anna,
    )
    CaseConference.objects.filter(pk=conference.pk).update(status="held")
    conference.refresh_from_db()
    minutes = conference_minute_record(
        conference=conference,
        subjects=[mother, son],
        topic="work",
        text="Bewerbung besprochen.",
        membership=acting(anna),
        actor=anna,
    )
    decisions = conference_decision_record(
        conference=conference,
        subjects=[mother, son],
        text="Unterlagen übersetzen lassen",
        responsible_agency=agencies.jobcenter,
        responsible_user=cem,
        due_date=timezone.localdate(),
        membership=acting(anna),
        actor=anna,
    )
    path = f"{CASES}/{case.pk}/conferences"

    (lead,) = client_for(anna).get(path).json()["items"]
    assert [m["persons"] for m in lead["minutes"]] == [[mother.public_id, son.public_id]]

    (seen,) = client_for(cem).get(path).json()["items"]
    assert seen["agencies"] == ["jc", "kim"]
    assert seen["minutes"] == [
        {
            "id": str(minutes[0].group),
            "persons": [mother.public_id],
            "topic": "work",
            "text": "Bewerbung besprochen.",
            "owner_agency": "kim",
            "access_basis": seen["minutes"][0]["access_basis"],
        }
    ]
    assert seen["minutes"][0]["access_basis"].startswith("consent:")
    assert seen["decisions"] == [
        {
            "id": str(decisions[0].group),
            "persons": [mother.public_id],
            "text": "Unterlagen übersetzen lassen",
            "responsible_agency": "jc",
            "responsible_user": "cem",
            "due_date": timezone.localdate().isoformat(),
            "status": "open",
            "access_basis": seen["decisions"][0]["access_basis"],
        }
    ]
    viewed = _viewed("conferences")
    assert viewed.actor == cem
    shown = {m.pk for m in minutes if m.subject == mother} | {
        d.pk for d in decisions if d.subject == mother
    }
    assert set(viewed.detail["shown"]) == shown

    # The Jugendamt takes part but does not attend: the conference, not what was said.
    (outside,) = client_for(ben).get(path).json()["items"]
    assert outside["status"] == "held"
    assert outside["minutes"] is None
    assert outside["decisions"] is None
    assert "Bewerbung" not in json.dumps(outside)
    assert "shown" not in _viewed("conferences").detail


# --- the timeline -------------------------------------------------------------------------------


def _fill(case: Case, size: int, anna: User, cem: User, agencies: Any) -> None:
    """``size`` goals, measures, assessments and case entries of the KIM for both members,
    and as many notes of the Jobcenter about the mother beside them."""
    mother, son = _members(case.household)
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
            responsible_agency=agencies.kim,
            membership=acting(anna),
            actor=anna,
        )
        assessment_record(
            case=case, subject=son, domain="work", need=2, membership=acting(anna), actor=anna
        )
        case_entry_create(
            case=case,
            subjects=[mother, son],
            kind="talk",
            category=DataCategory.WORK,
            text=f"Gespräch {index}",
            membership=acting(anna),
            actor=anna,
        )
        JournalEntry.objects.create(
            subject=mother,
            owner_agency=agencies.jobcenter,
            category=DataCategory.WORK,
            text=f"Notiz {index}",
            author=cem,
            case=case,
        )


def test_the_timeline_costs_the_same_queries_for_2_and_20_items(anna, cem, agencies, client_for):
    def queries_for(size: int, user: User) -> tuple[int, int]:
        household = _new_family(agencies)
        case = _case_for(anna, cem, agencies, household)
        _consent(_members(household)[0], anna, agencies)
        _fill(case, size, anna, cem, agencies)
        client = client_for(user)
        path = f"{CASES}/{case.pk}/timeline?limit=200"
        client.get(path)
        with CaptureQueriesContext(connection) as queries:
            response = client.get(path)
        assert response.status_code == 200, response.content
        return len(queries), len(response.json()["items"])

    for user in (cem, anna):
        (few, shown_few), (many, shown_many) = queries_for(2, user), queries_for(20, user)
        assert shown_many > shown_few >= 8
        assert few == many, (user.username, few, many)


def test_the_timeline_shows_each_kind_per_person_and_pages_by_time(
    anna, cem, agencies, case, family, client_for
):
    mother, son = _members(family)
    _consent(mother, anna, agencies)
    _fill(case, 1, anna, cem, agencies)
    _plan(client_for(anna), case, family)
    closed = _post(
        client_for(anna),
        f"{CASES}/{case.pk}/transition",
        {"phase": "closed", "reason": "other", "version": case.version},
    )
    assert closed.status_code == 200, closed.content

    body = client_for(cem).get(f"{CASES}/{case.pk}/timeline").json()
    by_kind: dict[str, list[dict[str, Any]]] = {}
    for item in body["items"]:
        by_kind.setdefault(item["kind"], []).append(item)
    assert sorted(by_kind) == ["conference", "entry", "goal", "measure", "phase"]
    assert body["next_before"] is None
    # The KIM's household talk: the Jobcenter sees it for the mother only; its own note too.
    assert sorted(
        (e["text"], e["owner_agency"], tuple(e["persons"])) for e in by_kind["entry"]
    ) == [
        ("Gespräch 0", "kim", (mother.public_id,)),
        ("Notiz 0", "jc", (mother.public_id,)),
    ]
    assert by_kind["goal"][0]["persons"] == [mother.public_id]
    assert by_kind["measure"][0]["goal"] == by_kind["goal"][0]["id"]
    assert by_kind["phase"][0] | {"at": "", "id": 0} == {
        "kind": "phase",
        "at": "",
        "id": 0,
        "persons": [],
        "access_basis": "",
        "from_phase": "intake",
        "to_phase": "closed",
        "closure_reason": "other",
        "note": "",
        "agency": "kim",
    }
    assert by_kind["conference"][0]["access_basis"] == ""
    assert son.public_id not in json.dumps(body)  # the son's assessment and rows stay closed

    # Paging: two at a time, each page before the last one's time, until none is left.
    client = client_for(cem)
    seen: list[tuple[str, Any]] = []
    query = "limit=2"
    while True:
        page = client.get(f"{CASES}/{case.pk}/timeline?{query}").json()
        seen.extend((item["kind"], item["id"]) for item in page["items"])
        if page["next_before"] is None:
            break
        query = f"limit=2&before={page['next_before'].replace('+', '%2B')}"
    assert seen == [(item["kind"], item["id"]) for item in body["items"]]
    path = f"{CASES}/{case.pk}/timeline"
    assert _error_locations(client.get(f"{path}?limit=201")) == [["query", "limit"]]
    assert _error_locations(client.get(f"{path}?before=yesterday")) == [["query", "before"]]


# --- every read is audited with what it showed --------------------------------------------------


def test_every_read_is_audited_with_the_items_shown(anna, cem, agencies, case, family, client_for):
    mother, son = _members(family)
    _consent(mother, anna, agencies)
    client = client_for(anna)
    goal = _goal_for_both(client, case, family)
    _post(
        client,
        f"{CASES}/{case.pk}/measures",
        {"goal": goal["id"], "text": "Kurs buchen", "responsible_agency": "kim"},
    )
    for person in (mother, son):
        _post(
            client,
            f"{CASES}/{case.pk}/assessments",
            {"person": person.public_id, "domain": "work", "need": 1},
        )
    mothers = {
        "assessments": set(Assessment.objects.filter(subject=mother).values_list("pk", flat=True)),
        "goals": set(Goal.objects.filter(subject=mother).values_list("pk", flat=True)),
        "measures": set(Measure.objects.filter(subject=mother).values_list("pk", flat=True)),
    }

    for section, rows in mothers.items():
        response = client_for(cem).get(f"{CASES}/{case.pk}/{section}")
        assert response.status_code == 200, response.content
        event = _viewed(section)
        assert (event.actor, event.target_id) == (cem, str(case.pk))
        assert set(event.detail["shown"]) == rows, section
        # The members cem may see: the mother (her consent names identity), not the son.
        assert (event.subject_id, event.detail["subjects"]) == (None, [mother.pk])
        assert event.detail["bases"] == [response.json()["items"][0]["access_basis"]]
        assert "Haddad" not in json.dumps(event.detail)

    client_for(cem).get(f"{CASES}/{case.pk}/timeline")
    timeline = _viewed("timeline")
    assert set(timeline.detail["shown"]) == set().union(*mothers.values())
    # The lead sees both members' rows, and the audit says so.
    client.get(f"{CASES}/{case.pk}/goals")
    assert set(_viewed("goals").detail["shown"]) == set(Goal.objects.values_list("pk", flat=True))
    assert _viewed("goals").detail["bases"] == ["own_agency"]
    # Nothing shown is still a read of the case: audited, with no items.
    client_for(cem).get(f"{CASES}/{case.pk}/conferences")
    assert "shown" not in _viewed("conferences").detail
    assert ConferenceMinute.objects.count() == ConferenceDecision.objects.count() == 0
