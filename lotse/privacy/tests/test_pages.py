"""Journeys through the DPO's audit pages: search, one person's accesses, CSV; never a name."""

from __future__ import annotations

import csv
import io
from datetime import date, timedelta
from typing import Any

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from lotse.accounts.models import User
from lotse.accounts.tests.factories import acting
from lotse.audit.models import AuditAction, AuditEvent
from lotse.audit.services import chain_lock_queries, record
from lotse.cases.models import JournalEntry
from lotse.consent.categories import DataCategory
from lotse.consent.models import ConsentPurpose, LegalBasis
from lotse.consent.services import consent_record
from lotse.consent.tests.factories import given_consent
from lotse.people.models import Person
from lotse.people.services import PersonData, person_register

pytestmark = pytest.mark.django_db

# Pinned: the audit pages must not issue more queries as the trail grows (1 vs 20 events).
AUDIT_QUERIES = 15 + chain_lock_queries()  # with the flags of unusual activity
PERSON_ACCESS_QUERIES = 14 + chain_lock_queries()

NAMES = ("Rania", "Khalil")


@pytest.fixture
def client_for(client_for: Any) -> Any:
    """The cast's clients, reading the pages in English (the source language of the texts)."""

    def make(user: Any) -> Any:
        client = client_for(user)
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
        return client

    return make


def _register(user: User) -> Person:
    return person_register(
        data=PersonData(given_names=NAMES[0], family_name=NAMES[1], birth_date=date(1988, 6, 1)),
        membership=acting(user),
        actor=user,
    )


def _shared_and_read(ben: User, anna: User, agencies: Any, client_for: Any) -> tuple[Person, Any]:
    """ben's note on his person, shared with KIM by consent, and read by anna."""
    person = _register(ben)
    JournalEntry.objects.create(
        subject=person,
        owner_agency=acting(ben).agency,
        category=DataCategory.YOUTH_WELFARE,
        text="Family conference planned.",
        author=ben,
    )
    consent = consent_record(
        subject=person,
        data=given_consent(
            recipient_agencies=[agencies.kim],
            categories=[DataCategory.IDENTITY, DataCategory.YOUTH_WELFARE],
            purpose=ConsentPurpose.CASE_MANAGEMENT,
        ),
        membership=acting(ben),
        actor=ben,
    )
    response = client_for(anna).get(
        reverse("cases:person_journal", kwargs={"public_id": person.public_id})
    )
    assert response.status_code == 200
    return person, consent


def test_person_access_shows_who_saw_what_when_and_on_which_basis(
    frida, anna, ben, agencies, client_for
):
    person, consent = _shared_and_read(ben, anna, agencies, client_for)
    response = client_for(frida).get(
        reverse("privacy:person_access", kwargs={"public_id": person.public_id})
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert person.public_id in html
    # The person gave a consent, which the DPO keeps: the page names her — and no content.
    assert " ".join(NAMES) in html
    assert "Family conference planned." not in html
    rows = html.split('data-testid="audit-row"')[1:]
    read = next(row for row in rows if ">Anna Arslan<" in row)
    assert "Journal entry viewed" in read
    assert "KIM Integration" in read
    assert f"Consent no. {consent.pk}" in read
    assert reverse("consent:detail", kwargs={"pk": consent.pk}) in read
    assert any("Consent recorded" in row and ">Ben Bauer<" in row for row in rows)
    # Reading the audit trail is recorded too.
    viewed = AuditEvent.objects.filter(action=AuditAction.AUDIT_VIEWED).latest("pk")
    assert viewed.actor == frida
    assert viewed.subject_id == person.pk


def test_person_access_for_an_unknown_lotse_id_is_missing(frida, client_for):
    url = reverse("privacy:person_access", kwargs={"public_id": "P-0000-0000"})
    assert client_for(frida).get(url).status_code == 404


def test_legal_basis_accesses_name_the_citation(frida, anna, agencies, client_for):
    basis = LegalBasis.objects.create(
        from_kind="jobcenter",
        to_kind="integration_office",
        categories=["work"],
        citation="§ 50 SGB II",
    )
    person = _register(anna)
    record(
        action=AuditAction.JOURNAL_ENTRY_VIEWED,
        actor=anna,
        agency=acting(anna).agency,
        subject_id=person.pk,
        basis=f"legal_basis:{basis.pk}",
    )
    html = (
        client_for(frida)
        .get(reverse("privacy:person_access", kwargs={"public_id": person.public_id}))
        .content.decode()
    )
    assert "Legal basis: § 50 SGB II" in html


def test_audit_search_by_person_user_agency_and_period(frida, anna, ben, cem, agencies, client_for):
    person, _consent = _shared_and_read(ben, anna, agencies, client_for)
    other = person_register(
        data=PersonData(given_names="Other", family_name="Person"),
        membership=acting(cem),
        actor=cem,
    )
    client = client_for(frida)
    url = reverse("privacy:audit")

    by_person = client.get(url, {"person": person.public_id}).content.decode()
    assert person.public_id in by_person
    assert other.public_id not in by_person
    assert " ".join(NAMES) in by_person  # she gave a consent: the DPO keeps it
    assert "Other Person" not in by_person

    by_user = client.get(url, {"user": "anna"}).content.decode()
    rows = by_user.split('data-testid="audit-row"')[1:]
    assert rows
    assert all('title="anna">Anna Arslan<' in row for row in rows)

    by_agency = client.get(url, {"agency": "jc"}).content.decode()
    assert other.public_id in by_agency
    assert person.public_id not in by_agency

    tomorrow = (timezone.localdate() + timedelta(days=1)).isoformat()
    later = client.get(url, {"since": tomorrow}).content.decode()
    assert "0 events" in later


def test_audit_search_names_the_wrong_fields(frida, client_for):
    html = (
        client_for(frida)
        .get(
            reverse("privacy:audit"),
            {"person": "P-0000-0000", "user": "nobody", "since": "2026-02-01", "until": "x"},
        )
        .content.decode()
    )
    summary = html.split('id="error-summary"')[1].split("</ul>")[0]
    assert 'href="#id_person"' in summary
    assert "No person with this Lotse ID." in summary
    assert 'href="#id_until"' in summary
    assert 'data-testid="audit-row"' not in html


def test_audit_csv_download_has_lotse_ids_and_no_names(frida, anna, ben, agencies, client_for):
    person, _consent = _shared_and_read(ben, anna, agencies, client_for)
    response = client_for(frida).get(
        reverse("privacy:audit"), {"person": person.public_id, "format": "csv"}
    )
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    body = b"".join(response.streaming_content).decode()
    rows = list(csv.reader(io.StringIO(body)))
    assert rows[0][:4] == ["time", "user", "agency", "action"]
    assert all(row[6] == person.public_id for row in rows[1:])
    assert any(row[1] == "anna" and row[3] == "journal_entry_viewed" for row in rows[1:])
    for name in NAMES:
        assert name not in body
    viewed = AuditEvent.objects.filter(action=AuditAction.AUDIT_VIEWED).latest("pk")
    assert viewed.detail["format"] == "csv"


def test_caseworkers_do_not_see_the_audit_trail(anna, gero, client_for):
    for user in (anna, gero):
        assert client_for(user).get(reverse("privacy:audit")).status_code == 404


# --- query counts ---------------------------------------------------------------------------------


def _queries(client: Any, url: str) -> int:
    client.get(url)  # warm: session and membership, as on every later click
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured.captured_queries)


def test_audit_pages_issue_a_fixed_number_of_queries(frida, anna, client_for):
    person = _register(anna)
    basis = LegalBasis.objects.create(
        from_kind="jobcenter", to_kind="integration_office", categories=["work"], citation="§ 1"
    )

    def add(n: int) -> None:
        for index in range(n):
            record(
                action=AuditAction.JOURNAL_ENTRY_VIEWED,
                actor=anna,
                agency=acting(anna).agency,
                subject_id=person.pk,
                basis=f"consent:{index}" if index % 2 else f"legal_basis:{basis.pk}",
                detail={"count": 3, "shown": [1, 2]},
            )

    client = client_for(frida)
    audit = f"{reverse('privacy:audit')}?person={person.public_id}"
    access = reverse("privacy:person_access", kwargs={"public_id": person.public_id})
    add(1)
    one = (_queries(client, audit), _queries(client, access))
    add(19)
    twenty = (_queries(client, audit), _queries(client, access))
    assert one == twenty == (AUDIT_QUERIES, PERSON_ACCESS_QUERIES)
