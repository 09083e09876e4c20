"""Retention: the DPO sees which closed cases are due for erasure — the frame, not the content."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from lotse.accounts.tests.factories import acting
from lotse.audit.models import AuditAction, AuditEvent
from lotse.cases.models import Case, Phase
from lotse.cases.retention import retention_due
from lotse.cases.services import case_open
from lotse.core.dates import years_before
from lotse.people.tests.factories import HouseholdFactory, PersonFactory

pytestmark = pytest.mark.django_db


def _closed_case(anna, agencies, *, closed_on, name):
    person = PersonFactory.create(owner_agency=agencies.kim, family_name=name)
    household = HouseholdFactory.create(owner_agency=agencies.kim, members=[person])
    case = case_open(household=household, membership=acting(anna), actor=anna)
    Case.objects.filter(pk=case.pk).update(
        phase=Phase.CLOSED, closed_on=closed_on, closure_reason="goals_reached"
    )
    return case


def test_cases_closed_longer_than_the_period_are_due_and_no_others(anna, agencies, settings):
    settings.RETENTION_YEARS = 3
    today = timezone.localdate()
    limit = years_before(today, 3)
    due = _closed_case(anna, agencies, closed_on=limit, name="Altfall")
    _closed_case(anna, agencies, closed_on=limit + timedelta(days=1), name="Jungfall")
    open_case = case_open(
        household=HouseholdFactory.create(owner_agency=agencies.kim),
        membership=acting(anna),
        actor=anna,
    )
    assert list(retention_due(today)) == [due]
    assert open_case not in retention_due(today)


def test_the_dpo_sees_the_frame_without_names_and_the_read_is_audited(
    anna, frida, agencies, client_for, settings
):
    settings.RETENTION_YEARS = 3
    case = _closed_case(
        anna, agencies, closed_on=years_before(timezone.localdate(), 4), name="Quastenflosser"
    )
    client = client_for(frida)
    start = client.get(reverse("start")).content.decode()
    assert 'data-testid="start-retention"' in start
    assert reverse("case:retention") in start
    page = client.get(reverse("case:retention")).content.decode()
    assert case.household.public_id in page
    assert agencies.kim.name in page
    assert "Quastenflosser" not in page
    event = AuditEvent.objects.filter(action=AuditAction.RETENTION_LISTED).get()
    assert event.detail["cases"] == [case.pk]


def test_a_caseworker_has_no_retention_list(anna, client_for):
    assert client_for(anna).get(reverse("case:retention")).status_code == 404
    assert 'data-testid="start-retention"' not in client_for(anna).get("/").content.decode()
