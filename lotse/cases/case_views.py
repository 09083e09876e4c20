"""Pages of the family case: my families, the team view, opening a case, the case page and the
lead agency's steering (phase, participants, lead, assignments).

Thin: capability first (404 like a missing page), forms parse, services decide and write,
selectors read through the access scopes. Every page that shows a family is audited through
the one read path with the persons it named.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from lotse.accounts.access import current_user, membership_with
from lotse.accounts.models import Agency, Membership, User
from lotse.accounts.roles import Capability
from lotse.audit.models import AuditAction
from lotse.consent import policy
from lotse.consent.categories import DataCategory
from lotse.consent.reads import audited_read
from lotse.core.forms import apply_service_errors, error_summary
from lotse.core.paging import Paging
from lotse.people.models import Household, HouseholdMember
from lotse.people.selectors import household_get
from lotse.people.validation import language_name

from . import access, selectors, services
from .forms import (
    AssignForm,
    CaseOpenForm,
    FamilyFilterForm,
    LeadForm,
    ParticipantForm,
    TransitionForm,
    VersionForm,
)
from .models import (
    Case,
    CaseAssignment,
    CaseHandover,
    CaseParticipant,
    Goal,
    LifeDomain,
    Measure,
    Phase,
)
from .panels import case_panels
from .plan_pdf import TEXTS as PLAN_TEXTS

FAMILIES_PAGE = 25
TIMELINE_PREVIEW = 10


def family_name(household: Household, members: list[HouseholdMember]) -> str:
    """How caseworkers name a family: by the family names they may see, never by an id."""
    names = sorted({m.person.family_name for m in members if m.person.family_name})
    if names:
        return _("Family %(names)s") % {"names": " / ".join(names)}
    return _("Household %(id)s (no member visible to you)") % {"id": household.public_id}


def _attainment(plan: list[selectors.PlanGoal]) -> dict[str, Any]:
    """Goal attainment of the visible goals for the evaluation: how many rated at each value."""
    rated = [goal.first.attainment for goal in plan if goal.first.attainment is not None]
    return {
        "goals": len(plan),
        "rated": len(rated),
        "counts": [(value, label, rated.count(value)) for value, label in Goal.Attainment.choices],
        "mean": round(sum(rated) / len(rated), 1) if rated else None,
    }


def plan_languages() -> list[tuple[str, str]]:
    return [(code, texts.name) for code, texts in PLAN_TEXTS.items() if code != "de"]


def _visible_members(membership: Membership, household_id: int) -> list[HouseholdMember]:
    return selectors.visible_members(membership, [household_id])[household_id]


def _user(username: str | None) -> User | None:
    return User.objects.filter(username=username).first() if username else None


# --- lists --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class FamilyRow:
    case: Case
    name: str
    members: list[HouseholdMember]
    overdue: bool
    assignees: list[CaseAssignment]


def _family_rows(cases: list[Case], assignees: dict[int, list[Any]]) -> list[FamilyRow]:
    today = timezone.localdate()
    return [
        FamilyRow(
            case=case,
            name=family_name(case.household, case.visible_members),  # type: ignore[attr-defined]
            members=case.visible_members,  # type: ignore[attr-defined]
            overdue=bool(case.next_due and case.next_due < today),  # type: ignore[attr-defined]
            assignees=assignees.get(case.pk, []),
        )
        for case in cases
    ]


def _family_list(request: HttpRequest, membership: Membership, *, scope: str) -> dict[str, Any]:
    form = FamilyFilterForm(request.GET or None)
    filters = form.filters(scope=scope)
    cases = selectors.family_cases(membership=membership, filters=filters)
    paging = Paging.of(request, total=len(cases), per_page=FAMILIES_PAGE)
    page = selectors.with_visible_members(membership, list(cases[paging.offset : paging.end]))
    selectors.with_last_contact(membership, page)
    assignees = (
        selectors.team_assignments(membership=membership, cases=page) if scope == "team" else {}
    )
    rows = _family_rows(page, assignees)
    audited_read(
        membership=membership,
        actor=current_user(request),
        action=AuditAction.CASES_LISTED,
        subjects=[m.person_id for row in rows for m in row.members],
        scope=scope,
        count=paging.total,
        shown=[row.case.pk for row in rows],
    )
    query = urlencode({k: v for k, v in request.GET.items() if k != "page" and v})
    return {
        "form": form,
        "rows": rows,
        "paging": paging,
        "query": query,
        "scope": scope,
        "filtered": bool(query),
    }


@require_GET
def my_families(request: HttpRequest) -> HttpResponse:
    membership = membership_with(request, Capability.READ_CASE_CONTENT)
    context = _family_list(request, membership, scope="mine")
    return render(request, "cases/my_families.html", context)


@require_GET
def team_families(request: HttpRequest) -> HttpResponse:
    membership = membership_with(request, Capability.VIEW_TEAM_WORK)
    context = _family_list(request, membership, scope="team")
    return render(request, "cases/team_families.html", context)


# --- opening a case -----------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def case_open(request: HttpRequest, public_id: str) -> HttpResponse:
    membership = membership_with(request, Capability.WRITE_CASE_CONTENT)
    household = household_get(membership=membership, public_id=public_id)
    existing = selectors.household_case(membership=membership, household_id=household.pk)
    if existing is not None:
        return redirect("case:detail", pk=existing.pk)
    members = _visible_members(membership, household.pk)
    form = CaseOpenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            case = services.case_open_with_intake(
                household=household,
                membership=membership,
                actor=current_user(request),
                came_via=data["came_via"],
                referred_by=form.referring_agency(),
                interpreter_language=data.get("interpreter_language") or "",
                urgent=data.get("urgent") or "",
                urgent_category=data.get("urgent_category") or DataCategory.CASE_PLAN,
                subjects=[m.person for m in members],
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(
                request,
                _("The case is open. Add the agencies that work with the family."),
            )
            return redirect("case:detail", pk=case.pk)
    audited_read(
        membership=membership,
        actor=current_user(request),
        action=AuditAction.HOUSEHOLD_VIEWED,
        target=household,
        subjects=[m.person_id for m in members],
        section="case_open",
    )
    return render(
        request,
        "cases/case_open.html",
        {
            "household": household,
            "name": family_name(household, members),
            "form": form,
            "summary": error_summary(form),
        },
        status=400 if form.is_bound else 200,
    )


# --- the case page ------------------------------------------------------------------------------


@dataclass(frozen=True)
class GapRow:
    agency: Agency
    person_name: str
    person_public_id: str
    category: str
    reason: str
    explanation: str


def _gap_rows(gaps: list[services.CoverageGap], members: list[HouseholdMember]) -> list[GapRow]:
    by_id = {m.person_id: m.person for m in members}
    rows = []
    for gap in gaps:
        person = by_id.get(gap.subject_id)
        rows.append(
            GapRow(
                agency=gap.agency,
                person_name=person.full_name if person else _("a member not visible to you"),
                person_public_id=person.public_id if person else "",
                category=str(DataCategory(gap.category).label),
                reason=gap.reason,
                explanation=gap.explanation,
            )
        )
    return rows


def _case_page(
    request: HttpRequest,
    membership: Membership,
    case: Case,
    *,
    transition_form: TransitionForm | None = None,
    gaps: list[services.CoverageGap] | None = None,
    status: int = 200,
) -> HttpResponse:
    members = _visible_members(membership, case.household_id)
    leads = access.leads(membership, case)
    if leads and gaps is None:
        gaps = services.case_coverage_gaps(case)
    next_phases = sorted(services.TRANSITIONS[case.phase], key=Phase.values.index)
    if transition_form is None:
        transition_form = TransitionForm(initial={"version": case.version})
    assessments = selectors.case_assessments(membership=membership, case=case)
    grid, assessed = selectors.case_assessment_grid(members=members, assessments=assessments)
    plan, planned = selectors.case_plan(membership=membership, case=case)
    history = selectors.case_phase_history(case)
    conferences = selectors.case_conferences(case)
    timeline, recent = selectors.case_timeline(
        membership=membership,
        case=case,
        limit=TIMELINE_PREVIEW,
        loaded={
            "assessment": assessments,
            "goal": [row for row in planned if isinstance(row, Goal)],
            # all visible measures, also those whose goal the member may not see
            "measure": [row for row in planned if isinstance(row, Measure)],
            "phase": history,
            "conference": conferences,
        },
    )
    panels = case_panels(request=request, membership=membership, case=case)
    contacts = selectors.case_contacts(case)
    hints = selectors.handover_hints(membership, case, members, contacts) if leads else []
    shown = list(
        {
            policy.item_key(item): item
            for item in [
                *assessed,
                *planned,
                *recent,
                *(i for p in panels for i in p.items),
                *(hint.transition for hint in hints),
            ]
        }.values()
    )
    # One answer of the policy for everything the page shows, and one audit event naming it.
    decisions = policy.explain_many(membership, shown)
    for goal in plan:
        goal.why = decisions.of(goal.first).explanation
    audited_read(
        membership=membership,
        actor=current_user(request),
        action=AuditAction.CASE_VIEWED,
        target=case,
        items=shown,
        decisions=decisions,
        subjects=[m.person_id for m in members],
    )
    for conference in conferences:
        conference.attending_ids = {a.pk for a in conference.agencies.all()}  # type: ignore[attr-defined]
    # the contacts are the agencies taking part now
    takes_part = any(c.participant.agency_id == membership.agency_id for c in contacts)
    return render(
        request,
        "cases/case_detail.html",
        {
            "case": case,
            "name": family_name(case.household, members),
            "members": members,
            "contacts": contacts,
            "handover_hints": hints,
            # the hand-over form starts from the first hint's agency and reason
            "handover_hint": next((h for h in hints if h.to_agency is not None), None),
            "leads": leads,
            "gaps": _gap_rows(gaps or [], members) if leads else [],
            "next_phases": [(value, Phase(value).label) for value in next_phases],
            "transition_form": transition_form,
            "summary": error_summary(transition_form),
            "assignments": selectors.case_assignments(case=case, agency_id=membership.agency_id),
            "may_assign": membership.can(Capability.ASSIGN_CASES),
            "may_change_lead": leads
            and (
                case.lead_user_id == membership.user_id or membership.can(Capability.ASSIGN_CASES)
            ),
            "history": history,
            "grid": grid,
            "conferences": conferences,
            "handover": CaseHandover.objects.filter(case=case, state=CaseHandover.State.PROPOSED)
            .select_related("to_agency", "from_agency", "proposed_by")
            .first(),
            "attainment": _attainment(plan),
            "domains": LifeDomain.choices,
            "plan": plan,
            "timeline": timeline,
            "decisions": decisions,
            "case_panels": [panel.render(request) for panel in panels],
            "may_write": takes_part
            and membership.can(Capability.WRITE_CASE_CONTENT)
            and not case.is_closed,
            "own_agency_id": membership.agency_id,
            "family_languages": plan_languages(),
            "interpreter": language_name(case.interpreter_language)
            if case.interpreter_language
            else "",
        },
        status=status,
    )


@require_GET
def case_detail(request: HttpRequest, pk: int) -> HttpResponse:
    membership = membership_with(request, Capability.READ_CASE_CONTENT)
    case = selectors.case_get(membership=membership, pk=pk)
    return _case_page(request, membership, case)


@require_POST
def case_transition(request: HttpRequest, pk: int) -> HttpResponse:
    membership = membership_with(request, Capability.WRITE_CASE_CONTENT)
    case = selectors.case_get(membership=membership, pk=pk)
    if not access.leads(membership, case):
        raise Http404
    form = TransitionForm(request.POST)
    gaps = None
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.case_transition(
                case=case,
                phase=data["phase"],
                reason=data.get("reason") or "",
                note=data.get("note") or "",
                membership=membership,
                actor=current_user(request),
                expected_version=data["version"],
            )
        except services.CaseNotCovered as refused:
            gaps = refused.gaps
            apply_service_errors(form, refused)
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(
                request,
                _("The case is now in phase %(phase)s.") % {"phase": case.get_phase_display()},
            )
            return redirect("case:detail", pk=case.pk)
    case.refresh_from_db()
    return _case_page(request, membership, case, transition_form=form, gaps=gaps, status=400)


# --- steering: participants, lead, assignments ---------------------------------------------


def _lead_case(request: HttpRequest, pk: int) -> tuple[Membership, Case]:
    membership = membership_with(request, Capability.WRITE_CASE_CONTENT)
    case = selectors.case_get(membership=membership, pk=pk)
    if not access.leads(membership, case):
        raise Http404
    return membership, case


@require_http_methods(["GET", "POST"])
def participant_save(request: HttpRequest, pk: int) -> HttpResponse:
    membership, case = _lead_case(request, pk)
    initial: dict[str, Any] = {"version": case.version}
    code = request.GET.get("agency", "")
    if code:
        existing = (
            CaseParticipant.objects.filter(case=case, agency__code=code)
            .select_related("agency", "contact")
            .first()
        )
        if existing is not None:
            initial |= {
                "agency": existing.agency.code,
                "contact": existing.contact.username if existing.contact else "",
                "categories": existing.categories,
            }
    form = ParticipantForm(
        request.POST or None, initial=initial, lead_agency_id=case.lead_agency_id
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        agency = Agency.objects.filter(code=data["agency"]).first()
        try:
            if agency is None:
                raise ValidationError({"agency": _("Choose an agency.")})
            services.case_participant_save(
                case=case,
                agency=agency,
                contact=_user(data.get("contact")),
                categories=data["categories"],
                membership=membership,
                actor=current_user(request),
                expected_version=data["version"],
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(
                request, _("%(agency)s takes part in the case.") % {"agency": agency.name}
            )
            return redirect("case:detail", pk=case.pk)
    audited_read(
        membership=membership,
        actor=current_user(request),
        action=AuditAction.CASE_VIEWED,
        target=case,
        section="participants",
    )
    return render(
        request,
        "cases/participant_form.html",
        {
            "case": case,
            "name": family_name(case.household, _visible_members(membership, case.household_id)),
            "form": form,
            "summary": error_summary(form),
        },
        status=400 if form.is_bound else 200,
    )


@require_POST
def participant_leave(request: HttpRequest, pk: int, code: str) -> HttpResponse:
    membership, case = _lead_case(request, pk)
    agency = get_object_or_404(Agency, code=code)
    form = VersionForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError(_("Reload the page and try again."))
        services.case_participant_leave(
            case=case,
            agency=agency,
            membership=membership,
            actor=current_user(request),
            expected_version=form.cleaned_data["version"],
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request, _("%(agency)s no longer takes part in the case.") % {"agency": agency.name}
        )
    return redirect("case:detail", pk=case.pk)


@require_http_methods(["GET", "POST"])
def lead_change(request: HttpRequest, pk: int) -> HttpResponse:
    membership, case = _lead_case(request, pk)
    form = LeadForm(
        request.POST or None,
        initial={"version": case.version, "user": case.lead_user.username},
        agency_id=case.lead_agency_id,
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            new_lead = _user(data["user"])
            if new_lead is None:
                raise ValidationError({"user": _("Choose a caseworker.")})
            services.case_lead_user_change(
                case=case,
                user=new_lead,
                membership=membership,
                actor=current_user(request),
                expected_version=data["version"],
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("The lead case manager has been changed."))
            return redirect("case:detail", pk=case.pk)
    return render(
        request,
        "cases/lead_form.html",
        {
            "case": case,
            "name": family_name(case.household, _visible_members(membership, case.household_id)),
            "form": form,
            "summary": error_summary(form),
        },
        status=400 if form.is_bound else 200,
    )


@require_http_methods(["GET", "POST"])
def case_assign(request: HttpRequest, pk: int) -> HttpResponse:
    membership = membership_with(request, Capability.ASSIGN_CASES)
    case = selectors.case_get(membership=membership, pk=pk)
    form = AssignForm(request.POST or None, agency_id=membership.agency_id)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            assignee = _user(data["user"])
            if assignee is None:
                raise ValidationError({"user": _("Choose a caseworker.")})
            services.case_assign(
                case=case,
                user=assignee,
                kind=data["kind"],
                valid_from=data.get("valid_from"),
                valid_until=data.get("valid_until"),
                membership=membership,
                actor=current_user(request),
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(
                request, _("%(name)s is assigned to the case.") % {"name": str(assignee)}
            )
            return redirect("case:detail", pk=case.pk)
    return render(
        request,
        "cases/assign_form.html",
        {
            "case": case,
            "name": family_name(case.household, _visible_members(membership, case.household_id)),
            "form": form,
            "summary": error_summary(form),
        },
        status=400 if form.is_bound else 200,
    )


@require_POST
def assignment_end(request: HttpRequest, pk: int) -> HttpResponse:
    membership = membership_with(request, Capability.ASSIGN_CASES)
    assignment = (
        access.active_assignments()
        .filter(pk=pk, agency_id=membership.agency_id, case__in=access.cases_visible_to(membership))
        .select_related("case", "user")
        .first()
    )
    if assignment is None:
        raise Http404
    try:
        services.case_assignment_end(
            assignment=assignment, membership=membership, actor=current_user(request)
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request, _("%(name)s is no longer assigned.") % {"name": str(assignment.user)}
        )
    return redirect("case:detail", pk=assignment.case_id)


START_FAMILIES = 5


def start_families(*, request: HttpRequest, membership: Membership) -> SafeString | None:
    """The start page's "My families": the next families due, linked to the whole list."""
    if not membership.can(Capability.READ_CASE_CONTENT):
        return None
    cases = selectors.family_cases(membership=membership, filters=selectors.FamilyFilters())
    page = selectors.with_visible_members(membership, list(cases[:START_FAMILIES]))
    selectors.with_last_contact(membership, page)
    rows = _family_rows(page, {})
    if rows:
        audited_read(
            membership=membership,
            actor=current_user(request),
            action=AuditAction.CASES_LISTED,
            subjects=[m.person_id for row in rows for m in row.members],
            scope="start",
            shown=[row.case.pk for row in rows],
        )
    return SafeString(
        render_to_string(
            "cases/_start_families.html",
            {"rows": rows},
            request=request,
        )
    )


# --- hand-over ---------------------------------------------------------------------------------


@require_POST
def handover_propose(request: HttpRequest, pk: int) -> HttpResponse:
    membership, case = _lead_case(request, pk)
    agency = Agency.objects.filter(code=request.POST.get("to_agency", "")).first()
    try:
        if agency is None:
            raise ValidationError(_("Choose the agency that is to lead the case."))
        services.case_handover_propose(
            case=case,
            to_agency=agency,
            reason=request.POST.get("reason", ""),
            membership=membership,
            actor=current_user(request),
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _("%(agency)s is asked to take over the case.") % {"agency": agency.name},
        )
    return redirect("case:detail", pk=case.pk)


@require_POST
def handover_decide(request: HttpRequest, pk: int) -> HttpResponse:
    membership = membership_with(request, Capability.WRITE_CASE_CONTENT)
    case = selectors.case_get(membership=membership, pk=pk)
    handover = (
        CaseHandover.objects.filter(
            case=case, state=CaseHandover.State.PROPOSED, to_agency_id=membership.agency_id
        )
        .select_related("to_agency")
        .first()
    )
    if handover is None:
        raise Http404
    accept = request.POST.get("decision") == "accept"
    services.case_handover_decide(
        handover=handover, accept=accept, membership=membership, actor=current_user(request)
    )
    messages.success(
        request,
        _("Your agency now leads the case.") if accept else _("The hand-over was declined."),
    )
    return redirect("case:detail", pk=case.pk)
