"""A change of benefit law (Rechtskreiswechsel) is handed over per household: one task for a
family whose law changes together, keyed by household and date, idempotent — and nothing of it
reaches an agency without a basis, not even who else lives in the household."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from lotse.accounts.models import User
from lotse.accounts.tests.factories import acting
from lotse.cases.services import case_open
from lotse.consent.categories import DataCategory
from lotse.consent.tests.factories import record_directly
from lotse.people.models import Household, Person
from lotse.people.tests.factories import DomainTransitionFactory, PersonFactory
from lotse.scheduling import selectors, services
from lotse.scheduling.models import DeadlineKind, Task

from .families import register_family

pytestmark = pytest.mark.django_db

#: The pages read the real date: the deadlines are set from it.
TODAY = timezone.localdate()
CHANGE = TODAY + timedelta(days=20)


def _transition(person: Person, user: User, on: date = CHANGE) -> Any:
    return DomainTransitionFactory.create(
        residence_status__person=person,
        residence_status__owner_agency=acting(user).agency,
        residence_status__valid_from=on,
    )


def _handover_tasks() -> Any:
    return Task.objects.filter(rule__kind=DeadlineKind.DOMAIN_TRANSITION)


@pytest.fixture
def four(anna: User) -> tuple[Household, list[Person], Any]:
    household, members = register_family(anna, "Haddad", "Samira", "Karim", "Yusuf", "Lina")
    case = case_open(household=household, membership=acting(anna), actor=anna)
    for person in members:
        _transition(person, anna)
    return household, members, case


def test_a_family_of_four_gets_one_handover_task_and_a_second_run_none(
    anna: User, four: Any
) -> None:
    household, members, case = four
    dry = services.run_deadlines(today=TODAY, dry_run=True)
    assert [d.kind for d in dry.would_create].count(DeadlineKind.DOMAIN_TRANSITION) == 1
    assert not Task.objects.exists()

    first = services.run_deadlines(today=TODAY)
    assert first.created[DeadlineKind.DOMAIN_TRANSITION] == 1
    (task,) = _handover_tasks()
    assert task.source_key == f"transition-household:{household.pk}:{CHANGE:%Y-%m-%d}"
    assert task.link == reverse(
        "people:household_detail", kwargs={"public_id": household.public_id}
    )
    assert task.subject_id == members[0].pk  # a member whose change the agency recorded
    assert task.owner_agency_id == acting(anna).agency_id
    assert task.case_id == case.pk
    assert task.due_on == CHANGE

    again = services.run_deadlines(today=TODAY)
    assert again.created[DeadlineKind.DOMAIN_TRANSITION] == 0
    assert _handover_tasks().count() == 1
    later = services.run_deadlines(today=TODAY, dry_run=True)
    assert all(d.kind != DeadlineKind.DOMAIN_TRANSITION for d in later.would_create)
    # The member's own list shows the hand-over once, too.
    rows = selectors.deadline_list(membership=acting(anna), within_days=30, today=TODAY)
    assert [r.deadline.kind for r in rows].count(DeadlineKind.DOMAIN_TRANSITION) == 1


def test_the_command_prints_one_handover_for_theregister_family(
    anna: User, four: Any, capsys: Any
) -> None:
    household, _members, _case = four
    call_command("run_deadlines", "--dry-run", "--today", TODAY.isoformat())
    out = capsys.readouterr().out
    assert out.count("domain_transition") == 1
    assert f"transition-household:{household.pk}:" in out
    assert not Task.objects.exists()


def test_members_of_two_households_get_two_tasks(anna: User) -> None:
    first, (samira, karim) = register_family(anna, "Haddad", "Samira", "Karim")
    second, (olena, taras) = register_family(anna, "Kovalenko", "Olena", "Taras")
    for person in (samira, karim, olena, taras):
        _transition(person, anna)
    result = services.run_deadlines(today=TODAY)
    assert result.created[DeadlineKind.DOMAIN_TRANSITION] == 2
    keys = set(_handover_tasks().values_list("source_key", flat=True))
    assert keys == {
        f"transition-household:{first.pk}:{CHANGE:%Y-%m-%d}",
        f"transition-household:{second.pk}:{CHANGE:%Y-%m-%d}",
    }
    assert set(_handover_tasks().values_list("subject_id", flat=True)) == {samira.pk, olena.pk}


def test_another_date_in_the_household_is_a_handover_of_its_own(anna: User) -> None:
    _hh, (samira, karim) = register_family(anna, "Haddad", "Samira", "Karim")
    _transition(samira, anna)
    _transition(karim, anna, CHANGE + timedelta(days=5))
    assert services.run_deadlines(today=TODAY).created[DeadlineKind.DOMAIN_TRANSITION] == 2


def test_a_person_in_no_household_keeps_a_task_of_their_own(anna: User) -> None:
    person = PersonFactory.create(owner_agency=acting(anna).agency)
    transition = _transition(person, anna)
    assert services.run_deadlines(today=TODAY).created[DeadlineKind.DOMAIN_TRANSITION] == 1
    (task,) = _handover_tasks()
    assert task.source_key == f"transition:{transition.pk}:{CHANGE:%Y-%m-%d}"
    assert task.subject_id == person.pk
    assert task.link == reverse("people:person_detail", kwargs={"public_id": person.public_id})
    assert services.run_deadlines(today=TODAY).created[DeadlineKind.DOMAIN_TRANSITION] == 0


def test_each_agency_hands_over_what_it_recorded(anna: User, dora: User) -> None:
    """Two agencies recorded changes in one household: each its own task, each naming a
    member whose change it recorded itself."""
    _hh, (samira, karim) = register_family(anna, "Haddad", "Samira", "Karim")
    _transition(samira, anna)
    _transition(karim, dora)
    services.run_deadlines(today=TODAY)
    owners = dict(_handover_tasks().values_list("owner_agency_id", "subject_id"))
    assert owners == {acting(anna).agency_id: samira.pk, acting(dora).agency_id: karim.pk}


def test_an_agency_without_a_basis_gets_nothing_and_learns_no_member(
    anna: User, ben: User, four: Any, client_for: Any
) -> None:
    household, members, _case = four
    services.run_deadlines(today=TODAY)
    (task,) = _handover_tasks()
    assert not Task.objects.filter(owner_agency_id=acting(ben).agency_id).exists()
    assert selectors.deadline_list(membership=acting(ben), within_days=90, mine=False) == []
    client = client_for(ben)
    assert client.get(reverse("scheduling:task", kwargs={"pk": task.pk})).status_code == 404
    assert client.get(task.link).status_code == 404  # the household page
    for url in (reverse("scheduling:tasks"), reverse("scheduling:deadlines") + "?all=1"):
        page = client.get(url).content.decode()
        for person in members:
            assert person.given_names not in page
        assert household.public_id not in page


def test_a_basis_for_one_member_shows_that_member_only(
    anna: User, ben: User, four: Any, client_for: Any
) -> None:
    """The Jugendamt may see the youngest child's residence data only: it sees the hand-over
    named by that child — not by the mother who names KIM's task — and no one else."""
    _hh, members, _case = four
    child = members[-1]
    record_directly(
        subject=child,
        recorded_by=anna,
        recording_agency=acting(anna).agency,
        disclosing=[acting(anna).agency],
        recipients=[acting(ben).agency],
        categories=[DataCategory.IDENTITY, DataCategory.RESIDENCE],
    )
    rows = selectors.deadline_list(membership=acting(ben), within_days=30, mine=False, today=TODAY)
    assert [(r.deadline.kind, r.person.pk) for r in rows] == [
        (DeadlineKind.DOMAIN_TRANSITION, child.pk)
    ]
    page = client_for(ben).get(reverse("scheduling:deadlines") + "?all=1").content.decode()
    assert child.given_names in page
    for person in members[:-1]:
        assert person.given_names not in page
    # KIM's task stays KIM's: a consent releases data, not a to-do list.
    services.run_deadlines(today=TODAY)
    assert not selectors.task_list(membership=acting(ben)).exists()


def test_per_person_tasks_from_before_the_update_keep_the_run_from_adding_one(
    anna: User, four: Any
) -> None:
    """Migration scheduling/0006: one of the household's per-person hand-over tasks takes the
    household's key (an open one before a done one); the run then makes no task more."""
    import importlib

    from django.apps import apps

    from lotse.scheduling.models import TaskStatus

    household, members, _case = four
    services.run_deadlines(today=TODAY)
    (made,) = _handover_tasks()
    # as the run made them before: one task per member's transition
    made.delete()
    rule = made.rule
    transitions = {t.person_id: t for t in _transitions_of(members)}
    before = [
        Task.objects.create(
            subject=person,
            owner_agency=acting(anna).agency,
            category=made.category,
            due_on=CHANGE,
            rule=rule,
            source_key=f"transition:{transitions[person.pk].pk}:{CHANGE:%Y-%m-%d}",
            status=TaskStatus.DONE if n == 0 else TaskStatus.OPEN,
        )
        for n, person in enumerate(members)
    ]

    migration = importlib.import_module("lotse.scheduling.migrations.0006_household_handover_keys")
    migration.household_keys(apps, None)

    household_key = f"transition-household:{household.pk}:{CHANGE:%Y-%m-%d}"
    keyed = Task.objects.get(source_key=household_key)
    assert keyed.pk == before[1].pk  # the first open one, not the done one
    assert Task.objects.filter(source_key__startswith="transition:").count() == 3
    assert services.run_deadlines(today=TODAY).created[DeadlineKind.DOMAIN_TRANSITION] == 0
    assert _handover_tasks().count() == 4


def _transitions_of(members: list[Person]) -> Any:
    from lotse.people.models import DomainTransition

    return DomainTransition.objects.filter(person__in=members)
