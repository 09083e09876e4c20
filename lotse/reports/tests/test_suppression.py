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
from collections.abc import Sequence

import numpy as np
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st
from scipy.optimize import (  # type: ignore[import-untyped, unused-ignore]
    Bounds,
    LinearConstraint,
    milp,
)

from lotse.reports.suppression import MIN_K, Protected, State, protect, recoverable

# --- the independent attacker --------------------------------------------------------------

Known = tuple[float, float]  # what the attacker knows of one published value: [low, high]


def _knowledge(value: int, state: State, k: int) -> Known:
    if state is State.SHOWN:
        return (value, value)
    if state is State.PRIMARY:
        return (1, k - 1)  # shown as "< k"
    return (k, math.inf)  # "•": every published non-zero value is >= k, so this one too


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


def _attack_two(
    events: Sequence[tuple[int, int]], periods: Sequence[Period], *, k: int, earlier: str
) -> list[tuple[int, str, int, int]]:
    """Withheld entries of the reports that the attacker pins, from both reports together.

    Unknowns: events per (elementary month segment, category), the segments
    cut by every column's endpoints; every published value is a sum of them.
    """
    reports = []
    for period in periods:
        columns = _report(events, period, earlier=earlier)
        counts = _counts(events, columns)
        protected = protect(counts, k=k, row_totals=False, column_totals=True)
        reports.append((columns, counts, protected))
    cuts = sorted({m for columns, _, _ in reports for lo, hi in columns for m in (lo, hi + 1)})
    segments = list(itertools.pairwise(cuts))
    rows: list[np.ndarray] = []
    known: list[Known] = []
    labels: list[tuple[int, str, int, int]] = []
    for number, (columns, counts, protected) in enumerate(reports):
        assert protected.column_totals is not None
        for j, (lo, hi) in enumerate(columns):
            inside = [s for s, (a, b) in enumerate(segments) if lo <= a and b - 1 <= hi]
            for category in range(CATEGORIES + 1):
                row = np.zeros(len(segments) * CATEGORIES)
                chosen = range(CATEGORIES) if category == CATEGORIES else [category]
                for s in inside:
                    for c in chosen:
                        row[s * CATEGORIES + c] = 1
                if category == CATEGORIES:
                    state, value = protected.column_totals[j], sum(r[j] for r in counts)
                    labels.append((number, "column_total", -1, j))
                else:
                    state, value = protected.cells[category][j], counts[category][j]
                    labels.append((number, "cell", category, j))
                rows.append(row)
                known.append(_knowledge(value, state, k))
    pinned = []
    for i, label in enumerate(labels):
        if known[i][0] != known[i][1]:
            low, high = _range(rows, known, i)
            if low == high:
                pinned.append(label)
    return pinned


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


@pytest.mark.xfail(
    strict=True,
    reason="per-table suppression cannot protect overlapping periods "
    "(see test_nested_periods_can_reveal_a_cell_whatever_the_comparison_column); "
    "needs an audit across the published reports",
)
@settings(max_examples=25, deadline=None)
@example(events=_NESTED, k=5, periods=((12, 17), (12, 23)))
@given(
    events=st.lists(_event, max_size=60),
    k=st.integers(3, 6),
    periods=_overlapping(),
)
def test_no_withheld_entry_can_be_recovered_from_two_overlapping_reports(events, k, periods):
    assert _attack_two(events, list(periods), k=k, earlier="year") == []
