"""Open Referral HSDS 3.0 in and out: the directory's exchange format (docs/hsds-profile.md).

- **Export** (:mod:`.export`, :mod:`.tabular`) streams HSDS ``service`` objects as JSON, or
  writes the tabular data package (a zip of one CSV per object with the columns of HSDS'
  ``datapackage.json``). Offers are read in chunks as plain rows with their child rows per
  chunk, so memory stays flat and the number of queries depends on the number of chunks,
  never on the number of offers.
- **Validation** (:mod:`.validation`, :mod:`.tabular`) checks JSON objects against HSDS'
  compiled ``service.json`` and a tabular package against ``datapackage.json`` (required
  columns and cells, types, keys).
- **Import** (:mod:`.importer`, :mod:`.import_data`, :mod:`.json_reader`) upserts by HSDS id
  (``hsds_id``), all or nothing, through ``services.clean_offer_data`` and
  ``services.write_offer_rows_bulk``; bad input is reported by object (or CSV row) and field.

What Lotse adds to HSDS — life domains, target groups, residence statuses, districts,
capacity, waiting list, validity, the public flag, referrals — is the *German profile*
(:mod:`.profile`): a profile in the sense of HSDS' profiles reference that adds no properties
but requires value sets (taxonomies). The additions travel as HSDS ``attribute`` objects
linked to the terms of Lotse's taxonomies, so exports stay valid against the unmodified HSDS
schemas and tabular columns, and other HSDS tools keep reading them. The HSDS files read at
run time are vendored in ``schema/`` (:mod:`.files`).

The directory holds no personal data; one audit event per export or import records counts.
"""

from .export import (
    CHUNK_SIZE,
    JSON_CONTENT_TYPE,
    Progress,
    hsds_json_chunks,
    hsds_services,
    offers_export_json,
    service_object,
)
from .files import datapackage, hsds_dir, package_columns
from .import_data import LocationData, location_write
from .importer import ImportReport, offers_import_json, offers_import_package
from .json_reader import MAX_OBJECT_CHARS, iter_json_array
from .profile import HSDS_VERSION, PROFILE_URI, PROFILE_VERSION, TAXONOMIES, Taxonomy
from .tabular import (
    PACKAGE_RESOURCES,
    ZIP_CONTENT_TYPE,
    TabularPackage,
    offers_export_package,
    validate_hsds_package,
    write_hsds_package,
)
from .validation import MAX_ISSUES, HsdsFormatError, HsdsIssue, validate_hsds_json

__all__ = [
    "CHUNK_SIZE",
    "HSDS_VERSION",
    "JSON_CONTENT_TYPE",
    "MAX_ISSUES",
    "MAX_OBJECT_CHARS",
    "PACKAGE_RESOURCES",
    "PROFILE_URI",
    "PROFILE_VERSION",
    "TAXONOMIES",
    "ZIP_CONTENT_TYPE",
    "HsdsFormatError",
    "HsdsIssue",
    "ImportReport",
    "LocationData",
    "Progress",
    "TabularPackage",
    "Taxonomy",
    "datapackage",
    "hsds_dir",
    "hsds_json_chunks",
    "hsds_services",
    "iter_json_array",
    "location_write",
    "offers_export_json",
    "offers_export_package",
    "offers_import_json",
    "offers_import_package",
    "package_columns",
    "service_object",
    "validate_hsds_json",
    "validate_hsds_package",
    "write_hsds_package",
]
