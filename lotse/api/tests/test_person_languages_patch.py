"""PATCH /api/v1/persons/{id} with ``languages``: the acting agency's entries are replaced,
other agencies' entries are neither changed nor shown where they may not be seen."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from lotse.accounts.models import Membership, User
from lotse.audit.models import AuditAction, AuditEvent
from lotse.consent.categories import DataCategory
from lotse.consent.services import consent_record
from lotse.consent.tests.factories import given_consent
from lotse.people.models import Person, PersonLanguage
from lotse.people.services import LanguageData, PersonData, person_register

pytestmark = pytest.mark.django_db

AR = {"language": "ar", "level": "native", "interpreter_needed": True}
KU = {"language": "ku", "level": "b1", "interpreter_needed": False}
DE = {"language": "de", "level": "a2", "interpreter_needed": False}
FA = {"language": "fa", "level": "native", "interpreter_needed": False}


def _patch(client: Client, person: Person, body: dict[str, Any]) -> Any:
    return client.patch(
        f"/api/v1/persons/{person.public_id}",
        data=json.dumps(body),
        content_type="application/json",
    )


def _membership(user: User) -> Membership:
    membership = user.primary_membership()
    assert membership is not None
    return membership


def _register(user: User, *languages: dict[str, Any]) -> Person:
    return person_register(
        data=PersonData(
            given_names="Mohammed",
            family_name="Al-Hassan",
            languages=[LanguageData(**item) for item in languages],
        ),
        membership=_membership(user),
        actor=user,
    )


def _stored(person: Person) -> list[tuple[str, str, str, bool]]:
    """Every entry of the person, whoever recorded it: (agency code, language, level, flag)."""
    return list(
        PersonLanguage.objects.filter(person=person)
        .order_by("pk")
        .values_list("owner_agency__code", "language", "level", "interpreter_needed")
    )


def _share(person: Person, owner: User, recipient: Any, *categories: str) -> None:
    """The family's consent that ``owner``'s agency may share ``categories`` with ``recipient``."""
    consent_record(
        subject=person,
        data=given_consent(
            recipient_agencies=[recipient],
            categories=list(categories),
            purpose="case_management",
        ),
        membership=_membership(owner),
        actor=owner,
    )


def _errors(response: Any) -> list[dict[str, Any]]:
    assert response.status_code == 422, response.content
    return list(response.json()["errors"])


def test_languages_replace_the_own_entries_in_the_order_sent(anna, client_for):
    person = _register(anna, AR, KU)
    response = _patch(
        client_for(anna),
        person,
        {"version": 1, "languages": [DE, AR | {"interpreter_needed": False}]},
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["languages"] == [DE, AR | {"interpreter_needed": False}]
    assert body["version"] == 2
    assert _stored(person) == [("kim", "de", "a2", False), ("kim", "ar", "native", False)]
    # The answer is the person as GET shows it.
    assert client_for(anna).get(f"/api/v1/persons/{person.public_id}").json() == body


def test_codes_are_normalised(anna, client_for):
    person = _register(anna)
    response = _patch(
        client_for(anna), person, {"version": 1, "languages": [{"language": " PRS "}]}
    )
    assert response.status_code == 200, response.content
    assert response.json()["languages"] == [
        {"language": "prs", "level": "native", "interpreter_needed": False}
    ]


def test_an_empty_list_removes_the_own_entries(anna, client_for):
    person = _register(anna, AR, KU)
    response = _patch(client_for(anna), person, {"version": 1, "languages": []})
    assert response.status_code == 200, response.content
    assert (response.json()["languages"], response.json()["version"]) == ([], 2)
    assert _stored(person) == []


def test_leaving_languages_out_changes_none_and_null_is_refused(anna, client_for):
    person = _register(anna, AR)
    client = client_for(anna)
    response = _patch(client, person, {"version": 1, "family_name": "Al-Hasan"})
    assert response.status_code == 200, response.content
    assert response.json()["languages"] == [AR]
    assert _stored(person) == [("kim", "ar", "native", True)]

    refused = _errors(_patch(client, person, {"version": 2, "languages": None}))
    assert [error["loc"] for error in refused] == [["body", "payload", "languages"]]


def test_another_agencys_entries_stay_untouched_and_hidden(anna, ben, agencies, client_for):
    """The Jugendamt sees the KIM's person (identity shared) but not its language entries."""
    person = _register(anna, AR)
    _share(person, anna, agencies.jugendamt, DataCategory.IDENTITY)
    ben_client = client_for(ben)
    assert ben_client.get(f"/api/v1/persons/{person.public_id}").json()["languages"] == []

    response = _patch(ben_client, person, {"version": 1, "languages": [FA, DE]})
    assert response.status_code == 200, response.content
    assert response.json()["languages"] == [FA, DE]
    assert _stored(person) == [
        ("kim", "ar", "native", True),
        ("ja", "fa", "native", False),
        ("ja", "de", "a2", False),
    ]
    # ... and the KIM, which was not given the Jugendamt's language data, sees only its own.
    anna_view = client_for(anna).get(f"/api/v1/persons/{person.public_id}").json()
    assert (anna_view["languages"], anna_view["version"]) == ([AR], 2)

    cleared = _patch(ben_client, person, {"version": 2, "languages": []})
    assert cleared.status_code == 200, cleared.content
    assert cleared.json()["languages"] == []
    assert _stored(person) == [("kim", "ar", "native", True)]


def test_a_language_another_agency_holds_unseen_is_recorded_as_the_own_entry(
    anna, ben, agencies, client_for
):
    """The KIM's Arabic entry neither blocks the Jugendamt's own nor shows through."""
    person = _register(anna, AR)
    _share(person, anna, agencies.jugendamt, DataCategory.IDENTITY)
    response = _patch(client_for(ben), person, {"version": 1, "languages": [DE, AR]})
    assert response.status_code == 200, response.content
    assert response.json()["languages"] == [DE, AR]
    assert "KIM" not in json.dumps(response.json())
    assert _stored(person) == [
        ("kim", "ar", "native", True),
        ("ja", "de", "a2", False),
        ("ja", "ar", "native", True),
    ]


def test_a_visible_entry_of_another_agency_can_be_sent_back_as_read(
    anna, ben, agencies, client_for
):
    """GET, add a language, PATCH the list back: the KIM's entry in it stays the KIM's."""
    person = _register(anna, AR)
    _share(person, anna, agencies.jugendamt, DataCategory.IDENTITY, DataCategory.LANGUAGE)
    client = client_for(ben)
    read = client.get(f"/api/v1/persons/{person.public_id}").json()
    assert read["languages"] == [AR]

    response = _patch(client, person, {"version": 1, "languages": [*read["languages"], DE]})
    assert response.status_code == 200, response.content
    assert response.json()["languages"] == [AR, DE]
    assert _stored(person) == [("kim", "ar", "native", True), ("ja", "de", "a2", False)]

    # A different level is the Jugendamt's own assessment: recorded beside the KIM's entry.
    changed = _patch(client, person, {"version": 2, "languages": [AR | {"level": "c1"}]})
    assert changed.status_code == 200, changed.content
    assert changed.json()["languages"] == [AR, AR | {"level": "c1"}]
    assert _stored(person) == [("kim", "ar", "native", True), ("ja", "ar", "c1", True)]


@pytest.mark.parametrize(
    ("languages", "location", "kind"),
    [
        ([AR, {"language": "xx"}], ["languages", 1, "language"], "invalid"),
        ([AR, {"language": "AR", "level": "b2"}], ["languages", 1, "language"], "duplicate"),
        ([AR, DE | {"level": "b3"}], ["languages", 1, "level"], "enum"),
        ([AR, DE | {"dialect": "levantine"}], ["languages", 1, "dialect"], "extra_forbidden"),
    ],
)
def test_bad_languages_answer_422_naming_the_entry_and_save_nothing(
    anna, client_for, languages, location, kind
):
    person = _register(anna, KU)
    body = {"version": 1, "family_name": "Al-Hasan", "languages": languages}
    errors = _errors(_patch(client_for(anna), person, body))
    assert [(error["loc"], error["type"]) for error in errors] == [
        (["body", "payload", *location], kind)
    ]
    person.refresh_from_db()
    assert (person.family_name, person.version) == ("Al-Hassan", 1)
    assert _stored(person) == [("kim", "ku", "b1", False)]


def test_every_bad_entry_is_named_at_once(anna, client_for):
    person = _register(anna)
    body = {"version": 1, "languages": [{"language": "xx"}, AR, AR, {"language": "yy"}]}
    errors = _errors(_patch(client_for(anna), person, body))
    assert [error["loc"][2:] for error in errors] == [
        ["languages", 0, "language"],
        ["languages", 2, "language"],
        ["languages", 3, "language"],
    ]
    assert errors[0]["msg"] == "Unknown language code: xx"
    assert errors[1]["msg"] == "This language is listed twice."


def test_a_stale_version_answers_409_and_saves_nothing(anna, gero, client_for):
    person = _register(anna, AR)
    first = _patch(client_for(gero), person, {"version": 1, "family_name": "Al-Hasan"})
    assert first.status_code == 200

    stale = _patch(client_for(anna), person, {"version": 1, "languages": [FA]})
    assert stale.status_code == 409, stale.content
    body = stale.json()
    assert "languages" in body["changed_fields"]
    assert (body["current"]["languages"], body["current"]["version"]) == ([AR], 2)
    person.refresh_from_db()
    assert person.version == 2
    assert _stored(person) == [("kim", "ar", "native", True)]
    assert not AuditEvent.objects.filter(
        action=AuditAction.PERSON_UPDATED, actor=anna, subject_id=person.pk
    ).exists()


def test_a_stale_version_does_not_name_languages_that_are_as_sent(anna, gero, client_for):
    person = _register(anna, AR)
    assert _patch(client_for(gero), person, {"version": 1, "phone": "0202 1"}).status_code == 200
    stale = _patch(client_for(anna), person, {"version": 1, "languages": [AR]})
    assert stale.status_code == 409
    assert stale.json()["changed_fields"] == []


def test_a_stale_version_does_not_name_another_agencys_entry_sent_back_as_read(
    anna, ben, agencies, client_for
):
    person = _register(anna, AR)
    _share(person, anna, agencies.jugendamt, DataCategory.IDENTITY, DataCategory.LANGUAGE)
    assert _patch(client_for(anna), person, {"version": 1, "phone": "0202 1"}).status_code == 200
    stale = _patch(client_for(ben), person, {"version": 1, "languages": [AR]})
    assert stale.status_code == 409
    assert stale.json()["changed_fields"] == []


def test_a_languages_only_change_is_audited_like_other_edits(anna, agencies, client_for):
    person = _register(anna, AR)
    response = _patch(client_for(anna), person, {"version": 1, "languages": [FA]})
    assert response.status_code == 200, response.content
    event = AuditEvent.objects.get(action=AuditAction.PERSON_UPDATED, subject_id=person.pk)
    assert (event.actor, event.agency, event.target_id) == (anna, agencies.kim, str(person.pk))
    assert event.detail == {"fields": ["languages"]}

    _patch(client_for(anna), person, {"version": 2, "family_name": "Al-Hasan", "languages": []})
    latest = AuditEvent.objects.filter(action=AuditAction.PERSON_UPDATED).latest("pk")
    assert latest.detail == {"fields": ["family_name", "languages"]}


def test_registration_refuses_a_language_listed_twice(anna, client_for):
    response = client_for(anna).post(
        "/api/v1/persons",
        data=json.dumps(
            {"given_names": "Sara", "family_name": "Yilmaz", "languages": [AR, {"language": "ar"}]}
        ),
        content_type="application/json",
    )
    [error] = _errors(response)
    assert error["loc"] == ["body", "payload", "languages", 1, "language"]
    assert not Person.objects.exists()


def _patch_queries(client: Client, person: Person, languages: list[dict[str, Any]]) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = _patch(client, person, {"version": 1, "languages": languages})
    assert response.status_code == 200, response.content
    return len(queries)


def test_patch_query_count_does_not_grow_with_the_languages(anna, client_for):
    client = client_for(anna)
    few = _patch_queries(client, _register(anna, AR), [FA])
    many = _patch_queries(
        client,
        _register(anna, AR, KU, DE, {"language": "en"}, {"language": "fr"}),
        [FA, {"language": "tr"}, {"language": "ti"}, {"language": "so"}, {"language": "ps"}],
    )
    assert many == few


def test_openapi_documents_languages_on_patch(db):
    schema = Client().get("/api/v1/openapi.json").json()
    patch = schema["components"]["schemas"]["PersonPatch"]["properties"]
    assert "languages" in patch
    assert "your agency recorded" in patch["languages"]["description"]
    operation = schema["paths"]["/api/v1/persons/{id}"]["patch"]
    assert "languages" in operation["description"]
