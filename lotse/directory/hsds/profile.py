"""The German profile of HSDS: Lotse's taxonomies, their terms and the ``attribute`` objects
that carry what Lotse adds to HSDS (docs/hsds-profile.md, section 2).

A profile in the sense of HSDS' profiles reference that adds no properties but requires value
sets: so exports stay valid against the unmodified HSDS schemas and tabular columns.
"""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from functools import cache
from typing import Any

from django.conf import settings
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from lotse.people.choices import District, ResidenceKind, Sex

from ..domains import LifeDomain
from ..models import FamilySituation

PROFILE_URI = "urn:lotse:hsds-profile:de"
PROFILE_VERSION = "1.0.0"
HSDS_VERSION = "3.0"

WEEKDAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")


def uuid5(namespace: bytes, name: str) -> str:
    """``str(uuid.uuid5(UUID(bytes=namespace), name))``, several times faster: an export
    derives about twenty ids per offer."""
    digest = bytearray(hashlib.sha1(namespace + name.encode(), usedforsecurity=False).digest())
    digest[6] = (digest[6] & 0x0F) | 0x50  # version 5
    digest[8] = (digest[8] & 0x3F) | 0x80  # RFC 4122 variant
    text = digest[:16].hex()
    return f"{text[:8]}-{text[8:12]}-{text[12:16]}-{text[16:20]}-{text[20:]}"


def derived_id(parent: str | bytes, kind: str) -> str:
    """A stable id for an object Lotse keeps as fields (phones, areas, …): the same offer
    exports the same ids every time, so receivers can upsert. ``parent``: an id, as text or
    as its 16 bytes."""
    if isinstance(parent, str):
        parent = uuid.UUID(parent).bytes
    return uuid5(parent, kind)


@dataclass(frozen=True)
class Taxonomy:
    """A value set of the German profile; each value is an HSDS ``taxonomy_term``."""

    key: str
    name: str
    description: str
    #: HSDS ``attribute.link_type``: what the term says about the linked object
    link_type: str
    terms: Callable[[], list[tuple[str, str]]]

    @property
    def id(self) -> str:
        return str(uuid.uuid5(uuid.NAMESPACE_URL, f"{PROFILE_URI}#{self.key}"))

    def term_id(self, code: str) -> str:
        return str(uuid.uuid5(uuid.NAMESPACE_URL, f"{PROFILE_URI}#{self.key}/{code}"))


def _choices(choices: Any) -> Callable[[], list[tuple[str, str]]]:
    return lambda: [(str(value), str(label)) for value, label in choices.choices]


def _properties() -> list[tuple[str, str]]:
    return [
        ("capacity", _("Number of places")),
        ("free_places", _("Free places")),
        ("waiting_list", _("Has a waiting list")),
        ("valid_from", _("Runs from (date)")),
        ("valid_until", _("Runs until (date)")),
        ("is_public", _("Shown in the public directory")),
        ("accepts_referrals", _("Accepts referrals")),
        ("citywide", _("For the whole city")),
        ("wheelchair_accessible", _("Step-free access")),
        ("frequency", _("RFC 5545 frequency HSDS cannot express (DAILY)")),
    ]


# Taxonomy names and descriptions belong to the exchange format (an importer may recognise a
# term by its taxonomy's name and code), so they are not translated; term names are.
TAXONOMIES: dict[str, Taxonomy] = {
    t.key: t
    for t in (
        Taxonomy(
            "life_domain",
            "Lotse: life domains",
            "The life domains of the assessment; value = position, 0 = main domain.",
            "category",
            _choices(LifeDomain),
        ),
        Taxonomy("sex", "Lotse: for", "Who the offer is for.", "eligibility", _choices(Sex)),
        Taxonomy(
            "family_situation",
            "Lotse: family situations",
            "Target groups by family situation.",
            "eligibility",
            _choices(FamilySituation),
        ),
        Taxonomy(
            "residence_kind",
            "Lotse: residence statuses",
            "Residence statuses the offer is open to (none: open to all).",
            "eligibility",
            _choices(ResidenceKind),
        ),
        Taxonomy(
            "district", "Lotse: districts", "The city's districts.", "area", _choices(District)
        ),
        Taxonomy(
            "property",
            "Lotse: offer properties",
            "Properties of the German profile; value = the property's value.",
            "property",
            _properties,
        ),
    )
}

#: District code → its name (the names are not translated).
DISTRICT_NAMES: dict[str, str] = {str(value): str(label) for value, label in District.choices}


@cache
def term_index() -> dict[str, tuple[str, str]]:
    """Term id → (taxonomy key, code), for every term of the profile."""
    return {
        taxonomy.term_id(code): (taxonomy.key, code)
        for taxonomy in TAXONOMIES.values()
        for code, _label in taxonomy.terms()
    }


def term(taxonomy: Taxonomy, code: str, label: str) -> dict[str, Any]:
    """A ``taxonomy_term`` object, its name and language those of the active language."""
    return {
        "id": taxonomy.term_id(code),
        "code": code,
        "name": label,
        "description": label,
        "taxonomy": taxonomy.name,
        "taxonomy_id": taxonomy.id,
        "language": (get_language() or settings.LANGUAGE_CODE)[:2],
    }


@cache
def terms(key: str, language: str) -> dict[str, dict[str, Any]]:
    """A taxonomy's term objects in one language, built once (the export repeats them in
    every attribute; ``json.dumps`` only reads them, so they are shared)."""
    taxonomy = TAXONOMIES[key]
    return {code: term(taxonomy, code, label) for code, label in taxonomy.terms()}


def text_value(value: Any) -> str:
    """An attribute's ``value``: booleans as ``true``/``false``, dates as YYYY-MM-DD."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


class Attributes:
    """Builds the profile's ``attribute`` objects in the active language (read once, when
    the builder is made: an export makes one per chunk)."""

    def __init__(self) -> None:
        language = get_language() or ""
        self._terms = {key: terms(key, language) for key in TAXONOMIES}

    def __call__(
        self, link: bytes, link_id: str, entity: str, key: str, code: str, value: Any = None
    ) -> dict[str, Any]:
        """The attribute linking term ``key``/``code`` to the object ``link_id`` (whose id's
        16 bytes are ``link``); ``value`` as text when given."""
        taxonomy = TAXONOMIES[key]
        found = self._terms[key].get(code) or term(taxonomy, code, code)
        attribute: dict[str, Any] = {
            "id": uuid5(link, f"attribute:{key}/{code}"),
            "link_id": link_id,
            "link_type": taxonomy.link_type,
            "link_entity": entity,
            "taxonomy_term_id": found["id"],
            "taxonomy_term": found,
        }
        if value is not None:
            attribute["value"] = text_value(value)
        return attribute


def place() -> tuple[str, str, str]:
    """City, state and country of the instance (one city per instance)."""
    return (
        settings.DIRECTORY_CITY,
        settings.DIRECTORY_STATE_PROVINCE,
        settings.DIRECTORY_COUNTRY,
    )
