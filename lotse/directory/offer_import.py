"""Offers from a spreadsheet (CSV or XLSX): one row per offer, German column headers, for one
provider — for agency admins who keep their offers in Excel (columns: docs/hsds-profile.md).

``dry_run=True`` checks every row, against the database too, and reports row, column and
message without writing anything. A real run writes all rows or none: one bad row and nothing
is saved. Each row goes through ``services.clean_offer_data``, so its messages are the offer
form's, placed at the column they concern. One audit event per import, with counts only.

A row updates an offer of the provider when its ``ID`` (the HSDS id) or, without one, its name
matches; otherwise it creates one. Locations are found by name among the provider's, or created.

Rows are taken in batches of ``BATCH_SIZE``: each row is checked and its offer saved, and the
child rows (domains, languages, districts, places, times) of the whole batch are written at
once (``services.write_offer_rows_bulk``). At the first problem the batch is rolled back and
taken again one row at a time, each in a savepoint, as are all batches after it: the report
names every problem as without batches.
"""

from __future__ import annotations

import csv
import io
import re
import uuid
from collections import defaultdict
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time
from pathlib import Path
from typing import IO, Any

from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator, URLValidator
from django.db import DatabaseError, transaction
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lotse.accounts.models import Membership, User
from lotse.audit.models import AuditAction
from lotse.audit.services import record
from lotse.core.errors import AccessDenied
from lotse.core.models import StaleEditError
from lotse.people.choices import District

from .hsds import LocationData, location_write
from .models import (
    Location,
    Offer,
    OfferDistrict,
    OfferDomain,
    OfferLanguage,
    OfferLocation,
    Provider,
    Schedule,
)
from .services import (
    OfferData,
    ScheduleData,
    clean_offer_data,
    may_manage,
    write_offer_rows_bulk,
)

#: Rows per file: a provider's offers, not a city's.
MAX_ROWS = 5000
#: The report stops after this many problems.
MAX_ISSUES = 200
#: Rows checked and written together (their child rows in one go).
BATCH_SIZE = 500


@dataclass(frozen=True)
class Column:
    """A column of the spreadsheet: the field it fills, its header, how it is read."""

    key: str
    header: str
    kind: str
    help: Promise
    required: bool = False


COLUMNS: tuple[Column, ...] = (
    Column("id", "ID", "uuid", gettext_lazy("HSDS id of an existing offer to update (optional).")),
    Column("name", "Name", "text", gettext_lazy("Name of the offer."), required=True),
    Column("description", "Beschreibung", "text", gettext_lazy("What it is."), required=True),
    Column("alternate_name", "Andere Bezeichnung", "text", gettext_lazy("Another name.")),
    Column(
        "domains",
        "Lebensbereiche",
        "codes",
        gettext_lazy("Life-domain codes, comma-separated, main domain first (e.g. language)."),
        required=True,
    ),
    Column("languages", "Sprachen", "codes", gettext_lazy("ISO 639 codes, e.g. de, ar, uk.")),
    Column(
        "districts",
        "Stadtbezirke",
        "districts",
        gettext_lazy("Districts served (codes or names); empty: the whole city."),
    ),
    Column("minimum_age", "Alter von", "int", gettext_lazy("Minimum age.")),
    Column("maximum_age", "Alter bis", "int", gettext_lazy("Maximum age.")),
    Column("sexes", "Für", "codes", gettext_lazy("f, m, d; empty: everyone.")),
    Column(
        "family_situations",
        "Familiensituation",
        "codes",
        gettext_lazy("e.g. single_parent, family_with_children, pregnant."),
    ),
    Column(
        "residence_kinds",
        "Aufenthaltsstatus",
        "codes",
        gettext_lazy("Residence statuses the offer is open to; empty: all."),
    ),
    Column("eligibility_description", "Wer kann teilnehmen", "text", gettext_lazy("Who.")),
    Column("capacity", "Plätze", "int", gettext_lazy("Number of places.")),
    Column("free_places", "Freie Plätze", "int", gettext_lazy("Free places now.")),
    Column("waiting_list", "Warteliste", "bool", gettext_lazy("ja or nein (default nein).")),
    Column("wait_time", "Wartezeit", "text", gettext_lazy("e.g. about four weeks.")),
    Column("free_of_charge", "Kostenlos", "bool", gettext_lazy("ja or nein (default ja).")),
    Column("fees_description", "Kosten", "text", gettext_lazy("What it costs.")),
    Column("application_process", "Anmeldung", "text", gettext_lazy("How to sign up.")),
    Column("interpretation_services", "Dolmetschen", "text", gettext_lazy("Interpreting.")),
    Column(
        "required_documents",
        "Unterlagen",
        "documents",
        gettext_lazy("Documents to bring, separated by semicolons."),
    ),
    Column("valid_from", "Gültig ab", "date", gettext_lazy("DD.MM.YYYY or YYYY-MM-DD.")),
    Column("valid_until", "Gültig bis", "date", gettext_lazy("DD.MM.YYYY or YYYY-MM-DD.")),
    Column(
        "is_public", "Öffentlich", "bool", gettext_lazy("In the public directory (default ja).")
    ),
    Column(
        "accepts_referrals",
        "Nimmt Vermittlungen an",
        "bool",
        gettext_lazy("Referrals reach the inbox (default ja)."),
    ),
    Column("status", "Status", "text", gettext_lazy("active, inactive, temporarily closed …")),
    Column("url", "Webseite", "text", gettext_lazy("Web page of the offer.")),
    Column("email", "E-Mail", "text", gettext_lazy("E-mail address.")),
    Column("phone", "Telefon", "text", gettext_lazy("Phone number.")),
    Column(
        "schedules",
        "Zeiten",
        "times",
        gettext_lazy("e.g. 'Mo,Mi 09:00-12:00; Fr 14:00-16:00' (weekly; no days: daily)."),
    ),
    Column("location_name", "Standort", "text", gettext_lazy("Name of the place.")),
    Column("street", "Straße", "text", gettext_lazy("Street and number.")),
    Column("postal_code", "PLZ", "text", gettext_lazy("Postal code.")),
    Column("city", "Ort", "text", gettext_lazy("City.")),
    Column("location_district", "Standort-Bezirk", "district", gettext_lazy("District.")),
    Column("latitude", "Breitengrad", "float", gettext_lazy("Latitude, e.g. 51.2562.")),
    Column("longitude", "Längengrad", "float", gettext_lazy("Longitude, e.g. 7.1508.")),
    Column("wheelchair_accessible", "Barrierefrei", "bool", gettext_lazy("Step-free access.")),
)

_LOCATION_KEYS = {
    "location_name": "name",
    "street": "street",
    "postal_code": "postal_code",
    "city": "city",
    "location_district": "district",
    "latitude": "latitude",
    "longitude": "longitude",
    "wheelchair_accessible": "wheelchair_accessible",
}
#: A location's field (in ``location_write``'s errors) → its column.
_LOCATION_COLUMNS = {field_name: key for key, field_name in _LOCATION_KEYS.items()}
_DEFAULTS = {"free_of_charge": True, "is_public": True, "accepts_referrals": True}
_DAYS = {
    "mo": "MO",
    "di": "TU",
    "tu": "TU",
    "mi": "WE",
    "we": "WE",
    "do": "TH",
    "th": "TH",
    "fr": "FR",
    "sa": "SA",
    "so": "SU",
    "su": "SU",
}
_WEEK = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
_TIME_RANGE = re.compile(r"(\d{1,2}(?:[:.]\d{2})?)\s*[-–]\s*(\d{1,2}(?:[:.]\d{2})?)")


def _normal(header: str) -> str:
    return re.sub(r"[\s_\-]+", "", header.strip().lower())


_BY_HEADER = {_normal(c.header): c for c in COLUMNS} | {_normal(c.key): c for c in COLUMNS}


@dataclass(frozen=True)
class RowIssue:
    """A problem of the file: its row (1 = the header row), column and message."""

    row: int
    column: str
    message: str

    def __str__(self) -> str:
        where = _("row %(row)s") % {"row": self.row}
        return ": ".join(part for part in (where, self.column, self.message) if part)


@dataclass
class OfferImportReport:
    dry_run: bool
    rows: int = 0
    created: int = 0
    updated: int = 0
    locations_created: int = 0
    issues: list[RowIssue] = field(default_factory=list)
    truncated: bool = False

    @property
    def ok(self) -> bool:
        return not self.issues

    @property
    def written(self) -> bool:
        return self.ok and not self.dry_run


class TableFormatError(ValueError):
    """The file is neither a readable CSV nor an XLSX workbook."""


# --- reading the file ---------------------------------------------------------------------------


def _rows_from_xlsx(data: IO[bytes]) -> Iterator[list[Any]]:
    from openpyxl import load_workbook  # type: ignore[import-untyped]

    try:
        workbook = load_workbook(data, read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many kinds for a file that is no workbook
        raise TableFormatError(_("Not a readable XLSX workbook.")) from error
    try:
        for row in workbook.worksheets[0].iter_rows(values_only=True):
            yield list(row)
    finally:
        workbook.close()


def _rows_from_csv(raw: bytes) -> Iterator[list[Any]]:
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = raw.decode("cp1252")  # what Excel on a German Windows saves as "CSV"
    first = text.split("\n", 1)[0]
    # Excel writes semicolons in German locales; commas elsewhere.
    delimiter = max(";,\t", key=first.count)
    yield from csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)


def _read(source: str | Path | IO[bytes], filename: str) -> tuple[str, Iterator[list[Any]]]:
    """The file's kind ("xlsx" or "csv") and its rows. Read whole: a provider's offers."""
    if isinstance(source, str | Path):
        filename = filename or str(source)
        with Path(source).open("rb") as handle:
            raw = handle.read()
    else:
        raw = source.read()
    if filename.lower().endswith(".xlsx") or raw[:4] == b"PK\x03\x04":
        return "xlsx", _rows_from_xlsx(io.BytesIO(raw))
    return "csv", _rows_from_csv(raw)


# --- reading the cells --------------------------------------------------------------------------


class _Bad(ValueError):
    pass


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))  # a postal code Excel kept as a number
    if isinstance(value, datetime | date):
        return value.strftime("%d.%m.%Y")
    return str(value).strip()


def _int(value: Any) -> int:
    number: float | None = None
    if isinstance(value, int | float) and not isinstance(value, bool):
        number = float(value)
    elif re.fullmatch(r"[+-]?\d{1,10}", _text(value)):
        number = float(_text(value))
    # Bounded like the database's integer columns.
    if number is None or not number.is_integer() or abs(number) > 2**31 - 1:
        raise _Bad(_("Give a whole number."))
    return int(number)


def _float(value: Any) -> float:
    if isinstance(value, int | float) and not isinstance(value, bool):
        return float(value)
    text = _text(value)
    if "," in text and "." not in text:
        text = text.replace(",", ".")  # German decimal comma
    try:
        return float(text)
    except ValueError:
        raise _Bad(_("Give a number, e.g. 51.2562.")) from None


def _bool(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    text = _text(value).lower()
    if text in ("ja", "j", "yes", "y", "x", "true", "wahr", "1"):
        return True
    if text in ("nein", "n", "no", "false", "falsch", "0"):
        return False
    raise _Bad(_("Write ja or nein."))


def _date(value: Any) -> date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = _text(value)
    for pattern in ("%d.%m.%Y", "%Y-%m-%d", "%d.%m.%y"):
        try:
            return datetime.strptime(text, pattern).date()  # noqa: DTZ007 - a date, not a time
        except ValueError:
            continue
    raise _Bad(_("Give a date as DD.MM.YYYY."))


def _codes(value: Any) -> list[str]:
    return [part.strip().lower() for part in re.split(r"[,;]", _text(value)) if part.strip()]


def _districts(value: Any) -> list[str]:
    by_name = {str(label).lower(): str(code) for code, label in District.choices}
    return [by_name.get(code, code) for code in _codes(value)]


def _documents(value: Any) -> list[str]:
    return [part.strip() for part in re.split(r"[;\n]", _text(value)) if part.strip()]


def _clock(text: str) -> time:
    hours, _sep, minutes = text.replace(".", ":").partition(":")
    try:
        return time(int(hours), int(minutes or 0))
    except ValueError:
        raise _Bad(_("Not a time of day: %(time)s.") % {"time": text}) from None


def _days(text: str) -> list[str]:
    days: list[str] = []
    for part in re.split(r"[,\s]+", text.strip()):
        if not part:
            continue
        start, _sep, end = part.partition("-")
        first, last = _DAYS.get(start.lower()[:2]), _DAYS.get(end.lower()[:2]) if end else None
        if first is None or (end and last is None):
            raise _Bad(_("Unknown day: %(day)s. Use Mo, Di, Mi, Do, Fr, Sa, So.") % {"day": part})
        if last is None:
            days.append(first)
        else:  # a range such as Mo-Fr
            a, b = _WEEK.index(first), _WEEK.index(last)
            days.extend(_WEEK[a : b + 1] if a <= b else [*_WEEK[a:], *_WEEK[: b + 1]])
    return list(dict.fromkeys(days))


def _times(value: Any) -> list[ScheduleData]:
    """'Mo,Mi 09:00-12:00; Fr 14-16' → weekly schedules; a segment without days is daily."""
    schedules = []
    for segment in re.split(r"[;\n]", _text(value)):
        if not segment.strip():
            continue
        match = _TIME_RANGE.search(segment)
        days = _days((segment[: match.start()] + segment[match.end() :]) if match else segment)
        if not days and not match:
            raise _Bad(_("Write times like 'Mo,Mi 09:00-12:00; Fr 14:00-16:00'."))
        schedules.append(
            ScheduleData(
                freq=Schedule.Frequency.WEEKLY if days else Schedule.Frequency.DAILY,
                byday=",".join(days),
                opens_at=_clock(match.group(1)) if match else None,
                closes_at=_clock(match.group(2)) if match else None,
            )
        )
    return schedules


_READERS: dict[str, Callable[[Any], Any]] = {
    "text": _text,
    "int": _int,
    "float": _float,
    "bool": _bool,
    "date": _date,
    "codes": _codes,
    "districts": _districts,
    "district": lambda value: _districts(value)[0] if _text(value) else "",
    "documents": _documents,
    "times": _times,
    "uuid": lambda value: uuid.UUID(_text(value)),
}


# --- the import ---------------------------------------------------------------------------------


@dataclass
class _Row:
    number: int
    values: dict[str, Any]
    headers: dict[str, str]
    issues: list[RowIssue] = field(default_factory=list)

    def bad(self, key: str, message: str) -> None:
        header = self.headers.get(key) or next(c.header for c in COLUMNS if c.key == key)
        self.issues.append(RowIssue(self.number, header, message))


#: Column position → (header as written, column key).
_Headers = dict[int, tuple[str, str]]


class _Retry(Exception):
    """Something in a batch is wrong: take it again, one row at a time."""


class _TableImport:
    def __init__(
        self,
        *,
        provider: Provider,
        membership: Membership,
        actor: User,
        report: OfferImportReport,
    ) -> None:
        self.provider = provider
        self.membership = membership
        self.actor = actor
        self.report = report
        self.locations: dict[str, Location] = {}
        self.targets: dict[str, int] = {}  # offer key → first row naming it
        #: saved offers whose child rows are still to be written (with the batch's)
        self.pending: list[tuple[Offer, OfferData]] = []
        self.current: _ProviderRows | None = None
        #: after a first problem: one row at a time, each in a savepoint
        self.exact = False

    def run(self, rows: Iterator[list[Any]]) -> None:
        header = next(rows, None)
        if header is None:
            self.report.issues.append(RowIssue(1, "", _("The file is empty.")))
            return
        headers = self._headers([_text(cell) for cell in header])
        if self.report.issues:
            return
        batch: list[tuple[int, Sequence[Any]]] = []
        count = 0
        try:
            for number, cells in enumerate(rows, start=2):
                if not any(_text(cell) for cell in cells):
                    continue
                count += 1
                if count > MAX_ROWS:
                    if batch and not self._batch(batch, headers):
                        return
                    self.report.rows += 1
                    self.report.issues.append(
                        RowIssue(
                            number, "", _("At most %(max)s rows per file.") % {"max": MAX_ROWS}
                        )
                    )
                    return
                batch.append((number, cells))
                if len(batch) >= BATCH_SIZE:
                    full, batch = batch, []
                    if not self._batch(full, headers):
                        return
        except (TableFormatError, csv.Error):
            # Unreadable from here on: the rows before are imported (or reported) first.
            if not batch or self._batch(batch, headers):
                raise
            return
        if batch:
            self._batch(batch, headers)

    def _batch(self, batch: list[tuple[int, Sequence[Any]]], headers: _Headers) -> bool:
        """Import a batch of rows; False when the report is full (stop reading)."""
        if not self.exact:
            report = self.report
            saved = (report.rows, report.created, report.updated, report.locations_created)
            locations, targets = dict(self.locations), dict(self.targets)
            try:
                with transaction.atomic():  # a savepoint: a failed batch leaves no rows
                    for number, cells in batch:
                        self.report.rows += 1
                        row = self._row_of(number, cells, headers)
                        parsed = self._parse(row)
                        if row.issues:
                            raise _Retry
                        self._write(row, parsed)
                    self._flush()
            except (_Retry, ValidationError, DatabaseError):
                # Gone with the savepoint: so are the batch's cache entries and counts.
                report.rows, report.created, report.updated, report.locations_created = saved
                self.locations, self.targets = locations, targets
                self.current = None
                self.exact = True
            else:
                return True
            finally:
                self.pending = []
        for number, cells in batch:
            self.report.rows += 1
            if len(self.report.issues) >= MAX_ISSUES:
                self.report.truncated = True
                return False
            row = self._row_of(number, cells, headers)
            self._row(row)
            self.report.issues.extend(row.issues)
        return True

    def _row_of(self, number: int, cells: Sequence[Any], headers: _Headers) -> _Row:
        return _Row(number, self._values(headers, cells), {k: v for v, k in headers.values()})

    def _flush(self) -> None:
        pending, self.pending = self.pending, []
        write_offer_rows_bulk(pending)

    def _headers(self, header: list[str]) -> _Headers:
        """Column position → (header as written, column key)."""
        found: dict[int, tuple[str, str]] = {}
        for position, text in enumerate(header):
            if not text:
                continue
            column = _BY_HEADER.get(_normal(text))
            if column is None:
                self.report.issues.append(RowIssue(1, text, _("Unknown column.")))
            elif column.key in {key for _text_, key in found.values()}:
                self.report.issues.append(RowIssue(1, text, _("This column appears twice.")))
            else:
                found[position] = (text, column.key)
        present = {key for _text_, key in found.values()}
        for column in COLUMNS:
            if column.required and column.key not in present:
                self.report.issues.append(RowIssue(1, column.header, _("This column is required.")))
        return found

    @staticmethod
    def _values(headers: _Headers, cells: Sequence[Any]) -> dict[str, Any]:
        return {
            key: cells[position] if position < len(cells) else None
            for position, (_header, key) in headers.items()
        }

    def _row(self, row: _Row) -> None:
        """One row, in a savepoint of its own: every problem goes to the row."""
        parsed = self._parse(row)
        if row.issues:
            return
        counts = (self.report.created, self.report.updated, self.report.locations_created)
        cached = set(self.locations)
        try:
            with transaction.atomic():  # a savepoint: a failed row leaves no location behind
                self._write(row, parsed)
                self._flush()
        except (ValidationError, DatabaseError) as error:
            # The savepoint's rows are gone: so are their cache entries and counts.
            for key in set(self.locations) - cached:
                del self.locations[key]
            self.report.created, self.report.updated, self.report.locations_created = counts
            if isinstance(error, DatabaseError):
                row.bad("name", _("This row could not be saved."))
                return
            for name, messages in error.message_dict.items():
                for message in messages:
                    row.bad(_column_of(name), message)
        finally:
            self.pending = []

    def _parse(self, row: _Row) -> dict[str, Any]:
        """The row's cells read; problems go to the row."""
        parsed: dict[str, Any] = {}
        kinds = {c.key: c.kind for c in COLUMNS}
        for key, value in row.values.items():
            if _text(value) == "":
                continue
            try:
                parsed[key] = _READERS[kinds[key]](value)
            except (_Bad, ValueError) as error:
                message = str(error) if isinstance(error, _Bad) else _("Not a valid HSDS id.")
                row.bad(key, message)
        for key, validator in (("url", URLValidator()), ("email", EmailValidator())):
            if key in parsed:
                try:
                    if len(parsed[key]) > 200:  # the model's columns
                        raise ValidationError(_("At most 200 characters."))
                    validator(parsed[key])
                except ValidationError as error:
                    row.bad(key, " ".join(error.messages))
        return parsed

    def _location(self, row: _Row, parsed: dict[str, Any]) -> Location | None:
        values = {_LOCATION_KEYS[k]: v for k, v in parsed.items() if k in _LOCATION_KEYS}
        if not values:
            return None
        name = values.get("name") or values.get("street") or ""
        key = name.lower()
        if key in self.locations:
            return self.locations[key]
        existing = Location.objects.filter(provider=self.provider, name__iexact=name).first()
        if existing is not None and len(values) == 1:
            location = existing  # only named: the place as it is
        else:
            # What the row does not say stays as it is.
            data = _location_data(existing) if existing else LocationData(name=name)
            for field_name, value in values.items():
                setattr(data, field_name, value)
            data.name = name
            try:
                location = location_write(provider=self.provider, data=data, location=existing)
            except ValidationError as error:
                raise ValidationError(
                    {
                        f"location.{name_}": messages
                        for name_, messages in error.message_dict.items()
                    }
                ) from error
            if existing is None:
                self.report.locations_created += 1
        self.locations[key] = location
        return location

    def _target(self, row: _Row, parsed: dict[str, Any]) -> Offer | None:
        """The provider's offer the row updates, or None for a new one."""
        offers = Offer.objects.filter(provider=self.provider)
        if "id" in parsed:
            found = offers.filter(hsds_id=parsed["id"]).first()
            if found is None:
                raise ValidationError({"id": _("No offer with this ID at this provider.")})
            key = str(found.pk)
        else:
            name = _text(parsed.get("name"))
            matches = list(offers.filter(name__iexact=name)[:2])
            if len(matches) > 1:
                raise ValidationError({"name": _("Several offers have this name: give the ID.")})
            found = matches[0] if matches else None
            key = str(found.pk) if found else f"new:{name.lower()}"
        if key in self.targets:
            raise ValidationError(
                {"name": _("Row %(row)s names the same offer.") % {"row": self.targets[key]}}
            )
        self.targets[key] = row.number
        return found

    def _write(self, row: _Row, parsed: dict[str, Any]) -> None:
        existing = self._target(row, parsed)
        location = self._location(row, parsed)
        # An update starts from the offer as it is: a column the file does not have leaves
        # its field alone; an empty cell of a column it has empties the field.
        data = self._current(existing) if existing is not None else _blank()
        blank = _blank()
        for key in row.values:
            if key != "id" and hasattr(blank, key):
                setattr(data, key, parsed[key] if key in parsed else getattr(blank, key))
        if existing is None or "districts" in row.values:
            data.citywide = not data.districts
        if location is not None:
            data.location_ids = [location.pk]
        elif any(key in _LOCATION_KEYS for key in row.values):
            data.location_ids = []  # the place columns are there, and empty
        # clean_offer_data checks with a query that the locations are the provider's: those
        # found or written here are (a query per row saved); others it checks.
        location_ids = data.location_ids
        own = {location.pk for location in self.locations.values()}
        skip = all(pk in own for pk in location_ids)
        if skip:
            data.location_ids = []
        data = clean_offer_data(data, provider=self.provider)
        if skip:
            data.location_ids = list(dict.fromkeys(location_ids))
        offer = existing or Offer(provider=self.provider)
        for name in OfferData.SCALARS:
            setattr(offer, name, getattr(data, name))
        # Importing is confirming the data, as saving the form is.
        offer.checked_on, offer.checked_by = timezone.localdate(), self.actor
        if existing is None:
            offer.save()
            self.targets[str(offer.pk)] = row.number  # a later row finds it by its name
            self.report.created += 1
        else:
            try:
                offer.save_versioned(
                    expected_version=existing.version,
                    update_fields=[*OfferData.SCALARS, "checked_on", "checked_by_id"],
                )
            except StaleEditError:
                raise ValidationError(
                    {"name": _("Someone changed this offer during the import.")}
                ) from None
            self.report.updated += 1
        self.pending.append((offer, data))  # the child rows: written with the batch's

    def _current(self, offer: Offer) -> OfferData:
        """The offer as it is: its child rows from those of the provider's offers, read once
        (five queries) when the first row updates an offer; read alone (five queries) when
        the offer changed since (another version) or is newer."""
        if self.current is None:
            self.current = _ProviderRows(self.provider)
        return self.current.data(offer) or _offer_data(offer)


class _ProviderRows:
    """The child rows of a provider's offers, by offer pk, and the versions they belong to."""

    def __init__(self, provider: Provider) -> None:
        offers = Offer.objects.filter(provider=provider)
        self.versions = dict(offers.values_list("pk", "version"))
        self.domains: defaultdict[int, list[str]] = defaultdict(list)
        self.languages: defaultdict[int, list[str]] = defaultdict(list)
        self.districts: defaultdict[int, list[str]] = defaultdict(list)
        self.places: defaultdict[int, list[int]] = defaultdict(list)
        self.schedules: defaultdict[int, list[ScheduleData]] = defaultdict(list)
        of_provider = {"offer__provider": provider}
        domains = OfferDomain.objects.filter(**of_provider).order_by("position", "pk")
        for pk, domain in domains.values_list("offer_id", "domain"):
            self.domains[pk].append(domain)
        languages = OfferLanguage.objects.filter(**of_provider).order_by("pk")
        for pk, code in languages.values_list("offer_id", "code"):
            self.languages[pk].append(code)
        districts = OfferDistrict.objects.filter(**of_provider).order_by("pk")
        for pk, district in districts.values_list("offer_id", "district"):
            self.districts[pk].append(district)
        places = OfferLocation.objects.filter(**of_provider).order_by("pk")
        for pk, location_id in places.values_list("offer_id", "location_id"):
            self.places[pk].append(location_id)
        for s in Schedule.objects.filter(**of_provider).order_by("pk"):
            self.schedules[s.offer_id].append(_schedule_data(s))

    def data(self, offer: Offer) -> OfferData | None:
        """As :func:`_offer_data`, or None when these rows are not the offer's as it is."""
        if self.versions.get(offer.pk) != offer.version:
            return None
        pk = offer.pk
        data = OfferData(name=offer.name, description=offer.description, domains=[])
        for name in OfferData.SCALARS:
            setattr(data, name, getattr(offer, name))
        data.domains = list(self.domains[pk])
        data.languages = list(self.languages[pk])
        data.districts = list(self.districts[pk])
        data.location_ids = list(self.places[pk])
        data.schedules = list(self.schedules[pk])
        return data


def _blank() -> OfferData:
    data = OfferData(name="", description="", domains=[])
    for name, value in _DEFAULTS.items():
        setattr(data, name, value)
    return data


def _offer_data(offer: Offer) -> OfferData:
    """The offer as it is, in the form ``clean_offer_data`` and ``write_offer_rows`` take."""
    data = OfferData(name=offer.name, description=offer.description, domains=offer.domain_codes)
    for name in OfferData.SCALARS:
        setattr(data, name, getattr(offer, name))
    data.languages = list(offer.languages.values_list("code", flat=True))
    data.districts = list(offer.districts.values_list("district", flat=True))
    data.location_ids = list(offer.at_locations.values_list("location_id", flat=True))
    data.schedules = [_schedule_data(s) for s in offer.schedules.all()]
    return data


def _schedule_data(s: Schedule) -> ScheduleData:
    return ScheduleData(
        freq=s.freq,
        interval=s.interval,
        byday=s.byday,
        opens_at=s.opens_at,
        closes_at=s.closes_at,
        dtstart=s.dtstart,
        until=s.until,
        description=s.description,
        location_id=s.location_id,
    )


def _location_data(location: Location) -> LocationData:
    return LocationData(
        name=location.name,
        description=location.description,
        street=location.street,
        postal_code=location.postal_code,
        city=location.city,
        district=location.district,
        latitude=float(location.latitude) if location.latitude is not None else None,
        longitude=float(location.longitude) if location.longitude is not None else None,
        transportation=location.transportation,
        wheelchair_accessible=location.wheelchair_accessible,
        accessibility=location.accessibility,
    )


def _column_of(name: str) -> str:
    """An error's field (of clean_offer_data or location_write) → the column key."""
    if name.startswith("location."):
        return _LOCATION_COLUMNS.get(name.removeprefix("location."), "location_name")
    return {"location_ids": "location_name", "citywide": "districts"}.get(name, name)


def offers_import_table(
    *,
    provider: Provider,
    source: str | Path | IO[bytes],
    membership: Membership | None,
    actor: User,
    filename: str = "",
    dry_run: bool = False,
) -> OfferImportReport:
    """Import a CSV or XLSX file of offers for ``provider`` (see the module's docstring).
    ``AccessDenied`` for a member who may not manage the provider's offers."""
    if membership is None or not may_manage(membership, provider):
        raise AccessDenied
    report = OfferImportReport(dry_run=dry_run)
    try:
        kind, rows = _read(source, filename)
        with transaction.atomic():
            _TableImport(provider=provider, membership=membership, actor=actor, report=report).run(
                rows
            )
            if not report.ok or dry_run:
                transaction.set_rollback(True)  # all rows or none; a dry run writes nothing
            else:
                record(
                    action=AuditAction.OFFERS_IMPORTED,
                    actor=actor,
                    agency=membership.agency,
                    target=provider,
                    detail={
                        "format": kind,
                        "rows": report.rows,
                        "created": report.created,
                        "updated": report.updated,
                        "locations_created": report.locations_created,
                    },
                )
    except (TableFormatError, csv.Error) as error:
        report.issues.append(RowIssue(1, "", str(error)))
    return report
