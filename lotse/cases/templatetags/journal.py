"""The journal panel of the person page: ``{% person_journal request person %}``."""

from __future__ import annotations

from typing import Any

from django import template
from django.http import HttpRequest

from lotse.people.models import Person

from ..views import journal_preview

register = template.Library()


@register.inclusion_tag("cases/_journal_panel.html")
def person_journal(request: HttpRequest, person: Person) -> dict[str, Any]:
    """The latest entries the member may see, the link to all and the quick-entry link."""
    return journal_preview(request, person)
