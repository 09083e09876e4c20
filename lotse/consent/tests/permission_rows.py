"""Permission-matrix rows of the consent pages, the legal-basis register and emergency access.

Persons and consents are built in the acting user's own agency (KIM for those without one),
so a 404 for coordinators and administrators comes from their missing capability, not from a
foreign record.
"""

from __future__ import annotations

from typing import Any

from django.core.files.base import ContentFile

from lotse.accounts.models import Agency, Membership, User
from lotse.consent.categories import DataCategory
from lotse.consent.models import ConsentDeclaration, ConsentPurpose, LegalBasis
from lotse.consent.services import consent_record
from lotse.consent.tests.factories import given_consent
from lotse.people.models import Person
from lotse.people.tests.factories import PersonFactory
from tests.matrix import Context, Row, page

CASEWORK = ("caseworker", "team_lead")
CONSENT_READERS = (*CASEWORK, "dpo")


def _agency(ctx: Context) -> Agency:
    membership = ctx.user.primary_membership() if ctx.user is not None else None
    if membership is not None:
        return membership.agency
    agency: Agency = ctx.fixture("agencies").kim
    return agency


def _person(ctx: Context) -> Person:
    cached: Person | None = getattr(ctx, "_consent_person", None)
    if cached is None:
        cached = PersonFactory.create(owner_agency=_agency(ctx))
        ctx._consent_person = cached  # type: ignore[attr-defined]
    return cached


def _public_id(ctx: Context) -> dict[str, Any]:
    return {"public_id": _person(ctx).public_id}


def _consent_id(ctx: Context) -> int:
    """A given consent recorded by anna (KIM) on a KIM person: KIM and the DPO see it."""
    anna: User = ctx.fixture("anna")
    membership: Membership | None = anna.primary_membership()
    assert membership is not None
    agencies = ctx.fixture("agencies")
    person = PersonFactory.create(owner_agency=agencies.kim)
    consent = consent_record(
        subject=person,
        data=given_consent(
            recipient_agencies=[agencies.jobcenter],
            categories=[DataCategory.IDENTITY],
            purpose=ConsentPurpose.CASE_MANAGEMENT,
        ),
        membership=membership,
        actor=anna,
    )
    return consent.pk


def _scanned_consent_id(ctx: Context) -> int:
    """Like ``_consent_id``, with a scan of the signed form (stored in a temporary folder)."""
    ctx.fixture("settings").MEDIA_ROOT = ctx.fixture("tmp_path")
    consent = ConsentDeclaration.objects.get(pk=_consent_id(ctx))
    consent.signed_form.save("signed.pdf", ContentFile(b"%PDF-1.4\n%signed\n"))
    return consent.pk


def _basis(ctx: Context) -> dict[str, Any]:
    basis = LegalBasis.objects.create(
        from_kind=Agency.Kind.JOBCENTER,
        to_kind=Agency.Kind.INTEGRATION_OFFICE,
        categories=[DataCategory.WORK],
        citation="§ 50 SGB II",
    )
    return {"pk": basis.pk}


PAGES: dict[str, Row] = {
    "consent:register": page("consent:register", allowed=("dpo",)),
    "consent:detail": page(
        "consent:detail", allowed=CONSENT_READERS, kwargs=lambda ctx: {"pk": _consent_id(ctx)}
    ),
    "consent:withdraw": page(
        "consent:withdraw",
        method="POST",
        ok=302,
        allowed=CASEWORK,
        kwargs=lambda ctx: {"pk": _consent_id(ctx)},
        data=lambda ctx: {"reason": "The family asked for it."},
    ),
    "consent:print_form": page(
        "consent:print_form",
        allowed=CASEWORK,
        kwargs=lambda ctx: {"pk": _consent_id(ctx), "language": "ar"},
    ),
    # The scan: the recording agency's consent recorders (anna's KIM) and the DPO only.
    "consent:signed_form": page(
        "consent:signed_form",
        allowed=CONSENT_READERS,
        kwargs=lambda ctx: {"pk": _scanned_consent_id(ctx)},
    ),
    "consent:person_register": page("consent:person_register", allowed=CASEWORK, kwargs=_public_id),
    "consent:record": page("consent:record", allowed=CASEWORK, kwargs=_public_id),
    "consent:break_glass": page("consent:break_glass", allowed=("team_lead",), kwargs=_public_id),
    "consent:break_glass_review": page("consent:break_glass_review", allowed=("dpo",)),
    "consent:legal_bases": page("consent:legal_bases", allowed=CONSENT_READERS),
    "consent:legal_basis_create": page("consent:legal_basis_create", allowed=("dpo",)),
    "consent:legal_basis_edit": page("consent:legal_basis_edit", allowed=("dpo",), kwargs=_basis),
}
