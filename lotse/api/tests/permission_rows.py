"""Permission-matrix rows of the API frame and the accounts endpoints."""

from __future__ import annotations

from tests.matrix import EVERYONE, Row, api_op, page

PAGES: dict[str, Row] = {
    "api:openapi-json": page("api:openapi-json", allowed=EVERYONE, note="public API description"),
    "api:openapi-view": page("api:openapi-view", allowed=EVERYONE, note="public API docs"),
    "api:api-root": page(
        "api:api-root", allowed=(), denied=404, anonymous=404, note="nothing at the root"
    ),
    "api:unknown": page(
        "api:unknown",
        kwargs=lambda ctx: {"rest": "no-such-endpoint"},
        allowed=(),
        denied=404,
        anonymous=404,
    ),
}

API: dict[str, Row] = {
    "GET /api/v1/me": api_op("/api/v1/me"),
    "GET /api/v1/agencies": api_op("/api/v1/agencies"),
}
