"""A provider's offers from a spreadsheet: German headers, a dry run that names row and column,
all rows or none, and only for the providers the agency admin maintains.

The cast (conftest): ida is the agency admin of Caritas, hana the system admin.
"""

from __future__ import annotations

import io
from datetime import date, datetime, time
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation
from openpyxl import Workbook  # type: ignore[import-untyped]

from lotse.audit.models import AuditAction, AuditEvent
from lotse.core.errors import AccessDenied
from lotse.directory import offer_import
from lotse.directory.models import Location, Offer, Provider, Schedule
from lotse.directory.offer_import import COLUMNS, offers_import_table
from lotse.directory.tests.test_hsds import make_location, make_offer, make_provider

pytestmark = pytest.mark.django_db

HEADER = (
    "Name;Beschreibung;Lebensbereiche;Sprachen;Stadtbezirke;Alter von;Alter bis;Plätze;"
    "Freie Plätze;Warteliste;Kostenlos;Kosten;Unterlagen;Gültig bis;Zeiten;Standort;Straße;PLZ;"
    "Ort;Standort-Bezirk;Breitengrad;Längengrad"
)
CAFE = (
    "Sprachcafé;Deutsch üben bei Kaffee.;language,participation;de, ar;;;;20;5;nein;ja;;;"
    ";Mo-Fr 9-12;Haus der Begegnung;Hauptstraße 1;42103;Wuppertal;elberfeld;51,2562;7,1508"
)
KITA = (
    "Kita-Lotsinnen;Hilfe bei der Kitasuche.;childcare;uk;Barmen, oberbarmen;0;6;;;ja;nein;"
    '5 € im Monat;"Ausweis; Meldebescheinigung";31.12.2030;"Di 14:00-16:00; Do 10-11";;;;;;;'
)


@pytest.fixture(autouse=True)
def _english() -> Any:
    with translation.override("en"):
        yield


@pytest.fixture
def provider(hana, agencies) -> Provider:
    return make_provider(hana, agency=agencies.caritas)


def _csv(*lines: str, encoding: str = "utf-8") -> io.BytesIO:
    return io.BytesIO("\n".join(lines).encode(encoding))


def _import(ida: Any, provider: Provider, source: Any, **kwargs: Any) -> Any:
    return offers_import_table(
        provider=provider, source=source, membership=ida.primary_membership(), actor=ida, **kwargs
    )


def test_a_german_csv_creates_offers_with_places_times_and_target_groups(ida, provider):
    report = _import(ida, provider, _csv(HEADER, CAFE, KITA))
    assert report.written, report.issues
    assert (report.rows, report.created, report.updated, report.locations_created) == (2, 2, 0, 1)
    cafe = Offer.objects.get(name="Sprachcafé")
    assert cafe.domain_codes == ["language", "participation"]
    assert sorted(cafe.languages.values_list("code", flat=True)) == ["ar", "de"]
    assert cafe.citywide
    assert (cafe.capacity, cafe.free_places, cafe.free_of_charge) == (20, 5, True)
    assert cafe.checked_on is not None
    (schedule,) = cafe.schedules.all()
    assert (schedule.byday, schedule.opens_at, schedule.closes_at) == (
        "MO,TU,WE,TH,FR",
        time(9),
        time(12),
    )
    location = Location.objects.get()
    assert (location.name, location.postal_code, location.district) == (
        "Haus der Begegnung",
        "42103",
        "elberfeld",
    )
    assert location.latitude is not None
    assert float(location.latitude) == pytest.approx(51.2562)
    kita = Offer.objects.get(name="Kita-Lotsinnen")
    assert not kita.citywide
    assert sorted(kita.districts.values_list("district", flat=True)) == ["barmen", "oberbarmen"]
    assert (kita.maximum_age, kita.waiting_list, kita.free_of_charge) == (6, True, False)
    assert kita.required_documents == ["Ausweis", "Meldebescheinigung"]
    assert kita.valid_until == date(2030, 12, 31)
    assert [s.byday for s in kita.schedules.all()] == ["TU", "TH"]


def test_the_import_is_audited_once_with_counts(ida, provider):
    before = AuditEvent.objects.count()
    _import(ida, provider, _csv(HEADER, CAFE, KITA))
    assert AuditEvent.objects.count() == before + 1
    event = AuditEvent.objects.latest("pk")
    assert event.action == AuditAction.OFFERS_IMPORTED
    assert event.detail == {
        "format": "csv",
        "rows": 2,
        "created": 2,
        "updated": 0,
        "locations_created": 1,
    }


def test_a_dry_run_names_row_column_and_message_and_writes_nothing(ida, provider):
    bad = CAFE.replace(";20;5;", ";5;20;").replace("language,participation", "cooking")
    report = _import(ida, provider, _csv(HEADER, KITA, bad), dry_run=True)
    assert not report.written
    assert {(i.row, i.column) for i in report.issues} == {
        (3, "Freie Plätze"),
        (3, "Lebensbereiche"),
    }
    assert "cooking" in next(i.message for i in report.issues if i.column == "Lebensbereiche")
    assert str(report.issues[0]).startswith("row 3: ")
    assert not Offer.objects.exists()
    assert not Location.objects.exists()


def test_a_clean_dry_run_counts_what_it_would_do(ida, provider):
    report = _import(ida, provider, _csv(HEADER, CAFE, KITA), dry_run=True)
    assert report.ok
    assert not report.written
    assert (report.created, report.locations_created) == (2, 1)
    assert not Offer.objects.exists()
    assert not AuditEvent.objects.filter(action=AuditAction.OFFERS_IMPORTED).exists()


def test_one_bad_row_and_nothing_is_written(ida, provider):
    bad = KITA.replace("31.12.2030", "31.02.2030")
    report = _import(ida, provider, _csv(HEADER, CAFE, bad))
    assert [(i.row, i.column) for i in report.issues] == [(3, "Gültig bis")]
    assert not Offer.objects.exists()
    assert not Location.objects.exists()


def test_unknown_and_missing_columns_are_named_in_the_header_row(ida, provider):
    report = _import(ida, provider, _csv("Name;Farbe", "Kurs;blau"))
    assert {(i.row, i.column, i.message) for i in report.issues} == {
        (1, "Farbe", "Unknown column."),
        (1, "Beschreibung", "This column is required."),
        (1, "Lebensbereiche", "This column is required."),
    }


def test_an_xlsx_workbook_with_typed_cells_imports_like_a_csv(ida, provider):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(
        [
            "Name",
            "Beschreibung",
            "Lebensbereiche",
            "Plätze",
            "Gültig ab",
            "PLZ",
            "Standort",
            "Barrierefrei",
        ]
    )
    sheet.append(
        [
            "Sprachcafé",
            "Deutsch üben.",
            "language",
            12,
            datetime(2025, 3, 1),  # noqa: DTZ001 - Excel cells have no time zone
            42103,
            "Treffpunkt",
            True,
        ]
    )
    data = io.BytesIO()
    workbook.save(data)
    data.seek(0)
    report = _import(ida, provider, data, filename="angebote.xlsx")
    assert report.written, report.issues
    offer = Offer.objects.get()
    assert (offer.capacity, offer.valid_from) == (12, date(2025, 3, 1))
    location = Location.objects.get()
    assert (location.postal_code, location.wheelchair_accessible) == ("42103", True)
    assert AuditEvent.objects.latest("pk").detail["format"] == "xlsx"


def test_english_field_names_work_as_headers_and_excel_cp1252_is_read(ida, provider):
    source = _csv("name,description,domains", "Beratung,Für Mütter,family", encoding="cp1252")
    report = _import(ida, provider, source)
    assert report.written, report.issues
    assert Offer.objects.get().description == "Für Mütter"


def test_a_row_updates_the_offer_of_the_same_id_or_name(ida, hana, provider):
    by_name = make_offer(hana, provider, name="Sprachcafé", capacity=3, languages=["ar"])
    by_id = make_offer(hana, provider, name="Alter Name")
    report = _import(
        ida,
        provider,
        _csv(
            "ID;Name;Beschreibung;Lebensbereiche;Plätze",
            ";sprachcafé;Neu beschrieben.;language;8",
            f"{by_id.hsds_id};Neuer Name;Umbenannt.;work;",
        ),
    )
    assert report.written, report.issues
    assert (report.created, report.updated) == (0, 2)
    by_name.refresh_from_db()
    by_id.refresh_from_db()
    assert (by_name.capacity, by_name.description, by_name.version) == (8, "Neu beschrieben.", 2)
    # Columns the file does not have leave their fields alone.
    assert list(by_name.languages.values_list("code", flat=True)) == ["ar"]
    assert (by_id.name, by_id.domain_codes) == ("Neuer Name", ["work"])


def test_two_rows_for_the_same_offer_are_refused(ida, provider):
    report = _import(ida, provider, _csv(HEADER, CAFE, CAFE))
    assert [(i.row, i.column) for i in report.issues] == [(3, "Name")]
    assert "Row 2" in report.issues[0].message
    assert not Offer.objects.exists()


def test_an_id_of_another_providers_offer_is_not_found(ida, hana, provider, agencies):
    foreign = make_provider(hana, name="Diakonie", agency=agencies.caritas)
    other = make_offer(hana, foreign)
    report = _import(
        ida,
        provider,
        _csv("ID;Name;Beschreibung;Lebensbereiche", f"{other.hsds_id};X;Y;language"),
    )
    assert [(i.row, i.column) for i in report.issues] == [(2, "ID")]
    other.refresh_from_db()
    assert other.name == "Sprachcafé"


def test_a_place_named_again_keeps_its_address(ida, hana, provider):
    location = make_location(hana, provider, name="Haus der Begegnung")
    report = _import(
        ida,
        provider,
        _csv(
            "Name;Beschreibung;Lebensbereiche;Standort;PLZ",
            "Kurs;Text;language;haus der begegnung;42105",
        ),
    )
    assert report.written, report.issues
    location.refresh_from_db()
    assert (location.street, location.postal_code) == ("Hauptstraße 1", "42105")
    assert list(Offer.objects.get().locations.all()) == [location]


def test_each_place_is_its_own_even_when_named_like_a_column(ida, provider):
    # A place is remembered by its name for the rows after it, never by a column's name.
    report = _import(
        ida,
        provider,
        _csv(
            "Name;Beschreibung;Lebensbereiche;Standort;Straße;Standort-Bezirk",
            "Kurs A;Text;language;Haus;Hauptstraße 1;barmen",
            "Kurs B;Text;language;District;Nebenstraße 2;barmen",
            "Kurs C;Text;language;haus;Hauptstraße 1;barmen",
        ),
    )
    assert report.written, report.issues
    assert report.locations_created == 2
    places = {o.name: [loc.name for loc in o.locations.all()] for o in Offer.objects.all()}
    assert places == {"Kurs A": ["Haus"], "Kurs B": ["District"], "Kurs C": ["Haus"]}


def test_a_bad_row_in_a_later_batch_is_named_and_nothing_is_written(ida, provider, monkeypatch):
    monkeypatch.setattr(offer_import, "BATCH_SIZE", 1)
    bad = KITA.replace("31.12.2030", "31.02.2030")
    report = _import(ida, provider, _csv(HEADER, CAFE, bad))
    assert [(i.row, i.column) for i in report.issues] == [(3, "Gültig bis")]
    assert not Offer.objects.exists()
    assert not Location.objects.exists()
    report = _import(ida, provider, _csv(HEADER, CAFE, KITA))
    assert report.written, report.issues
    assert (report.rows, report.created, report.locations_created) == (2, 2, 1)
    assert Schedule.objects.count() == 1 + 2


def test_an_import_queries_at_most_twice_per_row(ida, provider):
    def queries(count: int) -> int:
        rows = [
            f"Kurs {n};Text;language,work;de,ar;barmen;;;;;;;;;;Mo 9-10;Haus;;;;;;"
            for n in range(count)
        ]
        with CaptureQueriesContext(connection) as captured:
            report = _import(ida, provider, _csv(HEADER, *rows))
        assert report.written, report.issues
        Offer.objects.all().delete()
        return len(captured)

    # Finding the row's offer by its name, saving it; the child rows go in bulk.
    assert queries(30) - queries(3) <= 2 * 27 + 5


def test_times_read_german_days_ranges_and_daily_times(ida, provider):
    report = _import(
        ida,
        provider,
        _csv(
            "Name;Beschreibung;Lebensbereiche;Zeiten", 'Kurs;Text;language;"Sa-Mo 9.30-11; 18-19"'
        ),
    )
    assert report.written, report.issues
    weekend, daily = Schedule.objects.order_by("pk")
    assert (weekend.freq, weekend.byday, weekend.opens_at) == ("WEEKLY", "SA,SU,MO", time(9, 30))
    assert (daily.freq, daily.byday, daily.closes_at) == ("DAILY", "", time(19))


def test_bad_times_name_the_column(ida, provider):
    report = _import(
        ida, provider, _csv("Name;Beschreibung;Lebensbereiche;Zeiten", "Kurs;Text;language;Xy 9-10")
    )
    assert [(i.row, i.column) for i in report.issues] == [(2, "Zeiten")]


def test_an_agency_admin_cannot_import_into_another_agencys_provider(ida, hana, agencies):
    foreign = make_provider(hana, name="Diakonie", agency=agencies.jugendamt)
    with pytest.raises(AccessDenied):
        _import(ida, foreign, _csv(HEADER, CAFE))
    assert not Offer.objects.exists()


def test_a_caseworker_cannot_import(anna, provider):
    with pytest.raises(AccessDenied):
        _import(anna, provider, _csv(HEADER, CAFE))


def test_a_file_that_is_no_workbook_is_reported(ida, provider):
    report = _import(ida, provider, io.BytesIO(b"PK\x03\x04broken"), filename="x.xlsx")
    assert [i.row for i in report.issues] == [1]


def test_every_documented_column_has_a_unique_header():
    headers = [column.header for column in COLUMNS]
    assert len(headers) == len(set(headers))


def test_the_import_command_reads_a_spreadsheet_for_a_provider(ida, provider, tmp_path):
    path = tmp_path / "angebote.csv"
    path.write_bytes(_csv(HEADER, CAFE, KITA).getvalue())
    with pytest.raises(CommandError, match="--provider"):
        call_command("directory_import", str(path), "--user", "ida")
    out = io.StringIO()
    call_command(
        "directory_import",
        str(path),
        "--user",
        "ida",
        "--provider",
        str(provider.hsds_id),
        stdout=out,
    )
    assert "2 offers created" in out.getvalue()
    assert Offer.objects.filter(provider=provider).count() == 2


def test_the_import_command_lists_the_rows_of_a_bad_spreadsheet(ida, provider, tmp_path):
    path = tmp_path / "angebote.csv"
    path.write_bytes(_csv(HEADER, CAFE.replace("language,participation", "cooking")).getvalue())
    with pytest.raises(CommandError, match="row 2: Lebensbereiche"):
        call_command("directory_import", str(path), "--user", "ida", "--provider", str(provider.pk))
    assert not Offer.objects.exists()
