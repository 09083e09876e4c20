"""Journeys through the journal pages: quick entry, a person's journal, one entry, the panel."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from django.conf import settings
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from lotse.accounts.models import User
from lotse.accounts.tests.factories import acting
from lotse.audit.models import AuditAction, AuditEvent
from lotse.audit.services import chain_lock_queries
from lotse.cases.models import JournalEntry
from lotse.consent.categories import DataCategory
from lotse.consent.models import ConsentPurpose
from lotse.consent.services import consent_record
from lotse.consent.tests.factories import given_consent
from lotse.people.models import Person
from lotse.people.services import PersonData, person_register

pytestmark = pytest.mark.django_db

# Pinned: the journal must not issue more queries as it grows (1 entry vs 20).
JOURNAL_QUERIES = 15 + chain_lock_queries()


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
        data=PersonData(given_names="Amina", family_name="Yousef", birth_date=date(1990, 1, 5)),
        membership=acting(user),
        actor=user,
    )


def _entry(user: User, person: Person, text: str, **extra: Any) -> JournalEntry:
    values: dict[str, Any] = {
        "subject": person,
        "owner_agency": acting(user).agency,
        "category": DataCategory.HOUSING,
        "text": text,
        "author": user,
        **extra,
    }
    return JournalEntry.objects.create(**values)


def _now() -> str:
    return timezone.localtime().strftime("%Y-%m-%dT%H:%M")


# --- quick entry ----------------------------------------------------------------------------------


def test_the_entrusted_box_is_offered_to_the_jugendamt_only(anna, ben, client_for):
    for user, offered in ((anna, False), (ben, True)):
        person = _register(user)
        html = (
            client_for(user)
            .get(reverse("cases:entry_create", kwargs={"public_id": person.public_id}))
            .content.decode()
        )
        assert ('name="entrusted"' in html) is offered
        # Categories come with their plain explanation; the time defaults to now.
        assert "Flat or accommodation" in html
        assert f'value="{timezone.localtime():%Y-%m-%d}T' in html


def test_quick_entry_saves_and_shows_the_entry_on_top_of_the_journal(anna, client_for):
    person = _register(anna)
    _entry(anna, person, "Older note.", occurred_at=timezone.now() - timedelta(days=3))
    client = client_for(anna)
    response = client.post(
        reverse("cases:entry_create", kwargs={"public_id": person.public_id}),
        {
            "kind": "phone_call",
            "category": DataCategory.WORK,
            "text": "Called about the recognition of her nursing diploma.",
            "occurred_at": _now(),
            "entrusted": "on",  # not offered outside the Jugendamt: ignored
        },
    )
    journal = reverse("cases:person_journal", kwargs={"public_id": person.public_id})
    assert response.status_code == 302
    assert response["Location"] == journal
    entry = JournalEntry.objects.get(kind="phone_call")
    assert entry.owner_agency == acting(anna).agency
    assert entry.author == anna
    assert not entry.entrusted
    created = AuditEvent.objects.get(action=AuditAction.JOURNAL_ENTRY_CREATED)
    assert created.subject_id == person.pk
    html = client.get(journal).content.decode()
    assert html.index("nursing diploma") < html.index("Older note.")
    # Own entries need no "why": only shared ones carry the panel.
    assert 'data-testid="why"' not in html


def test_quick_entry_names_every_wrong_field(anna, client_for):
    person = _register(anna)
    response = client_for(anna).post(
        reverse("cases:entry_create", kwargs={"public_id": person.public_id}),
        {"kind": "talk", "category": "", "text": " ", "occurred_at": "yesterday"},
    )
    assert response.status_code == 200
    summary = response.content.decode().split('id="error-summary"')[1].split("</ul>")[0]
    for anchor, text in [
        ("id_category", "What is it about? Choose what the entry is about."),
        ("id_text", "What happened? Write what happened."),
        ("id_occurred_at", "When?"),
    ]:
        assert f'href="#{anchor}"' in summary
        assert text in summary
    assert not JournalEntry.objects.exists()


def test_a_time_in_the_future_is_refused_on_its_field(anna, client_for):
    person = _register(anna)
    later = (timezone.localtime() + timedelta(days=1)).strftime("%Y-%m-%dT%H:%M")
    response = client_for(anna).post(
        reverse("cases:entry_create", kwargs={"public_id": person.public_id}),
        {"kind": "talk", "category": "work", "text": "Planned talk.", "occurred_at": later},
    )
    html = response.content.decode()
    assert 'href="#id_occurred_at"' in html
    assert "The time lies in the future." in html


def test_nobody_records_on_a_person_they_cannot_see(anna, cem, client_for):
    person = _register(cem)
    url = reverse("cases:entry_create", kwargs={"public_id": person.public_id})
    assert client_for(anna).get(url).status_code == 404
    response = client_for(anna).post(
        url, {"kind": "talk", "category": "work", "text": "x", "occurred_at": _now()}
    )
    assert response.status_code == 404
    assert not JournalEntry.objects.exists()


# --- reading --------------------------------------------------------------------------------------


def test_journal_pages_hold_25_entries_newest_first(anna, client_for):
    person = _register(anna)
    start = timezone.now() - timedelta(days=40)
    for day in range(30):
        _entry(anna, person, f"Note of day {day:02d}.", occurred_at=start + timedelta(days=day))
    url = reverse("cases:person_journal", kwargs={"public_id": person.public_id})
    client = client_for(anna)
    first = client.get(url).content.decode()
    assert first.count('data-testid="journal-entry"') == 25
    assert first.index("day 29") < first.index("day 28")
    assert "day 04" not in first
    assert "30 entries" in first
    second = client.get(url, {"page": 2}).content.decode()
    assert second.count('data-testid="journal-entry"') == 5
    assert "day 00" in second


def test_reading_the_journal_is_audited_with_the_bases_used(anna, ben, agencies, client_for):
    person = _register(ben)
    shared = _entry(ben, person, "Shared youth-welfare note.", category="youth_welfare")
    consent_record(
        subject=person,
        data=given_consent(
            recipient_agencies=[agencies.kim],
            categories=[DataCategory.IDENTITY, DataCategory.YOUTH_WELFARE],
            purpose=ConsentPurpose.CASE_MANAGEMENT,
        ),
        membership=acting(ben),
        actor=ben,
    )
    client_for(anna).get(reverse("cases:person_journal", kwargs={"public_id": person.public_id}))
    event = AuditEvent.objects.filter(action=AuditAction.JOURNAL_ENTRY_VIEWED).latest("pk")
    assert event.actor == anna
    assert event.subject_id == person.pk
    assert event.detail["shown"] == [shared.pk]
    assert event.detail["bases"][0].startswith("consent:")


def test_entry_of_another_agency_without_basis_is_missing_and_the_attempt_audited(
    anna, cem, client_for
):
    entry = _entry(cem, _register(cem), "Jobcenter note.")
    response = client_for(anna).get(reverse("cases:entry_detail", kwargs={"pk": entry.pk}))
    assert response.status_code == 404
    denied = AuditEvent.objects.filter(action=AuditAction.ACCESS_DENIED).latest("pk")
    assert denied.actor == anna
    assert denied.subject_id == entry.subject_id
    # Missing and forbidden look alike.
    assert (
        client_for(anna).get(reverse("cases:entry_detail", kwargs={"pk": 999999})).status_code
        == 404
    )


def test_entry_detail_is_audited_with_its_basis(anna, client_for):
    entry = _entry(anna, _register(anna), "Own note.")
    response = client_for(anna).get(reverse("cases:entry_detail", kwargs={"pk": entry.pk}))
    assert response.status_code == 200
    assert "Own note." in response.content.decode()
    event = AuditEvent.objects.filter(action=AuditAction.JOURNAL_ENTRY_VIEWED).latest("pk")
    assert event.target_id == str(entry.pk)
    assert event.basis == "own_agency"


def test_a_shared_entry_does_not_name_a_person_whose_identity_is_not_shared(
    anna, ben, agencies, client_for
):
    person = _register(ben)
    entry = _entry(ben, person, "Parenting course agreed.", category="youth_welfare")
    consent_record(
        subject=person,
        data=given_consent(
            recipient_agencies=[agencies.kim],
            categories=[DataCategory.YOUTH_WELFARE],
            purpose=ConsentPurpose.CASE_MANAGEMENT,
        ),
        membership=acting(ben),
        actor=ben,
    )
    html = (
        client_for(anna)
        .get(reverse("cases:entry_detail", kwargs={"pk": entry.pk}))
        .content.decode()
    )
    assert "Parenting course agreed." in html
    assert person.public_id in html
    assert "Amina" not in html
    assert "Yousef" not in html
    assert 'data-testid="why"' in html


# --- the panel on the person page -----------------------------------------------------------------


def test_the_person_page_panel_shows_the_latest_five_and_the_links(anna, client_for):
    person = _register(anna)
    start = timezone.now() - timedelta(days=10)
    for day in range(7):
        _entry(anna, person, f"Panel note {day}.", occurred_at=start + timedelta(days=day))
    client = client_for(anna)
    before = AuditEvent.objects.count()
    with translation.override("en"):
        html = client.get(
            reverse("people:person_detail", kwargs={"public_id": person.public_id})
        ).content.decode()
    assert html.count('data-testid="journal-entry"') == 5
    assert "Panel note 6." in html
    assert "Panel note 1." not in html
    assert reverse("cases:person_journal", kwargs={"public_id": person.public_id}) in html
    assert reverse("cases:entry_create", kwargs={"public_id": person.public_id}) in html
    assert "(7 entries)" in html
    # One event for the whole page, naming the entries the panel showed: no template writes.
    events = list(AuditEvent.objects.filter(pk__gt=0).order_by("pk")[before:])
    assert [e.action for e in events] == [AuditAction.PERSON_VIEWED]
    assert events[0].detail["journal_entries"] == 7
    assert len(events[0].detail["shown"]) == 5


def test_the_panel_is_empty_for_roles_without_content(anna, frida):
    from lotse.cases.views import journal_panel

    person = _register(anna)
    _entry(anna, person, "Hidden from the DPO.")
    request = RequestFactory().get("/")
    request.user = frida
    assert journal_panel(request=request, membership=acting(frida), person=person) is None


# --- query counts ---------------------------------------------------------------------------------


def _queries(client: Any, url: str) -> int:
    client.get(url)  # warm: session and membership, as on every later click
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured.captured_queries)


def test_the_journal_issues_a_fixed_number_of_queries(anna, ben, agencies, client_for):
    person = _register(ben)
    consent_record(
        subject=person,
        data=given_consent(
            recipient_agencies=[agencies.kim],
            categories=[DataCategory.IDENTITY, DataCategory.YOUTH_WELFARE],
            includes_entrusted=True,
            purpose=ConsentPurpose.CASE_MANAGEMENT,
        ),
        membership=acting(ben),
        actor=ben,
    )

    def add(n: int) -> None:
        for index in range(n):
            _entry(ben, person, f"Shared {index}.", category="youth_welfare", entrusted=True)
            _entry(anna, person, f"Own {index}.")

    url = reverse("cases:person_journal", kwargs={"public_id": person.public_id})
    client = client_for(anna)
    add(1)
    one = _queries(client, url)
    add(19)
    twenty = _queries(client, url)
    assert one == twenty == JOURNAL_QUERIES
