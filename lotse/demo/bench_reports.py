"""Bench of the steering figures: all figures of one year, the page, and the committee PDF.

Runs on the city of the access bench (100k persons, 1M journal entries) plus a caseload of
bench cases with opening and closing dates spread over three years, so that every figure
has work to do: stock on a reference date, flows in a period, the same a year earlier.
"""

from __future__ import annotations

import random
from typing import TYPE_CHECKING

from django.db import connection
from django.test import Client
from django.utils import timezone

from lotse.accounts.models import Agency, Membership, User
from lotse.accounts.roles import Role
from lotse.cases.models import Case
from lotse.people.models import Household

from .bench import BenchRow, analyze, measure, query_count, row
from .steering import case_course

#: Marks the bench's steering cases (interpreter language no real case uses).
STEERING_MARK = "zxx"
BATCH = 2000


def seed_steering_cases(*, count: int, seed: int = 8) -> int:
    """``count`` cases on households without a case, opened over three years, most of the
    older ones closed (``steering.case_course``)."""
    have = Case.objects.filter(interpreter_language=STEERING_MARK).count()
    if have >= count:
        return have
    rng = random.Random(seed)
    user = User.objects.get(username="kim")
    agencies = list(Agency.objects.filter(code__in=["kim", "ja", "jc", "car"]).order_by("code"))
    households = list(
        Household.objects.filter(case__isnull=True)
        .order_by("pk")
        .values_list("pk", flat=True)[: count - have]
    )
    today = timezone.localdate()
    cases = []
    for pk in households:
        # The course of the demo's statistical caseload, over three years.
        course = case_course(rng, today, days_back=3 * 365)
        cases.append(
            Case(
                household_id=pk,
                lead_agency=rng.choice(agencies),
                lead_user=user,
                opened_by=user,
                opened_on=course.opened,
                phase=course.phase,
                closed_on=course.closed,
                closure_reason=course.reason,
                interpreter_language=STEERING_MARK,
            )
        )
    Case.objects.bulk_create(cases, batch_size=BATCH)
    return have + len(cases)


if TYPE_CHECKING:
    from lotse.reports.tables import Figures


def reports_suite(*, repeat: int, cases: int = 10_000) -> list[BenchRow]:
    from lotse.reports import aggregates
    from lotse.reports.forms import last_twelve_months

    seeded = seed_steering_cases(count=cases)
    analyze()
    coordinator = Membership.objects.select_related("user", "agency").get(
        user__username="steuerung", role=Role.COORDINATOR
    )
    start, end = last_twelve_months()

    def figures(district: str = "") -> Figures:
        return aggregates.request_figures(coordinator, start=start, end=end, district=district)

    result = figures()
    tables = sum(1 for _t in result.tables())
    withheld = sum(t.withheld() for t in result.tables())
    rows = [
        row(
            f"figures: all of one year, whole city ({tables} tables)",
            measure(figures, repeat=repeat, warmup=1),
            f"{Case.objects.count():,} cases ({seeded:,} bench), "
            f"{connection.vendor}; {withheld} values withheld; {query_count(figures)} queries; "
            "target ≤ 1 s",
        ),
        row(
            "figures: one district",
            measure(lambda: figures("oberbarmen"), repeat=repeat, warmup=1),
            f"{query_count(lambda: figures('oberbarmen'))} queries",
        ),
    ]
    client = Client()
    client.force_login(coordinator.user)
    url = f"/steering/?start={start.isoformat()}&end={end.isoformat()}"
    assert client.get(url).status_code == 200  # noqa: S101 - a bench of errors is no bench
    rows.append(
        row(
            "figures: the page with its charts",
            measure(lambda: client.get(url), repeat=max(5, repeat // 2), warmup=1),
            f"GET {url}",
        )
    )
    from lotse.reports import committee, report_pdf

    report = committee.report_create(coordinator, start=start, end=end, district="")

    def pdf() -> object:
        return report_pdf.render_report_pdf(report, figures())

    size = len(report_pdf.render_report_pdf(report, figures()))
    rows.append(
        row(
            "committee report: PDF with its Anlage",
            measure(pdf, repeat=max(3, repeat // 4), warmup=1),
            f"{size / 1e3:.0f} kB; figures included; target ≤ 5 s",
        )
    )
    return rows
