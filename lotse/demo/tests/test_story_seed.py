"""Seeding the story cases: once, the same for the same seed, and the bench's bulk cases."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import transaction

from lotse.cases.models import (
    Assessment,
    Case,
    CaseAssignment,
    CaseParticipant,
    CasePhaseChange,
    Goal,
    JournalEntry,
    Measure,
)
from lotse.consent.models import ConsentDeclaration
from lotse.demo.cases import STORIES, story_cases
from lotse.demo.services import demo_city_seed

pytestmark = pytest.mark.django_db


def snapshot() -> dict[str, list[Any]]:
    """Everything the stories wrote, without database ids and creation times."""
    household = "household__public_id"
    return {
        "cases": sorted(
            Case.objects.values_list(
                household, "lead_user__username", "phase", "phase_since", "opened_on",
                "came_via", "referred_by__code", "interpreter_language", "closure_reason",
                "closed_on",
            )
        ),
        "participants": sorted(
            CaseParticipant.objects.values_list(
                f"case__{household}", "agency__code", "contact__username", "categories",
                "joined_on",
            ),
            key=repr,
        ),
        "assignments": sorted(
            CaseAssignment.objects.values_list(
                f"case__{household}", "agency__code", "user__username", "kind", "valid_from",
                "valid_until", "assigned_by__username",
            ),
            key=repr,
        ),
        "phases": sorted(
            CasePhaseChange.objects.values_list(
                f"case__{household}", "from_phase", "to_phase", "closure_reason", "note",
                "changed_at",
            )
        ),
        "assessments": sorted(
            Assessment.objects.values_list(
                "subject__public_id", "domain", "category", "need", "situation", "resources",
                "assessed_on", "group",
            )
        ),
        "goals": sorted(
            Goal.objects.values_list(
                "subject__public_id", "group", "text", "responsible_agency__code",
                "target_date", "attainment",
            ),
            key=repr,
        ),
        "measures": sorted(
            Measure.objects.values_list(
                "subject__public_id", "group", "goal_group", "text", "due_date", "status",
            )
        ),
        "entries": sorted(
            JournalEntry.objects.values_list(
                "subject__public_id", "owner_agency__code", "author__username", "kind",
                "category", "entrusted", "text", "occurred_at", "follow_up_on", "group",
                "interpreter_language",
            ),
            key=repr,
        ),
        "consents": sorted(
            ConsentDeclaration.objects.values_list(
                "subject__public_id", "recipient_agencies__code", "categories", "purpose",
                "status", "valid_from", "valid_until", "given_by", "guardian_name",
            ),
            key=repr,
        ),
    }  # fmt: skip


def test_the_stories_are_written_once() -> None:
    first = demo_city_seed(families=200, seed=2017)
    assert first.cases_created == len(STORIES)
    before = snapshot()
    again = demo_city_seed(families=200, seed=2017)
    assert again.cases_created == 0
    assert snapshot() == before


def test_a_city_without_families_gets_its_stories_once_families_exist() -> None:
    assert demo_city_seed(families=0, seed=2017).cases_created == 0
    assert not Case.objects.exists()
    assert demo_city_seed(families=200, seed=2017).cases_created == len(STORIES)


def test_the_same_seed_gives_the_same_cases_on_two_fresh_databases() -> None:
    snapshots = []
    stories = []
    for _ in range(2):
        with transaction.atomic():
            demo_city_seed(families=200, seed=2017)
            snapshots.append(snapshot())
            stories.append(story_cases().count())
            transaction.set_rollback(True)
        assert not Case.objects.exists()
    # The whole city, the statistical caseload (lotse.demo.steering) with it.
    assert snapshots[0] == snapshots[1]
    assert stories == [len(STORIES)] * 2
    assert len(snapshots[0]["entries"]) > len(STORIES)
