"""The DPO's list of closed cases due for erasure."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.safestring import SafeString

from lotse.accounts.access import current_user, membership_with
from lotse.accounts.models import Membership
from lotse.accounts.roles import Capability
from lotse.audit.models import AuditAction
from lotse.audit.services import record
from lotse.core.paging import Paging

from .retention import retention_due, retention_limit

PAGE_SIZE = 50


def retention_list(request: HttpRequest) -> HttpResponse:
    membership = membership_with(request, Capability.VIEW_AUDIT)
    limit = retention_limit()
    due = retention_due()
    paging = Paging.of(request, total=due.count(), per_page=PAGE_SIZE)
    cases = list(due[paging.offset : paging.end])
    # The frame of closed cases, not their content: one event naming the cases shown.
    record(
        action=AuditAction.RETENTION_LISTED,
        actor=current_user(request),
        agency=membership.agency,
        detail={"cases": [case.pk for case in cases], "page": paging.number},
    )
    return render(
        request,
        "cases/retention.html",
        {"cases": cases, "paging": paging, "limit": limit, "years": settings.RETENTION_YEARS},
    )


def start_retention(*, request: HttpRequest, membership: Membership) -> SafeString | None:
    """The DPO's start page: how many closed cases are due for erasure (a count only)."""
    if not membership.can(Capability.VIEW_AUDIT):
        return None
    return SafeString(
        render_to_string(
            "cases/_start_retention.html",
            {"due": retention_due().count(), "years": settings.RETENTION_YEARS},
            request=request,
        )
    )
