"""Validation: HSDS JSON ``service`` objects against HSDS' compiled ``service.json``, with the
problems by object and JSON path (docs/hsds-profile.md, 4). The tabular package is checked
by :mod:`.tabular`, with the same :class:`HsdsIssue`."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from functools import cache
from typing import Any
from urllib.parse import urlparse

from django.utils.translation import gettext as _
from jsonschema import Draft202012Validator, FormatChecker  # type: ignore[import-untyped]

from .files import hsds_file

#: An import or a validation stops reporting after this many problems.
MAX_ISSUES = 200


class HsdsFormatError(ValueError):
    """The input is not HSDS JSON or not a tabular package at all."""


@dataclass(frozen=True)
class HsdsIssue:
    """One problem of an HSDS file: where (object or file and row), which field, what."""

    where: str
    field: str
    message: str

    def __str__(self) -> str:
        return ": ".join(part for part in (self.where, self.field, self.message) if part)


def is_uri(value: object) -> bool:
    if not isinstance(value, str):
        return True
    parts = urlparse(value)
    return bool(parts.scheme) and bool(parts.netloc or parts.path)


def _is_datetime(value: object) -> bool:
    if not isinstance(value, str):
        return True
    try:
        datetime.fromisoformat(value)
    except ValueError:
        return False
    return True


@cache
def _format_checker() -> FormatChecker:
    checker = FormatChecker(["uuid", "email", "date"])
    checker.checks("uri")(is_uri)
    checker.checks("date-time")(_is_datetime)
    return checker


@cache
def _service_validator() -> Draft202012Validator:
    return Draft202012Validator(
        hsds_file("compiled/service.json"), format_checker=_format_checker()
    )


def json_path(parts: Iterable[Any]) -> str:
    path = ""
    for part in parts:
        path += f"[{part}]" if isinstance(part, int) else (f".{part}" if path else str(part))
    return path


_REQUIRED = re.compile(r"^'(.+)' is a required property$")


def _schema_problem(error: Any) -> tuple[list[str | int], str]:
    """The path and a readable message of a jsonschema error."""
    parts: list[str | int] = list(error.absolute_path)
    message = str(error.message)
    if error.validator == "required" and (match := _REQUIRED.match(message)):
        parts.append(match.group(1))
        message = _("This field is required.")
    elif error.validator == "enum":
        message = _("Not one of: %(values)s.") % {
            "values": ", ".join(str(v) for v in error.validator_value)
        }
    elif error.validator == "type":
        message = _("Expected a value of type %(type)s.") % {"type": error.validator_value}
    elif error.validator == "format":
        message = _("Not a valid %(format)s.") % {"format": error.validator_value}
    return parts, message


@cache
def _fast_validator() -> Any:
    """jsonschema-rs, where installed: it tells valid from invalid a hundred times faster, and
    most objects are valid; the messages of the invalid ones still come from jsonschema."""
    try:
        import jsonschema_rs  # type: ignore[import-not-found,unused-ignore]
    except ImportError:
        return None
    return jsonschema_rs.validator_for(hsds_file("compiled/service.json"), validate_formats=True)


def schema_problems(obj: Any) -> list[tuple[list[str | int], str]]:
    fast = _fast_validator()
    if fast is not None and fast.is_valid(obj):
        return []
    errors = sorted(_service_validator().iter_errors(obj), key=lambda e: [str(p) for p in e.path])
    return [_schema_problem(error) for error in errors]


def object_where(index: int, obj: Any) -> str:
    oid = obj.get("id") if isinstance(obj, Mapping) else None
    return f"services[{index}]" + (f" (id {oid})" if isinstance(oid, str) and oid else "")


def validate_hsds_json(
    objects: Iterable[Mapping[str, Any]], *, limit: int = MAX_ISSUES
) -> list[HsdsIssue]:
    """Check HSDS service objects against HSDS' compiled ``service.json``; the problems, each
    with its object and JSON path (``services[2] (id …)``, ``schedules[0].freq``)."""
    issues: list[HsdsIssue] = []
    for index, obj in enumerate(objects):
        where = object_where(index, obj)
        issues.extend(
            HsdsIssue(where, json_path(path) or _("(the object)"), message)
            for path, message in schema_problems(obj)
        )
        if len(issues) >= limit:
            return issues[:limit]
    return issues
