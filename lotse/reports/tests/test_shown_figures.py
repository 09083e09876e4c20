"""Figures shown count as published: the page, the API, the downloads and the committee
report all leave the aggregate face, so every later request of the same scope is protected
against what they showed (``models.ShownForm``), as against a released report.

The attacker is a coordinator who asks for nested or overlapping periods — the year, then
its first half; a period, then the same with one day more; the city, then one district — and
subtracts. The contacts of ``test_releases`` show the attack: alone, the half-year shows
"< 5" home visits, "•" phone calls, 9 talks and the total 18; with the year's 5 phone calls
beside it, "•" is 5 and the home visits are 18 - 5 - 9 = 4.
"""

from __future__ import annotations

import math
from datetime import date, datetime, time, timedelta
from typing import Any

import numpy as np
import pytest
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lotse.accounts.models import Membership, User
from lotse.accounts.roles import Role
from lotse.accounts.tests.factories import acting, member
from lotse.cases.models import Case, JournalEntry
from lotse.consent.categories import DataCategory
from lotse.people.choices import Sex
from lotse.reports import aggregates
from lotse.reports.models import FigureSource, ShownForm
from lotse.reports.release_audit import Figure, Kind, Published, merged, pinned, protect_grid
from lotse.reports.suppression import State
from lotse.reports.tables import Figures
from lotse.reports.tests.test_aggregates import Family, _write
from lotse.reports.tests.test_releases import (
    FIRST_HALF,
    YEAR,
    _contacts,
    _final,
    _states,
)
from lotse.reports.tests.test_suppression import (
    CATEGORIES,
    _attack,
    _codes,
    _counts,
    _event,
    _Published,
    _range,
    _report,
)


@pytest.fixture
def coordinator(emil: User) -> Membership:
    return acting(emil)


@pytest.fixture
def contacts(agencies: Any) -> Case:
    from lotse.reports.tests.test_releases import CONTACTS

    lead = member("kira", agencies.kim, Role.CASEWORKER)
    case = _write(Family(agencies.kim, "barmen", [Sex.FEMALE], opened=date(2024, 11, 1)), lead)
    for kind, (first, second) in CONTACTS.items():
        _contacts(case, kind, first, month=3)
        _contacts(case, kind, second, month=9)
    return case


def _screen(
    membership: Membership, period: tuple[date, date], district: str = "", **kwargs: Any
) -> Figures:
    return aggregates.request_figures(
        membership, start=period[0], end=period[1], district=district, **kwargs
    )


def _shown(key: str, scope: str = "city") -> list[dict[str, Any]]:
    return [row.form for row in ShownForm.objects.filter(scope=scope, table=key).order_by("pk")]


def _no_new_pins(key: str = "contacts", scope: str = "city") -> None:
    """Each table remembered, read with all remembered before it, pins nothing that those
    before did not pin (of themselves or of it) already."""
    forms = _shown(key, scope)
    assert len(forms) >= 2
    tables = [aggregates._published(form, frozenset()) for form in forms]
    kind = Kind(forms[0]["kind"])
    for n in range(2, len(tables) + 1):
        together = pinned(tables[:n], kind=kind)
        before = set(pinned(tables[: n - 1], kind=kind, queries=tables[n - 1].figures))
        assert [label for label in together if label not in before] == []


# --- the attack on screen ---------------------------------------------------------------------


def test_a_half_year_on_screen_after_the_year_on_screen_gives_nothing_away(
    contacts: Case, coordinator: Membership
) -> None:
    year = _states(_screen(coordinator, YEAR).table("contacts"))
    assert set(year.values()) == {State.SHOWN}  # 5, 5, 12: nothing small
    half = _states(_screen(coordinator, FIRST_HALF).table("contacts"))
    assert half[JournalEntry.Kind.HOME_VISIT] == State.PRIMARY
    # As against a released year: the phone calls are 5 by the year anyway, the talks are
    # withheld instead, so the home visits stay open.
    assert half[JournalEntry.Kind.PHONE_CALL] == State.SHOWN
    assert half[JournalEntry.Kind.TALK] == State.SECONDARY
    _no_new_pins()


def test_the_year_on_screen_after_the_half_year_is_protected_against_it(
    contacts: Case, coordinator: Membership
) -> None:
    half = _states(_screen(coordinator, FIRST_HALF).table("contacts"))
    assert half[JournalEntry.Kind.PHONE_CALL] == State.SECONDARY
    year = _states(_screen(coordinator, YEAR).table("contacts"))
    # The year's 5 phone calls would pin the half-year's "•": withheld.
    assert State.SECONDARY in year.values()
    _no_new_pins()


def test_one_day_more_gives_nothing_away(contacts: Case, coordinator: Membership) -> None:
    _screen(coordinator, FIRST_HALF)
    _screen(coordinator, (FIRST_HALF[0], FIRST_HALF[1] + timedelta(days=1)))
    _screen(coordinator, (FIRST_HALF[0] - timedelta(days=1), FIRST_HALF[1]))
    _screen(coordinator, YEAR)
    _no_new_pins()


def test_a_district_on_screen_is_protected_against_the_city_on_screen(
    contacts: Case, coordinator: Membership
) -> None:
    _screen(coordinator, YEAR)
    states = _states(_screen(coordinator, FIRST_HALF, district="barmen").table("contacts"))
    assert states[JournalEntry.Kind.HOME_VISIT] == State.PRIMARY
    assert State.SECONDARY in (states[JournalEntry.Kind.TALK], states["total"])
    # And the city after the district: its half-year counts Barmen's and the other
    # districts' (none here), and the three together pin nothing new.
    city = _states(_screen(coordinator, FIRST_HALF).table("contacts"))
    assert city[JournalEntry.Kind.HOME_VISIT] == State.PRIMARY
    _no_new_pins()


def test_screen_after_a_released_report_and_a_report_after_the_screen(
    contacts: Case, coordinator: Membership
) -> None:
    _final(coordinator, YEAR)
    assert {row.source for row in ShownForm.objects.all()} == {FigureSource.REPORT}
    half = _states(_screen(coordinator, FIRST_HALF).table("contacts"))
    assert State.SECONDARY in (half[JournalEntry.Kind.TALK], half["total"])
    # A report of a period shown on screen before is protected against the screen.
    report = _final(coordinator, (date(2025, 1, 1), date(2025, 3, 31)))
    assert report.releases.count() == 1
    _no_new_pins()


def test_the_api_and_the_downloads_count_as_shown(
    contacts: Case, client_for: Any, emil: User, coordinator: Membership
) -> None:
    client = client_for(emil)
    response = client.get("/api/v1/reports/figures?from=2025-01-01&to=2025-12-31")
    assert response.status_code == 200
    assert set(ShownForm.objects.values_list("source", flat=True)) == {FigureSource.API}
    response = client.get("/steering/export.csv?start=2025-01-01&end=2025-06-30")
    assert response.status_code == 200
    assert FigureSource.EXPORT in set(ShownForm.objects.values_list("source", flat=True))
    # The download of the half-year was protected against the year of the API.
    _no_new_pins()
    # And the page afterwards shows the half-year as the download did.
    page = client.get("/steering/?start=2025-01-01&end=2025-06-30")
    assert page.status_code == 200
    assert ShownForm.objects.filter(source=FigureSource.SCREEN).count() == 0  # nothing new


def test_an_identical_request_gives_identical_figures(
    contacts: Case, coordinator: Membership
) -> None:
    _screen(coordinator, YEAR)
    first = _screen(coordinator, FIRST_HALF)
    rows = ShownForm.objects.count()
    again = _screen(coordinator, FIRST_HALF)
    assert again == first
    assert [t.form for t in again.tables()] == [t.form for t in first.tables()]
    # The same request again tells nothing new: nothing is remembered twice.
    assert ShownForm.objects.count() == rows
    # Through another door, by another coordinator: the same figures.
    other = acting(member("ole", contacts.lead_agency, Role.COORDINATOR))
    assert _screen(other, FIRST_HALF, source=FigureSource.API) == first
    assert ShownForm.objects.count() == rows


def test_the_memory_keeps_only_published_values(contacts: Case, coordinator: Membership) -> None:
    _screen(coordinator, FIRST_HALF)
    assert ShownForm.objects.exists()
    for row in ShownForm.objects.all():
        for *_span, state, value in row.form["figures"]:
            assert (value is None) == (state != State.SHOWN)


# --- scopes -----------------------------------------------------------------------------------


def test_another_agencys_team_lead_neither_constrains_nor_reads_the_city(
    contacts: Case, coordinator: Membership, agencies: Any
) -> None:
    # The Jugendamt's team lead counts none of the contacts (KIM's case); what they are
    # shown is remembered for their agency alone.
    jugendamt = acting(member("jule", agencies.jugendamt, Role.TEAM_LEAD))
    city_before = _screen(coordinator, FIRST_HALF)
    ShownForm.objects.all().delete()
    _screen(jugendamt, YEAR)
    _screen(jugendamt, FIRST_HALF)
    scopes = set(ShownForm.objects.values_list("scope", flat=True))
    assert scopes == {f"agency:{agencies.jugendamt.pk}"}
    # The city's half-year is what it is without the team lead's requests.
    assert _screen(coordinator, FIRST_HALF) == city_before
    # And KIM's team lead is not bound by the Jugendamt's memory either.
    kim = acting(member("kai", agencies.kim, Role.TEAM_LEAD))
    kim_half = _states(_screen(kim, FIRST_HALF).table("contacts"))
    assert kim_half[JournalEntry.Kind.PHONE_CALL] == State.SECONDARY  # as on its own


def test_an_agency_is_protected_against_the_city_on_screen(
    contacts: Case, coordinator: Membership, gero: User
) -> None:
    _screen(coordinator, YEAR)
    states = _states(_screen(acting(gero), FIRST_HALF).table("contacts"))
    assert states[JournalEntry.Kind.HOME_VISIT] == State.PRIMARY
    assert states[JournalEntry.Kind.TALK] == State.SECONDARY
    assert ShownForm.objects.filter(scope__startswith="agency:").exists()


# --- the case flow and the caseload -----------------------------------------------------------


@pytest.fixture
def flow(agencies: Any) -> list[Case]:
    """Seven cases opened in 2025: one closed in it, six in care at its end."""
    lead = member("kira", agencies.kim, Role.CASEWORKER)
    cases = []
    for i in range(7):
        closed = date(2025, 10, 1) if i == 0 else None
        cases.append(
            _write(
                Family(
                    agencies.kim,
                    "barmen",
                    [Sex.FEMALE],
                    opened=date(2025, 2, 1 + i),
                    closed=closed,
                    reason="goals_reached" if closed else "",
                ),
                lead,
            )
        )
    return cases


def _flow_attack(figures: Figures) -> list[str]:
    """The case flow's withheld cells an attacker pins from the case flow, the caseload on
    the reference day and the closures' total (independent of the module's audit)."""
    flow = figures.table("case_flow")
    cells = [(r.code, c.code) for r in flow.rows for c in flow.columns]
    index = {cell: i for i, cell in enumerate(cells)}
    rows: list[np.ndarray] = []
    known: list[tuple[float, float]] = []
    labels: list[str] = []

    def add(members: list[tuple[str, str]], entry: Any, label: str) -> None:
        row = np.zeros(len(cells))
        for cell in members:
            row[index[cell]] = 1
        rows.append(row)
        labels.append(label)
        if entry.state == State.SHOWN:
            known.append((entry.value, entry.value))
        elif entry.state == State.PRIMARY:
            known.append((1, flow.k - 1))
        else:
            known.append((flow.k, math.inf))

    for r in flow.rows:
        for c, entry in zip(flow.columns, r.entries, strict=True):
            add([(r.code, c.code)], entry, f"{r.code}|{c.code}")
        add([(r.code, c.code) for c in flow.columns], r.total, f"{r.code}|total")
    assert flow.column_totals is not None
    for c, entry in zip(flow.columns, flow.column_totals, strict=True):
        add([(r.code, c.code) for r in flow.rows], entry, f"total|{c.code}")
    add(cells, flow.grand_total, "total")
    caseload = next(row for row in figures.table("caseload").rows if row.code == "cases")
    add([(r.code, "open") for r in flow.rows], caseload.entries[0], "caseload")
    if figures.period.start - timedelta(days=1) == figures.previous.end:
        add([("continued", c.code) for c in flow.columns], caseload.entries[1], "caseload before")
    closures = figures.table("closures")
    assert closures.column_totals is not None
    add([(r.code, "closed") for r in flow.rows], closures.column_totals[0], "closures")
    found = []
    for i, label in enumerate(labels):
        if known[i][0] < known[i][1]:
            low, high = _range(rows, known, i)
            if low == high:
                found.append(label)
    return found


def test_the_caseload_does_not_give_a_withheld_case_flow_cell_away(
    flow: list[Case], coordinator: Membership
) -> None:
    # On its own the case flow withholds the one new and closed case ("< 5") and the six
    # still open ("•" in the cell and its column total); the caseload shows those six in
    # care on the reference day, and 7 new - 6 = 1.
    figures = _screen(coordinator, YEAR)
    caseload = next(row for row in figures.table("caseload").rows if row.code == "cases")
    assert caseload.entries[0].state == State.SHOWN
    assert caseload.entries[0].value == 6
    table = figures.table("case_flow")
    new = next(row for row in table.rows if row.code == "new")
    assert new.entries[0].state == State.PRIMARY
    # The six in care are no secret (the caseload shows them); the one closed case is.
    assert set(_flow_attack(figures)) <= {"new|open", "total|open"}
    assert new.entries[1].state == State.SECONDARY or new.entries[1].value == 6


def test_the_case_flow_is_remembered_for_the_same_period(
    flow: list[Case], coordinator: Membership
) -> None:
    first = _screen(coordinator, YEAR).table("case_flow")
    assert _shown("case_flow")
    assert _screen(coordinator, YEAR).table("case_flow") == first
    # Another period shares none of its figures, and gives no small cell away either.
    half = _screen(coordinator, FIRST_HALF)
    small = {
        f"{row.code}|{column.code}"
        for row in half.table("case_flow").rows
        for column, entry in zip(half.table("case_flow").columns, row.entries, strict=True)
        if entry.state == State.PRIMARY
    }
    assert not small & set(_flow_attack(half))


# --- property: a sequence of requests through the memory ------------------------------------


def _request(
    events: list[tuple[int, int]], period: tuple[int, int], memory: list[Published], *, k: int
) -> tuple[_Published, Published]:
    """One request as ``request_figures`` makes it: its columns protected against everything
    remembered (merged, as the memory is read)."""
    columns = _report(events, period, earlier="year")
    counts = _counts(events, columns)
    remembered = merged(memory)
    release = protect_grid(
        counts,
        spans=columns,
        categories=_codes(CATEGORIES, len(columns)),
        row_totals=False,
        column_totals=True,
        earlier=[remembered] if remembered is not None else [],
        kind=Kind.EVENTS,
        k=k,
    )
    return (
        _Published(columns, counts, release.protected, release.published.floor),
        release.published,
    )


@st.composite
def _requests(draw: st.DrawFn) -> list[tuple[int, int]]:
    """Three to five periods, each overlapping one before, with repeats and one month more."""
    months = 36
    pair = st.tuples(st.integers(0, months - 1), st.integers(0, months - 1)).map(sorted)
    first = tuple(draw(pair))
    periods: list[tuple[int, int]] = [(first[0], first[1])]
    for _ in range(draw(st.integers(2, 4))):
        base = draw(st.sampled_from(periods))
        how = draw(st.sampled_from(["again", "longer", "earlier", "nested", "any"]))
        if how == "again":
            periods.append(base)
        elif how == "longer":
            periods.append((base[0], min(months - 1, base[1] + 1)))
        elif how == "earlier":
            periods.append((max(0, base[0] - 1), base[1]))
        elif how == "nested":
            lo = draw(st.integers(base[0], base[1]))
            periods.append((lo, draw(st.integers(lo, base[1]))))
        else:
            start = draw(st.integers(0, base[1]))
            end = draw(st.integers(max(start, base[0]), months - 1))
            periods.append((start, end))
    return periods


@settings(max_examples=25, deadline=None)
@given(events=st.lists(_event, max_size=60), k=st.integers(3, 6), periods=_requests())
def test_no_withheld_entry_can_be_recovered_from_requests_through_the_memory(events, k, periods):
    published: list[_Published] = []
    memory: list[Published] = []
    answers: dict[tuple[int, int], Any] = {}
    for period in periods:
        report, form = _request(events, period, memory, k=k)
        # The same request gives the same answer.
        if period in answers:
            assert report.protected == answers[period]
        answers[period] = report.protected
        # What the new one lets the attacker pin, with all before it, was pinned by those
        # before already (public: the same count published earlier).
        if published:
            together = _attack([*published, report], k=k)
            before = set(_attack(published, k=k)) | set(_attack(published, k=k, queries=[report]))
            assert set(together) <= before
        else:
            assert _attack([report], k=k) == []
        published.append(report)
        memory.append(form)


def test_merging_keeps_the_tighter_bound_of_a_figure() -> None:
    span = (1, 10)
    codes = frozenset({"a"})
    withheld = Published((Figure(span, codes, State.SECONDARY),), k=5)
    shown = Published((Figure(span, codes, State.SHOWN, 7),), k=5)
    together = merged([withheld, shown])
    assert together is not None
    assert together.bounds() == [(7.0, 7.0)]
    assert len(together.figures) == 1


# --- property: two screen requests of the database ------------------------------------------


@settings(
    max_examples=6,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    days=st.lists(
        st.tuples(st.integers(0, 180), st.sampled_from(["talk", "phone_call", "home_visit"])),
        max_size=30,
    ),
    first=st.tuples(st.integers(0, 180), st.integers(0, 180)).map(sorted),
    second=st.tuples(st.integers(0, 180), st.integers(0, 180)).map(sorted),
)
def test_two_overlapping_screen_requests_give_no_contact_away(
    days: list[tuple[int, str]],
    first: list[int],
    second: list[int],
    coordinator: Membership,
    contacts: Case,
) -> None:
    JournalEntry.objects.all().delete()
    ShownForm.objects.all().delete()
    person = contacts.household.members.first()
    assert person is not None
    origin = date(2025, 1, 1)
    for day, kind in days:
        JournalEntry.objects.create(
            subject=person,
            owner_agency=contacts.lead_agency,
            category=DataCategory.CASE_PLAN,
            author=contacts.lead_user,
            case=contacts,
            kind=kind,
            text="Gespräch",
            occurred_at=timezone.make_aware(
                datetime.combine(origin + timedelta(days=day), time(10))
            ),
        )
    periods = [(origin + timedelta(a), origin + timedelta(b)) for a, b in (first, second)]
    for period in periods:
        _screen(coordinator, period)
    if len(_shown("contacts")) == 2:
        _no_new_pins()
