"""Pages of a case's content: assessment, the family integration plan, the case journal, the
timeline and the plan as PDF.

Every item shown passes the policy per person (a goal for two persons shows the persons whose
row the reader may see); every write goes through a service that checks that the reader's
agency takes part, and that it owns what it changes.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from lotse.accounts.access import current_user, membership_with
from lotse.accounts.models import Agency, Membership
from lotse.accounts.roles import Capability
from lotse.audit.models import AuditAction
from lotse.consent import policy
from lotse.consent.reads import audited_read
from lotse.core.forms import apply_service_errors, error_summary
from lotse.people.models import HouseholdMember, Person

from . import plan_pdf, selectors, services
from .case_views import _visible_members, family_name
from .forms import (
    AssessmentForm,
    CaseEntryForm,
    GoalEditForm,
    GoalForm,
    MeasureEditForm,
    MeasureForm,
)
from .models import Case, CaseParticipant, Goal, LifeDomain, Measure


def _case_for_writing(request: HttpRequest, pk: int) -> tuple[Membership, Case]:
    membership = membership_with(request, Capability.WRITE_CASE_CONTENT)
    return membership, selectors.case_get(membership=membership, pk=pk)


def _member_choices(members: list[HouseholdMember]) -> list[tuple[str, str]]:
    return [(m.person.public_id, m.person.full_name) for m in members]


def _agency_choices(case: Case) -> list[tuple[str, str]]:
    return [
        (p.agency.code, p.agency.name)
        for p in CaseParticipant.objects.filter(case=case, left_on__isnull=True)
        .select_related("agency")
        .order_by("agency__name")
    ]


def _persons(members: list[HouseholdMember], public_ids: list[str]) -> list[Person]:
    by_id = {m.person.public_id: m.person for m in members}
    return [by_id[pid] for pid in public_ids if pid in by_id]


def _agency(code: str | None) -> Agency | None:
    return Agency.objects.filter(code=code).first() if code else None


def _form_page(
    request: HttpRequest,
    membership: Membership,
    case: Case,
    members: list[HouseholdMember],
    *,
    title: str,
    intro: str,
    submit: str,
    form: Any,
    section: str,
    **extra: Any,
) -> HttpResponse:
    audited_read(
        membership=membership,
        actor=current_user(request),
        action=AuditAction.CASE_VIEWED,
        target=case,
        subjects=[m.person_id for m in members],
        section=section,
    )
    return render(
        request,
        "cases/case_form.html",
        {
            "case": case,
            "name": family_name(case.household, members),
            "title": title,
            "intro": intro,
            "submit": submit,
            "form": form,
            "summary": error_summary(form),
            **extra,
        },
        status=400 if form.is_bound else 200,
    )


# --- assessment ---------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def assessment_new(request: HttpRequest, pk: int) -> HttpResponse:
    membership, case = _case_for_writing(request, pk)
    members = _visible_members(membership, case.household_id)
    initial = {
        "person": request.GET.get("person", ""),
        "domain": request.GET.get("domain", LifeDomain.LANGUAGE),
        "assessed_on": timezone.localdate(),
    }
    form = AssessmentForm(
        request.POST or None, initial=initial, members=_member_choices(members), agencies=[]
    )
    if membership.agency.kind != Agency.Kind.YOUTH_WELFARE_OFFICE:
        del form.fields["entrusted"]
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            chosen = _persons(members, [data["person"]])
            if not chosen:
                raise ValidationError({"person": _("Choose a person.")})
            person = chosen[0]
            services.assessment_record(
                case=case,
                subject=person,
                domain=data["domain"],
                need=data["need"],
                situation=data.get("situation") or "",
                resources=data.get("resources") or "",
                assessed_on=data.get("assessed_on"),
                entrusted=bool(data.get("entrusted")),
                membership=membership,
                actor=current_user(request),
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("The assessment has been saved."))
            return redirect("case:detail", pk=case.pk)
    return _form_page(
        request,
        membership,
        case,
        members,
        title=_("Assess a life domain"),
        intro=_(
            "Say how the person stands and how much support they need: 0 none, 1 low, "
            "2 medium, 3 high. Who may see it follows the domain's kind of information."
        ),
        submit=_("Save assessment"),
        form=form,
        section="assessment_form",
    )


# --- plan -----------------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def goal_new(request: HttpRequest, pk: int) -> HttpResponse:
    membership, case = _case_for_writing(request, pk)
    members = _visible_members(membership, case.household_id)
    record_urls: list[tuple[str, str]] = []
    form = GoalForm(
        request.POST or None,
        initial={"responsible_agency": membership.agency.code},
        members=_member_choices(members),
        agencies=_agency_choices(case),
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.goal_create(
                case=case,
                subjects=_persons(members, data["subjects"]),
                domain=data["domain"],
                text=data["text"],
                responsible_agency=_agency(data["responsible_agency"]),
                target_date=data.get("target_date"),
                membership=membership,
                actor=current_user(request),
            )
        except ValidationError as error:
            apply_service_errors(form, error)
            record_urls = getattr(error, "record_urls", [])
        else:
            messages.success(request, _("The goal has been added to the plan."))
            return redirect("case:detail", pk=case.pk)
    return _form_page(
        request,
        membership,
        case,
        members,
        title=_("Add a goal"),
        intro=_(
            "A goal for several persons is seen per person: each agency sees it for the "
            "persons whose consent or legal basis allows."
        ),
        submit=_("Add goal"),
        form=form,
        section="goal_form",
        record_urls=record_urls,
    )


def _own_rows(
    model: type[Goal] | type[Measure], case: Case, membership: Membership, group: uuid.UUID
) -> list[Any]:
    rows = list(
        model.objects.filter(case=case, group=group, owner_agency=membership.agency)
        .filter(policy.visible_q(membership, model))
        .order_by("pk")
    )
    if not rows:
        raise Http404
    return rows


@require_http_methods(["GET", "POST"])
def goal_edit(request: HttpRequest, pk: int, group: uuid.UUID) -> HttpResponse:
    membership, case = _case_for_writing(request, pk)
    goals: list[Goal] = _own_rows(Goal, case, membership, group)
    goal = goals[0]
    members = _visible_members(membership, case.household_id)
    form = GoalEditForm(
        request.POST or None,
        initial={
            "version": goal.version,
            "text": goal.text,
            "target_date": goal.target_date,
            "attainment": goal.attainment,
        },
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.goal_update(
                case=case,
                group=group,
                text=data["text"],
                target_date=data.get("target_date"),
                attainment=data.get("attainment"),
                membership=membership,
                actor=current_user(request),
                expected_version=data["version"],
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("The goal has been saved."))
            return redirect("case:detail", pk=case.pk)
    return _form_page(
        request,
        membership,
        case,
        members,
        title=_("Change the goal"),
        intro=_(
            "Rate the attainment from −2 (much less than expected) to +2 (much more than expected)."
        ),
        submit=_("Save goal"),
        form=form,
        section="goal_edit",
        goal=goal,
        persons=[g.subject for g in goals],
    )


@require_http_methods(["GET", "POST"])
def measure_new(request: HttpRequest, pk: int, group: uuid.UUID) -> HttpResponse:
    membership, case = _case_for_writing(request, pk)
    goals: list[Goal] = _own_rows(Goal, case, membership, group)
    members = _visible_members(membership, case.household_id)
    record_urls: list[tuple[str, str]] = []
    form = MeasureForm(
        request.POST or None,
        initial={"responsible_agency": goals[0].responsible_agency.code},
        members=[],
        agencies=_agency_choices(case),
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.measure_create(
                case=case,
                goal_group=group,
                text=data["text"],
                responsible_agency=_agency(data["responsible_agency"]),
                due_date=data.get("due_date"),
                membership=membership,
                actor=current_user(request),
            )
        except ValidationError as error:
            apply_service_errors(form, error)
            record_urls = getattr(error, "record_urls", [])
        else:
            messages.success(request, _("The measure has been added."))
            return redirect("case:detail", pk=case.pk)
    return _form_page(
        request,
        membership,
        case,
        members,
        title=_("Add a measure"),
        intro=_("A step towards the goal, with the agency that does it and the date it is due."),
        submit=_("Add measure"),
        form=form,
        section="measure_form",
        goal=goals[0],
        record_urls=record_urls,
    )


@require_http_methods(["GET", "POST"])
def measure_edit(request: HttpRequest, pk: int, group: uuid.UUID) -> HttpResponse:
    membership, case = _case_for_writing(request, pk)
    rows: list[Measure] = _own_rows(Measure, case, membership, group)
    measure = rows[0]
    members = _visible_members(membership, case.household_id)
    form = MeasureEditForm(
        request.POST or None,
        initial={
            "version": measure.version,
            "status": measure.status,
            "due_date": measure.due_date,
        },
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.measure_update(
                case=case,
                group=group,
                status=data["status"],
                due_date=data.get("due_date"),
                membership=membership,
                actor=current_user(request),
                expected_version=data["version"],
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("The measure has been saved."))
            return redirect("case:detail", pk=case.pk)
    return _form_page(
        request,
        membership,
        case,
        members,
        title=_("Change the measure"),
        intro="",
        submit=_("Save measure"),
        form=form,
        section="measure_edit",
        measure=measure,
    )


# --- the case journal ---------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def case_entry_new(request: HttpRequest, pk: int) -> HttpResponse:
    membership, case = _case_for_writing(request, pk)
    members = _visible_members(membership, case.household_id)
    form = CaseEntryForm(
        request.POST or None,
        initial={
            "subjects": [m.person.public_id for m in members],
            "interpreter_language": case.interpreter_language,
        },
        members=_member_choices(members),
        agencies=[],
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.case_entry_create(
                case=case,
                subjects=_persons(members, data["subjects"]),
                kind=data["kind"],
                category=data["category"],
                text=data["text"],
                follow_up_on=data.get("follow_up_on"),
                participants=data.get("participants") or "",
                interpreter_language=data.get("interpreter_language") or "",
                membership=membership,
                actor=current_user(request),
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("The entry has been saved."))
            return redirect("case:detail", pk=case.pk)
    return _form_page(
        request,
        membership,
        case,
        members,
        title=_("Record a talk, call or visit"),
        intro=_(
            "Choose everyone it is about; each person's entry is seen under that person's basis."
        ),
        submit=_("Save entry"),
        form=form,
        section="journal_form",
    )


# --- timeline and plan PDF ----------------------------------------------------------------------


@require_GET
def case_timeline(request: HttpRequest, pk: int) -> HttpResponse:
    membership = membership_with(request, Capability.READ_CASE_CONTENT)
    case = selectors.case_get(membership=membership, pk=pk)
    members = _visible_members(membership, case.household_id)
    items, shown = selectors.case_timeline(membership=membership, case=case, limit=200)
    decisions = policy.explain_many(membership, shown)
    audited_read(
        membership=membership,
        actor=current_user(request),
        action=AuditAction.CASE_VIEWED,
        target=case,
        items=shown,
        decisions=decisions,
        subjects=[m.person_id for m in members],
        section="timeline",
    )
    return render(
        request,
        "cases/timeline.html",
        {
            "case": case,
            "name": family_name(case.household, members),
            "timeline": items,
            "decisions": decisions,
        },
    )


@require_GET
def plan_print(request: HttpRequest, pk: int) -> HttpResponse:
    """The plan as PDF: ``?for=family&lang=ar`` in the family's language, plain words, RTL for
    Arabic and Persian; without ``for=family`` the full plan for the case file."""
    membership = membership_with(request, Capability.READ_CASE_CONTENT)
    case = selectors.case_get(membership=membership, pk=pk)
    members = _visible_members(membership, case.household_id)
    plan, shown = selectors.case_plan(membership=membership, case=case)
    for_family = request.GET.get("for") == "family"
    language = plan_pdf.language(request.GET.get("lang", "de")) if for_family else "de"
    audited_read(
        membership=membership,
        actor=current_user(request),
        action=AuditAction.CASE_PLAN_PRINTED,
        target=case,
        items=shown,
        subjects=[m.person_id for m in members],
        language=language,
        version="family" if for_family else "file",
    )
    return plan_pdf.response(
        request,
        case=case,
        name=family_name(case.household, members),
        plan=plan,
        language=language,
        for_family=for_family,
    )
