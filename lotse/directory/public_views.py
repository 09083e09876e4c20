"""The public directory under ``/angebote/``: no login, German first, accessible, no JavaScript.

Search with filters over the current offers of approved providers that are public, an offer's
page, a print view of the results, the locations as a drawn plot with the same as a list, a
JSON feed, and the legal and help pages a German public body's website needs.

Offers are not personal data; nothing here reads a person, and nothing a visitor types is
stored. Every list costs the same few queries whatever the number of offers: the count, the
page with its prefetched rows (``selectors.with_offer_details``) and the languages offered.

The JSON feed (``/angebote/feed.json``, documented at ``/angebote/feed/``)::

    {"format": "lotse-offers", "version": 1, "generated_at": "…", "language": "de",
     "documentation": "https://…/angebote/feed/", "count": 2, "offers": [ {…}, … ]}

Each offer: ``id`` (HSDS UUID), ``name``, ``alternate_name``, ``description``, ``url`` (its
page here), ``website``, ``email``, ``phone``, ``provider`` {``id``, ``name``, ``website``,
``email``, ``phone``}, ``domains`` (codes, main first), ``languages`` (ISO 639 codes),
``citywide``, ``districts`` (codes), ``minimum_age``, ``maximum_age``, ``family_situations``
(codes), ``free_of_charge``, ``fees``, ``free_places``, ``waiting_list``, ``how_to_apply``,
``documents``, ``locations`` [{``id``, ``name``, ``street``, ``postal_code``, ``city``,
``district``, ``latitude``, ``longitude``, ``step_free``}], ``schedules`` [{``rrule``
(RFC 5545), ``opens_at``, ``closes_at``, ``text``}], ``checked_on``. The search filters of the
page apply to the feed as query parameters as well.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import time
from decimal import Decimal
from typing import Any
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_not_required
from django.db import connection
from django.db.models import Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.dates import WEEKDAYS
from django.utils.formats import date_format, time_format
from django.utils.translation import get_language, ngettext, pgettext
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from lotse.core.paging import Paging
from lotse.people.choices import District, Sex
from lotse.people.validation import language_name

from .domains import LifeDomain
from .forms import COMMON_LANGUAGES, OfferSearchForm, SearchFilters
from .models import (
    CityText,
    FamilySituation,
    Location,
    Offer,
    OfferDistrict,
    OfferDomain,
    OfferLanguage,
    OfferLocation,
    Schedule,
)
from .public_texts import page_text
from .selectors import offers_search

PER_PAGE = 20
#: The print view lists at most this many offers (say so, and ask for a narrower search).
PRINT_LIMIT = 200
#: Offers per chunk of the JSON feed (each chunk costs the same five queries for its rows).
FEED_CHUNK = 500

# --- searching ----------------------------------------------------------------------------------


def public_languages() -> list[str]:
    """The choices of the language filter: the families' most frequent languages and every
    language an offer is given in.

    Not only those of public offers: that took a join over every offer on each search
    (10 ms at 5,000 offers), while the codes alone come from an index. A language without a
    public offer then finds none, which is an answer too."""
    used = OfferLanguage.objects.order_by("code").values_list("code", flat=True).distinct()
    return list(dict.fromkeys([*COMMON_LANGUAGES, *used]))


def search_offers(filters: SearchFilters, *, public_only: bool) -> QuerySet[Offer]:
    """Current offers matching the filters: ``selectors.offers_search`` and, on top, the
    family situation (offers especially for it) and free places (not full, no waiting list)."""
    offers = offers_search(
        domain=filters.domain or None,
        language=filters.language or None,
        district=filters.district or None,
        q=filters.q,
        age=filters.age,
        public_only=public_only,
    )
    if filters.situation:
        if connection.features.supports_json_field_contains:
            offers = offers.filter(family_situations__contains=[filters.situation])
        else:
            # SQLite keeps the list as JSON text; the quotes keep "single_parent" from
            # matching a longer code.
            offers = offers.filter(family_situations__icontains=f'"{filters.situation}"')
    if filters.free_places:
        offers = offers.filter(
            Q(free_places__gt=0) | Q(free_places__isnull=True, waiting_list=False)
        )
    return offers


def offers_page(
    request: HttpRequest, offers: QuerySet[Offer], *, per_page: int
) -> tuple[Paging, list[Offer]]:
    """The page of ``offers`` asked for (kept within the pages there are), and the total.

    Two scans, the count and the page: a window count on the page query would save one, but
    it makes the database sort every match instead of keeping the top rows (measured slower
    at 5,000 offers on SQLite and PostgreSQL)."""
    paging = Paging.of(request, total=offers.count(), per_page=per_page)
    # Without the selector's prefetch: the cards read the rows of the page themselves.
    return paging, list(offers.prefetch_related(None)[paging.offset : paging.end])


def query_without_page(request: HttpRequest) -> str:
    return urlencode([(k, v) for k, v in request.GET.items() if k != "page" and v])


# --- offers in words ----------------------------------------------------------------------------

_TOKEN = re.compile(r"^([+-]?\d{1,2})?(MO|TU|WE|TH|FR|SA|SU)$")
_DAY_INDEX = {code: i for i, code in enumerate(("MO", "TU", "WE", "TH", "FR", "SA", "SU"))}


def _and(items: list[str]) -> str:
    if len(items) < 2:
        return "".join(items)
    return _("%(items)s and %(last)s") % {"items": ", ".join(items[:-1]), "last": items[-1]}


def _ordinal(number: int) -> str:
    words = {
        1: pgettext("the nth weekday of a month", "first"),
        2: pgettext("the nth weekday of a month", "second"),
        3: pgettext("the nth weekday of a month", "third"),
        4: pgettext("the nth weekday of a month", "fourth"),
        5: pgettext("the nth weekday of a month", "fifth"),
        -1: pgettext("the nth weekday of a month", "last"),
        -2: pgettext("the nth weekday of a month", "second to last"),
    }
    return words.get(number, str(number))


def _days_words(byday: str) -> str:
    """``MO,WE`` → "Monday and Wednesday"; ``1TU,3TU`` → "the first and third Tuesday"."""
    plain: list[int] = []
    ordinals: dict[int, list[int]] = {}
    for token in (t.strip().upper() for t in byday.split(",") if t.strip()):
        match = _TOKEN.match(token)
        if match is None:
            continue
        week, day = match.groups()
        index = _DAY_INDEX[day]
        if week:
            ordinals.setdefault(index, []).append(int(week))
        elif index not in plain:
            plain.append(index)
    parts = [str(WEEKDAYS[i]) for i in sorted(plain)]
    for index in sorted(ordinals):
        weeks = sorted(set(ordinals[index]), key=lambda w: (w < 0, w))
        parts.append(
            _("the %(weeks)s %(day)s")
            % {"weeks": _and([_ordinal(w) for w in weeks]), "day": WEEKDAYS[index]}
        )
    return _and(parts)


def _time(value: time) -> str:
    return time_format(value, "TIME_FORMAT")


def schedule_words(schedule: Schedule) -> str:
    """When the offer takes place, as a sentence: "Every week on Monday, 09:00–12:00"."""
    count = schedule.interval or 1
    if schedule.freq == Schedule.Frequency.DAILY:
        when = ngettext("Every day", "Every %(count)s days", count) % {"count": count}
    elif schedule.freq == Schedule.Frequency.MONTHLY:
        when = ngettext("Every month", "Every %(count)s months", count) % {"count": count}
    else:
        when = ngettext("Every week", "Every %(count)s weeks", count) % {"count": count}
    days = _days_words(schedule.byday)
    if days and schedule.freq != Schedule.Frequency.DAILY:
        when = _("%(every)s on %(days)s") % {"every": when, "days": days}
    parts = [when]
    if schedule.opens_at and schedule.closes_at:
        parts.append(
            _("%(start)s to %(end)s")
            % {"start": _time(schedule.opens_at), "end": _time(schedule.closes_at)}
        )
    elif schedule.opens_at:
        parts.append(_("from %(start)s") % {"start": _time(schedule.opens_at)})
    elif schedule.closes_at:
        parts.append(_("until %(end)s") % {"end": _time(schedule.closes_at)})
    text = ", ".join(parts)
    if schedule.dtstart and schedule.until:
        text += " " + _("(%(first)s to %(last)s)") % {
            "first": _date(schedule.dtstart),
            "last": _date(schedule.until),
        }
    elif schedule.dtstart:
        text += " " + _("(from %(first)s)") % {"first": _date(schedule.dtstart)}
    elif schedule.until:
        text += " " + _("(until %(last)s)") % {"last": _date(schedule.until)}
    if schedule.location is not None:
        text += " – " + schedule.location.name
    if schedule.description:
        text += ". " + schedule.description
    return text


def _date(value: Any) -> str:
    return date_format(value, "DATE_FORMAT")


def ages_words(offer: Offer) -> str:
    low, high = offer.minimum_age, offer.maximum_age
    if low is not None and high is not None:
        return _("%(low)s to %(high)s years") % {"low": low, "high": high}
    if low is not None:
        return _("from %(low)s years") % {"low": low}
    if high is not None:
        return _("up to %(high)s years") % {"high": high}
    return ""


@dataclass(frozen=True)
class Places:
    """How full an offer is, in words; ``state`` is for the badge's shape, never alone."""

    text: str
    state: str  # "free", "full", "waiting" or ""


def places_words(offer: Offer) -> Places:
    free = offer.free_places
    if free is not None and free > 0:
        text = ngettext("%(count)s free place", "%(count)s free places", free) % {"count": free}
        return Places(text, "free")
    if free == 0:
        if offer.waiting_list:
            return Places(_("Full at the moment – waiting list"), "waiting")
        return Places(_("Full at the moment"), "full")
    if offer.waiting_list:
        return Places(_("Waiting list"), "waiting")
    return Places("", "")


def costs_words(offer: Offer) -> str:
    if offer.free_of_charge:
        if offer.fees_description:
            return _("Free of charge (%(note)s)") % {"note": offer.fees_description}
        return _("Free of charge")
    return offer.fees_description or _("Costs apply – ask the provider.")


@dataclass(frozen=True)
class Contact:
    phone: str
    email: str
    website: str
    of_provider: bool


@dataclass
class OfferCard:
    """An offer as the public pages show it: every value already in words."""

    offer: Offer
    #: its page in the public directory
    url: str
    domains: list[str]
    languages: list[str]
    area: str
    locations: list[Location]
    times: list[str]
    costs: str
    places: Places
    ages: str
    situations: list[str]
    sexes: str
    documents: list[str]
    contact: Contact
    residence_open: bool

    @property
    def main_domain(self) -> str:
        return self.domains[0] if self.domains else ""


@dataclass
class OfferRows:
    """An offer's child rows as a card needs them: domain codes (main first), language
    codes, district codes, locations and schedules (each with its location)."""

    domains: list[str] = field(default_factory=list)
    languages: list[str] = field(default_factory=list)
    districts: list[str] = field(default_factory=list)
    locations: list[Location] = field(default_factory=list)
    schedules: list[Schedule] = field(default_factory=list)


def prefetched_rows(offer: Offer) -> OfferRows:
    """The rows of an offer read with ``selectors.with_offer_details``."""
    return OfferRows(
        domains=[row.domain for row in sorted(offer.domain_rows.all(), key=lambda r: r.position)],
        languages=[row.code for row in offer.languages.all()],
        districts=[row.district for row in offer.districts.all()],
        locations=[row.location for row in offer.at_locations.all()],
        schedules=list(offer.schedules.all()),
    )


def rows_for(ids: list[int]) -> dict[int, OfferRows]:
    """The rows of a page of offers: five queries, whatever the page holds.

    Read directly rather than with ``prefetch_related``, which clones a queryset for every
    offer and relation: on a page that must answer in tens of milliseconds that was a fifth
    of the time."""
    rows = {pk: OfferRows() for pk in ids}
    for offer_id, domain in (
        OfferDomain.objects.filter(offer_id__in=ids)
        .order_by("position", "pk")
        .values_list("offer_id", "domain")
    ):
        rows[offer_id].domains.append(domain)
    for offer_id, code in (
        OfferLanguage.objects.filter(offer_id__in=ids)
        .order_by("pk")
        .values_list("offer_id", "code")
    ):
        rows[offer_id].languages.append(code)
    for offer_id, district in (
        OfferDistrict.objects.filter(offer_id__in=ids)
        .order_by("pk")
        .values_list("offer_id", "district")
    ):
        rows[offer_id].districts.append(district)
    for at in (
        OfferLocation.objects.filter(offer_id__in=ids).select_related("location").order_by("pk")
    ):
        rows[at.offer_id].locations.append(at.location)
    for schedule in (
        Schedule.objects.filter(offer_id__in=ids).select_related("location").order_by("pk")
    ):
        rows[schedule.offer_id].schedules.append(schedule)
    return rows


def _labels(choices: type[Any], codes: list[str]) -> list[str]:
    """The labels of the codes a choice class knows, in order; unknown codes are left out."""
    known = dict(choices.choices)
    return [str(known[code]) for code in codes if code in known]


def offer_card(
    offer: Offer, rows: OfferRows | None = None, *, offer_url: Callable[[Any], str] | None = None
) -> OfferCard:
    """An offer in words, from ``rows`` (or the prefetched rows): no query per offer."""
    rows = rows if rows is not None else prefetched_rows(offer)
    provider = offer.provider
    has_own = bool(offer.phone or offer.email or offer.url)
    return OfferCard(
        offer=offer,
        url=(offer_url or offer_url_maker())(offer.hsds_id),
        domains=_labels(LifeDomain, rows.domains),
        languages=sorted(language_name(code) for code in rows.languages),
        area=_("the whole city") if offer.citywide else _and(_labels(District, rows.districts)),
        locations=rows.locations,
        times=[schedule_words(s) for s in rows.schedules],
        costs=costs_words(offer),
        places=places_words(offer),
        ages=ages_words(offer),
        situations=_labels(FamilySituation, offer.family_situations),
        sexes=_and(_labels(Sex, offer.sexes)),
        documents=list(offer.required_documents),
        contact=Contact(
            phone=offer.phone if has_own else provider.phone,
            email=offer.email if has_own else provider.email,
            website=offer.url if has_own else provider.website,
            of_provider=not has_own,
        ),
        residence_open=not offer.residence_kinds,
    )


def offer_cards(offers: list[Offer]) -> list[OfferCard]:
    rows = rows_for([offer.pk for offer in offers])
    offer_url = offer_url_maker()
    return [offer_card(offer, rows[offer.pk], offer_url=offer_url) for offer in offers]


# --- pages --------------------------------------------------------------------------------------


def _search_context(request: HttpRequest) -> tuple[OfferSearchForm, SearchFilters]:
    form = OfferSearchForm(request.GET or None, languages=public_languages())
    return form, form.filters()


@login_not_required
@require_GET
def search(request: HttpRequest) -> HttpResponse:
    form, filters = _search_context(request)
    offers = search_offers(filters, public_only=True)
    paging, page = offers_page(request, offers, per_page=PER_PAGE)
    cards = offer_cards(page)
    query = query_without_page(request)
    return render(
        request,
        "directory/public/search.html",
        {
            "form": form,
            "cards": cards,
            "paging": paging,
            "query": query,
            "filtered": filters.any,
            "back_query": request.GET.urlencode(),
        },
    )


@login_not_required
@require_GET
def offer_detail(request: HttpRequest, hsds_id: Any) -> HttpResponse:
    offer = offers_search(public_only=True).filter(hsds_id=hsds_id).first()
    if offer is None:
        # Not public, not active, ended or of a provider not approved: simply not there.
        raise Http404
    back = urlencode([(k, v) for k, v in request.GET.items() if v])
    return render(
        request,
        "directory/public/offer.html",
        {"card": offer_card(offer), "back_query": back},
    )


@login_not_required
@require_GET
def print_view(request: HttpRequest) -> HttpResponse:
    form, filters = _search_context(request)
    offers = search_offers(filters, public_only=True)
    total = offers.count()
    cards = offer_cards(list(offers.prefetch_related(None)[:PRINT_LIMIT]))
    return render(
        request,
        "directory/public/print.html",
        {
            "form": form,
            "cards": cards,
            "total": total,
            "limited": total > PRINT_LIMIT,
            "limit": PRINT_LIMIT,
            "query": query_without_page(request),
            "filtered": filters.any,
            "printed_at": timezone.localtime(),
            # Links printed on paper must work when typed: absolute, with the host.
            "base_url": request.build_absolute_uri("/").rstrip("/"),
        },
    )


# --- the map ------------------------------------------------------------------------------------

#: Wuppertal's bounding box (the city limits with a small margin), in degrees.
WEST, EAST, SOUTH, NORTH = 7.014, 7.315, 51.165, 51.318
MAP_WIDTH = 1000
MAP_PADDING = 24
#: Approximate centres of the districts: orientation labels only, not boundaries.
DISTRICT_CENTRES = {
    District.ELBERFELD: (51.2565, 7.1505),
    District.ELBERFELD_WEST: (51.2470, 7.1150),
    District.UELLENDAHL_KATERNBERG: (51.2840, 7.1480),
    District.VOHWINKEL: (51.2330, 7.0700),
    District.CRONENBERG: (51.2000, 7.1450),
    District.BARMEN: (51.2700, 7.1980),
    District.OBERBARMEN: (51.2790, 7.2400),
    District.HECKINGHAUSEN: (51.2600, 7.2300),
    District.LANGERFELD_BEYENBURG: (51.2720, 7.2850),
    District.RONSDORF: (51.2250, 7.1980),
}


def _aspect() -> float:
    """Height per width of the box drawn to scale (a degree of longitude is shorter here)."""
    import math

    middle = math.radians((NORTH + SOUTH) / 2)
    return (NORTH - SOUTH) / ((EAST - WEST) * math.cos(middle))


def map_height() -> int:
    return round(MAP_WIDTH * _aspect())


def project(latitude: float, longitude: float) -> tuple[float, float] | None:
    """The point in the drawing, or None outside the city's box."""
    if not (WEST <= longitude <= EAST and SOUTH <= latitude <= NORTH):
        return None
    inner_w = MAP_WIDTH - 2 * MAP_PADDING
    inner_h = map_height() - 2 * MAP_PADDING
    x = MAP_PADDING + (longitude - WEST) / (EAST - WEST) * inner_w
    y = MAP_PADDING + (NORTH - latitude) / (NORTH - SOUTH) * inner_h
    return round(x, 1), round(y, 1)


def _scale_bar(km: float) -> float:
    import math

    middle = math.radians((NORTH + SOUTH) / 2)
    degrees = km / (111.32 * math.cos(middle))
    return round(degrees / (EAST - WEST) * (MAP_WIDTH - 2 * MAP_PADDING), 1)


@dataclass
class MapPlace:
    location: Location
    offers: list[Offer]
    point: tuple[float, float] | None = None
    number: int = 0

    @property
    def anchor(self) -> str:
        return f"ort-{self.location.pk}"

    @property
    def x(self) -> str:
        return f"{self.point[0]:.1f}" if self.point else ""

    @property
    def y(self) -> str:
        return f"{self.point[1]:.1f}" if self.point else ""


@dataclass
class DistrictGroup:
    name: str
    places: list[MapPlace]


def map_places(offers: QuerySet[Offer]) -> list[MapPlace]:
    """The locations of ``offers`` with the offers at each: one query."""
    rows = (
        OfferLocation.objects.filter(offer_id__in=offers.values("pk"))
        .select_related("location", "offer")
        .only(
            "offer__name",
            "offer__hsds_id",
            "location__name",
            "location__street",
            "location__postal_code",
            "location__city",
            "location__district",
            "location__latitude",
            "location__longitude",
            "location__wheelchair_accessible",
        )
        .order_by("location__name", "location_id", "offer__name", "offer_id")
    )
    places: dict[int, MapPlace] = {}
    offer_url = offer_url_maker()
    for row in rows:
        row.offer.public_url = offer_url(row.offer.hsds_id)  # type: ignore[attr-defined]
        place = places.get(row.location_id)
        if place is None:
            place = places[row.location_id] = MapPlace(row.location, [])
        place.offers.append(row.offer)
    for place in places.values():
        loc = place.location
        if loc.latitude is not None and loc.longitude is not None:
            place.point = project(float(loc.latitude), float(loc.longitude))
    return list(places.values())


def _grouped(places: list[MapPlace]) -> list[DistrictGroup]:
    by_district: dict[str, list[MapPlace]] = {}
    for place in places:
        by_district.setdefault(place.location.district, []).append(place)
    groups = [
        DistrictGroup(str(label), by_district[code])
        for code, label in District.choices
        if code in by_district
    ]
    if "" in by_district:
        groups.append(DistrictGroup(_("District not given"), by_district[""]))
    return groups


def _svg_numbers(**values: float) -> dict[str, str]:
    """Numbers for SVG attributes: never localised (a German "12,5" is no coordinate)."""
    return {name: f"{value:.1f}" for name, value in values.items()}


@login_not_required
@require_GET
def map_view(request: HttpRequest) -> HttpResponse:
    form, filters = _search_context(request)
    places = map_places(search_offers(filters, public_only=True))
    groups = _grouped(places)
    # The list's order numbers the points, so a point and its list entry share a number.
    number = 0
    for group in groups:
        for place in group.places:
            number += 1
            place.number = number
    labels = [
        (str(District(code).label), f"{xy[0]:.1f}", f"{xy[1]:.1f}")
        for code, (lat, lon) in DISTRICT_CENTRES.items()
        if (xy := project(lat, lon)) is not None
    ]
    return render(
        request,
        "directory/public/map.html",
        {
            "form": form,
            "groups": groups,
            "plotted": [p for p in places if p.point is not None],
            "unplotted": sum(1 for p in places if p.point is None),
            "place_count": len(places),
            "width": MAP_WIDTH,
            "height": map_height(),
            "labels": labels,
            "scale": _svg_numbers(
                x1=MAP_PADDING,
                x2=MAP_PADDING + _scale_bar(5),
                y=map_height() - MAP_PADDING / 2,
                text_y=map_height() - MAP_PADDING / 2 - 8,
            ),
            "query": query_without_page(request),
            "filtered": filters.any,
        },
    )


# --- the JSON feed ------------------------------------------------------------------------------


def _number(value: Decimal | None) -> float | None:
    return float(value) if value is not None else None


def offer_url_maker(base_url: str = "") -> Callable[[Any], str]:
    """The public page of an offer by its HSDS id: reversed once, not once per offer."""
    marker = "00000000-0000-0000-0000-000000000000"
    pattern = reverse("public:offer", kwargs={"hsds_id": marker})
    head, tail = pattern.split(marker)
    return lambda hsds_id: f"{base_url}{head}{hsds_id}{tail}"


@dataclass
class FeedRows:
    """The child rows of a chunk of offers, by offer id, read as plain values."""

    domains: dict[int, list[str]] = field(default_factory=dict)
    languages: dict[int, list[str]] = field(default_factory=dict)
    districts: dict[int, list[str]] = field(default_factory=dict)
    locations: dict[int, list[dict[str, Any]]] = field(default_factory=dict)
    schedules: dict[int, list[dict[str, Any]]] = field(default_factory=dict)


def _feed_rows(ids: list[int]) -> FeedRows:
    """Five queries for a whole chunk. Values, not model instances with prefetch caches:
    Django's prefetch costs a queryset clone per offer and relation, the bulk of the time
    for thousands of offers."""
    rows = FeedRows()
    for offer_id, domain in (
        OfferDomain.objects.filter(offer_id__in=ids)
        .order_by("position", "pk")
        .values_list("offer_id", "domain")
    ):
        rows.domains.setdefault(offer_id, []).append(domain)
    for offer_id, code in (
        OfferLanguage.objects.filter(offer_id__in=ids)
        .order_by("pk")
        .values_list("offer_id", "code")
    ):
        rows.languages.setdefault(offer_id, []).append(code)
    for offer_id, district in (
        OfferDistrict.objects.filter(offer_id__in=ids)
        .order_by("pk")
        .values_list("offer_id", "district")
    ):
        rows.districts.setdefault(offer_id, []).append(district)
    for row in (
        OfferLocation.objects.filter(offer_id__in=ids)
        .order_by("pk")
        .values(
            "offer_id",
            "location__hsds_id",
            "location__name",
            "location__street",
            "location__postal_code",
            "location__city",
            "location__district",
            "location__latitude",
            "location__longitude",
            "location__wheelchair_accessible",
        )
    ):
        rows.locations.setdefault(row["offer_id"], []).append(
            {
                "id": str(row["location__hsds_id"]),
                "name": row["location__name"],
                "street": row["location__street"],
                "postal_code": row["location__postal_code"],
                "city": row["location__city"],
                "district": row["location__district"],
                "latitude": _number(row["location__latitude"]),
                "longitude": _number(row["location__longitude"]),
                "step_free": row["location__wheelchair_accessible"],
            }
        )
    # Many offers share a rhythm: each distinct one is put into words and RFC 5545 once.
    described: dict[tuple[Any, ...], tuple[str, str]] = {}
    for schedule in (
        Schedule.objects.filter(offer_id__in=ids).select_related("location").order_by("pk")
    ):
        key = (
            schedule.freq,
            schedule.interval,
            schedule.byday,
            schedule.opens_at,
            schedule.closes_at,
            schedule.dtstart,
            schedule.until,
            schedule.description,
            schedule.location.name if schedule.location else None,
        )
        if key not in described:
            described[key] = (schedule.rrule(), schedule_words(schedule))
        rrule, text = described[key]
        rows.schedules.setdefault(schedule.offer_id, []).append(
            {
                "rrule": rrule,
                "opens_at": schedule.opens_at.strftime("%H:%M") if schedule.opens_at else None,
                "closes_at": schedule.closes_at.strftime("%H:%M") if schedule.closes_at else None,
                "text": text,
            }
        )
    return rows


def feed_item(offer: Offer, rows: FeedRows, *, offer_url: Callable[[Any], str]) -> dict[str, Any]:
    provider = offer.provider
    return {
        "id": str(offer.hsds_id),
        "name": offer.name,
        "alternate_name": offer.alternate_name,
        "description": offer.description,
        "url": offer_url(offer.hsds_id),
        "website": offer.url,
        "email": offer.email,
        "phone": offer.phone,
        "provider": {
            "id": str(provider.hsds_id),
            "name": provider.name,
            "website": provider.website,
            "email": provider.email,
            "phone": provider.phone,
        },
        "domains": rows.domains.get(offer.pk, []),
        "languages": rows.languages.get(offer.pk, []),
        "citywide": offer.citywide,
        "districts": rows.districts.get(offer.pk, []),
        "minimum_age": offer.minimum_age,
        "maximum_age": offer.maximum_age,
        "family_situations": list(offer.family_situations),
        "free_of_charge": offer.free_of_charge,
        "fees": offer.fees_description,
        "free_places": offer.free_places,
        "waiting_list": offer.waiting_list,
        "how_to_apply": offer.application_process,
        "documents": list(offer.required_documents),
        "locations": rows.locations.get(offer.pk, []),
        "schedules": rows.schedules.get(offer.pk, []),
        "checked_on": offer.checked_on.isoformat() if offer.checked_on else None,
    }


def _chunks(offers: QuerySet[Offer]) -> Iterator[list[Offer]]:
    chunk: list[Offer] = []
    for offer in offers.prefetch_related(None).iterator(chunk_size=FEED_CHUNK):
        chunk.append(offer)
        if len(chunk) == FEED_CHUNK:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _feed_chunks(offers: QuerySet[Offer], *, head: dict[str, Any], base_url: str) -> Iterator[str]:
    # The head without its closing brace, then the offers chunk by chunk: memory stays flat.
    yield json.dumps(head, ensure_ascii=False)[:-1] + ', "offers": ['
    offer_url = offer_url_maker(base_url)
    first = True
    for chunk in _chunks(offers):
        rows = _feed_rows([offer.pk for offer in chunk])
        items = [
            json.dumps(feed_item(o, rows, offer_url=offer_url), ensure_ascii=False) for o in chunk
        ]
        yield ("" if first else ",") + ",".join(items)
        first = False
    yield "]}"


@login_not_required
@require_GET
def feed(request: HttpRequest) -> StreamingHttpResponse:
    _form, filters = _search_context(request)
    offers = search_offers(filters, public_only=True)
    base_url = request.build_absolute_uri("/").rstrip("/")
    head = {
        "format": "lotse-offers",
        "version": 1,
        "generated_at": timezone.now().isoformat(timespec="seconds"),
        "language": get_language() or "de",
        "documentation": base_url + reverse("public:feed_doc"),
        "count": offers.count(),
    }
    # The language of the texts in words (schedules) follows the visitor's choice.
    language = get_language() or "de"

    def body() -> Iterator[str]:
        from django.utils import translation

        with translation.override(language):
            yield from _feed_chunks(offers, head=head, base_url=base_url)

    response = StreamingHttpResponse(body(), content_type="application/json; charset=utf-8")
    response["Access-Control-Allow-Origin"] = "*"
    return response


@login_not_required
@require_GET
def feed_doc(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "directory/public/feed_doc.html",
        {
            "domains": LifeDomain.choices,
            "districts": District.choices,
            "situations": FamilySituation.choices,
        },
    )


# --- legal and help pages -----------------------------------------------------------------------


@login_not_required
@require_GET
def legal(request: HttpRequest, page: str) -> HttpResponse:
    if page not in CityText.Page.values:
        raise Http404
    language = get_language() or "de"
    return render(
        request,
        "directory/public/legal.html",
        {"text": page_text(page, language), "page": page, "page_language": language},
    )
