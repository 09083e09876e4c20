"""Two-factor login: password, then the app's code or a recovery code; enrolment where the role
needs it; the admin's audited reset; axes counting wrong codes like wrong passwords.

The test settings require a second factor of no role (the cast logs in with ``force_login``);
the tests that need a role to require it say so with ``required_roles``.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.test import Client
from django.urls import reverse
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from lotse.accounts.models import User
from lotse.accounts.roles import Role
from lotse.accounts.services import api_token_create, second_factor_enrol
from lotse.accounts.two_factor import ENROL_KEY_SESSION_KEY, PENDING_SESSION_KEY
from lotse.audit.models import AuditAction, AuditEvent

from .factories import TEST_PASSWORD

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[3]


# --- helpers ------------------------------------------------------------------------------------


@pytest.fixture
def required_roles(settings: Any) -> Any:
    """``required_roles("dpo", ...)`` makes those roles need a second factor in this test."""

    def require(*roles: str) -> None:
        settings.TWO_FACTOR_REQUIRED_ROLES = roles

    return require


@pytest.fixture(autouse=True)
def _no_device_brake(settings: Any) -> None:
    # django-otp waits 1, 2, 4 … seconds after each wrong code per device; the tests try a
    # right code right after a wrong one. Axes, which they test, stays as configured.
    settings.OTP_TOTP_THROTTLE_FACTOR = 0
    settings.OTP_STATIC_THROTTLE_FACTOR = 0


def _code(key_hex: str, *, steps_ahead: int = 0) -> str:
    """The app's code now (or ``steps_ahead`` periods on: a code not yet used for a login)."""
    totp = TOTP(bytes.fromhex(key_hex))
    totp.time = time.time() + 30 * steps_ahead
    return f"{totp.token():06d}"


def _enrol(user: User) -> tuple[TOTPDevice, list[str]]:
    """An app set up for ``user`` as the enrolment page does it; returns it and the codes."""
    key = TOTPDevice(user=user).key  # a fresh random secret
    enrolment = second_factor_enrol(user=user, key_hex=key, code=_code(key))
    assert enrolment is not None
    return enrolment.device, enrolment.recovery_codes


def _password(client: Client, username: str, password: str = TEST_PASSWORD, **data: str) -> Any:
    return client.post(
        reverse("accounts:login"), {"username": username, "password": password, **data}
    )


def _enter(client: Client, code: str, **query: str) -> Any:
    url = reverse("accounts:login_code")
    if query:
        url += "?" + "&".join(f"{k}={v}" for k, v in query.items())
    return client.post(url, {"code": code})


def _logged_in(client: Client) -> bool:
    return SESSION_KEY in client.session


# --- password alone ---------------------------------------------------------------------------


def test_a_caseworker_of_a_role_without_requirement_logs_in_with_the_password_alone(
    anna, required_roles
):
    required_roles("dpo", "system_admin")
    client = Client()
    response = _password(client, "anna")
    assert response.status_code == 302
    assert response["Location"] == reverse("start")
    assert _logged_in(client)
    assert client.get(reverse("people:search")).status_code == 200
    event = AuditEvent.objects.get(action=AuditAction.LOGIN_SUCCEEDED)
    assert event.actor == anna
    assert "second_factor" not in event.detail


# --- the code step ------------------------------------------------------------------------------


def test_with_an_app_the_password_alone_does_not_log_in(frida):
    _enrol(frida)
    client = Client()
    response = _password(client, "frida")
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:login_code")
    assert not _logged_in(client)
    assert PENDING_SESSION_KEY in client.session
    # Nothing behind the login yet, and no successful login in the trail.
    assert client.get(reverse("consent:register"))["Location"].startswith(reverse("accounts:login"))
    assert not AuditEvent.objects.filter(action=AuditAction.LOGIN_SUCCEEDED).exists()

    page = client.get(reverse("accounts:login_code"))
    assert page.status_code == 200
    html = page.content.decode()
    assert 'autocomplete="one-time-code"' in html
    assert 'inputmode="numeric"' in html


def test_the_right_code_completes_the_login_and_marks_the_session_verified(frida):
    device, _ = _enrol(frida)
    client = Client()
    _password(client, "frida", next="/consent/")
    response = _enter(client, _code(device.key, steps_ahead=1))
    assert response.status_code == 302
    assert response["Location"] == "/consent/"
    assert _logged_in(client)
    assert client.session[DEVICE_ID_SESSION_KEY] == device.persistent_id
    assert PENDING_SESSION_KEY not in client.session
    assert client.get(reverse("consent:register")).status_code == 200
    event = AuditEvent.objects.get(action=AuditAction.LOGIN_SUCCEEDED)
    assert event.actor == frida
    assert event.detail == {"second_factor": "totp"}


def test_a_used_code_cannot_log_in_a_second_time(frida):
    device, _ = _enrol(frida)
    code = _code(device.key, steps_ahead=1)
    first = Client()
    _password(first, "frida")
    assert _enter(first, code).status_code == 302
    second = Client()
    _password(second, "frida")
    assert _enter(second, code).status_code == 200
    assert not _logged_in(second)


def test_a_wrong_code_is_refused_counted_by_axes_and_audited(frida):
    device, _ = _enrol(frida)
    client = Client()
    _password(client, "frida")
    wrong = "000000" if _code(device.key) != "000000" else "111111"
    response = _enter(client, wrong)
    assert response.status_code == 200
    assert not _logged_in(client)
    assert response.context["form"].errors["code"]
    # The wrong code is not shown back.
    assert f'value="{wrong}"' not in response.content.decode()
    attempt = AccessAttempt.objects.get(username="frida")
    assert attempt.failures_since_start == 1
    assert wrong not in attempt.post_data  # axes keeps no code
    failed = AuditEvent.objects.get(action=AuditAction.SECOND_FACTOR_FAILED)
    assert failed.actor == frida
    assert not AuditEvent.objects.filter(action=AuditAction.LOGIN_FAILED).exists()
    # The pending login stays: the right code still works.
    assert _enter(client, _code(device.key, steps_ahead=1)).status_code == 302
    assert _logged_in(client)


def test_wrong_codes_lock_out_like_wrong_passwords(frida):
    device, _ = _enrol(frida)
    client = Client()
    _password(client, "frida")
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert _enter(client, "not-a-code").status_code == 200
    locked = _enter(client, "999999" if _code(device.key) != "999999" else "888888")
    assert locked.status_code == 429
    assert not _logged_in(client)
    # Locked: the right code is refused, and so is the password step.
    assert _enter(client, _code(device.key, steps_ahead=1)).status_code in (302, 429)
    assert not _logged_in(client)
    again = Client()
    assert _password(again, "frida").status_code == 429
    assert PENDING_SESSION_KEY not in again.session
    assert AuditEvent.objects.filter(action=AuditAction.SECOND_FACTOR_FAILED).count() == (
        settings.AXES_FAILURE_LIMIT
    )


def test_wrong_passwords_and_wrong_codes_add_up(frida):
    _enrol(frida)
    client = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert _password(client, "frida", password="wrong").status_code == 200
    # The right password does not reset the count: only a complete login does.
    assert _password(client, "frida").status_code == 302
    assert _enter(client, "123").status_code == 429
    assert not _logged_in(client)


def test_a_complete_login_resets_the_count(frida):
    device, _ = _enrol(frida)
    client = Client()
    _password(client, "frida")
    _enter(client, "12345678")
    assert AccessAttempt.objects.filter(username="frida").exists()
    _enter(client, _code(device.key, steps_ahead=1))
    assert not AccessAttempt.objects.filter(username="frida").exists()


def test_without_a_pending_login_the_code_page_sends_to_the_login():
    response = Client().get(reverse("accounts:login_code"))
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:login")
    response = Client().post(reverse("accounts:login_code"), {"code": "123456"})
    assert response["Location"] == reverse("accounts:login")


def test_a_pending_login_expires_after_some_minutes(frida):
    device, _ = _enrol(frida)
    client = Client()
    _password(client, "frida")
    session = client.session
    session[PENDING_SESSION_KEY] = {**session[PENDING_SESSION_KEY], "since": time.time() - 3600}
    session.save()
    response = _enter(client, _code(device.key, steps_ahead=1))
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:login")
    assert not _logged_in(client)


def test_the_password_step_gives_a_new_session_key(frida):
    _enrol(frida)
    client = Client()
    planted = client.session  # a session that exists before the login, e.g. a planted cookie
    planted["planted"] = True
    planted.save()
    before = client.cookies[settings.SESSION_COOKIE_NAME].value
    _password(client, "frida")
    assert client.cookies[settings.SESSION_COOKIE_NAME].value != before
    assert client.session["planted"] is True  # the data moves with it


# --- recovery codes ---------------------------------------------------------------------------


def test_a_recovery_code_logs_in_once(frida):
    _, codes = _enrol(frida)
    assert len(codes) == 10
    assert len(set(codes)) == 10
    client = Client()
    _password(client, "frida")
    page = client.get(reverse("accounts:login_code") + "?method=recovery")
    assert 'inputmode="text"' in page.content.decode()
    # Typed with a space and in capitals, as people copy them from paper.
    typed = f"{codes[0][:4].upper()} {codes[0][4:].upper()}"
    response = _enter(client, typed, method="recovery")
    assert response.status_code == 302
    assert _logged_in(client)
    event = AuditEvent.objects.get(action=AuditAction.LOGIN_SUCCEEDED)
    assert event.detail == {"second_factor": "recovery_code"}
    assert StaticToken.objects.filter(device__user=frida).count() == 9

    again = Client()
    _password(again, "frida")
    assert _enter(again, codes[0]).status_code == 200
    assert not _logged_in(again)
    # Another code of the set still works.
    assert _enter(again, codes[1]).status_code == 302


def test_new_recovery_codes_replace_the_old_ones_and_are_audited(frida, client_for):
    _, old = _enrol(frida)
    client = Client()
    _password(client, "frida")
    _enter(client, old[0])
    response = client.post(reverse("accounts:two_factor_recovery_codes"))
    assert response.status_code == 200
    new = response.context["codes"]
    assert len(new) == 10
    assert not set(new) & set(old)
    assert "no-store" in response["Cache-Control"]
    # The session verified with the old set's device stays verified.
    assert client.get(reverse("consent:register")).status_code == 200
    assert set(StaticToken.objects.filter(device__user=frida).values_list("token", flat=True)) == (
        set(new)
    )
    event = AuditEvent.objects.get(action=AuditAction.RECOVERY_CODES_GENERATED)
    assert (event.actor, event.target_id) == (frida, str(frida.pk))
    # Codes never reach the trail.
    assert not any(code in str(event.detail) for code in new)


def test_without_an_app_there_are_no_recovery_codes_to_regenerate(anna, client_for):
    response = client_for(anna).post(reverse("accounts:two_factor_recovery_codes"))
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:two_factor_enrol")
    assert not StaticDevice.objects.exists()


# --- enrolment ----------------------------------------------------------------------------------


def _enrol_through_the_page(client: Client, **query: str) -> Any:
    url = reverse("accounts:two_factor_enrol")
    page = client.get(url, query)
    assert page.status_code == 200
    key = client.session[ENROL_KEY_SESSION_KEY]
    return client.post(url, {"code": _code(key), "next": query.get("next", "")}), key


def test_a_role_that_needs_a_second_factor_is_led_through_the_enrolment_first(gero, required_roles):
    required_roles(Role.TEAM_LEAD)
    client = Client()
    response = _password(client, "gero")
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:two_factor_enrol"))
    # Nothing else before: pages go to the enrolment, the API does not take the session.
    for path in (reverse("people:search"), reverse("start"), reverse("case:my_families")):
        blocked = client.get(path)
        assert blocked.status_code == 302, path
        assert blocked["Location"].startswith(reverse("accounts:two_factor_enrol")), path
    assert client.get("/api/v1/persons").status_code == 401
    assert client.get(reverse("accounts:two_factor")).status_code == 302

    page = client.get(reverse("accounts:two_factor_enrol"))
    html = page.content.decode()
    assert page.context["forced"] is True
    assert "<svg" in html
    assert "<img" not in html.split('id="main"', 1)[1]
    key = client.session[ENROL_KEY_SESSION_KEY]
    # Reloading keeps the secret the app has scanned.
    client.get(reverse("accounts:two_factor_enrol"))
    assert client.session[ENROL_KEY_SESSION_KEY] == key

    done = client.post(
        reverse("accounts:two_factor_enrol"), {"code": _code(key), "next": "/people/search/"}
    )
    assert done.status_code == 200
    assert len(done.context["codes"]) == 10
    assert done.context["next"] == "/people/search/"
    assert "no-store" in done["Cache-Control"]
    assert client.get(reverse("people:search")).status_code == 200
    assert client.get("/api/v1/persons").status_code == 200
    event = AuditEvent.objects.get(action=AuditAction.SECOND_FACTOR_ENROLLED)
    assert event.actor == gero
    assert event.detail == {"device": "totp", "replaced": 0, "recovery_codes": 10}

    # From now on the login asks for the code.
    client.post(reverse("accounts:logout"))
    assert _password(Client(), "gero")["Location"] == reverse("accounts:login_code")


def test_a_wrong_enrolment_code_sets_up_nothing(anna, client_for):
    client = client_for(anna)
    client.get(reverse("accounts:two_factor_enrol"))
    key = client.session[ENROL_KEY_SESSION_KEY]
    wrong = "000000" if _code(key) != "000000" else "111111"
    response = client.post(reverse("accounts:two_factor_enrol"), {"code": wrong})
    assert response.status_code == 200
    assert response.context["form"].errors["code"]
    assert not TOTPDevice.objects.exists()
    assert not AuditEvent.objects.filter(action=AuditAction.SECOND_FACTOR_ENROLLED).exists()


def test_a_new_phone_replaces_the_old_app(anna, client_for):
    old, _ = _enrol(anna)
    client = Client()
    _password(client, "anna")
    _enter(client, _code(old.key, steps_ahead=1))
    response, key = _enrol_through_the_page(client)
    assert response.status_code == 200
    devices = list(TOTPDevice.objects.filter(user=anna))
    assert [d.key for d in devices] == [key]
    # The session is verified with the new app; the enrolment code cannot log in again.
    assert client.get(reverse("people:search")).status_code == 200
    other = Client()
    _password(other, "anna")
    assert _enter(other, _code(key)).status_code == 200
    event = AuditEvent.objects.filter(action=AuditAction.SECOND_FACTOR_ENROLLED).last()
    assert event is not None
    assert event.detail["replaced"] == 1


def test_a_session_without_a_verified_app_cannot_set_up_another_one(frida, client_for):
    # Who has an app but has not entered its code (a session from before it was set up) may
    # not replace it: the code first.
    _enrol(frida)
    client = client_for(frida)
    response = client.get(reverse("accounts:two_factor_enrol"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login_code"))


def test_a_session_that_began_before_the_app_asks_for_its_code(frida, client_for):
    client = client_for(frida)
    assert client.get(reverse("consent:register")).status_code == 200
    device, _ = _enrol(frida)
    blocked = client.get(reverse("consent:register"))
    assert blocked.status_code == 302
    assert blocked["Location"] == (
        reverse("accounts:login_code") + "?next=" + reverse("consent:register").replace("/", "%2F")
    )
    assert client.get(reverse("accounts:login_code")).status_code == 200
    done = client.post(
        reverse("accounts:login_code") + "?next=/consent/",
        {"code": _code(device.key, steps_ahead=1)},
    )
    assert done.status_code == 302
    assert done["Location"] == "/consent/"
    assert client.get(reverse("consent:register")).status_code == 200


def test_the_overview_page_shows_the_state(frida, client_for, required_roles):
    required_roles(Role.DPO)
    device, _ = _enrol(frida)
    client = Client()
    _password(client, "frida")
    _enter(client, _code(device.key, steps_ahead=1))
    page = client.get(reverse("accounts:two_factor"))
    assert page.status_code == 200
    overview = page.context["overview"]
    assert overview.apps == [device]
    assert overview.recovery_codes_left == 10
    assert overview.required is True
    assert device.key not in page.content.decode()


# --- reset by an administrator ---------------------------------------------------------------


def test_the_admin_resets_a_second_factor_audited_and_the_user_must_enrol_again(
    hana, frida, required_roles
):
    required_roles(Role.DPO)
    device, _ = _enrol(frida)
    frida_client = Client()
    _password(frida_client, "frida")
    _enter(frida_client, _code(device.key, steps_ahead=1))
    assert frida_client.get(reverse("consent:register")).status_code == 200

    admin = Client()
    admin.force_login(hana)
    changelist = admin.get(reverse("admin:accounts_user_changelist"))
    assert changelist.status_code == 200
    response = admin.post(
        reverse("admin:accounts_user_changelist"),
        {"action": "reset_second_factor", "_selected_action": [str(frida.pk)]},
    )
    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=frida).exists()
    assert not StaticDevice.objects.filter(user=frida).exists()
    event = AuditEvent.objects.get(action=AuditAction.SECOND_FACTOR_RESET)
    assert event.actor == hana
    assert (event.target_type, event.target_id) == ("accounts.user", str(frida.pk))
    assert event.detail == {"devices": 2}

    # The session verified with the removed app is led to the enrolment.
    blocked = frida_client.get(reverse("consent:register"))
    assert blocked.status_code == 302
    assert blocked["Location"].startswith(reverse("accounts:two_factor_enrol"))
    # So is the next login.
    assert _password(Client(), "frida")["Location"].startswith(reverse("accounts:two_factor_enrol"))


def test_the_admin_shows_no_device_pages_of_its_own(hana, client_for):
    admin = client_for(hana)
    assert admin.get("/admin/otp_totp/totpdevice/").status_code == 404
    assert admin.get("/admin/otp_static/staticdevice/").status_code == 404


def test_the_admin_has_no_login_form_of_its_own(frida):
    _enrol(frida)
    response = Client().get(reverse("admin:login") + "?next=/admin/")
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:login") + "?next=%2Fadmin%2F"
    client = Client()
    posted = client.post(reverse("admin:login"), {"username": "frida", "password": TEST_PASSWORD})
    assert posted.status_code == 302
    assert not _logged_in(client)


# --- the API -------------------------------------------------------------------------------------


def test_api_tokens_work_as_before_whatever_the_second_factor(anna, frida, required_roles):
    required_roles(Role.CASEWORKER, Role.DPO)
    _enrol(frida)
    # anna: a role that needs a second factor, none set up; frida: an app set up.
    for user, path in ((anna, "/api/v1/persons"), (frida, "/api/v1/legal-bases")):
        raw = api_token_create(user=user).raw
        response = Client().get(path, headers={"authorization": f"Bearer {raw}"})
        assert response.status_code == 200, (user, response.content)


def test_a_half_finished_login_is_no_login_for_the_api_but_a_token_still_is(anna, required_roles):
    required_roles(Role.CASEWORKER)
    client = Client()
    _password(client, "anna")  # password right, enrolment pending
    assert _logged_in(client)
    assert client.get("/api/v1/persons").status_code == 401
    raw = api_token_create(user=anna).raw
    response = client.get("/api/v1/persons", headers={"authorization": f"Bearer {raw}"})
    assert response.status_code == 200


# --- settings and the demo -----------------------------------------------------------------


def _settings_in(env: dict[str, str], code: str) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("LOTSE_")}
    clean.pop("DJANGO_SETTINGS_MODULE", None)
    clean.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    return subprocess.run(  # noqa: S603 - fixed command
        [sys.executable, "-m", "config.manage", "shell", "-c", code],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_the_settings_know_every_role():
    from config import settings as config_settings

    assert set(config_settings._ROLE_CODES) == set(Role.values)


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        (
            {"LOTSE_ENV": "production"},
            "caseworker,team_lead,dpo,agency_admin,system_admin",
        ),
        ({"LOTSE_ENV": "development"}, "dpo,system_admin"),
        ({"LOTSE_ENV": "production", "LOTSE_2FA_REQUIRED_ROLES": "dpo"}, "dpo"),
        ({"LOTSE_ENV": "production", "LOTSE_2FA_REQUIRED_ROLES": "none"}, ""),
    ],
)
def test_required_roles_by_environment(env, expected):
    production = {"LOTSE_SECRET_KEY": "k3y-" + "a1B2c3D4e5" * 7, "LOTSE_ALLOWED_HOSTS": "x.example"}
    result = _settings_in(
        {**production, **env},
        "from django.conf import settings; "
        "print('roles=' + ','.join(settings.TWO_FACTOR_REQUIRED_ROLES))",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == f"roles={expected}"


def test_an_unknown_role_stops_the_start_with_its_name():
    result = _settings_in({"LOTSE_2FA_REQUIRED_ROLES": "dpo,chef"}, "print(1)")
    assert result.returncode != 0
    assert "LOTSE_2FA_REQUIRED_ROLES names unknown roles chef" in result.stderr


def test_the_demo_gives_dsb_and_admin_their_published_secrets_once():
    from django.core.management import call_command

    from lotse.demo.twofactor import DEMO_TOTP_SECRETS, demo_totp_key_hex

    call_command("seed_demo", "--families", "0")
    call_command("seed_demo", "--families", "0")
    devices = TOTPDevice.objects.select_related("user").order_by("user__username")
    assert [(d.user.username, d.confirmed) for d in devices] == [("admin", True), ("dsb", True)]
    for device in devices:
        assert device.key == demo_totp_key_hex(device.user.username)
    assert set(DEMO_TOTP_SECRETS) == {"admin", "dsb"}
    # The caseworkers keep the password alone.
    client = Client()
    assert _password(client, "kim", password="lotse-demo")["Location"] == reverse("start")
    dsb = Client()
    assert _password(dsb, "dsb", password="lotse-demo")["Location"] == reverse(
        "accounts:login_code"
    )
    dsb_device = TOTPDevice.objects.get(user__username="dsb")
    assert _enter(dsb, _code(dsb_device.key, steps_ahead=1)).status_code == 302
    assert _logged_in(dsb)
