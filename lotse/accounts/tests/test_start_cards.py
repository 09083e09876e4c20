"""Issue 12: every card of the start page links somewhere real, for every role of the demo."""

from __future__ import annotations

import re
from html import unescape

import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from lotse.accounts.models import Membership, User
from lotse.accounts.roles import START_PAGE_SECTIONS, Role
from lotse.demo.city import ACCOUNTS

pytestmark = pytest.mark.django_db

CARD = re.compile(r'<li class="kern-card">(.*?)</li>', re.S)
LINK = re.compile(r'<a class="kern-link kern-link--stretched" href="([^"]+)"')


def _cards(html: str) -> list[str]:
    return CARD.findall(html)


def _client(user: User) -> Client:
    """Logged in as after the login: with the second step where the demo set up an app."""
    client = Client()
    client.force_login(user)
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is not None:
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def test_every_section_names_a_page():
    assert [s.title for s in START_PAGE_SECTIONS if not s.url_name] == []


@pytest.mark.parametrize("role", Role.values)
def test_every_card_of_every_demo_role_is_a_link_that_opens(role):
    call_command("seed_demo", "--families", "0")
    usernames = [a.username for a in ACCOUNTS if a.role == role]
    assert usernames, f"no demo login for {role}"
    user = User.objects.get(username=usernames[0])
    client = _client(user)
    start = client.get(reverse("start"))
    assert start.status_code == 200
    cards = _cards(start.content.decode())
    membership = Membership.objects.get(user=user)
    assert len(cards) == sum(membership.can(s.capability) for s in START_PAGE_SECTIONS)
    assert cards, role
    for card in cards:
        found = LINK.search(card)
        assert found, f"{role}: a card without a link: {card}"
        url = unescape(found.group(1))
        assert client.get(url).status_code == 200, f"{role}: {url}"


def test_record_consent_sends_to_the_search_and_says_how_to_go_on(anna, client_for):
    client = client_for(anna)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    html = client.get(reverse("start")).content.decode()
    card = next(c for c in _cards(html) if "Record consent" in c)
    assert f'href="{reverse("people:search")}"' in card
    assert "Find the person" in card


def test_the_emergency_card_leads_to_a_page_asking_for_the_lotse_id(gero, client_for):
    client = client_for(gero)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    html = client.get(reverse("start")).content.decode()
    card = next(c for c in _cards(html) if "Emergency access" in c)
    assert f'href="{reverse("consent:break_glass_start")}"' in card


def test_the_users_card_lists_the_users_of_the_own_agency_only(ida, anna, agencies, client_for):
    from lotse.accounts.tests.factories import member

    colleague = member(
        "carla", agencies.caritas, Role.CASEWORKER, first_name="Carla", last_name="Rietz"
    )
    colleague.is_active = False
    colleague.save(update_fields=["is_active"])
    client = client_for(ida)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    html = client.get(reverse("start")).content.decode()
    card = next(c for c in _cards(html) if "Users" in c)
    assert f'href="{reverse("accounts:agency_users")}"' in card

    page = client.get(reverse("accounts:agency_users"))
    assert page.status_code == 200
    body = page.content.decode()
    assert "Carla Rietz" in body
    assert "Ida Ilić" in body
    assert "deactivated" in body
    # anna works for KIM, not for Caritas.
    assert "Anna Arslan" not in body
    assert "anna" not in re.findall(r'data-testid="user-login">([^<]*)<', body)


def test_only_who_manages_users_opens_the_user_list(anna, gero, frida, emil, client_for):
    for user in (anna, gero, frida, emil):
        assert client_for(user).get(reverse("accounts:agency_users")).status_code == 404


def test_a_system_administrator_is_sent_on_to_the_administration(hana, client_for):
    page = client_for(hana).get(reverse("accounts:agency_users"))
    assert page.status_code == 200
    assert reverse("admin:accounts_user_changelist") in page.content.decode()
