"""Pages of the people domain: search, registration, person and household pages.

Thin: capability first (``membership_with`` answers 404), then forms → services for writes
and selectors for reads, so a page shows exactly what the access scopes allow. Every page that
shows a person's data writes an audit event; writes are audited by the services.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Model
from django.http import Http404, HttpRequest, HttpResponse
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
from lotse.core.forms import apply_service_errors, error_summary, suppress_errors
from lotse.core.models import StaleEditError

from . import access, selectors, services
from .choices import BenefitRegime
from .duplicates import Candidate, DuplicateReport, ProspectivePerson
from .forms import (
    MEMBER_ROWS,
    BaseMemberFormSet,
    DuplicateProbeForm,
    HouseholdForm,
    MemberForm,
    MergeDecisionForm,
    MergeForm,
    PersonEditForm,
    ResidenceForm,
    apply_household_errors,
    member_formset,
    with_added_row,
)
from .models import DomainTransition, Household, HouseholdMember, Person
from .panels import Panel, household_panels, panel_reads, person_panels
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


@require_GET
def search(request: HttpRequest) -> HttpResponse:
    membership = membership_with(request, Capability.SEARCH_PERSONS)
    query = request.GET.get("q", "").strip()[:200]
    hits = selectors.person_search(membership=membership, query=query) if query else []
    if query:
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
        }
        for hit in hits
    ]
    return render(request, "people/search.html", {"query": query, "rows": rows})


# --- registration ------------------------------------------------------------------------------


def _resolve_existing(rows: list[MemberForm], membership: Membership) -> dict[int, Person]:
    """Rows where an existing person was chosen instead of registering a new one."""
    chosen: dict[int, Person] = {}
    for index, row in enumerate(rows):
        public_id = row.existing_choice()
        if not public_id:
            continue
        if row.cleaned_data.get("not_duplicate"):
            row.add_error(
                None,
                _("Either choose the existing person or tick “This is a different person”."),
            )
            continue
        try:
            chosen[index] = selectors.person_get(membership=membership, public_id=public_id)
        except Http404:
            # The same answer for "missing" and "not yours": IDs cannot be probed.
            row.add_error(None, _("No person with this ID is known to you."))
    return chosen


def _check_duplicates(
    request: HttpRequest,
    rows: list[MemberForm],
    chosen: dict[int, Person],
    membership: Membership,
) -> None:
    """Before saving: a likely or possible match in scope needs an explicit decision."""
    names = [f"{r.cleaned_data['given_names']} {r.cleaned_data['family_name']}" for r in rows]
    for index, row in enumerate(rows):
        if index in chosen:
            continue
        others = tuple(name for i, name in enumerate(names) if i != index)
        report = services.duplicate_check(
            membership=membership,
            actor=current_user(request),
            prospective=row.prospective(household_names=others),
        )
        row.duplicate_report = report
        if report.in_scope and not row.cleaned_data.get("not_duplicate"):
            row.add_error(
                None,
                _(
                    "A person like this is already registered. Choose the existing person, "
                    "or tick “This is a different person”."
                ),
            )


def _save_registration(
    request: HttpRequest,
    membership: Membership,
    household_form: HouseholdForm,
    formset: BaseMemberFormSet,
    rows: list[MemberForm],
    chosen: dict[int, Person],
) -> HttpResponse | None:
    actor = current_user(request)
    household = household_form.data_for_service()
    if len(rows) == 1 and not household_form.has_address:
        # One person without an address: a person of their own, not a household.
        if 0 in chosen:
            messages.info(request, _("Nothing new was registered: this is the existing person."))
            return redirect("people:person_detail", public_id=chosen[0].public_id)
        data = rows[0].person_data()
        data.district = household.district
        try:
            person = services.person_register(data=data, membership=membership, actor=actor)
        except ValidationError as error:
            apply_service_errors(rows[0], error)
            return None
        messages.success(request, _("%(name)s has been registered.") % {"name": person})
        return redirect("people:person_detail", public_id=person.public_id)
    members = [
        services.MemberData(
            person=None if index in chosen else row.person_data(),
            role=row.cleaned_data["role"],
            existing=chosen.get(index),
        )
        for index, row in enumerate(rows)
    ]
    try:
        created = services.household_register(
            household=household, members=members, membership=membership, actor=actor
        )
    except ValidationError as error:
        apply_household_errors(household_form, formset, rows, error)
        return None
    messages.success(
        request,
        _("The household with %(count)s members has been registered.") % {"count": len(rows)},
    )
    return redirect("people:household_detail", public_id=created.public_id)


def _refresh_duplicate_panels(
    request: HttpRequest, formset: BaseMemberFormSet, membership: Membership
) -> None:
    """Re-rendered rows keep their duplicate panel, as it was while typing."""
    for form in formset.forms:
        if form.duplicate_report is not None:
            continue
        probe = DuplicateProbeForm(data=form.data, prefix=form.prefix)
        probe.is_valid()
        prospective = probe.prospective()
        if prospective.given_names or prospective.family_name or prospective.native_name:
            form.duplicate_report = services.duplicate_check(
                membership=membership, actor=current_user(request), prospective=prospective
            )


@require_http_methods(["GET", "POST"])
def register(request: HttpRequest) -> HttpResponse:
    membership = membership_with(request, Capability.REGISTER_PERSONS)
    if request.method != "POST":
        household_form = HouseholdForm()
        formset = member_formset()
    elif "add_member" in request.POST:
        data = with_added_row(request.POST)
        household_form = HouseholdForm(data)
        formset = member_formset(data)
        suppress_errors(household_form, formset=formset)
        # The new row takes the focus, with or without htmx.
        formset.forms[-1].fields["role"].widget.attrs["autofocus"] = True
    else:
        household_form = HouseholdForm(request.POST)
        formset = member_formset(request.POST)
        if household_form.is_valid() and formset.is_valid():
            rows = formset.members()
            chosen = _resolve_existing(rows, membership)
            if not any(row.errors for row in rows):
                _check_duplicates(request, rows, chosen, membership)
            if not any(row.errors for row in rows):
                response = _save_registration(
                    request, membership, household_form, formset, rows, chosen
                )
                if response is not None:
                    return response
    if request.method == "POST":
        _refresh_duplicate_panels(request, formset, membership)
    return render(
        request,
        "people/register.html",
        {
            "household_form": household_form,
            "formset": formset,
            "summary": error_summary(household_form, formset=formset, rows=MEMBER_ROWS),
        },
    )


@require_POST
def duplicate_check(request: HttpRequest) -> HttpResponse:
    """The htmx partial beneath a member row, refreshed while the names are typed."""
    membership = membership_with(request, Capability.REGISTER_PERSONS)
    probe = DuplicateProbeForm.for_prefix(request.POST)
    report = DuplicateReport()
    prefix = ""
    chosen = ""
    not_duplicate = False
    if probe is not None:
        prefix = probe.prefix or ""
        probe.is_valid()  # half-typed input is fine: the check reads what is usable
        prospective = probe.prospective()
        chosen = str(request.POST.get(f"{prefix}-existing", "")).strip().upper()
        not_duplicate = bool(request.POST.get(f"{prefix}-not_duplicate"))
        if prospective.given_names or prospective.family_name or prospective.native_name:
            report = services.duplicate_check(
                membership=membership, actor=current_user(request), prospective=prospective
            )
    return render(
        request,
        "people/_duplicates.html",
        {
            "prefix": prefix,
            "report": report,
            "chosen": chosen,
            "not_duplicate": not_duplicate,
        },
    )


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


@dataclass(frozen=True)
class Explanation:
    what: str
    agency: str
    text: str


def _explanations(membership: Membership, person: Person, items: list[Any]) -> list[Explanation]:
    """Why the member sees the person and each kind of entry: one line per source."""
    identity = policy.explain(membership, person)
    lines = [Explanation(_("Identity"), person.owner_agency.name, identity.explanation)]
    seen: set[tuple[str, int]] = set()
    for item in items:
        key = (type(item)._meta.verbose_name_plural, item.owner_agency_id)
        if key in seen:
            continue
        seen.add(key)
        lines.append(
            Explanation(
                str(type(item)._meta.verbose_name_plural).capitalize(),
                item.owner_agency.name,
                policy.explain(membership, item).explanation,
            )
        )
    return lines


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


# --- the household page --------------------------------------------------------------------------


def _household_basis(
    membership: Membership, household: Household, members: list[HouseholdMember]
) -> policy.Decision:
    if household.owner_agency_id == membership.agency_id:
        return policy.Decision(
            True,
            policy.Basis.OWN_AGENCY,
            _("Registered by your agency (%(agency)s).") % {"agency": membership.agency.name},
        )
    for member in members:
        decision = policy.explain(membership, member.person)
        if decision.allowed:
            return decision
    return policy.Decision(False, "", _("No basis for access."))


@require_GET
def household_detail(request: HttpRequest, public_id: str) -> HttpResponse:
    membership = membership_with(request, Capability.READ_CASE_CONTENT)
    household = selectors.household_get(membership=membership, public_id=public_id)
    members: list[HouseholdMember] = household.visible_members  # type: ignore[attr-defined]
    decision = _household_basis(membership, household, members)
    panels = household_panels(request=request, membership=membership, household=household)
    shown = panel_reads(membership, panels)
    _viewed(
        request,
        membership,
        AuditAction.HOUSEHOLD_VIEWED,
        household,
        items=shown.items,
        decisions=shown.decisions,
        basis=decision.basis,
        subjects=[member.person_id for member in members] + shown.subjects,
        members=len(members),
        **shown.detail,
    )
    return render(
        request,
        "people/household_detail.html",
        {
            "household": household,
            "members": members,
            "explanations": [
                Explanation(_("Household"), household.owner_agency.name, decision.explanation)
            ],
            "household_panels": [panel.render(request) for panel in panels],
        },
    )
