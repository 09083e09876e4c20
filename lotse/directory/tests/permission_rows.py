"""Permission-matrix rows of the directory of offers.

Offers are not personal data: every signed-in role reads the offer list and the HSDS export;
anonymous callers get 401 from the API (as everywhere under /api/v1/). No owner case matters.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.utils import timezone

from lotse.directory.models import Location, Offer, OfferDomain, Provider
from tests.matrix import OWN, OWNERS, ROLES, Row, World, api_expect, api_op, expect, page

API: dict[str, Row] = {
    "GET /api/v1/offers": api_op("/api/v1/offers", expect=api_expect(roles=ROLES)),
    "GET /api/v1/offers/export": api_op(
        "/api/v1/offers/export",
        expect=api_expect(roles=ROLES),
        query=lambda world: "format=hsds-json",
    ),
}


# --- pages: the public directory and the staff pages ---------------------------------------
# The public directory answers everyone, signed in or not. On the staff pages the target is a
# provider linked to the acting agency (own) or to the Jugendamt (every foreign case): agency
# admins keep their own agency's providers, system admins every provider; caseworkers read the
# internal directory. A target out of reach answers 404, as a missing one does.

READERS = ("caseworker", "team_lead", "agency_admin", "system_admin")
MAINTAINERS = ("agency_admin", "system_admin")
EVERYONE_PUBLIC = expect(roles=ROLES, anonymous=200)
#: agency admins their own agency's providers, system admins all of them
KEEPS = expect(roles=("agency_admin",), owners=(OWN,), also={"system_admin": OWNERS})
KEEPS_POST = expect(ok=302, roles=("agency_admin",), owners=(OWN,), also={"system_admin": OWNERS})


def _cache(world: World) -> dict[str, Any]:
    cache: dict[str, Any] = world.__dict__.setdefault("_directory_pages", {})
    return cache


def _provider(world: World, status: str = Provider.Status.APPROVED) -> Provider:
    cache = _cache(world)
    if status not in cache:
        agency = world.agencies.jugendamt if world.foreign else world.agency
        cache[status] = Provider.objects.create(
            name=f"Träger {agency.code} {status}",
            description="Hilft Familien.",
            agency=agency,
            status=status,
        )
    provider: Provider = cache[status]
    return provider


def _offer(world: World, status: str = Provider.Status.APPROVED) -> Offer:
    cache = _cache(world)
    key = f"offer-{status}"
    if key not in cache:
        created = Offer.objects.create(
            provider=_provider(world, status),
            name="Sprachcafé",
            description="Deutsch üben bei Kaffee.",
            checked_on=timezone.localdate(),
        )
        OfferDomain.objects.create(offer=created, domain="language", position=0)
        cache[key] = created
    offer: Offer = cache[key]
    return offer


def _location(world: World) -> Location:
    cache = _cache(world)
    if "location" not in cache:
        cache["location"] = Location.objects.create(
            provider=_provider(world), name="Stadtteiltreff", district="barmen"
        )
    location: Location = cache["location"]
    return location


def _ended_offer(world: World) -> Offer:
    cache = _cache(world)
    if "ended" not in cache:
        cache["ended"] = Offer.objects.create(
            provider=_provider(world),
            name="Beendetes Sprachcafé",
            description="Lief bis gestern.",
            valid_until=timezone.localdate() - timedelta(days=1),
        )
    offer: Offer = cache["ended"]
    return offer


def _offer_pk(world: World) -> dict[str, Any]:
    return {"pk": _offer(world).pk}


def _provider_form(world: World, status: str = Provider.Status.APPROVED) -> dict[str, Any]:
    return {
        "version": _provider(world, status).version,
        "name": "Träger mit neuem Namen",
        "description": "Hilft Familien, jetzt auch samstags.",
        "website": "https://traeger.example",
    }


def _offer_form(world: World) -> dict[str, Any]:
    return {
        "version": _offer(world).version,
        "name": "Sprachcafé am Abend",
        "description": "Deutsch üben bei Kaffee, jetzt abends.",
        "main_domain": "language",
        "status": "active",
        "citywide": "on",
        "free_of_charge": "on",
        "is_public": "on",
        "accepts_referrals": "on",
        "times-TOTAL_FORMS": "0",
        "times-INITIAL_FORMS": "0",
        "times-MIN_NUM_FORMS": "0",
        "times-MAX_NUM_FORMS": "20",
    }


def _new_offer_form(world: World) -> dict[str, Any]:
    data = _offer_form(world)
    del data["version"]
    return data


def _proposed(world: World) -> Provider:
    return _provider(world, Provider.Status.PROPOSED)


def _decision(world: World) -> dict[str, Any]:
    provider = _proposed(world)
    prefix = f"p{provider.pk}"
    return {f"{prefix}-version": provider.version, f"{prefix}-decision": "approve"}


_PUBLIC = (
    "public:search",
    "public:print",
    "public:map",
    "public:feed",
    "public:feed_doc",
    "public:imprint",
    "public:privacy",
    "public:accessibility",
    "public:accessibility_feedback",
    "public:accessibility_feedback_thanks",
    "public:easy_language",
)

PAGES: dict[str, Row] = {name: page(name, expect=EVERYONE_PUBLIC) for name in _PUBLIC} | {
    # Anyone may report a barrier; an empty report answers 400 naming the field (and, unlike a
    # sent one, does not count against the limit per address, so every case can post it).
    "public:accessibility_feedback POST": page(
        "public:accessibility_feedback",
        method="POST",
        expect=expect(ok=400, roles=ROLES, anonymous=400),
        data=lambda world: {"barrier": ""},
    ),
    "public:offer": page(
        "public:offer",
        expect=EVERYONE_PUBLIC,
        kwargs=lambda world: {"hsds_id": _offer(world).hsds_id},
    ),
    "directory:list": page("directory:list", expect=expect(roles=READERS)),
    "directory:offer": page("directory:offer", expect=expect(roles=READERS), kwargs=_offer_pk),
    # An offer of a provider not approved yet is in no list: only those who keep it see it.
    "directory:offer proposed": page(
        "directory:offer",
        expect=KEEPS,
        kwargs=lambda world: {"pk": _offer(world, Provider.Status.PROPOSED).pk},
    ),
    "directory:offer_edit": page("directory:offer_edit", expect=KEEPS, kwargs=_offer_pk),
    "directory:offer_edit POST": page(
        "directory:offer_edit",
        method="POST",
        expect=KEEPS_POST,
        kwargs=_offer_pk,
        data=_offer_form,
    ),
    "directory:offer_confirm": page(
        "directory:offer_confirm",
        method="POST",
        expect=KEEPS_POST,
        kwargs=_offer_pk,
        data=lambda world: {"version": _offer(world).version},
    ),
    "directory:offer_referrals": page(
        "directory:offer_referrals",
        method="POST",
        expect=KEEPS_POST,
        kwargs=_offer_pk,
        data=lambda world: {"version": _offer(world).version, "paused": "True"},
    ),
    # Ending is not deleting: a confirmation page (GET), the end itself only by POST.
    "directory:offer_end": page("directory:offer_end", expect=KEEPS, kwargs=_offer_pk),
    "directory:offer_end POST": page(
        "directory:offer_end",
        method="POST",
        expect=KEEPS_POST,
        kwargs=_offer_pk,
        data=lambda world: {"version": _offer(world).version, "when": "now"},
    ),
    "directory:offer_reopen": page(
        "directory:offer_reopen",
        method="POST",
        expect=KEEPS_POST,
        kwargs=lambda world: {"pk": _ended_offer(world).pk},
        data=lambda world: {"version": _ended_offer(world).version},
    ),
    "directory:manage": page("directory:manage", expect=expect(roles=MAINTAINERS)),
    "directory:provider_edit": page(
        "directory:provider_edit",
        expect=KEEPS,
        kwargs=lambda world: {"pk": _provider(world).pk},
    ),
    "directory:provider_edit POST": page(
        "directory:provider_edit",
        method="POST",
        expect=KEEPS_POST,
        kwargs=lambda world: {"pk": _provider(world).pk},
        data=_provider_form,
    ),
    # A proposed provider is kept by its proposer's agency before a system admin approves it.
    "directory:provider_edit POST proposed": page(
        "directory:provider_edit",
        method="POST",
        expect=KEEPS_POST,
        kwargs=lambda world: {"pk": _proposed(world).pk},
        data=lambda world: _provider_form(world, Provider.Status.PROPOSED),
    ),
    "directory:offer_create": page(
        "directory:offer_create",
        expect=KEEPS,
        kwargs=lambda world: {"pk": _provider(world).pk},
    ),
    "directory:offer_create POST": page(
        "directory:offer_create",
        method="POST",
        expect=KEEPS_POST,
        kwargs=lambda world: {"pk": _provider(world).pk},
        data=_new_offer_form,
    ),
    "directory:location_create": page(
        "directory:location_create",
        expect=KEEPS,
        kwargs=lambda world: {"pk": _provider(world).pk},
    ),
    "directory:location_create POST": page(
        "directory:location_create",
        method="POST",
        expect=KEEPS_POST,
        kwargs=lambda world: {"pk": _provider(world).pk},
        data=lambda world: {"name": "Familienzentrum", "district": "oberbarmen"},
    ),
    "directory:location_edit": page(
        "directory:location_edit",
        expect=KEEPS,
        kwargs=lambda world: {"pk": _location(world).pk},
    ),
    "directory:location_edit POST": page(
        "directory:location_edit",
        method="POST",
        expect=KEEPS_POST,
        kwargs=lambda world: {"pk": _location(world).pk},
        data=lambda world: {"name": "Stadtteiltreff Nord", "district": "barmen"},
    ),
    "directory:location_delete": page(
        "directory:location_delete",
        expect=KEEPS,
        kwargs=lambda world: {"pk": _location(world).pk},
    ),
    "directory:location_delete POST": page(
        "directory:location_delete",
        method="POST",
        expect=KEEPS_POST,
        kwargs=lambda world: {"pk": _location(world).pk},
    ),
    "directory:provider_propose": page(
        "directory:provider_propose", expect=expect(roles=MAINTAINERS)
    ),
    "directory:provider_propose POST": page(
        "directory:provider_propose",
        method="POST",
        expect=expect(ok=302, roles=MAINTAINERS),
        data=lambda world: {"name": "Nachbarschaftsverein", "description": "Hilft beim Ankommen."},
    ),
    "directory:proposals": page("directory:proposals", expect=expect(roles=("system_admin",))),
    "directory:provider_decide": page(
        "directory:provider_decide",
        method="POST",
        expect=expect(ok=302, roles=("system_admin",)),
        kwargs=lambda world: {"pk": _proposed(world).pk},
        data=_decision,
    ),
}
