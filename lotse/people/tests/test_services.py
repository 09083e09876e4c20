from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from lotse.audit.models import AuditAction, AuditEvent
from lotse.core.models import StaleEditError
from lotse.people import selectors
from lotse.people.choices import BenefitRegime, HouseholdRole, ResidenceKind
from lotse.people.duplicates import ProspectivePerson
from lotse.people.models import (
    DomainTransition,
    Household,
    Person,
    PersonMerge,
    ResidenceStatus,
)
from lotse.people.services import (
    HouseholdData,
    LanguageData,
    MemberData,
    PersonData,
    ResidenceData,
    household_register,
    person_merge_confirm,
    person_merge_propose,
    person_merge_revert,
    person_register,
    person_update,
    residence_status_add,
)

pytestmark = pytest.mark.django_db


def _membership(user):
    return user.primary_membership()


def _register(user, given="Mohammed", family="Al-Hassan", **extra):
    data = PersonData(given_names=given, family_name=family, **extra)
    return person_register(data=data, membership=_membership(user), actor=user)


def test_registering_a_person_gives_a_pseudonymous_id_and_an_audit_event(anna):
    person = _register(anna, birth_date=date(1985, 3, 2), nationalities=["sy"])
    assert person.public_id.startswith("P-")
    assert "Mohammed" not in person.public_id
    assert person.birth_year == 1985
    assert person.nationalities == ["SY"]
    assert person.owner_agency == _membership(anna).agency
    event = AuditEvent.objects.get(action=AuditAction.PERSON_REGISTERED)
    assert event.subject_id == person.pk
    assert "Mohammed" not in str(event.detail)


def test_unknown_country_and_language_codes_name_the_field(anna):
    with pytest.raises(ValidationError) as error:
        _register(anna, nationalities=["XX"])
    assert "nationalities" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        _register(anna, languages=[LanguageData(language="klingon")])
    assert "languages[0].language" in error.value.message_dict
    assert Person.objects.count() == 0


def test_a_birth_date_in_the_future_is_refused(anna):
    with pytest.raises(ValidationError) as error:
        _register(anna, birth_date=date(2999, 1, 1))
    assert "birth_date" in error.value.message_dict


def test_household_is_saved_whole_or_not_at_all(anna):
    members = [
        MemberData(PersonData(given_names="Amal", family_name="Haddad"), HouseholdRole.HEAD),
        MemberData(
            PersonData(given_names="Rami", family_name="Haddad", nationalities=["QQ"]),
            HouseholdRole.CHILD,
        ),
    ]
    with pytest.raises(ValidationError) as error:
        household_register(
            household=HouseholdData(district="barmen"),
            members=members,
            membership=_membership(anna),
            actor=anna,
        )
    assert "members[1].nationalities" in error.value.message_dict
    assert Person.objects.count() == 0
    assert Household.objects.count() == 0


def test_household_members_take_the_household_district(anna):
    household = household_register(
        household=HouseholdData(street="Berliner Str. 1", district="oberbarmen"),
        members=[
            MemberData(PersonData(given_names="Amal", family_name="Haddad"), HouseholdRole.HEAD),
            MemberData(PersonData(given_names="Rami", family_name="Haddad"), HouseholdRole.CHILD),
        ],
        membership=_membership(anna),
        actor=anna,
    )
    assert set(household.members.values_list("district", flat=True)) == {"oberbarmen"}


def test_a_stale_edit_is_refused_and_names_what_changed(anna):
    person = _register(anna)
    first_copy = Person.objects.get(pk=person.pk)
    second_copy = Person.objects.get(pk=person.pk)
    person_update(
        person=first_copy,
        expected_version=1,
        changes={"family_name": "Alhassan"},
        membership=_membership(anna),
        actor=anna,
    )
    with pytest.raises(StaleEditError) as error:
        person_update(
            person=second_copy,
            expected_version=1,
            changes={"family_name": "Hassan", "phone": "0202 123"},
            membership=_membership(anna),
            actor=anna,
        )
    assert "family_name" in error.value.changed_fields
    stored = Person.objects.get(pk=person.pk)
    assert stored.family_name == "Alhassan"
    assert stored.phone == ""
    assert stored.version == 2


def test_renaming_updates_the_search_index(anna):
    person = _register(anna, given="Olena", family="Kovalenko")
    person_update(
        person=person,
        expected_version=person.version,
        changes={"family_name": "Shevchenko"},
        membership=_membership(anna),
        actor=anna,
    )
    hits = selectors.person_search(membership=_membership(anna), query="Shevchenko")
    assert [h.person.pk for h in hits] == [person.pk]
    assert selectors.person_search(membership=_membership(anna), query="Kovalenko") == []


def test_asylum_to_refugee_permit_is_recognised_as_a_change_of_benefit_law(anna):
    person = _register(anna)
    first = residence_status_add(
        person=person,
        data=ResidenceData(kind=ResidenceKind.ASYLUM_PERMISSION, valid_from=date(2023, 1, 10)),
        membership=_membership(anna),
        actor=anna,
    )
    assert first.transition is None
    second = residence_status_add(
        person=person,
        data=ResidenceData(
            kind=ResidenceKind.RESIDENCE_PERMIT,
            paragraph="§ 25 Abs. 2 AufenthG",
            valid_from=date(2024, 5, 1),
            valid_until=date(2027, 4, 30),
        ),
        membership=_membership(anna),
        actor=anna,
    )
    assert second.transition is not None
    assert second.transition.from_regime == BenefitRegime.ASYLBLG
    assert second.transition.to_regime == BenefitRegime.SGB_II
    assert second.transition.effective_from == date(2024, 5, 1)
    assert AuditEvent.objects.filter(action=AuditAction.DOMAIN_TRANSITION_RECOGNISED).exists()


def test_a_residence_permit_needs_its_paragraph(anna):
    person = _register(anna)
    with pytest.raises(ValidationError) as error:
        residence_status_add(
            person=person,
            data=ResidenceData(kind=ResidenceKind.RESIDENCE_PERMIT, valid_from=date(2024, 1, 1)),
            membership=_membership(anna),
            actor=anna,
        )
    assert "paragraph" in error.value.message_dict
    assert ResidenceStatus.objects.count() == 0


def test_history_highlights_the_next_expiry(anna):
    person = _register(anna)
    residence_status_add(
        person=person,
        data=ResidenceData(
            kind=ResidenceKind.RESIDENCE_PERMIT,
            paragraph="§ 24",
            valid_from=date(2025, 1, 1),
            valid_until=date(2026, 1, 31),
        ),
        membership=_membership(anna),
        actor=anna,
    )
    history = selectors.residence_history(
        membership=_membership(anna), person=person, today=date(2025, 12, 1)
    )
    assert history.next_expiry == date(2026, 1, 31)
    assert history.expiry_soon
    assert history.current is not None


def test_another_agency_sees_neither_the_person_nor_their_statuses(anna, ben):
    person = _register(anna)
    residence_status_add(
        person=person,
        data=ResidenceData(kind=ResidenceKind.TOLERATION, valid_from=date(2024, 1, 1)),
        membership=_membership(anna),
        actor=anna,
    )
    from django.http import Http404

    with pytest.raises(Http404):
        selectors.person_get(membership=_membership(ben), public_id=person.public_id)
    assert selectors.person_search(membership=_membership(ben), query="Mohammed") == []
    assert selectors.person_list(membership=_membership(ben)).count() == 0
    history = selectors.residence_history(membership=_membership(ben), person=person)
    assert history.statuses == []


def test_coordinators_and_dpo_see_no_persons(anna, emil, frida):
    _register(anna)
    for user in (emil, frida):
        assert selectors.person_list(membership=_membership(user)).count() == 0
        assert selectors.person_search(membership=_membership(user), query="Mohammed") == []


def test_duplicate_check_shows_own_candidates_and_only_a_hint_for_other_agencies(anna, ben):
    own = _register(anna, birth_date=date(1985, 3, 2), sex="m")
    foreign = _register(ben, given="Muhammad", family="Alhasan", birth_date=date(1985, 3, 2))
    prospective = ProspectivePerson(
        given_names="Mohamad", family_name="Al Hassan", birth_date=date(1985, 3, 2), sex="m"
    )
    report = selectors.duplicate_check(membership=_membership(anna), prospective=prospective)
    assert [c.person.pk for c in report.in_scope] == [own.pk]
    assert report.in_scope[0].tier == "likely"
    assert [a.pk for a in report.other_agencies] == [foreign.owner_agency_id]


def test_namesakes_with_different_birth_dates_are_not_likely_duplicates(anna):
    _register(anna, given="Ahmad", family="Rahimi", birth_date=date(1990, 6, 14), sex="m")
    prospective = ProspectivePerson(
        given_names="Ahmad", family_name="Rahimi", birth_date=date(2012, 2, 3), sex="m"
    )
    report = selectors.duplicate_check(membership=_membership(anna), prospective=prospective)
    assert all(c.tier != "likely" for c in report.in_scope)


def test_year_only_birth_dates_still_match(anna):
    _register(
        anna,
        given="Yusuf",
        family="Haidari",
        birth_date=date(1999, 1, 1),
        birth_date_precision="year",
    )
    prospective = ProspectivePerson(
        given_names="Youssef", family_name="Heidari", birth_date=date(1999, 7, 20)
    )
    report = selectors.duplicate_check(membership=_membership(anna), prospective=prospective)
    assert report.in_scope
    assert report.in_scope[0].tier in {"likely", "possible"}


def test_merge_hides_the_absorbed_record_and_can_be_reverted_until_confirmed(anna):
    survivor = _register(anna)
    merged = _register(anna, given="Muhammad", family="Alhasan")
    merge = person_merge_propose(
        survivor=survivor,
        merged=merged,
        reason="same passport",
        membership=_membership(anna),
        actor=anna,
    )
    hits = selectors.person_search(membership=_membership(anna), query="Mohammed Al-Hassan")
    assert [h.person.pk for h in hits] == [survivor.pk]
    person_merge_revert(merge=merge, membership=_membership(anna), actor=anna)
    assert Person.objects.get(pk=merged.pk).merged_into is None
    with pytest.raises(ValidationError):
        person_merge_confirm(merge=merge, membership=_membership(anna), actor=anna)


def test_confirmed_merge_keeps_both_histories_on_the_survivor(anna):
    survivor = _register(anna)
    merged = _register(anna, given="Muhammad", family="Alhasan")
    residence_status_add(
        person=merged,
        data=ResidenceData(kind=ResidenceKind.TOLERATION, valid_from=date(2022, 1, 1)),
        membership=_membership(anna),
        actor=anna,
    )
    merge = person_merge_propose(
        survivor=survivor, merged=merged, reason="", membership=_membership(anna), actor=anna
    )
    person_merge_confirm(merge=merge, membership=_membership(anna), actor=anna)
    survivor.refresh_from_db()
    assert survivor.residence_statuses.count() == 1
    assert "Muhammad Alhasan" in survivor.aliases
    assert Person.objects.filter(pk=merged.pk).exists()  # nothing is deleted
    assert PersonMerge.objects.get().state == PersonMerge.State.CONFIRMED
    assert DomainTransition.objects.count() == 0
