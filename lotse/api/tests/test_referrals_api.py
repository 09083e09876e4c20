"""Referrals through /api/v1: the loop, the refusal that lists what is not covered, and
the other side's steps answering 404."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client

from lotse.accounts.models import User
from lotse.accounts.roles import Role
from lotse.accounts.tests.factories import acting, member
from lotse.cases.services import case_open
from lotse.consent.categories import DataCategory
from lotse.consent.tests.factories import record_directly
from lotse.directory.models import Offer, OfferDomain, Provider
from lotse.people.tests.factories import HouseholdFactory, PersonFactory
from lotse.referrals.models import Referral

pytestmark = pytest.mark.django_db


def _post(client: Client, path: str, body: dict[str, Any]) -> Any:
    return client.post(path, data=json.dumps(body), content_type="application/json")


@pytest.fixture
def carla(agencies: Any) -> User:
    return member("carla", agencies.caritas, Role.CASEWORKER)


@pytest.fixture
def setting(anna: User, agencies: Any) -> dict[str, Any]:
    mother = PersonFactory.create(owner_agency=agencies.kim, given_names="Lina", family_name="Omar")
    household = HouseholdFactory.create(owner_agency=agencies.kim, members=[mother])
    case = case_open(household=household, membership=acting(anna), actor=anna)
    provider = Provider.objects.create(
        name="Caritas", description="x", agency=agencies.caritas, status="approved"
    )
    offer = Offer.objects.create(provider=provider, name="MBE", description="Beratung")
    OfferDomain.objects.create(offer=offer, domain="language")
    return {"mother": mother, "case": case, "offer": offer}


def _body(setting: dict[str, Any], **extra: Any) -> dict[str, Any]:
    return {
        "case": setting["case"].pk,
        "person": setting["mother"].public_id,
        "to_offer": setting["offer"].pk,
        "categories": ["language"],
        "message": "Bitte Termin zur Beratung.",
        "language": "ar",
        **extra,
    }


def test_uncovered_referral_is_409_naming_each_category_and_sends_nothing(
    anna, client_for, setting
):
    response = _post(client_for(anna), "/api/v1/referrals", _body(setting))
    assert response.status_code == 409
    assert {item["category"] for item in response.json()["uncovered"]} == {"identity", "language"}
    assert not Referral.objects.exists()


def test_the_loop_through_the_api(anna, carla, agencies, client_for, setting):
    record_directly(
        subject=setting["mother"],
        recorded_by=anna,
        recording_agency=agencies.kim,
        disclosing=[agencies.kim],
        recipients=[agencies.caritas],
        categories=[DataCategory.IDENTITY, DataCategory.LANGUAGE],
        purpose="referral",
    )
    sent = _post(client_for(anna), "/api/v1/referrals", _body(setting))
    assert sent.status_code == 201, sent.content
    referral = sent.json()
    assert (referral["to_agency"], referral["status"]) == ("car", "sent")
    caritas = client_for(carla)
    inbox = caritas.get("/api/v1/referrals?inbox=1").json()
    assert [item["id"] for item in inbox["items"]] == [referral["id"]]
    assert caritas.get(f"/api/v1/referrals/{referral['id']}").json()["status"] == "received"
    version = Referral.objects.get().version
    # The sender cannot answer, the receiver cannot cancel: 404 like a missing referral.
    assert (
        _post(
            client_for(anna), f"/api/v1/referrals/{referral['id']}/accept", {"version": version}
        ).status_code
        == 404
    )
    assert (
        _post(
            caritas, f"/api/v1/referrals/{referral['id']}/cancel", {"version": version}
        ).status_code
        == 404
    )
    accepted = _post(caritas, f"/api/v1/referrals/{referral['id']}/accept", {"version": version})
    assert accepted.json()["status"] == "accepted"
    stale = _post(caritas, f"/api/v1/referrals/{referral['id']}/start", {"version": version})
    assert stale.status_code == 409
    started = _post(
        caritas,
        f"/api/v1/referrals/{referral['id']}/start",
        {"version": accepted.json()["version"]},
    ).json()
    missing_feedback = _post(
        caritas, f"/api/v1/referrals/{referral['id']}/complete", {"version": started["version"]}
    )
    assert missing_feedback.status_code == 422
    done = _post(
        caritas,
        f"/api/v1/referrals/{referral['id']}/complete",
        {"version": started["version"], "note": "Kurs begonnen."},
    ).json()
    assert (done["status"], done["feedback"]) == ("completed", "Kurs begonnen.")
    mine = client_for(anna).get(f"/api/v1/referrals?case={setting['case'].pk}").json()
    assert mine["items"][0]["feedback"] == "Kurs begonnen."


def test_a_stranger_sees_no_referral(anna, cem, agencies, client_for, setting):
    record_directly(
        subject=setting["mother"],
        recorded_by=anna,
        recording_agency=agencies.kim,
        disclosing=[agencies.kim],
        recipients=[agencies.caritas],
        categories=[DataCategory.IDENTITY, DataCategory.LANGUAGE],
        purpose="referral",
    )
    referral = _post(client_for(anna), "/api/v1/referrals", _body(setting)).json()
    jobcenter = client_for(cem)
    assert jobcenter.get(f"/api/v1/referrals/{referral['id']}").status_code == 404
    assert jobcenter.get("/api/v1/referrals").json()["count"] == 0
    assert (
        _post(
            jobcenter,
            f"/api/v1/referrals/{referral['id']}/decline",
            {"version": 1, "reason": "capacity"},
        ).status_code
        == 404
    )


def test_bad_input_names_the_field(anna, client_for, setting):
    response = _post(client_for(anna), "/api/v1/referrals", _body(setting, urgency="sofort"))
    assert response.status_code == 422
    assert ["body", "payload", "urgency"] in [e["loc"] for e in response.json()["errors"]]
