"""Registration pages: a person or a household with its members, and the duplicate check.

Each member row asks one question when persons like this are already known: which of them it
is, or a different person — with nothing chosen beforehand, so that the first save is the one
that counts. A chosen person who lives in another household is never silently a member of two:
the row asks whether she moves here, stays there as well, or is left out. The household page's
"add member" uses the same row (``member_rows``).
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from lotse.accounts.access import current_user, membership_with
from lotse.accounts.models import Membership
from lotse.accounts.roles import Capability
from lotse.core.forms import apply_service_errors, error_summary, suppress_errors

from . import selectors, services
from .display import DuplicatePanel, duplicate_panel
from .duplicates import DuplicateReport
from .forms import (
    LEAVE_OUT,
    MEMBER_ROWS,
    NEW_PERSON,
    BaseMemberFormSet,
    DuplicateProbeForm,
    HouseholdForm,
    MemberForm,
    apply_household_errors,
    member_formset,
    with_added_row,
)
from .models import Person

# --- the rows' decisions -------------------------------------------------------------------------


def resolve_existing(rows: list[MemberForm], membership: Membership) -> dict[int, Person]:
    """Rows where an existing person was chosen instead of registering a new one; a chosen
    person who lives elsewhere needs the answer what becomes of that household."""
    chosen: dict[int, Person] = {}
    for index, row in enumerate(rows):
        public_id = row.existing_choice()
        if not public_id:
            continue
        try:
            person = selectors.person_get(membership=membership, public_id=public_id)
        except Http404:
            # The same answer for "missing" and "not yours": IDs cannot be probed.
            row.add_error(None, _("No person with this ID is known to you."))
            continue
        chosen[index] = person
        lives_elsewhere = selectors.households_of(membership=membership, person_ids=[person.pk])
        if lives_elsewhere[person.pk] and not row.elsewhere_choice():
            row.add_error(
                None,
                _(
                    "%(name)s already lives in another household: choose whether the person "
                    "moves here, stays there as well, or is left out."
                )
                % {"name": person.full_name},
            )
    return chosen


def check_duplicates(
    request: HttpRequest,
    rows: list[MemberForm],
    chosen: dict[int, Person],
    membership: Membership,
) -> None:
    """Before saving: a likely or possible match in scope needs an answer."""
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
        row.duplicate_panel = _panel(membership, row, report)
        if report.in_scope and row.answer() != NEW_PERSON:
            row.add_error(
                None,
                _(
                    "A person like this is already registered: choose the existing person, "
                    "or “a different person”."
                ),
            )


def member_data(row: MemberForm, chosen: Person | None) -> services.MemberData:
    return services.MemberData(
        person=None if chosen is not None else row.person_data(),
        role=row.cleaned_data["role"],
        existing=chosen,
        elsewhere=row.elsewhere_choice() if chosen is not None else "",
    )


def _panel(
    membership: Membership, row: MemberForm, report: DuplicateReport, chosen: Person | None = None
) -> DuplicatePanel:
    prefix = row.prefix or ""
    return duplicate_panel(
        membership=membership,
        prefix=prefix,
        report=report,
        answer=row.answer(),
        elsewhere=_elsewhere_answers(row.data, prefix),
        chosen=chosen,
    )


def _elsewhere_answers(data: object, prefix: str) -> dict[str, str]:
    start = f"{prefix}-elsewhere-"
    items = data.items() if hasattr(data, "items") else []
    return {
        str(key).removeprefix(start): str(value)
        for key, value in items
        if str(key).startswith(start)
    }


def refresh_duplicate_panels(
    request: HttpRequest,
    forms: list[MemberForm],
    membership: Membership,
    chosen: dict[str, Person] | None = None,
) -> None:
    """Re-rendered rows keep their duplicate panel, as it was while typing."""
    for form in forms:
        if form.duplicate_panel is not None:
            continue
        probe = DuplicateProbeForm(data=form.data, prefix=form.prefix)
        person = (chosen or {}).get(form.existing_choice())
        form.duplicate_panel = _checked_panel(request, membership, form, probe, person)


def _checked_panel(
    request: HttpRequest,
    membership: Membership,
    row: MemberForm,
    probe: DuplicateProbeForm,
    chosen: Person | None = None,
) -> DuplicatePanel | None:
    """The row's panel from what is typed so far: checked once a name is there; without one,
    only the person already chosen (or nothing)."""
    probe.is_valid()  # half-typed input is fine: the check reads what is usable
    prospective = probe.prospective()
    if prospective.given_names or prospective.family_name or prospective.native_name:
        report = services.duplicate_check(
            membership=membership, actor=current_user(request), prospective=prospective
        )
        return _panel(membership, row, report, chosen)
    if chosen is not None:
        return _panel(membership, row, DuplicateReport(), chosen)
    return None


# --- the registration page -----------------------------------------------------------------------


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
    kept = [(index, row) for index, row in enumerate(rows) if row.elsewhere_choice() != LEAVE_OUT]
    if not kept:
        formset.non_form_errors().append(
            _("Nothing to register: every member was left out. Register at least one.")
        )
        return None
    if len(kept) == 1 and not household_form.has_address:
        index, row = kept[0]
        # One person without an address: a person of their own, not a household.
        if index in chosen:
            messages.info(request, _("Nothing new was registered: this is the existing person."))
            return redirect("people:person_detail", public_id=chosen[index].public_id)
        data = row.person_data()
        data.district = household.district
        try:
            person = services.person_register(data=data, membership=membership, actor=actor)
        except ValidationError as error:
            apply_service_errors(row, error)
            return None
        messages.success(request, _("%(name)s has been registered.") % {"name": person})
        return redirect("people:person_detail", public_id=person.public_id)
    members = [member_data(row, chosen.get(index)) for index, row in kept]
    try:
        created = services.household_register(
            household=household, members=members, membership=membership, actor=actor
        )
    except ValidationError as error:
        apply_household_errors(household_form, formset, [row for _index, row in kept], error)
        return None
    messages.success(
        request,
        _("The household with %(count)s members has been registered.") % {"count": len(kept)},
    )
    return redirect("people:household_detail", public_id=created.public_id)


@require_http_methods(["GET", "POST"])
def register(request: HttpRequest) -> HttpResponse:
    membership = membership_with(request, Capability.REGISTER_PERSONS)
    chosen: dict[int, Person] = {}
    rows: list[MemberForm] = []
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
            chosen = resolve_existing(rows, membership)
            if not any(row.errors for row in rows):
                check_duplicates(request, rows, chosen, membership)
            if not any(row.errors for row in rows):
                response = _save_registration(
                    request, membership, household_form, formset, rows, chosen
                )
                if response is not None:
                    return response
    if request.method == "POST":
        by_id = {person.public_id: person for person in chosen.values()}
        refresh_duplicate_panels(request, formset.forms, membership, by_id)
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
    panel = None
    if probe is not None:
        row = MemberForm(data=request.POST, prefix=probe.prefix)
        panel = _checked_panel(request, membership, row, probe)
    return render(request, "people/_duplicates.html", {"panel": panel})
