"""Template filters for consents: ``{{ consent.valid_until|consent_end }}``,
``{{ consent|consent_period }}``."""

from __future__ import annotations

from datetime import date
from typing import Any

from django import template

from lotse.consent import display

register = template.Library()


@register.filter
def consent_end(day: date | None) -> str:
    return display.end_text(day)


@register.filter
def consent_period(consent: Any) -> str:
    return display.period_text(consent.valid_from, consent.valid_until)
