"""HSDS out and in: exports validate against HSDS' own schemas, a round trip changes nothing,
bad input names object and field and writes nothing, and an export's queries do not grow
with the number of offers.

The cast (conftest): hana is the system admin (KIM), ida the agency admin of Caritas.
"""

from __future__ import annotations

import csv
import io
import json
import uuid
import zipfile
from datetime import UTC, date, datetime, time
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from lotse.accounts.models import User
from lotse.accounts.tests.factories import acting
from lotse.audit.models import AuditAction, AuditEvent
from lotse.core.errors import AccessDenied
from lotse.directory import hsds
from lotse.directory.hsds import importer
from lotse.directory.models import (
    Location,
    Offer,
    OfferDistrict,
    OfferDomain,
    OfferLanguage,
    OfferLocation,
    Provider,
    Schedule,
)
from lotse.directory.selectors import with_offer_details
from lotse.directory.services import (
    OfferData,
    ScheduleData,
    location_save,
    offer_create,
    provider_propose,
    write_offer_rows,
    write_offer_rows_bulk,
)
from lotse.directory.tests import hsds_golden

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english() -> Any:
    # Messages are read in English (the msgids); the export's texts follow the language too.
    with translation.override("en"):
        yield


# --- builders (also used by the other directory and API tests) --------------------------------


def make_provider(
    admin: User, *, name: str = "Caritas Migrationsdienst", agency: Any = None
) -> Provider:
    """An approved provider (a system admin's proposal is approved at once)."""
    provider: Provider = provider_propose(
        name=name,
        description=f"{name}: Beratung für Zugewanderte.",
        membership=acting(admin),
        actor=admin,
        agency=agency,
        email="info@caritas.example",
        website="https://caritas.example/",
        phone="0202 123456",
    )
    return provider


def make_location(admin: User, provider: Provider, *, name: str = "Haus der Begegnung") -> Location:
    location: Location = location_save(
        provider=provider,
        membership=acting(admin),
        actor=admin,
        name=name,
        street="Hauptstraße 1",
        postal_code="42103",
        city="Wuppertal",
        district="elberfeld",
        latitude=51.256213,
        longitude=7.150764,
        wheelchair_accessible=True,
        accessibility="Rampe am Hintereingang",
        transportation="Bus 603, Haltestelle Rathaus",
    )
    return location


def make_offer(admin: User, provider: Provider, **fields: Any) -> Offer:
    values: dict[str, Any] = {
        "name": "Sprachcafé",
        "description": "Deutsch üben im Gespräch.",
        "domains": ["language"],
    }
    values.update(fields)
    return offer_create(
        provider=provider, data=OfferData(**values), membership=acting(admin), actor=admin
    )


def make_full_offer(admin: User, provider: Provider, location: Location) -> Offer:
    """An offer with every field the export carries."""
    return make_offer(
        admin,
        provider,
        name="Mütterkurs Barmen",
        alternate_name="Mama lernt Deutsch",
        description="Deutschkurs mit Kinderbetreuung.\nZwei Vormittage pro Woche.",
        domains=["language", "childcare", "family"],
        url="https://caritas.example/kurs",
        email="kurs@caritas.example",
        phone="0202 987654",
        application_process="Anmeldung per Telefon.",
        interpretation_services="Arabisch und Ukrainisch im Team",
        minimum_age=18,
        maximum_age=65,
        sexes=["f"],
        family_situations=["family_with_children", "single_parent"],
        residence_kinds=["duldung", "aufenthaltsgestattung"],
        eligibility_description="Mütter mit Kindern unter drei Jahren.",
        citywide=False,
        districts=["barmen", "oberbarmen"],
        free_of_charge=False,
        fees_description="10 € pro Monat",
        capacity=12,
        free_places=3,
        waiting_list=True,
        wait_time="etwa vier Wochen",
        required_documents=["Ausweis", "Meldebescheinigung"],
        valid_from=date(2024, 1, 1),
        valid_until=date(2031, 12, 31),
        is_public=False,
        accepts_referrals=False,
        languages=["de", "ar", "uk"],
        location_ids=[location.pk],
        schedules=[
            ScheduleData(
                byday="TU,TH",
                opens_at=time(9),
                closes_at=time(11, 30),
                dtstart=date(2024, 1, 9),
                until=date(2031, 12, 18),
                description="nicht in den Schulferien",
                location_id=location.pk,
            ),
            ScheduleData(freq="MONTHLY", byday="1FR", opens_at=time(15), closes_at=time(17)),
            ScheduleData(freq="DAILY", opens_at=time(8), closes_at=time(9)),
            ScheduleData(freq="DAILY", interval=2, byday="MO,WE"),
        ],
    )


@pytest.fixture
def provider(hana, agencies) -> Provider:
    return make_provider(hana, agency=agencies.caritas)


@pytest.fixture
def location(hana, provider) -> Location:
    return make_location(hana, provider)


@pytest.fixture
def full_offer(hana, provider, location) -> Offer:
    return make_full_offer(hana, provider, location)


def _services() -> list[dict[str, Any]]:
    return list(hsds.hsds_services(Offer.objects.all()))


def _without_times(objects: list[dict[str, Any]]) -> list[dict[str, Any]]:
    for obj in objects:
        obj.pop("last_modified", None)
    return objects


def _package(offers=None) -> io.BytesIO:
    buffer = io.BytesIO()
    hsds.write_hsds_package(offers if offers is not None else Offer.objects.all(), buffer)
    buffer.seek(0)
    return buffer


def _zip_with(package: io.BytesIO, changes: dict[str, str]) -> io.BytesIO:
    """A copy of the package with some files replaced."""
    out = io.BytesIO()
    with zipfile.ZipFile(package) as source, zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            data = changes.get(info.filename)
            target.writestr(info.filename, data if data is not None else source.read(info))
    out.seek(0)
    return out


def _csv_rows(package: io.BytesIO, name: str) -> list[dict[str, str]]:
    with zipfile.ZipFile(package) as archive:
        text = archive.read(name).decode("utf-8")
    package.seek(0)
    return list(csv.DictReader(io.StringIO(text)))


def _csv_text(rows: list[dict[str, str]], columns: list[str]) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=columns)
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()


def _delete_directory() -> None:
    Offer.objects.all().delete()
    Location.objects.all().delete()
    Provider.objects.all().delete()


# --- export -----------------------------------------------------------------------------------


def test_exported_json_is_valid_hsds(full_offer):
    objects = _services()
    assert hsds.validate_hsds_json(objects) == []
    text = "".join(hsds.hsds_json_chunks(Offer.objects.all()))
    assert json.loads(text) == json.loads(json.dumps(objects))


def test_the_export_carries_the_hsds_fields_and_the_german_profile(full_offer, location):
    (service,) = _services()
    assert service["id"] == str(full_offer.hsds_id)
    assert service["organization"]["name"] == "Caritas Migrationsdienst"
    assert service["minimum_age"] == 18
    assert service["assured_date"] == full_offer.checked_on.isoformat()
    assert service["fees_description"] == "10 € pro Monat"
    assert [lang["code"] for lang in service["languages"]] == ["de", "ar", "uk"]
    (at,) = service["service_at_locations"]
    assert at["location"]["addresses"][0]["postal_code"] == "42103"
    assert at["location"]["latitude"] == pytest.approx(51.256213)
    assert {a["name"] for a in service["service_areas"]} == {"Barmen", "Oberbarmen"}
    assert service["required_documents"][1]["document"] == "Meldebescheinigung"
    weekly, monthly, daily, every_other_day = service["schedules"]
    assert (weekly["freq"], weekly["byday"], weekly["opens_at"]) == ("WEEKLY", "TU,TH", "09:00:00")
    assert weekly["location_id"] == str(location.hsds_id)
    assert (monthly["freq"], monthly["byday"]) == ("MONTHLY", "1FR")
    # HSDS 3.0 has no DAILY: every day of the week, the exact rule kept in an attribute.
    assert (daily["freq"], daily["byday"]) == ("WEEKLY", "MO,TU,WE,TH,FR,SA,SU")
    assert "freq" not in every_other_day
    profile = {
        (a["taxonomy_term"]["taxonomy"], a["taxonomy_term"]["code"]): a.get("value")
        for a in service["attributes"]
    }
    assert profile[("Lotse: life domains", "language")] == "0"
    assert profile[("Lotse: life domains", "family")] == "2"
    assert ("Lotse: residence statuses", "duldung") in profile
    assert ("Lotse: family situations", "single_parent") in profile
    assert profile[("Lotse: offer properties", "capacity")] == "12"
    assert profile[("Lotse: offer properties", "free_places")] == "3"
    assert profile[("Lotse: offer properties", "waiting_list")] == "true"
    assert profile[("Lotse: offer properties", "is_public")] == "false"
    assert profile[("Lotse: offer properties", "accepts_referrals")] == "false"
    assert profile[("Lotse: offer properties", "valid_until")] == "2031-12-31"


def test_a_fully_populated_offer_exports_exactly_the_pinned_service(full_offer):
    Provider.objects.update(hsds_id=hsds_golden.PROVIDER_ID)
    Location.objects.update(hsds_id=hsds_golden.LOCATION_ID)
    # update() leaves updated_at alone (auto_now acts on save() only).
    Offer.objects.update(
        hsds_id=hsds_golden.OFFER_ID,
        checked_on=date(2025, 1, 2),
        updated_at=datetime(2025, 1, 2, 3, 4, 5, 678901, tzinfo=UTC),
    )
    OfferLocation.objects.update(hsds_id=hsds_golden.AT_LOCATION_ID)
    for schedule, pinned in zip(
        Schedule.objects.order_by("pk"), hsds_golden.SCHEDULE_IDS, strict=True
    ):
        Schedule.objects.filter(pk=schedule.pk).update(hsds_id=pinned)
    (service,) = _services()
    # Key order too: the JSON text is the exchange format.
    assert json.dumps(service) == json.dumps(hsds_golden.GOLDEN)
    (offer,) = with_offer_details(Offer.objects.all())
    assert json.dumps(hsds.service_object(offer)) == json.dumps(hsds_golden.GOLDEN)
    assert hsds.validate_hsds_json([service]) == []


def test_a_citywide_free_offer_is_served_in_the_city_at_no_cost(hana, provider):
    make_offer(hana, provider)
    (service,) = _services()
    assert [a["name"] for a in service["service_areas"]] == ["Wuppertal"]
    assert service["cost_options"][0]["amount"] == 0


def test_the_tabular_package_has_hsds_columns_and_validates(full_offer):
    package = _package()
    assert hsds.validate_hsds_package(package) == []
    package.seek(0)
    official = json.loads((hsds.hsds_dir() / "datapackage.json").read_text(encoding="utf-8"))
    columns = {r["path"]: [f["name"] for f in r["schema"]["fields"]] for r in official["resources"]}
    with zipfile.ZipFile(package) as archive:
        names = set(archive.namelist())
        descriptor = json.loads(archive.read("datapackage.json"))
        for name in names - {"datapackage.json"}:
            header = archive.read(name).decode("utf-8").splitlines()[0].split(",")
            assert header == columns[name], name
    assert {
        "services.csv",
        "organizations.csv",
        "service_at_location.csv",
        "locations.csv",
        "addresses.csv",
        "languages.csv",
        "schedules.csv",
        "service_areas.csv",
        "required_documents.csv",
        "cost_options.csv",
        "attributes.csv",
        "taxonomy_terms.csv",
    } <= names
    assert descriptor["hsds_profile"] == hsds.PROFILE_URI
    assert {r["path"] for r in descriptor["resources"]} == names - {"datapackage.json"}
    assert len(_csv_rows(package, "schedules.csv")) == 4
    assert len(_csv_rows(package, "organizations.csv")) == 1


def test_an_export_does_not_query_per_offer(hana, provider, location):
    def queries_for(count: int) -> tuple[int, int]:
        for index in range(count - Offer.objects.count()):
            make_full_offer(hana, provider, location).name  # noqa: B018
            Offer.objects.filter(name="Mütterkurs Barmen").update(name=f"Kurs {index}")
        with CaptureQueriesContext(connection) as json_queries:
            "".join(hsds.offers_export_json(offers=Offer.objects.all(), actor=hana))
        with CaptureQueriesContext(connection) as csv_queries:
            b"".join(hsds.offers_export_package(offers=Offer.objects.all(), actor=hana))
        return len(json_queries), len(csv_queries)

    assert queries_for(3) == queries_for(30)


def test_each_export_is_audited_once_with_its_count(hana, full_offer):
    before = AuditEvent.objects.count()
    "".join(hsds.offers_export_json(offers=Offer.objects.all(), actor=hana))
    event = AuditEvent.objects.latest("pk")
    assert AuditEvent.objects.count() == before + 1
    assert event.action == AuditAction.OFFERS_EXPORTED
    assert event.detail == {"format": "hsds-json", "offers": 1}


# --- validation -------------------------------------------------------------------------------


def test_json_validation_names_the_object_and_the_path(full_offer):
    (service,) = _services()
    service["status"] = "open"
    service["schedules"][0]["freq"] = "HOURLY"
    del service["name"]
    issues = hsds.validate_hsds_json([service])
    found = {(issue.field, issue.message.split(":")[0]) for issue in issues}
    assert ("status", "Not one of") in found
    assert ("schedules[0].freq", "Not one of") in found
    assert ("name", "This field is required.") in found
    assert all(issue.where == f"services[0] (id {service['id']})" for issue in issues)


def test_tabular_validation_finds_missing_columns_cells_and_dangling_references(full_offer):
    package = _package()
    services = _csv_rows(package, "services.csv")
    services[0]["status"] = ""
    columns = hsds.package_columns("service")
    ats = _csv_rows(package, "service_at_location.csv")
    ats[0]["location_id"] = str(uuid.uuid4())
    broken = _zip_with(
        package,
        {
            "services.csv": _csv_text(services, columns),
            "service_at_location.csv": _csv_text(ats, hsds.package_columns("service_at_location")),
            "languages.csv": "id,service_id,code\n",
            "organizations.csv": "id,description\n",
        },
    )
    issues = hsds.validate_hsds_package(broken)
    found = {(issue.where, issue.field) for issue in issues}
    assert ("services.csv, row 2", "status") in found
    assert ("organizations.csv", "name") in found
    assert not any(issue.where == "languages.csv" for issue in issues)  # optional columns
    broken.seek(0)
    # References are checked once the files themselves are right.
    only_reference = _zip_with(
        _package(),
        {"service_at_location.csv": _csv_text(ats, hsds.package_columns("service_at_location"))},
    )
    (issue,) = hsds.validate_hsds_package(only_reference)
    assert (issue.where, issue.field) == ("service_at_location.csv, row 2", "location_id")
    assert "locations.csv" in issue.message


# --- import -----------------------------------------------------------------------------------


def test_a_json_round_trip_changes_nothing(hana, full_offer):
    before = _without_times(_services())
    text = "".join(hsds.hsds_json_chunks(Offer.objects.all()))
    _delete_directory()
    report = hsds.offers_import_json(source=io.StringIO(text), membership=acting(hana), actor=hana)
    assert report.written, report.issues
    assert report.counts == {
        "services_created": 1,
        "organizations_created": 1,
        "locations_created": 1,
    }
    assert _without_times(_services()) == before


def test_a_tabular_round_trip_changes_nothing(hana, full_offer, provider):
    make_offer(hana, provider, name="Zweites Angebot", domains=["health"], languages=["fa"])
    before = _without_times(_services())
    package = _package()
    _delete_directory()
    report = hsds.offers_import_package(source=package, membership=acting(hana), actor=hana)
    assert report.written, report.issues
    assert report.counts["services_created"] == 2
    assert _without_times(_services()) == before


def test_importing_again_updates_by_hsds_id_instead_of_duplicating(hana, full_offer):
    (service,) = _services()
    service["name"] = "Mütterkurs Barmen (neu)"
    service["service_at_locations"][0]["location"]["name"] = "Neues Haus"
    report = hsds.offers_import_json(source=[service], membership=acting(hana), actor=hana)
    assert report.written, report.issues
    assert report.counts["services_updated"] == 1
    assert Offer.objects.count() == 1
    full_offer.refresh_from_db()
    assert full_offer.name == "Mütterkurs Barmen (neu)"
    assert full_offer.version == 2
    assert Location.objects.get().name == "Neues Haus"


def test_a_folder_of_csv_files_imports_like_a_zip(hana, full_offer, tmp_path):
    with zipfile.ZipFile(_package()) as archive:
        archive.extractall(tmp_path)
    _delete_directory()
    report = hsds.offers_import_package(source=tmp_path, membership=acting(hana), actor=hana)
    assert report.written, report.issues
    assert Offer.objects.get().name == "Mütterkurs Barmen"


def test_an_invalid_service_names_object_and_field_and_nothing_is_written(hana, full_offer):
    good, bad = _services()[0], _services()[0]
    _delete_directory()
    bad["id"] = str(uuid.uuid4())
    bad["maximum_age"] = 5  # below the minimum age of 18
    bad["languages"][0]["code"] = "klingon"
    report = hsds.offers_import_json(source=[good, bad], membership=acting(hana), actor=hana)
    assert not report.written
    issues = {(issue.where, issue.field) for issue in report.issues}
    assert (f"services[1] (id {bad['id']})", "maximum_age") in issues
    assert (f"services[1] (id {bad['id']})", "languages") in issues
    assert not Offer.objects.exists()
    assert not Provider.objects.exists()
    assert not AuditEvent.objects.filter(action=AuditAction.OFFERS_IMPORTED).exists()


def test_a_bad_row_of_a_package_is_named_by_file_row_and_column(hana, full_offer):
    package = _package()
    schedules = _csv_rows(package, "schedules.csv")
    schedules[1]["opens_at"] = "25:99"
    broken = _zip_with(
        package, {"schedules.csv": _csv_text(schedules, hsds.package_columns("schedule"))}
    )
    _delete_directory()
    report = hsds.offers_import_package(source=broken, membership=acting(hana), actor=hana)
    assert [(i.where, i.field) for i in report.issues] == [("schedules.csv, row 3", "opens_at")]
    assert not Offer.objects.exists()


def test_a_dry_run_reports_counts_and_writes_nothing(hana, full_offer):
    text = "".join(hsds.hsds_json_chunks(Offer.objects.all()))
    _delete_directory()
    report = hsds.offers_import_json(
        source=io.StringIO(text), membership=acting(hana), actor=hana, dry_run=True
    )
    assert report.ok
    assert not report.written
    assert report.counts["services_created"] == 1
    assert not Offer.objects.exists()


def test_broken_json_is_reported_not_raised(hana):
    report = hsds.offers_import_json(
        source=io.StringIO('[{"id": "x"}, {"name": '), membership=acting(hana), actor=hana
    )
    assert not report.ok
    assert "service number 2" in report.issues[-1].message


def test_the_json_reader_reads_a_list_in_small_pieces():
    objects = [{"id": str(n), "text": "ä" * n, "n": 10**n} for n in range(30)]
    stream = io.StringIO(json.dumps(objects))
    assert list(hsds.iter_json_array(stream, piece=7)) == objects


def test_an_agency_admin_import_proposes_new_providers_for_their_agency(ida, hana, full_offer):
    (service,) = _services()
    _delete_directory()
    report = hsds.offers_import_json(source=[service], membership=acting(ida), actor=ida)
    assert report.written, report.issues
    created = Provider.objects.get()
    assert created.status == Provider.Status.PROPOSED
    assert created.agency == acting(ida).agency
    assert not Offer.objects.filter(provider__status=Provider.Status.APPROVED).exists()


def test_a_system_admin_import_approves_new_providers(hana, full_offer):
    (service,) = _services()
    _delete_directory()
    hsds.offers_import_json(source=[service], membership=acting(hana), actor=hana)
    assert Provider.objects.get().status == Provider.Status.APPROVED


def test_an_agency_admin_cannot_import_into_another_agencys_provider(ida, hana, agencies):
    foreign = make_provider(hana, name="Diakonie", agency=agencies.jugendamt)
    make_offer(hana, foreign)
    services = _services()
    with pytest.raises(AccessDenied):
        hsds.offers_import_json(
            source=services, membership=acting(ida), actor=ida, provider=foreign
        )
    # Without a provider, the file's organization is the foreign one: refused by name.
    report = hsds.offers_import_json(source=services, membership=acting(ida), actor=ida)
    assert [i.field for i in report.issues] == ["organization_id"]
    assert Offer.objects.get().version == 1


def test_a_caseworker_cannot_import_at_all(anna, full_offer):
    with pytest.raises(AccessDenied):
        hsds.offers_import_json(source=_services(), membership=acting(anna), actor=anna)


def test_an_import_into_a_given_provider_ignores_the_files_organization(ida, hana, agencies):
    foreign = make_provider(hana, name="Diakonie", agency=agencies.jugendamt)
    make_offer(hana, foreign)
    (service,) = _services()
    _delete_directory()
    own = make_provider(hana, name="Caritas", agency=agencies.caritas)
    report = hsds.offers_import_json(
        source=[service], membership=acting(ida), actor=ida, provider=own
    )
    assert report.written, report.issues
    assert Offer.objects.get().provider == own
    assert list(Provider.objects.all()) == [own]


def test_an_import_is_audited_once_with_counts_only(hana, full_offer):
    (service,) = _services()
    before = AuditEvent.objects.count()
    hsds.offers_import_json(source=[service], membership=acting(hana), actor=hana)
    assert AuditEvent.objects.count() == before + 1
    event = AuditEvent.objects.latest("pk")
    assert event.action == AuditAction.OFFERS_IMPORTED
    assert event.detail == {
        "format": "hsds-json",
        "locations_updated": 1,
        "organizations_updated": 1,
        "services_updated": 1,
    }


def test_an_import_keeps_the_ids_of_locations_and_schedules(hana, full_offer):
    at_ids = set(OfferLocation.objects.values_list("hsds_id", flat=True))
    schedule_ids = set(Schedule.objects.values_list("hsds_id", flat=True))
    hsds.offers_import_json(source=_services(), membership=acting(hana), actor=hana)
    assert set(OfferLocation.objects.values_list("hsds_id", flat=True)) == at_ids
    assert set(Schedule.objects.values_list("hsds_id", flat=True)) == schedule_ids


def test_a_foreign_hsds_service_without_life_domains_is_refused_naming_the_field(hana, provider):
    service = {
        "id": str(uuid.uuid4()),
        "name": "Food bank",
        "description": "Groceries",
        "status": "active",
    }
    report = hsds.offers_import_json(
        source=[service], membership=acting(hana), actor=hana, provider=provider
    )
    assert [(i.field, i.message) for i in report.issues] == [
        ("attributes (life_domain)", "Choose at least one life domain.")
    ]


def _copies(service: dict[str, Any], count: int) -> list[dict[str, Any]]:
    """``count`` services like ``service`` (same organization and location), each with ids
    of its own."""
    copies = []
    for number in range(count):
        copy = json.loads(json.dumps(service))
        copy["id"], copy["name"] = str(uuid.uuid4()), f"Kurs {number}"
        for row in (*copy["service_at_locations"], *copy["schedules"]):
            row["id"] = str(uuid.uuid4())
        copies.append(copy)
    return copies


def test_a_problem_in_a_later_batch_is_reported_as_without_batches(hana, full_offer, monkeypatch):
    monkeypatch.setattr(importer, "BATCH_SIZE", 2)
    (service,) = _services()
    _delete_directory()
    services = _copies(service, 5)
    services[3]["maximum_age"] = 5
    report = hsds.offers_import_json(source=services, membership=acting(hana), actor=hana)
    assert [(i.where, i.field) for i in report.issues] == [
        (f"services[3] (id {services[3]['id']})", "maximum_age")
    ]
    assert not Offer.objects.exists()
    assert not Provider.objects.exists()
    services[3]["maximum_age"] = 65
    report = hsds.offers_import_json(source=services, membership=acting(hana), actor=hana)
    assert report.written, report.issues
    assert report.counts == {
        "services_created": 5,
        "organizations_created": 1,
        "locations_created": 1,
    }
    assert sorted(Offer.objects.values_list("name", flat=True)) == [f"Kurs {n}" for n in range(5)]
    assert Schedule.objects.count() == 5 * 4


def test_an_import_does_not_query_per_new_service(hana, full_offer):
    (service,) = _services()

    def queries(count: int) -> int:
        _delete_directory()
        with CaptureQueriesContext(connection) as captured:
            report = hsds.offers_import_json(
                source=_copies(service, count), membership=acting(hana), actor=hana
            )
        assert report.written, report.issues
        return len(captured)

    # A few more for 30: SQLite takes inserts of at most 999 values at a time.
    assert queries(30) - queries(3) <= 5


def test_an_update_costs_one_query_per_service(hana, full_offer):
    (service,) = _services()
    _delete_directory()
    services = _copies(service, 30)
    hsds.offers_import_json(source=services, membership=acting(hana), actor=hana)

    def queries(count: int) -> int:
        with CaptureQueriesContext(connection) as captured:
            report = hsds.offers_import_json(
                source=services[:count], membership=acting(hana), actor=hana
            )
        assert report.counts["services_updated"] == count, report.issues
        return len(captured)

    # The versioned save of each offer; the child rows go in bulk.
    assert queries(30) - queries(3) <= 27 + 5


def test_a_location_seen_with_another_organization_is_refused(hana, full_offer):
    (service,) = _services()
    _delete_directory()
    (other,) = _copies(service, 1)
    other["organization_id"] = other["organization"]["id"] = str(uuid.uuid4())
    other["organization"]["name"] = "Anderer Träger"
    report = hsds.offers_import_json(source=[service, other], membership=acting(hana), actor=hana)
    assert [(i.where, i.field) for i in report.issues] == [
        (f"services[1] (id {other['id']})", "service_at_locations")
    ]
    assert not Offer.objects.exists()


def test_bulk_writing_makes_the_rows_one_write_per_offer_makes(hana, provider, location):
    other_place = make_location(hana, provider, name="Stadtteiltreff")
    offers = [
        make_full_offer(hana, provider, location),
        make_offer(hana, provider, name="Zweites", location_ids=[location.pk, other_place.pk]),
    ]
    changed = [
        OfferData(
            name="x",
            description="x",
            domains=["work", "language"],
            languages=["fa", "de"],
            districts=["vohwinkel"],
            location_ids=[other_place.pk],
            schedules=[ScheduleData(byday="FR", location_id=other_place.pk)],
        ),
        OfferData(name="y", description="y", domains=["health"], location_ids=[location.pk]),
    ]

    def rows() -> list[Any]:
        return [
            list(OfferDomain.objects.order_by("pk").values_list("offer", "domain", "position")),
            list(OfferLanguage.objects.order_by("pk").values_list("offer", "code", "note")),
            list(OfferDistrict.objects.order_by("pk").values_list("offer", "district")),
            list(
                OfferLocation.objects.order_by("offer", "location").values_list("offer", "location")
            ),
            list(
                Schedule.objects.order_by("pk").values_list(
                    "offer", "location", "freq", "interval", "byday", "opens_at"
                )
            ),
        ]

    kept_place = OfferLocation.objects.get(offer=offers[1], location=location).hsds_id
    before = _offer_data_of(offers)
    for offer, data in zip(offers, changed, strict=True):
        write_offer_rows(offer, data)
    one_by_one = rows()
    for offer, data in zip(offers, before, strict=True):
        write_offer_rows(offer, data)  # back to the places they had
    write_offer_rows_bulk(list(zip(offers, changed, strict=True)))
    assert rows() == one_by_one
    # A place that stays keeps its row (and id), as with write_offer_rows.
    assert OfferLocation.objects.get(offer=offers[1]).hsds_id == kept_place


def _offer_data_of(offers: list[Offer]) -> list[OfferData]:
    return [
        OfferData(
            name=o.name,
            description=o.description,
            domains=["language"],
            location_ids=list(o.at_locations.values_list("location_id", flat=True)),
        )
        for o in offers
    ]


def test_the_hsds_files_ship_with_the_package():
    folder = hsds.hsds_dir()
    assert folder == Path(hsds.__file__).resolve().parent / "schema"
    for name in ("datapackage.json", "compiled/service.json", "LICENSE", "README.md"):
        assert (folder / name).is_file(), name


# --- commands ---------------------------------------------------------------------------------


def test_the_export_command_writes_json_and_a_package(hana, full_offer, tmp_path):
    call_command("directory_export", "--all", "--output", str(tmp_path / "offers.json"))
    objects = json.loads((tmp_path / "offers.json").read_text())
    assert hsds.validate_hsds_json(objects) == []
    call_command(
        "directory_export", "--all", "--format", "hsds-csv", "--output", str(tmp_path / "o.zip")
    )
    assert hsds.validate_hsds_package(tmp_path / "o.zip") == []


def test_the_export_command_exports_current_offers_by_default(hana, provider, tmp_path):
    make_offer(hana, provider, name="Läuft")
    make_offer(hana, provider, name="Beendet", valid_until=date(2020, 1, 1))
    call_command("directory_export", "--output", str(tmp_path / "offers.json"))
    names = [s["name"] for s in json.loads((tmp_path / "offers.json").read_text())]
    assert names == ["Läuft"]


def test_the_import_command_dry_run_writes_nothing_then_imports(hana, full_offer, tmp_path):
    call_command("directory_export", "--all", "--output", str(tmp_path / "offers.json"))
    _delete_directory()
    out = io.StringIO()
    call_command(
        "directory_import",
        str(tmp_path / "offers.json"),
        "--user",
        "hana",
        "--dry-run",
        stdout=out,
    )
    assert not Offer.objects.exists()
    assert "dry run" in out.getvalue().lower()
    call_command("directory_import", str(tmp_path / "offers.json"), "--user", "hana", stdout=out)
    assert Offer.objects.get().name == "Mütterkurs Barmen"


def test_the_import_command_fails_listing_the_problems(hana, full_offer, tmp_path):
    (service,) = _services()
    service["maximum_age"] = 3
    (tmp_path / "bad.json").write_text(json.dumps([service]))
    with pytest.raises(CommandError) as failed:
        call_command("directory_import", str(tmp_path / "bad.json"), "--user", "hana")
    assert "maximum_age" in str(failed.value)


def test_the_import_command_refuses_a_provider_the_user_may_not_manage(
    ida, hana, agencies, tmp_path
):
    foreign = make_provider(hana, name="Diakonie", agency=agencies.jugendamt)
    make_offer(hana, foreign)
    call_command("directory_export", "--all", "--output", str(tmp_path / "offers.json"))
    with pytest.raises(CommandError):
        call_command(
            "directory_import",
            str(tmp_path / "offers.json"),
            "--user",
            "ida",
            "--provider",
            str(foreign.hsds_id),
        )
