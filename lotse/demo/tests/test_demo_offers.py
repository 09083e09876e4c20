"""The demo directory: seeded once, valid, spread over the city, and fitting the story families
— all but the one need left without an offer on purpose. And the bench's bulk offers.

The default demo city (200 families, seed 2017, as ``seed_demo``) and the directory are
seeded once for the module inside a transaction that is rolled back afterwards — as on a
fixed day (:data:`DEMO_DAY`): which family a story casts depends on the ages and arrival
dates of the day the city is seeded (a child coming of age takes a family out of a single
mother's story), so the fit of the one unmet need is checked for the day it was cast on.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import Any
from unittest import mock

import pytest
from django.db import connection, transaction
from django.db.models import Q
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from lotse.accounts.models import Agency
from lotse.cases.models import Assessment, Case, LifeDomain
from lotse.demo import offers as demo
from lotse.demo.bench_directory import BENCH_MARK, seed_bench_offers
from lotse.demo.cases import STORIES, story_cases
from lotse.demo.city import AGENCIES
from lotse.demo.services import demo_city_seed
from lotse.directory.models import (
    Location,
    Offer,
    OfferDistrict,
    OfferDomain,
    OfferLanguage,
    OfferLocation,
    Provider,
    Schedule,
)
from lotse.directory.services import clean_offer_data
from lotse.people.choices import District, HouseholdRole, LanguageLevel
from lotse.people.models import HouseholdMember, Person, PersonLanguage, ResidenceStatus

#: Languages a person can be counselled in.
USABLE = {
    LanguageLevel.NATIVE,
    LanguageLevel.C2,
    LanguageLevel.C1,
    LanguageLevel.B2,
    LanguageLevel.B1,
}
#: Below this age the offer is for the parents too: their languages count.
CHILD_AGE = 16


#: The day the story families were cast and their offers checked.
DEMO_DAY = date(2026, 12, 3)


@pytest.fixture(scope="module", autouse=True)
def on_demo_day() -> Iterator[None]:
    """Django's clock runs on, shifted so that today is :data:`DEMO_DAY`."""
    real_now = timezone.now
    shift = timezone.localdate() - DEMO_DAY

    def shifted_now() -> Any:
        return real_now() - shift

    with mock.patch.object(timezone, "now", shifted_now):
        assert timezone.localdate() == DEMO_DAY  # the shift must reach localdate
        yield


@pytest.fixture(scope="module")
def city(
    on_demo_day: None, django_db_setup: Any, django_db_blocker: Any
) -> Iterator[dict[str, int]]:
    with django_db_blocker.unblock(), transaction.atomic():
        # The demo city seeds its directory itself (``seed_demo_offers``).
        demo_city_seed(families=200, seed=2017)
        yield {
            "providers": Provider.objects.count(),
            "locations": Location.objects.count(),
            "offers": Offer.objects.count(),
        }
        transaction.set_rollback(True)


pytestmark = pytest.mark.usefixtures("city", "db")


def current_offers(today: date | None = None) -> Any:
    today = today or timezone.localdate()
    return Offer.objects.filter(
        Q(valid_from__isnull=True) | Q(valid_from__lte=today),
        Q(valid_until__isnull=True) | Q(valid_until__gte=today),
        status=Offer.Status.ACTIVE,
        provider__status=Provider.Status.APPROVED,
    )


def test_seeding_writes_everything_once(city: dict[str, int]) -> None:
    assert city == {
        "providers": len(demo.PROVIDERS),
        "locations": len(demo.LOCATIONS),
        "offers": len(demo.OFFERS),
    }
    counts = (Provider.objects.count(), Location.objects.count(), Offer.objects.count())
    rows = OfferDomain.objects.count() + Schedule.objects.count()
    assert demo.seed_demo_offers() == {"providers": 0, "locations": 0, "offers": 0}
    assert (Provider.objects.count(), Location.objects.count(), Offer.objects.count()) == counts
    assert OfferDomain.objects.count() + Schedule.objects.count() == rows


def test_about_eighty_offers_each_found_by_its_slug() -> None:
    assert 75 <= len(demo.OFFERS) <= 100
    assert len(set(demo.DEMO_OFFER_SLUGS)) == len(demo.OFFERS)
    for slug in demo.DEMO_OFFER_SLUGS:
        assert demo.demo_offer(slug).name == demo.demo_offer_spec(slug).name
    with pytest.raises(KeyError):
        demo.demo_offer("no-such-offer")


def test_every_offer_is_valid_and_written_as_specified() -> None:
    today = timezone.localdate()
    locations = {s.slug: Location.objects.get(hsds_id=demo.location_hsds_id(s.slug))
                 for s in demo.LOCATIONS}  # fmt: skip
    for spec in demo.OFFERS:
        offer = demo.demo_offer(spec.slug)
        data = clean_offer_data(demo.offer_data(spec, locations, today), provider=offer.provider)
        assert offer.domain_codes == data.domains, spec.slug
        assert set(offer.languages.values_list("code", flat=True)) == set(data.languages)
        assert set(offer.districts.values_list("district", flat=True)) == set(data.districts)
        assert offer.citywide == data.citywide
        assert offer.schedules.count() == len(spec.times)
        assert OfferLocation.objects.filter(offer=offer).count() == len(spec.at)
        for schedule in offer.schedules.all():
            assert schedule.location is None or schedule.location.provider_id == offer.provider_id
        for location in offer.locations.all():
            assert 51.19 < float(location.latitude or 0) < 51.30, location.name
            assert 7.05 < float(location.longitude or 0) < 7.31, location.name


def test_every_district_has_offers_of_its_own() -> None:
    current = current_offers()
    for district in District.values:
        at_home = current.filter(at_locations__location__district=district)
        assert at_home.exists(), district
        assert current.filter(citywide=False, districts__district=district).exists(), district
    assert current.filter(citywide=True).count() > 20


def test_providers_are_linked_to_their_agencies_and_one_awaits_approval() -> None:
    codes = {spec.code for spec in AGENCIES}
    for spec in demo.PROVIDERS:
        provider = Provider.objects.get(hsds_id=demo.provider_hsds_id(spec.slug))
        if spec.agency:
            assert spec.agency in codes
            assert provider.agency == Agency.objects.get(code=spec.agency)
        else:
            assert provider.agency_id is None
    assert Provider.objects.filter(agency__isnull=True).count() >= 15
    proposed = Provider.objects.filter(status=Provider.Status.PROPOSED)
    assert list(proposed.values_list("name", flat=True)) == [
        "Ukrainischer Kulturverein Wuppertal (Demo)"
    ]
    assert not current_offers().filter(provider__in=proposed).exists()
    assert set(Provider.objects.exclude(pk__in=proposed).values_list("status", flat=True)) == {
        Provider.Status.APPROVED
    }


def test_the_directory_shows_every_state() -> None:
    today = timezone.localdate()
    offers = list(Offer.objects.all())
    assert sum(o.waiting_list and o.free_places == 0 for o in offers) >= 4
    assert sum(bool(o.free_places) for o in offers) >= 20
    assert sum(not o.is_public for o in offers) >= 3
    assert sum(o.check_due(today) for o in offers) >= 4
    assert sum(not o.accepts_referrals for o in offers) >= 2
    hidden = [o for o in offers if not o.is_current(today)]
    assert {o.status for o in hidden} >= {Offer.Status.INACTIVE, Offer.Status.TEMPORARILY_CLOSED}
    assert any(o.valid_until is not None and o.valid_until < today for o in hidden)
    assert Offer.objects.exclude(residence_kinds=[]).count() >= 10
    codes = set(OfferLanguage.objects.values_list("code", flat=True))
    assert codes >= {"ar", "fa", "prs", "ku", "kmr", "tr", "ru", "uk", "ti", "so", "en", "fr"}


def test_the_caritas_mbe_speaks_arabic_and_persian() -> None:
    offer = demo.demo_offer(demo.MBE_CARITAS)
    assert offer.name == "Migrationsberatung für Erwachsene (MBE) – Caritas"
    assert offer.provider.agency is not None
    assert offer.provider.agency.code == "car"
    assert {"ar", "fa"} <= set(offer.languages.values_list("code", flat=True))
    assert offer.is_public
    assert offer.is_current()
    assert offer in current_offers()


# --- the story families' needs ------------------------------------------------------------------


def _languages(person: Person) -> set[str]:
    return set(
        PersonLanguage.objects.filter(person=person, level__in=USABLE).values_list(
            "language", flat=True
        )
    )


def _fitting(assessment: Assessment, case: Case) -> list[Offer]:
    """The current offers that fit a need: its life domain, the family's district, the
    person's age, sex and residence status, and a language the person (or, for a child, a
    parent) can be counselled in — a German course fits every language need."""
    person = assessment.subject
    today = timezone.localdate()
    age = person.age_on(today)
    languages = _languages(person)
    if age is not None and age < CHILD_AGE:
        for adult in HouseholdMember.objects.filter(
            household=case.household, role__in=[HouseholdRole.HEAD, HouseholdRole.PARTNER]
        ):
            languages |= _languages(adult.person)
    status = ResidenceStatus.objects.filter(person=person).order_by("-valid_from", "-pk").first()
    district = case.household.district
    found = []
    candidates = current_offers(today).filter(domain_rows__domain=assessment.domain)
    for offer in candidates.prefetch_related("languages", "districts"):
        codes = {row.code for row in offer.languages.all()}
        if not (codes & languages or (assessment.domain == LifeDomain.LANGUAGE and "de" in codes)):
            continue
        if not offer.citywide and district not in {d.district for d in offer.districts.all()}:
            continue
        if age is not None and (
            (offer.minimum_age is not None and age < offer.minimum_age)
            or (offer.maximum_age is not None and age > offer.maximum_age)
        ):
            continue
        if offer.sexes and person.sex not in offer.sexes:
            continue
        if offer.residence_kinds and (status is None or status.kind not in offer.residence_kinds):
            continue
        found.append(offer)
    return found


def _story_cases() -> dict[str, Case]:
    cases = list(story_cases().select_related("household").order_by("pk"))
    assert len(cases) == len(STORIES)  # the default demo city finds a family for every story
    return {story.key: case for story, case in zip(STORIES, cases, strict=True)}


def _unmet(case: Case) -> list[Assessment]:
    _story, who, domain = demo.UNMET_NEED
    head = HouseholdMember.objects.get(household=case.household, role=HouseholdRole.HEAD)
    assert who == "head"
    return list(
        Assessment.objects.filter(case=case, subject=head.person, domain=domain, need__gte=2)
    )


def test_every_need_of_the_story_families_has_a_fitting_offer_but_one() -> None:
    cases = _story_cases()
    unmet = {a.pk for a in _unmet(cases[demo.UNMET_NEED[0]])}
    missing = []
    needs = 0
    for key, case in cases.items():
        for assessment in Assessment.objects.filter(case=case, need__gte=2).select_related(
            "subject"
        ):
            needs += 1
            if assessment.pk in unmet:
                continue
            if not _fitting(assessment, case):
                missing.append((key, assessment.subject.given_names, assessment.domain))
    assert needs > 40
    assert missing == []


def test_the_unmet_need_has_no_offer_in_its_domain_and_language() -> None:
    case = _story_cases()[demo.UNMET_NEED[0]]
    [assessment] = _unmet(case)
    assert _fitting(assessment, case) == []
    languages = _languages(assessment.subject)
    assert languages  # Ukrainian in the default demo city; German only A2
    assert (
        not current_offers()
        .filter(domain_rows__domain=assessment.domain, languages__code__in=languages)
        .exists()
    )
    # Nor is there psychotherapy or any other health offer in Tigrinya.
    assert not Offer.objects.filter(domain_rows__domain="health", languages__code="ti").exists()


def test_the_language_course_fits_the_partner_who_needs_a_course_with_childcare() -> None:
    case = _story_cases()["planning-after-change-of-benefit-law"]
    partner = HouseholdMember.objects.get(household=case.household, role=HouseholdRole.PARTNER)
    [need] = Assessment.objects.filter(case=case, subject=partner.person, domain="language")
    assert need.need == 3
    course = demo.demo_offer(demo.LANGUAGE_COURSE)
    assert course in _fitting(need, case)
    assert "childcare" in course.domain_codes
    assert course.free_places


# --- the bench ----------------------------------------------------------------------------------


def test_bench_offers_are_bulk_inserted_with_their_rows() -> None:
    before = Offer.objects.count()
    with CaptureQueriesContext(connection) as captured:
        seed_bench_offers(count=200, seed=3)
    assert Offer.objects.count() == before + 200
    # Batches, not rows: SQLite splits a batch by its limit of query parameters.
    assert len(captured.captured_queries) <= 30
    bench = Offer.objects.filter(provider__alternate_name=BENCH_MARK)
    assert bench.count() == 200
    assert Provider.objects.filter(alternate_name=BENCH_MARK).count() == 20
    assert OfferDomain.objects.filter(offer__in=bench, position=0).count() == 200
    assert OfferLocation.objects.filter(offer__in=bench).count() >= 200
    assert Schedule.objects.filter(offer__in=bench).count() >= 200
    assert OfferLanguage.objects.filter(offer__in=bench).count() >= 200
    local = bench.filter(citywide=False)
    assert local.exists()
    assert OfferDistrict.objects.filter(offer__in=local).values("offer").distinct().count() == (
        local.count()
    )
    assert not OfferDistrict.objects.filter(offer__in=bench.filter(citywide=True)).exists()
    for offer in bench.prefetch_related("at_locations__location")[:50]:
        for at in offer.at_locations.all():
            assert at.location.provider_id == offer.provider_id
    assert len({o.name for o in bench}) > 50
    with CaptureQueriesContext(connection) as again:
        seed_bench_offers(count=200, seed=3)
    assert Offer.objects.count() == before + 200
    assert len(again.captured_queries) <= 3
