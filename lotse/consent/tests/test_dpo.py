"""The data-protection officer's contact (Art. 13(1)(b) GDPR): on the form in every language,
on the page where a consent is recorded, configured through ``LOTSE_DPO_*``."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings as django_settings
from django.urls import reverse

from lotse.accounts.tests.factories import acting
from lotse.consent import form, pdf
from lotse.consent.dpo import dpo_contact
from lotse.consent.models import ConsentPurpose
from lotse.consent.services import consent_record
from lotse.consent.tests.factories import given_consent
from lotse.people.services import PersonData, person_register

from .test_pdf import arabic_words, text_of

ROOT = Path(__file__).resolve().parents[3]
DPO_FIELDS = ("dpo_heading", "dpo_intro", "dpo_address", "dpo_email", "dpo_phone")


@pytest.fixture
def consent(db: None, anna: Any, agencies: Any) -> Any:
    person = person_register(
        data=PersonData(given_names="Amal", family_name="Haddad", birth_date=date(1988, 4, 2)),
        membership=acting(anna),
        actor=anna,
    )
    return consent_record(
        subject=person,
        data=given_consent(
            recipient_agencies=[agencies.jobcenter],
            categories=["identity", "work"],
            purpose=ConsentPurpose.CASE_MANAGEMENT,
        ),
        membership=acting(anna),
        actor=anna,
    )


# --- settings ---------------------------------------------------------------------------------


def test_development_and_tests_have_a_fictional_contact():
    contact = dpo_contact()
    assert contact.configured
    assert contact.name == "Datenschutzbeauftragte der Stadt"
    assert contact.email.endswith("@example.org")
    assert contact.address
    assert contact.phone


def _lotse(code: str, **env: str) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("LOTSE_")}
    clean.pop("DJANGO_SETTINGS_MODULE", None)
    clean.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    return subprocess.run(  # noqa: S603 - fixed command
        [sys.executable, "-m", "config.manage", "shell", "-c", code],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


PRINT_DPO = (
    "from django.conf import settings as s; "
    "print(repr((s.DPO_NAME, s.DPO_ADDRESS, s.DPO_EMAIL, s.DPO_PHONE)))"
)


def test_the_contact_is_read_from_the_environment():
    result = _lotse(
        PRINT_DPO,
        LOTSE_DPO_NAME="Behördliche Datenschutzbeauftragte",
        LOTSE_DPO_ADDRESS="Postfach 1, 99999 Beispielstadt",
        LOTSE_DPO_EMAIL="dsb@stadt.example.org",
        LOTSE_DPO_PHONE="0123 99-1",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == repr(
        (
            "Behördliche Datenschutzbeauftragte",
            "Postfach 1, 99999 Beispielstadt",
            "dsb@stadt.example.org",
            "0123 99-1",
        )
    )


def test_a_malformed_email_stops_the_start_naming_the_variable():
    result = _lotse(PRINT_DPO, LOTSE_DPO_EMAIL="datenschutz at stadt")
    assert result.returncode != 0
    assert "LOTSE_DPO_EMAIL must be an e-mail address" in result.stderr
    assert "Traceback" not in result.stderr


def test_production_prints_no_demo_contact_and_says_what_is_missing():
    result = _lotse(
        PRINT_DPO,
        LOTSE_ENV="production",
        LOTSE_SECRET_KEY="k3y-" + "a1B2c3D4e5" * 7,
        LOTSE_ALLOWED_HOSTS="lotse.example",
        LOTSE_DPO_EMAIL="datenschutz@stadt.example.org",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == repr(
        ("", "", "datenschutz@stadt.example.org", "")
    )
    assert "LOTSE_DPO_NAME, LOTSE_DPO_ADDRESS, LOTSE_DPO_PHONE" in result.stderr


# --- the printed form -------------------------------------------------------------------------


@pytest.mark.django_db
def test_german_form_names_the_dpo(consent):
    text = text_of(pdf.consent_form_pdf(consent, "de"))
    contact = dpo_contact()
    assert form.GERMAN.dpo_heading in text
    assert "Datenschutzbeauftragten der Stadt:" in text
    for value in (contact.name, contact.address, contact.email, contact.phone):
        assert value in text, value
    assert f"{form.GERMAN.dpo_email}: {contact.email}" in text


@pytest.mark.django_db
def test_arabic_form_names_the_dpo_in_both_columns(consent):
    text = text_of(pdf.consent_form_pdf(consent, "ar"))
    contact = dpo_contact()
    # Twice: in the German column and in the Arabic one, kept left to right.
    assert text.count(contact.email) == 2
    # pypdf may read the "+" of the number into the Arabic run beside it: count the digits.
    assert text.count(contact.phone.removeprefix("+")) == 2
    words = arabic_words(text)
    for word in ("حماية", "البيانات", "الإلكتروني"):
        assert word in form.ARABIC.dpo_heading + form.ARABIC.dpo_email
        assert word in words or word[::-1] in words, word


@pytest.mark.django_db
@pytest.mark.parametrize("language", form.LANGUAGES)
def test_every_language_prints_the_contact(consent, language):
    text = text_of(pdf.consent_form_pdf(consent, language))
    assert dpo_contact().email in text
    chosen = form.TEXTS[language]
    if chosen.direction == form.LTR:
        assert chosen.dpo_heading in text
        assert chosen.dpo_phone in text


@pytest.mark.django_db
def test_the_form_prints_the_configured_contact(consent, settings):
    settings.DPO_NAME = "Amt für Datenschutz"
    settings.DPO_EMAIL = "dsb@stadt.example.org"
    settings.DPO_PHONE = ""
    text = text_of(pdf.consent_form_pdf(consent, "tr"))
    assert "dsb@stadt.example.org" in text
    assert "Amt für Datenschutz" in text
    assert "datenschutz@example.org" not in text
    assert f"{form.TURKISH.dpo_phone}:" not in text  # no phone set: no empty line for it


@pytest.mark.django_db
def test_without_any_contact_the_block_is_left_out(consent, settings):
    settings.DPO_NAME = settings.DPO_ADDRESS = settings.DPO_EMAIL = settings.DPO_PHONE = ""
    text = text_of(pdf.consent_form_pdf(consent, "en"))
    assert form.ENGLISH.dpo_heading not in text
    # The general sentence still points to the city's data protection officer.
    assert "city's data protection officer" in text


@pytest.mark.parametrize("language", [code for code in form.LANGUAGES if code != "en"])
def test_the_contact_labels_are_translated(language):
    texts = form.TEXTS[language]
    for name in DPO_FIELDS:
        assert getattr(texts, name) != getattr(form.ENGLISH, name), (language, name)
    script = {"ar": r"[\u0600-\u06ff]", "fa": r"[\u0600-\u06ff]", "uk": "[а-яіїє]", "ru": "[а-яё]"}
    if language in script:
        for name in DPO_FIELDS:
            assert re.search(script[language], getattr(texts, name).lower()), (language, name)


# --- the recording page -----------------------------------------------------------------------


@pytest.mark.django_db
def test_the_recording_page_shows_the_contact(anna, client_for):
    person = person_register(
        data=PersonData(given_names="Leyla", family_name="Rahimi", birth_date=date(2004, 4, 1)),
        membership=acting(anna),
        actor=anna,
    )
    client = client_for(anna)
    client.cookies[django_settings.LANGUAGE_COOKIE_NAME] = "en"
    html = client.get(
        reverse("consent:record", kwargs={"public_id": person.public_id})
    ).content.decode()
    contact = dpo_contact()
    block = html.split('data-testid="dpo-contact"')[1].split("</address>")[0]
    assert contact.name in block
    assert contact.address in block
    assert f'href="mailto:{contact.email}"' in block
    assert contact.phone in block
