"""The committee report (Berichtsvorlage): its fixed wording, its default content, its saves.

A report is a German council paper laid out like the municipal template (VO/0513/20): the
header block, the Beratungsfolge (sessions), Grund der Vorlage, Beschlussvorschlag,
Unterschrift, Begründung in numbered sections, Anlagen — and the Anlage "Überblick,
Ergebnisse und Perspektiven" with the figures of the period. The document's fixed labels are
German by design and live here, in one place (:data:`LABELS`); the pages around it speak the
user's language.

Every section of ``CommitteeReport.sections`` is ``{"key", "heading", "text", "annex"}``:
``text`` is the section of the Begründung, ``annex`` the narrative that introduces the
section's tables and charts in the Anlage (both editable, both prefilled from the figures).

Numbers enter the texts only from the published (suppressed) figures, and only where an
entry is shown: a withheld value never appears, not even as "< k". Reports belong to the
city's coordination, not to a person: every holder of ``PREPARE_COMMITTEE_REPORT`` sees and
edits every report; everybody else gets a 404. Each save writes a
:class:`~lotse.reports.models.CommitteeReportVersion` and an audit event.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from lotse.accounts.models import Membership
from lotse.accounts.roles import Capability
from lotse.audit.models import AuditAction
from lotse.audit.services import record
from lotse.people.choices import District

from .models import CommitteeReport, CommitteeReportVersion, FigureRelease, FigureSource
from .tables import Entry, Figures, Row, Table, figures_from_snapshot, figures_snapshot

Style = CommitteeReport.LabelStyle

#: The document is a German council paper: it is always rendered in German.
DOCUMENT_LANGUAGE = "de"

# --- the fixed wording of the document ---------------------------------------------------------

_MUNICIPAL: dict[str, str] = {
    "kind": "Bericht",
    "business_area": "Geschäftsbereich",
    "department": "Ressort / Stadtbetrieb",
    "handler": "Bearbeiter:in",
    "phone": "Telefon (0202)",
    "fax": "Fax (0202)",
    "email": "E-Mail",
    "file_number": "Aktenzeichen",
    "date": "Datum:",
    "reference": "Drucks.-Nr.:",
    "reference_short": "Drucks.-Nr.",
    "public": "öffentlich",
    "nonpublic": "nichtöffentlich",
    "sessions": "",
    "session_date": "Sitzung am",
    "committee": "Gremium",
    "quality": "Beschlussqualität",
    "reason": "Grund der Vorlage",
    "proposal": "Beschlussvorschlag",
    "signature": "Unterschrift",
    "justification": "Begründung",
    "attachments": "Anlagen",
}

#: The wording of council information systems (ALLRIS, SessionNet …) for the same blocks.
_COUNCIL_SYSTEM: dict[str, str] = {
    **_MUNICIPAL,
    "kind": "Vorlage-Art",
    "department": "Federführend",
    "reference": "Drucksachen-Nr.:",
    "reference_short": "Drucksachen-Nr.",
    "sessions": "Beratungsfolge",
    "quality": "Zuständigkeit",
}

LABELS: dict[str, dict[str, str]] = {
    Style.MUNICIPAL: _MUNICIPAL,
    Style.COUNCIL_SYSTEM: _COUNCIL_SYSTEM,
}

#: The document's other fixed German texts.
DOCUMENT: dict[str, str] = {
    "annex_title": "Überblick, Ergebnisse und Perspektiven",
    "annex_of": "Anlage %(number)s zur %(reference)s",
    "annex_of_unnumbered": "Anlage %(number)s",
    "figure": "Abbildung %(number)s",
    "table": "Tabelle %(number)s",
    "source": "Quelle: Lotse, Stand %(date)s",
    "page": "Seite",
    "of": "von",
    "total": "Insgesamt",
    "row_total": "Gesamt",
    "change": "Veränderung",
    "period": "Berichtszeitraum",
    "area": "Gebiet",
    "scope_city": "gesamtes Stadtgebiet",
    "more_figures": "Weitere Kennzahlen",
    "draft": "Entwurf",
    "no_text": "",
}

#: The Beschlussqualitäten offered in the form (any other wording may be typed).
QUALITIES: tuple[str, ...] = ("Entgegennahme o. B.", "Kenntnisnahme", "Vorberatung", "Entscheidung")
#: Qualities with which a committee decides (OParl: ``authoritative``).
DECIDING_QUALITIES = frozenset({"Entscheidung", "Beschlussfassung", "Beschluss"})

DEFAULT_PAPER_TYPE = "Bericht"
DEFAULT_COMMITTEES: tuple[str, ...] = ("Jugendhilfeausschuss", "Integrationsrat")
DEFAULT_QUALITY = "Entgegennahme o. B."
DEFAULT_ATTACHMENTS: tuple[str, ...] = (DOCUMENT["annex_title"],)


def labels(style: str) -> dict[str, str]:
    """The document's labels in ``style`` (the municipal template for an unknown one)."""
    return LABELS.get(style, _MUNICIPAL)


# --- the outline -------------------------------------------------------------------------------


@dataclass(frozen=True)
class OutlineSection:
    """One numbered section of the Begründung and of the Anlage.

    ``figures``: the keys of the figure sections (``Figures.sections``) shown under it in
    the Anlage.
    """

    key: str
    heading: str
    figures: tuple[str, ...] = ()


DEFAULT_SECTIONS: tuple[OutlineSection, ...] = (
    OutlineSection("mandate", "Auftrag und Ausgangslage"),
    OutlineSection("organisation", "Organisation und Ressourcen", ("capacity",)),
    OutlineSection("casework", "Fallarbeit in Zahlen", ("volume", "contacts", "clients")),
    OutlineSection(
        "outcomes", "Bedarfe, Vermittlungen, Abschlüsse", ("needs", "referrals", "closures")
    ),
    OutlineSection("findings", "Strukturbefunde und Maßnahmen", ("findings",)),
    OutlineSection("network", "Zusammenarbeit und Netzwerk", ("governance",)),
    OutlineSection("outlook", "Ausblick"),
)
OUTLINE: dict[str, OutlineSection] = {section.key: section for section in DEFAULT_SECTIONS}


def figure_keys(section_key: str) -> tuple[str, ...]:
    outline = OUTLINE.get(section_key)
    return outline.figures if outline is not None else ()


# --- access ------------------------------------------------------------------------------------


def may_prepare(membership: Membership | None) -> bool:
    return membership is not None and membership.can(Capability.PREPARE_COMMITTEE_REPORT)


def _require(membership: Membership | None) -> Membership:
    if membership is None or not may_prepare(membership):
        raise Http404
    return membership


def reports_for(membership: Membership | None) -> QuerySet[CommitteeReport]:
    """Every report, newest first, for those who prepare reports; 404 for everybody else."""
    _require(membership)
    return CommitteeReport.objects.order_by("-created_at", "-pk")


def report_get(membership: Membership | None, pk: int) -> CommitteeReport:
    return get_object_or_404(reports_for(membership), pk=pk)


def report_figures(
    membership: Membership, report: CommitteeReport, *, language: str | None = None
) -> Figures:
    """The figures of the report's period (audited by ``aggregates``), labelled in
    ``language`` (the document's German by default; ``""`` keeps the active language).

    A final report shows the figures it was released with (:func:`release`), in the
    document's German, whatever the data did since.
    """
    from . import aggregates

    _require(membership)
    if report.state == CommitteeReport.State.FINAL:
        released = release(membership, report)
        aggregates.record_release_shown(membership, released)
        return figures_from_snapshot(released.figures)
    chosen = DOCUMENT_LANGUAGE if language is None else language or translation.get_language()
    with translation.override(chosen):
        return aggregates.request_figures(
            membership,
            start=report.period_from,
            end=report.period_to,
            district=report.district,
            source=FigureSource.REPORT,
        )


def release(membership: Membership, report: CommitteeReport) -> FigureRelease:
    """The release of the report's figures for its period and district, made now if there
    is none: counted, protected against every release before (``release_audit``, through
    ``aggregates``) and kept unchanged from then on, published values only.

    Two reports released at the same moment are not protected against each other; releases
    are rare and deliberate (saving a report as final), so this is left to the people.
    """
    from . import aggregates

    _require(membership)
    found = (
        report.releases.filter(
            period_from=report.period_from, period_to=report.period_to, district=report.district
        )
        .order_by("pk")
        .first()
    )
    if found is not None:
        return found
    with translation.override(DOCUMENT_LANGUAGE):
        figures = aggregates.request_figures(
            membership,
            start=report.period_from,
            end=report.period_to,
            district=report.district,
            source=FigureSource.REPORT,
        )
    return FigureRelease.objects.create(
        report=report,
        scope=aggregates.scope_key(aggregates.figures_scope(membership)),
        period_from=report.period_from,
        period_to=report.period_to,
        covers_from=figures.previous.start,
        district=report.district,
        figures=figures_snapshot(figures),
        forms={table.key: table.form for table in figures.tables() if table.form is not None},
        released_by=membership.user,
    )


# --- the saved content -------------------------------------------------------------------------

#: The fields a save writes (and a version keeps).
FIELDS: tuple[str, ...] = (
    "title",
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
    "sessions",
    "reason",
    "proposal",
    "signature",
    "sections",
    "attachments",
    "state",
)
_DATE_FIELDS = frozenset({"period_from", "period_to", "report_date"})


def snapshot(report: CommitteeReport) -> dict[str, Any]:
    """The report's content as JSON (dates as ISO strings): what a version keeps."""
    content: dict[str, Any] = {}
    for name in FIELDS:
        value = getattr(report, name)
        content[name] = value.isoformat() if isinstance(value, date) else value
    return content


def content_data(content: Mapping[str, Any]) -> dict[str, Any]:
    """A version's content as values for :func:`report_save` (dates parsed, unknown keys
    left out)."""
    data: dict[str, Any] = {}
    for name in FIELDS:
        if name not in content:
            continue
        value = content[name]
        if name in _DATE_FIELDS and isinstance(value, str):
            value = date.fromisoformat(value)
        data[name] = value
    return data


def _check(data: Mapping[str, Any]) -> None:
    from . import aggregates

    start, end = data.get("period_from"), data.get("period_to")
    if isinstance(start, date) and isinstance(end, date):
        try:
            aggregates.check_period(start, end)
        except aggregates.PeriodError as error:
            raise ValidationError({"period_to": str(error)}, code="period") from error
    district = data.get("district")
    if district and district not in District.values:
        raise ValidationError({"district": _("Choose a district of the list.")}, code="district")
    style = data.get("label_style")
    if style is not None and style not in Style.values:
        raise ValidationError({"label_style": _("Choose one of the label styles.")})


def _write_version(report: CommitteeReport, membership: Membership) -> CommitteeReportVersion:
    return CommitteeReportVersion.objects.create(
        report=report,
        number=report.version,
        content=snapshot(report),
        saved_by=membership.user,
        saved_at=timezone.now(),
    )


def _audit(action: str, membership: Membership, report: CommitteeReport, **detail: Any) -> None:
    record(
        action=action,
        actor=membership.user,
        agency=membership.agency,
        target=report,
        detail=detail,
    )


def report_create(
    membership: Membership,
    *,
    start: date,
    end: date,
    district: str = "",
    title: str = "",
    figures: Figures | None = None,
) -> CommitteeReport:
    """A new draft of ``start``–``end``, prefilled from the figures of the period (requested
    here unless given), saved as version 1."""
    _require(membership)
    _check({"period_from": start, "period_to": end, "district": district})
    if figures is None:
        from . import aggregates

        try:
            with translation.override(DOCUMENT_LANGUAGE):
                figures = aggregates.request_figures(
                    membership, start=start, end=end, district=district, source=FigureSource.REPORT
                )
        except aggregates.PeriodError as error:
            raise ValidationError({"period_to": str(error)}) from error
    sessions = [
        {"date": "", "committee": committee, "quality": DEFAULT_QUALITY}
        for committee in DEFAULT_COMMITTEES
    ]
    with translation.override(DOCUMENT_LANGUAGE):
        sections = default_sections(figures, start=start, end=end, district=district)
    report = CommitteeReport(
        period_from=start,
        period_to=end,
        district=district,
        title=title.strip() or default_title(start=start, end=end, district=district),
        paper_type=DEFAULT_PAPER_TYPE,
        report_date=timezone.localdate(),
        sessions=sessions,
        reason=default_reason(start=start, end=end, district=district),
        proposal=default_proposal([row["committee"] for row in sessions]),
        sections=sections,
        attachments=list(DEFAULT_ATTACHMENTS),
        created_by=membership.user,
        agency=membership.agency,
    )
    with transaction.atomic():
        report.save()
        _write_version(report, membership)
        _audit(AuditAction.COMMITTEE_REPORT_SAVED, membership, report, version=report.version)
    return report


def report_save(
    membership: Membership,
    report: CommitteeReport,
    *,
    expected_version: int,
    data: Mapping[str, Any],
) -> CommitteeReport:
    """Save ``data`` (form values by field name) as the next version.

    :class:`~lotse.core.models.StaleEditError` (naming the changed fields) when someone
    saved since ``expected_version``; nothing is written then.
    """
    _require(membership)
    values = {name: data[name] for name in FIELDS if name in data}
    _check({**snapshot_values(report), **values})
    for name, value in values.items():
        setattr(report, name, value)
    with transaction.atomic():
        report.save_versioned(expected_version=expected_version, update_fields=list(FIELDS))
        _write_version(report, membership)
        _audit(AuditAction.COMMITTEE_REPORT_SAVED, membership, report, version=report.version)
        if report.state == CommitteeReport.State.FINAL:
            release(membership, report)
    return report


def snapshot_values(report: CommitteeReport) -> dict[str, Any]:
    return {name: getattr(report, name) for name in FIELDS}


def report_version(
    membership: Membership, report: CommitteeReport, number: int
) -> CommitteeReportVersion:
    _require(membership)
    return get_object_or_404(report.versions.select_related("saved_by"), number=number)


def report_restore(
    membership: Membership, report: CommitteeReport, *, number: int, expected_version: int
) -> CommitteeReport:
    """Save the content of version ``number`` again, as a new version."""
    old = report_version(membership, report, number)
    return report_save(
        membership, report, expected_version=expected_version, data=content_data(old.content)
    )


def record_printed(membership: Membership, report: CommitteeReport) -> None:
    _audit(AuditAction.COMMITTEE_REPORT_PRINTED, membership, report, version=report.version)


def record_exported(membership: Membership, report: CommitteeReport, *, kind: str) -> None:
    _audit(
        AuditAction.COMMITTEE_REPORT_EXPORTED,
        membership,
        report,
        version=report.version,
        format=kind,
    )


# --- the default content -----------------------------------------------------------------------


def _day(value: date) -> str:
    return date_format(value, "d.m.Y")


def area_text(district: str) -> str:
    """Where the report looks, in the document's words."""
    if district and district in District.values:
        return f"Stadtbezirk {District(district).label}"
    return DOCUMENT["scope_city"]


def default_title(*, start: date, end: date, district: str = "") -> str:
    if start.year == end.year and (start.month, start.day, end.month, end.day) == (1, 1, 12, 31):
        period = str(start.year)
    else:
        period = f"{_day(start)} – {_day(end)}"
    suffix = f", {area_text(district)}" if district else ""
    return f"Sachstandsbericht Kommunales Integrationsmanagement {period}{suffix}"


def default_reason(*, start: date, end: date, district: str = "") -> str:
    return (
        "Übersicht über die Ergebnisse und Perspektiven der rechtskreisübergreifenden "
        "Begleitung zugewanderter Familien (Kommunales Integrationsmanagement) im Zeitraum vom "
        f"{_day(start)} bis {_day(end)}, {area_text(district)}."
    )


_FEMININE = ("vertretung", "kommission", "konferenz", "versammlung", "runde", "gruppe")
_NEUTER = ("gremium", "forum", "plenum", "kuratorium", "präsidium")


def _article(committee: str) -> str:
    head = committee.split()[0].lower() if committee.split() else ""
    if head.endswith(_FEMININE):
        return "die"
    if head.endswith(_NEUTER):
        return "das"
    return "der"


def default_proposal(committees: Sequence[str]) -> str:
    """ "Der Jugendhilfeausschuss und der Integrationsrat nehmen den Sachstandsbericht zur
    Kenntnis." for the committees of the sessions (each named once)."""
    names: list[str] = []
    for name in (c.strip() for c in committees):
        if name and name not in names:
            names.append(name)
    if not names:
        return "Der Sachstandsbericht wird zur Kenntnis genommen."
    named = [f"{_article(name)} {name}" for name in names]
    subject = named[0] if len(named) == 1 else ", ".join(named[:-1]) + " und " + named[-1]
    verb = "nimmt" if len(named) == 1 else "nehmen"
    return f"{subject[0].upper()}{subject[1:]} {verb} den Sachstandsbericht zur Kenntnis."


# --- texts from the figures: only shown entries ------------------------------------------------


def _table(figures: Figures, key: str) -> Table | None:
    try:
        return figures.table(key)
    except KeyError:
        return None


def _row(table: Table | None, code: str) -> Row | None:
    if table is None:
        return None
    return next((row for row in table.rows if row.code == code), None)


def _shown(entry: Entry | None, k: int) -> str | None:
    """The entry as text if it is shown, else ``None`` (never "< k" or "•")."""
    if entry is None or not entry.shown:
        return None
    return entry.text(k)


def _current(table: Table | None, code: str) -> str | None:
    row = _row(table, code)
    if table is None or row is None or not row.entries:
        return None
    return _shown(row.entries[0], table.k)


def _column_total(table: Table | None, index: int = 0) -> str | None:
    if table is None or not table.column_totals or len(table.column_totals) <= index:
        return None
    return _shown(table.column_totals[index], table.k)


def _grand_total(table: Table | None) -> str | None:
    if table is None:
        return None
    return _shown(table.grand_total, table.k)


def _row_total(table: Table | None, code: str) -> str | None:
    row = _row(table, code)
    if table is None or row is None:
        return None
    return _shown(row.total, table.k)


def _nz(text: str | None) -> str | None:
    """``text`` unless it is a zero (a sentence about nothing is left out)."""
    return None if text == "0" else text


def _join(parts: Iterable[str | None]) -> str:
    return " ".join(part for part in parts if part)


def _list(items: Sequence[str]) -> str:
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " und " + items[-1]


def _mandate(figures: Figures, start: date, end: date, district: str) -> tuple[str, str]:
    text = (
        "Lotse unterstützt die rechtskreisübergreifende Zusammenarbeit von Behörden und "
        "Trägern bei der Begleitung zugewanderter Familien im Rahmen des Kommunalen "
        "Integrationsmanagements. Der Bericht gibt den Sachstand für den Zeitraum vom "
        f"{_day(start)} bis {_day(end)} wieder ({area_text(district)}); verglichen wird jeweils "
        "mit demselben Zeitraum des Vorjahres."
    )
    annex = (
        "Die folgenden Abschnitte stellen die Kennzahlen des Berichtszeitraums dar. Alle "
        "Angaben sind aggregiert und anonymisiert: Werte unter "
        f"{figures.k} werden nicht ausgewiesen („< {figures.k}“), mit „•“ gekennzeichnete "
        "Werte sind zusätzlich gesperrt, damit kleine Werte nicht zurückgerechnet werden können."
    )
    return text, annex


def _organisation(figures: Figures, end: date) -> tuple[str, str]:
    posts = _table(figures, "staff_posts")
    caseload = _table(figures, "caseload")
    total = _grand_total(posts)
    cm_posts = _nz(_current(caseload, "posts"))
    ratio = _nz(_current(caseload, "per_post"))
    if total == "0":
        summary: str | None = f"Zum {_day(end)} sind in Lotse keine Stellen erfasst."
    elif total:
        summary = (
            f"Zum {_day(end)} waren insgesamt {total} Vollzeitstellen in den Bausteinen des "
            "Kommunalen Integrationsmanagements besetzt."
        )
    else:
        summary = None
    text = _join(
        [
            summary,
            f"Auf das rechtskreisübergreifende Fallmanagement entfielen {cm_posts} Vollzeitstellen."
            if cm_posts
            else None,
            f"Rechnerisch kamen auf eine Vollzeitstelle im Fallmanagement {ratio} Fälle."
            if ratio
            else None,
        ]
    ) or ("Die personelle Ausstattung ist in der Anlage dargestellt.")
    annex = (
        "Stellen nach Baustein und Träger (Vollzeitäquivalente) sowie die Fallzahl je Stelle "
        "im Fallmanagement, jeweils zum Ende des Zeitraums."
    )
    return text, annex


def _casework(figures: Figures, end: date) -> tuple[str, str]:
    in_care = _table(figures, "in_care")
    flow = _table(figures, "case_flow")
    contacts = _table(figures, "contacts")
    persons = _current(in_care, "persons")
    families = _current(in_care, "families")
    cases = _grand_total(flow)
    new = _nz(_row_total(flow, "new"))
    closed = _nz(_column_total(flow, 0))
    contact_total = _nz(_column_total(contacts, 0))
    stock: str | None = None
    if persons and families:
        stock = f"Am {_day(end)} wurden {persons} Personen in {families} Familien begleitet."
    elif persons:
        stock = f"Am {_day(end)} wurden {persons} Personen begleitet."
    elif families:
        stock = f"Am {_day(end)} wurden {families} Familien begleitet."
    flow_text: str | None = None
    if cases:
        details = [
            f"{new} davon wurden neu aufgenommen" if new else "",
            f"{closed} abgeschlossen" if closed else "",
        ]
        details = [d for d in details if d]
        flow_text = f"Im Berichtszeitraum wurden insgesamt {cases} Fälle bearbeitet" + (
            "; " + _list(details) + "." if details else "."
        )
    elif new:
        flow_text = f"Im Berichtszeitraum wurden {new} Fälle neu aufgenommen."
    text = (
        _join(
            [
                stock,
                flow_text,
                f"Dokumentiert wurden {contact_total} Kontakte mit den Familien."
                if contact_total
                else None,
            ]
        )
        or "Die Fallzahlen des Zeitraums sind in der Anlage dargestellt."
    )
    annex = (
        "Bestand am Stichtag, Verlauf der Fälle im Zeitraum, Kontakte nach Kontaktweg und die "
        "Zusammensetzung der begleiteten Personen und Familien."
    )
    return text, annex


def _top_rows(table: Table | None, count: int = 3) -> list[str]:
    """The rows with the highest shown current values: "label (value)"."""
    if table is None:
        return []
    ranked: list[tuple[int | Decimal, str]] = []
    for row in table.rows:
        entry = row.entries[0] if row.entries else None
        if entry is not None and entry.shown and entry.value is not None and entry.value > 0:
            ranked.append((entry.value, f"{row.label} ({entry.text(table.k)})"))
    ranked.sort(key=lambda item: -item[0])
    return [label for _value, label in ranked[:count]]


def _outcomes(figures: Figures) -> tuple[str, str]:
    needs = _table(figures, "needs")
    referrals = _table(figures, "referrals_by_target")
    timing = _table(figures, "referral_timing")
    closures = _table(figures, "closures")
    duration = _table(figures, "case_duration")
    top = _top_rows(needs)
    sent = _nz(_grand_total(referrals))
    completed = _nz(_column_total(referrals, 0))
    wait = _current(timing, "median")
    closed = _nz(_column_total(closures, 0))
    median = _current(duration, "median")
    text = (
        _join(
            [
                f"Die häufigsten Bedarfe bestanden in den Lebensbereichen {_list(top)}."
                if top
                else None,
                (
                    f"Es wurden {sent} Vermittlungen versandt"
                    + (f", davon {completed} erfolgreich abgeschlossen." if completed else ".")
                )
                if sent
                else None,
                f"Bis zum Beginn der Unterstützung vergingen im Median {wait} Tage."
                if wait
                else None,
                f"{closed} Fälle wurden im Berichtszeitraum abgeschlossen." if closed else None,
                f"Die Begleitung abgeschlossener Fälle dauerte im Median {median} Tage."
                if median
                else None,
            ]
        )
        or "Bedarfe, Vermittlungen und Abschlüsse sind in der Anlage dargestellt."
    )
    annex = (
        "Bedarfe nach Lebensbereich, Vermittlungen nach aufnehmender Stelle und Stand, "
        "Wartezeiten, Abschlüsse nach Grund und die Zielerreichung abgeschlossener Fälle."
    )
    return text, annex


def _findings(figures: Figures) -> tuple[str, str]:
    grid = _table(figures, "findings_by_district")
    status = _table(figures, "findings_status")
    total = _grand_total(grid)
    taken_up = _nz(_current(status, "taken_up"))
    resolved = _nz(_current(status, "resolved"))
    if total == "0":
        found: str | None = "Im Berichtszeitraum wurden keine Strukturbefunde festgestellt."
    elif total:
        found = (
            f"Im Berichtszeitraum wurden {total} Strukturbefunde festgestellt: Bedarfe ohne "
            "passendes Angebot und mangels Kapazität abgelehnte Vermittlungen."
        )
    else:
        found = None
    text = _join(
        [
            found,
            (
                f"Die Steuerungsgruppe hat {taken_up} Befunde aufgegriffen"
                + (f"; {resolved} sind behoben." if resolved else ".")
            )
            if taken_up
            else (f"{resolved} Befunde sind behoben." if resolved else None),
        ]
    ) or (
        "Strukturbefunde – Lücken im Angebot, die in der Fallarbeit sichtbar werden – und die "
        "beschlossenen Maßnahmen sind in der Anlage dargestellt."
    )
    annex = (
        "Strukturbefunde nach Lebensbereich und Stadtbezirk, ihre Entwicklung gegenüber dem "
        "Vorjahr und ihr Stand in der Steuerungsgruppe."
    )
    return text, annex


def _network(figures: Figures) -> tuple[str, str]:
    governance = _table(figures, "governance")
    steering = _nz(_current(governance, "steering_group"))
    working = _nz(_current(governance, "working_group"))
    agreements = _nz(_current(governance, "agreements_in_force"))
    meetings: list[str] = []
    if steering:
        meetings.append(f"die Steuerungsgruppe {steering}-mal")
    if working:
        meetings.append(f"die Arbeitsgruppen {working}-mal")
    text = (
        _join(
            [
                f"Im Berichtszeitraum tagten {_list(meetings)}." if meetings else None,
                f"Zum Ende des Zeitraums bestanden {agreements} Kooperationsvereinbarungen."
                if agreements
                else None,
            ]
        )
        or "Die Zusammenarbeit im Netzwerk ist in der Anlage dargestellt."
    )
    annex = "Sitzungen der Steuerungs- und Arbeitsgruppen und Kooperationsvereinbarungen."
    return text, annex


def _outlook() -> tuple[str, str]:
    text = (
        "Die Steuerungsgruppe verfolgt die festgestellten Strukturbefunde weiter und berichtet "
        "im nächsten Sachstandsbericht über den Stand der Maßnahmen."
    )
    return text, ""


def default_sections(
    figures: Figures, *, start: date, end: date, district: str = ""
) -> list[dict[str, str]]:
    """The seven sections, their texts generated from the shown figures."""
    texts: dict[str, tuple[str, str]] = {
        "mandate": _mandate(figures, start, end, district),
        "organisation": _organisation(figures, end),
        "casework": _casework(figures, end),
        "outcomes": _outcomes(figures),
        "findings": _findings(figures),
        "network": _network(figures),
        "outlook": _outlook(),
    }
    return [
        {
            "key": section.key,
            "heading": section.heading,
            "text": texts[section.key][0],
            "annex": texts[section.key][1],
        }
        for section in DEFAULT_SECTIONS
    ]
