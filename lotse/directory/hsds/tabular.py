"""The HSDS tabular data package: a zip of one CSV per HSDS object with the columns of HSDS'
``datapackage.json`` (docs/hsds-profile.md, 2–4).

- **Export** flattens the service objects of :mod:`.export` into rows, written side by side
  into temporary CSV files, then zipped; organizations and locations once each.
- **Reading** (:class:`TabularPackage`) loads a package into a temporary SQLite file, checking
  columns, cells and keys against ``datapackage.json``, and assembles service objects from
  the rows for the import.
"""

from __future__ import annotations

import csv
import io
import json
import sqlite3
import tempfile
import uuid
import zipfile
from collections.abc import Callable, Iterator, Mapping
from datetime import UTC, date, datetime, time
from functools import cache, partial
from pathlib import Path
from typing import IO, Any

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from lotse.accounts.models import Agency, User

from ..models import Offer
from .export import CHUNK_SIZE, Progress, audit_export, compact, hsds_services
from .files import datapackage, package_columns
from .files import resources as hsds_resources
from .profile import HSDS_VERSION, PROFILE_URI, PROFILE_VERSION, TAXONOMIES, term
from .validation import MAX_ISSUES, HsdsFormatError, HsdsIssue, is_uri

ZIP_CONTENT_TYPE = "application/zip"

# The tabular package's CSV files, in this order (HSDS resource names).
PACKAGE_RESOURCES = (
    "organization",
    "service",
    "location",
    "service_at_location",
    "address",
    "accessibility",
    "phone",
    "language",
    "schedule",
    "service_area",
    "required_document",
    "cost_option",
    "attribute",
    "taxonomy_term",
    "taxonomy",
)


# --- export -------------------------------------------------------------------------------------


class _Tables:
    """One CSV file per HSDS resource, written row by row into a temporary folder."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.handles: dict[str, IO[str]] = {}
        self.writers: dict[str, Any] = {}
        self.columns: dict[str, list[str]] = {}
        resources = hsds_resources()
        for name in PACKAGE_RESOURCES:
            handle = (folder / resources[name]["path"]).open("w", encoding="utf-8", newline="")
            self.handles[name] = handle
            self.writers[name] = csv.writer(handle)
            self.columns[name] = package_columns(name)
            self.writers[name].writerow(self.columns[name])

    def write(self, resource: str, row: Mapping[str, Any]) -> None:
        self.writers[resource].writerow([_cell(row.get(c)) for c in self.columns[resource]])

    def close(self) -> None:
        for handle in self.handles.values():
            handle.close()


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _write_service_rows(tables: _Tables, service: Mapping[str, Any], seen: set[str]) -> None:
    """Flatten one service object into its rows; organizations and locations once each."""

    def attributes(obj: Mapping[str, Any]) -> None:
        for attribute in obj.get("attributes", []):
            tables.write("attribute", attribute)

    organization = service["organization"]
    if organization["id"] not in seen:
        seen.add(organization["id"])
        tables.write("organization", organization)
        for phone in organization.get("phones", []):
            tables.write("phone", phone)
    tables.write("service", service)
    attributes(service)
    for phone in service.get("phones", []):
        tables.write("phone", phone)
    for at in service.get("service_at_locations", []):
        location = at["location"]
        if location["id"] not in seen:
            seen.add(location["id"])
            tables.write("location", location)
            attributes(location)
            for resource, key in (("address", "addresses"), ("accessibility", "accessibility")):
                for row in location.get(key, []):
                    tables.write(resource, row)
        tables.write("service_at_location", at)
    for resource, key in (
        ("language", "languages"),
        ("schedule", "schedules"),
        ("service_area", "service_areas"),
        ("cost_option", "cost_options"),
        ("required_document", "required_documents"),
    ):
        for row in service.get(key, []):
            tables.write(resource, row)
            attributes(row)


def _package_descriptor() -> dict[str, Any]:
    official = datapackage()
    resources = hsds_resources()
    return {
        "name": "lotse-offers",
        "title": "Lotse: offers (HSDS 3.0, German profile)",
        "profile": "tabular-data-package",
        "version": official.get("version", HSDS_VERSION),
        "homepage": official.get("homepage", ""),
        "hsds_profile": PROFILE_URI,
        "hsds_profile_version": PROFILE_VERSION,
        "created": timezone.now().astimezone(UTC).isoformat(timespec="seconds"),
        "resources": [resources[name] for name in PACKAGE_RESOURCES],
    }


def write_hsds_package(
    offers: QuerySet[Offer],
    target: IO[bytes],
    *,
    chunk_size: int = CHUNK_SIZE,
    progress: Progress | None = None,
) -> int:
    """Write the tabular data package (a zip) of ``offers`` to ``target``; the number of
    services written. No audit (see the exports)."""
    count = 0
    with tempfile.TemporaryDirectory(prefix="lotse-hsds-") as folder:
        tables = _Tables(Path(folder))
        try:
            for taxonomy in TAXONOMIES.values():
                tables.write(
                    "taxonomy",
                    compact(
                        {
                            "id": taxonomy.id,
                            "name": taxonomy.name,
                            "description": taxonomy.description,
                            "uri": PROFILE_URI,
                            "version": PROFILE_VERSION,
                        }
                    ),
                )
                for code, label in taxonomy.terms():
                    tables.write("taxonomy_term", term(taxonomy, code, label))
            seen: set[str] = set()
            for service in hsds_services(offers, chunk_size=chunk_size, progress=progress):
                _write_service_rows(tables, service, seen)
                count += 1
        finally:
            tables.close()
        with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED) as archive:
            archive.writestr(
                "datapackage.json", json.dumps(_package_descriptor(), ensure_ascii=False, indent=2)
            )
            resources = hsds_resources()
            for name in PACKAGE_RESOURCES:
                path = resources[name]["path"]
                archive.write(Path(folder) / path, arcname=path)
    return count


def _stream_package(
    offers: QuerySet[Offer], progress: Progress | None, piece: int = 1 << 16
) -> Iterator[bytes]:
    with tempfile.TemporaryFile(prefix="lotse-hsds-") as spool:
        write_hsds_package(offers, spool, progress=progress)
        spool.seek(0)
        while chunk := spool.read(piece):
            yield chunk


def offers_export_package(
    *,
    offers: QuerySet[Offer],
    actor: User | None,
    agency: Agency | None = None,
    progress: Progress | None = None,
) -> Iterator[bytes]:
    """Audit the export (with its count), then stream the zip of the tabular package. The zip
    is built in a temporary file first: its CSV files are written side by side."""
    audit_export(offers=offers, file_format="hsds-csv", actor=actor, agency=agency)
    return _stream_package(offers, progress)


def validate_hsds_package(
    source: str | Path | IO[bytes], *, limit: int = MAX_ISSUES
) -> list[HsdsIssue]:
    """Check a tabular package (zip or folder) against HSDS' ``datapackage.json``: required
    columns and cells, types and code lists, unique ids and that every reference resolves."""
    with TabularPackage(source, limit=limit) as package:
        package.load()
        return package.issues


# --- reading ------------------------------------------------------------------------------------


def _checker(spec: Mapping[str, Any]) -> Callable[[str], str | None]:
    """A check of one CSV cell by its datapackage field: None or what is wrong."""
    kind = spec.get("type", "string")
    fmt = spec.get("format")
    enum = spec.get("constraints", {}).get("enum")

    def check(value: str) -> str | None:
        try:
            if kind == "number":
                float(value)
            elif kind == "date":
                date.fromisoformat(value)
            elif kind == "time":
                time.fromisoformat(value)
            elif kind == "datetime":
                datetime.fromisoformat(value)
            elif fmt == "uuid" and str(uuid.UUID(value)) != value.lower():
                raise ValueError
        except ValueError:
            return _("Not a valid %(type)s.") % {"type": fmt if fmt == "uuid" else kind}
        if fmt == "uri" and not is_uri(value):
            return _("Not a valid uri.")
        if fmt == "email" and "@" not in value:
            return _("Not a valid e-mail address.")
        if enum and value not in enum:
            return _("Not one of: %(values)s.") % {"values": ", ".join(enum)}
        return None

    return check


@cache
def _path_and_numbers(name: str) -> tuple[str, frozenset[str]]:
    """A resource's file and its columns of numbers."""
    resource = hsds_resources()[name]
    fields = resource["schema"]["fields"]
    return resource["path"], frozenset(f["name"] for f in fields if f["type"] == "number")


def _zip_text(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> IO[str]:
    return io.TextIOWrapper(archive.open(info), encoding="utf-8-sig", newline="")


class TabularPackage:
    """An HSDS tabular data package (a zip or a folder), loaded into a temporary SQLite file
    so that checking keys and assembling services never holds the package in memory."""

    def __init__(self, source: str | Path | IO[bytes], *, limit: int = MAX_ISSUES) -> None:
        self.limit = limit
        self.issues: list[HsdsIssue] = []
        self.warnings: list[HsdsIssue] = []
        self.loaded: set[str] = set()
        self._folder = tempfile.TemporaryDirectory(prefix="lotse-hsds-")
        self.db = sqlite3.connect(Path(self._folder.name) / "package.sqlite3")
        self.db.row_factory = sqlite3.Row
        self.db.execute("PRAGMA journal_mode=OFF")
        self.db.execute("PRAGMA synchronous=OFF")
        self._zip: zipfile.ZipFile | None = None
        self._files: dict[str, Callable[[], IO[str]]] = {}
        self._terms: dict[str, dict[str, Any] | None] = {}
        self._open(source)

    def __enter__(self) -> TabularPackage:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self.db.close()
        if self._zip is not None:
            self._zip.close()
        self._folder.cleanup()

    def _open(self, source: str | Path | IO[bytes]) -> None:
        if isinstance(source, str | Path) and Path(source).is_dir():
            for path in Path(source).iterdir():
                if path.suffix.lower() == ".csv":
                    self._files[path.name.lower()] = partial(
                        path.open, encoding="utf-8-sig", newline=""
                    )
            return
        try:
            archive = zipfile.ZipFile(source)
        except (zipfile.BadZipFile, OSError) as error:
            raise HsdsFormatError(_("Not a zip file or a folder of CSV files.")) from error
        self._zip = archive
        for info in archive.infolist():
            name = Path(info.filename).name.lower()
            if name.endswith(".csv") and not info.is_dir() and name not in self._files:
                self._files[name] = partial(_zip_text, archive, info)

    def _issue(self, where: str, field_name: str, message: str) -> None:
        if len(self.issues) < self.limit:
            self.issues.append(HsdsIssue(where, field_name, message))

    @property
    def full(self) -> bool:
        return len(self.issues) >= self.limit

    def load(self) -> None:
        """Read every known CSV file, checking columns and cells, then the keys."""
        resources = hsds_resources()
        known = {resource["path"].lower(): name for name, resource in resources.items()}
        for filename in sorted(set(self._files) - set(known)):
            self.warnings.append(HsdsIssue(filename, "", _("Not an HSDS file; ignored.")))
        for path, name in known.items():
            if path in self._files:
                self._load(name, resources[name], self._files[path])
        for name in ("service", "organization"):
            if name not in self.loaded:
                self._issue(resources[name]["path"], "", _("The package has no such file."))
        if not self.issues:
            self._check_keys(resources)

    def _load(self, name: str, resource: Mapping[str, Any], opener: Callable[[], IO[str]]) -> None:
        path = resource["path"]
        specs = resource["schema"]["fields"]
        columns = [spec["name"] for spec in specs]
        self.db.execute(
            # The table and column names come from HSDS' descriptor, never from the file.
            f'CREATE TABLE "{name}" (_line INTEGER, '
            + ", ".join(f'"{c}" TEXT' for c in columns)
            + ")"
        )
        self.loaded.add(name)
        with opener() as handle:
            reader = csv.reader(handle)
            header = [h.strip() for h in next(reader, [])]
            if not header:
                self._issue(path, "", _("The file is empty: it needs at least its header row."))
                return
            for column in sorted({h for h in header if header.count(h) > 1}):
                self._issue(path, column, _("This column appears more than once."))
            for column in header:
                if column not in columns:
                    self.warnings.append(HsdsIssue(path, column, _("Not an HSDS column; ignored.")))
            for spec in specs:
                if spec.get("constraints", {}).get("required") and spec["name"] not in header:
                    self._issue(path, spec["name"], _("This column is required."))
            position = {column: header.index(column) for column in columns if column in header}
            checks = [
                (spec["name"], bool(spec.get("constraints", {}).get("required")), _checker(spec))
                for spec in specs
                if spec["name"] in position
            ]
            placeholders = ", ".join("?" * (len(columns) + 1))
            insert = f'INSERT INTO "{name}" VALUES ({placeholders})'  # noqa: S608
            batch: list[list[Any]] = []
            for line, row in enumerate(reader, start=2):
                if not any(cell.strip() for cell in row):
                    continue
                values = {c: row[i].strip() if i < len(row) else "" for c, i in position.items()}
                if not self.full:
                    for column, required, check in checks:
                        value = values[column]
                        if not value:
                            if required:
                                self._issue(
                                    f"{path}, row {line}", column, _("This field is required.")
                                )
                        elif (problem := check(value)) is not None:
                            self._issue(f"{path}, row {line}", column, problem)
                batch.append([line, *(values.get(c, "") for c in columns)])
                if len(batch) >= 1000:
                    self.db.executemany(insert, batch)
                    batch = []
            self.db.executemany(insert, batch)
        # The columns services() looks rows up by: without an index, each look-up is a scan.
        for column in (
            "id",
            "service_id",
            "location_id",
            "organization_id",
            "link_id",
            "service_at_location_id",
        ):
            if column in columns:
                self.db.execute(f'CREATE INDEX "{name}_{column}" ON "{name}" ("{column}")')

    def _check_keys(self, resources: Mapping[str, Mapping[str, Any]]) -> None:
        for name in sorted(self.loaded):
            path = resources[name]["path"]
            duplicated = self.db.execute(
                f'SELECT id, MIN(_line) AS line FROM "{name}" WHERE id != ""'  # noqa: S608
                " GROUP BY id HAVING COUNT(*) > 1 LIMIT 20"
            )
            for row in duplicated:
                self._issue(
                    f"{path}, row {row['line']}", "id", _("This id appears more than once.")
                )
            for key in resources[name]["schema"].get("foreignKeys", []):
                column, target = key["fields"], key["reference"]["resource"]
                target_column = key["reference"]["fields"]
                if target in self.loaded:
                    query = (
                        f'SELECT _line, "{column}" AS value FROM "{name}" c '  # noqa: S608
                        f'WHERE c."{column}" != "" AND NOT EXISTS (SELECT 1 FROM "{target}" p '
                        f'WHERE p."{target_column}" = c."{column}") ORDER BY _line LIMIT 20'
                    )
                else:
                    query = (
                        f'SELECT _line, "{column}" AS value FROM "{name}" '  # noqa: S608
                        f'WHERE "{column}" != "" ORDER BY _line LIMIT 20'
                    )
                for row in self.db.execute(query):
                    self._issue(
                        f"{path}, row {row['_line']}",
                        column,
                        _("Refers to %(id)s, which %(file)s does not contain.")
                        % {"id": row["value"], "file": resources[target]["path"]},
                    )
        if "attribute" in self.loaded:
            entities = [r[0] for r in self.db.execute("SELECT DISTINCT link_entity FROM attribute")]
            for entity in entities:
                if entity not in self.loaded:
                    continue
                query = (
                    f"SELECT _line, link_id FROM attribute a WHERE link_entity = ? "  # noqa: S608
                    f'AND NOT EXISTS (SELECT 1 FROM "{entity}" p WHERE p.id = a.link_id) '
                    "ORDER BY _line LIMIT 20"
                )
                for row in self.db.execute(query, [entity]):
                    self._issue(
                        f"{resources['attribute']['path']}, row {row['_line']}",
                        "link_id",
                        _("Refers to %(id)s, which %(file)s does not contain.")
                        % {"id": row["link_id"], "file": resources[entity]["path"]},
                    )

    # assembling services from the rows

    def _object(self, name: str, row: sqlite3.Row) -> dict[str, Any]:
        """A row as the JSON object it stands for: empty cells left out, numbers as numbers,
        and where it came from (``_source``) so that problems name the file and row."""
        path, numbers = _path_and_numbers(name)
        obj: dict[str, Any] = {"_source": f"{path}, row {row['_line']}"}
        for key in row.keys():  # noqa: SIM118 - sqlite3.Row iterates values, not keys
            cell = row[key]
            if key == "_line" or cell in ("", None):
                continue
            if key in numbers:
                number = float(cell)
                obj[key] = int(number) if number.is_integer() else number
            else:
                obj[key] = cell
        return obj

    def _rows(self, name: str, column: str, value: str) -> list[dict[str, Any]]:
        if name not in self.loaded or not value:
            return []
        query = f'SELECT * FROM "{name}" WHERE "{column}" = ? ORDER BY _line'  # noqa: S608
        return [self._object(name, row) for row in self.db.execute(query, [value])]

    def _attributes(self, link_id: str) -> list[dict[str, Any]]:
        attributes = self._rows("attribute", "link_id", link_id)
        for attribute in attributes:
            term_id = attribute.get("taxonomy_term_id", "")
            if term_id not in self._terms:
                terms = self._rows("taxonomy_term", "id", term_id)
                self._terms[term_id] = terms[0] if terms else None
            if self._terms[term_id] is not None:
                attribute["taxonomy_term"] = self._terms[term_id]
        return attributes

    def services(self) -> Iterator[tuple[str, dict[str, Any]]]:
        """(where, service object) for each row of services.csv, with its nested objects."""
        if "service" not in self.loaded:
            return
        # A cursor of its own: the nested reads below use the same connection.
        for row in self.db.cursor().execute('SELECT * FROM "service" ORDER BY _line'):
            service = self._object("service", row)
            sid = service.get("id", "")
            organizations = self._rows("organization", "id", service.get("organization_id", ""))
            if organizations:
                organization = organizations[0]
                organization["phones"] = [
                    p
                    for p in self._rows("phone", "organization_id", organization["id"])
                    if not p.get("service_id")
                ]
                service["organization"] = organization
            service["phones"] = self._rows("phone", "service_id", sid)
            service["attributes"] = self._attributes(sid)
            for key, name in (
                ("languages", "language"),
                ("schedules", "schedule"),
                ("service_areas", "service_area"),
                ("cost_options", "cost_option"),
                ("required_documents", "required_document"),
            ):
                service[key] = self._rows(name, "service_id", sid)
                for row in service[key]:
                    row["attributes"] = self._attributes(row["id"])
            service["service_at_locations"] = []
            for at in self._rows("service_at_location", "service_id", sid):
                locations = self._rows("location", "id", at.get("location_id", ""))
                if locations:
                    location = locations[0]
                    location["addresses"] = self._rows("address", "location_id", location["id"])
                    location["accessibility"] = self._rows(
                        "accessibility", "location_id", location["id"]
                    )
                    location["attributes"] = self._attributes(location["id"])
                    at["location"] = location
                at["schedules"] = [
                    s
                    for s in self._rows("schedule", "service_at_location_id", at["id"])
                    if s.get("service_id") != sid
                ]
                service["service_at_locations"].append(at)
            yield service["_source"], service
