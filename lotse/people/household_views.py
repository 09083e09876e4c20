"""The household page and what the registering agency does with it: add a member, record that
a member moved out, change the address.

Every agency that sees a member sees the household (``access.households_visible_to``), named
by the members it may see; only the registering agency changes it — for everyone else the
action pages answer 404 like a missing household. Each change is audited by its service and
checked against the version the form was opened on: a stale save is refused and nothing is
written.
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from lotse.accounts.access import current_user, membership_with
from lotse.accounts.models import Membership
from lotse.accounts.roles import Capability
from lotse.audit.models import AuditAction
from lotse.consent import policy
from lotse.consent.reads import audited_read
from lotse.core.forms import apply_service_errors, error_summary
from lotse.core.models import StaleEditError

from . import access, selectors, services
from .display import household_address, household_title
from .forms import (
    LEAVE_OUT,
    HouseholdAddressForm,
    HouseholdVersionForm,
    MemberForm,
    MoveOutForm,
    household_member_form,
)
from .models import Household, HouseholdMember, Person
from .panels import household_panels, panel_reads
from .register_views import (
    check_duplicates,
    member_data,
    refresh_duplicate_panels,
    resolve_existing,
)


@dataclass(frozen=True)
class HouseholdWhy:
    """The "Why do I see this?" line of a household (a container, not a compartmented item)."""

    what: str
    agency: str
    own: bool
    text: str


def _basis(
    membership: Membership, household: Household, members: list[HouseholdMember]
) -> policy.Decision:
    if household.owner_agency_id == membership.agency_id:
        return policy.Decision(True, policy.Basis.OWN_AGENCY, _("Registered by your agency."))
    for member in members:
        decision = policy.explain(membership, member.person)
        if decision.allowed:
            return decision
    return policy.Decision(False, "", _("No basis for access."))


def _household(membership: Membership, public_id: str) -> Household:
    return selectors.household_get(membership=membership, public_id=public_id)


def _own_household(membership: Membership, public_id: str) -> Household:
    """The household, for the agency that registered it; 404 for anyone else."""
    household = _household(membership, public_id)
    if not access.may_edit_household(membership, household):
        raise Http404
    return household


def _members(household: Household) -> list[HouseholdMember]:
    members: list[HouseholdMember] = household.visible_members  # type: ignore[attr-defined]
    return members


def _heading(household: Household) -> dict[str, Any]:
    return {
        "household": household,
        "title": household_title(household, _members(household)),
        "address": household_address(household),
    }


def _viewed(
    request: HttpRequest, membership: Membership, household: Household, **detail: Any
) -> None:
    audited_read(
        membership=membership,
        actor=current_user(request),
        action=AuditAction.HOUSEHOLD_VIEWED,
        target=household,
        items=[],
        subjects=[member.person_id for member in _members(household)],
        basis=_basis(membership, household, _members(household)).basis,
        **detail,
    )


def _stale(request: HttpRequest) -> None:
    messages.error(
        request,
        _(
            "Someone else changed this household while you were working on it. Nothing was "
            "saved: check the household as it is now and try again."
        ),
    )


def _on_current_version(request: HttpRequest, household: Household) -> Any:
    """The entry as posted, on the household's current version: saving it again after a
    refused stale save is a knowing decision."""
    data = request.POST.copy()
    data["version"] = str(household.version)
    return data


# --- the page ------------------------------------------------------------------------------------


@require_GET
def household_detail(request: HttpRequest, public_id: str) -> HttpResponse:
    membership = membership_with(request, Capability.READ_CASE_CONTENT)
    household = _household(membership, public_id)
    members = _members(household)
    decision = _basis(membership, household, members)
    departures = selectors.household_departures(membership=membership, household=household)
    panels = household_panels(request=request, membership=membership, household=household)
    shown = panel_reads(membership, panels)
    audited_read(
        membership=membership,
        actor=current_user(request),
        action=AuditAction.HOUSEHOLD_VIEWED,
        target=household,
        items=shown.items,
        decisions=shown.decisions,
        basis=decision.basis,
        subjects=[member.person_id for member in members]
        + [departure.person_id for departure in departures]
        + shown.subjects,
        members=len(members),
        **shown.detail,
    )
    own = household.owner_agency_id == membership.agency_id
    return render(
        request,
        "people/household_detail.html",
        {
            **_heading(household),
            "members": members,
            "others_hidden": selectors.household_has_hidden_members(
                membership=membership, household=household
            ),
            "departures": departures,
            "may_edit": access.may_edit_household(membership, household),
            "explanations": [
                HouseholdWhy(_("Household"), household.owner_agency.name, own, decision.explanation)
            ],
            "household_panels": [panel.render(request) for panel in panels],
        },
    )


# --- change the address --------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def household_address_edit(request: HttpRequest, public_id: str) -> HttpResponse:
    membership = membership_with(request, Capability.REGISTER_PERSONS)
    household = _own_household(membership, public_id)
    status = 200
    if request.method == "POST":
        form = HouseholdAddressForm(request.POST)
        if form.is_valid():
            try:
                changed = services.household_address_change(
                    household=household,
                    expected_version=form.cleaned_data["version"],
                    data=form.data_for_service(),
                    membership=membership,
                    actor=current_user(request),
                )
            except StaleEditError:
                _stale(request)
                household = _own_household(membership, public_id)
                form = HouseholdAddressForm(_on_current_version(request, household))
                form.is_valid()
                status = 409
            except ValidationError as error:
                household = _own_household(membership, public_id)
                apply_service_errors(form, error)
            else:
                if changed:
                    messages.success(request, _("The new address has been saved."))
                else:
                    messages.info(request, _("Nothing was changed."))
                return redirect("people:household_detail", public_id=household.public_id)
    else:
        form = HouseholdAddressForm(initial=HouseholdAddressForm.initial_for(household))
    _viewed(request, membership, household, section="address")
    return render(
        request,
        "people/household_address.html",
        {
            **_heading(household),
            "current": household_address(household),
            "form": form,
            "summary": error_summary(form),
        },
        status=status,
    )


# --- a member moves out --------------------------------------------------------------------------


def _visible_member(household: Household, person_id: str) -> HouseholdMember:
    for member in _members(household):
        if member.person.public_id == person_id:
            return member
    # Not a member, or one the reader may not see: the same answer.
    raise Http404


@require_http_methods(["GET", "POST"])
def household_move_out(request: HttpRequest, public_id: str, person_id: str) -> HttpResponse:
    membership = membership_with(request, Capability.REGISTER_PERSONS)
    household = _own_household(membership, public_id)
    member = _visible_member(household, person_id)
    status = 200
    if request.method == "POST":
        form = MoveOutForm(request.POST)
        if form.is_valid():
            try:
                services.household_member_move_out(
                    household=household,
                    expected_version=form.cleaned_data["version"],
                    person=member.person,
                    moved_out_on=form.cleaned_data["moved_out_on"],
                    membership=membership,
                    actor=current_user(request),
                )
            except StaleEditError:
                _stale(request)
                household = _own_household(membership, public_id)
                member = _visible_member(household, person_id)
                form = MoveOutForm(_on_current_version(request, household))
                form.is_valid()
                status = 409
            except ValidationError as error:
                apply_service_errors(form, error)
            else:
                messages.success(
                    request,
                    _("%(name)s no longer lives in this household.")
                    % {"name": member.person.full_name},
                )
                return redirect("people:household_detail", public_id=household.public_id)
    else:
        form = MoveOutForm(
            initial={"moved_out_on": timezone.localdate(), "version": household.version}
        )
    _viewed(request, membership, household, section="move_out")
    return render(
        request,
        "people/household_move_out.html",
        {**_heading(household), "member": member, "form": form, "summary": error_summary(form)},
        status=status,
    )


# --- a member joins --------------------------------------------------------------------------


def _add(
    request: HttpRequest,
    membership: Membership,
    household: Household,
    row: MemberForm,
    version: int,
) -> HttpResponse | None:
    """Save the row as a new member, or put the refusal on it (None)."""
    chosen = resolve_existing([row], membership)
    if not row.errors:
        check_duplicates(request, [row], chosen, membership)
    if row.errors:
        return None
    if row.elsewhere_choice() == LEAVE_OUT:
        messages.info(request, _("Nothing was changed: the person was left out."))
        return redirect("people:household_detail", public_id=household.public_id)
    person: Person | None = chosen.get(0)
    try:
        added = services.household_member_add(
            household=household,
            expected_version=version,
            member=member_data(row, person),
            membership=membership,
            actor=current_user(request),
        )
    except ValidationError as error:
        apply_service_errors(row, error)
        return None
    messages.success(
        request,
        _("%(name)s now lives in this household.") % {"name": added.person.full_name},
    )
    return redirect("people:household_detail", public_id=household.public_id)


@require_http_methods(["GET", "POST"])
def household_member_add(request: HttpRequest, public_id: str) -> HttpResponse:
    membership = membership_with(request, Capability.REGISTER_PERSONS)
    household = _own_household(membership, public_id)
    status = 200
    chosen: dict[str, Person] = {}
    if request.method == "POST":
        version_form = HouseholdVersionForm(request.POST)
        row = household_member_form(request.POST)
        if version_form.is_valid() and row.is_valid():
            try:
                response = _add(
                    request, membership, household, row, version_form.cleaned_data["version"]
                )
            except StaleEditError:
                _stale(request)
                status = 409
                response = None
            if response is not None:
                return response
            # Shown again on the household as it is now (its version and its members).
            household = _own_household(membership, public_id)
            version_form = HouseholdVersionForm(_on_current_version(request, household))
        existing = row.existing_choice()
        if existing:
            # An unknown ID is named on the row already (resolve_existing).
            with contextlib.suppress(Http404):
                chosen[existing] = selectors.person_get(membership=membership, public_id=existing)
        refresh_duplicate_panels(request, [row], membership, chosen)
    else:
        version_form = HouseholdVersionForm(initial={"version": household.version})
        row = household_member_form()
    _viewed(request, membership, household, section="add_member")
    return render(
        request,
        "people/household_member_add.html",
        {
            **_heading(household),
            "members": _members(household),
            "version_form": version_form,
            "form": row,
            "summary": error_summary(row),
        },
        status=status,
    )
