"""Retention: closed cases whose period of keeping has run out.

Social data are erased once they are no longer needed (§ 84 Abs. 2 SGB X, Art. 17 GDPR); the
city sets how many years a closed case file is kept (``LOTSE_RETENTION_YEARS``). The DPO sees
which cases are due and which agency leads them; the lead agency erases. What the DPO sees is
the case's frame — household Lotse ID, lead agency, closing day and reason — never its content
or the family's names (the DPO reads no case content).
"""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.db.models import QuerySet
from django.utils import timezone

from lotse.core.dates import years_before

from .models import Case, Phase


def retention_limit(today: date | None = None) -> date:
    """Cases closed on or before this day are due."""
    return years_before(today or timezone.localdate(), settings.RETENTION_YEARS)


def retention_due(today: date | None = None) -> QuerySet[Case]:
    return (
        Case.objects.filter(phase=Phase.CLOSED, closed_on__lte=retention_limit(today))
        .select_related("household", "lead_agency")
        .order_by("closed_on", "pk")
    )
