"""The pages of daily work as a caseworker meets them: errors named at the field and above the
form, a moved appointment checked for overlaps, a stale change that keeps what was typed, the
printed invitation with a number to call, and the calendar feed."""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta
from typing import Any

import pytest
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from lotse.accounts.models import Membership, User
from lotse.accounts.tests.factories import acting
from lotse.cases.services import case_open
from lotse.people.models import Person
from lotse.scheduling import services
from lotse.scheduling.invitation import TEXTS
from lotse.scheduling.models import Appointment, AppointmentStatus

from .families import register_family

pytestmark = pytest.mark.django_db

DAY = date(2026, 12, 9)


@pytest.fixture
def family(anna: User) -> tuple[list[Person], Any]:
    household, persons = register_family(anna, "Haddad", "Samira", "Yusuf")
    return persons, case_open(household=household, membership=acting(anna), actor=anna)


def _appointment(user: User, person: Person, case: Any, **values: Any) -> Appointment:
    start = timezone.make_aware(datetime.combine(DAY, time(10, 0)))
    data = services.AppointmentData(
        starts_at=start,
        ends_at=start + timedelta(hours=1),
        purpose="Bewerbung besprechen",
        place="Rathaus Barmen, Raum 12",
        **values,
    )
    return services.appointment_create(
        membership=acting(user), actor=user, subject=person, case=case, data=data
    )


def _summary(page: str) -> str:
    match = re.search(r'id="error-summary".*?</div>\s*</div>', page, re.DOTALL)
    assert match, "no error summary on the page"
    return match.group(0)


def _moved(appointment: Appointment, **values: Any) -> dict[str, Any]:
    return {
        "version": appointment.version,
        "day": DAY.isoformat(),
        "starts": "15:00",
        "ends": "16:00",
        "place": "Neumarkt 10",
        **values,
    }


# --- errors at the field and in the summary -----------------------------------------------


def test_an_end_before_the_start_is_named_at_the_field_and_in_the_summary(
    anna: User, family: Any, client_for: Any
) -> None:
    (mother, _child), _case = family
    url = reverse("scheduling:appointment_new") + f"?person={mother.public_id}"
    response = client_for(anna).post(
        url,
        {
            "day": DAY.isoformat(),
            "starts": "11:00",
            "ends": "10:00",
            "place": "Rathaus",
            "purpose": "Gespräch",
            "category": "case_plan",
        },
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "Bis: Das Ende muss nach dem Beginn liegen." in _summary(page)
    assert 'href="#id_ends"' in _summary(page)
    assert response.context["form"].errors["ends"] == ["Das Ende muss nach dem Beginn liegen."]
    assert Appointment.objects.count() == 0


def test_a_task_without_a_title_is_listed_in_the_summary(
    anna: User, family: Any, client_for: Any
) -> None:
    (mother, _child), _case = family
    url = reverse("scheduling:task_new") + f"?person={mother.public_id}"
    response = client_for(anna).post(url, {"title": "", "due_on": DAY.isoformat()})
    assert response.status_code == 400
    assert 'href="#id_title"' in _summary(response.content.decode())


def test_a_move_with_the_end_before_the_start_is_named_in_the_summary(
    anna: User, family: Any, client_for: Any
) -> None:
    (mother, _child), case = family
    appointment = _appointment(anna, mother, case)
    response = client_for(anna).post(
        reverse("scheduling:appointment_reschedule", kwargs={"pk": appointment.pk}),
        _moved(appointment, starts="12:00", ends="11:00"),
    )
    assert response.status_code == 400
    assert "Bis: Das Ende muss nach dem Beginn liegen." in _summary(response.content.decode())


# --- the list -------------------------------------------------------------------------------


def test_the_list_shows_weekday_and_short_date(anna: User, family: Any, client_for: Any) -> None:
    (mother, _child), case = family
    today = timezone.localdate()
    start = timezone.make_aware(datetime.combine(today + timedelta(days=1), time(9, 30)))
    services.appointment_create(
        membership=acting(anna),
        actor=anna,
        subject=mother,
        case=case,
        data=services.AppointmentData(
            starts_at=start, ends_at=start + timedelta(hours=1), purpose="Gespräch", place="Amt"
        ),
    )
    page = client_for(anna).get(reverse("scheduling:appointments")).content.decode()
    weekday = ("Mo", "Di", "Mi", "Do", "Fr", "Sa", "So")[start.weekday()]
    assert f"{weekday}, {start:%d.%m.%Y} 09:30" in page
    assert "SHORT" not in page


# --- moving: overlaps and stale versions ----------------------------------------------------


def test_moving_onto_another_appointment_warns_before_saving(
    anna: User, family: Any, client_for: Any
) -> None:
    (mother, _child), case = family
    appointment = _appointment(anna, mother, case)
    other = _appointment(anna, mother, case)
    services.appointment_reschedule(
        membership=acting(anna),
        actor=anna,
        appointment=other,
        starts_at=timezone.make_aware(datetime.combine(DAY, time(15, 0))),
        ends_at=timezone.make_aware(datetime.combine(DAY, time(16, 0))),
        place="Rathaus",
        video_link="",
        expected_version=other.version,
    )
    client = client_for(anna)
    url = reverse("scheduling:appointment_reschedule", kwargs={"pk": appointment.pk})
    response = client.post(url, _moved(appointment, starts="15:30", ends="16:30"))
    assert response.status_code == 400
    page = response.content.decode()
    assert 'data-testid="appointment-conflicts"' in page
    assert 'name="despite_conflicts" value="1"' in page
    appointment.refresh_from_db()
    assert timezone.localtime(appointment.starts_at).time() == time(10, 0)
    # Its own old time is no conflict; with "save anyway" it is moved.
    forced = client.post(
        url, _moved(appointment, starts="15:30", ends="16:30", despite_conflicts="1")
    )
    assert forced.status_code == 302
    appointment.refresh_from_db()
    assert timezone.localtime(appointment.starts_at).time() == time(15, 30)
    alone = client.post(url, _moved(appointment, starts="10:00", ends="11:00"))
    assert alone.status_code == 302


def test_a_stale_move_keeps_the_input_and_answers_409(
    anna: User, family: Any, client_for: Any
) -> None:
    (mother, _child), case = family
    appointment = _appointment(anna, mother, case)
    opened = appointment.version
    # someone else saves in between
    appointment.place = "Anderswo"
    appointment.save_versioned(expected_version=opened, update_fields=["place"])
    client = client_for(anna)
    url = reverse("scheduling:appointment_reschedule", kwargs={"pk": appointment.pk})
    response = client.post(
        url, _moved(appointment, version=opened, place="Neumarkt 10, Raum 3", starts="14:00")
    )
    assert response.status_code == 409
    page = response.content.decode()
    assert "in der Zwischenzeit geändert" in page
    form = response.context["reschedule_form"]
    assert form["place"].value() == "Neumarkt 10, Raum 3"
    assert form["starts"].value() == "14:00"
    # Re-based on the version now stored: saving again applies it knowingly.
    assert str(form["version"].value()) == str(opened + 1)
    appointment.refresh_from_db()
    assert appointment.place == "Anderswo"
    again = client.post(url, {**form.data.dict()})
    assert again.status_code == 302
    appointment.refresh_from_db()
    assert appointment.place == "Neumarkt 10, Raum 3"


def test_a_stale_close_keeps_the_input_and_answers_409(
    anna: User, family: Any, client_for: Any
) -> None:
    (mother, _child), case = family
    appointment = _appointment(anna, mother, case)
    opened = appointment.version
    appointment.save_versioned(expected_version=opened, update_fields=[])
    response = client_for(anna).post(
        reverse("scheduling:appointment_close", kwargs={"pk": appointment.pk}),
        {"version": opened, "status": "cancelled", "text": "Familie ist krank."},
    )
    assert response.status_code == 409
    assert "in der Zwischenzeit geändert" in response.content.decode()
    assert response.context["close_form"]["text"].value() == "Familie ist krank."
    appointment.refresh_from_db()
    assert appointment.status == AppointmentStatus.PLANNED


def test_a_stale_interpreter_booking_answers_409_with_the_page(
    anna: User, family: Any, client_for: Any
) -> None:
    (mother, _child), case = family
    appointment = _appointment(anna, mother, case, interpreter_language="ar", interpreter="needed")
    opened = appointment.version
    appointment.save_versioned(expected_version=opened, update_fields=[])
    response = client_for(anna).post(
        reverse("scheduling:appointment_interpreter", kwargs={"pk": appointment.pk}),
        {"version": opened},
    )
    assert response.status_code == 409
    assert "in der Zwischenzeit geändert" in response.content.decode()


def test_another_agency_still_cannot_move_the_appointment(
    anna: User, ben: User, family: Any, client_for: Any
) -> None:
    (mother, _child), case = family
    appointment = _appointment(anna, mother, case)
    response = client_for(ben).post(
        reverse("scheduling:appointment_reschedule", kwargs={"pk": appointment.pk}),
        _moved(appointment, despite_conflicts="1"),
    )
    assert response.status_code == 404


# --- the printed invitation -----------------------------------------------------------------


def _invitation(client: Any, appointment: Appointment, language: str = "") -> str:
    url = reverse("scheduling:appointment_invitation", kwargs={"pk": appointment.pk})
    response = client.get(url + (f"?language={language}" if language else ""))
    assert response.status_code == 200
    return str(response.content.decode())


def _article(page: str, language: str) -> str:
    return page.split(f'data-testid="invitation-{language}"')[1].split("</article>")[0]


def test_the_invitation_gives_the_contacts_phone_in_every_language(
    anna: User, family: Any, client_for: Any
) -> None:
    (mother, _child), case = family
    Membership.objects.filter(user=anna).update(phone="0202 563-1234")
    client = client_for(anna)
    for language in ("ar", "fa", "uk", "ru", "tr", "en"):
        appointment = _appointment(
            anna, mother, case, interpreter_language=language, interpreter="needed"
        )
        page = _invitation(client, appointment, language)
        for shown in ("de", language):
            assert "0202 563-1234" in _article(page, shown), (language, shown)


def test_without_a_phone_the_invitation_does_not_ask_to_call(
    anna: User, family: Any, client_for: Any
) -> None:
    (mother, _child), case = family
    appointment = _appointment(anna, mother, case)
    page = _invitation(client_for(anna), appointment)
    assert "rufen Sie uns" not in page
    assert "KIM Integration" in _article(page, "de")


def test_the_phone_of_a_colleague_taking_part_serves_without_a_case(
    anna: User, gero: User, family: Any, client_for: Any
) -> None:
    (mother, _child), _case = family
    Membership.objects.filter(user=gero).update(phone="0202 563-9999")
    appointment = _appointment(anna, mother, None, staff=[gero])
    assert "0202 563-9999" in _article(_invitation(client_for(anna), appointment), "de")


def test_the_invitation_promises_interpreting_only_once_booked(
    anna: User, family: Any, client_for: Any
) -> None:
    (mother, _child), case = family
    client = client_for(anna)
    appointment = _appointment(anna, mother, case, interpreter_language="ar", interpreter="needed")
    page = _invitation(client, appointment, "ar")
    assert TEXTS["de"].interpreter not in page
    assert TEXTS["ar"].interpreter not in page
    assert "Wir bemühen uns um eine Dolmetscherin oder einen Dolmetscher." in page
    services.appointment_interpreter_booked(
        membership=acting(anna), actor=anna, appointment=appointment, expected_version=1
    )
    booked = _invitation(client, appointment, "ar")
    assert TEXTS["de"].interpreter in booked
    assert TEXTS["ar"].interpreter in booked
    assert "Wir bemühen uns" not in booked


def test_the_arabic_invitation_isolates_latin_names_and_uses_the_arabic_comma(
    anna: User, family: Any, client_for: Any
) -> None:
    (mother, child), case = family
    appointment = _appointment(
        anna,
        mother,
        case,
        interpreter_language="ar",
        interpreter="booked",
        participants=[child],
    )
    arabic = _article(_invitation(client_for(anna), appointment, "ar"), "ar")
    assert "<bdi>Samira Haddad</bdi>" in arabic
    assert "<bdi>Yusuf Haddad</bdi>" in arabic
    assert "<bdi>KIM Integration" in arabic
    assert "<bdi>Rathaus Barmen, Raum 12</bdi>" in arabic
    when = arabic.split('data-testid="invitation-when-ar">')[1].split("</dd>")[0]
    assert "،" in when
    assert ", " not in when
    assert "<bdi>Samira Haddad</bdi>، <bdi>Yusuf Haddad</bdi>" in arabic


# --- the calendar page and feed -------------------------------------------------------------


def test_the_calendar_page_keeps_the_daily_e_mail_out_of_the_title(
    anna: User, client_for: Any
) -> None:
    page = client_for(anna).get(reverse("scheduling:calendar")).content.decode()
    title = page.split("<title>")[1].split("</title>")[0]
    assert "csrfmiddlewaretoken" not in title
    assert "<h2" not in title
    assert page.count('data-testid="reminders-state"') == 1
    main = page.split("<main")[1]
    assert "Tägliche E-Mail" in main


@override_settings(ALLOWED_HOSTS=["lotse.example.org", "testserver"])
def test_the_feed_is_utf8_calendar_with_links_to_the_requests_host(
    anna: User, family: Any, client_for: Any
) -> None:
    (mother, _child), case = family
    appointment = _appointment(anna, mother, case)
    token = services.calendar_feed_create(membership=acting(anna), actor=anna)
    response = client_for(None).get(
        reverse("scheduling:calendar_feed", kwargs={"token": token}),
        headers={"host": "lotse.example.org"},
        secure=True,
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    body = response.content.decode()
    assert f"https://lotse.example.org/appointments/{appointment.pk}/" in body.replace("\r\n ", "")
    assert "127.0.0.1" not in body
    single = client_for(anna).get(
        reverse("scheduling:appointment_ics", kwargs={"pk": appointment.pk})
    )
    assert single["Content-Type"] == "text/calendar; charset=utf-8"
    assert "http://testserver/appointments/" in single.content.decode().replace("\r\n ", "")
