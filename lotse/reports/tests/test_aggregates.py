"""The aggregate face: who gets figures, whose data they count, that they match an
independent count, that small cells never leave it, and that every request is audited."""

from __future__ import annotations

import ast
import random
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from django.db import connection
from django.http import Http404
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from lotse.accounts.models import Agency, User
from lotse.accounts.roles import Role
from lotse.accounts.tests.factories import acting, member
from lotse.audit.models import AuditEvent
from lotse.cases.models import Case, ClosureReason, JournalEntry, Phase
from lotse.consent.categories import DataCategory
from lotse.core.dates import start_of
from lotse.people.choices import HouseholdRole, Sex
from lotse.people.tests.factories import HouseholdFactory, PersonFactory
from lotse.reports import aggregates
from lotse.reports.models import ShownForm
from lotse.reports.suppression import State
from lotse.reports.tables import Figures, Table

TODAY = date(2026, 6, 30)
START, END = date(2025, 7, 1), date(2026, 6, 30)


@dataclass
class Family:
    agency: Agency
    district: str
    sexes: list[str]
    opened: date
    closed: date | None = None
    reason: str = ""
    contacts: dict[str, int] = field(default_factory=dict)


def _write(family: Family, lead: User) -> Case:
    persons = [
        PersonFactory.create(owner_agency=family.agency, sex=sex, district=family.district)
        for sex in family.sexes
    ]
    roles = [HouseholdRole.HEAD] + [HouseholdRole.CHILD] * (len(persons) - 1)
    household = HouseholdFactory.create(
        owner_agency=family.agency,
        district=family.district,
        members=list(zip(persons, roles, strict=True)),
    )
    case = Case.objects.create(
        household=household,
        lead_agency=family.agency,
        lead_user=lead,
        opened_by=lead,
        opened_on=family.opened,
        phase=Phase.CLOSED if family.closed else Phase.IMPLEMENTATION,
        closed_on=family.closed,
        closure_reason=family.reason,
    )
    for kind, n in family.contacts.items():
        for i in range(n):
            JournalEntry.objects.create(
                subject=persons[0],
                owner_agency=family.agency,
                category=DataCategory.CASE_PLAN,
                author=lead,
                case=case,
                kind=kind,
                text="Gespräch",
                occurred_at=start_of(family.opened + timedelta(days=1 + i)),
            )
    return case


def _families(agencies: Any, rng: random.Random, n: int) -> list[Family]:
    families = []
    for _ in range(n):
        opened = START - timedelta(days=rng.randint(-300, 400))
        closed = None
        reason = ""
        if rng.random() < 0.4:
            closed = opened + timedelta(days=rng.randint(20, 300))
            reason = rng.choice([ClosureReason.GOALS_REACHED, ClosureReason.MOVED_AWAY])
        families.append(
            Family(
                agency=rng.choice([agencies.kim, agencies.kim, agencies.jugendamt]),
                district=rng.choice(["barmen", "barmen", "oberbarmen", "elberfeld"]),
                sexes=[
                    rng.choice([Sex.FEMALE, Sex.MALE, Sex.MALE, Sex.DIVERSE])
                    for _ in range(rng.randint(1, 4))
                ],
                opened=opened,
                closed=closed,
                reason=reason,
                contacts={
                    JournalEntry.Kind.TALK: rng.randint(0, 3),
                    JournalEntry.Kind.PHONE_CALL: rng.randint(0, 2),
                    JournalEntry.Kind.HOME_VISIT: rng.choice([0, 0, 1]),
                },
            )
        )
    return families


@pytest.fixture
def world(agencies: Any, emil: User, gero: User) -> Any:
    kim_lead = member("kira", agencies.kim, Role.CASEWORKER)
    ja_lead = member("jan", agencies.jugendamt, Role.CASEWORKER)
    families = _families(agencies, random.Random(11), 60)
    for family in families:
        _write(family, kim_lead if family.agency == agencies.kim else ja_lead)
    return families


def _in_care(family: Family, day: date) -> bool:
    return family.opened <= day and (family.closed is None or family.closed > day)


def _shown(table: Table, row: str, column: int = 0) -> int | None:
    for each in table.rows:
        if each.code == row:
            entry = each.entries[column]
            return None if entry.value is None else int(entry.value)
    raise KeyError(row)


def _figures(user: User, **kwargs: Any) -> Figures:
    return aggregates.request_figures(acting(user), start=START, end=END, **kwargs)


def _check(table: Table, row: str, expected: int, k: int = 5, column: int = 0) -> None:
    """A shown value equals the independent count; a withheld one is small or secondary."""
    entry = next(each for each in table.rows if each.code == row).entries[column]
    if entry.state == State.SHOWN:
        assert entry.value == expected, (table.key, row, entry.value, expected)
    elif entry.state == State.PRIMARY:
        assert 1 <= expected < k, (table.key, row, expected)
    else:
        assert entry.value is None


# --- who gets figures -------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["anna", "frida", "ida", "hana"])
def test_roles_without_figures_get_404(request: pytest.FixtureRequest, name: str) -> None:
    user = request.getfixturevalue(name)
    with pytest.raises(Http404):
        _figures(user)
    assert not AuditEvent.objects.filter(action="figures_requested").exists()


def test_a_coordinator_counts_the_city_and_a_team_lead_only_their_agency(
    world: list[Family], emil: User, gero: User, agencies: Any
) -> None:
    city = _figures(emil)
    agency = _figures(gero)
    everyone = sum(len(f.sexes) for f in world if _in_care(f, END))
    kim_only = sum(len(f.sexes) for f in world if _in_care(f, END) and f.agency == agencies.kim)
    _check(city.table("in_care"), "persons", everyone)
    _check(agency.table("in_care"), "persons", kim_only)
    assert agency.scope_label == agencies.kim.name
    assert kim_only < everyone


# --- independent counts -----------------------------------------------------------------------


def test_figures_match_an_independent_count(world: list[Family], emil: User) -> None:
    figures = _figures(emil)
    previous_end = figures.previous.end
    _check(figures.table("in_care"), "families", sum(_in_care(f, END) for f in world))
    _check(
        figures.table("in_care"),
        "families",
        sum(_in_care(f, previous_end) for f in world),
        column=1,
    )
    sexes: dict[str, int] = {}
    for family in world:
        if _in_care(family, END):
            for sex in family.sexes:
                sexes[sex] = sexes.get(sex, 0) + 1
    for sex in (Sex.FEMALE, Sex.MALE, Sex.DIVERSE):
        _check(figures.table("sex"), sex, sexes.get(sex, 0))
    flow = figures.table("case_flow")
    new_closed = sum(
        1 for f in world if START <= f.opened <= END and f.closed is not None and f.closed <= END
    )
    continued_open = sum(
        1 for f in world if f.opened < START and (f.closed is None or f.closed > END)
    )
    _check(flow, "new", new_closed, column=0)
    _check(flow, "continued", continued_open, column=1)
    expected_talks = sum(
        1
        for f in world
        for i in range(f.contacts[JournalEntry.Kind.TALK])
        if START <= f.opened + timedelta(days=1 + i) <= END
    )
    _check(figures.table("contacts"), JournalEntry.Kind.TALK, expected_talks)
    reasons = figures.table("closures")
    _check(
        reasons,
        ClosureReason.GOALS_REACHED,
        sum(
            1
            for f in world
            if f.closed and START <= f.closed <= END and f.reason == ClosureReason.GOALS_REACHED
        ),
    )


def test_a_district_counts_only_its_families(world: list[Family], emil: User) -> None:
    figures = _figures(emil, district="oberbarmen")
    expected = sum(1 for f in world if f.district == "oberbarmen" and _in_care(f, END))
    _check(figures.table("in_care"), "families", expected)
    assert figures.district_label


# --- suppression ------------------------------------------------------------------------------


def test_small_cells_never_leave_the_face(agencies: Any, emil: User) -> None:
    lead = member("kira", agencies.kim, Role.CASEWORKER)
    for sex in (Sex.FEMALE,) * 7 + (Sex.DIVERSE,) * 2:
        _write(Family(agencies.kim, "barmen", [sex], opened=START - timedelta(days=30)), lead)
    figures = _figures(emil)
    table = figures.table("sex")
    diverse = next(row for row in table.rows if row.code == Sex.DIVERSE).entries[0]
    assert diverse.state == State.PRIMARY
    assert diverse.value is None
    assert diverse.text(figures.k) == "< 5"
    # The total would give the small cell away with the others shown: one more is withheld.
    withheld = [row.entries[0] for row in table.rows if row.entries[0].state != State.SHOWN]
    total = table.column_totals[0] if table.column_totals else None
    assert len(withheld) >= 2 or (total is not None and total.state != State.SHOWN)
    # Nothing in the JSON carries the withheld number.
    for section in figures.as_json()["sections"]:
        for each in section["tables"]:
            for row in each["rows"]:
                for entry in row["entries"]:
                    if entry["state"] != "shown":
                        assert entry["value"] is None


def test_a_table_that_cannot_be_protected_shows_nothing(agencies: Any, emil: User) -> None:
    """One person of each sex: four "< 5" summing to a "< 5" total are each exactly 1."""
    lead = member("kira", agencies.kim, Role.CASEWORKER)
    for sex in (Sex.FEMALE, Sex.MALE, Sex.DIVERSE, Sex.UNSPECIFIED):
        _write(Family(agencies.kim, "barmen", [sex], opened=START - timedelta(days=30)), lead)
    table = _figures(emil).table("sex")
    current = [row.entries[0] for row in table.rows]
    assert table.column_totals is not None
    assert all(entry.value is None for entry in [*current, table.column_totals[0]])
    assert all(entry.state == State.SECONDARY for entry in current)


def test_a_ratio_and_a_median_follow_the_suppression_of_their_count(
    agencies: Any, emil: User
) -> None:
    lead = member("kira", agencies.kim, Role.CASEWORKER)
    for days in (10, 40):
        _write(
            Family(
                agencies.kim,
                "barmen",
                [Sex.FEMALE],
                opened=START + timedelta(days=5),
                closed=START + timedelta(days=5 + days),
                reason=ClosureReason.GOALS_REACHED,
            ),
            lead,
        )
    figures = _figures(emil)
    duration = figures.table("case_duration")
    assert _shown(duration, "count") is None
    assert _shown(duration, "median") is None


def test_closed_cases_with_the_same_dates_are_each_counted(agencies: Any, emil: User) -> None:
    """The duration table counts cases, not distinct pairs of dates: six cases opened and
    closed on the same days are six, as in the table of closures by reason."""
    lead = member("kira", agencies.kim, Role.CASEWORKER)
    for _ in range(6):
        _write(
            Family(
                agencies.kim,
                "barmen",
                [Sex.FEMALE],
                opened=START + timedelta(days=5),
                closed=START + timedelta(days=25),
                reason=ClosureReason.GOALS_REACHED,
            ),
            lead,
        )
    figures = _figures(emil)
    assert _shown(figures.table("case_duration"), "count") == 6
    assert _shown(figures.table("case_duration"), "median") == 20


# --- audit and the boundary -------------------------------------------------------------------


def test_every_request_is_audited_without_numbers(world: list[Family], emil: User) -> None:
    _figures(emil, district="barmen")
    event = AuditEvent.objects.get(action="figures_requested")
    assert event.actor == emil
    assert event.detail["district"] == "barmen"
    assert event.detail["scope"] == "city"
    assert set(event.detail) == {
        "from",
        "to",
        "district",
        "scope",
        "source",
        "minimum_cell_size",
        "tables",
        "withheld",
        "remembered",
    }
    assert event.detail["source"] == "screen"
    assert isinstance(event.detail["remembered"], int)


def test_the_query_count_does_not_grow_with_the_data(agencies: Any, emil: User) -> None:
    lead = member("kira", agencies.kim, Role.CASEWORKER)
    rng = random.Random(3)

    def queries() -> int:
        # Each time as the first request of its period: remembered anew (one insert).
        ShownForm.objects.all().delete()
        with CaptureQueriesContext(connection) as captured:
            _figures(emil)
        return len(captured)

    for family in _families(agencies, rng, 5):
        _write(family, lead)
    few = queries()
    for family in _families(agencies, rng, 25):
        _write(family, lead)
    assert queries() == few


def test_a_period_longer_than_three_years_names_the_problem(emil: User) -> None:
    with translation.override("en"), pytest.raises(aggregates.PeriodError, match="three years"):
        aggregates.request_figures(acting(emil), start=date(2020, 1, 1), end=date(2024, 1, 1))


def test_no_report_module_but_the_face_imports_a_content_model() -> None:
    """Report code gets figures from the aggregate face only (``aggregates.py``)."""
    content = ("lotse.cases", "lotse.people.models", "lotse.referrals", "lotse.consent.models")
    folder = Path(aggregates.__file__).parent
    offenders = []
    for path in folder.rglob("*.py"):
        if path.name == "aggregates.py" or "tests" in path.parts or "migrations" in path.parts:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            names = []
            if isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            elif isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            offenders += [f"{path.name}: {name}" for name in names if name.startswith(content)]
    assert offenders == []
