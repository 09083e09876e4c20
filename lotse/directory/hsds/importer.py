"""Import: HSDS JSON or a tabular package into the directory, all or nothing, upserting
services, organizations and locations by HSDS id (docs/hsds-profile.md, 4).

Services are taken in batches of ``BATCH_SIZE``: the batch's existing offers, organizations
and locations are read with one query each, every service is checked (``services.
clean_offer_data``) and saved, and the child rows of the whole batch are written at once
(``services.write_offer_rows_bulk``). As long as nothing is wrong that is all; at the first
problem the batch is rolled back and taken again one service at a time, each in a savepoint,
as are all batches after it — so every problem is reported with its object (or CSV row) and
field, as if there had been no batches, and nothing is written.
"""

from __future__ import annotations

import uuid
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from django.core.exceptions import ValidationError
from django.db import DatabaseError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lotse.accounts.models import Membership, User
from lotse.accounts.roles import Capability
from lotse.audit.models import AuditAction
from lotse.audit.services import record
from lotse.core.errors import AccessDenied
from lotse.core.models import StaleEditError

from ..models import Location, Offer, Provider
from ..services import (
    KeptIds,
    OfferData,
    clean_offer_data,
    may_administer,
    may_manage,
    write_offer_rows_bulk,
)
from .export import Progress
from .import_data import (
    HSDS_FIELDS,
    Invalid,
    ServiceItem,
    as_text,
    location_data,
    location_write,
    offer_data,
    provider_values,
)
from .json_reader import iter_json_array, text_stream
from .tabular import TabularPackage
from .validation import MAX_ISSUES, HsdsFormatError, HsdsIssue, object_where, schema_problems

#: Services checked and written together (their child rows in one go).
BATCH_SIZE = 500


@dataclass
class ImportReport:
    """What an import did (or, on a dry run or with problems, would have done). ``counts``:
    ``services_created``/``_updated``, ``organizations_…``, ``locations_…``; "updated" means
    found by its HSDS id and overwritten with the file's data."""

    dry_run: bool
    counts: Counter[str] = field(default_factory=Counter)
    issues: list[HsdsIssue] = field(default_factory=list)
    warnings: list[HsdsIssue] = field(default_factory=list)
    truncated: bool = False

    @property
    def ok(self) -> bool:
        return not self.issues

    @property
    def written(self) -> bool:
        return self.ok and not self.dry_run


class _Retry(Exception):
    """Something in a batch is wrong: take it again, one service at a time."""


def _uuid_key(value: str) -> str | None:
    """The canonical text of an id, or None when it is none (it is then looked up alone)."""
    try:
        return str(uuid.UUID(value))
    except (ValueError, AttributeError, TypeError):
        return None


@dataclass
class _Written:
    """A saved offer whose child rows are still to be written (at the end of its batch)."""

    offer: Offer
    data: OfferData
    kept: KeptIds


class _Importer:
    def __init__(
        self,
        *,
        membership: Membership,
        actor: User,
        provider: Provider | None,
        report: ImportReport,
    ) -> None:
        self.membership = membership
        self.actor = actor
        self.provider = provider
        self.report = report
        self.admin = may_administer(membership)
        self.providers: dict[str, Provider] = {}
        self.locations: dict[str, Location] = {}
        self.services: set[str] = set()
        # Created inside the current service's savepoint: forgotten when it is rolled back.
        self._fresh_providers: list[str] = []
        self._fresh_locations: list[str] = []
        # Read ahead for the current batch, by canonical id (None: there is none).
        self._known: dict[type[Any], dict[str, Any]] = {Offer: {}, Provider: {}, Location: {}}
        self._pending: list[_Written] = []
        #: after a first problem: one service at a time, each in a savepoint
        self.exact = False

    def run(self, items: Iterable[tuple[str, Any]], progress: Progress | None = None) -> None:
        batch: list[tuple[int, str, Any]] = []
        try:
            for number, (where, obj) in enumerate(items, start=1):
                batch.append((number, where, obj))
                if len(batch) >= BATCH_SIZE:
                    full, batch = batch, []
                    if not self._batch(full, progress):
                        return
        except HsdsFormatError:
            # Broken at this point: what came before is imported (or reported) first.
            if not batch or self._batch(batch, progress):
                raise
            return
        if batch:
            self._batch(batch, progress)

    def _batch(self, batch: list[tuple[int, str, Any]], progress: Progress | None) -> bool:
        """Import a batch; False when the report is full (stop reading)."""
        if not self.exact:
            saved = (
                self.report.counts.copy(),
                dict(self.providers),
                dict(self.locations),
                set(self.services),
            )
            try:
                with transaction.atomic():  # a savepoint: a failed batch leaves no rows
                    self._fast(batch)
            except (_Retry, Invalid, DatabaseError):
                # Gone with the savepoint: so are the batch's cache entries and counts (the
                # instances cached before the batch were not changed by it).
                counts, self.providers, self.locations, self.services = saved
                self.report.counts = counts
                self.exact = True
            else:
                if progress is not None:
                    for number, _where, _obj in batch:
                        if number % 100 == 0:
                            progress(number)
                return True
            finally:
                self._forget_batch()
        return self._exact(batch, progress)

    def _forget_batch(self) -> None:
        self._known = {Offer: {}, Provider: {}, Location: {}}
        self._pending = []

    def _fast(self, batch: list[tuple[int, str, Any]]) -> None:
        items = []
        for _number, where, obj in batch:
            if not isinstance(obj, Mapping) or schema_problems(obj):
                raise _Retry
            items.append(ServiceItem(where, obj))
        self._read_ahead(items)
        for item in items:
            self._service(item)
        self._flush()

    def _exact(self, batch: list[tuple[int, str, Any]], progress: Progress | None) -> bool:
        """The batch one service at a time, each in a savepoint, reporting every problem."""
        for number, where, obj in batch:
            if len(self.report.issues) >= MAX_ISSUES:
                self.report.truncated = True
                return False
            item = ServiceItem(where, obj if isinstance(obj, Mapping) else {})
            problems = schema_problems(obj)
            if problems:
                for path, message in problems:
                    item.bad(path, message)
                self.report.issues.extend(item.issues)
                continue
            self._fresh_providers, self._fresh_locations = [], []
            counts = self.report.counts.copy()
            try:
                with transaction.atomic():  # a savepoint: a failed service leaves no rows
                    self._service(item)
                    self._flush()
            except (Invalid, DatabaseError) as error:
                # The savepoint's rows are gone: so are their cache entries and counts.
                for key in self._fresh_providers:
                    self.providers.pop(key, None)
                for key in self._fresh_locations:
                    self.locations.pop(key, None)
                self.report.counts = counts
                if isinstance(error, Invalid):
                    self.report.issues.extend(error.issues)
                else:
                    self.report.issues.append(
                        HsdsIssue(
                            where,
                            "id",
                            _(
                                "The database refused this service: an id is used by another "
                                "object, or a value is too long."
                            ),
                        )
                    )
            finally:
                self._pending = []
            if progress is not None and number % 100 == 0:
                progress(number)
        return True

    def _read_ahead(self, items: list[ServiceItem]) -> None:
        """The batch's existing offers, organizations and locations: a query each."""
        wanted: dict[type[Any], set[str]] = {Offer: set(), Provider: set(), Location: set()}
        for item in items:
            obj = item.obj
            wanted[Offer].add(as_text(obj.get("id")))
            organization = obj.get("organization")
            wanted[Provider].add(as_text(obj.get("organization_id")))
            if isinstance(organization, Mapping):
                wanted[Provider].add(as_text(organization.get("id")))
            for at in obj.get("service_at_locations") or []:
                if isinstance(at, Mapping):
                    location = at.get("location")
                    wanted[Location].add(as_text(at.get("location_id")))
                    if isinstance(location, Mapping):
                        wanted[Location].add(as_text(location.get("id")))
        for model, values in wanted.items():
            keys = {key for key in map(_uuid_key, values) if key is not None}
            if model is Provider and self.provider is not None:
                keys = set()  # the file's organizations are not read
            known: dict[str, Any] = dict.fromkeys(keys)
            for obj in model._default_manager.filter(hsds_id__in=keys):
                known[str(obj.hsds_id)] = obj
            self._known[model] = known

    def _existing(self, model: type[Any], hsds_id: str) -> Any:
        """The object of ``model`` with this HSDS id, or None: read ahead, or else read now."""
        key = _uuid_key(hsds_id)
        known = self._known[model]
        if key is not None and key in known:
            return known[key]
        return model._default_manager.filter(hsds_id=hsds_id).first()

    def _flush(self) -> None:
        """Create the new offers and write the child rows of every pending one."""
        pending, self._pending = self._pending, []
        new = [w.offer for w in pending if w.offer.pk is None]
        Offer.objects.bulk_create(new)
        if any(offer.pk is None for offer in new):  # a database that returns no ids
            ids = dict(
                Offer.objects.filter(hsds_id__in=[o.hsds_id for o in new]).values_list(
                    "hsds_id", "pk"
                )
            )
            for offer in new:
                offer.pk = ids[offer.hsds_id]
        write_offer_rows_bulk(
            [(w.offer, w.data) for w in pending], kept_ids=[w.kept for w in pending]
        )

    # organizations

    def _provider_for(self, item: ServiceItem) -> Provider:
        if self.provider is not None:
            return self.provider
        obj = item.obj
        organization = obj.get("organization")
        oid = as_text(obj.get("organization_id")) or (
            as_text(organization.get("id")) if isinstance(organization, Mapping) else ""
        )
        if not oid:
            item.bad(["organization_id"], _("This field is required."))
            item.check()
        if oid in self.providers:
            return self.providers[oid]
        existing: Provider | None = self._existing(Provider, oid)
        if existing is not None and not may_manage(self.membership, existing):
            item.bad(["organization_id"], _("You may not change this organization's offers."))
            item.check()
        if not isinstance(organization, Mapping):
            if existing is None:
                item.bad(["organization"], _("Unknown organization: include its object."))
                item.check()
            assert existing is not None  # noqa: S101 - item.check() raised otherwise
            self.providers[oid] = existing
            return existing
        provider = self._write_provider(item, organization, existing, oid)
        self.providers[oid] = provider
        self._fresh_providers.append(oid)
        return provider

    def _write_provider(
        self,
        item: ServiceItem,
        organization: Mapping[str, Any],
        existing: Provider | None,
        oid: str,
    ) -> Provider:
        values = provider_values(item, organization)
        item.check()
        if existing is not None:
            changed = [name for name, value in values.items() if getattr(existing, name) != value]
            if changed:  # saved only when changed: each save bumps the version
                for name in changed:
                    setattr(existing, name, values[name])
                existing.save_versioned(expected_version=existing.version, update_fields=changed)
            self.report.counts["organizations_updated"] += 1
            return existing
        approved = self.admin
        provider = Provider.objects.create(
            hsds_id=uuid.UUID(oid),
            **values,
            # A system admin's import is approved at once; an agency admin's is proposed,
            # for their own agency, and waits for a system admin.
            agency=None if approved else self.membership.agency,
            status=Provider.Status.APPROVED if approved else Provider.Status.PROPOSED,
            proposed_by=self.actor,
            decided_by=self.actor if approved else None,
            decided_at=timezone.now() if approved else None,
        )
        self.report.counts["organizations_created"] += 1
        return provider

    # locations

    def _location_for(
        self, item: ServiceItem, provider: Provider, index: int, at: Mapping[str, Any]
    ) -> Location | None:
        path: list[str | int] = ["service_at_locations", index, "location"]
        obj = at.get("location")
        lid = as_text(at.get("location_id")) or (
            as_text(obj.get("id")) if isinstance(obj, Mapping) else ""
        )
        if not lid:
            item.bad(path, _("This field is required."))
            return None
        if lid in self.locations:
            return self.locations[lid]
        existing: Location | None = self._existing(Location, lid)
        if existing is not None and existing.provider_id != provider.pk:
            item.bad(
                [*path[:-1], "location_id"], _("This location belongs to another organization.")
            )
            return None
        if not isinstance(obj, Mapping):
            if existing is None:
                item.bad(path, _("Unknown location: include its object."))
            else:
                self.locations[lid] = existing
            return existing
        data = location_data(item, path, obj)
        try:
            location = location_write(
                provider=provider, data=data, location=existing, hsds_id=uuid.UUID(lid)
            )
        except ValidationError as error:
            names = {
                "street": "addresses[0].address_1",
                "postal_code": "addresses[0].postal_code",
                "city": "addresses[0].city",
                "accessibility": "accessibility[0].description",
                "district": "attributes (district)",
            }
            for name, messages in error.message_dict.items():
                for message in messages:
                    item.bad([*path, names.get(name, name)], message)
            return None
        self.report.counts["locations_updated" if existing else "locations_created"] += 1
        self.locations[lid] = location
        self._fresh_locations.append(lid)
        return location

    # services

    def _service(self, item: ServiceItem) -> None:
        """Check and save one service; its child rows are written by :meth:`_flush`."""
        obj = item.obj
        sid = as_text(obj.get("id"))
        if sid in self.services:
            item.bad(["id"], _("This service appears more than once."))
            item.check()
        provider = self._provider_for(item)
        existing: Offer | None = self._existing(Offer, sid)
        if existing is not None and existing.provider_id != provider.pk:
            item.bad(["id"], _("This service belongs to another organization."))
            item.check()
        locations: dict[str, Location] = {}
        at_ids: dict[int, str] = {}
        for index, at in enumerate(obj.get("service_at_locations") or []):
            location = self._location_for(item, provider, index, at)
            if location is not None:
                locations[str(location.hsds_id)] = location
                at_ids[location.pk] = as_text(at.get("id"))
        data, schedule_ids, checked_on = offer_data(item, locations)
        item.check()
        # clean_offer_data checks with a query that the locations are the provider's. Here
        # they are all in hand: when they are, the check cannot fail and is skipped (a query
        # per service saved); when one is not, clean_offer_data checks and names it.
        location_ids = data.location_ids
        own = all(location.provider_id == provider.pk for location in locations.values())
        if own:
            data.location_ids = []
        try:
            data = clean_offer_data(data, provider=provider)
        except ValidationError as error:
            for name, messages in error.message_dict.items():
                for message in messages:
                    item.bad([HSDS_FIELDS.get(name, name)], message)
        item.check()
        if own:
            data.location_ids = location_ids  # unique already: one per HSDS location id
        offer = existing or Offer(hsds_id=uuid.UUID(sid), provider=provider)
        for name in OfferData.SCALARS:
            setattr(offer, name, getattr(data, name))
        if offer.checked_on != checked_on:
            # The source's assurance date; nobody in Lotse confirmed it.
            offer.checked_on, offer.checked_by = checked_on, None
        if existing is not None:
            try:
                offer.save_versioned(
                    expected_version=existing.version,
                    # The id, not the user: reading the relation would cost a query.
                    update_fields=[*OfferData.SCALARS, "checked_on", "checked_by_id"],
                )
            except StaleEditError:
                item.bad(["id"], _("Someone changed this offer during the import."))
                item.check()
            self.report.counts["services_updated"] += 1
        else:
            # Created with the batch's others (Offer.save() would be a query each).
            self.report.counts["services_created"] += 1
        # write_offer_rows_bulk keeps the source's ids, so that an export of the imported
        # offers names the same objects.
        self._pending.append(_Written(offer, data, KeptIds(at_ids, schedule_ids)))
        self.services.add(sid)


def _require_importer(membership: Membership | None, provider: Provider | None) -> Membership:
    if membership is None or not (
        membership.can(Capability.MANAGE_OFFERS) or may_administer(membership)
    ):
        raise AccessDenied
    if provider is not None and not may_manage(membership, provider):
        raise AccessDenied
    return membership


def _import(
    *,
    items: Iterable[tuple[str, Any]],
    file_format: str,
    membership: Membership | None,
    actor: User,
    provider: Provider | None,
    dry_run: bool,
    progress: Progress | None,
) -> ImportReport:
    acting = _require_importer(membership, provider)
    report = ImportReport(dry_run=dry_run)
    with transaction.atomic():
        importer = _Importer(membership=acting, actor=actor, provider=provider, report=report)
        try:
            importer.run(items, progress)
        except HsdsFormatError as error:
            report.issues.append(HsdsIssue(_("the file"), "", str(error)))
        if not report.ok or dry_run:
            # All or nothing; a dry run has checked everything against the database.
            transaction.set_rollback(True)
        else:
            record(
                action=AuditAction.OFFERS_IMPORTED,
                actor=actor,
                agency=acting.agency,
                target=provider,
                detail={"format": file_format, **dict(sorted(report.counts.items()))},
            )
    return report


def offers_import_json(
    *,
    source: str | Path | IO[bytes] | IO[str] | Iterable[Mapping[str, Any]],
    membership: Membership | None,
    actor: User,
    provider: Provider | None = None,
    dry_run: bool = False,
    progress: Progress | None = None,
) -> ImportReport:
    """Import HSDS JSON — a list of services (a file, read one object at a time, or the
    objects) — atomically, upserting services, organizations and locations by HSDS id.

    With ``provider``, every service becomes an offer of that provider (its organization in
    the file is not read). Otherwise organizations are upserted: new ones are approved for a
    system admin, proposed (for the importer's agency) for an agency admin. A member who may
    not manage ``provider`` gets ``AccessDenied``. Problems name the object and field; with
    any problem, or with ``dry_run``, nothing is written. One audit event with the counts.
    """

    def objects() -> Iterator[Any]:
        if isinstance(source, str | Path):
            with Path(source).open(encoding="utf-8-sig") as handle:
                yield from iter_json_array(handle)
        elif hasattr(source, "read"):
            yield from iter_json_array(text_stream(source))  # type: ignore[arg-type]
        else:
            yield from source

    return _import(
        items=((object_where(index, obj), obj) for index, obj in enumerate(objects())),
        file_format="hsds-json",
        membership=membership,
        actor=actor,
        provider=provider,
        dry_run=dry_run,
        progress=progress,
    )


def offers_import_package(
    *,
    source: str | Path | IO[bytes],
    membership: Membership | None,
    actor: User,
    provider: Provider | None = None,
    dry_run: bool = False,
    progress: Progress | None = None,
) -> ImportReport:
    """Import an HSDS tabular package (a zip or a folder): checked against
    ``datapackage.json`` first (problems name file, row and column), then imported like
    JSON (:func:`offers_import_json`), all or nothing."""
    acting = _require_importer(membership, provider)
    try:
        package = TabularPackage(source)
    except HsdsFormatError as error:
        return ImportReport(dry_run=dry_run, issues=[HsdsIssue(_("the file"), "", str(error))])
    with package:
        package.load()
        if package.issues:
            return ImportReport(dry_run=dry_run, issues=package.issues, warnings=package.warnings)
        report = _import(
            items=package.services(),
            file_format="hsds-csv",
            membership=acting,
            actor=actor,
            provider=provider,
            dry_run=dry_run,
            progress=progress,
        )
        report.warnings.extend(package.warnings)
        return report
