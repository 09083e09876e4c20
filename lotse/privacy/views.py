"""The data-protection officer's audit pages: who saw or changed what, when, on which basis.

Only the DPO (``Capability.VIEW_AUDIT``) opens them, and they show no content: persons by
their Lotse ID, and by name only where the DPO keeps their consent or emergency access
(``consent.selectors.subject_names``). Reading the audit trail is itself recorded
(``AUDIT_VIEWED``, with the persons whose names it showed).
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, StreamingHttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from lotse.accounts.access import current_user, membership_with
from lotse.accounts.models import Membership
from lotse.accounts.roles import Capability
from lotse.audit.models import AuditAction, AuditEvent
from lotse.audit.services import record
from lotse.consent import display, trail
from lotse.consent import selectors as consent_selectors
from lotse.core.forms import error_summary

from . import selectors
from .forms import AuditFilterForm

AUDIT_PAGE = 50
CSV_CHUNK = 2000


def _viewed(
    request: HttpRequest,
    membership: Membership,
    *,
    subject_id: int | None,
    subject_ids: set[int] | None = None,
    **detail: Any,
) -> None:
    """Reading the trail is recorded, with the persons whose names it showed."""
    record(
        action=AuditAction.AUDIT_VIEWED,
        actor=current_user(request),
        agency=membership.agency,
        subject_id=subject_id,
        subject_ids=subject_ids or (),
        detail=detail,
    )


# --- CSV -----------------------------------------------------------------------------------------


class _Echo:
    def write(self, value: str) -> str:
        return value


def _csv_lines(events: QuerySet[AuditEvent]) -> Iterator[str]:
    writer = csv.writer(_Echo())
    yield writer.writerow(
        ["time", "user", "agency", "action", "target_type", "target_id", "person", "basis"]
    )
    for event in events.iterator(chunk_size=CSV_CHUNK):
        yield writer.writerow(
            [
                timezone.localtime(event.occurred_at).isoformat(),
                event.actor.get_username() if event.actor else "",
                event.agency.code if event.agency else "",
                event.action,
                event.target_type,
                event.target_id,
                getattr(event, "subject_public_id", "") or "",
                event.basis,
            ]
        )


def _csv_response(events: QuerySet[AuditEvent], name: str) -> StreamingHttpResponse:
    # Streamed: a long period must not be held in memory.
    response = StreamingHttpResponse(_csv_lines(events), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}.csv"'
    return response


# --- pages ---------------------------------------------------------------------------------------


def _filters(form: AuditFilterForm) -> selectors.AuditFilter | None:
    """The filters, or None when a field is wrong (each error is put on its field)."""
    if not form.is_bound:
        return selectors.AuditFilter()
    form.is_valid()
    data = form.cleaned_data
    subject_id = actor_id = None
    if data.get("person", "").strip():
        ref = selectors.person_ref(data["person"])
        if ref is None:
            form.add_error("person", _("No person with this Lotse ID."))
        else:
            subject_id = ref.pk
    if data.get("user", "").strip():
        actor_id = selectors.user_id_for(data["user"])
        if actor_id is None:
            form.add_error("user", _("No user with this name."))
    if form.errors:
        return None
    return selectors.AuditFilter(
        subject_id=subject_id,
        actor_id=actor_id,
        agency=data["agency"],
        since=data["since"],
        until=data["until"],
        action=data.get("action") or "",
    )


def _page(request: HttpRequest, events: QuerySet[AuditEvent]) -> tuple[Page[AuditEvent], list[Any]]:
    """The page asked for (the last one beyond the end) and the numbers to link to."""
    paginator = Paginator(events, AUDIT_PAGE)
    page = paginator.get_page(request.GET.get("page"))
    links = list(paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1))
    return page, links


@require_GET
def audit(request: HttpRequest) -> HttpResponseBase:
    membership = membership_with(request, Capability.VIEW_AUDIT)
    params = request.GET.copy()
    wants_csv = params.pop("format", [""])[-1] == "csv"
    params.pop("page", None)
    form = AuditFilterForm(params or None)
    filters = _filters(form)
    events = (
        selectors.audit_events(filters=filters)
        if filters is not None
        else AuditEvent.objects.none()
    )
    used = sorted(name for name, value in params.items() if value)
    subject_id = filters.subject_id if filters is not None else None
    if wants_csv and filters is not None:
        _viewed(request, membership, subject_id=subject_id, filters=used, format="csv")
        return _csv_response(events, "audit")
    page, links = _page(request, events)
    rows = trail.event_rows(list(page.object_list), membership=membership)
    _viewed(
        request,
        membership,
        subject_id=subject_id,
        subject_ids=trail.named_subjects(rows),
        filters=used,
        count=page.paginator.count,
    )
    return render(
        request,
        "privacy/audit.html",
        {
            "form": form,
            "rows": rows,
            "page_obj": page,
            "page_links": links,
            "query": params.urlencode(),
            "searched": filters is not None,
            "summary": error_summary(form),
            "unusual": [
                {"event": event, "who": display.staff_name(event.actor)}
                for event in selectors.unusual_activity()
            ],
        },
    )


@require_GET
def person_access(request: HttpRequest, public_id: str) -> HttpResponseBase:
    """For one person: every recorded access and change, by whom, when and on which basis."""
    membership = membership_with(request, Capability.VIEW_AUDIT)
    # Without the content policy: the DPO sees no content, only that the Lotse ID exists —
    # and the name where the DPO keeps the person's consent or emergency access.
    ref = selectors.person_ref(public_id)
    if ref is None:
        raise Http404
    events = selectors.audit_events(filters=selectors.AuditFilter(subject_id=ref.pk))
    if request.GET.get("format") == "csv":
        _viewed(request, membership, subject_id=ref.pk, format="csv")
        return _csv_response(events, f"access-{ref.public_id}")
    page, links = _page(request, events)
    rows = trail.event_rows(list(page.object_list), membership=membership)
    name = consent_selectors.subject_names(membership=membership, subject_ids=[ref.pk]).get(
        ref.pk, ""
    )
    _viewed(request, membership, subject_id=ref.pk, count=page.paginator.count)
    return render(
        request,
        "privacy/person_access.html",
        {
            "person": ref,
            "name": name,
            "rows": rows,
            "page_obj": page,
            "page_links": links,
            "query": "",
        },
    )
