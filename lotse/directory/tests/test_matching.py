"""Needs matching: ranking with reasons, hard conditions, and no inference from what the
reader may not see."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from lotse.accounts.tests.factories import acting
from lotse.audit.models import AuditAction, AuditEvent
from lotse.cases.models import Assessment, UnmetNeed
from lotse.cases.services import assessment_record, case_open
from lotse.directory.matching import NeedProfile, PersonProfile, match_needs
from lotse.directory.models import (
    Location,
    Offer,
    OfferDistrict,
    OfferDomain,
    OfferLanguage,
    OfferLocation,
    Provider,
)
from lotse.people.models import PersonLanguage, ResidenceStatus
from lotse.people.tests.factories import HouseholdFactory, PersonFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def in_english() -> Any:
    # The reasons are UI texts; read them in English whatever the catalogue holds.
    with translation.override("en"):
        yield


@pytest.fixture
def provider(agencies: Any) -> Provider:
    return Provider.objects.create(
        name="Caritas", description="Beratung", agency=agencies.caritas, status="approved"
    )


def make_offer(
    provider: Provider,
    name: str,
    *,
    domains: tuple[str, ...] = ("language",),
    languages: tuple[str, ...] = (),
    district: str = "",
    citywide: bool = True,
    **fields: Any,
) -> Offer:
    offer = Offer.objects.create(
        provider=provider, name=name, description=name, citywide=citywide, **fields
    )
    for position, domain in enumerate(domains):
        OfferDomain.objects.create(offer=offer, domain=domain, position=position)
    for code in languages:
        OfferLanguage.objects.create(offer=offer, code=code)
    if district:
        location = Location.objects.create(provider=provider, name=f"{name} Ort", district=district)
        OfferLocation.objects.create(offer=offer, location=location)
        if not citywide:
            OfferDistrict.objects.create(offer=offer, district=district)
    return offer


def need(**kwargs: Any) -> NeedProfile:
    person = PersonProfile(
        age=kwargs.pop("age", 34),
        languages=kwargs.pop("languages", ("ar",)),
        residence_kind=kwargs.pop("residence_kind", ""),
    )
    return NeedProfile(
        key="language",
        domain=kwargs.pop("domain", "language"),
        level=3,
        persons=(person,),
        district=kwargs.pop("district", "oberbarmen"),
    )


def names(result: Any) -> list[str]:
    return [m.offer.name for m in result.matches]


def test_the_family_language_and_district_rank_first_with_reasons(provider):
    make_offer(provider, "Deutschkurs Stadt")
    make_offer(provider, "Sprachcafé Arabisch Oberbarmen", languages=("ar",), district="oberbarmen")
    make_offer(provider, "Arabisch Elberfeld", languages=("ar",), district="elberfeld")
    make_offer(provider, "Schuldnerberatung", domains=("finances",))
    (result,) = match_needs([need()])
    assert names(result) == [
        "Sprachcafé Arabisch Oberbarmen",
        "Arabisch Elberfeld",
        "Deutschkurs Stadt",
    ]
    best = result.matches[0]
    assert "in the family's district" in best.reasons
    assert any("Arabic" in reason or "Arabisch" in reason for reason in best.reasons)
    assert "not in the family's languages: interpreter needed" in result.matches[2].warnings


def test_offers_that_are_not_running_or_not_approved_are_never_matched(provider, agencies):
    today = timezone.localdate()
    make_offer(provider, "Beendet", valid_until=today - timedelta(days=1))
    make_offer(provider, "Noch nicht", valid_from=today + timedelta(days=3))
    make_offer(provider, "Pausiert", status=Offer.Status.TEMPORARILY_CLOSED)
    proposed = Provider.objects.create(name="Neu", description="x", status="proposed")
    make_offer(proposed, "Vom neuen Träger")
    make_offer(provider, "Läuft")
    (result,) = match_needs([need()])
    assert names(result) == ["Läuft"]


def test_age_and_district_are_hard_conditions(provider):
    make_offer(provider, "Jugendkurs", minimum_age=16, maximum_age=26)
    make_offer(provider, "Nur Vohwinkel", citywide=False, district="vohwinkel")
    make_offer(provider, "Für alle")
    (result,) = match_needs([need(age=40)])
    assert names(result) == ["Für alle"]


def test_a_known_residence_status_excludes_but_an_unknown_one_only_warns(provider):
    make_offer(provider, "Integrationskurs", residence_kinds=["aufenthaltserlaubnis"])
    (known_other,) = match_needs([need(residence_kind="duldung")])
    assert names(known_other) == []
    (fitting,) = match_needs([need(residence_kind="aufenthaltserlaubnis")])
    assert "residence status fits" in fitting.matches[0].reasons
    (unknown,) = match_needs([need(residence_kind="")])
    assert names(unknown) == ["Integrationskurs"]
    assert "open only for some residence statuses: check eligibility" in unknown.matches[0].warnings


def test_free_places_rank_above_a_full_offer(provider):
    make_offer(provider, "Voll", capacity=10, free_places=0)
    make_offer(provider, "Frei", capacity=10, free_places=3)
    make_offer(provider, "Warteliste", capacity=10, free_places=0, waiting_list=True)
    (result,) = match_needs([need()])
    assert names(result)[0] == "Frei"
    assert names(result)[-1] == "Voll"


def test_matching_asks_the_database_the_same_number_of_times_for_3_or_30_offers(provider):
    def queries(count: int) -> int:
        Offer.objects.all().delete()
        for index in range(count):
            make_offer(provider, f"Kurs {index}", languages=("ar", "fa"), district="oberbarmen")
        with CaptureQueriesContext(connection) as captured:
            match_needs([need(), need(domain="language", age=8)])
        return len(captured)

    assert queries(3) == queries(30)


# --- the case page --------------------------------------------------------------------------


@pytest.fixture
def family_case(anna: Any, agencies: Any) -> Any:
    mother = PersonFactory.create(
        owner_agency=agencies.kim,
        given_names="Amal",
        family_name="Saleh",
        birth_date=date(1990, 3, 1),
    )
    household = HouseholdFactory.create(
        owner_agency=agencies.kim, members=[mother], district="oberbarmen"
    )
    case = case_open(household=household, membership=acting(anna), actor=anna)
    PersonLanguage.objects.create(
        person=mother, owner_agency=agencies.kim, language="ar", level="native"
    )
    assessment_record(
        case=case, subject=mother, domain="language", need=3, membership=acting(anna), actor=anna
    )
    assessment_record(
        case=case, subject=mother, domain="health", need=2, membership=acting(anna), actor=anna
    )
    return case, mother


def test_the_case_shows_matches_per_need_and_records_a_need_without_offer(
    anna, cem, provider, family_case, client_for, agencies
):
    case, _mother = family_case
    make_offer(provider, "Sprachcafé Arabisch", languages=("ar",), district="oberbarmen")
    client = client_for(anna)
    page = client.get(reverse("case:matching", args=[case.pk]))
    assert page.status_code == 200
    body = page.content.decode()
    assert "Sprachcafé Arabisch" in body
    assert f"offer={Offer.objects.get().pk}" in body
    assert 'data-testid="no-match"' in body  # health: nothing in the directory
    assert AuditEvent.objects.filter(action=AuditAction.NEEDS_MATCHED).exists()

    health_need = Assessment.objects.get(case=case, domain="health")
    response = client.post(
        reverse("case:need_unmet", args=[case.pk]),
        {"assessment": health_need.pk, "note": "Psychotherapie auf Arabisch fehlt"},
    )
    assert response.status_code == 302
    mark = UnmetNeed.objects.get()
    assert (mark.domain, mark.district, mark.owner_agency) == ("health", "oberbarmen", agencies.kim)
    # Marked once: a second mark of the same open need is refused.
    client.post(
        reverse("case:need_unmet", args=[case.pk]),
        {"assessment": health_need.pk, "note": "nochmal"},
    )
    assert UnmetNeed.objects.count() == 1
    # The Jobcenter takes no part in the case: it can neither look nor mark.
    jobcenter = client_for(cem)
    assert jobcenter.get(reverse("case:matching", args=[case.pk])).status_code == 404
    assert (
        jobcenter.post(
            reverse("case:need_unmet", args=[case.pk]), {"assessment": health_need.pk, "note": "x"}
        ).status_code
        == 404
    )


def test_a_residence_status_the_reader_may_not_see_does_not_change_the_matches(
    anna, provider, family_case, client_for, agencies, dora
):
    """The Ausländerbehörde recorded a Duldung that KIM may not see: an offer only for
    residence permits must still appear for KIM (with a warning), or the list would tell."""
    case, mother = family_case
    make_offer(provider, "Integrationskurs", residence_kinds=["aufenthaltserlaubnis"])
    before = client_for(anna).get(reverse("case:matching", args=[case.pk])).content.decode()
    ResidenceStatus.objects.create(
        person=mother,
        owner_agency=agencies.abh,
        kind="duldung",
        valid_from=date(2024, 1, 1),
        recorded_by=dora,
    )
    after = client_for(anna).get(reverse("case:matching", args=[case.pk])).content.decode()
    assert "Integrationskurs" in before
    assert "Integrationskurs" in after
