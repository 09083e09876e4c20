"""Pages refuse input no database may be asked about (NUL, lone surrogates) with a 400 page."""

from __future__ import annotations

import pytest
from django.test import Client


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("method", "path", "data"),
    [
        ("get", "/people/p/P-%00/", {}),
        ("get", "/people/search/", {"q": "Amal\x00"}),
        ("get", "/consent/", {"person": "P-\x00"}),
        ("get", "/privacy/audit/", {"user": "anna\x00"}),
        ("post", "/people/duplicate-check/", {"prefix": "members-0", "members-0-existing": "\x00"}),
        ("post", "/people/register/", {"members-0-existing": "P-\x00", "members-TOTAL_FORMS": "1"}),
    ],
)
def test_a_nul_byte_in_a_page_request_answers_400_in_the_lotse_frame(
    anna, frida, method, path, data
):
    client = Client()
    client.force_login(frida if path.startswith(("/consent/", "/privacy/")) else anna)
    response = getattr(client, method)(path, data)
    assert response.status_code == 400
    body = response.content.decode()
    assert "invisible control character" in body or "unsichtbares Steuerzeichen" in body


@pytest.mark.django_db
def test_an_ordinary_request_passes(anna):
    client = Client()
    client.force_login(anna)
    assert client.get("/people/search/", {"q": "Amal Haddad"}).status_code == 200


@pytest.mark.django_db
def test_a_session_cookie_no_key_can_be_is_no_session(anna):
    client = Client()
    client.cookies["sessionid"] = "abcdefgh\x00ijk"
    response = client.get("/")
    assert response.status_code == 302  # to the login page, as for any unknown session
