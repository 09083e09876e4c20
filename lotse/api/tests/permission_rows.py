"""Permission-matrix rows of the API frame, the accounts and the people endpoints."""

from __future__ import annotations

from typing import Any

from lotse.accounts.models import Membership, User
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
}
