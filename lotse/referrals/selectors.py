"""Reads of referrals, always through ``access.referrals_visible_to``."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone

from lotse.accounts.models import Membership
from lotse.accounts.roles import Capability
from lotse.cases.models import Case
from lotse.cases.selectors import TimelineItem
from lotse.consent import policy

from .access import referrals_visible_to
from .models import FINAL, UNANSWERED, Referral, ReferralEvent, Status


def referral_get(*, membership: Membership | None, pk: int) -> Referral:
    """404 for missing and forbidden alike."""
    return get_object_or_404(
        referrals_visible_to(membership).select_related(
            "subject",
            "owner_agency",
            "to_agency",
            "to_offer",
            "to_offer__provider",
            "sent_by",
            "handled_by",
            "case",
            "case__household",
            "measure",
            "assessment",
        ),
        pk=pk,
    )


def referral_events(referral: Referral) -> list[ReferralEvent]:
    return list(referral.events.select_related("agency", "by").order_by("at", "pk"))


class InboxView:
    OPEN = "open"  # waiting for our answer
    ACTIVE = "active"  # accepted or in progress
    CLOSED = "closed"
    SENT = "sent"  # what our agency sent
    OVERDUE = "overdue"  # unanswered past the answer date (the team lead's view)

    ALL = (OPEN, ACTIVE, CLOSED, SENT, OVERDUE)


@dataclass(frozen=True)
class InboxCounts:
    open: int
    overdue: int


def inbox(*, membership: Membership, view: str) -> QuerySet[Referral]:
    """The agency's received referrals (or, for ``SENT``, those it sent), newest first."""
    visible = referrals_visible_to(membership)
    received = visible.filter(to_agency_id=membership.agency_id)
    if view == InboxView.SENT:
        rows = visible.filter(owner_agency_id=membership.agency_id)
    elif view == InboxView.ACTIVE:
        rows = received.filter(status__in=[Status.ACCEPTED, Status.IN_PROGRESS])
    elif view == InboxView.CLOSED:
        rows = received.filter(status__in=sorted(FINAL))
    elif view == InboxView.OVERDUE:
        rows = received.filter(status__in=sorted(UNANSWERED), answer_due__lt=timezone.localdate())
    else:
        rows = received.filter(status__in=[*sorted(UNANSWERED), Status.WAITLISTED])
    return rows.select_related(
        "subject", "owner_agency", "to_agency", "to_offer", "sent_by", "handled_by"
    ).order_by("-sent_at", "-pk")


def inbox_counts(membership: Membership) -> InboxCounts:
    received = referrals_visible_to(membership).filter(to_agency_id=membership.agency_id)
    today = timezone.localdate()
    open_q = Q(status__in=sorted(UNANSWERED))
    counts = received.filter(open_q).aggregate(
        open=_count(Q()), overdue=_count(Q(answer_due__lt=today))
    )
    return InboxCounts(open=counts["open"], overdue=counts["overdue"])


def _count(condition: Q) -> Count:
    return Count("pk", filter=condition) if condition else Count("pk")


def case_referrals(*, membership: Membership, case: Case) -> list[Referral]:
    """The case's referrals the member may see, newest first. Read once per request: the case
    page shows them in their panel and their changes on the timeline."""
    cache = policy.request_cache(membership)
    key = ("case_referrals", case.pk)
    if key not in cache:
        cache[key] = list(
            referrals_visible_to(membership)
            .filter(case=case)
            .select_related("subject", "owner_agency", "to_agency", "to_offer")
            .order_by("-sent_at", "-pk")
        )
    return list(cache[key])


def referral_timeline(
    *, membership: Membership, case: Case, limit: int, before: Any
) -> tuple[list[TimelineItem], list[Any]]:
    """Every change of state of the case's referrals the member may see: their events, read
    by the referrals' ids (no query when the member sees none)."""
    if not membership.can(Capability.READ_CASE_CONTENT):
        return [], []
    referrals = {r.pk: r for r in case_referrals(membership=membership, case=case)}
    if not referrals:
        return [], []
    events = (
        ReferralEvent.objects.filter(referral_id__in=list(referrals))
        .select_related("agency")
        .order_by("-at", "-pk")
    )
    if before is not None:
        events = events.filter(at__lt=before)
    page = list(events[:limit])
    items = [
        TimelineItem(
            e.at,
            "referral",
            referrals[e.referral_id],
            [referrals[e.referral_id].subject],
            template="referrals/_timeline_item.html",
            detail=e,
        )
        for e in page
    ]
    return items, list({e.referral_id: referrals[e.referral_id] for e in page}.values())
