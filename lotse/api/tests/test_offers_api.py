"""The directory under /api/v1/: offer search with its filters and the HSDS export.

Offers are not personal: every signed-in caller reads them, anonymous callers get 401. Only
current offers (active, valid today) of approved providers are shown.
"""

from __future__ import annotations

import io
import json
import zipfile
from datetime import timedelta
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from lotse.accounts.services import api_token_create
from lotse.accounts.tests.factories import acting
from lotse.audit.models import AuditAction, AuditEvent
from lotse.directory import hsds
from lotse.directory.models import Offer, Provider
from lotse.directory.selectors import offers_search
from lotse.directory.services import provider_propose
from lotse.directory.tests.test_hsds import make_location, make_offer, make_provider

pytestmark = pytest.mark.django_db

OFFERS = "/api/v1/offers"


@pytest.fixture
def provider(hana, agencies) -> Provider:
    return make_provider(hana, agency=agencies.caritas)


@pytest.fixture
def directory(hana, ida, provider) -> dict[str, Offer]:
    """A small directory: offers that are shown and offers that must not be."""
    location = make_location(hana, provider)
    today = timezone.localdate()
    proposed = provider_propose(
        name="Neuer Verein", description="Noch nicht geprüft.", membership=acting(ida), actor=ida
    )
    return {
        "cafe": make_offer(
            hana,
            provider,
            name="Sprachcafé",
            description="Deutsch üben bei Kaffee.",
            domains=["language", "participation"],
            languages=["de", "ar"],
            location_ids=[location.pk],
        ),
        "kita": make_offer(
            hana,
            provider,
            name="Kita-Lotsinnen",
            description="Hilfe bei der Suche nach einem Kitaplatz.",
            domains=["childcare"],
            languages=["uk"],
            citywide=False,
            districts=["barmen"],
            maximum_age=6,
        ),
        "youth": make_offer(
            hana,
            provider,
            name="Jugendtreff",
            description="Offener Treff.",
            domains=["participation"],
            minimum_age=12,
            maximum_age=21,
            is_public=False,
        ),
        "ended": make_offer(hana, provider, name="Alter Kurs", valid_until=today - timedelta(1)),
        "later": make_offer(hana, provider, name="Neuer Kurs", valid_from=today + timedelta(1)),
        "inactive": make_offer(hana, provider, name="Pausiert", status="inactive"),
        "unapproved": make_offer(ida, proposed, name="Ungeprüft"),
    }


def _names(response: Any) -> list[str]:
    assert response.status_code == 200, response.content
    return [item["name"] for item in response.json()["items"]]


def test_anonymous_callers_get_401(client_for):
    assert client_for(None).get(OFFERS).status_code == 401
    assert client_for(None).get(f"{OFFERS}/export").status_code == 401


def test_every_signed_in_role_reads_current_offers_of_approved_providers_only(
    directory, anna, emil, frida, client_for
):
    for user in (anna, emil, frida):
        assert _names(client_for(user).get(OFFERS)) == [
            "Jugendtreff",
            "Kita-Lotsinnen",
            "Sprachcafé",
        ]


def test_a_bearer_token_reads_the_offers(directory, anna):
    raw = api_token_create(user=anna).raw
    response = Client(headers={"Authorization": f"Bearer {raw}"}).get(OFFERS)
    assert response.json()["count"] == 3


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("domain=participation", ["Jugendtreff", "Sprachcafé"]),
        ("language=AR", ["Sprachcafé"]),
        # City-wide offers serve every district.
        ("district=barmen", ["Jugendtreff", "Kita-Lotsinnen", "Sprachcafé"]),
        ("district=vohwinkel", ["Jugendtreff", "Sprachcafé"]),
        ("age=4", ["Kita-Lotsinnen", "Sprachcafé"]),
        ("age=15", ["Jugendtreff", "Sprachcafé"]),
        ("q=KAFFEE", ["Sprachcafé"]),
        ("q=caritas treff", ["Jugendtreff"]),
        ("q=sprach&domain=childcare", []),
    ],
)
def test_filters_narrow_the_list(directory, anna, client_for, query, expected):
    assert _names(client_for(anna).get(f"{OFFERS}?{query}")) == expected


def test_an_unknown_filter_value_is_refused_naming_the_parameter(directory, anna, client_for):
    for query, parameter in (
        ("domain=cooking", "domain"),
        ("district=mars", "district"),
        ("language=xx-yy", "language"),
        ("age=200", "age"),
    ):
        response = client_for(anna).get(f"{OFFERS}?{query}")
        assert response.status_code == 422, query
        assert response.json()["errors"][0]["loc"][-1] == parameter


def test_the_list_is_paged_with_a_count(directory, anna, client_for):
    body = client_for(anna).get(f"{OFFERS}?limit=2&offset=1").json()
    assert [item["name"] for item in body["items"]] == ["Kita-Lotsinnen", "Sprachcafé"]
    assert body["count"] == 3


def test_an_offer_answer_carries_its_details(directory, anna, client_for):
    (item,) = client_for(anna).get(f"{OFFERS}?q=Sprachcafé").json()["items"]
    assert item["id"] == str(directory["cafe"].hsds_id)
    assert item["domains"] == ["language", "participation"]
    assert item["languages"] == ["de", "ar"]
    assert item["provider"]["name"] == "Caritas Migrationsdienst"
    assert item["locations"][0]["postal_code"] == "42103"
    assert item["check_due"] is False


def test_the_list_does_not_query_per_offer(hana, provider, anna, client_for):
    client = client_for(anna)

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(OFFERS).status_code == 200
        return len(captured)

    location = make_location(hana, provider)
    for number in range(3):
        make_offer(hana, provider, name=f"Angebot {number}", location_ids=[location.pk])
    few = queries()
    for number in range(3, 30):
        make_offer(hana, provider, name=f"Angebot {number}", location_ids=[location.pk])
    assert queries() == few


def test_the_json_export_streams_valid_hsds_of_the_offers_found(directory, anna, client_for):
    response = client_for(anna).get(f"{OFFERS}/export?format=hsds-json&domain=participation")
    assert response.status_code == 200
    assert response.streaming
    assert response["Content-Type"].startswith("application/json")
    objects = json.loads(b"".join(response.streaming_content))
    assert [o["name"] for o in objects] == ["Jugendtreff", "Sprachcafé"]
    assert hsds.validate_hsds_json(objects) == []


def test_the_csv_export_is_a_valid_tabular_package(directory, anna, client_for):
    response = client_for(anna).get(f"{OFFERS}/export?format=hsds-csv")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    package = io.BytesIO(b"".join(response.streaming_content))
    assert hsds.validate_hsds_package(package) == []
    with zipfile.ZipFile(package) as archive:
        services = archive.read("services.csv").decode().splitlines()
    assert len(services) == 1 + 3


def test_an_export_is_audited_once_with_its_count(directory, anna, client_for):
    client = client_for(anna)  # signing in is audited too
    before = AuditEvent.objects.count()
    response = client.get(f"{OFFERS}/export")
    b"".join(response.streaming_content)
    assert AuditEvent.objects.count() == before + 1
    event = AuditEvent.objects.latest("pk")
    assert event.action == AuditAction.OFFERS_EXPORTED
    assert event.actor == anna
    assert event.detail == {"format": "hsds-json", "offers": 3}


def test_an_unknown_export_format_is_refused(anna, client_for):
    response = client_for(anna).get(f"{OFFERS}/export?format=pdf")
    assert response.status_code == 422
    assert response.json()["errors"][0]["loc"][-1] == "format"


def test_the_search_selector_is_case_insensitive_for_umlauts_on_postgresql(hana, provider):
    make_offer(hana, provider, name="Beratung für Ärztinnen")
    found = [o.name for o in offers_search(q="ÄRZTINNEN")]
    if connection.vendor == "postgresql":
        assert found == ["Beratung für Ärztinnen"]
    assert [o.name for o in offers_search(q="beratung")] == ["Beratung für Ärztinnen"]


def test_the_search_selector_shows_public_offers_only_when_asked(directory):
    assert "Jugendtreff" in [o.name for o in offers_search()]
    assert "Jugendtreff" not in [o.name for o in offers_search(public_only=True)]


def test_the_search_selector_respects_the_validity_dates(hana, provider):
    make_offer(hana, provider, name="Heute bis heute", valid_until=timezone.localdate())
    make_offer(
        hana, provider, name="Ab morgen", valid_from=timezone.localdate() + timedelta(days=1)
    )
    assert [o.name for o in offers_search()] == ["Heute bis heute"]
