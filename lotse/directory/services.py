"""Writes to the directory of offers: keyword-only, atomic, audited.

Who may write: an agency admin (``MANAGE_OFFERS``) for the providers linked to their own
agency; a system admin (``ADMINISTER_SYSTEM``) for every provider, and only they approve new
providers. Anything else is refused as if the provider did not exist (404).
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, time, timedelta

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator, validate_email
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from lotse.accounts.models import Agency, Membership, User
from lotse.accounts.roles import Capability
from lotse.audit.models import AuditAction
from lotse.audit.services import record
from lotse.core.errors import AccessDenied
from lotse.core.text import clean_text
from lotse.people.choices import District, ResidenceKind, Sex
from lotse.people.validation import language_codes

from .domains import LifeDomain
from .models import (
    FamilySituation,
    Location,
    Offer,
    OfferDistrict,
    OfferDomain,
    OfferLanguage,
    OfferLocation,
    Provider,
    Schedule,
)


def may_administer(membership: Membership | None) -> bool:
    return membership is not None and membership.can(Capability.ADMINISTER_SYSTEM)


def may_manage(membership: Membership | None, provider: Provider) -> bool:
    """Whether the member maintains this provider's data and offers."""
    if membership is None:
        return False
    if may_administer(membership):
        return True
    return membership.can(Capability.MANAGE_OFFERS) and provider.agency_id == membership.agency_id


def _require_manage(membership: Membership | None, provider: Provider) -> None:
    if not may_manage(membership, provider):
        raise AccessDenied


@dataclass
class ScheduleData:
    freq: str = Schedule.Frequency.WEEKLY
    interval: int = 1
    byday: str = ""
    opens_at: time | None = None
    closes_at: time | None = None
    dtstart: date | None = None
    until: date | None = None
    description: str = ""
    location_id: int | None = None


@dataclass
class OfferData:
    """Everything an offer form, an import row or the API writes. Field names are the
    model's, so a ValidationError names the field the user sees."""

    name: str
    description: str
    domains: list[str]
    alternate_name: str = ""
    url: str = ""
    email: str = ""
    phone: str = ""
    status: str = Offer.Status.ACTIVE
    application_process: str = ""
    interpretation_services: str = ""
    minimum_age: int | None = None
    maximum_age: int | None = None
    sexes: list[str] = field(default_factory=list)
    family_situations: list[str] = field(default_factory=list)
    residence_kinds: list[str] = field(default_factory=list)
    eligibility_description: str = ""
    citywide: bool = True
    districts: list[str] = field(default_factory=list)
    free_of_charge: bool = True
    fees_description: str = ""
    capacity: int | None = None
    free_places: int | None = None
    waiting_list: bool = False
    wait_time: str = ""
    required_documents: list[str] = field(default_factory=list)
    valid_from: date | None = None
    valid_until: date | None = None
    is_public: bool = True
    accepts_referrals: bool = True
    languages: list[str] = field(default_factory=list)
    location_ids: list[int] = field(default_factory=list)
    schedules: list[ScheduleData] = field(default_factory=list)

    #: the scalar fields copied onto the model
    SCALARS = (
        "name",
        "alternate_name",
        "description",
        "url",
        "email",
        "phone",
        "status",
        "application_process",
        "interpretation_services",
        "minimum_age",
        "maximum_age",
        "sexes",
        "family_situations",
        "residence_kinds",
        "eligibility_description",
        "citywide",
        "free_of_charge",
        "fees_description",
        "capacity",
        "free_places",
        "waiting_list",
        "wait_time",
        "required_documents",
        "valid_from",
        "valid_until",
        "is_public",
        "accepts_referrals",
    )


def _unique(values: list[str]) -> list[str]:
    return list(dict.fromkeys(v.strip() for v in values if v and v.strip()))


def _check_choices(values: list[str], allowed: list[str], field_name: str) -> list[str]:
    values = _unique(values)
    wrong = [v for v in values if v not in allowed]
    if wrong:
        raise ValidationError(
            {field_name: _("Unknown value: %(values)s.") % {"values": ", ".join(wrong)}}
        )
    return values


def clean_offer_data(data: OfferData, *, provider: Provider) -> OfferData:
    """``data`` checked and normalised; a ValidationError names every wrong field."""
    errors: dict[str, list[str]] = {}

    def attempt(field_name: str, check: object) -> None:
        try:
            check()  # type: ignore[operator]
        except ValidationError as exc:
            for name, messages in exc.message_dict.items():
                errors.setdefault(name, []).extend(messages)

    def text_fields() -> None:
        data.name = clean_text(data.name, field="name", max_length=200, required=True)
        data.description = clean_text(
            data.description, field="description", max_length=5000, required=True, multiline=True
        )
        data.alternate_name = clean_text(
            data.alternate_name, field="alternate_name", max_length=200
        )
        data.phone = clean_text(data.phone, field="phone", max_length=40)
        data.fees_description = clean_text(
            data.fees_description, field="fees_description", max_length=300
        )
        data.wait_time = clean_text(data.wait_time, field="wait_time", max_length=200)
        data.interpretation_services = clean_text(
            data.interpretation_services, field="interpretation_services", max_length=300
        )

    def domains() -> None:
        data.domains = _check_choices(data.domains, LifeDomain.values, "domains")
        if not data.domains:
            raise ValidationError({"domains": _("Choose at least one life domain.")})

    def languages() -> None:
        codes = _unique([c.lower() for c in data.languages])
        wrong = [c for c in codes if c not in language_codes()]
        if wrong:
            raise ValidationError(
                {"languages": _("Unknown language code: %(codes)s.") % {"codes": ", ".join(wrong)}}
            )
        data.languages = codes

    def ages() -> None:
        for name in ("minimum_age", "maximum_age"):
            value = getattr(data, name)
            if value is not None and not 0 <= value <= 120:
                raise ValidationError({name: _("Give an age between 0 and 120.")})
        if (
            data.minimum_age is not None
            and data.maximum_age is not None
            and data.minimum_age > data.maximum_age
        ):
            raise ValidationError({"maximum_age": _("The maximum age is below the minimum age.")})

    def capacity() -> None:
        for name in ("capacity", "free_places"):
            value = getattr(data, name)
            if value is not None and value < 0:
                raise ValidationError({name: _("Give a number of zero or more.")})
        if (
            data.capacity is not None
            and data.free_places is not None
            and data.free_places > data.capacity
        ):
            raise ValidationError({"free_places": _("More free places than places.")})

    def validity() -> None:
        if data.valid_from and data.valid_until and data.valid_until < data.valid_from:
            raise ValidationError({"valid_until": _("The end lies before the start.")})

    def areas() -> None:
        data.districts = _check_choices(data.districts, District.values, "districts")
        if not data.citywide and not data.districts:
            raise ValidationError(
                {"districts": _("Name the districts, or mark the offer as city-wide.")}
            )
        if data.citywide:
            data.districts = []

    def target_group() -> None:
        data.sexes = _check_choices(data.sexes, Sex.values, "sexes")
        data.family_situations = _check_choices(
            data.family_situations, FamilySituation.values, "family_situations"
        )
        data.residence_kinds = _check_choices(
            data.residence_kinds, ResidenceKind.values, "residence_kinds"
        )
        data.required_documents = _unique(data.required_documents)
        if data.status not in Offer.Status.values:
            raise ValidationError({"status": _("Unknown status.")})

    def locations() -> None:
        ids = list(dict.fromkeys(data.location_ids))
        found = set(
            Location.objects.filter(pk__in=ids, provider=provider).values_list("pk", flat=True)
        )
        if set(ids) - found:
            raise ValidationError({"location_ids": _("Choose locations of this provider only.")})
        data.location_ids = ids

    def schedules() -> None:
        for index, schedule in enumerate(data.schedules, start=1):
            if schedule.freq not in Schedule.Frequency.values:
                raise ValidationError(
                    {"schedules": _("Times, line %(line)s: unknown frequency.") % {"line": index}}
                )
            if schedule.opens_at and schedule.closes_at and schedule.closes_at <= schedule.opens_at:
                raise ValidationError(
                    {
                        "schedules": _("Times, line %(line)s: ends before it starts.")
                        % {"line": index}
                    }
                )

    for name, check in (
        ("text", text_fields),
        ("domains", domains),
        ("languages", languages),
        ("ages", ages),
        ("capacity", capacity),
        ("validity", validity),
        ("areas", areas),
        ("target_group", target_group),
        ("locations", locations),
        ("schedules", schedules),
    ):
        attempt(name, check)
    if errors:
        raise ValidationError(errors)
    return data


def write_offer_rows(offer: Offer, data: OfferData) -> None:
    """Replace the offer's domain, language, district, location and schedule rows (places
    that stay keep their rows and ids). Internal: callers hold the transaction and write the
    audit event."""
    write_offer_rows_bulk([(offer, data)])


@dataclass(frozen=True)
class KeptIds:
    """HSDS ids an import keeps for the rows :func:`write_offer_rows_bulk` writes, so that an
    export of the imported offer names the same objects as its source: the service-at-location
    ids by location pk, and the schedule ids in the order of ``OfferData.schedules`` (empty:
    a new id)."""

    locations: Mapping[int, str] = field(default_factory=dict)
    schedules: Sequence[str] = ()


def write_offer_rows_bulk(
    rows: Sequence[tuple[Offer, OfferData]], *, kept_ids: Sequence[KeptIds | None] | None = None
) -> None:
    """:func:`write_offer_rows` for many offers at once (imports): per child table one delete
    and one insert (split into the batches the database takes), whatever the number of
    offers, with the same rows as a ``write_offer_rows`` per offer. ``kept_ids``, parallel to
    ``rows``: ids to keep instead of new ones. Internal: callers hold the transaction and
    write the audit event."""
    if not rows:
        return
    pks = [offer.pk for offer, _data in rows]
    kept = list(kept_ids) if kept_ids is not None else [None] * len(rows)
    OfferDomain.objects.filter(offer_id__in=pks).delete()
    OfferLanguage.objects.filter(offer_id__in=pks).delete()
    OfferDistrict.objects.filter(offer_id__in=pks).delete()
    Schedule.objects.filter(offer_id__in=pks).delete()
    # Places that stay keep their rows (and ids); the others go.
    existing = {
        (at.offer_id, at.location_id): at
        for at in OfferLocation.objects.filter(offer_id__in=pks).only(
            "pk", "offer_id", "location_id", "hsds_id"
        )
    }
    wanted = {(offer.pk, pk) for offer, data in rows for pk in data.location_ids}
    OfferLocation.objects.filter(
        pk__in=[at.pk for key, at in existing.items() if key not in wanted]
    ).delete()
    domains: list[OfferDomain] = []
    languages: list[OfferLanguage] = []
    districts: list[OfferDistrict] = []
    places: list[OfferLocation] = []
    renamed: list[OfferLocation] = []
    schedules: list[Schedule] = []
    for (offer, data), ids in zip(rows, kept, strict=True):
        domains.extend(
            OfferDomain(offer=offer, domain=domain, position=index)
            for index, domain in enumerate(data.domains)
        )
        languages.extend(OfferLanguage(offer=offer, code=c) for c in data.languages)
        districts.extend(OfferDistrict(offer=offer, district=d) for d in data.districts)
        place_ids = ids.locations if ids is not None else {}
        for location_id in data.location_ids:
            at_id = place_ids.get(location_id)
            at = existing.get((offer.pk, location_id))
            if at is None:
                at = OfferLocation(offer=offer, location_id=location_id)
                if at_id:
                    at.hsds_id = uuid.UUID(at_id)
                places.append(at)
            elif at_id and at.hsds_id != uuid.UUID(at_id):
                at.hsds_id = uuid.UUID(at_id)
                renamed.append(at)
        schedule_ids = list(ids.schedules) if ids is not None else []
        for index, s in enumerate(data.schedules):
            schedule = Schedule(
                offer=offer,
                location_id=s.location_id,
                freq=s.freq,
                interval=s.interval or 1,
                byday=s.byday,
                opens_at=s.opens_at,
                closes_at=s.closes_at,
                dtstart=s.dtstart,
                until=s.until,
                description=s.description,
            )
            if index < len(schedule_ids) and schedule_ids[index]:
                schedule.hsds_id = uuid.UUID(schedule_ids[index])
            schedules.append(schedule)
    OfferLocation.objects.bulk_update(renamed, ["hsds_id"])
    OfferDomain.objects.bulk_create(domains)
    OfferLanguage.objects.bulk_create(languages)
    OfferDistrict.objects.bulk_create(districts)
    OfferLocation.objects.bulk_create(places)
    Schedule.objects.bulk_create(schedules)


@transaction.atomic
def offer_create(
    *, provider: Provider, data: OfferData, membership: Membership, actor: User
) -> Offer:
    _require_manage(membership, provider)
    data = clean_offer_data(data, provider=provider)
    offer = Offer(provider=provider, checked_on=timezone.localdate(), checked_by=actor)
    for name in OfferData.SCALARS:
        setattr(offer, name, getattr(data, name))
    offer.save()
    write_offer_rows(offer, data)
    record(
        action=AuditAction.OFFER_SAVED,
        actor=actor,
        agency=membership.agency,
        target=offer,
        detail={"created": True},
    )
    return offer


@transaction.atomic
def offer_update(
    *,
    offer: Offer,
    data: OfferData,
    expected_version: int,
    membership: Membership,
    actor: User,
) -> Offer:
    """Save the offer; a stale version is refused (``StaleEditError``) and writes nothing.
    Saving is also confirming the data: ``checked_on`` becomes today."""
    _require_manage(membership, offer.provider)
    data = clean_offer_data(data, provider=offer.provider)
    for name in OfferData.SCALARS:
        setattr(offer, name, getattr(data, name))
    offer.checked_on = timezone.localdate()
    offer.checked_by = actor
    offer.save_versioned(
        expected_version=expected_version,
        update_fields=[*OfferData.SCALARS, "checked_on", "checked_by"],
    )
    write_offer_rows(offer, data)
    record(
        action=AuditAction.OFFER_SAVED,
        actor=actor,
        agency=membership.agency,
        target=offer,
        detail={"changed": True},
    )
    return offer


@transaction.atomic
def offer_confirm_checked(
    *, offer: Offer, expected_version: int, membership: Membership, actor: User
) -> Offer:
    """ "The data is still right": the six-monthly check, without changing anything else."""
    _require_manage(membership, offer.provider)
    offer.checked_on = timezone.localdate()
    offer.checked_by = actor
    offer.save_versioned(
        expected_version=expected_version, update_fields=["checked_on", "checked_by"]
    )
    record(
        action=AuditAction.OFFER_SAVED,
        actor=actor,
        agency=membership.agency,
        target=offer,
        detail={"checked": True},
    )
    return offer


@transaction.atomic
def offer_set_referrals_paused(
    *, offer: Offer, paused: bool, expected_version: int, membership: Membership, actor: User
) -> Offer:
    """Pause (or resume) inbound referrals, e.g. while the offer is full."""
    _require_manage(membership, offer.provider)
    offer.accepts_referrals = not paused
    offer.save_versioned(expected_version=expected_version, update_fields=["accepts_referrals"])
    record(
        action=AuditAction.OFFER_SAVED,
        actor=actor,
        agency=membership.agency,
        target=offer,
        detail={"referrals_paused": paused},
    )
    return offer


@transaction.atomic
def provider_propose(
    *,
    name: str,
    description: str,
    membership: Membership,
    actor: User,
    email: str = "",
    website: str = "",
    phone: str = "",
    agency: Agency | None = None,
) -> Provider:
    """An agency admin proposes a provider (their own agency's, or an external one without
    login); a system admin approves it before its offers are public or matched. A system
    admin's own proposal is approved at once."""
    if membership is None or not (
        membership.can(Capability.MANAGE_OFFERS) or may_administer(membership)
    ):
        raise AccessDenied
    if agency is not None and not may_administer(membership) and agency.pk != membership.agency_id:
        raise ValidationError({"agency": _("You can only link a provider to your own agency.")})
    name = clean_text(name, field="name", max_length=200, required=True)
    description = clean_text(
        description, field="description", max_length=5000, required=True, multiline=True
    )
    approved = may_administer(membership)
    provider = Provider.objects.create(
        name=name,
        description=description,
        email=email.strip(),
        website=website.strip(),
        phone=clean_text(phone, field="phone", max_length=40),
        agency=agency if agency is not None else membership.agency,
        proposed_by=actor,
        status=Provider.Status.APPROVED if approved else Provider.Status.PROPOSED,
        decided_by=actor if approved else None,
        decided_at=timezone.now() if approved else None,
    )
    record(
        action=AuditAction.PROVIDER_PROPOSED,
        actor=actor,
        agency=membership.agency,
        target=provider,
        detail={"approved": approved},
    )
    return provider


@transaction.atomic
def provider_decide(
    *,
    provider: Provider,
    approve: bool,
    note: str,
    expected_version: int,
    membership: Membership,
    actor: User,
) -> Provider:
    if not may_administer(membership):
        raise AccessDenied
    note = clean_text(note, field="decision_note", max_length=1000, multiline=True)
    if not approve and not note:
        raise ValidationError({"decision_note": _("Say why the provider is rejected.")})
    provider.status = Provider.Status.APPROVED if approve else Provider.Status.REJECTED
    provider.decision_note = note
    provider.decided_by = actor
    provider.decided_at = timezone.now()
    provider.save_versioned(
        expected_version=expected_version,
        update_fields=["status", "decision_note", "decided_by", "decided_at"],
    )
    record(
        action=AuditAction.PROVIDER_DECIDED,
        actor=actor,
        agency=membership.agency,
        target=provider,
        detail={"approved": approve},
    )
    return provider


@transaction.atomic
def location_save(
    *,
    provider: Provider,
    membership: Membership,
    actor: User,
    name: str,
    street: str = "",
    postal_code: str = "",
    city: str = "",
    district: str = "",
    latitude: float | None = None,
    longitude: float | None = None,
    wheelchair_accessible: bool | None = None,
    accessibility: str = "",
    transportation: str = "",
    location: Location | None = None,
) -> Location:
    _require_manage(membership, provider)
    if location is not None and location.provider_id != provider.pk:
        raise AccessDenied
    errors: dict[str, str] = {}
    if district and district not in District.values:
        errors["district"] = _("Unknown district.")
    if latitude is not None and not -90 <= latitude <= 90:
        errors["latitude"] = _("A latitude lies between -90 and 90.")
    if longitude is not None and not -180 <= longitude <= 180:
        errors["longitude"] = _("A longitude lies between -180 and 180.")
    if errors:
        raise ValidationError(errors)
    location = location or Location(provider=provider)
    location.name = clean_text(name, field="name", max_length=200, required=True)
    location.street = clean_text(street, field="street", max_length=200)
    location.postal_code = clean_text(postal_code, field="postal_code", max_length=10)
    location.city = clean_text(city, field="city", max_length=100)
    location.district = district
    location.latitude = latitude
    location.longitude = longitude
    location.wheelchair_accessible = wheelchair_accessible
    location.accessibility = clean_text(accessibility, field="accessibility", max_length=300)
    location.transportation = clean_text(transportation, field="transportation", max_length=200)
    location.save()
    record(
        action=AuditAction.OFFER_SAVED,
        actor=actor,
        agency=membership.agency,
        target=location,
        detail={"location": True},
    )
    return location


# --- a provider's own data --------------------------------------------------------------------


@dataclass
class ProviderData:
    """A provider's public data, as HSDS ``organization`` carries it (the phone number is an
    HSDS ``phone`` row of the organization). Field names are the model's."""

    name: str
    description: str
    alternate_name: str = ""
    email: str = ""
    website: str = ""
    phone: str = ""

    FIELDS = ("name", "alternate_name", "description", "email", "website", "phone")


def clean_provider_data(data: ProviderData) -> ProviderData:
    """``data`` checked and trimmed; a ValidationError names every wrong field."""
    errors: dict[str, list[str]] = {}

    def attempt(check: Callable[[], None]) -> None:
        try:
            check()
        except ValidationError as exc:
            for name, messages in exc.message_dict.items():
                errors.setdefault(name, []).extend(messages)

    def name() -> None:
        data.name = clean_text(data.name, field="name", max_length=200, required=True)

    def alternate_name() -> None:
        data.alternate_name = clean_text(
            data.alternate_name, field="alternate_name", max_length=200
        )

    def description() -> None:
        data.description = clean_text(
            data.description, field="description", max_length=5000, required=True, multiline=True
        )

    def phone() -> None:
        data.phone = clean_text(data.phone, field="phone", max_length=40)

    def email() -> None:
        data.email = (data.email or "").strip()
        if data.email:
            try:
                validate_email(data.email)
            except ValidationError:
                raise ValidationError({"email": _("Give a valid e-mail address.")}) from None

    def website() -> None:
        data.website = (data.website or "").strip()
        if data.website:
            try:
                URLValidator(schemes=["http", "https"])(data.website)
            except ValidationError:
                raise ValidationError(
                    {"website": _("Give a web address starting with https://.")}
                ) from None

    for check in (name, alternate_name, description, phone, email, website):
        attempt(check)
    if errors:
        raise ValidationError(errors)
    return data


@transaction.atomic
def provider_update(
    *,
    provider: Provider,
    data: ProviderData,
    expected_version: int,
    membership: Membership,
    actor: User,
) -> Provider:
    """Save the provider's public data; a stale version is refused (``StaleEditError``) and
    writes nothing. A proposed provider is kept by its proposer's agency, like an approved
    one; approving stays with the system administrators."""
    _require_manage(membership, provider)
    data = clean_provider_data(data)
    changed = [
        name for name in ProviderData.FIELDS if getattr(provider, name) != getattr(data, name)
    ]
    for name in ProviderData.FIELDS:
        setattr(provider, name, getattr(data, name))
    provider.save_versioned(
        expected_version=expected_version, update_fields=list(ProviderData.FIELDS)
    )
    # The directory has no action of its own for providers' data: it is recorded as the
    # directory's "saved" event, the detail says what (field names, never values).
    record(
        action=AuditAction.OFFER_SAVED,
        actor=actor,
        agency=membership.agency,
        target=provider,
        detail={"provider": True, "changed": changed},
    )
    return provider


# --- ending and reopening an offer ------------------------------------------------------------


def _iso(day: date | None) -> str | None:
    return day.isoformat() if day is not None else None


@transaction.atomic
def offer_end(
    *,
    offer: Offer,
    last_day: date | None,
    expected_version: int,
    membership: Membership,
    actor: User,
) -> Offer:
    """End an offer instead of deleting it: referrals and exports name it, so it stays, with
    its history, and can be reopened. ``last_day`` is the last day it runs (today or later);
    ``None`` ends it now — its last day was yesterday, so from today it is neither in the
    public directory nor matched, and takes no new referrals (``valid_until`` counts its last
    day in, as everywhere in the directory)."""
    _require_manage(membership, offer.provider)
    today = timezone.localdate()
    if offer.has_ended(today):
        raise ValidationError(
            _("This offer has already ended (its last day was %(date)s).")
            % {"date": offer.valid_until.strftime("%d.%m.%Y") if offer.valid_until else "—"}
        )
    if last_day is not None and last_day < today:
        raise ValidationError({"last_day": _("The last day cannot lie in the past.")})
    previous = {"valid_from": _iso(offer.valid_from), "valid_until": _iso(offer.valid_until)}
    fields = ["valid_until"]
    if last_day is None:
        offer.valid_until = today - timedelta(days=1)
        if offer.valid_from is not None and offer.valid_from > offer.valid_until:
            # It never started: an end before the start would read as nonsense. The planned
            # start stays in the audit event.
            offer.valid_from = None
            fields.append("valid_from")
    else:
        if offer.valid_from is not None and last_day < offer.valid_from:
            raise ValidationError(
                {
                    "last_day": _("The offer only starts on %(date)s: choose that day or later.")
                    % {"date": offer.valid_from.strftime("%d.%m.%Y")}
                }
            )
        offer.valid_until = last_day
    offer.save_versioned(expected_version=expected_version, update_fields=fields)
    record(
        action=AuditAction.OFFER_SAVED,
        actor=actor,
        agency=membership.agency,
        target=offer,
        detail={"ended": True, "valid_until": _iso(offer.valid_until), "previous": previous},
    )
    return offer


@transaction.atomic
def offer_reopen(
    *, offer: Offer, expected_version: int, membership: Membership, actor: User
) -> Offer:
    """Lift the end of an offer (ended, or with its end planned): it runs open-ended again."""
    _require_manage(membership, offer.provider)
    if offer.valid_until is None:
        raise ValidationError(_("This offer has no end to lift."))
    previous = _iso(offer.valid_until)
    offer.valid_until = None
    offer.save_versioned(expected_version=expected_version, update_fields=["valid_until"])
    record(
        action=AuditAction.OFFER_SAVED,
        actor=actor,
        agency=membership.agency,
        target=offer,
        detail={"reopened": True, "previous": {"valid_until": previous}},
    )
    return offer


# --- deleting a location ----------------------------------------------------------------------


class LocationInUseError(ValidationError):
    """A location that offers still name is not deleted; ``offers`` says which."""

    def __init__(self, offers: list[Offer]) -> None:
        super().__init__(
            _("Offers still take place at this location: %(offers)s.")
            % {"offers": ", ".join(offer.name for offer in offers)}
        )
        self.offers = offers


def offers_at_location(location: Location) -> list[Offer]:
    """Every offer that names the location, ended ones included: as a place or in its
    times."""
    return list(
        Offer.objects.filter(
            Q(pk__in=OfferLocation.objects.filter(location=location).values("offer_id"))
            | Q(pk__in=Schedule.objects.filter(location=location).values("offer_id"))
        ).order_by("name", "pk")
    )


@transaction.atomic
def location_delete(*, location: Location, membership: Membership, actor: User) -> None:
    """Delete a location no offer uses (else ``LocationInUseError`` naming the offers)."""
    _require_manage(membership, location.provider)
    # Lock the row first: an offer given this location meanwhile (its row's foreign key
    # waits for the lock) either is seen below or fails after the delete, and is never
    # removed silently with the location.
    Location.objects.select_for_update().filter(pk=location.pk).exists()
    offers = offers_at_location(location)
    if offers:
        raise LocationInUseError(offers)
    record(
        action=AuditAction.OFFER_SAVED,
        actor=actor,
        agency=membership.agency,
        target=location,
        detail={"location": True, "deleted": True, "provider": location.provider_id},
    )
    location.delete()
