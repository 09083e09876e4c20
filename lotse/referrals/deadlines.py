"""Referral answers overdue, as a deadline of daily work (``scheduling.deadlines``).

The sending agency owns the referral and gets the task: ask the receiving agency, or send the
family elsewhere. The receiving agency sees its own overdue answers in its inbox.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

from lotse.scheduling.deadlines import Deadline, Link, Scope
from lotse.scheduling.models import DeadlineKind

from .models import UNANSWERED, Referral


def referral_answer(scope: Scope, start: date, end: date) -> Iterator[Deadline]:
    # the sending agency's to chase; the receiving agency sees its own in its inbox
    referrals = scope.own_work(
        Referral.objects.filter(
            status__in=sorted(UNANSWERED), answer_due__gte=start, answer_due__lte=end
        ),
        "owner_agency_id",
    )
    for row, item in scope.rows(
        referrals, "subject_id", "pk", "subject_id", "owner_agency_id", "answer_due", "case_id"
    ):
        yield Deadline(
            kind=DeadlineKind.REFERRAL_ANSWER,
            due_on=row["answer_due"],
            subject_id=row["subject_id"],
            owner_agency_id=row["owner_agency_id"],
            source_key=f"referral:{row['pk']}:{row['answer_due']:%Y-%m-%d}",
            link=Link.to("referrals:detail", pk=row["pk"]),
            case_id=row["case_id"],
            item=item,
        )
