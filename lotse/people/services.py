"""Writes of the people domain: keyword-only, atomic, validated and audited."""

from __future__ import annotations

import re
from dataclasses import dataclass, field, fields
from datetime import date
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.translation import gettext as _

from lotse.accounts.models import Membership, User
from lotse.audit.models import AuditAction, AuditEvent
from lotse.audit.services import record
from lotse.consent.policy import Basis
from lotse.consent.reads import audited_read
from lotse.core.dates import start_of
from lotse.core.merge import move_person_content
from lotse.core.models import StaleEditError
from lotse.core.text import clean_name, clean_names, clean_text

from . import access, selectors
from .choices import (
    BirthDatePrecision,
    HouseholdRole,
    OtherHouseholds,
    ResidenceKind,
    Sex,
    WorkPermission,
)
from .duplicates import DuplicateReport, ProspectivePerson
from .models import (
    DomainTransition,
    Household,
    HouseholdDeparture,
    HouseholdMember,
    Person,
    PersonLanguage,
    PersonMerge,
    ResidenceStatus,
)
from .residence import benefit_regime, is_domain_transition
from .search import index_person_names
from .validation import country_codes, language_codes

# Households are at most this large in one registration (the form offers as many rows).
MAX_HOUSEHOLD_MEMBERS = 20

PERSON_FIELDS = (
    "given_names",
    "family_name",
    "aliases",
    "native_name",
    "birth_date",
    "birth_date_precision",
    "sex",
    "nationalities",
    "arrival_in_germany",
    "arrival_in_city",
    "phone",
    "email",
    "district",
)


@dataclass
class LanguageData:
    language: str
    level: str = "native"
    interpreter_needed: bool = False


@dataclass
class PersonData:
    given_names: str
    family_name: str
    aliases: list[str] = field(default_factory=list)
    native_name: str = ""
    birth_date: date | None = None
    birth_date_precision: str = BirthDatePrecision.EXACT
    sex: str = Sex.UNSPECIFIED
    nationalities: list[str] = field(default_factory=list)
    arrival_in_germany: date | None = None
    arrival_in_city: date | None = None
    phone: str = ""
    email: str = ""
    district: str = ""
    languages: list[LanguageData] = field(default_factory=list)

    def person_values(self) -> dict[str, Any]:
        return {name: getattr(self, name) for name in PERSON_FIELDS}


def _clean_lists(values: dict[str, Any]) -> dict[str, Any]:
    """Names and free texts checked (no control characters, sane lengths), codes known."""
    for name in ("given_names", "family_name"):
        values[name] = clean_name(values.get(name), field=name, required=True)
    values["native_name"] = clean_name(values.get("native_name"), field="native_name")
    values["aliases"] = clean_names(values.get("aliases") or [], field="aliases")
    values["phone"] = clean_text(values.get("phone"), field="phone", max_length=40)
    values["email"] = clean_text(values.get("email"), field="email", max_length=254)
    nationalities = [str(c).strip().upper() for c in values.get("nationalities") or []]
    unknown = [c for c in nationalities if c not in country_codes()]
    if unknown:
        raise ValidationError(
            {"nationalities": _("Unknown country code: %(codes)s") % {"codes": ", ".join(unknown)}}
        )
    values["nationalities"] = list(dict.fromkeys(nationalities))
    return values


def _validate_person(person: Person) -> None:
    if person.birth_date and person.birth_date > timezone.localdate():
        raise ValidationError({"birth_date": _("The date of birth lies in the future.")})
    if person.birth_date and person.birth_date.year < 1900:
        raise ValidationError({"birth_date": _("The date of birth is implausibly early.")})
    person.birth_year = person.birth_date.year if person.birth_date else None
    person.full_clean(exclude=["owner_agency", "created_by", "merged_into"])


def _clean_languages(languages: list[LanguageData]) -> list[LanguageData]:
    """The list normalised (codes stripped and lower-cased) and checked as a whole.

    Errors name the entry: ``languages[1].language``. Every entry is checked before the first
    error is raised, so a caller learns all of them at once.
    """
    cleaned: list[LanguageData] = []
    errors: dict[str, list[ValidationError]] = {}
    seen: set[str] = set()
    for index, item in enumerate(languages):
        code = item.language.strip().lower()
        at = f"languages[{index}]."
        if code not in language_codes():
            message = _("Unknown language code: %(code)s") % {"code": item.language}
            errors[at + "language"] = [ValidationError(message, code="invalid")]
        elif code in seen:
            message = _("This language is listed twice.")
            errors[at + "language"] = [ValidationError(message, code="duplicate")]
        seen.add(code)
        entry = LanguageData(
            language=code, level=item.level, interpreter_needed=item.interpreter_needed
        )
        try:
            PersonLanguage(language=code, level=entry.level).clean_fields(
                exclude=["person", "owner_agency", "language"]
            )
        except ValidationError as error:
            for name, messages in error.error_dict.items():
                errors.setdefault(at + name, []).extend(messages)
        cleaned.append(entry)
    if errors:
        raise ValidationError(errors)
    return cleaned


def _replace_languages(
    *, person: Person, wanted: list[LanguageData], membership: Membership
) -> None:
    """Make the entries ``membership``'s agency recorded for ``person`` exactly ``wanted``
    (a list from :func:`_clean_languages`), in its order.

    Entries other agencies recorded stay as they are, seen or not. An entry of another agency
    the member may see and sends back as read (same level and interpreter flag) counts as
    recorded already, so that "read, add a language, send back" does not copy it.
    """
    # Written anew rather than patched entry by entry: two statements however long the list,
    # and the entries keep the order they were given in ("first language first").
    PersonLanguage.objects.filter(person=person, owner_agency=membership.agency).delete()
    PersonLanguage.objects.bulk_create(
        PersonLanguage(
            person=person,
            owner_agency=membership.agency,
            language=language,
            level=level,
            interpreter_needed=interpreter_needed,
        )
        for language, level, interpreter_needed in _own_entries(person, wanted, membership)
    )


def _own_entries(
    person: Person, wanted: list[LanguageData], membership: Membership
) -> list[tuple[str, str, bool]]:
    """(language, level, interpreter) the agency's own entries are to be: ``wanted`` without
    the entries of other agencies the member sees and sends back as read."""
    as_read = set(
        access.languages_visible_to(membership)
        .filter(person=person)
        .exclude(owner_agency=membership.agency)
        .values_list("language", "level", "interpreter_needed")
    )
    entries = [(item.language, item.level, item.interpreter_needed) for item in wanted]
    return [entry for entry in entries if entry not in as_read]


def _languages_differ(
    *, person: Person, wanted: list[LanguageData], membership: Membership
) -> bool:
    """Whether the agency's entries for the person, as stored now, are not what it sends."""
    own = list(
        PersonLanguage.objects.filter(person=person, owner_agency=membership.agency)
        .order_by("pk")
        .values_list("language", "level", "interpreter_needed")
    )
    return own != _own_entries(person, wanted, membership)


def _create_person(*, data: PersonData, membership: Membership, actor: User) -> Person:
    values = _clean_lists(data.person_values())
    person = Person(owner_agency=membership.agency, created_by=actor, **values)
    _validate_person(person)
    person.save()
    wanted = _clean_languages(data.languages)
    _replace_languages(person=person, wanted=wanted, membership=membership)
    index_person_names(person)
    record(
        action=AuditAction.PERSON_REGISTERED,
        actor=actor,
        agency=membership.agency,
        target=person,
        subject_id=person.pk,
        basis=Basis.OWN_AGENCY,
    )
    return person


@transaction.atomic
def person_register(*, data: PersonData, membership: Membership, actor: User) -> Person:
    return _create_person(data=data, membership=membership, actor=actor)


@dataclass
class MemberData:
    person: PersonData | None
    role: str
    existing: Person | None = None
    #: For an existing person who lives in another household: ``OtherHouseholds`` (move here
    #: or stay there as well). Without it she is refused, never silently in two households.
    elsewhere: str = ""


@dataclass
class HouseholdData:
    street: str = ""
    postcode: str = ""
    city: str = "Wuppertal"
    district: str = ""


@transaction.atomic
def household_register(
    *, household: HouseholdData, members: list[MemberData], membership: Membership, actor: User
) -> Household:
    """A household and its members in one go: all saved, or nothing."""
    if not members:
        raise ValidationError({"members": _("A household needs at least one member.")})
    if len(members) > MAX_HOUSEHOLD_MEMBERS:
        raise ValidationError(
            {"members": _("At most %(max)s members at once.") % {"max": MAX_HOUSEHOLD_MEMBERS}}
        )
    for member in members:
        if member.existing is not None:
            access.require_visible_person(membership, member.existing)
    existing_ids = [m.existing.pk for m in members if m.existing is not None]
    if len(existing_ids) != len(set(existing_ids)):
        raise ValidationError({"members": _("A person is listed twice in the household.")})
    heads = sum(1 for m in members if m.role == HouseholdRole.HEAD)
    if heads > 1:
        raise ValidationError({"members": _("A household has at most one head.")})
    entity = Household(owner_agency=membership.agency, **_clean_address(household))
    entity.full_clean(exclude=["owner_agency"])
    entity.save()
    for index, member in enumerate(members):
        try:
            _add_member(household=entity, member=member, membership=membership, actor=actor)
        except ValidationError as error:
            raise ValidationError(_prefix_errors(error, f"members[{index}].")) from error
    record(
        action=AuditAction.HOUSEHOLD_REGISTERED,
        actor=actor,
        agency=membership.agency,
        target=entity,
        basis=Basis.OWN_AGENCY,
        detail={"members": len(members)},
    )
    return entity


def _add_member(
    *, household: Household, member: MemberData, membership: Membership, actor: User
) -> HouseholdMember:
    """One member into ``household``: a new person registered, or an existing one joining —
    who moves here from her other households or stays there as well, as ``elsewhere`` says."""
    if member.role not in HouseholdRole.values:
        raise ValidationError({"role": _("Unknown household role.")})
    if member.existing is not None:
        person = member.existing
        access.require_visible_person(membership, person)
        if HouseholdMember.objects.filter(household=household, person=person).exists():
            raise ValidationError({"person": _("This person is already a member here.")})
        _leave_other_households(
            person=person,
            joining=household,
            elsewhere=member.elsewhere,
            membership=membership,
            actor=actor,
        )
    elif member.person is not None:
        # A new member lives where the household lives, unless the row says otherwise.
        member.person.district = member.person.district or household.district
        person = _create_person(data=member.person, membership=membership, actor=actor)
    else:
        raise ValidationError({"person": _("Give a person.")})
    # The household's district fills in the agency's own new or district-less persons;
    # a foreign person's record is never touched (seeing is not owning).
    if (
        not person.district
        and household.district
        and person.owner_agency_id == membership.agency_id
    ):
        person_update(
            person=person,
            expected_version=person.version,
            changes={"district": household.district},
            membership=membership,
            actor=actor,
        )
    return HouseholdMember.objects.create(household=household, person=person, role=member.role)


def _leave_other_households(
    *, person: Person, joining: Household, elsewhere: str, membership: Membership, actor: User
) -> None:
    others = list(
        HouseholdMember.objects.filter(person=person)
        .exclude(household=joining)
        .select_related("household__owner_agency")
        .order_by("pk")
    )
    if not others:
        return
    if elsewhere not in OtherHouseholds.values:
        raise ValidationError(
            {
                "elsewhere": _(
                    "This person already lives in another household: choose whether the "
                    "person moves here or stays there as well."
                )
            }
        )
    if elsewhere == OtherHouseholds.LINK:
        return
    foreign = [m.household for m in others if m.household.owner_agency_id != membership.agency_id]
    if foreign:
        # Seeing is not owning: the agency that registered a household records who leaves it.
        raise ValidationError(
            {
                "elsewhere": _(
                    "The other household was registered by %(agency)s: only they can record "
                    "that this person moved out. Choose “stays there as well”, or ask them."
                )
                % {"agency": foreign[0].owner_agency.name}
            }
        )
    for other in others:
        _end_membership(
            member=other,
            moved_out_on=timezone.localdate(),
            moved_to=joining,
            expected_version=other.household.version,
            membership=membership,
            actor=actor,
        )


def _end_membership(
    *,
    member: HouseholdMember,
    moved_out_on: date,
    moved_to: Household | None,
    expected_version: int,
    membership: Membership,
    actor: User,
) -> HouseholdDeparture:
    household = member.household
    household.save_versioned(expected_version=expected_version, update_fields=[])
    departure = HouseholdDeparture.objects.create(
        household=household,
        person_id=member.person_id,
        role=member.role,
        moved_out_on=moved_out_on,
        moved_to=moved_to,
        recorded_by=actor,
    )
    member.delete()
    record(
        action=AuditAction.HOUSEHOLD_MEMBER_MOVED_OUT,
        actor=actor,
        agency=membership.agency,
        target=household,
        subject_id=member.person_id,
        basis=Basis.OWN_AGENCY,
        detail={
            "moved_out_on": moved_out_on.isoformat(),
            "moved_to": moved_to.pk if moved_to is not None else None,
        },
    )
    return departure


GERMAN_POSTCODE = re.compile(r"\d{5}")


def _clean_address(household: HouseholdData) -> dict[str, str]:
    postcode = clean_text(household.postcode, field="postcode", max_length=10)
    if postcode and not GERMAN_POSTCODE.fullmatch(postcode):
        raise ValidationError(
            {"postcode": _("A postcode has five digits, for example 42275.")}, code="postcode"
        )
    return {
        "street": clean_text(household.street, field="street", max_length=200),
        "postcode": postcode,
        "city": clean_text(household.city, field="city", max_length=100) or "Wuppertal",
        "district": household.district,
    }


def _prefix_errors(error: ValidationError, prefix: str) -> dict[str, Any]:
    if hasattr(error, "error_dict"):
        return {prefix + name: messages for name, messages in error.message_dict.items()}
    return {prefix.rstrip("."): error.messages}


# --- a household's own changes: members in and out, a new address -------------------------------


@transaction.atomic
def household_member_add(
    *,
    household: Household,
    expected_version: int,
    member: MemberData,
    membership: Membership,
    actor: User,
) -> HouseholdMember:
    """A new or existing person joins the agency's own household; refused if someone changed
    the household since ``expected_version`` (StaleEditError, nothing written)."""
    access.require_own_household(membership, household)
    heads = _visible_members(membership, household).filter(role=HouseholdRole.HEAD)
    if member.role == HouseholdRole.HEAD and heads.exists():
        # Checked among the members the reader sees: a refusal must not tell of hidden ones.
        raise ValidationError({"role": _("This household already has a head.")})
    added = _add_member(household=household, member=member, membership=membership, actor=actor)
    # Last, so that a refusal above leaves the version as the form knows it; a stale version
    # undoes everything (the transaction).
    household.save_versioned(expected_version=expected_version, update_fields=[])
    record(
        action=AuditAction.HOUSEHOLD_MEMBER_ADDED,
        actor=actor,
        agency=membership.agency,
        target=household,
        subject_id=added.person_id,
        basis=Basis.OWN_AGENCY,
        detail={"role": added.role, "existing": member.existing is not None},
    )
    return added


def _visible_members(membership: Membership, household: Household) -> Any:
    return selectors.visible_memberships(membership).filter(household=household)


@transaction.atomic
def household_member_move_out(
    *,
    household: Household,
    expected_version: int,
    person: Person,
    moved_out_on: date,
    membership: Membership,
    actor: User,
) -> HouseholdDeparture:
    """End a membership of the agency's own household on ``moved_out_on`` (kept as history)."""
    access.require_own_household(membership, household)
    member = _visible_members(membership, household).filter(person=person).first()
    if member is None:
        # A person who is no member, and one the reader may not see, look the same.
        raise ValidationError({"person": _("This person is not a member of the household.")})
    if moved_out_on > timezone.localdate():
        raise ValidationError(
            {"moved_out_on": _("The date lies in the future: record the move once it happened.")}
        )
    member.household = household  # the caller's instance: its version goes up
    return _end_membership(
        member=member,
        moved_out_on=moved_out_on,
        moved_to=None,
        expected_version=expected_version,
        membership=membership,
        actor=actor,
    )


ADDRESS_FIELDS = ("street", "postcode", "city", "district")


@transaction.atomic
def household_address_change(
    *,
    household: Household,
    expected_version: int,
    data: HouseholdData,
    membership: Membership,
    actor: User,
) -> list[str]:
    """A new address for the agency's own household; returns the fields that changed.

    The members the agency registered itself move along: their district follows where it was
    the household's (or none). Other agencies' persons are never touched.
    """
    access.require_own_household(membership, household)
    values = _clean_address(data)
    changed = [name for name in ADDRESS_FIELDS if getattr(household, name) != values[name]]
    old_district = household.district
    for name in ADDRESS_FIELDS:
        setattr(household, name, values[name])
    household.full_clean(exclude=["owner_agency"])
    household.save_versioned(expected_version=expected_version, update_fields=changed)
    if not changed:
        return changed
    if "district" in changed:
        movers = (
            _visible_members(membership, household)
            .filter(person__owner_agency=membership.agency, person__district__in=["", old_district])
            .exclude(person__district=household.district)
            .select_related("person")
        )
        for member in movers:
            person_update(
                person=member.person,
                expected_version=member.person.version,
                changes={"district": household.district},
                membership=membership,
                actor=actor,
            )
    record(
        action=AuditAction.HOUSEHOLD_ADDRESS_CHANGED,
        actor=actor,
        agency=membership.agency,
        target=household,
        basis=Basis.OWN_AGENCY,
        # The field names, never the address: the audit trail is read by the DPO.
        detail={"fields": changed},
    )
    return changed


@transaction.atomic
def person_update(
    *,
    person: Person,
    expected_version: int,
    changes: dict[str, Any],
    membership: Membership,
    actor: User,
    languages: list[LanguageData] | None = None,
) -> Person:
    """Change a person; refused with StaleEditError if someone saved in between.

    Identity fields (``changes``) are changed by the registering agency only; any other
    agency that sees the person may replace its own language entries, and nothing else.
    ``languages``, if given, replaces the entries the member's agency recorded for the person
    (``[]`` removes them); entries of other agencies stay untouched. It counts as a change of
    the person: the version goes up and the audit event names ``languages``.
    """
    if changes:
        # Seeing is not owning: only the registering agency changes the identity record.
        access.require_own_person(membership, person)
    else:
        # The one shared write: every agency that sees the person keeps its own language
        # entries (levels differ between assessments); others' entries stay untouched.
        access.require_visible_person(membership, person)
    unknown = set(changes) - set(PERSON_FIELDS)
    if unknown:
        raise ValidationError({name: _("This field cannot be changed here.") for name in unknown})
    wanted = _clean_languages(languages) if languages is not None else None
    values = _clean_lists({**{n: getattr(person, n) for n in PERSON_FIELDS}, **changes})
    for name, value in values.items():
        setattr(person, name, value)
    _validate_person(person)
    changed = [name for name in PERSON_FIELDS if name in changes]
    try:
        person.save_versioned(
            expected_version=expected_version, update_fields=[*changed, "birth_year"]
        )
    except StaleEditError as stale:
        if wanted is not None and _languages_differ(
            person=person, wanted=wanted, membership=membership
        ):
            stale.changed_fields.append("languages")
        raise
    if wanted is not None:
        _replace_languages(person=person, wanted=wanted, membership=membership)
        changed.append("languages")
    if {"given_names", "family_name", "aliases", "native_name"} & set(changes):
        index_person_names(person)
    record(
        action=AuditAction.PERSON_UPDATED,
        actor=actor,
        agency=membership.agency,
        target=person,
        subject_id=person.pk,
        basis=Basis.OWN_AGENCY,
        detail={"fields": sorted(changed)},
    )
    return person


@dataclass
class ResidenceData:
    kind: str
    valid_from: date
    paragraph: str = ""
    valid_until: date | None = None
    residence_obligation: str = ""
    work_permission: str = WorkPermission.UNKNOWN


@dataclass(frozen=True)
class ResidenceOutcome:
    status: ResidenceStatus
    transition: DomainTransition | None


@transaction.atomic
def residence_status_add(
    *, person: Person, data: ResidenceData, membership: Membership, actor: User
) -> ResidenceOutcome:
    """Record a status; recognise a change of benefit law (Rechtskreiswechsel).

    The status is the member's agency's own item about a person it may see. The benefit
    regime it leads to is derived from the statuses the member may see only, so that the
    answer cannot reveal a status recorded elsewhere.
    """
    access.require_visible_person(membership, person)
    data.paragraph = clean_text(data.paragraph, field="paragraph", max_length=40)
    data.residence_obligation = clean_text(
        data.residence_obligation, field="residence_obligation", max_length=200
    )
    if data.kind == ResidenceKind.RESIDENCE_PERMIT and not data.paragraph.strip():
        raise ValidationError(
            {"paragraph": _("Give the paragraph of the residence permit, e.g. § 25 Abs. 2.")}
        )
    if data.valid_until and data.valid_until < data.valid_from:
        raise ValidationError({"valid_until": _("The end lies before the start.")})
    previous = (
        access.residence_statuses_visible_to(membership)
        .filter(person=person, valid_from__lte=data.valid_from)
        .order_by("-valid_from", "-pk")
        .first()
    )
    previous_regime = previous.benefit_regime if previous else None
    regime = benefit_regime(data.kind, data.paragraph, previous_regime=previous_regime)
    status = ResidenceStatus(
        person=person,
        owner_agency=membership.agency,
        recorded_by=actor,
        benefit_regime=regime,
        **{f.name: getattr(data, f.name) for f in fields(data)},
    )
    status.full_clean(exclude=["person", "owner_agency", "recorded_by"])
    status.save()
    record(
        action=AuditAction.RESIDENCE_STATUS_ADDED,
        actor=actor,
        agency=membership.agency,
        target=status,
        subject_id=person.pk,
        basis=Basis.OWN_AGENCY,
    )
    transition = None
    if is_domain_transition(previous_regime, regime):
        assert previous_regime is not None  # noqa: S101 - implied by is_domain_transition
        transition = DomainTransition.objects.create(
            person=person,
            owner_agency=membership.agency,
            residence_status=status,
            from_regime=previous_regime,
            to_regime=regime,
            effective_from=data.valid_from,
        )
        record(
            action=AuditAction.DOMAIN_TRANSITION_RECOGNISED,
            actor=actor,
            agency=membership.agency,
            target=transition,
            subject_id=person.pk,
            basis=Basis.OWN_AGENCY,
            detail={"from": previous_regime, "to": regime},
        )
    return ResidenceOutcome(status, transition)


@transaction.atomic
def person_merge_propose(
    *, survivor: Person, merged: Person, reason: str, membership: Membership, actor: User
) -> PersonMerge:
    """Show ``merged`` through ``survivor``; both records and histories stay."""
    access.require_own_person(membership, survivor)
    access.require_own_person(membership, merged)
    if survivor.pk == merged.pk:
        raise ValidationError({"merged": _("A record cannot be merged with itself.")})
    if survivor.merged_into_id or merged.merged_into_id:
        raise ValidationError({"merged": _("One of the records is already merged.")})
    merge = PersonMerge.objects.create(
        survivor=survivor, merged=merged, reason=reason[:300], proposed_by=actor
    )
    Person.objects.filter(pk=merged.pk).update(merged_into=survivor)
    record(
        action=AuditAction.PERSON_MERGE_PROPOSED,
        actor=actor,
        agency=membership.agency,
        target=merge,
        subject_id=survivor.pk,
        basis=Basis.OWN_AGENCY,
        detail={"merged": merged.pk},
    )
    return merge


def _decide(merge: PersonMerge, *, state: str, actor: User) -> None:
    if merge.state != PersonMerge.State.PROPOSED:
        raise ValidationError({"state": _("This merge has already been decided.")})
    merge.state = state
    merge.decided_by = actor
    merge.decided_at = timezone.now()
    merge.save(update_fields=["state", "decided_by", "decided_at", "updated_at"])


@transaction.atomic
def person_merge_confirm(*, merge: PersonMerge, membership: Membership, actor: User) -> None:
    """Make the merge final: the absorbed record's entries now belong to the survivor."""
    survivor, merged = merge.survivor, merge.merged
    access.require_own_person(membership, survivor)
    access.require_own_person(membership, merged)
    _decide(merge, state=PersonMerge.State.CONFIRMED, actor=actor)
    # Every app moves what it holds about the person: residence, languages, households here;
    # consents, emergency accesses, journal entries in theirs (lotse.core.merge).
    moved = move_person_content(survivor_id=survivor.pk, merged_id=merged.pk)
    spellings = [*survivor.aliases, merged.full_name, *merged.aliases]
    if merged.native_name and merged.native_name != survivor.native_name:
        spellings.append(merged.native_name)
    survivor.aliases = [s for s in dict.fromkeys(spellings) if s and s != survivor.full_name]
    survivor.save(update_fields=["aliases", "updated_at"])
    index_person_names(survivor)
    record(
        action=AuditAction.PERSON_MERGE_CONFIRMED,
        actor=actor,
        agency=membership.agency,
        target=merge,
        subject_id=survivor.pk,
        subject_ids=[merged.pk],
        basis=Basis.OWN_AGENCY,
        detail={"merged": merged.pk, "moved": moved},
    )


def person_content_move(*, survivor_id: int, merged_id: int) -> dict[str, int]:
    """The people app's part of a merge (PeopleConfig.move_person_content): residence
    history and its transitions, languages and household memberships follow the survivor;
    an entry the survivor already has (same agency and language, same household) stays."""
    moved = {
        "residence_statuses": ResidenceStatus.objects.filter(person_id=merged_id).update(
            person_id=survivor_id
        ),
        "transitions": DomainTransition.objects.filter(person_id=merged_id).update(
            person_id=survivor_id
        ),
    }
    survivor_languages = PersonLanguage.objects.filter(
        person_id=survivor_id,
        owner_agency_id=OuterRef("owner_agency_id"),
        language=OuterRef("language"),
    )
    moved["languages"] = (
        PersonLanguage.objects.filter(person_id=merged_id)
        .exclude(Exists(survivor_languages))
        .update(person_id=survivor_id)
    )
    survivor_households = HouseholdMember.objects.filter(
        person_id=survivor_id, household_id=OuterRef("household_id")
    )
    moved["household_departures"] = HouseholdDeparture.objects.filter(person_id=merged_id).update(
        person_id=survivor_id
    )
    moved["household_memberships"] = (
        HouseholdMember.objects.filter(person_id=merged_id)
        .exclude(Exists(survivor_households))
        .update(person_id=survivor_id)
    )
    return moved


@transaction.atomic
def person_merge_revert(*, merge: PersonMerge, membership: Membership, actor: User) -> None:
    access.require_own_person(membership, merge.survivor)
    access.require_own_person(membership, merge.merged)
    _decide(merge, state=PersonMerge.State.REVERTED, actor=actor)
    Person.objects.filter(pk=merge.merged_id).update(merged_into=None)
    record(
        action=AuditAction.PERSON_MERGE_REVERTED,
        actor=actor,
        agency=membership.agency,
        target=merge,
        subject_id=merge.survivor_id,
        basis=Basis.OWN_AGENCY,
        detail={"merged": merge.merged_id},
    )


# --- the duplicate check: a read that leaves its traces ------------------------------------------


def duplicate_check(
    *, membership: Membership, actor: User, prospective: ProspectivePerson
) -> DuplicateReport:
    """The duplicate check for pages and the API alike, audited.

    Candidates the member may see are recorded as read; every hint about another agency's
    person is recorded naming the persons behind it, so the DPO's "who saw this person" shows
    who was told that a match exists — and a day with unusually many hints is flagged.
    """
    report = selectors.duplicate_check(membership=membership, prospective=prospective)
    audited_read(
        membership=membership,
        actor=actor,
        action=AuditAction.DUPLICATE_CHECKED,
        items=[candidate.person for candidate in report.in_scope],
        candidates=len(report.in_scope),
        other_agencies=len(report.other_agencies),
    )
    if report.hinted_subject_ids:
        record(
            action=AuditAction.DUPLICATE_HINT_SHOWN,
            actor=actor,
            agency=membership.agency,
            subject_ids=report.hinted_subject_ids,
            detail={"agencies": sorted(agency.code for agency in report.other_agencies)},
        )
        _flag_unusual_hint_volume(membership=membership, actor=actor)
    return report


def _flag_unusual_hint_volume(*, membership: Membership, actor: User) -> None:
    limit = settings.DUPLICATE_HINT_ALERT_PER_DAY
    today = start_of(timezone.localdate())
    hints = AuditEvent.objects.filter(
        actor=actor, occurred_at__gte=today, action=AuditAction.DUPLICATE_HINT_SHOWN
    )
    # Once a day, when the limit is first passed: the DPO looks at who probes.
    if hints[: limit + 2].count() == limit + 1:
        record(
            action=AuditAction.DUPLICATE_HINTS_UNUSUAL,
            actor=actor,
            agency=membership.agency,
            detail={"hints_today": limit + 1, "limit": limit},
        )


__all__ = [
    "HouseholdData",
    "LanguageData",
    "MemberData",
    "PersonData",
    "ResidenceData",
    "StaleEditError",
    "duplicate_check",
    "household_address_change",
    "household_member_add",
    "household_member_move_out",
    "household_register",
    "person_merge_confirm",
    "person_merge_propose",
    "person_merge_revert",
    "person_register",
    "person_update",
    "residence_status_add",
]
