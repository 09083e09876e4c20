"""Journey of a passkey in a real Chromium: a caseworker sets one up on the second-factor page
and logs in with password and passkey; then removes it.

Chromium's virtual authenticator (DevTools protocol: ``WebAuthn.addVirtualAuthenticator``)
stands in for a security key, so the ceremony is the browser's own: django-otp-webauthn's
scripts from Lotse's static files, under Lotse's CSP, talking to Lotse's endpoints.
"""

from __future__ import annotations

import re

import pytest
from django.core.management import call_command
from django_otp_webauthn.models import WebAuthnCredential

from lotse.audit.models import AuditAction, AuditEvent
from lotse.demo.city import DEMO_PASSWORD

from .conftest import assert_accessible, log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _virtual_authenticator(page) -> None:
    cdp = page.context.new_cdp_session(page)
    cdp.send("WebAuthn.enable")
    cdp.send(
        "WebAuthn.addVirtualAuthenticator",
        {
            "options": {
                "protocol": "ctap2",
                "transport": "usb",
                "hasResidentKey": True,
                "hasUserVerification": True,
                "isUserVerified": True,
                "automaticPresenceSimulation": True,
            }
        },
    )


def test_a_caseworker_sets_up_a_passkey_and_logs_in_with_it(live_server, page, settings):
    base = live_server.url  # http://localhost:<port>: browsers refuse IP addresses for passkeys
    assert base.startswith("http://localhost:")
    settings.OTP_WEBAUTHN_RP_ID = "localhost"
    settings.OTP_WEBAUTHN_ALLOWED_ORIGINS = [base]
    call_command("seed_demo", "--families", "0")
    refused: list[str] = []
    page.on(
        "console",
        lambda message: (
            refused.append(message.text)
            if "Content Security Policy" in message.text or "Refused to" in message.text
            else None
        ),
    )
    _virtual_authenticator(page)

    log_in(page, base, "kim")  # the password alone: no second factor yet
    assert page.url == base + "/"
    page.goto(base + "/accounts/two-factor/")
    assert page.get_by_test_id("passkeys-none").count() == 1
    button = page.get_by_test_id("passkey-register")
    button.wait_for()  # the package's script swapped the placeholder for the button
    assert_accessible(page)
    button.click()
    # Registered: passkeys.js opens the page again, which lists the passkey.
    page.get_by_test_id("passkeys").wait_for()
    assert page.get_by_test_id("passkey-remove").count() == 1
    assert WebAuthnCredential.objects.filter(user__username="kim", confirmed=True).count() == 1
    assert AuditEvent.objects.filter(
        action=AuditAction.SECOND_FACTOR_ENROLLED, detail__device="passkey"
    ).exists()

    # A new session: password, then the passkey instead of a code. (The page the script
    # opened after registering must have settled first, or its request may land after the
    # cookies are cleared and log in again with the old session.)
    page.wait_for_load_state("networkidle")
    page.context.clear_cookies()
    page.goto(base + "/accounts/login/")
    page.locator("#id_username").fill("kim")
    page.locator("#id_password").fill(DEMO_PASSWORD)
    page.locator("form:has(#id_username) button[type=submit]").click()
    page.wait_for_url(re.compile(r"/accounts/login/code/"))
    passkey_button = page.get_by_test_id("passkey-login-button")
    passkey_button.wait_for()
    assert_accessible(page)
    passkey_button.click()
    page.wait_for_url(base + "/")
    assert AuditEvent.objects.filter(
        action=AuditAction.LOGIN_SUCCEEDED, detail__second_factor="passkey"
    ).exists()
    page.goto(base + "/people/")
    assert page.url.startswith(base + "/people/")

    # Removed by its owner: the list is empty again, and the next login needs the password only.
    page.goto(base + "/accounts/two-factor/")
    page.get_by_test_id("passkey-remove").click()
    page.get_by_test_id("passkeys-none").wait_for()
    assert not WebAuthnCredential.objects.filter(user__username="kim").exists()
    assert refused == [], refused
