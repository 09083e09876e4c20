"""Permission-matrix rows of the API: the frame, people, journal, consents, bases, audit, cases.

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
    BY_LEGAL_BASIS,
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


# --- the case ------------------------------------------------------------------------------------
# As the case pages (lotse/cases/tests/permission_rows.py): the case is led by the owning agency;
# in the consent and legal-basis cases the acting agency takes part, in the no-basis case it does
# not (tests/matrix.py World.case). Only the lead agency steers; a participant gets 404.


def _case(world: World) -> dict[str, Any]:
    return {"id": world.case.pk}


def _version(world: World) -> str:
    return f"version={world.case.version}"


# The body names a household the caller cannot see: refused naming the field, like a missing one.
UNKNOWN_HOUSEHOLD = {(role, NO_BASIS): 422 for role in CASEWORK}
LEAD_ONLY = api_expect(owners=(OWN,))

API |= {
    # Lists what the caller takes part in: the no-basis case is simply not in it.
    "GET /api/v1/cases": api_op(
        "/api/v1/cases",
        expect=api_expect(owners=OWNERS),
        query=lambda world: f"household={world.case.household.public_id}",
    ),
    # Any agency that may see the household may open its case and lead it.
    "POST /api/v1/cases": api_op(
        "/api/v1/cases",
        method="POST",
        expect=api_expect(ok=201, owners=VISIBLE, cases=UNKNOWN_HOUSEHOLD),
        data=lambda world: {"household": world.household.public_id, "came_via": "self"},
    ),
    "GET /api/v1/cases/{id}": api_op(
        "/api/v1/cases/{id}", expect=api_expect(owners=VISIBLE), path_args=_case
    ),
    "POST /api/v1/cases/{id}/transition": api_op(
        "/api/v1/cases/{id}/transition",
        method="POST",
        expect=LEAD_ONLY,
        path_args=_case,
        data=lambda world: {"phase": "closed", "reason": "other", "version": world.case.version},
    ),
    "POST /api/v1/cases/{id}/participants": api_op(
        "/api/v1/cases/{id}/participants",
        method="POST",
        expect=LEAD_ONLY,
        path_args=_case,
        data=lambda world: {
            "agency": world.agencies.caritas.code,
            "categories": [DataCategory.CASE_PLAN],
            "version": world.case.version,
        },
    ),
    "DELETE /api/v1/cases/{id}/participants/{agency}": api_op(
        "/api/v1/cases/{id}/participants/{agency}",
        method="DELETE",
        expect=LEAD_ONLY,
        path_args=lambda world: {"id": world.case.pk, "agency": world.agencies.jobcenter.code},
        query=_version,
    ),
    "POST /api/v1/cases/{id}/lead": api_op(
        "/api/v1/cases/{id}/lead",
        method="POST",
        expect=LEAD_ONLY,
        path_args=_case,
        data=lambda world: {"user": world.own_caseworker.username, "version": world.case.version},
    ),
}


# --- content under the case ----------------------------------------------------------------------
# As the case pages: every participant reads the case's content (what it sees follows each
# person's basis) and records its own; only the agency that recorded a goal or measure changes it,
# and only the lead plans and holds conferences. The World's consent shares identity and work for
# case management: the owner's goal and measure (case_plan) are not in the acting agency's lists
# there, and its PATCH of them answers 404 like a missing one.


def _goal(world: World) -> dict[str, Any]:
    return {"id": world.case.pk, "group": world.goal.group}


def _measure(world: World) -> dict[str, Any]:
    return {"id": world.case.pk, "group": world.measure.group}


def _with_plan(world: World) -> dict[str, Any]:
    """The case with the owner's goal and measure, so that the lists have rows to withhold."""
    return {"id": world.measure.case_id}


def _with_everything(world: World) -> dict[str, Any]:
    """The case with the owner's plan and a held conference with a decision."""
    world.measure  # noqa: B018 - builds the goal and its measure
    return {"id": world.decision.case_id}


def _today() -> str:
    return timezone.localdate().isoformat()


# The body names a goal of another agency: refused naming the field, like a missing one.
FOREIGN_GOAL = {(role, owner): 422 for role in CASEWORK for owner in (BY_CONSENT, BY_LEGAL_BASIS)}

API |= {
    "GET /api/v1/cases/{id}/assessments": api_op(
        "/api/v1/cases/{id}/assessments", expect=api_expect(owners=VISIBLE), path_args=_case
    ),
    # Any participant records its own assessment of a member it may see.
    "POST /api/v1/cases/{id}/assessments": api_op(
        "/api/v1/cases/{id}/assessments",
        method="POST",
        expect=api_expect(ok=201, owners=VISIBLE),
        path_args=_case,
        data=lambda world: {
            "person": world.person.public_id,
            "domain": "work",
            "need": 2,
            "assessed_on": _today(),
        },
    ),
    "GET /api/v1/cases/{id}/goals": api_op(
        "/api/v1/cases/{id}/goals", expect=api_expect(owners=VISIBLE), path_args=_with_plan
    ),
    "POST /api/v1/cases/{id}/goals": api_op(
        "/api/v1/cases/{id}/goals",
        method="POST",
        expect=api_expect(ok=201, owners=VISIBLE),
        path_args=_case,
        data=lambda world: {
            "persons": [world.person.public_id],
            "domain": "work",
            "text": "Bewerbungstraining",
            "responsible_agency": world.agency.code,
        },
    ),
    # Seeing a goal is not owning it: only the agency that recorded it changes it.
    "PATCH /api/v1/cases/{id}/goals/{group}": api_op(
        "/api/v1/cases/{id}/goals/{group}",
        method="PATCH",
        expect=LEAD_ONLY,
        path_args=_goal,
        data=lambda world: {
            "text": "Anerkennung des Abschlusses",
            "attainment": 1,
            "version": world.goal.version,
        },
    ),
    "GET /api/v1/cases/{id}/measures": api_op(
        "/api/v1/cases/{id}/measures", expect=api_expect(owners=VISIBLE), path_args=_with_plan
    ),
    # A step towards a goal of one's own: the page has the goal in its path (404), the API in
    # the body (422 on "goal" for another agency's goal, 404 for a case one does not take part in).
    "POST /api/v1/cases/{id}/measures": api_op(
        "/api/v1/cases/{id}/measures",
        method="POST",
        expect=api_expect(ok=201, owners=(OWN,), cases=FOREIGN_GOAL),
        path_args=_case,
        data=lambda world: {
            "goal": str(world.goal.group),
            "text": "Termin beim Amt",
            "responsible_agency": world.agency.code,
        },
    ),
    "PATCH /api/v1/cases/{id}/measures/{group}": api_op(
        "/api/v1/cases/{id}/measures/{group}",
        method="PATCH",
        expect=LEAD_ONLY,
        path_args=_measure,
        data=lambda world: {"status": "done", "version": world.measure.version},
    ),
    # Every participant sees the conferences; the minutes only where its agency attends.
    "GET /api/v1/cases/{id}/conferences": api_op(
        "/api/v1/cases/{id}/conferences",
        expect=api_expect(owners=VISIBLE),
        path_args=_with_everything,
    ),
    "POST /api/v1/cases/{id}/conferences": api_op(
        "/api/v1/cases/{id}/conferences",
        method="POST",
        expect=api_expect(ok=201, owners=(OWN,)),
        path_args=_case,
        data=lambda world: {
            "scheduled_at": timezone.localtime().isoformat(),
            "place": "Stadthaus",
            "agencies": [world.agencies.jobcenter.code],
            "topics": ["work"],
        },
    ),
    # In the own case the Jobcenter has the person's consent for the conference (World).
    "POST /api/v1/conferences/{id}/hold": api_op(
        "/api/v1/conferences/{id}/hold",
        method="POST",
        expect=LEAD_ONLY,
        path_args=lambda world: {"id": world.conference.pk},
        data=lambda world: {"version": world.conference.version},
    ),
    "GET /api/v1/cases/{id}/timeline": api_op(
        "/api/v1/cases/{id}/timeline",
        expect=api_expect(owners=VISIBLE),
        path_args=_with_everything,
        query=lambda world: "limit=200",
    ),
}
