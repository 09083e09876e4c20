"""The statistical caseload: the same for the same seed, loaded once, invisible to every demo
account, and enough for the steering figures to show numbers instead of "< 5"."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.db import transaction
from django.db.models import Model

from lotse.accounts.models import Agency, Membership, User
from lotse.audit.models import AuditAction, AuditEvent
from lotse.cases.access import cases_visible_to, journal_entries_visible_to
from lotse.cases.models import (
    Assessment,
    Case,
    CaseAssignment,
    CaseParticipant,
    CasePhaseChange,
    Goal,
    JournalEntry,
    Measure,
    Phase,
    UnmetNeed,
)
from lotse.cases.services import TRANSITIONS
from lotse.consent.models import ConsentDeclaration
from lotse.demo import services
from lotse.demo.city import ACCOUNTS
from lotse.demo.services import demo_city_seed
from lotse.demo.steering import LEADS, STEERING_AGENCIES, load_steering_caseload
from lotse.people.access import households_visible_to, persons_visible_to
from lotse.people.models import Household, Person
from lotse.referrals.access import referrals_visible_to
from lotse.referrals.models import Referral, ReferralEvent
from lotse.reports import aggregates
from lotse.reports.forms import last_twelve_months
from lotse.reports.models import (
    CooperationAgreement,
    GovernanceMeeting,
    StaffPost,
    StructuralFinding,
)
from lotse.reports.tables import Figures, Table

STEERING = [spec.code for spec in STEERING_AGENCIES]
COUNTED: tuple[type[Model], ...] = (
    Household, Person, Case, CasePhaseChange, CaseParticipant, CaseAssignment, Assessment,
    Goal, Measure, JournalEntry, UnmetNeed, Referral, ReferralEvent, StaffPost,
    GovernanceMeeting, CooperationAgreement, StructuralFinding, User, Agency,
)  # fmt: skip


def counts() -> dict[str, int]:
    return {model.__name__: model._default_manager.count() for model in COUNTED}


def courses() -> list[tuple[Any, ...]]:
    """The caseload's cases without database ids: who leads, when, how they ended."""
    return sorted(
        Case.objects.filter(lead_agency__code__in=LEADS).values_list(
            "household__public_id", "lead_agency__code", "lead_user__username", "opened_on",
            "phase", "closed_on", "closure_reason", "interpreter_language",
        )
    )  # fmt: skip


# --- determinism and idempotency ---------------------------------------------------------------


@pytest.mark.django_db
def test_the_same_seed_gives_the_same_caseload_and_another_seed_another() -> None:
    demo_city_seed(families=0, seed=1)  # the demo agencies, which posts and meetings name
    runs = []
    for seed in (5, 5, 6):
        with transaction.atomic():
            assert load_steering_caseload(seed=seed, households=120) == 120
            runs.append((counts(), courses()))
            transaction.set_rollback(True)
        assert not Case.objects.exists()
    assert runs[0] == runs[1]
    assert runs[0][1] != runs[2][1]
    assert len(runs[0][1]) == 120


@pytest.mark.django_db
def test_the_caseload_is_loaded_once_with_the_families() -> None:
    assert demo_city_seed(families=0, seed=2017).steering_cases_created == 0
    assert not Case.objects.filter(lead_agency__code__in=LEADS).exists()

    first = demo_city_seed(families=30, seed=2017)
    assert first.steering_cases_created == 350
    before = counts()
    assert Case.objects.filter(lead_agency__code__in=LEADS).count() == 350
    event = AuditEvent.objects.get(action=AuditAction.DEMO_SEEDED, detail__has_key="steering")
    assert event.detail["steering"] == 350

    again = demo_city_seed(families=30, seed=2017)
    assert again.steering_cases_created == 0
    assert counts() == before
    # Called on its own again, it leaves an existing caseload alone too.
    assert load_steering_caseload(seed=2017) == 0
    assert counts() == before


@pytest.mark.django_db
def test_its_staff_cannot_log_in_and_none_of_it_is_shared_with_a_demo_agency() -> None:
    demo_city_seed(families=0, seed=1)
    load_steering_caseload(seed=3, households=60)
    staff = User.objects.filter(memberships__agency__code__in=STEERING).distinct()
    assert staff.exists()
    assert not any(user.has_usable_password() for user in staff)
    assert not set(staff.values_list("username", flat=True)) & {a.username for a in ACCOUNTS}
    cases = Case.objects.filter(lead_agency__code__in=LEADS)
    assert set(
        CaseParticipant.objects.filter(case__in=cases).values_list("agency__code", flat=True)
    ) <= set(LEADS)
    assert set(Referral.objects.values_list("to_agency__code", flat=True)) <= set(STEERING)
    assert not ConsentDeclaration.objects.exists()
    owners = {
        *Person.objects.values_list("owner_agency__code", flat=True),
        *JournalEntry.objects.values_list("owner_agency__code", flat=True),
        *Assessment.objects.values_list("owner_agency__code", flat=True),
    }
    assert owners <= set(LEADS)


# --- what the demo accounts see ----------------------------------------------------------------


def _sees(username: str) -> dict[str, set[int]]:
    # A fresh membership each time: the access context is cached on the membership object.
    membership: Membership | None = User.objects.get(username=username).primary_membership()
    return {
        "persons": set(persons_visible_to(membership).values_list("pk", flat=True)),
        "households": set(households_visible_to(membership).values_list("pk", flat=True)),
        "cases": set(cases_visible_to(membership).values_list("pk", flat=True)),
        "entries": set(journal_entries_visible_to(membership).values_list("pk", flat=True)),
        "referrals": set(referrals_visible_to(membership).values_list("pk", flat=True)),
    }


@pytest.mark.django_db
def test_the_demo_accounts_see_the_same_persons_and_cases_before_and_after(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # The demo city as it was before the caseload: the stories on 200 families.
    monkeypatch.setattr(services, "load_steering_caseload", lambda *, seed: 0)
    demo_city_seed(families=200, seed=2017)
    before = {account.username: _sees(account.username) for account in ACCOUNTS}
    assert before["kim"]["persons"]
    assert before["kim"]["cases"]
    assert before["jugendamt"]["cases"]

    assert load_steering_caseload(seed=2017) == 350
    after = {account.username: _sees(account.username) for account in ACCOUNTS}
    assert after == before


# --- the figures -------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def figures(django_db_setup: Any, django_db_blocker: Any) -> Iterator[Figures]:
    """The default demo (``make demo``: 200 families, seed 2017), as the coordinator sees it
    for the last twelve months."""
    with django_db_blocker.unblock(), transaction.atomic():
        demo_city_seed(families=200, seed=2017)
        coordinator = Membership.objects.select_related("agency", "user").get(
            user__username="steuerung"
        )
        start, end = last_twelve_months()
        yield aggregates.request_figures(coordinator, start=start, end=end)
        transaction.set_rollback(True)


def shown(table: Table, column: int = 0) -> dict[str, float]:
    """The rows of a table shown as numbers (not withheld) in ``column``."""
    values: dict[str, float] = {}
    for row in table.rows:
        entry = row.entries[column]
        if entry.shown and entry.value is not None:
            values[row.code] = float(entry.value)
    return values


def test_persons_and_families_in_care_are_shown(figures: Figures) -> None:
    in_care = shown(figures.table("in_care"))
    assert in_care["persons"] >= 100
    assert in_care["families"] >= 40
    # The same day a year earlier has families in care too.
    assert shown(figures.table("in_care"), column=1)["persons"] >= 50
    flow = figures.table("case_flow")
    assert flow.withheld() == 0
    assert all(value for value in shown(flow).values())


def test_who_is_in_care_is_shown_by_sex_age_household_nationality_and_status(
    figures: Figures,
) -> None:
    ages = {code: n for code, n in shown(figures.table("age")).items() if n}
    assert {"0-17", "18-26", "27-64"} <= set(ages)
    assert len(ages) >= 3
    sex = shown(figures.table("sex"))
    assert sex["f"] >= 20
    assert sex["m"] >= 20
    households = {code: n for code, n in shown(figures.table("household_type")).items() if n}
    assert len(households) >= 4
    nationality = shown(figures.table("nationality"))
    named = {code for code in nationality if code not in ("other", "none")}
    assert {"SY", "UA", "AF", "IQ", "TR", "RO", "ER"} <= named
    assert nationality["other"] > 0  # "Sonstige": the rare nationalities together
    residence = {code: n for code, n in shown(figures.table("residence")).items() if n}
    assert len(residence) >= 3


def test_most_cells_of_the_volume_and_client_tables_are_shown(figures: Figures) -> None:
    sections = {section.key: section for section in figures.sections}
    tables = [*sections["volume"].tables, *sections["clients"].tables]
    entries = [entry for table in tables for entry in table.entries()]
    withheld = sum(not entry.shown for entry in entries)
    assert withheld <= len(entries) // 5, f"{withheld} of {len(entries)} withheld"


def test_contacts_needs_referrals_closures_and_findings_are_shown(figures: Figures) -> None:
    contacts = shown(figures.table("contacts"))
    assert all(contacts[kind] > 0 for kind in ("talk", "phone_call", "home_visit", "email"))
    needs = {code: n for code, n in shown(figures.table("needs")).items() if n}
    assert len(needs) >= 6
    referrals = figures.table("referrals_by_target")
    assert referrals.grand_total is not None
    assert referrals.grand_total.shown
    assert shown(figures.table("referral_timing"))["median"] > 0
    closures = {code: n for code, n in shown(figures.table("closures")).items() if n}
    assert len(closures) >= 3
    assert shown(figures.table("case_duration"))["median"] > 0
    goals = {code: n for code, n in shown(figures.table("goal_attainment")).items() if n}
    assert len(goals) >= 3
    # The domain × district grid of the demo's few findings may be withheld in full (small
    # cells in a two-dimensional table); the findings still reach the steering group by domain.
    findings = figures.table("findings_by_district")
    assert findings.grand_total is not None
    by_domain = shown(figures.table("findings_trend"))
    assert findings.grand_total.shown or sum(by_domain.values()) > 0
    statuses = shown(figures.table("findings_status"))
    assert len([code for code, n in statuses.items() if n]) == 3


def test_posts_meetings_and_agreements_are_counted(figures: Figures) -> None:
    posts = figures.table("staff_posts")
    assert posts.grand_total is not None
    assert posts.grand_total.value
    assert len(posts.rows) >= 5
    assert shown(figures.table("caseload"))["per_post"] > 0
    governance = shown(figures.table("governance"))
    assert governance["steering_group"] >= 3
    assert governance["working_group"] >= 5
    assert governance["agreements_in_force"] >= 3


def test_the_caseload_keeps_what_the_case_services_keep(figures: Figures, db: None) -> None:
    cases = Case.objects.filter(lead_agency__code__in=LEADS)
    assert set(cases.values_list("phase", flat=True)) == set(Phase.values)
    for case in cases.prefetch_related("phase_changes"):
        phase = Phase.INTAKE.value
        changes = sorted(case.phase_changes.all(), key=lambda c: (c.changed_at, c.pk))
        for change in changes:
            assert change.from_phase == phase
            assert change.to_phase in TRANSITIONS[phase]
            phase = change.to_phase
        assert phase == case.phase
        assert (
            (case.closed_on is not None)
            == (case.phase == Phase.CLOSED)
            == bool(case.closure_reason)
        )
    assert CaseAssignment.objects.filter(case__in=cases, kind="lead").count() == cases.count()
    measures = Measure.objects.filter(case__in=cases)
    goal_groups = set(Goal.objects.filter(case__in=cases).values_list("group", flat=True))
    assert set(measures.values_list("goal_group", flat=True)) <= goal_groups
