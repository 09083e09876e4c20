"""Acceptance journey of a referral across two agencies.

KIM finds offers for a family's language need, refers the mother to the Caritas migration
counselling — first with health data that her consent does not cover, which is refused with
what is missing and sends nothing — then with what it needs. Caritas finds it in its inbox,
accepts it, starts and completes it with feedback; KIM sees the outcome on the case.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any

import pytest
from django.core.management import call_command

from lotse.accounts.models import Agency, User
from lotse.accounts.tests.factories import acting
from lotse.cases.services import assessment_record, case_open
from lotse.consent.categories import DataCategory
from lotse.consent.tests.factories import record_directly
from lotse.directory.models import Offer, OfferDomain, OfferLanguage, Provider
from lotse.people.models import PersonLanguage
from lotse.people.services import HouseholdData, MemberData, PersonData, household_register
from lotse.referrals.models import Referral

from .conftest import assert_accessible
from .test_journey_consent import _choice, _english, _log_in, _log_out

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

OFFER = "Migrationsberatung für Erwachsene (MBE) – Journey"
FEEDBACK = "Mrs Nasser joined the integration course on Monday."


def _scenery() -> tuple[Any, Any]:
    kim = User.objects.get(username="kim")
    kim_agency = Agency.objects.get(code="kim")
    caritas = Agency.objects.get(code="car")
    provider = Provider.objects.create(
        name="Caritasverband Wuppertal/Solingen (journey)",
        description="Beratung",
        agency=caritas,
        status=Provider.Status.APPROVED,
    )
    offer = Offer.objects.create(
        provider=provider,
        name=OFFER,
        description="Beratung zu Sprache, Arbeit und Behörden.",
        free_places=4,
        capacity=20,
    )
    OfferDomain.objects.create(offer=offer, domain="language")
    OfferLanguage.objects.create(offer=offer, code="ar")
    household = household_register(
        household=HouseholdData(street="Wichlinghauser Straße 3", postcode="42277"),
        members=[
            MemberData(
                person=PersonData(
                    given_names="Rana", family_name="Nasser", birth_date=date(1988, 2, 7)
                ),
                role="head",
            ),
        ],
        membership=acting(kim),
        actor=kim,
    )
    mother = household.members.get()
    PersonLanguage.objects.create(
        person=mother, owner_agency=kim_agency, language="ar", level="native"
    )
    case = case_open(household=household, membership=acting(kim), actor=kim)
    assessment_record(
        case=case, subject=mother, domain="language", need=3, membership=acting(kim), actor=kim
    )
    record_directly(
        subject=mother,
        recorded_by=kim,
        recording_agency=kim_agency,
        disclosing=[kim_agency],
        recipients=[caritas],
        categories=[DataCategory.IDENTITY, DataCategory.LANGUAGE],
        purpose="referral",
    )
    return case, mother


def test_a_referral_closes_its_loop_across_two_agencies(live_server, page):
    from playwright.sync_api import expect

    call_command("seed_demo", "--families", "0")
    case, _mother = _scenery()
    base = live_server.url
    _english(page, base)

    # --- KIM: the case, its matching offers, a referral -----------------------------------------
    _log_in(page, base, "kim")
    page.goto(f"{base}/cases/{case.pk}/")
    page.get_by_test_id("matching-link").click()
    page.wait_for_url(re.compile(r"/cases/\d+/matching/$"))
    need = page.locator('[data-testid="need"][data-domain="language"]')
    match = need.get_by_test_id("match").filter(has_text=OFFER)
    expect(match).to_contain_text("in Arabic")
    assert_accessible(page)
    match.get_by_role("link", name=re.compile("^Refer Rana Nasser")).click()
    page.wait_for_url(re.compile(r"/referrals/new/\d+/"))
    expect(page.get_by_test_id("referral-offer")).to_contain_text(OFFER)
    data = page.get_by_role("group", name=re.compile("^Data that goes with it"))
    assert _choice(data, "Language and integration course").is_checked()
    _choice(data, "Health").check()  # more than her consent covers
    page.get_by_role("textbox", name=re.compile("^Message")).fill(
        "Please advise Mrs Nasser on the integration course; she speaks Arabic."
    )
    assert_accessible(page)
    page.get_by_role("button", name="Send the referral").click()
    gaps = page.get_by_test_id("referral-gaps")
    expect(gaps).to_contain_text("Health")
    assert not Referral.objects.exists()
    assert_accessible(page)
    _choice(
        page.get_by_role("group", name=re.compile("^Data that goes with it")), "Health"
    ).uncheck()
    page.get_by_role("button", name="Send the referral").click()
    page.wait_for_url(re.compile(r"/referrals/\d+/$"))
    expect(page.get_by_test_id("referral-status")).to_contain_text("sent")
    _log_out(page, base)

    # --- Caritas: inbox, accept, start, complete ---------------------------------------------
    _log_in(page, base, "caritas")
    page.get_by_test_id("start-referrals").get_by_role(
        "link", name="Open the referral inbox"
    ).click()
    page.wait_for_url(re.compile(r"/referrals/"))
    assert_accessible(page)
    page.get_by_test_id("inbox-row").get_by_role("link", name="Rana Nasser").click()
    page.wait_for_url(re.compile(r"/referrals/\d+/$"))
    expect(page.get_by_test_id("referral-status")).to_contain_text("received")
    assert_accessible(page)
    page.get_by_role("button", name="Accept").click()
    expect(page.get_by_test_id("referral-status")).to_contain_text("accepted")
    page.get_by_role("button", name="Start").click()
    expect(page.get_by_test_id("referral-status")).to_contain_text("in progress")
    page.get_by_role("textbox", name="Feedback for the sender").fill(FEEDBACK)
    page.get_by_role("button", name="Record: completed").click()
    expect(page.get_by_test_id("referral-status")).to_contain_text("completed")
    _log_out(page, base)

    # --- KIM sees the outcome on the case -------------------------------------------------------
    _log_in(page, base, "kim")
    page.goto(f"{base}/cases/{case.pk}/")
    referrals = page.get_by_test_id("case-referrals")
    expect(referrals).to_contain_text("completed")
    expect(referrals).to_contain_text(FEEDBACK)
    expect(page.get_by_test_id("timeline")).to_contain_text("Referral")
    assert_accessible(page)
