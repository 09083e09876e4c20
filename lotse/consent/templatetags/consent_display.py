"""Template filters for consents: ``{{ consent.valid_until|consent_end }}``,
``{{ consent|consent_period }}``, and ``{% consent_gap_url gap "case_management" %}``, the
consent form filled in from a consent gap."""

from __future__ import annotations

from datetime import date
from typing import Any

from django import template

from lotse.consent import display
from lotse.consent.categories import DataCategory

register = template.Library()


@register.filter
def consent_end(day: date | None) -> str:
    return display.end_text(day)


@register.filter
def consent_period(consent: Any) -> str:
    return display.period_text(consent.valid_from, consent.valid_until)


@register.simple_tag
def consent_gap_url(gap: Any, purpose: str) -> str:
    """The consent form for a consent gap's person, filled in with its agency, information
    and ``purpose`` (the form checks each value again and leaves out what it does not offer)."""
    return display.gap_url(
        public_id=gap.person_public_id,
        agency_id=gap.agency.pk,
        category=_category_code(str(gap.category)),
        purpose=purpose,
    )


def _category_code(value: str) -> str:
    """A category's code, from its code or from its label in the active language (the case
    pages' gap rows carry the label they show)."""
    if value in DataCategory.values:
        return value
    return next((code for code, label in DataCategory.choices if str(label) == value), "")
