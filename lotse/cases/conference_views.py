"""Pages of case conferences: plan one, check consents, hold it, record minutes and decisions,
and print the minutes.

A conference page shows each attending agency the minutes and decisions its basis for the
conference purpose allows, per person; only the lead agency plans, holds and writes minutes.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from lotse.accounts.access import current_user, membership_with
from lotse.accounts.models import Agency, Membership, User
from lotse.accounts.roles import Capability
from lotse.audit.models import AuditAction
from lotse.consent import policy
from lotse.consent.reads import audited_read
from lotse.core.forms import apply_service_errors, error_summary
from lotse.core.pdf import pdf_response, render_pdf

from . import access, selectors, services
from .case_views import _gap_rows, _visible_members, family_name
from .forms import ConferenceForm, DecisionDueForm, DecisionForm, MinuteForm, VersionForm
from .models import CaseConference, CaseParticipant, ConferenceDecision, LifeDomain
from .plan_views import _agency, _member_choices, _persons


def _conference(membership: Membership, pk: int) -> CaseConference:
    """A conference of a case the member may open, if their agency attends it."""
    conference = get_object_or_404(
        CaseConference.objects.select_related("case", "case__household", "case__lead_agency"),
        pk=pk,
        case__in=access.cases_visible_to(membership),
    )
    if not conference.agencies.filter(pk=membership.agency_id).exists():
        raise Http404
    return conference


@require_http_methods(["GET", "POST"])
def conference_new(request: HttpRequest, pk: int) -> HttpResponse:
    membership = membership_with(request, Capability.WRITE_CASE_CONTENT)
    case = selectors.case_get(membership=membership, pk=pk)
    if not access.leads(membership, case):
        raise Http404
    members = _visible_members(membership, case.household_id)
    agencies = [
        (p.agency.code, p.agency.name)
        for p in CaseParticipant.objects.filter(case=case, left_on__isnull=True)
        .exclude(agency_id=case.lead_agency_id)
        .select_related("agency")
        .order_by("agency__name")
    ]
    form = ConferenceForm(
        request.POST or None,
        initial={
            "agencies": [code for code, _name in agencies],
            "subjects": [m.person.public_id for m in members],
            "interpreter_language": case.interpreter_language,
        },
        members=_member_choices(members),
        agencies=agencies,
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            conference = services.conference_plan(
                case=case,
                scheduled_at=data["scheduled_at"],
                agencies=list(Agency.objects.filter(code__in=data["agencies"])),
                topics=data["topics"],
                family=_persons(members, data.get("subjects") or []),
                place=data.get("place") or "",
                video_link=data.get("video_link") or "",
                interpreter_language=data.get("interpreter_language") or "",
                membership=membership,
                actor=current_user(request),
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("The conference is planned. Check the consents below."))
            return redirect("case:conference", pk=conference.pk)
    audited_read(
        membership=membership,
        actor=current_user(request),
        action=AuditAction.CASE_VIEWED,
        target=case,
        subjects=[m.person_id for m in members],
        section="conference_form",
    )
    return render(
        request,
        "cases/case_form.html",
        {
            "case": case,
            "name": family_name(case.household, members),
            "title": _("Plan a case conference"),
            "intro": _(
                "Before it is held, every attending agency needs a consent covering the "
                "conference (or a legal basis) for each family member and topic."
            ),
            "submit": _("Plan the conference"),
            "form": form,
            "summary": error_summary(form),
        },
        status=400 if form.is_bound else 200,
    )


def _conference_page(
    request: HttpRequest,
    membership: Membership,
    conference: CaseConference,
    *,
    minute_form: MinuteForm | None = None,
    decision_form: DecisionForm | None = None,
    due_form: DecisionDueForm | None = None,
    hold_errors: list[str] | None = None,
    status: int = 200,
) -> HttpResponse:
    case = conference.case
    members = _visible_members(membership, case.household_id)
    leads = access.leads(membership, case)
    attending = selectors.conference_agencies(conference)
    agencies = [a.agency for a in attending]
    minutes, decisions = selectors.conference_content(membership=membership, conference=conference)
    shown = [row for group in minutes + decisions for row in group.rows]
    policy_answers = policy.explain_many(membership, shown)
    audited_read(
        membership=membership,
        actor=current_user(request),
        action=AuditAction.CASE_VIEWED,
        target=conference,
        items=shown,
        decisions=policy_answers,
        subjects=[m.person_id for m in members],
        section="conference",
    )
    topics = [(t, str(LifeDomain(t).label)) for t in conference.topics]
    held = conference.status == CaseConference.Status.HELD
    if leads and held:
        minute_form = minute_form or MinuteForm(
            members=_member_choices(members), agencies=[], topics=topics, prefix="minute"
        )
        decision_form = decision_form or DecisionForm(
            prefix="decision",
            members=_member_choices(members),
            agencies=[(a.code, a.name) for a in agencies],
            agency_ids=[a.pk for a in agencies],
        )
    due_forms = _due_forms(conference, decisions, due_form) if leads else {}
    gaps = services.conference_gaps(conference) if leads else []
    return render(
        request,
        "cases/conference_detail.html",
        {
            "case": case,
            "conference": conference,
            "name": family_name(case.household, members),
            "agencies": agencies,
            "attending": attending,
            "family": selectors.conference_family(membership=membership, conference=conference),
            "topics": topics,
            "leads": leads,
            "held": held,
            "ahead": timezone.localdate(conference.scheduled_at) > timezone.localdate(),
            "gaps": _gap_rows(gaps, members),
            "hold_errors": hold_errors or [],
            "minutes": minutes,
            "decisions": decisions,
            "decision_rows": [(group, due_forms.get(group.first.group)) for group in decisions],
            "minute_form": minute_form,
            "decision_form": decision_form,
            "summary": error_summary(
                *[f for f in (minute_form, decision_form, due_form) if f is not None]
            ),
            "own_agency_id": membership.agency_id,
        },
        status=status,
    )


def _due_forms(
    conference: CaseConference,
    decisions: list[selectors.Grouped],
    sent: DecisionDueForm | None,
) -> dict[uuid.UUID, DecisionDueForm]:
    """A "change due date" form for each open decision (for the lead): the one just sent
    keeps what was typed and its errors, the others show the decision's date."""
    if conference.status == CaseConference.Status.CANCELLED:
        return {}
    by_group: dict[uuid.UUID, DecisionDueForm] = {}
    for group in decisions:
        decision = group.first
        if decision.status != ConferenceDecision.Status.OPEN:
            continue
        if sent is not None and sent.group == decision.group:
            by_group[decision.group] = sent
        else:
            by_group[decision.group] = DecisionDueForm(
                group=decision.group,
                initial={"due_date": decision.due_date, "shown": decision.due_date.isoformat()},
            )
    return by_group


@require_GET
def conference_detail(request: HttpRequest, pk: int) -> HttpResponse:
    membership = membership_with(request, Capability.READ_CASE_CONTENT)
    return _conference_page(request, membership, _conference(membership, pk))


@require_POST
def conference_hold(request: HttpRequest, pk: int) -> HttpResponse:
    membership = membership_with(request, Capability.WRITE_CASE_CONTENT)
    conference = _conference(membership, pk)
    if not access.leads(membership, conference.case):
        raise Http404
    form = VersionForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError(_("Reload the page and try again."))
        services.conference_hold(
            conference=conference,
            membership=membership,
            actor=current_user(request),
            expected_version=form.cleaned_data["version"],
            early=request.POST.get("early") == "on",
        )
    except ValidationError as error:
        return _conference_page(
            request, membership, conference, hold_errors=error.messages, status=400
        )
    messages.success(request, _("The conference is held: record its minutes and decisions."))
    return redirect("case:conference", pk=conference.pk)


def _users(username: str | None) -> User | None:
    return User.objects.filter(username=username).first() if username else None


@require_POST
def conference_minute(request: HttpRequest, pk: int) -> HttpResponse:
    membership = membership_with(request, Capability.WRITE_CASE_CONTENT)
    conference = _conference(membership, pk)
    if not access.leads(membership, conference.case):
        raise Http404
    members = _visible_members(membership, conference.case.household_id)
    topics = [(t, str(LifeDomain(t).label)) for t in conference.topics]
    form = MinuteForm(
        request.POST,
        members=_member_choices(members),
        agencies=[],
        topics=topics,
        prefix="minute",
    )
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.conference_minute_record(
                conference=conference,
                subjects=_persons(members, data["subjects"]),
                topic=data["topic"],
                text=data["text"],
                membership=membership,
                actor=current_user(request),
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("The minutes have been saved."))
            return redirect("case:conference", pk=conference.pk)
    return _conference_page(request, membership, conference, minute_form=form, status=400)


@require_POST
def conference_decision(request: HttpRequest, pk: int) -> HttpResponse:
    membership = membership_with(request, Capability.WRITE_CASE_CONTENT)
    conference = _conference(membership, pk)
    if not access.leads(membership, conference.case):
        raise Http404
    members = _visible_members(membership, conference.case.household_id)
    agencies = list(conference.agencies.order_by("name"))
    form = DecisionForm(
        request.POST,
        prefix="decision",
        members=_member_choices(members),
        agencies=[(a.code, a.name) for a in agencies],
        agency_ids=[a.pk for a in agencies],
    )
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.conference_decision_record(
                conference=conference,
                subjects=_persons(members, data["subjects"]),
                text=data["text"],
                responsible_agency=_agency(data["responsible_agency"]),
                responsible_user=_users(data.get("responsible_user")),
                due_date=data["due_date"],
                membership=membership,
                actor=current_user(request),
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("The decision has been saved as a task."))
            return redirect("case:conference", pk=conference.pk)
    return _conference_page(request, membership, conference, decision_form=form, status=400)


@require_POST
def decision_done(request: HttpRequest, pk: int, group: uuid.UUID) -> HttpResponse:
    membership = membership_with(request, Capability.WRITE_CASE_CONTENT)
    conference = _conference(membership, pk)
    services.conference_decision_done(
        conference=conference, group=group, membership=membership, actor=current_user(request)
    )
    messages.success(request, _("The task is marked as done."))
    return redirect("case:conference", pk=conference.pk)


@require_POST
def decision_due(request: HttpRequest, pk: int, group: uuid.UUID) -> HttpResponse:
    """The lead moves an open decision's due date; its task moves with it."""
    membership = membership_with(request, Capability.WRITE_CASE_CONTENT)
    conference = _conference(membership, pk)
    if not access.leads(membership, conference.case):
        raise Http404
    # A group of another conference, or one the lead sees no row of, is not there at all.
    selectors.conference_decision_get(membership=membership, conference=conference, group=group)
    form = DecisionDueForm(request.POST, group=group)
    if form.is_valid():
        try:
            services.conference_decision_due_change(
                conference=conference,
                group=group,
                due_date=form.cleaned_data["due_date"],
                expected_due_date=form.cleaned_data["shown"],
                membership=membership,
                actor=current_user(request),
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("The due date has been changed; the task moves with it."))
            return redirect("case:conference", pk=conference.pk)
    return _conference_page(request, membership, conference, due_form=form, status=400)


@require_GET
def minutes_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    membership = membership_with(request, Capability.READ_CASE_CONTENT)
    conference = _conference(membership, pk)
    case = conference.case
    members = _visible_members(membership, case.household_id)
    minutes, decisions = selectors.conference_content(membership=membership, conference=conference)
    shown: list[Any] = [row for group in minutes + decisions for row in group.rows]
    audited_read(
        membership=membership,
        actor=current_user(request),
        action=AuditAction.CASE_PLAN_PRINTED,
        target=conference,
        items=shown,
        subjects=[m.person_id for m in members],
        section="minutes_pdf",
    )
    pdf = render_pdf(
        "cases/minutes_pdf.html",
        {
            "conference": conference,
            "case": case,
            "name": family_name(case.household, members),
            "attending": selectors.conference_agencies(conference),
            "family": selectors.conference_family(membership=membership, conference=conference),
            "minutes": minutes,
            "decisions": decisions,
        },
        base_url=".",
    )
    return pdf_response(
        pdf, filename=f"protokoll-{case.household.public_id}-{conference.scheduled_at:%Y%m%d}.pdf"
    )
