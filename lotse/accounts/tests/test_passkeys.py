"""Passkeys (WebAuthn, django-otp-webauthn) as a second factor beside the app.

Whole ceremonies run against the server: ``SoftAuthenticator`` creates the key pair and signs
as a security key would, and py_webauthn checks its answers as it checks a browser's. So the
tests see registration and login succeed, and forged, foreign and replayed answers refused —
counted by axes like wrong codes and audited as failed second steps.
"""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from axes.models import AccessAttempt
from cryptography.hazmat.primitives.asymmetric import ec
from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.test import Client
from django.urls import reverse
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp_webauthn.models import WebAuthnCredential

from lotse.accounts.models import User
from lotse.accounts.roles import Role
from lotse.accounts.services import RECOVERY_DEVICE_NAME
from lotse.accounts.two_factor import PENDING_SESSION_KEY
from lotse.audit.models import AuditAction, AuditEvent

from .factories import TEST_PASSWORD
from .test_two_factor import _enrol, _password, _settings_in
from .webauthn_authenticator import SoftAuthenticator, b64url

pytestmark = pytest.mark.django_db

REGISTER_BEGIN = "accounts:passkey_register_begin"
REGISTER_COMPLETE = "accounts:passkey_register_complete"
LOGIN_BEGIN = "accounts:passkey_login_begin"
LOGIN_COMPLETE = "accounts:passkey_login_complete"


# --- helpers ------------------------------------------------------------------------------------


@pytest.fixture
def required_roles(settings: Any) -> Any:
    """``required_roles("dpo", ...)`` makes those roles need a second factor in this test."""

    def require(*roles: str) -> None:
        settings.TWO_FACTOR_REQUIRED_ROLES = roles

    return require


def _post_json(client: Client, name: str, data: Any = None, **query: str) -> Any:
    url = reverse(name)
    if query:
        url += "?" + "&".join(f"{k}={v}" for k, v in query.items())
    return client.post(
        url,
        data=json.dumps(data) if data is not None else "",
        content_type="application/json",
    )


def _verified(user: User, device: Any) -> Client:
    """A client logged in and verified with ``device``, as after the second step."""
    client = Client()
    client.force_login(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return client


def _register(client: Client, authenticator: SoftAuthenticator | None = None) -> Any:
    """A whole registration through the endpoints; returns the response and the passkey."""
    authenticator = authenticator or SoftAuthenticator()
    begin = _post_json(client, REGISTER_BEGIN)
    assert begin.status_code == 200, begin.content
    answer = authenticator.create(begin.json())
    return _post_json(client, REGISTER_COMPLETE, answer), authenticator


def _passkey(user: User, authenticator: SoftAuthenticator | None = None) -> SoftAuthenticator:
    """A confirmed passkey of ``user`` saved directly (what a registration leaves behind)."""
    authenticator = authenticator or SoftAuthenticator()
    WebAuthnCredential.objects.create(
        user=user,
        name="Passkey",
        confirmed=True,
        credential_id=authenticator.credential_id,
        public_key=authenticator.cose_public_key,
        aaguid="00000000-0000-0000-0000-000000000000",
        sign_count=0,
    )
    return authenticator


def _passkey_login(
    client: Client, authenticator: SoftAuthenticator, **answer_options: Any
) -> tuple[Any, Any]:
    begin = _post_json(client, LOGIN_BEGIN)
    assert begin.status_code == 200, begin.content
    options = begin.json()
    complete = _post_json(client, LOGIN_COMPLETE, authenticator.get(options, **answer_options))
    return options, complete


def _logged_in(client: Client) -> bool:
    return SESSION_KEY in client.session


# --- registration -------------------------------------------------------------------------------


def test_registration_begins_with_options_for_lotse_as_the_relying_party(anna):
    client = Client()
    client.force_login(anna)  # no second factor yet: may set up the first
    response = _post_json(client, REGISTER_BEGIN)
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"] or "no-cache" in response["Cache-Control"]
    options = response.json()
    assert options["rp"] == {"id": settings.OTP_WEBAUTHN_RP_ID, "name": settings.OTP_TOTP_ISSUER}
    assert options["user"]["name"] == "anna"
    assert options["user"]["displayName"] == "Anna Arslan (anna)"
    assert len(options["challenge"]) >= 43  # 32 random bytes or more, base64url
    # A second factor, not a replacement for the password: no discoverable key demanded.
    assert options["authenticatorSelection"]["residentKey"] == "preferred"
    assert client.session["otp_webauthn_register_state"]["challenge"] == options["challenge"]


def test_a_whole_registration_saves_an_audited_passkey_and_verifies_the_session(anna):
    client = Client()
    client.force_login(anna)
    response, authenticator = _register(client)
    assert response.status_code == 200, response.content
    passkey = WebAuthnCredential.objects.get(user=anna)
    assert response.json() == {"id": passkey.pk}
    assert passkey.confirmed
    assert passkey.name == "Passkey"
    assert bytes(passkey.credential_id) == authenticator.credential_id
    assert passkey.transports == ["usb"]
    assert client.session[DEVICE_ID_SESSION_KEY] == passkey.persistent_id
    event = AuditEvent.objects.get(action=AuditAction.SECOND_FACTOR_ENROLLED)
    assert (event.actor, event.target_id) == (anna, str(anna.pk))
    assert event.detail == {"device": "passkey", "passkeys": 1}
    # The page the script then opens lists it, with the message.
    page = client.get(reverse("accounts:two_factor"))
    assert page.context["overview"].passkeys == [passkey]
    assert "Passkey" in page.content.decode()
    assert [str(m) for m in page.context["messages"]]


def test_a_second_passkey_is_registered_beside_the_first_and_the_app(frida):
    device, _ = _enrol(frida)
    client = _verified(frida, device)
    first = _passkey(frida)
    begin = _post_json(client, REGISTER_BEGIN).json()
    # The browser is told which passkeys exist, so the same key is not registered twice.
    assert [c["id"] for c in begin["excludeCredentials"]] == [b64url(first.credential_id)]
    response = _post_json(client, REGISTER_COMPLETE, SoftAuthenticator().create(begin))
    assert response.status_code == 200
    assert WebAuthnCredential.objects.filter(user=frida).count() == 2
    assert TOTPDevice.objects.filter(user=frida).exists()
    # The session stays verified with the app it was verified with.
    assert client.session[DEVICE_ID_SESSION_KEY] == device.persistent_id


def test_completing_a_registration_that_never_began_is_refused(anna):
    client = Client()
    client.force_login(anna)
    answer = SoftAuthenticator().create(
        {"rp": {"id": settings.OTP_WEBAUTHN_RP_ID}, "user": {"id": b64url(b"x")}, "challenge": "AA"}
    )
    response = _post_json(client, REGISTER_COMPLETE, answer)
    assert response.status_code == 400
    assert response.json()["code"] == "invalid_state"
    assert not WebAuthnCredential.objects.exists()


@pytest.mark.parametrize(
    ("change", "expected_code"),
    [
        ({"origin": "https://lotse.evil.example"}, "invalid_registration_response"),
        ({"challenge": "c29tZXRoaW5nIGVsc2UgZW50aXJlbHk"}, "invalid_registration_response"),
        ({"rp_id": "evil.example"}, "invalid_registration_response"),
    ],
)
def test_a_registration_answer_for_another_site_or_challenge_is_refused(
    anna, change, expected_code
):
    client = Client()
    client.force_login(anna)
    options = _post_json(client, REGISTER_BEGIN).json()
    if "challenge" in change:
        options = {**options, "challenge": change["challenge"]}
    if "rp_id" in change:
        options = {**options, "rp": {**options["rp"], "id": change["rp_id"]}}
    answer = SoftAuthenticator().create(options, origin=change.get("origin"))
    response = _post_json(client, REGISTER_COMPLETE, answer)
    assert response.status_code == 422
    assert response.json()["code"] == expected_code
    assert not WebAuthnCredential.objects.exists()
    assert not AuditEvent.objects.filter(action=AuditAction.SECOND_FACTOR_ENROLLED).exists()
    # The challenge was used up: the same answer cannot be sent again.
    assert _post_json(client, REGISTER_COMPLETE, answer).status_code == 400


def test_a_session_not_yet_verified_with_its_app_cannot_register_a_passkey(frida):
    _enrol(frida)
    client = Client()
    client.force_login(frida)  # the app exists, its code was not entered
    response = _post_json(client, REGISTER_BEGIN)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login_code"))
    assert "otp_webauthn_register_state" not in client.session


def test_visitors_cannot_register_a_passkey():
    response = _post_json(Client(), REGISTER_BEGIN)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_a_role_that_needs_a_second_factor_may_set_up_a_passkey_instead_of_the_app(
    gero, required_roles
):
    required_roles(Role.TEAM_LEAD)
    client = Client()
    assert _password(client, "gero")["Location"].startswith(reverse("accounts:two_factor_enrol"))
    enrol_page = client.get(reverse("accounts:two_factor_enrol"))
    assert 'id="passkey-registration-placeholder"' in enrol_page.content.decode()
    response, authenticator = _register(client)
    assert response.status_code == 200
    # Verified by the new passkey: the pages open, and recovery codes can be had.
    assert client.get(reverse("people:search")).status_code == 200
    codes = client.post(reverse("accounts:two_factor_recovery_codes"))
    assert codes.status_code == 200
    assert len(codes.context["codes"]) == 10
    # The next login asks for the passkey, not for an enrolment.
    again = Client()
    assert _password(again, "gero")["Location"] == reverse("accounts:login_code")
    _, complete = _passkey_login(again, authenticator)
    assert complete.status_code == 200
    assert _logged_in(again)


def test_more_passkeys_than_the_limit_are_refused(anna):
    for _ in range(10):
        _passkey(anna)
    client = _login_verified_with_passkey(Client(), anna)
    response = _post_json(client, REGISTER_BEGIN)
    assert response.status_code == 400
    assert response.json()["code"] == "too_many_passkeys"


# --- the second login step ----------------------------------------------------------------------


def test_the_code_page_offers_the_passkey_beside_the_app(frida):
    _enrol(frida)
    _passkey(frida)
    client = Client()
    _password(client, "frida")
    html = client.get(reverse("accounts:login_code")).content.decode()
    assert 'id="passkey-verification-available-template"' in html
    assert 'id="passkey-verification-button"' in html
    assert 'name="code"' in html  # the app's code still works
    block = re.search(
        r'<script id="otp_webauthn_config" type="application/json">(.*?)</script>', html
    )
    assert block is not None
    config = json.loads(block[1])
    assert config["beginAuthenticationUrl"] == reverse(LOGIN_BEGIN)
    assert config["completeAuthenticationUrl"] == reverse(LOGIN_COMPLETE)


def test_with_passkeys_only_the_code_page_offers_the_passkey_and_the_recovery_codes(anna):
    _passkey(anna)
    client = Client()
    _password(client, "anna")
    page = client.get(reverse("accounts:login_code"))
    html = page.content.decode()
    assert 'id="passkey-verification-button"' in html
    assert 'name="code"' not in html
    assert 'data-testid="use-recovery-code"' in html
    assert (
        'name="code"'
        in client.get(reverse("accounts:login_code") + "?method=recovery").content.decode()
    )


def test_without_a_passkey_the_code_page_loads_no_passkey_script(frida):
    _enrol(frida)
    client = Client()
    _password(client, "frida")
    html = client.get(reverse("accounts:login_code")).content.decode()
    assert "otp_webauthn" not in html


def test_password_and_passkey_complete_the_login_like_a_code(frida):
    _enrol(frida)
    authenticator = _passkey(frida)
    passkey = WebAuthnCredential.objects.get(user=frida)
    client = Client()
    _password(client, "frida", next="/consent/")
    assert not _logged_in(client)
    options, response = _passkey_login(client, authenticator)
    # Only frida's passkeys are offered, and no PIN or fingerprint is demanded: the password
    # was the first factor.
    assert [c["id"] for c in options["allowCredentials"]] == [b64url(authenticator.credential_id)]
    assert options["userVerification"] == "discouraged"
    assert options["rpId"] == settings.OTP_WEBAUTHN_RP_ID
    assert response.status_code == 200, response.content
    assert response.json() == {"id": passkey.pk, "redirect_url": "/consent/"}
    assert _logged_in(client)
    assert client.session[DEVICE_ID_SESSION_KEY] == passkey.persistent_id
    assert PENDING_SESSION_KEY not in client.session
    assert client.get(reverse("consent:register")).status_code == 200
    event = AuditEvent.objects.get(action=AuditAction.LOGIN_SUCCEEDED)
    assert (event.actor, event.detail) == (frida, {"second_factor": "passkey"})
    passkey.refresh_from_db()
    assert passkey.sign_count == 1
    assert passkey.last_used_at is not None


def test_the_passkey_login_resets_the_failures_counted_before(frida):
    authenticator = _passkey(frida)
    _password(Client(), "frida", password="wrong password")
    assert AccessAttempt.objects.get(username="frida").failures_since_start == 1
    client = Client()
    _password(client, "frida")
    assert _passkey_login(client, authenticator)[1].status_code == 200
    assert not AccessAttempt.objects.filter(username="frida").exists()


def test_a_forged_passkey_answer_is_refused_counted_by_axes_and_audited(frida):
    authenticator = _passkey(frida)
    client = Client()
    _password(client, "frida")
    forger = ec.generate_private_key(ec.SECP256R1())
    _, response = _passkey_login(client, authenticator, signer=forger)
    assert response.status_code == 422
    assert response.json()["code"] == "invalid_authentication_response"
    assert not _logged_in(client)
    assert AccessAttempt.objects.get(username="frida").failures_since_start == 1
    failed = AuditEvent.objects.get(action=AuditAction.SECOND_FACTOR_FAILED)
    assert failed.actor == frida
    assert not AuditEvent.objects.filter(action=AuditAction.LOGIN_SUCCEEDED).exists()
    # The pending login stays: the real passkey still works.
    assert _passkey_login(client, authenticator)[1].status_code == 200
    assert _logged_in(client)


@pytest.mark.parametrize(
    "answer_options",
    [
        {"origin": "https://lotse.evil.example"},  # a phishing page relaying the ceremony
        {"rp_id": "evil.example"},
    ],
)
def test_an_answer_made_for_another_site_is_refused_and_counted(frida, answer_options):
    authenticator = _passkey(frida)
    client = Client()
    _password(client, "frida")
    _, response = _passkey_login(client, authenticator, **answer_options)
    assert response.status_code == 422
    assert not _logged_in(client)
    assert AccessAttempt.objects.get(username="frida").failures_since_start == 1


def test_another_users_passkey_does_not_complete_the_login(frida, ben):
    _passkey(frida)
    bens = _passkey(ben)
    client = Client()
    _password(client, "frida")
    _, response = _passkey_login(client, bens)
    assert response.status_code == 403
    assert response.json()["code"] == "credential_user_mismatch"
    assert not _logged_in(client)
    assert AccessAttempt.objects.get(username="frida").failures_since_start == 1


def test_an_unknown_passkey_is_refused_and_counted(frida):
    _passkey(frida)
    client = Client()
    _password(client, "frida")
    _, response = _passkey_login(client, SoftAuthenticator())
    assert response.status_code == 404
    assert response.json()["code"] == "credential_not_found"
    assert AccessAttempt.objects.get(username="frida").failures_since_start == 1


def test_a_malformed_answer_is_refused_and_counted(frida):
    _passkey(frida)
    client = Client()
    _password(client, "frida")
    assert _post_json(client, LOGIN_BEGIN).status_code == 200
    response = _post_json(client, LOGIN_COMPLETE, {"id": "x", "response": {}})
    assert response.status_code == 422
    assert AccessAttempt.objects.get(username="frida").failures_since_start == 1


def test_an_answer_cannot_be_replayed(frida):
    authenticator = _passkey(frida)
    client = Client()
    _password(client, "frida")
    options = _post_json(client, LOGIN_BEGIN).json()
    answer = authenticator.get(options)
    # Its challenge was used up by the first try, whether that succeeded or not.
    first = _post_json(client, LOGIN_COMPLETE, {**answer, "response": {**answer["response"]}})
    assert first.status_code == 200
    other = Client()
    _password(other, "frida")
    assert _post_json(other, LOGIN_COMPLETE, answer).json()["code"] == "invalid_state"
    # Against a fresh challenge the old answer no longer fits.
    assert _post_json(other, LOGIN_BEGIN).status_code == 200
    assert _post_json(other, LOGIN_COMPLETE, answer).status_code == 422
    assert not _logged_in(other)


def test_refused_passkeys_lock_out_like_wrong_codes(frida):
    authenticator = _passkey(frida)
    client = Client()
    _password(client, "frida")
    forger = ec.generate_private_key(ec.SECP256R1())
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert _passkey_login(client, authenticator, signer=forger)[1].status_code == 422
    _, locked = _passkey_login(client, authenticator, signer=forger)
    assert locked.status_code == 429
    assert not _logged_in(client)
    # Locked: not even the real passkey gets a challenge, and the page says why.
    begin = _post_json(client, LOGIN_BEGIN)
    assert begin.status_code == 429
    assert begin.json()["code"] == "locked_out"
    assert client.get(reverse("accounts:login_code")).status_code == 429
    assert AuditEvent.objects.filter(action=AuditAction.SECOND_FACTOR_FAILED).count() == (
        settings.AXES_FAILURE_LIMIT
    )


def test_without_a_pending_login_there_is_no_passkey_step(frida):
    _passkey(frida)
    response = _post_json(Client(), LOGIN_BEGIN)
    assert response.status_code == 403
    assert response.json()["code"] == "no_second_step"
    assert _post_json(Client(), LOGIN_COMPLETE, {}).status_code == 403
    assert not AccessAttempt.objects.exists()


def test_a_user_without_a_passkey_gets_no_challenge(frida):
    _enrol(frida)
    client = Client()
    _password(client, "frida")
    response = _post_json(client, LOGIN_BEGIN)
    assert response.status_code == 400
    assert response.json()["code"] == "no_passkey"


def test_a_verified_session_has_no_second_step_left(frida):
    device, _ = _enrol(frida)
    _passkey(frida)
    client = _verified(frida, device)
    assert _post_json(client, LOGIN_BEGIN).status_code == 403


def test_a_session_that_began_before_the_passkey_confirms_with_it(anna):
    authenticator = _passkey(anna)
    client = Client()
    client.force_login(anna)  # logged in before the passkey existed (another browser)
    blocked = client.get(reverse("people:search"))
    assert blocked["Location"].startswith(reverse("accounts:login_code"))
    _, response = _passkey_login(client, authenticator)
    assert response.status_code == 200
    assert response.json()["redirect_url"] == reverse("start")
    assert client.get(reverse("people:search")).status_code == 200


def test_a_passkey_counts_for_a_role_that_needs_a_second_factor(anna, required_roles):
    required_roles(Role.CASEWORKER)
    _passkey(anna)
    client = Client()
    assert _password(client, "anna")["Location"] == reverse("accounts:login_code")


def test_an_unconfirmed_passkey_is_no_second_factor(anna, required_roles):
    required_roles(Role.CASEWORKER)
    authenticator = _passkey(anna)
    WebAuthnCredential.objects.filter(user=anna).update(confirmed=False)
    client = Client()
    response = _password(client, "anna")
    assert response["Location"].startswith(reverse("accounts:two_factor_enrol"))
    assert authenticator.credential_id  # kept, but not asked for


# --- the overview, removal and the administrator's reset -----------------------------------------


def test_the_overview_lists_the_passkeys_with_external_scripts_only(anna):
    _passkey(anna)
    client = _login_verified_with_passkey(Client(), anna)
    response, _ = _register(client)
    assert response.status_code == 200
    page = client.get(reverse("accounts:two_factor"))
    html = page.content.decode()
    assert len(page.context["overview"].passkeys) == 2
    assert html.count('data-testid="passkey-remove"') == 2
    # No inline script (the CSP allows none): the configuration is a JSON data block, the
    # code comes from Lotse's static files.
    for tag in re.findall(r"<script[^>]*>", html):
        assert "src=" in tag or 'type="application/json"' in tag, tag
    assert '<script type="module" src="/static/django_otp_webauthn/otp_webauthn_register.js">' in (
        html
    )
    assert '<script src="/static/accounts/passkeys.js" defer>' in html
    assert "script-src 'self'" in page["Content-Security-Policy"]


def _login_verified_with_passkey(client: Client, user: User) -> Client:
    passkey = WebAuthnCredential.objects.filter(user=user).first()
    client.force_login(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = passkey.persistent_id
    session.save()
    return client


def test_the_package_scripts_and_texts_are_served_from_lotse(client_for, anna):
    for path in (
        "/static/django_otp_webauthn/otp_webauthn_register.js",
        "/static/django_otp_webauthn/otp_webauthn_auth.js",
        "/static/accounts/passkeys.js",
    ):
        response = Client().get(path)
        assert response.status_code == 200, path
        assert "javascript" in response["Content-Type"]
    # The texts of the scripts, in German, for visitors too (the second step is before the
    # login).
    catalog = Client().get(reverse("accounts:passkey_js_catalog"))
    assert catalog.status_code == 200
    assert "javascript" in catalog["Content-Type"]
    assert "Passkey" in catalog.content.decode()


def test_the_owner_removes_a_passkey_audited(frida):
    device, _ = _enrol(frida)
    _passkey(frida)
    passkey = WebAuthnCredential.objects.get(user=frida)
    client = _verified(frida, device)
    response = client.post(reverse("accounts:passkey_remove", args=[passkey.pk]))
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:two_factor")
    assert not WebAuthnCredential.objects.filter(user=frida).exists()
    # The app and the recovery codes stay.
    assert StaticDevice.objects.filter(user=frida).exists()
    event = AuditEvent.objects.get(action=AuditAction.SECOND_FACTOR_REMOVED)
    assert (event.actor, event.target_id) == (frida, str(frida.pk))
    assert event.detail == {"device": "passkey", "recovery_codes_removed": False}


def test_another_users_passkey_cannot_be_removed(frida, ben):
    device, _ = _enrol(frida)
    _passkey(ben)
    bens = WebAuthnCredential.objects.get(user=ben)
    client = _verified(frida, device)
    assert client.post(reverse("accounts:passkey_remove", args=[bens.pk])).status_code == 404
    assert WebAuthnCredential.objects.filter(pk=bens.pk).exists()
    assert not AuditEvent.objects.filter(action=AuditAction.SECOND_FACTOR_REMOVED).exists()


def test_removal_is_a_post(anna):
    _passkey(anna)
    client = _login_verified_with_passkey(Client(), anna)
    passkey = WebAuthnCredential.objects.get(user=anna)
    assert client.get(reverse("accounts:passkey_remove", args=[passkey.pk])).status_code == 405
    assert WebAuthnCredential.objects.filter(pk=passkey.pk).exists()


def test_the_last_second_factor_of_a_role_that_needs_one_stays(anna, required_roles):
    required_roles(Role.CASEWORKER)
    _passkey(anna)
    client = _login_verified_with_passkey(Client(), anna)
    passkey = WebAuthnCredential.objects.get(user=anna)
    response = client.post(reverse("accounts:passkey_remove", args=[passkey.pk]), follow=True)
    assert WebAuthnCredential.objects.filter(pk=passkey.pk).exists()
    assert any("role" in str(m) or "Rolle" in str(m) for m in response.context["messages"])
    assert not AuditEvent.objects.filter(action=AuditAction.SECOND_FACTOR_REMOVED).exists()


def test_removing_the_last_passkey_takes_the_recovery_codes_along(anna):
    _passkey(anna)
    client = _login_verified_with_passkey(Client(), anna)
    assert client.post(reverse("accounts:two_factor_recovery_codes")).status_code == 200
    assert StaticDevice.objects.filter(user=anna, name=RECOVERY_DEVICE_NAME).exists()
    passkey = WebAuthnCredential.objects.get(user=anna)
    client.post(reverse("accounts:passkey_remove", args=[passkey.pk]))
    assert not StaticDevice.objects.filter(user=anna).exists()
    event = AuditEvent.objects.get(action=AuditAction.SECOND_FACTOR_REMOVED)
    assert event.detail["recovery_codes_removed"] is True
    # Nothing left: the password alone logs in again.
    again = Client()
    assert _password(again, "anna")["Location"] == reverse("start")


def test_the_admin_reset_removes_the_passkeys_too(hana, frida, required_roles):
    required_roles(Role.DPO)
    device, _ = _enrol(frida)
    _passkey(frida)
    _passkey(frida)
    frida_client = _verified(frida, WebAuthnCredential.objects.filter(user=frida).first())
    assert frida_client.get(reverse("consent:register")).status_code == 200
    admin = Client()
    admin.force_login(hana)
    changelist = admin.get(reverse("admin:accounts_user_changelist"))
    frida_row = changelist.context["cl"].result_list.get(pk=frida.pk)
    assert frida_row._has_app
    response = admin.post(
        reverse("admin:accounts_user_changelist"),
        {"action": "reset_second_factor", "_selected_action": [str(frida.pk)]},
    )
    assert response.status_code == 302
    assert not WebAuthnCredential.objects.filter(user=frida).exists()
    assert not TOTPDevice.objects.filter(user=frida).exists()
    event = AuditEvent.objects.get(action=AuditAction.SECOND_FACTOR_RESET)
    assert event.actor == hana
    assert event.detail == {"devices": 4}  # the app, two passkeys, the recovery codes
    # The session verified with a removed passkey is led to the enrolment.
    blocked = frida_client.get(reverse("consent:register"))
    assert blocked["Location"].startswith(reverse("accounts:two_factor_enrol"))
    assert device.pk  # gone from the database, the object only remembers it


def test_the_admin_shows_no_passkey_pages(hana, client_for):
    admin = client_for(hana)
    assert admin.get("/admin/django_otp_webauthn/webauthncredential/").status_code == 404


# --- settings ------------------------------------------------------------------------------------


def test_the_test_settings_make_passkeys_a_second_factor_only():
    assert settings.OTP_WEBAUTHN_ALLOW_PASSWORDLESS_LOGIN is False
    assert settings.OTP_WEBAUTHN_RP_ID == "localhost"
    assert settings.OTP_WEBAUTHN_ALLOWED_ORIGINS == ["http://localhost:8000"]
    assert settings.OTP_WEBAUTHN_HELPER_CLASS == "lotse.accounts.passkeys.LotseWebAuthnHelper"
    assert TEST_PASSWORD  # the cast logs in with it


_SHOW = (
    "from django.conf import settings as s; "
    "print(s.OTP_WEBAUTHN_RP_ID, s.OTP_WEBAUTHN_ALLOWED_ORIGINS[0], s.OTP_WEBAUTHN_RP_NAME)"
)
_PRODUCTION = {
    "LOTSE_ENV": "production",
    "LOTSE_SECRET_KEY": "k3y-" + "a1B2c3D4e5" * 7,
    "LOTSE_ALLOWED_HOSTS": "lotse.example.org",
}


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        (
            {**_PRODUCTION, "LOTSE_BASE_URL": "https://lotse.example.org/"},
            "lotse.example.org https://lotse.example.org Lotse",
        ),
        # Production is served over TLS whatever the address was written with.
        (
            {
                **_PRODUCTION,
                "LOTSE_BASE_URL": "http://lotse.example.org",
                "LOTSE_2FA_ISSUER": "KIM",
            },
            "lotse.example.org https://lotse.example.org KIM",
        ),
        (
            {
                **_PRODUCTION,
                "LOTSE_BASE_URL": "https://lotse.example.org:8443",
                "LOTSE_PASSKEY_RP_ID": "example.org",
            },
            "example.org https://lotse.example.org:8443 Lotse",
        ),
        ({"LOTSE_ENV": "development"}, "localhost http://localhost:8000 Lotse"),
    ],
)
def test_the_relying_party_comes_from_the_base_url(env, expected):
    result = _settings_in(env, _SHOW)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == expected


def test_a_relying_party_that_is_not_the_sites_domain_stops_the_start():
    result = _settings_in(
        {
            **_PRODUCTION,
            "LOTSE_BASE_URL": "https://lotse.example.org",
            "LOTSE_PASSKEY_RP_ID": "other.example",
        },
        _SHOW,
    )
    assert result.returncode != 0
    assert "LOTSE_PASSKEY_RP_ID" in result.stderr
    assert "Traceback" not in result.stderr
