"""Pages of the referral workflow: send from a case, the receiving agency's inbox, the
referral with its answers. Thin: services decide and write; selectors read through
``access.referrals_visible_to``; every page that shows referrals is audited."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from lotse.accounts.access import current_user, membership_with
from lotse.accounts.models import Membership
from lotse.accounts.roles import Capability
from lotse.audit.models import AuditAction
from lotse.cases import selectors as case_selectors
from lotse.cases.access import cases_visible_to
from lotse.cases.models import DOMAIN_CATEGORY, Assessment, Case, Measure
from lotse.consent import policy
from lotse.consent.categories import DataCategory
from lotse.consent.reads import audited_read
from lotse.core.forms import apply_service_errors, error_summary
from lotse.core.paging import Paging
from lotse.directory.models import Offer
from lotse.people.access import languages_visible_to, persons_visible_to
from lotse.people.validation import language_name

from . import selectors, services
from .forms import DECLINE_REASONS, NOT_COMPLETED_REASONS, ReferralForm, StepForm
from .models import Status

INBOX_PAGE = 25


@require_GET
def inbox(request: HttpRequest) -> HttpResponse:
    membership = membership_with(request, Capability.READ_CASE_CONTENT)
    view = request.GET.get("view", selectors.InboxView.OPEN)
    if view not in selectors.InboxView.ALL:
        view = selectors.InboxView.OPEN
    rows = selectors.inbox(membership=membership, view=view)
    paging = Paging.of(request, total=rows.count(), per_page=INBOX_PAGE)
    page = list(rows[paging.offset : paging.end])
    audited_read(
        membership=membership,
        actor=current_user(request),
        action=AuditAction.REFERRALS_LISTED,
        items=page,
        subjects=[r.subject_id for r in page],
        view=view,
    )
    return render(
        request,
        "referrals/inbox.html",
        {
            "view": view,
            "views": _views(),
            "referrals": page,
            "paging": paging,
            "counts": selectors.inbox_counts(membership),
            "team_lead": membership.can(Capability.VIEW_TEAM_WORK),
        },
    )


def _views() -> list[tuple[str, str]]:
    return [
        (selectors.InboxView.OPEN, _("Waiting for our answer")),
        (selectors.InboxView.OVERDUE, _("Overdue")),
        (selectors.InboxView.ACTIVE, _("Accepted and in progress")),
        (selectors.InboxView.CLOSED, _("Closed")),
        (selectors.InboxView.SENT, _("Sent by us")),
    ]


@require_GET
def referral_detail(request: HttpRequest, pk: int) -> HttpResponse:
    membership = membership_with(request, Capability.READ_CASE_CONTENT)
    referral = selectors.referral_get(membership=membership, pk=pk)
    actor = current_user(request)
    if referral.status == Status.SENT and referral.to_agency_id == membership.agency_id:
        services.referral_mark_received(referral=referral, membership=membership, actor=actor)
    person_visible = persons_visible_to(membership).filter(pk=referral.subject_id).exists()
    audited_read(
        membership=membership,
        actor=actor,
        action=AuditAction.REFERRAL_VIEWED,
        target=referral,
        items=[referral],
        subject=referral.subject_id,
    )
    sender = referral.owner_agency_id == membership.agency_id
    return render(
        request,
        "referrals/detail.html",
        {
            "referral": referral,
            "person_visible": person_visible,
            "events": selectors.referral_events(referral),
            "steps": services.steps_open(membership, referral),
            "decline_reasons": DECLINE_REASONS,
            "not_completed_reasons": NOT_COMPLETED_REASONS,
            "categories": [DataCategory(c).label for c in referral.categories],
            "language": language_name(referral.language) if referral.language else "",
            "sender": sender,
            "case_visible": cases_visible_to(membership).filter(pk=referral.case_id).exists(),
        },
    )


@require_POST
def referral_step(request: HttpRequest, pk: int, step: str) -> HttpResponse:
    membership = membership_with(request, Capability.WRITE_CASE_CONTENT)
    referral = selectors.referral_get(membership=membership, pk=pk)
    if step not in services.STEPS or not services.may_take(membership, referral, step):
        raise Http404
    form = StepForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("The form was incomplete. Please try again."))
        return redirect("referrals:detail", pk=referral.pk)
    try:
        services.referral_step(
            referral=referral,
            step=step,
            expected_version=form.cleaned_data["version"],
            membership=membership,
            actor=current_user(request),
            reason=form.cleaned_data["reason"],
            note=form.cleaned_data["note"],
        )
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("Saved. The other agency sees it on the referral."))
    return redirect("referrals:detail", pk=referral.pk)


def _family_languages(membership: Membership, person_ids: list[int]) -> list[tuple[str, str]]:
    codes = dict.fromkeys(
        languages_visible_to(membership)
        .filter(person_id__in=person_ids)
        .exclude(language="de")
        .order_by("pk")
        .values_list("language", flat=True)
    )
    return [(code, language_name(code)) for code in codes]


def _int(value: Any) -> int | None:
    return int(value) if str(value or "").isdigit() else None


@require_http_methods(["GET", "POST"])
def referral_new(request: HttpRequest, pk: int) -> HttpResponse:
    membership = membership_with(request, Capability.WRITE_CASE_CONTENT)
    case: Case = case_selectors.case_get(membership=membership, pk=pk)
    if case.is_closed:
        raise Http404
    members = case_selectors.visible_members(membership, [case.household_id])[case.household_id]
    persons = {m.person.public_id: m.person for m in members}
    subjects = [(public_id, person.full_name) for public_id, person in persons.items()]
    languages = _family_languages(membership, [p.pk for p in persons.values()])
    source = request.POST if request.method == "POST" else request.GET
    offer = None
    offer_id = _int(source.get("to_offer") or source.get("offer"))
    if offer_id is not None:
        offer = (
            Offer.objects.select_related("provider", "provider__agency").filter(pk=offer_id).first()
        )
    assessment = None
    assessment_id = _int(source.get("assessment"))
    if assessment_id is not None:
        assessment = Assessment.objects.filter(
            policy.visible_q(membership, Assessment), pk=assessment_id, case=case
        ).first()
    measure = None
    measure_id = _int(source.get("measure"))
    if measure_id is not None:
        measure = Measure.objects.filter(
            policy.visible_q(membership, Measure), pk=measure_id, case=case
        ).first()
    gaps: list[dict[str, str]] = []
    if request.method == "POST":
        form = ReferralForm(request.POST, subjects=subjects, languages=languages)
        if form.is_valid():
            data = form.cleaned_data
            draft = services.ReferralDraft(
                subject=persons[data["subject"]],
                message=data["message"],
                categories=data["categories"],
                to_agency=data["to_agency"],
                to_offer=offer,
                urgency=data["urgency"],
                language=data["language"],
                interpreter_needed=data["interpreter_needed"],
                measure=measure,
                assessment=assessment,
            )
            try:
                referral = services.referral_send(
                    case=case, draft=draft, membership=membership, actor=current_user(request)
                )
            except services.ReferralNotCovered as refused:
                apply_service_errors(form, refused)
                gaps = [
                    {
                        "category": str(DataCategory(gap.category).label),
                        "reason": gap.reason,
                        "explanation": gap.explanation,
                    }
                    for gap in refused.gaps
                ]
            except ValidationError as error:
                apply_service_errors(form, error)
            else:
                messages.success(
                    request,
                    _("Referral sent to %(agency)s.") % {"agency": referral.to_agency.name},
                )
                return redirect("referrals:detail", pk=referral.pk)
    else:
        initial: dict[str, Any] = {"urgency": "routine"}
        if request.GET.get("subject") in persons:
            initial["subject"] = request.GET["subject"]
        elif assessment is not None:
            initial["subject"] = assessment.subject.public_id
        if assessment is not None:
            initial["categories"] = [
                c for c in [DOMAIN_CATEGORY.get(assessment.domain)] if c and c != "identity"
            ]
        if languages:
            initial["language"] = languages[0][0]
        if offer is not None:
            initial["to_offer"] = offer.pk
        form = ReferralForm(initial=initial, subjects=subjects, languages=languages)
    return render(
        request,
        "referrals/new.html",
        {
            "case": case,
            "form": form,
            "summary": error_summary(form),
            "offer": offer,
            "assessment": assessment,
            "measure": measure,
            "gaps": gaps,
        },
        status=409 if gaps else 200,
    )


def start_referrals(*, request: HttpRequest, membership: Membership) -> SafeString | None:
    """The start page's referral inbox: how many wait for an answer, how many are overdue,
    linked to the inbox (counts only: no names on the start page card)."""
    if not membership.can(Capability.READ_CASE_CONTENT):
        return None
    return SafeString(
        render_to_string(
            "referrals/_start_inbox.html",
            {
                "counts": selectors.inbox_counts(membership),
                "team_lead": membership.can(Capability.VIEW_TEAM_WORK),
            },
            request=request,
        )
    )
