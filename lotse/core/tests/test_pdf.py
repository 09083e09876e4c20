"""PDFs from templates: nothing is fetched, and the download names a safe file."""

from __future__ import annotations

import pytest

from lotse.core import pdf


def test_no_external_resources_are_fetched():
    with pytest.raises(ValueError, match=r"protocol|external"):
        pdf._url_fetcher()("https://example.org/tracker.png")


def test_a_pdf_is_a_download_with_a_file_name_a_header_can_carry():
    response = pdf.pdf_response(b"%PDF-1.7", filename='consent-7-de".pdf\r\nX: y')

    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="consent-7-de_.pdf__X__y"'
    assert response.content == b"%PDF-1.7"
