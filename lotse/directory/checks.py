"""``lotse check --deploy``: what the public directory needs to be lawful in production."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core import checks


def check_accessibility_feedback(**kwargs: Any) -> list[checks.CheckMessage]:
    """BITV 2.0 § 7: the accessibility statement needs its electronic feedback contact."""
    if getattr(settings, "ACCESSIBILITY_FEEDBACK_EMAIL", ""):
        return []
    return [
        checks.Warning(
            "The public directory's 'Report a barrier' form has no recipient.",
            hint="Set LOTSE_ACCESSIBILITY_FEEDBACK_EMAIL to the city's accessibility contact "
            "(BITV 2.0 § 7 requires an electronic feedback contact).",
            id="lotse.directory.W001",
        )
    ]
