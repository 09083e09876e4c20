"""From HSDS objects to Lotse's data: what the import reads of a service, its locations and
the German profile's attributes, and where it reports a problem (object or CSV row, field).

Nothing here writes except :func:`location_write`; :mod:`.importer` holds the transaction,
the permissions and the audit event.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, time
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator, URLValidator
from django.utils.translation import gettext as _

from lotse.core.text import clean_text
from lotse.people.choices import District

from ..models import Location, Provider, Schedule
from ..services import OfferData, ScheduleData
from .profile import TAXONOMIES, WEEKDAYS, term_index
from .validation import HsdsIssue, json_path

_BYDAY = re.compile(r"^[+-]?\d{0,2}(MO|TU|WE|TH|FR|SA|SU)(,[+-]?\d{0,2}(MO|TU|WE|TH|FR|SA|SU))*$")


@dataclass
class LocationData:
    """A location as an import writes it; field names are the model's."""

    name: str
    description: str = ""
    street: str = ""
    postal_code: str = ""
    city: str = ""
    district: str = ""
    latitude: float | None = None
    longitude: float | None = None
    transportation: str = ""
    wheelchair_accessible: bool | None = None
    accessibility: str = ""


def location_write(
    *,
    provider: Provider,
    data: LocationData,
    location: Location | None = None,
    hsds_id: uuid.UUID | None = None,
) -> Location:
    """Check and save a location of ``provider`` (the rules of ``services.location_save``).
    Internal to the imports: the caller checks the permission, holds the transaction and
    writes the one audit event of the import."""
    errors: dict[str, list[str]] = {}

    def text(name: str, max_length: int, *, required: bool = False) -> str:
        try:
            return clean_text(
                getattr(data, name), field=name, max_length=max_length, required=required
            )
        except ValidationError as error:
            for key, messages in error.message_dict.items():
                errors.setdefault(key, []).extend(messages)
            return ""

    cleaned = {
        "name": text("name", 200, required=True),
        "street": text("street", 200),
        "postal_code": text("postal_code", 10),
        "city": text("city", 100),
        "transportation": text("transportation", 200),
        "accessibility": text("accessibility", 300),
        "description": text("description", 5000),
    }
    if data.district and data.district not in District.values:
        errors.setdefault("district", []).append(_("Unknown district."))
    for name, bound in (("latitude", 90), ("longitude", 180)):
        value = getattr(data, name)
        if value is not None and not -bound <= value <= bound:
            message = (
                _("A latitude lies between -90 and 90.")
                if name == "latitude"
                else _("A longitude lies between -180 and 180.")
            )
            errors.setdefault(name, []).append(message)
    if errors:
        raise ValidationError(errors)
    location = location or Location(provider=provider, hsds_id=hsds_id or uuid.uuid4())
    for name, value in cleaned.items():
        setattr(location, name, value)
    location.district = data.district
    location.latitude = _decimal(data.latitude)
    location.longitude = _decimal(data.longitude)
    location.wheelchair_accessible = data.wheelchair_accessible
    location.save()
    return location


def _decimal(value: float | None) -> Decimal | None:
    return None if value is None else Decimal(str(round(value, 6)))


class Invalid(Exception):
    def __init__(self, issues: list[HsdsIssue]) -> None:
        super().__init__("invalid")
        self.issues = issues


#: clean_offer_data's field names as an HSDS service carries them.
HSDS_FIELDS = {
    "domains": "attributes (life_domain)",
    "sexes": "attributes (sex)",
    "family_situations": "attributes (family_situation)",
    "residence_kinds": "attributes (residence_kind)",
    "capacity": "attributes (capacity)",
    "free_places": "attributes (free_places)",
    "valid_until": "attributes (valid_until)",
    "districts": "service_areas",
    "location_ids": "service_at_locations",
    "phone": "phones[0].number",
}


class ServiceItem:
    """One service object being imported: its issues, each placed at its object or row."""

    def __init__(self, where: str, obj: Mapping[str, Any]) -> None:
        self.where = where
        self.obj = obj
        self.issues: list[HsdsIssue] = []

    def bad(self, path: Sequence[str | int], message: str) -> None:
        # A nested row of a tabular package names its own file and row.
        where, rest = self.where, list(path)
        node: Any = self.obj
        for index, part in enumerate(path):
            try:
                node = node[part]
            except (KeyError, IndexError, TypeError):
                break
            if isinstance(node, Mapping) and "_source" in node:
                where, rest = node["_source"], list(path[index + 1 :])
        self.issues.append(HsdsIssue(where, json_path(rest) or _("(the object)"), message))

    def check(self) -> None:
        if self.issues:
            raise Invalid(self.issues)


def as_text(value: Any) -> str:
    return value if isinstance(value, str) else "" if value is None else str(value)


def parse(kind: str, value: Any) -> Any:
    """An attribute or field value as Lotse keeps it; ValueError when it is not one."""
    text = as_text(value).strip()
    if kind == "int":
        number = float(text)
        # Bounded like the database's integer columns: a larger one is refused here, named.
        if not number.is_integer() or abs(number) > 2**31 - 1:
            raise ValueError(text)
        return int(number)
    if kind == "bool":
        if text.lower() in ("true", "1", "yes"):
            return True
        if text.lower() in ("false", "0", "no"):
            return False
        raise ValueError(text)
    if kind == "date":
        return date.fromisoformat(text[:10])
    if kind == "time":
        return time.fromisoformat(text)
    return text


PROPERTY_KINDS = {
    "capacity": "int",
    "free_places": "int",
    "waiting_list": "bool",
    "valid_from": "date",
    "valid_until": "date",
    "is_public": "bool",
    "accepts_referrals": "bool",
    "citywide": "bool",
    "wheelchair_accessible": "bool",
    "frequency": "text",
}


def profile_attributes(
    item: ServiceItem, path: Sequence[str | int], attributes: Any
) -> list[tuple[str, str, Any]]:
    """The German profile's attributes of an object as (taxonomy, code, value); attributes of
    other taxonomies are not Lotse's and are skipped."""
    found = []
    index = term_index()
    by_name = {t.name: t.key for t in TAXONOMIES.values()}
    for number, attribute in enumerate(attributes or []):
        if not isinstance(attribute, Mapping):
            continue
        term = attribute.get("taxonomy_term") or {}
        known = index.get(as_text(attribute.get("taxonomy_term_id")) or as_text(term.get("id")))
        if known is None and by_name.get(as_text(term.get("taxonomy"))) and term.get("code"):
            known = (by_name[as_text(term.get("taxonomy"))], as_text(term.get("code")))
        if known is None:
            continue
        key, code = known
        value: Any = attribute.get("value")
        if key == "property":
            kind = PROPERTY_KINDS.get(code, "text")
            try:
                value = parse(kind, value)
            except ValueError:
                item.bad([*path, "attributes", number, "value"], bad_value(kind))
                continue
        found.append((key, code, value))
    return found


def bad_value(kind: str) -> str:
    return {
        "int": _("Give a whole number."),
        "bool": _("Give true or false."),
        "date": _("Give a date as YYYY-MM-DD."),
        "time": _("Give a time as HH:MM."),
    }.get(kind, _("Not a valid value."))


#: The HSDS service fields that are Lotse's fields of the same name.
TEXT_FIELDS = (
    "alternate_name",
    "status",
    "application_process",
    "interpretation_services",
    "eligibility_description",
    "fees_description",
    "wait_time",
)


def checked(item: ServiceItem, path: list[str | int], value: Any, validator: Any) -> str:
    text = as_text(value).strip()
    if not text:
        return ""
    if len(text) > 200:
        item.bad(
            path,
            _("At most %(max)s characters (this has %(length)s).")
            % {"max": 200, "length": len(text)},
        )
        return ""
    try:
        validator(text)
    except ValidationError as error:
        item.bad(path, " ".join(error.messages))
        return ""
    return text


def provider_values(item: ServiceItem, organization: Mapping[str, Any]) -> dict[str, Any]:
    """An HSDS organization as the fields of a provider, checked; problems go to ``item``."""
    values: dict[str, Any] = {}
    phones = organization.get("phones") or []
    raw = {
        "name": (organization.get("name"), 200, True),
        "alternate_name": (organization.get("alternate_name"), 200, False),
        "description": (organization.get("description"), 5000, True),
        "phone": (phones[0].get("number") if phones else "", 40, False),
    }
    for name, (value, max_length, required) in raw.items():
        try:
            values[name] = clean_text(
                as_text(value), field=name, max_length=max_length, required=required
            )
        except ValidationError as error:
            for message in error.message_dict.get(name, []):
                path: list[str | int] = ["phones", 0, "number"] if name == "phone" else [name]
                item.bad(["organization", *path], message)
    values["email"] = checked(
        item, ["organization", "email"], organization.get("email"), EmailValidator()
    )
    values["website"] = checked(
        item, ["organization", "website"], organization.get("website"), URLValidator()
    )
    return values


def location_data(item: ServiceItem, path: list[str | int], obj: Mapping[str, Any]) -> LocationData:
    """An HSDS location (at ``path`` of the service) as the data of a Lotse location."""
    addresses = [a for a in obj.get("addresses") or [] if isinstance(a, Mapping)]
    address = next(
        (a for a in addresses if a.get("address_type") == "physical"),
        addresses[0] if addresses else {},
    )
    street = ", ".join(
        part
        for part in (as_text(address.get("address_1")), as_text(address.get("address_2")))
        if part
    )
    accessibility = [a for a in obj.get("accessibility") or [] if isinstance(a, Mapping)]
    data = LocationData(
        name=as_text(obj.get("name")) or street,
        description=as_text(obj.get("description")),
        street=street,
        postal_code=as_text(address.get("postal_code")),
        city=as_text(address.get("city")),
        transportation=as_text(obj.get("transportation")),
        latitude=obj.get("latitude"),
        longitude=obj.get("longitude"),
        accessibility=as_text(accessibility[0].get("description")) if accessibility else "",
    )
    for key, code, value in profile_attributes(item, path, obj.get("attributes")):
        if key == "district":
            data.district = code
        elif key == "property" and code == "wheelchair_accessible":
            data.wheelchair_accessible = value
    return data


def offer_data(
    item: ServiceItem, locations: Mapping[str, Location]
) -> tuple[OfferData, list[str], date | None]:
    """The service as the data of an offer (``locations``: its locations by HSDS id), the
    source's schedule ids (in the order of ``data.schedules``) and its ``assured_date``;
    problems go to ``item``."""
    obj = item.obj
    phones = [p for p in obj.get("phones") or [] if isinstance(p, Mapping)]
    data = OfferData(
        name=as_text(obj.get("name")),
        description=as_text(obj.get("description")),
        domains=[],
        url=checked(item, ["url"], obj.get("url"), URLValidator()),
        email=checked(item, ["email"], obj.get("email"), EmailValidator()),
        phone=as_text(phones[0].get("number")) if phones else "",
        languages=[as_text(x.get("code")) for x in obj.get("languages") or [] if x.get("code")],
        required_documents=[
            as_text(d.get("document"))
            for d in obj.get("required_documents") or []
            if d.get("document")
        ],
        location_ids=[location.pk for location in locations.values()],
    )
    for name in TEXT_FIELDS:
        setattr(data, name, as_text(obj.get(name)))
    for name in ("minimum_age", "maximum_age"):
        if obj.get(name) is not None:
            try:
                setattr(data, name, parse("int", obj[name]))
            except ValueError:
                item.bad([name], _("Give a whole number."))
    checked_on = None
    if obj.get("assured_date"):
        try:
            checked_on = parse("date", obj["assured_date"])
        except ValueError:
            item.bad(["assured_date"], _("Give a date as YYYY-MM-DD."))
    costs = [c for c in obj.get("cost_options") or [] if isinstance(c, Mapping)]
    # Free when every cost option costs 0; without cost options, when no fee is described.
    data.free_of_charge = (
        all(c.get("amount") == 0 for c in costs) if costs else not data.fees_description
    )
    _areas(item, data)
    domains: list[tuple[int, str]] = []
    citywide: bool | None = None
    for key, code, value in profile_attributes(item, [], obj.get("attributes")):
        if key == "life_domain":
            try:
                position = parse("int", value) if value not in (None, "") else len(domains)
            except ValueError:
                position = len(domains)
            domains.append((position, code))
        elif key in ("sex", "family_situation", "residence_kind"):
            getattr(data, {"sex": "sexes"}.get(key, f"{key}s")).append(code)
        elif key == "property" and code == "citywide":
            citywide = value
        elif key == "property" and code in PROPERTY_KINDS and hasattr(data, code):
            setattr(data, code, value)
    data.domains = [code for _position, code in sorted(domains, key=lambda d: d[0])]
    if citywide is not None:
        data.citywide = citywide
    schedules, schedule_ids = _schedules(item, locations)
    data.schedules = schedules
    return data, schedule_ids, checked_on


def _areas(item: ServiceItem, data: OfferData) -> None:
    by_label = {str(label).lower(): str(value) for value, label in District.choices}
    districts: list[str] = []
    for index, area in enumerate(item.obj.get("service_areas") or []):
        attrs = profile_attributes(item, ["service_areas", index], area.get("attributes"))
        codes = [code for key, code, _value in attrs if key == "district"]
        name = as_text(area.get("name")).strip().lower()
        districts.extend(codes or ([by_label[name]] if name in by_label else []))
        if name in District.values:
            districts.append(name)
    data.districts = list(dict.fromkeys(districts))
    data.citywide = not data.districts


def _schedules(
    item: ServiceItem, locations: Mapping[str, Location]
) -> tuple[list[ScheduleData], list[str]]:
    found: list[tuple[list[str | int], Mapping[str, Any], Location | None]] = []
    ats = {
        as_text(at.get("id")): locations.get(as_text(at.get("location_id")))
        for at in item.obj.get("service_at_locations") or []
    }
    for index, schedule in enumerate(item.obj.get("schedules") or []):
        path: list[str | int] = ["schedules", index]
        location = None
        if schedule.get("location_id"):
            location = locations.get(as_text(schedule["location_id"]))
            if location is None:
                item.bad([*path, "location_id"], _("Not a location of this service."))
        elif schedule.get("service_at_location_id"):
            location = ats.get(as_text(schedule["service_at_location_id"]))
        found.append((path, schedule, location))
    for index, at in enumerate(item.obj.get("service_at_locations") or []):
        location = locations.get(
            as_text(at.get("location_id")) or as_text((at.get("location") or {}).get("id"))
        )
        for number, schedule in enumerate(at.get("schedules") or []):
            found.append((["service_at_locations", index, "schedules", number], schedule, location))
    schedules, ids = [], []
    for path, schedule, location in found:
        data = ScheduleData(location_id=location.pk if location else None)
        frequency = [
            value
            for key, code, value in profile_attributes(item, path, schedule.get("attributes"))
            if key == "property" and code == "frequency"
        ]
        data.freq = (
            Schedule.Frequency.DAILY
            if "DAILY" in frequency
            else as_text(schedule.get("freq")) or Schedule.Frequency.WEEKLY
        )
        data.byday = as_text(schedule.get("byday")).replace(" ", "").upper()
        if data.byday and (not _BYDAY.match(data.byday) or len(data.byday) > 40):
            item.bad([*path, "byday"], _("Give RFC 5545 days, e.g. MO,WE or 1TU."))
        if data.freq == Schedule.Frequency.DAILY and data.byday == ",".join(WEEKDAYS):
            data.byday = ""
        for name, kind in (
            ("interval", "int"),
            ("opens_at", "time"),
            ("closes_at", "time"),
            ("dtstart", "date"),
            ("until", "date"),
        ):
            if schedule.get(name) in (None, ""):
                continue
            try:
                setattr(data, name, parse(kind, schedule[name]))
            except ValueError:
                item.bad([*path, name], bad_value(kind))
        if not 1 <= data.interval <= 366:
            item.bad([*path, "interval"], _("Give a number between 1 and 366."))
        description = as_text(schedule.get("description"))
        if len(description) > 300:
            item.bad(
                [*path, "description"],
                _("At most %(max)s characters (this has %(length)s).")
                % {"max": 300, "length": len(description)},
            )
        data.description = description
        schedules.append(data)
        ids.append(as_text(schedule.get("id")))
    return schedules, ids
