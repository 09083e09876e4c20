"""The coordinator's section of the start page: open structural findings (no person in it)."""

from __future__ import annotations

from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils.safestring import SafeString

from lotse.accounts.models import Membership
from lotse.accounts.roles import Capability

from .models import FindingStatus, StructuralFinding


def start_steering(*, request: HttpRequest, membership: Membership) -> SafeString | None:
    if not membership.can(Capability.VIEW_AGGREGATES):
        return None
    counts = {
        status: StructuralFinding.objects.filter(status=status).count()
        for status in (FindingStatus.OPEN, FindingStatus.TAKEN_UP)
    }
    return SafeString(
        render_to_string(
            "reports/_start_steering.html",
            {"open": counts[FindingStatus.OPEN], "taken_up": counts[FindingStatus.TAKEN_UP]},
            request=request,
        )
    )
