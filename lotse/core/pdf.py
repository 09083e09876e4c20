"""PDFs rendered from a template with WeasyPrint, fetching nothing, and their download.

Nothing is fetched: the URL fetcher refuses every URL, so a template links no image, style
sheet or font (styles belong inline). Fonts come from the system (fontconfig). WeasyPrint is
imported on first use: it loads Pango, which nothing else in Lotse needs.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from django.http import HttpResponse
from django.template.loader import render_to_string

# What a file name in the Content-Disposition header may hold: no quote, no line break.
_UNSAFE_IN_FILENAME = re.compile(r"[^A-Za-z0-9._-]")


def _weasyprint() -> Any:
    """WeasyPrint, imported on first use: it loads Pango, which nothing else in Lotse needs."""
    import weasyprint  # type: ignore[import-untyped]

    return weasyprint


def _refuse(url: str, *args: Any, **kwargs: Any) -> Any:
    raise ValueError(f"A PDF of Lotse loads no external resources: {url}")


def _url_fetcher() -> Any:
    """A fetcher that refuses every URL (fonts come from fontconfig)."""
    # WeasyPrint ≥ 68 takes a URLFetcher object, older versions a plain function.
    fetcher_class = getattr(_weasyprint().urls, "URLFetcher", None)
    if fetcher_class is None:
        return _refuse
    return fetcher_class(allowed_protocols=(), fail_on_errors=True)


def render_pdf(template: str, context: Mapping[str, Any], *, base_url: str | Path) -> bytes:
    """``template`` rendered with ``context``, as PDF bytes.

    ``base_url`` resolves relative URLs in the template (usually its folder); nothing is
    loaded from there or anywhere else.
    """
    html = render_to_string(template, dict(context))
    document = _weasyprint().HTML(string=html, base_url=str(base_url), url_fetcher=_url_fetcher())
    pdf: bytes = document.write_pdf()
    return pdf


def pdf_response(pdf: bytes, *, filename: str) -> HttpResponse:
    """``pdf`` as a download named ``filename`` (characters a header cannot carry become _)."""
    response = HttpResponse(pdf, content_type="application/pdf")
    safe = _UNSAFE_IN_FILENAME.sub("_", filename)
    response["Content-Disposition"] = f'attachment; filename="{safe}"'
    return response
