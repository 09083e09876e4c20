"""The aggregate face of the access core: anonymous figures for the steering level.

Coordinators (the whole city) and team leads (their own agency) get nothing from the item
policy; what they get comes from here alone, and only in one form: SQL aggregates over the
compartmented data, suppressed before they leave this module (``suppression.protect``:
cells below ``k`` are withheld, and secondary suppression keeps totals from revealing them).
Every request is an audit event. No other report module imports a content model — a test
(``test_aggregates.py``) holds the line.

What is counted never goes below the level of an agency: there is no figure per caseworker
(staff-council safe), and no person, case or entry leaves this module.

The period beside the requested one is the same period one year earlier (Vorjahreszeitraum),
not the period immediately before: with the latter, a half-year report and its predecessor
would add up to the year report and a withheld cell could be computed from three published
ones (``tests/test_suppression.py`` shows the attack).

Reports of overlapping periods still bound each other's cells (a year's count is at least
its half-year's). So every count table is also protected against the tables shown before
for the same scope (``models.ShownForm``: on the page, through the API, as a download, in
a committee report — whatever left this module counts as published, for every user of the
scope) and against its own columns where they overlap (a period longer than a year):
``release_audit.protect_grid`` withholds more of the new table until no withheld entry,
earlier or new, can be pinned, and withholds again what was withheld before, so that the
same request gives the same table. Each table says how its count adds up over time
(``release_audit.Kind``) and which codes its rows count, in every district for a city-wide
figure, so that the audit relates a district's figures to the city's. The cases' course
through the period (``case_flow``: new/continued × closed/open) does not add up over time
in that way: it is protected against the case flows of the very same period shown before,
and against its totals as the caseload and the closures publish them.
"""

from __future__ import annotations

import statistics
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.db.models import (
    Case as When_,
)
from django.db.models import (
    CharField,
    Count,
    Exists,
    F,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.fields.json import KT
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from lotse.accounts.models import Agency, Membership
from lotse.accounts.roles import Capability
from lotse.audit.models import AuditAction
from lotse.audit.services import record
from lotse.cases.models import Assessment, Case, ClosureReason, Goal, JournalEntry, UnmetNeed
from lotse.core.dates import end_of, start_of, years_before
from lotse.directory.domains import LifeDomain
from lotse.people.choices import District, HouseholdRole, ResidenceKind, Sex
from lotse.people.models import HouseholdMember, Person, ResidenceStatus
from lotse.people.validation import country_name
from lotse.referrals.models import DeclineReason, Referral, ReferralEvent, Status

from .models import (
    BuildingBlock,
    CooperationAgreement,
    FigureRelease,
    FigureSource,
    GovernanceMeeting,
    ShownForm,
    StaffPost,
    StructuralFinding,
)
from .release_audit import Figure as PublishedFigure
from .release_audit import Kind, Published, positions, protect_grid
from .suppression import Protected, State
from .tables import Column, Entry, Figures, Period, Row, Section, Table

#: The label of a withheld or missing characteristic; always its own row.
NOT_STATED = "none"
OTHER = "other"
#: How many nationalities are named before the rest becomes "Sonstige".
TOP_NATIONALITIES = 8
#: The longest period one request may ask for.
MAX_PERIOD_DAYS = 3 * 366


@dataclass(frozen=True)
class Scope:
    """Whose data a figure counts: the whole city (``agency`` None) or one agency's."""

    agency: Agency | None

    def label(self) -> str:
        if self.agency is None:
            return _("the whole city")
        return self.agency.name


def figures_scope(membership: Membership | None) -> Scope:
    """The scope the member may see figures for; 404 for roles without figures."""
    if membership is None:
        raise Http404
    if membership.can(Capability.VIEW_AGGREGATES):
        return Scope(agency=None)
    if membership.can(Capability.VIEW_AGENCY_AGGREGATES):
        return Scope(agency=membership.agency)
    raise Http404


def may_see_figures(membership: Membership | None) -> bool:
    return membership is not None and (
        membership.can(Capability.VIEW_AGGREGATES)
        or membership.can(Capability.VIEW_AGENCY_AGGREGATES)
    )


def minimum_cell_size() -> int:
    return max(3, int(settings.REPORT_MIN_CELL_SIZE))


class PeriodError(ValueError):
    """A period that cannot be counted; the message names what is wrong."""


def same_period_a_year_earlier(period: Period) -> Period:
    return Period(years_before(period.start, 1), years_before(period.end, 1))


def check_period(start: date, end: date) -> Period:
    if end < start:
        raise PeriodError(_("The end of the period lies before its start."))
    if (end - start).days > MAX_PERIOD_DAYS:
        raise PeriodError(_("A period may cover at most three years."))
    return Period(start, end)


# --- the request ------------------------------------------------------------------------------


def request_figures(
    membership: Membership | None,
    *,
    start: date,
    end: date,
    district: str = "",
    source: str = FigureSource.SCREEN,
) -> Figures:
    """All figures of ``start``–``end`` (and the same period a year earlier), suppressed.

    404 for roles without figures; :class:`PeriodError` for a period that cannot be counted.
    What is returned counts as published, wherever it goes (``source``: the page, the API, a
    download, a committee report): it is protected against every table of the scope shown
    before (:func:`shown_forms`) and remembered for the requests after (:func:`remember`).
    Requests are counted one at a time, so that two at the same moment do not miss each
    other. One audit event per request says who asked for what, never a number.
    """
    scope = figures_scope(membership)
    assert membership is not None  # noqa: S101  # figures_scope refused None
    if district and district not in District.values:
        raise PeriodError(_("Choose a district of the list."))
    if source not in FigureSource.values:
        raise ValueError(f"unknown source of figures: {source!r}")
    period = check_period(start, end)
    previous = same_period_a_year_earlier(period)
    with transaction.atomic():
        _one_at_a_time()
        shown = shown_forms(scope, start=previous.start, end=period.end)
        counter = _Counter(scope=scope, district=district, k=minimum_cell_size(), released=shown)
        figures = Figures(
            period=period,
            previous=same_period_a_year_earlier(period),
            district=district,
            district_label=str(District(district).label) if district else _("whole city"),
            scope_label=scope.label(),
            k=counter.k,
            as_of=timezone.localdate(),
            sections=counter.sections(period, previous),
        )
        remembered = remember(scope, figures, shown, source=source)
        record(
            action=AuditAction.FIGURES_REQUESTED,
            actor=membership.user,
            agency=membership.agency,
            detail={
                "from": start.isoformat(),
                "to": end.isoformat(),
                "district": district,
                "scope": scope_key(scope),
                "source": source,
                "minimum_cell_size": counter.k,
                "tables": sum(1 for _table in figures.tables()),
                "withheld": sum(table.withheld() for table in figures.tables()),
                "remembered": remembered,
            },
        )
    return figures


def _one_at_a_time() -> None:
    """Wait for any other figure request to finish (until the end of the transaction)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [FIGURES_LOCK])
    else:
        # SQLite: the first write of a transaction takes the database's write lock, which
        # one transaction holds at a time - a write that changes nothing is enough.
        ShownForm.objects.filter(pk__lt=0).update(source=FigureSource.SCREEN)


#: The advisory lock figure requests take on PostgreSQL ("LOTSEFIG" in ASCII, as a number).
FIGURES_LOCK = 0x4C4F5453_45464947 & 0x7FFFFFFFFFFFFFFF


def record_release_shown(membership: Membership, release: FigureRelease) -> None:
    """Showing a release's figures again is a figure request too: audited, without numbers."""
    record(
        action=AuditAction.FIGURES_REQUESTED,
        actor=membership.user,
        agency=membership.agency,
        target=release,
        detail={
            "from": release.period_from.isoformat(),
            "to": release.period_to.isoformat(),
            "district": release.district,
            "scope": release.scope,
            "release": release.pk,
        },
    )


# --- what was released before ----------------------------------------------------------------

#: The areas a city-wide figure counts: every district, and the families without one.
AREAS: tuple[str, ...] = (*District.values, "")
#: Stands for every nationality no table of an audit names (one code is enough: no
#: published figure tells them apart).
UNNAMED = "*"

#: Released tables by table key: their published forms (``Table.form``).
ReleasedForms = Mapping[str, Sequence[Mapping[str, Any]]]


def scope_key(scope: Scope) -> str:
    return "city" if scope.agency is None else f"agency:{scope.agency.pk}"


def released_forms(scope: Scope, *, start: date, end: date) -> dict[str, list[Mapping[str, Any]]]:
    """The tables of the releases that count a day of ``start``–``end`` and whose data
    include ``scope``'s (the city's releases for an agency too: they count its cases),
    oldest release first, each with its ``"scope"``; one query. (Every release is in the
    memory of shown tables too - :func:`shown_forms` - which the requests read.)"""
    forms: dict[str, list[Mapping[str, Any]]] = {}
    scopes = {scope_key(scope), scope_key(Scope(agency=None))}
    releases = FigureRelease.objects.filter(
        scope__in=scopes, covers_from__lte=end, period_to__gte=start
    ).order_by("released_at", "pk")
    for where, tables in releases.values_list("scope", "forms"):
        for key, form in (tables or {}).items():
            forms.setdefault(key, []).append({**form, "scope": where})
    return forms


def _scopes(scope: Scope) -> set[str]:
    """Whose shown tables bound ``scope``'s figures: its own, and for an agency the city's
    (they count its cases too). Never another agency's: the city's figures and a second
    agency's would depend on what a team lead was shown that their viewers cannot see, and
    two agencies' cases overlap in ways the audit's model does not split."""
    return {scope_key(scope), scope_key(Scope(agency=None))}


def shown_forms(scope: Scope, *, start: date, end: date) -> dict[str, list[Mapping[str, Any]]]:
    """The tables shown before that can bound figures of ``start``–``end``: by table key,
    oldest first, each with its ``"scope"``.

    Those that count a day of ``start``–``end``, and those that count a day of one of these
    (a year shown beside its second half-year bounds the first, which is inside the period,
    through the second, which is not). Two indexed queries, whatever the data; the rows are
    bounded by what was shown of these days, not by how often it was asked.
    """
    scopes = _scopes(scope)
    rows = ShownForm.objects.filter(scope__in=scopes).order_by("shown_at", "pk")
    fields = ("pk", "scope", "table", "covers_from", "covers_to", "form")
    near = list(rows.filter(covers_from__lte=end, covers_to__gte=start).values_list(*fields))
    wide_from = min([start, *(row[3] for row in near)])
    wide_to = max([end, *(row[4] for row in near)])
    beyond = list(
        rows.filter(covers_from__lte=wide_to, covers_to__gte=wide_from)
        .filter(Q(covers_from__gt=end) | Q(covers_to__lt=start))
        .values_list(*fields)
    )
    forms: dict[str, list[Mapping[str, Any]]] = {}
    for _pk, where, key, _first, _last, form in sorted(near + beyond, key=lambda row: row[0]):
        forms.setdefault(key, []).append({**form, "scope": where})
    return forms


def _identity(figure: Sequence[Any], form: Mapping[str, Any]) -> tuple[Any, ...]:
    first, last, codes = figure[0], figure[1], figure[2]
    named = form.get("named")
    return (first, last, tuple(codes), form["area"], tuple(named) if named is not None else None)


def _form_bounds(form: Mapping[str, Any]) -> list[tuple[float, float]]:
    return Published(
        tuple(
            PublishedFigure((first, last), frozenset(), State(state), value)
            for first, last, _codes, state, value in form["figures"]
        ),
        k=int(form["k"]),
        floor=int(form["floor"]),
    ).bounds()


def remember(
    scope: Scope,
    figures: Figures,
    shown: Mapping[str, Sequence[Mapping[str, Any]]],
    *,
    source: str,
) -> int:
    """Keep the published tables of ``figures`` that tell something the tables of the scope
    shown before (``shown``, as :func:`shown_forms` read them) did not: a figure not shown
    before, or known more precisely now. How many were kept; one query at most."""
    mine = scope_key(scope)
    rows = []
    for table in figures.tables():
        form = table.form
        if form is None or not form["figures"]:
            continue
        known: dict[tuple[Any, ...], tuple[float, float]] = {}
        for before in shown.get(table.key, ()):
            if before["scope"] != mine:
                continue
            for figure, (low, high) in zip(before["figures"], _form_bounds(before), strict=True):
                key = _identity(figure, before)
                was = known.get(key, (0.0, float("inf")))
                known[key] = (max(low, was[0]), min(high, was[1]))
        news = False
        for figure, (low, high) in zip(form["figures"], _form_bounds(form), strict=True):
            told = known.get(_identity(figure, form))
            if told is None or low > told[0] or high < told[1]:
                news = True
                break
        if not news:
            continue
        days = [day for first, last, *_rest in form["figures"] for day in (first, last)]
        rows.append(
            ShownForm(
                scope=mine,
                table=table.key,
                area=form["area"],
                covers_from=date.fromordinal(min(days)),
                covers_to=date.fromordinal(max(days)),
                form=dict(form),
                source=source,
            )
        )
    ShownForm.objects.bulk_create(rows)
    return len(rows)


#: What the city counts beside one agency's data, when an agency's figures meet the city's.
_MINE, _REST = "@mine", "@rest"


def _codes(
    codes: Iterable[str],
    area: str,
    named: Sequence[str] | None,
    universe: frozenset[str],
    parts: Sequence[str] = ("",),
) -> frozenset[str]:
    """The atomic codes a figure of these row codes counts: per area (every area for a
    city-wide figure), "other nationalities" as every nationality its table does not name,
    and per ``part`` (an agency's part of the city's data and the rest, where one agency's
    figures meet the city's: the agency counts a part of what the city counts)."""
    areas = [area] if area else AREAS
    members: set[str] = set()
    for code in codes:
        if named is not None and code == OTHER:
            members |= (universe - set(named)) | {UNNAMED}
        else:
            members.add(code)
    return frozenset(
        f"{where}/{member}{part}" for where in areas for member in members for part in parts
    )


def _published(
    form: Mapping[str, Any], universe: frozenset[str], parts: Sequence[str] = ("",)
) -> Published:
    named = form.get("named")
    return Published(
        tuple(
            PublishedFigure(
                (first, last),
                _codes(codes, form["area"], named, universe, parts),
                State(state),
                value,
            )
            for first, last, codes, state, value in form["figures"]
        ),
        k=int(form["k"]),
        floor=int(form["floor"]),
    )


def _span(period: Period, *, on_day: bool) -> tuple[int, int]:
    return (period.end if on_day else period.start).toordinal(), period.end.toordinal()


# --- counting ---------------------------------------------------------------------------------


def _labels(choices: Iterable[tuple[str, Any]]) -> list[tuple[str, str]]:
    return [(str(code), str(label)) for code, label in choices]


def _median_days(values: Sequence[int | float]) -> Decimal | None:
    if not values:
        return None
    return Decimal(str(round(statistics.median(values), 1)))


class _Counter:
    """Raw aggregates of one scope and district; only published tables leave it."""

    def __init__(
        self, *, scope: Scope, district: str, k: int, released: ReleasedForms | None = None
    ) -> None:
        self.scope = scope
        self.district = district
        self.k = k
        #: The tables shown before that can bound this request's (:func:`shown_forms`).
        self.released: ReleasedForms = released or {}
        #: Tables withheld in full because of the releases before.
        self.blanked: list[str] = []
        #: This request's published forms so far, by table key.
        self.forms: dict[str, dict[str, Any]] = {}
        #: The persons in care by the client tables' dimensions, by reference date.
        self._cubes: dict[date, list[dict[str, Any]]] = {}

    # --- base querysets: the scope and the district, applied once ----------------------------

    def cases(self) -> QuerySet[Case]:
        cases = Case.objects.all()
        if self.scope.agency is not None:
            cases = cases.filter(
                Q(lead_agency=self.scope.agency) | Q(participants__agency=self.scope.agency)
            ).distinct()
        if self.district:
            cases = cases.filter(household__district=self.district)
        return cases

    def cases_in_care(self, day: date) -> QuerySet[Case]:
        return self.cases().filter(
            Q(opened_on__lte=day) & (Q(closed_on__isnull=True) | Q(closed_on__gt=day))
        )

    def persons_in_care(self, day: date) -> QuerySet[Person]:
        households = self.cases_in_care(day).values("household_id")
        # An IN over the members, not an EXISTS per person: SQLite runs a correlated EXISTS
        # with an IN inside once per person of the city, probing every household in care.
        members = HouseholdMember.objects.filter(household_id__in=households).values("person_id")
        return Person.objects.filter(pk__in=members, merged_into__isnull=True)

    def owned(self, queryset: QuerySet[Any]) -> QuerySet[Any]:
        """Content items of the scope (the agency's own) in the district (the subject's)."""
        if self.scope.agency is not None:
            queryset = queryset.filter(owner_agency=self.scope.agency)
        if self.district:
            queryset = queryset.filter(subject__district=self.district)
        return queryset

    # --- tables -------------------------------------------------------------------------------

    def protect(
        self,
        key: str,
        grid: list[list[int]],
        *,
        spans: Sequence[tuple[int, int]],
        codes: Sequence[Sequence[str]],
        row_totals: bool,
        column_totals: bool,
        kind: Kind | None,
        named: Sequence[str] | None = None,
        additive: bool = True,
        margins: Callable[[frozenset[str], tuple[str, ...]], Published | None] | None = None,
    ) -> tuple[Protected, dict[str, Any] | None]:
        """``grid`` protected on its own and against the tables of ``key`` shown before, and
        its published form; ``codes[r][c]`` is the row code cell ``(r, c)`` counts. ``kind``
        None: per table only, and no form. ``additive`` False: a count that does not add up
        over time (only the same periods relate); ``margins(universe, parts)``: what other
        tables published of this one's totals."""
        forms = [f for f in self.released.get(key, ()) if kind is not None and f["kind"] == kind]
        universe = frozenset(named or ()).union(*(f.get("named") or () for f in forms))
        mine = scope_key(self.scope)
        # An agency's figures count a part of the city's: its own part, and the city the rest.
        agency = self.scope.agency is not None
        own = (_MINE,) if agency else ("",)
        extra = margins(universe, own) if margins is not None else None
        release = protect_grid(
            grid,
            spans=spans,
            categories=[
                [_codes([code], self.district, named, universe, own) for code in row]
                for row in codes
            ],
            row_totals=row_totals,
            column_totals=column_totals,
            earlier=[
                _published(
                    form, universe, own if form["scope"] == mine or not agency else (_MINE, _REST)
                )
                for form in forms
            ]
            + ([extra] if extra is not None else []),
            kind=kind or Kind.EVENTS,
            k=self.k,
            additive=additive,
        )
        if kind is None:
            return release.protected, None
        if release.blank:
            self.blanked.append(key)
        rows, columns = len(grid), len(grid[0]) if grid else 0
        lines = []
        for r, c in positions(rows, columns, row_totals=row_totals, column_totals=column_totals):
            line_r = range(rows) if r == rows else [r]
            line_c = range(columns) if c == columns else [c]
            lines.append(sorted({codes[i][j] for i in line_r for j in line_c}))
        form = {
            "kind": str(kind),
            "k": self.k,
            "floor": release.published.floor,
            "area": self.district,
            "named": list(named) if named is not None else None,
            "figures": [
                [figure.span[0], figure.span[1], line, str(figure.state), figure.value]
                for figure, line in zip(release.published.figures, lines, strict=True)
            ],
        }
        self.forms[key] = form
        return release.protected, form

    def _known(
        self, key: str, span: tuple[int, int], codes: Iterable[str], value: int
    ) -> tuple[float, float] | None:
        """What this request and the tables of the scope shown before published of ``key``'s
        figure of ``span`` over ``codes`` in this district (None: nothing, or nothing that
        fits ``value``, the count it should equal)."""
        mine = scope_key(self.scope)
        wanted = sorted(set(codes))
        forms = [f for f in self.released.get(key, ()) if f["scope"] == mine]
        if key in self.forms:
            forms.append(self.forms[key])
        low, high = 0.0, float("inf")
        for form in forms:
            if form["area"] != self.district:
                continue
            for figure, (lo, hi) in zip(form["figures"], _form_bounds(form), strict=True):
                if (figure[0], figure[1]) == span and sorted(figure[2]) == wanted:
                    low, high = max(low, lo), min(high, hi)
        if (low, high) == (0.0, float("inf")) or not low <= value <= high:
            return None
        return low, high

    def _note(self, key: str, note: str) -> str:
        """The table's note, and why it shows nothing where it was withheld in full."""
        if key not in self.blanked:
            return note
        why = _(
            "withheld in full: together with an earlier report it would reveal withheld figures"
        )
        return f"{note}; {why}" if note else why

    def compare(
        self,
        key: str,
        title: str,
        row_heading: str,
        rows: Sequence[tuple[str, str]],
        count: Callable[[Period], Mapping[str, int]],
        periods: tuple[Period, Period],
        *,
        totals: bool = True,
        note: str = "",
        chart: str = "bar",
        kind: Kind = Kind.EVENTS,
        on_day: bool = False,
        named: Sequence[str] | None = None,
    ) -> Table:
        """Rows × (period, same period a year earlier), each column protected on its own and
        the table against the releases before. ``kind``: how the count adds up over time;
        ``on_day``: it counts on the last day of each period; ``named``: the codes the
        table names, where its row "other" counts every code it does not name."""
        columns = [count(period) for period in periods]
        codes = [code for code, _label in rows]
        grid = [[column.get(code, 0) for column in columns] for code in codes]
        protected, form = self.protect(
            key,
            grid,
            spans=[_span(period, on_day=on_day) for period in periods],
            codes=[[code] * len(periods) for code in codes],
            row_totals=False,
            column_totals=totals,
            kind=kind,
            named=named,
        )
        column_totals = None
        if totals and protected.column_totals is not None:
            column_totals = tuple(
                _entry(sum(row[c] for row in grid), protected.column_totals[c])
                for c in range(len(periods))
            )
        return Table(
            key=key,
            title=title,
            row_heading=row_heading,
            columns=_compare_columns(periods),
            rows=tuple(
                Row(
                    code,
                    label,
                    tuple(_entry(grid[r][c], protected.cells[r][c]) for c in range(2)),
                )
                for r, (code, label) in enumerate(rows)
            ),
            column_totals=column_totals,
            k=self.k,
            compare=True,
            chart=chart,  # type: ignore[arg-type]
            note=self._note(key, note),
            form=form,
        )

    def crossed(
        self,
        key: str,
        title: str,
        row_heading: str,
        rows: Sequence[tuple[str, str]],
        columns: Sequence[tuple[str, str]],
        counts: Mapping[tuple[str, str], int],
        *,
        period: Period,
        kind: Kind | None = Kind.EVENTS,
        note: str = "",
        chart: str = "none",
        additive: bool = True,
        margins: Callable[[frozenset[str], tuple[str, ...]], Published | None] | None = None,
    ) -> Table:
        """A two-dimensional table of ``period`` with both margins, protected as one and
        against the tables shown before (``kind`` None: as one only; ``additive`` and
        ``margins`` as for :meth:`protect`)."""
        grid = [[counts.get((r, c), 0) for c, _l in columns] for r, _l in rows]
        protected, form = self.protect(
            key,
            grid,
            spans=[_span(period, on_day=False)] * len(columns),
            codes=[[f"{r}|{c}" for c, _l in columns] for r, _l in rows],
            row_totals=True,
            column_totals=True,
            kind=kind,
            additive=additive,
            margins=margins,
        )
        assert protected.row_totals is not None  # noqa: S101  # asked for
        assert protected.column_totals is not None  # noqa: S101
        assert protected.grand_total is not None  # noqa: S101
        return Table(
            key=key,
            title=title,
            row_heading=row_heading,
            columns=tuple(Column(code, label) for code, label in columns),
            rows=tuple(
                Row(
                    code,
                    label,
                    tuple(_entry(grid[r][c], protected.cells[r][c]) for c in range(len(columns))),
                    total=_entry(sum(grid[r]), protected.row_totals[r]),
                )
                for r, (code, label) in enumerate(rows)
            ),
            column_totals=tuple(
                _entry(sum(row[c] for row in grid), protected.column_totals[c])
                for c in range(len(columns))
            ),
            grand_total=_entry(sum(map(sum, grid)), protected.grand_total),
            k=self.k,
            chart=chart,  # type: ignore[arg-type]
            note=self._note(key, note),
            form=form,
        )

    # --- the sections -------------------------------------------------------------------------

    def sections(self, period: Period, previous: Period) -> tuple[Section, ...]:
        periods = (period, previous)
        capacity = self.capacity(periods)
        # The case flow's totals are published by the caseload and the closures too: those
        # first, so that the case flow is protected against them.
        closures = self.closures(periods)
        volume = self.volume(periods)
        return (
            Section("capacity", _("Organisation and resources"), capacity),
            Section("volume", _("Case work in figures"), volume),
            Section("contacts", _("Contacts"), (self.contacts(periods),)),
            Section("clients", _("Who is in care"), self.clients(periods)),
            Section("needs", _("Needs at assessment"), (self.needs(periods),)),
            Section("referrals", _("Referrals"), self.referrals(periods)),
            Section("closures", _("Closures and goals"), closures),
            Section("findings", _("Structural findings"), self.findings(periods)),
            Section("governance", _("Cooperation and network"), (self.governance(periods),)),
        )

    # (a) capacity

    def _posts(self, day: date) -> QuerySet[StaffPost]:
        posts = StaffPost.objects.filter(
            Q(valid_from__lte=day) & (Q(valid_until__isnull=True) | Q(valid_until__gte=day))
        )
        if self.scope.agency is not None:
            posts = posts.filter(agency=self.scope.agency)
        return posts

    def capacity(self, periods: tuple[Period, Period]) -> tuple[Table, ...]:
        day = periods[0].end
        sums = (
            self._posts(day)
            .values("agency_id", "agency__name", "building_block")
            .annotate(fte=Sum("full_time_equivalents"))
            .order_by("agency__name", "agency_id")
        )
        blocks = _labels(BuildingBlock.choices)
        agencies: dict[int, str] = {}
        fte: dict[tuple[int, str], Decimal] = {}
        for line in sums:
            agencies[line["agency_id"]] = line["agency__name"]
            fte[(line["agency_id"], line["building_block"])] = line["fte"]
        # Staff posts are no personal data (they stand in every budget): nothing is withheld.
        posts = Table(
            key="staff_posts",
            title=_("Staff posts (full-time equivalents) by building block and provider"),
            row_heading=_("Provider"),
            columns=tuple(Column(code, label) for code, label in blocks),
            rows=tuple(
                Row(
                    str(pk),
                    name,
                    tuple(Entry(fte.get((pk, code), Decimal(0))) for code, _l in blocks),
                    total=Entry(
                        sum((fte.get((pk, c), Decimal(0)) for c, _l in blocks), Decimal(0))
                    ),
                )
                for pk, name in agencies.items()
            ),
            column_totals=tuple(
                Entry(sum((v for (_a, c), v in fte.items() if c == code), Decimal(0)))
                for code, _l in blocks
            ),
            grand_total=Entry(sum(fte.values(), Decimal(0))),
            unit="fte",
            k=self.k,
            chart="none",
            note=_("as of %(date)s") % {"date": periods[0].label().split(" – ")[-1]},
        )
        # Cases per case-management post: a ratio shown only where its count is shown.
        post_entries: list[Entry] = []
        case_entries: list[Entry] = []
        ratio_entries: list[Entry] = []
        in_care = [self.cases_in_care(each.end).count() for each in periods]
        protected, form = self.protect(
            "caseload",
            [in_care],
            spans=[_span(each, on_day=True) for each in periods],
            codes=[["cases"] * len(periods)],
            row_totals=False,
            column_totals=False,
            kind=Kind.EVENTS,
        )
        for each, cases, state in zip(periods, in_care, protected.cells[0], strict=True):
            posts_fte = (
                self._posts(each.end)
                .filter(building_block=BuildingBlock.CASE_MANAGEMENT)
                .aggregate(total=Coalesce(Sum("full_time_equivalents"), Decimal(0)))["total"]
            )
            post_entries.append(Entry(posts_fte))
            case_entries.append(_entry(cases, state))
            if state == State.SHOWN and posts_fte:
                ratio_entries.append(Entry(round(Decimal(cases) / posts_fte, 1)))
            else:
                ratio_entries.append(Entry(None, state))
        caseload_rows = [
            Row("posts", _("Case-management posts (full-time equivalents)"), tuple(post_entries)),
            Row("cases", _("Cases in care on the reference date"), tuple(case_entries)),
            Row("per_post", _("Cases per case-management post"), tuple(ratio_entries)),
        ]
        caseload = Table(
            key="caseload",
            title=_("Cases per case-management post"),
            row_heading=_("Figure"),
            columns=_compare_columns(periods),
            rows=tuple(caseload_rows),
            unit="ratio",
            k=self.k,
            compare=True,
            chart="none",
            note=self._note("caseload", ""),
            form=form,
        )
        return posts, caseload

    # (b) volume

    def volume(self, periods: tuple[Period, Period]) -> tuple[Table, ...]:
        def stock(period: Period) -> dict[str, int]:
            return {
                # the persons of the client tables, all of them
                "persons": sum(row["n"] for row in self._persons_cube(period.end)),
                "families": self.cases_in_care(period.end)
                .values("household_id")
                .distinct()
                .count(),
            }

        in_care = self.compare(
            "in_care",
            _("Persons and families in care on the reference date"),
            _("Counted"),
            [("persons", _("Persons")), ("families", _("Families (households)"))],
            stock,
            periods,
            totals=False,
            note=_("on the last day of each period"),
            chart="none",
            on_day=True,
        )
        flow = self.case_flow(periods[0])
        return in_care, flow

    def case_flow(self, period: Period) -> Table:
        """Cases of the period: continued or new × closed in it or still open at its end.

        Its totals are figures of other tables: the cases still open at the end are the
        caseload on the reference date, those continued from before the caseload on the day
        before the period (the year before's reference date, for a year), those closed the
        closures' total. So the table is protected against what the caseload and the
        closures published (in this request and before), and against the case flows shown
        before of the very same period: a period's flow is not the sum of its parts', so
        only the same period relates."""
        active = self.cases().filter(
            Q(opened_on__lte=period.end)
            & (Q(closed_on__isnull=True) | Q(closed_on__gte=period.start))
        )
        counts = active.aggregate(
            continued_closed=Count(
                "pk", filter=Q(opened_on__lt=period.start, closed_on__lte=period.end), distinct=True
            ),
            continued_open=Count(
                "pk",
                filter=Q(opened_on__lt=period.start)
                & (Q(closed_on__isnull=True) | Q(closed_on__gt=period.end)),
                distinct=True,
            ),
            new_closed=Count(
                "pk",
                filter=Q(opened_on__gte=period.start, closed_on__lte=period.end),
                distinct=True,
            ),
            new_open=Count(
                "pk",
                filter=Q(opened_on__gte=period.start)
                & (Q(closed_on__isnull=True) | Q(closed_on__gt=period.end)),
                distinct=True,
            ),
        )
        return self.crossed(
            "case_flow",
            _("Cases in the period: new, continued and closed"),
            _("Cases"),
            [("continued", _("continued from before")), ("new", _("new in the period"))],
            [("closed", _("closed in the period")), ("open", _("still in care at its end"))],
            {
                ("continued", "closed"): counts["continued_closed"],
                ("continued", "open"): counts["continued_open"],
                ("new", "closed"): counts["new_closed"],
                ("new", "open"): counts["new_open"],
            },
            period=period,
            # New/continued and closed/open depend on the whole period: no sum of days.
            kind=Kind.EVENTS,
            additive=False,
            margins=lambda universe, parts: self._flow_margins(period, counts, universe, parts),
            note=period.label(),
        )

    def _flow_margins(
        self,
        period: Period,
        counts: Mapping[str, int],
        universe: frozenset[str],
        parts: tuple[str, ...],
    ) -> Published | None:
        """The case flow's totals as the caseload and the closures published them."""
        span = _span(period, on_day=False)
        first, last = span
        totals = [
            (
                ("continued|open", "new|open"),
                self._known(
                    "caseload",
                    (last, last),
                    ["cases"],
                    counts["continued_open"] + counts["new_open"],
                ),
            ),
            (
                ("continued|closed", "continued|open"),
                self._known(
                    "caseload",
                    (first - 1, first - 1),
                    ["cases"],
                    counts["continued_closed"] + counts["continued_open"],
                ),
            ),
            (
                ("continued|closed", "new|closed"),
                self._known(
                    "closures",
                    span,
                    ClosureReason.values,
                    counts["continued_closed"] + counts["new_closed"],
                ),
            ),
        ]
        found = [(codes, bound) for codes, bound in totals if bound is not None]
        if not found:
            return None
        return Published(
            tuple(
                PublishedFigure(
                    span, _codes(codes, self.district, None, universe, parts), State.SECONDARY
                )
                for codes, _bound in found
            ),
            k=self.k,
            known=tuple(bound for _codes_, bound in found),
        )

    # (c) contacts

    def contacts(self, periods: tuple[Period, Period]) -> Table:
        kinds = [
            (JournalEntry.Kind.TALK, _("In person")),
            (JournalEntry.Kind.PHONE_CALL, _("Phone")),
            (JournalEntry.Kind.HOME_VISIT, _("Home visit")),
            (JournalEntry.Kind.EMAIL, _("E-mail")),
            (JournalEntry.Kind.LETTER, _("Letter")),
        ]

        def count(period: Period) -> dict[str, int]:
            entries = self.owned(JournalEntry.objects.all()).filter(
                occurred_at__gte=start_of(period.start),
                occurred_at__lt=end_of(period.end),
                kind__in=[code for code, _l in kinds],
            )
            # COUNT(*): the (kind, occurred_at) index answers it without reading the rows
            return dict(entries.values_list("kind").annotate(n=Count("*")).order_by())

        return self.compare(
            "contacts",
            _("Contacts by channel"),
            _("Channel"),
            [(str(code), str(label)) for code, label in kinds],
            count,
            periods,
            note=_("journal entries of these kinds"),
        )

    # (d) client structure

    def _persons_cube(self, day: date) -> list[dict[str, Any]]:
        """The persons in care on ``day`` counted by sex × age band × first nationality ×
        kind of residence status, in one grouped query: the client tables are its margins
        (four queries over the city's persons become one). It never leaves the counter."""
        if day not in self._cubes:
            persons = self.persons_in_care(day).annotate(
                age=_age_band(day),
                first=Coalesce(KT("nationalities__0"), Value(NOT_STATED), output_field=CharField()),
                kind_now=_latest_residence_kind(day),
            )
            self._cubes[day] = list(
                persons.values("sex", "age", "first", "kind_now").annotate(n=Count("pk")).order_by()
            )
        return self._cubes[day]

    def _persons_by(
        self, period: Period, group_of: Callable[[dict[str, Any]], str]
    ) -> dict[str, int]:
        counts: dict[str, int] = {}
        for row in self._persons_cube(period.end):
            group = group_of(row)
            counts[group] = counts.get(group, 0) + row["n"]
        return counts

    def clients(self, periods: tuple[Period, Period]) -> tuple[Table, ...]:
        def grouped(field: str) -> Callable[[Period], dict[str, int]]:
            return lambda period: self._persons_by(period, lambda row: row[field])

        def residence_groups(period: Period) -> dict[str, int]:
            # the kinds added up into their groups (a CASE over the kind in SQL would run its
            # subquery once per group)
            def group_of(row: dict[str, Any]) -> str:
                kind = row["kind_now"]
                return _RESIDENCE_GROUP_OF.get(kind, NOT_STATED) if kind else NOT_STATED

            return self._persons_by(period, group_of)

        sex_rows = [
            (Sex.FEMALE.value, _("female")),
            (Sex.MALE.value, _("male")),
            (Sex.DIVERSE.value, _("diverse")),
            (Sex.UNSPECIFIED.value, _("not stated")),
        ]
        sex = self.compare(
            "sex",
            _("Persons in care by sex"),
            _("Sex"),
            sex_rows,
            grouped("sex"),
            periods,
            on_day=True,
        )
        ages = self.compare(
            "age",
            _("Persons in care by age"),
            _("Age"),
            [
                ("0-17", _("0–17 years")),
                ("18-26", _("18–26 years")),
                ("27-64", _("27–64 years")),
                ("65+", _("65 years and older")),
                (NOT_STATED, _("not stated")),
            ],
            grouped("age"),
            periods,
            on_day=True,
        )
        households = self.compare(
            "household_type",
            _("Families in care by household type"),
            _("Household"),
            [
                ("single_parent", _("single parent with children")),
                ("couple_children", _("couple with children")),
                ("couple", _("couple without children")),
                ("single", _("single person")),
                (OTHER, _("other household")),
            ],
            self._household_types,
            periods,
            note=_("families, not persons"),
            on_day=True,
        )
        nationality = self._nationalities(periods)
        residence = self.compare(
            "residence",
            _("Persons in care by residence status"),
            _("Residence status"),
            [(code, str(label)) for code, label in RESIDENCE_GROUPS]
            + [(NOT_STATED, _("not stated"))],
            residence_groups,
            periods,
            on_day=True,
        )
        return sex, ages, households, nationality, residence

    def _household_types(self, period: Period) -> dict[str, int]:
        members = HouseholdMember.objects.filter(household_id=OuterRef("household_id"))
        cases = self.cases_in_care(period.end).annotate(
            partners=Exists(members.filter(role=HouseholdRole.PARTNER)),
            children=Exists(members.filter(role=HouseholdRole.CHILD)),
            others=Exists(members.filter(role=HouseholdRole.OTHER_RELATIVE)),
        )
        # Counted per combination and named here: a CASE over the three would run their
        # subqueries again for each of its branches.
        counts: dict[str, int] = {}
        for partners, children, others, n in (
            cases.values_list("partners", "children", "others")
            .annotate(n=Count("pk", distinct=True))
            .order_by()
        ):
            if others:
                kind = OTHER
            elif partners:
                kind = "couple_children" if children else "couple"
            else:
                kind = "single_parent" if children else "single"
            counts[kind] = counts.get(kind, 0) + n
        return counts

    def _nationalities(self, periods: tuple[Period, Period]) -> Table:
        """The most frequent first nationalities of the period; the rest is "Sonstige".

        Which nationalities are named depends only on counts of at least ``k`` in the current
        period, so the choice itself reveals no small group.
        """

        def nationality_of(row: dict[str, Any]) -> str:
            code = row["first"]
            key = str(code).upper() if code else NOT_STATED
            return NOT_STATED if key == NOT_STATED.upper() else key

        def raw(period: Period) -> dict[str, int]:
            return self._persons_by(period, nationality_of)

        current, previous = raw(periods[0]), raw(periods[1])
        named = [
            code
            for code, n in sorted(current.items(), key=lambda item: (-item[1], item[0]))
            if code != NOT_STATED and n >= self.k
        ][:TOP_NATIONALITIES]

        def fold(counts: dict[str, int]) -> dict[str, int]:
            folded: dict[str, int] = {code: counts.get(code, 0) for code in named}
            folded[OTHER] = sum(
                n for code, n in counts.items() if code not in named and code != NOT_STATED
            )
            folded[NOT_STATED] = counts.get(NOT_STATED, 0)
            return folded

        folded = {periods[0]: fold(current), periods[1]: fold(previous)}
        return self.compare(
            "nationality",
            _("Persons in care by nationality"),
            _("Nationality"),
            [(code, _country(code)) for code in named]
            + [(OTHER, _("Other nationalities")), (NOT_STATED, _("not stated"))],
            lambda period: folded[period],
            periods,
            note=_("first nationality named"),
            on_day=True,
            named=named,
        )

    # (e) needs

    def needs(self, periods: tuple[Period, Period]) -> Table:
        def count(period: Period) -> dict[str, int]:
            assessments = self.owned(Assessment.objects.all()).filter(
                assessed_on__gte=period.start, assessed_on__lte=period.end, need__gte=2
            )
            return dict(
                assessments.values_list("domain")
                .annotate(n=Count("subject_id", distinct=True))
                .order_by()
            )

        return self.compare(
            "needs",
            _("Persons with a medium or high need, by life domain"),
            _("Life domain"),
            _labels(LifeDomain.choices),
            count,
            periods,
            note=_("assessed in the period; a person counts once per domain"),
            kind=Kind.DISTINCT,
        )

    # (f) referrals

    def _referrals(self, period: Period) -> QuerySet[Referral]:
        referrals = Referral.objects.filter(
            sent_at__gte=start_of(period.start), sent_at__lt=end_of(period.end)
        )
        if self.scope.agency is not None:
            referrals = referrals.filter(
                Q(owner_agency=self.scope.agency) | Q(to_agency=self.scope.agency)
            )
        if self.district:
            referrals = referrals.filter(subject__district=self.district)
        return referrals

    def referrals(self, periods: tuple[Period, Period]) -> tuple[Table, ...]:
        period = periods[0]
        state = When_(
            When(status=Status.COMPLETED, then=Value("completed")),
            When(
                status__in=[
                    Status.DECLINED,
                    Status.NOT_COMPLETED,
                    Status.CANCELLED,
                    Status.EXPIRED,
                ],
                then=Value("ended"),
            ),
            default=Value("open"),
            output_field=CharField(),
        )
        target = Coalesce(F("to_agency__kind"), F("to_offer__provider__agency__kind"), Value(OTHER))
        counts = {
            (str(kind or OTHER), str(group)): n
            for kind, group, n in self._referrals(period)
            .annotate(target=target, state=state)
            .values_list("target", "state")
            .annotate(n=Count("pk"))
            .order_by()
        }
        kinds = [(code, str(label)) for code, label in Agency.Kind.choices]
        by_target = self.crossed(
            "referrals_by_target",
            _("Referrals sent in the period, by receiving agency and state"),
            _("Received by"),
            kinds,
            [
                ("completed", _("completed")),
                ("open", _("open")),
                ("ended", _("ended without completion")),
            ],
            counts,
            period=period,
            note=period.label(),
        )

        def timing(each: Period) -> list[int]:
            started = (
                ReferralEvent.objects.filter(referral_id=OuterRef("pk"), status=Status.IN_PROGRESS)
                .order_by("at")
                .values("at")[:1]
            )
            rows = (
                self._referrals(each)
                .annotate(started=Subquery(started))
                .filter(started__isnull=False)
                .values_list("sent_at", "started")
            )
            return [max(0, (begun - sent).days) for sent, begun in rows]

        return by_target, self._medians(
            "referral_timing",
            _("Days from referral to the start of the support"),
            _("referrals that started"),
            [timing(each) for each in periods],
            periods,
        )

    def _medians(
        self,
        key: str,
        title: str,
        counted: str,
        samples: Sequence[Sequence[int]],
        periods: tuple[Period, Period],
    ) -> Table:
        """How many and their median, per period; the median only where the count is shown."""
        count_entries: list[Entry] = []
        median_entries: list[Entry] = []
        protected, form = self.protect(
            key,
            [[len(sample) for sample in samples]],
            spans=[_span(each, on_day=False) for each in periods],
            codes=[["count"] * len(periods)],
            row_totals=False,
            column_totals=False,
            kind=Kind.EVENTS,
        )
        for sample, state in zip(samples, protected.cells[0], strict=True):
            count_entries.append(_entry(len(sample), state))
            if state == State.SHOWN:
                median_entries.append(Entry(_median_days(sample)))
            else:
                median_entries.append(Entry(None, State.SECONDARY))
        return Table(
            key=key,
            title=title,
            row_heading=_("Figure"),
            columns=_compare_columns(periods),
            rows=(
                Row("count", counted, tuple(count_entries)),
                Row("median", _("Median in days"), tuple(median_entries)),
            ),
            unit="days",
            k=self.k,
            compare=True,
            chart="none",
            note=self._note(key, ""),
            form=form,
        )

    # (g) closures

    def _closed(self, period: Period) -> QuerySet[Case]:
        return self.cases().filter(closed_on__gte=period.start, closed_on__lte=period.end)

    def closures(self, periods: tuple[Period, Period]) -> tuple[Table, ...]:
        reasons = self.compare(
            "closures",
            _("Cases closed, by reason"),
            _("Reason"),
            _labels(ClosureReason.choices),
            lambda period: dict(
                self._closed(period)
                .values_list("closure_reason")
                .annotate(n=Count("pk", distinct=True))
                .order_by()
            ),
            periods,
        )
        durations = self._medians(
            "case_duration",
            _("Duration of closed cases"),
            _("cases closed"),
            [
                [
                    # per case (distinct: the scope's joins may repeat a case), not per pair
                    # of dates — cases opened and closed on the same days are each counted
                    (closed - opened).days
                    for _pk, opened, closed in self._closed(each)
                    .values_list("pk", "opened_on", "closed_on")
                    .distinct()
                    if closed is not None
                ]
                for each in periods
            ],
            periods,
        )

        def attainment(period: Period) -> dict[str, int]:
            goals = self.owned(Goal.objects.all()).filter(
                case_id__in=self._closed(period).values("pk")
            )
            counts = goals.values_list("attainment").annotate(n=Count("pk")).order_by()
            return {(NOT_STATED if level is None else str(level)): n for level, n in counts}

        goals = self.compare(
            "goal_attainment",
            _("Goals of closed cases by attainment"),
            _("Attainment"),
            [(str(level), str(label)) for level, label in Goal.Attainment.choices]
            + [(NOT_STATED, _("not evaluated"))],
            attainment,
            periods,
        )
        return reasons, durations, goals

    # (h) structural findings

    def _finding_counts(self, period: Period) -> dict[tuple[str, str], int]:
        """Needs marked "no suitable offer" and referrals declined for lack of capacity."""
        unmet = self.owned(UnmetNeed.objects.all()).filter(
            created_at__gte=start_of(period.start), created_at__lt=end_of(period.end)
        )
        counts: dict[tuple[str, str], int] = {}
        for domain, district, n in (
            unmet.values_list("domain", "district").annotate(n=Count("pk")).order_by()
        ):
            key = (domain, district or NOT_STATED)
            counts[key] = counts.get(key, 0) + n
        declined = self._referrals(period).filter(
            status=Status.DECLINED, decline_reason=DeclineReason.CAPACITY
        )
        domain = Coalesce(F("assessment__domain"), Value(OTHER), output_field=CharField())
        district = Coalesce(
            F("case__household__district"), F("subject__district"), output_field=CharField()
        )
        for each, where, n in (
            declined.annotate(d=domain, w=district)
            .values_list("d", "w")
            .annotate(n=Count("pk"))
            .order_by()
        ):
            key = (each if each in LifeDomain.values else OTHER, where or NOT_STATED)
            counts[key] = counts.get(key, 0) + n
        return counts

    def findings(self, periods: tuple[Period, Period]) -> tuple[Table, ...]:
        domains = [*_labels(LifeDomain.choices), (OTHER, _("other"))]
        districts = _labels(District.choices)
        if self.district:
            districts = [(code, label) for code, label in districts if code == self.district]
        current = self._finding_counts(periods[0])
        # A finding without a district is counted but cannot be placed in a column.
        grid = self.crossed(
            "findings_by_district",
            _("Structural findings by life domain and district"),
            _("Life domain"),
            domains,
            districts,
            current,
            period=periods[0],
            note=_("needs without a suitable offer and referrals declined for lack of capacity"),
        )
        previous = self._finding_counts(periods[1])

        def by_domain(counts: dict[tuple[str, str], int]) -> dict[str, int]:
            totals: dict[str, int] = {}
            for (domain, _district), n in counts.items():
                totals[domain] = totals.get(domain, 0) + n
            return totals

        sums = {periods[0]: by_domain(current), periods[1]: by_domain(previous)}
        trend = self.compare(
            "findings_trend",
            _("Structural findings by life domain, with the year before"),
            _("Life domain"),
            domains,
            lambda period: sums[period],
            periods,
        )
        status_counts = dict(
            StructuralFinding.objects.values_list("status").annotate(n=Count("pk")).order_by()
        )
        statuses = Table(
            key="findings_status",
            title=_("Structural findings in the steering group"),
            row_heading=_("Status"),
            columns=(Column("current", _("findings")),),
            rows=tuple(
                Row(code, str(label), (Entry(status_counts.get(code, 0)),))
                for code, label in StructuralFinding._meta.get_field("status").choices or ()
            ),
            k=self.k,
            chart="none",
            note=_("gaps the steering group works on; no personal data"),
        )
        return grid, trend, statuses

    # (i) governance

    def governance(self, periods: tuple[Period, Period]) -> Table:
        # Meetings and agreements are facts about the network, not about families: shown as
        # they are.
        def counts(period: Period) -> list[Entry]:
            meetings = dict(
                GovernanceMeeting.objects.filter(held_on__gte=period.start, held_on__lte=period.end)
                .values_list("kind")
                .annotate(n=Count("pk"))
                .order_by()
            )
            in_force = CooperationAgreement.objects.filter(
                Q(signed_on__lte=period.end)
                & (Q(valid_until__isnull=True) | Q(valid_until__gte=period.end))
            ).count()
            signed = CooperationAgreement.objects.filter(
                signed_on__gte=period.start, signed_on__lte=period.end
            ).count()
            return [
                Entry(meetings.get(GovernanceMeeting.Kind.STEERING_GROUP, 0)),
                Entry(meetings.get(GovernanceMeeting.Kind.WORKING_GROUP, 0)),
                Entry(in_force),
                Entry(signed),
            ]

        columns = [counts(each) for each in periods]
        labels = [
            ("steering_group", _("Steering-group meetings")),
            ("working_group", _("Working-group meetings")),
            ("agreements_in_force", _("Cooperation agreements in force at the end")),
            ("agreements_signed", _("Cooperation agreements signed")),
        ]
        return Table(
            key="governance",
            title=_("Steering and cooperation"),
            row_heading=_("Figure"),
            columns=_compare_columns(periods),
            rows=tuple(
                Row(code, label, (columns[0][i], columns[1][i]))
                for i, (code, label) in enumerate(labels)
            ),
            k=self.k,
            compare=True,
            chart="none",
        )


def _compare_columns(periods: tuple[Period, Period]) -> tuple[Column, Column]:
    """The period and the same period a year earlier, as every comparison table heads them."""
    return (
        Column("current", periods[0].label()),
        Column("previous", _("%(period)s (year before)") % {"period": periods[1].label()}),
    )


def _entry(value: int, state: State) -> Entry:
    """A published entry: the value only when it is shown."""
    return Entry(value if state == State.SHOWN else None, state)


def _age_band(day: date) -> Any:
    """The age band on ``day`` from the birth date, else from the year of birth."""

    def born_after(years: int) -> Q:
        return Q(birth_date__gt=years_before(day, years)) | Q(
            birth_date__isnull=True, birth_year__gt=day.year - years
        )

    return When_(
        When(Q(birth_date__isnull=True, birth_year__isnull=True), then=Value(NOT_STATED)),
        When(born_after(18), then=Value("0-17")),
        When(born_after(27), then=Value("18-26")),
        When(born_after(65), then=Value("27-64")),
        default=Value("65+"),
        output_field=CharField(),
    )


#: Residence statuses grouped as committee reports group them.
RESIDENCE_GROUPS: tuple[tuple[str, Any], ...] = (
    ("asylum", pgettext("residence group", "in the asylum procedure")),
    ("toleration", pgettext("residence group", "tolerated (Duldung)")),
    ("permit", pgettext("residence group", "residence permit")),
    ("settled", pgettext("residence group", "settlement permit")),
    ("eu", pgettext("residence group", "EU free movement")),
    ("german", pgettext("residence group", "German citizen")),
)
_RESIDENCE_GROUP_OF: dict[str, str] = {
    ResidenceKind.ASYLUM_PERMISSION: "asylum",
    ResidenceKind.TOLERATION: "toleration",
    ResidenceKind.RESIDENCE_PERMIT: "permit",
    ResidenceKind.PROVISIONAL: "permit",
    ResidenceKind.SETTLEMENT_PERMIT: "settled",
    ResidenceKind.EU_FREE_MOVEMENT: "eu",
    ResidenceKind.GERMAN_CITIZEN: "german",
}


def _latest_residence_kind(day: date) -> Subquery:
    """The kind of the status valid on ``day`` (the latest one begun by then)."""
    return Subquery(
        ResidenceStatus.objects.filter(person_id=OuterRef("pk"), valid_from__lte=day)
        .order_by("-valid_from", "-pk")
        .values("kind")[:1]
    )


def _country(code: str) -> str:
    return country_name(code)
