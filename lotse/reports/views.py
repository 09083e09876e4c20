"""The steering pages: figures, structural findings, the network's facts.

Thin: the aggregate face decides what may be seen (``aggregates.figures_scope``: 404 for
roles without figures); forms parse; services write.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from lotse.accounts.models import Membership
from lotse.accounts.roles import Capability
from lotse.audit.models import AuditAction
from lotse.audit.services import record
from lotse.core.forms import apply_service_errors, error_summary
from lotse.core.models import StaleEditError
from lotse.directory.domains import LifeDomain
from lotse.people.choices import District

from . import aggregates, services
from .forms import (
    AgreementForm,
    FiguresForm,
    FindingForm,
    MeetingForm,
    NewFindingForm,
    StaffPostForm,
)
from .models import (
    CooperationAgreement,
    FigureSource,
    GovernanceMeeting,
    StaffPost,
    StructuralFinding,
)
from .suppression import State
from .tables import Figures, Table


def _figures_member(request: HttpRequest) -> Membership:
    membership: Membership | None = getattr(request, "membership", None)
    aggregates.figures_scope(membership)  # 404 without figures
    assert membership is not None  # noqa: S101
    return membership


def _steering_member(request: HttpRequest) -> Membership:
    membership: Membership | None = getattr(request, "membership", None)
    if not services.may_steer(membership):
        raise Http404
    assert membership is not None  # noqa: S101
    return membership


@dataclass(frozen=True)
class ShownTable:
    """A table with its chart and its number ("Abbildung n") on the page."""

    table: Table
    chart: SafeString | None
    number: int | None


def shown_tables(figures: Figures) -> list[tuple[str, str, list[ShownTable]]]:
    """The sections for the page and the report: each table with its numbered chart."""
    from .charts import chart_svg

    number = 0
    sections = []
    for section in figures.sections:
        shown = []
        for table in section.tables:
            svg = chart_svg(table, number=number + 1) if table.chart != "none" else None
            if svg:
                number += 1
            # The SVG is built from our own labels by matplotlib, which escapes text.
            chart = mark_safe(svg) if svg else None  # noqa: S308
            shown.append(ShownTable(table, chart, number if svg else None))
        sections.append((section.key, section.heading, shown))
    return sections


def _figures_from(
    request: HttpRequest, membership: Membership, *, source: str = FigureSource.SCREEN
) -> tuple[FiguresForm, Figures | None]:
    form = FiguresForm(request.GET or FiguresForm.initial_values())
    if not form.is_valid():
        return form, None
    try:
        figures = aggregates.request_figures(
            membership,
            start=form.cleaned_data["start"],
            end=form.cleaned_data["end"],
            district=form.cleaned_data["district"],
            source=source,
        )
    except aggregates.PeriodError as error:
        form.add_error("end", str(error))
        return form, None
    return form, figures


@require_GET
def figures_page(request: HttpRequest) -> HttpResponse:
    membership = _figures_member(request)
    form, figures = _figures_from(request, membership)
    return render(
        request,
        "reports/figures.html",
        {
            "form": form,
            "summary": error_summary(form),
            "figures": figures,
            "sections": shown_tables(figures) if figures else [],
            "query": request.GET.urlencode() if request.GET else "",
            "may_steer": services.may_steer(membership),
            "may_report": membership.can(Capability.PREPARE_COMMITTEE_REPORT),
        },
    )


@require_GET
def figures_export(request: HttpRequest, fmt: str) -> HttpResponse:
    from .exports import figures_csv, figures_xlsx

    membership = _figures_member(request)
    if fmt not in ("csv", "xlsx"):
        raise Http404
    _form, figures = _figures_from(request, membership, source=FigureSource.EXPORT)
    if figures is None:
        raise Http404
    name = f"lotse-kennzahlen-{figures.period.start:%Y%m%d}-{figures.period.end:%Y%m%d}"
    if figures.district:
        name += f"-{figures.district}"
    record(
        action=AuditAction.FIGURES_EXPORTED,
        actor=membership.user,
        agency=membership.agency,
        detail={
            "format": fmt,
            "from": figures.period.start.isoformat(),
            "to": figures.period.end.isoformat(),
            "district": figures.district,
        },
    )
    if fmt == "csv":
        response = HttpResponse(
            "\ufeff" + figures_csv(figures), content_type="text/csv; charset=utf-8"
        )
    else:
        response = HttpResponse(
            figures_xlsx(figures),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    response["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    return response


# --- structural findings ----------------------------------------------------------------------


@dataclass(frozen=True)
class FindingLine:
    domain: str
    domain_label: str
    district: str
    district_label: str
    count: str
    finding: StructuralFinding | None


@require_http_methods(["GET", "POST"])
def findings(request: HttpRequest) -> HttpResponse:
    """Every domain × district with findings in the period, and what the steering group does."""
    membership = _figures_member(request)
    if request.method == "POST":
        steering = _steering_member(request)
        opened = NewFindingForm(request.POST)
        if not opened.is_valid():
            raise Http404
        try:
            finding = services.finding_open(
                steering,
                domain=opened.cleaned_data["domain"],
                district=opened.cleaned_data["district"],
            )
        except ValidationError as error:  # a domain or district not on the list: as missing
            raise Http404 from error
        return redirect("reports:finding_edit", pk=finding.pk)
    form, figures = _figures_from(request, membership)
    records = {
        (f.domain, f.district): f for f in StructuralFinding.objects.select_related("meeting")
    }
    lines: list[FindingLine] = []
    if figures is not None:
        table = figures.table("findings_by_district")
        domains = dict(LifeDomain.choices)
        for row in table.rows:
            for column, entry in zip(table.columns, row.entries, strict=True):
                if entry.state == State.SHOWN and not entry.value:
                    continue
                lines.append(
                    FindingLine(
                        row.code,
                        str(domains.get(row.code, row.label)),
                        column.code,
                        column.label,
                        entry.text(table.k),
                        records.pop((row.code, column.code), None),
                    )
                )
    districts = dict(District.choices)
    # Findings the steering group still works on, though nothing was counted in this period.
    for (domain, district), finding in sorted(records.items()):
        if finding.status != "resolved":
            lines.append(
                FindingLine(
                    domain,
                    str(dict(LifeDomain.choices).get(domain, domain)),
                    district,
                    str(districts.get(district, _("whole city"))),
                    "0",
                    finding,
                )
            )
    return render(
        request,
        "reports/findings.html",
        {
            "form": form,
            "summary": error_summary(form),
            "figures": figures,
            "lines": lines,
            "may_steer": services.may_steer(membership),
            "query": request.GET.urlencode() if request.GET else "",
        },
    )


@require_http_methods(["GET", "POST"])
def finding_edit(request: HttpRequest, pk: int) -> HttpResponse:
    membership = _steering_member(request)
    finding = get_object_or_404(StructuralFinding, pk=pk)
    stale: StaleEditError | None = None
    if request.method == "POST":
        form = FindingForm(request.POST)
        if form.is_valid():
            try:
                services.finding_save(
                    membership,
                    finding,
                    expected_version=form.cleaned_data["version"],
                    data=form.cleaned_data,
                )
            except StaleEditError as error:
                stale = error
                finding = get_object_or_404(StructuralFinding, pk=pk)
            except ValidationError as error:
                apply_service_errors(form, error)
            else:
                messages.success(request, _("The finding is saved."))
                return redirect("reports:findings")
    else:
        form = FindingForm(
            initial={
                "version": finding.version,
                "status": finding.status,
                "measure": finding.measure,
                "decided_on": finding.decided_on,
                "meeting": finding.meeting,
            }
        )
    return render(
        request,
        "reports/finding_form.html",
        {
            "form": form,
            "summary": error_summary(form),
            "finding": finding,
            "stale": stale,
            "district_label": dict(District.choices).get(finding.district, _("whole city")),
        },
    )


# --- the network: staff posts, meetings, agreements -------------------------------------------


@require_GET
def network(request: HttpRequest) -> HttpResponse:
    _steering_member(request)
    return render(
        request,
        "reports/network.html",
        {
            "posts": StaffPost.objects.select_related("agency").order_by(
                "agency__name", "building_block", "-valid_from"
            ),
            "meetings": GovernanceMeeting.objects.prefetch_related("agencies")[:50],
            "agreements": CooperationAgreement.objects.prefetch_related("agencies"),
        },
    )


def _network_form(
    request: HttpRequest, form_class: type[Any], create: Any, title: str
) -> HttpResponse:
    membership = _steering_member(request)
    form = form_class(request.POST or None)
    if request.method == "POST" and form.is_valid():
        create(membership, dict(form.cleaned_data))
        messages.success(request, _("Saved."))
        return redirect("reports:network")
    return render(
        request,
        "reports/network_form.html",
        {"form": form, "summary": error_summary(form), "title": title},
    )


@require_http_methods(["GET", "POST"])
def staff_post_new(request: HttpRequest) -> HttpResponse:
    return _network_form(request, StaffPostForm, services.staff_post_create, _("New staff post"))


@require_http_methods(["GET", "POST"])
def meeting_new(request: HttpRequest) -> HttpResponse:
    return _network_form(request, MeetingForm, services.meeting_create, _("New meeting"))


@require_http_methods(["GET", "POST"])
def agreement_new(request: HttpRequest) -> HttpResponse:
    return _network_form(
        request, AgreementForm, services.agreement_create, _("New cooperation agreement")
    )
