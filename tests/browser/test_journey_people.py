"""Journey: KIM registers a household, finds the father by any spelling, opens his page."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.core.management import call_command

from lotse.demo.city import DEMO_PASSWORD

from .conftest import assert_accessible

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Not "How certain is the date of birth?", which contains the same words.
BIRTH_DATE = re.compile(r"^Date of birth")


def _english(page: Any, base_url: str) -> None:
    # The German catalogue changes while these journeys are written: read English labels.
    page.context.add_cookies([{"name": "lotse_language", "value": "en", "url": base_url}])


def _log_in(page: Any, base_url: str, username: str) -> None:
    page.goto(base_url + "/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Log in", exact=True).click()
    page.wait_for_url(base_url + "/")


def _header_search(page: Any, query: str) -> None:
    header = page.get_by_role("search", name="Search persons")
    header.get_by_role("searchbox").fill(query)
    # A new navigation even when already on the results page of the previous search.
    with page.expect_navigation(url=re.compile(r"/people/search/\?q=")):
        header.get_by_role("button", name="Search").click()
    # The results page shows the query it answers in the header's search box.
    assert (
        page.get_by_role("search", name="Search persons").get_by_role("searchbox").input_value()
        == query
    )


def test_kim_registers_a_household_and_finds_the_father_in_any_script(live_server, page):
    call_command("seed_demo", "--families", "0")
    base = live_server.url
    _english(page, base)
    _log_in(page, base, "kim")

    page.get_by_role("navigation", name="Main navigation").get_by_role(
        "link", name="Register"
    ).click()
    page.wait_for_url(base + "/people/register/")
    assert page.get_by_role("heading", name="Register a person or a household").is_visible()
    assert_accessible(page)

    household = page.get_by_role("group", name="Household")
    household.get_by_label("Street and number").fill("Berliner Straße 12")
    household.get_by_label("Postcode").fill("42275")

    head = page.locator("fieldset#members-0")
    assert head.get_by_label("Role in the household").input_value() == "head"
    head.get_by_label("Given names").fill("Mohammed")
    head.get_by_label("Family name").fill("Al-Hassan")
    head.get_by_label(BIRTH_DATE).fill("1985-03-02")
    head.get_by_label("Sex").select_option(label="male")
    # The picker still understands a code typed by hand.
    head.get_by_role("combobox", name=re.compile("^Nationalities")).fill("SY")
    page.wait_for_load_state("networkidle")

    page.get_by_role("button", name="Add member").click()
    child = page.locator("fieldset#members-1")
    child.wait_for()
    page.wait_for_load_state("networkidle")
    # The added row keeps what was typed above and asks who the new member is.
    assert head.get_by_label("Given names").input_value() == "Mohammed"
    assert_accessible(page)
    child.get_by_label("Role in the household").select_option(label="child")
    child.get_by_label("Given names").fill("Amina")
    child.get_by_label("Family name").fill("Al-Hassan")
    child.get_by_label(BIRTH_DATE).fill("2015-06-10")
    child.get_by_label("Sex").select_option(label="female")
    page.wait_for_load_state("networkidle")

    page.get_by_role("button", name="Register", exact=True).click()
    page.wait_for_url(re.compile(r"/people/h/H-[0-9A-Z]{4}-[0-9A-Z]{4}/$"))
    assert (
        page.get_by_role("status")
        .filter(has_text="The household with 2 members has been registered.")
        .is_visible()
    )
    members = page.get_by_role("table", name="Members")
    father_row = members.get_by_role("row").filter(has_text="Mohammed Al-Hassan")
    assert "head of household" in father_row.inner_text()
    assert "child" in members.get_by_role("row").filter(has_text="Amina Al-Hassan").inner_text()
    assert_accessible(page)

    _header_search(page, "Muhammad Alhasan")
    assert page.get_by_role("heading", name="Search persons", exact=True).is_visible()
    results = page.get_by_role("table", name=re.compile(r"persons? found"))
    assert results.get_by_role("link", name="Mohammed Al-Hassan").is_visible()
    assert_accessible(page)

    _header_search(page, "محمد الحسن")
    results = page.get_by_role("table", name=re.compile(r"persons? found"))
    father = results.get_by_role("link", name="Mohammed Al-Hassan")
    assert father.is_visible()
    assert_accessible(page)

    father.click()
    page.wait_for_url(re.compile(r"/people/p/P-[0-9A-Z]{4}-[0-9A-Z]{4}/$"))
    assert page.get_by_role("heading", name="Mohammed Al-Hassan", level=1).is_visible()
    public_id = page.get_by_test_id("public-id").inner_text()
    assert re.fullmatch(r"P-[0-9A-Z]{4}-[0-9A-Z]{4}", public_id)
    assert page.url.endswith(f"/people/p/{public_id}/")
    assert "Lotse ID" in page.get_by_test_id("public-id").locator("..").inner_text()
    # English pages keep the German day-before-month order: 2 March 1985.
    assert page.get_by_test_id("birth-date").inner_text() == "02/03/1985"
    assert_accessible(page)
