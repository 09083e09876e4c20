"""Permission-matrix rows of the people pages.

Seeing is not owning: a person shared by consent or legal basis is read and gets the agency's
own items (a residence status, a note), but only the registering agency edits or merges it.
"""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from lotse.people.choices import ResidenceKind
from tests.matrix import OWN, VISIBLE, Row, World, expect, page


def _person(world: World) -> dict[str, Any]:
    return {"public_id": world.person.public_id}


def _edit(world: World) -> dict[str, Any]:
    person = world.person
    return {
        "version": str(person.version),
        "given_names": person.given_names,
        "family_name": person.family_name,
        "birth_date": person.birth_date.isoformat() if person.birth_date else "",
        "birth_date_precision": person.birth_date_precision,
        "sex": person.sex,
        "phone": "+49 202 000000",
    }


def _residence(world: World) -> dict[str, Any]:
    return {
        "kind": ResidenceKind.RESIDENCE_PERMIT,
        "paragraph": "§ 25 Abs. 2 AufenthG",
        "valid_from": "2026-01-01",
        "work_permission": "unknown",
    }


def _household(world: World) -> dict[str, Any]:
    return {"public_id": world.household.public_id}


def _household_member(world: World) -> dict[str, Any]:
    return {"public_id": world.household.public_id, "person_id": world.person.public_id}


def _address(world: World) -> dict[str, Any]:
    return {
        "version": str(world.household.version),
        "street": "Gathe 5",
        "postcode": "42107",
        "city": "Wuppertal",
        "district": "elberfeld",
    }


def _new_member(world: World) -> dict[str, Any]:
    row = {
        "role": "child",
        "given_names": "Yusra",
        "family_name": "Neuankömmling",
        "birth_date": "2020-02-02",
        "birth_date_precision": "exact",
        "sex": "f",
        "nationalities": "Syrien",
        "languages": "Arabisch: Erstsprache",
    }
    return {
        "version": str(world.household.version),
        **{f"members-0-{name}": value for name, value in row.items()},
    }


def _move_out(world: World) -> dict[str, Any]:
    return {
        "version": str(world.household.version),
        "moved_out_on": timezone.localdate().isoformat(),
    }


# The household's own pages: the registering agency changes it, everyone else gets 404 —
# also an agency that sees the household through a member by consent or legal basis.
HOUSEHOLD_ACTIONS: dict[str, Row] = {
    "people:household_address": page(
        "people:household_address", expect=expect(owners=(OWN,)), kwargs=_household
    ),
    "people:household_address POST": page(
        "people:household_address",
        method="POST",
        expect=expect(ok=302, owners=(OWN,)),
        kwargs=_household,
        data=_address,
    ),
    "people:household_member_add": page(
        "people:household_member_add", expect=expect(owners=(OWN,)), kwargs=_household
    ),
    "people:household_member_add POST": page(
        "people:household_member_add",
        method="POST",
        expect=expect(ok=302, owners=(OWN,)),
        kwargs=_household,
        data=_new_member,
    ),
    "people:household_move_out": page(
        "people:household_move_out", expect=expect(owners=(OWN,)), kwargs=_household_member
    ),
    "people:household_move_out POST": page(
        "people:household_move_out",
        method="POST",
        expect=expect(ok=302, owners=(OWN,)),
        kwargs=_household_member,
        data=_move_out,
    ),
}

PAGES: dict[str, Row] = {
    **HOUSEHOLD_ACTIONS,
    # The search page always answers; what it finds is the policy's business (no names leak).
    "people:search": page(
        "people:search", expect=expect(), query=lambda world: f"q={world.person.public_id}"
    ),
    "people:register": page("people:register", expect=expect()),
    "people:duplicate_check": page(
        "people:duplicate_check",
        method="POST",
        expect=expect(),
        data=lambda world: {
            "prefix": "members-0",
            "members-0-given_names": world.person.given_names,
            "members-0-family_name": world.person.family_name,
        },
        echoes_name=True,
        note="a match at another agency is a hint naming the agency only",
    ),
    "people:person_detail": page(
        "people:person_detail", expect=expect(owners=VISIBLE), kwargs=_person
    ),
    "people:person_edit": page("people:person_edit", expect=expect(owners=(OWN,)), kwargs=_person),
    "people:person_edit POST": page(
        "people:person_edit",
        method="POST",
        expect=expect(ok=302, owners=(OWN,)),
        kwargs=_person,
        data=_edit,
    ),
    "people:residence_add": page(
        "people:residence_add", expect=expect(owners=VISIBLE), kwargs=_person
    ),
    "people:residence_add POST": page(
        "people:residence_add",
        method="POST",
        expect=expect(ok=302, owners=VISIBLE),
        kwargs=_person,
        data=_residence,
    ),
    "people:household_detail": page(
        "people:household_detail",
        expect=expect(owners=VISIBLE),
        kwargs=lambda world: {"public_id": world.household.public_id},
    ),
    "people:merge": page(
        "people:merge",
        method="POST",
        expect=expect(ok=302, owners=(OWN,)),
        kwargs=lambda world: {"public_id": world.twins[0].public_id},
        data=lambda world: {"merged": world.twins[1].public_id, "reason": "same passport"},
    ),
    "people:merge_decide": page(
        "people:merge_decide",
        method="POST",
        expect=expect(ok=302, owners=(OWN,)),
        kwargs=lambda world: {"pk": world.merge.pk},
        data=lambda world: {"decision": "confirm"},
    ),
}
