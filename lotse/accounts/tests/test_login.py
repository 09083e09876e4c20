from __future__ import annotations

from typing import Any

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from lotse.audit.models import AuditAction, AuditEvent

from .factories import TEST_PASSWORD

pytestmark = pytest.mark.django_db


def _login(client: Client, username: str, password: str) -> Any:
    return client.post(reverse("accounts:login"), {"username": username, "password": password})


def test_login_with_correct_password_leads_to_start_page_and_is_audited(anna):
    client = Client()
    response = _login(client, "anna", TEST_PASSWORD)
    assert response.status_code == 302
    assert response["Location"] == reverse("start")
    event = AuditEvent.objects.get(action=AuditAction.LOGIN_SUCCEEDED)
    assert event.actor == anna


def test_wrong_password_and_unknown_user_get_the_same_answer(anna):
    wrong_password = _login(Client(), "anna", "not the password")
    unknown_user = _login(Client(), "nobody-here", "not the password")
    assert wrong_password.status_code == unknown_user.status_code == 200
    message = "User name or password is not correct"
    assert message in wrong_password.content.decode() or "nicht korrekt" in (
        wrong_password.content.decode()
    )
    # Identical apart from the CSRF token: nothing tells whether the account exists.
    assert (
        wrong_password.context["form"].non_field_errors()
        == unknown_user.context["form"].non_field_errors()
    )


def test_six_failures_lock_the_name_and_known_and_unknown_names_look_alike(anna):
    client = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert _login(client, "anna", "wrong").status_code == 200
    locked = _login(client, "anna", "wrong")
    assert locked.status_code == 429
    # Even the right password is refused while locked.
    assert _login(client, "anna", TEST_PASSWORD).status_code == 429

    stranger = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        _login(stranger, "ghost", "wrong")
    assert _login(stranger, "ghost", "wrong").status_code == 429
    assert AuditEvent.objects.filter(action=AuditAction.LOGIN_FAILED).count() >= 6


def test_logout_ends_the_session_on_the_server(anna):
    client = Client()
    _login(client, "anna", TEST_PASSWORD)
    session_cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    assert client.get(reverse("start")).status_code == 200

    response = client.post(reverse("accounts:logout"))
    assert response.status_code == 302

    replay = Client()
    replay.cookies[settings.SESSION_COOKIE_NAME] = session_cookie
    response = replay.get(reverse("start"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))
    assert AuditEvent.objects.filter(action=AuditAction.LOGOUT, actor=anna).exists()


def test_logout_by_get_is_refused(anna, client_for):
    assert client_for(anna).get(reverse("accounts:logout")).status_code == 405


def test_idle_session_expires_after_the_configured_minutes():
    assert settings.SESSION_COOKIE_AGE == settings.SESSION_IDLE_MINUTES * 60
    assert settings.SESSION_IDLE_MINUTES == 30
    # Each request renews the expiry: idle time, not time since login, ends the session.
    assert settings.SESSION_SAVE_EVERY_REQUEST is True


def test_expired_session_no_longer_works(anna):
    from django.contrib.sessions.models import Session
    from django.utils import timezone

    client = Client()
    _login(client, "anna", TEST_PASSWORD)
    Session.objects.update(expire_date=timezone.now())
    response = client.get(reverse("start"))
    assert response.status_code == 302


def test_an_unchanged_session_is_renewed_at_most_once_a_minute(anna):
    """The idle timeout still moves with use, but a page costs no session write of its own."""
    from datetime import timedelta

    from django.contrib.sessions.models import Session
    from django.utils import timezone

    from lotse.core.sessions import RENEW_AFTER

    client = Client()
    _login(client, "anna", TEST_PASSWORD)
    full = timezone.now() + timedelta(minutes=settings.SESSION_IDLE_MINUTES)
    Session.objects.update(expire_date=full)
    client.get(reverse("start"))
    assert Session.objects.get().expire_date == full  # renewed a moment ago: not written

    older = full - RENEW_AFTER - timedelta(seconds=5)
    Session.objects.update(expire_date=older)
    client.get(reverse("start"))
    renewed = Session.objects.get().expire_date
    assert renewed > older + RENEW_AFTER  # written again: the idle time starts anew
    assert renewed <= timezone.now() + timedelta(minutes=settings.SESSION_IDLE_MINUTES)


def test_a_changed_session_is_written_at_once(anna):
    from datetime import timedelta

    from django.contrib.sessions.models import Session
    from django.utils import timezone

    client = Client()
    _login(client, "anna", TEST_PASSWORD)
    # renewed a moment ago, so only the change itself can make it written
    just_renewed = timezone.now() + timedelta(minutes=settings.SESSION_IDLE_MINUTES)
    Session.objects.update(expire_date=just_renewed)
    membership = anna.memberships.get()
    client.post(reverse("accounts:switch_membership"), {"membership": membership.pk})
    assert Session.objects.get().expire_date > just_renewed


def test_anonymous_visitor_is_sent_to_login():
    response = Client().get(reverse("start"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))
