"""The audit trail as the data-protection officer reads it: who did what to what, about whom,
on which basis — in names and references, not table numbers.

An event names its target by kind and the reference people use: a person by Lotse ID (and
name, where :func:`selectors.subject_names` lets the reader see it), a household by its Lotse
ID, a consent by its date and number, anything else by its kind and number. Everything a page
of events needs is looked up in one query per kind of thing on the page — never per row.
Nothing here reads content: ids, references and the names the reader may see.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.apps import apps
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from lotse.accounts.models import Membership
from lotse.audit.models import AuditAction, AuditEvent

from . import display, selectors
from .models import ConsentDeclaration, LegalBasis

_PERSON = "people.person"
_HOUSEHOLD = "people.household"
_CASE = "cases.case"
_CONSENT = "consent.consentdeclaration"
_BREAK_GLASS = "consent.breakglass"
_LEGAL_BASIS = "consent.legalbasis"
EMERGENCY = "break_glass"


@dataclass(frozen=True)
class Basis:
    text: str
    url: str = ""
    emergency: bool = False


@dataclass(frozen=True)
class Person:
    pk: int
    public_id: str
    name: str = ""


@dataclass(frozen=True)
class EventRow:
    event: AuditEvent
    who: str
    agency: str
    action: str
    what: str
    what_url: str = ""
    what_ref: str = ""
    person: Person | None = None
    bases: list[Basis] = field(default_factory=list)

    @property
    def emergency(self) -> bool:
        """Whether the event relied on an emergency access (or is one)."""
        return any(basis.emergency for basis in self.bases)


def basis_codes(event: AuditEvent) -> list[str]:
    """The event's basis; a list read keeps the bases of what it showed in its detail."""
    if event.basis:
        return [event.basis]
    bases = (event.detail or {}).get("bases")
    return [str(code) for code in bases if code] if isinstance(bases, list) else []


def _int(value: Any) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


@dataclass
class _Lookups:
    """What a page of events refers to, each kind fetched once."""

    persons: dict[int, str] = field(default_factory=dict)  # pk → Lotse ID
    names: dict[int, str] = field(default_factory=dict)
    households: dict[int, str] = field(default_factory=dict)
    cases: dict[int, str] = field(default_factory=dict)  # case pk → household's Lotse ID
    consents: dict[int, ConsentDeclaration] = field(default_factory=dict)
    legal: dict[int, LegalBasis] = field(default_factory=dict)


def _ids(events: Sequence[AuditEvent], target_type: str) -> set[int]:
    found = (_int(e.target_id) for e in events if e.target_type == target_type)
    return {pk for pk in found if pk is not None}


def _public_ids(label: str, ids: set[int], path: str = "public_id") -> dict[int, str]:
    if not ids:
        return {}
    model: Any = apps.get_model(label)
    return dict(model.objects.filter(pk__in=ids).values_list("pk", path))


def _lookups(events: Sequence[AuditEvent], membership: Membership | None) -> _Lookups:
    found = _Lookups()
    consent_ids = _ids(events, _CONSENT)
    if consent_ids:
        found.consents = ConsentDeclaration.objects.only("pk", "subject_id", "valid_from").in_bulk(
            consent_ids
        )
    legal_ids = _ids(events, _LEGAL_BASIS)
    for event in events:
        for code in basis_codes(event):
            kind, _sep, ident = code.partition(":")
            if kind == "legal_basis" and ident.isdigit():
                legal_ids.add(int(ident))
    if legal_ids:
        found.legal = LegalBasis.objects.in_bulk(legal_ids)
    person_ids = {e.subject_id for e in events if e.subject_id is not None}
    person_ids |= _ids(events, _PERSON)
    person_ids |= {c.subject_id for c in found.consents.values()}
    found.persons = _public_ids(_PERSON, person_ids)
    found.names = selectors.subject_names(membership=membership, subject_ids=person_ids)
    found.households = _public_ids(_HOUSEHOLD, _ids(events, _HOUSEHOLD))
    found.cases = _public_ids(_CASE, _ids(events, _CASE), "household__public_id")
    return found


def _basis(code: str, found: _Lookups) -> Basis:
    kind, _sep, ident = code.partition(":")
    if kind == "own_agency":
        return Basis(_("Own agency"))
    if kind == "consent" and ident.isdigit():
        return Basis(
            _("Consent no. %(number)s") % {"number": ident},
            reverse("consent:detail", kwargs={"pk": int(ident)}),
        )
    if kind == "legal_basis" and ident.isdigit():
        basis = found.legal.get(int(ident))
        citation = basis.citation if basis is not None else f"#{ident}"
        return Basis(_("Legal basis: %(citation)s") % {"citation": citation})
    if kind == EMERGENCY and ident.isdigit():
        return Basis(
            _("Emergency access no. %(number)s") % {"number": ident},
            reverse("consent:break_glass_detail", kwargs={"pk": int(ident)}),
            emergency=True,
        )
    return Basis(code)


def _person(pk: int | None, found: _Lookups) -> Person | None:
    if pk is None or pk not in found.persons:
        return None
    return Person(pk, found.persons[pk], found.names.get(pk, ""))


def _kind_label(target_type: str) -> str:
    """'cases.journalentry' → 'Journal entry' (no lookup of the target itself)."""
    try:
        model: Any = apps.get_model(target_type)
    except (LookupError, ValueError):
        return target_type
    label = str(model._meta.verbose_name)
    return label[:1].upper() + label[1:]


@dataclass(frozen=True)
class _What:
    text: str
    url: str = ""
    #: a Lotse ID beside the text, kept on one line
    ref: str = ""


def _target(event: AuditEvent, found: _Lookups) -> _What:
    """The target by kind and the reference people use, and where the DPO can follow it."""
    kind, pk = event.target_type, _int(event.target_id)
    if pk is None:
        return _What(f"{_kind_label(kind)} {event.target_id}")
    if kind == _PERSON and pk in found.persons:
        public_id = found.persons[pk]
        return _What(
            _("Person"),
            reverse("privacy:person_access", kwargs={"public_id": public_id}),
            public_id,
        )
    if kind == _HOUSEHOLD and pk in found.households:
        return _What(_("Household"), ref=found.households[pk])
    if kind == _CASE and pk in found.cases:
        return _What(_("Case of household"), ref=found.cases[pk])
    if kind == _CONSENT and pk in found.consents:
        consent = found.consents[pk]
        return _What(
            _("%(title)s (no. %(number)s)")
            % {"title": display.consent_title(consent), "number": pk},
            reverse("consent:detail", kwargs={"pk": pk}),
        )
    if kind == _BREAK_GLASS:
        return _What(
            _("Emergency access no. %(number)s") % {"number": pk},
            reverse("consent:break_glass_detail", kwargs={"pk": pk}),
        )
    if kind == _LEGAL_BASIS and pk in found.legal:
        return _What(_("Legal basis %(citation)s") % {"citation": found.legal[pk].citation})
    return _What(_("%(kind)s no. %(number)s") % {"kind": _kind_label(kind), "number": pk})


def _list_text(shown: list[Any], count: Any) -> str:
    total = count if isinstance(count, int) else len(shown)
    if not total:
        return _("List without entries")
    if len(shown) >= total:
        return ngettext("List of %(count)s entry", "List of %(count)s entries", total) % {
            "count": total
        }
    return ngettext(
        "%(shown)s of %(count)s entry shown", "%(shown)s of %(count)s entries shown", total
    ) % {"shown": len(shown), "count": total}


_FORMATS = {"csv": "CSV", "xlsx": "Excel (XLSX)"}


def _what(event: AuditEvent, found: _Lookups) -> _What:
    """The target; for list reads how many entries were shown; else what the detail says."""
    if event.target_type:
        return _target(event, found)
    detail = event.detail or {}
    file_format = detail.get("format")
    if file_format in _FORMATS:
        return _What(_("Download as %(format)s") % {"format": _FORMATS[file_format]})
    shown = detail.get("shown")
    if isinstance(shown, list):
        return _What(_list_text(shown, detail.get("count")))
    count = detail.get("count")
    if isinstance(count, int):
        if not count:
            return _What(_("List without entries"))
        return _What(ngettext("%(count)s result", "%(count)s results", count) % {"count": count})
    requested = detail.get("requested_id")
    if requested and event.subject_id is None:
        return _What(_("Lotse ID asked for, matching nobody:"), ref=requested)
    if requested:
        return _What(_("Lotse ID asked for:"), ref=requested)
    return _What("")


_ACTIONS = dict(AuditAction.choices)


def named_subjects(rows: Sequence[EventRow]) -> set[int]:
    """The persons whose names the rows show: what reading them discloses beyond Lotse IDs."""
    return {row.person.pk for row in rows if row.person is not None and row.person.name}


def event_rows(events: Sequence[AuditEvent], *, membership: Membership | None) -> list[EventRow]:
    """The events as rows, with everything they refer to fetched in bulk."""
    found = _lookups(events, membership)
    rows = []
    for event in events:
        what = _what(event, found)
        person_id = event.subject_id
        if person_id is None and event.target_type == _PERSON:
            person_id = _int(event.target_id)
        if person_id is None and event.target_type == _CONSENT:
            consent = found.consents.get(_int(event.target_id) or 0)
            person_id = consent.subject_id if consent is not None else None
        rows.append(
            EventRow(
                event=event,
                who=display.staff_name(event.actor) or _("Lotse (automatic)"),
                agency=event.agency.name if event.agency is not None else "",
                action=str(_ACTIONS.get(event.action, event.action)),
                what=what.text,
                what_url=what.url,
                what_ref=what.ref,
                person=_person(person_id, found),
                bases=[_basis(code, found) for code in basis_codes(event)],
            )
        )
    return rows
