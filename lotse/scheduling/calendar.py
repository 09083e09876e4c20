"""Calendars (RFC 5545 via ``icalendar``) and dates written the way a language writes them.

A calendar leaves Lotse for a calendar program on a phone or a mail server, beyond the access
core. So it carries no name, purpose, place or category: "Termin – Lotse" or "Aufgabe –
Lotse", the time, and a link back into Lotse, where the reader must log in again.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta

from babel.dates import format_date, format_datetime, format_time
from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from icalendar import Calendar, Event

from .models import Appointment, AppointmentStatus, Task

PRODUCT = "-//Lotse//Daily work//DE"


#: What a calendar is sent as: RFC 5545 text is UTF-8, and some programs guess otherwise.
CONTENT_TYPE = "text/calendar; charset=utf-8"


def _link(base_url: str | None, path: str) -> str:
    """``path`` on the address the calendar was fetched from (``base_url``), else on
    LOTSE_BASE_URL (for a calendar made without a request)."""
    return (base_url or settings.BASE_URL).rstrip("/") + path


def _calendar(name: str) -> Calendar:
    calendar = Calendar()
    calendar.add("prodid", PRODUCT)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", name)
    return calendar


def _appointment_event(appointment: Appointment, stamp: datetime, base_url: str | None) -> Event:
    event = Event()
    event.add("uid", f"appointment-{appointment.pk}@lotse")
    event.add("dtstamp", stamp)
    event.add("dtstart", appointment.starts_at)
    event.add("dtend", appointment.ends_at)
    event.add("summary", _("Appointment – Lotse"))
    event.add(
        "url", _link(base_url, reverse("scheduling:appointment", kwargs={"pk": appointment.pk}))
    )
    event.add("sequence", appointment.version)
    if appointment.status == AppointmentStatus.CANCELLED:
        event.add("status", "CANCELLED")
    else:
        event.add("status", "CONFIRMED")
    return event


def _task_event(task: Task, stamp: datetime, base_url: str | None) -> Event:
    event = Event()
    event.add("uid", f"task-{task.pk}@lotse")
    event.add("dtstamp", stamp)
    event.add("dtstart", task.due_on)
    event.add("dtend", task.due_on + timedelta(days=1))
    event.add("summary", _("Task due – Lotse"))
    event.add("url", _link(base_url, reverse("scheduling:task", kwargs={"pk": task.pk})))
    event.add("transp", "TRANSPARENT")
    return event


def feed_ics(
    *,
    appointments: Iterable[Appointment],
    tasks: Iterable[Task],
    base_url: str | None = None,
) -> bytes:
    stamp = timezone.now()
    calendar = _calendar("Lotse")
    for appointment in appointments:
        calendar.add_component(_appointment_event(appointment, stamp, base_url))
    for task in tasks:
        calendar.add_component(_task_event(task, stamp, base_url))
    return bytes(calendar.to_ical())


def appointment_ics(appointment: Appointment, *, base_url: str | None = None) -> bytes:
    calendar = _calendar("Lotse")
    calendar.add("method", "PUBLISH")
    calendar.add_component(_appointment_event(appointment, timezone.now(), base_url))
    return bytes(calendar.to_ical())


#: Languages written right to left among those Lotse prints invitations in.
RTL_LANGUAGES = frozenset({"ar", "fa", "prs", "ps", "ku", "ckb", "ur", "he"})
#: Those of them written in Arabic script, which separates with the Arabic comma "،".
ARABIC_SCRIPT = RTL_LANGUAGES - {"he"}
#: Babel knows no Dari ("prs") or Kurdish ("ku"); they are written like Persian and Kurmanji.
BABEL_LOCALE = {"prs": "fa_AF", "ku": "ckb", "kmr": "ku", "ti": "ti", "de": "de_DE"}


def babel_locale(language: str) -> str:
    return BABEL_LOCALE.get(language, language)


def written_out(value: datetime, end: datetime, language: str) -> dict[str, str]:
    """Weekday, date and times as ``language`` writes them (CLDR via Babel), in local time."""
    locale = babel_locale(language)
    start = timezone.localtime(value)
    until = timezone.localtime(end)
    try:
        return {
            "date": format_date(start.date(), format="full", locale=locale),
            "from": format_time(start.time(), format="short", locale=locale),
            "until": format_time(until.time(), format="short", locale=locale),
            "full": format_datetime(start, format="full", locale=locale),
        }
    except (ValueError, LookupError):
        return written_out(value, end, "de")


def list_separator(language: str) -> str:
    """What separates the parts of a list or a date line in ``language``."""
    return "، " if language in ARABIC_SCRIPT else ", "
