"""Journeys of the second factor: the DPO logs in with the code of the demo app, a caseworker
sets up an app of their own (QR code, secret, recovery codes), and logs in with a recovery code.

The codes are computed from the secrets as an authenticator app would (``totp_code``).
"""

from __future__ import annotations

import re

import pytest
from django.core.management import call_command

from lotse.demo.city import DEMO_PASSWORD
from lotse.demo.twofactor import DEMO_TOTP_SECRETS

from .conftest import assert_accessible, log_in, totp_code

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _password_step(page, base: str, username: str) -> None:
    page.goto(base + "/accounts/login/")
    page.get_by_label("Benutzername").fill(username)
    page.get_by_label("Passwort").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Anmelden").click()
    page.wait_for_load_state()


def test_the_dpo_logs_in_with_password_and_the_code_of_the_demo_app(live_server, page):
    call_command("seed_demo", "--families", "0")
    base = live_server.url

    _password_step(page, base, "dsb")
    assert page.url == base + "/accounts/login/code/"
    field = page.locator("input[name=code]")
    assert field.get_attribute("autocomplete") == "one-time-code"
    assert field.get_attribute("inputmode") == "numeric"
    assert_accessible(page)
    # Not logged in yet: the pages behind the login still send to it.
    page.goto(base + "/consent/")
    assert page.url.startswith(base + "/accounts/login/")

    _password_step(page, base, "dsb")
    page.locator("input[name=code]").fill("000000")
    page.get_by_test_id("code-submit").click()
    page.wait_for_load_state()
    assert page.url == base + "/accounts/login/code/"
    assert page.locator(".kern-error").count() == 1
    assert_accessible(page)

    # django-otp takes no code for a second after a wrong one (then 2, 4, … seconds).
    page.wait_for_timeout(1100)
    page.locator("input[name=code]").fill(totp_code(DEMO_TOTP_SECRETS["dsb"]))
    page.get_by_test_id("code-submit").click()
    page.wait_for_url(base + "/")
    assert "Dana Schubert" in page.get_by_test_id("whoami").inner_text()
    page.goto(base + "/consent/")
    assert page.url == base + "/consent/"


def test_the_system_admin_reaches_the_admin_after_the_code(live_server, page):
    call_command("seed_demo", "--families", "0")
    base = live_server.url
    page.goto(base + "/admin/")
    assert page.url.startswith(base + "/accounts/login/")
    log_in(page, base, "admin")
    assert page.url == base + "/"
    page.goto(base + "/admin/")
    assert page.url == base + "/admin/"
    assert page.get_by_role("link", name=re.compile("Benutzer|Users")).count() >= 1


def test_a_caseworker_sets_up_an_app_and_later_uses_a_recovery_code(live_server, page):
    call_command("seed_demo", "--families", "0")
    base = live_server.url
    log_in(page, base, "kim")  # the password alone: no app yet
    assert page.url == base + "/"
    page.get_by_test_id("two-factor-link").locator("a").click()
    page.wait_for_url(base + "/accounts/two-factor/")
    assert page.get_by_test_id("two-factor-none").is_visible()
    assert_accessible(page)

    page.goto(base + "/accounts/two-factor/set-up/")
    # The QR code is inline SVG (the CSP allows no inline style and no foreign image).
    assert page.locator("svg.lotse-qr").count() == 1
    assert_accessible(page)
    secret = page.get_by_test_id("totp-secret").inner_text()
    page.locator("input[name=code]").fill(totp_code(secret))
    page.get_by_test_id("enrol-submit").click()
    page.wait_for_load_state()
    codes = page.get_by_test_id("recovery-codes").locator("code").all_inner_texts()
    assert len(codes) == 10
    assert_accessible(page)
    page.get_by_test_id("recovery-codes-done").click()
    page.wait_for_url(base + "/")

    page.get_by_role("button", name="Abmelden").click()
    page.wait_for_url(base + "/accounts/login/")
    _password_step(page, base, "kim")
    assert page.url == base + "/accounts/login/code/"
    page.get_by_test_id("use-recovery-code").click()
    page.wait_for_load_state()
    assert page.locator("input[name=code]").get_attribute("inputmode") == "text"
    assert_accessible(page)
    page.locator("input[name=code]").fill(codes[0])
    page.get_by_test_id("code-submit").click()
    page.wait_for_url(base + "/")
    # Told how many codes are left.
    assert "9" in page.locator(".lotse-messages").inner_text()
