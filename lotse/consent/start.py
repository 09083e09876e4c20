"""The data-protection officer's section of the start page: what waits for review."""

from __future__ import annotations

from datetime import timedelta

from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import SafeString

from lotse.accounts.models import Membership
from lotse.accounts.roles import Capability

from .models import BreakGlass, ConsentDeclaration

EXPIRING_DAYS = 30


def start_dpo(*, request: HttpRequest, membership: Membership) -> SafeString | None:
    """Counts only: the DPO's pages show the rest (and audit their reads)."""
    if not membership.can(Capability.REVIEW_BREAK_GLASS):
        return None
    today = timezone.localdate()
    pending = BreakGlass.objects.filter(review=BreakGlass.Review.PENDING).count()
    expiring = ConsentDeclaration.objects.filter(
        status=ConsentDeclaration.Status.GIVEN,
        valid_until__gte=today,
        valid_until__lte=today + timedelta(days=EXPIRING_DAYS),
    ).count()
    return SafeString(
        render_to_string(
            "consent/_start_dpo.html",
            {"pending": pending, "expiring": expiring, "days": EXPIRING_DAYS},
            request=request,
        )
    )
