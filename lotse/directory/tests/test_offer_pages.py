"""The staff pages of the directory: the internal list, keeping offers (create, edit with
optimistic locking, "data still correct", pausing referrals), locations, proposing and
approving providers — and that nobody reaches another agency's offers.

Assertions are on data and on status codes; UI texts may not be translated yet.
"""

from __future__ import annotations

from datetime import time, timedelta
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from lotse.accounts.roles import Role
from lotse.accounts.tests.factories import member
from lotse.audit.models import AuditAction, AuditEvent
from lotse.directory.models import Location, Offer, Provider, Schedule

from .test_public_directory import make_location, make_offer, make_provider

pytestmark = pytest.mark.django_db


@pytest.fixture
def caritas(agencies: Any) -> Provider:
    return make_provider(agencies.caritas, name="Caritas Wuppertal")


@pytest.fixture
def kim(agencies: Any) -> Provider:
    return make_provider(agencies.kim, name="KIM Wuppertal")


@pytest.fixture
def kim_offer(kim: Provider) -> Offer:
    return make_offer(kim, "KIM Sprechstunde")


@pytest.fixture
def caritas_offer(caritas: Provider) -> Offer:
    offer = make_offer(caritas, "Sprachcafé", languages=("ar",))
    Schedule.objects.create(offer=offer, byday="TU", opens_at=time(15), closes_at=time(17))
    return offer


def logged_in(client_for: Any, user: Any) -> Client:
    client: Client = client_for(user)
    return client


def offer_form(offer: Offer | None = None, **changes: Any) -> dict[str, Any]:
    """A complete, valid form as the edit page sends it."""
    data: dict[str, Any] = {
        "name": "Sprachcafé",
        "description": "Deutsch üben bei Kaffee.",
        "main_domain": "language",
        "domains": ["participation"],
        "status": "active",
        "citywide": "on",
        "free_of_charge": "on",
        "is_public": "on",
        "accepts_referrals": "on",
        "languages": ["ar", "de"],
        "more_languages": ["vi"],
        "other_language_codes": "aii",
        "family_situations": ["single_parent"],
        "minimum_age": "16",
        "required_documents": "Ausweis\n\nAufenthaltstitel\n",
        "capacity": "12",
        "free_places": "3",
        "times-TOTAL_FORMS": "1",
        "times-INITIAL_FORMS": "0",
        "times-MIN_NUM_FORMS": "0",
        "times-MAX_NUM_FORMS": "20",
        "times-0-freq": "MONTHLY",
        "times-0-interval": "1",
        "times-0-days": ["TU"],
        "times-0-weeks": ["1", "3"],
        "times-0-opens_at": "15:00",
        "times-0-closes_at": "17:00",
    }
    if offer is not None:
        data["version"] = str(offer.version)
    data.update(changes)
    return data


# --- who reaches what ------------------------------------------------------------------------


def test_an_agency_admin_of_caritas_cannot_open_kims_offer(client_for, ida, kim_offer):
    client = logged_in(client_for, ida)
    for name in ("directory:offer_edit",):
        assert client.get(reverse(name, kwargs={"pk": kim_offer.pk})).status_code == 404
    for name in ("directory:offer_edit", "directory:offer_confirm", "directory:offer_referrals"):
        response = client.post(
            reverse(name, kwargs={"pk": kim_offer.pk}),
            offer_form(kim_offer, name="Gekapert") | {"paused": "True"},
        )
        assert response.status_code == 404, name
    kim_offer.refresh_from_db()
    assert kim_offer.name == "KIM Sprechstunde"
    assert kim_offer.accepts_referrals
    assert kim_offer.version == 1
    offer_create = reverse("directory:offer_create", kwargs={"pk": kim_offer.provider_id})
    assert client.get(offer_create).status_code == 404
    kim_location = make_location(kim_offer.provider)
    url = reverse("directory:location_edit", kwargs={"pk": kim_location.pk})
    assert client.get(url).status_code == 404


def test_an_agency_admin_edits_her_own_agencys_offer(client_for, ida, caritas_offer):
    client = logged_in(client_for, ida)
    url = reverse("directory:offer_edit", kwargs={"pk": caritas_offer.pk})
    page = client.get(url)
    assert page.status_code == 200
    # Languages by name, domains and districts in words.
    text = page.content.decode()
    assert ">Arabisch</label>" in text
    assert "Barmen" in text
    response = client.post(url, offer_form(caritas_offer, name="Sprachcafé am Abend"))
    assert response.status_code == 302, response.content.decode()[:2000]
    caritas_offer.refresh_from_db()
    assert caritas_offer.name == "Sprachcafé am Abend"
    assert caritas_offer.version == 2
    assert caritas_offer.domain_codes == ["language", "participation"]
    assert sorted(row.code for row in caritas_offer.languages.all()) == ["aii", "ar", "de", "vi"]
    assert caritas_offer.family_situations == ["single_parent"]
    assert caritas_offer.required_documents == ["Ausweis", "Aufenthaltstitel"]
    assert caritas_offer.minimum_age == 16
    assert caritas_offer.free_places == 3
    (schedule,) = caritas_offer.schedules.all()
    assert schedule.rrule() == "FREQ=MONTHLY;BYDAY=1TU,3TU"
    assert AuditEvent.objects.filter(action=AuditAction.OFFER_SAVED, actor=ida).exists()


def test_a_system_admin_keeps_every_providers_offers(client_for, hana, caritas_offer):
    client = logged_in(client_for, hana)
    url = reverse("directory:offer_edit", kwargs={"pk": caritas_offer.pk})
    assert client.get(url).status_code == 200
    assert client.post(url, offer_form(caritas_offer, name="Neu")).status_code == 302


def test_caseworkers_read_the_internal_directory_with_non_public_offers_but_edit_nothing(
    client_for, anna, caritas_offer, caritas
):
    make_offer(caritas, "Interne Fallberatung", is_public=False)
    make_offer(caritas, "Beendet", valid_until=timezone.localdate() - timedelta(days=1))
    client = logged_in(client_for, anna)
    response = client.get(reverse("directory:list"))
    assert response.status_code == 200
    names = [card.offer.name for card, _manages in response.context["rows"]]
    assert names == ["Interne Fallberatung", "Sprachcafé"]
    assert not any(manages for _card, manages in response.context["rows"])
    detail = client.get(reverse("directory:offer", kwargs={"pk": caritas_offer.pk}))
    assert detail.status_code == 200
    assert "Sprachcafé" in detail.content.decode()
    edit = reverse("directory:offer_edit", kwargs={"pk": caritas_offer.pk})
    assert client.get(edit).status_code == 404
    assert client.get(reverse("directory:manage")).status_code == 404


def test_coordinators_and_the_dpo_do_not_see_the_staff_directory(client_for, emil, frida):
    for user in (emil, frida):
        assert logged_in(client_for, user).get(reverse("directory:list")).status_code == 404


# --- creating and editing ------------------------------------------------------------------


def test_creating_an_offer_writes_all_its_rows(client_for, ida, caritas):
    location = make_location(caritas)
    client = logged_in(client_for, ida)
    url = reverse("directory:offer_create", kwargs={"pk": caritas.pk})
    assert client.get(url).status_code == 200
    data = offer_form(
        name="Elterncafé",
        citywide="",
        districts=["oberbarmen"],
        location_ids=[str(location.pk)],
    )
    data["times-0-location"] = str(location.pk)
    response = client.post(url, data)
    assert response.status_code == 302
    offer = Offer.objects.get(name="Elterncafé")
    assert offer.provider == caritas
    assert not offer.citywide
    assert [row.district for row in offer.districts.all()] == ["oberbarmen"]
    assert [row.location_id for row in offer.at_locations.all()] == [location.pk]
    assert offer.schedules.get().location_id == location.pk
    assert offer.checked_on == timezone.localdate()
    assert response["Location"] == reverse("directory:offer", kwargs={"pk": offer.pk})


def test_the_service_refusal_is_shown_on_the_field_and_nothing_is_saved(client_for, ida, caritas):
    client = logged_in(client_for, ida)
    url = reverse("directory:offer_create", kwargs={"pk": caritas.pk})
    response = client.post(url, offer_form(name="Ohne Bezirk", citywide="", districts=[]))
    assert response.status_code == 400
    assert "districts" in response.context["form"].errors
    assert response.context["summary"]
    response = client.post(url, offer_form(name="Zu voll", capacity="2", free_places="5"))
    assert response.status_code == 400
    assert "free_places" in response.context["form"].errors
    assert not Offer.objects.filter(provider=caritas).exists()


def test_adding_a_time_row_keeps_what_was_typed_and_saves_nothing(client_for, ida, caritas):
    client = logged_in(client_for, ida)
    url = reverse("directory:offer_create", kwargs={"pk": caritas.pk})
    response = client.post(url, offer_form(name="Noch nicht") | {"add_time": "1"})
    assert response.status_code == 200
    formset = response.context["formset"]
    assert len(formset.forms) == 2
    assert response.context["form"]["name"].value() == "Noch nicht"
    assert not Offer.objects.exists()


def test_unchanged_times_are_kept_and_a_ticked_one_is_removed(client_for, ida, caritas_offer):
    Schedule.objects.create(offer=caritas_offer, byday="TH", opens_at=time(9))
    client = logged_in(client_for, ida)
    url = reverse("directory:offer_edit", kwargs={"pk": caritas_offer.pk})
    formset = client.get(url).context["formset"]
    data = {
        key: value
        for key, value in offer_form(caritas_offer).items()
        if not key.startswith("times-")
    }
    data |= {
        "times-TOTAL_FORMS": "3",
        "times-INITIAL_FORMS": "2",
        "times-MIN_NUM_FORMS": "0",
        "times-MAX_NUM_FORMS": "20",
    }
    for index, form in enumerate(formset.forms[:2]):
        for name, value in form.initial.items():
            key = f"times-{index}-{name}"
            if isinstance(value, list):
                data[key] = value
            elif isinstance(value, time):
                data[key] = value.strftime("%H:%M")
            elif value is not None:
                data[key] = str(value)
    # The empty row for a new time, as the browser sends it untouched.
    data |= {"times-2-freq": "WEEKLY", "times-2-interval": "1"}
    data["times-1-DELETE"] = "on"
    assert client.post(url, data).status_code == 302
    assert [s.byday for s in caritas_offer.schedules.all()] == ["TU"]


def test_a_stale_edit_is_refused_naming_what_changed(client_for, ida, hana, caritas_offer):
    client = logged_in(client_for, ida)
    url = reverse("directory:offer_edit", kwargs={"pk": caritas_offer.pk})
    form = offer_form(caritas_offer, name="Ida's Name")
    # Meanwhile the system administrator renames the offer.
    other = logged_in(client_for, hana)
    assert other.post(url, offer_form(caritas_offer, name="Hanas Name")).status_code == 302
    response = client.post(url, form)
    assert response.status_code == 409
    caritas_offer.refresh_from_db()
    assert caritas_offer.name == "Hanas Name"
    assert caritas_offer.version == 2
    conflict = response.context["conflict"]
    by_field = {row["current"]: row["yours"] for row in conflict}
    assert by_field["Hanas Name"] == "Ida's Name"
    assert 'data-testid="stale-edit"' in response.content.decode()
    # Re-based on the current version: saving again overwrites knowingly.
    assert response.context["form"]["version"].value() == "2"
    again = client.post(url, offer_form(caritas_offer, name="Ida's Name"))
    assert again.status_code == 302
    caritas_offer.refresh_from_db()
    assert caritas_offer.name == "Ida's Name"


# --- the six-monthly check and pausing ------------------------------------------------------


def test_old_data_is_marked_check_due_and_the_button_confirms_it(client_for, ida, caritas):
    old = make_offer(caritas, "Alt", checked_on=timezone.localdate() - timedelta(days=200))
    make_offer(caritas, "Frisch")
    client = logged_in(client_for, ida)
    page = client.get(reverse("directory:manage"))
    assert page.status_code == 200
    assert page.content.decode().count('data-testid="check-due"') == 1
    (block,) = page.context["blocks"]
    assert block.due == 1
    response = client.post(
        reverse("directory:offer_confirm", kwargs={"pk": old.pk}),
        {"version": old.version, "back": "manage"},
    )
    assert response["Location"] == reverse("directory:manage")
    old.refresh_from_db()
    assert old.checked_on == timezone.localdate()
    assert old.checked_by == ida
    assert not old.check_due()


def test_a_stale_confirm_writes_nothing(client_for, ida, caritas):
    old = make_offer(caritas, "Alt", checked_on=timezone.localdate() - timedelta(days=200))
    client = logged_in(client_for, ida)
    client.post(reverse("directory:offer_confirm", kwargs={"pk": old.pk}), {"version": "7"})
    old.refresh_from_db()
    assert old.check_due()
    assert old.version == 1


def test_referrals_are_paused_and_resumed(client_for, ida, caritas_offer):
    client = logged_in(client_for, ida)
    url = reverse("directory:offer_referrals", kwargs={"pk": caritas_offer.pk})
    client.post(url, {"version": caritas_offer.version, "paused": "True"})
    caritas_offer.refresh_from_db()
    assert not caritas_offer.accepts_referrals
    client.post(url, {"version": caritas_offer.version, "paused": "False"})
    caritas_offer.refresh_from_db()
    assert caritas_offer.accepts_referrals
    assert caritas_offer.version == 3


# --- locations and providers ----------------------------------------------------------------


def test_locations_are_added_and_edited(client_for, ida, caritas):
    client = logged_in(client_for, ida)
    response = client.post(
        reverse("directory:location_create", kwargs={"pk": caritas.pk}),
        {
            "name": "Familienzentrum",
            "street": "Wichlinghauser Straße 1",
            "postal_code": "42277",
            "city": "Wuppertal",
            "district": "oberbarmen",
            "latitude": "51.2790",
            "longitude": "7.2400",
            "wheelchair_accessible": "yes",
        },
    )
    assert response.status_code == 302
    location = Location.objects.get(name="Familienzentrum")
    assert location.provider == caritas
    assert location.wheelchair_accessible is True
    url = reverse("directory:location_edit", kwargs={"pk": location.pk})
    assert client.get(url).status_code == 200
    client.post(url, {"name": "Familienzentrum Nord", "wheelchair_accessible": ""})
    location.refresh_from_db()
    assert location.name == "Familienzentrum Nord"
    assert location.wheelchair_accessible is None


def test_a_wrong_coordinate_is_refused_on_its_field(client_for, ida, caritas):
    client = logged_in(client_for, ida)
    response = client.post(
        reverse("directory:location_create", kwargs={"pk": caritas.pk}),
        {"name": "Irgendwo", "latitude": "95"},
    )
    assert response.status_code == 400
    assert "latitude" in response.context["form"].errors
    assert not Location.objects.filter(name="Irgendwo").exists()


def test_a_proposed_provider_waits_for_the_system_admin(client_for, ida, hana, agencies):
    client = logged_in(client_for, ida)
    response = client.post(
        reverse("directory:provider_propose"),
        {"name": "Nachbarschaftsverein", "description": "Hilft beim Ankommen."},
    )
    assert response.status_code == 302
    provider = Provider.objects.get(name="Nachbarschaftsverein")
    assert provider.status == Provider.Status.PROPOSED
    assert provider.agency == agencies.caritas
    make_offer(provider, "Begrüßungscafé")
    public = Client().get(reverse("public:search"))
    assert "Begrüßungscafé" not in public.content.decode()
    # Only system administrators decide.
    assert client.get(reverse("directory:proposals")).status_code == 404
    decide = reverse("directory:provider_decide", kwargs={"pk": provider.pk})
    prefix = f"p{provider.pk}"
    assert (
        client.post(decide, {f"{prefix}-version": 1, f"{prefix}-decision": "approve"}).status_code
        == 404
    )
    admin = logged_in(client_for, hana)
    page = admin.get(reverse("directory:proposals"))
    assert [p.name for p, _form in page.context["rows"]] == ["Nachbarschaftsverein"]
    response = admin.post(decide, {f"{prefix}-version": 1, f"{prefix}-decision": "approve"})
    assert response.status_code == 302
    provider.refresh_from_db()
    assert provider.status == Provider.Status.APPROVED
    assert provider.decided_by == hana
    public = Client().get(reverse("public:search"))
    assert "Begrüßungscafé" in public.content.decode()


def test_a_rejection_needs_a_note(client_for, hana, agencies):
    provider = make_provider(agencies.caritas, name="Unklar", status=Provider.Status.PROPOSED)
    admin = logged_in(client_for, hana)
    decide = reverse("directory:provider_decide", kwargs={"pk": provider.pk})
    prefix = f"p{provider.pk}"
    response = admin.post(decide, {f"{prefix}-version": 1, f"{prefix}-decision": "reject"})
    assert response.status_code == 400
    provider.refresh_from_db()
    assert provider.status == Provider.Status.PROPOSED
    response = admin.post(
        decide,
        {f"{prefix}-version": 1, f"{prefix}-decision": "reject", f"{prefix}-note": "Kein Träger"},
    )
    assert response.status_code == 302
    provider.refresh_from_db()
    assert provider.status == Provider.Status.REJECTED
    assert provider.decision_note == "Kein Träger"


def test_an_agency_admin_proposes_only_for_her_own_agency(client_for, ida, agencies):
    client = logged_in(client_for, ida)
    response = client.post(
        reverse("directory:provider_propose"),
        {"name": "Fremd", "description": "x", "agency": agencies.kim.code},
    )
    assert response.status_code == 302
    assert Provider.objects.get(name="Fremd").agency == agencies.caritas


# --- query counts -----------------------------------------------------------------------------


def _queries(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured.captured_queries)


def _fill(provider: Provider, start: int, count: int) -> None:
    for number in range(start, start + count):
        location = make_location(provider, f"Ort {number}")
        offer = make_offer(
            provider, f"Angebot {number:03d}", languages=("ar", "fa"), locations=(location,)
        )
        Schedule.objects.create(offer=offer, byday="MO", opens_at=time(9))


@pytest.mark.parametrize("url_name", ["directory:list", "directory:manage"])
def test_staff_lists_cost_the_same_queries_for_3_and_30_offers(client_for, ida, caritas, url_name):
    client = logged_in(client_for, ida)
    _fill(caritas, 0, 3)
    few = _queries(client, reverse(url_name))
    _fill(caritas, 3, 27)
    for number in range(5):
        make_provider(ida.primary_membership().agency, name=f"Weiterer Träger {number}")
    many = _queries(client, reverse(url_name))
    assert few == many


def test_the_edit_page_costs_the_same_queries_however_many_rows(client_for, ida, caritas):
    client = logged_in(client_for, ida)
    small = make_offer(caritas, "Klein")
    big = make_offer(caritas, "Groß", languages=("ar", "fa", "ti", "ps"))
    for number in range(6):
        Schedule.objects.create(offer=big, byday="MO", opens_at=time(8 + number))
        location = make_location(caritas, f"Ort {number}")
        big.at_locations.create(location=location)
    few = _queries(client, reverse("directory:offer_edit", kwargs={"pk": small.pk}))
    many = _queries(client, reverse("directory:offer_edit", kwargs={"pk": big.pk}))
    assert few == many


def test_a_second_admin_of_caritas_sees_the_same_offers(client_for, agencies, caritas_offer):
    colleague = member("ines", agencies.caritas, Role.AGENCY_ADMIN)
    page = logged_in(client_for, colleague).get(reverse("directory:manage"))
    assert [o.name for block in page.context["blocks"] for o in block.offers] == ["Sprachcafé"]
