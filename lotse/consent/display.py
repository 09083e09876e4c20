"""How consents and the people behind them read on a page: in names and dates, not numbers.

A consent is "Einwilligung von Amal Haddad vom 26.11.2026" where the reader may see the name,
"Einwilligung vom 26.11.2026" where not; its number stays beside it as the reference the audit
trail uses. A consent without an end reads "unbefristet".
"""

from __future__ import annotations

from datetime import date
from typing import Any
from urllib.parse import urlencode

from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from .categories import DataCategory
from .models import ConsentPurpose

#: 31.12.9999 is how administrative systems write "no end date": it arrives through the API
#: (``valid_until`` takes any date there) and from imported registers. Any end in that last
#: year is shown as open-ended, never as a date nobody will live to see.
OPEN_END_YEAR = 9999


def is_open_ended(day: date | None) -> bool:
    return day is None or day.year >= OPEN_END_YEAR


def end_text(day: date | None) -> str:
    """The end of a validity: a short date, or "open-ended"."""
    if day is None or is_open_ended(day):
        return _("open-ended")
    return date_format(day, "SHORT_DATE_FORMAT")


def period_text(start: date, end: date | None) -> str:
    if is_open_ended(end):
        return _("from %(start)s, open-ended") % {"start": date_format(start, "SHORT_DATE_FORMAT")}
    return f"{date_format(start, 'SHORT_DATE_FORMAT')} – {end_text(end)}"


def consent_title(consent: Any, name: str = "") -> str:
    """The consent by whom and when it was given; by date alone where the name is not shown."""
    day = date_format(consent.valid_from, "SHORT_DATE_FORMAT")
    if name:
        return _("Consent of %(name)s of %(date)s") % {"name": name, "date": day}
    return _("Consent of %(date)s") % {"date": day}


def renewal_url(*, public_id: str, consent_id: int) -> str:
    """The new consent for the person, filled in like the one it renews (its page and its
    deadline task link here)."""
    url = reverse("consent:record", kwargs={"public_id": public_id})
    return f"{url}?{renewal_query(consent_id=consent_id)}"


def renewal_query(*, consent_id: int) -> str:
    return urlencode({"renew": consent_id})


def gap_url(*, public_id: str, agency_id: int, category: str, purpose: str) -> str:
    """The new consent for the person, filled in for what a consent gap misses: the agency
    as recipient, the information, the purpose (unknown values are left out here and by the
    form). Only a starting point: the family decides, the consent services check."""
    query: dict[str, str | int] = {"recipient_agencies": agency_id}
    if category in DataCategory.values:
        query["categories"] = category
    if purpose in ConsentPurpose.values:
        query["purpose"] = purpose
    url = reverse("consent:record", kwargs={"public_id": public_id})
    return f"{url}?{urlencode(query)}"


def category_labels(codes: list[str]) -> list[str]:
    labels = dict(DataCategory.choices)
    return [str(labels.get(code, code)) for code in codes]


def staff_name(user: Any) -> str:
    """A member of staff by full name; the login only where no name is kept."""
    if user is None:
        return ""
    return str(user.get_full_name() or user.get_username())


def staff_label(user: Any, agency: Any) -> str:
    """ "Kim Berger (KIM-Case-Management)": who did it, for which agency."""
    name = staff_name(user)
    if agency is None:
        return name
    if not name:
        return str(agency.name)
    return _("%(name)s (%(agency)s)") % {"name": name, "agency": agency.name}
