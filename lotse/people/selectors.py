"""Reads of the people domain: always through an access scope (people.access)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import Prefetch, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone

from lotse.accounts.models import Membership
from lotse.consent import policy

from . import access
from .duplicates import DuplicateReport, ProspectivePerson, check_duplicates
from .models import (
    DomainTransition,
    Household,
    HouseholdDeparture,
    HouseholdMember,
    Person,
    PersonMerge,
    ResidenceStatus,
)
from .search import SearchFilters, SearchHit, search_persons

EXPIRY_WARNING_DAYS = 90


def person_get(*, membership: Membership | None, public_id: str) -> Person:
    """The person, or 404 for missing and forbidden alike: IDs cannot be probed."""
    return get_object_or_404(
        access.persons_visible_to(membership).select_related("owner_agency", "merged_into"),
        public_id=public_id,
    )


def household_get(*, membership: Membership | None, public_id: str) -> Household:
    return get_object_or_404(
        access.households_visible_to(membership)
        .select_related("owner_agency")
        .prefetch_related(_visible_members(membership)),
        public_id=public_id,
    )


def visible_memberships(membership: Membership | None) -> QuerySet[HouseholdMember]:
    """Household memberships of the persons the member may see."""
    return HouseholdMember.objects.filter(person__in=access.persons_visible_to(membership))


def _visible_members(membership: Membership | None) -> Prefetch[Any]:
    members = visible_memberships(membership).select_related("person")
    return Prefetch("memberships", queryset=members, to_attr="visible_members")


def household_list(*, membership: Membership | None) -> QuerySet[Household]:
    return (
        access.households_visible_to(membership)
        .prefetch_related(_visible_members(membership))
        .order_by("-created_at", "-pk")
    )


def person_households(*, membership: Membership | None, person: Person) -> list[Household]:
    return list(
        access.households_visible_to(membership)
        .filter(memberships__person=person)
        .prefetch_related(_visible_members(membership))
        .distinct()
    )


def households_of(
    *, membership: Membership | None, person_ids: list[int]
) -> dict[int, list[Household]]:
    """The households each person lives in now, with the members the reader sees (for their
    titles). A household is visible wherever a member is, so for the persons the reader sees
    this is all of their households; three queries however many persons."""
    pairs = list(
        HouseholdMember.objects.filter(
            person_id__in=person_ids, household__in=access.households_visible_to(membership)
        )
        .order_by("household_id")
        .values_list("person_id", "household_id")
    )
    households = {
        household.pk: household
        for household in access.households_visible_to(membership)
        .filter(pk__in={household_id for _person, household_id in pairs})
        .select_related("owner_agency")
        .prefetch_related(_visible_members(membership))
    }
    found: dict[int, list[Household]] = {person_id: [] for person_id in person_ids}
    for person_id, household_id in pairs:
        found[person_id].append(households[household_id])
    return found


def household_has_hidden_members(*, membership: Membership | None, household: Household) -> bool:
    """Whether someone lives here whom the reader may not see: a yes or no, never how many."""
    return (
        HouseholdMember.objects.filter(household=household)
        .exclude(person__in=access.persons_visible_to(membership))
        .exists()
    )


def household_departures(
    *, membership: Membership | None, household: Household
) -> list[HouseholdDeparture]:
    """Who moved out, for the persons the reader may see, latest first."""
    return list(
        HouseholdDeparture.objects.filter(
            household=household, person__in=access.persons_visible_to(membership)
        )
        .select_related("person")
        .order_by("-moved_out_on", "-pk")
    )


@dataclass(frozen=True)
class ResidenceHistory:
    statuses: list[ResidenceStatus]
    current: ResidenceStatus | None
    next_expiry: date | None
    expiry_soon: bool


def residence_history(
    *, membership: Membership | None, person: Person, today: date | None = None
) -> ResidenceHistory:
    today = today or timezone.localdate()
    statuses = list(
        access.residence_statuses_visible_to(membership)
        .filter(person=person)
        .select_related("owner_agency")
        .order_by("-valid_from", "-pk")
    )
    current = next((s for s in statuses if s.valid_from <= today), None)
    upcoming = sorted(s.valid_until for s in statuses if s.valid_until and s.valid_until >= today)
    next_expiry = upcoming[0] if upcoming else None
    soon = next_expiry is not None and (next_expiry - today).days <= EXPIRY_WARNING_DAYS
    return ResidenceHistory(statuses, current, next_expiry, soon)


def person_transitions(*, membership: Membership | None, person: Person) -> list[DomainTransition]:
    return list(access.transitions_visible_to(membership).filter(person=person))


def person_list(*, membership: Membership | None) -> QuerySet[Person]:
    return (
        access.persons_visible_to(membership)
        .filter(merged_into__isnull=True)
        .select_related("owner_agency")
        .order_by("family_name", "given_names", "pk")
    )


def person_search(
    *,
    membership: Membership | None,
    query: str,
    limit: int = 25,
    filters: SearchFilters | None = None,
) -> list[SearchHit]:
    if not access.may_search(membership):
        return []
    return search_persons(membership, query, limit=limit, filters=filters)


def duplicate_check(
    *, membership: Membership | None, prospective: ProspectivePerson
) -> DuplicateReport:
    return check_duplicates(prospective, access.persons_visible_to(membership))


def person_count(*, membership: Membership | None) -> int:
    """The number of persons ``person_list`` would give, from indexed parts."""
    return policy.count_visible(membership, Person.objects.filter(merged_into__isnull=True))


def own_persons(*, membership: Membership) -> QuerySet[Person]:
    """The persons the member's own agency registered: only those may be edited or merged."""
    return access.persons_visible_to(membership).filter(owner_agency=membership.agency)


def own_person_get(*, membership: Membership, public_id: str) -> Person:
    person = person_get(membership=membership, public_id=public_id)
    if person.owner_agency_id != membership.agency_id:
        raise Http404
    return person


def person_merge_get(*, membership: Membership, pk: int) -> PersonMerge:
    own = own_persons(membership=membership)
    return get_object_or_404(
        PersonMerge.objects.filter(survivor__in=own, merged__in=own).select_related(
            "survivor", "merged"
        ),
        pk=pk,
    )


def pending_merges(*, membership: Membership, person: Person) -> list[PersonMerge]:
    if person.owner_agency_id != membership.agency_id:
        return []
    return list(
        PersonMerge.objects.filter(
            survivor=person,
            state=PersonMerge.State.PROPOSED,
            merged__in=own_persons(membership=membership),
        )
        .select_related("merged", "proposed_by")
        .order_by("pk")
    )
