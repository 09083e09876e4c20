"""Input schemas of the committee-report pages: a new report, the report form, its sessions.

They parse and name fields; the rules (period, who may) live in :mod:`lotse.reports.committee`.
The texts the user types (headings of the template, committee names, Beschlussqualitäten) stay
as typed: the document is German.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any

from django import forms
from django.forms.formsets import BaseFormSet, formset_factory
from django.utils.translation import gettext_lazy as _

from lotse.core.forms import KernForm, PlausibleDateField, RowTexts, date_input, row_deleted
from lotse.people.choices import District

from .committee import QUALITIES
from .models import CommitteeReport

#: The id of the datalist of common Beschlussqualitäten (rendered once on the page).
QUALITY_LIST_ID = "report-qualities"
#: At most this many sessions (the form never builds more rows, whatever is posted).
MAX_SESSIONS = 12
#: How the error summary names a session row.
SESSION_ROWS = RowTexts(
    field=_("Session %(row)s, %(field)s: %(message)s"),
    plain=_("Session %(row)s: %(message)s"),
)


def _district_field() -> forms.ChoiceField:
    return forms.ChoiceField(
        label=_("District"),
        required=False,
        choices=[("", _("whole city")), *District.choices],
    )


def last_full_year(today: date) -> tuple[date, date]:
    """The last full calendar year before ``today``."""
    year = today.year - 1
    return date(year, 1, 1), date(year, 12, 31)


def _check_period(form: forms.Form) -> None:
    start = form.cleaned_data.get("period_from")
    end = form.cleaned_data.get("period_to")
    if isinstance(start, date) and isinstance(end, date) and end < start:
        form.add_error("period_to", _("The end of the period lies before its start."))


class NewReportForm(KernForm):
    period_from = PlausibleDateField(label=_("Period from"), widget=date_input())
    period_to = PlausibleDateField(label=_("Period until"), widget=date_input())
    district = _district_field()
    title = forms.CharField(
        label=_("Title"),
        max_length=300,
        required=False,
        help_text=_("Leave it empty for a title naming the period."),
    )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        _check_period(self)
        return cleaned


def _text(label: Any, *, rows: int = 4, help_text: Any = "") -> forms.CharField:
    return forms.CharField(
        label=label,
        required=False,
        max_length=20000,
        help_text=help_text,
        widget=forms.Textarea(attrs={"rows": rows}),
    )


class ReportForm(KernForm):
    """The header, texts and sections of a report; the sessions are a formset beside it."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    title = forms.CharField(label=_("Title"), max_length=300)
    state = forms.ChoiceField(label=_("State"), choices=CommitteeReport.State.choices)
    label_style = forms.ChoiceField(
        label=_("Labels of the document"),
        choices=CommitteeReport.LabelStyle.choices,
        widget=forms.RadioSelect,
    )
    paper_type = forms.CharField(
        label=_("Kind of paper"), max_length=60, help_text=_("E.g. Bericht.")
    )
    period_from = PlausibleDateField(label=_("Period from"), widget=date_input())
    period_to = PlausibleDateField(label=_("Period until"), widget=date_input())
    district = _district_field()
    business_area = forms.CharField(
        label=_("Business area"),
        max_length=200,
        required=False,
        help_text=_("E.g. Soziales, Jugend, Schule & Integration."),
    )
    department = forms.CharField(
        label=_("Department or municipal enterprise"),
        max_length=200,
        required=False,
        help_text=_("The department in charge, e.g. Ressort Zuwanderung und Integration."),
    )
    handler_name = forms.CharField(label=_("Handled by"), max_length=200, required=False)
    handler_phone = forms.CharField(label=_("Telephone"), max_length=40, required=False)
    handler_fax = forms.CharField(label=_("Fax"), max_length=40, required=False)
    handler_email = forms.EmailField(label=_("E-mail"), max_length=254, required=False)
    file_number = forms.CharField(label=_("File number"), max_length=60, required=False)
    report_date = PlausibleDateField(label=_("Date of the paper"), widget=date_input())
    reference = forms.CharField(
        label=_("Paper number"),
        max_length=40,
        required=False,
        help_text=_("The council's number of the paper, e.g. VO/0123/25."),
    )
    is_public = forms.TypedChoiceField(
        label=_("Publicity"),
        choices=[("1", _("public")), ("0", _("not public"))],
        coerce=lambda value: value == "1",
        widget=forms.RadioSelect,
    )
    reason = _text(_("Reason for the paper"), rows=3)
    proposal = _text(_("Proposed resolution"), rows=3)
    signature = forms.CharField(label=_("Signature"), max_length=200, required=False)
    attachments = _text(
        _("Attachments"), rows=2, help_text=_("One attachment per line, in the order of the paper.")
    )

    def __init__(
        self, *args: Any, sections: Sequence[Mapping[str, Any]] = (), **kwargs: Any
    ) -> None:
        self.section_rows = [dict(section) for section in sections]
        super().__init__(*args, **kwargs)
        for number, section in enumerate(self.section_rows, start=1):
            params = {"number": number, "heading": section.get("heading", "")}
            self.fields[f"text_{section['key']}"] = _text(
                _("%(number)s. %(heading)s: text of the reasoning") % params, rows=5
            )
            self.fields[f"annex_{section['key']}"] = _text(
                _("%(number)s. %(heading)s: text in the annex") % params,
                rows=3,
                help_text=_("Introduces the tables and charts of this section in the annex."),
            )
        # KernForm gave the classes before the section fields existed.
        for name, field in self.fields.items():
            if name.startswith(("text_", "annex_")):
                field.widget.attrs["class"] = "kern-form-input__input"

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        _check_period(self)
        return cleaned

    def section_fields(self) -> list[tuple[forms.BoundField, forms.BoundField]]:
        """The two text fields of each section, in order (for the template)."""
        return [
            (self[f"text_{section['key']}"], self[f"annex_{section['key']}"])
            for section in self.section_rows
        ]

    @staticmethod
    def initial_for(report: CommitteeReport | Mapping[str, Any]) -> dict[str, Any]:
        """The form's initial values from a report or a version's content."""
        get = report.get if isinstance(report, Mapping) else lambda name: getattr(report, name)
        initial: dict[str, Any] = {
            name: get(name)
            for name in (
                "title",
                "state",
                "label_style",
                "paper_type",
                "period_from",
                "period_to",
                "district",
                "business_area",
                "department",
                "handler_name",
                "handler_phone",
                "handler_fax",
                "handler_email",
                "file_number",
                "report_date",
                "reference",
                "reason",
                "proposal",
                "signature",
            )
        }
        initial["is_public"] = "1" if get("is_public") else "0"
        initial["attachments"] = "\n".join(str(item) for item in get("attachments") or [])
        for section in get("sections") or []:
            initial[f"text_{section['key']}"] = section.get("text", "")
            initial[f"annex_{section['key']}"] = section.get("annex", "")
        if not isinstance(report, Mapping):
            initial["version"] = report.version
        return initial

    def data_for_service(self, sessions: list[dict[str, str]]) -> dict[str, Any]:
        data = self.cleaned_data
        values: dict[str, Any] = {
            name: data[name]
            for name in (
                "title",
                "state",
                "label_style",
                "paper_type",
                "period_from",
                "period_to",
                "district",
                "business_area",
                "department",
                "handler_name",
                "handler_phone",
                "handler_fax",
                "handler_email",
                "file_number",
                "report_date",
                "reference",
                "is_public",
                "reason",
                "proposal",
                "signature",
            )
        }
        for name in ("title", "paper_type", "reference", "signature", "file_number"):
            values[name] = str(values[name] or "").strip()
        values["attachments"] = [
            line.strip() for line in str(data.get("attachments") or "").splitlines() if line.strip()
        ]
        values["sections"] = [
            {
                "key": section["key"],
                "heading": section.get("heading", ""),
                "text": str(data.get(f"text_{section['key']}") or "").strip(),
                "annex": str(data.get(f"annex_{section['key']}") or "").strip(),
            }
            for section in self.section_rows
        ]
        values["sessions"] = sessions
        return values


class SessionForm(KernForm):
    """One row of the sessions table (Sitzung am, Gremium, Beschlussqualität)."""

    date = PlausibleDateField(label=_("Session on"), required=False, widget=date_input())
    committee = forms.CharField(
        label=_("Committee"), max_length=200, required=False, help_text=_("E.g. Integrationsrat.")
    )
    quality = forms.CharField(
        label=_("Kind of resolution"),
        max_length=100,
        required=False,
        widget=forms.TextInput(attrs={"list": QUALITY_LIST_ID, "autocomplete": "off"}),
    )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        committee = str(cleaned.get("committee") or "").strip()
        if not committee and (cleaned.get("date") or str(cleaned.get("quality") or "").strip()):
            self.add_error("committee", _("Name the committee of this session."))
        return cleaned

    @staticmethod
    def initial_for(session: Mapping[str, Any]) -> dict[str, Any]:
        raw = session.get("date") or ""
        try:
            day: date | None = date.fromisoformat(str(raw)) if raw else None
        except ValueError:
            day = None
        return {
            "date": day,
            "committee": session.get("committee", ""),
            "quality": session.get("quality", ""),
        }

    def session(self) -> dict[str, str]:
        data = self.cleaned_data
        day = data.get("date")
        return {
            "date": day.isoformat() if isinstance(day, date) else "",
            "committee": str(data.get("committee") or "").strip(),
            "quality": str(data.get("quality") or "").strip(),
        }


class BaseSessionFormSet(BaseFormSet[SessionForm]):
    def add_fields(self, form: SessionForm, index: int | None) -> None:
        super().add_fields(form, index)
        if "DELETE" in form.fields:
            form.fields["DELETE"].label = _("Remove this session")
            form.fields["DELETE"].widget.attrs["class"] = "kern-form-check__checkbox"

    def sessions(self) -> list[dict[str, str]]:
        """The filled rows not ticked to be removed, in order."""
        rows = []
        for form in self.forms:
            if row_deleted(form) or not hasattr(form, "cleaned_data"):
                continue
            session = form.session()
            if session["committee"]:
                rows.append(session)
        return rows


SessionFormSet = formset_factory(
    SessionForm,
    formset=BaseSessionFormSet,
    extra=1,
    max_num=MAX_SESSIONS,
    validate_max=True,
    absolute_max=MAX_SESSIONS,
    can_delete=True,
)


def session_formset(
    data: Any = None, *, initial: list[dict[str, Any]] | None = None
) -> BaseSessionFormSet:
    formset = SessionFormSet(data=data, prefix="sessions", initial=initial)
    assert isinstance(formset, BaseSessionFormSet)  # noqa: S101 - built from it
    return formset


def with_added_session(data: Any) -> Any:
    """The posted data with one more (empty) session row."""
    copy = data.copy()
    try:
        total = int(copy.get("sessions-TOTAL_FORMS") or 1)
    except ValueError:
        total = 1
    copy["sessions-TOTAL_FORMS"] = str(max(1, min(total + 1, MAX_SESSIONS)))
    return copy


class RestoreForm(KernForm):
    """Restore an old version: the version the user saw, for the optimistic lock."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


def quality_choices() -> tuple[str, ...]:
    return QUALITIES
