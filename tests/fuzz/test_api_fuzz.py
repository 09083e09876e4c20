"""Schemathesis over every operation of ``/api/v1/``: no input may make Lotse answer 5xx.

The app runs in-process (its WSGI callable, on the test database). Each operation is called
as a caseworker; the operations the data-protection officer owns (the audit trail, the
legal-basis register, the consent register) once more as the DPO, so that every operation
gets past authorisation for at least one caller. Seeded rows — a person of the caller's
agency, a household, a journal entry, consents, a legal basis — are swapped into path ids,
``?person=`` and the body's person fields half of the time, so generated input reaches the
services and the database, not only the 404 and 422 of the checks in front of them.

Only ``not_a_server_error`` is checked: 4xx answers to odd input are the point, and the
conformance checks would report the API's documented shape choices as noise.

``LOTSE_FUZZ_EXAMPLES`` sets the examples per operation (``make fuzz``: 500; otherwise 25).
"""

from __future__ import annotations

import copy
import os
import random
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import pytest
import schemathesis
from django.core import signals
from django.db import close_old_connections, transaction
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error

from config.wsgi import application
from lotse.accounts.models import User
from lotse.accounts.services import api_token_create
from lotse.accounts.tests.factories import acting
from lotse.cases.services import journal_entry_create
from lotse.consent.categories import DataCategory
from lotse.consent.models import ConsentDeclaration
from lotse.consent.services import ConsentData, consent_record, legal_basis_save
from lotse.consent.tests.factories import given_consent
from lotse.people.models import Person
from lotse.people.services import (
    HouseholdData,
    MemberData,
    PersonData,
    ResidenceData,
    household_register,
    person_register,
    residence_status_add,
)

EXAMPLES = int(os.environ.get("LOTSE_FUZZ_EXAMPLES", "25"))
SEED = 20260

pytestmark = [pytest.mark.fuzz, pytest.mark.django_db]

schema = schemathesis.openapi.from_wsgi(
    "/api/v1/openapi.json", application, config=schemathesis.Config(seed=SEED)
)


def _dpo_operation(ctx: Any) -> bool:
    """What the DPO owns or reads: the audit trail, the legal-basis register, the consents."""
    path: str = ctx.operation.path
    method: str = ctx.operation.method.upper()
    return path.startswith(("/api/v1/audit", "/api/v1/legal-bases")) or (
        path.startswith("/api/v1/consents") and method == "GET"
    )


dpo_schema = schema.include(_dpo_operation)

FUZZ_SETTINGS = settings(
    max_examples=EXAMPLES,
    derandomize=True,
    database=None,
    deadline=None,
    suppress_health_check=list(HealthCheck),
)


@dataclass
class Seeded:
    """Rows the generated requests are pointed at; ids per path parameter kind."""

    persons: list[str] = field(default_factory=list)
    households: list[str] = field(default_factory=list)
    entries: list[int] = field(default_factory=list)
    consents: list[int] = field(default_factory=list)
    bases: list[int] = field(default_factory=list)


def _seed(caseworker: User, other: User, dpo: User) -> Seeded:
    own, foreign, office = acting(caseworker), acting(other), acting(dpo)
    person = person_register(
        data=PersonData(given_names="Amal", family_name="Haddad", birth_date=date(1990, 5, 1)),
        membership=own,
        actor=caseworker,
    )
    household = household_register(
        household=HouseholdData(street="Hofaue 1", postcode="42103"),
        members=[
            MemberData(person=None, role="head", existing=person),
            MemberData(person=PersonData(given_names="Sami", family_name="Haddad"), role="child"),
        ],
        membership=own,
        actor=caseworker,
    )
    residence_status_add(
        person=person,
        data=ResidenceData(kind="aufenthaltsgestattung", valid_from=date(2024, 1, 1)),
        membership=own,
        actor=caseworker,
    )
    entry = journal_entry_create(
        subject=person,
        kind="talk",
        category=DataCategory.IDENTITY,
        text="First talk.",
        membership=own,
        actor=caseworker,
    )
    recipients = [foreign.agency]
    requested = consent_record(
        subject=person,
        data=ConsentData(
            recipient_agencies=recipients, categories=["identity"], purpose="case_management"
        ),
        membership=own,
        actor=caseworker,
    )
    given = consent_record(
        subject=person,
        data=given_consent(
            recipient_agencies=recipients, categories=["identity"], purpose="case_management"
        ),
        membership=own,
        actor=caseworker,
    )
    hidden = person_register(
        data=PersonData(given_names="Leyla", family_name="Yilmaz"), membership=foreign, actor=other
    )
    hidden_entry = journal_entry_create(
        subject=hidden,
        kind="talk",
        category=DataCategory.HEALTH,
        text="Not for the other agency.",
        membership=foreign,
        actor=other,
    )
    basis = legal_basis_save(
        basis=None,
        from_kind="jobcenter",
        to_kind="integration_office",
        categories=["work"],
        citation="§ 50 SGB II",
        note="",
        is_active=True,
        membership=office,
        actor=dpo,
    )
    assert requested.status == ConsentDeclaration.Status.REQUESTED
    child = household.members.exclude(pk=person.pk).get()
    return Seeded(
        persons=[person.public_id, child.public_id, hidden.public_id],
        households=[household.public_id],
        entries=[entry.pk, hidden_entry.pk],
        consents=[requested.pk, given.pk],
        bases=[basis.pk],
    )


@dataclass
class Tally:
    """What one operation's run sent and got back, for the summary line."""

    examples: int = 0
    statuses: Counter[str] = field(default_factory=Counter)


@pytest.fixture(autouse=True)
def _one_connection() -> Any:
    """Requests share the test's connection and transaction, as with Django's test client:
    the WSGI handler would otherwise close it after each request (on PostgreSQL)."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.fixture
def seeded(anna: User, ben: User, frida: User) -> Seeded:
    return _seed(anna, ben, frida)


@pytest.fixture
def tally(request: pytest.FixtureRequest) -> Any:
    counts = Tally()
    yield counts
    request.node.user_properties.append(
        (
            "fuzz",
            {
                "run": request.node.originalname.removeprefix("test_api_"),
                "operation": getattr(request.node, "operation_label", request.node.name),
                "examples": counts.examples,
                "server_errors": counts.statuses["5xx"],
                "2xx": counts.statuses["2xx"],
                "4xx": counts.statuses["4xx"],
            },
        )
    )


#: The rows an ``{id}`` in a path template names, by the template's start.
_PATH_KINDS = {
    "/api/v1/persons/{id}": "persons",
    "/api/v1/households/{id}": "households",
    "/api/v1/journal-entries/{id}": "entries",
    "/api/v1/consents/{id}": "consents",
    "/api/v1/legal-bases/{id}": "bases",
}


def _kind_of(path: str) -> str:
    return next((kind for start, kind in _PATH_KINDS.items() if path.startswith(start)), "")


def _aim(case: Any, seeded: Seeded) -> None:
    """Point about half of the generated requests at seeded rows.

    The choice is drawn from the request as generated, so a case is always aimed the same
    way: replaying and shrinking stay exact, and the run is the same on every machine.
    """
    body = case.body
    # No body is schemathesis' NotSet, whose repr carries a memory address.
    sent = body if isinstance(body, (dict, list, str, bytes, int, float)) else None
    rng = random.Random(repr((case.path_parameters, case.query, sent)))
    kind = _kind_of(case.path)
    if kind and "id" in case.path_parameters and rng.random() < 0.5:
        case.path_parameters["id"] = rng.choice(getattr(seeded, kind))
    if isinstance(case.query, dict) and "person" in case.query and rng.random() < 0.5:
        case.query["person"] = rng.choice(seeded.persons)
    if not isinstance(body, dict):
        return
    for name in ("person", "subject"):
        if name in body and rng.random() < 0.5:
            body[name] = rng.choice(seeded.persons)
    members = body.get("members")
    if isinstance(members, list):
        for member in members:
            if isinstance(member, dict) and rng.random() < 0.5:
                member["person"] = rng.choice(seeded.persons)
    if kind == "persons" and "version" in body and rng.random() < 0.5:
        # The version the person has now: the change reaches the service instead of a 409.
        current = Person.objects.filter(public_id=case.path_parameters.get("id"))
        body["version"] = current.values_list("version", flat=True).first() or 1


_AIMED = ("path_parameters", "query", "body")


def _call(case: Any, token: str, seeded: Seeded, counts: Tally) -> None:
    # Aimed on copies, and the case restored afterwards: schemathesis shares parts of its
    # generated inputs between cases and replays a failing case as it was generated.
    generated = {name: getattr(case, name) for name in _AIMED}
    for name, value in generated.items():
        if isinstance(value, (dict, list)):
            setattr(case, name, copy.deepcopy(value))
    try:
        _aim(case, seeded)
        # Every request starts from the seeded rows: what one example wrote is rolled back,
        # so each case replays (and shrinks) exactly, and a failed statement on PostgreSQL
        # does not poison the examples after it.
        with transaction.atomic():
            response = case.call(
                headers={"Authorization": f"Bearer {token}", "Accept-Language": "en"}
            )
            transaction.set_rollback(True)
        counts.examples += 1
        counts.statuses[f"{response.status_code // 100}xx"] += 1
        case.validate_response(response, checks=[not_a_server_error])
    finally:
        for name, value in generated.items():
            setattr(case, name, value)


@pytest.fixture
def caseworker_token(anna: User) -> str:
    return api_token_create(user=anna).raw


@pytest.fixture
def dpo_token(frida: User) -> str:
    return api_token_create(user=frida).raw


@schema.parametrize()
@FUZZ_SETTINGS
def test_api_as_caseworker(case, caseworker_token, seeded, tally):
    _call(case, caseworker_token, seeded, tally)


@dpo_schema.parametrize()
@FUZZ_SETTINGS
def test_api_as_dpo(case, dpo_token, seeded, tally):
    _call(case, dpo_token, seeded, tally)
