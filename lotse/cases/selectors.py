from __future__ import annotations

import uuid
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any, Protocol, TypeVar, overload

from django.db.models import Exists, Max, Min, OuterRef, QuerySet, prefetch_related_objects
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone

from lotse.accounts.models import Agency, Membership
from lotse.accounts.roles import Capability
from lotse.consent import policy
from lotse.core.queries import id_set
from lotse.people.access import persons_visible_to
from lotse.people.models import DomainTransition, HouseholdMember

from . import access
from .access import journal_entries_visible_to
from .models import (
    Assessment,
    Case,
    CaseAssignment,
    CaseConference,
    CaseParticipant,
    CasePhaseChange,
    ConferenceAttendee,
    ConferenceDecision,
    ConferenceMinute,
    Goal,
    JournalEntry,
    LifeDomain,
    Measure,
    Phase,
)


def journal_entry_list(
    *, membership: Membership | None, person_id: int | None = None
) -> QuerySet[JournalEntry]:
    entries = journal_entries_visible_to(membership).select_related("owner_agency", "author")
    if person_id is not None:
        entries = entries.filter(subject_id=person_id)
    return entries.order_by("-occurred_at", "-pk")


def journal_entry_get(*, membership: Membership | None, entry_id: int) -> JournalEntry:
    """404 for missing and forbidden alike."""
    return get_object_or_404(
        journal_entries_visible_to(membership).select_related("owner_agency", "author", "subject"),
        pk=entry_id,
    )


def journal_entry_ref(*, entry_id: int) -> JournalEntry | None:
    """Id and person of an entry, no content: to audit a refused read."""
    return JournalEntry.objects.only("pk", "subject_id").filter(pk=entry_id).first()


def _about(person_id: int | None) -> QuerySet[JournalEntry]:
    entries = JournalEntry.objects.all()
    return entries if person_id is None else entries.filter(subject_id=person_id)


def journal_entry_count(*, membership: Membership | None, person_id: int | None = None) -> int:
    """The number of entries ``journal_entry_list`` would give, from indexed parts."""
    return policy.count_visible(membership, _about(person_id))


def journal_entry_total(
    *, membership: Membership | None, person_id: int | None = None
) -> policy.VisibleCount:
    """Like :func:`journal_entry_count`, but exact only up to ``policy.LIST_COUNT_CAP``."""
    return policy.count_visible_up_to(membership, _about(person_id))


# --- cases -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Contact:
    """Whom to call at a participating agency."""

    participant: CaseParticipant
    name: str
    phone: str
    email: str
    is_lead: bool


def case_get(*, membership: Membership | None, pk: int) -> Case:
    """A case the member may open; 404 for missing and forbidden alike."""
    return get_object_or_404(
        access.cases_visible_to(membership).select_related(
            "household", "lead_agency", "lead_user", "referred_by"
        ),
        pk=pk,
    )


def household_case(*, membership: Membership | None, household_id: int) -> Case | None:
    return (
        access.cases_visible_to(membership)
        .select_related("lead_agency", "lead_user")
        .filter(household_id=household_id)
        .first()
    )


@dataclass(frozen=True)
class HandoverHint:
    """An open change of benefit law (Rechtskreiswechsel) in the family that the lead agency
    does not serve, with the participating agency that serves the new law (None if none
    takes part yet)."""

    transition: DomainTransition
    member: HouseholdMember
    to_agency: Agency | None


def handover_hints(
    membership: Membership, case: Case, members: list[HouseholdMember], contacts: list[Contact]
) -> list[HandoverHint]:
    """For the lead: the open changes of benefit law of the members it may see — read through
    the policy like any residence item, so a hidden status suggests nothing."""
    if case.is_closed or not members:
        return []
    lead_domains = set(case.lead_agency.legal_domains)
    by_person = {m.person_id: m for m in members}
    transitions = (
        _visible(membership, DomainTransition)
        .filter(person_id__in=list(by_person), state=DomainTransition.State.OPEN)
        .order_by("effective_from", "pk")
    )
    others = [c.participant.agency for c in contacts if not c.is_lead]
    return [
        HandoverHint(
            transition=t,
            member=by_person[t.person_id],
            to_agency=next((a for a in others if t.to_regime in a.legal_domains), None),
        )
        for t in transitions
        if t.to_regime not in lead_domains
    ]


@dataclass(frozen=True)
class Attending:
    """An agency at a conference and who comes for it: its contact person in the case (for
    the lead agency the lead case manager)."""

    agency: Agency
    person: str


def conference_agencies(conference: CaseConference) -> list[Attending]:
    case = conference.case
    contacts = {c.participant.agency_id: c.name for c in case_contacts(case)}
    if case.lead_user is not None:
        contacts[case.lead_agency_id] = str(case.lead_user)
    return [
        Attending(agency=agency, person=contacts.get(agency.pk, ""))
        for agency in conference.agencies.order_by("name")
    ]


def case_contacts(case: Case) -> list[Contact]:
    return contacts_of([case])[case.pk]


def contacts_of(cases: list[Case]) -> dict[int, list[Contact]]:
    """The participating agencies of each case with their contact person's name, phone and
    e-mail, the lead first: two queries, whatever the number of cases and agencies."""
    participants = list(
        CaseParticipant.objects.filter(case__in=cases, left_on__isnull=True)
        .select_related("agency", "contact")
        .order_by("agency__name")
    )
    phones = {
        (m.user_id, m.agency_id): m.phone
        for m in Membership.objects.filter(
            user_id__in={p.contact_id for p in participants if p.contact_id},
            agency_id__in={p.agency_id for p in participants},
            is_active=True,
        ).only("user_id", "agency_id", "phone")
    }
    leads = {case.pk: case.lead_agency_id for case in cases}
    result: dict[int, list[Contact]] = {case.pk: [] for case in cases}
    for p in participants:
        result[p.case_id].append(
            Contact(
                participant=p,
                name=str(p.contact) if p.contact else "",
                phone=phones.get((p.contact_id, p.agency_id), "") if p.contact_id else "",
                email=p.contact.email if p.contact else "",
                is_lead=p.agency_id == leads[p.case_id],
            )
        )
    return {pk: sorted(rows, key=lambda c: not c.is_lead) for pk, rows in result.items()}


def case_assignments(*, case: Case, agency_id: int) -> list[CaseAssignment]:
    """The member's own agency's assignments to the case (other agencies' staff are theirs)."""
    return list(
        access.active_assignments()
        .filter(case=case, agency_id=agency_id)
        .select_related("user")
        .order_by("kind", "user__last_name")
    )


def case_phase_history(case: Case) -> list[CasePhaseChange]:
    return list(
        CasePhaseChange.objects.filter(case=case)
        .select_related("changed_by", "agency")
        .order_by("-changed_at", "-pk")
    )


class FamilySort:
    NAME = "name"
    PHASE = "phase"
    LAST_CONTACT = "last_contact"
    NEXT_DUE = "next_due"
    CHOICES = (NAME, PHASE, LAST_CONTACT, NEXT_DUE)


@dataclass(frozen=True)
class FamilyFilters:
    phase: str = ""
    district: str = ""
    overdue: bool = False
    sort: str = FamilySort.NEXT_DUE
    #: "mine": cases the member works on; "team": the team lead's scope
    scope: str = "mine"
    unassigned: bool = False


#: A case or a sorting key of one: it gets ``next_due`` and ``last_contact`` set.
_Dated = TypeVar("_Dated", bound=Any)


def _visible(membership: Membership, model: type[Any]) -> QuerySet[Any]:
    """The member's visible rows of ``model``. The policy's filter is built and resolved once
    per request and kind: a case page asks for five kinds in a dozen queries, and resolving the
    filter (with its EXISTS and need-to-know subqueries) cost more than running the queries."""
    cache = policy.request_cache(membership)
    key = ("visible_rows", model)
    if key not in cache:
        cache[key] = model._default_manager.filter(policy.visible_q(membership, model))
    # A clone: the cached queryset itself is never evaluated, so it never holds stale rows.
    rows: QuerySet[Any] = cache[key].all()
    return rows


def _grouped_dates(queryset: QuerySet[Any], field: str, *, newest: bool) -> dict[int, Any]:
    """Per case the newest (or earliest) ``field`` of the rows: one query over the page."""
    aggregate = Max(field) if newest else Min(field)
    return dict(
        queryset.order_by()
        .values("case_id")
        .annotate(value=aggregate)
        .values_list("case_id", "value")
    )


def _visible_entries(membership: Membership, ids: list[int]) -> QuerySet[Any]:
    return _visible(membership, JournalEntry).filter(case_id__in=id_set(ids))


def with_last_contact(membership: Membership, cases: list[_Dated]) -> list[_Dated]:
    """Each case's last contact, from the entries the member may see (one grouped query);
    cases that have it already keep it."""
    missing = [case for case in cases if not hasattr(case, "last_contact")]
    if missing:
        entries = _visible_entries(membership, [case.pk for case in missing])
        last_contact = _grouped_dates(entries, "occurred_at", newest=True)
        for case in missing:
            case.last_contact = last_contact.get(case.pk)
    return cases


def _with_dates(membership: Membership, cases: list[_Dated], *, last_contact: bool) -> list[_Dated]:
    """Next due item (and with ``last_contact`` the last contact) of each case, from the items
    the member may see — a date derived from hidden items would tell what they may not know.
    A fixed number of grouped queries over the member's cases, whatever their number; the
    last contact of the shown page alone follows (:func:`with_last_contact`) when the order
    does not need it."""
    ids = [case.pk for case in cases]
    entries = _visible_entries(membership, ids)
    measures = _grouped_dates(
        _visible(membership, Measure).filter(
            case_id__in=id_set(ids),
            due_date__isnull=False,
            status__in=[Measure.Status.PLANNED, Measure.Status.IN_PROGRESS],
        ),
        "due_date",
        newest=False,
    )
    decisions = _grouped_dates(
        _visible(membership, ConferenceDecision).filter(
            case_id__in=id_set(ids), status=ConferenceDecision.Status.OPEN
        ),
        "due_date",
        newest=False,
    )
    # A follow-up is due until a later entry answers it: the newest entry's date counts.
    follow_ups: dict[int, Any] = {}
    for case_id, follow_up in (
        entries.filter(follow_up_on__isnull=False)
        .order_by("case_id", "-occurred_at", "-pk")
        .values_list("case_id", "follow_up_on")
    ):
        follow_ups.setdefault(case_id, follow_up)
    for case in cases:
        dates = [d.get(case.pk) for d in (measures, decisions, follow_ups)]
        case.next_due = min((d for d in dates if d is not None), default=None)
    if last_contact:
        with_last_contact(membership, cases)
    return cases


def _sort_key(sort: str) -> Any:
    far = date.max
    phase_index = {value: index for index, value in enumerate(Phase.values)}
    keys: dict[str, Any] = {
        FamilySort.NAME: lambda c: (c.household_public_id, c.pk),
        FamilySort.PHASE: lambda c: (phase_index[c.phase], -c.phase_since.timestamp()),
        FamilySort.LAST_CONTACT: lambda c: (
            c.last_contact is not None,
            c.last_contact or timezone.now(),
            c.pk,
        ),
        FamilySort.NEXT_DUE: lambda c: (c.next_due or far, c.pk),
    }
    return keys[sort if sort in FamilySort.CHOICES else FamilySort.NEXT_DUE]


class _FamilyKey:
    """What sorting and filtering a member's families needs of a case; the shown page alone
    becomes :class:`Case` objects. ``last_contact`` is set only where it was read."""

    __slots__ = ("household_public_id", "last_contact", "next_due", "phase", "phase_since", "pk")

    def __init__(self, pk: int, household_public_id: str, phase: str, phase_since: Any) -> None:
        self.pk = pk
        self.household_public_id = household_public_id
        self.phase = phase
        self.phase_since = phase_since
        self.next_due: date | None = None


class FamilyCases(Sequence[Case]):
    """A member's families in order. All of them are sorted — by dates read in a few grouped
    queries — but only a slice is read as cases: building 300 case and household objects to
    show five cost more than the queries."""

    def __init__(self, keys: list[_FamilyKey]) -> None:
        self._keys = keys

    def __len__(self) -> int:
        return len(self._keys)

    @overload
    def __getitem__(self, index: int) -> Case: ...
    @overload
    def __getitem__(self, index: slice) -> list[Case]: ...
    def __getitem__(self, index: int | slice) -> Case | list[Case]:
        if isinstance(index, int):
            return self._cases([self._keys[index]])[0]
        return self._cases(self._keys[index])

    def __iter__(self) -> Iterator[Case]:
        return iter(self._cases(self._keys))

    @staticmethod
    def _cases(keys: list[_FamilyKey]) -> list[Case]:
        by_pk = Case.objects.select_related("household", "lead_agency", "lead_user").in_bulk(
            [key.pk for key in keys]
        )
        cases = []
        for key in keys:
            case = by_pk[key.pk]
            case.next_due = key.next_due  # type: ignore[attr-defined]
            if hasattr(key, "last_contact"):
                case.last_contact = key.last_contact  # type: ignore[attr-defined]
            cases.append(case)
        return cases


def family_cases(*, membership: Membership, filters: FamilyFilters) -> FamilyCases:
    """The member's families: the cases they lead or take part in (for a team lead's team
    view the team's cases and those nobody of the agency is assigned to), each with its next
    due item (and, sorted by it, last contact), filtered and sorted. A caseworker has some
    hundred cases at most: they are sorted at once, with a fixed number of queries."""
    if not membership.can(Capability.READ_CASE_CONTENT):
        return FamilyCases([])
    visible = access.cases_visible_to(membership)
    if filters.scope == "team" and membership.can(Capability.VIEW_TEAM_WORK):
        cases = visible.filter(pk__in=access.assigned_cases(membership).values("pk"))
    else:
        mine = access.active_assignments().filter(
            user_id=membership.user_id, agency_id=membership.agency_id
        )
        cases = visible.filter(pk__in=mine.values("case_id"))
    if filters.unassigned:
        cases = cases.exclude(
            Exists(
                access.active_assignments().filter(
                    case_id=OuterRef("pk"), agency_id=membership.agency_id
                )
            )
        )
    if filters.phase:
        cases = cases.filter(phase=filters.phase)
    else:
        cases = cases.exclude(phase=Phase.CLOSED)
    if filters.district:
        cases = cases.filter(household__district=filters.district)
    keys = [
        _FamilyKey(*row)
        for row in cases.values_list("pk", "household__public_id", "phase", "phase_since")
    ]
    rows = _with_dates(membership, keys, last_contact=filters.sort == FamilySort.LAST_CONTACT)
    if filters.overdue:
        today = timezone.localdate()
        rows = [c for c in rows if c.next_due is not None and c.next_due < today]
    return FamilyCases(sorted(rows, key=_sort_key(filters.sort)))


def _visible_person_ids(membership: Membership, person_ids: Any) -> set[int]:
    """Which of these persons the member may see: the policy asked about them alone (an IN
    over everyone the member may see would have the database list tens of thousands)."""
    return set(
        persons_visible_to(membership).filter(pk__in=list(person_ids)).values_list("pk", flat=True)
    )


def visible_members(
    membership: Membership, household_ids: list[int]
) -> dict[int, list[HouseholdMember]]:
    """The members of the households whom the member may see, by household: three small
    queries, and no row of a person the member may not see is read."""
    pairs = list(
        HouseholdMember.objects.filter(household_id__in=household_ids).values_list(
            "pk", "person_id"
        )
    )
    visible = _visible_person_ids(membership, {person for _pk, person in pairs})
    members = (
        HouseholdMember.objects.filter(pk__in=[pk for pk, person in pairs if person in visible])
        .select_related("person")
        .order_by("role", "person__birth_date", "pk")
    )
    by_household: dict[int, list[HouseholdMember]] = {pk: [] for pk in household_ids}
    for m in members:
        by_household[m.household_id].append(m)
    return by_household


def with_visible_members(membership: Membership, cases: list[Case]) -> list[Case]:
    """The page's cases with their lead agency and manager and the household members the
    member may see."""
    prefetch_related_objects(cases, "lead_agency", "lead_user")
    by_household = visible_members(membership, [c.household_id for c in cases])
    for case in cases:
        case.visible_members = by_household.get(case.household_id, [])  # type: ignore[attr-defined]
    return cases


def team_assignments(*, membership: Membership, cases: list[Case]) -> dict[int, list[Any]]:
    """Who of the team lead's agency works on each case of the page (one query)."""
    rows = (
        access.active_assignments()
        .filter(case_id__in=[c.pk for c in cases], agency_id=membership.agency_id)
        .select_related("user")
        .order_by("kind", "user__last_name")
    )
    result: dict[int, list[Any]] = {}
    for row in rows:
        result.setdefault(row.case_id, []).append(row)
    return result


# --- assessment, plan and timeline of a case ----------------------------------------------------


@dataclass(frozen=True)
class DomainCell:
    domain: str
    label: str
    assessment: Assessment | None


@dataclass(frozen=True)
class AssessmentRow:
    member: HouseholdMember
    cells: list[DomainCell]


def case_assessments(*, membership: Membership, case: Case) -> list[Assessment]:
    """Every assessment of the case the member may see, latest first. One query."""
    return list(
        _visible(membership, Assessment)
        .filter(case=case)
        .select_related("subject", "owner_agency", "author")
        .order_by("-assessed_on", "-pk")
    )


def case_assessment_grid(
    *, members: list[HouseholdMember], assessments: list[Assessment]
) -> tuple[list[AssessmentRow], list[Assessment]]:
    """Family × life domain: the latest of the visible ``assessments`` (latest first, from
    :func:`case_assessments`) in each cell, and the assessments shown (for the audit event)."""
    latest: dict[tuple[int, str], Assessment] = {}
    for assessment in assessments:
        latest.setdefault((assessment.subject_id, assessment.domain), assessment)
    rows = [
        AssessmentRow(
            member=member,
            cells=[
                DomainCell(value, str(label), latest.get((member.person_id, value)))
                for value, label in LifeDomain.choices
            ],
        )
        for member in members
    ]
    shown = [cell.assessment for row in rows for cell in row.cells if cell.assessment]
    return rows, shown


@dataclass(frozen=True)
class PlanMeasure:
    rows: list[Measure]
    #: The persons of the rows the member may see, in the household's order.
    persons: list[Any]

    @property
    def first(self) -> Measure:
        return self.rows[0]


@dataclass
class PlanGoal:
    rows: list[Goal]
    persons: list[Any]
    measures: list[PlanMeasure]
    #: "Why do I see this?" for a goal another agency recorded (set by the page)
    why: str = ""

    @property
    def first(self) -> Goal:
        return self.rows[0]


def _grouped(items: list[Any]) -> dict[Any, list[Any]]:
    groups: dict[Any, list[Any]] = {}
    for item in items:
        groups.setdefault(item.group, []).append(item)
    return groups


def case_plan(*, membership: Membership, case: Case) -> tuple[list[PlanGoal], list[Any]]:
    """The family integration plan as far as the member may see it: a goal for two persons
    appears with the persons whose rows are visible. Two queries."""
    goals = list(
        _visible(membership, Goal)
        .filter(case=case)
        .select_related("subject", "owner_agency", "responsible_agency")
        .order_by("target_date", "pk")
    )
    measures = list(
        _visible(membership, Measure)
        .filter(case=case)
        .select_related("subject", "owner_agency", "responsible_agency")
        .order_by("due_date", "pk")
    )
    measures_by_goal: dict[Any, list[PlanMeasure]] = {}
    for rows in _grouped(measures).values():
        measures_by_goal.setdefault(rows[0].goal_group, []).append(
            PlanMeasure(rows=rows, persons=[row.subject for row in rows])
        )
    plan = [
        PlanGoal(
            rows=rows,
            persons=[row.subject for row in rows],
            measures=measures_by_goal.get(rows[0].group, []),
        )
        for rows in _grouped(goals).values()
    ]
    return plan, [*goals, *measures]


@dataclass(frozen=True)
class TimelineItem:
    at: Any
    kind: str
    item: Any
    #: The persons of a household-wide entry the member may see
    persons: list[Any]
    #: For items other apps add (``register_timeline_source``): the template that shows the
    #: item, and what it shows of it (e.g. the referral's change of state)
    template: str = ""
    detail: Any = None


class TimelineSource(Protocol):
    """Another app's items on the case timeline (referrals live above cases): the newest
    ``limit`` items before ``before`` that the member may see, and the compartmented rows
    they show (for the audit event)."""

    def __call__(
        self, *, membership: Membership, case: Case, limit: int, before: Any
    ) -> tuple[list[TimelineItem], list[Any]]: ...


_TIMELINE_SOURCES: list[TimelineSource] = []


def register_timeline_source(source: TimelineSource) -> None:
    if source not in _TIMELINE_SOURCES:
        _TIMELINE_SOURCES.append(source)


def _shown_key(item: Any) -> tuple[type, Any]:
    return (type(item), getattr(item, "group", item.pk))


TIMELINE_PAGE = 50


def _kind_items(kind: str, rows: list[Any], when: str) -> list[TimelineItem]:
    return [
        TimelineItem(
            getattr(group_rows[0], when), kind, group_rows[0], [r.subject for r in group_rows]
        )
        for group_rows in _grouped(rows).values()
    ]


def case_timeline(
    *,
    membership: Membership,
    case: Case,
    limit: int = TIMELINE_PAGE,
    before: Any = None,
    loaded: dict[str, list[Any]] | None = None,
) -> tuple[list[TimelineItem], list[Any]]:
    """Journal entries, assessments, goals, measures and phase changes of the case, newest
    first, each kind filtered by the policy.

    ``loaded``: kinds ("assessment", "goal", "measure"; "phase" and "conference" for all of
    the case's changes and conferences) whose visible rows of the case the caller has read
    already (the case page shows them in the grid, the plan and its history) — they are
    taken from there instead of being read again. Otherwise two indexed queries per kind,
    whatever the number of items."""
    loaded = loaded or {}
    shown: list[Any] = []
    merged: list[TimelineItem] = []
    for kind, model, when, related in (
        ("entry", JournalEntry, "occurred_at", ("subject", "owner_agency")),
        ("assessment", Assessment, "created_at", ("subject", "owner_agency")),
        ("goal", Goal, "created_at", ("subject", "owner_agency")),
        ("measure", Measure, "created_at", ("subject", "owner_agency")),
    ):
        if kind in loaded:
            rows = [r for r in loaded[kind] if before is None or getattr(r, when) < before]
            items = sorted(_kind_items(kind, rows, when), key=lambda t: t.at, reverse=True)
            items = items[:limit]
            kept = {t.item.group for t in items}
            rows = [r for r in rows if r.group in kept]
        else:
            queryset = _visible(membership, model).filter(case=case).select_related(*related)
            if before is not None:
                queryset = queryset.filter(**{f"{when}__lt": before})
            # The newest ``limit`` items, then all their rows (an item for several persons
            # has a row per person).
            newest = (
                queryset.order_by()
                .values("group")
                .annotate(at=Max(when))
                .order_by("-at")
                .values_list("group", flat=True)[:limit]
            )
            rows = list(queryset.filter(group__in=list(newest)).order_by(f"-{when}", "-pk"))
            items = _kind_items(kind, rows, when)
        merged.extend(items)
        shown.extend(rows)
    changes: Sequence[CasePhaseChange] = (
        loaded["phase"] if "phase" in loaded else case_phase_history(case)
    )
    conferences: Sequence[CaseConference] = (
        loaded["conference"]
        if "conference" in loaded
        else list(CaseConference.objects.filter(case=case).order_by("-scheduled_at"))
    )
    if before is not None:
        changes = [c for c in changes if c.changed_at < before]
        conferences = [c for c in conferences if c.scheduled_at < before]
    merged.extend(TimelineItem(c.changed_at, "phase", c, []) for c in changes[:limit])
    merged.extend(TimelineItem(c.scheduled_at, "conference", c, []) for c in conferences[:limit])
    for source in _TIMELINE_SOURCES:
        items, rows = source(membership=membership, case=case, limit=limit, before=before)
        merged.extend(items)
        shown.extend(rows)
    merged.sort(key=lambda t: (t.at, t.kind), reverse=True)
    page = merged[:limit]
    on_page = {_shown_key(t.item) for t in page if t.kind not in ("phase", "conference")}
    return page, list(
        {policy.item_key(item): item for item in shown if _shown_key(item) in on_page}.values()
    )


# --- conferences ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Grouped:
    """The visible rows of one item for several persons."""

    rows: list[Any]
    persons: list[Any]

    @property
    def first(self) -> Any:
        return self.rows[0]


def conference_content(
    *, membership: Membership, conference: CaseConference
) -> tuple[list[Grouped], list[Grouped]]:
    """Minutes and decisions of the conference the member may see, per item. Two queries."""
    minutes = list(
        _visible(membership, ConferenceMinute)
        .filter(conference=conference)
        .select_related("subject", "owner_agency")
        .order_by("topic", "pk")
    )
    decisions = list(
        _visible(membership, ConferenceDecision)
        .filter(conference=conference)
        .select_related("subject", "responsible_agency", "responsible_user")
        .order_by("due_date", "pk")
    )
    return (
        [Grouped(rows, [r.subject for r in rows]) for rows in _grouped(minutes).values()],
        [Grouped(rows, [r.subject for r in rows]) for rows in _grouped(decisions).values()],
    )


def conference_decision_get(
    *, membership: Membership, conference: CaseConference, group: uuid.UUID
) -> ConferenceDecision:
    """A decision of the conference by its group, if the member sees a row of it: 404 for
    missing and forbidden alike."""
    decision: ConferenceDecision | None = (
        _visible(membership, ConferenceDecision)
        .filter(conference=conference, group=group)
        .order_by("pk")
        .first()
    )
    if decision is None:
        raise Http404
    return decision


def conference_family(*, membership: Membership, conference: CaseConference) -> list[Any]:
    """The family members attending whom the member may see."""
    attending = ConferenceAttendee.objects.filter(conference=conference)
    visible = _visible_person_ids(membership, attending.values_list("person_id", flat=True))
    return [a.person for a in attending.filter(person_id__in=visible).select_related("person")]


def case_conferences(case: Case) -> list[CaseConference]:
    return list(
        CaseConference.objects.filter(case=case)
        .prefetch_related("agencies")
        .order_by("-scheduled_at")
    )
