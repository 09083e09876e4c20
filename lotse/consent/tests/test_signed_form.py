"""The scan of the signed consent form: the recording agency and the DPO open it, nobody else."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.views.static import serve

from lotse.accounts.models import Agency, User
from lotse.accounts.tests.factories import acting
from lotse.audit.models import AuditAction, AuditEvent
from lotse.consent.categories import DataCategory
from lotse.consent.models import ConsentDeclaration, ConsentPurpose
from lotse.consent.services import consent_record
from lotse.consent.tests.factories import given_consent
from lotse.people.models import Person
from lotse.people.services import PersonData, person_register

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n%signed by the family\n" + b"0" * 4096 + b"\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 64


@pytest.fixture(autouse=True)
def media(settings: Any, tmp_path: Any) -> Any:
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def client_for(client_for: Any) -> Any:
    """The cast's clients, reading the pages in English (the source language of the texts)."""

    def make(user: Any) -> Any:
        client = client_for(user)
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
        return client

    return make


def _person(user: User) -> Person:
    return person_register(
        data=PersonData(given_names="Leyla", family_name="Rahimi", birth_date=date(1990, 4, 1)),
        membership=acting(user),
        actor=user,
    )


def _consent(
    user: User,
    recipients: list[Agency],
    *,
    scan: bytes | None = PDF,
    name: str = "Leyla Rahimi unterschrieben.pdf",
) -> ConsentDeclaration:
    upload = SimpleUploadedFile(name, scan) if scan is not None else None
    return consent_record(
        subject=_person(user),
        data=given_consent(
            recipient_agencies=recipients,
            categories=[DataCategory.IDENTITY],
            purpose=ConsentPurpose.CASE_MANAGEMENT,
        ),
        membership=acting(user),
        actor=user,
        signed_form=upload,
    )


def _url(consent: ConsentDeclaration) -> str:
    return reverse("consent:signed_form", kwargs={"pk": consent.pk})


def _body(response: Any) -> bytes:
    return b"".join(response.streaming_content)


# --- who may open it ------------------------------------------------------------------------------


def test_recording_agency_downloads_the_scan_with_safe_headers(anna, agencies, client_for):
    consent = _consent(anna, [agencies.jobcenter])

    response = client_for(anna).get(_url(consent))

    assert response.status_code == 200
    assert _body(response) == PDF
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == (
        f'attachment; filename="consent-{consent.pk}-signed-form.pdf"'
    )
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cache-Control"] == "private, no-store"
    # The uploaded file name carries the person's name: it never reaches the download.
    assert "Leyla" not in response["Content-Disposition"]


def test_a_team_lead_of_the_recording_agency_may_open_it_too(anna, gero, agencies, client_for):
    consent = _consent(anna, [agencies.jobcenter])
    response = client_for(gero).get(_url(consent))
    assert response.status_code == 200
    assert _body(response) == PDF


def test_the_dpo_downloads_the_scan_of_any_agency(cem, frida, agencies, client_for):
    consent = _consent(cem, [agencies.caritas])
    response = client_for(frida).get(_url(consent))
    assert response.status_code == 200
    assert _body(response) == PDF
    assert response["Cache-Control"] == "private, no-store"


@pytest.mark.parametrize(
    ("scan", "content_type", "extension"),
    [(PNG, "image/png", "png"), (JPEG, "image/jpeg", "jpg"), (PDF, "application/pdf", "pdf")],
)
def test_the_content_type_comes_from_the_files_own_bytes(
    anna, agencies, client_for, scan, content_type, extension
):
    # Named .pdf, but a photo: the download says what it is, not what its name claimed.
    consent = _consent(anna, [agencies.jobcenter], scan=scan, name="scan.pdf")
    response = client_for(anna).get(_url(consent))
    assert response["Content-Type"] == content_type
    assert response["Content-Disposition"].endswith(f'-signed-form.{extension}"')
    assert _body(response) == scan


def test_a_recipient_agency_sees_the_consent_but_not_the_scan(anna, cem, agencies, client_for):
    consent = _consent(anna, [agencies.jobcenter])
    client = client_for(cem)
    detail = client.get(reverse("consent:detail", kwargs={"pk": consent.pk}))
    assert detail.status_code == 200  # the Jobcenter is named: it sees the consent ...

    assert client.get(_url(consent)).status_code == 404  # ... but not the signed scan
    denied = AuditEvent.objects.filter(action=AuditAction.ACCESS_DENIED).latest("pk")
    assert denied.actor == cem
    assert denied.detail == {"consent": consent.pk, "signed_form": True}
    assert not AuditEvent.objects.filter(
        action=AuditAction.CONSENT_VIEWED, actor=cem, detail__downloaded="signed_form"
    ).exists()


def test_an_agency_that_is_not_named_gets_404(anna, ben, agencies, client_for):
    consent = _consent(anna, [agencies.jobcenter])
    assert client_for(ben).get(_url(consent)).status_code == 404


@pytest.mark.parametrize("user", ["emil", "ida", "hana"])
def test_users_without_the_capability_get_404_even_in_the_recording_agency(
    anna, agencies, client_for, request, user
):
    # emil (coordinator) and hana (system administrator) are members of KIM, like anna.
    consent = _consent(anna, [agencies.jobcenter])
    assert client_for(request.getfixturevalue(user)).get(_url(consent)).status_code == 404


def test_anonymous_visitors_are_sent_to_the_login(anna, agencies, client_for):
    consent = _consent(anna, [agencies.jobcenter])
    response = client_for(None).get(_url(consent))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_a_consent_without_a_scan_has_no_download(anna, frida, agencies, client_for):
    consent = _consent(anna, [agencies.jobcenter], scan=None)
    assert client_for(anna).get(_url(consent)).status_code == 404
    assert client_for(frida).get(_url(consent)).status_code == 404


def test_a_scan_missing_from_storage_is_missing(anna, agencies, client_for, media):
    consent = _consent(anna, [agencies.jobcenter])
    (media / consent.signed_form.name).unlink()
    assert client_for(anna).get(_url(consent)).status_code == 404


def test_an_unknown_consent_is_missing(anna, client_for):
    assert (
        client_for(anna).get(reverse("consent:signed_form", kwargs={"pk": 999})).status_code == 404
    )


# --- audit ----------------------------------------------------------------------------------------


def test_each_download_is_audited_with_the_consent_and_its_subject(
    anna, frida, agencies, client_for
):
    consent = _consent(anna, [agencies.jobcenter])
    clients = [client_for(anna), client_for(frida)]  # logging in is audited, too
    before = AuditEvent.objects.count()

    for client in clients:
        client.get(_url(consent))

    events = list(AuditEvent.objects.order_by("pk")[before:])
    assert [(e.actor, e.action) for e in events] == [
        (anna, AuditAction.CONSENT_VIEWED),
        (frida, AuditAction.CONSENT_VIEWED),
    ]
    for event in events:
        assert event.target_type == "consent.consentdeclaration"
        assert event.target_id == str(consent.pk)
        assert event.subject_id == consent.subject_id
        assert event.detail == {"downloaded": "signed_form"}
        assert event.agency == agencies.kim


# --- links ----------------------------------------------------------------------------------------


def test_the_detail_page_links_the_scan_only_for_those_who_may_open_it(
    anna, cem, frida, agencies, client_for
):
    consent = _consent(anna, [agencies.jobcenter])
    without = _consent(anna, [agencies.jobcenter], scan=None)
    detail = reverse("consent:detail", kwargs={"pk": consent.pk})

    for user in (anna, frida):
        html = client_for(user).get(detail).content.decode()
        assert f'href="{_url(consent)}"' in html, user
        assert "Download the signed form" in html
    recipient = client_for(cem).get(detail).content.decode()
    assert _url(consent) not in recipient
    # The scan exists; the Jobcenter just cannot open it.
    assert 'data-testid="signed-form">uploaded</dd>' in recipient
    no_scan = client_for(anna).get(reverse("consent:detail", kwargs={"pk": without.pk}))
    assert _url(without) not in no_scan.content.decode()
    assert 'data-testid="signed-form">not uploaded – Signed on paper' in no_scan.content.decode()


def test_the_registers_link_the_scan_where_there_is_one(anna, frida, agencies, client_for):
    consent = _consent(anna, [agencies.jobcenter])
    without = _consent(anna, [agencies.jobcenter], scan=None)
    person_register_url = reverse(
        "consent:person_register", kwargs={"public_id": consent.subject.public_id}
    )

    own = client_for(anna).get(person_register_url).content.decode()
    dpo = client_for(frida).get(reverse("consent:register")).content.decode()
    for html in (own, dpo):
        assert f'href="{_url(consent)}"' in html
        assert f"Download the signed form of consent no. {consent.pk}" in html
        assert _url(without) not in html


# --- the files are served by this view only -------------------------------------------------------


def _callbacks(patterns: list[Any]) -> list[Any]:
    found = []
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            found.extend(_callbacks(pattern.url_patterns))
        elif isinstance(pattern, URLPattern):
            found.append(pattern.callback)
    return found


def test_uploaded_scans_are_not_served_as_public_files(anna, agencies, client_for):
    consent = _consent(anna, [agencies.jobcenter])
    assert serve not in _callbacks(get_resolver().url_patterns)
    client = client_for(anna)
    for prefix in {settings.MEDIA_URL or "/", "/media/", "/"}:
        assert client.get(f"{prefix.rstrip('/')}/{consent.signed_form.name}").status_code == 404
