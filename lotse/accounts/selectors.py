from __future__ import annotations

from django.db.models import QuerySet

from .models import Agency


def agency_list() -> QuerySet[Agency]:
    """Active agencies: their names and kinds are not personal data and visible to every user."""
    return Agency.objects.filter(is_active=True).order_by("name")


def active_agencies_by_code(codes: set[str]) -> list[Agency]:
    return list(agency_list().filter(code__in=codes).order_by("code"))
