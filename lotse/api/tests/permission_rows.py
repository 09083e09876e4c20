"""Permission-matrix rows of the API frame, the accounts and the people endpoints."""

from __future__ import annotations

from typing import Any

from lotse.accounts.models import Agency, Membership, User
from lotse.cases.services import journal_entry_create
from lotse.consent.categories import DataCategory
from lotse.consent.services import consent_record, legal_basis_save
from lotse.consent.tests.factories import given_consent
from lotse.people.services import (
    HouseholdData,
    MemberData,
    PersonData,
    household_register,
    person_register,
)
from tests.matrix import EVERYONE, Context, Row, api_op, page

PAGES: dict[str, Row] = {
    "api:openapi-json": page("api:openapi-json", allowed=EVERYONE, note="public API description"),
    "api:openapi-view": page("api:openapi-view", allowed=EVERYONE, note="public API docs"),
    "api:api-root": page(
        "api:api-root", allowed=(), denied=404, anonymous=404, note="nothing at the root"
    ),
    "api:unknown": page(
        "api:unknown",
        kwargs=lambda ctx: {"rest": "no-such-endpoint"},
        allowed=(),
        denied=404,
        anonymous=404,
    ),
}


# --- people: objects of the acting user's own agency, so only the role decides ---------------

CASEWORK = ("caseworker", "team_lead")


def _acting(ctx: Context) -> tuple[User, Membership]:
    user: User = ctx.user or ctx.fixture("anna")
    membership = user.primary_membership()
    assert membership is not None
    return user, membership


def _own_person(ctx: Context) -> dict[str, Any]:
    user, membership = _acting(ctx)
    data = PersonData(given_names="Matrix", family_name="Probe")
    person = person_register(data=data, membership=membership, actor=user)
    return {"id": person.public_id}


def _own_household(ctx: Context) -> dict[str, Any]:
    user, membership = _acting(ctx)
    head = MemberData(person=PersonData(given_names="Matrix", family_name="Probe"), role="head")
    household = household_register(
        household=HouseholdData(), members=[head], membership=membership, actor=user
    )
    return {"id": household.public_id}


# --- access core: KIM's objects, made by anna (caseworker) and frida (DPO) whatever the role -----

# Content readers and the DPO (consent register; legal-basis register).
CONSENT_READERS = (*CASEWORK, "dpo")


def _kim_person(ctx: Context) -> Any:
    anna: User = ctx.fixture("anna")
    membership = anna.primary_membership()
    assert membership is not None
    data = PersonData(given_names="Matrix", family_name="Probe")
    return person_register(data=data, membership=membership, actor=anna), anna, membership


def _kim_entry(ctx: Context) -> dict[str, Any]:
    person, anna, membership = _kim_person(ctx)
    entry = journal_entry_create(
        subject=person,
        kind="talk",
        category=DataCategory.WORK,
        text="Matrix probe.",
        membership=membership,
        actor=anna,
    )
    return {"id": entry.pk}


def _kim_consent(ctx: Context) -> dict[str, Any]:
    person, anna, membership = _kim_person(ctx)
    agencies = ctx.fixture("agencies")
    consent = consent_record(
        subject=person,
        data=given_consent(
            recipient_agencies=[agencies.jobcenter],
            categories=[DataCategory.WORK],
            purpose="case_management",
        ),
        membership=membership,
        actor=anna,
    )
    return {"id": consent.pk}


def _legal_basis(ctx: Context) -> dict[str, Any]:
    frida: User = ctx.fixture("frida")
    membership = frida.primary_membership()
    assert membership is not None
    basis = legal_basis_save(
        basis=None,
        from_kind=Agency.Kind.INTEGRATION_OFFICE,
        to_kind=Agency.Kind.JOBCENTER,
        categories=[DataCategory.WORK],
        citation="§ 50 SGB II",
        note="",
        is_active=True,
        membership=membership,
        actor=frida,
    )
    return {"id": basis.pk}


# The matrix sends form-encoded bodies, never JSON: writes answer allowed roles with 422 (past
# the capability check, stopped at validation). Everyone else gets 404 before the body is read.
API: dict[str, Row] = {
    "GET /api/v1/me": api_op("/api/v1/me"),
    "GET /api/v1/agencies": api_op("/api/v1/agencies"),
    "GET /api/v1/persons": api_op("/api/v1/persons", allowed=CASEWORK),
    "POST /api/v1/persons": api_op("/api/v1/persons", method="POST", allowed=CASEWORK, ok=422),
    "POST /api/v1/persons/duplicate-check": api_op(
        "/api/v1/persons/duplicate-check", method="POST", allowed=CASEWORK, ok=422
    ),
    "GET /api/v1/persons/{id}": api_op(
        "/api/v1/persons/{id}", allowed=CASEWORK, path_args=_own_person
    ),
    "PATCH /api/v1/persons/{id}": api_op(
        "/api/v1/persons/{id}", method="PATCH", allowed=CASEWORK, ok=422, path_args=_own_person
    ),
    "GET /api/v1/persons/{id}/residence-statuses": api_op(
        "/api/v1/persons/{id}/residence-statuses", allowed=CASEWORK, path_args=_own_person
    ),
    "POST /api/v1/persons/{id}/residence-statuses": api_op(
        "/api/v1/persons/{id}/residence-statuses",
        method="POST",
        allowed=CASEWORK,
        ok=422,
        path_args=_own_person,
    ),
    "GET /api/v1/households": api_op("/api/v1/households", allowed=CASEWORK),
    "POST /api/v1/households": api_op(
        "/api/v1/households", method="POST", allowed=CASEWORK, ok=422
    ),
    "GET /api/v1/households/{id}": api_op(
        "/api/v1/households/{id}", allowed=CASEWORK, path_args=_own_household
    ),
    # --- journal entries, consents, legal bases, audit (lotse/api/consent.py) ---------------
    "GET /api/v1/journal-entries": api_op("/api/v1/journal-entries", allowed=CASEWORK),
    "POST /api/v1/journal-entries": api_op(
        "/api/v1/journal-entries", method="POST", allowed=CASEWORK, ok=422
    ),
    "GET /api/v1/journal-entries/{id}": api_op(
        "/api/v1/journal-entries/{id}", allowed=CASEWORK, path_args=_kim_entry
    ),
    "GET /api/v1/consents": api_op("/api/v1/consents", allowed=CONSENT_READERS),
    "POST /api/v1/consents": api_op("/api/v1/consents", method="POST", allowed=CASEWORK, ok=422),
    "GET /api/v1/consents/{id}": api_op(
        "/api/v1/consents/{id}", allowed=CONSENT_READERS, path_args=_kim_consent
    ),
    "POST /api/v1/consents/{id}/withdraw": api_op(
        "/api/v1/consents/{id}/withdraw",
        method="POST",
        allowed=CASEWORK,
        ok=422,
        path_args=_kim_consent,
    ),
    "GET /api/v1/legal-bases": api_op("/api/v1/legal-bases", allowed=CONSENT_READERS),
    "POST /api/v1/legal-bases": api_op(
        "/api/v1/legal-bases", method="POST", allowed=("dpo",), ok=422
    ),
    "PATCH /api/v1/legal-bases/{id}": api_op(
        "/api/v1/legal-bases/{id}",
        method="PATCH",
        allowed=("dpo",),
        ok=422,
        path_args=_legal_basis,
    ),
    "GET /api/v1/audit": api_op("/api/v1/audit", allowed=("dpo",)),
}
