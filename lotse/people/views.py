"""Pages of the people domain: search, registration, person and household pages.

Thin: capability first (``membership_with`` answers 404), then forms → services for writes
and selectors for reads, so a page shows exactly what the access scopes allow. Every page that
shows a person's data writes an audit event; writes are audited by the services.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Model
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from lotse.accounts.access import current_user, membership_with
from lotse.accounts.models import Membership
from lotse.accounts.roles import Capability
from lotse.audit.models import AuditAction
from lotse.consent import policy
from lotse.consent.reads import audited_read
from lotse.consent.why import WhyLine, why_lines
from lotse.core.forms import apply_service_errors, error_summary
from lotse.core.models import StaleEditError

from . import access, selectors, services
from .choices import BenefitRegime
from .duplicates import Candidate, ProspectivePerson
from .forms import (
    MergeDecisionForm,
    MergeForm,
    PersonEditForm,
    ResidenceForm,
)
from .models import DomainTransition, Household, HouseholdMember, Person
from .panels import Panel, panel_reads, person_panels
from .search_forms import PersonSearchForm
from .validation import country_name, language_name

# --- helpers: the acting member's own records ----------------------------------------------------


def _viewed(
    request: HttpRequest,
    membership: Membership,
    action: str,
    target: Person | Household | None,
    *,
    items: Sequence[Model] | None = None,
    decisions: policy.Decisions | None = None,
    subjects: list[int] | None = None,
    basis: str | None = None,
    **detail: Any,
) -> None:
    """Audit a read through the one read path (``consent.reads``): the target, the persons a
    list showed, their bases. ``detail`` holds counts and section names, never content."""
    audited_read(
        membership=membership,
        actor=current_user(request),
        action=action,
        target=target,
        items=items or [],
        decisions=decisions,
        subjects=subjects or [],
        basis=basis,
        **detail,
    )


def _survivor_redirect(request: HttpRequest, person: Person) -> HttpResponse:
    assert person.merged_into is not None  # noqa: S101 - only called for merged records
    messages.info(
        request,
        _("Record %(merged)s has been merged into %(survivor)s; you see the combined record.")
        % {"merged": person.public_id, "survivor": person.merged_into.public_id},
    )
    return redirect("people:person_detail", public_id=person.merged_into.public_id)


# --- search ------------------------------------------------------------------------------------


SEARCH_HITS = 25


@require_GET
def search(request: HttpRequest) -> HttpResponse:
    membership = membership_with(request, Capability.SEARCH_PERSONS)
    form = PersonSearchForm(request.GET)
    query = form.query
    searched = bool(query) and not form.too_short
    hits = (
        selectors.person_search(
            membership=membership, query=query, limit=SEARCH_HITS, filters=form.filters()
        )
        if searched
        else []
    )
    if searched:
        # Never the query text: it is a name, and names are personal data.
        _viewed(
            request,
            membership,
            AuditAction.PERSON_SEARCHED,
            None,
            items=[hit.person for hit in hits],
        )
    rows = [
        {
            "person": hit.person,
            "nationalities": [country_name(code) for code in hit.person.nationalities],
            "reasons": hit.reasons,
        }
        for hit in hits
    ]
    context = {
        "form": form,
        "query": query,
        "searched": searched,
        "too_short": form.too_short,
        "rows": rows,
        # The count is of the hits shown: visible persons only, at most SEARCH_HITS.
        "capped": len(rows) == SEARCH_HITS,
    }
    return render(request, "people/search.html", context)


# --- registration: register_views.py ----------------------------------------------------------


# --- the person page ---------------------------------------------------------------------------

_REGIME_SHORT = {BenefitRegime.ASYLBLG: "AsylbLG", BenefitRegime.SGB_II: "SGB II"}


def _regime_office(regime: str) -> str:
    return {
        BenefitRegime.ASYLBLG: _("Sozialamt"),
        BenefitRegime.SGB_II: _("Jobcenter"),
    }.get(BenefitRegime(regime), str(BenefitRegime(regime).label))


def transition_text(transition: DomainTransition) -> str:
    return _(
        "Change of benefit law recognised: %(from)s → %(to)s — the %(from_office)s and the "
        "%(to_office)s should hand over."
    ) % {
        "from": _REGIME_SHORT.get(BenefitRegime(transition.from_regime), transition.from_regime),
        "to": _REGIME_SHORT.get(BenefitRegime(transition.to_regime), transition.to_regime),
        "from_office": _regime_office(transition.from_regime),
        "to_office": _regime_office(transition.to_regime),
    }


def _explanations(membership: Membership, person: Person, items: list[Any]) -> list[WhyLine]:
    """Why the member sees the person and each kind of entry: one line per source, with its
    consent or legal basis, purpose and information, and who else sees it (consent.why)."""
    entries: list[tuple[str, Model]] = [(_("Identity"), person)]
    seen: set[tuple[str, int]] = set()
    for item in items:
        key = (type(item)._meta.verbose_name_plural, item.owner_agency_id)
        if key in seen:
            continue
        seen.add(key)
        entries.append((str(type(item)._meta.verbose_name_plural).capitalize(), item))
    return why_lines(membership, entries)


def _merge_candidates(membership: Membership, person: Person) -> list[Candidate]:
    """Likely or possible duplicates of ``person`` that the member's agency registered too."""
    if person.owner_agency_id != membership.agency_id or not access.may_register(membership):
        return []
    prospective = _prospective(person)
    # Own-agency records only, named on the person page (audited with the page).
    report = selectors.duplicate_check(membership=membership, prospective=prospective)
    return [
        c
        for c in report.in_scope
        if c.person.pk != person.pk and c.person.owner_agency_id == membership.agency_id
    ]


def _prospective(person: Person) -> ProspectivePerson:
    return ProspectivePerson(
        given_names=person.given_names,
        family_name=person.family_name,
        aliases=tuple(str(a) for a in person.aliases),
        native_name=person.native_name,
        birth_date=person.birth_date,
        birth_date_precision=person.birth_date_precision,
        sex=person.sex,
        nationalities=tuple(str(c) for c in person.nationalities),
    )


def _candidate_label(candidate: Candidate) -> str:
    person = candidate.person
    born = date_format(person.birth_date) if person.birth_date else _("date of birth unknown")
    return f"{person.full_name} · {born} · {person.public_id}"


def _person_page(
    request: HttpRequest,
    membership: Membership,
    person: Person,
    *,
    merge_form: MergeForm | None = None,
    candidates: list[Candidate] | None = None,
    status: int = 200,
) -> HttpResponse:
    today = timezone.localdate()
    languages = list(
        access.languages_visible_to(membership)
        .filter(person=person)
        .select_related("owner_agency")
        .order_by("pk")
    )
    households = selectors.person_households(membership=membership, person=person)
    history = selectors.residence_history(membership=membership, person=person)
    transitions = [
        t
        for t in selectors.person_transitions(membership=membership, person=person)
        if t.state == DomainTransition.State.OPEN
    ]
    if candidates is None:
        candidates = _merge_candidates(membership, person)
    if merge_form is None and candidates:
        merge_form = MergeForm(
            candidates=[(c.person.public_id, _candidate_label(c)) for c in candidates]
        )
    decision = policy.explain(membership, person)
    may_edit = access.may_edit_person(membership, person)
    pending = selectors.pending_merges(membership=membership, person=person) if may_edit else []
    panels = [
        _consent_links(membership, person),
        *person_panels(request=request, membership=membership, person=person),
    ]
    shown = panel_reads(membership, [p for p in panels if p is not None])
    # One event for the page: the person, the records offered for a merge and pending ones,
    # and whatever the sections of other domains showed.
    _viewed(
        request,
        membership,
        AuditAction.PERSON_VIEWED,
        person,
        items=shown.items,
        decisions=shown.decisions,
        subjects=[c.person.pk for c in candidates]
        + [m.merged_id for m in pending]
        + shown.subjects,
        basis=decision.basis,
        households=len(households),
        **shown.detail,
    )
    context = {
        "person": person,
        "nationalities": [country_name(code) for code in person.nationalities],
        "languages": [{"item": item, "name": language_name(item.language)} for item in languages],
        "households": [{"household": h, "role": _role_of(h, person)} for h in households],
        "history": history,
        "expiry_days": (history.next_expiry - today).days if history.next_expiry else None,
        "transitions": [{"item": t, "text": transition_text(t)} for t in transitions],
        # Transitions follow from the statuses: their basis is the statuses' basis.
        "explanations": _explanations(membership, person, [*languages, *history.statuses]),
        "may_edit": may_edit,
        "may_add_status": access.may_register(membership),
        "merge_form": merge_form,
        "pending_merges": pending,
        "summary": error_summary(merge_form) if merge_form is not None else [],
        "person_panels": [panel.render(request) for panel in panels if panel is not None],
    }
    return render(request, "people/person_detail.html", context, status=status)


def _consent_links(membership: Membership, person: Person) -> Panel | None:
    """Links to the person's consents and to emergency access: no content of its own."""
    if not (membership.can(Capability.RECORD_CONSENT) or membership.can(Capability.BREAK_GLASS)):
        return None
    return Panel(
        template="consent/_person_consent.html",
        context={"membership": membership, "person": person},
    )


def _role_of(household: Household, person: Person) -> str:
    members: list[HouseholdMember] = household.visible_members  # type: ignore[attr-defined]
    for member in members:
        if member.person_id == person.pk:
            return member.get_role_display()
    return ""


@require_GET
def person_detail(request: HttpRequest, public_id: str) -> HttpResponse:
    membership = membership_with(request, Capability.READ_CASE_CONTENT)
    person = selectors.person_get(membership=membership, public_id=public_id)
    if person.merged_into_id:
        return _survivor_redirect(request, person)
    return _person_page(request, membership, person)


# --- edit with optimistic locking ----------------------------------------------------------------


def _display(form: PersonEditForm, name: str, value: Any) -> str:
    if value in (None, "", []):
        return "—"
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    if isinstance(value, date):
        return date_format(value)
    field = form.fields[name]
    choices = dict(getattr(field, "choices", []) or [])
    return str(choices.get(value, value))


@require_http_methods(["GET", "POST"])
def person_edit(request: HttpRequest, public_id: str) -> HttpResponse:
    membership = membership_with(request, Capability.REGISTER_PERSONS)
    person = selectors.own_person_get(membership=membership, public_id=public_id)
    if person.merged_into_id:
        return _survivor_redirect(request, person)
    conflict: list[dict[str, str]] = []
    status = 200
    if request.method == "POST":
        form = PersonEditForm(request.POST, initial=PersonEditForm.initial_for(person))
        if form.is_valid():
            changes = form.changes()
            if not changes and form.cleaned_data["version"] == person.version:
                messages.info(request, _("Nothing was changed."))
                return redirect("people:person_detail", public_id=person.public_id)
            try:
                services.person_update(
                    person=person,
                    expected_version=form.cleaned_data["version"],
                    changes=changes,
                    membership=membership,
                    actor=current_user(request),
                )
            except StaleEditError as stale:
                current = stale.current
                assert isinstance(current, Person)  # noqa: S101 - person_update saves persons
                yours = form.cleaned_data
                current_values = PersonEditForm.initial_for(current)
                conflict = [
                    {
                        "field": str(form.fields[name].label),
                        "current": _display(form, name, current_values[name]),
                        "yours": _display(form, name, yours.get(name)),
                    }
                    for name in stale.changed_fields
                    if name in form.fields
                ]
                # Re-based on the current version: saving again overwrites knowingly.
                data = request.POST.copy()
                data["version"] = str(current.version)
                form = PersonEditForm(data, initial=current_values)
                form.is_valid()
                status = 409
            except ValidationError as error:
                apply_service_errors(form, error)
            else:
                messages.success(request, _("The changes have been saved."))
                return redirect("people:person_detail", public_id=person.public_id)
    else:
        form = PersonEditForm(initial=PersonEditForm.initial_for(person))
    _viewed(request, membership, AuditAction.PERSON_VIEWED, person, section="edit")
    return render(
        request,
        "people/person_edit.html",
        {
            "person": person,
            "form": form,
            "conflict": conflict,
            "summary": error_summary(form),
        },
        status=status,
    )


# --- residence status ----------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def residence_add(request: HttpRequest, public_id: str) -> HttpResponse:
    membership = membership_with(request, Capability.REGISTER_PERSONS)
    person = selectors.person_get(membership=membership, public_id=public_id)
    if person.merged_into_id:
        return _survivor_redirect(request, person)
    if request.method == "POST":
        form = ResidenceForm(request.POST)
        if form.is_valid():
            try:
                outcome = services.residence_status_add(
                    person=person,
                    data=form.data_for_service(),
                    membership=membership,
                    actor=current_user(request),
                )
            except ValidationError as error:
                apply_service_errors(form, error)
            else:
                messages.success(request, _("The residence status has been recorded."))
                if outcome.transition is not None:
                    messages.warning(request, transition_text(outcome.transition))
                return redirect("people:person_detail", public_id=person.public_id)
    else:
        form = ResidenceForm()
    _viewed(request, membership, AuditAction.PERSON_VIEWED, person, section="residence_form")
    return render(
        request,
        "people/residence_form.html",
        {"person": person, "form": form, "summary": error_summary(form)},
    )


# --- merge ---------------------------------------------------------------------------------------


@require_POST
def merge(request: HttpRequest, public_id: str) -> HttpResponse:
    membership = membership_with(request, Capability.REGISTER_PERSONS)
    survivor = selectors.own_person_get(membership=membership, public_id=public_id)
    if survivor.merged_into_id:
        return _survivor_redirect(request, survivor)
    candidates = _merge_candidates(membership, survivor)
    form = MergeForm(
        request.POST, candidates=[(c.person.public_id, _candidate_label(c)) for c in candidates]
    )
    if form.is_valid():
        merged = selectors.own_person_get(
            membership=membership, public_id=form.cleaned_data["merged"]
        )
        try:
            services.person_merge_propose(
                survivor=survivor,
                merged=merged,
                reason=form.cleaned_data["reason"],
                membership=membership,
                actor=current_user(request),
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(
                request,
                _(
                    "Record %(merged)s is now shown as part of this person. Confirm the merge "
                    "to make it final, or revert it."
                )
                % {"merged": merged.public_id},
            )
            return redirect("people:person_detail", public_id=survivor.public_id)
    return _person_page(
        request, membership, survivor, merge_form=form, candidates=candidates, status=200
    )


@require_POST
def merge_decide(request: HttpRequest, pk: int) -> HttpResponse:
    membership = membership_with(request, Capability.REGISTER_PERSONS)
    merge_ = selectors.person_merge_get(membership=membership, pk=pk)
    form = MergeDecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose whether to confirm or to revert the merge."))
        return redirect("people:person_detail", public_id=merge_.survivor.public_id)
    decide = (
        services.person_merge_confirm
        if form.cleaned_data["decision"] == "confirm"
        else services.person_merge_revert
    )
    try:
        decide(merge=merge_, membership=membership, actor=current_user(request))
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        if form.cleaned_data["decision"] == "confirm":
            messages.success(request, _("The merge has been confirmed."))
        else:
            messages.success(
                request, _("The merge has been reverted; both records are separate again.")
            )
    return redirect("people:person_detail", public_id=merge_.survivor.public_id)


# --- the household page and its actions: household_views.py -----------------------------------
