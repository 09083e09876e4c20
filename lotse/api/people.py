"""Persons, households, residence statuses and the duplicate check under ``/api/v1/``.

Thin on purpose: every read goes through ``lotse.people.selectors`` (and so through the access
scopes), every write through ``lotse.people.services``. What a caller may not see, or may not do,
answers 404 exactly like something that does not exist.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Prefetch, QuerySet, prefetch_related_objects
from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status
from ninja.errors import ValidationError
from pydantic import ConfigDict, field_validator

from lotse.accounts.models import Membership
from lotse.accounts.roles import Capability
from lotse.audit.models import AuditAction
from lotse.consent import policy
from lotse.consent.reads import audited_read
from lotse.core.models import StaleEditError
from lotse.people import access, selectors, services
from lotse.people.choices import (
    BirthDatePrecision,
    District,
    HouseholdRole,
    LanguageLevel,
    OtherHouseholds,
    ResidenceKind,
    Sex,
    WorkPermission,
)
from lotse.people.duplicates import ProspectivePerson
from lotse.people.models import (
    DomainTransition,
    Household,
    HouseholdMember,
    Person,
    ResidenceStatus,
)
from lotse.people.search import CANDIDATES
from lotse.people.validation import country_codes

from .auth import acting_membership as _membership
from .auth import acting_user as _actor
from .auth import requires
from .schemas import CheckedInput, ErrorOut, ListOut, LotseId, storable

router = Router(tags=["people"])

MAX_PAGE = 500
# Deeper than anyone pages; beyond it the database would be asked for an offset it cannot
# hold (a 500), so the API says which parameter is wrong instead.
MAX_OFFSET = 1_000_000


# --- access: capability checked before anything of the request is read ----------------------


# --- errors: the services' ValidationError becomes the API's 422 -----------------------------

_INDEX = re.compile(r"\[(\d+)\]")


def _location(field: str) -> list[str | int]:
    """'members[0].languages[1].language' → ['members', 0, 'languages', 1, 'language']."""
    parts: list[str | int] = []
    for part in _INDEX.sub(r".\1", field).split("."):
        if part and part != "__all__":
            parts.append(int(part) if part.isdigit() else part)
    return parts


def _unprocessable(error: DjangoValidationError, prefix: Sequence[str | int]) -> ValidationError:
    by_field = error.error_dict if hasattr(error, "error_dict") else {"__all__": error.error_list}
    errors = [
        {
            "type": item.code or "invalid",
            "loc": ["body", *prefix, *_location(field)],
            "msg": message,
        }
        for field, items in by_field.items()
        for item in items
        for message in item
    ]
    return ValidationError(errors)


@contextmanager
def invalid_input_as_422() -> Iterator[None]:
    """Bad input found by a service answers 422 naming the field, in the API's error shape."""
    try:
        yield
    except DjangoValidationError as error:
        raise _unprocessable(error, ("payload",)) from error


def _field_error(loc: Sequence[str | int], message: str) -> ValidationError:
    return ValidationError([{"type": "invalid", "loc": ["body", "payload", *loc], "msg": message}])


# --- schemas ----------------------------------------------------------------------------------


class InputSchema(CheckedInput):
    # A misspelt field must not be dropped silently: the data would be lost without a word.
    model_config = ConfigDict(extra="forbid")


def _district(value: str) -> str:
    if value and value not in District.values:
        raise ValueError(_("Unknown district; one of: %(codes)s") % {"codes": ", ".join(District)})
    return value


def _district_field(default: str | None) -> Any:
    return Field(
        default,
        description="One of Wuppertal's ten Stadtbezirke, or empty.",
        json_schema_extra={"enum": ["", *District.values]},
    )


class LanguageIn(InputSchema):
    language: str = Field(description="ISO 639-1 or 639-3 code, e.g. 'ar', 'prs', 'tir'.")
    level: LanguageLevel = LanguageLevel.NATIVE
    interpreter_needed: bool = False


class LanguageOut(Schema):
    language: str
    level: str
    interpreter_needed: bool


class PersonIn(InputSchema):
    given_names: str
    family_name: str
    native_name: str = ""
    aliases: list[str] = Field(default_factory=list, description="Other spellings.")
    birth_date: date | None = None
    birth_date_precision: BirthDatePrecision = BirthDatePrecision.EXACT
    sex: Sex = Sex.UNSPECIFIED
    nationalities: list[str] = Field(default_factory=list, description="ISO 3166 codes.")
    languages: list[LanguageIn] = Field(default_factory=list)
    arrival_in_germany: date | None = None
    arrival_in_city: date | None = None
    phone: str = ""
    email: str = ""
    district: str = _district_field("")

    _check_district = field_validator("district")(_district)

    def to_data(self) -> services.PersonData:
        values = self.model_dump(exclude={"languages"})
        languages = [services.LanguageData(**item.model_dump()) for item in self.languages]
        return services.PersonData(**values, languages=languages)


_NOT_NULL = (
    "given_names",
    "family_name",
    "native_name",
    "aliases",
    "birth_date_precision",
    "sex",
    "nationalities",
    "phone",
    "email",
    "district",
    "languages",
)


class PersonPatch(InputSchema):
    """Only the fields sent are changed; ``version`` is the one the change is based on."""

    version: int = Field(description="The version read before editing (optimistic locking).")
    given_names: str | None = None
    family_name: str | None = None
    native_name: str | None = None
    aliases: list[str] | None = None
    birth_date: date | None = None
    birth_date_precision: BirthDatePrecision | None = None
    sex: Sex | None = None
    nationalities: list[str] | None = None
    languages: list[LanguageIn] | None = Field(
        None,
        description=(
            "Replaces the languages your agency recorded for the person; `[]` removes them, "
            "leaving it out changes none. Entries other agencies recorded stay as they are. "
            "Each language at most once."
        ),
    )
    arrival_in_germany: date | None = None
    arrival_in_city: date | None = None
    phone: str | None = None
    email: str | None = None
    district: str | None = _district_field(None)

    @field_validator(*_NOT_NULL, mode="before")
    @classmethod
    def _not_null(cls, value: Any) -> Any:
        # Validators run only on fields that were sent: null is refused, absence is fine.
        if value is None:
            raise ValueError(_("This field cannot be null."))
        return value

    _check_district = field_validator("district")(_district)

    def changes(self) -> dict[str, Any]:
        return self.model_dump(exclude_unset=True, exclude={"version", "languages"})

    def languages_data(self) -> list[services.LanguageData] | None:
        """The languages sent, or None if the field was left out."""
        if "languages" not in self.model_fields_set or self.languages is None:
            return None
        return [services.LanguageData(**item.model_dump()) for item in self.languages]


class PersonOut(Schema):
    id: str = Field(description="The pseudonymous Lotse ID, e.g. P-7K3M-9QX2.")
    given_names: str
    family_name: str
    native_name: str
    aliases: list[str]
    birth_date: date | None
    birth_date_precision: str
    sex: str
    nationalities: list[str]
    languages: list[LanguageOut]
    arrival_in_germany: date | None
    arrival_in_city: date | None
    phone: str
    email: str
    district: str
    version: int
    access_basis: str = Field(description="Why you see this person (consent.policy basis).")


class StaleOut(Schema):
    detail: str
    changed_fields: list[str]
    current: PersonOut


class InvalidItemOut(Schema):
    type: str
    loc: list[str | int]
    msg: str


class InvalidOut(Schema):
    detail: str
    errors: list[InvalidItemOut]


ERRORS: dict[int, Any] = {404: ErrorOut, 422: InvalidOut}


class PersonQuery(CheckedInput):
    q: str = Field("", description="Any spelling, native script, birth year or Lotse ID.")
    limit: int = Field(50, ge=1, le=MAX_PAGE)
    offset: int = Field(0, ge=0, le=MAX_OFFSET)


class Page(CheckedInput):
    limit: int = Field(50, ge=1, le=MAX_PAGE)
    offset: int = Field(0, ge=0, le=MAX_OFFSET)


class DuplicateCheckIn(PersonIn):
    # Runs while a form is being filled in: names may still be incomplete.
    given_names: str = ""
    family_name: str = ""
    household_names: list[str] = Field(
        default_factory=list, description="Names of the other household members."
    )

    @field_validator("nationalities")
    @classmethod
    def _known_countries(cls, value: list[str]) -> list[str]:
        codes = [code.strip().upper() for code in value]
        unknown = [code for code in codes if code not in country_codes()]
        if unknown:
            raise ValueError(_("Unknown country code: %(codes)s") % {"codes": ", ".join(unknown)})
        return codes

    def prospective(self) -> ProspectivePerson:
        return ProspectivePerson(
            given_names=self.given_names,
            family_name=self.family_name,
            aliases=tuple(self.aliases),
            native_name=self.native_name,
            birth_date=self.birth_date,
            birth_date_precision=self.birth_date_precision,
            sex=self.sex,
            nationalities=tuple(self.nationalities),
            household_names=tuple(self.household_names),
        )


class CandidateOut(Schema):
    person: PersonOut
    score: float
    tier: str = Field(description="'likely' or 'possible'.")


class AgencyHintOut(Schema):
    code: str
    name: str
    hint: str


class DuplicateReportOut(Schema):
    candidates: list[CandidateOut]
    other_agencies: list[AgencyHintOut] = Field(
        description="Agencies that may know the person; no data of theirs, only the hint."
    )


class MemberIn(InputSchema):
    person: str | PersonIn = Field(
        description="The Lotse ID of a known person, or a new person to register."
    )
    role: HouseholdRole
    elsewhere: OtherHouseholds | None = Field(
        default=None,
        description="For a known person who lives in another household: `move` ends that "
        "membership today (the other household must be your agency's), `link` keeps it. "
        "Without it such a person is refused, never silently a member of two households.",
    )

    @field_validator("person", mode="wrap")
    @classmethod
    def _id_or_new_person(cls, value: Any, handler: Any) -> str | PersonIn:
        # Chosen by the shape of the input, so errors of a new person point at its fields
        # (members.0.person.family_name) instead of listing every branch of the union.
        if isinstance(value, str):
            return str(storable(value))  # this validator wraps the base's check
        if isinstance(value, dict):
            return PersonIn.model_validate(value)
        raise ValueError(_("Give the Lotse ID of a known person or a new person."))


class HouseholdIn(InputSchema):
    street: str = ""
    postcode: str = ""
    city: str = "Wuppertal"
    district: str = _district_field("")
    members: list[MemberIn]

    _check_district = field_validator("district")(_district)


class MemberOut(Schema):
    person: PersonOut
    role: str


class HouseholdOut(Schema):
    id: str
    street: str
    postcode: str
    city: str
    district: str
    version: int
    members: list[MemberOut]
    access_basis: str


class ResidenceIn(InputSchema):
    kind: ResidenceKind
    paragraph: str = Field("", description="For residence permits, e.g. '§ 25 Abs. 2 AufenthG'.")
    valid_from: date
    valid_until: date | None = None
    residence_obligation: str = ""
    work_permission: WorkPermission = WorkPermission.UNKNOWN


class TransitionOut(Schema):
    from_regime: str
    to_regime: str
    effective_from: date


class ResidenceOut(Schema):
    id: int
    kind: str
    paragraph: str
    valid_from: date
    valid_until: date | None
    residence_obligation: str
    work_permission: str
    benefit_regime: str
    transition: TransitionOut | None = Field(
        description="A change of benefit law (Rechtskreiswechsel) this status caused, if any."
    )


# --- building the answers ---------------------------------------------------------------------


def _with_languages(persons: Iterable[Person], membership: Membership) -> None:
    """Fetch the languages the member may see for all ``persons`` in one query."""
    pending = [p for p in persons if not hasattr(p, "visible_languages")]
    prefetch_related_objects(
        pending,
        Prefetch(
            "languages",
            queryset=access.languages_visible_to(membership).order_by("pk"),
            to_attr="visible_languages",
        ),
    )


def _person_out(person: Person, membership: Membership, basis: str | None = None) -> PersonOut:
    if not hasattr(person, "visible_languages"):
        _with_languages([person], membership)
    return PersonOut(
        id=person.public_id,
        given_names=person.given_names,
        family_name=person.family_name,
        native_name=person.native_name,
        aliases=[str(alias) for alias in person.aliases],
        birth_date=person.birth_date,
        birth_date_precision=person.birth_date_precision,
        sex=person.sex,
        nationalities=list(person.nationalities),
        languages=[
            LanguageOut(
                language=item.language,
                level=item.level,
                interpreter_needed=item.interpreter_needed,
            )
            for item in person.visible_languages  # type: ignore[attr-defined]
        ],
        arrival_in_germany=person.arrival_in_germany,
        arrival_in_city=person.arrival_in_city,
        phone=person.phone,
        email=person.email,
        district=person.district,
        version=person.version,
        access_basis=basis if basis is not None else policy.explain(membership, person).basis,
    )


def _persons_out(
    persons: Sequence[Person], membership: Membership, decisions: policy.Decisions
) -> list[PersonOut]:
    _with_languages(persons, membership)
    return [_person_out(person, membership, decisions.of(person).basis) for person in persons]


def _households_out(households: Sequence[Household], membership: Membership) -> list[HouseholdOut]:
    """A page of households with a fixed number of queries: the members' languages and the
    policy's decisions for all of them at once."""
    persons = [m.person for h in households for m in h.visible_members]  # type: ignore[attr-defined]
    _with_languages(persons, membership)
    decisions = policy.explain_many(membership, persons)
    return [_household_out(h, membership, decisions) for h in households]


def _household_out(
    household: Household,
    membership: Membership,
    decisions: policy.Decisions | None = None,
) -> HouseholdOut:
    members: list[HouseholdMember] = household.visible_members  # type: ignore[attr-defined]
    persons = [m.person for m in members]
    if decisions is None:
        _with_languages(persons, membership)
        decisions = policy.explain_many(membership, persons)
    return HouseholdOut(
        id=household.public_id,
        street=household.street,
        postcode=household.postcode,
        city=household.city,
        district=household.district,
        version=household.version,
        members=[
            MemberOut(
                person=_person_out(m.person, membership, decisions.of(m.person).basis),
                role=m.role,
            )
            for m in members
        ],
        access_basis=_household_basis(household, members, membership, decisions),
    )


def _household_basis(
    household: Household,
    members: Sequence[HouseholdMember],
    membership: Membership,
    decisions: policy.Decisions | None = None,
) -> str:
    """A household is no compartmented item of its own: it is seen because the agency
    registered it, or through a member the agency may see."""
    if household.owner_agency_id == membership.agency_id:
        return policy.Basis.OWN_AGENCY
    decisions = decisions or policy.explain_many(membership, [m.person for m in members])
    for member in members:
        decision = decisions.of(member.person)
        if decision.allowed:
            return decision.basis
    return ""


def _residence_out(status: ResidenceStatus, transition: DomainTransition | None) -> ResidenceOut:
    return ResidenceOut(
        id=status.pk,
        kind=status.kind,
        paragraph=status.paragraph,
        valid_from=status.valid_from,
        valid_until=status.valid_until,
        residence_obligation=status.residence_obligation,
        work_permission=status.work_permission,
        benefit_regime=status.benefit_regime,
        transition=(
            TransitionOut(
                from_regime=transition.from_regime,
                to_regime=transition.to_regime,
                effective_from=transition.effective_from,
            )
            if transition
            else None
        ),
    )


def _households(membership: Membership) -> QuerySet[Household]:
    return selectors.household_list(membership=membership)


def _view_recorded(
    request: HttpRequest,
    action: str,
    target: Any = None,
    *,
    items: Sequence[Person] = (),
    subjects: Iterable[int] = (),
    decisions: policy.Decisions | None = None,
    **detail: Any,
) -> None:
    """Audit a read through the one read path (``consent.reads``), as the pages do."""
    membership = _membership(request)
    basis = None
    if isinstance(target, Household):
        basis = _household_basis(target, target.visible_members, membership)  # type: ignore[attr-defined]
    audited_read(
        membership=membership,
        actor=_actor(request),
        action=action,
        target=target,
        items=items,
        subjects=subjects,
        decisions=decisions,
        basis=basis,
        **detail,
    )


# --- persons ----------------------------------------------------------------------------------


@router.post(
    "/persons",
    response={201: PersonOut, **ERRORS},
    auth=requires(Capability.REGISTER_PERSONS),
    summary="Register a person",
)
def person_create(request: HttpRequest, payload: PersonIn) -> Status[PersonOut]:
    membership = _membership(request)
    with invalid_input_as_422():
        person = services.person_register(
            data=payload.to_data(), membership=membership, actor=_actor(request)
        )
    return Status(201, _person_out(person, membership))


@router.get(
    "/persons",
    response={200: ListOut[PersonOut], **ERRORS},
    auth=requires(Capability.READ_CASE_CONTENT),
    summary="List persons, or search them with ?q=",
)
def person_list(request: HttpRequest, query: Query[PersonQuery]) -> dict[str, Any]:
    """With ``q``: ranked search (any spelling, native script, birth year, Lotse ID), at most
    200 hits. Without: all persons in your scope by name."""
    membership = _membership(request)
    end = query.offset + query.limit
    if query.q.strip():
        if not access.may_search(membership):
            raise Http404
        hits = selectors.person_search(membership=membership, query=query.q, limit=CANDIDATES)
        persons = [hit.person for hit in hits[query.offset : end]]
        count = len(hits)
        mode = "search"
    else:
        queryset = selectors.person_list(membership=membership)
        persons = list(queryset[query.offset : end])
        count = selectors.person_count(membership=membership)
        mode = "list"
    decisions = policy.explain_many(membership, persons)
    items = _persons_out(persons, membership, decisions)
    _view_recorded(
        request, AuditAction.PERSON_SEARCHED, items=persons, decisions=decisions, mode=mode
    )
    return {"items": items, "count": count}


@router.post(
    "/persons/duplicate-check",
    response={200: DuplicateReportOut, **ERRORS},
    auth=requires(Capability.REGISTER_PERSONS),
    summary="Possible duplicates of a person about to be registered",
)
def person_duplicate_check(request: HttpRequest, payload: DuplicateCheckIn) -> DuplicateReportOut:
    """Candidates in your scope come with their data; a match known only to another agency
    is reported as a hint naming that agency, never with any of its data."""
    membership = _membership(request)
    report = services.duplicate_check(
        membership=membership, actor=_actor(request), prospective=payload.prospective()
    )
    _with_languages([c.person for c in report.in_scope], membership)
    return DuplicateReportOut(
        candidates=[
            CandidateOut(person=_person_out(c.person, membership), score=c.score, tier=c.tier)
            for c in report.in_scope
        ],
        other_agencies=[
            AgencyHintOut(
                code=agency.code,
                name=agency.name,
                hint=_("A possible match is known to %(agency)s — ask the family for consent")
                % {"agency": agency.name},
            )
            for agency in report.other_agencies
        ],
    )


@router.get(
    "/persons/{id}",
    response={200: PersonOut, **ERRORS},
    auth=requires(Capability.READ_CASE_CONTENT),
    summary="A person",
)
def person_detail(request: HttpRequest, id: LotseId) -> PersonOut:
    membership = _membership(request)
    person = selectors.person_get(membership=membership, public_id=id)
    _view_recorded(request, AuditAction.PERSON_VIEWED, person)
    return _person_out(person, membership)


@router.patch(
    "/persons/{id}",
    response={200: PersonOut, 409: StaleOut, **ERRORS},
    auth=requires(Capability.REGISTER_PERSONS),
    summary="Change a person (optimistic locking: send the version you read)",
)
def person_patch(
    request: HttpRequest,
    id: LotseId,
    payload: PersonPatch,
) -> PersonOut | Status[StaleOut]:
    """Only the fields sent change, all in one step: an error in any of them saves nothing.

    Identity fields are changed by the agency that registered the person only; for any other
    agency that sees the person, a PATCH with them answers 404 like a missing person. Every
    agency that sees the person may send `languages` alone.

    `languages` replaces the language entries your agency recorded (`[]` removes them; leaving
    it out changes none). Entries other agencies recorded stay untouched and are shown only
    where you may see them; one sent back unchanged, as GET shows it, is not copied, and one
    sent with another level or interpreter flag becomes your agency's own entry beside it.

    A stale `version` answers 409 with the fields that differ and the person as it is now.
    Errors name the field and entry, e.g. `languages[1].language` as
    `["body", "payload", "languages", 1, "language"]`.
    """
    membership = _membership(request)
    # Seeing is not owning: the service lets only the registering agency change identity
    # fields (to everyone else that is missing, 404, as on the edit page) and any agency
    # that sees the person replace its own language entries.
    person = selectors.person_get(membership=membership, public_id=id)
    try:
        with invalid_input_as_422():
            person = services.person_update(
                person=person,
                expected_version=payload.version,
                changes=payload.changes(),
                languages=payload.languages_data(),
                membership=membership,
                actor=_actor(request),
            )
    except StaleEditError as stale:
        current = stale.current
        assert isinstance(current, Person)  # noqa: S101 - person_update saves persons
        return Status(
            409,
            StaleOut(
                detail=_(
                    "Someone else changed this person in the meantime; nothing was saved. "
                    "Compare with the current version and send your change again."
                ),
                changed_fields=stale.changed_fields,
                current=_person_out(current, membership),
            ),
        )
    return _person_out(person, membership)


@router.get(
    "/persons/{id}/residence-statuses",
    response={200: ListOut[ResidenceOut], **ERRORS},
    auth=requires(Capability.READ_CASE_CONTENT),
    summary="A person's residence history, newest first",
)
def residence_status_list(
    request: HttpRequest,
    id: LotseId,
) -> dict[str, Any]:
    membership = _membership(request)
    person = selectors.person_get(membership=membership, public_id=id)
    history = selectors.residence_history(membership=membership, person=person)
    prefetch_related_objects(
        history.statuses,
        Prefetch(
            "transitions",
            queryset=access.transitions_visible_to(membership).order_by("-pk"),
            to_attr="visible_transitions",
        ),
    )
    _view_recorded(request, AuditAction.PERSON_VIEWED, person, section="residence_statuses")
    items = []
    for status in history.statuses:
        transitions: list[DomainTransition] = status.visible_transitions  # type: ignore[attr-defined]
        items.append(_residence_out(status, transitions[0] if transitions else None))
    return {"items": items, "count": len(items)}


@router.post(
    "/persons/{id}/residence-statuses",
    response={201: ResidenceOut, **ERRORS},
    auth=requires(Capability.REGISTER_PERSONS),
    summary="Record a residence status; recognises a change of benefit law",
)
def residence_status_create(
    request: HttpRequest,
    id: LotseId,
    payload: ResidenceIn,
) -> Status[ResidenceOut]:
    membership = _membership(request)
    person = selectors.person_get(membership=membership, public_id=id)
    with invalid_input_as_422():
        outcome = services.residence_status_add(
            person=person,
            data=services.ResidenceData(**payload.model_dump()),
            membership=membership,
            actor=_actor(request),
        )
    return Status(201, _residence_out(outcome.status, outcome.transition))


# --- households -------------------------------------------------------------------------------


def _members(payload: HouseholdIn, membership: Membership) -> list[services.MemberData]:
    members: list[services.MemberData] = []
    seen: set[str] = set()
    for index, member in enumerate(payload.members):
        if isinstance(member.person, str):
            public_id = member.person.strip().upper()
            if public_id in seen:
                raise _field_error(["members", index, "person"], _("This person is listed twice."))
            seen.add(public_id)
            try:
                existing = selectors.person_get(membership=membership, public_id=public_id)
            except Http404 as missing:
                # The same answer for "missing" and "not yours": IDs cannot be probed.
                raise _field_error(
                    ["members", index, "person"], _("No person with this ID is known to you.")
                ) from missing
            members.append(
                services.MemberData(
                    person=None,
                    role=member.role,
                    existing=existing,
                    elsewhere=member.elsewhere or "",
                )
            )
        else:
            members.append(services.MemberData(person=member.person.to_data(), role=member.role))
    return members


def _new_person_fields(error: DjangoValidationError) -> DjangoValidationError:
    """The service names a new member's field 'members[0].given_names'; the API's input
    has it at 'members[0].person.given_names'."""
    if not hasattr(error, "error_dict"):
        return error
    renamed: dict[str, Any] = {}
    for field, items in error.error_dict.items():
        found = re.match(r"^(members\[\d+\])\.(?!role$)(.+)$", field)
        renamed[f"{found.group(1)}.person.{found.group(2)}" if found else field] = items
    return DjangoValidationError(renamed)


@router.post(
    "/households",
    response={201: HouseholdOut, **ERRORS},
    auth=requires(Capability.REGISTER_PERSONS),
    summary="Register a household with its members (known or new persons), all or nothing",
)
def household_create(request: HttpRequest, payload: HouseholdIn) -> Status[HouseholdOut]:
    membership = _membership(request)
    members = _members(payload, membership)
    data = services.HouseholdData(
        street=payload.street,
        postcode=payload.postcode,
        city=payload.city,
        district=payload.district,
    )
    with invalid_input_as_422():
        try:
            created = services.household_register(
                household=data, members=members, membership=membership, actor=_actor(request)
            )
        except DjangoValidationError as error:
            raise _new_person_fields(error) from error
    household = selectors.household_get(membership=membership, public_id=created.public_id)
    return Status(201, _household_out(household, membership))


@router.get(
    "/households",
    response={200: ListOut[HouseholdOut], **ERRORS},
    auth=requires(Capability.READ_CASE_CONTENT),
    summary="Households in your scope, newest first",
)
def household_list(request: HttpRequest, page: Query[Page]) -> dict[str, Any]:
    membership = _membership(request)
    queryset = _households(membership)
    households = list(queryset[page.offset : page.offset + page.limit])
    items = _households_out(households, membership)
    _view_recorded(
        request,
        AuditAction.HOUSEHOLD_VIEWED,
        subjects=[m.person_id for h in households for m in h.visible_members],  # type: ignore[attr-defined]
        shown=[h.pk for h in households],
    )
    return {"items": items, "count": queryset.count()}


@router.get(
    "/households/{id}",
    response={200: HouseholdOut, **ERRORS},
    auth=requires(Capability.READ_CASE_CONTENT),
    summary="A household with its members",
)
def household_detail(request: HttpRequest, id: LotseId) -> HouseholdOut:
    membership = _membership(request)
    household = selectors.household_get(membership=membership, public_id=id)
    members: list[HouseholdMember] = household.visible_members  # type: ignore[attr-defined]
    _view_recorded(
        request,
        AuditAction.HOUSEHOLD_VIEWED,
        household,
        subjects=[m.person_id for m in members],
    )
    return _household_out(household, membership)
