"""Permission-matrix rows of the journal pages.

The person and the work note belong to the acting agency or to the Jugendamt, which shares
identity and work by consent or legal basis, or nothing. A shared person's journal shows the
shared note; the Jugendamt's health and entrusted notes never show (tests/matrix.py).
"""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from tests.matrix import VISIBLE, Row, World, expect, page


def _person(world: World) -> dict[str, Any]:
    return {"public_id": world.person.public_id}


def _talk(world: World) -> dict[str, Any]:
    return {
        "kind": "talk",
        "category": "work",
        "text": "Called about the language course.",
        "occurred_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
    }


PAGES: dict[str, Row] = {
    "cases:person_journal": page(
        "cases:person_journal", expect=expect(owners=VISIBLE), kwargs=_person
    ),
    "cases:entry_create": page("cases:entry_create", expect=expect(owners=VISIBLE), kwargs=_person),
    # A note of one's own about a person one may see: the shared write the journal allows.
    "cases:entry_create POST": page(
        "cases:entry_create",
        method="POST",
        expect=expect(ok=302, owners=VISIBLE),
        kwargs=_person,
        data=_talk,
    ),
    "cases:entry_detail": page(
        "cases:entry_detail",
        expect=expect(owners=VISIBLE),
        kwargs=lambda world: {"pk": world.entry.pk},
    ),
}
