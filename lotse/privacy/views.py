"""The data-protection officer's audit pages: who saw or changed what, when, on which basis.

Only the DPO (``Capability.VIEW_AUDIT``) opens them, and they show no content: persons by
their Lotse ID, never a name. Reading the audit trail is itself recorded (``AUDIT_VIEWED``).
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet
from django.http import Http404, HttpRequest, StreamingHttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from lotse.accounts.access import current_user, membership_with
from lotse.accounts.models import Membership
from lotse.accounts.roles import Capability
from lotse.audit.models import AuditAction, AuditEvent
from lotse.audit.services import record
from lotse.core.forms import error_summary
from lotse.core.paging import Paging

from . import selectors
from .forms import AuditFilterForm

AUDIT_PAGE = 50
CSV_CHUNK = 2000


@dataclass(frozen=True)
class Basis:
    text: str
    url: str = ""


@dataclass(frozen=True)
class EventRow:
    event: AuditEvent
    action: str
    what: str
    bases: list[Basis]


_ACTIONS = dict(AuditAction.choices)


def _basis(code: str, legal: dict[int, Any]) -> Basis:
    kind, _sep, ident = code.partition(":")
    if not code:
        return Basis("—")
    if kind == "own_agency":
        return Basis(_("Own agency"))
    if kind == "consent" and ident.isdigit():
        return Basis(
            _("Consent no. %(number)s") % {"number": ident},
            reverse("consent:detail", kwargs={"pk": int(ident)}),
        )
    if kind == "legal_basis" and ident.isdigit():
        basis = legal.get(int(ident))
        citation = basis.citation if basis is not None else f"#{ident}"
        return Basis(_("Legal basis: %(citation)s") % {"citation": citation})
    if kind == "break_glass" and ident.isdigit():
        return Basis(
            _("Emergency access no. %(number)s") % {"number": ident},
            reverse("consent:break_glass_review"),
        )
    return Basis(code)


def _what(event: AuditEvent) -> str:
    """The target by kind and number, or for list reads how many items were shown."""
    if event.target_type:
        return f"{selectors.target_label(event.target_type)} #{event.target_id}"
    detail = event.detail or {}
    shown = detail.get("shown")
    if isinstance(shown, list):
        return _("list: %(shown)s of %(count)s shown") % {
            "shown": len(shown),
            "count": detail.get("count", len(shown)),
        }
    return ""


def _basis_codes(event: AuditEvent) -> list[str]:
    """The event's basis; a list read keeps the bases of what it showed in its detail."""
    if event.basis:
        return [event.basis]
    bases = (event.detail or {}).get("bases")
    return [str(code) for code in bases if code] if isinstance(bases, list) else []


def _legal_ids(events: list[AuditEvent]) -> set[int]:
    ids = set()
    for event in events:
        for code in _basis_codes(event):
            kind, _sep, ident = code.partition(":")
            if kind == "legal_basis" and ident.isdigit():
                ids.add(int(ident))
    return ids


def _rows(events: list[AuditEvent]) -> list[EventRow]:
    legal = selectors.legal_bases_by_id(_legal_ids(events))
    return [
        EventRow(
            event=event,
            action=str(_ACTIONS.get(event.action, event.action)),
            what=_what(event),
            bases=[_basis(code, legal) for code in _basis_codes(event)],
        )
        for event in events
    ]


def _viewed(
    request: HttpRequest, membership: Membership, *, subject_id: int | None, **detail: Any
) -> None:
    record(
        action=AuditAction.AUDIT_VIEWED,
        actor=current_user(request),
        agency=membership.agency,
        subject_id=subject_id,
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
    paging = Paging.of(request, total=events.count(), per_page=AUDIT_PAGE)
    page = list(events[paging.offset : paging.end])
    _viewed(request, membership, subject_id=subject_id, filters=used, count=paging.total)
    return render(
        request,
        "privacy/audit.html",
        {
            "form": form,
            "rows": _rows(page),
            "paging": paging,
            "query": params.urlencode(),
            "searched": filters is not None,
            "summary": error_summary(form),
            "unusual": list(selectors.unusual_activity()),
        },
    )


@require_GET
def person_access(request: HttpRequest, public_id: str) -> HttpResponseBase:
    """For one person: every recorded access and change, by whom, when and on which basis."""
    membership = membership_with(request, Capability.VIEW_AUDIT)
    # Without the content policy: the DPO sees no content, only that the Lotse ID exists.
    ref = selectors.person_ref(public_id)
    if ref is None:
        raise Http404
    events = selectors.audit_events(filters=selectors.AuditFilter(subject_id=ref.pk))
    if request.GET.get("format") == "csv":
        _viewed(request, membership, subject_id=ref.pk, format="csv")
        return _csv_response(events, f"access-{ref.public_id}")
    paging = Paging.of(request, total=events.count(), per_page=AUDIT_PAGE)
    page = list(events[paging.offset : paging.end])
    _viewed(request, membership, subject_id=ref.pk, count=paging.total)
    return render(
        request,
        "privacy/person_access.html",
        {"person": ref, "rows": _rows(page), "paging": paging, "query": ""},
    )
