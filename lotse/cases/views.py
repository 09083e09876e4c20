"""Pages of the journal: quick entry, a person's journal, one entry.

Thin: capability first (404 like a missing page), the form → ``journal_entry_create`` for
writes, the selectors (through ``consent.policy``) for reads. Every shared entry carries its
"Why do I see this?" basis; every read is audited with the bases it relied on.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from lotse.accounts.access import current_user, membership_with
from lotse.accounts.models import Agency, Membership
from lotse.accounts.roles import Capability
from lotse.audit.models import AuditAction
from lotse.consent import policy
from lotse.consent.forms import CATEGORY_HELP
from lotse.consent.reads import audited_denial, audited_read
from lotse.core.forms import apply_service_errors, error_summary, explained_choices
from lotse.core.paging import Paging
from lotse.people import access as people_access
from lotse.people.models import Person
from lotse.people.panels import Panel
from lotse.people.selectors import person_get

from . import selectors
from .forms import JournalEntryForm
from .models import JournalEntry
from .services import journal_entry_create

JOURNAL_PAGE = 25
PREVIEW_SIZE = 5


@dataclass(frozen=True)
class EntryRow:
    entry: JournalEntry
    #: Recorded by another agency: shown with its basis.
    shared: bool
    why: str
    basis: str


def entry_rows(
    membership: Membership,
    entries: list[JournalEntry],
    decisions: policy.Decisions | None = None,
) -> list[EntryRow]:
    """The entries with the reason each may be seen: a fixed number of queries per page."""
    if decisions is None:
        decisions = policy.explain_many(membership, entries)
    return [
        EntryRow(
            entry=entry,
            shared=entry.owner_agency_id != membership.agency_id,
            why=decisions.of(entry).explanation,
            basis=decisions.of(entry).basis,
        )
        for entry in entries
    ]


def audit_read(
    request: HttpRequest,
    membership: Membership,
    *,
    subject_id: int,
    rows: list[EntryRow],
    count: int,
) -> None:
    """Audit a read of journal entries through the one read path: ids and bases."""
    audited_read(
        membership=membership,
        actor=current_user(request),
        action=AuditAction.JOURNAL_ENTRY_VIEWED,
        items=[row.entry for row in rows],
        decisions=policy.Decisions(
            (policy.item_key(row.entry), policy.Decision(True, row.basis, row.why)) for row in rows
        ),
        subject=subject_id,
        count=count,
    )


def may_entrust(membership: Membership) -> bool:
    return membership.agency.kind == Agency.Kind.YOUTH_WELFARE_OFFICE


def _person(membership: Membership, public_id: str) -> Person:
    return person_get(membership=membership, public_id=public_id.strip().upper())


# --- quick entry -------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def entry_create(request: HttpRequest, public_id: str) -> HttpResponse:
    membership = membership_with(request, Capability.WRITE_CASE_CONTENT)
    person = _person(membership, public_id)
    form = JournalEntryForm(request.POST or None, may_entrust=may_entrust(membership))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            journal_entry_create(
                subject=person,
                kind=data["kind"],
                category=data["category"],
                text=data["text"],
                entrusted=bool(data.get("entrusted")),
                occurred_at=data["occurred_at"],
                membership=membership,
                actor=current_user(request),
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("The entry has been saved."))
            return redirect("cases:person_journal", public_id=person.public_id)
    # The form names the person: a read of identity.
    audited_read(
        membership=membership,
        actor=current_user(request),
        action=AuditAction.PERSON_VIEWED,
        target=person,
        section="journal_form",
    )
    return render(
        request,
        "cases/entry_form.html",
        {
            "person": person,
            "form": form,
            "categories": explained_choices(form["category"], CATEGORY_HELP),
            "summary": error_summary(form),
        },
    )


# --- reading -------------------------------------------------------------------------------------


@require_GET
def person_journal(request: HttpRequest, public_id: str) -> HttpResponse:
    membership = membership_with(request, Capability.READ_CASE_CONTENT)
    person = _person(membership, public_id)
    if person.merged_into_id and person.merged_into is not None:
        return redirect("cases:person_journal", public_id=person.merged_into.public_id)
    total = selectors.journal_entry_count(membership=membership, person_id=person.pk)
    paging = Paging.of(request, total=total, per_page=JOURNAL_PAGE)
    entries = list(
        selectors.journal_entry_list(membership=membership, person_id=person.pk)[
            paging.offset : paging.end
        ]
    )
    rows = entry_rows(membership, entries)
    audit_read(request, membership, subject_id=person.pk, rows=rows, count=total)
    return render(
        request,
        "cases/person_journal.html",
        {
            "person": person,
            "rows": rows,
            "paging": paging,
            "may_write": membership.can(Capability.WRITE_CASE_CONTENT),
        },
    )


@require_GET
def entry_detail(request: HttpRequest, pk: int) -> HttpResponse:
    membership = membership_with(request, Capability.READ_CASE_CONTENT)
    try:
        entry = selectors.journal_entry_get(membership=membership, entry_id=pk)
    except Http404:
        # Forbidden or missing: the caller learns nothing, the audit keeps the attempt.
        audited_denial(
            membership=membership,
            actor=current_user(request),
            target=selectors.journal_entry_ref(entry_id=pk),
        )
        raise
    decision = policy.explain(membership, entry)
    audited_read(
        membership=membership,
        actor=current_user(request),
        action=AuditAction.JOURNAL_ENTRY_VIEWED,
        target=entry,
        basis=decision.basis,
    )
    # The entry may be shared (e.g. youth welfare) while the person's identity is not.
    person_visible = people_access.person_visible(membership, entry.subject_id)
    return render(
        request,
        "cases/entry_detail.html",
        {
            "entry": entry,
            "row": EntryRow(
                entry,
                shared=entry.owner_agency_id != membership.agency_id,
                why=decision.explanation,
                basis=decision.basis,
            ),
            "person_visible": person_visible,
            "category_help": CATEGORY_HELP.get(entry.category, ""),
        },
    )


def journal_panel(*, request: HttpRequest, membership: Membership, person: Person) -> Panel | None:
    """The person page's journal section: the latest entries the member may see. The page
    records them in its one audit event."""
    if not membership.can(Capability.READ_CASE_CONTENT):
        return None
    entries = list(
        selectors.journal_entry_list(membership=membership, person_id=person.pk)[:PREVIEW_SIZE]
    )
    total = selectors.journal_entry_count(membership=membership, person_id=person.pk)
    decisions = policy.explain_many(membership, entries)
    return Panel(
        template="cases/_journal_panel.html",
        context={
            "person": person,
            "rows": entry_rows(membership, entries, decisions),
            "total": total,
            "may_write": membership.can(Capability.WRITE_CASE_CONTENT),
        },
        items=entries,
        decisions=decisions,
        detail={"journal_entries": total} if entries else {},
    )
