"""The directory of offers under ``/api/v1/``: search the current offers, export them as HSDS.

Offers are not personal data: every signed-in caller (bearer token or session) reads them, as
all of ``/api/v1/`` requires a caller. Both operations show what ``directory.selectors.
offers_search`` finds — current offers (active, valid today) of approved providers. The export
streams HSDS 3.0 JSON or the tabular package (a zip) and is audited once with its count.
"""

from __future__ import annotations

from datetime import date, time
from typing import Any, Literal
from uuid import UUID

from django.db.models import QuerySet
from django.http import HttpRequest, StreamingHttpResponse
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema
from pydantic import field_validator

from lotse.accounts.models import Membership
from lotse.directory import hsds
from lotse.directory.domains import LifeDomain
from lotse.directory.models import Offer
from lotse.directory.selectors import Q_MAX_LENGTH, offers_search
from lotse.people.choices import District
from lotse.people.validation import language_codes

from .people import ERRORS, Page
from .schemas import CheckedInput, ListOut

router = Router(tags=["directory"])


# --- schemas ------------------------------------------------------------------------------------


class ProviderOut(Schema):
    id: UUID = Field(description="The provider's HSDS id (organization.id).")
    name: str
    website: str
    email: str
    phone: str


class LocationOut(Schema):
    id: UUID = Field(description="The location's HSDS id.")
    name: str
    street: str
    postal_code: str
    city: str
    district: str
    latitude: float | None
    longitude: float | None
    wheelchair_accessible: bool | None


class ScheduleOut(Schema):
    rrule: str = Field(description="RFC 5545 recurrence, e.g. FREQ=WEEKLY;BYDAY=MO,WE.")
    opens_at: time | None
    closes_at: time | None
    dtstart: date | None
    until: date | None
    description: str
    location: UUID | None = Field(description="HSDS id of the location, if one is named.")


class OfferOut(Schema):
    id: UUID = Field(description="The offer's HSDS id (service.id).")
    name: str
    alternate_name: str
    description: str
    provider: ProviderOut
    domains: list[str] = Field(description="Life-domain codes, the main domain first.")
    languages: list[str] = Field(description="ISO 639 codes.")
    citywide: bool
    districts: list[str] = Field(description="District codes served; empty when city-wide.")
    minimum_age: int | None
    maximum_age: int | None
    sexes: list[str]
    family_situations: list[str]
    residence_kinds: list[str]
    eligibility_description: str
    free_of_charge: bool
    fees_description: str
    capacity: int | None
    free_places: int | None
    waiting_list: bool
    wait_time: str
    accepts_referrals: bool
    is_public: bool
    valid_from: date | None
    valid_until: date | None
    url: str
    email: str
    phone: str
    application_process: str
    checked_on: date | None = Field(description="When the provider last confirmed the data.")
    check_due: bool
    locations: list[LocationOut]
    schedules: list[ScheduleOut]


class OfferFilters(CheckedInput):
    domain: str = Field(
        "",
        description="Only offers in this life domain (main or not).",
        json_schema_extra={"enum": ["", *LifeDomain.values]},
    )
    language: str = Field("", max_length=8, description="Only offers in this language (ISO 639).")
    district: str = Field(
        "",
        description="Only offers serving this district (city-wide offers serve all).",
        json_schema_extra={"enum": ["", *District.values]},
    )
    q: str = Field(
        "", max_length=Q_MAX_LENGTH, description="Words in name, description or provider."
    )
    age: int | None = Field(None, ge=0, le=120, description="Only offers open at this age.")

    @field_validator("domain")
    @classmethod
    def _known_domain(cls, value: str) -> str:
        if value and value not in LifeDomain.values:
            raise ValueError(_("Choose a life domain."))
        return value

    @field_validator("district")
    @classmethod
    def _known_district(cls, value: str) -> str:
        if value and value not in District.values:
            raise ValueError(_("Unknown district."))
        return value

    @field_validator("language")
    @classmethod
    def _known_language(cls, value: str) -> str:
        value = value.strip().lower()
        if value and value not in language_codes():
            raise ValueError(_("Unknown language code."))
        return value


class OfferQuery(OfferFilters, Page):
    pass


class ExportQuery(OfferFilters):
    format: Literal["hsds-json", "hsds-csv"] = Field(
        "hsds-json",
        description="hsds-json: a JSON list of HSDS services; hsds-csv: the HSDS tabular "
        "data package, a zip of CSV files with datapackage.json.",
    )


# --- building the answers -----------------------------------------------------------------------


def _search(filters: OfferFilters) -> QuerySet[Offer]:
    return offers_search(
        domain=filters.domain or None,
        language=filters.language or None,
        district=filters.district or None,
        q=filters.q,
        age=filters.age,
    )


def _offer_out(offer: Offer) -> OfferOut:
    """From the prefetched rows only (``selectors.with_offer_details``): no query per offer."""
    provider = offer.provider
    return OfferOut(
        id=offer.hsds_id,
        name=offer.name,
        alternate_name=offer.alternate_name,
        description=offer.description,
        provider=ProviderOut(
            id=provider.hsds_id,
            name=provider.name,
            website=provider.website,
            email=provider.email,
            phone=provider.phone,
        ),
        domains=offer.domain_codes,
        languages=[row.code for row in offer.languages.all()],
        citywide=offer.citywide,
        districts=[row.district for row in offer.districts.all()],
        minimum_age=offer.minimum_age,
        maximum_age=offer.maximum_age,
        sexes=list(offer.sexes or []),
        family_situations=list(offer.family_situations or []),
        residence_kinds=list(offer.residence_kinds or []),
        eligibility_description=offer.eligibility_description,
        free_of_charge=offer.free_of_charge,
        fees_description=offer.fees_description,
        capacity=offer.capacity,
        free_places=offer.free_places,
        waiting_list=offer.waiting_list,
        wait_time=offer.wait_time,
        accepts_referrals=offer.accepts_referrals,
        is_public=offer.is_public,
        valid_from=offer.valid_from,
        valid_until=offer.valid_until,
        url=offer.url,
        email=offer.email,
        phone=offer.phone,
        application_process=offer.application_process,
        checked_on=offer.checked_on,
        check_due=offer.check_due(),
        locations=[
            LocationOut(
                id=at.location.hsds_id,
                name=at.location.name,
                street=at.location.street,
                postal_code=at.location.postal_code,
                city=at.location.city,
                district=at.location.district,
                latitude=float(at.location.latitude) if at.location.latitude is not None else None,
                longitude=(
                    float(at.location.longitude) if at.location.longitude is not None else None
                ),
                wheelchair_accessible=at.location.wheelchair_accessible,
            )
            for at in offer.at_locations.all()
        ],
        schedules=[
            ScheduleOut(
                rrule=schedule.rrule(),
                opens_at=schedule.opens_at,
                closes_at=schedule.closes_at,
                dtstart=schedule.dtstart,
                until=schedule.until,
                description=schedule.description,
                location=schedule.location.hsds_id if schedule.location else None,
            )
            for schedule in offer.schedules.all()
        ],
    )


# --- operations ---------------------------------------------------------------------------------


@router.get(
    "/offers",
    response={200: ListOut[OfferOut], **ERRORS},
    summary="Current offers of approved providers; filter by domain, language, district, q, age",
)
def offer_list(request: HttpRequest, query: Query[OfferQuery]) -> dict[str, Any]:
    """By name. Every filter narrows the list; ``count`` is of all offers found."""
    offers = _search(query)
    page = list(offers[query.offset : query.offset + query.limit])
    return {"items": [_offer_out(offer) for offer in page], "count": offers.count()}


@router.get(
    "/offers/export",
    response={200: None, **ERRORS},
    summary="The offers found (as in /offers) as HSDS 3.0: JSON or the tabular package (zip)",
    openapi_extra={
        "responses": {
            "200": {
                "description": "HSDS services as JSON, or the zip of the tabular package.",
                "content": {
                    "application/json": {"schema": {"type": "array", "items": {}}},
                    "application/zip": {"schema": {"type": "string", "format": "binary"}},
                },
            }
        }
    },
)
def offer_export(request: HttpRequest, query: Query[ExportQuery]) -> StreamingHttpResponse:
    """Streamed: the answer starts at once and memory stays flat whatever the number of
    offers. German profile (life domains, target groups, capacity …): docs/hsds-profile.md."""
    membership: Membership | None = getattr(request, "membership", None)
    offers = _search(query)
    actor = request.user if request.user.is_authenticated else None
    agency = membership.agency if membership else None
    response: StreamingHttpResponse
    if query.format == "hsds-csv":
        response = StreamingHttpResponse(
            hsds.offers_export_package(offers=offers, actor=actor, agency=agency),
            content_type=hsds.ZIP_CONTENT_TYPE,
        )
        response["Content-Disposition"] = 'attachment; filename="offers-hsds.zip"'
    else:
        response = StreamingHttpResponse(
            hsds.offers_export_json(offers=offers, actor=actor, agency=agency),
            content_type=hsds.JSON_CONTENT_TYPE,
        )
        response["Content-Disposition"] = 'attachment; filename="offers-hsds.json"'
    return response
