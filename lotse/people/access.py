"""Access scopes of the people domain; every read starts here and goes through the policy."""

from __future__ import annotations

from django.db.models import Exists, OuterRef, Q, QuerySet

from lotse.accounts.models import Membership
from lotse.accounts.roles import Capability
from lotse.consent import policy
from lotse.core.errors import AccessDenied

from .models import (
    DomainTransition,
    Household,
    HouseholdMember,
    Person,
    PersonLanguage,
    ResidenceStatus,
)


def persons_visible_to(membership: Membership | None) -> QuerySet[Person]:
    return Person.objects.filter(policy.visible_q(membership, Person))


def households_visible_to(membership: Membership | None) -> QuerySet[Household]:
    """A household is the registering agency's, and visible wherever one member is."""
    if not policy.may_read_content(membership):
        return Household.objects.none()
    assert membership is not None  # noqa: S101 - narrowed above
    visible_member = HouseholdMember.objects.filter(
        household=OuterRef("pk"), person__in=persons_visible_to(membership)
    )
    return Household.objects.filter(Q(owner_agency=membership.agency) | Exists(visible_member))


def residence_statuses_visible_to(membership: Membership | None) -> QuerySet[ResidenceStatus]:
    return ResidenceStatus.objects.filter(policy.visible_q(membership, ResidenceStatus))


def languages_visible_to(membership: Membership | None) -> QuerySet[PersonLanguage]:
    return PersonLanguage.objects.filter(policy.visible_q(membership, PersonLanguage))


def transitions_visible_to(membership: Membership | None) -> QuerySet[DomainTransition]:
    return DomainTransition.objects.filter(policy.visible_q(membership, DomainTransition))


def may_register(membership: Membership | None) -> bool:
    return membership is not None and membership.can(Capability.REGISTER_PERSONS)


def may_search(membership: Membership | None) -> bool:
    return membership is not None and membership.can(Capability.SEARCH_PERSONS)


# --- writes: seeing is not owning --------------------------------------------------------------


def may_edit_person(membership: Membership | None, person: Person) -> bool:
    """Only the agency that registered a person changes its identity record; everyone else
    who sees the person adds items of their own (a residence status, a journal entry)."""
    return may_register(membership) and (
        membership is not None and person.owner_agency_id == membership.agency_id
    )


def require_own_person(membership: Membership, person: Person) -> None:
    if not may_edit_person(membership, person):
        raise AccessDenied


def person_visible(membership: Membership | None, person_id: int) -> bool:
    return persons_visible_to(membership).filter(pk=person_id).exists()


def require_visible_person(membership: Membership, person: Person) -> None:
    """Adding an item of one's own about a person needs a basis to see that person."""
    if not person_visible(membership, person.pk):
        raise AccessDenied


def may_edit_household(membership: Membership | None, household: Household) -> bool:
    """Only the agency that registered a household changes it (members, address); others who
    see it through a member add items of their own about that member."""
    return may_register(membership) and (
        membership is not None and household.owner_agency_id == membership.agency_id
    )


def require_own_household(membership: Membership, household: Household) -> None:
    if not may_edit_household(membership, household):
        raise AccessDenied
