"""Keeping the directory up to date: editing a provider's own data (optimistic locking, field
errors, audit), ending and reopening an offer (never deleting it), deleting a location no offer
uses — and that another agency reaches none of it.

Assertions are on data, status codes and test ids; the new UI texts may not be translated yet.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from lotse.audit.models import AuditAction, AuditEvent
from lotse.directory.matching import NeedProfile, PersonProfile, match_needs
from lotse.directory.models import Location, Offer, Provider, Schedule
from lotse.directory.services import ProviderData, provider_update
from lotse.referrals.services import offer_target

from .test_public_directory import body, make_location, make_offer, make_provider

pytestmark = pytest.mark.django_db


@pytest.fixture
def caritas(agencies: Any) -> Provider:
    return make_provider(
        agencies.caritas,
        name="Caritas Wuppertal",
        website="https://caritas.example",
        email="info@caritas.example",
    )


@pytest.fixture
def kim(agencies: Any) -> Provider:
    return make_provider(agencies.kim, name="KIM Wuppertal")


@pytest.fixture
def sprachcafe(caritas: Provider) -> Offer:
    return make_offer(caritas, "Sprachcafé Barmen", languages=("ar",))


def logged_in(client_for: Any, user: Any) -> Client:
    client: Client = client_for(user)
    return client


def provider_form(provider: Provider, **changes: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "version": str(provider.version),
        "name": provider.name,
        "alternate_name": provider.alternate_name,
        "description": provider.description,
        "email": provider.email,
        "website": provider.website,
        "phone": provider.phone,
    }
    data.update(changes)
    return data


def url(name: str, pk: int) -> str:
    return reverse(f"directory:{name}", kwargs={"pk": pk})


def public_names() -> list[str]:
    response = Client().get(reverse("public:search"))
    assert response.status_code == 200
    return [card.offer.name for card in response.context["cards"]]


def language_need() -> NeedProfile:
    return NeedProfile(
        key="language",
        domain="language",
        level=3,
        persons=(PersonProfile(age=34, languages=("ar",)),),
        district="barmen",
    )


def matched_names() -> list[str]:
    (result,) = match_needs([language_need()])
    return [match.offer.name for match in result.matches]


def last_event(target: Any) -> AuditEvent:
    event = (
        AuditEvent.objects.filter(
            action=AuditAction.OFFER_SAVED,
            target_type=target._meta.label_lower,
            target_id=str(target.pk),
        )
        .order_by("-pk")
        .first()
    )
    assert event is not None
    return event


# --- the provider's own data ------------------------------------------------------------------


def test_an_agency_admin_edits_her_providers_public_data(client_for, ida, caritas):
    client = logged_in(client_for, ida)
    page = client.get(url("provider_edit", caritas.pk))
    assert page.status_code == 200
    assert page.context["form"]["website"].value() == "https://caritas.example"
    response = client.post(
        url("provider_edit", caritas.pk),
        provider_form(
            caritas,
            name="Caritasverband Wuppertal/Solingen",
            alternate_name="Caritas",
            phone="0202 389030",
            website="https://www.caritas-wsg.example/",
        ),
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("directory:manage")
    caritas.refresh_from_db()
    assert caritas.name == "Caritasverband Wuppertal/Solingen"
    assert caritas.alternate_name == "Caritas"
    assert caritas.phone == "0202 389030"
    assert caritas.website == "https://www.caritas-wsg.example/"
    assert caritas.email == "info@caritas.example"
    assert caritas.version == 2
    event = last_event(caritas)
    assert event.actor == ida
    assert event.detail["provider"] is True
    assert sorted(event.detail["changed"]) == ["alternate_name", "name", "phone", "website"]
    # Public data: the public directory shows the new name with its offers.
    make_offer(caritas, "Elterncafé")
    public = Client().get(reverse("public:search"))
    assert "Caritasverband Wuppertal/Solingen" in public.content.decode()


def test_the_manage_page_links_to_the_provider_edit(client_for, ida, caritas):
    page = logged_in(client_for, ida).get(reverse("directory:manage"))
    assert url("provider_edit", caritas.pk) in page.content.decode()


def test_a_system_admin_edits_every_provider(client_for, hana, kim):
    client = logged_in(client_for, hana)
    response = client.post(url("provider_edit", kim.pk), provider_form(kim, name="KIM Stadt"))
    assert response.status_code == 302
    kim.refresh_from_db()
    assert kim.name == "KIM Stadt"


def test_a_stale_provider_edit_is_refused_with_the_table_of_what_changed(
    client_for, ida, hana, caritas
):
    client = logged_in(client_for, ida)
    mine = provider_form(caritas, name="Idas Name", phone="0202 1")
    # Meanwhile the system administrator renames the provider.
    other = logged_in(client_for, hana)
    assert (
        other.post(url("provider_edit", caritas.pk), provider_form(caritas, name="Hanas Name"))
    ).status_code == 302
    response = client.post(url("provider_edit", caritas.pk), mine)
    assert response.status_code == 409
    caritas.refresh_from_db()
    assert caritas.name == "Hanas Name"
    assert caritas.phone == ""
    assert caritas.version == 2
    # Every field whose current value differs from the entry, by its label.
    rows = {row["current"]: row["yours"] for row in response.context["conflict"]}
    assert rows == {"Hanas Name": "Idas Name", "—": "0202 1"}
    assert 'data-testid="stale-edit"' in response.content.decode()
    # Re-based on the current version: saving again overwrites knowingly.
    assert response.context["form"]["version"].value() == "2"
    again = client.post(url("provider_edit", caritas.pk), mine | {"version": "2"})
    assert again.status_code == 302
    caritas.refresh_from_db()
    assert (caritas.name, caritas.phone) == ("Idas Name", "0202 1")


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"name": "   "}, "name"),
        ({"description": ""}, "description"),
        ({"email": "keine-adresse"}, "email"),
        ({"website": "nicht eine adresse"}, "website"),
        ({"phone": "0202\u202e123"}, "phone"),
        ({"alternate_name": "x" * 201}, "alternate_name"),
    ],
)
def test_bad_provider_input_names_the_field_and_saves_nothing(
    client_for, ida, caritas, changes, field
):
    response = logged_in(client_for, ida).post(
        url("provider_edit", caritas.pk), provider_form(caritas, **changes)
    )
    assert response.status_code == 400
    assert list(response.context["form"].errors) == [field]
    assert [item.anchor for item in response.context["summary"]] == [f"id_{field}"]
    caritas.refresh_from_db()
    assert caritas.version == 1
    assert caritas.name == "Caritas Wuppertal"


def test_the_service_checks_the_contact_fields_itself(ida, caritas):
    with pytest.raises(ValidationError) as refused:
        provider_update(
            provider=caritas,
            data=ProviderData(
                name="Caritas", description="Hilft.", email="x@", website="ftp://caritas"
            ),
            expected_version=caritas.version,
            membership=ida.primary_membership(),
            actor=ida,
        )
    assert set(refused.value.message_dict) == {"email", "website"}


def test_a_proposed_provider_is_edited_by_its_proposers_agency(client_for, ida, hana):
    client = logged_in(client_for, ida)
    client.post(
        reverse("directory:provider_propose"),
        {"name": "Nachbarschaftsverein", "description": "Hilft beim Ankommen."},
    )
    provider = Provider.objects.get(name="Nachbarschaftsverein")
    assert provider.status == Provider.Status.PROPOSED
    assert client.get(url("provider_edit", provider.pk)).status_code == 200
    response = client.post(
        url("provider_edit", provider.pk),
        provider_form(provider, name="Nachbarschaftsverein Ostersbaum e. V."),
    )
    assert response.status_code == 302
    provider.refresh_from_db()
    assert provider.name == "Nachbarschaftsverein Ostersbaum e. V."
    # Editing does not approve it: that stays with the system administrators.
    assert provider.status == Provider.Status.PROPOSED
    proposals = logged_in(client_for, hana).get(reverse("directory:proposals"))
    assert [p.name for p, _form in proposals.context["rows"]] == [provider.name]


# --- ending and reopening an offer ------------------------------------------------------------


def test_ending_an_offer_now_takes_it_off_the_directory_matching_and_referrals(
    client_for, ida, anna, sprachcafe
):
    assert public_names() == ["Sprachcafé Barmen"]
    assert str(sprachcafe.hsds_id) in body(Client().get(reverse("public:feed")))
    assert matched_names() == ["Sprachcafé Barmen"]
    client = logged_in(client_for, ida)
    # The confirmation step changes nothing.
    confirm = client.get(url("offer_end", sprachcafe.pk))
    assert confirm.status_code == 200
    sprachcafe.refresh_from_db()
    assert sprachcafe.valid_until is None
    response = client.post(
        url("offer_end", sprachcafe.pk), {"version": sprachcafe.version, "when": "now"}
    )
    assert response.status_code == 302
    assert response["Location"] == url("offer", sprachcafe.pk)
    sprachcafe.refresh_from_db()
    today = timezone.localdate()
    # Its last day was yesterday: from today on it is gone everywhere it is offered.
    assert sprachcafe.valid_until == today - timedelta(days=1)
    assert sprachcafe.has_ended()
    assert sprachcafe.version == 2
    assert public_names() == []
    public_page = Client().get(reverse("public:offer", kwargs={"hsds_id": sprachcafe.hsds_id}))
    assert public_page.status_code == 404
    feed = Client().get(reverse("public:feed"))
    assert str(sprachcafe.hsds_id) not in body(feed)
    assert matched_names() == []
    with pytest.raises(ValidationError) as refused:
        offer_target(sprachcafe)
    assert "to_offer" in refused.value.message_dict
    # Kept, not deleted: its agency still sees it, marked as ended, and needs no check.
    assert Offer.objects.filter(pk=sprachcafe.pk).exists()
    manage = client.get(reverse("directory:manage"))
    assert 'data-testid="ended"' in manage.content.decode()
    assert 'data-testid="reopen-offer"' in manage.content.decode()
    (block,) = manage.context["blocks"]
    assert block.due == 0
    detail = client.get(url("offer", sprachcafe.pk))
    assert 'data-testid="ended"' in detail.content.decode()
    # Caseworkers refer only to current offers: the internal directory no longer lists it.
    assert logged_in(client_for, anna).get(url("offer", sprachcafe.pk)).status_code == 404
    event = last_event(sprachcafe)
    assert event.detail["ended"] is True
    assert event.detail["valid_until"] == (today - timedelta(days=1)).isoformat()
    assert event.detail["previous"] == {"valid_from": None, "valid_until": None}


def test_an_offer_ended_after_a_last_day_runs_until_then(client_for, ida, sprachcafe):
    last_day = timezone.localdate() + timedelta(days=10)
    response = logged_in(client_for, ida).post(
        url("offer_end", sprachcafe.pk),
        {
            "version": sprachcafe.version,
            "when": "later",
            "last_day": last_day.isoformat(),
            "back": "manage",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("directory:manage")
    sprachcafe.refresh_from_db()
    assert sprachcafe.valid_until == last_day
    assert not sprachcafe.has_ended()
    assert public_names() == ["Sprachcafé Barmen"]
    assert offer_target(sprachcafe) == sprachcafe.provider.agency
    # Ending today keeps it through today.
    response = logged_in(client_for, ida).post(
        url("offer_end", sprachcafe.pk),
        {
            "version": sprachcafe.version,
            "when": "later",
            "last_day": timezone.localdate().isoformat(),
        },
    )
    assert response.status_code == 302
    assert public_names() == ["Sprachcafé Barmen"]


@pytest.mark.parametrize(
    "last_day",
    [
        pytest.param("", id="later-without-a-day"),
        pytest.param("yesterday", id="a-day-in-the-past"),
        pytest.param("31.02.2030", id="not-a-date"),
        pytest.param("before-the-start", id="before-the-start"),
    ],
)
def test_a_wrong_last_day_is_refused_on_its_field(client_for, ida, caritas, last_day):
    today = timezone.localdate()
    offer = make_offer(caritas, "Ferienkurs", valid_from=today + timedelta(days=20))
    days = {
        "yesterday": (today - timedelta(days=1)).isoformat(),
        "before-the-start": (today + timedelta(days=5)).isoformat(),
    }
    response = logged_in(client_for, ida).post(
        url("offer_end", offer.pk),
        {"version": offer.version, "when": "later", "last_day": days.get(last_day, last_day)},
    )
    assert response.status_code == 400
    assert list(response.context["form"].errors) == ["last_day"]
    assert [item.anchor for item in response.context["summary"]] == ["id_last_day"]
    offer.refresh_from_db()
    assert offer.valid_until is None
    assert offer.version == 1


def test_a_stale_end_is_refused_and_ends_nothing(client_for, ida, hana, sprachcafe):
    client = logged_in(client_for, ida)
    old_version = sprachcafe.version
    # Meanwhile the system administrator pauses referrals.
    logged_in(client_for, hana).post(
        url("offer_referrals", sprachcafe.pk), {"version": old_version, "paused": "True"}
    )
    response = client.post(url("offer_end", sprachcafe.pk), {"version": old_version, "when": "now"})
    assert response.status_code == 409
    assert 'data-testid="stale-edit"' in response.content.decode()
    sprachcafe.refresh_from_db()
    assert sprachcafe.valid_until is None
    assert response.context["form"]["version"].value() == str(sprachcafe.version)


def test_an_offer_that_never_started_ends_without_an_end_before_its_start(client_for, ida, caritas):
    start = timezone.localdate() + timedelta(days=30)
    offer = make_offer(caritas, "Sommerkurs", valid_from=start)
    response = logged_in(client_for, ida).post(
        url("offer_end", offer.pk), {"version": offer.version, "when": "now"}
    )
    assert response.status_code == 302
    offer.refresh_from_db()
    assert offer.has_ended()
    assert offer.valid_from is None
    # The planned start is kept in the audit trail.
    assert last_event(offer).detail["previous"]["valid_from"] == start.isoformat()


def test_an_ended_offer_is_reopened_and_back_in_the_directory(client_for, ida, caritas):
    offer = make_offer(
        caritas, "Sprachcafé Barmen", valid_until=timezone.localdate() - timedelta(days=3)
    )
    assert public_names() == []
    client = logged_in(client_for, ida)
    # Ending it again is refused: it has ended already.
    again = client.post(url("offer_end", offer.pk), {"version": offer.version, "when": "now"})
    assert again.status_code == 400
    assert 'data-testid="ended"' in again.content.decode()
    response = client.post(url("offer_reopen", offer.pk), {"version": offer.version})
    assert response.status_code == 302
    offer.refresh_from_db()
    assert offer.valid_until is None
    assert offer.version == 2
    assert public_names() == ["Sprachcafé Barmen"]
    assert matched_names() == ["Sprachcafé Barmen"]
    assert last_event(offer).detail["reopened"] is True
    # A stale reopen writes nothing.
    offer.valid_until = timezone.localdate() - timedelta(days=1)
    offer.save()
    client.post(url("offer_reopen", offer.pk), {"version": "1"})
    offer.refresh_from_db()
    assert offer.valid_until is not None


def test_ending_and_deleting_take_a_post_with_its_csrf_token(ida, sprachcafe, caritas):
    location = make_location(caritas)
    client = Client(enforce_csrf_checks=True)
    client.force_login(ida)
    for target in (
        url("offer_end", sprachcafe.pk),
        url("offer_reopen", sprachcafe.pk),
        url("location_delete", location.pk),
    ):
        forged = client.post(target, {"version": sprachcafe.version, "when": "now"})
        assert forged.status_code == 403, target
        assert client.put(target).status_code in (403, 405), target
    assert client.get(url("offer_reopen", sprachcafe.pk)).status_code == 405
    sprachcafe.refresh_from_db()
    assert sprachcafe.valid_until is None
    assert Location.objects.filter(pk=location.pk).exists()


# --- deleting a location ----------------------------------------------------------------------


def test_a_location_no_offer_uses_is_deleted_after_asking(client_for, ida, caritas):
    location = make_location(caritas, "Altes Büro")
    client = logged_in(client_for, ida)
    manage = client.get(reverse("directory:manage"))
    assert url("location_delete", location.pk) in manage.content.decode()
    confirm = client.get(url("location_delete", location.pk))
    assert confirm.status_code == 200
    assert confirm.context["offers"] == []
    assert Location.objects.filter(pk=location.pk).exists()
    response = client.post(url("location_delete", location.pk))
    assert response.status_code == 302
    assert not Location.objects.filter(pk=location.pk).exists()
    event = (
        AuditEvent.objects.filter(
            action=AuditAction.OFFER_SAVED,
            target_type="directory.location",
            target_id=str(location.pk),
        )
        .order_by("-pk")
        .get()
    )
    assert event.detail["deleted"] is True
    assert event.actor == ida


def test_a_location_in_use_is_refused_naming_the_offers_with_links(client_for, ida, caritas):
    location = make_location(caritas, "Haus der Begegnung")
    at_place = make_offer(caritas, "Elterncafé", locations=(location,))
    # An ended offer still names its place, and a time can name a place too.
    ended = make_offer(
        caritas, "Beendeter Kurs", valid_until=timezone.localdate() - timedelta(days=30)
    )
    Schedule.objects.create(offer=ended, byday="MO", location=location)
    make_offer(caritas, "Woanders", locations=(make_location(caritas, "Anderswo"),))
    client = logged_in(client_for, ida)
    confirm = client.get(url("location_delete", location.pk))
    assert confirm.status_code == 200
    assert [o.name for o in confirm.context["offers"]] == ["Beendeter Kurs", "Elterncafé"]
    response = client.post(url("location_delete", location.pk))
    assert response.status_code == 400
    text = response.content.decode()
    assert 'data-testid="location-in-use"' in text
    for offer in (at_place, ended):
        assert f'href="{url("offer", offer.pk)}"' in text
        assert offer.name in text
    assert "Woanders" not in text
    assert Location.objects.filter(pk=location.pk).exists()
    assert at_place.at_locations.filter(location=location).exists()
    assert ended.schedules.filter(location=location).exists()


def test_the_location_page_costs_the_same_queries_for_one_and_six_offers(
    client_for, ida, caritas, django_assert_max_num_queries
):
    location = make_location(caritas)
    make_offer(caritas, "Angebot 0", locations=(location,))
    client = logged_in(client_for, ida)
    with CaptureQueriesContext(connection) as few:
        assert client.get(url("location_delete", location.pk)).status_code == 200
    for number in range(1, 6):
        make_offer(caritas, f"Angebot {number}", locations=(location,))
    with django_assert_max_num_queries(len(few.captured_queries)):
        page = client.get(url("location_delete", location.pk))
    assert len(page.context["offers"]) == 6


# --- another agency, and roles that keep nothing ----------------------------------------------


def test_another_agencys_admin_and_a_caseworker_reach_none_of_it(client_for, ida, anna, kim):
    offer = make_offer(kim, "KIM Sprechstunde")
    ended = make_offer(kim, "KIM Alt", valid_until=timezone.localdate() - timedelta(days=1))
    location = make_location(kim, "KIM Büro")
    for user in (ida, anna):
        client = logged_in(client_for, user)
        assert client.get(url("provider_edit", kim.pk)).status_code == 404
        assert (
            client.post(url("provider_edit", kim.pk), provider_form(kim, name="Gekapert"))
        ).status_code == 404
        assert client.get(url("offer_end", offer.pk)).status_code == 404
        assert (
            client.post(url("offer_end", offer.pk), {"version": offer.version, "when": "now"})
        ).status_code == 404
        assert (
            client.post(url("offer_reopen", ended.pk), {"version": ended.version})
        ).status_code == 404
        assert client.get(url("location_delete", location.pk)).status_code == 404
        assert client.post(url("location_delete", location.pk)).status_code == 404
    kim.refresh_from_db()
    offer.refresh_from_db()
    ended.refresh_from_db()
    assert (kim.name, kim.version) == ("KIM Wuppertal", 1)
    assert offer.valid_until is None
    assert ended.valid_until is not None
    assert Location.objects.filter(pk=location.pk).exists()
    assert not AuditEvent.objects.filter(action=AuditAction.OFFER_SAVED).exists()


def test_another_agencys_proposed_provider_is_not_editable_either(client_for, ida, agencies):
    proposed = make_provider(agencies.kim, name="Neuer Verein", status=Provider.Status.PROPOSED)
    client = logged_in(client_for, ida)
    assert client.get(url("provider_edit", proposed.pk)).status_code == 404
