"""Journeys through the consent pages, the legal-basis register and emergency access."""

from __future__ import annotations

import re
from datetime import date, timedelta
from typing import Any

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from lotse.accounts.models import Agency, User
from lotse.accounts.tests.factories import acting
from lotse.audit.models import AuditAction, AuditEvent
from lotse.audit.services import chain_lock_queries
from lotse.cases.models import JournalEntry
from lotse.consent.categories import DataCategory
from lotse.consent.form import FORM_VERSION
from lotse.consent.models import BreakGlass, ConsentDeclaration, ConsentPurpose, LegalBasis
from lotse.consent.services import break_glass_open, consent_record
from lotse.consent.tests.factories import given_consent
from lotse.people.models import Person
from lotse.people.services import PersonData, person_register

pytestmark = pytest.mark.django_db

# Pinned: list pages must not issue more queries as they grow (1 row vs 20 rows).
# With the disclosers' confirmations, the persons the page names (the register: their ids
# beside the audit event; the person's register: whether names may be shown).
REGISTER_QUERIES = 15 + chain_lock_queries()
PERSON_REGISTER_QUERIES = 16 + chain_lock_queries()
LEGAL_BASES_QUERIES = 4
REVIEW_QUERIES = 12 + chain_lock_queries()


@pytest.fixture
def client_for(client_for: Any) -> Any:
    """The cast's clients, reading the pages in English (the source language of the texts)."""

    def make(user: Any) -> Any:
        client = client_for(user)
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
        return client

    return make


def _register(
    user: User, given: str = "Leyla", family: str = "Rahimi", born: date = date(2004, 4, 1)
) -> Person:
    return person_register(
        data=PersonData(given_names=given, family_name=family, birth_date=born),
        membership=acting(user),
        actor=user,
    )


def _consent_form(recipients: list[Agency], categories: list[str], **extra: Any) -> dict[str, Any]:
    today = timezone.localdate()
    data: dict[str, Any] = {
        "status": "given",
        "given_by": "subject",
        "guardian_name": "",
        "recipient_agencies": [agency.pk for agency in recipients],
        "categories": categories,
        "purpose": ConsentPurpose.CASE_MANAGEMENT,
        "purpose_text": "",
        "valid_from": today.isoformat(),
        "valid_until": (today + timedelta(days=730)).isoformat(),
        "form_language": "ar",
        "form_version": FORM_VERSION,
        "no_scan_reason": "Signed on paper; the scan follows.",
    }
    data.update(extra)
    return data


def _entry_block(html: str, text: str) -> str:
    """The journal entry on a page that contains ``text`` ('' if none does)."""
    for block in html.split('data-testid="journal-entry"')[1:]:
        if text in block.split("</article>")[0]:
            return block.split("</article>")[0]
    return ""


def _queries(client: Any, url: str) -> int:
    client.get(url)  # warm: session and membership, as on every later click
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured.captured_queries)


# --- the acceptance journey (issue 4, "done when") ------------------------------------------------


def test_consent_opens_the_entrusted_note_and_withdrawal_closes_it_on_the_next_request(
    ben, anna, dora, agencies, client_for
):
    ben_client, anna_client = client_for(ben), client_for(anna)
    person = _register(ben)
    entry_url = reverse("cases:entry_create", kwargs={"public_id": person.public_id})
    journal_url = reverse("cases:person_journal", kwargs={"public_id": person.public_id})

    # ben (Jugendamt) records an entrusted youth-welfare note and a health note.
    for category, entrusted, text in [
        (DataCategory.YOUTH_WELFARE, "on", "Mother confided worries about the eldest son."),
        (DataCategory.HEALTH, "", "The son has asthma; inhaler twice a day."),
    ]:
        response = ben_client.post(
            entry_url,
            {
                "kind": "talk",
                "category": category,
                "entrusted": entrusted,
                "text": text,
                "occurred_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
            },
        )
        assert response.status_code == 302, response.content.decode()[:2000]
    assert JournalEntry.objects.filter(subject=person, entrusted=True).count() == 1

    # anna (KIM) sees nothing: not the person, not the journal.
    assert anna_client.get(journal_url).status_code == 404

    # ben records the family's consent for KIM: identity and youth welfare, entrusted included.
    response = ben_client.post(
        reverse("consent:record", kwargs={"public_id": person.public_id}),
        _consent_form(
            [agencies.kim],
            [DataCategory.IDENTITY, DataCategory.YOUTH_WELFARE],
            includes_entrusted="on",
        ),
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    consent = ConsentDeclaration.objects.get(subject=person)
    assert response["Location"] == reverse("consent:detail", kwargs={"pk": consent.pk})
    assert consent.status == ConsentDeclaration.Status.GIVEN

    # anna sees the entrusted note with its basis — and not the health note.
    html = anna_client.get(journal_url).content.decode()
    note = _entry_block(html, "Mother confided worries")
    assert note, html
    assert 'data-testid="why"' in note
    assert "Why do I see this?" in note
    assert f"Consent no. {consent.pk}" in note
    assert "asthma" not in html
    german = client_for(anna)
    german.cookies[settings.LANGUAGE_COOKIE_NAME] = "de"
    assert "Warum sehe ich das?" in _entry_block(
        german.get(journal_url).content.decode(), "Mother confided worries"
    )
    note_entry = JournalEntry.objects.get(subject=person, entrusted=True)
    detail = anna_client.get(reverse("cases:entry_detail", kwargs={"pk": note_entry.pk}))
    assert detail.status_code == 200
    assert f"Consent no. {consent.pk}" in detail.content.decode()

    # ben withdraws; anna's very next request finds nothing.
    response = ben_client.post(
        reverse("consent:withdraw", kwargs={"pk": consent.pk}),
        {"reason": "The mother withdrew it by phone."},
    )
    assert response.status_code == 302
    assert anna_client.get(journal_url).status_code == 404
    assert (
        anna_client.get(reverse("cases:entry_detail", kwargs={"pk": note_entry.pk})).status_code
        == 404
    )

    # A consent covering health for the Ausländerbehörde is refused with the rule.
    dora_person = _register(ben, "Omid", "Karimi")
    response = ben_client.post(
        reverse("consent:record", kwargs={"public_id": dora_person.public_id}),
        _consent_form([agencies.abh], [DataCategory.IDENTITY, DataCategory.HEALTH]),
    )
    assert response.status_code == 400
    page = response.content.decode()
    error = page.split('data-testid="categories-error"')[1].split("</div>")[0]
    assert "§ 88 Abs. 2 AufenthG" in error
    assert 'href="#id_categories"' in page  # the error summary names the field
    assert not ConsentDeclaration.objects.filter(subject=dora_person).exists()


# --- recording ------------------------------------------------------------------------------------


def test_every_wrong_field_is_named_in_the_error_summary(anna, client_for):
    person = _register(anna)
    response = client_for(anna).post(
        reverse("consent:record", kwargs={"public_id": person.public_id}),
        {"status": "given", "given_by": "subject", "valid_from": "", "valid_until": ""},
    )
    assert response.status_code == 400
    summary = response.content.decode().split('id="error-summary"')[1].split("</ul>")[0]
    for anchor, label in [
        ("id_recipient_agencies", "Who may receive the information?"),
        ("id_categories", "Which information?"),
        ("id_purpose", "What for?"),
        ("id_valid_from", "Valid from"),
    ]:
        assert f'href="#{anchor}"' in summary
        assert label in summary


def test_guardian_must_be_named_and_other_purpose_described(anna, agencies, client_for):
    person = _register(anna, born=date(2016, 4, 1))
    url = reverse("consent:record", kwargs={"public_id": person.public_id})
    client = client_for(anna)
    form = _consent_form([agencies.jobcenter], [DataCategory.WORK], given_by="guardian")
    other = client.post(url, {**form, "purpose": ConsentPurpose.OTHER}).content.decode()
    assert 'href="#id_purpose_text"' in other
    assert "Describe the purpose." in other
    guardian = client.post(url, form).content.decode()
    assert 'href="#id_guardian_name"' in guardian
    assert "Name the parent or guardian." in guardian
    assert not ConsentDeclaration.objects.exists()
    assert client.post(url, {**form, "guardian_name": "Farida Rahimi"}).status_code == 302


def test_the_firewall_note_turns_into_a_warning_when_the_foreigners_authority_is_ticked(
    anna, agencies, client_for
):
    person = _register(anna)
    url = reverse("consent:record", kwargs={"public_id": person.public_id})
    client = client_for(anna)
    plain = client.get(url).content.decode()
    note = plain.split('id="firewall-note"')[1].split(">")[0]
    assert "kern-alert--info" in note
    assert "§ 88 Abs. 2 AufenthG" in plain
    assert "§ 65 SGB VIII" in plain
    # What htmx asks for when the Ausländerbehörde is ticked.
    ticked = client.get(
        url, {"recipient_agencies": [agencies.abh.pk]}, headers={"HX-Request": "true"}
    )
    note = ticked.content.decode().split('id="firewall-note"')[1].split(">")[0]
    assert "kern-alert--warning" in note


def test_the_entrusted_box_of_the_record_form_is_explained(anna, client_for):
    person = _register(anna)
    page = client_for(anna).get(reverse("consent:record", kwargs={"public_id": person.public_id}))
    html = page.content.decode()
    assert 'name="includes_entrusted"' in html
    # Categories come with a plain explanation each.
    assert "Illness, disability, pregnancy" in html
    # Recipient agencies are named one by one: there is no "all" choice.
    assert "all authorities" in html
    assert 'value="all"' not in html


def test_signed_form_must_be_a_pdf_jpeg_or_png(anna, agencies, client_for, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    person = _register(anna)
    url = reverse("consent:record", kwargs={"public_id": person.public_id})
    client = client_for(anna)
    wrong = SimpleUploadedFile("form.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf")
    response = client.post(
        url, {**_consent_form([agencies.jobcenter], ["work"]), "signed_form": wrong}
    )
    assert response.status_code == 400
    assert "Upload the signed form as PDF, JPEG or PNG." in response.content.decode()
    assert not ConsentDeclaration.objects.exists()

    scan = SimpleUploadedFile("form.pdf", b"%PDF-1.4\n%signed\n", content_type="application/pdf")
    response = client.post(
        url, {**_consent_form([agencies.jobcenter], ["work"]), "signed_form": scan}
    )
    assert response.status_code == 302
    consent = ConsentDeclaration.objects.get()
    assert consent.signed_form.name.endswith(".pdf")
    assert consent.form_language == "ar"
    assert consent.recorded_by == anna


def test_a_refused_consent_opens_nothing(anna, agencies, client_for):
    person = _register(anna)
    response = client_for(anna).post(
        reverse("consent:record", kwargs={"public_id": person.public_id}),
        _consent_form([agencies.jobcenter], ["work"], status="refused"),
    )
    assert response.status_code == 302
    consent = ConsentDeclaration.objects.get()
    assert consent.status == ConsentDeclaration.Status.REFUSED
    assert not consent.grants.exists()


# --- registers, detail, withdrawal, print ---------------------------------------------------------


def _given(user: User, person: Person, recipients: list[Agency], **extra: Any) -> Any:
    return consent_record(
        subject=person,
        data=given_consent(
            recipient_agencies=recipients,
            categories=extra.pop("categories", [DataCategory.IDENTITY]),
            purpose=ConsentPurpose.CASE_MANAGEMENT,
            **extra,
        ),
        membership=acting(user),
        actor=user,
    )


def test_person_register_lists_the_persons_consents_and_is_audited(anna, agencies, client_for):
    person = _register(anna)
    consent = _given(anna, person, [agencies.jobcenter])
    response = client_for(anna).get(
        reverse("consent:person_register", kwargs={"public_id": person.public_id})
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert f"Consent no. {consent.pk}" in html
    assert "Jobcenter" in html
    event = AuditEvent.objects.filter(action=AuditAction.CONSENT_VIEWED).latest("pk")
    assert event.subject_id == person.pk
    assert event.detail["shown"] == [consent.pk]


def test_withdrawal_needs_a_reason_named_in_the_summary(anna, agencies, client_for):
    consent = _given(anna, _register(anna), [agencies.jobcenter])
    response = client_for(anna).post(
        reverse("consent:withdraw", kwargs={"pk": consent.pk}), {"reason": "  "}
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert 'href="#id_reason"' in html
    assert "Give the reason for the withdrawal." in html
    consent.refresh_from_db()
    assert consent.status == ConsentDeclaration.Status.GIVEN


def test_consent_of_another_agency_that_names_nobody_of_mine_is_missing(
    anna, cem, agencies, client_for
):
    consent = _given(cem, _register(cem), [agencies.jugendamt])
    url = reverse("consent:detail", kwargs={"pk": consent.pk})
    assert client_for(anna).get(url).status_code == 404
    denied = AuditEvent.objects.filter(action=AuditAction.ACCESS_DENIED).latest("pk")
    assert denied.actor == anna
    assert client_for(cem).get(url).status_code == 200


def test_print_links_download_the_form_in_the_chosen_language(anna, agencies, client_for):
    consent = _given(anna, _register(anna), [agencies.jobcenter])
    client = client_for(anna)
    html = client.get(reverse("consent:detail", kwargs={"pk": consent.pk})).content.decode()
    for code in ("de", "en", "ar", "fa", "uk", "tr", "ru"):
        assert reverse("consent:print_form", kwargs={"pk": consent.pk, "language": code}) in html
    response = client.get(
        reverse("consent:print_form", kwargs={"pk": consent.pk, "language": "fa"})
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert "attachment" in response["Content-Disposition"]
    missing = reverse("consent:print_form", kwargs={"pk": consent.pk, "language": "xx"})
    assert client.get(missing).status_code == 404


def test_a_recipient_who_cannot_see_the_person_gets_no_printed_form_and_no_names(
    anna, ben, agencies, client_for
):
    # Youth welfare only, no identity: KIM sees the consent (it is named) but not the person.
    person = _register(ben, born=date(2016, 4, 1))
    consent = _given(
        ben,
        person,
        [agencies.kim],
        categories=[DataCategory.YOUTH_WELFARE],
        given_by="guardian",
        guardian_name="Farida Rahimi",
    )
    client = client_for(anna)
    html = client.get(reverse("consent:detail", kwargs={"pk": consent.pk})).content.decode()
    assert person.public_id in html
    assert "Farida" not in html
    assert "Leyla" not in html
    assert 'data-testid="print-links"' not in html
    url = reverse("consent:print_form", kwargs={"pk": consent.pk, "language": "de"})
    assert client.get(url).status_code == 404


# --- the DPO's register ---------------------------------------------------------------------------


def test_dpo_register_filters_by_status_and_names_the_persons_of_the_consents(
    frida, anna, cem, agencies, client_for
):
    person = _register(anna, "Samira", "Haddad")
    kept = _given(anna, person, [agencies.jobcenter], guardian_name="")
    gone = _given(cem, _register(cem, "Yusuf", "Bakri"), [agencies.kim])
    gone.status = ConsentDeclaration.Status.WITHDRAWN
    gone.save()
    client = client_for(frida)
    html = client.get(reverse("consent:register")).content.decode()
    assert person.public_id in html
    # The DPO keeps the register: the persons who gave a consent are named there.
    for name in ("Samira Haddad", "Yusuf Bakri"):
        assert name in html
    withdrawn = client.get(reverse("consent:register"), {"status": "withdrawn"}).content.decode()
    assert f"Consent no. {gone.pk}" in withdrawn
    assert f"Consent no. {kept.pk}" not in withdrawn
    by_person = client.get(reverse("consent:register"), {"person": person.public_id.lower()})
    assert f"Consent no. {kept.pk}" in by_person.content.decode()
    assert f"Consent no. {gone.pk}" not in by_person.content.decode()
    unknown = client.get(reverse("consent:register"), {"person": "P-0000-0000"}).content.decode()
    assert 'href="#id_person"' in unknown
    assert "No person with this Lotse ID." in unknown
    detail = client.get(reverse("consent:detail", kwargs={"pk": kept.pk})).content.decode()
    assert "Consent of Samira Haddad of" in detail
    # No content and no link to the person page: the DPO reads the consent, not the case.
    assert reverse("people:person_detail", kwargs={"public_id": person.public_id}) not in detail
    assert 'data-testid="print-links"' not in detail
    assert "Withdraw consent" not in detail  # the DPO records no consents


# --- legal bases ----------------------------------------------------------------------------------


def _basis_form(**extra: Any) -> dict[str, Any]:
    return {
        "from_kind": Agency.Kind.JOBCENTER,
        "to_kind": Agency.Kind.INTEGRATION_OFFICE,
        "categories": [DataCategory.WORK],
        "citation": "§ 50 SGB II",
        "note": "Coordination of integration into work.",
        "is_active": "on",
        **extra,
    }


def test_only_the_dpo_registers_a_legal_basis(frida, anna, gero, client_for):
    url = reverse("consent:legal_basis_create")
    for user in (anna, gero):
        assert client_for(user).post(url, _basis_form()).status_code == 404
    assert not LegalBasis.objects.exists()
    response = client_for(frida).post(url, _basis_form())
    assert response.status_code == 302
    basis = LegalBasis.objects.get()
    assert basis.citation == "§ 50 SGB II"
    assert AuditEvent.objects.filter(action=AuditAction.LEGAL_BASIS_SAVED).count() == 1
    # Caseworkers read the register, but without the change links.
    html = client_for(anna).get(reverse("consent:legal_bases")).content.decode()
    assert "§ 50 SGB II" in html
    assert reverse("consent:legal_basis_edit", kwargs={"pk": basis.pk}) not in html


def test_a_legal_basis_cannot_open_what_the_firewall_closes(frida, client_for):
    response = client_for(frida).post(
        reverse("consent:legal_basis_create"),
        _basis_form(to_kind=Agency.Kind.FOREIGNERS_AUTHORITY, categories=["health"]),
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert 'href="#id_categories"' in html
    assert not LegalBasis.objects.exists()


def test_dpo_edits_and_deactivates_a_legal_basis(frida, client_for):
    basis = LegalBasis.objects.create(
        from_kind=Agency.Kind.JOBCENTER,
        to_kind=Agency.Kind.INTEGRATION_OFFICE,
        categories=["work"],
        citation="§ 50 SGB II",
    )
    url = reverse("consent:legal_basis_edit", kwargs={"pk": basis.pk})
    client = client_for(frida)
    assert 'value="§ 50 SGB II"' in client.get(url).content.decode()
    form = _basis_form(citation="§ 50 Abs. 1 SGB II")
    form.pop("is_active")
    assert client.post(url, form).status_code == 302
    basis.refresh_from_db()
    assert basis.citation == "§ 50 Abs. 1 SGB II"
    assert not basis.is_active


# --- emergency access -----------------------------------------------------------------------------


def test_emergency_access_with_a_short_reason_is_refused(gero, anna, client_for):
    person = _register(anna)
    url = reverse("consent:break_glass", kwargs={"public_id": person.public_id})
    response = client_for(gero).post(url, {"reason": "urgent"})
    assert response.status_code == 200
    html = response.content.decode()
    assert 'href="#id_reason"' in html
    assert "at least 20 characters" in html
    assert not BreakGlass.objects.exists()


def test_emergency_access_opens_the_persons_items_except_entrusted_ones(gero, ben, client_for):
    person = _register(ben)
    for category, entrusted, text in [
        (DataCategory.HEALTH, False, "Hospital admission after a fall."),
        (DataCategory.YOUTH_WELFARE, True, "The father confided debts."),
    ]:
        JournalEntry.objects.create(
            subject=person,
            owner_agency=acting(ben).agency,
            category=category,
            entrusted=entrusted,
            text=text,
            author=ben,
        )
    client = client_for(gero)
    journal = reverse("cases:person_journal", kwargs={"public_id": person.public_id})
    assert client.get(journal).status_code == 404
    url = reverse("consent:break_glass", kwargs={"public_id": person.public_id})
    page = client.get(url)
    assert page.status_code == 200
    assert "Leyla" not in page.content.decode()  # not visible yet: the Lotse ID only
    response = client.post(url, {"reason": "Child in danger, the family cannot be reached."})
    assert response.status_code == 302
    glass = BreakGlass.objects.get()
    assert glass.review == BreakGlass.Review.PENDING
    html = client.get(url).content.decode()
    assert 'data-testid="break-glass-active"' in html
    assert "open until" in html
    journal_html = client.get(journal).content.decode()
    assert "Hospital admission" in journal_html
    assert "confided debts" not in journal_html
    assert "Emergency access until" in _entry_block(journal_html, "Hospital admission")


def test_only_team_leads_open_emergency_access(anna, client_for):
    person = _register(anna)
    url = reverse("consent:break_glass", kwargs={"public_id": person.public_id})
    assert client_for(anna).get(url).status_code == 404
    missing = reverse("consent:break_glass", kwargs={"public_id": "P-0000-0000"})
    assert client_for(anna).get(missing).status_code == 404


def test_dpo_reviews_emergency_access_and_an_unjustified_one_ends_now(
    frida, gero, anna, client_for
):
    person = _register(anna, "Nadia", "Sabri")
    glass = break_glass_open(
        subject=person,
        reason="Child in danger, the family cannot be reached.",
        membership=acting(gero),
        actor=gero,
    )
    client = client_for(frida)
    url = reverse("consent:break_glass_review")
    html = client.get(url).content.decode()
    assert person.public_id in html
    # The DPO reviews the access: its person is named, and who opened it by full name.
    assert "Nadia Sabri" in html
    assert gero.get_full_name() in html
    assert "Child in danger" in html
    empty = client.post(url, {"glass": glass.pk})
    assert empty.status_code == 200
    assert f'href="#id_review-{glass.pk}-decision"' in empty.content.decode()
    response = client.post(
        url,
        {
            "glass": glass.pk,
            f"review-{glass.pk}-decision": "unjustified",
            f"review-{glass.pk}-note": "Not an emergency.",
        },
    )
    assert response.status_code == 302
    glass.refresh_from_db()
    assert glass.review == BreakGlass.Review.UNJUSTIFIED
    assert glass.expires_at <= timezone.now()
    assert glass.reviewed_by == frida


# --- query counts ---------------------------------------------------------------------------------


def _more_consents(user: User, agencies: Any, n: int) -> Person:
    person = _register(user)
    for _ in range(n):
        _given(user, person, [agencies.jobcenter, agencies.caritas])
    return person


def test_consent_registers_issue_a_fixed_number_of_queries(anna, frida, agencies, client_for):
    person = _more_consents(anna, agencies, 1)
    own = reverse("consent:person_register", kwargs={"public_id": person.public_id})
    dpo = reverse("consent:register")
    one = (_queries(client_for(anna), own), _queries(client_for(frida), dpo))
    for _ in range(19):
        _given(anna, person, [agencies.jobcenter, agencies.caritas])
    twenty = (_queries(client_for(anna), own), _queries(client_for(frida), dpo))
    assert one == twenty == (PERSON_REGISTER_QUERIES, REGISTER_QUERIES)


def test_legal_bases_and_review_queue_issue_a_fixed_number_of_queries(
    frida, gero, anna, client_for
):
    def add(n: int) -> None:
        for index in range(n):
            LegalBasis.objects.create(
                from_kind=Agency.Kind.JOBCENTER,
                to_kind=Agency.Kind.INTEGRATION_OFFICE,
                categories=["work"],
                citation=f"§ {index} SGB II",
            )
            break_glass_open(
                subject=_register(anna, f"Name{index}", "Test"),
                reason="Child in danger, the family cannot be reached.",
                membership=acting(gero),
                actor=gero,
            )

    client = client_for(frida)
    add(1)
    one = (
        _queries(client, reverse("consent:legal_bases")),
        _queries(client, reverse("consent:break_glass_review")),
    )
    add(19)
    twenty = (
        _queries(client, reverse("consent:legal_bases")),
        _queries(client, reverse("consent:break_glass_review")),
    )
    assert one == twenty == (LEGAL_BASES_QUERIES, REVIEW_QUERIES)
    assert re.search(
        r"20 emergency accesses await your review",
        client.get(reverse("consent:break_glass_review")).content.decode(),
    )


# --- the lifecycle in the interface (issue 5, item 9) -------------------------------------------


def _family_of_three(user: User) -> tuple[Person, Person, Person]:
    from lotse.people.services import HouseholdData, MemberData, household_register

    head = _register(user, "Rana", "Aziz", born=date(1988, 3, 3))
    child = _register(user, "Samir", "Aziz", born=date(2017, 6, 6))
    teen = _register(user, "Lina", "Aziz", born=date(2010, 1, 1))
    household_register(
        household=HouseholdData(street="Hofaue 1"),
        members=[
            MemberData(person=None, role="head", existing=head),
            MemberData(person=None, role="child", existing=child),
            MemberData(person=None, role="child", existing=teen),
        ],
        membership=acting(user),
        actor=user,
    )
    return head, child, teen


def test_one_form_records_the_same_consent_for_several_household_members(
    anna, agencies, client_for, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    head, child, teen = _family_of_three(anna)
    client = client_for(anna)
    url = reverse("consent:record", kwargs={"public_id": head.public_id})
    page = client.get(url).content.decode()
    assert "Samir Aziz" in page
    assert "Lina Aziz" in page
    scan = SimpleUploadedFile("signed.pdf", b"%PDF-1.4 one sheet, three signatures")
    form = _consent_form(
        [agencies.jobcenter],
        [DataCategory.IDENTITY],
        guardian_name="Rana Aziz",
        also_for=[child.public_id, teen.public_id],
        signed_form=scan,
    )
    form.pop("no_scan_reason")
    response = client.post(url, form)
    assert response.status_code == 302, response.content.decode()[:3000]
    by_person = {c.subject_id: c for c in ConsentDeclaration.objects.all()}
    assert set(by_person) == {head.pk, child.pk, teen.pk}
    # The mother for herself; the 9-year-old through her; the 16-year-old himself (§ 36 SGB I).
    assert (by_person[head.pk].given_by, by_person[head.pk].guardian_name) == ("subject", "")
    assert (by_person[child.pk].given_by, by_person[child.pk].guardian_name) == (
        "guardian",
        "Rana Aziz",
    )
    assert by_person[teen.pk].given_by == "subject"
    for consent in by_person.values():
        assert consent.status == ConsentDeclaration.Status.GIVEN
        assert consent.signed_form.read() == b"%PDF-1.4 one sheet, three signatures"


def test_a_household_member_error_names_the_member_and_saves_nothing(anna, agencies, client_for):
    head, child, _teen = _family_of_three(anna)
    client = client_for(anna)
    url = reverse("consent:record", kwargs={"public_id": head.public_id})
    # No guardian named: the child under 15 cannot be included.
    response = client.post(
        url,
        _consent_form([agencies.jobcenter], [DataCategory.IDENTITY], also_for=[child.public_id]),
    )
    assert response.status_code == 400
    assert "For Samir Aziz: Name the parent or guardian." in response.content.decode()
    assert not ConsentDeclaration.objects.exists()


def test_a_requested_consent_is_given_later_with_the_scan_or_refused(anna, agencies, client_for):
    person = _register(anna)
    client = client_for(anna)
    requested = client.post(
        reverse("consent:record", kwargs={"public_id": person.public_id}),
        _consent_form([agencies.jobcenter], [DataCategory.WORK], status="requested"),
    )
    assert requested.status_code == 302
    consent = ConsentDeclaration.objects.get()
    assert consent.status == ConsentDeclaration.Status.REQUESTED
    assert not consent.grants.exists()
    detail = client.get(reverse("consent:detail", kwargs={"pk": consent.pk})).content.decode()
    assert "The family has decided" in detail
    give = reverse("consent:give", kwargs={"pk": consent.pk})
    missing = client.post(give, {})
    assert 'href="#id_no_scan_reason"' in missing.content.decode()
    assert (
        client.post(give, {"no_scan_reason": "Signed at home; the scan follows."}).status_code
        == 302
    )
    consent.refresh_from_db()
    assert consent.status == ConsentDeclaration.Status.GIVEN
    assert consent.grants.filter(active=True).exists()
    # Decided once: no second decision, and no refusal of a given consent.
    again = client.post(reverse("consent:refuse", kwargs={"pk": consent.pk}), follow=True)
    assert "Only a requested consent can be refused." in again.content.decode()


def test_the_printable_form_is_available_before_saving(anna, agencies, client_for):
    person = _register(anna)
    client = client_for(anna)
    response = client.post(
        reverse("consent:print_draft", kwargs={"public_id": person.public_id}),
        {
            **_consent_form([agencies.jobcenter], [DataCategory.WORK]),
            "print_language": "ar",
        },
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert not ConsentDeclaration.objects.exists()
    event = AuditEvent.objects.filter(action=AuditAction.PERSON_VIEWED).latest("pk")
    assert event.detail["section"] == "consent_draft"
    # What the form says must be right before it is printed: the errors are named.
    wrong = client.post(
        reverse("consent:print_draft", kwargs={"public_id": person.public_id}),
        {"print_language": "ar"},
    )
    assert wrong.status_code == 400
    assert 'href="#id_recipient_agencies"' in wrong.content.decode()


def test_the_own_agency_is_never_offered_as_recipient(anna, agencies, client_for):
    person = _register(anna)
    page = client_for(anna).get(reverse("consent:record", kwargs={"public_id": person.public_id}))
    choices = page.content.decode().split('id="id_recipient_agencies"')[1].split("</fieldset>")[0]
    assert f'value="{agencies.kim.pk}"' not in choices
    assert f'value="{agencies.jobcenter.pk}"' in choices
