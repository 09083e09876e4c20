"""The pages of daily work as a caseworker meets them: errors named at the field and above the
form, a moved appointment checked for overlaps, a stale change that keeps what was typed, the
printed invitation with a number to call, and the calendar feed."""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from lotse.accounts.models import User
from lotse.accounts.tests.factories import acting
from lotse.cases.services import case_open
from lotse.people.models import Person
from lotse.scheduling import services
from lotse.scheduling.models import Appointment

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


# --- the printed invitation -----------------------------------------------------------------


def _invitation(client: Any, appointment: Appointment, language: str = "") -> str:
    url = reverse("scheduling:appointment_invitation", kwargs={"pk": appointment.pk})
    response = client.get(url + (f"?language={language}" if language else ""))
    assert response.status_code == 200
    return str(response.content.decode())


def _article(page: str, language: str) -> str:
    return page.split(f'data-testid="invitation-{language}"')[1].split("</article>")[0]


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
