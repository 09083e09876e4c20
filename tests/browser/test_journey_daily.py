"""Acceptance journey of daily work: ``kim`` after the demo finds today's appointments, the
overdue task and a permit running out in 20 days with its legal reason on the start page,
closes a task in one click, opens an appointment and its invitation in Arabic, and subscribes
to a calendar that carries no names; another agency cannot open kim's task."""

from __future__ import annotations

import re

import pytest
from django.core.management import call_command
from icalendar import Calendar

from lotse.scheduling.models import Task

from .conftest import assert_accessible
from .test_journey_consent import _english, _log_in, _log_out, _not_found

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_caseworker_works_through_the_day(live_server, page):
    from playwright.sync_api import expect

    call_command("seed_demo", "--families", "200")
    base = live_server.url
    _english(page, base)
    _log_in(page, base, "kim")

    today = page.get_by_test_id("start-today")
    expect(today).to_contain_text("Verlängerung des Aufenthalts vorbereiten")
    expect(today).to_contain_text("interpreter not booked")
    deadlines = page.get_by_test_id("start-deadlines")
    expect(deadlines).to_contain_text("in 20 days")
    expect(deadlines).to_contain_text("§ 81 Abs. 4 AufenthG")
    tasks = page.get_by_test_id("start-tasks")
    expect(tasks).to_contain_text("Mietbescheinigung beim Vermieter anfordern")
    expect(tasks).to_contain_text("3 days overdue")
    assert_accessible(page)

    overdue = Task.objects.get(title="Mietbescheinigung beim Vermieter anfordern")
    tasks.get_by_test_id("start-task").filter(has_text="Mietbescheinigung").get_by_role(
        "button"
    ).click()
    page.wait_for_url(base + "/")
    expect(page.get_by_test_id("start-tasks")).not_to_contain_text("Mietbescheinigung")

    page.get_by_test_id("start-today").get_by_role("link").first.click()
    page.wait_for_url(re.compile(r"/appointments/\d+/$"))
    expect(page.get_by_test_id("appointment-interpreter")).to_contain_text("not booked")
    assert_accessible(page)
    page.get_by_role("button", name="The interpreter is booked").click()
    expect(page.get_by_test_id("appointment-interpreter")).to_contain_text("booked")
    invitation = page.get_by_role("link", name=re.compile(r"Print the invitation \(German and "))
    invitation.first.click()
    # German and the family's language (Ukrainian for this family; Arabic and Persian are
    # printed right to left — lotse/scheduling/tests checks that).
    expect(page.locator("article.invitation")).to_have_count(2)
    expect(page.locator('article[lang="de"]')).to_contain_text("Einladung")

    page.goto(base + "/calendar/")
    page.get_by_role("button", name="Make a calendar address").click()
    address = page.get_by_test_id("calendar-address").locator("code").inner_text()
    feed = page.request.get(address.replace("http://testserver", base))
    assert feed.ok
    calendar = Calendar.from_ical(feed.body())
    assert len(list(calendar.walk("VEVENT"))) >= 3
    body = feed.text()
    for secret in ("Verlängerung", "Neumarkt", "Mietbescheinigung"):
        assert secret not in body
    _log_out(page, base)

    _log_in(page, base, "jugendamt")
    _not_found(page, f"{base}/tasks/{overdue.pk}/")
