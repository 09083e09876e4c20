"""The committee-report pages under ``/steering/reports/``: list, new, edit (with the figures
of the period below the form), PDF, the Anlage as XLSX, the OParl Paper, old versions.

Thin: ``PREPARE_COMMITTEE_REPORT`` first (404 like a missing page for everybody else), forms
parse, :mod:`lotse.reports.committee` decides and writes. Reports belong to the city's
coordination: every holder of the capability sees every report.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from lotse.accounts.access import membership_with
from lotse.accounts.models import Membership
from lotse.accounts.roles import Capability
from lotse.core.forms import apply_service_errors, error_summary, suppress_errors
from lotse.core.models import StaleEditError
from lotse.core.pdf import pdf_response

from . import committee, oparl
from .models import CommitteeReport
from .report_forms import (
    QUALITY_LIST_ID,
    SESSION_ROWS,
    NewReportForm,
    ReportForm,
    RestoreForm,
    SessionForm,
    last_full_year,
    session_formset,
    with_added_session,
)
from .report_pdf import pdf_filename, render_report_pdf
from .tables import Figures

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _member(request: HttpRequest) -> Membership:
    return membership_with(request, Capability.PREPARE_COMMITTEE_REPORT)


# --- list and new ------------------------------------------------------------------------------


@require_GET
def report_list(request: HttpRequest) -> HttpResponse:
    membership = _member(request)
    reports = committee.reports_for(membership).select_related("created_by")
    return render(request, "reports/report_list.html", {"reports": reports})


@require_http_methods(["GET", "POST"])
def report_new(request: HttpRequest) -> HttpResponse:
    membership = _member(request)
    start, end = last_full_year(timezone.localdate())
    form = NewReportForm(
        request.POST if request.method == "POST" else None,
        initial={"period_from": start, "period_to": end},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            report = committee.report_create(
                membership,
                start=data["period_from"],
                end=data["period_to"],
                district=data["district"],
                title=data["title"],
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(
                request,
                _("The report has been created from the figures of its period. Check it and save."),
            )
            return redirect("reports:report_edit", pk=report.pk)
    return render(
        request,
        "reports/report_new.html",
        {"form": form, "summary": error_summary(form)},
        status=400 if form.is_bound else 200,
    )


# --- edit --------------------------------------------------------------------------------------


def _shown_date(value: Any) -> str:
    if isinstance(value, str) and value:
        try:
            value = date.fromisoformat(value)
        except ValueError:
            return str(value)
    return date_format(value, "SHORT_DATE_FORMAT") if isinstance(value, date) else "—"


def _display(name: str, value: Any) -> str:
    """A saved value in words, for the conflict table."""
    if name in ("period_from", "period_to", "report_date"):
        return _shown_date(value)
    if name == "is_public":
        return _("public") if value else _("not public")
    if name == "label_style":
        return str(CommitteeReport.LabelStyle(value).label) if value else "—"
    if name == "state":
        return str(CommitteeReport.State(value).label) if value else "—"
    if name == "sessions":
        return (
            "; ".join(
                " ".join(
                    part
                    for part in (
                        _shown_date(row.get("date")) if row.get("date") else "",
                        str(row.get("committee", "")),
                        f"({row['quality']})" if row.get("quality") else "",
                    )
                    if part
                )
                for row in value or []
            )
            or "—"
        )
    if name == "attachments":
        return "; ".join(str(item) for item in value or []) or "—"
    if name == "sections":
        return _("%(count)s sections") % {"count": len(value or [])}
    return str(value) if value not in (None, "") else "—"


def _label(form: ReportForm, name: str) -> str:
    if name == "sessions":
        return _("Sessions")
    if name == "sections":
        return _("Text sections")
    field = form.fields.get(name)
    return str(field.label) if field is not None and field.label else name


def _changed_sections(current: list[Mapping[str, Any]], mine: list[Mapping[str, Any]]) -> str:
    theirs = {str(s.get("key")): s for s in current or []}
    headings = [
        str(section.get("heading", section.get("key", "")))
        for section in mine or []
        if theirs.get(str(section.get("key"))) != section
    ]
    return ", ".join(headings) or "—"


def _conflict_rows(
    form: ReportForm, stale: StaleEditError, mine: Mapping[str, Any]
) -> list[dict[str, str]]:
    current = stale.current
    rows = []
    for name in stale.changed_fields:
        theirs = getattr(current, name, None)
        if name == "sections":
            rows.append(
                {
                    "field": _label(form, name),
                    "current": _("changed: %(headings)s")
                    % {"headings": _changed_sections(theirs or [], mine.get(name) or [])},
                    "yours": _display(name, mine.get(name)),
                }
            )
            continue
        rows.append(
            {
                "field": _label(form, name),
                "current": _display(name, theirs),
                "yours": _display(name, mine.get(name)),
            }
        )
    return rows


def _preview(membership: Membership, report: CommitteeReport) -> tuple[Figures | None, Any, str]:
    """The figures of the report's period for the page (in the page's language)."""
    from . import aggregates
    from .views import shown_tables

    try:
        figures = committee.report_figures(membership, report, language="")
    except aggregates.PeriodError as error:
        return None, [], str(error)
    return figures, shown_tables(figures), ""


def _edit_page(
    request: HttpRequest, membership: Membership, report: CommitteeReport
) -> HttpResponse:
    sections = report.sections or []
    sessions_initial = [SessionForm.initial_for(row) for row in report.sessions or []]
    conflict: list[dict[str, str]] = []
    status = 200
    if request.method != "POST":
        form = ReportForm(initial=ReportForm.initial_for(report), sections=sections)
        formset = session_formset(initial=sessions_initial)
    elif "add_session" in request.POST:
        data = with_added_session(request.POST)
        form = ReportForm(data, sections=sections)
        formset = session_formset(data, initial=sessions_initial)
        suppress_errors(form, formset=formset)
        formset.forms[-1].fields["date"].widget.attrs["autofocus"] = True
    else:
        form = ReportForm(request.POST, sections=sections)
        formset = session_formset(request.POST, initial=sessions_initial)
        if form.is_valid() and formset.is_valid():
            values = form.data_for_service(formset.sessions())
            try:
                committee.report_save(
                    membership,
                    report,
                    expected_version=form.cleaned_data["version"],
                    data=values,
                )
            except StaleEditError as stale:
                conflict = _conflict_rows(form, stale, values)
                # Re-based on the current version: saving again overwrites knowingly.
                rebased = request.POST.copy()
                rebased["version"] = str(stale.current.version)  # type: ignore[attr-defined]
                form = ReportForm(rebased, sections=sections)
                form.is_valid()
                status = 409
            except ValidationError as error:
                apply_service_errors(form, error)
                status = 400
            else:
                messages.success(
                    request,
                    _("The report has been saved as version %(version)s.")
                    % {"version": report.version},
                )
                return redirect("reports:report_edit", pk=report.pk)
        else:
            status = 400
    shown = CommitteeReport.objects.get(pk=report.pk) if status != 200 else report
    figures, figure_sections, figures_error = _preview(membership, shown)
    return render(
        request,
        "reports/report_edit.html",
        {
            "report": shown,
            "form": form,
            "formset": formset,
            "conflict": conflict,
            "summary": error_summary(form, formset=formset, rows=SESSION_ROWS),
            "quality_list_id": QUALITY_LIST_ID,
            "qualities": committee.QUALITIES,
            "versions": shown.versions.select_related("saved_by").order_by("-number")[:30],
            "figures": figures,
            "sections": figure_sections,
            "figures_error": figures_error,
        },
        status=status,
    )


@require_http_methods(["GET", "POST"])
def report_edit(request: HttpRequest, pk: int) -> HttpResponse:
    membership = _member(request)
    report = committee.report_get(membership, pk)
    return _edit_page(request, membership, report)


# --- the outputs -------------------------------------------------------------------------------


@require_GET
def report_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    membership = _member(request)
    report = committee.report_get(membership, pk)
    figures = committee.report_figures(membership, report)
    pdf = render_report_pdf(report, figures)
    committee.record_printed(membership, report)
    return pdf_response(pdf, filename=pdf_filename(report))


@require_GET
def report_annex_xlsx(request: HttpRequest, pk: int) -> HttpResponse:
    from .exports import figures_xlsx

    membership = _member(request)
    report = committee.report_get(membership, pk)
    figures = committee.report_figures(membership, report)
    data = figures_xlsx(figures)
    committee.record_exported(membership, report, kind="xlsx")
    response = HttpResponse(data, content_type=XLSX)
    name = pdf_filename(report, "xlsx").replace(".xlsx", "-anlage.xlsx")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@require_GET
def report_oparl(request: HttpRequest, pk: int) -> HttpResponse:
    membership = _member(request)
    report = committee.report_get(membership, pk)
    paper = oparl.paper_json(report, base_url=request.build_absolute_uri("/"))
    committee.record_exported(membership, report, kind="oparl")
    return JsonResponse(
        paper,
        content_type="application/json",
        json_dumps_params={"ensure_ascii": False, "indent": 2},
    )


# --- old versions ------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def report_version(request: HttpRequest, pk: int, number: int) -> HttpResponse:
    membership = _member(request)
    report = committee.report_get(membership, pk)
    version = committee.report_version(membership, report, number)
    if request.method == "POST":
        form = RestoreForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("The form is incomplete. Reload the page and try again."))
            return redirect("reports:report_version", pk=report.pk, number=number)
        try:
            committee.report_restore(
                membership,
                report,
                number=number,
                expected_version=form.cleaned_data["version"],
            )
        except StaleEditError as stale:
            labels = ReportForm(sections=report.sections or [])
            messages.error(
                request,
                _(
                    "Someone else saved this report in the meantime (%(fields)s). Nothing was "
                    "restored: check the current version and try again."
                )
                % {
                    "fields": ", ".join(_label(labels, name) for name in stale.changed_fields)
                    or "—"
                },
            )
            return redirect("reports:report_version", pk=report.pk, number=number)
        except ValidationError as error:
            messages.error(request, "; ".join(error.messages))
            return redirect("reports:report_version", pk=report.pk, number=number)
        messages.success(
            request,
            _("Version %(old)s has been restored as version %(new)s.")
            % {"old": number, "new": report.version},
        )
        return redirect("reports:report_edit", pk=report.pk)
    content = committee.content_data(version.content)
    labels = ReportForm(sections=content.get("sections") or [])
    fields = [
        (_label(labels, name), _display(name, content.get(name)))
        for name in committee.FIELDS
        if name not in ("sections", "sessions")
    ]
    return render(
        request,
        "reports/report_version.html",
        {
            "report": report,
            "version": version,
            "fields": fields,
            "sessions": [
                {
                    "date": _shown_date(row.get("date")) if row.get("date") else "",
                    "committee": row.get("committee", ""),
                    "quality": row.get("quality", ""),
                }
                for row in content.get("sessions") or []
            ],
            "sections": content.get("sections") or [],
            "is_current": version.number == report.version,
            "restore": RestoreForm(initial={"version": report.version}),
        },
    )
