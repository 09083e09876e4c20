from __future__ import annotations

import random
import re
from datetime import date

import pytest
from django.core.management import call_command
from django.db import transaction

from lotse.accounts.models import Agency
from lotse.audit.models import AuditAction, AuditEvent
from lotse.demo import bench_people
from lotse.demo.bench import BenchRow
from lotse.demo.city import AGENCIES
from lotse.demo.families import generate_families, load_families, respell
from lotse.demo.services import demo_city_seed
from lotse.people.choices import BenefitRegime, BirthDatePrecision, HouseholdRole
from lotse.people.models import (
    DomainTransition,
    Household,
    HouseholdMember,
    Person,
    PersonLanguage,
    PersonNameKey,
    ResidenceStatus,
)
from lotse.people.search import index_person_names, name_key_values

pytestmark = pytest.mark.django_db

TODAY = date(2025, 6, 2)
ARABIC_SCRIPT = re.compile(r"[\u0600-\u06FF]")


def _city(families: int, seed: int = 7) -> None:
    demo_city_seed(families=0, seed=seed)
    load_families(families=families, seed=seed, today=TODAY)


def _born(person: Person) -> date:
    assert person.birth_date is not None
    return person.birth_date


def _snapshot() -> list[tuple[str, str, str, list[str], str, date | None]]:
    return list(
        Person.objects.order_by("pk").values_list(
            "public_id", "given_names", "family_name", "aliases", "native_name", "birth_date"
        )
    )


def test_the_generator_is_pure_and_deterministic():
    first = [
        (m.public_id, m.full_name, m.birth_date)
        for f in generate_families(30, seed=11, today=TODAY)
        for m in f.members
    ]
    second = [
        (m.public_id, m.full_name, m.birth_date)
        for f in generate_families(30, seed=11, today=TODAY)
        for m in f.members
    ]
    other = [m.full_name for f in generate_families(30, seed=12, today=TODAY) for m in f.members]
    assert first == second
    assert [name for _, name, _ in first] != other


def test_same_seed_gives_the_same_city_on_two_fresh_databases():
    snapshots = []
    for _ in range(2):
        with transaction.atomic():
            _city(20)
            snapshots.append(_snapshot())
            transaction.set_rollback(True)  # the next run starts on an empty database again
        assert not Person.objects.exists()
    assert snapshots[0] == snapshots[1]
    assert len(snapshots[0]) >= 20


def test_seed_demo_twice_does_not_duplicate_families():
    call_command("seed_demo", "--families", "20", "--seed", "5")
    # The demo city's families, without the statistical caseload (lotse.demo.steering).
    city = {"owner_agency__code__in": [spec.code for spec in AGENCIES]}
    persons = Person.objects.filter(**city).count()
    households = Household.objects.filter(**city).count()
    assert households == 20
    assert persons >= 20
    everything = (Person.objects.count(), Household.objects.count())
    call_command("seed_demo", "--families", "20", "--seed", "5")
    call_command("seed_demo", "--families", "50", "--seed", "6")
    assert (Person.objects.count(), Household.objects.count()) == everything
    events = AuditEvent.objects.filter(action=AuditAction.DEMO_SEEDED, detail__has_key="families")
    assert events.count() == 1
    assert events.get().detail["persons"] == persons


def test_households_are_realistic():
    _city(40)
    for household in Household.objects.prefetch_related("memberships__person"):
        members = list(household.memberships.all())
        assert members, household
        heads = [m for m in members if m.role == HouseholdRole.HEAD]
        assert len(heads) == 1
        parents = [m.person for m in members if m.role in (HouseholdRole.HEAD, "partner")]
        for child in (m.person for m in members if m.role == HouseholdRole.CHILD):
            assert all(_born(child) > _born(parent) for parent in parents)
        assert all(m.person.owner_agency_id == household.owner_agency_id for m in members)
    persons = list(Person.objects.all())
    assert all(_born(p) <= TODAY for p in persons)
    assert all(p.birth_year == _born(p).year for p in persons)
    assert len({p.nationalities[0] for p in persons}) >= 5
    vague = [p for p in persons if p.birth_date_precision != BirthDatePrecision.EXACT]
    assert vague
    assert all((_born(p).month, _born(p).day) == (1, 1) for p in vague)
    assert any(p.aliases for p in persons)
    assert PersonLanguage.objects.filter(interpreter_needed=True).exists()


def test_arabic_script_countries_carry_native_names():
    _city(40)
    arabic = Person.objects.filter(nationalities__0__in=["SY", "IQ", "AF", "IR"])
    assert arabic.exists()
    with_native = [p for p in arabic if ARABIC_SCRIPT.search(p.native_name)]
    assert len(with_native) >= 0.5 * arabic.count()


def test_residence_histories_produce_changes_of_benefit_regime():
    _city(40)
    transitions = DomainTransition.objects.select_related("residence_status")
    assert transitions.filter(
        from_regime=BenefitRegime.ASYLBLG, to_regime=BenefitRegime.SGB_II
    ).exists()
    for transition in transitions:
        status = transition.residence_status
        assert status.person_id == transition.person_id
        assert status.benefit_regime == transition.to_regime
        assert status.valid_from == transition.effective_from
    for status in ResidenceStatus.objects.all():
        assert status.valid_until is None or status.valid_until >= status.valid_from
    assert ResidenceStatus.objects.filter(kind="aufenthaltsgestattung").exists()


def test_name_keys_are_written_as_the_people_services_write_them():
    _city(20)
    for person in Person.objects.order_by("pk")[:25]:
        bulk = set(PersonNameKey.objects.filter(person=person).values_list("kind", "value"))
        index_person_names(person)
        indexed = set(PersonNameKey.objects.filter(person=person).values_list("kind", "value"))
        assert bulk == indexed, person.full_name
    assert name_key_values(
        given_names="Mohammed", family_name="Al-Hassan", aliases=[], native_name="محمد الحسن"
    )


def test_every_member_is_counted_once():
    _city(20)
    assert HouseholdMember.objects.values("person").distinct().count() == (
        HouseholdMember.objects.count()
    )
    # Persons outside a household are the few registered a second time by another agency.
    outside = Person.objects.filter(household_memberships__isnull=True)
    assert outside.count() <= 3


def test_respell_gives_another_spelling_of_a_known_name():
    rng = random.Random(1)
    assert respell(rng, "Mohammed") in {"Muhammad", "Mohamad", "Mohamed"}
    assert respell(rng, "Unknownname") == "Unknownname"


def test_bench_suites_run_with_tiny_sizes():
    demo_city_seed(families=0, seed=1)
    quality = bench_people.name_quality_suite(limit=30)
    quality += bench_people.cross_script_suite(limit=15)
    assert len(quality) >= 5
    for r in quality[:4]:
        assert r.n > 0
        assert r.recall is not None
        assert 0 <= r.recall <= 1
    report = bench_people.latency_suite(persons=60, repeat=7, seed=3)
    assert report.rows
    assert all(isinstance(r, BenchRow) for r in report.rows)
    for timing in report.rows:
        assert timing.n > 0
        assert timing.p95_ms >= timing.p50_ms >= 0
    assert report.plans
    assert all(plan for _, plan in report.plans)
    city_rows = bench_people.search_recall_in_city(Agency.objects.get(code="kim"), limit=20)
    assert all(row.recall is not None for row in city_rows)
    text = bench_people.format_quality_table("quality", quality)
    assert "recall@10" in text
    assert "people_personnamekey" in bench_people.format_plans(report.plans)
