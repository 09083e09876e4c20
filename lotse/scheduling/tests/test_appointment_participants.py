"""Family members taking part in an appointment: chosen from the person's household, stored
per person, and shown to each reader only for the persons that reader may see — on the page,
on the printed invitation, in the API and in the audit trail (ids only)."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from lotse.accounts.models import User
from lotse.accounts.tests.factories import acting
from lotse.audit.models import AuditAction, AuditEvent, AuditSubject
from lotse.cases.services import case_open
from lotse.consent.categories import DataCategory
from lotse.consent.tests.factories import record_directly
from lotse.core.models import StaleEditError
from lotse.people.models import Person
from lotse.scheduling import selectors, services
from lotse.scheduling.models import Appointment, AppointmentParticipant

from .families import register_family

pytestmark = pytest.mark.django_db


def _household(user: User, family_name: str, *given: str) -> tuple[list[Person], Any]:
    household, persons = register_family(user, family_name, *given)
    return persons, case_open(household=household, membership=acting(user), actor=user)


@pytest.fixture
def family(anna: User) -> tuple[list[Person], Any]:
    return _household(anna, "Haddad", "Samira", "Yusuf", "Lina")


def _data(**values: Any) -> services.AppointmentData:
    start = timezone.make_aware(datetime.combine(timezone.localdate(), time(10, 0)))
    return services.AppointmentData(
        starts_at=start,
        ends_at=start + timedelta(hours=1),
        purpose="Bewerbung besprechen",
        place="Rathaus Barmen, Raum 12",
        **values,
    )


def _appointment(user: User, person: Person, case: Any, **values: Any) -> Appointment:
    return services.appointment_create(
        membership=acting(user), actor=user, subject=person, case=case, data=_data(**values)
    )


def _participant_ids(appointment: Appointment) -> set[int]:
    return set(
        AppointmentParticipant.objects.filter(appointment=appointment).values_list(
            "person_id", flat=True
        )
    )


def test_family_members_chosen_on_the_form_take_part(
    anna: User, family: Any, client_for: Any
) -> None:
    (mother, son, daughter), _case = family
    client = client_for(anna)
    url = reverse("scheduling:appointment_new") + f"?person={mother.public_id}"
    form = client.get(url).content.decode()
    assert 'data-testid="appointment-participant-choice"' in form
    assert son.public_id in form
    assert daughter.public_id in form
    response = client.post(
        url,
        {
            "day": timezone.localdate().isoformat(),
            "starts": "10:00",
            "ends": "11:00",
            "place": "Rathaus",
            "purpose": "Schulanmeldung",
            "category": "case_plan",
            "participants": [son.pk],
        },
    )
    assert response.status_code == 302
    appointment = Appointment.objects.get()
    assert _participant_ids(appointment) == {mother.pk, son.pk}  # the person always takes part
    page = client.get(reverse("scheduling:appointment", kwargs={"pk": appointment.pk}))
    shown = page.content.decode().split('data-testid="appointment-participants"')[1][:600]
    assert "Samira Haddad" in shown
    assert "Yusuf Haddad" in shown
    assert "Lina" not in shown
    # The write names every person it concerns, by id.
    event = AuditEvent.objects.filter(action=AuditAction.APPOINTMENT_SAVED).latest("pk")
    assert event.subject_id == mother.pk
    assert event.detail["subjects"] == [son.pk]
    assert set(AuditSubject.objects.filter(event=event).values_list("subject_id", flat=True)) == {
        son.pk
    }


def test_a_person_outside_the_household_is_refused_naming_the_field(
    anna: User, family: Any, client_for: Any
) -> None:
    (mother, _son, _daughter), case = family
    (neighbour,), _other_case = _household(anna, "Kovalenko", "Olena")
    with pytest.raises(ValidationError) as refused:
        _appointment(anna, mother, case, participants=[neighbour])
    assert "participants" in refused.value.message_dict
    assert not Appointment.objects.exists()
    # On the form the stranger is no choice at all: the field says so, nothing is saved.
    url = reverse("scheduling:appointment_new") + f"?person={mother.public_id}"
    response = client_for(anna).post(
        url,
        {
            "day": timezone.localdate().isoformat(),
            "starts": "10:00",
            "ends": "11:00",
            "place": "Rathaus",
            "purpose": "Schulanmeldung",
            "category": "case_plan",
            "participants": [neighbour.pk],
        },
    )
    assert response.status_code == 400
    assert 'id="id_participants_error"' in response.content.decode()
    assert not Appointment.objects.exists()


def test_a_person_the_member_may_not_see_reads_like_a_stranger(
    anna: User, ben: User, family: Any
) -> None:
    """The Jugendamt plans an appointment with the mother it may see; her son, whom it may
    not see, is refused with the same words as someone who lives elsewhere."""
    (mother, son, _daughter), case = family
    record_directly(
        subject=mother,
        recorded_by=anna,
        recording_agency=acting(anna).agency,
        disclosing=[acting(anna).agency],
        recipients=[acting(ben).agency],
        categories=[DataCategory.IDENTITY],
    )
    with pytest.raises(ValidationError) as refused:
        _appointment(ben, mother, None, participants=[son])
    (message,) = refused.value.message_dict["participants"]
    (neighbour,), _other = _household(anna, "Kovalenko", "Olena")
    with pytest.raises(ValidationError) as stranger:
        _appointment(anna, mother, case, participants=[neighbour])
    assert stranger.value.message_dict["participants"] == [message]
    assert _offered(ben, mother) == set()


def _offered(user: User, person: Person) -> set[int]:
    """The family members offered to ``user`` for an appointment with ``person``."""
    from lotse.scheduling.views import _family

    return set(_family(acting(user), person, None).values_list("pk", flat=True))


def test_another_agency_with_consent_for_the_subject_only_does_not_see_the_others(
    anna: User, cem: User, family: Any, client_for: Any
) -> None:
    (mother, son, _daughter), case = family
    jobcenter = acting(cem).agency
    appointment = _appointment(
        anna, mother, case, category=DataCategory.WORK, agencies=[jobcenter], participants=[son]
    )
    record_directly(
        subject=mother,
        recorded_by=anna,
        recording_agency=acting(anna).agency,
        disclosing=[acting(anna).agency],
        recipients=[jobcenter],
        categories=[DataCategory.IDENTITY, DataCategory.WORK],
    )
    cem_client = client_for(cem)
    page = cem_client.get(reverse("scheduling:appointment", kwargs={"pk": appointment.pk}))
    assert page.status_code == 200
    body = page.content.decode()
    assert "Samira Haddad" in body
    assert "Yusuf" not in body
    assert son.public_id not in body
    assert 'data-testid="appointment-participants-form"' not in body  # seeing is not owning
    invitation = cem_client.get(
        reverse("scheduling:appointment_invitation", kwargs={"pk": appointment.pk})
    ).content.decode()
    assert "Yusuf" not in invitation
    assert 'data-testid="invitation-participants-de"' not in invitation  # the mother alone
    # The API says the same.
    from lotse.accounts.services import api_token_create

    token = api_token_create(user=cem, name="test")
    api = Client(HTTP_AUTHORIZATION=f"Bearer {token.raw}")
    (item,) = api.get("/api/v1/appointments?mine=0").json()["items"]
    assert item["participants"] == [mother.public_id]
    # The reads name only whom they showed.
    read = AuditEvent.objects.filter(actor=cem, action=AuditAction.APPOINTMENT_VIEWED).first()
    assert read is not None
    assert son.pk not in read.detail.get("subjects", [])
    # KIM, which made it, sees both, on the page, the invitation and in the API.
    own = client_for(anna)
    own_invitation = own.get(
        reverse("scheduling:appointment_invitation", kwargs={"pk": appointment.pk})
    ).content.decode()
    together = own_invitation.split('data-testid="invitation-participants-de"')[1][:200]
    assert "Samira Haddad" in together
    assert "Yusuf Haddad" in together
    rows = selectors.appointment_participants(membership=acting(anna), appointments=[appointment])
    assert [p.pk for p in rows[appointment.pk]] == [mother.pk, son.pk]


def test_changing_who_takes_part_and_a_stale_change_is_409(
    anna: User, family: Any, client_for: Any
) -> None:
    (mother, son, daughter), case = family
    appointment = _appointment(anna, mother, case, participants=[son])
    client = client_for(anna)
    url = reverse("scheduling:appointment_participants", kwargs={"pk": appointment.pk})
    response = client.post(url, {"version": appointment.version, "participants": [daughter.pk]})
    assert response.status_code == 302
    assert _participant_ids(appointment) == {mother.pk, daughter.pk}
    event = AuditEvent.objects.filter(action=AuditAction.APPOINTMENT_SAVED).latest("pk")
    assert event.detail["change"] == "participants"
    assert event.detail["subjects"] == [daughter.pk]
    # The form was opened on the first version: someone else has saved since.
    stale = client.post(url, {"version": appointment.version, "participants": [son.pk]})
    assert stale.status_code == 409
    assert _participant_ids(appointment) == {mother.pk, daughter.pk}
    with pytest.raises(StaleEditError):
        services.appointment_participants_set(
            membership=acting(anna),
            actor=anna,
            appointment=appointment,
            participants=[son],
            expected_version=appointment.version,
        )
    # The subject cannot be taken off: ticking nobody leaves the person alone.
    appointment.refresh_from_db()
    client.post(url, {"version": appointment.version})
    assert _participant_ids(appointment) == {mother.pk}


def test_another_agency_cannot_change_who_takes_part(
    anna: User, cem: User, family: Any, client_for: Any
) -> None:
    (mother, son, _daughter), case = family
    jobcenter = acting(cem).agency
    appointment = _appointment(anna, mother, case, category=DataCategory.WORK, agencies=[jobcenter])
    record_directly(
        subject=mother,
        recorded_by=anna,
        recording_agency=acting(anna).agency,
        disclosing=[acting(anna).agency],
        recipients=[jobcenter],
        categories=[DataCategory.IDENTITY, DataCategory.WORK],
    )
    url = reverse("scheduling:appointment_participants", kwargs={"pk": appointment.pk})
    response = client_for(cem).post(url, {"version": appointment.version})
    assert response.status_code == 404
    assert _participant_ids(appointment) == {mother.pk}
    del son


def test_a_member_the_editor_may_not_see_stays_when_others_change(
    anna: User, ben: User, family: Any
) -> None:
    """Who takes part is changed by the agency that made the appointment; a member its
    caseworker may not see (here: after the consent for her ended) is not dropped unseen."""
    (mother, son, daughter), _case = family
    for person in (mother, son):
        record_directly(
            subject=person,
            recorded_by=anna,
            recording_agency=acting(anna).agency,
            disclosing=[acting(anna).agency],
            recipients=[acting(ben).agency],
            categories=[DataCategory.IDENTITY],
        )
    # The Jugendamt makes the appointment; KIM's daughter record is not the Jugendamt's.
    appointment = _appointment(ben, mother, None, participants=[son])
    AppointmentParticipant.objects.create(appointment=appointment, person=daughter)
    services.appointment_participants_set(
        membership=acting(ben),
        actor=ben,
        appointment=appointment,
        participants=[],
        expected_version=appointment.version,
    )
    assert _participant_ids(appointment) == {mother.pk, daughter.pk}


def test_a_merge_moves_the_participation(anna: User, family: Any) -> None:
    from django.apps import apps

    (mother, son, daughter), case = family
    appointment = _appointment(anna, mother, case, participants=[son])
    apps.get_app_config("scheduling").move_person_content(  # type: ignore[attr-defined]
        survivor_id=daughter.pk, merged_id=son.pk
    )
    assert _participant_ids(appointment) == {mother.pk, daughter.pk}


def test_an_overlap_of_a_family_member_taking_part_is_a_conflict(anna: User, family: Any) -> None:
    (mother, son, daughter), case = family
    # The son comes along to his mother's appointment at ten …
    taken = _appointment(anna, mother, case, participants=[son])
    start = taken.starts_at + timedelta(minutes=30)

    def conflicts(participants: list[Person]) -> list[Appointment]:
        return services.appointment_conflicts(
            membership=acting(anna),
            starts_at=start,
            ends_at=start + timedelta(hours=1),
            subject_id=daughter.pk,
            staff_ids=[],
            participant_ids=[p.pk for p in participants],
        )

    # … so an appointment of his sister at half past ten that he takes part in overlaps,
    assert conflicts([son]) == [taken]
    # and one without him does not.
    assert conflicts([]) == []
