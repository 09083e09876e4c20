from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from lotse.audit.models import AuditAction, AuditEvent
from lotse.audit.services import chain_lock_queries
from lotse.people.choices import ResidenceKind
from lotse.people.models import (
    DomainTransition,
    Household,
    Person,
    PersonMerge,
    ResidenceStatus,
)
from lotse.people.services import person_update
from lotse.people.tests.factories import (
    DomainTransitionFactory,
    HouseholdFactory,
    PersonFactory,
    PersonLanguageFactory,
    ResidenceStatusFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def client_for(client_for: Any) -> Any:
    """The cast's clients, reading the pages in English (the source language of the texts)."""

    def make(user: Any) -> Any:
        client = client_for(user)
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
        return client

    return make


# Pinned: the pages must not issue more queries as a person's history or the hits grow.
# 28: with the journal panel and the case panel (households, their cases, those to open);
# 30 with daily work's panel (the person's open tasks, their coming appointments);
# 33 with "Why do I see this?" saying who else sees each item (grants, legal bases, agencies).
PERSON_PAGE_QUERIES = 30 + chain_lock_queries()
SEARCH_PAGE_QUERIES = (
    13 + chain_lock_queries()
)  # candidates, ranked names, full rows, persons shown


def _agency(user: Any) -> Any:
    return user.primary_membership().agency


def _mohammed(user: Any, **extra: Any) -> Person:
    values: dict[str, Any] = {
        "owner_agency": _agency(user),
        "given_names": "Mohammed",
        "family_name": "Al-Hassan",
        "native_name": "محمد الحسن",
        "birth_date": date(1985, 3, 2),
        "nationalities": ["SY"],
        **extra,
    }
    return PersonFactory.create(**values)


def _management(total: int) -> dict[str, str]:
    return {
        "members-TOTAL_FORMS": str(total),
        "members-INITIAL_FORMS": "0",
        "members-MIN_NUM_FORMS": "1",
        "members-MAX_NUM_FORMS": "20",
    }


def _member(index: int, given: str, family: str, **extra: str) -> dict[str, str]:
    row = {
        "role": "head" if index == 0 else "child",
        "given_names": given,
        "family_name": family,
        "birth_date": "",
        "birth_date_precision": "exact",
        "sex": "x",
        "nationalities": "",
        "languages": "",
        **extra,
    }
    return {f"members-{index}-{name}": value for name, value in row.items()}


def _household_post(*members: dict[str, str], **address: str) -> dict[str, str]:
    data = {"street": "Berliner Straße 12", "postcode": "42275", "city": "Wuppertal"}
    data["district"] = "oberbarmen"
    data.update(address)
    data.update(_management(len(members)))
    for member in members:
        data.update(member)
    return data


# --- registration ------------------------------------------------------------------------------


def test_registering_a_family_saves_the_household_and_every_member(anna, client_for):
    client = client_for(anna)
    data = _household_post(
        _member(0, "Amal", "Haddad", birth_date="1980-04-01", nationalities="SY", languages="ar"),
        _member(1, "Samir", "Haddad", role="partner", birth_date="1978-09-12", sex="m"),
        _member(2, "Lina", "Haddad", birth_date="2015-01-01", birth_date_precision="year"),
        _member(3, "Omar", "Haddad", birth_date="2019-06-30", languages="ar, de:A1"),
    )
    response = client.post(reverse("people:register"), data)

    household = Household.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse(
        "people:household_detail", kwargs={"public_id": household.public_id}
    )
    assert household.memberships.count() == 4
    assert Person.objects.filter(district="oberbarmen").count() == 4
    omar = Person.objects.get(given_names="Omar")
    languages = sorted(omar.languages.values_list("language", "level"))
    assert languages == [("ar", "native"), ("de", "a1")]
    page = client.get(response["Location"])
    assert "Amal Haddad" in page.content.decode()


def test_a_bad_member_row_saves_nothing_and_names_the_row(anna, client_for):
    future = (timezone.localdate() + timedelta(days=30)).isoformat()
    data = _household_post(
        _member(0, "Amal", "Haddad", birth_date="1980-04-01"),
        _member(1, "Samir", "Haddad", role="partner", birth_date=future),
    )
    response = client_for(anna).post(reverse("people:register"), data)

    assert response.status_code == 200
    assert Household.objects.count() == 0
    assert Person.objects.count() == 0
    body = response.content.decode()
    assert "Member 2 – Date of birth: The date of birth lies in the future." in body
    assert 'href="#id_members-1-birth_date"' in body
    assert 'aria-describedby="id_members-1-birth_date_error"' in body


def test_an_empty_family_name_is_named_with_its_row(anna, client_for):
    data = _household_post(_member(0, "Amal", "Haddad"), _member(1, "Samir", ""))
    response = client_for(anna).post(reverse("people:register"), data)

    assert "Member 2 – Family name: Enter the family name." in response.content.decode()
    assert Person.objects.count() == 0


def test_add_member_adds_a_row_without_saving_or_complaining(anna, client_for):
    data = _household_post(_member(0, "Amal", ""))
    data["add_member"] = "1"
    response = client_for(anna).post(reverse("people:register"), data)

    body = response.content.decode()
    assert response.status_code == 200
    assert 'name="members-TOTAL_FORMS" value="2"' in body
    assert 'id="id_members-1-given_names"' in body
    assert "Please correct" not in body
    assert Person.objects.count() == 0


def test_rows_keep_their_duplicate_panel_when_a_member_is_added(anna, client_for):
    mohammed = _mohammed(anna)
    data = _household_post(_member(0, "Muhammad", "Alhasan", birth_date="1985-03-02"))
    data["add_member"] = "1"
    response = client_for(anna).post(reverse("people:register"), data)

    assert mohammed.public_id in response.content.decode()
    assert Person.objects.count() == 1


def test_one_person_without_an_address_is_registered_alone(anna, client_for):
    data = _household_post(_member(0, "Amal", "Haddad"), street="", postcode="")
    response = client_for(anna).post(reverse("people:register"), data)

    person = Person.objects.get()
    assert response["Location"] == reverse(
        "people:person_detail", kwargs={"public_id": person.public_id}
    )
    assert person.district == "oberbarmen"
    assert Household.objects.count() == 0


# --- duplicate check ---------------------------------------------------------------------------


def _probe(**fields: str) -> dict[str, str]:
    data = {"prefix": "members-0"}
    data.update({f"members-0-{name}": value for name, value in fields.items()})
    return data


def test_duplicate_check_shows_a_candidate_of_the_own_agency(anna, client_for):
    mohammed = _mohammed(anna)
    response = client_for(anna).post(
        reverse("people:duplicate_check"),
        _probe(given_names="Muhammad", family_name="Alhasan", birth_date="1985-03-02"),
        headers={"HX-Request": "true"},
    )

    body = response.content.decode()
    assert response.status_code == 200
    assert mohammed.public_id in body
    assert "Mohammed Al-Hassan" in body
    assert "No, a different person: register as new" in body
    assert " checked" not in body  # no answer is given beforehand
    assert AuditEvent.objects.filter(action=AuditAction.DUPLICATE_CHECKED).exists()


def test_duplicate_check_gives_only_a_hint_for_another_agencys_person(anna, ben, client_for):
    theirs = _mohammed(ben)
    response = client_for(anna).post(
        reverse("people:duplicate_check"),
        _probe(given_names="Muhammad", family_name="Alhasan", birth_date="1985-03-02"),
    )

    body = response.content.decode()
    assert "A possible match is known to Jugendamt — ask the family for consent" in body
    for leaked in ("Mohammed", "Al-Hassan", "محمد", theirs.public_id, "1985", "02.03."):
        assert leaked not in body


def test_saving_a_likely_duplicate_needs_an_explicit_decision(anna, client_for):
    mohammed = _mohammed(anna)
    client = client_for(anna)
    row = _member(0, "Muhammad", "Alhasan", birth_date="1985-03-02", nationalities="SY")
    data = _household_post(row, street="", postcode="")

    refused = client.post(reverse("people:register"), data)
    assert refused.status_code == 200
    assert "A person like this is already registered:" in refused.content.decode()
    assert mohammed.public_id in refused.content.decode()
    assert Person.objects.count() == 1

    choice = {**data, "members-0-existing": mohammed.public_id}
    chosen = client.post(reverse("people:register"), choice)
    assert chosen["Location"] == reverse(
        "people:person_detail", kwargs={"public_id": mohammed.public_id}
    )
    assert Person.objects.count() == 1

    confirmed = client.post(reverse("people:register"), {**data, "members-0-existing": "new"})
    assert confirmed.status_code == 302
    assert Person.objects.count() == 2


def test_an_existing_person_can_join_a_new_household(anna, client_for):
    mohammed = _mohammed(anna)
    data = _household_post(
        {**_member(0, "", ""), "members-0-existing": mohammed.public_id},
        _member(1, "Lina", "Haddad"),
    )
    response = client_for(anna).post(reverse("people:register"), data)

    assert response.status_code == 302
    household = Household.objects.get()
    assert set(household.members.all()) == {mohammed, Person.objects.get(given_names="Lina")}


def test_another_agencys_person_cannot_be_chosen_as_existing(anna, ben, client_for):
    theirs = _mohammed(ben)
    data = _household_post({**_member(0, "", ""), "members-0-existing": theirs.public_id})
    response = client_for(anna).post(reverse("people:register"), data)

    assert "No person with this ID is known to you." in response.content.decode()
    assert Household.objects.count() == 0


# --- search ------------------------------------------------------------------------------------


def _search(client: Any, query: str) -> str:
    response = client.get(reverse("people:search"), {"q": query})
    assert response.status_code == 200
    return str(response.content.decode())


def test_the_header_offers_search_to_those_who_may_search(anna, emil, client_for):
    assert 'role="search"' in client_for(anna).get(reverse("start")).content.decode()
    assert 'role="search"' not in client_for(emil).get(reverse("start")).content.decode()


@pytest.mark.parametrize("query", ["Muhammad Alhasan", "محمد الحسن", "Alhassan Mohamed", "1985"])
def test_search_finds_a_person_by_any_spelling_script_or_birth_year(anna, client_for, query):
    mohammed = _mohammed(anna)
    PersonFactory.create(owner_agency=_agency(anna), given_names="Mahmoud", family_name="Said")

    body = _search(client_for(anna), query)

    assert mohammed.public_id in body
    # Mahmoud may follow as a weak hit (shared consonant skeleton), never before Mohammed.
    assert "Mahmoud" not in body.split(mohammed.public_id, 1)[0]


def test_search_finds_a_person_by_public_id(anna, client_for):
    mohammed = _mohammed(anna)
    body = _search(client_for(anna), mohammed.public_id.lower().replace("-", ""))
    assert "Mohammed Al-Hassan" in body


def test_search_never_shows_another_agencys_person(anna, ben, client_for):
    theirs = _mohammed(ben)
    body = _search(client_for(anna), "Muhammad Alhasan")
    assert theirs.public_id not in body
    assert "Al-Hassan" not in body
    assert "0 persons found" in body


def test_search_is_audited_without_the_query(anna, client_for):
    _mohammed(anna)
    _search(client_for(anna), "Muhammad Alhasan")
    event = AuditEvent.objects.get(action=AuditAction.PERSON_SEARCHED)
    person = Person.objects.get()
    # Who was shown, on which basis — indexed, so the DPO finds the search under the person.
    assert event.detail == {"shown": [person.pk], "bases": ["own_agency"], "subjects": [person.pk]}
    assert list(event.subjects.values_list("subject_id", flat=True)) == [person.pk]
    assert "Muhammad" not in str(event.__dict__)


# --- the person page ---------------------------------------------------------------------------


def _detail(client: Any, person: Person) -> Any:
    return client.get(reverse("people:person_detail", kwargs={"public_id": person.public_id}))


def test_person_page_shows_identity_status_and_the_next_expiry(anna, client_for):
    person = _mohammed(anna)
    today = timezone.localdate()
    ResidenceStatusFactory.create(
        person=person,
        valid_from=today - timedelta(days=400),
        valid_until=today - timedelta(days=30),
    )
    ResidenceStatusFactory.create(
        person=person,
        kind=ResidenceKind.RESIDENCE_PERMIT,
        paragraph="§ 25 Abs. 2 AufenthG",
        valid_from=today - timedelta(days=29),
        valid_until=today + timedelta(days=45),
    )

    response = _detail(client_for(anna), person)

    body = response.content.decode()
    assert response.status_code == 200
    assert "محمد الحسن" in body
    assert "Aufenthaltserlaubnis (residence permit) (§ 25 Abs. 2 AufenthG)" in body
    assert "kern-badge kern-badge--warning" in body
    assert "in 45 days" in body
    assert "Why do I see this?" in body
    assert "Recorded by your agency." in body  # the agency is named once, beside the item
    event = AuditEvent.objects.get(action=AuditAction.PERSON_VIEWED)
    assert (event.subject_id, event.basis) == (person.pk, "own_agency")


def test_an_expiry_further_away_is_not_a_warning(anna, client_for):
    person = _mohammed(anna)
    today = timezone.localdate()
    ResidenceStatusFactory.create(
        person=person, valid_from=today, valid_until=today + timedelta(days=200)
    )
    body = _detail(client_for(anna), person).content.decode()
    assert "kern-badge--warning" not in body
    assert "Next expiry" in body


def test_an_open_change_of_benefit_law_is_shown_as_an_alert(anna, client_for):
    person = _mohammed(anna)
    DomainTransitionFactory.create(residence_status__person=person)
    body = _detail(client_for(anna), person).content.decode()
    assert "Change of benefit law recognised: AsylbLG → SGB II" in body


def test_another_agencys_person_is_not_found(anna, ben, client_for):
    theirs = _mohammed(ben)
    client = client_for(anna)
    for name in ("people:person_detail", "people:person_edit", "people:residence_add"):
        response = client.get(reverse(name, kwargs={"public_id": theirs.public_id}))
        assert response.status_code == 404, name
    household = HouseholdFactory.create(owner_agency=_agency(ben), members=[theirs])
    response = client.get(
        reverse("people:household_detail", kwargs={"public_id": household.public_id})
    )
    assert response.status_code == 404


def test_household_page_lists_members_and_is_audited(anna, client_for):
    head = _mohammed(anna)
    child = PersonFactory.create(owner_agency=_agency(anna), given_names="Lina")
    household = HouseholdFactory.create(
        owner_agency=_agency(anna), members=[head, (child, "child")]
    )

    response = client_for(anna).get(
        reverse("people:household_detail", kwargs={"public_id": household.public_id})
    )

    body = response.content.decode()
    assert head.public_id in body
    assert child.public_id in body
    event = AuditEvent.objects.get(action=AuditAction.HOUSEHOLD_VIEWED)
    assert event.target_id == str(household.pk)


@pytest.mark.parametrize("size", [1, 20])
def test_person_page_queries_do_not_grow_with_the_history(
    anna, client_for, django_assert_num_queries, size
):
    person = _mohammed(anna)
    agency = _agency(anna)
    codes = [
        "ar",
        "de",
        "en",
        "fr",
        "ku",
        "fa",
        "ps",
        "ti",
        "tr",
        "ru",
        "uk",
        "so",
        "am",
        "es",
        "it",
        "pl",
        "ro",
        "bg",
        "sq",
        "sr",
    ]
    for index in range(size):
        ResidenceStatusFactory.create(person=person, valid_from=date(2000 + index, 1, 1))
        PersonLanguageFactory.create(person=person, language=codes[index])
        other = PersonFactory.create(owner_agency=agency)
        HouseholdFactory.create(owner_agency=agency, members=[person, other])
    DomainTransitionFactory.create(residence_status__person=person)
    client = client_for(anna)

    with django_assert_num_queries(PERSON_PAGE_QUERIES):
        response = _detail(client, person)

    assert response.status_code == 200


@pytest.mark.parametrize("size", [1, 20])
def test_search_page_queries_do_not_grow_with_the_hits(
    anna, client_for, django_assert_num_queries, size
):
    for _ in range(size):
        _mohammed(anna)
    client = client_for(anna)

    with django_assert_num_queries(SEARCH_PAGE_QUERIES):
        body = _search(client, "Muhammad Alhasan")

    assert body.count("Mohammed Al-Hassan") == size


# --- edit with optimistic locking ----------------------------------------------------------------


def _edit_post(person: Person, version: int, **changes: str) -> dict[str, str]:
    data = {
        "version": str(version),
        "given_names": person.given_names,
        "family_name": person.family_name,
        "aliases": "\n".join(person.aliases),
        "native_name": person.native_name,
        "birth_date": person.birth_date.isoformat() if person.birth_date else "",
        "birth_date_precision": person.birth_date_precision,
        "sex": person.sex,
        "nationalities": ", ".join(person.nationalities),
        "arrival_in_germany": "",
        "arrival_in_city": "",
        "phone": "",
        "email": "",
        "district": "",
    }
    data.update(changes)
    return data


def test_edit_saves_the_change_and_bumps_the_version(anna, client_for):
    person = _mohammed(anna)
    response = client_for(anna).post(
        reverse("people:person_edit", kwargs={"public_id": person.public_id}),
        _edit_post(person, person.version, phone="0202 123456"),
    )
    assert response.status_code == 302
    person.refresh_from_db()
    assert (person.phone, person.version) == ("0202 123456", 2)


def test_a_stale_edit_is_refused_with_what_changed_and_nothing_saved(anna, gero, client_for):
    person = _mohammed(anna)
    url = reverse("people:person_edit", kwargs={"public_id": person.public_id})
    client = client_for(anna)
    form_page = client.get(url)
    assert 'name="version" value="1"' in form_page.content.decode()
    # Gero saves a new family name while Anna still has the form open.
    person_update(
        person=Person.objects.get(pk=person.pk),
        expected_version=1,
        changes={"family_name": "Al-Hasan"},
        membership=gero.primary_membership(),
        actor=gero,
    )

    response = client.post(url, _edit_post(person, 1, phone="0202 999"))

    body = response.content.decode()
    assert response.status_code == 409
    assert "Someone else changed this person while you were editing. Nothing was saved." in body
    assert "Family name" in body
    assert "Al-Hasan" in body
    assert 'name="version" value="2"' in body
    person.refresh_from_db()
    assert (person.family_name, person.phone, person.version) == ("Al-Hasan", "", 2)


def test_edit_refuses_impossible_input_naming_the_field(anna, client_for):
    person = _mohammed(anna)
    future = (timezone.localdate() + timedelta(days=3)).isoformat()
    response = client_for(anna).post(
        reverse("people:person_edit", kwargs={"public_id": person.public_id}),
        _edit_post(person, 1, birth_date=future, nationalities="SY, XX"),
    )
    body = response.content.decode()
    # Nationalities are typed as names (or codes): an unknown one is named with its field.
    assert "Nationalities: Unknown country “XX”." in body
    person.refresh_from_db()
    assert person.version == 1
    later = client_for(anna).post(
        reverse("people:person_edit", kwargs={"public_id": person.public_id}),
        _edit_post(person, 1, birth_date=future, nationalities="Syrien"),
    )
    assert "Date of birth: The date of birth lies in the future." in later.content.decode()
    person.refresh_from_db()
    assert person.version == 1


# --- residence status --------------------------------------------------------------------------


def test_a_refugee_permit_after_asylum_is_recognised_as_a_change_of_benefit_law(anna, client_for):
    person = _mohammed(anna)
    ResidenceStatusFactory.create(person=person, valid_from=date(2023, 1, 1))
    client = client_for(anna)
    url = reverse("people:residence_add", kwargs={"public_id": person.public_id})

    response = client.post(
        url,
        {
            "kind": ResidenceKind.RESIDENCE_PERMIT,
            "paragraph": "§ 25 Abs. 2 AufenthG",
            "valid_from": "2024-06-01",
            "valid_until": "2027-05-31",
            "work_permission": "allowed",
        },
        follow=True,
    )

    body = response.content.decode()
    assert (
        "Change of benefit law recognised: AsylbLG → SGB II — the Sozialamt and the Jobcenter "
        "should hand over." in body
    )
    assert DomainTransition.objects.filter(person=person).count() == 1
    assert ResidenceStatus.objects.filter(person=person).count() == 2


def test_a_status_that_ends_before_it_starts_is_refused(anna, client_for):
    person = _mohammed(anna)
    response = client_for(anna).post(
        reverse("people:residence_add", kwargs={"public_id": person.public_id}),
        {
            "kind": ResidenceKind.TOLERATION,
            "valid_from": "2024-06-01",
            "valid_until": "2024-01-01",
            "work_permission": "unknown",
        },
    )
    assert "Valid until: The end lies before the start." in response.content.decode()
    assert not ResidenceStatus.objects.exists()


# --- merge -------------------------------------------------------------------------------------


def test_a_duplicate_is_merged_shown_through_the_survivor_and_confirmed(anna, client_for):
    survivor = _mohammed(anna)
    twin = _mohammed(anna, given_names="Muhammad", family_name="Alhasan")
    client = client_for(anna)
    page = _detail(client, survivor).content.decode()
    assert twin.public_id in page

    proposed = client.post(
        reverse("people:merge", kwargs={"public_id": survivor.public_id}),
        {"merged": twin.public_id, "reason": "same passport number"},
    )
    assert proposed.status_code == 302
    redirected = _detail(client, twin)
    assert redirected["Location"] == reverse(
        "people:person_detail", kwargs={"public_id": survivor.public_id}
    )

    merge = PersonMerge.objects.get()
    confirmed = client.post(
        reverse("people:merge_decide", kwargs={"pk": merge.pk}), {"decision": "confirm"}
    )
    assert confirmed.status_code == 302
    merge.refresh_from_db()
    survivor.refresh_from_db()
    assert merge.state == PersonMerge.State.CONFIRMED
    assert "Muhammad Alhasan" in survivor.aliases


def test_a_merge_needs_a_reason(anna, client_for):
    survivor = _mohammed(anna)
    twin = _mohammed(anna)
    response = client_for(anna).post(
        reverse("people:merge", kwargs={"public_id": survivor.public_id}),
        {"merged": twin.public_id, "reason": ""},
    )
    assert response.status_code == 200
    assert (
        "Please answer the question “Why are these the same person?”." in response.content.decode()
    )
    assert not PersonMerge.objects.exists()


def test_another_agency_cannot_decide_a_merge(anna, ben, client_for):
    survivor = _mohammed(anna)
    twin = _mohammed(anna)
    merge = PersonMerge.objects.create(survivor=survivor, merged=twin, proposed_by=anna)
    response = client_for(ben).post(
        reverse("people:merge_decide", kwargs={"pk": merge.pk}), {"decision": "confirm"}
    )
    assert response.status_code == 404
