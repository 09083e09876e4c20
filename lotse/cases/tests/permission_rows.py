"""Permission-matrix rows of the journal pages.

Persons and entries belong to the acting user's own agency (KIM for those without one), so a
404 for coordinators, the DPO and administrators comes from their missing capability.
"""

from __future__ import annotations

from typing import Any

from lotse.accounts.models import Agency, User
from lotse.cases.models import JournalEntry
from lotse.consent.categories import DataCategory
from lotse.people.models import Person
from lotse.people.tests.factories import PersonFactory
from tests.matrix import Context, Row, page

CASEWORK = ("caseworker", "team_lead")


def _agency(ctx: Context) -> Agency:
    membership = ctx.user.primary_membership() if ctx.user is not None else None
    if membership is not None:
        return membership.agency
    agency: Agency = ctx.fixture("agencies").kim
    return agency


def _person(ctx: Context) -> Person:
    person: Person = PersonFactory.create(owner_agency=_agency(ctx))
    return person


def _public_id(ctx: Context) -> dict[str, Any]:
    return {"public_id": _person(ctx).public_id}


def _entry(ctx: Context) -> dict[str, Any]:
    author: User = ctx.user or ctx.fixture("anna")
    entry = JournalEntry.objects.create(
        subject=_person(ctx),
        owner_agency=_agency(ctx),
        category=DataCategory.HOUSING,
        text="Looked at a flat together.",
        author=author,
    )
    return {"pk": entry.pk}


PAGES: dict[str, Row] = {
    "cases:person_journal": page("cases:person_journal", allowed=CASEWORK, kwargs=_public_id),
    "cases:entry_create": page("cases:entry_create", allowed=CASEWORK, kwargs=_public_id),
    "cases:entry_detail": page("cases:entry_detail", allowed=CASEWORK, kwargs=_entry),
}
