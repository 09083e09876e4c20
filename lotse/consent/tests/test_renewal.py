"""Renewing a consent that ends: one click from its page or its deadline task to a new consent
filled in like the old one — for the recording agency only; everyone else gets a 404."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from lotse.consent.categories import DataCategory
from lotse.consent.form import FORM_VERSION
from lotse.consent.models import ConsentDeclaration
from lotse.consent.tests.factories import record_directly
from lotse.people.tests.factories import PersonFactory
from lotse.scheduling.deadlines import consent_expiry

pytestmark = pytest.mark.django_db


@pytest.fixture
def english(client_for: Any) -> Any:
    def make(user: Any) -> Any:
        client = client_for(user)
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
        return client

    return make


@pytest.fixture
def ending(anna: Any, agencies: Any) -> ConsentDeclaration:
    """KIM's consent for Jugendamt and Jobcenter, a year long, ending in 20 days."""
    today = timezone.localdate()
    person = PersonFactory.create(owner_agency=agencies.kim, given_names="Samira")
    return record_directly(
        subject=person,
        recorded_by=anna,
        recording_agency=agencies.kim,
        disclosing=[agencies.kim],
        recipients=[agencies.jugendamt, agencies.jobcenter],
        categories=[DataCategory.IDENTITY, DataCategory.LANGUAGE],
        purpose="referral",
        purpose_text="Sprachkurs und Kita-Platz",
        valid_from=today - timedelta(days=345),
        valid_until=today + timedelta(days=20),
        form_language="ar",
    )


def _renew_url(consent: ConsentDeclaration, person: Any | None = None) -> str:
    subject = person or consent.subject
    url = reverse("consent:record", kwargs={"public_id": subject.public_id})
    return f"{url}?renew={consent.pk}"


def test_the_consent_page_offers_the_renewal_to_its_recorder(anna, ending, english):
    body = english(anna).get(reverse("consent:detail", kwargs={"pk": ending.pk})).content.decode()

    assert 'data-testid="renew"' in body
    assert _renew_url(ending).replace("&", "&amp;") in body or _renew_url(ending) in body


def test_the_renewal_is_filled_in_like_the_consent_it_renews(anna, agencies, ending, english):
    response = english(anna).get(_renew_url(ending))

    assert response.status_code == 200
    initial = response.context["form"].initial
    today = timezone.localdate()
    assert sorted(initial["recipient_agencies"]) == sorted(
        [agencies.jugendamt.pk, agencies.jobcenter.pk]
    )
    assert initial["disclosing_agencies"] == [agencies.kim.pk]
    assert sorted(initial["categories"]) == sorted(ending.categories)
    assert (initial["purpose"], initial["purpose_text"]) == (
        "referral",
        "Sprachkurs und Kita-Platz",
    )
    assert (initial["valid_from"], initial["valid_until"]) == (today, today + timedelta(days=365))
    assert (initial["form_language"], initial["form_version"]) == ("ar", FORM_VERSION)
    assert initial["status"] == ConsentDeclaration.Status.REQUESTED
    body = response.content.decode()
    assert (
        'value="Sprachkurs und Kita-Platz"' in body
        or "Sprachkurs und Kita-Platz</textarea>" in body
    )


def test_saving_the_renewal_makes_a_new_consent_and_leaves_the_old_one(
    anna, agencies, ending, english
):
    today = timezone.localdate()
    response = english(anna).post(
        reverse("consent:record", kwargs={"public_id": ending.subject.public_id}),
        {
            "status": "requested",
            "given_by": "subject",
            "recipient_agencies": [agencies.jugendamt.pk, agencies.jobcenter.pk],
            "disclosing_agencies": [agencies.kim.pk],
            "categories": list(ending.categories),
            "purpose": "referral",
            "purpose_text": "Sprachkurs und Kita-Platz",
            "valid_from": today.isoformat(),
            "valid_until": (today + timedelta(days=365)).isoformat(),
            "form_language": "ar",
            "form_version": FORM_VERSION,
        },
    )

    assert response.status_code == 302, response.content.decode()[:2000]
    renewal = ConsentDeclaration.objects.exclude(pk=ending.pk).get()
    assert renewal.status == ConsentDeclaration.Status.REQUESTED
    ending.refresh_from_db()
    assert ending.status == ConsentDeclaration.Status.GIVEN
    assert ending.valid_until == today + timedelta(days=20)


def test_an_open_ended_consent_is_renewed_for_two_years(anna, agencies, english):
    person = PersonFactory.create(owner_agency=agencies.kim)
    endless = record_directly(
        subject=person,
        recorded_by=anna,
        recording_agency=agencies.kim,
        disclosing=[agencies.kim],
        recipients=[agencies.jugendamt],
        categories=[DataCategory.IDENTITY],
        valid_from=date(2024, 1, 1),
        valid_until=date(9999, 12, 31),
    )
    initial = english(anna).get(_renew_url(endless)).context["form"].initial

    assert initial["valid_until"] == timezone.localdate() + timedelta(days=730)


def test_the_deadline_task_leads_straight_to_the_renewal(ending):
    class Everyone:
        def consents(self, queryset: Any) -> Any:
            return queryset

        def fetch(self, rows: Any) -> Any:
            return list(rows)

    today = timezone.localdate()
    [deadline] = consent_expiry(Everyone(), today, today + timedelta(days=30))  # type: ignore[arg-type]

    assert str(deadline.link) == _renew_url(ending)


# --- everyone else: the renewal looks like a missing consent -------------------------------------


def test_a_recipient_sees_no_renewal_and_cannot_open_one(ben, ending, english):
    client = english(ben)
    page = client.get(reverse("consent:detail", kwargs={"pk": ending.pk}))

    assert page.status_code == 200
    assert 'data-testid="renew"' not in page.content.decode()
    # Jugendamt sees the person by the consent and may record its own consents for her,
    # but not renew KIM's.
    assert client.get(_renew_url(ending)).status_code == 404


def test_an_agency_without_basis_gets_404(dora, ending, english):
    assert english(dora).get(_renew_url(ending)).status_code == 404


def test_a_consent_of_another_person_or_no_number_renews_nothing(anna, agencies, ending, english):
    other = PersonFactory.create(owner_agency=agencies.kim)
    client = english(anna)
    url = reverse("consent:record", kwargs={"public_id": other.public_id})

    assert client.get(_renew_url(ending, person=other)).status_code == 404
    assert client.get(f"{url}?renew=x").status_code == 404
    assert client.get(f"{url}?renew=99999999").status_code == 404
    assert client.get(f"{url}?renew={'9' * 30}").status_code == 404


def test_a_withdrawn_consent_is_not_renewed(anna, ending, english):
    ending.status = ConsentDeclaration.Status.WITHDRAWN
    ending.withdrawn_at = timezone.now()
    ending.save()
    client = english(anna)

    assert client.get(_renew_url(ending)).status_code == 404
    body = client.get(reverse("consent:detail", kwargs={"pk": ending.pk})).content.decode()
    assert 'data-testid="renew"' not in body
