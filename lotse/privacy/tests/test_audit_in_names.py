"""The audit trail in names and references: what each event was about, whom, by whom — with
names only where the DPO may read them, found in bulk; kinds of event to filter by; numbered
pages."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from lotse.accounts.models import User
from lotse.accounts.tests.factories import acting
from lotse.audit.models import AuditAction, AuditEvent, AuditSubject
from lotse.audit.services import chain_lock_queries, record
from lotse.consent.categories import DataCategory
from lotse.consent.models import ConsentPurpose
from lotse.consent.services import break_glass_open, consent_record
from lotse.consent.tests.factories import given_consent
from lotse.people.models import Household, Person
from lotse.people.services import (
    HouseholdData,
    MemberData,
    PersonData,
    household_register,
    person_register,
)

pytestmark = pytest.mark.django_db

# With persons, names, households and consents on the page: one query for each kind.
AUDIT_QUERIES = 16 + chain_lock_queries()


@pytest.fixture
def client_for(client_for: Any) -> Any:
    def make(user: Any) -> Any:
        client = client_for(user)
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
        return client

    return make


def _person(user: User, given: str, family: str) -> Person:
    return person_register(
        data=PersonData(given_names=given, family_name=family, birth_date=date(1990, 1, 1)),
        membership=acting(user),
        actor=user,
    )


def _with_consent(user: User, person: Person, agencies: Any) -> Any:
    return consent_record(
        subject=person,
        data=given_consent(
            recipient_agencies=[agencies.jobcenter],
            categories=[DataCategory.IDENTITY],
            purpose=ConsentPurpose.CASE_MANAGEMENT,
        ),
        membership=acting(user),
        actor=user,
    )


def _household(user: User, person: Person) -> Household:
    return household_register(
        household=HouseholdData(street="Hofaue 1"),
        members=[MemberData(person=None, role="head", existing=person)],
        membership=acting(user),
        actor=user,
    )


def _rows(html: str) -> list[str]:
    return html.split('data-testid="audit-row"')[1:]


def _cell(row: str, testid: str) -> str:
    return row.split(f'data-testid="{testid}"', 1)[1].split("</td>", 1)[0]


def test_events_name_their_target_by_reference_and_the_person_where_the_dpo_may(
    frida, anna, agencies, client_for
):
    named = _person(anna, "Samira", "Haddad")
    consent = _with_consent(anna, named, agencies)
    unnamed = _person(anna, "Omar", "Khalil")
    household = _household(anna, unnamed)
    record(
        action=AuditAction.PERSON_VIEWED,
        actor=anna,
        agency=acting(anna).agency,
        target=unnamed,
        subject_id=unnamed.pk,
        basis="own_agency",
    )
    record(
        action=AuditAction.HOUSEHOLD_VIEWED,
        actor=anna,
        agency=acting(anna).agency,
        target=household,
        subject_ids=[unnamed.pk],
    )
    html = client_for(frida).get(reverse("privacy:audit")).content.decode()
    rows = _rows(html)
    person_row = next(r for r in rows if "Person viewed" in r)
    assert f'Person <span class="lotse-id">{unnamed.public_id}</span>' in _cell(
        person_row, "audit-what"
    )
    assert unnamed.public_id in _cell(person_row, "audit-person")
    assert "Omar" not in html
    assert "Khalil" not in html
    household_row = next(r for r in rows if "Household viewed" in r)
    assert f'Household <span class="lotse-id">{household.public_id}</span>' in _cell(
        household_row, "audit-what"
    )
    consent_row = next(r for r in rows if "Consent recorded" in r)
    assert f"(no. {consent.pk})" in _cell(consent_row, "audit-what")
    assert "Samira Haddad" in _cell(consent_row, "audit-person")
    assert "Anna Arslan" in _cell(consent_row, "audit-who")
    assert "KIM Integration" in _cell(consent_row, "audit-who")
    for row in rows:
        assert "—" not in row
        assert "#" not in _cell(row, "audit-what")
    # Reading the trail is recorded with the persons whose names it showed.
    viewed = AuditEvent.objects.filter(action=AuditAction.AUDIT_VIEWED).latest("pk")
    shown = set(AuditSubject.objects.filter(event=viewed).values_list("subject_id", flat=True))
    assert named.pk in shown
    assert unnamed.pk not in shown


def test_lists_read_as_lists(frida, anna, client_for):
    for detail in ({"shown": [1, 2], "count": 2}, {"shown": [1], "count": 3}, {"count": 0}):
        record(
            action=AuditAction.CASES_LISTED,
            actor=anna,
            agency=acting(anna).agency,
            detail=detail,
        )
    html = client_for(frida).get(reverse("privacy:audit"), {"action": AuditAction.CASES_LISTED})
    whats = [_cell(row, "audit-what") for row in _rows(html.content.decode())]
    assert [what.split(">", 1)[1] for what in whats] == [
        "List without entries",
        "1 of 3 entries shown",
        "List of 2 entries",
    ]


def test_events_without_an_actor_say_lotse_did_it(frida, client_for):
    record(action=AuditAction.DEADLINE_TASKS_CREATED, detail={"created": {}})
    html = client_for(frida).get(reverse("privacy:audit")).content.decode()
    row = next(r for r in _rows(html) if "Tasks created from deadlines" in r)
    assert "Lotse (automatic)" in _cell(row, "audit-who")


def test_the_kind_of_event_filter_finds_emergency_access_and_every_read_under_it(
    frida, gero, anna, agencies, client_for
):
    person = _person(anna, "Nadia", "Sabri")
    glass = break_glass_open(
        subject=person,
        reason="A child is in danger and nobody can be reached.",
        membership=acting(gero),
        actor=gero,
    )
    record(  # a single read under it
        action=AuditAction.PERSON_VIEWED,
        actor=gero,
        agency=acting(gero).agency,
        target=person,
        subject_id=person.pk,
        basis=f"break_glass:{glass.pk}",
    )
    record(  # a list that showed something only the access opened
        action=AuditAction.CASES_LISTED,
        actor=gero,
        agency=acting(gero).agency,
        detail={"shown": [1], "bases": [f"break_glass:{glass.pk}"]},
    )
    record(  # an ordinary read: not emergency access
        action=AuditAction.PERSON_VIEWED,
        actor=anna,
        agency=acting(anna).agency,
        target=person,
        subject_id=person.pk,
        basis="own_agency",
    )
    record(action=AuditAction.ACCESS_DENIED, actor=anna, agency=acting(anna).agency)
    client = client_for(frida)
    url = reverse("privacy:audit")
    page = client.get(url).content.decode()
    assert 'value="group:emergency"' in page
    assert "Emergency access: opened, reviewed, and every read under it" in page

    rows = _rows(client.get(url, {"action": "group:emergency"}).content.decode())
    assert len(rows) == 3
    assert all('data-testid="under-emergency"' in row for row in rows)
    assert all("Gero Graf" in row for row in rows)
    assert any("Emergency access opened" in row for row in rows)

    denied = _rows(client.get(url, {"action": "group:denied"}).content.decode())
    assert len(denied) == 1
    assert "Access denied" in denied[0]
    nothing = client.get(url, {"action": "group:nonsense"})
    assert nothing.status_code == 200
    assert 'href="#id_action"' in nothing.content.decode()


def test_exports_are_one_kind_of_event(frida, anna, client_for):
    client = client_for(frida)
    client.get(reverse("consent:register_export", kwargs={"file_format": "xlsx"}))
    client.get(reverse("privacy:audit"), {"format": "csv"})
    rows = _rows(client.get(reverse("privacy:audit"), {"action": "group:exports"}).content.decode())
    actions = sorted(row.split("</td>")[1] for row in rows)
    assert len(rows) == 2
    assert any("Consent register exported" in action for action in actions)
    assert any("Download as CSV" in _cell(row, "audit-what") for row in rows)


def test_pages_are_numbered_and_keep_the_filter(frida, anna, client_for):
    for _ in range(120):
        record(action=AuditAction.LOGIN_SUCCEEDED, actor=anna, agency=acting(anna).agency)
    client = client_for(frida)
    html = client.get(
        reverse("privacy:audit"), {"action": AuditAction.LOGIN_SUCCEEDED, "page": 2}
    ).content.decode()
    nav = html.split('data-testid="pages"', 1)[1].split("</nav>", 1)[0]
    assert 'aria-label="Pages"' in html
    assert "action=login_succeeded&amp;page=1" in nav
    assert "action=login_succeeded&amp;page=3" in nav
    assert 'aria-current="page" href="?action=login_succeeded&amp;page=2"' in nav
    assert nav.count('aria-current="page"') == 1
    assert "Showing 51–100 of 12" in nav


def test_the_trail_resolves_names_with_a_fixed_number_of_queries(frida, anna, agencies, client_for):
    named = _person(anna, "Samira", "Haddad")
    consent = _with_consent(anna, named, agencies)
    household = _household(anna, named)

    def add(n: int) -> None:
        for index in range(n):
            person = _person(anna, f"Name{index}", "Test")
            _with_consent(anna, person, agencies)
            record(
                action=AuditAction.HOUSEHOLD_VIEWED,
                actor=anna,
                agency=acting(anna).agency,
                target=household,
                subject_ids=[named.pk, person.pk],
            )
            record(
                action=AuditAction.CONSENT_VIEWED,
                actor=anna,
                agency=acting(anna).agency,
                target=consent,
                subject_id=person.pk,
                basis=f"consent:{consent.pk}",
            )

    client = client_for(frida)
    url = reverse("privacy:audit")

    def count() -> int:
        with CaptureQueriesContext(connection) as captured:
            response = client.get(url)
        assert response.status_code == 200
        return len(captured.captured_queries)

    add(1)
    client.get(url)
    one = count()
    add(19)
    html = client.get(url).content.decode()
    assert "Name18 Test" in html  # names of the page, resolved in bulk
    assert one == count() == AUDIT_QUERIES
