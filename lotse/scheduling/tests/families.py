"""A household registered through the service, as the scheduling tests need one."""

from __future__ import annotations

from datetime import date

from lotse.accounts.models import User
from lotse.accounts.tests.factories import acting
from lotse.people.models import Household, HouseholdMember, Person
from lotse.people.services import HouseholdData, MemberData, PersonData, household_register


def register_family(user: User, family_name: str, *given: str) -> tuple[Household, list[Person]]:
    """The household of ``given`` (the first the head, the others children), registered by
    ``user``'s agency, and its members in the order given."""
    household = household_register(
        household=HouseholdData(street="Berliner Straße 1", postcode="42275"),
        members=[
            MemberData(
                person=PersonData(
                    given_names=name, family_name=family_name, birth_date=date(1980 + i, 3, 4)
                ),
                role="head" if i == 0 else "child",
            )
            for i, name in enumerate(given)
        ],
        membership=acting(user),
        actor=user,
    )
    members = [
        m.person
        for m in HouseholdMember.objects.filter(household=household)
        .select_related("person")
        .order_by("pk")
    ]
    return household, members
