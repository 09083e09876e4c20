"""Permission-matrix rows of the people pages.

Every object is built in the acting user's own agency, so a 404 for coordinators, the DPO and
administrators comes from their missing capability, not from a foreign record.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from lotse.accounts.models import Agency, User
from lotse.people.models import Person, PersonMerge
from lotse.people.tests.factories import HouseholdFactory, PersonFactory
from tests.matrix import Context, Row, page

CASEWORK = ("caseworker", "team_lead")


def _agency(ctx: Context) -> Agency:
    membership = ctx.user.primary_membership() if ctx.user is not None else None
    if membership is not None:
        return membership.agency
    agency: Agency = ctx.fixture("agencies").kim
    return agency


def _actor(ctx: Context) -> User:
    if ctx.user is not None:
        return ctx.user
    anna: User = ctx.fixture("anna")
    return anna


def _twins(ctx: Context) -> tuple[Person, Person]:
    """Two records of one person in the acting agency: a merge candidate pair."""
    cached: tuple[Person, Person] | None = getattr(ctx, "_people_twins", None)
    if cached is None:
        values: dict[str, Any] = {
            "owner_agency": _agency(ctx),
            "given_names": "Mohammed",
            "family_name": "Al-Hassan",
            "birth_date": date(1985, 3, 2),
            "nationalities": ["SY"],
        }
        cached = (PersonFactory.create(**values), PersonFactory.create(**values))
        ctx._people_twins = cached  # type: ignore[attr-defined]
    return cached


def _person(ctx: Context) -> dict[str, Any]:
    return {"public_id": PersonFactory.create(owner_agency=_agency(ctx)).public_id}


def _household(ctx: Context) -> dict[str, Any]:
    agency = _agency(ctx)
    household = HouseholdFactory.create(
        owner_agency=agency, members=[PersonFactory.create(owner_agency=agency)]
    )
    return {"public_id": household.public_id}


def _merge(ctx: Context) -> dict[str, Any]:
    survivor, merged = _twins(ctx)
    proposal = PersonMerge.objects.create(
        survivor=survivor, merged=merged, reason="same passport", proposed_by=_actor(ctx)
    )
    Person.objects.filter(pk=merged.pk).update(merged_into=survivor)
    return {"pk": proposal.pk}


PAGES: dict[str, Row] = {
    "people:search": page("people:search", allowed=CASEWORK),
    "people:register": page("people:register", allowed=CASEWORK),
    "people:duplicate_check": page(
        "people:duplicate_check",
        method="POST",
        allowed=CASEWORK,
        data=lambda ctx: {
            "prefix": "members-0",
            "members-0-given_names": "Muhammad",
            "members-0-family_name": "Alhasan",
        },
    ),
    "people:person_detail": page("people:person_detail", allowed=CASEWORK, kwargs=_person),
    "people:person_edit": page("people:person_edit", allowed=CASEWORK, kwargs=_person),
    "people:residence_add": page("people:residence_add", allowed=CASEWORK, kwargs=_person),
    "people:household_detail": page("people:household_detail", allowed=CASEWORK, kwargs=_household),
    "people:merge": page(
        "people:merge",
        method="POST",
        ok=302,
        allowed=CASEWORK,
        kwargs=lambda ctx: {"public_id": _twins(ctx)[0].public_id},
        data=lambda ctx: {"merged": _twins(ctx)[1].public_id, "reason": "same passport"},
    ),
    "people:merge_decide": page(
        "people:merge_decide",
        method="POST",
        ok=302,
        allowed=CASEWORK,
        kwargs=_merge,
        data=lambda ctx: {"decision": "revert"},
    ),
}
