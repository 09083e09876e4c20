"""The consent pages speak in names and dates; the DPO's register exports as CSV and XLSX;
the emergency-access review lists every read made under an access. Attacks included: who may
export, whose names appear, which reads count as made under an access."""

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
from django.utils import timezone, translation
from django.utils.formats import date_format
from openpyxl import load_workbook  # type: ignore[import-untyped]

from lotse.accounts.models import User
from lotse.accounts.tests.factories import acting
from lotse.audit.models import AuditAction, AuditEvent, AuditSubject
from lotse.audit.services import chain_lock_queries, record
from lotse.consent.categories import DataCategory
from lotse.consent.models import BreakGlass, ConsentDeclaration, ConsentPurpose
from lotse.consent.services import break_glass_open, consent_record
from lotse.consent.tests.factories import given_consent
from lotse.people.models import Person
from lotse.people.services import PersonData, person_register

pytestmark = pytest.mark.django_db

EXPORT_QUERIES = 15 + chain_lock_queries()
GLASS_PAGE_QUERIES = 13 + chain_lock_queries()


@pytest.fixture
def client_for(client_for: Any) -> Any:
    def make(user: Any) -> Any:
        client = client_for(user)
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
        return client

    return make


def _person(user: User, given: str, family: str, born: date = date(1990, 5, 5)) -> Person:
    return person_register(
        data=PersonData(given_names=given, family_name=family, birth_date=born),
        membership=acting(user),
        actor=user,
    )


def _consent(user: User, person: Person, recipients: list[Any], **extra: Any) -> Any:
    return consent_record(
        subject=person,
        data=given_consent(
            recipient_agencies=recipients,
            categories=extra.pop("categories", [DataCategory.IDENTITY, DataCategory.WORK]),
            purpose=extra.pop("purpose", ConsentPurpose.CASE_MANAGEMENT),
            **extra,
        ),
        membership=acting(user),
        actor=user,
    )


def _rows(html: str) -> list[str]:
    return html.split('data-testid="consent-row"')[1:]


# --- the register in names and dates -------------------------------------------------------


def test_the_register_shows_purpose_categories_recorder_and_an_open_end(
    frida, anna, agencies, client_for
):
    person = _person(anna, "Samira", "Haddad")
    consent = _consent(
        anna,
        person,
        [agencies.jobcenter],
        purpose_text="Bewerbung bei der Stadt",
        valid_until=date(9999, 12, 31),
    )
    html = client_for(frida).get(reverse("consent:register")).content.decode()
    (row,) = _rows(html)
    assert "Samira Haddad" in row
    assert person.public_id in row
    with translation.override("en"):
        day = date_format(consent.valid_from, "SHORT_DATE_FORMAT")
    assert f">Consent of {day}</a>" in row
    assert "Coordinated case management" in row
    assert "Bewerbung bei der Stadt" in row
    assert "Work, qualification, recognition" in row
    assert "Anna Arslan" in row  # the recorder by name, not by login
    assert ">anna<" not in row
    assert "open-ended" in row
    assert "9999" not in row


def test_the_consent_page_is_titled_by_person_and_date_and_names_its_recorder(
    anna, agencies, client_for
):
    person = _person(anna, "Samira", "Haddad")
    consent = _consent(anna, person, [agencies.jobcenter])
    html = client_for(anna).get(reverse("consent:detail", kwargs={"pk": consent.pk})).content
    text = html.decode()
    title = text.split("<h1", 1)[1].split("</h1>")[0]
    assert "Samira Haddad" in title
    assert "Consent no." not in title  # the number is the reference beside it
    assert f"Consent no. {consent.pk}" in text
    recorded = text.split('data-testid="recorded-by"')[1].split("</span>")[0]
    assert "Anna Arslan (KIM Integration)" in recorded
    assert "anna" not in recorded.replace("Anna", "")


def test_a_recipient_without_sight_of_the_person_reads_the_consent_by_date_only(
    anna, ben, agencies, client_for
):
    # Youth welfare only: KIM is named by the consent but does not see the person.
    person = _person(ben, "Leyla", "Rahimi", born=date(2012, 1, 1))
    consent = _consent(
        ben,
        person,
        [agencies.kim],
        categories=[DataCategory.YOUTH_WELFARE],
        given_by="guardian",
        guardian_name="Farida Rahimi",
    )
    html = client_for(anna).get(reverse("consent:detail", kwargs={"pk": consent.pk}))
    text = html.content.decode()
    assert html.status_code == 200
    assert "Leyla" not in text
    assert "Rahimi" not in text
    assert "Consent of " in text


def test_the_expiring_filter_lists_given_consents_ending_within_30_days(
    frida, anna, agencies, client_for
):
    today = timezone.localdate()
    person = _person(anna, "Samira", "Haddad")
    soon = _consent(anna, person, [agencies.jobcenter], valid_until=today + timedelta(days=10))
    later = _consent(anna, person, [agencies.jobcenter], valid_until=today + timedelta(days=60))
    asked = _consent(
        anna,
        person,
        [agencies.caritas],
        valid_until=today + timedelta(days=5),
        status=ConsentDeclaration.Status.REQUESTED,
    )
    client = client_for(frida)
    html = client.get(reverse("consent:register"), {"status": "expiring"}).content.decode()
    assert f"Consent no. {soon.pk}<" in html
    assert f"Consent no. {later.pk}<" not in html
    assert f"Consent no. {asked.pk}<" not in html
    everything = client.get(reverse("consent:register")).content.decode()
    assert everything.count('data-testid="expiring"') == 1
    assert "?status=expiring" in everything


# --- names for the DPO: only of the persons the DPO keeps records of ------------------------


def test_the_dpo_reads_names_of_consent_and_emergency_subjects_only(
    frida, anna, gero, agencies, client_for
):
    from lotse.consent import selectors

    with_consent = _person(anna, "Samira", "Haddad")
    _consent(anna, with_consent, [agencies.jobcenter])
    in_emergency = _person(anna, "Nadia", "Sabri")
    break_glass_open(
        subject=in_emergency,
        reason="A child is in danger and nobody can be reached.",
        membership=acting(gero),
        actor=gero,
    )
    neither = _person(anna, "Omar", "Khalil")
    names = selectors.subject_names(
        membership=acting(frida),
        subject_ids=[with_consent.pk, in_emergency.pk, neither.pk],
    )
    assert names == {with_consent.pk: "Samira Haddad", in_emergency.pk: "Nadia Sabri"}
    # The audit trail about the third person shows her Lotse ID, never her name.
    html = (
        client_for(frida)
        .get(reverse("privacy:person_access", kwargs={"public_id": neither.public_id}))
        .content.decode()
    )
    assert neither.public_id in html
    assert "Omar" not in html
    assert "Khalil" not in html


def test_a_caseworker_reads_only_the_names_the_policy_shows(anna, cem, agencies):
    from lotse.consent import selectors

    own = _person(anna, "Samira", "Haddad")
    foreign = _person(cem, "Yusuf", "Bakri")
    # a consent between the Jobcenter and Caritas: KIM is not named, sees nobody
    _consent(cem, foreign, [agencies.caritas])
    names = selectors.subject_names(membership=acting(anna), subject_ids=[own.pk, foreign.pk])
    assert names == {own.pk: "Samira Haddad"}


# --- the export -------------------------------------------------------------------------------


def _csv(response: Any) -> list[list[str]]:
    body = b"".join(response.streaming_content).decode("utf-8")
    assert body.startswith("\ufeff")
    return list(csv.reader(io.StringIO(body.removeprefix("\ufeff")), delimiter=";"))


def test_the_dpo_exports_the_filtered_register_as_csv_and_it_is_audited(
    frida, anna, cem, agencies, client_for
):
    person = _person(anna, "Samira", "Haddad")
    kept = _consent(anna, person, [agencies.jobcenter], purpose_text="=HYPERLINK(1)")
    other = _consent(cem, _person(cem, "Yusuf", "Bakri"), [agencies.caritas])
    url = reverse("consent:register_export", kwargs={"file_format": "csv"})
    response = client_for(frida).get(url, {"person": person.public_id})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    header, *rows = _csv(response)
    assert header[:3] == ["No.", "Lotse ID", "Name"]
    assert [row[0] for row in rows] == [str(kept.pk)]
    assert rows[0][2] == "Samira Haddad"
    assert rows[0][5] == "'=HYPERLINK(1)"  # never a formula in a spreadsheet
    assert str(other.pk) not in [row[0] for row in rows]
    event = AuditEvent.objects.filter(action=AuditAction.CONSENTS_EXPORTED).latest("pk")
    assert (event.actor, event.detail["format"], event.detail["count"]) == (frida, "csv", 1)
    assert event.detail["filters"] == ["person"]
    assert event.subject_id == person.pk


def test_the_xlsx_export_holds_every_consent_with_text_cells(frida, anna, agencies, client_for):
    person = _person(anna, "Samira", "Haddad")
    child = _person(anna, "Lina", "Haddad", born=date(2018, 3, 3))
    first = _consent(anna, person, [agencies.jobcenter], purpose_text="+1 call")
    second = _consent(
        anna, child, [agencies.caritas], given_by="guardian", guardian_name="Geheim Vormund"
    )
    url = reverse("consent:register_export", kwargs={"file_format": "xlsx"})
    response = client_for(frida).get(url)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    sheet = workbook.active
    values = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert values[0][:3] == ["No.", "Lotse ID", "Name"]
    assert sorted(row[0] for row in values[1:]) == sorted([first.pk, second.pk])
    assert any(row[5] == "+1 call" for row in values[1:])  # text, not a formula
    flat = " ".join(str(value) for row in values for value in row)
    assert "Geheim Vormund" not in flat  # the guardian's name stays on the consent's page
    # The export indexes every person it names, so "who saw this person" finds it.
    event = AuditEvent.objects.filter(action=AuditAction.CONSENTS_EXPORTED).latest("pk")
    assert set(AuditSubject.objects.filter(event=event).values_list("subject_id", flat=True)) | {
        event.subject_id
    } >= {person.pk, child.pk}


@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
def test_nobody_but_the_dpo_exports_the_register(
    file_format, anna, ben, cem, gero, emil, agencies, client_for
):
    # ben's consent names cem's Jobcenter: a party of the consent still may not export.
    _consent(ben, _person(ben, "Samira", "Haddad"), [agencies.jobcenter])
    url = reverse("consent:register_export", kwargs={"file_format": file_format})
    for user in (anna, ben, cem, gero, emil):
        assert client_for(user).get(url).status_code == 404
    assert not AuditEvent.objects.filter(action=AuditAction.CONSENTS_EXPORTED).exists()


def test_an_unknown_format_or_a_wrong_filter_exports_nothing(frida, client_for):
    client = client_for(frida)
    pdf = reverse("consent:register_export", kwargs={"file_format": "pdf"})
    assert client.get(pdf).status_code == 404
    csv_url = reverse("consent:register_export", kwargs={"file_format": "csv"})
    assert client.get(csv_url, {"person": "P-0000-0000"}).status_code == 404
    assert not AuditEvent.objects.filter(action=AuditAction.CONSENTS_EXPORTED).exists()


def test_the_export_issues_a_fixed_number_of_queries(frida, anna, agencies, client_for):
    person = _person(anna, "Samira", "Haddad")
    client = client_for(frida)
    url = reverse("consent:register_export", kwargs={"file_format": "csv"})

    def count() -> int:
        with CaptureQueriesContext(connection) as captured:
            response = client.get(url)
            b"".join(response.streaming_content)
        return len(captured.captured_queries)

    _consent(anna, person, [agencies.jobcenter])
    client.get(url)  # warm the session
    one = count()
    for _ in range(19):
        _consent(anna, person, [agencies.jobcenter, agencies.caritas])
    assert one == count() == EXPORT_QUERIES


# --- the emergency-access review: every read under it ----------------------------------------


def _glass(gero: User, person: Person) -> BreakGlass:
    return break_glass_open(
        subject=person,
        reason="A child is in danger and nobody can be reached.",
        membership=acting(gero),
        actor=gero,
    )


def test_the_review_page_lists_every_read_made_under_the_access(
    frida, gero, anna, ben, agencies, client_for
):
    person = _person(ben, "Nadia", "Sabri")  # the Jugendamt's: KIM does not see her
    elsewhere = _person(ben, "Omar", "Khalil")
    glass = _glass(gero, person)
    team_lead = client_for(gero)
    assert (
        team_lead.get(reverse("people:person_detail", kwargs={"public_id": person.public_id}))
    ).status_code == 200
    assert (
        team_lead.get(reverse("cases:person_journal", kwargs={"public_id": person.public_id}))
    ).status_code == 200
    # Not under it: another user's read of her, and the team lead's read of someone else.
    record(
        action=AuditAction.PERSON_VIEWED,
        actor=ben,
        agency=acting(ben).agency,
        target=person,
        subject_id=person.pk,
        basis="own_agency",
    )
    record(
        action=AuditAction.PERSON_VIEWED,
        actor=gero,
        agency=acting(gero).agency,
        target=elsewhere,
        subject_id=elsewhere.pk,
        basis="own_agency",
    )
    client = client_for(frida)
    queue = client.get(reverse("consent:break_glass_review")).content.decode()
    assert "2 reads and changes of the person while it was open." in queue
    assert reverse("consent:break_glass_detail", kwargs={"pk": glass.pk}) in queue
    html = client.get(reverse("consent:break_glass_detail", kwargs={"pk": glass.pk}))
    assert html.status_code == 200
    page = html.content.decode()
    reads = page.split('data-testid="glass-read"')[1:]
    assert len(reads) == 2
    assert "Person viewed" in reads[0]
    assert "Emergency access" in reads[0]  # the read relied on it
    assert "Nadia Sabri" in page
    assert "Gero Graf (KIM Integration)" in page
    assert ">gero<" not in page
    assert "Omar" not in page


def test_an_access_for_an_unknown_id_opened_nothing(frida, gero, client_for):
    glass = break_glass_open(
        subject=None,
        public_id="P-0000-0000",
        reason="A child is in danger and nobody can be reached.",
        membership=acting(gero),
        actor=gero,
    )
    html = client_for(frida).get(reverse("consent:break_glass_detail", kwargs={"pk": glass.pk}))
    assert 'data-testid="unknown-id"' in html.content.decode()
    assert 'data-testid="no-reads"' in html.content.decode()


def test_the_dpo_reviews_on_the_access_page(frida, gero, anna, client_for):
    glass = _glass(gero, _person(anna, "Nadia", "Sabri"))
    client = client_for(frida)
    url = reverse("consent:break_glass_detail", kwargs={"pk": glass.pk})
    empty = client.post(url, {"glass": glass.pk})
    assert empty.status_code == 200
    assert f'href="#id_review-{glass.pk}-decision"' in empty.content.decode()
    done = client.post(url, {f"review-{glass.pk}-decision": "justified"})
    assert done.status_code == 302
    glass.refresh_from_db()
    assert (glass.review, glass.reviewed_by) == (BreakGlass.Review.JUSTIFIED, frida)
    after = client.get(url).content.decode()
    assert "Frida Fischer" in after
    assert 'name="review-' not in after  # decided once


def test_only_the_dpo_opens_an_access_page(anna, gero, ben, frida, client_for):
    glass = _glass(gero, _person(anna, "Nadia", "Sabri"))
    url = reverse("consent:break_glass_detail", kwargs={"pk": glass.pk})
    for user in (anna, gero, ben):
        assert client_for(user).get(url).status_code == 404
    assert client_for(frida).get(url).status_code == 200
    missing = reverse("consent:break_glass_detail", kwargs={"pk": glass.pk + 100})
    assert client_for(frida).get(missing).status_code == 404


def test_the_access_page_issues_a_fixed_number_of_queries(frida, gero, anna, ben, client_for):
    person = _person(anna, "Nadia", "Sabri")
    household_member = _person(anna, "Lina", "Sabri")
    glass = _glass(gero, person)
    client = client_for(frida)
    url = reverse("consent:break_glass_detail", kwargs={"pk": glass.pk})

    def read(n: int) -> None:
        for index in range(n):
            record(
                action=AuditAction.PERSON_VIEWED if index % 2 else AuditAction.CASES_LISTED,
                actor=gero,
                agency=acting(gero).agency,
                target=person if index % 2 else None,
                subject_id=person.pk if index % 2 else None,
                subject_ids=[person.pk, household_member.pk],
                basis=f"break_glass:{glass.pk}" if index % 2 else "",
                detail=None if index % 2 else {"shown": [1, 2], "bases": ["own_agency"]},
            )

    def count() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured.captured_queries)

    read(2)  # one of each kind: a read of the person under the access, a list
    client.get(url)
    one = count()
    read(18)
    assert one == count() == GLASS_PAGE_QUERIES
