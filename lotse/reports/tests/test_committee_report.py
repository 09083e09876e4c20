"""The committee report: default content, versions and stale saves, the PDF, the pages, the
command. The figures are built by hand (one cell even carries the raw value of a withheld
entry, as a faulty table might): no withheld value may reach a text, the PDF or a chart."""

from __future__ import annotations

import io
import time
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError
from django.http import Http404
from django.test import Client
from django.utils import timezone, translation
from pypdf import PdfReader

from lotse.accounts.models import Membership, User
from lotse.accounts.tests.factories import acting
from lotse.audit.models import AuditEvent
from lotse.core.forms import error_summary
from lotse.core.models import StaleEditError
from lotse.reports import aggregates, committee
from lotse.reports.models import CommitteeReport, CommitteeReportVersion
from lotse.reports.report_forms import (
    SESSION_ROWS,
    NewReportForm,
    ReportForm,
    last_full_year,
    session_formset,
)
from lotse.reports.report_pdf import render_report_pdf
from lotse.reports.suppression import State
from lotse.reports.tables import Column, Entry, Figures, Period, Row, Section, Table

K = 5
#: The raw value of a withheld cell: it must appear nowhere.
HIDDEN = 7919
AS_OF = date(2026, 1, 15)
TITLE = "Sachstandsbericht Testbericht 2025"


def hand_figures() -> Figures:
    compare = (Column("current", "2025"), Column("previous", "2024 (year before)"))
    in_care = Table(
        key="in_care",
        title="Persons and families in care on the reference date",
        row_heading="Counted",
        columns=compare,
        rows=(
            Row("persons", "Persons", (Entry(1234), Entry(1100))),
            Row("families", "Families (households)", (Entry(345), Entry(300))),
        ),
        k=K,
        compare=True,
        chart="none",
    )
    flow = Table(
        key="case_flow",
        title="Cases in the period: new, continued and closed",
        row_heading="Cases",
        columns=(Column("closed", "closed in the period"), Column("open", "still in care")),
        rows=(
            Row("continued", "continued", (Entry(120), Entry(200)), total=Entry(320)),
            Row(
                "new",
                "new in the period",
                (Entry(None, State.PRIMARY), Entry(None, State.SECONDARY)),
                total=Entry(None, State.SECONDARY),
            ),
        ),
        column_totals=(Entry(None, State.SECONDARY), Entry(None, State.SECONDARY)),
        grand_total=Entry(None, State.SECONDARY),
        k=K,
        chart="none",
    )
    contacts = Table(
        key="contacts",
        title="Contacts by channel",
        row_heading="Channel",
        columns=compare,
        rows=(
            Row("talk", "In person", (Entry(2500), Entry(2300))),
            Row("phone_call", "Phone", (Entry(1800), Entry(1700))),
            # A faulty table that kept the raw value of a withheld cell.
            Row("home_visit", "Home visit", (Entry(HIDDEN, State.PRIMARY), Entry(12))),
        ),
        column_totals=(Entry(None, State.SECONDARY), Entry(4012)),
        k=K,
        compare=True,
        chart="bar",
    )
    posts = Table(
        key="staff_posts",
        title="Staff posts (full-time equivalents) by building block and provider",
        row_heading="Provider",
        columns=(Column("case_management", "Case management"),),
        rows=(Row("1", "KIM Integration", (Entry(Decimal("6.5")),), total=Entry(Decimal("6.5"))),),
        column_totals=(Entry(Decimal("6.5")),),
        grand_total=Entry(Decimal("6.5")),
        unit="fte",
        k=K,
        chart="none",
    )
    governance = Table(
        key="governance",
        title="Steering and cooperation",
        row_heading="Figure",
        columns=compare,
        rows=(
            Row("steering_group", "Steering-group meetings", (Entry(4), Entry(3))),
            Row("working_group", "Working-group meetings", (Entry(9), Entry(7))),
            Row("agreements_in_force", "Agreements in force", (Entry(6), Entry(5))),
        ),
        k=K,
        compare=True,
        chart="none",
    )
    return Figures(
        period=Period(date(2025, 1, 1), date(2025, 12, 31)),
        previous=Period(date(2024, 1, 1), date(2024, 12, 31)),
        district="",
        district_label="whole city",
        scope_label="the whole city",
        k=K,
        as_of=AS_OF,
        sections=(
            Section("capacity", "Organisation and resources", (posts,)),
            Section("volume", "Case work in figures", (in_care, flow)),
            Section("contacts", "Contacts", (contacts,)),
            Section("governance", "Cooperation and network", (governance,)),
        ),
    )


@pytest.fixture(autouse=True)
def english() -> Any:
    """The pages and messages in English (the msgids); the document stays German."""
    with translation.override("en"):
        yield


def english_client(client_for: Any, user: User) -> Client:
    client: Client = client_for(user)
    client.cookies["lotse_language"] = "en"
    return client


@pytest.fixture
def coordinator(emil: User) -> Membership:
    return acting(emil)


@pytest.fixture
def fake_figures(monkeypatch: pytest.MonkeyPatch) -> None:
    """The pages and services get the hand-made figures instead of counting."""

    def request_figures(
        membership: Any, *, start: date, end: date, district: str = "", source: str = "screen"
    ) -> Figures:
        aggregates.figures_scope(membership)
        return hand_figures()

    monkeypatch.setattr(aggregates, "request_figures", request_figures)


@pytest.fixture
def report(coordinator: Membership) -> CommitteeReport:
    return committee.report_create(
        coordinator,
        start=date(2025, 1, 1),
        end=date(2025, 12, 31),
        title=TITLE,
        figures=hand_figures(),
    )


def _all_text(report: CommitteeReport) -> str:
    return " ".join(
        [report.reason, report.proposal]
        + [f"{s['heading']} {s['text']} {s['annex']}" for s in report.sections]
    )


# --- forms -------------------------------------------------------------------------------------


def test_the_new_report_form_defaults_to_the_last_full_year_and_names_bad_fields() -> None:
    assert last_full_year(date(2026, 3, 4)) == (date(2025, 1, 1), date(2025, 12, 31))
    form = NewReportForm({"period_from": "2025-12-31", "period_to": "2025-01-01", "district": "x"})
    assert not form.is_valid()
    assert set(form.errors) == {"period_to", "district"}
    texts = [item.text for item in error_summary(form)]
    assert any(text.startswith("Period until:") for text in texts)
    assert any(text.startswith("District:") for text in texts)


def test_the_report_form_names_each_bad_field_and_session_row(report: CommitteeReport) -> None:
    initial = ReportForm.initial_for(report)
    data = {
        **{k: (v.isoformat() if isinstance(v, date) else v) for k, v in initial.items()},
        "title": "",
        "handler_email": "not an address",
        "report_date": "31.02.2026",
        "sessions-TOTAL_FORMS": "2",
        "sessions-INITIAL_FORMS": "0",
        "sessions-0-committee": "Integrationsrat",
        "sessions-0-date": "2026-03-02",
        "sessions-1-quality": "Kenntnisnahme",
    }
    form = ReportForm(data, sections=report.sections)
    formset = session_formset(data)
    assert not form.is_valid()
    assert not formset.is_valid()
    assert {"title", "handler_email", "report_date"} <= set(form.errors)
    texts = [item.text for item in error_summary(form, formset=formset, rows=SESSION_ROWS)]
    # a required field left empty is asked for in a sentence that names it
    assert any("“Title”" in text for text in texts)
    assert any(text.startswith("E-mail:") for text in texts)
    assert "Session 2, Committee: Name the committee of this session." in texts
    anchors = [item.anchor for item in error_summary(form, formset=formset, rows=SESSION_ROWS)]
    assert "id_sessions-1-committee" in anchors


def test_the_sessions_formset_keeps_filled_rows_only() -> None:
    data = {
        "sessions-TOTAL_FORMS": "3",
        "sessions-INITIAL_FORMS": "0",
        "sessions-0-date": "2026-03-02",
        "sessions-0-committee": " Jugendhilfeausschuss ",
        "sessions-0-quality": "Entgegennahme o. B.",
        "sessions-1-committee": "Integrationsrat",
        "sessions-1-DELETE": "on",
    }
    formset = session_formset(data)
    assert formset.is_valid(), formset.errors
    assert formset.sessions() == [
        {
            "date": "2026-03-02",
            "committee": "Jugendhilfeausschuss",
            "quality": "Entgegennahme o. B.",
        }
    ]


# --- create, save, versions --------------------------------------------------------------------


def test_create_prefills_the_template_and_writes_version_1(report: CommitteeReport) -> None:
    assert report.version == 1
    [version] = CommitteeReportVersion.objects.filter(report=report)
    assert version.number == 1
    assert version.content["title"] == TITLE
    assert version.content["period_from"] == "2025-01-01"
    assert [s["heading"] for s in report.sections] == [
        "Auftrag und Ausgangslage",
        "Organisation und Ressourcen",
        "Fallarbeit in Zahlen",
        "Bedarfe, Vermittlungen, Abschlüsse",
        "Strukturbefunde und Maßnahmen",
        "Zusammenarbeit und Netzwerk",
        "Ausblick",
    ]
    assert [row["committee"] for row in report.sessions] == [
        "Jugendhilfeausschuss",
        "Integrationsrat",
    ]
    assert {row["quality"] for row in report.sessions} == {"Entgegennahme o. B."}
    assert report.proposal == (
        "Der Jugendhilfeausschuss und der Integrationsrat nehmen den Sachstandsbericht zur "
        "Kenntnis."
    )
    assert report.attachments == ["Überblick, Ergebnisse und Perspektiven"]
    assert report.paper_type == "Bericht"
    assert report.state == CommitteeReport.State.DRAFT
    assert AuditEvent.objects.filter(
        action="committee_report_saved", target_id=str(report.pk)
    ).exists()


def test_the_texts_state_shown_figures_and_never_a_withheld_one(report: CommitteeReport) -> None:
    casework = report.sections[2]["text"]
    assert "1.234 Personen in 345 Familien" in casework
    # The cases of the period, the new and the closed ones and the contacts are withheld.
    assert "Fälle bearbeitet" not in casework
    assert "Kontakte" not in casework
    assert "6,50 Vollzeitstellen" in report.sections[1]["text"]
    assert "die Steuerungsgruppe 4-mal" in report.sections[5]["text"]
    text = _all_text(report)
    assert str(HIDDEN) not in text
    assert "7.919" not in text
    assert "< 5" not in text.replace("(„< 5“)", "")  # only the explanation of the mark


def test_without_figures_the_texts_point_to_the_annex() -> None:
    empty = Figures(
        period=Period(date(2025, 1, 1), date(2025, 12, 31)),
        previous=Period(date(2024, 1, 1), date(2024, 12, 31)),
        district="barmen",
        district_label="Barmen",
        scope_label="the whole city",
        k=K,
        as_of=AS_OF,
    )
    sections = committee.default_sections(
        empty, start=date(2025, 1, 1), end=date(2025, 12, 31), district="barmen"
    )
    assert len(sections) == 7
    assert "Stadtbezirk Barmen" in sections[0]["text"]
    assert sections[2]["text"] == "Die Fallzahlen des Zeitraums sind in der Anlage dargestellt."
    assert all(section["text"] for section in sections)


def test_default_proposal_for_one_or_several_committees() -> None:
    assert committee.default_proposal(["Integrationsrat"]) == (
        "Der Integrationsrat nimmt den Sachstandsbericht zur Kenntnis."
    )
    assert committee.default_proposal(
        ["Jugendhilfeausschuss", "Bezirksvertretung Barmen", "Integrationsrat", "Integrationsrat"]
    ) == (
        "Der Jugendhilfeausschuss, die Bezirksvertretung Barmen und der Integrationsrat nehmen "
        "den Sachstandsbericht zur Kenntnis."
    )
    assert committee.default_proposal([]) == "Der Sachstandsbericht wird zur Kenntnis genommen."


def test_a_reversed_period_is_refused_naming_the_field(coordinator: Membership) -> None:
    with pytest.raises(ValidationError) as caught:
        committee.report_create(
            coordinator, start=date(2025, 12, 31), end=date(2025, 1, 1), figures=hand_figures()
        )
    assert "period_to" in caught.value.error_dict


def test_save_bumps_the_version_and_writes_version_2(
    coordinator: Membership, report: CommitteeReport
) -> None:
    committee.report_save(
        coordinator,
        report,
        expected_version=1,
        data={"title": "Neuer Titel", "reference": "VO/0001/26", "ignored": "x"},
    )
    report.refresh_from_db()
    assert report.version == 2
    assert report.title == "Neuer Titel"
    latest = report.versions.get(number=2)
    assert latest.content["title"] == "Neuer Titel"
    assert latest.content["reference"] == "VO/0001/26"
    assert "ignored" not in latest.content
    assert report.versions.get(number=1).content["title"] == TITLE


def test_a_stale_save_is_refused_with_the_changed_fields(
    coordinator: Membership, report: CommitteeReport
) -> None:
    first = CommitteeReport.objects.get(pk=report.pk)
    second = CommitteeReport.objects.get(pk=report.pk)
    committee.report_save(coordinator, first, expected_version=1, data={"title": "Von Emil"})
    with pytest.raises(StaleEditError) as caught:
        committee.report_save(
            coordinator, second, expected_version=1, data={"title": "Von jemand anderem"}
        )
    assert caught.value.changed_fields == ["title"]
    report.refresh_from_db()
    assert report.title == "Von Emil"
    assert report.versions.count() == 2


def test_restoring_an_old_version_saves_it_as_a_new_version(
    coordinator: Membership, report: CommitteeReport
) -> None:
    committee.report_save(coordinator, report, expected_version=1, data={"title": "Zwischenstand"})
    committee.report_restore(coordinator, report, number=1, expected_version=2)
    report.refresh_from_db()
    assert report.version == 3
    assert report.title == TITLE
    assert list(report.versions.values_list("number", flat=True)) == [1, 2, 3]
    assert report.versions.get(number=3).content == report.versions.get(number=1).content


def test_caseworkers_get_404_from_every_service(anna: User, report: CommitteeReport) -> None:
    membership = acting(anna)
    with pytest.raises(Http404):
        committee.report_create(
            membership, start=date(2025, 1, 1), end=date(2025, 12, 31), figures=hand_figures()
        )
    with pytest.raises(Http404):
        committee.report_get(membership, report.pk)
    with pytest.raises(Http404):
        committee.report_save(membership, report, expected_version=1, data={"title": "x"})


# --- the PDF -----------------------------------------------------------------------------------


def _pdf_text(pdf: bytes) -> list[str]:
    return [page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages]


def test_the_pdf_reads_like_the_municipal_template(
    coordinator: Membership, report: CommitteeReport
) -> None:
    committee.report_save(
        coordinator,
        report,
        expected_version=1,
        data={
            "reference": "VO/0042/26",
            "business_area": "Soziales, Jugend, Schule & Integration",
            "department": "Ressort 204 - Zuwanderung und Integration",
            "handler_name": "Stefanie Uhl",
            "signature": "Dr. Muster",
            "sessions": [
                {
                    "date": "2026-03-02",
                    "committee": "Jugendhilfeausschuss",
                    "quality": "Entgegennahme o. B.",
                },
            ],
        },
    )
    began = time.perf_counter()
    pdf = render_report_pdf(report, hand_figures())
    seconds = time.perf_counter() - began
    assert pdf.startswith(b"%PDF-")
    pages = _pdf_text(pdf)
    first = pages[0]
    for expected in (
        "Bericht",
        "Geschäftsbereich",
        "Ressort / Stadtbetrieb",
        "Bearbeiter:in",
        "Drucks.-Nr.",
        "VO/0042/26",
        "öffentlich",
        "Sitzung am",
        "Gremium",
        "Beschlussqualität",
        "02.03.2026",
        "Entgegennahme o. B.",
        TITLE,
        "Grund der Vorlage",
        "Beschlussvorschlag",
        "Unterschrift",
        "Begründung",
        "1 Auftrag und Ausgangslage",
    ):
        assert expected in first, expected
    assert "Abbildung 1" not in first
    later = "\n".join(pages[1:])
    assert "Abbildung 1: Contacts by channel" in later
    assert "Quelle: Lotse, Stand 15.01.2026" in later
    assert "Tabelle 1:" in later
    assert "< 5" in later
    assert "•" in later
    assert "Anlage 1 zur Drucks.-Nr. VO/0042/26" in later
    assert "Überblick, Ergebnisse und Perspektiven" in later
    everything = "\n".join(pages)
    assert str(HIDDEN) not in everything
    assert "7.919" not in everything
    assert f"Seite 1 von {len(pages)}" in first
    assert seconds < 5


def test_every_pdf_of_a_process_draws_its_charts(report: CommitteeReport) -> None:
    """WeasyPrint's first PDF changes ElementTree's namespace registry, through which the
    charts serialise their SVG: the second PDF must still draw them."""
    first, second = (render_report_pdf(report, hand_figures()) for _ in range(2))
    for pdf in (first, second):
        text = "\n".join(_pdf_text(pdf))
        # "In person" is the chart's axis label and the table's row label.
        assert text.count("In person") == 2


def test_the_council_system_labels(coordinator: Membership, report: CommitteeReport) -> None:
    committee.report_save(
        coordinator,
        report,
        expected_version=1,
        data={"label_style": "council_system", "file_number": "204.1-7", "reference": "VO/1/26"},
    )
    first = _pdf_text(render_report_pdf(report, hand_figures()))[0]
    for expected in ("Vorlage-Art", "Federführend", "Aktenzeichen", "204.1-7", "Beratungsfolge"):
        assert expected in first, expected
    assert "Zuständigkeit" in first
    assert "Drucksachen-Nr." in first


# --- the pages ---------------------------------------------------------------------------------


def _form_data(report: CommitteeReport, **changes: Any) -> dict[str, Any]:
    initial = ReportForm.initial_for(report)
    data = {k: (v.isoformat() if isinstance(v, date) else v) for k, v in initial.items()}
    data = {k: ("" if v is None else v) for k, v in data.items()}
    data["sessions-TOTAL_FORMS"] = str(len(report.sessions))
    data["sessions-INITIAL_FORMS"] = str(len(report.sessions))
    for index, session in enumerate(report.sessions):
        for key in ("date", "committee", "quality"):
            data[f"sessions-{index}-{key}"] = session[key]
    data.update(changes)
    return data


@pytest.mark.usefixtures("fake_figures")
def test_caseworkers_cannot_reach_the_pages(
    client_for, anna: User, report: CommitteeReport
) -> None:
    client = english_client(client_for, anna)
    for url in (
        "/steering/reports/",
        "/steering/reports/new/",
        f"/steering/reports/{report.pk}/",
        f"/steering/reports/{report.pk}/pdf/",
        f"/steering/reports/{report.pk}/annex.xlsx",
        f"/steering/reports/{report.pk}/oparl.json",
        f"/steering/reports/{report.pk}/versions/1/",
    ):
        assert client.get(url).status_code == 404, url
    assert client.post("/steering/reports/new/", {}).status_code == 404


@pytest.mark.usefixtures("fake_figures")
def test_a_new_report_from_the_page(client_for, emil: User) -> None:
    client = english_client(client_for, emil)
    page = client.get("/steering/reports/new/")
    assert page.status_code == 200
    start, _end = last_full_year(timezone.localdate())
    assert f'value="{start.isoformat()}"' in page.content.decode()
    refused = client.post(
        "/steering/reports/new/", {"period_from": "2025-12-31", "period_to": "2025-01-01"}
    )
    assert refused.status_code == 400
    assert "error-summary" in refused.content.decode()
    response = client.post(
        "/steering/reports/new/",
        {"period_from": "2025-01-01", "period_to": "2025-12-31", "district": "barmen"},
    )
    report = CommitteeReport.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/steering/reports/{report.pk}/"
    assert report.district == "barmen"
    assert report.version == 1
    assert "Stadtbezirk Barmen" in report.title
    listing = client.get("/steering/reports/").content.decode()
    assert report.title in listing


@pytest.mark.usefixtures("fake_figures")
def test_the_edit_page_saves_and_refuses_a_stale_save(
    client_for, emil: User, report: CommitteeReport
) -> None:
    client = english_client(client_for, emil)
    url = f"/steering/reports/{report.pk}/"
    page = client.get(url)
    assert page.status_code == 200
    html = page.content.decode()
    assert 'data-testid="figures"' in html
    assert "Contacts by channel" in html
    assert "Entgegennahme o. B." in html  # the datalist and the rows
    stale = _form_data(report)
    saved = client.post(url, _form_data(report, title="Zweite Fassung", reference="VO/7/26"))
    assert saved.status_code == 302
    report.refresh_from_db()
    assert (report.version, report.title) == (2, "Zweite Fassung")
    refused = client.post(url, {**stale, "title": "Dritte Fassung"})
    assert refused.status_code == 409
    html = refused.content.decode()
    assert 'data-testid="stale-field"' in html
    assert "Zweite Fassung" in html
    assert "Paper number" in html
    report.refresh_from_db()
    assert report.version == 2
    bad = client.post(url, _form_data(report, handler_email="nope"))
    assert bad.status_code == 400
    assert "E-mail:" in bad.content.decode()


@pytest.mark.usefixtures("fake_figures")
def test_the_version_page_restores_into_the_form(
    client_for, emil: User, coordinator: Membership, report: CommitteeReport
) -> None:
    committee.report_save(coordinator, report, expected_version=1, data={"title": "Zwischenstand"})
    client = english_client(client_for, emil)
    url = f"/steering/reports/{report.pk}/versions/1/"
    page = client.get(url)
    assert page.status_code == 200
    assert TITLE in page.content.decode()
    response = client.post(url, {"version": "2"})
    assert response.status_code == 302
    report.refresh_from_db()
    assert (report.version, report.title) == (3, TITLE)
    stale = client.post(url, {"version": "2"}, follow=True)
    assert "Nothing was restored" in stale.content.decode()
    report.refresh_from_db()
    assert report.version == 3


@pytest.mark.usefixtures("fake_figures")
def test_the_pdf_download_is_audited(client_for, emil: User, report: CommitteeReport) -> None:
    response = english_client(client_for, emil).get(f"/steering/reports/{report.pk}/pdf/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF-")
    assert AuditEvent.objects.filter(
        action="committee_report_printed", target_id=str(report.pk)
    ).exists()


@pytest.mark.usefixtures("fake_figures")
def test_the_annex_as_xlsx(client_for, emil: User, report: CommitteeReport) -> None:
    pytest.importorskip("lotse.reports.exports", reason="lotse.reports.exports not written yet")
    response = english_client(client_for, emil).get(f"/steering/reports/{report.pk}/annex.xlsx")
    assert response.status_code == 200
    assert response.content.startswith(b"PK")
    assert str(HIDDEN).encode() not in response.content
    assert AuditEvent.objects.filter(
        action="committee_report_exported", target_id=str(report.pk)
    ).exists()


# --- the command -------------------------------------------------------------------------------


def test_the_command_writes_a_pdf_of_a_new_draft(emil: User, tmp_path: Any) -> None:
    out = tmp_path / "report.pdf"
    paper = tmp_path / "paper.json"
    stdout = io.StringIO()
    call_command(
        "committee_report",
        "--from",
        "2025-01-01",
        "--to",
        "2025-12-31",
        "--out",
        str(out),
        "--oparl",
        str(paper),
        stdout=stdout,
    )
    assert out.read_bytes().startswith(b"%PDF-")
    report = CommitteeReport.objects.get()
    assert report.created_by == emil
    assert report.version == 1
    assert report.versions.count() == 1
    printed = stdout.getvalue()
    assert str(out) in printed
    assert "Done in" in printed
    assert paper.read_text(encoding="utf-8").startswith("{")
    first = _pdf_text(out.read_bytes())[0]
    assert "Drucks.-Nr." in first
    assert "Beschlussvorschlag" in first


def test_the_command_needs_someone_who_prepares_reports(anna: User, tmp_path: Any) -> None:
    with pytest.raises(CommandError, match="No active user may prepare"):
        call_command(
            "committee_report",
            "--from",
            "2025-01-01",
            "--to",
            "2025-12-31",
            "--out",
            str(tmp_path / "r.pdf"),
        )
    with pytest.raises(CommandError, match="'anna'"):
        call_command(
            "committee_report",
            "--from",
            "2025-01-01",
            "--to",
            "2025-12-31",
            "--out",
            str(tmp_path / "r.pdf"),
            "--user",
            "anna",
        )
