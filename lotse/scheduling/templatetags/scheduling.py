from __future__ import annotations

from datetime import date

from django import template
from django.template.loader import render_to_string
from django.utils.safestring import SafeString

register = template.Library()


@register.simple_tag
def due_badge(due_on: date, today: date) -> SafeString:
    """ "in 3 days", "today", "5 days overdue" as a badge; the colour follows the urgency."""
    days = (due_on - today).days
    return SafeString(
        render_to_string("scheduling/_due.html", {"days": days, "overdue": abs(days)})
    )
