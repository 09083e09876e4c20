"""Permission-matrix rows of the data-protection officer's audit pages: the DPO only."""

from __future__ import annotations

from typing import Any

from lotse.people.tests.factories import PersonFactory
from tests.matrix import Context, Row, page


def _public_id(ctx: Context) -> dict[str, Any]:
    person = PersonFactory.create(owner_agency=ctx.fixture("agencies").jugendamt)
    return {"public_id": person.public_id}


PAGES: dict[str, Row] = {
    "privacy:audit": page("privacy:audit", allowed=("dpo",)),
    "privacy:person_access": page("privacy:person_access", allowed=("dpo",), kwargs=_public_id),
}
