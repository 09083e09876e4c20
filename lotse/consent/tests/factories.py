"""Consents for tests: given, as a family signs them, unless a test says otherwise."""

from __future__ import annotations

from typing import Any

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
