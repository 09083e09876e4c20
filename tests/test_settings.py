"""Settings behave as a municipal IT department expects: loud failures, safe production."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
LOTSE = [sys.executable, "-m", "config.manage"]


def _run(args: list[str], **env: str) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("LOTSE_")}
    clean.pop("DJANGO_SETTINGS_MODULE", None)
    clean.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)  # set by the browser tests in this process
    return subprocess.run(  # noqa: S603 - fixed command
        [*LOTSE, *args],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_production_without_secret_key_refuses_to_start_with_a_clear_message():
    result = _run(["check"], LOTSE_ENV="production", LOTSE_ALLOWED_HOSTS="lotse.example")
    assert result.returncode != 0
    assert "LOTSE_SECRET_KEY must be set" in result.stderr
    assert "Traceback" not in result.stderr


def test_production_without_allowed_hosts_refuses_to_start():
    result = _run(["check"], LOTSE_ENV="production", LOTSE_SECRET_KEY="x" * 64)
    assert result.returncode != 0
    assert "LOTSE_ALLOWED_HOSTS must be set" in result.stderr


def test_malformed_numbers_name_the_variable():
    result = _run(["check"], LOTSE_SESSION_IDLE_MINUTES="half an hour")
    assert result.returncode != 0
    assert "LOTSE_SESSION_IDLE_MINUTES must be a whole number" in result.stderr


def test_check_deploy_reports_no_warnings_with_production_settings():
    result = _run(
        ["check", "--deploy", "--fail-level", "WARNING"],
        LOTSE_ENV="production",
        LOTSE_SECRET_KEY="k3y-" + "a1B2c3D4e5" * 7,
        LOTSE_ALLOWED_HOSTS="lotse.example",
        LOTSE_ACCESSIBILITY_FEEDBACK_EMAIL="barrierefreiheit@lotse.example",
    )
    assert result.returncode == 0, result.stderr + result.stdout
    assert "no issues (0 silenced)" in result.stdout


def test_check_deploy_warns_without_a_recipient_for_barrier_reports():
    result = _run(
        ["check", "--deploy", "--fail-level", "WARNING"],
        LOTSE_ENV="production",
        LOTSE_SECRET_KEY="k3y-" + "a1B2c3D4e5" * 7,
        LOTSE_ALLOWED_HOSTS="lotse.example",
    )
    assert result.returncode != 0
    assert "lotse.directory.W001" in result.stderr + result.stdout


@pytest.mark.parametrize("env", ["development", "production"])
def test_passwords_are_hashed_with_argon2(env):
    code = "from django.conf import settings; print(settings.PASSWORD_HASHERS[0])"
    result = _run(
        ["shell", "-c", code],
        LOTSE_ENV=env,
        LOTSE_SECRET_KEY="k3y-" + "a1B2c3D4e5" * 7,
        LOTSE_ALLOWED_HOSTS="lotse.example",
    )
    last_line = result.stdout.strip().splitlines()[-1]
    assert last_line == "django.contrib.auth.hashers.Argon2PasswordHasher", result.stderr


def test_time_zone_and_language_are_german():
    from django.conf import settings

    assert settings.TIME_ZONE == "Europe/Berlin"
    assert settings.LANGUAGE_CODE == "de"
