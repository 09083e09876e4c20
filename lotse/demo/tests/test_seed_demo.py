from __future__ import annotations

import pytest
from django.contrib.auth import authenticate
from django.core.management import call_command

from lotse.accounts.models import Agency, Membership, User
from lotse.demo.city import ACCOUNTS, AGENCIES, DEMO_PASSWORD

pytestmark = pytest.mark.django_db


def test_seed_demo_creates_the_city_once(capsys):
    call_command("seed_demo", "--families", "0", "--print-logins")
    out = capsys.readouterr().out
    assert Agency.objects.count() == len(AGENCIES)
    assert User.objects.count() == len(ACCOUNTS)
    assert "kim" in out
    assert DEMO_PASSWORD in out

    call_command("seed_demo", "--families", "0")
    assert Agency.objects.count() == len(AGENCIES)
    assert Membership.objects.count() == len(ACCOUNTS)


def test_every_agency_kind_of_the_design_has_a_demo_login(db):
    call_command("seed_demo", "--families", "0")
    kinds_with_login = set(Membership.objects.values_list("agency__kind", flat=True).distinct())
    expected = set(Agency.Kind.values) - {Agency.Kind.OTHER}
    assert expected <= kinds_with_login


@pytest.mark.parametrize("username", [a.username for a in ACCOUNTS])
def test_every_demo_login_works(username, rf):
    call_command("seed_demo", "--families", "0")
    request = rf.post("/accounts/login/")
    assert authenticate(request, username=username, password=DEMO_PASSWORD) is not None


def test_demo_roles_cover_every_role(db):
    call_command("seed_demo", "--families", "0")
    roles = set(Membership.objects.values_list("role", flat=True))
    assert {"caseworker", "team_lead", "coordinator", "dpo", "system_admin"} <= roles
