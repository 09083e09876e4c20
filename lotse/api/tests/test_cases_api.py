"""The family case through the API: open, list, read and steer, under the rules of the pages.

The cast (conftest): anna leads for the KIM, cem (Jobcenter) takes part, ben (Jugendamt) and
dora (Ausländerbehörde) do not, gero is the KIM's team lead.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from lotse.accounts.models import User
from lotse.accounts.roles import Role
from lotse.accounts.tests.factories import acting, member
from lotse.audit.models import AuditAction, AuditEvent
from lotse.audit.services import chain_lock_queries
from lotse.cases.models import Case, CaseParticipant, Phase
from lotse.cases.services import case_open, case_participant_save
from lotse.consent.categories import DataCategory
from lotse.consent.tests.factories import record_directly
from lotse.people.models import Household, Person
from lotse.people.tests.factories import HouseholdFactory, PersonFactory

pytestmark = pytest.mark.django_db

CASES = "/api/v1/cases"


def _post(client: Client, path: str, body: dict[str, Any]) -> Any:
    return client.post(path, data=json.dumps(body), content_type="application/json")


def _error_locations(response: Any) -> list[list[Any]]:
    assert response.status_code == 422, response.content
    return [error["loc"] for error in response.json()["errors"]]


@pytest.fixture
def family(agencies: Any) -> Household:
    """A KIM household: a mother and her child, both registered by the KIM."""
    mother = PersonFactory.create(owner_agency=agencies.kim, family_name="Haddad")
    child = PersonFactory.create(owner_agency=agencies.kim, family_name="Haddad")
    household: Household = HouseholdFactory.create(
        owner_agency=agencies.kim, members=[mother, (child, "child")]
    )
    return household


def _members(household: Household) -> list[Person]:
    return list(Person.objects.filter(household_memberships__household=household).order_by("pk"))


@pytest.fixture
def cem_reachable(cem: User) -> User:
    cem.email = "cem@jobcenter.example"
    cem.save(update_fields=["email"])
    cem.memberships.update(phone="+49 202 7470")
    return cem


def _open(client: Client, household: Household, **body: Any) -> dict[str, Any]:
    response = _post(client, CASES, {"household": household.public_id, **body})
    assert response.status_code == 201, response.content
    created: dict[str, Any] = response.json()
    return created


def _take_part(
    client: Client, case: dict[str, Any], agency: str, contact: str | None, categories: list[str]
) -> dict[str, Any]:
    response = _post(
        client,
        f"{CASES}/{case['id']}/participants",
        {
            "agency": agency,
            "contact": contact,
            "categories": categories,
            "version": case["version"],
        },
    )
    assert response.status_code == 200, response.content
    changed: dict[str, Any] = response.json()
    return changed


def _consent_for_jobcenter(agencies: Any, anna: User, person: Person) -> None:
    record_directly(
        subject=person,
        recorded_by=anna,
        recording_agency=agencies.kim,
        disclosing=[agencies.kim],
        recipients=[agencies.jobcenter],
        categories=[DataCategory.WORK],
    )


# --- open, list, read ---------------------------------------------------------------------------


def test_open_list_and_read_a_case(anna, family, client_for):
    client = client_for(anna)
    created = _open(client, family, came_via="agency", referred_by="jc", interpreter_language="ar")
    case = Case.objects.get()
    assert created == {
        "id": case.pk,
        "household": family.public_id,
        "lead_agency": "kim",
        "lead_user": "anna",
        "phase": "intake",
        "phase_since": created["phase_since"],
        "opened_on": case.opened_on.isoformat(),
        "closure_reason": "",
        "closed_on": None,
        "came_via": "agency",
        "referred_by": "jc",
        "interpreter_language": "ar",
        "participants": [
            {"agency": "kim", "contact": "anna", "categories": [], "phone": "", "email": ""}
        ],
        "version": 1,
    }

    listed = client.get(CASES)
    assert listed.status_code == 200
    assert listed.json() == {"items": [created], "count": 1, "count_exact": True}
    detail = client.get(f"{CASES}/{case.pk}")
    assert detail.status_code == 200
    assert detail.json() == created


def test_every_read_is_audited_with_the_members_shown(anna, family, client_for):
    client = client_for(anna)
    created = _open(client, family)
    members = {p.pk for p in _members(family)}

    client.get(CASES)
    listed = AuditEvent.objects.filter(action=AuditAction.CASES_LISTED).get()
    assert set(listed.detail["subjects"]) == members
    assert listed.detail["shown"] == [created["id"]]
    assert listed.detail["count"] == 1

    client.get(f"{CASES}/{created['id']}")
    viewed = AuditEvent.objects.filter(action=AuditAction.CASE_VIEWED).get()
    assert viewed.target_id == str(created["id"])
    assert set(viewed.detail["subjects"]) == members
    assert "Haddad" not in json.dumps([listed.detail, viewed.detail])


def test_the_participants_show_whom_to_call_lead_first(anna, cem_reachable, family, client_for):
    client = client_for(anna)
    case = _take_part(client, _open(client, family), "jc", "cem", ["work", "case_plan"])
    assert case["version"] == 2
    assert case["participants"] == [
        {"agency": "kim", "contact": "anna", "categories": [], "phone": "", "email": ""},
        {
            "agency": "jc",
            "contact": "cem",
            "categories": ["case_plan", "work"],
            "phone": "+49 202 7470",
            "email": "cem@jobcenter.example",
        },
    ]
    # The participant reads the same case, and nothing of what it may not steer is hidden.
    seen = client_for(cem_reachable).get(f"{CASES}/{case['id']}")
    assert seen.status_code == 200
    assert seen.json() == case


def test_filters_by_phase_household_and_own_assignment(anna, gero, agencies, client_for):
    first = HouseholdFactory.create(owner_agency=agencies.kim)
    second = HouseholdFactory.create(owner_agency=agencies.kim)
    client = client_for(anna)
    one = _open(client, first)
    two = _open(client, second)
    closed = _post(
        client,
        f"{CASES}/{two['id']}/transition",
        {"phase": "closed", "reason": "moved_away", "version": two["version"]},
    )
    assert closed.status_code == 200, closed.content

    def ids(user: User, query: str) -> list[int]:
        body = client_for(user).get(f"{CASES}?{query}").json()
        assert body["count"] == len(body["items"])
        return [item["id"] for item in body["items"]]

    assert ids(anna, "") == [two["id"], one["id"]]  # newest first, closed ones included
    assert ids(anna, "phase=intake") == [one["id"]]
    assert ids(anna, "phase=closed") == [two["id"]]
    assert ids(anna, f"household={first.public_id.lower()}") == [one["id"]]
    assert ids(anna, "household=H-XXXX-XXXX") == []
    # The team lead sees the agency's cases, but is assigned to none of them.
    assert ids(gero, "") == [two["id"], one["id"]]
    assert ids(gero, "mine=1") == []
    assert ids(anna, "mine=1") == [two["id"], one["id"]]
    assert _error_locations(client.get(f"{CASES}?phase=paused")) == [["query", "phase"]]


# --- who may see it -----------------------------------------------------------------------------


def test_a_non_participant_finds_nothing_not_even_in_the_counts(
    anna, ben, agencies, family, client_for
):
    own = HouseholdFactory.create(owner_agency=agencies.jugendamt)
    case_open(household=own, membership=acting(ben), actor=ben)
    before = client_for(ben).get(CASES).json()
    assert before["count"] == 1

    created = _open(client_for(anna), family)
    client = client_for(ben)
    after = client.get(CASES).json()
    assert after == before
    assert client.get(f"{CASES}?household={family.public_id}").json()["count"] == 0
    assert client.get(f"{CASES}?phase=intake").json()["count"] == 1

    missing = client.get(f"{CASES}/{created['id'] + 1000}")
    hidden = client.get(f"{CASES}/{created['id']}")
    assert hidden.status_code == missing.status_code == 404
    assert hidden.json() == missing.json()
    denied = AuditEvent.objects.filter(action=AuditAction.ACCESS_DENIED).order_by("pk")
    assert [event.target_id for event in denied] == ["", str(created["id"])]


def test_a_participant_may_not_steer_the_case(anna, cem, family, client_for):
    lead = client_for(anna)
    case = _take_part(lead, _open(lead, family), "jc", "cem", ["work"])
    client = client_for(cem)
    version = case["version"]
    path = f"{CASES}/{case['id']}"
    attempts = [
        _post(client, f"{path}/transition", {"phase": "closed", "reason": "other", "version": 2}),
        _post(client, f"{path}/participants", {"agency": "car", "version": version}),
        _post(client, f"{path}/lead", {"user": "cem", "version": version}),
        client.delete(f"{path}/participants/jc?version={version}"),
    ]
    assert [response.status_code for response in attempts] == [404, 404, 404, 404]
    assert Case.objects.get().version == version
    assert CaseParticipant.objects.filter(left_on__isnull=True).count() == 2


def test_roles_without_case_content_get_404(emil, frida, anna, family, client_for):
    created = _open(client_for(anna), family)
    for user in (emil, frida):
        client = client_for(user)
        assert client.get(CASES).status_code == 404
        assert client.get(f"{CASES}/{created['id']}").status_code == 404
        assert _post(client, CASES, {"household": family.public_id}).status_code == 404


# --- leaving intake -----------------------------------------------------------------------------


def test_leaving_intake_is_refused_until_every_flow_has_a_consent(
    anna, cem, agencies, family, client_for
):
    mother, child = _members(family)
    client = client_for(anna)
    case = _take_part(client, _open(client, family), "jc", "cem", ["work"])
    _consent_for_jobcenter(agencies, anna, mother)
    path = f"{CASES}/{case['id']}/transition"

    refused = _post(client, path, {"phase": "assessment", "version": case["version"]})
    assert refused.status_code == 409, refused.content
    body = refused.json()
    assert "cannot leave intake" in body["detail"]
    assert body["uncovered"] == [
        {
            "agency": "jc",
            "person": child.public_id,
            "category": "work",
            "reason": "consent",
            "explanation": "No consent for this purpose and no legal basis.",
        }
    ]
    assert Case.objects.get().phase == Phase.INTAKE

    _consent_for_jobcenter(agencies, anna, child)
    moved = _post(client, path, {"phase": "assessment", "version": case["version"]})
    assert moved.status_code == 200, moved.content
    assert moved.json()["phase"] == "assessment"
    assert moved.json()["version"] == case["version"] + 1
    assert AuditEvent.objects.filter(action=AuditAction.CASE_PHASE_CHANGED).count() == 1


def test_a_member_the_lead_may_not_see_is_not_named(anna, ben, agencies, client_for):
    """The KIM's household holds a child the Jugendamt registered and shares with nobody."""
    mother = PersonFactory.create(owner_agency=agencies.kim)
    child = PersonFactory.create(owner_agency=agencies.jugendamt, family_name="Verborgen")
    household = HouseholdFactory.create(owner_agency=agencies.kim, members=[mother, child])
    client = client_for(anna)
    case = _take_part(client, _open(client, household), "jc", None, ["work"])

    refused = _post(
        client, f"{CASES}/{case['id']}/transition", {"phase": "assessment", "version": 2}
    )
    assert refused.status_code == 409, refused.content
    uncovered = refused.json()["uncovered"]
    assert [(gap["agency"], gap["person"], gap["category"]) for gap in uncovered] == [
        ("jc", mother.public_id, "work"),
        ("jc", None, "work"),
    ]
    assert child.public_id not in refused.content.decode()
    assert "Verborgen" not in refused.content.decode()


def test_the_firewall_is_named_as_such(anna, dora, agencies, family, client_for):
    """Identity reaches the Ausländerbehörde only by consent: a legal basis does not count."""
    client = client_for(anna)
    case = _take_part(client, _open(client, family), "abh", "dora", ["identity"])
    refused = _post(
        client, f"{CASES}/{case['id']}/transition", {"phase": "assessment", "version": 2}
    )
    assert refused.status_code == 409
    assert {gap["agency"] for gap in refused.json()["uncovered"]} == {"abh"}


# --- other refusals -----------------------------------------------------------------------------


def test_closing_needs_a_reason(anna, family, client_for):
    client = client_for(anna)
    case = _open(client, family)
    path = f"{CASES}/{case['id']}/transition"
    assert _error_locations(_post(client, path, {"phase": "closed", "version": 1})) == [
        ["body", "payload", "reason"]
    ]
    closed = _post(client, path, {"phase": "closed", "reason": "goals_reached", "version": 1})
    assert closed.status_code == 200, closed.content
    assert closed.json()["closure_reason"] == "goals_reached"
    assert closed.json()["closed_on"] is not None
    # A closed case reopens into intake only.
    assert _error_locations(_post(client, path, {"phase": "planning", "version": 2})) == [
        ["body", "payload", "phase"]
    ]


def test_a_stale_version_is_refused_with_the_current_case(anna, cem, family, client_for):
    client = client_for(anna)
    case = _open(client, family)
    path = f"{CASES}/{case['id']}"
    _take_part(client, case, "jc", "cem", ["work"])  # version 1 → 2

    stale_attempts = [
        _post(client, f"{path}/transition", {"phase": "closed", "reason": "other", "version": 1}),
        _post(client, f"{path}/participants", {"agency": "car", "version": 1}),
        _post(client, f"{path}/lead", {"user": "anna", "version": 1}),
        client.delete(f"{path}/participants/jc?version=1"),
    ]
    for response in stale_attempts:
        assert response.status_code == 409, response.content
        body = response.json()
        assert body["detail"].startswith("Someone else changed this case in the meantime")
        assert body["current"]["version"] == 2
        assert body["current"]["phase"] == "intake"
    assert [p.agency.code for p in CaseParticipant.objects.filter(left_on__isnull=True)] == [
        "kim",
        "jc",
    ]
    assert Case.objects.get().version == 2


def test_participants_are_checked_field_by_field(anna, dora, family, client_for):
    client = client_for(anna)
    case = _open(client, family)
    path = f"{CASES}/{case['id']}/participants"

    def locations(body: dict[str, Any]) -> list[list[Any]]:
        return _error_locations(_post(client, path, {"version": 1, **body}))

    assert locations({"agency": "nope"}) == [["body", "payload", "agency"]]
    assert locations({"agency": "kim"}) == [["body", "payload", "agency"]]
    assert locations({"agency": "jc", "contact": "dora"}) == [["body", "payload", "contact"]]
    assert locations({"agency": "jc", "contact": "nobody"}) == [["body", "payload", "contact"]]
    assert locations({"agency": "jc", "categories": []}) == [["body", "payload", "categories"]]
    assert locations({"agency": "jc", "categories": ["gossip"]})[0][:3] == [
        "body",
        "payload",
        "categories",
    ]
    firewall = _post(client, path, {"agency": "abh", "categories": ["health"], "version": 1})
    assert _error_locations(firewall) == [["body", "payload", "categories"]]
    assert "may never see" in firewall.json()["errors"][0]["msg"]
    assert Case.objects.get().version == 1


def test_an_agency_leaves_the_case(anna, cem, family, client_for):
    client = client_for(anna)
    case = _take_part(client, _open(client, family), "jc", "cem", ["work"])
    path = f"{CASES}/{case['id']}/participants"

    left = client.delete(f"{path}/jc?version={case['version']}")
    assert left.status_code == 200, left.content
    assert [p["agency"] for p in left.json()["participants"]] == ["kim"]
    assert client_for(cem).get(f"{CASES}/{case['id']}").status_code == 404

    version = left.json()["version"]
    assert _error_locations(client.delete(f"{path}/jc?version={version}")) == [["path", "agency"]]
    assert _error_locations(client.delete(f"{path}/kim?version={version}")) == [["path", "agency"]]
    assert client.delete(f"{path}/nope?version={version}").status_code == 404
    assert _error_locations(client.delete(f"{path}/jc")) == [["query", "version"]]


def test_the_lead_is_handed_to_a_colleague(anna, gero, cem, agencies, family, client_for):
    colleague = member("kai", agencies.kim, Role.CASEWORKER)
    client = client_for(anna)
    case = _open(client, family)
    path = f"{CASES}/{case['id']}/lead"
    assert _error_locations(_post(client, path, {"user": "cem", "version": 1})) == [
        ["body", "payload", "user"]
    ]
    assert _error_locations(_post(client, path, {"user": "nobody", "version": 1})) == [
        ["body", "payload", "user"]
    ]
    handed = _post(client, path, {"user": colleague.username, "version": 1})
    assert handed.status_code == 200, handed.content
    assert handed.json()["lead_user"] == "kai"
    assert handed.json()["participants"][0]["contact"] == "kai"
    # anna is no longer the lead case manager, and no team lead: the lead is not hers to hand.
    assert _post(client, path, {"user": "anna", "version": 2}).status_code == 404
    # The team lead may.
    back = _post(client_for(gero), path, {"user": "anna", "version": 2})
    assert back.status_code == 200, back.content
    assert back.json()["lead_user"] == "anna"


def test_opening_needs_a_household_one_may_see_and_without_a_case(
    anna, ben, agencies, family, client_for
):
    hidden = HouseholdFactory.create(owner_agency=agencies.jugendamt)
    client = client_for(anna)
    assert _error_locations(_post(client, CASES, {"household": hidden.public_id})) == [
        ["body", "payload", "household"]
    ]
    assert _error_locations(_post(client, CASES, {"household": "H-XXXX-XXXX"})) == [
        ["body", "payload", "household"]
    ]
    assert _error_locations(
        _post(client, CASES, {"household": family.public_id, "came_via": "agency"})
    ) == [["body", "payload", "referred_by"]]
    assert _error_locations(
        _post(client, CASES, {"household": family.public_id, "referred_by": "nope"})
    ) == [["body", "payload", "referred_by"]]
    assert _error_locations(
        _post(client, CASES, {"household": family.public_id, "interpreter_language": "zz"})
    ) == [["body", "payload", "interpreter_language"]]
    _open(client, family)
    # A second case for the household: refused without naming who leads the first.
    case_open(household=hidden, membership=acting(ben), actor=ben)
    again = _post(client, CASES, {"household": family.public_id})
    assert _error_locations(again) == [["body", "payload", "household"]]
    assert Case.objects.count() == 2


# --- cost ---------------------------------------------------------------------------------------


def _cases_led_by_anna(anna: User, cem: User, agencies: Any, number: int) -> None:
    for index in range(number):
        person = PersonFactory.create(owner_agency=agencies.kim)
        household = HouseholdFactory.create(owner_agency=agencies.kim, members=[person])
        case = case_open(household=household, membership=acting(anna), actor=anna)
        if index % 2 == 0:
            case_participant_save(
                case=case,
                agency=agencies.jobcenter,
                contact=cem,
                categories=[DataCategory.WORK],
                membership=acting(anna),
                actor=anna,
                expected_version=case.version,
            )


def test_the_list_costs_the_same_queries_for_2_and_20_cases(anna, cem, agencies, client_for):
    client = client_for(anna)
    client.get(CASES)  # the session and the membership, once

    def queries_for(number: int) -> int:
        _cases_led_by_anna(anna, cem, agencies, number - Case.objects.count())
        with CaptureQueriesContext(connection) as queries:
            response = client.get(f"{CASES}?limit=50")
        assert response.status_code == 200
        assert response.json()["count"] == number
        return len(queries)

    assert queries_for(2) == queries_for(20)


def test_the_detail_costs_a_fixed_number_of_queries(
    anna, cem, agencies, client_for, django_assert_max_num_queries
):
    _cases_led_by_anna(anna, cem, agencies, 1)
    client = client_for(anna)
    case = Case.objects.get()
    client.get(f"{CASES}/{case.pk}")
    # 19 on SQLite (the visible members in three small queries); PostgreSQL adds the audit
    # chain lock of each event written.
    with django_assert_max_num_queries(19 + chain_lock_queries()):
        assert client.get(f"{CASES}/{case.pk}").status_code == 200
