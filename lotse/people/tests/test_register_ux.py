"""The registration form without friction: honest labels, pickers that take names, one duplicate
question with no answer given beforehand, and an explicit choice for a person who already lives
in another household (never silently a member of two)."""

from __future__ import annotations

import json
import re
from datetime import date
from typing import Any

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from lotse.audit.models import AuditAction, AuditEvent
from lotse.consent.categories import DataCategory
from lotse.consent.tests.factories import record_directly
from lotse.people.models import Household, HouseholdDeparture, Person
from lotse.people.pickers import parse_countries, parse_languages
from lotse.people.services import HouseholdData, MemberData, household_register
from lotse.people.tests.factories import HouseholdFactory, PersonFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def client_for(client_for: Any) -> Any:
    """The cast's clients, reading the pages in English (the source language of the texts)."""

    def make(user: Any, language: str = "en") -> Any:
        client = client_for(user)
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
        return client

    return make


def _agency(user: Any) -> Any:
    return user.primary_membership().agency


def _row(index: int, given: str, family: str, **extra: str) -> dict[str, str]:
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


def _post(*rows: dict[str, str], **address: str) -> dict[str, str]:
    data = {
        "street": "Berliner Straße 12",
        "postcode": "42275",
        "city": "Wuppertal",
        "district": "oberbarmen",
        "members-TOTAL_FORMS": str(len(rows)),
        "members-INITIAL_FORMS": "0",
        "members-MIN_NUM_FORMS": "1",
        "members-MAX_NUM_FORMS": "20",
    }
    data.update(address)
    for row in rows:
        data.update(row)
    return data


def _label(body: str, field_id: str) -> str:
    found = re.search(rf'<label class="kern-label" for="{field_id}">(.*?)</label>', body, re.S)
    assert found, field_id
    return found.group(1)


def _register(client: Any, data: dict[str, str]) -> Any:
    return client.post(reverse("people:register"), data)


# --- labels --------------------------------------------------------------------------------------


def test_required_name_fields_are_not_labelled_optional(anna, client_for):
    body = client_for(anna).get(reverse("people:register")).content.decode()

    for required in ("id_members-0-given_names", "id_members-0-family_name"):
        assert "optional" not in _label(body, required), required
        tag = re.search(rf'<input[^>]*id="{required}"[^>]*>', body)
        assert tag is not None
        assert 'aria-required="true"' in tag.group(0), required
    for optional in ("id_members-0-birth_date", "id_members-0-nationalities"):
        assert "optional" in _label(body, optional), optional


def test_a_missing_family_name_is_refused_where_the_label_said_it_is_needed(anna, client_for):
    response = _register(client_for(anna), _post(_row(0, "Amal", "")))

    assert "Member 1 – Family name: Enter the family name." in response.content.decode()
    assert Person.objects.count() == 0


def test_an_added_row_starts_unanswered_not_with_the_first_option(anna, client_for):
    data = _post(_row(0, "Amal", "Haddad"))
    data["add_member"] = "1"
    body = _register(client_for(anna), data).content.decode()

    row = body.split('id="members-1"')[1]
    assert re.search(r'<option value="x" selected>', row), "sex: not specified"
    assert re.search(r'<option value="exact" selected>', row)
    assert re.search(r'<option value="" selected>', row), "role: still to choose"


# --- pickers -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "codes"),
    [
        ("Syrien", ["SY"]),
        ("syrien, Türkei", ["SY", "TR"]),
        ("Afghanistan; Iran", ["AF", "IR"]),
        ("Eritrea", ["ER"]),
        ("Kosovo", ["XK"]),
        ("Palästina", ["PS"]),
        ("Russland", ["RU"]),
        ("Syria", ["SY"]),
        ("SY, ua", ["SY", "UA"]),
    ],
)
def test_countries_are_typed_by_their_german_names_and_stored_as_codes(typed, codes):
    assert parse_countries(typed) == codes


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("Kurdisch (Kurmandschi): Erstsprache", [("kmr", "native")]),
        ("Kurmanci", [("kmr", "native")]),
        ("Sorani: B1", [("ckb", "b1")]),
        ("Dari, Paschtu: A2", [("prs", "native"), ("ps", "a2")]),
        ("Tigrinya, Somali", [("ti", "native"), ("so", "native")]),
        ("Arabisch: Erstsprache, Deutsch: A2", [("ar", "native"), ("de", "a2")]),
        ("Persisch (Farsi): C1, farsi", [("fa", "c1"), ("fa", "native")]),
        ("Türkisch, Ukrainisch: B2, Russisch: keine Kenntnisse", [
            ("tr", "native"), ("uk", "b2"), ("ru", "none")
        ]),
        ("Deutsch A1", [("de", "a1")]),
        ("ar, de:A2", [("ar", "native"), ("de", "a2")]),
        ("Arabic: first language, German: B1", [("ar", "native"), ("de", "b1")]),
    ],
)  # fmt: skip
def test_languages_are_typed_by_name_with_a_level_and_stored_as_before(typed, stored):
    assert [(e.language, e.level) for e in parse_languages(typed)] == stored


def test_an_unknown_name_is_refused_naming_the_entry_and_a_close_one():
    with translation.override("en"):
        with pytest.raises(ValidationError) as refused:
            parse_countries("Syrein, Atlantis")
        assert refused.value.messages == [
            "Unknown country “Syrein”. Did you mean “Syria”?",
            "Unknown country “Atlantis”.",
        ]
        with pytest.raises(ValidationError) as level:
            parse_languages("Deutsch: Z9")
        assert level.value.messages == [
            "Unknown level “Z9” for German: give A1 to C2 or “first language”."
        ]


def test_the_page_takes_names_and_stores_codes(anna, client_for):
    data = _post(
        _row(
            0,
            "Amal",
            "Haddad",
            nationalities="Syrien, Türkei",
            languages="Arabisch: Erstsprache, Kurdisch (Kurmandschi): B1, Deutsch: A2",
        ),
        _row(1, "Lina", "Haddad", nationalities="syrien", languages="Arabisch"),
    )
    response = _register(client_for(anna), data)

    assert response.status_code == 302
    amal = Person.objects.get(given_names="Amal")
    assert amal.nationalities == ["SY", "TR"]
    assert list(amal.languages.order_by("pk").values_list("language", "level")) == [
        ("ar", "native"),
        ("kmr", "b1"),
        ("de", "a2"),
    ]
    assert Person.objects.get(given_names="Lina").nationalities == ["SY"]


def test_an_unknown_name_on_the_page_names_the_row_and_the_field(anna, client_for):
    data = _post(
        _row(0, "Amal", "Haddad", nationalities="Atlantis"),
        _row(1, "Lina", "Haddad", languages="Arabisch, Elbisch: C2"),
    )
    body = _register(client_for(anna), data).content.decode()

    assert "Member 1 – Nationalities: Unknown country “Atlantis”." in body
    assert "Member 2 – Languages: Unknown language “Elbisch”." in body
    assert 'href="#id_members-1-languages"' in body
    assert Person.objects.count() == 0


def test_the_pickers_offer_german_names_from_the_apps_own_files(anna, client_for):
    body = client_for(anna, "de").get(reverse("people:register")).content.decode()

    assert 'list="picker-countries"' in body
    assert 'list="picker-languages"' in body
    for name in ("Syrien", "Eritrea", "Afghanistan"):
        assert f'<option value="{name}"' in body
    for name in ("Kurdisch (Kurmandschi)", "Kurdisch (Sorani)", "Dari", "Paschtu", "Tigrinya"):
        assert f'<option value="{name}"' in body
    assert 'data-match="Kurmanci | Kurmandschi' in body or "Kurmanji" in body
    # The script and its styles come from the app's static files, not from a CDN.
    assert "/static/people/picker.js" in body
    assert "https://" not in body.split("</head>")[0]


def test_the_edit_page_shows_nationalities_by_name(anna, client_for):
    person = PersonFactory.create(owner_agency=_agency(anna), nationalities=["SY", "AF"])
    body = (
        client_for(anna)
        .get(reverse("people:person_edit", kwargs={"public_id": person.public_id}))
        .content.decode()
    )
    assert 'value="Syria, Afghanistan"' in body


# --- the duplicate question ----------------------------------------------------------------------


def _mohammed(user: Any, **extra: Any) -> Person:
    values: dict[str, Any] = {
        "owner_agency": _agency(user),
        "given_names": "Mohammed",
        "family_name": "Al-Hassan",
        "birth_date": date(1985, 3, 2),
        "district": "vohwinkel",
        **extra,
    }
    return PersonFactory.create(**values)


def _probe(**fields: str) -> dict[str, str]:
    data = {"prefix": "members-0"}
    data.update({f"members-0-{name}": value for name, value in fields.items()})
    return data


MOHAMMED = {"given_names": "Muhammad", "family_name": "Alhasan", "birth_date": "1985-03-02"}


def test_the_question_has_no_answer_given_beforehand(anna, client_for):
    _mohammed(anna)
    body = (
        client_for(anna)
        .post(reverse("people:duplicate_check"), _probe(**MOHAMMED))
        .content.decode()
    )

    assert body.count('name="members-0-existing"') == 2  # the candidate, "a different person"
    assert " checked" not in body
    assert "not_duplicate" not in body  # one question, not a radio and a checkbox


def test_each_candidate_shows_what_it_takes_to_decide(anna, client_for):
    mohammed = _mohammed(anna)
    HouseholdFactory.create(
        owner_agency=_agency(anna),
        street="Kaiserstraße 7",
        postcode="42329",
        district="vohwinkel",
        members=[mohammed],
    )
    body = (
        client_for(anna)
        .post(reverse("people:duplicate_check"), _probe(**MOHAMMED))
        .content.decode()
    )

    assert "02/03/1985" in body  # the date of birth
    assert "Vohwinkel" in body  # the district
    assert "Household Al-Hassan, Kaiserstraße 7, 42329 Wuppertal" in body
    assert "Registered by: KIM Integration" in body
    assert mohammed.public_id in body


def test_saving_without_an_answer_is_refused_and_each_answer_saves(anna, client_for):
    mohammed = _mohammed(anna)
    client = client_for(anna)
    row = _row(0, "Muhammad", "Alhasan", birth_date="1985-03-02")

    refused = _register(client, _post(row, _row(1, "Lina", "Alhasan")))
    assert "choose the existing person, or “a different person”" in refused.content.decode()
    assert Household.objects.count() == 0

    as_new = _register(client, _post({**row, "members-0-existing": "new"}, street="", postcode=""))
    assert as_new.status_code == 302
    assert Person.objects.filter(given_names="Muhammad").count() == 1

    existing = {**row, "members-0-existing": mohammed.public_id}
    joined = _register(client, _post(existing, _row(1, "Lina", "Alhasan")))
    assert joined.status_code == 302
    household = Household.objects.get()
    assert mohammed in household.members.all()


def test_another_agencys_person_is_only_a_hint_without_her_data(anna, ben, client_for):
    theirs = _mohammed(ben, native_name="محمد الحسن", district="ronsdorf")
    HouseholdFactory.create(
        owner_agency=_agency(ben), street="Geheimweg 9", postcode="42369", members=[theirs]
    )
    body = (
        client_for(anna)
        .post(reverse("people:duplicate_check"), _probe(**MOHAMMED))
        .content.decode()
    )

    assert "A possible match is known to Jugendamt — ask the family for consent" in body
    for leaked in (
        "Mohammed",
        "Al-Hassan",
        "محمد",
        theirs.public_id,
        "1985",
        "Ronsdorf",
        "Geheimweg",
        "42369",
        'name="members-0-existing"',
    ):
        assert leaked not in body, leaked


def test_the_hint_is_the_same_whatever_else_was_typed(anna, ben, client_for):
    """The hidden birth date cannot be probed through the hint (tests/test_adversarial.py)."""
    _mohammed(ben)
    client = client_for(anna)
    answers = {
        client.post(
            reverse("people:duplicate_check"),
            _probe(given_names="Muhammad", family_name="Alhasan", birth_date=day),
        ).content.decode()
        for day in ("1985-03-02", "1950-01-01", "2001-12-24", "")
    }
    assert len(answers) == 1


def test_the_panel_needs_the_same_queries_for_one_candidate_or_five(anna, client_for):
    def queries(count: int, given: str, family: str, typed: dict[str, str]) -> int:
        for _index in range(count):
            # Namesakes born the same day: every one is a candidate.
            person = _mohammed(anna, given_names=given, family_name=family, sex="x")
            HouseholdFactory.create(owner_agency=_agency(anna), members=[person])
        client = client_for(anna)
        with CaptureQueriesContext(connection) as captured:
            response = client.post(reverse("people:duplicate_check"), _probe(**typed))
        assert response.content.decode().count('data-testid="duplicate-candidate"') == count
        return len(captured)

    one = queries(1, "Mohammed", "Al-Hassan", MOHAMMED)
    jusuf = {"given_names": "Jusuf", "family_name": "Hadad", "birth_date": "1985-03-02"}
    assert queries(5, "Yusuf", "Haddad", jusuf) == one


# --- a chosen person who lives in another household ----------------------------------------------


def _lives_with_family(user: Any) -> tuple[Person, Household]:
    mohammed = _mohammed(user)
    old = HouseholdFactory.create(
        owner_agency=_agency(user), street="Alte Gasse 1", members=[mohammed]
    )
    return mohammed, old


def _choose(person: Person, answer: str = "") -> dict[str, str]:
    row = {
        **_row(0, "Muhammad", "Alhasan", birth_date="1985-03-02"),
        "members-0-existing": person.public_id,
    }
    if answer:
        row[f"members-0-elsewhere-{person.public_id}"] = answer
    return row


def test_a_person_who_lives_elsewhere_is_never_silently_in_two_households(anna, client_for):
    mohammed, old = _lives_with_family(anna)
    response = _register(client_for(anna), _post(_choose(mohammed), _row(1, "Lina", "Alhasan")))

    body = response.content.decode()
    assert response.status_code == 200
    assert "already lives in another household" in body
    assert 'data-testid="other-household"' in body
    assert f'name="members-0-elsewhere-{mohammed.public_id}" id="members-0-elsewhere-1-move"' in (
        body
    )
    assert " checked" not in body.split('data-testid="other-household"')[1].split("</fieldset>")[0]
    assert Household.objects.count() == 1
    assert list(mohammed.households.all()) == [old]


def test_moving_here_ends_the_old_membership_with_its_date(anna, client_for):
    mohammed, old = _lives_with_family(anna)
    response = _register(
        client_for(anna), _post(_choose(mohammed, "move"), _row(1, "Lina", "Alhasan"))
    )

    assert response.status_code == 302
    new = Household.objects.exclude(pk=old.pk).get()
    assert list(mohammed.households.all()) == [new]
    departure = HouseholdDeparture.objects.get()
    assert (departure.household, departure.person, departure.moved_to) == (old, mohammed, new)
    assert departure.moved_out_on == timezone.localdate()
    old.refresh_from_db()
    assert old.version == 2
    event = AuditEvent.objects.get(action=AuditAction.HOUSEHOLD_MEMBER_MOVED_OUT)
    assert (event.target_id, event.subject_id) == (str(old.pk), mohammed.pk)


def test_staying_there_as_well_links_both_households(anna, client_for):
    mohammed, _old = _lives_with_family(anna)
    response = _register(
        client_for(anna), _post(_choose(mohammed, "link"), _row(1, "Lina", "Alhasan"))
    )

    assert response.status_code == 302
    assert mohammed.households.count() == 2
    assert not HouseholdDeparture.objects.exists()


def test_leaving_her_out_registers_the_others_without_her(anna, client_for):
    mohammed, old = _lives_with_family(anna)
    response = _register(
        client_for(anna), _post(_choose(mohammed, "leave"), _row(1, "Lina", "Alhasan"))
    )

    assert response.status_code == 302
    new = Household.objects.exclude(pk=old.pk).get()
    assert [m.person.given_names for m in new.memberships.all()] == ["Lina"]
    assert list(mohammed.households.all()) == [old]


def test_a_move_out_of_another_agencys_household_is_not_offered(anna, ben, agencies, client_for):
    theirs = _mohammed(ben)
    HouseholdFactory.create(owner_agency=agencies.jugendamt, street="Amtsweg 2", members=[theirs])
    record_directly(
        subject=theirs,
        recorded_by=ben,
        recording_agency=agencies.jugendamt,
        disclosing=[agencies.jugendamt],
        recipients=[agencies.kim],
        categories=[DataCategory.IDENTITY],
    )
    client = client_for(anna)
    panel = client.post(
        reverse("people:duplicate_check"),
        {**_probe(**MOHAMMED), "members-0-existing": theirs.public_id},
    ).content.decode()
    assert "-move" not in panel
    assert "was registered by Jugendamt: only they can record" in panel

    moved = _register(client, _post(_choose(theirs, "move"), _row(1, "Lina", "Alhasan")))
    assert "only they can record that this person moved out" in moved.content.decode()
    assert theirs.households.count() == 1

    linked = _register(client, _post(_choose(theirs, "link"), _row(1, "Lina", "Alhasan")))
    assert linked.status_code == 302
    assert theirs.households.count() == 2


def test_the_service_refuses_a_second_household_without_a_decision(anna):
    mohammed, _old = _lives_with_family(anna)
    membership = anna.primary_membership()

    with pytest.raises(ValidationError) as refused:
        household_register(
            household=HouseholdData(street="Neue Straße 1"),
            members=[MemberData(person=None, role="head", existing=mohammed)],
            membership=membership,
            actor=anna,
        )
    assert "members[0].elsewhere" in refused.value.message_dict
    assert mohammed.households.count() == 1


def test_the_api_asks_the_same_question(anna, client_for):
    mohammed, old = _lives_with_family(anna)
    client = client_for(anna)

    def post(member: dict[str, Any]) -> Any:
        return client.post(
            "/api/v1/households",
            data=json.dumps({"street": "Neue Straße 1", "members": [member]}),
            content_type="application/json",
        )

    refused = post({"person": mohammed.public_id, "role": "head"})
    assert refused.status_code == 422
    assert "elsewhere" in refused.content.decode()
    moved = post({"person": mohammed.public_id, "role": "head", "elsewhere": "move"})
    assert moved.status_code == 201
    assert list(mohammed.households.exclude(pk=old.pk)) == list(mohammed.households.all())
