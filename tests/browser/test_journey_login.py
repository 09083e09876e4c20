from __future__ import annotations

import pytest
from django.core.management import call_command

from lotse.demo.city import DEMO_PASSWORD

from .conftest import assert_accessible

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_kim_logs_in_sees_german_start_switches_to_english_and_logs_out(live_server, page):
    call_command("seed_demo", "--families", "0")

    page.goto(live_server.url + "/")
    assert page.url.startswith(live_server.url + "/accounts/login/")
    assert page.locator("html").get_attribute("lang") == "de"
    assert page.get_by_role("heading", name="Bei Lotse anmelden").is_visible()
    assert_accessible(page)

    page.get_by_label("Benutzername").fill("kim")
    page.get_by_label("Passwort").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Anmelden").click()
    page.wait_for_url(live_server.url + "/")
    assert page.get_by_role("heading", name="Willkommen, Katrin Imhoff").is_visible()
    whoami = page.get_by_test_id("whoami").inner_text()
    assert "Ressort Zuwanderung und Integration" in whoami
    assert "Fachkraft" in whoami
    assert page.get_by_role("link", name="Zum Inhalt springen").count() == 1
    assert_accessible(page)
    session_cookie = next(c for c in page.context.cookies() if c["name"] == "sessionid")

    page.get_by_role("button", name="English").click()
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.get_by_role("heading", name="Welcome, Katrin Imhoff").is_visible()
    assert "Caseworker" in page.get_by_test_id("whoami").inner_text()
    assert_accessible(page)

    page.get_by_role("button", name="Log out").click()
    page.wait_for_url(live_server.url + "/accounts/login/")
    assert page.get_by_role("heading", name="Log in to Lotse").is_visible()
    assert_accessible(page)

    # The old session cookie is worthless once the user logged out.
    replay = page.context.browser.new_context()
    replay.add_cookies([session_cookie])
    replay_page = replay.new_page()
    replay_page.goto(live_server.url + "/")
    assert replay_page.url.startswith(live_server.url + "/accounts/login/")
    replay.close()


def test_a_wrong_password_shows_a_clear_message_in_german(live_server, page):
    call_command("seed_demo", "--families", "0")
    page.goto(live_server.url + "/accounts/login/")
    page.get_by_label("Benutzername").fill("kim")
    page.get_by_label("Passwort").fill("falsch")
    page.get_by_role("button", name="Anmelden").click()
    assert (
        page.get_by_role("alert")
        .inner_text()
        .startswith("Benutzername oder Passwort ist nicht korrekt")
    )
    assert_accessible(page)


def test_the_accessibility_check_catches_a_violation(page):
    # Guards the guard: an unlabelled field and an image without text must fail the check.
    page.set_content(
        '<html lang="de"><body><main><input type="text"><img src="x.png"></main></body></html>'
    )
    with pytest.raises(AssertionError, match="label"):
        assert_accessible(page)
