"""Matrix rows of the referral pages and API (see tests/test_permission_matrix.py).

``World.referral``: own = the acting agency sent it; consent / legal basis = the Jugendamt
sent it to the acting agency (the addressee answers); no basis = the Jugendamt sent it to the
Jobcenter — the acting agency gets 404 for everything.
"""

from __future__ import annotations

from typing import Any

from lotse.consent.categories import DataCategory
from lotse.consent.tests.factories import record_directly
from tests.matrix import (
    BY_CONSENT,
    BY_LEGAL_BASIS,
    OWN,
    OWNERS,
    VISIBLE,
    World,
    api_expect,
    api_op,
    expect,
    page,
)

RECEIVED = [BY_CONSENT, BY_LEGAL_BASIS]


def _referral(world: World) -> dict[str, Any]:
    return {"pk": world.referral.pk}


def _referral_id(world: World) -> dict[str, Any]:
    return {"id": world.referral.pk}


def _case(world: World) -> dict[str, Any]:
    return {"pk": world.case.pk}


def _referable(world: World) -> dict[str, Any]:
    """In the own case, the person's consent to a referral to Caritas (so that it is sent);
    elsewhere nothing covers it."""
    if world.owner == OWN:
        record_directly(
            subject=world.person,
            recorded_by=world.author,
            recording_agency=world.agency,
            disclosing=[world.agency],
            recipients=[world.agencies.caritas],
            categories=[DataCategory.IDENTITY, DataCategory.WORK],
            purpose="referral",
        )
    return {}


def _version(world: World) -> dict[str, Any]:
    return {"version": world.referral.version, "reason": "capacity", "note": "Kurs ist voll."}


PAGES = {
    # The inbox lists only what the member may see; every caseworker has one.
    "referrals:inbox": page(
        "referrals:inbox",
        expect=expect(owners=OWNERS),
        query=lambda world: (
            "view=sent" if world.referral.owner_agency_id == world.agency.pk else "view=open"
        ),
    ),
    "referrals:detail": page("referrals:detail", expect=expect(owners=VISIBLE), kwargs=_referral),
    # The addressee answers; the sender cannot accept its own referral.
    "referrals:step": page(
        "referrals:step",
        method="POST",
        expect=expect(ok=302, owners=RECEIVED),
        kwargs=lambda world: {"pk": world.referral.pk, "step": "decline"},
        data=_version,
    ),
    "referrals:step cancel": page(
        "referrals:step",
        method="POST",
        expect=expect(ok=302, owners=[OWN]),
        kwargs=lambda world: {"pk": world.referral.pk, "step": "cancel"},
        data=_version,
    ),
    "referrals:new": page("referrals:new", expect=expect(owners=VISIBLE), kwargs=_case),
    "referrals:new POST": page(
        "referrals:new",
        method="POST",
        # Sent (302) where the acting agency takes part and has the person's consent; the
        # form comes back listing what is not covered (409) otherwise.
        expect=expect(
            ok=302,
            owners=[OWN],
            cases={
                ("caseworker", BY_CONSENT): 409,
                ("team_lead", BY_CONSENT): 409,
                ("caseworker", BY_LEGAL_BASIS): 409,
                ("team_lead", BY_LEGAL_BASIS): 409,
            },
        ),
        kwargs=_case,
        data=lambda world: {
            **_referable(world),
            "subject": world.person.public_id,
            "to_agency": world.agencies.caritas.pk,
            "categories": ["work"],
            "message": "Bitte um Beratung.",
            "urgency": "routine",
        },
    ),
}


def _step_row(step: str, owners: list[str], data: Any = _version) -> Any:
    return api_op(
        f"/api/v1/referrals/{{id}}/{step}",
        method="POST",
        expect=api_expect(owners=owners),
        path_args=_referral_id,
        data=data,
    )


API = {
    "GET /api/v1/referrals": api_op(
        "/api/v1/referrals", expect=api_expect(owners=OWNERS), query=lambda world: "inbox=1"
    ),
    "GET /api/v1/referrals/{id}": api_op(
        "/api/v1/referrals/{id}", expect=api_expect(owners=VISIBLE), path_args=_referral_id
    ),
    "POST /api/v1/referrals": api_op(
        "/api/v1/referrals",
        method="POST",
        expect=api_expect(
            ok=201,
            owners=[OWN],
            cases={
                ("caseworker", BY_CONSENT): 409,
                ("team_lead", BY_CONSENT): 409,
                ("caseworker", BY_LEGAL_BASIS): 409,
                ("team_lead", BY_LEGAL_BASIS): 409,
            },
        ),
        data=lambda world: {
            **_referable(world),
            "case": world.case.pk,
            "person": world.person.public_id,
            "to_agency": "car",
            "categories": ["work"],
            "message": "Bitte um Beratung.",
        },
    ),
    "POST /api/v1/referrals/{id}/accept": _step_row("accept", RECEIVED),
    "POST /api/v1/referrals/{id}/decline": _step_row("decline", RECEIVED),
    "POST /api/v1/referrals/{id}/waitlist": _step_row("waitlist", RECEIVED),
    # Not yet accepted: starting and completing are refused by the state (422), not hidden.
    "POST /api/v1/referrals/{id}/start": api_op(
        "/api/v1/referrals/{id}/start",
        method="POST",
        expect=api_expect(ok=422, owners=RECEIVED),
        path_args=_referral_id,
        data=_version,
    ),
    "POST /api/v1/referrals/{id}/complete": api_op(
        "/api/v1/referrals/{id}/complete",
        method="POST",
        expect=api_expect(ok=422, owners=RECEIVED),
        path_args=_referral_id,
        data=_version,
    ),
    "POST /api/v1/referrals/{id}/not_complete": api_op(
        "/api/v1/referrals/{id}/not_complete",
        method="POST",
        expect=api_expect(ok=422, owners=RECEIVED),
        path_args=_referral_id,
        data=lambda world: {"version": world.referral.version, "reason": "moved"},
    ),
    "POST /api/v1/referrals/{id}/cancel": _step_row("cancel", [OWN]),
}
