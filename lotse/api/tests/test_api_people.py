from __future__ import annotations

import json
from datetime import date, timedelta
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from lotse.accounts.services import api_token_create
from lotse.audit.models import AuditAction, AuditEvent
from lotse.people.models import DomainTransition, Household, Person, ResidenceStatus
from lotse.people.services import LanguageData, PersonData, person_register

pytestmark = pytest.mark.django_db

MOHAMMED = {
    "given_names": "Mohammed",
    "family_name": "Al-Hassan",
    "native_name": "محمد الحسن",
    "aliases": ["Mohamad Alhassan"],
    "birth_date": "1985-03-02",
    "birth_date_precision": "exact",
    "sex": "m",
    "nationalities": ["sy"],
    "languages": [{"language": "ar", "level": "native", "interpreter_needed": True}],
    "district": "oberbarmen",
}


def _post(client: Client, path: str, body: dict[str, Any]) -> Any:
    return client.post(path, data=json.dumps(body), content_type="application/json")


def _patch(client: Client, path: str, body: dict[str, Any]) -> Any:
    return client.patch(path, data=json.dumps(body), content_type="application/json")


def _register(user: Any, given: str, family: str, **extra: Any) -> Person:
    data = PersonData(given_names=given, family_name=family, **extra)
    return person_register(data=data, membership=user.primary_membership(), actor=user)


def _error_locations(response: Any) -> list[list[Any]]:
    assert response.status_code == 422, response.content
    body = response.json()
    assert body["detail"] == "Invalid request."
    return [error["loc"] for error in body["errors"]]


# --- persons ------------------------------------------------------------------------------------


def test_register_and_read_a_person_with_a_bearer_token(anna):
    headers = {"Authorization": f"Bearer {api_token_create(user=anna).raw}"}
    client = Client(headers=headers)
    response = _post(client, "/api/v1/persons", MOHAMMED)
    assert response.status_code == 201, response.content
    created = response.json()
    assert created["id"].startswith("P-")
    assert created["nationalities"] == ["SY"]
    assert created["languages"] == [
        {"language": "ar", "level": "native", "interpreter_needed": True}
    ]
    assert created["version"] == 1
    assert created["access_basis"] == "own_agency"

    person = Person.objects.get(public_id=created["id"])
    assert person.owner_agency.code == "kim"
    assert person.native_name == "محمد الحسن"

    read = client.get(f"/api/v1/persons/{created['id']}")
    assert read.status_code == 200
    assert read.json() == created
    viewed = AuditEvent.objects.filter(action=AuditAction.PERSON_VIEWED, subject_id=person.pk)
    assert viewed.count() == 1
    assert "Hassan" not in json.dumps(viewed.get().detail)


def test_patch_changes_only_the_fields_sent_and_bumps_the_version(anna, client_for):
    person = _register(anna, "Mohammed", "Al-Hassan", phone="0202 123")
    response = _patch(
        client_for(anna),
        f"/api/v1/persons/{person.public_id}",
        {"version": 1, "family_name": "Al-Hasan", "birth_date": "1985-01-01"},
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["family_name"], body["birth_date"], body["version"]) == (
        "Al-Hasan",
        "1985-01-01",
        2,
    )
    person.refresh_from_db()
    assert (person.family_name, person.birth_year, person.phone) == ("Al-Hasan", 1985, "0202 123")


def test_stale_patch_answers_409_with_what_changed_and_saves_nothing(anna, gero, client_for):
    person = _register(anna, "Mohammed", "Al-Hassan")
    path = f"/api/v1/persons/{person.public_id}"
    first = _patch(client_for(gero), path, {"version": 1, "family_name": "Al-Hasan"})
    assert first.status_code == 200

    stale = _patch(client_for(anna), path, {"version": 1, "family_name": "Alhassan"})
    assert stale.status_code == 409
    body = stale.json()
    assert set(body) == {"detail", "changed_fields", "current"}
    assert "nothing was saved" in body["detail"]
    assert body["changed_fields"] == ["family_name"]
    assert body["current"]["family_name"] == "Al-Hasan"
    assert body["current"]["version"] == 2
    person.refresh_from_db()
    assert (person.family_name, person.version) == ("Al-Hasan", 2)


def test_patch_refuses_null_for_names_and_unknown_fields(anna, client_for):
    person = _register(anna, "Mohammed", "Al-Hassan")
    path = f"/api/v1/persons/{person.public_id}"
    client = client_for(anna)
    assert _error_locations(_patch(client, path, {"version": 1, "given_names": None})) == [
        ["body", "payload", "given_names"]
    ]
    assert _error_locations(_patch(client, path, {"version": 1, "nationality": ["SY"]})) == [
        ["body", "payload", "nationality"]
    ]
    assert _error_locations(_patch(client, path, {"family_name": "X"})) == [
        ["body", "payload", "version"]
    ]
    person.refresh_from_db()
    assert (person.given_names, person.version) == ("Mohammed", 1)


def test_list_has_items_and_count_and_pages(anna, client_for):
    for family in ("Yilmaz", "Ahmadi", "Bekele"):
        _register(anna, "Sara", family)
    client = client_for(anna)
    body = client.get("/api/v1/persons").json()
    assert body["count"] == 3
    assert [p["family_name"] for p in body["items"]] == ["Ahmadi", "Bekele", "Yilmaz"]
    page = client.get("/api/v1/persons?limit=1&offset=1").json()
    assert page["count"] == 3
    assert [p["family_name"] for p in page["items"]] == ["Bekele"]


@pytest.mark.parametrize(
    "query", ["Muhammad Alhasan", "محمد الحسن", "alhassan mohamed", "Al-Hassan 1985"]
)
def test_search_finds_a_person_by_variant_spelling_and_native_script(anna, client_for, query):
    wanted = _register(
        anna,
        "Mohammed",
        "Al-Hassan",
        native_name="محمد الحسن",
        birth_date=date(1985, 3, 2),
    )
    _register(anna, "Mahmoud", "Hussein", birth_date=date(1985, 3, 2))
    _register(anna, "Olena", "Petrenko")
    response = client_for(anna).get("/api/v1/persons", {"q": query})
    assert response.status_code == 200
    body = response.json()
    assert body["items"][0]["id"] == wanted.public_id
    assert body["count"] == len(body["items"])
    assert "Petrenko" not in {p["family_name"] for p in body["items"]}


def test_another_agencys_person_is_missing_everywhere(anna, ben, client_for):
    own = _register(anna, "Mohammed", "Al-Hassan", native_name="محمد الحسن")
    foreign = _register(ben, "Mohammed", "Al-Hassan", native_name="محمد الحسن")
    client = client_for(anna)
    path = f"/api/v1/persons/{foreign.public_id}"

    missing = client.get("/api/v1/persons/P-0000-0000")
    assert client.get(path).status_code == 404
    assert client.get(path).json() == missing.json()
    assert _patch(client, path, {"version": 1, "family_name": "X"}).status_code == 404
    assert client.get(f"{path}/residence-statuses").status_code == 404
    duldung = {"kind": "duldung", "valid_from": "2024-01-01"}
    assert _post(client, f"{path}/residence-statuses", duldung).status_code == 404
    assert not ResidenceStatus.objects.exists()
    foreign.refresh_from_db()
    assert foreign.family_name == "Al-Hassan"

    listed = client.get("/api/v1/persons").json()
    assert listed["count"] == 1
    assert [p["id"] for p in listed["items"]] == [own.public_id]
    for query in ("Mohammed Al-Hassan", "محمد الحسن", foreign.public_id):
        found = client.get("/api/v1/persons", {"q": query}).json()
        assert foreign.public_id not in json.dumps(found)
        assert found["count"] == (0 if query == foreign.public_id else 1)


@pytest.mark.parametrize("user", ["emil", "frida"])
def test_coordinator_and_dpo_get_404_for_person_data(user, anna, client_for, request):
    person = _register(anna, "Mohammed", "Al-Hassan")
    client = client_for(request.getfixturevalue(user))
    assert client.get("/api/v1/persons").status_code == 404
    assert client.get("/api/v1/persons", {"q": "Mohammed"}).status_code == 404
    assert client.get(f"/api/v1/persons/{person.public_id}").status_code == 404
    assert client.get("/api/v1/households").status_code == 404
    assert _post(client, "/api/v1/persons", MOHAMMED).status_code == 404
    assert _post(client, "/api/v1/persons/duplicate-check", MOHAMMED).status_code == 404
    # Even nonsense input: the answer does not reveal how the endpoint validates.
    assert _post(client, "/api/v1/persons", {"sex": "?"}).status_code == 404
    assert Person.objects.count() == 1


def test_anonymous_callers_get_401(db):
    assert Client().get("/api/v1/persons").status_code == 401
    assert _post(Client(), "/api/v1/persons", MOHAMMED).status_code == 401


# --- bad input ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("change", "location"),
    [
        ({"birth_date": "1985-02-30"}, ["birth_date"]),
        ({"birth_date": "02.03.1985"}, ["birth_date"]),
        ({"birth_date": (timezone.localdate() + timedelta(days=3)).isoformat()}, ["birth_date"]),
        ({"sex": "q"}, ["sex"]),
        ({"birth_date_precision": "roughly"}, ["birth_date_precision"]),
        ({"nationalities": ["SY", "XX"]}, ["nationalities"]),
        ({"languages": [{"language": "zz"}]}, ["languages", 0, "language"]),
        ({"languages": [{"language": "ar", "level": "fluent"}]}, ["languages", 0, "level"]),
        ({"district": "Mitte"}, ["district"]),
        ({"given_names": ""}, ["given_names"]),
        ({"family_name": None}, ["family_name"]),
        ({"nationality": ["SY"]}, ["nationality"]),
    ],
)
def test_bad_person_input_answers_422_naming_the_field(anna, client_for, change, location):
    response = _post(client_for(anna), "/api/v1/persons", {**MOHAMMED, **change})
    assert ["body", "payload", *location] in _error_locations(response)
    assert Person.objects.count() == 0


def test_a_missing_or_broken_body_is_not_a_server_error(anna, client_for):
    client = client_for(anna)
    broken = client.post("/api/v1/persons", data="{", content_type="application/json")
    assert broken.status_code == 400
    assert broken.json() == {"detail": "Cannot parse request body"}
    assert _post(client, "/api/v1/persons", {}).status_code == 422
    assert client.get("/api/v1/persons?limit=0").status_code == 422
    assert client.get("/api/v1/persons?limit=x").status_code == 422


# --- duplicate check ------------------------------------------------------------------------


def test_duplicate_check_shows_own_candidates_with_their_data(anna, client_for):
    own = _register(
        anna, "Mohammed", "Al-Hassan", birth_date=date(1985, 3, 2), nationalities=["SY"]
    )
    response = _post(
        client_for(anna),
        "/api/v1/persons/duplicate-check",
        {"given_names": "Muhammad", "family_name": "Alhasan", "birth_date": "1985-03-02"},
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["other_agencies"] == []
    [candidate] = body["candidates"]
    assert candidate["person"]["id"] == own.public_id
    assert candidate["person"]["family_name"] == "Al-Hassan"
    assert candidate["tier"] in {"likely", "possible"}
    assert 0 < candidate["score"] <= 1
    assert AuditEvent.objects.filter(action=AuditAction.DUPLICATE_CHECKED).count() == 1


def test_duplicate_check_only_hints_at_another_agency_and_leaks_nothing(anna, ben, client_for):
    foreign = _register(
        ben,
        "Mohammed",
        "Al-Hassan",
        native_name="محمد الحسن",
        birth_date=date(1985, 3, 2),
        aliases=["Mohamad Alhassan-Qudsi"],
        phone="0176 5555",
    )
    response = _post(
        client_for(anna),
        "/api/v1/persons/duplicate-check",
        {"given_names": "Muhammad", "family_name": "Alhasan", "birth_date": "1985-03-02"},
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert body == {
        "candidates": [],
        "other_agencies": [
            {
                "code": "ja",
                "name": "Jugendamt",
                "hint": "A possible match is known to Jugendamt — ask the family for consent",
            }
        ],
    }
    text = response.content.decode()
    for secret in ("Al-Hassan", "محمد", "1985", "Qudsi", "0176", foreign.public_id, "score"):
        assert secret not in text


def test_duplicate_check_rejects_unknown_country_codes(anna, client_for):
    response = _post(
        client_for(anna),
        "/api/v1/persons/duplicate-check",
        {"family_name": "Al-Hassan", "nationalities": ["QQ"]},
    )
    assert _error_locations(response) == [["body", "payload", "nationalities"]]


# --- households -----------------------------------------------------------------------------


def test_register_a_household_with_a_known_and_a_new_member(anna, client_for):
    father = _register(anna, "Mohammed", "Al-Hassan")
    client = client_for(anna)
    response = _post(
        client,
        "/api/v1/households",
        {
            "street": "Berliner Str. 12",
            "postcode": "42275",
            "district": "oberbarmen",
            "members": [
                {"person": father.public_id, "role": "head"},
                {
                    "person": {
                        "given_names": "Layla",
                        "family_name": "Al-Hassan",
                        "birth_date": "2016-05-01",
                        "sex": "f",
                        "languages": [{"language": "ar"}],
                    },
                    "role": "child",
                },
            ],
        },
    )
    assert response.status_code == 201, response.content
    household = response.json()
    assert household["id"].startswith("H-")
    roles = {m["person"]["given_names"]: m["role"] for m in household["members"]}
    assert roles == {"Mohammed": "head", "Layla": "child"}
    layla = next(m["person"] for m in household["members"] if m["role"] == "child")
    assert layla["languages"][0]["language"] == "ar"
    assert layla["district"] == "oberbarmen"

    detail = client.get(f"/api/v1/households/{household['id']}")
    assert detail.status_code == 200
    members = {(m["person"]["id"], m["role"]) for m in detail.json()["members"]}
    assert members == {(m["person"]["id"], m["role"]) for m in household["members"]}
    listed = client.get("/api/v1/households").json()
    assert listed["count"] == 1
    assert listed["items"][0]["id"] == household["id"]


def test_household_errors_name_the_member_field_and_save_nothing(anna, ben, client_for):
    foreign = _register(ben, "Omid", "Rahimi")
    client = client_for(anna)
    new_child = {"given_names": "Layla", "family_name": "Al-Hassan", "birth_date": "2099-01-01"}
    cases: list[tuple[list[dict[str, Any]], list[Any]]] = [
        ([{"person": 42, "role": "head"}], ["members", 0, "person"]),
        (
            [{"person": {"given_names": "Layla"}, "role": "child"}],
            ["members", 0, "person", "family_name"],
        ),
        ([{"person": foreign.public_id, "role": "head"}], ["members", 0, "person"]),
        ([{"person": "P-0000-0000", "role": "head"}], ["members", 0, "person"]),
        ([{"person": new_child, "role": "child"}], ["members", 0, "person", "birth_date"]),
        ([{"person": new_child, "role": "cousin"}], ["members", 0, "role"]),
        ([], ["members"]),
    ]
    for members, location in cases:
        response = _post(client, "/api/v1/households", {"members": members})
        assert ["body", "payload", *location] in _error_locations(response), members
    assert Household.objects.count() == 0
    assert Person.objects.count() == 1


def test_another_agencys_household_is_missing(anna, ben, client_for):
    response = _post(
        client_for(ben),
        "/api/v1/households",
        {"members": [{"person": {"given_names": "Omid", "family_name": "Rahimi"}, "role": "head"}]},
    )
    assert response.status_code == 201
    client = client_for(anna)
    assert client.get(f"/api/v1/households/{response.json()['id']}").status_code == 404
    assert client.get("/api/v1/households").json() == {"items": [], "count": 0, "count_exact": True}


# --- residence statuses ---------------------------------------------------------------------


def test_residence_statuses_recognise_the_change_from_asylblg_to_sgb_ii(anna, client_for):
    person = _register(anna, "Mohammed", "Al-Hassan")
    client = client_for(anna)
    path = f"/api/v1/persons/{person.public_id}/residence-statuses"

    first = _post(client, path, {"kind": "aufenthaltsgestattung", "valid_from": "2022-01-10"})
    assert first.status_code == 201, first.content
    assert first.json()["benefit_regime"] == "asylblg"
    assert first.json()["transition"] is None

    second = _post(
        client,
        path,
        {
            "kind": "aufenthaltserlaubnis",
            "paragraph": "§ 25 Abs. 2 AufenthG",
            "valid_from": "2024-03-01",
            "valid_until": "2027-02-28",
            "work_permission": "allowed",
        },
    )
    assert second.status_code == 201, second.content
    assert second.json()["transition"] == {
        "from_regime": "asylblg",
        "to_regime": "sgb_ii",
        "effective_from": "2024-03-01",
    }
    assert DomainTransition.objects.filter(person=person).count() == 1

    history = client.get(path).json()
    assert history["count"] == 2
    assert [s["kind"] for s in history["items"]] == [
        "aufenthaltserlaubnis",
        "aufenthaltsgestattung",
    ]
    assert history["items"][0]["transition"]["to_regime"] == "sgb_ii"
    assert history["items"][1]["transition"] is None


@pytest.mark.parametrize(
    ("body", "location"),
    [
        ({"kind": "visa", "valid_from": "2024-01-01"}, ["kind"]),
        ({"kind": "duldung"}, ["valid_from"]),
        ({"kind": "duldung", "valid_from": "2024-13-01"}, ["valid_from"]),
        ({"kind": "aufenthaltserlaubnis", "valid_from": "2024-01-01"}, ["paragraph"]),
        (
            {"kind": "duldung", "valid_from": "2024-06-01", "valid_until": "2024-01-01"},
            ["valid_until"],
        ),
        (
            {"kind": "duldung", "valid_from": "2024-06-01", "work_permission": "?"},
            ["work_permission"],
        ),
    ],
)
def test_bad_residence_input_answers_422_naming_the_field(anna, client_for, body, location):
    person = _register(anna, "Mohammed", "Al-Hassan")
    response = _post(
        client_for(anna), f"/api/v1/persons/{person.public_id}/residence-statuses", body
    )
    assert ["body", "payload", *location] in _error_locations(response)
    assert ResidenceStatus.objects.count() == 0


# --- query counts ---------------------------------------------------------------------------


def _list_queries(client: Client, path: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize("path", ["/api/v1/persons", "/api/v1/persons?q=Sara"])
def test_person_list_query_count_does_not_grow_with_the_data(
    anna, client_for, django_assert_num_queries, path
):
    client = client_for(anna)
    _register(anna, "Sara", "Person0", languages=[LanguageData(language="ar")])
    one = _list_queries(client, path)
    for index in range(1, 20):
        _register(anna, "Sara", f"Person{index}", languages=[LanguageData(language="fa")])
    with django_assert_num_queries(one):
        response = client.get(path)
    assert response.json()["count"] == 20
    assert len(response.json()["items"]) == 20


def test_household_list_query_count_does_not_grow_with_the_data(anna, client_for):
    client = client_for(anna)

    def add_household(index: int) -> None:
        _post(
            client,
            "/api/v1/households",
            {
                "members": [
                    {"person": {"given_names": "A", "family_name": f"H{index}"}, "role": "head"},
                    {
                        "person": {
                            "given_names": "B",
                            "family_name": f"H{index}",
                            "languages": [{"language": "fa"}],
                        },
                        "role": "child",
                    },
                ]
            },
        )

    add_household(0)
    one = _list_queries(client, "/api/v1/households")
    for index in range(1, 10):
        add_household(index)
    assert _list_queries(client, "/api/v1/households") == one


def test_openapi_documents_the_people_endpoints(db):
    schema = Client().get("/api/v1/openapi.json").json()
    paths = schema["paths"]
    assert set(paths["/api/v1/persons"]) == {"get", "post"}
    assert set(paths["/api/v1/persons/{id}"]) == {"get", "patch"}
    assert "post" in paths["/api/v1/persons/duplicate-check"]
    assert set(paths["/api/v1/persons/{id}/residence-statuses"]) == {"get", "post"}
    assert set(paths["/api/v1/households"]) == {"get", "post"}
    assert "get" in paths["/api/v1/households/{id}"]
    # One "Authorize" in the docs covers every endpoint: no extra security schemes.
    assert set(schema["components"]["securitySchemes"]) == {"BearerTokenAuth", "LotseSessionAuth"}
