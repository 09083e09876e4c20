"""Permission-matrix rows of the API: the frame, people, journal, consents, bases, audit.

Writes send valid JSON, so "allowed" means done (200/201). A person the caller may not see is
"not known to you" where the body names it (422, like a missing one) and 404 in the path.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.utils import timezone

from lotse.consent.categories import DataCategory
from lotse.people.choices import ResidenceKind
from tests.matrix import (
    BY_CONSENT,
    CASEWORK,
    EVERYONE,
    FAMILY_NAME,
    GIVEN_NAME,
    NO_BASIS,
    OWN,
    OWNERS,
    ROLES,
    VISIBLE,
    Row,
    World,
    api_expect,
    api_op,
    expect,
    page,
)

DPO = ("dpo",)
CONSENT_READERS = (*CASEWORK, "dpo")
NAMED = (OWN, BY_CONSENT)
DPO_SEES_ALL = {"dpo": OWNERS}
# The body names a person the caller cannot see: refused naming the field, as for a missing one.
UNKNOWN_PERSON = {(role, NO_BASIS): 422 for role in CASEWORK}

PAGES: dict[str, Row] = {
    "api:openapi-json": page(
        "api:openapi-json",
        expect=expect(roles=EVERYONE, anonymous=200),
        note="public API description",
    ),
    "api:openapi-view": page(
        "api:openapi-view", expect=expect(roles=EVERYONE, anonymous=200), note="public API docs"
    ),
    "api:api-root": page(
        "api:api-root", expect=expect(roles=(), anonymous=404), note="nothing at the root"
    ),
    "api:unknown": page(
        "api:unknown",
        kwargs=lambda world: {"rest": "no-such-endpoint"},
        expect=expect(roles=(), anonymous=404),
    ),
}


def _person(world: World) -> dict[str, Any]:
    return {"id": world.person.public_id}


def _new_person(world: World) -> dict[str, Any]:
    return {"given_names": "Nadia", "family_name": "Karimi", "birth_date": "1991-03-04"}


def _entry(world: World) -> dict[str, Any]:
    return {"id": world.entry.pk}


def _consent(world: World) -> dict[str, Any]:
    return {"id": world.consent.pk}


def _new_consent(world: World) -> dict[str, Any]:
    return {
        "subject": world.person.public_id,
        "recipient_agencies": [world.agencies.caritas.code],
        "categories": [DataCategory.IDENTITY],
        "purpose": "case_management",
    }


def _journal_entry(world: World) -> dict[str, Any]:
    return {
        "person": world.person.public_id,
        "category": DataCategory.WORK,
        "text": "Called about the recognition of the nursing diploma.",
        "occurred_at": (timezone.localtime() - timedelta(hours=1)).isoformat(),
    }


def _household(world: World) -> dict[str, Any]:
    return {
        "street": "Hofaue 12",
        "postcode": "42103",
        "district": "elberfeld",
        "members": [
            {"person": world.person.public_id, "role": "head"},
            {"person": _new_person(world), "role": "partner"},
        ],
    }


def _basis(world: World) -> dict[str, Any]:
    return {"id": world.legal_basis.pk}


SGB_II = {
    "from_kind": "jobcenter",
    "to_kind": "integration_office",
    "categories": [DataCategory.WORK],
    "citation": "§ 50 SGB II",
}

API: dict[str, Row] = {
    "GET /api/v1/me": api_op("/api/v1/me", expect=api_expect(roles=ROLES)),
    "GET /api/v1/agencies": api_op("/api/v1/agencies", expect=api_expect(roles=ROLES)),
    # --- people --------------------------------------------------------------------------------
    "GET /api/v1/persons": api_op(
        "/api/v1/persons",
        expect=api_expect(),
        query=lambda world: f"q={world.person.public_id}",
    ),
    "POST /api/v1/persons": api_op(
        "/api/v1/persons", method="POST", expect=api_expect(ok=201), data=_new_person
    ),
    "POST /api/v1/persons/duplicate-check": api_op(
        "/api/v1/persons/duplicate-check",
        method="POST",
        expect=api_expect(),
        data=lambda world: {"given_names": GIVEN_NAME, "family_name": FAMILY_NAME},
        echoes_name=True,
    ),
    "GET /api/v1/persons/{id}": api_op(
        "/api/v1/persons/{id}", expect=api_expect(owners=VISIBLE), path_args=_person
    ),
    # Seeing is not owning: identity fields are changed by the registering agency only.
    "PATCH /api/v1/persons/{id}": api_op(
        "/api/v1/persons/{id}",
        method="PATCH",
        expect=api_expect(owners=(OWN,)),
        path_args=_person,
        data=lambda world: {"version": world.person.version, "phone": "+49 202 1111"},
    ),
    "GET /api/v1/persons/{id}/residence-statuses": api_op(
        "/api/v1/persons/{id}/residence-statuses",
        expect=api_expect(owners=VISIBLE),
        path_args=_person,
    ),
    "POST /api/v1/persons/{id}/residence-statuses": api_op(
        "/api/v1/persons/{id}/residence-statuses",
        method="POST",
        expect=api_expect(ok=201, owners=VISIBLE),
        path_args=_person,
        data=lambda world: {
            "kind": ResidenceKind.RESIDENCE_PERMIT,
            "paragraph": "§ 25 Abs. 2 AufenthG",
            "valid_from": "2026-01-01",
        },
    ),
    "GET /api/v1/households": api_op("/api/v1/households", expect=api_expect()),
    "POST /api/v1/households": api_op(
        "/api/v1/households",
        method="POST",
        expect=api_expect(ok=201, owners=VISIBLE, cases=UNKNOWN_PERSON),
        data=_household,
    ),
    "GET /api/v1/households/{id}": api_op(
        "/api/v1/households/{id}",
        expect=api_expect(owners=VISIBLE),
        path_args=lambda world: {"id": world.household.public_id},
    ),
    # --- journal -------------------------------------------------------------------------------
    "GET /api/v1/journal-entries": api_op(
        "/api/v1/journal-entries",
        expect=api_expect(),
        query=lambda world: f"person={world.person.public_id}",
    ),
    "POST /api/v1/journal-entries": api_op(
        "/api/v1/journal-entries",
        method="POST",
        expect=api_expect(ok=201, owners=VISIBLE, cases=UNKNOWN_PERSON),
        data=_journal_entry,
    ),
    "GET /api/v1/journal-entries/{id}": api_op(
        "/api/v1/journal-entries/{id}", expect=api_expect(owners=VISIBLE), path_args=_entry
    ),
    # --- consents ------------------------------------------------------------------------------
    "GET /api/v1/consents": api_op(
        "/api/v1/consents",
        expect=api_expect(roles=CONSENT_READERS),
        query=lambda world: f"person={world.person.public_id}",
    ),
    "POST /api/v1/consents": api_op(
        "/api/v1/consents",
        method="POST",
        expect=api_expect(ok=201, owners=VISIBLE, cases=UNKNOWN_PERSON),
        data=_new_consent,
    ),
    "GET /api/v1/consents/{id}": api_op(
        "/api/v1/consents/{id}",
        expect=api_expect(owners=NAMED, also=DPO_SEES_ALL),
        path_args=_consent,
    ),
    "POST /api/v1/consents/{id}/give": api_op(
        "/api/v1/consents/{id}/give",
        method="POST",
        expect=api_expect(owners=(OWN,)),
        path_args=lambda world: {"id": world.requested_consent.pk},
        data=lambda world: {"no_scan_reason": "Signed on paper; the scan follows."},
    ),
    "POST /api/v1/consents/{id}/refuse": api_op(
        "/api/v1/consents/{id}/refuse",
        method="POST",
        expect=api_expect(owners=(OWN,)),
        path_args=lambda world: {"id": world.requested_consent.pk},
    ),
    "POST /api/v1/consents/{id}/confirm": api_op(
        "/api/v1/consents/{id}/confirm",
        method="POST",
        expect=api_expect(owners=(OWN,)),
        path_args=lambda world: {"id": world.confirmable_consent.pk},
    ),
    "POST /api/v1/consents/{id}/withdraw": api_op(
        "/api/v1/consents/{id}/withdraw",
        method="POST",
        expect=api_expect(owners=NAMED),
        path_args=_consent,
        data=lambda world: {"reason": "The family asked for it."},
    ),
    # --- legal bases and audit -----------------------------------------------------------------
    "GET /api/v1/legal-bases": api_op(
        "/api/v1/legal-bases", expect=api_expect(roles=CONSENT_READERS)
    ),
    "POST /api/v1/legal-bases": api_op(
        "/api/v1/legal-bases",
        method="POST",
        expect=api_expect(ok=201, roles=DPO),
        data=lambda world: SGB_II,
    ),
    "PATCH /api/v1/legal-bases/{id}": api_op(
        "/api/v1/legal-bases/{id}",
        method="PATCH",
        expect=api_expect(roles=DPO),
        path_args=_basis,
        data=lambda world: {"note": "Checked by the DPO."},
    ),
    "GET /api/v1/audit": api_op(
        "/api/v1/audit",
        expect=api_expect(roles=DPO),
        query=lambda world: f"person={world.person.public_id}",
    ),
}
