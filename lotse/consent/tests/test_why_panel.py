""" "Warum sehe ich das?": the basis with its consent or legal basis linked, purpose and
information, and who else sees the item — never an agency the reader may not know of."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation

from lotse.accounts.models import Agency, User
from lotse.accounts.tests.factories import acting
from lotse.cases.models import JournalEntry
from lotse.consent.categories import DataCategory
from lotse.consent.models import ConsentPurpose, LegalBasis
from lotse.consent.services import consent_record
from lotse.consent.tests.factories import given_consent, record_directly
from lotse.consent.why import why_lines
from lotse.people.models import Person
from lotse.people.services import PersonData, person_register

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english() -> Any:
    """The panel's texts in their source language."""
    with translation.override("en"):
        yield


@pytest.fixture
def client_for(client_for: Any) -> Any:
    def make(user: Any) -> Any:
        client = client_for(user)
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
        return client

    return make


def _person(user: User, given: str = "Samira", family: str = "Haddad") -> Person:
    return person_register(
        data=PersonData(given_names=given, family_name=family, birth_date=date(1990, 1, 1)),
        membership=acting(user),
        actor=user,
    )


def _consent(user: User, person: Person, recipients: list[Agency], categories: list[str]) -> Any:
    return consent_record(
        subject=person,
        data=given_consent(
            recipient_agencies=recipients,
            categories=categories,
            purpose=ConsentPurpose.REFERRAL,
            purpose_text="Sprachkurs finden",
        ),
        membership=acting(user),
        actor=user,
    )


def _others(line: Any) -> dict[str, str]:
    return {other.agency: other.by for other in line.others}


def test_own_data_names_the_agency_once_and_lists_who_else_sees_it(anna, agencies, client_for):
    person = _person(anna)
    _consent(anna, person, [agencies.caritas], [DataCategory.IDENTITY])
    LegalBasis.objects.create(
        from_kind=Agency.Kind.INTEGRATION_OFFICE,
        to_kind=Agency.Kind.JOBCENTER,
        categories=[DataCategory.IDENTITY],
        citation="§ 1 Test",
    )
    html = (
        client_for(anna)
        .get(reverse("people:person_detail", kwargs={"public_id": person.public_id}))
        .content.decode()
    )
    line = html.split('data-testid="why-line"', 1)[1].split("</li>\n      \n", 1)[0]
    assert "Recorded by your agency." in line
    assert "KIM Integration" not in line.split("Who else sees this", 1)[0]
    others = line.split('data-testid="why-others"', 1)[1]
    assert "Caritas" in others
    assert "consent" in others
    assert "Jobcenter" in others
    assert "legal basis" in others


def test_a_consent_is_linked_with_its_purpose_and_information(anna, ben, agencies):
    person = _person(ben)
    consent = _consent(ben, person, [agencies.kim], [DataCategory.IDENTITY, DataCategory.WORK])
    (line,) = why_lines(acting(anna), [("Identity", person)])
    assert not line.own
    assert line.agency == "Jugendamt"
    assert line.link == reverse("consent:detail", kwargs={"pk": consent.pk})
    assert "Samira Haddad" in line.link_text
    assert "Referral" in line.purpose
    assert "Sprachkurs finden" in line.purpose
    assert "Work, qualification, recognition" in line.categories
    assert _others(line) == {"Jugendamt": "recorded it"}


def test_a_legal_basis_is_linked_by_its_citation(cem, ben):
    person = _person(ben)
    LegalBasis.objects.create(
        from_kind=Agency.Kind.YOUTH_WELFARE_OFFICE,
        to_kind=Agency.Kind.JOBCENTER,
        categories=[DataCategory.IDENTITY],
        citation="§ 69 SGB X (Test)",
        note="Für die Eingliederung.",
    )
    (line,) = why_lines(acting(cem), [("Identity", person)])
    assert line.link == reverse("consent:legal_bases")
    assert line.link_text == "§ 69 SGB X (Test)"
    assert line.purpose == "Für die Eingliederung."
    assert line.categories == ("Identity and contact",)


def test_a_consent_between_other_agencies_is_never_listed(anna, ben, cem, agencies):
    """The Jobcenter sees the Jugendamt's person by a consent that does not name KIM: KIM's
    panel must not tell that the family works with the Jobcenter — and the other way round."""
    person = _person(ben)
    _consent(ben, person, [agencies.kim], [DataCategory.IDENTITY])
    _consent(ben, person, [agencies.jobcenter], [DataCategory.IDENTITY])
    (for_kim,) = why_lines(acting(anna), [("Identity", person)])
    assert _others(for_kim) == {"Jugendamt": "recorded it"}
    (for_jobcenter,) = why_lines(acting(cem), [("Identity", person)])
    assert _others(for_jobcenter) == {"Jugendamt": "recorded it"}
    # The recorder passes the data on under both: it may know both recipients.
    (for_jugendamt,) = why_lines(acting(ben), [("Identity", person)])
    assert _others(for_jugendamt) == {"KIM Integration": "consent", "Jobcenter": "consent"}


def test_recipients_of_one_consent_see_each_other(anna, ben, cem, agencies):
    person = _person(ben)
    _consent(ben, person, [agencies.kim, agencies.jobcenter], [DataCategory.IDENTITY])
    (line,) = why_lines(acting(anna), [("Identity", person)])
    assert _others(line) == {"Jugendamt": "recorded it", "Jobcenter": "consent"}


def test_firewall_rules_keep_the_foreigners_authority_off_the_list(anna, dora, agencies):
    person = _person(anna)
    health = JournalEntry.objects.create(
        subject=person,
        owner_agency=agencies.kim,
        category=DataCategory.HEALTH,
        text="Therapie",
        author=anna,
    )
    work = JournalEntry.objects.create(
        subject=person,
        owner_agency=agencies.kim,
        category=DataCategory.WORK,
        text="Bewerbung",
        author=anna,
    )
    # A basis that a firewall rule overrides, and a consent that names the authority for
    # health: neither opens health data to it (§ 88 AufenthG), so neither is listed.
    LegalBasis.objects.create(
        from_kind=Agency.Kind.INTEGRATION_OFFICE,
        to_kind=Agency.Kind.FOREIGNERS_AUTHORITY,
        categories=[DataCategory.HEALTH, DataCategory.WORK],
        citation="§ 0 Test",
    )
    record_directly(
        subject=person,
        recorded_by=anna,
        recording_agency=agencies.kim,
        disclosing=[agencies.kim],
        recipients=[agencies.abh],
        categories=[DataCategory.HEALTH],
    )
    health_line, work_line = why_lines(acting(anna), [("Health", health), ("Work", work)])
    assert "Ausländerbehörde" not in _others(health_line)
    # work reaches the authority by explicit consent only, never by a legal basis
    assert "Ausländerbehörde" not in _others(work_line)


def test_the_panel_answers_with_a_fixed_number_of_queries(
    anna, ben, agencies, django_assert_max_num_queries
):
    persons = [_person(ben, f"Name{index}", "Test") for index in range(10)]
    for person in persons:
        _consent(ben, person, [agencies.kim, agencies.jobcenter], [DataCategory.IDENTITY])
    membership = acting(anna)
    why_lines(membership, [("Identity", persons[0])])  # the member's access context, once
    with django_assert_max_num_queries(8):
        lines = why_lines(membership, [("Identity", person) for person in persons])
    assert all(
        _others(line) == {"Jugendamt": "recorded it", "Jobcenter": "consent"} for line in lines
    )
