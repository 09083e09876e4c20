"""Export: offers as HSDS ``service`` objects, streamed as JSON (docs/hsds-profile.md, 1 and 3).

Offers are read ``CHUNK_SIZE`` at a time as plain rows (``values``), and each chunk's child rows
with one query per table (domains, languages, districts, places, times): the number of queries
depends on the number of chunks, never on the number of offers, and memory on the chunk size.
The objects are built from those rows directly — no model instances, no prefetch machinery —
which is what keeps an export of thousands of offers within seconds.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping
from datetime import UTC
from functools import cache
from itertools import islice
from typing import Any

import pycountry
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from lotse.accounts.models import Agency, User
from lotse.audit.models import AuditAction
from lotse.audit.services import record

from ..models import Offer, OfferDistrict, OfferDomain, OfferLanguage, OfferLocation, Schedule
from .profile import DISTRICT_NAMES, WEEKDAYS, Attributes, place, uuid5

#: Offers read per query (and their child rows per chunk) by the exports.
CHUNK_SIZE = 500
#: Told how many objects are done, now and then (long commands show progress).
Progress = Callable[[int], None]

JSON_CONTENT_TYPE = "application/json; charset=utf-8"

#: What an export reads of an offer and its provider (``provider__…``).
OFFER_FIELDS = (
    "pk",
    "hsds_id",
    "name",
    "alternate_name",
    "description",
    "url",
    "email",
    "phone",
    "status",
    "interpretation_services",
    "application_process",
    "fees_description",
    "wait_time",
    "eligibility_description",
    "minimum_age",
    "maximum_age",
    "checked_on",
    "updated_at",
    "sexes",
    "family_situations",
    "residence_kinds",
    "citywide",
    "free_of_charge",
    "capacity",
    "free_places",
    "waiting_list",
    "valid_from",
    "valid_until",
    "is_public",
    "accepts_referrals",
    "required_documents",
)
PROVIDER_FIELDS = ("hsds_id", "name", "alternate_name", "description", "email", "website", "phone")
LOCATION_FIELDS = (
    "hsds_id",
    "name",
    "description",
    "transportation",
    "latitude",
    "longitude",
    "street",
    "postal_code",
    "city",
    "district",
    "accessibility",
    "wheelchair_accessible",
)
SCHEDULE_FIELDS = (
    "hsds_id",
    "freq",
    "interval",
    "byday",
    "opens_at",
    "closes_at",
    "dtstart",
    "until",
    "description",
)
_ROW_FIELDS = (*OFFER_FIELDS, *(f"provider__{name}" for name in PROVIDER_FIELDS))
#: The properties of an offer its ``property`` attributes carry: only when set, or always.
_OPTIONAL_PROPERTIES = ("capacity", "free_places", "valid_from", "valid_until")
_PROPERTIES = ("waiting_list", "is_public", "accepts_referrals", "citywide")


def compact(values: Mapping[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in values.items() if v is not None and v != ""}


@cache
def language_name(code: str) -> str:
    """The English name of an ISO 639 code (the code itself when unknown)."""
    language = pycountry.languages.get(alpha_2=code) if len(code) == 2 else None
    language = language or pycountry.languages.get(alpha_3=code)
    return str(language.name) if language is not None else code


class _Children:
    """The child rows of some offers, by offer pk: what the service objects nest."""

    def __init__(self) -> None:
        self.domains: defaultdict[int, list[tuple[str, int]]] = defaultdict(list)
        self.languages: defaultdict[int, list[tuple[str, str]]] = defaultdict(list)
        self.districts: defaultdict[int, list[str]] = defaultdict(list)
        #: (service_at_location id, description, the location's fields)
        self.places: defaultdict[int, list[tuple[Any, str, dict[str, Any]]]] = defaultdict(list)
        #: the schedule's fields and ``location`` (the location's hsds_id or None)
        self.schedules: defaultdict[int, list[dict[str, Any]]] = defaultdict(list)

    @classmethod
    def read(cls, pks: list[int]) -> _Children:
        """One query per child table for the offers ``pks`` (five, whatever their number)."""
        kids = cls()
        domains = OfferDomain.objects.filter(offer_id__in=pks).order_by("position", "pk")
        for offer_id, domain, position in domains.values_list("offer_id", "domain", "position"):
            kids.domains[offer_id].append((domain, position))
        languages = OfferLanguage.objects.filter(offer_id__in=pks).order_by("pk")
        for offer_id, code, note in languages.values_list("offer_id", "code", "note"):
            kids.languages[offer_id].append((code, note))
        districts = OfferDistrict.objects.filter(offer_id__in=pks).order_by("pk")
        for offer_id, district in districts.values_list("offer_id", "district"):
            kids.districts[offer_id].append(district)
        places = OfferLocation.objects.filter(offer_id__in=pks).order_by("pk")
        names = [f"location__{name}" for name in LOCATION_FIELDS]
        for row in places.values_list("offer_id", "hsds_id", "description", *names):
            kids.places[row[0]].append(
                (row[1], row[2], dict(zip(LOCATION_FIELDS, row[3:], strict=True)))
            )
        schedules = Schedule.objects.filter(offer_id__in=pks).order_by("pk")
        for row in schedules.values_list("offer_id", "location__hsds_id", *SCHEDULE_FIELDS):
            kids.schedules[row[0]].append(
                {"location": row[1], **dict(zip(SCHEDULE_FIELDS, row[2:], strict=True))}
            )
        return kids

    @classmethod
    def of(cls, offer: Offer) -> _Children:
        """From an offer's prefetched relations (``selectors.with_offer_details``)."""
        kids = cls()
        pk = offer.pk
        kids.domains[pk] = [(r.domain, r.position) for r in offer.domain_rows.all()]
        kids.domains[pk].sort(key=lambda d: d[1])
        kids.languages[pk] = [(r.code, r.note) for r in offer.languages.all()]
        kids.districts[pk] = [r.district for r in offer.districts.all()]
        kids.places[pk] = [
            (at.hsds_id, at.description, {n: getattr(at.location, n) for n in LOCATION_FIELDS})
            for at in offer.at_locations.all()
        ]
        kids.schedules[pk] = [
            {"location": s.location.hsds_id if s.location else None}
            | {n: getattr(s, n) for n in SCHEDULE_FIELDS}
            for s in offer.schedules.all()
        ]
        return kids


class _Builder:
    """Service objects of one chunk of offers, from their rows. What depends on the active
    language or the settings is read once per chunk."""

    def __init__(self, kids: _Children) -> None:
        self.kids = kids
        self.attribute = Attributes()
        self.city, self.state, self.country = place()
        self.free_of_charge, self.fee = _("free of charge"), _("fee")

    def service(self, row: Mapping[str, Any]) -> dict[str, Any]:
        """One offer (a row of ``OFFER_FIELDS`` and ``provider__…``) as an HSDS service."""
        pk, key = row["pk"], row["hsds_id"].bytes
        sid = str(row["hsds_id"])
        organization_id = str(row["provider__hsds_id"])
        updated = row["updated_at"].astimezone(UTC).isoformat(timespec="milliseconds")
        checked_on = row["checked_on"]
        service = compact(
            {
                "id": sid,
                "organization_id": organization_id,
                "name": row["name"],
                "alternate_name": row["alternate_name"],
                "description": row["description"],
                "url": row["url"],
                "email": row["email"],
                "status": row["status"],
                "interpretation_services": row["interpretation_services"],
                "application_process": row["application_process"],
                "fees_description": row["fees_description"],
                "wait_time": row["wait_time"],
                "eligibility_description": row["eligibility_description"],
                "minimum_age": row["minimum_age"],
                "maximum_age": row["maximum_age"],
                "assured_date": checked_on.isoformat() if checked_on else None,
                "last_modified": updated.replace("+00:00", "Z"),
            }
        )
        service["organization"] = self._organization(row, organization_id)
        service["phones"] = (
            [{"id": uuid5(key, "phone"), "service_id": sid, "number": row["phone"]}]
            if row["phone"]
            else []
        )
        # An offer's locations are its provider's (services.clean_offer_data sees to it).
        service["service_at_locations"] = [
            compact(
                {
                    "id": str(at_id),
                    "service_id": sid,
                    "location_id": str(location["hsds_id"]),
                    "description": description,
                }
            )
            | {"location": self._location(location, organization_id)}
            for at_id, description, location in self.kids.places.get(pk, ())
        ]
        service["languages"] = [
            {
                "id": uuid5(key, f"language:{code}"),
                "service_id": sid,
                "name": language_name(code),
                "code": code,
            }
            | ({"note": note} if note else {})
            for code, note in self.kids.languages.get(pk, ())
        ]
        service["schedules"] = [self._schedule(s, sid) for s in self.kids.schedules.get(pk, ())]
        service["service_areas"] = self._service_areas(row, key, sid)
        service["cost_options"] = self._cost_options(row, key, sid)
        service["required_documents"] = [
            {"id": uuid5(key, f"required_document:{doc}"), "service_id": sid, "document": doc}
            for doc in row["required_documents"] or []
        ]
        service["attributes"] = self._service_attributes(row, key, sid)
        return service

    def _organization(self, row: Mapping[str, Any], pid: str) -> dict[str, Any]:
        organization = compact(
            {
                "id": pid,
                "name": row["provider__name"],
                "alternate_name": row["provider__alternate_name"],
                "description": row["provider__description"],
                "email": row["provider__email"],
                "website": row["provider__website"],
            }
        )
        phone = row["provider__phone"]
        organization["phones"] = (
            [
                {
                    "id": uuid5(row["provider__hsds_id"].bytes, "phone"),
                    "organization_id": pid,
                    "number": phone,
                }
            ]
            if phone
            else []
        )
        return organization

    def _location(self, location: Mapping[str, Any], organization_id: str) -> dict[str, Any]:
        key = location["hsds_id"].bytes
        lid = str(location["hsds_id"])
        latitude, longitude = location["latitude"], location["longitude"]
        obj = compact(
            {
                "id": lid,
                "location_type": "physical",
                "organization_id": organization_id,
                "name": location["name"],
                "description": location["description"],
                "transportation": location["transportation"],
                "latitude": float(latitude) if latitude is not None else None,
                "longitude": float(longitude) if longitude is not None else None,
            }
        )
        # HSDS requires street, postal code, city, state and country of an address.
        obj["addresses"] = (
            [
                {
                    "id": uuid5(key, "address"),
                    "location_id": lid,
                    "address_1": location["street"],
                    "city": location["city"] or self.city,
                    "state_province": self.state,
                    "postal_code": location["postal_code"],
                    "country": self.country,
                    "address_type": "physical",
                }
            ]
            if location["street"] and location["postal_code"]
            else []
        )
        obj["accessibility"] = (
            [
                {
                    "id": uuid5(key, "accessibility"),
                    "location_id": lid,
                    "description": location["accessibility"],
                }
            ]
            if location["accessibility"]
            else []
        )
        attributes = []
        if location["district"]:
            attributes.append(
                self.attribute(key, lid, "location", "district", location["district"])
            )
        if location["wheelchair_accessible"] is not None:
            attributes.append(
                self.attribute(
                    key,
                    lid,
                    "location",
                    "property",
                    "wheelchair_accessible",
                    location["wheelchair_accessible"],
                )
            )
        obj["attributes"] = attributes
        return obj

    def _schedule(self, schedule: Mapping[str, Any], service_id: str) -> dict[str, Any]:
        key = schedule["hsds_id"].bytes
        sid = str(schedule["hsds_id"])
        freq: str | None = schedule["freq"]
        byday = schedule["byday"]
        interval = schedule["interval"] or 1
        attributes = []
        if freq == Schedule.Frequency.DAILY:
            # HSDS 3.0 knows WEEKLY and MONTHLY only: daily is weekly on every day (or on the
            # days given); an interval of days has no HSDS form. The attribute keeps it exact.
            attributes.append(
                self.attribute(key, sid, "schedule", "property", "frequency", "DAILY")
            )
            if interval == 1:
                freq, byday = "WEEKLY", byday or ",".join(WEEKDAYS)
            else:
                freq = None
        location, opens_at, closes_at = (
            schedule["location"],
            schedule["opens_at"],
            schedule["closes_at"],
        )
        dtstart, until = schedule["dtstart"], schedule["until"]
        return {
            **compact(
                {
                    "id": sid,
                    "service_id": service_id,
                    "location_id": str(location) if location else None,
                    "freq": freq,
                    "interval": interval,
                    "byday": byday,
                    "opens_at": opens_at.isoformat() if opens_at else None,
                    "closes_at": closes_at.isoformat() if closes_at else None,
                    "dtstart": dtstart.isoformat() if dtstart else None,
                    "until": until.isoformat() if until else None,
                    "description": schedule["description"],
                }
            ),
            "attributes": attributes,
        }

    def _service_areas(self, row: Mapping[str, Any], key: bytes, sid: str) -> list[dict[str, Any]]:
        if row["citywide"]:
            return [
                {
                    "id": uuid5(key, "service_area:city"),
                    "service_id": sid,
                    "name": self.city,
                    "attributes": [],
                }
            ]
        areas = []
        for district in self.kids.districts.get(row["pk"], ()):
            area_id = uuid5(key, f"service_area:{district}")
            area_key = bytes.fromhex(area_id.replace("-", ""))
            areas.append(
                {
                    "id": area_id,
                    "service_id": sid,
                    "name": DISTRICT_NAMES.get(district, ""),
                    "attributes": [
                        self.attribute(area_key, area_id, "service_area", "district", district)
                    ],
                }
            )
        return areas

    def _cost_options(self, row: Mapping[str, Any], key: bytes, sid: str) -> list[dict[str, Any]]:
        cost_id = uuid5(key, "cost_option")
        if row["free_of_charge"]:
            return [
                {
                    "id": cost_id,
                    "service_id": sid,
                    "option": self.free_of_charge,
                    "currency": "EUR",
                    "amount": 0,
                }
            ]
        return [
            compact(
                {
                    "id": cost_id,
                    "service_id": sid,
                    "option": self.fee,
                    "currency": "EUR",
                    "amount_description": row["fees_description"],
                }
            )
        ]

    def _service_attributes(
        self, row: Mapping[str, Any], key: bytes, sid: str
    ) -> list[dict[str, Any]]:
        attribute = self.attribute
        attributes = [
            attribute(key, sid, "service", "life_domain", domain, position)
            for domain, position in self.kids.domains.get(row["pk"], ())
        ]
        for taxonomy, name in (
            ("sex", "sexes"),
            ("family_situation", "family_situations"),
            ("residence_kind", "residence_kinds"),
        ):
            attributes.extend(
                attribute(key, sid, "service", taxonomy, code) for code in row[name] or []
            )
        for name in _OPTIONAL_PROPERTIES:
            if row[name] is not None:
                attributes.append(attribute(key, sid, "service", "property", name, row[name]))
        for name in _PROPERTIES:
            attributes.append(attribute(key, sid, "service", "property", name, row[name]))
        return attributes


def service_object(offer: Offer) -> dict[str, Any]:
    """One offer as an HSDS ``service`` with its organization, locations and the German
    profile's attributes. Expects the prefetches of ``selectors.with_offer_details``; an
    export of many offers reads rows instead (:func:`hsds_services`)."""
    row = {name: getattr(offer, name) for name in OFFER_FIELDS}
    row |= {f"provider__{name}": getattr(offer.provider, name) for name in PROVIDER_FIELDS}
    return _Builder(_Children.of(offer)).service(row)


def _chunks(rows: Iterable[dict[str, Any]], size: int) -> Iterator[list[dict[str, Any]]]:
    rows = iter(rows)
    while chunk := list(islice(rows, size)):
        yield chunk


def _export_rows(offers: QuerySet[Offer], chunk_size: int) -> Iterator[dict[str, Any]]:
    # The caller's prefetches are dropped: rows are read instead (and values() ignores
    # select_related). The caller's order is kept.
    offers = offers.prefetch_related(None)
    offers = offers if offers.ordered else offers.order_by("pk")
    rows: Iterator[dict[str, Any]] = offers.values(*_ROW_FIELDS).iterator(chunk_size=chunk_size)
    return rows


def hsds_services(
    offers: QuerySet[Offer], *, chunk_size: int = CHUNK_SIZE, progress: Progress | None = None
) -> Iterator[dict[str, Any]]:
    """The offers as HSDS service objects, one at a time (no audit: see the exports);
    ``progress`` hears the count after every chunk. Six queries per chunk."""
    number = 0
    for chunk in _chunks(_export_rows(offers, chunk_size), chunk_size):
        builder = _Builder(_Children.read([row["pk"] for row in chunk]))
        for row in chunk:
            yield builder.service(row)
            number += 1
            if progress is not None and number % chunk_size == 0:
                progress(number)


def hsds_json_chunks(
    offers: QuerySet[Offer], *, chunk_size: int = CHUNK_SIZE, progress: Progress | None = None
) -> Iterator[str]:
    """The JSON text of the list of service objects, piece by piece (a piece per service)."""
    yield "["
    # Equal to json.dumps(service, ensure_ascii=False); terms are shared, never circular.
    encode = json.JSONEncoder(ensure_ascii=False, check_circular=False).encode
    services = hsds_services(offers, chunk_size=chunk_size, progress=progress)
    for index, service in enumerate(services):
        yield ("\n" if index == 0 else ",\n") + encode(service)
    yield "\n]\n"


def audit_export(
    *, offers: QuerySet[Offer], file_format: str, actor: User | None, agency: Agency | None
) -> int:
    """Record the export of ``offers`` (their count, no content); the count."""
    count = offers.count()
    record(
        action=AuditAction.OFFERS_EXPORTED,
        actor=actor,
        agency=agency,
        detail={"format": file_format, "offers": count},
    )
    return count


def offers_export_json(
    *,
    offers: QuerySet[Offer],
    actor: User | None,
    agency: Agency | None = None,
    progress: Progress | None = None,
) -> Iterator[str]:
    """Audit the export (with its count), then stream the offers as HSDS JSON."""
    audit_export(offers=offers, file_format="hsds-json", actor=actor, agency=agency)
    return hsds_json_chunks(offers, progress=progress)
