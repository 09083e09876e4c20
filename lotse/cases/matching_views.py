"""Needs matching on a case: the offers for each assessed need, and "no suitable offer"."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from lotse.accounts.access import current_user, membership_with
from lotse.accounts.roles import Capability
from lotse.audit.models import AuditAction
from lotse.consent import policy
from lotse.consent.reads import audited_read

from . import selectors, services
from .case_views import family_name
from .matching import case_needs
from .models import Assessment


@require_GET
def case_matching(request: HttpRequest, pk: int) -> HttpResponse:
    membership = membership_with(request, Capability.READ_CASE_CONTENT)
    case = selectors.case_get(membership=membership, pk=pk)
    members = selectors.visible_members(membership, [case.household_id])[case.household_id]
    rows, read = case_needs(membership=membership, case=case, members=members)
    decisions = policy.explain_many(membership, read)
    audited_read(
        membership=membership,
        actor=current_user(request),
        action=AuditAction.NEEDS_MATCHED,
        target=case,
        items=read,
        decisions=decisions,
        subjects=[m.person_id for m in members],
        offers=sum(len(row.result.matches) for row in rows),
    )
    return render(
        request,
        "cases/matching.html",
        {
            "case": case,
            "name": family_name(case.household, members),
            "rows": rows,
            "may_write": membership.can(Capability.WRITE_CASE_CONTENT) and not case.is_closed,
        },
    )


@require_POST
def need_unmet(request: HttpRequest, pk: int) -> HttpResponse:
    membership = membership_with(request, Capability.WRITE_CASE_CONTENT)
    case = selectors.case_get(membership=membership, pk=pk)
    wanted = request.POST.get("assessment", "")
    assessment = (
        Assessment.objects.filter(
            policy.visible_q(membership, Assessment), case=case, pk=int(wanted)
        )
        .select_related("subject")
        .first()
        if wanted.isdigit()
        else None
    )
    if assessment is None:
        messages.error(request, _("Choose one of the needs shown."))
        return redirect("case:matching", pk=case.pk)
    try:
        services.need_mark_unmet(
            case=case,
            assessment=assessment,
            note=request.POST.get("note", ""),
            membership=membership,
            actor=current_user(request),
        )
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(
            request,
            _("Recorded: no suitable offer. The steering group sees it, without names."),
        )
    return redirect("case:matching", pk=case.pk)
