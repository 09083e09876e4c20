"""Statistical disclosure control for the count tables of the reports.

Reports to the steering group and the council committee publish counts of
cases. A small count can identify a family, so:

* primary suppression withholds every cell or total ``v`` with ``1 <= v < k``
  (shown as "< k"); zeros are published, there is nobody to protect;
* secondary suppression withholds further entries (shown as "•") so that the
  published totals do not give a withheld entry back by subtraction;
* an exact audit then asks an integer program, for every withheld entry,
  whether the published form admits another value than the true one, and
  withholds more until none is determined - except the few that no
  suppression can save (``k - 1`` ones in a line whose total is ``k - 1``:
  each "< k" is at least 1, so all are 1); :func:`recoverable` names them,
  and the caller has to merge categories or leave the table out.

The attacker's model of the audit: published entries are known, the lines
(a row or column with its total, the margins with the grand total) add up,
a PRIMARY entry lies in ``[1, k-1]`` and a SECONDARY entry is ``>= k`` (the
two are displayed differently, and every published non-zero entry is
``>= k``, so a secondary one is too).

The protection is per table. It does not know other reports: two reports of
nested periods, for instance, bound each other's cells (the longer period's
count is at least the shorter one's), which no per-table rule can rule out.
:mod:`lotse.reports.release_audit` protects a table against the published ones.

The module is pure Python (numpy/scipy, no Django), so the reports can call
it from any rendering path and the tests need no database.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any, NamedTuple

import numpy as np
from scipy import sparse  # type: ignore[import-untyped, unused-ignore]
from scipy.optimize import (  # type: ignore[import-untyped, unused-ignore]
    Bounds,
    LinearConstraint,
    milp,
)

__all__ = [
    "MIN_K",
    "Position",
    "Protected",
    "State",
    "protect",
    "recoverable",
]


class State(enum.StrEnum):
    """How one entry of a count table is published."""

    SHOWN = "shown"
    PRIMARY = "primary"
    SECONDARY = "secondary"


MIN_K = 3
"""The smallest threshold accepted: with ``k = 2`` a "< 2" would read as 1."""


@dataclass(frozen=True)
class Protected:
    """The published form of a count grid."""

    cells: tuple[tuple[State, ...], ...]
    row_totals: tuple[State, ...] | None
    column_totals: tuple[State, ...] | None
    grand_total: State | None


class Position(NamedTuple):
    """One entry of a table (cell, row/column/grand total); ``-1`` where an index does not apply."""

    kind: str
    row: int
    column: int


CELL = "cell"
ROW_TOTAL = "row_total"
COLUMN_TOTAL = "column_total"
GRAND_TOTAL = "grand_total"

# Positions live on an (R+1) x (C+1) grid: row R holds the column totals,
# column C the row totals, (R, C) the grand total. One index space keeps the
# lines, the tie-break and the integer programs simple.
_Pos = tuple[int, int]


@dataclass(frozen=True)
class _Line:
    inner: tuple[_Pos, ...]
    total: _Pos

    @property
    def members(self) -> tuple[_Pos, ...]:
        return (*self.inner, self.total)


@dataclass(frozen=True)
class _Grid:
    values: dict[_Pos, int]
    lines: tuple[_Line, ...]
    lines_through: dict[_Pos, tuple[int, ...]]
    rows: int
    columns: int


_States = dict[_Pos, State]


def protect(
    counts: Sequence[Sequence[int]], *, k: int, row_totals: bool, column_totals: bool
) -> Protected:
    """Return which entries of ``counts`` (and of its published totals) to withhold.

    ``counts`` is R x C; the totals are the row sums (``row_totals``), the
    column sums (``column_totals``) and, when both are published, the grand
    total. The result is deterministic for equal input.
    """
    grid = _grid(counts, k=k, row_totals=row_totals, column_totals=column_totals)
    states = dict.fromkeys(grid.values, State.SHOWN)
    for pos, value in grid.values.items():
        if 1 <= value < k:
            states[pos] = State.PRIMARY
    audit = _Audit(grid, k)
    # Entries determined whatever else is withheld (say k - 1 ones in a line
    # whose total is k - 1): the display gives them away, so stop trying.
    hopeless: set[_Pos] = set()
    while True:
        _secondary(grid, states)
        if all(state is State.SHOWN for state in states.values()):
            break  # nothing withheld: nothing to audit
        pinned = [pos for pos in audit.pinned(states) if pos not in hopeless]
        if not pinned:
            break
        added = False
        for target in pinned:
            if target in audit.ambiguous:
                continue  # a step found for an earlier target moves it already
            found = _fix(grid, states, target, k=k, audited=not added)
            if found is None:
                hopeless.add(target)
                continue
            chosen, moved = found
            for pos in chosen:
                states[pos] = State.SECONDARY
            added = added or bool(chosen)
            audit.ambiguous.update(moved)
    return _published(grid, states, row_totals=row_totals, column_totals=column_totals)


def recoverable(counts: Sequence[Sequence[int]], protected: Protected, *, k: int) -> list[Position]:
    """The withheld entries of ``protected`` whose value the published form determines.

    For an output of :func:`protect` only the entries no suppression can
    save (see the module docstring), usually none; callers check it before
    publishing. Also for a publication composed some other way.
    """
    grid = _grid(
        counts,
        k=k,
        row_totals=protected.row_totals is not None,
        column_totals=protected.column_totals is not None,
    )
    states = _states_of(grid, protected, k=k)
    if all(state is State.SHOWN for state in states.values()):
        return []
    return [_position(grid, pos) for pos in _Audit(grid, k).pinned(states)]


def _grid(
    counts: Sequence[Sequence[int]], *, k: int, row_totals: bool, column_totals: bool
) -> _Grid:
    if k < MIN_K:
        raise ValueError(f"k must be at least {MIN_K}, got {k}")
    rows = len(counts)
    columns = len(counts[0]) if rows else 0
    values: dict[_Pos, int] = {}
    for r, row in enumerate(counts):
        if len(row) != columns:
            raise ValueError("all rows of counts must have the same length")
        for c, value in enumerate(row):
            if value < 0:
                raise ValueError("counts must not be negative")
            values[(r, c)] = int(value)
    lines: list[_Line] = []
    if row_totals:
        for r in range(rows):
            values[(r, columns)] = sum(values[(r, c)] for c in range(columns))
            lines.append(_Line(tuple((r, c) for c in range(columns)), (r, columns)))
    if column_totals:
        for c in range(columns):
            values[(rows, c)] = sum(values[(r, c)] for r in range(rows))
            lines.append(_Line(tuple((r, c) for r in range(rows)), (rows, c)))
    if row_totals and column_totals:
        values[(rows, columns)] = sum(values[(r, c)] for r in range(rows) for c in range(columns))
        lines.append(_Line(tuple((rows, c) for c in range(columns)), (rows, columns)))
        lines.append(_Line(tuple((r, columns) for r in range(rows)), (rows, columns)))
    through: dict[_Pos, list[int]] = {pos: [] for pos in values}
    for index, line in enumerate(lines):
        for pos in line.members:
            through[pos].append(index)
    return _Grid(
        values=values,
        lines=tuple(lines),
        lines_through={pos: tuple(found) for pos, found in through.items()},
        rows=rows,
        columns=columns,
    )


def _candidates(grid: _Grid, states: _States, lines: Iterable[int]) -> list[_Pos]:
    """The published non-zero entries of ``lines``, in the order to withhold them.

    A line's inner entries before its total (a withheld total hides less
    detail than it costs), then the smallest value (the least information
    lost), then by position, so that the result is deterministic.
    """
    keys: dict[_Pos, tuple[bool, int, _Pos]] = {}
    for index in lines:
        line = grid.lines[index]
        for pos in line.members:
            if states[pos] is not State.SHOWN or grid.values[pos] == 0:
                continue
            key = (pos == line.total, grid.values[pos], pos)
            keys[pos] = min(key, keys.get(pos, key))
    return sorted(keys, key=keys.__getitem__)


def _secondary(grid: _Grid, states: _States) -> None:
    """Close every line with exactly one withheld entry, until none is left."""
    changed = True
    while changed:
        changed = False
        for index, line in enumerate(grid.lines):
            if sum(states[pos] is not State.SHOWN for pos in line.members) != 1:
                continue
            found = _candidates(grid, states, [index])
            # Never empty in practice (the withheld entry is non-zero, so the
            # sum makes another one non-zero); then the total, as the rule says.
            chosen = found[0] if found else line.total
            if states[chosen] is State.SHOWN:
                states[chosen] = State.SECONDARY
                changed = True


def _tiers(grid: _Grid, states: _States, target: _Pos) -> list[list[_Pos]]:
    """Candidates to withhold for the determined entry ``target``, nearest first.

    The lines through it; then the lines through the withheld entries those
    reach, ring by ring; last, every other published non-zero entry.
    """
    tiers: list[list[_Pos]] = []
    seen_lines: set[int] = set()
    seen: set[_Pos] = set()
    frontier = {target}
    reached = {target}
    while frontier:
        ring = sorted({i for pos in frontier for i in grid.lines_through[pos]} - seen_lines)
        seen_lines.update(ring)
        tier = [pos for pos in _candidates(grid, states, ring) if pos not in seen]
        seen.update(tier)
        if tier:
            tiers.append(tier)
        frontier = {
            pos
            for i in ring
            for pos in grid.lines[i].members
            if states[pos] is not State.SHOWN and pos not in reached
        }
        reached |= frontier
    rest = [pos for pos in _candidates(grid, states, range(len(grid.lines))) if pos not in seen]
    if rest:
        tiers.append(rest)
    return tiers


def _fix(
    grid: _Grid, states: _States, target: _Pos, *, k: int, audited: bool
) -> tuple[list[_Pos], list[_Pos]] | None:
    """The entries to withhold because ``target`` is determined, and what that frees.

    The fewest candidates (nearest first, in the order of :func:`_tiers`)
    whose withholding gives ``target`` a second value, usually one, or none
    when an entry withheld since the audit already did; with them the
    entries the consistent step found moves (all ambiguous from then on).
    None when even withholding every published non-zero entry would not
    help: withholding more would then only cost. ``audited``: nothing was
    withheld since the audit found ``target`` determined, so it still is.
    """
    withheld = sorted(pos for pos, state in states.items() if state is not State.SHOWN)
    tiers = _tiers(grid, states, target)
    # The nearest rings first: small programs, and nearly always enough.
    for last in range(1 if audited else 0, len(tiers) + 1):
        pool = [pos for tier in tiers[:last] for pos in tier]
        found = _cheapest_step(grid, states, target, withheld, pool, k=k)
        if found is not None:
            return found
    return None


def _cheapest_step(
    grid: _Grid,
    states: _States,
    target: _Pos,
    withheld: list[_Pos],
    pool: list[_Pos],
    *,
    k: int,
) -> tuple[list[_Pos], list[_Pos]] | None:
    """The cheapest ±1 step that moves ``target``, moving ``pool`` entries as needed."""
    variables = withheld + pool
    n, n_w = len(variables), len(withheld)
    matrix, up, down = _steps(grid, states, variables, k=k)
    # The cost of withholding a candidate: the count first (a large constant
    # each), then the preference order, so one near small entry wins.
    weights = np.zeros(n)
    weights[n_w:] = len(pool) * len(pool) + np.arange(len(pool), dtype=float)
    objective = np.concatenate([weights, weights])  # p (one more), q (one less)
    constraints = [LinearConstraint(sparse.hstack([matrix, -matrix]).tocsr(), 0.0, 0.0)]
    best: tuple[float, np.ndarray] | None = None
    t = variables.index(target)
    for moves, possible in ((0, up[t]), (1, down[t])):
        if not possible:
            continue
        lower = np.zeros(2 * n)
        upper = np.concatenate([up, down]).astype(float)
        lower[moves * n + t] = 1.0  # the target moves this way ...
        upper[(1 - moves) * n + t] = 0.0  # ... and not the other
        step = _solve(objective, constraints, Bounds(lower, upper))
        if step is not None:
            cost = float(objective @ step)
            if best is None or cost < best[0]:
                best = (cost, step)
    if best is None:
        return None
    moved = np.abs(best[1][:n] - best[1][n:]) > 0.5
    return (
        [pos for i, pos in enumerate(pool) if moved[n_w + i]],
        [pos for i, pos in enumerate(variables) if moved[i]],
    )


def _solve(
    objective: np.ndarray, constraints: list[LinearConstraint], bounds: Bounds
) -> np.ndarray | None:
    """An integer optimum, from the LP relaxation when it is integral.

    The matrices here are totally unimodular (see :func:`_steps`), so HiGHS'
    simplex vertex is integral and the LP is several times faster than a
    branch-and-bound run. Should it not be, the integer program decides,
    so that every answer stays an honest integer table.
    """
    result = milp(c=objective, constraints=constraints, bounds=bounds)
    if result.status == 0 and result.x is not None:
        if np.abs(result.x - np.round(result.x)).max(initial=0.0) < 1e-6:
            return np.asarray(np.round(result.x))
    elif result.status == 2:
        return None  # infeasible as a relaxation, so as integers too
    result = milp(
        c=objective,
        constraints=constraints,
        bounds=bounds,
        integrality=np.ones(len(objective)),
    )
    if result.status == 0 and result.x is not None:
        return np.asarray(np.round(result.x))
    return None


def _steps(
    grid: _Grid, states: _States, variables: Sequence[_Pos], *, k: int
) -> tuple[Any, np.ndarray, np.ndarray]:
    """The ±1 moves of ``variables`` that keep every line through them balanced.

    Returns the line matrix (``sum(inner) - total``) over ``variables`` and,
    per variable, whether one more / one less stays within what the attacker
    knows of it (PRIMARY in ``[1, k-1]``, otherwise ``>= k``).

    Why steps of one suffice: every layout here is a network matrix (rows,
    columns and margins; each entry in at most two lines, which split into
    two classes), so it is totally unimodular. If a consistent table moves
    an entry, the difference to the true table splits into conformal circuits
    with entries in {-1, 0, 1}, and the true table plus one of them is
    consistent and moves the entry too. So "min == max" over all tables is
    "no consistent ±1 step moves it". A step found is always a consistent
    table, so the search can only err towards withholding more, never less.
    """
    index = {pos: i for i, pos in enumerate(variables)}
    lines = sorted({i for pos in variables for i in grid.lines_through[pos]})
    rows: list[int] = []
    columns: list[int] = []
    signs: list[float] = []
    for row, line_index in enumerate(lines):
        line = grid.lines[line_index]
        for pos, sign in [*((p, 1.0) for p in line.inner), (line.total, -1.0)]:
            if pos in index:
                rows.append(row)
                columns.append(index[pos])
                signs.append(sign)
    matrix = sparse.csr_array((signs, (rows, columns)), shape=(len(lines), len(variables)))
    up = np.ones(len(variables), dtype=bool)
    down = np.ones(len(variables), dtype=bool)
    for i, pos in enumerate(variables):
        value = grid.values[pos]
        if states[pos] is State.PRIMARY:
            up[i], down[i] = value + 1 <= k - 1, value - 1 >= 1
        else:  # SECONDARY, or a published entry offered for withholding (both >= k)
            down[i] = value - 1 >= k
    return matrix, up, down


class _Audit:
    """Finds the determined withheld entries, remembering what it learnt.

    Withholding more only widens the set of consistent tables (the old ones
    stay consistent), so an entry once shown ambiguous stays ambiguous; and
    a component of withheld entries that did not change has the same answer.
    """

    def __init__(self, grid: _Grid, k: int) -> None:
        self.grid = grid
        self.k = k
        self.ambiguous: set[_Pos] = set()
        self.answers: dict[tuple[_Pos, ...], list[_Pos]] = {}

    def pinned(self, states: _States) -> list[_Pos]:
        """The withheld entries that only one consistent integer table allows, by position."""
        withheld = sorted(pos for pos, state in states.items() if state is not State.SHOWN)
        # Lines through withheld entries split them into independent
        # components; each is a small problem of its own.
        parent = {pos: pos for pos in withheld}

        def find(pos: _Pos) -> _Pos:
            while parent[pos] != pos:
                parent[pos] = parent[parent[pos]]
                pos = parent[pos]
            return pos

        for line in self.grid.lines:
            members = [pos for pos in line.members if pos in parent]
            for pos in members[1:]:
                parent[find(pos)] = find(members[0])
        components: dict[_Pos, list[_Pos]] = {}
        for pos in withheld:
            components.setdefault(find(pos), []).append(pos)
        pinned: list[_Pos] = []
        for members in components.values():
            key = tuple(members)
            if key not in self.answers:
                self.answers[key] = self._component(states, members)
            pinned.extend(pos for pos in self.answers[key] if pos not in self.ambiguous)
        return sorted(pinned)

    def _component(self, states: _States, withheld: list[_Pos]) -> list[_Pos]:
        """The entries of one component that no consistent ±1 step moves.

        Every step found clears all entries it moves: two sweeps (the open
        entries up, then down) clear most, the rest get at most two solves
        each (its own step up, then down).
        """
        size = len(withheld)
        matrix, up, down = _steps(self.grid, states, withheld, k=self.k)
        open_ = np.array([pos not in self.ambiguous for pos in withheld], dtype=bool)
        if not matrix.shape[0]:
            open_[:] = False  # in no line: the bounds alone leave two values (k >= 3)
        constraints = [LinearConstraint(matrix, 0.0, 0.0)]
        bounds = Bounds(-down.astype(float), up.astype(float))

        def clear(objective: np.ndarray) -> bool:
            step = _solve(objective, constraints, bounds)
            moved = open_ & (np.abs(step) > 0.5) if step is not None else open_ & False
            open_[moved] = False
            return bool(moved.any())

        # Fixed pseudo-random signs: a sweep in one direction misses steps
        # that move open entries both ways; the seed keeps results repeatable.
        signs = np.random.default_rng(0).choice([-1.0, 1.0], size=(6, size))
        for sweep in [np.ones(size), -np.ones(size), *signs]:
            if not open_.any() or not clear(-sweep * open_):
                break
        for i in range(size):
            for sign, possible in ((1.0, up[i]), (-1.0, down[i])):
                if open_[i] and possible:
                    # Its own step first; the small terms make the step move
                    # other open entries too when that costs nothing.
                    objective = -0.5 / size * signs[0] * open_
                    objective[i] = -sign
                    clear(objective)
        self.ambiguous.update(pos for pos, still in zip(withheld, open_, strict=True) if not still)
        return [pos for pos, still in zip(withheld, open_, strict=True) if still]


def _published(grid: _Grid, states: _States, *, row_totals: bool, column_totals: bool) -> Protected:
    rows, columns = grid.rows, grid.columns
    return Protected(
        cells=tuple(tuple(states[(r, c)] for c in range(columns)) for r in range(rows)),
        row_totals=tuple(states[(r, columns)] for r in range(rows)) if row_totals else None,
        column_totals=tuple(states[(rows, c)] for c in range(columns)) if column_totals else None,
        grand_total=states[(rows, columns)] if row_totals and column_totals else None,
    )


def _states_of(grid: _Grid, protected: Protected, *, k: int) -> _States:
    rows, columns = grid.rows, grid.columns
    if len(protected.cells) != rows or any(len(row) != columns for row in protected.cells):
        raise ValueError("protected does not match the shape of counts")
    states: _States = {}
    for r, row in enumerate(protected.cells):
        for c, state in enumerate(row):
            states[(r, c)] = state
    for r, state in enumerate(protected.row_totals or ()):
        states[(r, columns)] = state
    for c, state in enumerate(protected.column_totals or ()):
        states[(rows, c)] = state
    if protected.grand_total is not None:
        states[(rows, columns)] = protected.grand_total
    if set(states) != set(grid.values):
        raise ValueError("protected does not match the totals of counts")
    for pos, state in states.items():
        value = grid.values[pos]
        # The audit starts from the true table, so the labels must fit it.
        if (state is State.PRIMARY and not 1 <= value < k) or (
            state is State.SECONDARY and value < k
        ):
            raise ValueError(f"{_position(grid, pos)} is {state} but its value is {value}")
    return states


def _position(grid: _Grid, pos: _Pos) -> Position:
    r, c = pos
    if r == grid.rows and c == grid.columns:
        return Position(GRAND_TOTAL, -1, -1)
    if r == grid.rows:
        return Position(COLUMN_TOTAL, -1, c)
    if c == grid.columns:
        return Position(ROW_TOTAL, r, -1)
    return Position(CELL, r, c)
