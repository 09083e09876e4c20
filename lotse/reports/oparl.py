"""The committee report handed over to the council information system as an OParl 1.1 Paper.

``paper_json`` builds the Paper with its ``mainFile`` (the PDF), ``auxiliaryFile`` (the Anlage
as XLSX) and one ``consultation`` per session of the Beratungsfolge, all embedded; ``created``
and ``modified`` on every object (mandatory since OParl 1.1). URLs are absolute under the
given base URL. Objects Lotse does not publish on their own (the organisations, the files as
objects, the consultations, the meetings) get stable identifiers under the reports' address
(``…/reports/oparl/<kind>/…``): OParl asks for URLs as ids, not that Lotse serves them.

``validator`` checks a document against the vendored OParl 1.1 schemas (``oparl_schema/``,
see its README for how they are read). Nothing here is about a person: a Paper names
committees and the department in charge, never a family.
"""

from __future__ import annotations

import json
import re
from datetime import date, datetime
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from jsonschema import Draft202012Validator, FormatChecker  # type: ignore[import-untyped]
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

from . import committee
from .models import CommitteeReport
from .report_pdf import pdf_filename

SCHEMA_DIR = Path(__file__).resolve().parent / "oparl_schema"
#: Where the specification publishes its schemas; the vendored files are registered under it.
SCHEMA_BASE = "https://schema.oparl.org/1.1/"
SCHEMA_FILES = ("Paper.json", "File.json", "Consultation.json", "Location.json")

PAPER = "https://schema.oparl.org/1.1/Paper"
FILE = "https://schema.oparl.org/1.1/File"
CONSULTATION = "https://schema.oparl.org/1.1/Consultation"

PDF = "application/pdf"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

#: OParl 1.1 made these mandatory for every object; the schema files do not say so.
MANDATORY_SINCE_1_1 = ("created", "modified")


# --- the Paper ---------------------------------------------------------------------------------


def _when(value: datetime) -> str:
    return timezone.localtime(value).isoformat(timespec="seconds")


def _slug(text: str, fallback: str) -> str:
    return slugify(text) or fallback


def paper_json(report: CommitteeReport, *, base_url: str) -> dict[str, Any]:
    """``report`` as an OParl 1.1 Paper (a JSON-ready dict), URLs under ``base_url``."""
    base = base_url.rstrip("/")

    def url(name: str, **kwargs: Any) -> str:
        return base + reverse(f"reports:{name}", kwargs=kwargs)

    ids = url("report_list") + "oparl/"
    paper_id = url("report_oparl", pk=report.pk)
    stamps = {"created": _when(report.created_at), "modified": _when(report.updated_at)}
    day = report.report_date.isoformat()
    attachments = [str(item) for item in report.attachments or []]
    pdf_url = url("report_pdf", pk=report.pk)
    xlsx_url = url("report_annex_xlsx", pk=report.pk)
    main_file = {
        "id": f"{ids}file/{report.pk}/main",
        "type": FILE,
        "name": report.title,
        "fileName": pdf_filename(report),
        "mimeType": PDF,
        "date": day,
        "accessUrl": pdf_url,
        "downloadUrl": pdf_url,
        "paper": [paper_id],
        **stamps,
    }
    annex_file = {
        "id": f"{ids}file/{report.pk}/annex",
        "type": FILE,
        "name": attachments[0] if attachments else committee.DOCUMENT["annex_title"],
        "fileName": pdf_filename(report, "xlsx").replace(".xlsx", "-anlage.xlsx"),
        "mimeType": XLSX,
        "date": day,
        "accessUrl": xlsx_url,
        "downloadUrl": xlsx_url,
        "paper": [paper_id],
        **stamps,
    }
    paper: dict[str, Any] = {
        "id": paper_id,
        "type": PAPER,
        "name": report.title,
    }
    if report.reference.strip():
        paper["reference"] = report.reference.strip()
    paper.update(
        {
            "date": day,
            "paperType": report.paper_type or committee.DEFAULT_PAPER_TYPE,
            "mainFile": main_file,
            "auxiliaryFile": [annex_file],
        }
    )
    if report.department.strip():
        department = f"{ids}organization/{_slug(report.department, 'department')}"
        paper["underDirectionOf"] = [department]
        paper["originatorOrganization"] = [department]
    paper["consultation"] = [
        _consultation(session, number, ids=ids, paper_id=paper_id, report=report, stamps=stamps)
        for number, session in enumerate(report.sessions or [], start=1)
        if str(session.get("committee") or "").strip()
    ]
    paper.update(stamps)
    return paper


def _consultation(
    session: dict[str, Any],
    number: int,
    *,
    ids: str,
    paper_id: str,
    report: CommitteeReport,
    stamps: dict[str, str],
) -> dict[str, Any]:
    name = str(session.get("committee") or "").strip()
    quality = str(session.get("quality") or "").strip()
    organization = f"{ids}organization/{_slug(name, f'committee-{number}')}"
    consultation: dict[str, Any] = {
        "id": f"{ids}consultation/{report.pk}/{number}",
        "type": CONSULTATION,
        "paper": paper_id,
        "organization": [organization],
        "authoritative": quality in committee.DECIDING_QUALITIES,
    }
    raw = str(session.get("date") or "")
    try:
        held_on = date.fromisoformat(raw) if raw else None
    except ValueError:
        held_on = None
    if held_on is not None:
        # OParl carries the date of a consultation on its Meeting; the id names committee and day.
        consultation["meeting"] = (
            f"{ids}meeting/{_slug(name, f'committee-{number}')}/{held_on.isoformat()}"
        )
    if quality:
        consultation["role"] = quality
    consultation.update(stamps)
    return consultation


def paper_bytes(paper: dict[str, Any]) -> bytes:
    return json.dumps(paper, ensure_ascii=False, indent=2).encode()


# --- validation --------------------------------------------------------------------------------


def _as_ref(node: Any) -> Any:
    """The schema with the OParl keyword ``"schema": "File.json"`` also read as ``$ref``."""
    if isinstance(node, dict):
        adapted = {key: _as_ref(value) for key, value in node.items()}
        target = node.get("schema")
        if isinstance(target, str) and "$ref" not in node:
            adapted["$ref"] = target if target.endswith(".json") else f"{target}.json"
        return adapted
    if isinstance(node, list):
        return [_as_ref(item) for item in node]
    return node


def _load(name: str) -> dict[str, Any]:
    schema: dict[str, Any] = _as_ref(json.loads((SCHEMA_DIR / name).read_text(encoding="utf-8")))
    schema["required"] = list(dict.fromkeys([*schema.get("required", []), *MANDATORY_SINCE_1_1]))
    schema["$id"] = SCHEMA_BASE + name
    return schema


@cache
def _registry() -> Registry:
    resources = [
        (SCHEMA_BASE + name, Resource.from_contents(_load(name), DRAFT202012))
        for name in SCHEMA_FILES
    ]
    registry: Registry = Registry().with_resources(resources)
    return registry


_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_DATE_TIME = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$")


def is_url(value: object) -> bool:
    if not isinstance(value, str):
        return True
    parts = urlsplit(value)
    return parts.scheme in ("http", "https") and bool(parts.netloc)


def is_date(value: object) -> bool:
    if not isinstance(value, str):
        return True
    if not _DATE.match(value):
        return False
    try:
        date.fromisoformat(value)
    except ValueError:
        return False
    return True


def is_date_time(value: object) -> bool:
    if not isinstance(value, str):
        return True
    if not _DATE_TIME.match(value):
        return False
    try:
        datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return False
    return True


@cache
def _format_checker() -> FormatChecker:
    checker = FormatChecker(formats=())
    checker.checks("url")(is_url)
    checker.checks("date")(is_date)
    checker.checks("date-time")(is_date_time)
    return checker


@cache
def validator(kind: str = "Paper") -> Draft202012Validator:
    """A validator of OParl 1.1 ``kind`` objects (Paper, File, Consultation, Location)."""
    uri = SCHEMA_BASE + f"{kind}.json"
    schema = _registry().contents(uri)
    return Draft202012Validator(schema, registry=_registry(), format_checker=_format_checker())


def validation_errors(document: Any, kind: str = "Paper") -> list[str]:
    """Every problem of ``document`` as "path: message"; empty when it validates."""
    errors = sorted(validator(kind).iter_errors(document), key=lambda e: list(map(str, e.path)))
    return [
        f"{'/'.join(str(part) for part in error.absolute_path) or '(root)'}: {error.message}"
        for error in errors
    ]
