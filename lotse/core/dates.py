"""Dates and times from input: naive times are Berlin time, and nothing lies in year 1."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from django.utils import timezone

#: No record in Lotse (an entry, a consent, an audit query) plausibly lies before this year;
#: the bound also keeps date arithmetic clear of ``datetime.min``.
EARLIEST_YEAR = 1900
LATEST_YEAR = 2200


def aware(value: datetime) -> datetime:
    """A naive time is read as local time (Europe/Berlin), as people type it."""
    return value if timezone.is_aware(value) else timezone.make_aware(value)


def in_range(value: date) -> bool:
    return EARLIEST_YEAR <= value.year <= LATEST_YEAR


def start_of(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def end_of(day: date) -> datetime:
    """The first moment after ``day`` (exclusive bound)."""
    return start_of(day + timedelta(days=1))


def years_before(day: date, years: int) -> date:
    """The same calendar day ``years`` earlier; 29 February becomes 28 February."""
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February in a year without one
        return day.replace(year=day.year - years, day=28)


def years_after(day: date, years: int) -> date:
    """The same calendar day ``years`` later; 29 February becomes 28 February."""
    return years_before(day, -years)
