"""The demo city's referrals: one in every state, written through the services."""

from __future__ import annotations

import pytest

from lotse.demo.offers import seed_demo_offers
from lotse.demo.referrals import load_demo_referrals
from lotse.demo.services import demo_city_seed
from lotse.referrals.models import Referral, Status

pytestmark = pytest.mark.django_db


def test_every_state_is_in_the_demo_and_seeding_twice_adds_nothing():
    demo_city_seed(families=400, seed=2017)
    seed_demo_offers()
    if not Referral.objects.exists():
        load_demo_referrals()
    states = set(Referral.objects.values_list("status", flat=True))
    assert states == set(Status.values), set(Status.values) - states
    count = Referral.objects.count()
    assert load_demo_referrals() == 0
    assert Referral.objects.count() == count
    overdue = [r for r in Referral.objects.all() if r.is_overdue]
    assert overdue, "one answer is overdue in the demo"
