"""Journey: a visitor without login finds an offer in the public directory with the keyboard
alone, opens it, and the list also works with JavaScript switched off; axe checks each page."""

from __future__ import annotations

import re
from datetime import time
from decimal import Decimal
from typing import Any

import pytest

from lotse.accounts.models import Agency
from lotse.accounts.roles import Role
from lotse.accounts.tests.factories import TEST_PASSWORD, AgencyFactory, member
from lotse.directory.models import (
    Location,
    Offer,
    OfferDomain,
    OfferLanguage,
    OfferLocation,
    Provider,
    Schedule,
)

from .conftest import assert_accessible

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

OFFER = "Mütterkurs Deutsch mit Kinderbetreuung"


def _directory() -> Offer:
    agency = AgencyFactory.create(
        code="car", name="Caritas", kind=Agency.Kind.WELFARE_ASSOCIATION, is_public_body=False
    )
    provider = Provider.objects.create(
        name="Caritasverband Wuppertal",
        description="Beratung und Kurse.",
        agency=agency,
        status=Provider.Status.APPROVED,
        phone="0202 389030",
    )
    location = Location.objects.create(
        provider=provider,
        name="Haus der Begegnung",
        street="Berliner Straße 12",
        postal_code="42275",
        city="Wuppertal",
        district="barmen",
        latitude=Decimal("51.270500"),
        longitude=Decimal("7.201200"),
        wheelchair_accessible=True,
    )
    offer = Offer.objects.create(
        provider=provider,
        name=OFFER,
        description="Deutsch lernen, während die Kinder betreut werden.",
        required_documents=["Aufenthaltstitel"],
    )
    OfferDomain.objects.create(offer=offer, domain="language", position=0)
    OfferLanguage.objects.create(offer=offer, code="ar")
    OfferLocation.objects.create(offer=offer, location=location)
    Schedule.objects.create(offer=offer, byday="TU,TH", opens_at=time(9), closes_at=time(11, 30))
    for number in range(3):
        other = Offer.objects.create(
            provider=provider, name=f"Schuldnerberatung {number}", description="Hilfe bei Schulden."
        )
        OfferDomain.objects.create(offer=other, domain="finances", position=0)
    return offer


def _focus_by_tab(page: Any, selector: str, limit: int = 60) -> None:
    """Press Tab until the element matching ``selector`` has the focus (keyboard only)."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("(s) => document.activeElement.matches(s)", selector):
            return
    raise AssertionError(f"{selector} never got the focus by Tab")


def _focus_is_visible(page: Any) -> bool:
    style = page.evaluate(
        "() => { const s = getComputedStyle(document.activeElement);"
        " return [s.outlineStyle, s.outlineWidth, s.boxShadow]; }"
    )
    outline_style, outline_width, shadow = style
    return bool((outline_style != "none" and outline_width != "0px") or shadow != "none")


def test_a_visitor_finds_and_opens_an_offer_with_the_keyboard_alone(live_server, page):
    offer = _directory()
    base = live_server.url
    page.goto(base + "/angebote/")
    assert page.url == base + "/angebote/"  # no login asked for
    assert page.locator("html").get_attribute("lang") == "de"
    assert page.get_by_role("heading", level=1).count() == 1
    assert_accessible(page)

    # The first Tab reaches the skip link; it leads into the main content.
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.getAttribute('href')") == "#main"
    assert _focus_is_visible(page)
    page.keyboard.press("Enter")

    _focus_by_tab(page, "#id_q")
    assert _focus_is_visible(page)
    page.keyboard.type("Mütterkurs")
    with page.expect_navigation(url=re.compile(r"/angebote/\?q=")):
        page.keyboard.press("Enter")
    results = page.get_by_test_id("offer-result")
    assert results.count() == 1
    assert OFFER in results.first.inner_text()
    assert_accessible(page)

    _focus_by_tab(page, f'a[href^="/angebote/{offer.hsds_id}/"]')
    assert _focus_is_visible(page)
    with page.expect_navigation(url=re.compile(rf"/angebote/{offer.hsds_id}/")):
        page.keyboard.press("Enter")
    assert page.get_by_role("heading", level=1).inner_text() == OFFER
    detail = page.get_by_test_id("offer-detail").inner_text()
    for expected in ("Berliner Straße 12", "Dienstag", "09:00", "Arabisch", "Aufenthaltstitel"):
        assert expected in detail
    assert_accessible(page)

    # The map: every point is a link the keyboard reaches, and leads to the list entry.
    page.goto(base + "/angebote/karte/")
    assert_accessible(page)
    _focus_by_tab(page, "a.lotse-map__point")
    page.keyboard.press("Enter")
    assert page.url.endswith("#ort-" + str(offer.locations.get().pk))


def test_the_list_works_without_javascript(live_server, chromium):
    _directory()
    context = chromium.new_context(java_script_enabled=False, locale="de-DE")
    page = context.new_page()
    try:
        page.goto(live_server.url + "/angebote/")
        assert page.get_by_test_id("offer-result").count() == 4
        page.locator("#id_domain").select_option("finances")
        with page.expect_navigation(url=re.compile(r"domain=finances")):
            page.locator("form[role=search] button[type=submit]").click()
        names = page.get_by_test_id("offer-result").all_inner_texts()
        assert len(names) == 3
        assert all("Schuldnerberatung" in name for name in names)
        page.goto(live_server.url + "/angebote/karte/")
        assert page.get_by_test_id("place").count() == 1
        assert OFFER in page.get_by_test_id("place").inner_text()
        page.goto(live_server.url + "/angebote/drucken/")
        assert page.get_by_test_id("offer-result").count() == 4
    finally:
        context.close()


def test_the_legal_pages_pass_axe_in_both_languages(live_server, page):
    base = live_server.url
    for path in (
        "impressum/",
        "datenschutz/",
        "barrierefreiheit/",
        "barrierefreiheit/rueckmeldung/?page=/angebote/karte/",
        "barrierefreiheit/rueckmeldung/danke/?page=/angebote/karte/",
        "leichte-sprache/",
    ):
        page.goto(f"{base}/angebote/{path}")
        assert page.get_by_role("heading", level=1).count() == 1
        assert_accessible(page)
    page.get_by_role("button", name="English").click()
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.get_by_role("heading", level=1).inner_text() == "Easy language"
    assert_accessible(page)


def test_a_barrier_is_reported_with_the_keyboard_alone_and_errors_name_their_field(
    live_server, page
):
    """From the statement to the form, a wrong e-mail address (summary, focus), then sent."""
    from django.core import mail
    from django.core.cache import cache

    cache.clear()
    page.goto(live_server.url + "/angebote/barrierefreiheit/")
    with page.expect_navigation():
        page.get_by_test_id("accessibility-feedback-link").get_by_role("link").click()
    page.locator("#id_barrier").fill("Die Karte lässt sich nicht mit der Tastatur bedienen.")
    page.locator("#id_email").fill("rosa(at)example")
    with page.expect_navigation():
        page.locator("#id_email").press("Enter")
    summary = page.locator("#error-summary")
    assert summary.is_visible()
    assert summary.get_by_role("link").count() == 1
    assert summary.get_by_role("link").get_attribute("href") == "#id_email"
    assert page.locator("#id_email").get_attribute("aria-invalid") == "true"
    assert_accessible(page)
    page.locator("#id_email").fill("rosa@example.net")
    page.get_by_test_id("feedback-form").locator("button[type=submit]").focus()
    with page.expect_navigation(url=re.compile(r"/danke/")):
        page.keyboard.press("Enter")
    assert page.get_by_test_id("feedback-thanks").is_visible()
    assert page.get_by_test_id("feedback-enforcement").is_visible()
    assert len(mail.outbox) == 1
    assert mail.outbox[0].reply_to == ["rosa@example.net"]
    assert_accessible(page)


def test_the_staff_directory_pages_pass_axe(live_server, page):
    """The pages where agency admins keep their offers, as a system admin sees them."""
    offer = _directory()
    Provider.objects.create(name="Neuer Verein", description="Hilft.", status="proposed")
    kim = AgencyFactory.create(code="kim", name="KIM", kind=Agency.Kind.INTEGRATION_OFFICE)
    member("hana", kim, Role.SYSTEM_ADMIN, is_staff=True, is_superuser=True)
    base = live_server.url
    page.goto(base + "/accounts/login/")
    page.get_by_label("Benutzername").fill("hana")
    page.get_by_label("Passwort").fill(TEST_PASSWORD)
    page.get_by_role("button", name="Anmelden").click()
    page.wait_for_url(base + "/")
    location = offer.locations.get()
    for path in (
        "/directory/",
        f"/directory/offers/{offer.pk}/",
        "/directory/manage/",
        f"/directory/offers/{offer.pk}/edit/",
        f"/directory/providers/{offer.provider_id}/offers/new/",
        f"/directory/providers/{offer.provider_id}/locations/new/",
        f"/directory/locations/{location.pk}/edit/",
        f"/directory/locations/{location.pk}/delete/",
        f"/directory/offers/{offer.pk}/end/",
        f"/directory/providers/{offer.provider_id}/edit/",
        "/directory/providers/propose/",
        "/directory/providers/proposed/",
    ):
        page.goto(base + path)
        assert page.get_by_role("heading", level=1).count() == 1, path
        assert_accessible(page)
