"""Deadlines that watch themselves: which records carry a date nobody may miss.

Each kind of deadline has a *source*: a function that reads, set-based and through a scope,
the records whose deadline falls in a window. The same source serves two readers:

- ``run_deadlines`` (system scope): a task for the agency that recorded the source, once per
  deadline (``Task.source_key``), when the rule's first warning step is reached;
- the start page and ``/api/v1/deadlines`` (member scope): the deadlines of the member's
  families that the member may see, each with its legal reason — read live, so that a new
  residence status shows at once.

What a rule warns about and why is data (``DeadlineRule``); which records carry a date is
code, here — and in apps above this one, which register their own sources (referrals).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db.models import Exists, Model, OuterRef, Q, QuerySet, Subquery
from django.urls import reverse

from lotse.accounts.models import Membership
from lotse.cases.access import assigned_persons
from lotse.cases.models import ConferenceDecision, Goal, JournalEntry
from lotse.consent import policy
from lotse.consent.display import renewal_query
from lotse.consent.models import ConsentDeclaration
from lotse.core.dates import years_after, years_before
from lotse.core.queries import id_set
from lotse.people.choices import BirthDatePrecision, LanguageLevel, ResidenceKind
from lotse.people.models import (
    DomainTransition,
    HouseholdMember,
    Person,
    PersonLanguage,
    ResidenceStatus,
)

from .models import DeadlineKind


@dataclass(frozen=True)
class Link:
    """Where a deadline is dealt with, reversed only when shown: a start page reads some
    hundred deadlines to count them and shows five (``str(link)`` is the URL)."""

    route: str
    kwargs: tuple[tuple[str, Any], ...]
    query: str = ""

    @classmethod
    def to(cls, route: str, *, query: str = "", **kwargs: Any) -> Link:
        return cls(route, tuple(kwargs.items()), query)

    def __str__(self) -> str:
        url = reverse(self.route, kwargs=dict(self.kwargs))
        return f"{url}?{self.query}" if self.query else url


@dataclass(frozen=True)
class Deadline:
    kind: str
    due_on: date
    subject_id: int
    owner_agency_id: int
    #: Names the record and the date: "residence:12:2027-03-01".
    source_key: str
    link: Link
    case_id: int | None = None
    #: The source item as the policy sees it, when the scope decides afterwards.
    item: Model | None = field(default=None, compare=False, repr=False)
    #: Deadlines of one group are one (a talk with the household: one entry per member).
    group: Any = field(default=None, compare=False, repr=False)
    #: Who the task goes to, when the source names them (a conference decision's person).
    assignee_id: int | None = None

    def days_left(self, today: date) -> int:
        return (self.due_on - today).days


class Scope:
    """Which records a source may read: all of them (the scheduled run) or a member's.

    For a member, every record passes the access core and, with ``subjects``, belongs to a
    person of the member's own families (their assigned cases).
    """

    def __init__(self, membership: Membership | None = None, *, mine: bool = True) -> None:
        self.membership = membership
        self.subjects: list[int] | None = None
        if membership is not None and mine:
            # Read once and passed as a list: every source then starts from the subject index
            # instead of repeating the assignment subqueries (a caseworker has a few hundred).
            self.subjects = sorted(
                set(assigned_persons(membership).values_list("person_id", flat=True))
            )

    @property
    def is_system(self) -> bool:
        return self.membership is None

    @property
    def checks_items(self) -> bool:
        """A member's own families: the few candidate rows are read without the access
        filter and decided afterwards, all kinds at once (``policy.explain_many``) — building
        the filter for each of nine sources cost more than the queries."""
        return self.membership is not None and self.subjects is not None

    def rows(
        self, queryset: QuerySet[Any], subject: str, *fields: str
    ) -> Iterator[tuple[dict[str, Any], Model | None]]:
        """The ``fields`` of the compartmented items in ``queryset`` the scope may read, each
        with the unsaved item the policy decides on when :attr:`checks_items` (else None)."""
        model = queryset.model
        if self.membership is not None and not self.checks_items:
            queryset = queryset.filter(policy.visible_q(self.membership, model))
        queryset = self._mine(queryset, subject)
        extra = _compartment_fields(model) if self.checks_items else []
        for row in self.fetch(queryset.values(*dict.fromkeys([*fields, *extra]))):
            item = None
            if self.checks_items:
                item = model(pk=row["pk"], **{name: row[name] for name in extra if name != "pk"})
            yield row, item

    def fetch(self, rows: QuerySet[Any]) -> Iterable[dict[str, Any]]:
        """The system run streams (memory stays flat over the city); a member's few rows come
        in one round trip, without a server-side cursor."""
        return rows.iterator(chunk_size=2000) if self.is_system else list(rows)

    def own_work(self, queryset: QuerySet[Any], agency: str) -> QuerySet[Any]:
        """A deadline that is one agency's work — a follow-up it agreed, its goal, a referral
        it sent, a decision it must carry out — is listed to that agency's members only (what
        another agency may read of it is no deadline of theirs)."""
        if self.membership is None:
            return queryset
        return queryset.filter(**{agency: self.membership.agency_id})

    def consents(self, queryset: QuerySet[ConsentDeclaration]) -> QuerySet[ConsentDeclaration]:
        """A consent's deadline is its recorder's to watch (it renews it with the family)."""
        if self.membership is not None:
            queryset = queryset.filter(recording_agency_id=self.membership.agency_id)
        return self._mine(queryset, "subject_id")

    def _mine(self, queryset: QuerySet[Any], subject: str) -> QuerySet[Any]:
        if self.subjects is None:
            return queryset
        return queryset.filter(**{f"{subject}__in": id_set(self.subjects)})


def _compartment_fields(model: type[Model]) -> list[str]:
    """The columns ``policy.explain_many`` reads of an item."""
    compartment = policy.compartment_of(model)
    fields = ["pk", "owner_agency_id"]
    if compartment.subject != "pk":
        fields.append(compartment.subject)
    if compartment.category is None:
        fields.append("category")
    if compartment.entrusted:
        fields.append("entrusted")
    if compartment.author is not None:
        fields.append(compartment.author)
    return fields


def one_per_group(deadlines: Iterable[Deadline]) -> Iterator[Deadline]:
    seen: set[tuple[str, Any]] = set()
    for deadline in deadlines:
        if deadline.group is not None:
            if (deadline.kind, deadline.group) in seen:
                continue
            seen.add((deadline.kind, deadline.group))
        yield deadline


def decided(membership: Membership, deadlines: list[Deadline]) -> list[Deadline]:
    """The deadlines whose item the member may see (those read without an item pass)."""
    items = [d.item for d in deadlines if d.item is not None]
    if not items:
        return deadlines
    decisions = policy.explain_many(membership, items)
    return [d for d in deadlines if d.item is None or decisions.of(d.item).allowed]


Source = Callable[[Scope, date, date], Iterable[Deadline]]

_SOURCES: dict[str, Source] = {}


def register_deadline_source(kind: str, source: Source) -> None:
    _SOURCES[kind] = source


def source_of(kind: str) -> Source | None:
    return _SOURCES.get(kind)


def _person_link(public_id: str) -> Link:
    return Link.to("people:person_detail", public_id=public_id)


#: Statuses that run out and must be extended; a settlement permit or citizenship does not.
EXPIRING_KINDS = (
    ResidenceKind.ASYLUM_PERMISSION,
    ResidenceKind.TOLERATION,
    ResidenceKind.RESIDENCE_PERMIT,
    ResidenceKind.PROVISIONAL,
)


def _current_statuses() -> QuerySet[ResidenceStatus]:
    """Each person's latest residence status: a newer one replaces the expiring one."""
    newer = ResidenceStatus.objects.filter(
        person_id=OuterRef("person_id"), valid_from__gt=OuterRef("valid_from")
    )
    return ResidenceStatus.objects.filter(~Exists(newer))


def residence_expiry(scope: Scope, start: date, end: date) -> Iterator[Deadline]:
    statuses = _current_statuses().filter(
        kind__in=EXPIRING_KINDS, valid_until__gte=start, valid_until__lte=end
    )
    for row, item in scope.rows(
        statuses,
        "person_id",
        "pk",
        "person_id",
        "owner_agency_id",
        "valid_until",
        "person__public_id",
    ):
        yield Deadline(
            item=item,
            kind=DeadlineKind.RESIDENCE_EXPIRY,
            due_on=row["valid_until"],
            subject_id=row["person_id"],
            owner_agency_id=row["owner_agency_id"],
            source_key=f"residence:{row['pk']}:{row['valid_until']:%Y-%m-%d}",
            link=_person_link(row["person__public_id"]),
        )


def integration_course(scope: Scope, start: date, end: date) -> Iterator[Deadline]:
    """A year after a residence permit was issued the right to the course ends (§ 44 AufenthG)
    — for persons not known to speak German at B1 or better."""
    fluent = PersonLanguage.objects.filter(
        person_id=OuterRef("person_id"),
        language__in=("de", "deu"),
        level__in=(
            LanguageLevel.NATIVE,
            LanguageLevel.C2,
            LanguageLevel.C1,
            LanguageLevel.B2,
            LanguageLevel.B1,
        ),
    )
    statuses = _current_statuses().filter(
        ~Exists(fluent),
        kind=ResidenceKind.RESIDENCE_PERMIT,
        valid_from__gte=years_before(start, 1),
        valid_from__lte=years_before(end, 1),
    )
    for row, item in scope.rows(
        statuses,
        "person_id",
        "pk",
        "person_id",
        "owner_agency_id",
        "valid_from",
        "person__public_id",
    ):
        due = years_after(row["valid_from"], 1)
        yield Deadline(
            item=item,
            kind=DeadlineKind.INTEGRATION_COURSE,
            due_on=due,
            subject_id=row["person_id"],
            owner_agency_id=row["owner_agency_id"],
            source_key=f"course:{row['pk']}:{due:%Y-%m-%d}",
            link=_person_link(row["person__public_id"]),
        )


def consent_expiry(scope: Scope, start: date, end: date) -> Iterator[Deadline]:
    """A given consent running out, unless a newer one of the same person and agency follows."""
    renewed = ConsentDeclaration.objects.filter(
        subject_id=OuterRef("subject_id"),
        recording_agency_id=OuterRef("recording_agency_id"),
        status=ConsentDeclaration.Status.GIVEN,
        valid_until__gt=OuterRef("valid_until"),
    )
    consents = ConsentDeclaration.objects.filter(
        ~Exists(renewed),
        status=ConsentDeclaration.Status.GIVEN,
        valid_until__gte=start,
        valid_until__lte=end,
    )
    rows = scope.consents(consents).values(
        "pk", "subject_id", "subject__public_id", "recording_agency_id", "valid_until"
    )
    for row in scope.fetch(rows):
        yield Deadline(
            kind=DeadlineKind.CONSENT_EXPIRY,
            due_on=row["valid_until"],
            subject_id=row["subject_id"],
            owner_agency_id=row["recording_agency_id"],
            source_key=f"consent:{row['pk']}:{row['valid_until']:%Y-%m-%d}",
            # One click from the task to the renewal, filled in like the consent that ends.
            link=Link.to(
                "consent:record",
                public_id=row["subject__public_id"],
                query=renewal_query(consent_id=row["pk"]),
            ),
        )


def _children(
    scope: Scope, *ranges: tuple[date, date]
) -> Iterator[tuple[dict[str, Any], Model | None]]:
    """Persons born exactly known within one of the ``ranges`` (one query for them all)."""
    born = Q()
    for born_from, born_until in ranges:
        born |= Q(
            # the year first: it is indexed, the date is not
            birth_year__gte=born_from.year,
            birth_year__lte=born_until.year,
            birth_date__gte=born_from,
            birth_date__lte=born_until,
        )
    persons = Person.objects.filter(born, birth_date_precision=BirthDatePrecision.EXACT)
    return scope.rows(persons, "pk", "pk", "owner_agency_id", "birth_date", "public_id")


#: A child's right to a place in day care begins at one and at three (§ 24 SGB VIII).
KITA_BIRTHDAYS = (1, 3)


def kita_age(scope: Scope, start: date, end: date) -> Iterator[Deadline]:
    ranges = {
        years: (years_before(start, years), years_before(end, years)) for years in KITA_BIRTHDAYS
    }
    for row, item in _children(scope, *ranges.values()):
        for years, (born_from, born_until) in ranges.items():
            if not born_from <= row["birth_date"] <= born_until:
                continue
            due = _birthday(row["birth_date"], years)
            yield Deadline(
                item=item,
                kind=DeadlineKind.KITA_AGE,
                due_on=due,
                subject_id=row["pk"],
                owner_agency_id=row["owner_agency_id"],
                source_key=f"kita{years}:{row['pk']}:{due:%Y-%m-%d}",
                link=_person_link(row["public_id"]),
            )


def _birthday(born: date, years: int) -> date:
    try:
        return born.replace(year=born.year + years)
    except ValueError:  # born on 29 February: the right begins on 1 March
        return date(born.year + years, 3, 1)


def school_start(born: date) -> date:
    """NRW: a child who turns six by 30 September starts school on 1 August of that year
    (§ 35 Abs. 1 SchulG NRW); one born later, a year after."""
    sixth = born.year + 6
    if (born.month, born.day) <= (9, 30):
        return date(sixth, 8, 1)
    return date(sixth + 1, 8, 1)


def school_entry(scope: Scope, start: date, end: date) -> Iterator[Deadline]:
    for year in range(start.year, end.year + 1):
        first_day = date(year, 8, 1)
        if not start <= first_day <= end:
            continue
        # Born 1 October seven years before up to 30 September six years before.
        for row, item in _children(scope, (date(year - 7, 10, 1), date(year - 6, 9, 30))):
            yield Deadline(
                item=item,
                kind=DeadlineKind.SCHOOL_ENTRY,
                due_on=first_day,
                subject_id=row["pk"],
                owner_agency_id=row["owner_agency_id"],
                source_key=f"school:{row['pk']}:{first_day:%Y-%m-%d}",
                link=_person_link(row["public_id"]),
            )


def _household_link(public_id: str) -> Link:
    return Link.to("people:household_detail", public_id=public_id)


def domain_transition(scope: Scope, start: date, end: date) -> Iterator[Deadline]:
    """A change of benefit law not yet handed over; still shown after its date.

    A family whose benefit law changes together is handed over together: the open
    transitions one agency recorded for members of one household at one date are one
    deadline (``group``), keyed by the household and the date and linked to the household
    page. Its subject is one of those members — a person whose transition the agency itself
    recorded, as before; the other members are named nowhere in it, so the deadline shows no
    one the reader could not see anyway. A person in no household keeps a deadline of their
    own.
    """
    # The household the person lives in (the oldest membership, should there be two).
    household = HouseholdMember.objects.filter(person_id=OuterRef("person_id")).order_by("pk")
    transitions = (
        DomainTransition.objects.filter(state=DomainTransition.State.OPEN, effective_from__lte=end)
        .annotate(
            household_id=Subquery(household.values("household_id")[:1]),
            household_public_id=Subquery(household.values("household__public_id")[:1]),
        )
        # the group's first row names it: the same member on every run
        .order_by("effective_from", "person_id", "pk")
    )
    for row, item in scope.rows(
        transitions,
        "person_id",
        "pk",
        "person_id",
        "owner_agency_id",
        "effective_from",
        "person__public_id",
        "household_id",
        "household_public_id",
    ):
        on = row["effective_from"]
        if row["household_id"] is None:
            key = f"transition:{row['pk']}:{on:%Y-%m-%d}"
            link = _person_link(row["person__public_id"])
            group = None
        else:
            key = f"transition-household:{row['household_id']}:{on:%Y-%m-%d}"
            link = _household_link(row["household_public_id"])
            group = (row["owner_agency_id"], row["household_id"], on)
        yield Deadline(
            item=item,
            kind=DeadlineKind.DOMAIN_TRANSITION,
            due_on=on,
            subject_id=row["person_id"],
            owner_agency_id=row["owner_agency_id"],
            source_key=key,
            link=link,
            group=group,
        )


def goal_target(scope: Scope, start: date, end: date) -> Iterator[Deadline]:
    goals = Goal.objects.filter(
        attainment__isnull=True, target_date__gte=start, target_date__lte=end
    )
    goals = scope.own_work(goals, "owner_agency_id")
    for row, item in scope.rows(
        goals,
        "subject_id",
        "pk",
        "subject_id",
        "owner_agency_id",
        "target_date",
        "case_id",
    ):
        yield Deadline(
            item=item,
            kind=DeadlineKind.GOAL_TARGET,
            due_on=row["target_date"],
            subject_id=row["subject_id"],
            owner_agency_id=row["owner_agency_id"],
            source_key=f"goal:{row['pk']}:{row['target_date']:%Y-%m-%d}",
            link=Link.to("case:detail", pk=row["case_id"]),
            case_id=row["case_id"],
        )


def follow_up(scope: Scope, start: date, end: date) -> Iterator[Deadline]:
    """A follow-up agreed in a talk; a talk with the whole household (one entry per member,
    one group) is one follow-up."""
    entries = scope.own_work(
        JournalEntry.objects.filter(follow_up_on__gte=start, follow_up_on__lte=end),
        "owner_agency_id",
    )
    for row, item in scope.rows(
        entries,
        "subject_id",
        "pk",
        "subject_id",
        "owner_agency_id",
        "follow_up_on",
        "case_id",
        "group",
    ):
        yield Deadline(
            item=item,
            kind=DeadlineKind.FOLLOW_UP,
            due_on=row["follow_up_on"],
            subject_id=row["subject_id"],
            owner_agency_id=row["owner_agency_id"],
            source_key=f"entry:{row['pk']}:{row['follow_up_on']:%Y-%m-%d}",
            link=Link.to("cases:entry_detail", pk=row["pk"]),
            case_id=row["case_id"],
            group=row["group"],
        )


def conference_decision(scope: Scope, start: date, end: date) -> Iterator[Deadline]:
    """An open decision of a case conference: a task for the agency that must carry it out
    (not the one that wrote the minutes); a member sees those of their own agency."""
    decisions = ConferenceDecision.objects.filter(
        status=ConferenceDecision.Status.OPEN, due_date__gte=start, due_date__lte=end
    )
    decisions = scope.own_work(decisions, "responsible_agency_id")
    for row, item in scope.rows(
        decisions,
        "subject_id",
        "pk",
        "subject_id",
        "responsible_agency_id",
        "responsible_user_id",
        "due_date",
        "conference_id",
        "case_id",
    ):
        yield Deadline(
            kind=DeadlineKind.CONFERENCE_DECISION,
            due_on=row["due_date"],
            subject_id=row["subject_id"],
            owner_agency_id=row["responsible_agency_id"],
            source_key=f"decision:{row['pk']}:{row['due_date']:%Y-%m-%d}",
            link=Link.to("case:conference", pk=row["conference_id"]),
            case_id=row["case_id"],
            item=item,
            assignee_id=row["responsible_user_id"],
        )


for _kind, _source in (
    (DeadlineKind.RESIDENCE_EXPIRY, residence_expiry),
    (DeadlineKind.INTEGRATION_COURSE, integration_course),
    (DeadlineKind.CONSENT_EXPIRY, consent_expiry),
    (DeadlineKind.KITA_AGE, kita_age),
    (DeadlineKind.SCHOOL_ENTRY, school_entry),
    (DeadlineKind.DOMAIN_TRANSITION, domain_transition),
    (DeadlineKind.GOAL_TARGET, goal_target),
    (DeadlineKind.FOLLOW_UP, follow_up),
    (DeadlineKind.CONFERENCE_DECISION, conference_decision),
):
    register_deadline_source(_kind, _source)


#: Deadlines already passed stay on the list this long (an open hand-over, a missed answer).
OVERDUE_DAYS = 14
