from __future__ import annotations

from typing import Any

import factory
from django.contrib.auth.hashers import make_password

from lotse.accounts.models import Agency, Membership, User
from lotse.accounts.roles import Role

TEST_PASSWORD = "correct horse battery staple"
# Hashed once: every test user shares it, and tests stay fast.
_TEST_PASSWORD_HASH = make_password(TEST_PASSWORD, hasher="md5")


class AgencyFactory(factory.django.DjangoModelFactory[Agency]):
    class Meta:
        model = Agency
        django_get_or_create = ("code",)

    name = factory.Sequence(lambda n: f"Agency {n}")
    code = factory.Sequence(lambda n: f"ag{n}")
    kind = Agency.Kind.INTEGRATION_OFFICE
    is_public_body = True
    legal_domains: Any = factory.LazyFunction(list)


class UserFactory(factory.django.DjangoModelFactory[User]):
    class Meta:
        model = User
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    password = _TEST_PASSWORD_HASH


class MembershipFactory(factory.django.DjangoModelFactory[Membership]):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    agency = factory.SubFactory(AgencyFactory)
    role = Role.CASEWORKER


def member(username: str, agency: Agency, role: str, **user_fields: Any) -> User:
    user = UserFactory.create(username=username, **user_fields)
    MembershipFactory.create(user=user, agency=agency, role=role)
    return user


def acting(user: User) -> Membership:
    """The membership a user acts in (tests: every cast member has exactly one)."""
    membership = user.primary_membership()
    assert membership is not None, f"{user} has no membership"
    return membership
