from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st

from lotse.accounts.models import ApiToken, hash_api_token
from lotse.accounts.services import api_token_authenticate, api_token_create, api_token_revoke

pytestmark = pytest.mark.django_db


def _bearer(raw: str) -> dict[str, Any]:
    return {"headers": {"Authorization": f"Bearer {raw}"}}


def test_me_answers_user_agency_and_role_with_a_token(anna, agencies):
    raw = api_token_create(user=anna).raw
    response = Client().get("/api/v1/me", **_bearer(raw))
    assert response.status_code == 200
    body = response.json()
    assert body["username"] == "anna"
    assert body["agency"] == {
        "id": agencies.kim.pk,
        "code": "kim",
        "name": "KIM Integration",
        "kind": "integration_office",
    }
    assert body["role"] == "caseworker"
    assert "search_persons" in body["capabilities"]


def test_session_auth_works_for_the_same_endpoints(anna, client_for):
    response = client_for(anna).get("/api/v1/me")
    assert response.status_code == 200
    assert response.json()["username"] == "anna"


def test_agencies_list_has_items_and_count(anna, client_for, agencies):
    body = client_for(anna).get("/api/v1/agencies").json()
    assert body["count"] == 5
    assert {a["code"] for a in body["items"]} == {"kim", "ja", "jc", "abh", "car"}
    assert set(body["items"][0]) == {"id", "code", "name", "kind"}


def test_tokens_are_stored_hashed_and_expire(anna):
    issued = api_token_create(user=anna, days=3)
    stored = ApiToken.objects.get()
    assert stored.key_hash == hash_api_token(issued.raw)
    assert issued.raw not in {stored.key_hash, stored.prefix}
    assert timedelta(days=2, hours=23) < stored.expires_at - timezone.now() <= timedelta(days=3)


@pytest.mark.parametrize("state", ["expired", "revoked", "unknown", "malformed"])
def test_unusable_tokens_get_the_same_non_revealing_401(anna, state):
    issued = api_token_create(user=anna)
    raw = issued.raw
    if state == "expired":
        ApiToken.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    elif state == "revoked":
        api_token_revoke(token=issued.token, actor=anna)
    elif state == "unknown":
        raw = raw[:-4] + "AAAA"
    else:
        raw = "not-a-token ü"
    response = Client().get("/api/v1/me", **_bearer(raw))
    assert response.status_code == 401
    assert response.json() == {
        "detail": "Authentication required: a valid bearer token or session."
    }


def test_anonymous_calls_get_401_not_a_login_redirect():
    response = Client().get("/api/v1/me")
    assert response.status_code == 401


def test_bad_query_parameters_name_the_field(anna, client_for):
    response = client_for(anna).get("/api/v1/agencies?limit=many")
    assert response.status_code == 422
    assert response.json()["errors"][0]["loc"][-1] == "limit"


def test_unknown_api_paths_answer_json_404(anna, client_for):
    response = client_for(anna).get("/api/v1/no-such-thing")
    assert response.status_code == 404
    assert response.json() == {"detail": "Not found."}


def test_openapi_schema_and_docs_are_served(anna, client_for):
    schema = Client().get("/api/v1/openapi.json").json()
    assert "/api/v1/me" in schema["paths"]
    assert "/api/v1/agencies" in schema["paths"]
    assert Client().get("/api/v1/docs").status_code == 200


def test_create_api_token_command_prints_a_working_token(anna, capsys):
    call_command("create_api_token", "anna", "--days", "7")
    raw = capsys.readouterr().out.strip()
    assert api_token_authenticate(raw=raw) is not None
    assert Client().get("/api/v1/me", **_bearer(raw)).status_code == 200


def test_create_api_token_for_unknown_user_fails_clearly(db):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="No active user"):
        call_command("create_api_token", "nobody")


@given(st.text(max_size=300))
def test_no_random_string_authenticates_or_crashes(raw):
    assert api_token_authenticate(raw=raw) is None


def test_the_api_answers_in_the_language_the_caller_asks_for(anna):
    raw = api_token_create(user=anna).raw
    german = Client().get("/api/v1/persons/P-0000-0000", headers={"Authorization": f"Bearer {raw}"})
    english = Client().get(
        "/api/v1/persons/P-0000-0000",
        headers={"Authorization": f"Bearer {raw}", "Accept-Language": "en"},
    )
    assert german["Content-Language"] == "de"
    assert english["Content-Language"] == "en"
