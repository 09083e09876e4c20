"""Journey of the data-protection officer: an emergency access and what was read under it.

A KIM team lead opens emergency access to a person of the Jugendamt whom KIM cannot see, and
reads the person's page and journal. The DPO (``dsb``, with the code of the demo app) filters
the audit trail by emergency access, sees the reads in names (the person, the team lead),
opens the access's review page, which lists every read made under it, and marks it
justified. The consent register speaks in names and dates and offers its export. Every page
on the way is checked with axe-core at 1280 and 390 px.
"""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import pytest
from django.core.management import call_command
from django.utils import timezone

from lotse.accounts.models import Agency, User
from lotse.accounts.tests.factories import acting
from lotse.consent.categories import DataCategory
from lotse.consent.models import ConsentPurpose
from lotse.consent.services import consent_record
from lotse.consent.tests.factories import given_consent
from lotse.people.services import PersonData, person_register

from .conftest import assert_accessible, log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

REASON = "Das Kind ist heute allein zu Hause, das Jugendamt ist nicht erreichbar."


def _english(page: Any, base_url: str) -> None:
    # The German catalogue follows these texts later: the journey reads the English labels.
    page.context.add_cookies([{"name": "lotse_language", "value": "en", "url": base_url}])


def _log_out(page: Any, base_url: str) -> None:
    page.get_by_role("button", name="Log out").click()
    page.wait_for_url(base_url + "/accounts/login/")


def test_the_dpo_finds_an_emergency_access_and_reviews_what_was_read(live_server, page):
    call_command("seed_demo", "--families", "0")
    base = live_server.url
    _english(page, base)
    # A person of the Jugendamt, without any consent: KIM cannot see her.
    jugendamt = User.objects.get(username="jugendamt")
    person = person_register(
        data=PersonData(given_names="Hiba", family_name="Nassar"),
        membership=acting(jugendamt),
        actor=jugendamt,
    )

    # A consent KIM recorded, ending in two weeks.
    kim = User.objects.get(username="kim")
    samira = person_register(
        data=PersonData(given_names="Samira", family_name="Haddad"),
        membership=acting(kim),
        actor=kim,
    )
    consent_record(
        subject=samira,
        data=given_consent(
            recipient_agencies=[Agency.objects.get(code="car")],
            categories=[DataCategory.IDENTITY, DataCategory.LANGUAGE],
            purpose=ConsentPurpose.REFERRAL,
            valid_until=timezone.localdate() + timedelta(days=14),
        ),
        membership=acting(kim),
        actor=kim,
    )

    # The team lead opens emergency access and reads what it opens.
    log_in(page, base, "teamlead")
    assert page.goto(f"{base}/people/p/{person.public_id}/").status == 404
    page.goto(f"{base}/consent/p/{person.public_id}/emergency/")
    page.get_by_label("Why is this an emergency?").fill(REASON)
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()
    assert page.goto(f"{base}/people/p/{person.public_id}/").status == 200
    assert page.goto(f"{base}/journal/p/{person.public_id}/").status == 200
    _log_out(page, base)

    # The DPO, with password and the code of the demo app.
    log_in(page, base, "dsb")
    assert page.url == base + "/"
    page.goto(base + "/privacy/audit/")
    assert_accessible(page)
    kind = page.get_by_label("Kind of event")
    kind.focus()
    kind.select_option("group:emergency")
    page.get_by_role("button", name="Search").click()
    page.wait_for_load_state()
    assert "action=group%3Aemergency" in page.url
    rows = page.get_by_test_id("audit-row")
    assert rows.count() >= 3
    for index in range(rows.count()):
        row = rows.nth(index)
        assert row.get_by_test_id("under-emergency").is_visible() or (
            "Emergency access" in row.inner_text()
        )
        assert "Tobias Lehmann" in row.get_by_test_id("audit-who").inner_text()
    read = rows.filter(has_text="Person viewed").first
    assert "Hiba Nassar" in read.get_by_test_id("audit-person").inner_text()
    assert person.public_id in read.inner_text()
    assert "—" not in page.locator("main table").inner_text()
    assert_accessible(page)

    # The basis of the read leads to the access's review page: every read under it.
    read.get_by_role("link", name=re.compile(r"^Emergency access no\. \d+$")).click()
    page.wait_for_url(re.compile(r"/consent/emergency/\d+/$"))
    assert "Hiba Nassar" in page.get_by_test_id("glass-person").inner_text()
    assert "Tobias Lehmann" in page.get_by_test_id("glass-user").inner_text()
    assert REASON in page.locator("main").inner_text()
    reads = page.get_by_test_id("glass-read")
    assert reads.count() >= 2
    listed = page.locator("main table").inner_text()
    assert "Person viewed" in listed
    assert "Journal entry viewed" in listed or "List" in listed
    assert_accessible(page)

    # The decision, with the keyboard: the review is saved and the queue says so.
    page.get_by_label("Justified", exact=True).check()
    page.get_by_label("Note").fill("Akute Gefahr, Jugendamt nicht erreichbar: gerechtfertigt.")
    page.get_by_label("Note").press("Tab")
    page.keyboard.press("Enter")
    page.wait_for_url(base + "/consent/emergency/")
    assert page.get_by_text(re.compile(r"Emergency access no\. \d+ is reviewed\.")).is_visible()
    assert "0 emergency accesses await your review" in page.locator("main").inner_text()
    assert "Hiba Nassar" in page.get_by_test_id("break-glass-row").first.inner_text()
    assert_accessible(page)

    # The consent register in names and dates, with its filters and export.
    page.goto(base + "/consent/")
    row = page.get_by_test_id("consent-row").filter(has_text="Samira Haddad")
    assert row.get_by_role("link", name=re.compile(r"^Consent of ")).is_visible()
    assert samira.public_id in row.get_by_test_id("consent-person").inner_text()
    assert "Referral" in row.inner_text()
    assert "Katrin Imhoff" in row.inner_text()  # kim, by name
    assert page.get_by_role("link", name="Download as Excel (XLSX)").is_visible()
    assert_accessible(page)
    page.get_by_test_id("expiring-filter").click()
    page.wait_for_load_state()
    assert "status=expiring" in page.url
    assert page.get_by_test_id("consent-row").filter(has_text="Samira Haddad").is_visible()
    assert_accessible(page)
