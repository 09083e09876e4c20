"""Permission-matrix rows of the data-protection officer's audit pages: the DPO only, for
persons of any agency (the DPO sees no content, only who accessed what)."""

from __future__ import annotations

from tests.matrix import Row, expect, page

DPO = ("dpo",)

PAGES: dict[str, Row] = {
    "privacy:audit": page(
        "privacy:audit",
        expect=expect(roles=DPO),
        query=lambda world: f"person={world.person.public_id}",
    ),
    "privacy:person_access": page(
        "privacy:person_access",
        expect=expect(roles=DPO),
        kwargs=lambda world: {"public_id": world.person.public_id},
    ),
}
