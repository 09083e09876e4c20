"""The public directory /angebote/: what appears (and never appears), the filters, the offer
page, the print view, the map, the JSON feed, the legal pages, and constant query counts.

The tests run with German active and the German catalogue may not yet hold the new texts:
they assert on data (offer names, addresses) and on what Django and pycountry translate
themselves (weekdays, language names), not on Lotse's own UI words.
"""

from __future__ import annotations

import json
from datetime import time, timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from lotse.directory.models import (
    CityText,
    Location,
    Offer,
    OfferDistrict,
    OfferDomain,
    OfferLanguage,
    OfferLocation,
    Provider,
    Schedule,
)
from lotse.directory.public_texts import blocks, page_text
from lotse.directory.public_views import project, schedule_words

pytestmark = pytest.mark.django_db

LANGUAGE_COOKIE = "lotse_language"


# --- building the directory -------------------------------------------------------------------


def make_provider(
    agency: Any = None, *, name: str = "Caritas Wuppertal", **fields: Any
) -> Provider:
    fields.setdefault("status", Provider.Status.APPROVED)
    return Provider.objects.create(name=name, description=f"{name} hilft.", agency=agency, **fields)


def make_location(provider: Provider, name: str = "Haus der Begegnung", **fields: Any) -> Location:
    defaults: dict[str, Any] = {
        "street": "Berliner Straße 12",
        "postal_code": "42275",
        "city": "Wuppertal",
        "district": "barmen",
        "latitude": Decimal("51.270000"),
        "longitude": Decimal("7.200000"),
    }
    return Location.objects.create(provider=provider, name=name, **(defaults | fields))


def make_offer(
    provider: Provider,
    name: str,
    *,
    domains: tuple[str, ...] = ("language",),
    languages: tuple[str, ...] = (),
    districts: tuple[str, ...] = (),
    locations: tuple[Location, ...] = (),
    **fields: Any,
) -> Offer:
    fields.setdefault("description", f"{name}: Beschreibung")
    fields.setdefault("checked_on", timezone.localdate())
    offer = Offer.objects.create(provider=provider, name=name, citywide=not districts, **fields)
    for position, domain in enumerate(domains):
        OfferDomain.objects.create(offer=offer, domain=domain, position=position)
    for code in languages:
        OfferLanguage.objects.create(offer=offer, code=code)
    for district in districts:
        OfferDistrict.objects.create(offer=offer, district=district)
    for location in locations:
        OfferLocation.objects.create(offer=offer, location=location)
    return offer


@pytest.fixture
def caritas(agencies: Any) -> Provider:
    return make_provider(agencies.caritas)


@pytest.fixture
def anonymous() -> Client:
    return Client()


def english() -> Client:
    client = Client()
    client.cookies[LANGUAGE_COOKIE] = "en"
    return client


def body(response: Any) -> str:
    """The answer as text, streamed (the feed) or not."""
    raw = b"".join(response.streaming_content) if response.streaming else response.content
    return str(raw.decode())


def page_names(response: Any) -> list[str]:
    return [card.offer.name for card in response.context["cards"]]


def search(client: Client, **params: Any) -> Any:
    response = client.get(reverse("public:search"), params)
    assert response.status_code == 200
    return response


# --- what appears ---------------------------------------------------------------------------


@pytest.fixture
def hidden_offers(caritas: Provider, agencies: Any) -> list[Offer]:
    today = timezone.localdate()
    proposed = make_provider(agencies.kim, name="Neuer Verein", status=Provider.Status.PROPOSED)
    rejected = make_provider(name="Abgelehnt e. V.", status=Provider.Status.REJECTED)
    return [
        make_offer(caritas, "Intern Fallberatung", is_public=False),
        make_offer(caritas, "Pausiert Kurs", status=Offer.Status.TEMPORARILY_CLOSED),
        make_offer(caritas, "Inaktiv Kurs", status=Offer.Status.INACTIVE),
        make_offer(caritas, "Eingestellt Kurs", status=Offer.Status.DEFUNCT),
        make_offer(caritas, "Abgelaufen Kurs", valid_until=today - timedelta(days=1)),
        make_offer(caritas, "Zukunft Kurs", valid_from=today + timedelta(days=1)),
        make_offer(proposed, "Vorgeschlagen Kurs"),
        make_offer(rejected, "Abgelehnt Kurs"),
    ]


def test_only_current_public_offers_of_approved_providers_appear(anonymous, caritas, hidden_offers):
    location = make_location(caritas)
    make_offer(caritas, "Sprachcafé", locations=(location,))
    for offer in hidden_offers:
        OfferLocation.objects.create(offer=offer, location=location)
    assert page_names(search(anonymous)) == ["Sprachcafé"]
    for offer in hidden_offers:
        url = reverse("public:offer", kwargs={"hsds_id": offer.hsds_id})
        assert anonymous.get(url).status_code == 404, offer.name
    names = [offer.name for offer in hidden_offers]
    for url in (reverse("public:print"), reverse("public:map"), reverse("public:feed")):
        response = anonymous.get(url)
        assert response.status_code == 200
        text = body(response)
        assert "Sprachcafé" in text
        assert not [name for name in names if name in text], url


def test_pages_need_no_login(anonymous, caritas):
    offer = make_offer(caritas, "Sprachcafé")
    urls = [
        reverse(name)
        for name in (
            "public:search",
            "public:print",
            "public:map",
            "public:feed",
            "public:feed_doc",
            "public:imprint",
            "public:privacy",
            "public:accessibility",
            "public:easy_language",
        )
    ] + [reverse("public:offer", kwargs={"hsds_id": offer.hsds_id})]
    for url in urls:
        assert anonymous.get(url).status_code == 200, url


def test_an_unknown_or_malformed_offer_id_is_not_found(anonymous):
    assert anonymous.get("/angebote/00000000-0000-0000-0000-000000000000/").status_code == 404
    assert anonymous.get("/angebote/not-a-uuid/").status_code == 404


# --- filters -------------------------------------------------------------------------------


def test_each_filter_narrows_the_results(anonymous, caritas):
    make_offer(caritas, "Deutschkurs Arabisch", languages=("ar",), domains=("language", "work"))
    make_offer(caritas, "Mieterberatung", domains=("housing",), districts=("vohwinkel",))
    make_offer(caritas, "Krabbelgruppe", domains=("childcare",), minimum_age=0, maximum_age=3)
    make_offer(
        caritas,
        "Treff für Alleinerziehende",
        domains=("family",),
        family_situations=["single_parent"],
        free_places=0,
        waiting_list=True,
    )
    make_offer(caritas, "Bewerbungstraining", domains=("work",), free_places=4, capacity=10)

    assert page_names(search(anonymous, domain="work")) == [
        "Bewerbungstraining",
        "Deutschkurs Arabisch",
    ]
    assert page_names(search(anonymous, language="ar")) == ["Deutschkurs Arabisch"]
    # City-wide offers serve every district; a district offer only its own.
    barmen = page_names(search(anonymous, district="barmen"))
    assert "Mieterberatung" not in barmen
    assert len(barmen) == 4
    assert "Mieterberatung" in page_names(search(anonymous, district="vohwinkel"))
    assert page_names(search(anonymous, situation="single_parent")) == [
        "Treff für Alleinerziehende"
    ]
    assert "Treff für Alleinerziehende" not in page_names(search(anonymous, free_places="on"))
    assert "Bewerbungstraining" in page_names(search(anonymous, free_places="on"))
    assert "Krabbelgruppe" not in page_names(search(anonymous, age="30"))
    assert "Krabbelgruppe" in page_names(search(anonymous, age="2"))
    assert page_names(search(anonymous, q="miet")) == ["Mieterberatung"]
    # A description word finds the offer as well; several filters combine.
    assert page_names(search(anonymous, q="beschreibung", domain="housing")) == ["Mieterberatung"]


def test_a_situation_code_never_matches_a_longer_one(anonymous, caritas):
    make_offer(caritas, "Für Erwachsene", family_situations=["single_adult"])
    make_offer(caritas, "Für Alleinerziehende", family_situations=["single_parent"])
    assert page_names(search(anonymous, situation="single_adult")) == ["Für Erwachsene"]


def test_a_wrong_filter_value_is_left_out_and_the_others_still_apply(anonymous, caritas):
    make_offer(caritas, "Mieterberatung", domains=("housing",))
    make_offer(caritas, "Deutschkurs")
    response = search(anonymous, domain="housing", age="-5", language="xx")
    assert page_names(response) == ["Mieterberatung"]
    assert response.context["form"].errors.keys() >= {"age", "language"}


def test_the_language_filter_offers_languages_by_name(anonymous, caritas):
    make_offer(caritas, "Kurs", languages=("ar", "fa"))
    make_offer(caritas, "Intern", languages=("ti",), is_public=False)
    choices = dict(search(anonymous).context["form"].fields["language"].choices)
    # The families' frequent languages and those offers use, by name in the page's language.
    assert {"", "ar", "fa", "ti", "uk"} <= choices.keys()
    assert choices["ar"] == "Arabisch"
    assert "aii" not in choices
    make_offer(caritas, "Assyrisch", languages=("aii",))
    choices = dict(search(anonymous).context["form"].fields["language"].choices)
    assert choices["aii"] == "Aramäisch (Assyrisch)"


def test_results_are_paged(anonymous, caritas):
    for number in range(23):
        make_offer(caritas, f"Angebot {number:02d}")
    first = search(anonymous)
    assert first.context["paging"].total == 23
    assert len(page_names(first)) == 20
    second = search(anonymous, page="2")
    assert page_names(second) == ["Angebot 20", "Angebot 21", "Angebot 22"]


# --- the offer page ------------------------------------------------------------------------


@pytest.fixture
def full_offer(caritas: Provider) -> Offer:
    location = make_location(
        caritas,
        wheelchair_accessible=True,
        accessibility="Aufzug am Seiteneingang",
        transportation="Schwebebahn Alter Markt",
    )
    offer = make_offer(
        caritas,
        "Mütterkurs Deutsch",
        languages=("ar", "fa"),
        locations=(location,),
        application_process="Anmeldung im Büro, Raum 3",
        required_documents=["Aufenthaltstitel", "Berechtigungsschein"],
        free_of_charge=False,
        fees_description="5 € im Monat, BuT möglich",
        phone="0202 123456",
        email="kurs@caritas.example",
    )
    Schedule.objects.create(
        offer=offer,
        freq=Schedule.Frequency.WEEKLY,
        byday="MO,WE",
        opens_at=time(9, 0),
        closes_at=time(12, 0),
    )
    return offer


def test_the_offer_page_shows_address_times_languages_costs_and_what_to_bring(
    anonymous, full_offer
):
    response = anonymous.get(reverse("public:offer", kwargs={"hsds_id": full_offer.hsds_id}))
    assert response.status_code == 200
    text = response.content.decode()
    for expected in (
        "Mütterkurs Deutsch",
        "Berliner Straße 12",
        "42275 Wuppertal",
        "Barmen",
        "Montag",  # the times in words, weekdays by Django's catalogue
        "Mittwoch",
        "09:00",
        "12:00",
        "Arabisch",  # languages by name, not "ar"
        "Persisch",
        "5 € im Monat, BuT möglich",
        "Anmeldung im Büro, Raum 3",
        "Aufenthaltstitel",
        "Berechtigungsschein",
        "Aufzug am Seiteneingang",
        "Schwebebahn Alter Markt",
        'href="tel:0202123456"',
        'href="mailto:kurs@caritas.example"',
    ):
        assert expected in text, expected


def test_an_offer_without_own_contact_shows_the_providers(anonymous, caritas):
    caritas.phone = "0202 999"
    caritas.save()
    offer = make_offer(caritas, "Beratung")
    response = anonymous.get(reverse("public:offer", kwargs={"hsds_id": offer.hsds_id}))
    assert "0202 999" in response.content.decode()


def test_schedules_in_words():
    def words(**fields: Any) -> str:
        return schedule_words(Schedule(**fields))

    with translation.override("en"):
        assert (
            words(freq="WEEKLY", byday="MO,WE", opens_at=time(9), closes_at=time(12))
            == "Every week on Monday and Wednesday, 09:00 to 12:00"
        )
        assert words(freq="WEEKLY", interval=2, byday="TU") == "Every 2 weeks on Tuesday"
        assert (
            words(freq="MONTHLY", byday="1TU,3TU", opens_at=time(15))
            == "Every month on the first and third Tuesday, from 15:00"
        )
        assert words(freq="MONTHLY", byday="-1FR") == "Every month on the last Friday"
        assert words(freq="DAILY") == "Every day"
        assert words(freq="WEEKLY", byday="MO,TU,FR") == "Every week on Monday, Tuesday and Friday"
    with translation.override("de"):
        assert "Montag" in words(freq="WEEKLY", byday="MO")


# --- print view, map, feed ---------------------------------------------------------------------


def test_the_print_view_lists_the_current_results_in_full(anonymous, full_offer, caritas):
    make_offer(caritas, "Mieterberatung", domains=("housing",))
    response = anonymous.get(reverse("public:print"), {"domain": "language"})
    assert response.status_code == 200
    text = response.content.decode()
    assert "Mütterkurs Deutsch" in text
    assert "Mieterberatung" not in text
    # The whole description and the contact, not a teaser.
    assert "Mütterkurs Deutsch: Beschreibung" in text
    assert "0202 123456" in text
    assert 'href="/static/directory/directory.css"' in text


def test_the_map_plots_located_offers_and_lists_every_location_by_district(anonymous, caritas):
    barmen = make_location(caritas, "Stadtteiltreff Barmen")
    unplaced = make_location(caritas, "Büro ohne Koordinaten", latitude=None, longitude=None)
    far = make_location(
        caritas,
        "Außenstelle Köln",
        district="",
        latitude=Decimal("50.937531"),
        longitude=Decimal("6.960279"),
    )
    cafe = make_offer(caritas, "Sprachcafé", locations=(barmen, unplaced))
    make_offer(caritas, "Elterncafé", locations=(barmen,))
    make_offer(caritas, "Auswärts", locations=(far,))
    response = anonymous.get(reverse("public:map"))
    assert response.status_code == 200
    text = response.content.decode()
    assert text.count('class="lotse-map__point"') == 1  # only Barmen lies in the city's box
    assert f'href="#ort-{barmen.pk}"' in text
    assert f'id="ort-{barmen.pk}"' in text
    assert f'id="ort-{unplaced.pk}"' in text  # listed, though not drawn
    assert f'id="ort-{far.pk}"' in text
    assert text.count(f'href="/angebote/{cafe.hsds_id}/"') == 2  # listed at both its locations
    groups = {
        group.name: [p.location.name for p in group.places] for group in response.context["groups"]
    }
    assert groups["Barmen"] == ["Büro ohne Koordinaten", "Stadtteiltreff Barmen"]
    # Coordinates are never written with a decimal comma, whatever the language.
    assert (
        "," not in text.split('class="lotse-map__point"')[1].split("</a>")[0].split('cx="')[1][:8]
    )


def test_points_are_placed_by_their_coordinates_inside_the_box():
    west = project(51.25, 7.02)
    east = project(51.25, 7.30)
    north = project(51.31, 7.15)
    assert west is not None
    assert east is not None
    assert north is not None
    assert west[0] < east[0]
    assert north[1] < west[1]
    assert project(50.9, 7.15) is None


def test_the_feed_describes_public_offers_without_personal_data(
    anonymous, full_offer, hidden_offers
):
    response = anonymous.get(reverse("public:feed"))
    assert response["Content-Type"].startswith("application/json")
    document = json.loads(body(response))
    assert document["format"] == "lotse-offers"
    assert document["version"] == 1
    assert document["count"] == 1
    (item,) = document["offers"]
    assert item["id"] == str(full_offer.hsds_id)
    assert item["name"] == "Mütterkurs Deutsch"
    assert item["url"].endswith(f"/angebote/{full_offer.hsds_id}/")
    assert item["provider"]["name"] == "Caritas Wuppertal"
    assert item["languages"] == ["ar", "fa"]
    assert item["domains"] == ["language"]
    assert item["documents"] == ["Aufenthaltstitel", "Berechtigungsschein"]
    assert item["locations"][0]["latitude"] == pytest.approx(51.27)
    assert item["locations"][0]["step_free"] is True
    assert item["schedules"][0]["rrule"] == "FREQ=WEEKLY;BYDAY=MO,WE"
    assert item["schedules"][0]["opens_at"] == "09:00"
    # Who checked the data (a staff member) is not published; when is.
    assert "checked_by" not in item
    assert item["checked_on"] == timezone.localdate().isoformat()


def test_the_feed_takes_the_search_filters(anonymous, caritas):
    make_offer(caritas, "Deutschkurs")
    make_offer(caritas, "Mieterberatung", domains=("housing",))
    document = json.loads(body(anonymous.get(reverse("public:feed"), {"domain": "housing"})))
    assert [item["name"] for item in document["offers"]] == ["Mieterberatung"]
    empty = json.loads(body(anonymous.get(reverse("public:feed"), {"domain": "health"})))
    assert empty["count"] == 0
    assert empty["offers"] == []


# --- legal and help pages --------------------------------------------------------------------

LEGAL_PAGES = {
    "public:imprint": ("Impressum", "Legal notice"),
    "public:privacy": ("Datenschutz", "Privacy notice"),
    "public:accessibility": ("Erklärung zur Barrierefreiheit", "Accessibility statement"),
    "public:easy_language": ("Leichte Sprache", "Easy language"),
}


@pytest.mark.parametrize("name", list(LEGAL_PAGES))
def test_the_legal_pages_exist_in_german_and_english(anonymous, name):
    german, english_title = LEGAL_PAGES[name]
    text = anonymous.get(reverse(name)).content.decode()
    assert f">{german}</h1>" in text
    assert '<html lang="de"' in text
    text = english().get(reverse(name)).content.decode()
    assert f">{english_title}</h1>" in text
    assert '<html lang="en"' in text


def test_the_shipped_texts_name_what_the_law_requires():
    with translation.override("de"):
        imprint = page_text(CityText.Page.IMPRINT, "de").body
        privacy = page_text(CityText.Page.PRIVACY, "de").body
        statement = page_text(CityText.Page.ACCESSIBILITY, "de").body
    assert "Johannes-Rau-Platz 1" in imprint
    assert "Aufsichtsbehörde" in imprint
    assert "Art. 6 Abs. 1 Buchst. e DSGVO" in privacy
    assert "Landesbeauftragte für Datenschutz" in privacy
    assert "Datenschutzbeauftragte der Stadt" in privacy  # the DPO from the settings
    for required in ("Feedback", "Ombudsstelle", "Durchsetzungsverfahren", "BITV"):
        assert required in statement


def test_the_citys_own_text_replaces_the_shipped_one(anonymous):
    CityText.objects.create(
        page=CityText.Page.IMPRINT,
        language="de",
        title="Impressum der Stadt",
        body="## Anschrift\n\nRathaus Barmen\n\n- erste Zeile\n- zweite Zeile",
    )
    text = anonymous.get(reverse("public:imprint")).content.decode()
    assert ">Impressum der Stadt</h1>" in text
    assert ">Anschrift</h2>" in text
    assert "<li>zweite Zeile</li>" in text
    assert "Johannes-Rau-Platz" not in text
    # English visitors get the city's German text, marked as German, not a shipped English
    # text that could contradict it.
    text = english().get(reverse("public:imprint")).content.decode()
    assert ">Impressum der Stadt</h1>" in text
    assert 'lang="de"' in text.split("<main", 1)[1]


def test_text_blocks_are_headings_paragraphs_and_lists():
    parsed = blocks("## Titel\n\nErste Zeile\nzweite Zeile\n\n- a\n- b\n\n\n")
    assert [(b.kind, b.text, b.items) for b in parsed] == [
        ("heading", "Titel", []),
        ("paragraph", "Erste Zeile\nzweite Zeile", []),
        ("list", "", ["a", "b"]),
    ]


def test_html_in_a_city_text_is_shown_as_text(anonymous):
    CityText.objects.create(
        page=CityText.Page.PRIVACY, language="de", title="Datenschutz", body="<script>x</script>"
    )
    text = anonymous.get(reverse("public:privacy")).content.decode()
    assert "<script>x</script>" not in text
    assert "&lt;script&gt;" in text


# --- accessibility basics in the markup ----------------------------------------------------------


def test_pages_have_landmarks_a_skip_link_and_one_main_heading(anonymous, full_offer):
    for url in (
        reverse("public:search"),
        reverse("public:offer", kwargs={"hsds_id": full_offer.hsds_id}),
        reverse("public:map"),
        reverse("public:imprint"),
    ):
        text = anonymous.get(url).content.decode()
        assert 'href="#main"' in text
        assert '<main id="main"' in text
        for landmark in ("<header", "<footer", "<nav"):
            assert landmark in text
        assert text.count("<h1") == 1, url
        assert "<script" not in text  # the public pages need no JavaScript


# --- query counts ---------------------------------------------------------------------------


def _queries(client: Client, url: str, **params: Any) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, params)
        body(response)
    assert response.status_code == 200
    return len(captured.captured_queries)


def _fill(provider: Provider, count: int, start: int = 0) -> None:
    for number in range(start, start + count):
        location = make_location(provider, f"Ort {number}")
        offer = make_offer(
            provider,
            f"Angebot {number:03d}",
            languages=("ar", "de"),
            domains=("language", "work"),
            locations=(location,),
        )
        Schedule.objects.create(offer=offer, byday="MO", opens_at=time(9))


@pytest.mark.parametrize(
    ("name", "params"),
    [
        ("public:search", {}),
        ("public:search", {"q": "angebot", "language": "ar", "situation": "senior", "age": "30"}),
        ("public:print", {}),
        ("public:map", {}),
        ("public:feed", {}),
    ],
)
def test_list_pages_cost_the_same_queries_for_3_and_30_offers(anonymous, caritas, name, params):
    _fill(caritas, 3)
    few = _queries(anonymous, reverse(name), **params)
    _fill(caritas, 27, start=3)
    many = _queries(anonymous, reverse(name), **params)
    assert few == many


def test_the_offer_page_costs_the_same_queries_whatever_it_holds(anonymous, caritas, full_offer):
    plain = make_offer(caritas, "Schlicht")
    few = _queries(anonymous, reverse("public:offer", kwargs={"hsds_id": plain.hsds_id}))
    for number in range(5):
        Schedule.objects.create(offer=full_offer, byday="TU", opens_at=time(10 + number))
        OfferLocation.objects.create(
            offer=full_offer, location=make_location(caritas, f"L{number}")
        )
    many = _queries(anonymous, reverse("public:offer", kwargs={"hsds_id": full_offer.hsds_id}))
    assert few == many


def test_a_page_beyond_the_end_shows_the_last_page(anonymous, caritas):
    for number in range(23):
        make_offer(caritas, f"Angebot {number:02d}")
    response = search(anonymous, page="9")
    assert response.context["paging"].number == 2
    assert page_names(response) == ["Angebot 20", "Angebot 21", "Angebot 22"]
    assert page_names(search(anonymous, page="x"))[0] == "Angebot 00"


def test_the_city_keeps_its_texts_in_the_admin_and_every_change_is_audited(client_for, hana):
    from lotse.audit.models import AuditEvent

    admin = client_for(hana)
    url = reverse("admin:directory_citytext_add")
    assert admin.get(url).status_code == 200
    response = admin.post(
        url,
        {
            "page": CityText.Page.ACCESSIBILITY,
            "language": "en",
            "title": "Accessibility of the directory",
            "body": "## Feedback\n\nWrite to barrierefreiheit@example.org.",
        },
    )
    assert response.status_code == 302
    assert AuditEvent.objects.filter(actor=hana).exists()
    text = english().get(reverse("public:accessibility")).content.decode()
    assert ">Accessibility of the directory</h1>" in text
    assert 'href="mailto:barrierefreiheit@example.org"' in text
