"""Retention pages: the DPO's list of closed cases due for erasure, and the lead agency's own
list with the erasure of a case file (``erasure``).

The DPO sees the frame of each due case — household Lotse ID, lead agency, closing day — and
whether and when it was erased, never content or names; the DPO does not erase. The lead
agency's team lead (and the lead case manager, for the cases they lead) sees its own due
cases, named by the family names its basis lets it see, and erases them after a confirmation
step. Any other agency gets 404 for a case of another agency, as if it did not exist.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import CharField, DateTimeField, F, Value
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from lotse.accounts.access import current_user, membership_with
from lotse.accounts.models import Membership
from lotse.accounts.roles import Capability
from lotse.audit.models import AuditAction
from lotse.audit.services import record
from lotse.consent.reads import audited_read
from lotse.core.forms import KernForm, error_summary
from lotse.core.paging import Paging

from . import erasure, selectors
from .case_views import family_name
from .models import CaseErasure, ClosureReason
from .retention import retention_due, retention_limit

PAGE_SIZE = 50


# --- the DPO: due cases, and which of them are erased --------------------------------------------


def _frame_rows(limit: Any) -> Any:
    """Due cases not yet erased and erasure records of due cases, as one list ordered by the
    closing day: (case id, household Lotse ID, lead agency, closing day, reason, erased at)."""
    names = ("row_case", "row_household", "row_agency", "row_closed", "row_reason", "row_erased")
    due = retention_due().annotate(
        row_case=F("pk"),
        row_household=F("household__public_id"),
        row_agency=F("lead_agency__name"),
        row_closed=F("closed_on"),
        row_reason=F("closure_reason"),
        row_erased=Value(None, output_field=DateTimeField()),
    )
    erased = CaseErasure.objects.filter(closed_on__lte=limit).annotate(
        row_case=F("case_id"),
        row_household=F("household_public_id"),
        row_agency=F("lead_agency__name"),
        row_closed=F("closed_on"),
        row_reason=Value("", output_field=CharField()),
        row_erased=F("erased_at"),
    )
    return (
        due.order_by()
        .values_list(*names)
        .union(erased.order_by().values_list(*names), all=True)
        .order_by("row_closed", "row_case")
    )


def _count_frame(limit: Any) -> int:
    return retention_due().count() + CaseErasure.objects.filter(closed_on__lte=limit).count()


def retention_list(request: HttpRequest) -> HttpResponse:
    membership = membership_with(request, Capability.VIEW_AUDIT)
    limit = retention_limit()
    paging = Paging.of(request, total=_count_frame(limit), per_page=PAGE_SIZE)
    reasons = dict(ClosureReason.choices)
    rows = [
        {
            "case": case_id,
            "household": household,
            "agency": agency,
            "closed_on": closed_on,
            "reason": reasons.get(reason, ""),
            "erased_at": erased_at,
        }
        for case_id, household, agency, closed_on, reason, erased_at in _frame_rows(limit)[
            paging.offset : paging.end
        ]
    ]
    # The frame of closed cases, not their content: one event naming the cases shown.
    record(
        action=AuditAction.RETENTION_LISTED,
        actor=current_user(request),
        agency=membership.agency,
        detail={"cases": [row["case"] for row in rows], "page": paging.number},
    )
    return render(
        request,
        "cases/retention.html",
        {"rows": rows, "paging": paging, "limit": limit, "years": settings.RETENTION_YEARS},
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


# --- the lead agency: its own due cases, and erasing one --------------------------------------


class EraseForm(KernForm):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    confirm = forms.BooleanField(
        label=gettext_lazy("I understand that the case file is erased for good."),
        error_messages={
            "required": gettext_lazy("Confirm that the case file is to be erased for good.")
        },
    )


class AutomaticForm(KernForm):
    on = forms.BooleanField(required=False)


def _member(request: HttpRequest) -> Membership:
    membership: Membership | None = getattr(request, "membership", None)
    if not erasure.may_see_erasure_list(membership):
        raise Http404
    assert membership is not None  # noqa: S101 - checked above
    return membership


@require_GET
def erasure_list(request: HttpRequest) -> HttpResponse:
    membership = _member(request)
    due = erasure.due_cases_of(membership)
    paging = Paging.of(request, total=due.count(), per_page=PAGE_SIZE)
    cases = list(due.select_related("household", "lead_user")[paging.offset : paging.end])
    members = selectors.visible_members(membership, [case.household_id for case in cases])
    rows = [
        {"case": case, "name": family_name(case.household, members[case.household_id])}
        for case in cases
    ]
    audited_read(
        membership=membership,
        actor=current_user(request),
        action=AuditAction.RETENTION_LISTED,
        subjects=[m.person_id for found in members.values() for m in found],
        section="erasure",
        cases=[case.pk for case in cases],
        page=paging.number,
    )
    team_lead = membership.can(Capability.ERASE_CASES)
    return render(
        request,
        "cases/erasure_list.html",
        {
            "rows": rows,
            "paging": paging,
            "limit": retention_limit(),
            "years": settings.RETENTION_YEARS,
            "team_lead": team_lead,
            "automatic": team_lead and erasure.automatic_erasure_on(membership.agency),
        },
    )


@require_http_methods(["GET", "POST"])
def erase(request: HttpRequest, pk: int) -> HttpResponse:
    membership = _member(request)
    case = erasure.require_erasable_case(membership, pk)
    form = EraseForm(request.POST or None, initial={"version": case.version})
    if request.method == "POST" and form.is_valid():
        try:
            erasure.erase_case(
                case=case,
                membership=membership,
                actor=current_user(request),
                expected_version=form.cleaned_data["version"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                _("The case file of household %(id)s has been erased.")
                % {"id": case.household.public_id},
            )
            return redirect("case:erasure")
    members = selectors.visible_members(membership, [case.household_id])[case.household_id]
    audited_read(
        membership=membership,
        actor=current_user(request),
        action=AuditAction.CASE_VIEWED,
        target=case,
        subjects=[m.person_id for m in members],
        basis="own_agency",
        section="erasure",
    )
    return render(
        request,
        "cases/erase_confirm.html",
        {
            "case": case,
            "name": family_name(case.household, members),
            "form": form,
            "summary": error_summary(form),
        },
        status=400 if form.is_bound else 200,
    )


@require_POST
def automatic_erasure(request: HttpRequest) -> HttpResponse:
    membership = membership_with(request, Capability.ERASE_CASES)
    form = AutomaticForm(request.POST)
    on = form.is_valid() and form.cleaned_data["on"]
    erasure.automatic_erasure_switch(membership=membership, actor=current_user(request), on=on)
    if on:
        messages.success(
            request,
            _("Automatic erasure is on: each night, due case files of your agency are erased."),
        )
    else:
        messages.success(request, _("Automatic erasure is off: your agency erases by hand."))
    return redirect("case:erasure")


def start_erasure(*, request: HttpRequest, membership: Membership) -> SafeString | None:
    """The lead agency's start page: how many of its closed cases the member may erase now.
    Shown to team leads always, to a lead case manager only while one of theirs is due."""
    if not erasure.may_see_erasure_list(membership):
        return None
    due = erasure.due_cases_of(membership).count()
    if not due and not membership.can(Capability.ERASE_CASES):
        return None
    return SafeString(
        render_to_string(
            "cases/_start_erasure.html",
            {"due": due, "years": settings.RETENTION_YEARS},
            request=request,
        )
    )
