"""The household page and its actions: names instead of the code, the address and district, a
note when members are hidden from the reader, and add / move out / change address for the
registering agency — audited, optimistic-locked, 404 for every other agency."""

from __future__ import annotations

from typing import Any

import pytest
from django.conf import settings
from django.urls import reverse

from lotse.audit.models import AuditAction, AuditEvent
from lotse.consent.categories import DataCategory
from lotse.consent.tests.factories import record_directly
from lotse.people.models import HouseholdDeparture, HouseholdMember, Person
from lotse.people.tests.factories import HouseholdFactory, PersonFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def english(client_for: Any) -> Any:
    def make(user: Any) -> Any:
        client = client_for(user)
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
        return client

    return make


@pytest.fixture
def family(anna: Any) -> Any:
    """A household of four registered by anna's agency (KIM)."""
    agency = anna.primary_membership().agency
    persons = [
        PersonFactory.create(owner_agency=agency, given_names=given, family_name="Haddad")
        for given in ("Samira", "Yusuf", "Lina", "Omar")
    ]
    return HouseholdFactory.create(
        owner_agency=agency, street="Berliner Straße 12", district="oberbarmen", members=persons
    )


def _members(household: Any) -> list[str]:
    return sorted(m.person.given_names for m in HouseholdMember.objects.filter(household=household))


def _url(name: str, household: Any, **extra: str) -> str:
    return reverse(f"people:{name}", kwargs={"public_id": household.public_id, **extra})


def _address(household: Any, **changes: Any) -> dict[str, Any]:
    data = {
        "street": household.street,
        "postcode": household.postcode,
        "city": household.city or "Wuppertal",
        "district": household.district,
        "version": household.version,
    }
    data.update(changes)
    return data


# --- the page ------------------------------------------------------------------------------------


def test_the_page_is_titled_by_names_and_shows_address_and_actions(anna, family, english):
    body = english(anna).get(_url("household_detail", family)).content.decode()

    assert "Haddad" in body
    for given in ("Samira", "Yusuf", "Lina", "Omar"):
        assert given in body
    assert "Berliner Straße 12" in body
    assert _url("household_address", family) in body
    assert _url("household_member_add", family) in body
    assert 'data-testid="others-hidden"' not in body


def test_a_reader_who_sees_one_member_is_told_that_others_are_hidden(
    anna, ben, agencies, family, english
):
    samira = Person.objects.get(given_names="Samira")
    record_directly(
        subject=samira,
        recorded_by=anna,
        recording_agency=agencies.kim,
        disclosing=[agencies.kim],
        recipients=[agencies.jugendamt],
        categories=[DataCategory.IDENTITY],
    )
    body = english(ben).get(_url("household_detail", family)).content.decode()

    assert "Samira" in body
    for hidden in ("Yusuf", "Lina", "Omar"):
        assert hidden not in body
    assert 'data-testid="others-hidden"' in body
    # No count of the hidden members, no actions: the household is not Jugendamt's.
    assert "4" not in body.split('data-testid="others-hidden"')[1].split("</p>")[0]
    assert _url("household_address", family) not in body


# --- change the address --------------------------------------------------------------------------


def test_a_new_address_is_saved_audited_and_moves_the_agencys_members(anna, family, english):
    response = english(anna).post(
        _url("household_address", family),
        _address(family, street="Wiesenstraße 3", district="elberfeld"),
    )

    assert response.status_code == 302
    family.refresh_from_db()
    assert (family.street, family.district, family.version) == ("Wiesenstraße 3", "elberfeld", 2)
    assert set(Person.objects.values_list("district", flat=True)) <= {"elberfeld"}
    event = AuditEvent.objects.get(action=AuditAction.HOUSEHOLD_ADDRESS_CHANGED)
    assert event.target_id == str(family.pk)


def test_a_stale_address_edit_is_refused_and_keeps_the_entry(anna, family, english):
    client = english(anna)
    opened = _address(family, street="Wiesenstraße 3")
    client.post(_url("household_address", family), _address(family, street="Talstraße 9"))

    response = client.post(_url("household_address", family), opened)

    assert response.status_code == 409
    body = response.content.decode()
    assert "Someone else changed this household" in body
    assert 'value="Wiesenstraße 3"' in body
    family.refresh_from_db()
    assert family.street == "Talstraße 9"


def test_a_bad_postcode_names_the_field(anna, family, english):
    response = english(anna).post(
        _url("household_address", family), _address(family, postcode="4227")
    )

    assert response.status_code == 200
    assert 'href="#id_postcode"' in response.content.decode()
    family.refresh_from_db()
    assert family.postcode == "42275"


# --- a member moves out --------------------------------------------------------------------------


def test_a_member_moves_out_with_a_date_and_stays_on_the_page_as_moved_out(anna, family, english):
    omar = Person.objects.get(given_names="Omar")
    client = english(anna)
    response = client.post(
        _url("household_move_out", family, person_id=omar.public_id),
        {"moved_out_on": "2026-11-30", "version": family.version},
    )

    assert response.status_code == 302
    assert _members(family) == ["Lina", "Samira", "Yusuf"]
    departure = HouseholdDeparture.objects.get()
    assert (departure.person, str(departure.moved_out_on)) == (omar, "2026-11-30")
    event = AuditEvent.objects.get(action=AuditAction.HOUSEHOLD_MEMBER_MOVED_OUT)
    assert (event.target_id, event.subject_id) == (str(family.pk), omar.pk)
    body = client.get(_url("household_detail", family)).content.decode()
    assert "Omar" in body


def test_a_stale_move_out_writes_nothing(anna, family, english):
    omar = Person.objects.get(given_names="Omar")
    client = english(anna)
    client.post(_url("household_address", family), _address(family, street="Talstraße 9"))

    response = client.post(
        _url("household_move_out", family, person_id=omar.public_id),
        {"moved_out_on": "2026-11-30", "version": 1},
    )

    assert response.status_code == 409
    assert len(_members(family)) == 4
    assert not HouseholdDeparture.objects.exists()


# --- a member joins --------------------------------------------------------------------------


def _new_member(version: int, **extra: str) -> dict[str, Any]:
    row = {
        "role": "child",
        "given_names": "Noor",
        "family_name": "Haddad",
        "birth_date": "2026-06-01",
        "birth_date_precision": "exact",
        "sex": "f",
        "nationalities": "",
        "languages": "",
        **extra,
    }
    return {"version": version, **{f"members-0-{k}": v for k, v in row.items()}}


def test_a_new_member_joins_audited(anna, family, english):
    response = english(anna).post(_url("household_member_add", family), _new_member(family.version))

    assert response.status_code == 302, response.content.decode()[:2000]
    assert _members(family) == ["Lina", "Noor", "Omar", "Samira", "Yusuf"]
    noor = Person.objects.get(given_names="Noor")
    assert noor.owner_agency == anna.primary_membership().agency
    event = AuditEvent.objects.get(action=AuditAction.HOUSEHOLD_MEMBER_ADDED)
    assert event.subject_id == noor.pk
    family.refresh_from_db()
    assert family.version == 2


def test_a_member_without_a_family_name_is_refused_naming_the_field(anna, family, english):
    response = english(anna).post(
        _url("household_member_add", family), _new_member(family.version, family_name="")
    )

    assert response.status_code == 200
    assert 'href="#id_members-0-family_name"' in response.content.decode()
    assert len(_members(family)) == 4


# --- every other agency: the actions look like a missing household -------------------------------


@pytest.mark.parametrize("with_consent", [True, False])
def test_another_agency_cannot_change_the_household(
    anna, ben, agencies, family, english, with_consent
):
    if with_consent:
        record_directly(
            subject=Person.objects.get(given_names="Samira"),
            recorded_by=anna,
            recording_agency=agencies.kim,
            disclosing=[agencies.kim],
            recipients=[agencies.jugendamt],
            categories=[DataCategory.IDENTITY],
        )
    omar = Person.objects.get(given_names="Omar")
    client = english(ben)
    attempts = [
        client.post(_url("household_address", family), _address(family, street="Fremdweg 1")),
        client.post(
            _url("household_move_out", family, person_id=omar.public_id),
            {"moved_out_on": "2026-11-30", "version": family.version},
        ),
        client.post(_url("household_member_add", family), _new_member(family.version)),
    ]

    assert [a.status_code for a in attempts] == [404, 404, 404]
    family.refresh_from_db()
    assert (family.street, family.version) == ("Berliner Straße 12", 1)
    assert len(_members(family)) == 4
    assert not AuditEvent.objects.filter(
        action__in=[
            AuditAction.HOUSEHOLD_ADDRESS_CHANGED,
            AuditAction.HOUSEHOLD_MEMBER_MOVED_OUT,
            AuditAction.HOUSEHOLD_MEMBER_ADDED,
        ]
    ).exists()
