"""The referral loop across agencies, and the attacks on it: another agency reading,
answering or cancelling it; data sent without a consent for the referral purpose."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from lotse.accounts.models import User
from lotse.accounts.roles import Role
from lotse.accounts.tests.factories import acting, member
from lotse.audit.models import AuditAction, AuditEvent
from lotse.cases.services import assessment_record, case_open
from lotse.consent.categories import DataCategory
from lotse.consent.tests.factories import record_directly
from lotse.core.errors import AccessDenied
from lotse.directory.models import Offer, OfferDomain, OfferLanguage, Provider
from lotse.people.tests.factories import HouseholdFactory, PersonFactory
from lotse.referrals import services
from lotse.referrals.models import Referral, ReferralEvent, Status
from lotse.referrals.services import ReferralDraft, ReferralNotCovered

pytestmark = pytest.mark.django_db


@pytest.fixture
def carla(agencies: Any) -> User:
    return member("carla", agencies.caritas, Role.CASEWORKER, first_name="Carla", last_name="Rietz")


@pytest.fixture
def family(agencies: Any) -> Any:
    mother = PersonFactory.create(
        owner_agency=agencies.kim, given_names="Samira", family_name="Haddad"
    )
    son = PersonFactory.create(owner_agency=agencies.kim, given_names="Karim", family_name="Haddad")
    return HouseholdFactory.create(owner_agency=agencies.kim, members=[mother, son])


@pytest.fixture
def case(anna: User, family: Any) -> Any:
    return case_open(household=family, membership=acting(anna), actor=anna)


@pytest.fixture
def mother(family: Any) -> Any:
    return family.members.order_by("pk").first()


@pytest.fixture
def offer(agencies: Any) -> Offer:
    provider = Provider.objects.create(
        name="Caritasverband Wuppertal",
        description="Beratung",
        agency=agencies.caritas,
        status=Provider.Status.APPROVED,
    )
    offer = Offer.objects.create(
        provider=provider, name="Migrationsberatung (MBE)", description="Beratung für Erwachsene"
    )
    OfferDomain.objects.create(offer=offer, domain="language")
    OfferLanguage.objects.create(offer=offer, code="ar")
    return offer


def _consent(mother: Any, anna: User, agencies: Any, *, purpose: str = "referral") -> Any:
    return record_directly(
        subject=mother,
        recorded_by=anna,
        recording_agency=agencies.kim,
        disclosing=[agencies.kim],
        recipients=[agencies.caritas],
        categories=[DataCategory.IDENTITY, DataCategory.LANGUAGE],
        purpose=purpose,
    )


def _send(case: Any, mother: Any, anna: User, offer: Offer, **overrides: Any) -> Referral:
    values: dict[str, Any] = {
        "subject": mother,
        "message": "Bitte Beratung zum Integrationskurs, Familie spricht Arabisch.",
        "categories": [DataCategory.LANGUAGE],
        "to_offer": offer,
        "language": "ar",
    }
    values.update(overrides)
    return services.referral_send(
        case=case, draft=ReferralDraft(**values), membership=acting(anna), actor=anna
    )


def _step(referral: Referral, user: User, step: str, **kwargs: Any) -> Referral:
    referral.refresh_from_db()
    return services.referral_step(
        referral=referral,
        step=step,
        expected_version=referral.version,
        membership=acting(user),
        actor=user,
        **kwargs,
    )


def test_the_loop_closes_across_two_agencies(
    anna, carla, agencies, case, mother, offer, client_for
):
    _consent(mother, anna, agencies)
    referral = _send(case, mother, anna, offer)
    assert referral.to_agency == agencies.caritas
    assert referral.categories == [DataCategory.IDENTITY, DataCategory.LANGUAGE]

    caritas = client_for(carla)
    inbox = caritas.get(reverse("referrals:inbox")).content.decode()
    assert "Samira Haddad" in inbox
    page = caritas.get(reverse("referrals:detail", args=[referral.pk]))
    assert page.status_code == 200
    referral.refresh_from_db()
    assert referral.status == Status.RECEIVED
    for step in ("accept", "start"):
        response = caritas.post(
            reverse("referrals:step", args=[referral.pk, step]), {"version": referral.version}
        )
        assert response.status_code == 302
        referral.refresh_from_db()
    caritas.post(
        reverse("referrals:step", args=[referral.pk, "complete"]),
        {"version": referral.version, "note": "Frau Haddad besucht den Kurs seit März."},
    )
    referral.refresh_from_db()
    assert referral.status == Status.COMPLETED
    assert [e.status for e in referral.events.all()] == [
        Status.SENT,
        Status.RECEIVED,
        Status.ACCEPTED,
        Status.IN_PROGRESS,
        Status.COMPLETED,
    ]
    # The sender sees the outcome on the case, in its section and on the timeline.
    case_page = client_for(anna).get(reverse("case:detail", args=[case.pk])).content.decode()
    assert "Frau Haddad besucht den Kurs seit März." in case_page
    assert 'data-kind="referral"' in case_page
    assert AuditEvent.objects.filter(action=AuditAction.REFERRAL_CHANGED).count() == 4


def test_without_a_consent_for_the_referral_nothing_is_sent_and_the_gaps_are_named(
    anna, agencies, case, mother, offer, client_for
):
    with pytest.raises(ReferralNotCovered) as refused:
        _send(case, mother, anna, offer)
    assert {gap.category for gap in refused.value.gaps} == {
        DataCategory.IDENTITY,
        DataCategory.LANGUAGE,
    }
    response = client_for(anna).post(
        reverse("referrals:new", args=[case.pk]),
        {
            "subject": mother.public_id,
            "to_offer": offer.pk,
            "categories": ["language"],
            "message": "Bitte melden",
            "urgency": "routine",
        },
    )
    assert response.status_code == 409
    assert 'data-testid="referral-gaps"' in response.content.decode()
    assert not Referral.objects.exists()


def test_a_consent_for_another_purpose_does_not_cover_a_referral(
    anna, agencies, case, mother, offer
):
    _consent(mother, anna, agencies, purpose="benefits")
    with pytest.raises(ReferralNotCovered):
        _send(case, mother, anna, offer)
    assert not Referral.objects.exists()


def test_data_beyond_the_consent_is_refused_even_when_identity_is_covered(
    anna, agencies, case, mother, offer
):
    _consent(mother, anna, agencies)
    with pytest.raises(ReferralNotCovered) as refused:
        _send(case, mother, anna, offer, categories=[DataCategory.HEALTH])
    assert [gap.category for gap in refused.value.gaps] == [DataCategory.HEALTH]


def test_another_agency_can_neither_see_nor_answer_nor_cancel(
    anna, carla, cem, agencies, case, mother, offer, client_for
):
    _consent(mother, anna, agencies)
    referral = _send(case, mother, anna, offer)
    jobcenter = client_for(cem)
    assert jobcenter.get(reverse("referrals:detail", args=[referral.pk])).status_code == 404
    assert "Samira" not in jobcenter.get(reverse("referrals:inbox")).content.decode()
    for step in ("accept", "decline", "cancel"):
        response = jobcenter.post(
            reverse("referrals:step", args=[referral.pk, step]),
            {"version": referral.version, "reason": "capacity"},
        )
        assert response.status_code == 404
    # Each side takes only its own steps: the receiver cannot cancel, the sender not accept.
    with pytest.raises(AccessDenied):
        _step(referral, carla, "cancel")
    with pytest.raises(AccessDenied):
        _step(referral, anna, "accept")
    referral.refresh_from_db()
    assert referral.status == Status.SENT


def test_declining_needs_a_reason_and_capacity_is_recorded(
    anna, carla, agencies, case, mother, offer
):
    _consent(mother, anna, agencies)
    referral = _send(case, mother, anna, offer)
    with pytest.raises(ValidationError):
        _step(referral, carla, "decline")
    declined = _step(referral, carla, "decline", reason="capacity")
    assert declined.status == Status.DECLINED
    assert declined.decline_reason == "capacity"
    with pytest.raises(ValidationError):
        _step(referral, carla, "accept")  # final: no way back


def test_a_stale_answer_writes_nothing(anna, carla, agencies, case, mother, offer):
    _consent(mother, anna, agencies)
    referral = _send(case, mother, anna, offer)
    stale_version = referral.version
    _step(referral, carla, "waitlist")
    with pytest.raises(services.StaleReferral):
        services.referral_step(
            referral=referral,
            step="accept",
            expected_version=stale_version,
            membership=acting(carla),
            actor=carla,
        )
    referral.refresh_from_db()
    assert referral.status == Status.WAITLISTED


def test_the_sender_cancels_before_acceptance_only(anna, carla, agencies, case, mother, offer):
    _consent(mother, anna, agencies)
    referral = _send(case, mother, anna, offer)
    assert _step(referral, anna, "cancel").status == Status.CANCELLED
    second = _send(case, mother, anna, offer)
    _step(second, carla, "accept")
    with pytest.raises(ValidationError):
        _step(second, anna, "cancel")


def test_a_paused_offer_and_a_provider_outside_lotse_take_no_referrals(
    anna, agencies, case, mother, offer
):
    _consent(mother, anna, agencies)
    Offer.objects.filter(pk=offer.pk).update(accepts_referrals=False)
    offer.refresh_from_db()
    with pytest.raises(ValidationError) as paused:
        _send(case, mother, anna, offer)
    assert "to_offer" in paused.value.message_dict
    Offer.objects.filter(pk=offer.pk).update(accepts_referrals=True)
    Provider.objects.filter(pk=offer.provider_id).update(agency=None)
    offer.refresh_from_db()
    with pytest.raises(ValidationError):
        _send(case, mother, anna, offer)
    assert not Referral.objects.exists()


def test_only_a_member_of_the_family_can_be_referred(anna, agencies, case, offer):
    stranger = PersonFactory.create(owner_agency=agencies.kim)
    _consent(stranger, anna, agencies)
    with pytest.raises(ValidationError) as refused:
        _send(case, stranger, anna, offer)
    assert "subject" in refused.value.message_dict


def test_an_agency_outside_the_case_cannot_send_from_it(cem, agencies, case, mother, offer):
    with pytest.raises(AccessDenied):
        _send(case, mother, cem, offer)


def test_unanswered_referrals_escalate_then_expire_once(anna, agencies, case, mother, offer):
    _consent(mother, anna, agencies)
    referral = _send(case, mother, anna, offer)
    later = timezone.localdate() + timedelta(days=10)
    assert services.referrals_escalate(today=later, dry_run=True) == [referral.pk]
    assert services.referrals_escalate(today=later) == [referral.pk]
    assert services.referrals_escalate(today=later) == []
    much_later = timezone.localdate() + timedelta(days=40)
    assert services.referrals_expire(today=much_later) == [referral.pk]
    assert services.referrals_expire(today=much_later) == []
    referral.refresh_from_db()
    assert referral.status == Status.EXPIRED
    assert ReferralEvent.objects.filter(referral=referral, status=Status.EXPIRED).count() == 1


def test_after_the_consent_is_withdrawn_the_receiver_no_longer_sees_the_name(
    anna, carla, agencies, case, mother, offer, client_for
):
    consent = _consent(mother, anna, agencies)
    referral = _send(case, mother, anna, offer)
    from lotse.consent.services import consent_withdraw

    consent_withdraw(
        declaration=consent,
        reason="Die Familie möchte das nicht mehr.",
        membership=acting(anna),
        actor=anna,
    )
    page = client_for(carla).get(reverse("referrals:detail", args=[referral.pk])).content.decode()
    assert "Samira" not in page


def test_the_receiver_learns_the_need_but_not_the_assessment_text(
    anna, carla, agencies, case, mother, offer, client_for
):
    _consent(mother, anna, agencies)
    need = assessment_record(
        case=case,
        subject=mother,
        domain="language",
        need=3,
        situation="Geheimnis-Sprache: spricht kaum Deutsch",
        membership=acting(anna),
        actor=anna,
    )
    assessment_record(
        case=case,
        subject=mother,
        domain="health",
        need=3,
        situation="Geheimnis-Gesundheit: Therapie",
        membership=acting(anna),
        actor=anna,
    )
    referral = _send(case, mother, anna, offer, assessment=need)
    page = client_for(carla).get(reverse("referrals:detail", args=[referral.pk])).content.decode()
    assert 'data-testid="referral-need"' in page
    assert "Geheimnis-Sprache" not in page
    assert "Geheimnis-Gesundheit" not in page


def test_a_need_of_an_uncovered_domain_cannot_go_with_the_referral(
    anna, agencies, case, mother, offer
):
    _consent(mother, anna, agencies)
    health = assessment_record(
        case=case, subject=mother, domain="health", need=3, membership=acting(anna), actor=anna
    )
    with pytest.raises(ReferralNotCovered) as refused:
        _send(case, mother, anna, offer, assessment=health)
    assert [gap.category for gap in refused.value.gaps] == [DataCategory.HEALTH]
