"""Report a barrier: the accessibility statement's feedback form (BITV 2.0 § 7, EU 2016/2102
Art. 7(1)(b)) under /angebote/barrierefreiheit/rueckmeldung/.

The tests run with German active and the German catalogue may not yet hold the new texts:
they assert on data-testid attributes, field ids and what the visitor typed, not on Lotse's
own UI words.
"""

from __future__ import annotations

import os
import re
import smtplib
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from django.core import mail
from django.core.cache import cache
from django.core.mail import EmailMessage
from django.test import Client, RequestFactory
from django.urls import reverse

from lotse.directory import public_feedback
from lotse.directory.public_feedback import FEEDBACK_LIMIT, local_path
from lotse.directory.public_texts import ENFORCEMENT_BODY

pytestmark = pytest.mark.django_db

URL = "/angebote/barrierefreiheit/rueckmeldung/"
THANKS = "/angebote/barrierefreiheit/rueckmeldung/danke/"
BARRIER = "Die Karte lässt sich mit dem Bildschirmleser nicht bedienen."


@pytest.fixture(autouse=True)
def _fresh_limit() -> Any:
    """Each test starts with no messages counted (the test cache lives for the process)."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def anonymous() -> Client:
    return Client()


def _post(client: Client, *, remote: str = "203.0.113.7", **fields: str) -> Any:
    data = {"page": "", "barrier": BARRIER, "name": "", "email": "", "website": ""}
    data.update(fields)
    return client.post(URL, data, REMOTE_ADDR=remote)


def _summary_anchors(response: Any) -> list[str]:
    text = response.content.decode()
    assert 'id="error-summary"' in text
    summary = text.split('id="error-summary"', 1)[1].split("</div>\n</div>", 1)[0]
    return re.findall(r'href="#([^"]+)"', summary)


# --- the page -----------------------------------------------------------------------------------


def test_the_urls_follow_the_statements_naming():
    assert reverse("public:accessibility_feedback") == URL
    assert reverse("public:accessibility_feedback_thanks") == THANKS


def test_the_form_opens_without_login_with_labelled_fields(anonymous):
    response = anonymous.get(URL)
    assert response.status_code == 200
    text = response.content.decode()
    assert 'data-testid="feedback-form"' in text
    assert 'name="csrfmiddlewaretoken"' in text
    for name in ("page", "barrier", "name", "email"):
        assert f'<label class="kern-label" for="id_{name}">' in text
    assert 'type="email"' in text
    assert 'maxlength="5000"' in text
    # What happens to the data is said before sending, and names the recipient.
    assert 'data-testid="feedback-data"' in text
    assert "barrierefreiheit@example.org" in text
    # The trap for robots is hidden from everyone.
    assert re.search(r"<div[^>]*hidden>\s*<label for=\"id_website\">", text)
    assert text.count("<h1") == 1


def test_the_statement_links_to_the_form(anonymous):
    text = anonymous.get(reverse("public:accessibility")).content.decode()
    assert 'data-testid="accessibility-feedback-link"' in text
    assert f'href="{URL}"' in text
    # The shipped statement names the contact's e-mail address as well.
    assert 'href="mailto:barrierefreiheit@example.org"' in text


def test_every_public_page_links_to_the_form_with_itself_as_the_page(anonymous):
    text = anonymous.get(reverse("public:map")).content.decode()
    assert f'href="{URL}?page=/angebote/karte/"' in text


def test_the_page_is_prefilled_from_a_local_referrer(anonymous):
    response = anonymous.get(URL, {"page": "/angebote/karte/"})
    assert response.context["form"]["page"].value() == "/angebote/karte/"
    assert 'value="/angebote/karte/"' in response.content.decode()


@pytest.mark.parametrize(
    "foreign",
    [
        "https://evil.example/",
        "//evil.example/",
        "/\\evil.example/",
        "javascript:alert(1)",
        "http:/evil.example",
        "/angebote/\nx",
    ],
)
def test_an_address_of_another_site_is_never_prefilled_nor_linked(anonymous, foreign):
    response = anonymous.get(URL, {"page": foreign})
    assert response.status_code == 200
    assert response.context["form"]["page"].value() in ("", None)
    text = response.content.decode()
    page_input = re.search(r'<input[^>]*id="id_page"[^>]*>', text)
    assert page_input is not None
    assert "value=" not in page_input.group(0)
    assert not _links_to_evil(text)
    thanks = anonymous.get(THANKS, {"page": foreign})
    assert thanks.status_code == 200
    assert 'data-testid="feedback-back"' not in thanks.content.decode()
    assert not _links_to_evil(thanks.content.decode())
    assert local_path(foreign) == ""


def _links_to_evil(text: str) -> list[str]:
    """Links and form targets that lead elsewhere (the language switch keeps the query as its
    ``next``, which Django's set_language checks itself)."""
    return re.findall(r'(?:href|action|src)="[^"]*(?:evil|javascript)[^"]*"', text)


def test_a_foreign_page_typed_into_the_form_is_sent_as_text_but_never_linked(anonymous):
    response = _post(anonymous, page="https://evil.example/")
    assert response.status_code == 302
    assert response["Location"] == THANKS
    # In the mail as what the visitor typed, but not turned into an address of this site.
    assert "https://evil.example/" in mail.outbox[0].body
    assert "http://testserver" not in mail.outbox[0].body


# --- sending ------------------------------------------------------------------------------------


def test_a_report_sends_one_mail_to_the_contact_with_only_what_was_typed(anonymous, settings):
    settings.ACCESSIBILITY_FEEDBACK_EMAIL = "barrieren@stadt.example"
    response = _post(
        anonymous,
        page="/angebote/karte/",
        name="Rosa Rollstuhl",
        email="rosa@example.net",
        remote="198.51.100.23",
    )
    assert response.status_code == 302
    assert response["Location"] == f"{THANKS}?page=%2Fangebote%2Fkarte%2F"
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["barrieren@stadt.example"]
    assert message.reply_to == ["rosa@example.net"]
    assert message.from_email == settings.DEFAULT_FROM_EMAIL
    assert BARRIER in message.body
    assert "Rosa Rollstuhl" in message.body
    assert "rosa@example.net" in message.body
    assert "http://testserver/angebote/karte/" in message.body
    # Nothing about the sender beyond what was typed: no address, no browser.
    everything = str(message.message())
    assert "198.51.100.23" not in everything
    assert "testclient" not in everything.lower()
    assert "User-Agent" not in everything


def test_without_an_email_address_there_is_no_reply_to(anonymous):
    _post(anonymous)
    assert len(mail.outbox) == 1
    assert mail.outbox[0].reply_to == []
    assert "Reply-To" not in mail.outbox[0].message()


def test_the_thank_you_page_names_the_enforcement_body_and_links_back(anonymous):
    response = anonymous.get(THANKS, {"page": "/angebote/karte/"})
    assert response.status_code == 200
    text = response.content.decode()
    assert 'data-testid="feedback-enforcement"' in text
    assert ENFORCEMENT_BODY.name in text
    assert f'href="mailto:{ENFORCEMENT_BODY.email}"' in text
    assert 'data-testid="feedback-back"' in text
    assert 'href="/angebote/karte/"' in text


def test_nothing_is_stored_in_the_database(anonymous, django_assert_max_num_queries):
    # The page needs no query at all; a write would show up here.
    with django_assert_max_num_queries(0):
        _post(anonymous, email="rosa@example.net")
    assert len(mail.outbox) == 1


def test_a_failed_delivery_keeps_the_text_and_says_so(anonymous, monkeypatch):
    def refuse(self: Any, fail_silently: bool = False) -> int:
        raise smtplib.SMTPServerDisconnected("gone")

    monkeypatch.setattr(EmailMessage, "send", refuse)
    response = _post(anonymous)
    assert response.status_code == 503
    text = response.content.decode()
    assert 'data-testid="feedback-send-failed"' in text
    assert BARRIER in text


# --- wrong input names the field ----------------------------------------------------------------


def test_a_wrong_email_address_names_the_field(anonymous):
    response = _post(anonymous, email="rosa(at)example")
    assert response.status_code == 400
    assert list(response.context["form"].errors) == ["email"]
    assert _summary_anchors(response) == ["id_email"]
    text = response.content.decode()
    assert 'id="id_email_error"' in text
    assert 'aria-describedby="id_email_helptext id_email_error"' in text
    assert 'aria-invalid="true"' in text
    assert mail.outbox == []


@pytest.mark.parametrize("barrier", ["", "   \n  "])
def test_a_missing_barrier_names_the_field(anonymous, barrier):
    response = _post(anonymous, barrier=barrier)
    assert response.status_code == 400
    assert list(response.context["form"].errors) == ["barrier"]
    assert response.context["form"].errors.as_data()["barrier"][0].code == "required"
    assert _summary_anchors(response) == ["id_barrier"]
    assert 'id="id_barrier_error"' in response.content.decode()
    assert mail.outbox == []


def test_a_too_long_barrier_or_a_control_character_names_the_field(anonymous):
    response = _post(anonymous, barrier="x" * 5001)
    assert list(response.context["form"].errors) == ["barrier"]
    response = _post(anonymous, name="Rosa\u202eRollstuhl")
    assert list(response.context["form"].errors) == ["name"]
    assert mail.outbox == []


def test_the_form_is_protected_against_cross_site_posts():
    client = Client(enforce_csrf_checks=True)
    response = client.post(URL, {"barrier": BARRIER})
    assert response.status_code == 403
    assert mail.outbox == []


# --- abuse --------------------------------------------------------------------------------------


def test_a_filled_in_trap_sends_nothing_but_looks_the_same(anonymous):
    robot = _post(anonymous, website="https://spam.example/", page="/angebote/karte/")
    person = _post(anonymous, page="/angebote/karte/")
    assert robot.status_code == person.status_code == 302
    assert robot["Location"] == person["Location"]
    assert len(mail.outbox) == 1  # the person's only


def test_the_sixth_message_in_an_hour_is_refused_kindly(anonymous):
    for _ in range(FEEDBACK_LIMIT):
        assert _post(anonymous).status_code == 302
    response = _post(anonymous, barrier="Noch eine Barriere.")
    assert response.status_code == 429
    assert response["Retry-After"] == "3600"
    text = response.content.decode()
    assert 'data-testid="feedback-limited"' in text
    assert "Noch eine Barriere." in text  # kept, so it can be copied
    assert len(mail.outbox) == FEEDBACK_LIMIT
    # Another address is not affected; the page itself still opens.
    assert _post(anonymous, remote="203.0.113.99").status_code == 302
    assert anonymous.get(URL, REMOTE_ADDR="203.0.113.7").status_code == 200


def test_wrong_input_does_not_use_up_the_limit(anonymous):
    for _ in range(FEEDBACK_LIMIT + 2):
        assert _post(anonymous, barrier="").status_code == 400
    assert _post(anonymous).status_code == 302


def test_behind_the_proxy_the_limit_is_per_forwarded_address(anonymous, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    data = {"barrier": BARRIER}
    for _ in range(FEEDBACK_LIMIT):
        anonymous.post(URL, data, REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="198.51.100.1")
    limited = anonymous.post(
        URL, data, REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="198.51.100.1"
    )
    assert limited.status_code == 429
    other = anonymous.post(URL, data, REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="198.51.100.2")
    assert other.status_code == 302


def test_the_limit_keeps_no_client_address_in_the_cache(anonymous):
    _post(anonymous, remote="198.51.100.77")
    key = public_feedback._limit_key(RequestFactory().post(URL, REMOTE_ADDR="198.51.100.77"))
    assert "198.51.100.77" not in key
    assert cache.get(key)


# --- not set up ---------------------------------------------------------------------------------


def test_without_a_contact_address_the_form_says_it_is_not_available(anonymous, settings):
    settings.ACCESSIBILITY_FEEDBACK_EMAIL = ""
    response = anonymous.get(URL)
    assert response.status_code == 200
    assert 'data-testid="feedback-unavailable"' in response.content.decode()
    assert 'data-testid="feedback-form"' not in response.content.decode()
    assert _post(anonymous).status_code == 503
    assert mail.outbox == []
    statement = anonymous.get(reverse("public:accessibility")).content.decode()
    # The statement names no contact address then: the only one left is the ombudsperson's.
    assert statement.count('href="mailto:') == 1
    assert f'href="mailto:{ENFORCEMENT_BODY.email}"' in statement


def _settings_value(**env: str) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("LOTSE_", "DJANGO_"))}
    code = "from django.conf import settings as s; print(repr(s.ACCESSIBILITY_FEEDBACK_EMAIL))"
    return subprocess.run(  # noqa: S603 - fixed command
        [sys.executable, "-m", "config.manage", "shell", "-c", code],
        cwd=Path(__file__).resolve().parents[3],
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_the_contact_address_comes_from_the_environment_and_a_malformed_one_stops_the_start():
    result = _settings_value(LOTSE_ACCESSIBILITY_FEEDBACK_EMAIL="barrierefrei@stadt.example.org")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == repr("barrierefrei@stadt.example.org")
    result = _settings_value(LOTSE_ACCESSIBILITY_FEEDBACK_EMAIL="barrierefrei at stadt")
    assert result.returncode != 0
    assert "LOTSE_ACCESSIBILITY_FEEDBACK_EMAIL must be an e-mail address" in result.stderr
    assert "Traceback" not in result.stderr


def test_deploy_check_warns_when_the_feedback_form_has_no_recipient(settings: Any) -> None:
    from lotse.directory.checks import check_accessibility_feedback

    settings.ACCESSIBILITY_FEEDBACK_EMAIL = ""
    assert [m.id for m in check_accessibility_feedback()] == ["lotse.directory.W001"]
    settings.ACCESSIBILITY_FEEDBACK_EMAIL = "barrierefreiheit@example.org"
    assert check_accessibility_feedback() == []
