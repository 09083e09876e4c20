"""Permission-matrix rows of the steering pages and the figures API.

Figures are aggregates: no owner case opens or closes them, the role alone decides —
coordinators (the whole city) and team leads (their own agency) see figures; coordinators
alone keep the findings' handling, the network's facts and the committee reports. Every other
role gets 404, as for a missing page. The matrix also searches every answer for the target
person's name and secrets: a figure must never carry them.
"""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from lotse.reports.models import CommitteeReport, CommitteeReportVersion, StructuralFinding
from tests.matrix import OWNERS, Row, World, api_expect, api_op, expect, page

FIGURES = ("coordinator", "team_lead")
STEERING = ("coordinator",)
SEES_FIGURES = expect(roles=FIGURES, owners=OWNERS)
STEERS = expect(roles=STEERING, owners=OWNERS)
STEERS_POST = expect(ok=302, roles=STEERING, owners=OWNERS)
PERIOD = "start=2025-01-01&end=2026-12-31"


def _cache(world: World) -> dict[str, Any]:
    cache: dict[str, Any] = world.__dict__.setdefault("_reports_rows", {})
    return cache


def _finding(world: World) -> StructuralFinding:
    cache = _cache(world)
    if "finding" not in cache:
        cache["finding"] = StructuralFinding.objects.create(domain="language", district="barmen")
    finding: StructuralFinding = cache["finding"]
    return finding


def _report(world: World) -> CommitteeReport:
    """A report drafted at the owner agency: reports belong to the city's coordination."""
    cache = _cache(world)
    if "report" not in cache:
        report = CommitteeReport.objects.create(
            period_from=timezone.localdate().replace(month=1, day=1),
            period_to=timezone.localdate(),
            title="Sachstandsbericht Integration",
            created_by=world.author,
            agency=world.owner_agency,
        )
        CommitteeReportVersion.objects.create(
            report=report, number=1, content={"title": report.title}, saved_by=world.author
        )
        cache["report"] = report
    cached: CommitteeReport = cache["report"]
    return cached


def _report_pk(world: World) -> dict[str, Any]:
    return {"pk": _report(world).pk}


PAGES: dict[str, Row] = {
    "reports:figures": page("reports:figures", expect=SEES_FIGURES, query=lambda w: PERIOD),
    "reports:figures_export": page(
        "reports:figures_export",
        expect=SEES_FIGURES,
        kwargs=lambda world: {"fmt": "csv"},
        query=lambda world: PERIOD,
    ),
    "reports:findings": page("reports:findings", expect=SEES_FIGURES, query=lambda w: PERIOD),
    "reports:findings POST": page(
        "reports:findings",
        method="POST",
        expect=STEERS_POST,
        data=lambda world: {"domain": "housing", "district": "vohwinkel"},
    ),
    "reports:finding_edit": page(
        "reports:finding_edit", expect=STEERS, kwargs=lambda world: {"pk": _finding(world).pk}
    ),
    "reports:finding_edit POST": page(
        "reports:finding_edit",
        method="POST",
        expect=STEERS_POST,
        kwargs=lambda world: {"pk": _finding(world).pk},
        data=lambda world: {
            "version": _finding(world).version,
            "status": "taken_up",
            "measure": "Zusätzlicher Sprachkurs mit Kinderbetreuung",
        },
    ),
    "reports:network": page("reports:network", expect=STEERS),
    "reports:staff_post_new": page("reports:staff_post_new", expect=STEERS),
    "reports:staff_post_new POST": page(
        "reports:staff_post_new",
        method="POST",
        expect=STEERS_POST,
        data=lambda world: {
            "agency": world.agency.pk,
            "building_block": "case_management",
            "full_time_equivalents": "1.5",
            "valid_from": "2026-01-01",
        },
    ),
    "reports:meeting_new": page("reports:meeting_new", expect=STEERS),
    "reports:agreement_new": page("reports:agreement_new", expect=STEERS),
    "reports:report_list": page("reports:report_list", expect=STEERS),
    "reports:report_new": page("reports:report_new", expect=STEERS),
    "reports:report_edit": page("reports:report_edit", expect=STEERS, kwargs=_report_pk),
    "reports:report_pdf": page("reports:report_pdf", expect=STEERS, kwargs=_report_pk),
    "reports:report_annex_xlsx": page(
        "reports:report_annex_xlsx", expect=STEERS, kwargs=_report_pk
    ),
    "reports:report_oparl": page("reports:report_oparl", expect=STEERS, kwargs=_report_pk),
    "reports:report_version": page(
        "reports:report_version",
        expect=STEERS,
        kwargs=lambda world: {"pk": _report(world).pk, "number": 1},
    ),
}

API: dict[str, Row] = {
    "GET /api/v1/reports/figures": api_op(
        "/api/v1/reports/figures",
        expect=api_expect(roles=FIGURES, owners=OWNERS),
        query=lambda world: "from=2025-01-01&to=2026-12-31",
    ),
}
