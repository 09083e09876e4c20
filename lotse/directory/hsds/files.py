"""The HSDS files Lotse reads at run time, vendored beside this module in ``schema/`` (HSDS
3.0 as published, CC BY-SA 4.0: ``schema/README.md``), so that a checkout or an installed
package works wherever it is."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

#: The vendored HSDS files (``datapackage.json``, ``compiled/service.json``).
SCHEMA_DIR = Path(__file__).resolve().with_name("schema")


def hsds_dir() -> Path:
    """Where HSDS' schemas and ``datapackage.json`` are: the package's ``schema`` folder."""
    return SCHEMA_DIR


@cache
def hsds_file(relative: str) -> Any:
    """A JSON file of HSDS, read once."""
    with (SCHEMA_DIR / relative).open(encoding="utf-8") as handle:
        return json.load(handle)


def datapackage() -> dict[str, Any]:
    """HSDS' tabular data package descriptor."""
    descriptor: dict[str, Any] = hsds_file("datapackage.json")
    return descriptor


@cache
def resources() -> dict[str, dict[str, Any]]:
    """The descriptor's resources by name (shared: read, never change them)."""
    return {resource["name"]: resource for resource in datapackage()["resources"]}


def package_columns(resource: str) -> list[str]:
    """The CSV columns of an HSDS resource, exactly as ``datapackage.json`` names them."""
    return [f["name"] for f in resources()[resource]["schema"]["fields"]]
