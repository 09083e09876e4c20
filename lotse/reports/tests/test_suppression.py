"""Statistical disclosure control: examples, and properties checked by an independent attacker.

The attacker here is written separately from the module's audit: a plain
integer program over *all* entries (published ones fixed), minimising and
maximising each withheld entry without the module's ±1-step shortcut, and,
for tiny tables, brute-force enumeration that cross-checks that program. A
bug in the module's audit therefore cannot hide itself behind its own check.

No database: these are pure functions.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st
from scipy.optimize import (  # type: ignore[import-untyped, unused-ignore]
    Bounds,
    LinearConstraint,
    milp,
)

from lotse.reports.release_audit import Figure, Kind, protect_grid
from lotse.reports.release_audit import Published as PublishedForm
from lotse.reports.suppression import MIN_K, Protected, State, protect, recoverable

# --- the independent attacker --------------------------------------------------------------

Known = tuple[float, float]  # what the attacker knows of one published value: [low, high]


def _knowledge(value: int, state: State, k: int, floor: int | None = None) -> Known:
    if state is State.SHOWN:
        return (value, value)
    if state is State.PRIMARY:
        return (1, k - 1)  # shown as "< k"
    # "•": every published non-zero value is >= k, so this one too - unless the table is
    # withheld whole (floor 1 with its zeros shown, 0 without).
    return (k if floor is None else floor, math.inf)


def _range(rows: list[np.ndarray], known: list[Known], target: int) -> tuple[int, float]:
    """Min and max of published value ``target`` over non-negative integer unknowns.

    ``rows[i] @ unknowns`` is published value i, known to lie in ``known[i]``.
    """
    matrix = np.array(rows, dtype=float)
    constraint = LinearConstraint(matrix, [lo for lo, _ in known], [hi for _, hi in known])
    n = matrix.shape[1]
    options = {"bounds": Bounds(0, np.inf), "integrality": np.ones(n), "constraints": constraint}
    low = milp(c=matrix[target], **options)
    assert low.status == 0, low.message  # the true table is a solution
    high = milp(c=-matrix[target], **options)
    # HiGHS reports an unbounded integer program as "unbounded or infeasible";
    # feasibility is known, so it is unbounded.
    top = -high.fun if high.status == 0 else math.inf
    return round(low.fun), top if top == math.inf else round(top)


def _grid_model(
    counts: Sequence[Sequence[int]],
    states: dict[tuple[str, int, int], State],
    *,
    k: int,
    row_totals: bool,
    column_totals: bool,
) -> tuple[list[np.ndarray], list[Known], list[tuple[str, int, int]]]:
    """One report: the unknowns are the cells; every published value is a sum of cells."""
    r_n, c_n = len(counts), len(counts[0])
    keys: list[tuple[str, int, int]] = []
    rows: list[np.ndarray] = []
    values: list[int] = []

    def add(key: tuple[str, int, int], cells: list[tuple[int, int]]) -> None:
        row = np.zeros(r_n * c_n)
        for r, c in cells:
            row[r * c_n + c] = 1
        keys.append(key)
        rows.append(row)
        values.append(sum(counts[r][c] for r, c in cells))

    everything = [(r, c) for r in range(r_n) for c in range(c_n)]
    for r, c in everything:
        add(("cell", r, c), [(r, c)])
    if row_totals:
        for r in range(r_n):
            add(("row_total", r, -1), [(r, c) for c in range(c_n)])
    if column_totals:
        for c in range(c_n):
            add(("column_total", -1, c), [(r, c) for r in range(r_n)])
    if row_totals and column_totals:
        add(("grand_total", -1, -1), everything)
    known = [_knowledge(v, states[key], k) for key, v in zip(keys, values, strict=True)]
    return rows, known, keys


def _states(protected: Protected) -> dict[tuple[str, int, int], State]:
    states = {
        ("cell", r, c): state
        for r, row in enumerate(protected.cells)
        for c, state in enumerate(row)
    }
    states |= {("row_total", r, -1): s for r, s in enumerate(protected.row_totals or ())}
    states |= {("column_total", -1, c): s for c, s in enumerate(protected.column_totals or ())}
    if protected.grand_total is not None:
        states[("grand_total", -1, -1)] = protected.grand_total
    return states


def _values(counts: Sequence[Sequence[int]]) -> dict[tuple[str, int, int], int]:
    values = {("cell", r, c): v for r, row in enumerate(counts) for c, v in enumerate(row)}
    values |= {("row_total", r, -1): sum(row) for r, row in enumerate(counts)}
    values |= {("column_total", -1, c): sum(col) for c, col in enumerate(zip(*counts, strict=True))}
    values[("grand_total", -1, -1)] = sum(map(sum, counts))
    return values


def _determined(
    counts: Sequence[Sequence[int]],
    states: dict[tuple[str, int, int], State],
    *,
    k: int,
    row_totals: bool,
    column_totals: bool,
) -> list[tuple[str, int, int]]:
    rows, known, keys = _grid_model(
        counts, states, k=k, row_totals=row_totals, column_totals=column_totals
    )
    found = []
    for i, key in enumerate(keys):
        if states[key] is not State.SHOWN:
            low, high = _range(rows, known, i)
            if low == high:
                found.append(key)
    return found


def _brute_force_values(
    counts: Sequence[Sequence[int]], states: dict[tuple[str, int, int], State], *, k: int
) -> dict[tuple[str, int, int], set[int]]:
    """A 1-D column with its total: every consistent value of each withheld entry, by enumeration.

    Values are tried up to a cap, so a "single value" here may hide more
    beyond it; the comparison below only ever needs the cap's side.
    """
    cells = [row[0] for row in counts]
    cap = sum(cells) + k + 1
    total_key = ("column_total", -1, 0)

    def allowed(key: tuple[str, int, int], v: int, true: int) -> bool:
        state = states[key]
        if state is State.SHOWN:
            return v == true
        return 1 <= v <= k - 1 if state is State.PRIMARY else v >= k

    ranges = [
        [v]
        if states[("cell", r, 0)] is State.SHOWN
        else [v for v in range(cap + 1) if allowed(("cell", r, 0), v, v)]
        for r, v in enumerate(cells)
    ]
    seen: dict[tuple[str, int, int], set[int]] = {
        key: set() for key, state in states.items() if state is not State.SHOWN
    }
    for choice in itertools.product(*ranges):
        if not allowed(total_key, sum(choice), sum(cells)):
            continue
        for r, v in enumerate(choice):
            seen.get(("cell", r, 0), set()).add(v)
        seen.get(total_key, set()).add(sum(choice))
    return seen


# --- examples -----------------------------------------------------------------------------


def test_one_primary_cell_of_a_column_gets_exactly_one_secondary():
    protected = protect([[3], [7], [9], [12]], k=5, row_totals=False, column_totals=True)
    column = [row[0] for row in protected.cells]
    assert column == [State.PRIMARY, State.SECONDARY, State.SHOWN, State.SHOWN]
    assert protected.column_totals == (State.SHOWN,)
    assert protected.row_totals is None
    assert protected.grand_total is None


def test_a_total_below_k_is_primary():
    protected = protect([[1], [2], [0]], k=5, row_totals=False, column_totals=True)
    assert protected.column_totals == (State.PRIMARY,)
    assert [row[0] for row in protected.cells] == [State.PRIMARY, State.PRIMARY, State.SHOWN]


@pytest.mark.parametrize("k", [MIN_K - 1, 0, -4])
def test_k_below_three_is_refused(k):
    with pytest.raises(ValueError, match="at least 3"):
        protect([[8]], k=k, row_totals=True, column_totals=True)


def test_zeros_stay_shown():
    counts = [[0, 6, 0], [0, 9, 12], [0, 0, 0]]
    protected = protect(counts, k=5, row_totals=True, column_totals=True)
    assert all(state is State.SHOWN for row in protected.cells for state in row)
    assert protected.row_totals == (State.SHOWN,) * 3
    assert protected.column_totals == (State.SHOWN,) * 3
    assert protected.grand_total is State.SHOWN


def test_the_output_is_deterministic():
    counts = [[1, 7, 9, 0], [12, 2, 8, 6], [5, 5, 30, 1], [0, 11, 4, 9]]
    first = protect(counts, k=5, row_totals=True, column_totals=True)
    for _ in range(3):
        assert protect(counts, k=5, row_totals=True, column_totals=True) == first
    assert protect([list(row) for row in counts], k=5, row_totals=True, column_totals=True) == (
        first
    )


def test_a_two_way_table_resists_the_margins():
    counts = [[1, 7, 9, 0], [12, 2, 8, 6], [5, 5, 30, 1], [0, 11, 4, 9]]
    protected = protect(counts, k=5, row_totals=True, column_totals=True)
    states = _states(protected)
    assert _determined(counts, states, k=5, row_totals=True, column_totals=True) == []
    assert recoverable(counts, protected, k=5) == []


def test_the_checker_sees_a_naive_suppression_fail():
    # Withholding only the small cell: the total gives it back.
    counts = [[3], [7], [9]]
    naive = Protected(
        cells=((State.PRIMARY,), (State.SHOWN,), (State.SHOWN,)),
        row_totals=None,
        column_totals=(State.SHOWN,),
        grand_total=None,
    )
    assert _determined(counts, _states(naive), k=5, row_totals=False, column_totals=True) == [
        ("cell", 0, 0)
    ]
    assert recoverable(counts, naive, k=5) == [("cell", 0, 0)]


def test_bounds_alone_can_give_a_pair_away():
    # 1 + 5 = 6: "< 5" is at least 1, "•" at least 5, so both are determined
    # although two entries are withheld; the audit withholds a third.
    counts = [[1], [5], [9]]
    pair = Protected(
        cells=((State.PRIMARY,), (State.SECONDARY,), (State.SHOWN,)),
        row_totals=None,
        column_totals=(State.SHOWN,),
        grand_total=None,
    )
    assert recoverable(counts, pair, k=5) == [("cell", 0, 0), ("cell", 1, 0)]
    protected = protect(counts, k=5, row_totals=False, column_totals=True)
    assert [row[0] for row in protected.cells] == [State.PRIMARY, State.SECONDARY, State.SECONDARY]
    assert recoverable(counts, protected, k=5) == []


def test_k_minus_one_ones_under_a_total_of_k_minus_one_cannot_be_protected():
    # "< 3", "< 3", total "< 3": each is at least 1, the sum at most 2, so
    # both are 1, whatever else is withheld. protect does what it can (the
    # total is withheld too) and recoverable says what still leaks; the
    # caller has to merge categories or leave the table out.
    counts = [[1], [1], [0]]
    protected = protect(counts, k=3, row_totals=False, column_totals=True)
    assert protected.column_totals == (State.PRIMARY,)
    assert recoverable(counts, protected, k=3) == [
        ("cell", 0, 0),
        ("cell", 1, 0),
        ("column_total", -1, 0),
    ]


# --- property: one report -------------------------------------------------------------------

_small = st.one_of(st.integers(0, 4), st.integers(0, 12), st.integers(0, 40))


@st.composite
def _tables(draw: st.DrawFn) -> tuple[list[list[int]], bool, bool]:
    layout = draw(st.sampled_from(["column", "both", "columns_only"]))
    rows = draw(st.integers(1, 6))
    columns = 1 if layout == "column" else draw(st.integers(2, 4))
    counts = [[draw(_small) for _ in range(columns)] for _ in range(rows)]
    return counts, layout == "both", True


def _all_withheld(counts: Sequence[Sequence[int]], *, k: int) -> dict[tuple[str, int, int], State]:
    return {
        key: State.SHOWN if v == 0 else State.PRIMARY if v < k else State.SECONDARY
        for key, v in _values(counts).items()
    }


@settings(max_examples=150, deadline=None)
@given(table=_tables(), k=st.integers(3, 6))
def test_no_withheld_entry_of_one_report_can_be_recovered(table, k):
    counts, row_totals, column_totals = table
    protected = protect(counts, k=k, row_totals=row_totals, column_totals=column_totals)
    states = _states(protected)
    values = _values(counts)
    for key, state in states.items():
        v = values[key]
        if 1 <= v < k:
            assert state is State.PRIMARY, key
        elif state is not State.SHOWN:
            # The attacker's model: a "•" stands for a value of at least k.
            assert state is State.SECONDARY, key
            assert v >= k, key
    determined = _determined(
        counts, states, k=k, row_totals=row_totals, column_totals=column_totals
    )
    # The only exception: entries that stay determined even with every
    # non-zero entry withheld (see the k - 1 ones example); the display
    # itself gives those away, no suppression can help.
    if determined:
        hopeless = _determined(
            counts,
            _all_withheld(counts, k=k),
            k=k,
            row_totals=row_totals,
            column_totals=column_totals,
        )
        assert set(determined) <= set(hopeless)
    assert sorted(recoverable(counts, protected, k=k)) == sorted(determined)


@settings(max_examples=80, deadline=None)
@given(
    cells=st.lists(st.integers(0, 9), min_size=1, max_size=4),
    k=st.integers(3, 5),
    labels=st.lists(st.booleans(), min_size=5, max_size=5),
)
def test_the_checker_agrees_with_brute_force(cells, k, labels):
    # Random labellings, not only protect's: the checker must also see leaks.
    counts = [[v] for v in cells]
    keys = [("cell", r, 0) for r in range(len(cells))] + [("column_total", -1, 0)]
    values = _values(counts)
    states = {}
    for key, flip in zip(keys, labels, strict=False):
        v = values[key]
        states[key] = (
            State.SHOWN
            if v == 0
            else State.PRIMARY
            if v < k
            else [State.SHOWN, State.SECONDARY][flip]
        )
    seen = _brute_force_values(counts, states, k=k)
    determined = set(_determined(counts, states, k=k, row_totals=False, column_totals=True))
    for key, found in seen.items():
        assert (len(found) == 1) == (key in determined), (key, found)


# --- property: two reports of overlapping periods -------------------------------------------

CATEGORIES = 6
MONTHS = 36

Period = tuple[int, int]  # first and last month, inclusive
Label = tuple[int, str, int, int]  # report, "cell" or "column_total", row, column


def _report(events: Sequence[tuple[int, int]], period: Period, *, earlier: str) -> list[Period]:
    """The columns of a report: the period, and beside it the comparison period.

    ``earlier="year"``: the same months a year before (Vorjahreszeitraum),
    as Lotse publishes; ``"preceding"``: the period just before it.
    """
    first, last = period
    shift = 12 if earlier == "year" else last - first + 1
    columns = [period]
    if first - shift >= 0:
        columns.append((first - shift, last - shift))
    return columns


def _counts(events: Sequence[tuple[int, int]], columns: Sequence[Period]) -> list[list[int]]:
    return [
        [sum(1 for m, c in events if c == category and lo <= m <= hi) for lo, hi in columns]
        for category in range(CATEGORIES)
    ]


@dataclass(frozen=True)
class _Published:
    """One report's table as published: what the attacker reads."""

    columns: list[Period]
    counts: list[list[int]]
    protected: Protected
    floor: int | None = None  # see _knowledge


def _codes(rows: int, columns: int) -> list[list[frozenset[str]]]:
    return [[frozenset({str(r)})] * columns for r in range(rows)]


def _per_table(events: Sequence[tuple[int, int]], period: Period, *, k: int, earlier: str):
    columns = _report(events, period, earlier=earlier)
    counts = _counts(events, columns)
    return _Published(columns, counts, protect(counts, k=k, row_totals=False, column_totals=True))


def _publish(
    events: Sequence[Any],
    periods: Sequence[Period],
    *,
    k: int,
    kind: Kind,
    count: Callable[[Sequence[Any], Sequence[Period]], list[list[int]]] = _counts,
) -> list[_Published]:
    """The reports one after the other, each protected against those published before."""
    published: list[_Published] = []
    forms: list[PublishedForm] = []
    for period in periods:
        columns = _report(events, period, earlier="year")
        counts = count(events, columns)
        release = protect_grid(
            counts,
            spans=columns,
            categories=_codes(CATEGORIES, len(columns)),
            row_totals=False,
            column_totals=True,
            earlier=forms,
            kind=kind,
            k=k,
        )
        published.append(_Published(columns, counts, release.protected, release.published.floor))
        forms.append(release.published)
    return published


Entry = tuple[tuple[str, int, int], int, State, Period, list[int]]


def _published_values(report: _Published) -> list[Entry]:
    """Every published entry: its label, true value, state, period and categories."""
    assert report.protected.column_totals is not None
    found = []
    for j, period in enumerate(report.columns):
        for category in range(CATEGORIES):
            found.append(
                (
                    ("cell", category, j),
                    report.counts[category][j],
                    report.protected.cells[category][j],
                    period,
                    [category],
                )
            )
        found.append(
            (
                ("column_total", -1, j),
                sum(row[j] for row in report.counts),
                report.protected.column_totals[j],
                period,
                list(range(CATEGORIES)),
            )
        )
    return found


def _attack(
    reports: Sequence[_Published],
    *,
    k: int,
    queries: Sequence[_Published] = (),
    kind: Kind = Kind.EVENTS,
) -> list[Label]:
    """Withheld entries the attacker pins from ``reports`` together.

    Events: the unknowns are events per (elementary month segment, category), the segments
    cut by every column's endpoints. Distinct units: a unit counts once in every column one
    of its months falls in, so the unknowns are units per (category, set of columns it
    counts in), for every set some choice of segments gives. Every published value is a sum
    of unknowns. ``queries``: reports not read, only asked about (numbered after
    ``reports``): which of their withheld entries the read ones determine.
    """
    everything = [*reports, *queries]
    cuts = sorted({m for report in everything for lo, hi in report.columns for m in (lo, hi + 1)})
    segments = list(itertools.pairwise(cuts))
    spans = sorted({span for report in everything for span in report.columns})

    def inside(span: Period) -> set[int]:
        return {s for s, (a, b) in enumerate(segments) if span[0] <= a and b - 1 <= span[1]}

    if kind is Kind.EVENTS:
        groups = [{s} for s in range(len(segments))]
    else:  # every non-empty set of segments, by the columns it reaches
        groups = []
        for size in range(1, len(segments) + 1):
            for chosen in itertools.combinations(range(len(segments)), size):
                groups.append(set(chosen))
    reach = sorted(
        {frozenset(span for span in spans if inside(span) & g) for g in groups}, key=sorted
    )
    reach = [r for r in reach if r]
    rows: list[np.ndarray] = []
    known: list[Known] = []
    labels: list[Label] = []
    asked: list[bool] = []
    for number, report in enumerate(everything):
        for label, value, state, period, categories in _published_values(report):
            row = np.zeros(len(reach) * CATEGORIES)
            for g, columns in enumerate(reach):
                if period in columns:
                    for c in categories:
                        row[g * CATEGORIES + c] = 1
            rows.append(row)
            labels.append((number, *label))
            asked.append(state is not State.SHOWN)
            if number < len(reports):
                known.append(_knowledge(value, state, k, report.floor))
            else:
                known.append((0, math.inf))  # not read
    found: list[Label] = []
    for i, entry in enumerate(labels):
        if asked[i]:
            low, high = _range(rows, known, i)
            if low == high:
                found.append(entry)
    return found


def _attack_two(
    events: Sequence[tuple[int, int]], periods: Sequence[Period], *, k: int, earlier: str
) -> list[Label]:
    """Two reports, each protected on its own only, read together."""
    return _attack([_per_table(events, period, k=k, earlier=earlier) for period in periods], k=k)


def _months(events: list[tuple[int, int]], month: int, counts: Sequence[int]) -> None:
    for category, n in enumerate(counts):
        events.extend([(month, category)] * n)


def _half_years(*halves: Sequence[int]) -> list[tuple[int, int]]:
    """Events per half-year (months 0, 6, 12, ...) per category."""
    events: list[tuple[int, int]] = []
    for h, counts in enumerate(halves):
        _months(events, 6 * h, counts)
    return events


def test_the_preceding_period_beside_a_half_year_is_attackable_and_the_year_before_is_not():
    # H2 has 2 cases in category 0 ("< 5", with category 1 as "•"). With the
    # preceding half-year H1 beside it, the year report (H1 + H2) gives both
    # back: 9 - 7 = 2 and 14 - 8 = 6. With the same months a year earlier
    # beside it, H1 is published nowhere, and nothing can be subtracted.
    events = _half_years(
        [5, 5, 5, 0, 0, 0],  # months 0-5
        [5, 5, 5, 0, 0, 0],  # months 6-11
        [7, 8, 9, 0, 0, 0],  # months 12-17: H1
        [2, 6, 9, 0, 0, 0],  # months 18-23: H2
    )
    periods = [(18, 23), (12, 23)]
    assert _attack_two(events, periods, k=5, earlier="preceding") == [
        (0, "cell", 0, 0),
        (0, "cell", 1, 0),
    ]
    assert _attack_two(events, periods, k=5, earlier="year") == []


# A per-table protection cannot cover this: the longer period's count bounds
# the shorter one's from above. Category 1 of [12, 17] is "•", so at least 5;
# in [12, 23] it is shown as 5, so it is exactly 5, and the column total
# gives category 0 back. Only an audit across published reports can stop it.
_NESTED = _half_years(
    [6, 6, 6, 0, 0, 0],
    [6, 6, 6, 0, 0, 0],
    [4, 5, 9, 0, 0, 0],
    [1, 0, 3, 0, 0, 0],
)


def test_nested_periods_can_reveal_a_cell_whatever_the_comparison_column():
    assert _attack_two(_NESTED, [(12, 17), (12, 23)], k=5, earlier="year") == [
        (0, "cell", 0, 0),
        (0, "cell", 1, 0),
    ]


def test_the_audit_across_reports_withholds_more_in_the_new_report_only():
    per_table = [
        _per_table(_NESTED, period, k=5, earlier="year") for period in [(12, 17), (12, 23)]
    ]
    first, second = _publish(_NESTED, [(12, 17), (12, 23)], k=5, kind=Kind.EVENTS)
    assert first.protected == per_table[0].protected  # what is published stays as it is
    assert second.floor == 5  # not withheld whole
    extra = [
        (r, c)
        for r, row in enumerate(second.protected.cells)
        for c, state in enumerate(row)
        if state is not per_table[1].protected.cells[r][c]
    ]
    assert extra  # the year withholds more ...
    assert all(second.protected.cells[r][c] is State.SECONDARY for r, c in extra)
    assert _attack([first, second], k=5) == []  # ... and gives nothing away


def test_what_the_earlier_report_published_is_no_secret_of_the_new_one():
    # Consecutive years: the second report's previous column is the first report's period.
    # Its entries are the same, so a withheld one the first report determines (here: none
    # is withheld differently) costs nothing, and nothing new is withheld.
    events = _half_years([6, 2, 9, 0, 0, 0], [6, 5, 7, 0, 0, 0], [8, 1, 9, 0, 0, 0])
    first, second = _publish(events, [(0, 11), (12, 23)], k=5, kind=Kind.EVENTS)
    alone = _per_table(events, (12, 23), k=5, earlier="year")
    assert second.protected == alone.protected
    assert _attack([first, second], k=5) == []


def test_a_table_that_would_contradict_the_published_one_is_withheld():
    # The data changed after the first report (a late entry in category 1): the second
    # report's previous column - the same months - would contradict it, and the attacker
    # would learn of the change. The conflicting entries are withheld; the model holds
    # again, and what it pins is the first report's published count.
    before = _half_years([0, 0, 0], [0, 0, 0], [6, 7, 9, 0, 0, 0])
    (first,) = _publish(before, [(12, 17)], k=5, kind=Kind.EVENTS)
    after = [*before, (13, 1)]
    columns = _report(after, (24, 29), earlier="year")
    counts = _counts(after, columns)
    release = protect_grid(
        counts,
        spans=columns,
        categories=_codes(CATEGORIES, len(columns)),
        row_totals=False,
        column_totals=True,
        earlier=[_form(first, k=5)],
        kind=Kind.EVENTS,
        k=5,
    )
    second = _Published(columns, counts, release.protected, release.published.floor)
    assert not release.blank
    assert release.protected.cells[1][1] is State.SECONDARY  # 8 now, 7 published
    assert release.protected.column_totals == (State.SHOWN, State.SECONDARY)
    assert release.added == 2
    pinned = _attack([first, second], k=5)
    assert set(pinned) == {(1, "cell", 1, 1), (1, "column_total", -1, 1)}
    assert set(pinned) <= set(_attack([first], k=5, queries=[second]))


def _form(report: _Published, *, k: int) -> PublishedForm:
    """The published form of a report for the audit (as stored after a release)."""
    figures = tuple(
        Figure(
            period,
            frozenset(str(c) for c in categories),
            state,
            value if state is State.SHOWN else None,
        )
        for _label, value, state, period, categories in _published_values(report)
    )
    return PublishedForm(figures, k=k, floor=report.floor)


def test_a_table_that_cannot_be_made_consistent_is_withheld_whole():
    # Two of category 0's six events of the first report were corrected away: the second
    # report's previous column - the same months - now holds 4, a "< 5", which contradicts
    # the published 6 whatever else is withheld (a "< 5" cannot become a "•"). The second
    # table says nothing then: every entry "•", zeros too.
    before = _half_years([0, 0, 0], [0, 0, 0], [6, 7, 9, 0, 0, 0])
    (first,) = _publish(before, [(12, 17)], k=5, kind=Kind.EVENTS)
    after = [event for i, event in enumerate(before) if i not in (0, 1)]
    columns = _report(after, (24, 29), earlier="year")
    counts = _counts(after, columns)
    release = protect_grid(
        counts,
        spans=columns,
        categories=_codes(CATEGORIES, len(columns)),
        row_totals=False,
        column_totals=True,
        earlier=[_form(first, k=5)],
        kind=Kind.EVENTS,
        k=5,
    )
    assert release.blank
    assert release.published.floor == 0
    assert {state for row in release.protected.cells for state in row} == {State.SECONDARY}
    second = _Published(columns, counts, release.protected, release.published.floor)
    # What the attacker can pin of the second is what the first published (6, not 4).
    pinned = _attack([first, second], k=5)
    assert pinned
    assert set(pinned) == set(_attack([first], k=5, queries=[second]))


_event = st.tuples(st.integers(0, MONTHS - 1), st.integers(0, CATEGORIES - 1))


@st.composite
def _overlapping(draw: st.DrawFn) -> tuple[Period, Period]:
    first = draw(st.tuples(st.integers(0, MONTHS - 1), st.integers(0, MONTHS - 1)).map(sorted))
    second = draw(
        st.tuples(st.integers(0, MONTHS - 1), st.integers(0, MONTHS - 1))
        .map(sorted)
        .filter(lambda p: p != first and p[0] <= first[1] and first[0] <= p[1])
    )
    return (first[0], first[1]), (second[0], second[1])


@settings(max_examples=30, deadline=None)
@example(events=_NESTED, k=5, periods=((12, 17), (12, 23)))
@given(
    events=st.lists(_event, max_size=60),
    k=st.integers(3, 6),
    periods=_overlapping(),
)
def test_no_withheld_entry_can_be_recovered_from_two_overlapping_reports(events, k, periods):
    first, second = _publish(events, list(periods), k=k, kind=Kind.EVENTS)
    # The first report alone gives nothing away (its own columns overlap when its period is
    # longer than a year: the same audit covers them; a table no suppression can save is
    # withheld whole) ...
    assert _attack([first], k=k) == []
    # ... and both together pin nothing but what the first alone determines of the second
    # (public already: the same count published before).
    both = _attack([first, second], k=k)
    assert set(both) <= set(_attack([first], k=k, queries=[second]))


# --- property: distinct units (persons counted once per period) ----------------------------

DISTINCT_MONTHS = 24


def _distinct_counts(
    units: Sequence[tuple[int, frozenset[int]]], columns: Sequence[Period]
) -> list[list[int]]:
    """Units (category, months they occur in) with an occurrence in each column."""
    return [
        [
            sum(1 for c, months in units if c == category and any(lo <= m <= hi for m in months))
            for lo, hi in columns
        ]
        for category in range(CATEGORIES)
    ]


def test_a_person_in_both_half_years_counts_once_in_the_year():
    # Category 0: 3 persons, two of them in both half-years; "< 5" everywhere. Read as
    # events (H1 + H2 = year) the figures would contradict each other; as distinct units
    # they do not, and the audit needs nothing more than the per-table protection here.
    units = [(0, frozenset({12, 18})), (0, frozenset({13, 19})), (0, frozenset({14}))]
    units += [(1, frozenset({12 + i})) for i in range(6)] + [
        (1, frozenset({18 + i})) for i in range(6)
    ]
    units += [(2, frozenset({12 + i, 18 + i})) for i in range(6)]
    first, second = _publish(
        units, [(18, 23), (12, 23)], k=5, kind=Kind.DISTINCT, count=_distinct_counts
    )
    assert second.counts[0][0] == 3
    assert first.counts[0][0] == 2
    assert _attack([first, second], k=5, kind=Kind.DISTINCT) == []


_unit = st.tuples(
    st.integers(0, CATEGORIES - 1),
    st.frozensets(st.integers(0, DISTINCT_MONTHS - 1), min_size=1, max_size=3),
)


@st.composite
def _overlapping_within(draw: st.DrawFn, months: int) -> tuple[Period, Period]:
    pair = st.tuples(st.integers(0, months - 1), st.integers(0, months - 1)).map(sorted)
    first = draw(pair)
    second = draw(pair.filter(lambda p: p != first and p[0] <= first[1] and first[0] <= p[1]))
    return (first[0], first[1]), (second[0], second[1])


@settings(max_examples=20, deadline=None)
@given(
    units=st.lists(_unit, max_size=40),
    k=st.integers(3, 5),
    periods=_overlapping_within(DISTINCT_MONTHS),
)
def test_no_withheld_entry_of_distinct_counts_can_be_recovered_from_two_reports(units, k, periods):
    first, second = _publish(units, list(periods), k=k, kind=Kind.DISTINCT, count=_distinct_counts)
    assert _attack([first], k=k, kind=Kind.DISTINCT) == []
    both = _attack([first, second], k=k, kind=Kind.DISTINCT)
    assert set(both) <= set(_attack([first], k=k, queries=[second], kind=Kind.DISTINCT))
