"""Acceptance journey of the steering level: a coordinator opens the figures of the last year
(tables, charts, the suppression note), downloads them as XLSX and produces a committee report
PDF; a caseworker cannot reach any of it."""

from __future__ import annotations

import io
import re

import pytest
from django.core.management import call_command
from openpyxl import load_workbook  # type: ignore[import-untyped]
from pypdf import PdfReader

from .conftest import assert_accessible
from .test_journey_consent import _english, _log_in, _log_out, _not_found

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_coordinator_gets_figures_and_a_committee_report(live_server, page):
    from playwright.sync_api import expect

    call_command("seed_demo", "--families", "0")
    base = live_server.url
    _english(page, base)

    _log_in(page, base, "steuerung")
    page.get_by_role("link", name="Figures", exact=True).click()
    page.wait_for_url(re.compile(r"/steering/"))
    figures = page.get_by_test_id("figures")
    expect(figures).to_be_visible()
    expect(page.get_by_test_id("disclaimer").first).to_contain_text("values below 5")
    expect(page.locator('[data-testid="figure-table"][data-key="contacts"]')).to_be_visible()
    assert page.locator('[data-testid="chart"] svg[role="img"]').count() >= 1
    assert_accessible(page)
    with page.expect_download() as download:
        page.get_by_role("link", name="Download all tables as Excel (XLSX)").click()
    workbook = load_workbook(io.BytesIO(download.value.path().read_bytes()))
    assert len(workbook.sheetnames) > 5

    page.get_by_role("link", name="Committee reports").click()
    page.get_by_role("link", name="New committee report").click()
    page.get_by_role("button", name="Create the report").click()
    page.wait_for_url(re.compile(r"/steering/reports/\d+/$"))
    assert_accessible(page)
    with page.expect_download() as download:
        page.get_by_role("link", name="Download the report as PDF").click()
    reader = PdfReader(io.BytesIO(download.value.path().read_bytes()))
    first = reader.pages[0].extract_text()
    for label in ("Drucks.-Nr.", "Sitzung am", "Gremium", "Beschlussvorschlag"):
        assert label in first
    _log_out(page, base)

    _log_in(page, base, "kim")
    _not_found(page, f"{base}/steering/")
    _not_found(page, f"{base}/steering/reports/")
