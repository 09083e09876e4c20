"""Suppression across published reports: a new table must not give a withheld entry away
together with tables published before, nor with its own overlapping columns.

:mod:`~lotse.reports.suppression` protects one table on its own. Reports of overlapping
periods bound each other's entries: a year's count is at least its half-year's, so a "•"
(at least ``k``) in the half-year and a shown ``k`` in the year pin the half-year's entry,
and its column total then gives the "< k" beside it back. No rule inside one table can rule
that out; only an audit that sees the published tables together can.

The attacker's model here counts *atoms*: what is counted (events, or distinct units such as
persons) split by elementary time segment — the time line cut at every column's first and
last day — and by category class — the codes no published figure tells apart. Every
published figure (cell or total) is a sum of atoms; the attacker knows a shown figure
exactly, a "< k" lies in ``[1, k-1]`` and a "•" is at least ``k`` (the same model as the
single-table audit). Two kinds of counts:

* :attr:`Kind.EVENTS` — each counted item falls on one day (a contact, a closure, a
  referral sent): an atom is an item of one segment, and a figure of a period adds the
  segments inside it. A count on a reference day (persons in care on the last day) is the
  same with a one-day period: different days share no atom, the same day is the same count.
* :attr:`Kind.DISTINCT` — each unit counts once however often it occurs in the period
  (persons with a need assessed in it): an atom is a unit whose occurrences fall into a
  given set of segments, so a year counts a person once who is in both half-years.

Categories are sets of codes, so one model holds a city-wide figure (all districts) beside a
district's, or "other nationalities" of two reports that name different nationalities.

:func:`protect_grid` is the entry point: the per-table protection, then, when the table
meets published ones (or its own columns overlap — a period longer than a year beside the
same period a year earlier), the audit. It finds every withheld entry — of the new table or
of an earlier one — that the publications together pin to one value while the earlier ones
alone did not (a value the earlier reports already gave away is public, not newly
revealed), and withholds further entries of the *new* table, the cheapest first (an integer
program picks the fewest and smallest), until none is left. A "•" of the new table that the
others pin to its true value is shown instead (it is known anyway, and at least ``k``), so
that what it was to cover can be covered otherwise. What is published stays as it is.
Where the new table contradicts a published one (the data changed since: a late entry, a
correction), its conflicting entries are withheld the same way, so that the attacker does
not learn of the change either. Where nothing helps — the new table's own "< k" entries pin
one, or a "< k" of its own contradicts — it is withheld in full
(:attr:`GridRelease.blank`): every entry "•", zeros included, so it says nothing at all.

Pure Python (numpy/scipy, no Django), like :mod:`~lotse.reports.suppression`.
"""

from __future__ import annotations

import enum
import itertools
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from scipy.optimize import (  # type: ignore[import-untyped, unused-ignore]
    Bounds,
    LinearConstraint,
    milp,
)

from .suppression import Protected, State, protect, recoverable

__all__ = [
    "Figure",
    "GridRelease",
    "Kind",
    "Published",
    "Span",
    "connected",
    "meets",
    "merged",
    "pinned",
    "positions",
    "protect_grid",
]

Span = tuple[int, int]
"""The first and last day (or month) a figure counts, inclusive."""


class Kind(enum.StrEnum):
    """How a count adds up over time."""

    EVENTS = "events"
    DISTINCT = "distinct"


@dataclass(frozen=True)
class Figure:
    """One published entry: the period and the codes it counts, how it is shown.

    ``value`` is the published number, ``None`` unless ``state`` is shown. (Inside
    :func:`protect_grid` the new table's figures carry their true counts.)
    """

    span: Span
    categories: frozenset[str]
    state: State
    value: int | None = None


@dataclass(frozen=True)
class Published:
    """A published table as the attacker sees it.

    ``floor``: what a "•" of this table is known to be at least — ``k`` (the default) in a
    protected table, 1 in a table whose every non-zero entry was withheld (zeros shown), 0
    in a table withheld in full.
    """

    figures: tuple[Figure, ...]
    k: int
    floor: int | None = None
    #: What is known of each figure where it is not what its state says alone: the
    #: intersection of several publications of the same figure (:func:`merged`).
    known: tuple[tuple[float, float], ...] | None = None

    def bounds(self) -> list[tuple[float, float]]:
        if self.known is not None:
            return list(self.known)
        floor = self.k if self.floor is None else self.floor
        known: list[tuple[float, float]] = []
        for figure in self.figures:
            if figure.state is State.SHOWN:
                value = float(figure.value if figure.value is not None else 0)
                known.append((value, value))
            elif figure.state is State.PRIMARY:
                known.append((1.0, float(self.k - 1)))
            else:
                known.append((float(floor), np.inf))
        return known


@dataclass(frozen=True)
class GridRelease:
    """The published form of a count grid, protected on its own and against the others.

    ``blank``: withheld in full for the other reports (or its own overlapping columns);
    ``added``: how many entries the audit across reports withheld that the per-table
    protection showed.
    """

    protected: Protected
    published: Published
    blank: bool = False
    added: int = 0


def meets(spans: Sequence[Span], others: Sequence[Span]) -> bool:
    """Whether a period of ``spans`` shares a day with one of ``others``."""
    mine = list(dict.fromkeys(spans))
    return any(first <= b and a <= last for first, last in mine for a, b in others)


def _overlapping(spans: Sequence[Span]) -> bool:
    """Whether two different periods of ``spans`` share a day."""
    mine = list(dict.fromkeys(spans))
    return any(meets([span], [other for other in mine if other != span]) for span in mine)


def protect_grid(
    counts: Sequence[Sequence[int]],
    *,
    spans: Sequence[Span],
    categories: Sequence[Sequence[frozenset[str]]],
    row_totals: bool,
    column_totals: bool,
    earlier: Sequence[Published],
    kind: Kind,
    k: int,
    additive: bool = True,
) -> GridRelease:
    """Protect ``counts`` (R x C) on its own and against the ``earlier`` published tables.

    ``spans[c]`` is the period of column ``c``; ``categories[r][c]`` the codes cell ``(r, c)``
    counts (a total counts the union of its line and must share its line's period).
    ``earlier``: the published tables of the same figure — only those are related.
    ``additive`` False: the count does not add up over time, so only earlier figures of the
    very same periods relate to the new ones.

    Consistent with what was published: an entry the earlier tables withheld as "•" is
    withheld again (not shown now and then withheld later, or the reverse, by chance of the
    order), and a table that tells nothing the earlier ones did not tell (the same request
    again) is published as it is, without an integer program — so the same request gives the
    same answer.
    """
    protected = protect(counts, k=k, row_totals=row_totals, column_totals=column_totals)
    floor = k
    if recoverable(counts, protected, k=k):
        # k-1 ones under a total of k-1: each "< k" is exactly 1 whatever else is withheld,
        # so nothing of the table is shown but its zeros.
        protected = _withheld(protected, counts, zeros=True)
        floor = 1
    counted = _figures(counts, protected, spans=spans, categories=categories, row_totals=row_totals)
    spans_now = [figure.span for figure in counted]
    # The earlier figures that bound this table: those of a period sharing a day with one of
    # its periods, and those linked to these by a chain of shared days (a year published
    # beside its second half-year bounds the first). Unlinked ones share no atom with it.
    memory = merged(earlier)
    if memory is not None:
        if additive:
            keep = connected(spans_now, [figure.span for figure in memory.figures])
        else:
            same = set(spans_now)
            keep = [i for i, figure in enumerate(memory.figures) if figure.span in same]
        memory = _subset(memory, keep)
    if memory is None and not _overlapping(spans_now):
        return GridRelease(protected, _published(counted, k=k, floor=floor))
    known = _known(memory)
    # Withheld as "•" before: withheld again. Shown before, and the same now: shown again
    # (it is known anyway, so showing it tells nothing, and the same request gives the same
    # table whatever the single table's protection would have chosen).
    states = [figure.state for figure in counted]
    again = 0
    changed = False
    for i, figure in enumerate(counted):
        before = known.get((figure.span, figure.categories))
        if before is None:
            continue
        value = figure.value or 0
        if before[1] == np.inf and figure.state is State.SHOWN and value > 0:
            states[i] = State.SECONDARY
            again += 1
            changed = True
        elif figure.state is State.SECONDARY and before == (value, value):
            states[i] = State.SHOWN
            changed = True
    if changed:
        protected = _with_states(protected, states)
        counted = [
            Figure(figure.span, figure.categories, state, figure.value)
            for figure, state in zip(counted, states, strict=True)
        ]
    if memory is not None and _told_before(counted, known, k=k, floor=floor):
        return GridRelease(protected, _published(counted, k=k, floor=floor), added=again)
    related = [memory] if memory is not None else []
    try:
        states, blank, added = _across(counted, related, kind=kind, k=k, floor=floor)
    except _TooLarge:
        states, blank, added = [], True, 0
    if blank:
        protected = _withheld(protected, counts, zeros=False)
        states = [State.SECONDARY] * len(counted)
        floor = 0
    else:
        protected = _with_states(protected, states)
    counted = [
        Figure(figure.span, figure.categories, state, figure.value)
        for figure, state in zip(counted, states, strict=True)
    ]
    return GridRelease(protected, _published(counted, k=k, floor=floor), blank, added + again)


def merged(tables: Sequence[Published]) -> Published | None:
    """The published tables as one: each figure (period and codes) once, with what all its
    publications together say of it (the intersection of their bounds). None: no figure.

    Where two publications contradict each other (two requests at the same moment, each
    protected without the other), the earlier one's bound is kept. Pure bookkeeping: the
    attacker's model of :func:`pinned` is the same with the merged table as with all.
    """
    bounds: dict[tuple[Span, frozenset[str]], tuple[float, float]] = {}
    for table in tables:
        for figure, (low, high) in zip(table.figures, table.bounds(), strict=True):
            key = (figure.span, figure.categories)
            if key in bounds:
                was_low, was_high = bounds[key]
                low, high = max(low, was_low), min(high, was_high)
                if low > high:
                    continue
            bounds[key] = (low, high)
    if not bounds:
        return None
    figures = tuple(
        Figure(span, codes, State.SHOWN, int(low))
        if low == high
        else Figure(span, codes, State.SECONDARY)
        for (span, codes), (low, high) in bounds.items()
    )
    k = min(table.k for table in tables)
    return Published(figures, k=k, known=tuple(bounds.values()))


def connected(spans: Sequence[Span], others: Sequence[Span]) -> list[int]:
    """The indexes of ``others`` linked to one of ``spans`` by a chain of periods each
    sharing a day with the next (the components of the periods' overlap graph)."""
    intervals = sorted(
        [(first, last, -1) for first, last in spans]
        + [(first, last, i) for i, (first, last) in enumerate(others)]
    )
    found: list[int] = []
    component: list[int] = []
    mine = False
    reach: int | None = None
    for first, last, index in intervals:
        if reach is not None and first > reach:
            if mine:
                found += component
            component, mine, reach = [], False, None
        if index < 0:
            mine = True
        else:
            component.append(index)
        reach = last if reach is None else max(reach, last)
    if mine:
        found += component
    return sorted(found)


def _subset(table: Published, keep: Sequence[int]) -> Published | None:
    if not keep:
        return None
    bounds = table.bounds()
    return Published(
        tuple(table.figures[i] for i in keep),
        k=table.k,
        floor=table.floor,
        known=tuple(bounds[i] for i in keep),
    )


def _known(table: Published | None) -> dict[tuple[Span, frozenset[str]], tuple[float, float]]:
    if table is None:
        return {}
    return {
        (figure.span, figure.categories): bound
        for figure, bound in zip(table.figures, table.bounds(), strict=True)
    }


def _told_before(
    counted: Sequence[Figure],
    known: dict[tuple[Span, frozenset[str]], tuple[float, float]],
    *,
    k: int,
    floor: int,
) -> bool:
    """Whether every figure of the new table was published before at least as precisely:
    then publishing it tells nothing new, and what its withheld entries are is as open as
    it was."""
    new = _published(counted, k=k, floor=floor).bounds()
    for figure, (low, high) in zip(counted, new, strict=True):
        before = known.get((figure.span, figure.categories))
        if before is None or low > before[0] or high < before[1]:
            return False
    return True


def pinned(
    tables: Sequence[Published], *, kind: Kind, queries: Sequence[Figure] = ()
) -> list[tuple[int, int]]:
    """The withheld figures the ``tables`` together pin to one value, as (table, figure).

    ``queries`` (figures not published) are checked too, as table ``len(tables)``: whether
    the published tables determine their value. For the audit's tests and callers that
    compose publications some other way; :func:`protect_grid` uses the same machinery.
    """
    items = [(figure.span, figure.categories) for table in tables for figure in table.figures]
    items += [(query.span, query.categories) for query in queries]
    if not items:
        return []
    model = _Model(items, kind)
    bounds = [known for table in tables for known in table.bounds()]
    bounds += [(0.0, np.inf)] * len(queries)
    low = np.array([lo for lo, _hi in bounds])
    high = np.array([hi for _lo, hi in bounds])
    labels = [(t, f) for t, table in enumerate(tables) for f in range(len(table.figures))]
    labels += [(len(tables), q) for q in range(len(queries))]
    found = model.pinned(low, high, [i for i in range(len(items)) if low[i] < high[i]])
    if found is None:
        raise ValueError("the published tables contradict each other")
    return [labels[i] for i in sorted(found)]


# --- the grid as figures ----------------------------------------------------------------------


def positions(
    rows: int, columns: int, *, row_totals: bool, column_totals: bool
) -> list[tuple[int, int]]:
    """Cells row by row, then the row totals, the column totals and the grand total, on the
    (R+1) x (C+1) grid of :mod:`~lotse.reports.suppression`."""
    found = [(r, c) for r in range(rows) for c in range(columns)]
    if row_totals:
        found += [(r, columns) for r in range(rows)]
    if column_totals:
        found += [(rows, c) for c in range(columns)]
    if row_totals and column_totals:
        found.append((rows, columns))
    return found


def _state_at(protected: Protected, pos: tuple[int, int]) -> State:
    r, c = pos
    rows, columns = len(protected.cells), len(protected.cells[0]) if protected.cells else 0
    if r < rows and c < columns:
        return protected.cells[r][c]
    if r < rows:
        assert protected.row_totals is not None  # noqa: S101  # a row total was asked for
        return protected.row_totals[r]
    if c < columns:
        assert protected.column_totals is not None  # noqa: S101
        return protected.column_totals[c]
    assert protected.grand_total is not None  # noqa: S101
    return protected.grand_total


def _figures(
    counts: Sequence[Sequence[int]],
    protected: Protected,
    *,
    spans: Sequence[Span],
    categories: Sequence[Sequence[frozenset[str]]],
    row_totals: bool,
) -> list[Figure]:
    rows, columns = len(counts), len(counts[0]) if counts else 0
    if len(spans) != columns or len(categories) != rows:
        raise ValueError("spans and categories must match the shape of counts")
    figures: list[Figure] = []
    for pos in positions(
        rows,
        columns,
        row_totals=row_totals,
        column_totals=protected.column_totals is not None,
    ):
        r, c = pos
        line_r = range(rows) if r == rows else [r]
        line_c = range(columns) if c == columns else [c]
        periods = {spans[j] for j in line_c}
        if len(periods) != 1:
            raise ValueError("a row total needs one period for its whole row")
        codes = frozenset().union(*(categories[i][j] for i in line_r for j in line_c))
        value = sum(counts[i][j] for i in line_r for j in line_c)
        figures.append(Figure(periods.pop(), codes, _state_at(protected, pos), value))
    return figures


def _published(counted: Sequence[Figure], *, k: int, floor: int) -> Published:
    return Published(
        tuple(
            Figure(
                f.span,
                f.categories,
                f.state,
                f.value if f.state is State.SHOWN else None,
            )
            for f in counted
        ),
        k=k,
        floor=floor,
    )


def _withheld(protected: Protected, counts: Sequence[Sequence[int]], *, zeros: bool) -> Protected:
    """Every entry withheld ("•"); with ``zeros`` the zeros stay shown."""
    rows = [sum(row) for row in counts]
    columns = [sum(column) for column in zip(*counts, strict=True)] if counts else []
    grand = sum(rows)

    def state(value: int) -> State:
        return State.SHOWN if zeros and value == 0 else State.SECONDARY

    return Protected(
        cells=tuple(tuple(state(v) for v in row) for row in counts),
        row_totals=tuple(state(v) for v in rows) if protected.row_totals is not None else None,
        column_totals=tuple(state(v) for v in columns)
        if protected.column_totals is not None
        else None,
        grand_total=state(grand) if protected.grand_total is not None else None,
    )


def _with_states(protected: Protected, states: Sequence[State]) -> Protected:
    rows, columns = len(protected.cells), len(protected.cells[0]) if protected.cells else 0
    order = positions(
        rows,
        columns,
        row_totals=protected.row_totals is not None,
        column_totals=protected.column_totals is not None,
    )
    at = dict(zip(order, states, strict=True))
    return Protected(
        cells=tuple(tuple(at[(r, c)] for c in range(columns)) for r in range(rows)),
        row_totals=tuple(at[(r, columns)] for r in range(rows))
        if protected.row_totals is not None
        else None,
        column_totals=tuple(at[(rows, c)] for c in range(columns))
        if protected.column_totals is not None
        else None,
        grand_total=at[(rows, columns)] if protected.grand_total is not None else None,
    )


# --- the audit --------------------------------------------------------------------------------


def _across(
    counted: Sequence[Figure], earlier: Sequence[Published], *, kind: Kind, k: int, floor: int
) -> tuple[list[State], bool, int]:
    """The new table's states so that nothing new is pinned; or blank (True)."""
    old = [figure for table in earlier for figure in table.figures]
    items = [(f.span, f.categories) for f in [*old, *counted]]
    model = _Model(items, kind)
    n_old = len(old)
    old_bounds = [known for table in earlier for known in table.bounds()]
    old_low = np.array([lo for lo, _hi in old_bounds], dtype=float)
    old_high = np.array([hi for _lo, hi in old_bounds], dtype=float)
    states = [figure.state for figure in counted]
    values = np.array([figure.value or 0 for figure in counted], dtype=float)
    # The tables published before alone: what they pin is public already.
    before_low = np.concatenate([old_low, np.zeros(len(counted))])
    before_high = np.concatenate([old_high, np.full(len(counted), np.inf)])
    known_before: dict[int, bool] = {}

    def public(index: int) -> bool:
        if index not in known_before:
            found = model.pinned(before_low, before_high, [index])
            known_before[index] = found is not None and index in found
        return known_before[index]

    def bounds() -> tuple[np.ndarray, np.ndarray]:
        new = Published(
            tuple(
                Figure(f.span, f.categories, s, f.value)
                for f, s in zip(counted, states, strict=True)
            ),
            k=k,
            floor=floor,
        ).bounds()
        low = np.concatenate([old_low, [lo for lo, _hi in new]])
        high = np.concatenate([old_high, [hi for _lo, hi in new]])
        return low, high

    first = list(states)

    def added() -> int:
        return sum(
            1
            for was, now in zip(first, states, strict=True)
            if was is State.SHOWN and now is not State.SHOWN
        )

    while True:
        low, high = bounds()
        withheld = [i for i in range(len(items)) if low[i] < high[i]]
        found = model.pinned(low, high, withheld)
        target: tuple[int, float] | None = None
        if found is not None:
            fresh = [i for i in sorted(found) if not public(i)]
            if not fresh:
                return states, False, added()
            # A "•" of the new table pinned to its true value is known anyway: showing it
            # changes nothing the attacker can tell (it is at least k, so no "< k" is
            # lost), and frees the entries it was meant to cover to be covered otherwise.
            known = [
                i
                for i in fresh
                if i >= n_old
                and states[i - n_old] is State.SECONDARY
                and values[i - n_old] >= k
                and abs(found[i] - values[i - n_old]) < 0.5
            ]
            if known:
                for i in known:
                    states[i - n_old] = State.SHOWN
                continue
            target = (fresh[0], found[fresh[0]])
        # Shown non-zero entries of the new table may be withheld; inner cells first, then
        # the smallest values, then by position (deterministic).
        candidates = sorted(
            (
                i
                for i, (state, value) in enumerate(zip(states, values, strict=True))
                if state is State.SHOWN and value > 0
            ),
            key=lambda i: (len(counted[i].categories), values[i], i),
        )
        chosen = model.cheapest(
            low,
            high,
            [n_old + i for i in candidates],
            values[candidates],
            k=k,
            target=target,
        )
        if not chosen:
            # Even with every candidate withheld the entry stays pinned, or the new table
            # contradicts the published ones: it says nothing then.
            return states, True, added()
        # Each one chosen moves in the step found, so it is not pinned, now or later (what
        # is withheld only grows the tables the attacker must allow): no cycle.
        for index in chosen:
            states[index - n_old] = State.SECONDARY


#: More atoms than this and the integer programs take too long for a page: the new table is
#: withheld in full instead (many overlapping releases of one figure with distinct units).
MAX_ATOMS = 6000


class _TooLarge(Exception):
    pass


class _Model:
    """Published figures as sums of atoms; integer programs over the atoms' counts."""

    def __init__(self, items: Sequence[tuple[Span, frozenset[str]]], kind: Kind) -> None:
        sets = list(dict.fromkeys(codes for _span, codes in items))
        set_of = {codes: i for i, codes in enumerate(sets)}
        holding: dict[str, set[int]] = {}
        for i, codes in enumerate(sets):
            for code in codes:
                holding.setdefault(code, set()).add(i)
        # Codes that lie in the same sets are one class: no figure tells them apart.
        classes = sorted({frozenset(found) for found in holding.values()}, key=sorted)
        spans = list(dict.fromkeys(span for span, _codes in items))
        span_of = {span: j for j, span in enumerate(spans)}
        cuts = sorted({day for first, last in spans for day in (first, last + 1)})
        patterns: list[frozenset[int]] = []
        for start, stop in itertools.pairwise(cuts):
            inside = frozenset(
                j for j, (first, last) in enumerate(spans) if first <= start and stop - 1 <= last
            )
            if inside:
                patterns.append(inside)
        patterns = list(dict.fromkeys(patterns))
        if kind is Kind.DISTINCT:
            # A unit counts in every period one of its occurrences falls in.
            closed = set(patterns)
            frontier = set(patterns)
            while frontier:
                grown = {a | b for a in frontier for b in patterns} - closed
                closed |= grown
                frontier = grown
            patterns = sorted(closed, key=lambda p: (len(p), sorted(p)))
        atoms = [(p, c) for p in patterns for c in classes]
        if len(atoms) > MAX_ATOMS:
            raise _TooLarge
        self.matrix = np.zeros((len(items), len(atoms)))
        for i, (span, codes) in enumerate(items):
            j, s = span_of[span], set_of[codes]
            for a, (pattern, group) in enumerate(atoms):
                if j in pattern and s in group:
                    self.matrix[i, a] = 1.0

    def _ceiling(
        self, rows: np.ndarray, low: np.ndarray, high: np.ndarray, scale: float = 0.0
    ) -> np.ndarray:
        """Upper bounds of the atoms: the least finite bound of a figure (of ``rows``) holding
        one, and for the others a cap far above every published figure (a bound the
        attacker does not have only makes the audit stricter)."""
        finite = high[np.isfinite(high)]
        cap = 2.0 * max(finite.max(initial=0.0), low.max(initial=0.0), scale) + 10.0
        ceiling = np.full(self.matrix.shape[1], cap)
        for i in np.flatnonzero(np.isfinite(high)):
            held = rows[i] > 0
            ceiling[held] = np.minimum(ceiling[held], high[i])
        return ceiling

    def _solve(
        self, objective: np.ndarray, low: np.ndarray, high: np.ndarray
    ) -> tuple[np.ndarray, bool] | None:
        """An optimal point of the relaxation, and whether it is integral; None: infeasible."""
        constraints = [LinearConstraint(self.matrix, low, high)]
        bounds = Bounds(0.0, self._ceiling(self.matrix, low, high))
        result = milp(c=objective, constraints=constraints, bounds=bounds)
        if result.status != 0 or result.x is None:
            return None
        x = np.asarray(result.x)
        return x, bool(np.abs(x - np.round(x)).max(initial=0.0) < 1e-6)

    def _integer(
        self, objective: np.ndarray, low: np.ndarray, high: np.ndarray
    ) -> np.ndarray | None:
        constraints = [LinearConstraint(self.matrix, low, high)]
        bounds = Bounds(0.0, self._ceiling(self.matrix, low, high))
        result = milp(
            c=objective,
            constraints=constraints,
            bounds=bounds,
            integrality=np.ones(self.matrix.shape[1]),
        )
        if result.status != 0 or result.x is None:
            return None
        return np.asarray(np.round(result.x))

    def _point(self, objective: np.ndarray, low: np.ndarray, high: np.ndarray) -> np.ndarray | None:
        relaxed = self._solve(objective, low, high)
        if relaxed is None:
            return None
        x, integral = relaxed
        return np.round(x) if integral else self._integer(objective, low, high)

    def pinned(
        self, low: np.ndarray, high: np.ndarray, open_: Sequence[int]
    ) -> dict[int, float] | None:
        """Of the figures ``open_``, those only one value allows, with it; None: infeasible."""
        start = self._point(np.zeros(self.matrix.shape[1]), low, high)
        if start is None:
            return None
        reference = self.matrix @ start
        remaining = set(open_)

        def clear(x: np.ndarray) -> bool:
            moved = {i for i in remaining if abs(self.matrix[i] @ x - reference[i]) > 0.5}
            remaining.difference_update(moved)
            return bool(moved)

        # Sweeps with fixed pseudo-random signs clear most figures at once; the seed keeps
        # the result repeatable.
        rng = np.random.default_rng(0)
        for sweep in range(8):
            if not remaining:
                break
            order = sorted(remaining)
            signs = np.ones(len(order)) if sweep == 0 else rng.choice([-1.0, 1.0], len(order))
            objective = -(signs @ self.matrix[order])
            x = self._point(objective, low, high)
            if x is None or not clear(x):
                break
        for i in sorted(remaining):
            if i not in remaining:
                continue
            for sense in (-1.0, 1.0):  # the maximum, then the minimum
                relaxed = self._solve(sense * self.matrix[i], low, high)
                if relaxed is None:
                    continue
                x, integral = relaxed
                bound = self.matrix[i] @ x
                # The integer optimum lies on the far side of the relaxation's: no room.
                if (sense < 0 and np.floor(bound + 1e-6) <= reference[i]) or (
                    sense > 0 and np.ceil(bound - 1e-6) >= reference[i]
                ):
                    continue
                if not integral:
                    found = self._integer(sense * self.matrix[i], low, high)
                    if found is None:
                        continue
                    x = found
                clear(x)
                if i not in remaining:
                    break
        return {i: float(reference[i]) for i in sorted(remaining)}

    def cheapest(
        self,
        low: np.ndarray,
        high: np.ndarray,
        candidates: Sequence[int],
        values: np.ndarray,
        *,
        k: int,
        target: tuple[int, float] | None,
    ) -> list[int]:
        """The cheapest candidates to withhold (then known only to be at least ``k``) so that
        ``target`` (figure, pinned value) gets another value — or, without one, so that the
        figures are consistent again. Empty when no choice does it."""
        n, m = self.matrix.shape[1], len(candidates)
        if not m:
            return []
        fixed = np.ones(len(low), dtype=bool)
        fixed[list(candidates)] = False
        rows = self.matrix[fixed]
        ceiling = self._ceiling(rows, low[fixed], high[fixed], float(values.max(initial=0.0) + k))
        cand = self.matrix[list(candidates)]
        reach = cand @ ceiling
        zero = np.zeros((len(rows), m))
        # Withheld (z = 1): at least k; kept (z = 0): exactly its value.
        constraints = [
            LinearConstraint(np.hstack([rows, zero]), low[fixed], high[fixed]),
            LinearConstraint(np.hstack([cand, np.diag(values - k)]), values, np.inf),
            LinearConstraint(
                np.hstack([cand, -np.diag(np.maximum(reach - values, 0.0))]), -np.inf, values
            ),
        ]
        # The number withheld first, then the preference order of the candidates.
        weights = np.concatenate([np.zeros(n), m * m + np.arange(m, dtype=float)])
        bounds = Bounds(np.zeros(n + m), np.concatenate([ceiling, np.ones(m)]))
        sides: list[LinearConstraint | None] = [None]
        if target is not None:
            index, value = target
            line = np.concatenate([self.matrix[index], np.zeros(m)])
            sides = [
                LinearConstraint(line[None, :], value + 1.0, np.inf),
                LinearConstraint(line[None, :], -np.inf, value - 1.0),
            ]
        best: tuple[float, np.ndarray] | None = None
        for side in sides:
            result = milp(
                c=weights,
                constraints=[*constraints, *([side] if side is not None else [])],
                bounds=bounds,
                integrality=np.ones(n + m),
            )
            if result.status == 0 and result.x is not None:
                cost = float(weights @ result.x)
                if best is None or cost < best[0]:
                    best = (cost, np.asarray(result.x))
        if best is None:
            return []
        return [candidates[j] for j in range(m) if best[1][n + j] > 0.5]
