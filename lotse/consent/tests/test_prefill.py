"""The consent form filled in from a consent gap (agency, information, purpose), what it
answers when the input is wrong, and where emergency access starts."""

from __future__ import annotations

import re
from datetime import date, timedelta
from typing import Any
from urllib.parse import urlencode

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from lotse.accounts.tests.factories import acting
from lotse.audit.models import AuditAction, AuditEvent
from lotse.consent.categories import DataCategory
from lotse.consent.form import FORM_VERSION
from lotse.consent.models import ConsentDeclaration, ConsentPurpose
from lotse.consent.templatetags.consent_display import consent_gap_url
from lotse.people.models import Person
from lotse.people.services import PersonData, person_register

pytestmark = pytest.mark.django_db


@pytest.fixture
def english(client_for: Any) -> Any:
    def make(user: Any) -> Any:
        client = client_for(user)
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
        return client

    return make


def _register(user: Any, given: str = "Leyla", family: str = "Rahimi") -> Person:
    return person_register(
        data=PersonData(given_names=given, family_name=family, birth_date=date(2004, 4, 1)),
        membership=acting(user),
        actor=user,
    )


def _url(person: Person, **query: Any) -> str:
    url = reverse("consent:record", kwargs={"public_id": person.public_id})
    return f"{url}?{urlencode(query, doseq=True)}" if query else url


def _form(**extra: Any) -> dict[str, Any]:
    today = timezone.localdate()
    return {
        "status": "requested",
        "given_by": "subject",
        "purpose": ConsentPurpose.CASE_MANAGEMENT,
        "valid_from": today.isoformat(),
        "valid_until": (today + timedelta(days=730)).isoformat(),
        "form_language": "de",
        "form_version": FORM_VERSION,
        **extra,
    }


# --- pre-filled from a gap (B12b) ------------------------------------------------------------


def test_the_form_is_filled_in_with_agency_information_and_purpose(anna, agencies, english):
    person = _register(anna)
    response = english(anna).get(
        _url(
            person,
            recipient_agencies=agencies.jobcenter.pk,
            categories=[DataCategory.WORK, DataCategory.IDENTITY],
            purpose=ConsentPurpose.CASE_CONFERENCE,
        )
    )
    assert response.status_code == 200
    initial = response.context["form"].initial
    assert initial["recipient_agencies"] == [agencies.jobcenter.pk]
    assert initial["categories"] == [DataCategory.WORK, DataCategory.IDENTITY]
    assert initial["purpose"] == ConsentPurpose.CASE_CONFERENCE
    # The rest stays as on an empty form: today, two years, the own agency passes on.
    assert initial["valid_from"] == timezone.localdate()
    assert initial["disclosing_agencies"] == [agencies.kim.pk]
    html = response.content.decode()
    choices = html.split('id="id_recipient_agencies"')[1].split("</fieldset>")[0]
    assert re.search(rf'value="{agencies.jobcenter.pk}"[^>]*checked', choices)
    assert not re.search(rf'value="{agencies.caritas.pk}"[^>]*checked', choices)
    assert not ConsentDeclaration.objects.exists()


def test_unknown_or_forbidden_values_are_left_out(anna, agencies, english):
    person = _register(anna)
    response = english(anna).get(
        _url(
            person,
            # the own agency (never a recipient), an agency that does not exist, garbage
            recipient_agencies=[agencies.kim.pk, 999999, "x", "9" * 40, agencies.caritas.pk],
            categories=["health", "everything", ""],
            purpose="all_purposes",
            # not pre-filled from the address at all
            disclosing_agencies=agencies.jugendamt.pk,
            status="given",
            includes_entrusted="on",
        )
    )
    assert response.status_code == 200
    initial = response.context["form"].initial
    assert initial["recipient_agencies"] == [agencies.caritas.pk]
    assert initial["categories"] == [DataCategory.HEALTH]
    assert "purpose" not in initial
    assert initial["disclosing_agencies"] == [agencies.kim.pk]
    assert "status" not in initial
    assert "includes_entrusted" not in initial
    assert not response.context["form"].is_bound


def test_a_renewal_takes_precedence_over_the_gap(anna, agencies, english):
    from lotse.consent.services import consent_record
    from lotse.consent.tests.factories import given_consent

    person = _register(anna)
    old = consent_record(
        subject=person,
        data=given_consent(
            recipient_agencies=[agencies.caritas],
            categories=["housing"],
            purpose=ConsentPurpose.REFERRAL,
        ),
        membership=acting(anna),
        actor=anna,
    )
    response = english(anna).get(
        _url(person, renew=old.pk, recipient_agencies=agencies.jobcenter.pk, categories="work")
    )
    assert response.status_code == 200
    initial = response.context["form"].initial
    assert initial["recipient_agencies"] == [agencies.caritas.pk]
    assert initial["categories"] == ["housing"]


def test_the_address_never_records_what_the_rules_refuse(dora, ben, agencies, english):
    """Attack: the Ausländerbehörde pre-fills a consent that opens the Jugendamt's data and
    health to itself, and for a person it does not see. The address fills in a form at most;
    what is recorded is decided by the consent services alone."""
    own = _register(dora, "Omid", "Karimi")
    foreign = _register(ben, "Amal", "Haddad")
    client = english(dora)
    # Another agency's person: no form, filled in or not.
    assert client.get(_url(foreign, recipient_agencies=agencies.jugendamt.pk)).status_code == 404
    # Itself as recipient is not even offered; the Jugendamt as discloser is not filled in.
    page = client.get(
        _url(
            own,
            recipient_agencies=[agencies.abh.pk],
            disclosing_agencies=[agencies.jugendamt.pk],
            categories=[DataCategory.HEALTH],
        )
    )
    initial = page.context["form"].initial
    assert "recipient_agencies" not in initial
    assert initial["disclosing_agencies"] == [agencies.abh.pk]
    # Sending the form as the address wished: refused by the rules, nothing recorded.
    forced = client.post(
        _url(own, recipient_agencies=agencies.abh.pk),
        _form(
            recipient_agencies=[agencies.abh.pk],
            disclosing_agencies=[agencies.jugendamt.pk],
            categories=[DataCategory.HEALTH],
        ),
    )
    assert forced.status_code == 400
    assert not ConsentDeclaration.objects.exists()
    # Health for the Ausländerbehörde, pre-filled and sent by the Jugendamt: the firewall
    # (a rule of the consent services) refuses it, whatever the address said.
    firewall = english(ben).post(
        _url(foreign, recipient_agencies=agencies.abh.pk, categories="health"),
        _form(recipient_agencies=[agencies.abh.pk], categories=[DataCategory.HEALTH]),
    )
    assert firewall.status_code == 400
    assert "§ 88 Abs. 2 AufenthG" in firewall.content.decode()
    assert not ConsentDeclaration.objects.exists()


def test_the_gap_link_fills_in_agency_information_and_purpose(anna, agencies):
    gap = type(
        "Gap",
        (),
        {
            "person_public_id": "P-AAAA-BBBB",
            "agency": agencies.jobcenter,
            "category": str(DataCategory.WORK.label),
        },
    )()
    url = consent_gap_url(gap, ConsentPurpose.CASE_CONFERENCE)
    assert url == (
        reverse("consent:record", kwargs={"public_id": "P-AAAA-BBBB"})
        + f"?recipient_agencies={agencies.jobcenter.pk}&categories=work&purpose=case_conference"
    )
    gap.category = "no such category"
    assert "categories" not in consent_gap_url(gap, "no such purpose")
    assert "purpose" not in consent_gap_url(gap, "no such purpose")


# --- a wrong form answers 400 (C7) -------------------------------------------------------------


def test_a_wrong_form_answers_400_and_a_refusal_of_the_rules_too(anna, agencies, english):
    person = _register(anna)
    client = english(anna)
    url = _url(person)
    empty = client.post(url, {"status": "given"})
    assert empty.status_code == 400
    assert 'href="#id_recipient_agencies"' in empty.content.decode()
    firewall = client.post(
        url, _form(recipient_agencies=[agencies.abh.pk], categories=[DataCategory.HEALTH])
    )
    assert firewall.status_code == 400
    assert "§ 88 Abs. 2 AufenthG" in firewall.content.decode()
    draft = client.post(
        reverse("consent:print_draft", kwargs={"public_id": person.public_id}),
        {"print_language": "ar"},
    )
    assert draft.status_code == 400
    assert not ConsentDeclaration.objects.exists()
    # The form page itself and the htmx question stay 200.
    assert client.get(url).status_code == 200
    assert (
        client.get(
            url, {"recipient_agencies": agencies.abh.pk}, headers={"HX-Request": "true"}
        ).status_code
        == 200
    )


# --- where emergency access starts (B12a) -------------------------------------------------------


def test_emergency_access_starts_with_the_lotse_id(gero, english):
    client = english(gero)
    start = reverse("consent:break_glass_start")
    page = client.get(start)
    assert page.status_code == 200
    assert 'name="public_id"' in page.content.decode()
    assert not AuditEvent.objects.filter(action=AuditAction.BREAK_GLASS_VIEWED).exists()
    sent = client.get(start, {"public_id": " p-7k3m-9qx2 "})
    assert sent.status_code == 302
    assert sent["Location"] == reverse("consent:break_glass", kwargs={"public_id": "P-7K3M-9QX2"})


@pytest.mark.parametrize("typed", ["", "P-7K3M", "../../admin", "P-7K3M-9QX2/x", "x" * 200])
def test_a_wrong_lotse_id_is_named_and_sends_nowhere(gero, english, typed):
    response = english(gero).get(reverse("consent:break_glass_start"), {"public_id": typed})
    assert response.status_code == 400
    assert 'href="#id_public_id"' in response.content.decode()


def test_only_team_leads_start_an_emergency_access(anna, frida, ida, english):
    for user in (anna, frida, ida):
        assert english(user).get(reverse("consent:break_glass_start")).status_code == 404
