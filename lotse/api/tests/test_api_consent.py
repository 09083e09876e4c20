"""The access core through the API: journal entries, consents, legal bases and the audit trail."""

from __future__ import annotations

import json
from datetime import date, timedelta
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from lotse.accounts.models import Membership, User
from lotse.audit.models import AuditAction, AuditEvent
from lotse.cases.models import JournalEntry
from lotse.cases.services import journal_entry_create
from lotse.consent import policy
from lotse.consent.categories import DataCategory
from lotse.consent.models import ConsentDeclaration, ConsentGrant, LegalBasis
from lotse.consent.services import consent_record
from lotse.consent.tests.factories import given_consent
from lotse.people.models import Person
from lotse.people.services import PersonData, person_register

pytestmark = pytest.mark.django_db

ENTRIES = "/api/v1/journal-entries"
CONSENTS = "/api/v1/consents"
BASES = "/api/v1/legal-bases"
AUDIT = "/api/v1/audit"


def _post(client: Client, path: str, body: dict[str, Any]) -> Any:
    return client.post(path, data=json.dumps(body), content_type="application/json")


def _patch(client: Client, path: str, body: dict[str, Any]) -> Any:
    return client.patch(path, data=json.dumps(body), content_type="application/json")


def _errors(response: Any) -> list[dict[str, Any]]:
    assert response.status_code == 422, response.content
    body = response.json()
    assert body["detail"] == "Invalid request."
    return list(body["errors"])


def _locations(response: Any) -> list[list[Any]]:
    return [error["loc"] for error in _errors(response)]


def _m(user: User) -> Membership:
    membership = user.primary_membership()
    assert membership is not None
    return membership


def _register(user: User, given: str = "Amal", family: str = "Haddad", **extra: Any) -> Person:
    data = PersonData(given_names=given, family_name=family, **extra)
    return person_register(data=data, membership=_m(user), actor=user)


def _note(user: User, person: Person, category: str, **extra: Any) -> JournalEntry:
    return journal_entry_create(
        subject=person,
        kind="talk",
        category=category,
        text=extra.pop("text", f"A {category} note."),
        membership=_m(user),
        actor=user,
        **extra,
    )


def _consent(
    user: User, person: Person, recipients: list[Any], categories: list[str], **extra: Any
) -> ConsentDeclaration:
    return consent_record(
        subject=person,
        data=given_consent(
            recipient_agencies=recipients,
            categories=categories,
            purpose="case_management",
            **extra,
        ),
        membership=_m(user),
        actor=user,
    )


def _entry_ids(client: Client, person: Person | None = None) -> tuple[list[int], int]:
    response = client.get(ENTRIES, {"person": person.public_id} if person else {})
    assert response.status_code == 200, response.content
    body = response.json()
    return [item["id"] for item in body["items"]], body["count"]


# --- the acceptance journey -----------------------------------------------------------------------


def test_acceptance_journey_consent_opens_the_entrusted_note_and_withdrawal_closes_it(
    anna, ben, dora, client_for
):
    jugendamt, kim = client_for(ben), client_for(anna)

    registered = _post(jugendamt, "/api/v1/persons", {"given_names": "Amal", "family_name": "H"})
    assert registered.status_code == 201, registered.content
    person_id = registered.json()["id"]
    confided = _post(
        jugendamt,
        ENTRIES,
        {
            "person": person_id,
            "kind": "home_visit",
            "category": "youth_welfare",
            "entrusted": True,
            "text": "Mother confided worries about the eldest son.",
        },
    )
    assert confided.status_code == 201, confided.content
    entrusted = confided.json()
    assert entrusted["person"] == person_id
    assert (entrusted["entrusted"], entrusted["access_basis"]) == (True, "own_agency")
    health = _post(
        jugendamt,
        ENTRIES,
        {"person": person_id, "category": "health", "text": "Needs trauma therapy."},
    ).json()
    assert health["kind"] == "talk"

    # KIM sees nothing: not in the list, not in the count, 404 on the detail.
    assert kim.get(ENTRIES, {"person": person_id}).json() == {
        "items": [],
        "count": 0,
        "count_exact": True,
    }
    assert kim.get(ENTRIES).json() == {"items": [], "count": 0, "count_exact": True}
    for entry in (entrusted, health):
        assert kim.get(f"{ENTRIES}/{entry['id']}").status_code == 404

    recorded = _post(
        jugendamt,
        CONSENTS,
        {
            "subject": person_id,
            "recipient_agencies": ["kim"],
            "categories": ["identity", "youth_welfare"],
            "includes_entrusted": True,
            "purpose": "case_management",
            "form_language": "ar",
            "status": "given",
            "no_scan_reason": "Signed on paper; the scan follows.",
        },
    )
    assert recorded.status_code == 201, recorded.content
    consent = recorded.json()
    assert consent["status"] == "given"
    assert consent["confirmed_disclosing_agencies"] == ["ja"]
    assert consent["subject"] == person_id
    assert (consent["disclosing_agencies"], consent["recipient_agencies"]) == (["ja"], ["kim"])
    assert consent["categories"] == ["identity", "youth_welfare"]
    assert (consent["includes_entrusted"], consent["form_language"]) == (True, "ar")

    listed = kim.get(ENTRIES, {"person": person_id}).json()
    assert listed["count"] == 1
    [seen] = listed["items"]
    assert seen["id"] == entrusted["id"]
    assert seen["text"] == "Mother confided worries about the eldest son."
    assert seen["access_basis"] == f"consent:{consent['id']}"
    detail = kim.get(f"{ENTRIES}/{entrusted['id']}")
    assert detail.status_code == 200
    assert detail.json() == seen
    assert kim.get(f"{ENTRIES}/{health['id']}").status_code == 404
    # KIM is a recipient of the consent, so it sees the consent too.
    assert [c["id"] for c in kim.get(CONSENTS, {"person": person_id}).json()["items"]] == [
        consent["id"]
    ]

    withdrawn = _post(
        jugendamt, f"{CONSENTS}/{consent['id']}/withdraw", {"reason": "The family asked to stop."}
    )
    assert withdrawn.status_code == 200, withdrawn.content
    assert withdrawn.json()["status"] == "withdrawn"
    # The very next request of the same client sees nothing again.
    assert kim.get(ENTRIES, {"person": person_id}).json() == {
        "items": [],
        "count": 0,
        "count_exact": True,
    }
    assert kim.get(f"{ENTRIES}/{entrusted['id']}").status_code == 404

    # For the foreigners' authority a consent covering health is refused with the rule's citation.
    own = _register(anna, "Omid", "Rahimi")
    refused = _post(
        client_for(anna),
        CONSENTS,
        {
            "subject": own.public_id,
            "recipient_agencies": ["abh"],
            "categories": ["identity", "health"],
            "purpose": "residence",
        },
    )
    [error] = _errors(refused)
    assert error["loc"] == ["body", "payload", "categories"]
    assert "§ 88 Abs. 2 AufenthG" in error["msg"]
    assert "Health data never reach the foreigners' authority" in error["msg"]
    assert not ConsentDeclaration.objects.filter(subject=own).exists()


def test_reads_are_audited_once_per_request(anna, ben, agencies, client_for):
    person = _register(ben)
    entries = [_note(ben, person, DataCategory.YOUTH_WELFARE) for _ in range(3)]
    consent = _consent(ben, person, [agencies.kim], [DataCategory.YOUTH_WELFARE])
    client = client_for(anna)
    viewed = AuditEvent.objects.filter(action=AuditAction.JOURNAL_ENTRY_VIEWED)

    client.get(ENTRIES, {"person": person.public_id, "limit": 2})
    listed = viewed.get()
    assert (listed.actor, listed.agency, listed.subject_id) == (anna, agencies.kim, person.pk)
    assert listed.detail["count"] == 3
    assert len(listed.detail["shown"]) == 2
    assert listed.detail["bases"] == [f"consent:{consent.pk}"]

    client.get(f"{ENTRIES}/{entries[0].pk}")
    detail = viewed.latest("pk")
    assert viewed.count() == 2
    assert (detail.target_type, detail.target_id) == ("cases.journalentry", str(entries[0].pk))
    assert (detail.subject_id, detail.basis) == (person.pk, f"consent:{consent.pk}")
    assert "note" not in json.dumps(detail.detail)


def test_a_refused_detail_is_audited_as_denied_and_looks_like_missing(anna, ben, client_for):
    person = _register(ben)
    secret = _note(ben, person, DataCategory.HEALTH)
    client = client_for(anna)
    forbidden = client.get(f"{ENTRIES}/{secret.pk}")
    missing = client.get(f"{ENTRIES}/{secret.pk + 1000}")
    assert forbidden.status_code == missing.status_code == 404
    assert forbidden.json() == missing.json()
    denied = AuditEvent.objects.filter(action=AuditAction.ACCESS_DENIED).order_by("pk")
    assert [(e.target_id, e.subject_id) for e in denied] == [
        (str(secret.pk), person.pk),
        ("", None),
    ]


# --- journal entries --------------------------------------------------------------------------


def test_counts_exclude_what_the_caller_may_not_see(anna, ben, agencies, client_for):
    person = _register(ben)
    shared = _note(ben, person, DataCategory.YOUTH_WELFARE)
    _note(ben, person, DataCategory.YOUTH_WELFARE, entrusted=True)
    _note(ben, person, DataCategory.HEALTH)
    _consent(ben, person, [agencies.kim], [DataCategory.YOUTH_WELFARE])
    own = _note(anna, _register(anna, "Sara", "Yilmaz"), DataCategory.LANGUAGE)
    client = client_for(anna)

    assert _entry_ids(client) == ([own.pk, shared.pk], 2)
    assert _entry_ids(client, person) == ([shared.pk], 1)
    page = client.get(ENTRIES, {"limit": 1, "offset": 1}).json()
    assert ([item["id"] for item in page["items"]], page["count"]) == ([shared.pk], 2)
    assert client.get(ENTRIES, {"person": "P-0000-0000"}).json() == {
        "items": [],
        "count": 0,
        "count_exact": True,
    }


def test_a_long_list_counts_up_to_the_cap_and_says_more(anna, ben, agencies, client_for):
    person = _register(ben)
    for _ in range(2):
        _note(ben, person, DataCategory.YOUTH_WELFARE)
    _consent(ben, person, [agencies.kim], [DataCategory.YOUTH_WELFARE])
    own = _register(anna, "Sara", "Yilmaz")
    for _ in range(2):
        _note(anna, own, DataCategory.LANGUAGE)
    client = client_for(anna)
    assert client.get(ENTRIES).json()["count"] == 4

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(policy, "LIST_COUNT_CAP", 3)
        body = client.get(ENTRIES, {"limit": 1}).json()
        assert (body["count"], body["count_exact"], len(body["items"])) == (3, False, 1)
        patch.setattr(policy, "LIST_COUNT_CAP", 4)
        body = client.get(ENTRIES).json()
        assert (body["count"], body["count_exact"], len(body["items"])) == (4, True, 4)


def test_dpo_and_coordinator_see_no_content(anna, emil, frida, client_for):
    person = _register(anna)
    entry = _note(anna, person, DataCategory.WORK)
    for user in (emil, frida):
        client = client_for(user)
        assert client.get(ENTRIES).status_code == 404
        assert client.get(ENTRIES, {"person": person.public_id}).status_code == 404
        assert client.get(f"{ENTRIES}/{entry.pk}").status_code == 404
        body = {"person": person.public_id, "category": "work", "text": "x"}
        assert _post(client, ENTRIES, body).status_code == 404
    assert JournalEntry.objects.count() == 1


@pytest.mark.parametrize(
    ("change", "location"),
    [
        ({"category": "gossip"}, ["category"]),
        ({"kind": "chat"}, ["kind"]),
        ({"text": "   "}, ["text"]),
        ({"entrusted": True}, ["entrusted"]),
        ({"occurred_at": "2026-13-01T10:00"}, ["occurred_at"]),
        ({"occurred_at": (timezone.now() + timedelta(days=2)).isoformat()}, ["occurred_at"]),
        ({"person": "P-0000-0000"}, ["person"]),
        ({"person": None}, ["person"]),
        ({"mood": "good"}, ["mood"]),
    ],
)
def test_bad_journal_input_answers_422_naming_the_field(anna, client_for, change, location):
    person = _register(anna)
    body = {"person": person.public_id, "category": "work", "text": "Looking for work.", **change}
    response = _post(client_for(anna), ENTRIES, body)
    assert ["body", "payload", *location] in _locations(response)
    assert JournalEntry.objects.count() == 0


def test_a_person_of_another_agency_cannot_be_written_about(anna, ben, client_for):
    foreign = _register(ben)
    body = {"person": foreign.public_id, "category": "work", "text": "Looking for work."}
    response = _post(client_for(anna), ENTRIES, body)
    assert _locations(response) == [["body", "payload", "person"]]
    assert "known to you" in response.json()["errors"][0]["msg"]
    assert JournalEntry.objects.count() == 0


def _list_queries(client: Client, path: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    assert response.status_code == 200
    return len(queries)


def test_journal_list_query_count_does_not_grow_with_the_data(anna, ben, agencies, client_for):
    client = client_for(anna)
    # The first entry is visible by consent, so the one-entry page runs the consent look-up too.
    family = _register(ben)
    _note(ben, family, DataCategory.YOUTH_WELFARE, entrusted=True)
    _consent(ben, family, [agencies.kim], [DataCategory.YOUTH_WELFARE], includes_entrusted=True)
    one = _list_queries(client, ENTRIES)
    assert client.get(ENTRIES).json()["count"] == 1

    own = _register(anna, "Sara", "Yilmaz")
    for index in range(19):
        if index % 3 == 0:
            other = _register(ben, "Kind", f"K{index}")
            _note(ben, other, DataCategory.EDUCATION)
            _consent(ben, other, [agencies.kim], [DataCategory.EDUCATION])
        elif index % 3 == 1:
            _note(ben, family, DataCategory.YOUTH_WELFARE)
        else:
            _note(anna, own, DataCategory.LANGUAGE)
    _note(ben, family, DataCategory.HEALTH)  # not visible: neither listed nor counted

    assert _list_queries(client, ENTRIES) == one
    body = client.get(ENTRIES).json()
    assert (body["count"], len(body["items"])) == (20, 20)
    bases = {item["access_basis"].split(":")[0] for item in body["items"]}
    assert bases == {"own_agency", "consent"}
    # The person's look-up replaces the index rows of the persons shown (all the same one).
    assert _list_queries(client, f"{ENTRIES}?person={family.public_id}") == one


# --- consents -----------------------------------------------------------------------------------


def test_who_sees_which_consent(anna, ben, cem, frida, agencies, client_for):
    family = _register(ben)
    to_kim = _consent(ben, family, [agencies.kim], [DataCategory.YOUTH_WELFARE])
    jobseeker = _register(anna, "Rami", "Haddad")
    to_jobcenter = _consent(anna, jobseeker, [agencies.jobcenter], [DataCategory.WORK])
    unrelated = _register(ben, "Omid", "Rahimi")
    ja_internal = _consent(ben, unrelated, [agencies.caritas], [DataCategory.HOUSING])

    def seen(user: User) -> tuple[set[int], int]:
        body = client_for(user).get(CONSENTS).json()
        return {item["id"] for item in body["items"]}, body["count"]

    # The DPO sees the whole register; everyone else only what concerns them.
    assert seen(frida) == ({to_kim.pk, to_jobcenter.pk, ja_internal.pk}, 3)
    assert seen(anna) == ({to_kim.pk, to_jobcenter.pk}, 2)  # recipient; recorder
    assert seen(cem) == ({to_jobcenter.pk}, 1)  # recipient
    assert seen(ben) == ({to_kim.pk, ja_internal.pk}, 2)

    cem_client = client_for(cem)
    assert cem_client.get(f"{CONSENTS}/{to_kim.pk}").status_code == 404
    assert cem_client.get(f"{CONSENTS}/{to_jobcenter.pk}").status_code == 200
    withdraw = {"reason": "Probe."}
    assert _post(cem_client, f"{CONSENTS}/{to_kim.pk}/withdraw", withdraw).status_code == 404
    assert client_for(frida).get(f"{CONSENTS}/{ja_internal.pk}").json()["subject"] == (
        unrelated.public_id
    )
    # The DPO records and withdraws nothing.
    assert _post(client_for(frida), f"{CONSENTS}/{to_kim.pk}/withdraw", withdraw).status_code == 404
    to_kim.refresh_from_db()
    assert to_kim.status == "given"

    by_person = client_for(frida).get(CONSENTS, {"person": family.public_id}).json()
    assert ([c["id"] for c in by_person["items"]], by_person["count"]) == ([to_kim.pk], 1)
    viewed = AuditEvent.objects.filter(action=AuditAction.CONSENT_VIEWED).latest("pk")
    assert (viewed.subject_id, viewed.detail["count"]) == (family.pk, 1)


def test_an_expired_consent_shows_as_expired(anna, agencies, client_for):
    person = _register(anna)
    old = _consent(
        anna,
        person,
        [agencies.jobcenter],
        [DataCategory.WORK],
        valid_from=date(2020, 1, 1),
        valid_until=date(2021, 1, 1),
    )
    body = client_for(anna).get(f"{CONSENTS}/{old.pk}").json()
    assert (body["status"], body["valid_until"]) == ("expired", "2021-01-01")


def test_recording_needs_the_capability_and_a_visible_subject(anna, ben, frida, client_for):
    foreign = _register(ben)
    body = {
        "subject": foreign.public_id,
        "recipient_agencies": ["kim"],
        "categories": ["identity"],
        "purpose": "case_management",
    }
    assert _locations(_post(client_for(anna), CONSENTS, body)) == [["body", "payload", "subject"]]
    assert _post(client_for(frida), CONSENTS, body).status_code == 404
    assert _post(client_for(frida), CONSENTS, {"nonsense": 1}).status_code == 404
    assert not ConsentDeclaration.objects.exists()


@pytest.mark.parametrize(
    ("change", "location"),
    [
        ({"recipient_agencies": []}, ["recipient_agencies"]),
        ({"recipient_agencies": ["kim", "nowhere"]}, ["recipient_agencies"]),
        ({"disclosing_agencies": ["nowhere"]}, ["disclosing_agencies"]),
        ({"categories": []}, ["categories"]),
        ({"categories": ["gossip"]}, ["categories", 0]),
        ({"purpose": "curiosity"}, ["purpose"]),
        ({"purpose": "other"}, ["purpose_text"]),
        ({"given_by": "guardian"}, ["guardian_name"]),
        ({"valid_from": "2026-06-01", "valid_until": "2026-01-01"}, ["valid_until"]),
        ({"valid_until": "2026-02-30"}, ["valid_until"]),
        ({"status": "withdrawn"}, ["status"]),
        ({"form_language": "arabic"}, ["form_language"]),
        ({"subject": "P-0000-0000"}, ["subject"]),
        ({"recipients": ["kim"]}, ["recipients"]),
    ],
)
def test_bad_consent_input_answers_422_naming_the_field(anna, client_for, change, location):
    person = _register(anna)
    body = {
        "subject": person.public_id,
        "recipient_agencies": ["jc"],
        "categories": ["work"],
        "purpose": "case_management",
        **change,
    }
    assert ["body", "payload", *location] in _locations(_post(client_for(anna), CONSENTS, body))
    assert not ConsentDeclaration.objects.exists()


def test_withdrawal_needs_a_reason_and_a_given_consent(anna, agencies, client_for):
    consent = _consent(anna, _register(anna), [agencies.jobcenter], [DataCategory.WORK])
    client = client_for(anna)
    path = f"{CONSENTS}/{consent.pk}/withdraw"
    assert _locations(_post(client, path, {"reason": " "})) == [["body", "payload", "reason"]]
    assert _locations(_post(client, path, {})) == [["body", "payload", "reason"]]
    assert _post(client, path, {"reason": "Asked to stop."}).status_code == 200
    assert _locations(_post(client, path, {"reason": "Again."})) == [["body", "payload", "status"]]
    assert not ConsentGrant.objects.filter(declaration=consent, active=True).exists()


def test_consent_list_query_count_does_not_grow_with_the_data(anna, agencies, client_for):
    client = client_for(anna)
    _consent(anna, _register(anna), [agencies.jobcenter], [DataCategory.WORK])
    one = _list_queries(client, CONSENTS)
    for index in range(9):
        _consent(
            anna,
            _register(anna, "Sara", f"P{index}"),
            [agencies.jobcenter, agencies.caritas],
            [DataCategory.WORK, DataCategory.HOUSING],
        )
    assert _list_queries(client, CONSENTS) == one
    assert client.get(CONSENTS).json()["count"] == 10


# --- legal bases --------------------------------------------------------------------------------


SGB_II = {
    "from_kind": "integration_office",
    "to_kind": "jobcenter",
    "categories": ["work"],
    "citation": "§ 50 SGB II",
    "note": "Data exchange for integration into work.",
}


def test_a_legal_basis_opens_work_notes_to_the_jobcenter(anna, cem, frida, client_for):
    person = _register(anna, "Rami", "Haddad")
    work = _note(anna, person, DataCategory.WORK, text="Looking for work as electrician.")
    _note(anna, person, DataCategory.HEALTH)
    jobcenter, dpo = client_for(cem), client_for(frida)
    assert _entry_ids(jobcenter, person) == ([], 0)

    # Caseworkers cannot touch the register: the same 404 as a missing endpoint.
    assert _post(client_for(anna), BASES, SGB_II).status_code == 404
    assert _post(jobcenter, BASES, {"nonsense": True}).status_code == 404

    created = _post(dpo, BASES, SGB_II)
    assert created.status_code == 201, created.content
    basis = created.json()
    assert {key: basis[key] for key in SGB_II} == SGB_II
    assert basis["is_active"] is True

    listed = jobcenter.get(ENTRIES, {"person": person.public_id}).json()
    assert listed["count"] == 1
    assert [(i["id"], i["access_basis"]) for i in listed["items"]] == [
        (work.pk, f"legal_basis:{basis['id']}")
    ]
    assert jobcenter.get(f"{ENTRIES}/{work.pk}").json()["access_basis"] == (
        f"legal_basis:{basis['id']}"
    )

    # Everyone with content access reads the register; so does the DPO.
    for user in (anna, cem, frida):
        register = client_for(user).get(BASES).json()
        assert (register["count"], register["items"][0]["citation"]) == (1, "§ 50 SGB II")

    path = f"{BASES}/{basis['id']}"
    assert _patch(jobcenter, path, {"is_active": False}).status_code == 404
    patched = _patch(dpo, path, {"is_active": False, "note": "Suspended."})
    assert patched.status_code == 200, patched.content
    assert (patched.json()["is_active"], patched.json()["citation"]) == (False, "§ 50 SGB II")
    assert _entry_ids(jobcenter, person) == ([], 0)
    assert _patch(dpo, f"{BASES}/999999", {"is_active": True}).status_code == 404


def test_coordinator_cannot_read_the_register(emil, client_for):
    assert client_for(emil).get(BASES).status_code == 404


@pytest.mark.parametrize(
    ("change", "location"),
    [
        ({"to_kind": "foreigners_authority", "categories": ["residence"]}, ["categories"]),
        ({"categories": ["health"], "to_kind": "foreigners_authority"}, ["categories"]),
        ({"categories": []}, ["categories"]),
        ({"categories": ["gossip"]}, ["categories", 0]),
        ({"from_kind": "ministry"}, ["from_kind"]),
        ({"citation": "  "}, ["citation"]),
        ({"statute": "§ 50"}, ["statute"]),
    ],
)
def test_bad_legal_basis_input_answers_422_naming_the_field(frida, client_for, change, location):
    response = _post(client_for(frida), BASES, {**SGB_II, **change})
    assert ["body", "payload", *location] in _locations(response)
    assert not LegalBasis.objects.exists()


def test_patch_refuses_null_and_firewalled_categories(frida, client_for):
    dpo = client_for(frida)
    basis = _post(dpo, BASES, SGB_II).json()
    path = f"{BASES}/{basis['id']}"
    assert _locations(_patch(dpo, path, {"citation": None})) == [["body", "payload", "citation"]]
    blocked = {"to_kind": "foreigners_authority", "categories": ["identity"]}
    assert _locations(_patch(dpo, path, blocked)) == [["body", "payload", "categories"]]
    assert LegalBasis.objects.get().to_kind == "jobcenter"


# --- audit --------------------------------------------------------------------------------------


@pytest.fixture
def trail(anna, ben, agencies):
    """Some audited activity: ben records a family and consents, anna reads."""
    family = _register(ben)
    _note(ben, family, DataCategory.YOUTH_WELFARE)
    _consent(ben, family, [agencies.kim], [DataCategory.YOUTH_WELFARE])
    other = _register(anna, "Sara", "Yilmaz")
    _note(anna, other, DataCategory.WORK)
    return family, other


def test_audit_filters_by_person_user_agency_and_period(anna, ben, frida, trail, client_for):
    family, other = trail
    client_for(anna).get(ENTRIES, {"person": family.public_id})
    dpo = client_for(frida)

    before = AuditEvent.objects.count()
    everything = dpo.get(AUDIT, {"limit": 500}).json()
    assert everything["count"] == before
    # Reading the trail is itself recorded, after the answer was counted.
    read_back = AuditEvent.objects.order_by("-pk").first()
    assert read_back is not None
    assert (read_back.action, read_back.actor, read_back.detail["via"]) == (
        AuditAction.AUDIT_VIEWED,
        frida,
        "api",
    )
    ids = [item["id"] for item in everything["items"]]
    assert ids == sorted(ids, reverse=True)  # newest first

    about_family = AuditEvent.objects.filter(subject_id=family.pk).count()
    by_person = dpo.get(AUDIT, {"person": family.public_id}).json()
    assert by_person["count"] == about_family
    assert {item["subject"] for item in by_person["items"]} == {family.public_id}
    actions = {(item["actor"], item["action"]) for item in by_person["items"]}
    assert ("ben", AuditAction.PERSON_REGISTERED) in actions
    assert ("ben", AuditAction.CONSENT_GIVEN) in actions
    assert ("anna", AuditAction.JOURNAL_ENTRY_VIEWED) in actions
    read = next(i for i in by_person["items"] if i["action"] == AuditAction.JOURNAL_ENTRY_VIEWED)
    assert (read["agency"], read["detail"]["count"]) == ("kim", 1)
    assert "Haddad" not in json.dumps(by_person)

    by_user = dpo.get(AUDIT, {"user": "anna"}).json()
    assert by_user["count"] == AuditEvent.objects.filter(actor=anna).count() > 0
    assert {item["actor"] for item in by_user["items"]} == {"anna"}
    by_agency = dpo.get(AUDIT, {"agency": "ja"}).json()
    assert {item["agency"] for item in by_agency["items"]} == {"ja"}
    assert by_agency["count"] == AuditEvent.objects.filter(actor=ben).count()
    both = dpo.get(AUDIT, {"user": "anna", "person": other.public_id}).json()
    assert {(i["actor"], i["subject"]) for i in both["items"]} == {("anna", other.public_id)}

    today = timezone.localdate()
    before = AuditEvent.objects.count()
    assert dpo.get(AUDIT, {"since": str(today), "until": str(today)}).json()["count"] == before
    assert dpo.get(AUDIT, {"since": str(today + timedelta(days=1))}).json()["count"] == 0
    assert dpo.get(AUDIT, {"until": str(today - timedelta(days=1))}).json()["count"] == 0
    now = timezone.now()
    assert dpo.get(AUDIT, {"since": (now + timedelta(minutes=5)).isoformat()}).json() == {
        "items": [],
        "count": 0,
        "count_exact": True,
    }

    before = AuditEvent.objects.count()
    page = dpo.get(AUDIT, {"limit": 2, "offset": 1}).json()
    assert page["count"] == before
    newest = list(AuditEvent.objects.order_by("-pk").values_list("pk", flat=True)[:4])
    assert [item["id"] for item in page["items"]] == newest[2:4]


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ({"person": "P-0000-0000"}, "person"),
        ({"user": "nobody"}, "user"),
        ({"agency": "nowhere"}, "agency"),
        ({"since": "yesterday"}, "since"),
        ({"until": "2026-02-30"}, "until"),
        ({"limit": 0}, "limit"),
    ],
)
def test_bad_audit_filters_answer_422_naming_the_field(frida, trail, client_for, query, field):
    response = client_for(frida).get(AUDIT, query)
    assert ["query", field] in _locations(response)


@pytest.mark.parametrize("user", ["anna", "ben", "gero", "emil", "ida", "hana"])
def test_only_the_dpo_reads_the_audit_trail(user, trail, client_for, request):
    family, _other = trail
    client = client_for(request.getfixturevalue(user))
    assert client.get(AUDIT).status_code == 404
    assert client.get(AUDIT, {"person": family.public_id}).status_code == 404
    assert Client().get(AUDIT).status_code == 401
