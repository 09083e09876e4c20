"""The committee report as an OParl 1.1 Paper, validated against the vendored schemas."""

from __future__ import annotations

import copy
import json
from datetime import date
from typing import Any

import pytest

from lotse.accounts.models import User
from lotse.accounts.tests.factories import acting
from lotse.reports import committee, oparl
from lotse.reports.models import CommitteeReport

BASE = "https://lotse.example.org"


def example_paper() -> dict[str, Any]:
    paper: dict[str, Any] = json.loads(
        (oparl.SCHEMA_DIR / "example-Paper-01.json").read_text(encoding="utf-8")
    )
    return paper


def test_the_validator_accepts_the_specifications_example() -> None:
    assert oparl.validation_errors(example_paper()) == []


def test_a_paper_without_created_fails() -> None:
    paper = example_paper()
    del paper["created"]
    assert oparl.validation_errors(paper) == ["(root): 'created' is a required property"]


def test_embedded_files_and_consultations_are_checked_too() -> None:
    """The schemas name embedded objects with "schema": "File.json"; the validator follows."""
    paper = example_paper()
    del paper["mainFile"]["accessUrl"]
    paper["consultation"][0]["type"] = "https://schema.oparl.org/1.1/Meeting"
    del paper["auxiliaryFile"][0]["modified"]
    problems = oparl.validation_errors(paper)
    assert "mainFile: 'accessUrl' is a required property" in problems
    assert any(p.startswith("consultation/0/type:") for p in problems)
    assert "auxiliaryFile/0: 'modified' is a required property" in problems


@pytest.mark.parametrize(
    ("path", "value"),
    [
        (("id",), "not a url"),
        (("date",), "04.04.2014"),
        (("created",), "2013-01-08 12:05:27"),
        (("mainFile", "size"), "82930"),
        (("type",), "https://schema.oparl.org/1.0/Paper"),
    ],
)
def test_formats_and_types_are_checked(path: tuple[str, ...], value: str) -> None:
    paper = example_paper()
    target = paper
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = value
    assert oparl.validation_errors(paper)


@pytest.fixture
def report(emil: User) -> CommitteeReport:
    membership = acting(emil)
    report = CommitteeReport.objects.create(
        period_from=date(2025, 1, 1),
        period_to=date(2025, 12, 31),
        title="Sachstandsbericht Kommunales Integrationsmanagement 2025",
        reference="VO/0042/26",
        department="Ressort 204 - Zuwanderung und Integration",
        business_area="Soziales, Jugend, Schule & Integration",
        report_date=date(2026, 2, 3),
        sessions=[
            {
                "date": "2026-03-02",
                "committee": "Jugendhilfeausschuss",
                "quality": "Entgegennahme o. B.",
            },
            {"date": "", "committee": "Integrationsrat", "quality": "Entscheidung"},
            {"date": "2026-03-20", "committee": "  ", "quality": ""},
        ],
        attachments=["Überblick, Ergebnisse und Perspektiven"],
        created_by=emil,
        agency=membership.agency,
    )
    return report


def test_the_report_is_a_valid_oparl_paper(report: CommitteeReport) -> None:
    paper = oparl.paper_json(report, base_url=BASE + "/")
    assert oparl.validation_errors(paper) == []
    assert paper["type"] == "https://schema.oparl.org/1.1/Paper"
    assert paper["id"] == f"{BASE}/steering/reports/{report.pk}/oparl.json"
    assert paper["name"] == report.title
    assert paper["reference"] == "VO/0042/26"
    assert paper["date"] == "2026-02-03"
    assert paper["paperType"] == "Bericht"
    assert paper["created"]
    assert paper["modified"]
    main = paper["mainFile"]
    assert main["mimeType"] == "application/pdf"
    assert main["accessUrl"] == f"{BASE}/steering/reports/{report.pk}/pdf/"
    assert main["fileName"] == "VO_0042_26.pdf"
    [annex] = paper["auxiliaryFile"]
    assert annex["name"] == "Überblick, Ergebnisse und Perspektiven"
    assert annex["accessUrl"] == f"{BASE}/steering/reports/{report.pk}/annex.xlsx"
    assert annex["mimeType"].endswith("spreadsheetml.sheet")
    for file in (main, annex):
        assert file["created"]
        assert file["modified"]
        assert file["paper"] == [paper["id"]]
    organization = (
        f"{BASE}/steering/reports/oparl/organization/ressort-204-zuwanderung-und-integration"
    )
    assert paper["underDirectionOf"] == [organization]
    assert paper["originatorOrganization"] == [organization]


def test_one_consultation_per_session_row(report: CommitteeReport) -> None:
    paper = oparl.paper_json(report, base_url=BASE)
    youth, council = paper["consultation"]  # the row without a committee is left out
    assert youth["paper"] == paper["id"]
    assert youth["role"] == "Entgegennahme o. B."
    assert youth["authoritative"] is False
    assert youth["organization"] == [
        f"{BASE}/steering/reports/oparl/organization/jugendhilfeausschuss"
    ]
    assert youth["meeting"].endswith("/meeting/jugendhilfeausschuss/2026-03-02")
    assert council["role"] == "Entscheidung"
    assert council["authoritative"] is True
    assert "meeting" not in council  # no date yet
    assert len({c["id"] for c in paper["consultation"]}) == 2
    for consultation in paper["consultation"]:
        assert oparl.validation_errors(consultation, "Consultation") == []


def test_a_paper_without_number_or_department_still_validates(report: CommitteeReport) -> None:
    report.reference = ""
    report.department = ""
    report.sessions = []
    paper = oparl.paper_json(report, base_url=BASE)
    assert oparl.validation_errors(paper) == []
    assert "reference" not in paper
    assert "underDirectionOf" not in paper
    assert paper["consultation"] == []
    assert paper["mainFile"]["fileName"] == f"sachstandsbericht-{report.pk}.pdf"


def test_our_paper_without_created_fails(report: CommitteeReport) -> None:
    paper = oparl.paper_json(report, base_url=BASE)
    broken = copy.deepcopy(paper)
    del broken["created"]
    assert oparl.validation_errors(broken) == ["(root): 'created' is a required property"]
    broken = copy.deepcopy(paper)
    del broken["consultation"][0]["modified"]
    assert oparl.validation_errors(broken) == ["consultation/0: 'modified' is a required property"]


def test_the_oparl_page_answers_json_for_coordinators_only(
    report: CommitteeReport, client_for, emil: User, anna: User
) -> None:
    response = client_for(emil).get(f"/steering/reports/{report.pk}/oparl.json")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    paper = response.json()
    assert oparl.validation_errors(paper) == []
    assert paper["id"] == f"http://testserver/steering/reports/{report.pk}/oparl.json"
    assert client_for(anna).get(f"/steering/reports/{report.pk}/oparl.json").status_code == 404


def test_committee_labels_of_both_styles_exist() -> None:
    for style in CommitteeReport.LabelStyle.values:
        labels = committee.labels(style)
        assert {"reference", "session_date", "committee", "quality", "proposal"} <= set(labels)
    assert committee.labels("council_system")["department"] == "Federführend"
    assert committee.labels("council_system")["quality"] == "Zuständigkeit"
