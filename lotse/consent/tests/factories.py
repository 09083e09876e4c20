"""Consents for tests: given, as a family signs them, unless a test says otherwise."""

from __future__ import annotations

from typing import Any

from lotse.consent import services
from lotse.consent.models import ConsentDeclaration
from lotse.consent.services import ConsentData

SIGNED_ON_PAPER = "Signed on paper; the scan follows."


def given_consent(**values: Any) -> ConsentData:
    """``ConsentData`` for a consent the family has signed (status given, with the reason
    why no scan is attached), the way most tests need one."""
    values.setdefault("status", ConsentDeclaration.Status.GIVEN)
    if values["status"] == ConsentDeclaration.Status.GIVEN:
        values.setdefault("no_scan_reason", SIGNED_ON_PAPER)
    return ConsentData(**values)


def record_directly(
    *,
    subject: Any,
    recorded_by: Any,
    recording_agency: Any,
    disclosing: list[Any],
    recipients: list[Any],
    categories: list[str],
    purpose: str = "case_management",
    **values: Any,
) -> ConsentDeclaration:
    """A given declaration written straight to the tables, with its grants as the services
    build them — for scenery that the rules would not let the acting test user record (an
    agency's consent about a person it cannot see)."""
    declaration = ConsentDeclaration.objects.create(
        subject=subject,
        recorded_by=recorded_by,
        recording_agency=recording_agency,
        categories=sorted(categories),
        purpose=purpose,
        status=ConsentDeclaration.Status.GIVEN,
        no_scan_reason=SIGNED_ON_PAPER,
        **values,
    )
    declaration.disclosing_agencies.set(disclosing)
    declaration.recipient_agencies.set(recipients)
    services._rebuild_grants(declaration)
    return declaration
