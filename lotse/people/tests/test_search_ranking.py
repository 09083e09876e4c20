"""Search that explains itself (issue 14): ranking by how much of the query a hit explains,
reasons per hit, filters, too-short queries — and that none of it reveals a hidden person."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from lotse.audit.models import AuditAction, AuditEvent
from lotse.consent import policy
from lotse.consent.categories import DataCategory
from lotse.consent.models import LegalBasis
from lotse.consent.tests.factories import record_directly
from lotse.core.dates import years_before
from lotse.people import names, selectors
from lotse.people.choices import BirthDatePrecision
from lotse.people.models import Person, PersonNameKey
from lotse.people.search import Reason, SearchFilters, parse_query
from lotse.people.tests.factories import HouseholdFactory, PersonFactory
from lotse.people.tests.test_pages import SEARCH_PAGE_QUERIES

pytestmark = pytest.mark.django_db


def _agency(user: Any) -> Any:
    return user.primary_membership().agency


def _person(user: Any, given: str, family: str, **extra: Any) -> Person:
    return PersonFactory.create(
        owner_agency=_agency(user), given_names=given, family_name=family, **extra
    )


def _search(user: Any, query: str, **filters: str) -> list[Any]:
    return selectors.person_search(
        membership=user.primary_membership(), query=query, filters=SearchFilters(**filters)
    )


def _ids(hits: list[Any]) -> list[int]:
    return [hit.person.pk for hit in hits]


def _codes(hit: Any) -> set[str]:
    return {reason.code for reason in hit.reasons}


def _born_years_ago(years: int) -> date:
    return years_before(timezone.localdate(), years)


def _page(client: Any, **params: str) -> str:
    response = client.get(reverse("people:search"), params)
    assert response.status_code == 200
    return str(response.content.decode())


# --- ranking -----------------------------------------------------------------------------------


def test_both_names_rank_above_one_shared_family_name(anna):
    ghada = _person(anna, "Ghada", "Alhussein", birth_date=date(1979, 1, 1))
    mohammad = _person(anna, "Mohammad", "Al-Hassan", birth_date=date(1981, 6, 2))

    hits = _search(anna, "Muhamad Alhasan")

    assert _ids(hits)[0] == mohammad.pk
    # Hussein is no spelling of Hassan: she is no hit at all, or far below.
    assert ghada.pk not in _ids(hits) or _ids(hits).index(ghada.pk) > 0
    assert {Reason.GIVEN_NAME, Reason.FAMILY_NAME} <= _codes(hits[0])


def test_a_name_in_query_order_ranks_above_the_same_names_swapped(anna):
    swapped = _person(anna, "Hassan", "Al-Mohammad")
    written = _person(anna, "Mohamad", "Alhasan")

    assert _ids(_search(anna, "Muhamad Alhasan"))[:2] == [written.pk, swapped.pk]


def test_without_a_date_an_adult_ranks_above_a_baby_of_the_same_name(cem):
    baby = _person(cem, "Jusuf", "Hadad", birth_date=date(2025, 4, 9))
    adult = _person(cem, "Yusuf", "Haddad", birth_date=date(1984, 3, 12))

    hits = _search(cem, "Jusuf Hadad")

    assert _ids(hits)[:2] == [adult.pk, baby.pk]


def test_the_year_of_birth_in_the_query_decides_among_namesakes(cem):
    baby = _person(cem, "Jusuf", "Hadad", birth_date=date(2025, 4, 9))
    adult = _person(cem, "Yusuf", "Haddad", birth_date=date(1984, 3, 12))

    assert _ids(_search(cem, "Jusuf Hadad 2025"))[0] == baby.pk
    hits = _search(cem, "Jusuf Hadad 1984")
    assert _ids(hits)[0] == adult.pk
    assert Reason.BIRTH_YEAR in _codes(hits[0])


def test_an_exact_birth_date_ranks_above_the_year_above_none(anna):
    none = _person(anna, "Karim", "Hadad", birth_date=date(1990, 5, 5))
    year = _person(
        anna,
        "Samir",
        "Hadad",
        birth_date=date(1984, 1, 1),
        birth_date_precision=BirthDatePrecision.YEAR,
    )
    exact = _person(anna, "Amal", "Haddad", birth_date=date(1984, 3, 12))

    hits = _search(anna, "Hadad 12.03.1984")

    assert _ids(hits) == [exact.pk, year.pk, none.pk]
    assert Reason.BIRTH_DATE in _codes(hits[0])
    assert Reason.BIRTH_YEAR in _codes(hits[1])
    assert not {Reason.BIRTH_DATE, Reason.BIRTH_YEAR} & _codes(hits[2])


def test_a_query_may_carry_the_date_in_iso_form_or_the_year_alone(anna):
    person = _person(anna, "Amal", "Haddad", birth_date=date(1984, 3, 12))
    assert parse_query("Haddad 1984-03-12").birth_date == date(1984, 3, 12)
    assert _ids(_search(anna, "1984")) == [person.pk]


def test_each_person_is_one_hit_whatever_their_agency_and_basis(anna, cem, ben, frida):
    """Visibility is checked once per grouped person: own, by consent, by legal basis."""
    own = _person(anna, "Yusuf", "Haddad")
    by_consent = _person(ben, "Yousef", "Hadad")
    record_directly(
        subject=by_consent,
        recorded_by=ben,
        recording_agency=_agency(ben),
        disclosing=[_agency(ben)],
        recipients=[_agency(anna)],
        categories=[DataCategory.IDENTITY],
    )
    by_law = _person(cem, "Youssef", "Hadad")
    LegalBasis.objects.create(
        from_kind=_agency(cem).kind,
        to_kind=_agency(anna).kind,
        categories=[DataCategory.IDENTITY],
        citation="§ 50 SGB II",
    )

    hits = _search(anna, "Jusuf Hadad")

    assert sorted(_ids(hits)) == sorted([own.pk, by_consent.pk, by_law.pk])
    assert all({Reason.GIVEN_NAME, Reason.FAMILY_NAME} <= _codes(hit) for hit in hits)


# --- reasons -----------------------------------------------------------------------------------


def test_a_hit_names_the_spelling_that_matched(anna):
    _person(anna, "Mohammed", "Al-Hassan", aliases=["Mohamad Alhasan"])
    hit = _search(anna, "Mohamad Hassan")[0]
    assert Reason(Reason.SPELLING, "Mohamad") in hit.reasons


def test_a_query_in_arabic_script_says_it_matched_the_original_script(anna):
    _person(anna, "Mohammed", "Al-Hassan", native_name="محمد الحسن")
    hit = _search(anna, "محمد الحسن")[0]
    assert Reason.ORIGINAL_SCRIPT in _codes(hit)


def test_arabic_script_finds_a_name_recorded_only_in_latin_letters(anna):
    schubert = _person(anna, "Franz", "Schubert")
    _person(anna, "Sabine", "Scholz")
    hit = _search(anna, "شوبرت")[0]
    assert hit.person == schubert
    assert Reason.TRANSLITERATED in _codes(hit)


@pytest.mark.parametrize(
    ("arabic", "latin"),
    [("ألفاريز", "alvarez"), ("شتوكهاوزن", "stockhausen"), ("پاکزاد", "pakzad")],
)
def test_cross_script_keys_meet(arabic, latin):
    assert set(names.script_query_keys(arabic)) & set(names.script_name_keys(latin))


def test_a_beginning_of_a_name_is_a_partial_match(anna):
    _person(anna, "Mohammed", "Khoury")
    hit = _search(anna, "Moh Khou")[0]
    assert _codes(hit) >= {Reason.GIVEN_NAME, Reason.FAMILY_NAME, Reason.PARTIAL}


def test_the_page_shows_the_reasons_of_each_hit(anna, client_for):
    person = _person(anna, "Mohammed", "Al-Hassan", birth_date=date(1985, 3, 2))
    body = _page(client_for(anna), q="Mohammed Al-Hassan 1985")
    with translation.override("de"):
        labels = [Reason(Reason.GIVEN_NAME).label, Reason(Reason.BIRTH_YEAR).label]
    row = body.split(f'<span class="lotse-id">{person.public_id}', 1)[0].rsplit("<tr", 1)[1]
    assert 'data-testid="search-reasons"' in row
    assert all(label in row for label in labels)
    # The Lotse ID does not break across lines.
    assert f'<span class="lotse-id">{person.public_id}</span>' in body


# --- too short ---------------------------------------------------------------------------------


@pytest.mark.parametrize("query", ["Al", "m", "al-", "bin al"])
def test_a_too_short_query_says_what_is_needed_and_searches_nothing(anna, client_for, query):
    _person(anna, "Ali", "Alhassan")
    body = _page(client_for(anna), q=query)
    assert 'data-testid="search-too-short"' in body
    assert 'data-testid="search-count"' not in body
    assert not AuditEvent.objects.filter(action=AuditAction.PERSON_SEARCHED).exists()
    assert _search(anna, query) == []


def test_a_short_name_with_a_year_is_enough(anna):
    ali = _person(anna, "Al", "Li", birth_date=date(1984, 2, 2))
    assert not parse_query("Li 1984").too_short
    assert _ids(_search(anna, "Li 1984")) == [ali.pk]


def test_the_search_page_has_one_search_box(anna, client_for):
    body = _page(client_for(anna), q="Haddad")
    assert body.count('type="search"') == 1
    assert 'id="header-search-q"' not in body
    # elsewhere the header keeps its box
    start = client_for(anna).get(reverse("start")).content.decode()
    assert 'id="header-search-q"' in start


# --- filters -----------------------------------------------------------------------------------


def test_filters_narrow_by_age_band_district_and_household(anna):
    child = _person(anna, "Amal", "Haddad", birth_date=_born_years_ago(8), district="barmen")
    young = _person(anna, "Amira", "Haddad", birth_date=_born_years_ago(20), district="barmen")
    adult = _person(anna, "Rasha", "Haddad", birth_date=_born_years_ago(40), district="ronsdorf")
    old = _person(anna, "Samir", "Haddad", birth_date=_born_years_ago(70), district="ronsdorf")
    HouseholdFactory.create(owner_agency=_agency(anna), members=[adult, child])

    assert _ids(_search(anna, "Haddad", age_band="0-17")) == [child.pk]
    assert _ids(_search(anna, "Haddad", age_band="18-26")) == [young.pk]
    assert _ids(_search(anna, "Haddad", age_band="27-64")) == [adult.pk]
    assert _ids(_search(anna, "Haddad", age_band="65+")) == [old.pk]
    assert set(_ids(_search(anna, "Haddad", district="barmen"))) == {child.pk, young.pk}
    assert set(_ids(_search(anna, "Haddad", household="with"))) == {adult.pk, child.pk}
    assert set(_ids(_search(anna, "Haddad", household="without"))) == {young.pk, old.pk}
    assert _ids(_search(anna, "Haddad", district="ronsdorf", household="with")) == [adult.pk]


def test_the_age_band_reads_the_year_of_birth_when_the_date_is_unknown(anna):
    person = _person(anna, "Amal", "Haddad", birth_date=None)
    Person.objects.filter(pk=person.pk).update(birth_year=timezone.localdate().year - 40)
    assert _ids(_search(anna, "Haddad", age_band="27-64")) == [person.pk]
    assert _search(anna, "Haddad", age_band="65+") == []


def test_filters_are_get_parameters_of_the_page(anna, client_for):
    inside = _person(anna, "Amal", "Haddad", district="barmen")
    outside = _person(anna, "Rasha", "Haddad", district="ronsdorf")
    body = _page(client_for(anna), q="Haddad", district="barmen")
    assert inside.public_id in body
    assert outside.public_id not in body
    assert '<option value="barmen" selected>' in body


def test_an_unknown_filter_value_is_named_and_nothing_is_searched(anna, client_for):
    person = _person(anna, "Amal", "Haddad")
    body = _page(client_for(anna), q="Haddad", district="mars")
    assert person.public_id not in body
    assert 'id="id_district_error"' in body


def test_a_household_id_lists_its_visible_members(anna, ben):
    mother = _person(anna, "Amal", "Haddad")
    son = _person(anna, "Karim", "Haddad")
    hidden = _person(ben, "Lina", "Haddad")
    household = HouseholdFactory.create(owner_agency=_agency(anna), members=[mother, son, hidden])

    hits = _search(anna, household.public_id)

    assert set(_ids(hits)) == {mother.pk, son.pk}
    assert all(_codes(hit) == {Reason.HOUSEHOLD} for hit in hits)


# --- no inference ------------------------------------------------------------------------------


def _results(body: str) -> str:
    """The part of the page that depends on the data: count and hits (a note that filters
    are set depends on the request alone)."""
    results = body.split('data-testid="search-count"', 1)[1].split("<footer", 1)[0]
    return re.sub(r'<p class="kern-body" data-testid="filter-note">.*?</p>', "", results)


def test_a_foreign_agency_without_basis_sees_no_hidden_person_nor_a_count(anna, ben, client_for):
    hidden = _person(
        ben, "Jusuf", "Hadad", birth_date=_born_years_ago(9), district="barmen", aliases=["Yusuf"]
    )
    HouseholdFactory.create(owner_agency=_agency(ben), members=[hidden])
    client = client_for(anna)

    pages = [
        _page(client, q="Jusuf Hadad"),
        _page(client, q=hidden.public_id),
        # Filters that would and would not match her must answer alike.
        _page(client, q="Jusuf Hadad", district="barmen"),
        _page(client, q="Jusuf Hadad", district="ronsdorf"),
        _page(client, q="Jusuf Hadad", age_band="0-17"),
        _page(client, q="Jusuf Hadad", age_band="65+"),
        _page(client, q="Jusuf Hadad", household="with"),
        _page(client, q="Jusuf Hadad", household="without"),
        _page(client, q="Hadad", age_band="0-17", district="barmen", household="with"),
    ]
    for body in pages:
        assert hidden.public_id not in _results(body)
        assert "Jusuf Hadad" not in _results(body)
    assert len({_results(body) for body in pages}) == 1
    assert _search(anna, "Jusuf Hadad", district="barmen") == []


def test_a_consented_person_is_found_and_filtered_by_what_the_reader_may_see(anna, ben):
    person = _person(ben, "Jusuf", "Hadad", birth_date=_born_years_ago(9), district="barmen")
    record_directly(
        subject=person,
        recorded_by=ben,
        recording_agency=_agency(ben),
        disclosing=[_agency(ben)],
        recipients=[_agency(anna)],
        categories=[DataCategory.IDENTITY],
    )
    assert _ids(_search(anna, "Jusuf Hadad", district="barmen", age_band="0-17")) == [person.pk]
    assert _search(anna, "Jusuf Hadad", district="ronsdorf") == []


# --- query count -------------------------------------------------------------------------------


@pytest.mark.parametrize("size", [1, 20])
def test_a_filtered_search_page_issues_a_fixed_number_of_queries(
    anna, client_for, django_assert_max_num_queries, size
):
    for index in range(size):
        person = _person(anna, "Mohammed", "Al-Hassan", district="barmen", aliases=["Mohamad"])
        if index % 2:
            HouseholdFactory.create(owner_agency=_agency(anna), members=[person])
    client = client_for(anna)

    with django_assert_max_num_queries(SEARCH_PAGE_QUERIES):
        body = _page(
            client, q="Muhamad Alhasan", district="barmen", household="with", age_band="27-64"
        )

    assert body.count("Mohammed Al-Hassan") == size // 2


def test_the_probed_access_rule_of_search_is_the_policy_s_rule(anna, ben, cem):
    """Search asks the policy to probe consents per row (PostgreSQL would otherwise hash all
    of an agency's grants first); the rows it lets through are exactly the rule's."""
    _person(anna, "Yusuf", "Haddad")
    consented = _person(ben, "Yousef", "Hadad")
    record_directly(
        subject=consented,
        recorded_by=ben,
        recording_agency=_agency(ben),
        disclosing=[_agency(ben)],
        recipients=[_agency(anna)],
        categories=[DataCategory.IDENTITY],
    )
    _person(ben, "Lina", "Hadad")  # hidden
    _person(cem, "Youssef", "Hadad")  # hidden until the legal basis below
    membership = anna.primary_membership()

    def rows(**options: Any) -> set[int]:
        keys = PersonNameKey.objects.filter(policy.visible_q(membership, PersonNameKey, **options))
        return set(keys.values_list("pk", flat=True))

    assert rows(probe=True) == rows()
    LegalBasis.objects.create(
        from_kind=_agency(cem).kind,
        to_kind=_agency(anna).kind,
        categories=[DataCategory.IDENTITY],
        citation="§ 50 SGB II",
    )
    policy.forget(membership)
    assert rows(probe=True) == rows()
    assert len({k.person_id for k in PersonNameKey.objects.filter(pk__in=rows())}) == 3
