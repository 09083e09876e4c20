"""The printable consent form: a real PDF that lists exactly what the declaration opens."""

from __future__ import annotations

import io
import re
from datetime import date

import pytest
from pypdf import PdfReader

from lotse.accounts.models import Agency
from lotse.consent import form, pdf
from lotse.consent.categories import DataCategory
from lotse.consent.models import ConsentPurpose
from lotse.consent.services import consent_record
from lotse.consent.tests.factories import given_consent
from lotse.people.services import PersonData, person_register

pytestmark = pytest.mark.django_db

CHOSEN = ["identity", "language", "case_plan"]


def text_of(document: bytes) -> str:
    """The PDF's text with all runs of whitespace (line and page breaks) made one space."""
    assert document.startswith(b"%PDF-")
    reader = PdfReader(io.BytesIO(document))
    return " ".join(" ".join(page.extract_text() or "" for page in reader.pages).split())


def norm(text: str) -> str:
    return " ".join(text.replace("\u200e", "").split())


def section(text: str, start: str, end: str) -> str:
    begin = text.index(start)
    return text[begin : text.index(end, begin)]


def arabic_words(text: str) -> set[str]:
    return set(re.findall(r"[\u0600-\u06ff]+", text))


@pytest.fixture
def amal(anna):
    return person_register(
        data=PersonData(
            given_names="Amal",
            family_name="Haddad",
            native_name="أمل حداد",
            birth_date=date(1988, 4, 2),
        ),
        membership=anna.primary_membership(),
        actor=anna,
    )


def record(user, person, **values):
    data = given_consent(**values)
    return consent_record(
        subject=person, data=data, membership=user.primary_membership(), actor=user
    )


@pytest.fixture
def consent(anna, agencies, amal):
    return record(
        anna,
        amal,
        recipient_agencies=[agencies.jugendamt, agencies.jobcenter],
        disclosing_agencies=[agencies.kim],
        categories=CHOSEN,
        purpose=ConsentPurpose.CASE_MANAGEMENT,
        purpose_text="Gemeinsamer Integrationsplan für die Familie Haddad",
        valid_from=date(2026, 5, 1),
        valid_until=date(2028, 4, 30),
        form_version=form.FORM_VERSION,
    )


@pytest.fixture
def abh_consent(anna, agencies, amal):
    return record(
        anna,
        amal,
        recipient_agencies=[agencies.abh],
        disclosing_agencies=[agencies.kim],
        categories=["identity", "residence"],
        purpose=ConsentPurpose.RESIDENCE,
    )


def test_german_form_lists_exactly_what_was_chosen(consent, amal):
    text = text_of(pdf.consent_form_pdf(consent, "de"))

    assert form.GERMAN.title in text
    assert "Amal Haddad" in text
    assert amal.public_id in text
    assert "02.04.1988" in text
    assert "Jugendamt" in text
    assert "Jobcenter" in text
    assert "KIM Integration" in text
    assert "01.05.2026" in text
    assert "30.04.2028" in text
    assert form.GERMAN.purposes["case_management"] in text
    assert "Gemeinsamer Integrationsplan für die Familie Haddad" in text
    assert "Unterschrift der einwilligenden Person" in text
    assert "Wenden Sie sich an KIM Integration" in text
    assert "{" not in text

    categories = section(text, form.GERMAN.categories_label, form.GERMAN.purpose)
    for code in DataCategory.values:
        label = form.GERMAN.categories[code][0]
        if code in CHOSEN:
            assert label in categories
        else:
            assert label not in categories, label
    # Not named anywhere: the Ausländerbehörde is no recipient, nothing entrusted is included.
    assert "Caritas" not in text
    assert "Arbeit, Qualifikation, Anerkennung" not in text
    assert "Finanzen und Leistungen" not in text
    assert "als Empfängerin genannt" not in text
    assert "§ 65 SGB VIII" not in text


def test_bilingual_form_lists_the_chosen_labels_in_both_languages(consent):
    text = text_of(pdf.consent_form_pdf(consent, "en"))

    assert form.GERMAN.title in text
    assert form.ENGLISH.title in text
    categories = section(text, form.GERMAN.categories_label, form.GERMAN.purpose)
    for code in DataCategory.values:
        for texts in (form.GERMAN, form.ENGLISH):
            label = texts.categories[code][0]
            assert (label in categories) is (code in CHOSEN), label
    assert "Coordinated case management (integration plan)" in text


@pytest.mark.parametrize("language", form.LANGUAGES)
def test_every_language_renders(consent, language):
    document = pdf.consent_form_pdf(consent, language)
    text = text_of(document)

    assert form.GERMAN.title in text
    assert "Amal Haddad" in text
    assert "Jugendamt" in text
    assert "KIM Integration" in text
    assert "{" not in text
    assert len(PdfReader(io.BytesIO(document)).pages) <= 3
    chosen = form.TEXTS[language]
    if chosen.direction == form.LTR:
        assert chosen.title in text
        assert chosen.categories["case_plan"][0] in text
        assert chosen.categories["housing"][0] not in text


@pytest.mark.parametrize("language", ["ar", "fa"])
def test_arabic_script_text_is_in_the_pdf(consent, language):
    text = text_of(pdf.consent_form_pdf(consent, language))
    words = arabic_words(text)

    texts = form.TEXTS[language]
    expected = {
        "ar": ["الموافقة", "المعلومات", "الجهات", "الاندماج"],
        "fa": ["رضایت", "اطلاعات", "نهادها", "ادغام"],
    }[language]
    # pypdf gives right-to-left runs in logical order or, with some versions, reversed.
    for word in expected:
        assert word in texts.title + texts.about + texts.recipients + texts.categories_label
        assert word in words or word[::-1] in words, word


def test_the_native_name_is_printed(consent):
    words = arabic_words(text_of(pdf.consent_form_pdf(consent, "de")))
    assert {"أمل", "حداد"} <= words or {"لمأ", "دادح"} <= words


def test_foreigners_authority_explained_only_when_it_is_a_recipient(consent, abh_consent):
    for language in ("de", "en", "tr"):
        texts = form.TEXTS[language]
        marker = texts.foreigners_authority.split("{agencies}")[0].strip()[:40]
        with_abh = text_of(pdf.consent_form_pdf(abh_consent, language))
        without_abh = text_of(pdf.consent_form_pdf(consent, language))
        assert marker in with_abh, language
        assert "Ausländerbehörde" in with_abh
        assert marker not in without_abh, language

    arabic = text_of(pdf.consent_form_pdf(abh_consent, "ar"))
    assert "Ausländerbehörde" in arabic
    german = text_of(pdf.consent_form_pdf(abh_consent, "de"))
    assert "Identität und Kontakt" in german
    assert "Aufenthaltsstatus" in german
    # Health data never reach the foreigners' authority: said on every form.
    assert "niemals an die Ausländerbehörde" in german
    assert "niemals an die Ausländerbehörde" in text_of(pdf.consent_form_pdf(consent, "de"))


def test_entrusted_information_carries_the_section_65_note(ben, agencies):
    # The Jugendamt's own family: what was confided to it is released through it only.
    child = person_register(
        data=PersonData(given_names="Lina", family_name="Haddad", birth_date=date(1990, 1, 5)),
        membership=ben.primary_membership(),
        actor=ben,
    )
    entrusted = record(
        ben,
        child,
        recipient_agencies=[agencies.kim],
        disclosing_agencies=[agencies.jugendamt],
        categories=["youth_welfare"],
        includes_entrusted=True,
        purpose=ConsentPurpose.CASE_CONFERENCE,
    )
    text = text_of(pdf.consent_form_pdf(entrusted, "uk"))

    assert "§ 65 SGB VIII" in text
    assert "Jugendamt darf sie nur mit Einwilligung der Person weitergeben" in text
    assert "Jugendamt може передавати її лише за згодою людини" in text
    assert form.UKRAINIAN.categories["youth_welfare"][0] in text


def test_guardian_consent_names_the_guardian(anna, agencies):
    child = person_register(
        data=PersonData(given_names="Rami", family_name="Haddad", birth_date=date(2016, 9, 1)),
        membership=anna.primary_membership(),
        actor=anna,
    )
    consent = record(
        anna,
        child,
        recipient_agencies=[agencies.jugendamt],
        categories=["education"],
        purpose=ConsentPurpose.REFERRAL,
        given_by="guardian",
        guardian_name="Amal Haddad",
    )
    text = text_of(pdf.consent_form_pdf(consent, "ru"))

    assert "Rami Haddad" in text
    assert "Amal Haddad" in text
    assert "einem Elternteil oder Vormund" in text
    assert "один из родителей или опекун" in text
    # No disclosing agency was named: the form says which ones are meant.
    assert form.GERMAN.disclosing_all in text or "KIM Integration" in text


def test_unknown_language_is_refused(consent):
    with pytest.raises(ValueError, match="not available"):
        pdf.consent_form_pdf(consent, "fr")


@pytest.mark.parametrize("language", form.LANGUAGES)
def test_form_texts_are_complete(language):
    texts = form.TEXTS[language]

    assert texts.direction == (form.RTL if language in {"ar", "fa"} else form.LTR)
    assert set(texts.categories) == set(DataCategory.values)
    assert set(texts.purposes) == set(ConsentPurpose.values)
    assert set(texts.agency_kinds) == set(Agency.Kind.values)
    assert all(label and hint for label, hint in texts.categories.values())
    assert "{agencies}" in texts.foreigners_authority
    assert "{agency}" in texts.contact
    assert "Ausländerbehörde" in texts.foreigners_authority
    assert "Ausländerbehörde" in texts.health
    assert "§ 65 SGB VIII" in norm(texts.entrusted)
    for name, value in vars(texts).items():
        assert value, name
        if isinstance(value, str) and name not in {"foreigners_authority", "contact"}:
            assert "{" not in value, name
