"""The access core: the acceptance journey and the rules behind it."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone, translation

from lotse.accounts.models import Agency
from lotse.cases.models import JournalEntry
from lotse.cases.selectors import journal_entry_list
from lotse.cases.services import journal_entry_create
from lotse.consent import policy
from lotse.consent.categories import DataCategory
from lotse.consent.models import ConsentGrant
from lotse.consent.services import (
    break_glass_open,
    consent_record,
    consent_withdraw,
    consents_expire,
    legal_basis_save,
)
from lotse.consent.tests.factories import given_consent
from lotse.people import selectors as people
from lotse.people.services import PersonData, person_register

pytestmark = pytest.mark.django_db


def m(user):
    # A fresh membership per call, as a new request would have: no cached decisions.
    return user.primary_membership()


@pytest.fixture
def family(ben):
    """A family the Jugendamt registered, with an entrusted note and a health note."""
    person = person_register(
        data=PersonData(given_names="Amal", family_name="Haddad", birth_date=date(1988, 4, 2)),
        membership=m(ben),
        actor=ben,
    )
    entrusted = journal_entry_create(
        subject=person,
        kind="talk",
        category=DataCategory.YOUTH_WELFARE,
        entrusted=True,
        text="Mother confided worries about the eldest son.",
        membership=m(ben),
        actor=ben,
    )
    health = journal_entry_create(
        subject=person,
        kind="talk",
        category=DataCategory.HEALTH,
        text="Needs trauma therapy.",
        membership=m(ben),
        actor=ben,
    )
    return person, entrusted, health


def _visible_entries(user, person):
    return set(journal_entry_list(membership=m(user), person_id=person.pk))


def test_consent_shows_the_entrusted_note_but_not_health_and_withdrawal_hides_it(
    anna, ben, family, agencies
):
    person, entrusted, health = family
    assert _visible_entries(anna, person) == set()
    assert people.person_list(membership=m(anna)).count() == 0

    consent = consent_record(
        subject=person,
        data=given_consent(
            recipient_agencies=[agencies.kim],
            categories=[DataCategory.IDENTITY, DataCategory.YOUTH_WELFARE],
            purpose="case_management",
            includes_entrusted=True,
        ),
        membership=m(ben),
        actor=ben,
    )
    assert _visible_entries(anna, person) == {entrusted}
    assert list(people.person_list(membership=m(anna))) == [person]
    decision = policy.explain(m(anna), entrusted)
    assert decision.allowed
    assert decision.basis == f"consent:{consent.pk}"
    assert not policy.explain(m(anna), health).allowed

    consent_withdraw(
        declaration=consent, reason="The family asked to stop.", membership=m(ben), actor=ben
    )
    assert _visible_entries(anna, person) == set()
    assert people.person_list(membership=m(anna)).count() == 0


def test_entrusted_notes_need_a_consent_that_includes_them(anna, ben, family, agencies):
    person, entrusted, _health = family
    consent_record(
        subject=person,
        data=given_consent(
            recipient_agencies=[agencies.kim],
            categories=[DataCategory.YOUTH_WELFARE],
            purpose="case_management",
        ),
        membership=m(ben),
        actor=ben,
    )
    assert entrusted not in _visible_entries(anna, person)


def test_a_consent_the_firewall_forbids_is_refused_with_its_citation(ben, family, agencies):
    person, _entrusted, _health = family
    with pytest.raises(ValidationError) as error:
        consent_record(
            subject=person,
            data=given_consent(
                recipient_agencies=[agencies.abh],
                categories=[DataCategory.HEALTH],
                purpose="residence",
            ),
            membership=m(ben),
            actor=ben,
        )
    assert "§ 88 Abs. 2 AufenthG" in str(error.value.message_dict["categories"])
    assert ConsentGrant.objects.count() == 0


def test_legal_basis_opens_a_category_between_agency_kinds(cem, frida, anna, agencies):
    person = person_register(
        data=PersonData(given_names="Rami", family_name="Haddad"), membership=m(anna), actor=anna
    )
    note = journal_entry_create(
        subject=person,
        kind="talk",
        category=DataCategory.WORK,
        text="Looking for work as electrician.",
        membership=m(anna),
        actor=anna,
    )
    assert note not in _visible_entries(cem, person)
    basis = legal_basis_save(
        basis=None,
        from_kind=Agency.Kind.INTEGRATION_OFFICE,
        to_kind=Agency.Kind.JOBCENTER,
        categories=[DataCategory.WORK],
        citation="§ 50 SGB II",
        note="",
        is_active=True,
        membership=m(frida),
        actor=frida,
    )
    assert note in _visible_entries(cem, person)
    assert policy.explain(m(cem), note).basis == f"legal_basis:{basis.pk}"


def test_no_legal_basis_reaches_the_foreigners_authority(frida):
    with pytest.raises(ValidationError) as refused, translation.override("en"):
        legal_basis_save(
            basis=None,
            from_kind=Agency.Kind.INTEGRATION_OFFICE,
            to_kind=Agency.Kind.FOREIGNERS_AUTHORITY,
            categories=[DataCategory.RESIDENCE, DataCategory.HEALTH],
            citation="§ 87 AufenthG",
            note="",
            is_active=True,
            membership=m(frida),
            actor=frida,
        )
    # Each case says what it is: health is closed to everything, residence needs a consent.
    health, residence = refused.value.message_dict["categories"]
    assert "§ 88 Abs. 2 AufenthG" in health
    assert "Health" in health
    assert residence.startswith("Only the person's own consent opens Residence status")


def test_break_glass_opens_the_subject_but_never_entrusted_items(gero, ben, family):
    person, entrusted, health = family
    with pytest.raises(ValidationError):
        break_glass_open(subject=person, reason="too short", membership=m(gero), actor=gero)
    break_glass_open(
        subject=person,
        reason="Child reported in danger tonight, need contacts.",
        membership=m(gero),
        actor=gero,
    )
    visible = _visible_entries(gero, person)
    assert health in visible
    assert entrusted not in visible
    assert policy.explain(m(gero), health).basis.startswith("break_glass:")


def test_expired_consent_no_longer_shows_anything(anna, ben, family, agencies):
    person, _entrusted, health = family
    consent_record(
        subject=person,
        data=given_consent(
            recipient_agencies=[agencies.kim],
            categories=[DataCategory.HEALTH],
            purpose="case_management",
            valid_from=date(2020, 1, 1),
            valid_until=timezone.localdate() - timedelta(days=1),
        ),
        membership=m(ben),
        actor=ben,
    )
    assert health not in _visible_entries(anna, person)
    assert consents_expire() == 1


def test_coordinators_and_the_dpo_see_no_content(emil, frida, ben, family):
    person, _entrusted, _health = family
    for user in (emil, frida):
        assert _visible_entries(user, person) == set()


def test_a_child_under_15_consents_through_a_guardian(ben, agencies):
    child = person_register(
        data=PersonData(
            given_names="Rami",
            family_name="Haddad",
            birth_date=timezone.localdate() - timedelta(days=365 * 10),
        ),
        membership=m(ben),
        actor=ben,
    )
    with pytest.raises(ValidationError) as error:
        consent_record(
            subject=child,
            data=given_consent(
                recipient_agencies=[agencies.kim],
                categories=[DataCategory.EDUCATION],
                purpose="case_management",
            ),
            membership=m(ben),
            actor=ben,
        )
    assert "given_by" in error.value.message_dict


def test_visible_q_is_one_query_for_any_number_of_entries(
    anna, ben, family, agencies, django_assert_num_queries
):
    person, _entrusted, _health = family
    for n in range(20):
        JournalEntry.objects.create(
            subject=person,
            owner_agency=agencies.jugendamt,
            category=DataCategory.YOUTH_WELFARE,
            text=f"n{n}",
            author=ben,
        )
    membership = m(anna)
    policy.visible_q(membership, JournalEntry)  # reads the member's bases once
    with django_assert_num_queries(1):
        list(journal_entry_list(membership=membership, person_id=person.pk))
