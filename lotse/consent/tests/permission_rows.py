"""Permission-matrix rows of the consent pages, the legal-basis register and emergency access.

A consent is need-to-know: the agency that recorded it, the agencies it names and the DPO see
it; an agency that merely sees the person (legal-basis case) does not. Only the recorder marks
a consent given or refused; a disclosing agency confirms; a party withdraws.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.core.files.base import ContentFile
from django.utils import timezone

from lotse.accounts.tests.factories import acting
from lotse.audit.models import AuditAction
from lotse.audit.services import record
from lotse.consent.categories import DataCategory
from lotse.consent.form import FORM_VERSION
from lotse.consent.models import ConsentDeclaration
from lotse.consent.services import break_glass_open
from tests.matrix import BY_CONSENT, CASEWORK, OWN, OWNERS, VISIBLE, Row, World, expect, page

DPO = ("dpo",)
NAMED = (OWN, BY_CONSENT)  # the owner cases in which the consent names the acting agency
DPO_SEES_ALL = {"dpo": OWNERS}


def _person(world: World) -> dict[str, Any]:
    return {"public_id": world.person.public_id}


def _consent(world: World) -> dict[str, Any]:
    return {"pk": world.consent.pk}


def _scanned(world: World) -> dict[str, Any]:
    world.fixture("settings").MEDIA_ROOT = world.fixture("tmp_path")
    consent: ConsentDeclaration = world.consent
    consent.signed_form.save("signed.pdf", ContentFile(b"%PDF-1.4\n%signed\n"))
    return {"pk": consent.pk}


def _new_consent(world: World) -> dict[str, Any]:
    today = timezone.localdate()
    return {
        "status": "requested",
        "given_by": "subject",
        "recipient_agencies": [world.agencies.caritas.pk],
        "disclosing_agencies": [world.agency.pk],
        "categories": [DataCategory.IDENTITY],
        "purpose": "case_management",
        "valid_from": today.isoformat(),
        "valid_until": (today + timedelta(days=730)).isoformat(),
        "form_language": "de",
        "form_version": FORM_VERSION,
    }


def _emergency(world: World) -> dict[str, Any]:
    """An emergency access of the KIM team lead to the person, with a read under it."""
    gero = world.fixture("gero")
    glass = break_glass_open(
        subject=world.person,
        reason="A child is in danger and nobody can be reached.",
        membership=acting(gero),
        actor=gero,
    )
    record(
        action=AuditAction.PERSON_VIEWED,
        actor=gero,
        agency=acting(gero).agency,
        target=world.person,
        subject_id=world.person.pk,
        basis=f"break_glass:{glass.pk}",
    )
    return {"pk": glass.pk}


PAGES: dict[str, Row] = {
    "consent:register": page("consent:register", expect=expect(roles=DPO)),
    "consent:detail": page(
        "consent:detail", expect=expect(owners=NAMED, also=DPO_SEES_ALL), kwargs=_consent
    ),
    "consent:withdraw": page(
        "consent:withdraw",
        method="POST",
        expect=expect(ok=302, owners=NAMED),
        kwargs=_consent,
        data=lambda world: {"reason": "The family asked for it."},
        note="a recipient is a party: it may take the family's withdrawal",
    ),
    "consent:give": page(
        "consent:give",
        method="POST",
        expect=expect(ok=302, owners=(OWN,)),
        kwargs=lambda world: {"pk": world.requested_consent.pk},
        data=lambda world: {"no_scan_reason": "Signed on paper; the scan follows."},
        note="only the recording agency decides; a recipient gets 404",
    ),
    "consent:refuse": page(
        "consent:refuse",
        method="POST",
        expect=expect(ok=302, owners=(OWN,)),
        kwargs=lambda world: {"pk": world.requested_consent.pk},
    ),
    "consent:confirm": page(
        "consent:confirm",
        method="POST",
        expect=expect(ok=302, owners=(OWN,)),
        kwargs=lambda world: {"pk": world.confirmable_consent.pk},
        note="own: the acting agency is a discloser of another agency's consent",
    ),
    "consent:print_form": page(
        "consent:print_form",
        expect=expect(owners=NAMED),
        kwargs=lambda world: {"pk": world.consent.pk, "language": "ar"},
    ),
    # The scan: the recording agency's consent recorders (and disclosers) and the DPO only.
    "consent:signed_form": page(
        "consent:signed_form", expect=expect(owners=(OWN,), also=DPO_SEES_ALL), kwargs=_scanned
    ),
    "consent:person_register": page(
        "consent:person_register", expect=expect(owners=VISIBLE), kwargs=_person
    ),
    "consent:record": page("consent:record", expect=expect(owners=VISIBLE), kwargs=_person),
    "consent:record POST": page(
        "consent:record",
        method="POST",
        expect=expect(ok=302, owners=VISIBLE),
        kwargs=_person,
        data=_new_consent,
        note="any agency that sees the person records; it opens only its own data",
    ),
    "consent:print_draft": page(
        "consent:print_draft",
        method="POST",
        expect=expect(owners=VISIBLE),
        kwargs=_person,
        data=lambda world: {**_new_consent(world), "print_language": "fa"},
    ),
    # Looks the same for every ID, existing or not, visible or not.
    "consent:break_glass": page(
        "consent:break_glass", expect=expect(roles=("team_lead",)), kwargs=_person
    ),
    # Where it starts: the Lotse ID is typed; nothing is looked up before the next page.
    "consent:break_glass_start": page(
        "consent:break_glass_start", expect=expect(roles=("team_lead",))
    ),
    "consent:break_glass_start ID": page(
        "consent:break_glass_start",
        expect=expect(ok=302, roles=("team_lead",)),
        query=lambda world: f"public_id={world.person.public_id}",
        note="sent on to the person's emergency page, whoever's the ID is",
    ),
    "consent:break_glass_review": page("consent:break_glass_review", expect=expect(roles=DPO)),
    # One access with every read under it: the DPO's, whoever's person it opened.
    "consent:break_glass_detail": page(
        "consent:break_glass_detail", expect=expect(roles=DPO), kwargs=_emergency
    ),
    # The register as a file: the DPO's only; a caseworker of any agency gets 404.
    "consent:register_export": page(
        "consent:register_export",
        expect=expect(roles=DPO),
        kwargs=lambda world: {"file_format": "csv"},
        query=lambda world: f"person={world.consent.subject.public_id}",
    ),
    "consent:register_export xlsx": page(
        "consent:register_export",
        expect=expect(roles=DPO),
        kwargs=lambda world: {"file_format": "xlsx"},
    ),
    "consent:legal_bases": page("consent:legal_bases", expect=expect(roles=(*CASEWORK, "dpo"))),
    "consent:legal_basis_create": page("consent:legal_basis_create", expect=expect(roles=DPO)),
    "consent:legal_basis_edit": page(
        "consent:legal_basis_edit",
        expect=expect(roles=DPO),
        kwargs=lambda world: {"pk": world.legal_basis.pk},
    ),
}
