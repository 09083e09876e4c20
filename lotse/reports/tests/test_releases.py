"""Released committee reports: their figures are frozen, and every later figure request is
protected against them (``release_audit``), through the services and the pages.

The data repeat ``test_suppression._NESTED`` with contacts: the year 2025 shows 5 home
visits, 5 phone calls and 12 talks; the first half-year holds 4, 5 and 9. Protected on its
own, the half-year shows "< 5" home visits, "•" phone calls and 9 talks with a total of 18 —
and with the year beside it, "•" is at least 5 and at most the year's 5, so the home visits
are 18 - 5 - 9 = 4.
"""

from __future__ import annotations

from datetime import date, datetime, time
from typing import Any

import pytest
from django.http import Http404
from django.utils import timezone, translation

from lotse.accounts.models import Membership, User
from lotse.accounts.roles import Role
from lotse.accounts.tests.factories import acting, member
from lotse.audit.models import AuditEvent
from lotse.cases.models import Case, JournalEntry
from lotse.consent.categories import DataCategory
from lotse.people.choices import Sex
from lotse.reports import aggregates, committee
from lotse.reports.models import CommitteeReport, FigureRelease
from lotse.reports.release_audit import Kind, Published, pinned
from lotse.reports.suppression import State
from lotse.reports.tables import Figures, Table, figures_from_snapshot, figures_snapshot
from lotse.reports.tests.test_aggregates import Family, _write

YEAR = (date(2025, 1, 1), date(2025, 12, 31))
FIRST_HALF = (date(2025, 1, 1), date(2025, 6, 30))
#: Contacts per channel in the first and the second half of 2025.
CONTACTS = {
    JournalEntry.Kind.HOME_VISIT: (4, 1),
    JournalEntry.Kind.PHONE_CALL: (5, 0),
    JournalEntry.Kind.TALK: (9, 3),
}


@pytest.fixture
def coordinator(emil: User) -> Membership:
    return acting(emil)


def _contacts(case: Case, kind: str, n: int, month: int) -> None:
    person = case.household.members.first()
    assert person is not None
    for i in range(n):
        JournalEntry.objects.create(
            subject=person,
            owner_agency=case.lead_agency,
            category=DataCategory.CASE_PLAN,
            author=case.lead_user,
            case=case,
            kind=kind,
            text="Gespräch",
            occurred_at=timezone.make_aware(datetime.combine(date(2025, month, 1 + i), time(10))),
        )


@pytest.fixture
def contacts(agencies: Any) -> Case:
    lead = member("kira", agencies.kim, Role.CASEWORKER)
    case = _write(Family(agencies.kim, "barmen", [Sex.FEMALE], opened=date(2024, 11, 1)), lead)
    for kind, (first, second) in CONTACTS.items():
        _contacts(case, kind, first, month=3)
        _contacts(case, kind, second, month=9)
    return case


def _states(table: Table, column: int = 0) -> dict[str, State]:
    found = {row.code: row.entries[column].state for row in table.rows}
    assert table.column_totals is not None
    found["total"] = table.column_totals[column].state
    return found


def _final(membership: Membership, period: tuple[date, date], district: str = "") -> Any:
    report = committee.report_create(membership, start=period[0], end=period[1], district=district)
    return committee.report_save(
        membership, report, expected_version=report.version, data={"state": "final"}
    )


def _half_year(membership: Membership, district: str = "") -> Figures:
    return aggregates.request_figures(
        membership, start=FIRST_HALF[0], end=FIRST_HALF[1], district=district
    )


def test_alone_the_half_year_shows_what_the_per_table_protection_shows(
    contacts: Case, coordinator: Membership
) -> None:
    states = _states(_half_year(coordinator).table("contacts"))
    assert states[JournalEntry.Kind.HOME_VISIT] == State.PRIMARY
    assert states[JournalEntry.Kind.PHONE_CALL] == State.SECONDARY
    assert states[JournalEntry.Kind.TALK] == State.SHOWN
    assert states["total"] == State.SHOWN


def test_a_half_year_inside_a_released_year_withholds_what_the_year_would_give_away(
    contacts: Case, coordinator: Membership
) -> None:
    year = _final(coordinator, YEAR)
    released = year.releases.get()
    year_contacts = _states(figures_from_snapshot(released.figures).table("contacts"))
    assert set(year_contacts.values()) == {State.SHOWN}  # 5, 5, 12, 0, 0: nothing small

    half = _final(coordinator, FIRST_HALF)
    table = committee.report_figures(coordinator, half).table("contacts")
    states = _states(table)
    assert states[JournalEntry.Kind.HOME_VISIT] == State.PRIMARY
    # The phone calls are 5 by the year anyway: shown. The talks are withheld instead, so
    # the home visits stay open (13 - talks, with 9 <= talks <= 12).
    assert states[JournalEntry.Kind.PHONE_CALL] == State.SHOWN
    assert states[JournalEntry.Kind.TALK] == State.SECONDARY
    assert states["total"] == State.SHOWN
    # The year's release is as it was.
    assert year.releases.get().figures == released.figures
    # Read together, the two releases pin nothing the year alone did not.
    forms = [r.forms["contacts"] for r in FigureRelease.objects.order_by("pk")]
    assert _new_pins(forms) == []


def _new_pins(forms: list[dict[str, Any]]) -> list[tuple[int, int]]:
    """What the releases pin together beyond what the first pins of both alone."""
    tables = [aggregates._published(form, frozenset()) for form in forms]
    kind = Kind(forms[0]["kind"])
    together = pinned(tables, kind=kind)
    first_alone = set(pinned(tables[:1], kind=kind, queries=tables[1].figures))
    return [label for label in together if label not in first_alone]


def test_figures_on_screen_are_protected_against_the_releases_too(
    contacts: Case, coordinator: Membership
) -> None:
    _final(coordinator, YEAR)
    states = _states(_half_year(coordinator).table("contacts"))
    assert State.SECONDARY in (states[JournalEntry.Kind.TALK], states["total"])


def test_a_district_is_protected_against_the_city(contacts: Case, coordinator: Membership) -> None:
    # The city's year beside Barmen's half-year: the city counts Barmen too, so the same
    # bound holds (the other districts' phone calls are at least 0).
    _final(coordinator, YEAR)
    states = _states(_half_year(coordinator, district="barmen").table("contacts"))
    assert states[JournalEntry.Kind.HOME_VISIT] == State.PRIMARY
    assert State.SECONDARY in (states[JournalEntry.Kind.TALK], states["total"])
    # Another district is untouched: it has no contacts, and shows its zeros.
    other = _states(_half_year(coordinator, district="vohwinkel").table("contacts"))
    assert set(other.values()) == {State.SHOWN}


def test_a_released_report_keeps_its_figures_when_the_data_change(
    contacts: Case, coordinator: Membership, client_for: Any, emil: User
) -> None:
    year = _final(coordinator, YEAR)
    before = committee.report_figures(coordinator, year).table("contacts")
    _contacts(contacts, JournalEntry.Kind.TALK, 6, month=11)
    after = committee.report_figures(coordinator, year).table("contacts")
    assert after.rows == before.rows
    assert after.column_totals == before.column_totals
    # A draft counts again - against what was released: 18 talks now, 12 published, and
    # showing 18 would tell of the late entries. Withheld.
    draft = committee.report_save(
        coordinator, year, expected_version=year.version, data={"state": "draft"}
    )
    talks = next(row for row in committee.report_figures(coordinator, draft).table("contacts").rows)
    assert talks.code == JournalEntry.Kind.TALK
    assert talks.entries[0].state == State.SECONDARY
    # Saving it as final again releases nothing new: the period is released already.
    again = committee.report_save(
        coordinator, draft, expected_version=draft.version, data={"state": "final"}
    )
    assert again.releases.count() == 1
    # The PDF prints the released figures, and showing them is audited.
    shown = AuditEvent.objects.filter(action="figures_requested").count()
    response = client_for(emil).get(f"/steering/reports/{year.pk}/pdf/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    event = AuditEvent.objects.filter(action="figures_requested").order_by("pk").last()
    assert AuditEvent.objects.filter(action="figures_requested").count() == shown + 1
    assert event is not None
    assert event.detail["release"] == year.releases.get().pk


def test_the_committee_report_pdf_of_the_half_year_shows_the_extra_suppression(
    contacts: Case, coordinator: Membership, client_for: Any, emil: User
) -> None:
    _final(coordinator, YEAR)
    half = _final(coordinator, FIRST_HALF)
    released = figures_from_snapshot(half.releases.get().figures)
    states = _states(released.table("contacts"))
    assert State.SECONDARY in (states[JournalEntry.Kind.TALK], states["total"])
    client = client_for(emil)
    response = client.get(f"/steering/reports/{half.pk}/pdf/")
    assert response.status_code == 200
    # The Anlage as XLSX is the released figures too; no new release either way.
    assert client.get(f"/steering/reports/{half.pk}/annex.xlsx").status_code == 200
    assert half.releases.count() == 1


def test_a_release_keeps_no_withheld_value(contacts: Case, coordinator: Membership) -> None:
    half = _final(coordinator, FIRST_HALF)
    release = half.releases.get()
    for form in release.forms.values():
        for _first, _last, _codes, state, value in form["figures"]:
            assert (value is None) == (state != State.SHOWN)
    for section in release.figures["sections"]:
        for table in section["tables"]:
            entries = [e for row in table["rows"] for e in [*row[2], row[3]] if e]
            entries += [e for e in table["column_totals"] or [] if e]
            entries += [table["grand_total"]] if table["grand_total"] else []
            for value, state in entries:
                if state != State.SHOWN:
                    assert value is None
    assert release.scope == "city"
    assert release.covers_from == date(2024, 1, 1)


def test_the_snapshot_gives_the_figures_back(contacts: Case, coordinator: Membership) -> None:
    figures = aggregates.request_figures(coordinator, start=YEAR[0], end=YEAR[1])
    again = figures_from_snapshot(figures_snapshot(figures))
    assert again == figures
    assert [t.form for t in again.tables()] == [t.form for t in figures.tables()]


def test_a_team_lead_is_protected_against_the_citys_releases(
    contacts: Case, coordinator: Membership, gero: User
) -> None:
    # The team lead's agency figures count a part of what the city's release counted (here
    # all of it): the same bound holds, and the agency's half-year withholds the same.
    _final(coordinator, YEAR)
    figures = _half_year(acting(gero))
    assert figures.scope_label != aggregates.Scope(agency=None).label()
    states = _states(figures.table("contacts"))
    assert states[JournalEntry.Kind.HOME_VISIT] == State.PRIMARY
    assert states[JournalEntry.Kind.TALK] == State.SECONDARY


def test_only_coordinators_release(contacts: Case, gero: User, coordinator: Membership) -> None:
    report = committee.report_create(coordinator, start=YEAR[0], end=YEAR[1])
    with pytest.raises(Http404):
        committee.release(acting(gero), report)
    assert not FigureRelease.objects.exists()


def test_every_count_table_of_a_release_has_its_form(
    contacts: Case, coordinator: Membership
) -> None:
    release = _final(coordinator, YEAR).releases.get()
    assert set(release.forms) >= {
        "contacts",
        "needs",
        "closures",
        "sex",
        "nationality",
        "referrals_by_target",
        "findings_by_district",
        "caseload",
        "case_duration",
    }
    # Not a sum over days: only the same period relates, so all its figures have one.
    flow = release.forms["case_flow"]["figures"]
    assert {(first, last) for first, last, *_rest in flow} == {
        (date(2025, 1, 1).toordinal(), date(2025, 12, 31).toordinal())
    }
    assert release.forms["needs"]["kind"] == Kind.DISTINCT
    sex = release.forms["sex"]["figures"]
    assert {(first, last) for first, last, *_rest in sex} == {
        (date(2025, 12, 31).toordinal(),) * 2,
        (date(2024, 12, 31).toordinal(),) * 2,
    }
    assert isinstance(aggregates._published(release.forms["nationality"], frozenset()), Published)


def test_a_report_stays_final_only_with_its_own_release(
    contacts: Case, coordinator: Membership
) -> None:
    year = _final(coordinator, YEAR)
    moved = committee.report_save(
        coordinator,
        year,
        expected_version=year.version,
        data={"period_from": date(2025, 7, 1), "period_to": date(2025, 12, 31)},
    )
    assert moved.state == CommitteeReport.State.FINAL
    assert moved.releases.count() == 2  # what was released stays; the new period too


def test_a_table_that_would_contradict_a_release_with_a_small_cell_shows_nothing(
    contacts: Case, coordinator: Membership
) -> None:
    # Released: 5 home visits in 2025. Two are then deleted as entered by mistake: 3 now, a
    # "< 5" that contradicts the published 5 whatever else is withheld. The table says
    # nothing, and its note says why.
    _final(coordinator, YEAR)
    JournalEntry.objects.filter(
        pk__in=JournalEntry.objects.filter(kind=JournalEntry.Kind.HOME_VISIT).values("pk")[:2]
    ).delete()
    with translation.override("en"):
        figures = aggregates.request_figures(coordinator, start=YEAR[0], end=YEAR[1])
    table = figures.table("contacts")
    assert {entry.state for row in table.rows for entry in row.entries} == {State.SECONDARY}
    assert all(entry.value is None for row in table.rows for entry in row.entries)
    assert "withheld in full" in table.note
    # The other tables are not affected.
    assert "withheld in full" not in figures.table("closures").note
