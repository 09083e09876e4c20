"""Journey: KIM registers a family of four with the keyboard alone — the pickers for nationality
and languages; the daughter, registered once before on her own under another spelling; and the
father, who is already registered and still lives at his old address — and no save is refused."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

import pytest
from django.core.management import call_command

from lotse.accounts.models import Agency
from lotse.people.models import Household, HouseholdDeparture, Person
from lotse.people.tests.factories import HouseholdFactory, PersonFactory

from .conftest import assert_accessible
from .test_journey_people import BIRTH_DATE, _english, _log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _type(field: Any, text: str) -> None:
    field.focus()
    field.press_sequentially(text)


def _type_date(field: Any, iso: str) -> None:
    """Chromium's date field in the context's German locale takes day, month, year in turn."""
    year, month, day = iso.split("-")
    _type(field, day + month + year)


def _choose(select: Any, text: str) -> None:
    """A closed <select> takes typed letters (type-ahead), as with the keyboard alone."""
    select.focus()
    select.press_sequentially(text)


def _pick(page: Any, combobox: Any, typed: str, expected: str) -> None:
    """Type into a picker, wait for its list, take the first suggestion with Enter."""
    combobox.focus()
    combobox.press_sequentially(typed)
    listbox = page.locator(f"#{combobox.get_attribute('aria-controls')}")
    listbox.get_by_role("option").first.wait_for()
    assert expected in listbox.get_by_role("option").first.inner_text()
    combobox.press("Enter")


def _person_row(page: Any, index: int, role: str, given: str, family: str, born: str, sex: str):
    row = page.locator(f"fieldset#members-{index}")
    row.wait_for()
    if index:
        _choose(row.get_by_label("Role in the household"), role)
    _type(row.get_by_label("Given names"), given)
    _type(row.get_by_label("Family name"), family)
    _type_date(row.get_by_label(BIRTH_DATE), born)
    _choose(row.get_by_label("Sex"), sex)
    row.get_by_label("Family name").press("Tab")
    page.wait_for_load_state("networkidle")
    return row


def _add_row(page: Any) -> None:
    button = page.get_by_role("button", name="Add member")
    button.focus()
    button.press("Enter")
    page.wait_for_load_state("networkidle")


def test_a_family_of_four_with_a_duplicate_and_a_move_by_keyboard(live_server, page):
    call_command("seed_demo", "--families", "0")
    kim = Agency.objects.get(code="kim")
    father = PersonFactory.create(
        owner_agency=kim,
        given_names="Mohammed",
        family_name="Al-Hassan",
        birth_date=date(1985, 3, 2),
        district="vohwinkel",
    )
    old_home = HouseholdFactory.create(owner_agency=kim, street="Alte Gasse 1", members=[father])
    # Registered once before, on her own, when she came to a language course.
    amina = PersonFactory.create(
        owner_agency=kim,
        given_names="Amina",
        family_name="Alhassan",
        birth_date=date(2015, 6, 10),
        district="elberfeld",
    )
    base = live_server.url
    _english(page, base)
    _log_in(page, base, "kim")
    page.goto(base + "/people/register/")

    household = page.get_by_role("group", name="Household")
    _type(household.get_by_label("Street and number"), "Berliner Straße 12")
    _type(household.get_by_label("Postcode"), "42275")

    mother = _person_row(page, 0, "head", "Fatima", "Al-Hassan", "1988-07-14", "female")
    _pick(page, mother.get_by_role("combobox", name=re.compile("^Nationalities")), "Syr", "Syria")
    languages = mother.get_by_role("combobox", name=re.compile("^Languages"))
    _pick(page, languages, "Arab", "Arabic")
    # After a language the picker asks for the level; Enter takes the first one.
    page.locator(f"#{languages.get_attribute('aria-controls')}").get_by_role(
        "option"
    ).first.wait_for()
    languages.press("Enter")
    languages.press_sequentially(", Kurmanj")
    page.locator(f"#{languages.get_attribute('aria-controls')}").get_by_role(
        "option"
    ).first.wait_for()
    languages.press("Enter")
    languages.press("Tab")

    _add_row(page)
    dad = _person_row(page, 1, "partner", "Muhammad", "Alhasan", "1985-03-02", "male")
    candidates = dad.get_by_test_id("duplicate-candidates")
    candidates.wait_for()
    assert "Alte Gasse 1" in candidates.inner_text()
    assert not candidates.locator("input:checked").count()
    assert_accessible(page)
    chosen = candidates.get_by_role("radio", name=re.compile("Yes, it is Mohammed Al-Hassan"))
    chosen.focus()
    chosen.press("Space")
    elsewhere = candidates.get_by_test_id("other-household")
    elsewhere.wait_for()
    move = elsewhere.get_by_role("radio", name=re.compile("^Moves here"))
    move.focus()
    move.press("Space")

    _add_row(page)
    child = _person_row(page, 2, "child", "Amina", "Al-Hassan", "2015-06-10", "female")
    known = child.get_by_test_id("duplicate-candidates")
    known.wait_for()
    assert "Household: none" in known.inner_text()
    same = known.get_by_role("radio", name=re.compile("Yes, it is Amina Alhassan"))
    same.focus()
    same.press("Space")

    _add_row(page)
    _person_row(page, 3, "child", "Yusuf", "Al-Hassan", "2019-11-02", "male")
    assert_accessible(page)

    submit = page.get_by_role("button", name="Register", exact=True)
    submit.focus()
    submit.press("Enter")
    page.wait_for_url(re.compile(r"/people/h/H-[0-9A-Z]{4}-[0-9A-Z]{4}/$"))
    assert (
        page.get_by_role("status")
        .filter(has_text="The household with 4 members has been registered.")
        .is_visible()
    )
    assert_accessible(page)

    new_home = Household.objects.exclude(pk=old_home.pk).get()
    assert sorted(m.person.given_names for m in new_home.memberships.all()) == [
        "Amina",
        "Fatima",
        "Mohammed",
        "Yusuf",
    ]
    assert list(father.households.all()) == [new_home]
    assert HouseholdDeparture.objects.get().household == old_home
    assert list(Person.objects.filter(given_names="Amina")) == [amina]
    fatima = Person.objects.get(given_names="Fatima")
    assert [str(c) for c in fatima.nationalities] == ["SY"]
    assert {entry.language for entry in fatima.languages.all()} == {"ar", "kmr"}
