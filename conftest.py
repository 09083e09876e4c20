"""The cast of Lotse's tests: named people in named agencies, one per role.

anna  - KIM case manager (integration office), caseworker
ben   - Jugendamt (ASD), caseworker
cem   - Jobcenter, caseworker
dora  - Ausländerbehörde, caseworker
gero  - KIM team lead
emil  - steering group coordinator (aggregates only)
frida - data-protection officer (consents, bases, audit; no content)
ida   - agency administrator at Caritas
hana  - system administrator
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.test import Client
from hypothesis import HealthCheck, settings

from lotse.accounts.models import Agency, User
from lotse.accounts.roles import Role
from lotse.accounts.tests.factories import AgencyFactory, member

settings.register_profile(
    "default", max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
settings.register_profile(
    "fuzz", max_examples=3000, deadline=None, suppress_health_check=list(HealthCheck)
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))


@dataclass
class Agencies:
    kim: Agency
    jugendamt: Agency
    jobcenter: Agency
    abh: Agency
    caritas: Agency


@pytest.fixture
def agencies(db: None) -> Agencies:
    return Agencies(
        kim=AgencyFactory.create(
            code="kim", name="KIM Integration", kind=Agency.Kind.INTEGRATION_OFFICE
        ),
        jugendamt=AgencyFactory.create(
            code="ja", name="Jugendamt", kind=Agency.Kind.YOUTH_WELFARE_OFFICE
        ),
        jobcenter=AgencyFactory.create(code="jc", name="Jobcenter", kind=Agency.Kind.JOBCENTER),
        abh=AgencyFactory.create(
            code="abh", name="Ausländerbehörde", kind=Agency.Kind.FOREIGNERS_AUTHORITY
        ),
        caritas=AgencyFactory.create(
            code="car",
            name="Caritas",
            kind=Agency.Kind.WELFARE_ASSOCIATION,
            is_public_body=False,
        ),
    )


@pytest.fixture
def anna(agencies: Agencies) -> User:
    return member("anna", agencies.kim, Role.CASEWORKER, first_name="Anna", last_name="Arslan")


@pytest.fixture
def ben(agencies: Agencies) -> User:
    return member("ben", agencies.jugendamt, Role.CASEWORKER, first_name="Ben", last_name="Bauer")


@pytest.fixture
def cem(agencies: Agencies) -> User:
    return member("cem", agencies.jobcenter, Role.CASEWORKER, first_name="Cem", last_name="Celik")


@pytest.fixture
def dora(agencies: Agencies) -> User:
    return member("dora", agencies.abh, Role.CASEWORKER, first_name="Dora", last_name="Demir")


@pytest.fixture
def gero(agencies: Agencies) -> User:
    return member("gero", agencies.kim, Role.TEAM_LEAD, first_name="Gero", last_name="Graf")


@pytest.fixture
def emil(agencies: Agencies) -> User:
    return member("emil", agencies.kim, Role.COORDINATOR, first_name="Emil", last_name="Engel")


@pytest.fixture
def frida(agencies: Agencies) -> User:
    return member("frida", agencies.kim, Role.DPO, first_name="Frida", last_name="Fischer")


@pytest.fixture
def ida(agencies: Agencies) -> User:
    return member("ida", agencies.caritas, Role.AGENCY_ADMIN, first_name="Ida", last_name="Ilić")


@pytest.fixture
def hana(agencies: Agencies) -> User:
    return member(
        "hana",
        agencies.kim,
        Role.SYSTEM_ADMIN,
        first_name="Hana",
        last_name="Hofmann",
        is_staff=True,
        is_superuser=True,
    )


@pytest.fixture
def client_for(db: None) -> Callable[[User | None], Client]:
    """A logged-in test client for a user (or an anonymous one for None)."""

    def make(user: User | None) -> Client:
        client = Client()
        if user is not None:
            client.force_login(user)
        return client

    return make
