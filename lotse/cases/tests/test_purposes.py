"""Purposes bind (DESIGN §3, issue 9): a consent opens case content only for the purposes it
names. A referral opens no case journal; a consent for a case conference opens the conference
and the plan it discusses, never the journal; case management opens the case file."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from lotse.accounts.roles import Role
from lotse.accounts.tests.factories import acting, member
from lotse.cases.models import JournalEntry
from lotse.cases.services import journal_entry_create
from lotse.consent.categories import DataCategory
from lotse.consent.models import ConsentPurpose
from lotse.consent.tests.factories import record_directly
from lotse.people.tests.factories import PersonFactory

pytestmark = pytest.mark.django_db

NOTE = "Vertrauliche Fallnotiz aus dem Gespräch mit KIM"


@pytest.fixture
def note(anna: Any, agencies: Any) -> JournalEntry:
    person = PersonFactory.create(owner_agency=agencies.kim, given_names="Salma")
    return journal_entry_create(
        subject=person,
        kind="talk",
        category=DataCategory.WORK,
        text=NOTE,
        membership=acting(anna),
        actor=anna,
    )


def _consent(anna: Any, agencies: Any, note: JournalEntry, purpose: str) -> None:
    record_directly(
        subject=note.subject,
        recorded_by=anna,
        recording_agency=agencies.kim,
        disclosing=[agencies.kim],
        recipients=[agencies.caritas],
        categories=[DataCategory.IDENTITY, DataCategory.WORK],
        purpose=purpose,
    )


def _caritas(agencies: Any) -> Client:
    client = Client()
    client.force_login(member("carla", agencies.caritas, Role.CASEWORKER))
    return client


@pytest.mark.parametrize("purpose", [ConsentPurpose.REFERRAL, ConsentPurpose.CASE_CONFERENCE])
def test_a_consent_for_a_referral_or_a_conference_does_not_open_the_case_journal(
    anna, agencies, note, purpose
):
    _consent(anna, agencies, note, purpose)
    client = _caritas(agencies)
    public_id = note.subject.public_id
    # The person is visible (identity under the consent) …
    person_page = client.get(reverse("people:person_detail", args=[public_id]))
    assert person_page.status_code == 200
    # … but the journal entry is neither shown, listed nor counted, nor opened by its id.
    assert NOTE not in person_page.content.decode()
    journal = client.get(reverse("cases:person_journal", args=[public_id]))
    assert journal.status_code == 200
    assert NOTE not in journal.content.decode()
    assert "1 Eintrag" not in journal.content.decode()
    assert client.get(reverse("cases:entry_detail", args=[note.pk])).status_code == 404
    listed = client.get("/api/v1/journal-entries", {"person": public_id}).json()
    assert listed["items"] == []
    assert listed["count"] == 0
    assert client.get(f"/api/v1/journal-entries/{note.pk}").status_code == 404


def test_a_consent_for_case_management_opens_the_case_journal(anna, agencies, note):
    _consent(anna, agencies, note, ConsentPurpose.CASE_MANAGEMENT)
    client = _caritas(agencies)
    public_id = note.subject.public_id
    assert NOTE in client.get(reverse("people:person_detail", args=[public_id])).content.decode()
    assert NOTE in client.get(reverse("cases:person_journal", args=[public_id])).content.decode()
    assert client.get(reverse("cases:entry_detail", args=[note.pk])).status_code == 200
    listed = client.get("/api/v1/journal-entries", {"person": public_id}).json()
    assert [item["id"] for item in listed["items"]] == [note.pk]
    assert listed["count"] == 1
