"""The permission matrix: every URL and API operation x every role x every owner case.

Adding a URL or an API operation without a row fails ``test_every_url_has_a_row`` and
``test_every_api_operation_has_a_row``. A row says, for each role and each owner case (the
target belongs to the acting agency, or to the Jugendamt sharing it by consent, by legal basis
or not at all — see ``tests/matrix.py``), which status the request gets. Denied looks like
missing (404) for logged-in users; anonymous visitors are sent to the login page (pages) or
get 401 (API). Every answer is also searched for what the acting agency must never read. Rows
live next to their app, in ``lotse/<app>/tests/permission_rows.py``.
"""

from __future__ import annotations

import importlib
import io
import json
import pkgutil
import re
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlencode

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from pypdf import PdfReader
from pypdf.errors import PdfReadError

import lotse
from lotse.api.api import api

from .matrix import ANONYMOUS, EVERYONE, OWNERS, Row, World


def _collect() -> tuple[dict[str, Row], dict[str, Row]]:
    pages: dict[str, Row] = {}
    apis: dict[str, Row] = {}
    for module_info in pkgutil.iter_modules(lotse.__path__):
        try:
            rows = importlib.import_module(f"lotse.{module_info.name}.tests.permission_rows")
        except ModuleNotFoundError:
            continue
        for target, source in (
            (pages, getattr(rows, "PAGES", {})),
            (apis, getattr(rows, "API", {})),
        ):
            duplicated = set(target) & set(source)
            assert not duplicated, f"rows declared twice: {duplicated}"
            target.update(source)
    return pages, apis


PAGES, API = _collect()
# A URL may have a second row for another method ("people:person_edit POST").
PAGE_NAMES = {key.split(" ", 1)[0] for key in PAGES}


# --- enumeration ------------------------------------------------------------------------------


def _walk(patterns: list[Any], namespace: str | None = None) -> Iterator[tuple[str, str]]:
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = pattern.namespace
            ns = f"{namespace}:{inner}" if namespace and inner else inner or namespace
            prefix = str(pattern.pattern)
            for name, route in _walk(pattern.url_patterns, ns):
                yield name, prefix + route
        elif isinstance(pattern, URLPattern):
            name = f"{namespace}:{pattern.name}" if namespace else str(pattern.name)
            yield name, str(pattern.pattern)


def _openapi_operations() -> set[str]:
    schema = api.get_openapi_schema()
    return {
        f"{method.upper()} {path}"
        for path, operations in schema["paths"].items()
        for method in operations
    }


def _as_openapi_path(route: str) -> str:
    return "/" + re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", route)


def test_every_url_has_a_row():
    operation_paths = {op.split(" ", 1)[1] for op in _openapi_operations()}
    missing = []
    for name, route in _walk(get_resolver().url_patterns):
        if name.startswith("admin:"):
            continue  # covered by the "admin:*" row
        if name.startswith("api:") and _as_openapi_path(route) in operation_paths:
            continue  # an API operation: covered by API rows
        if name not in PAGE_NAMES:
            missing.append(f"{name} ({route})")
    assert not missing, f"URLs without a permission-matrix row: {missing}"


def test_every_api_operation_has_a_row():
    missing = sorted(_openapi_operations() - set(API))
    assert not missing, f"API operations without a permission-matrix row: {missing}"
    stale = sorted(set(API) - _openapi_operations())
    assert not stale, f"Rows for API operations that no longer exist: {stale}"


# --- the matrix itself ----------------------------------------------------------------------


def _cases() -> Iterator[Any]:
    for key, row in [*PAGES.items(), *API.items()]:
        for role in EVERYONE:
            for owner in OWNERS:
                yield pytest.param(row, role, owner, id=f"{key}-{role}-{owner}")


@pytest.mark.django_db
@pytest.mark.parametrize(("row", "role", "owner"), list(_cases()))
def test_matrix(row: Row, role: str, owner: str, request: pytest.FixtureRequest) -> None:
    world = World(role=role, owner=owner, request=request)
    client = Client()
    if world.user is not None:
        client.force_login(world.user)
    path = row.path(world)
    body = row.data(world)
    response = client.generic(
        row.method,
        path,
        data=json.dumps(body) if row.json else urlencode(body, doseq=True),
        content_type="application/json" if row.json else "application/x-www-form-urlencoded",
    )
    expected = row.expect(role, owner)
    assert response.status_code == expected, (
        f"{row.method} {path} as {role} ({owner}): expected {expected}, "
        f"got {response.status_code}: {_summary(response)}"
    )
    if role == ANONYMOUS and expected == 302 and row.method == "GET" and "admin" not in path:
        assert response["Location"].startswith(reverse("accounts:login"))
    text = _text(response)
    leaked = [secret for secret in world.forbidden_texts(row) if secret in text]
    assert not leaked, f"{row.method} {path} as {role} ({owner}) shows {leaked}"


def _summary(response: Any) -> str:
    """What went wrong, for the failure message: the errors a page or the API named."""
    text = _text(response)
    if "error-summary" in text:
        return text.split('id="error-summary"', 1)[1][:1500]
    return text[:500]


def _text(response: Any) -> str:
    """The answer as text; a PDF's pages by their extracted text, a stream read in full."""
    content_type = response.get("Content-Type", "")
    if getattr(response, "streaming", False):
        raw = b"".join(response.streaming_content)
    else:
        raw = response.content
    if content_type.startswith("application/pdf"):
        try:
            reader = PdfReader(io.BytesIO(raw))
            return "\n".join(page.extract_text() or "" for page in reader.pages)
        except PdfReadError:
            pass  # an uploaded scan, not a form Lotse printed: searched as bytes
    return raw.decode("utf-8", errors="replace")
