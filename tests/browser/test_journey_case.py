"""Acceptance journey of the family case across three agencies.

KIM opens a case for a family, adds the Jobcenter and the Jugendamt, is stopped at intake
until it records the family's consent for them, runs the assessment, drafts the plan with
goals owned by each agency, holds a case conference whose decision becomes a task, evaluates
and closes. The Jobcenter and the Jugendamt see what the consent opens; a second Jugendamt
caseworker who is not assigned sees nothing, because the Jugendamt limits its content to the
assigned staff. The plan prints in German and Arabic.
"""

from __future__ import annotations

import re
from datetime import date, timedelta
from typing import Any

import pytest
from django.core.management import call_command
from django.utils import timezone

from lotse.accounts.models import Agency, Membership, User
from lotse.accounts.roles import Role
from lotse.accounts.tests.factories import acting
from lotse.demo.city import DEMO_PASSWORD
from lotse.people.services import HouseholdData, MemberData, PersonData, household_register

from .conftest import assert_accessible
from .test_journey_consent import _choice, _english, _log_in, _log_out, _not_found

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

JOBCENTER = "Jobcenter Wuppertal"
JUGENDAMT = "Jugendamt Wuppertal – Allgemeiner Sozialer Dienst"
GOAL_WORK = "Layla finds work as a nursing assistant"
GOAL_CHILDCARE = "A Kita place for the family's youngest"
DECISION = "Register Layla for the nursing assistant course"
CALL_TEXT = "Phone call: the landlord agrees to wait until the Jobcenter decides."
HEALTH_TEXT = "Sleeps badly since the flight; sees a therapist."


def _family() -> Any:
    kim = User.objects.get(username="kim")
    household = household_register(
        household=HouseholdData(street="Berliner Straße 12", postcode="42275"),
        members=[
            MemberData(
                person=PersonData(
                    given_names="Layla", family_name="Haddad", birth_date=date(1990, 4, 12)
                ),
                role="head",
            ),
            MemberData(
                person=PersonData(
                    given_names="Karim", family_name="Haddad", birth_date=date(1986, 9, 3)
                ),
                role="partner",
            ),
        ],
        membership=acting(kim),
        actor=kim,
    )
    return household


def _second_jugendamt_caseworker() -> None:
    """Jugendamt staff not assigned to the case (the demo city may have one already)."""
    agency = Agency.objects.get(code="ja")
    Agency.objects.filter(pk=agency.pk).update(need_to_know=True)
    user, created = User.objects.get_or_create(
        username="jugendamt-b", defaults={"first_name": "Bea", "last_name": "Berger"}
    )
    if created:
        user.set_password(DEMO_PASSWORD)
        user.save()
        Membership.objects.create(user=user, agency=agency, role=Role.CASEWORKER)


def _select(page: Any, label: str, option: str) -> None:
    # Optional fields carry "optional" after the label text.
    name = re.compile("^" + re.escape(label) + r"( optional)?$")
    page.get_by_role("combobox", name=name).select_option(label=option)


def _phase(page: Any, phase: str, reason: str | None = None) -> Any:
    _select(page, "Move the case to", phase)
    if reason is not None:
        _select(page, "Why is the case closed?", reason)
    page.get_by_role("button", name="Change the phase").click()
    page.wait_for_load_state("load")
    return page


def _add_participant(page: Any, agency: str, contact: str) -> None:
    page.get_by_role("link", name="Add an agency").click()
    page.wait_for_url(re.compile(r"/cases/\d+/participants/$"))
    _select(page, "Agency", agency)
    page.get_by_label("Contact person").select_option(label=contact)
    assert _choice(page, "Goals and measures").is_checked()
    assert_accessible(page)
    page.get_by_role("button", name="Save").click()
    page.wait_for_url(re.compile(r"/cases/\d+/$"))


def test_a_family_case_across_three_agencies(live_server, page):
    from playwright.sync_api import expect

    call_command("seed_demo", "--families", "0")
    household = _family()
    _second_jugendamt_caseworker()
    base = live_server.url
    _english(page, base)

    # --- KIM opens the case from the household page ---------------------------------------------
    _log_in(page, base, "kim")
    page.goto(f"{base}/people/h/{household.public_id}/")
    panel = page.get_by_test_id("case-panel")
    panel.get_by_role("link", name=f"Open a case for household {household.public_id}").click()
    page.wait_for_url(re.compile(r"/cases/open/"))
    assert _choice(page, "On their own").is_checked()
    page.get_by_role("textbox", name=re.compile(r"^Urgent matters")).fill(
        "Rent arrears; the landlord threatens eviction."
    )
    assert_accessible(page)
    page.get_by_role("button", name="Open the case").click()
    page.wait_for_url(re.compile(r"/cases/\d+/$"))
    case_url = page.url
    expect(page.get_by_role("heading", name="Family Haddad", level=1)).to_be_visible()
    expect(page.get_by_test_id("case-phase")).to_contain_text("Intake")
    # A talk noted with the keyboard alone: the text has the focus, Tab reaches "Save".
    page.goto(case_url + "journal/new/")
    # The text box has the focus once the page is loaded: wait for it, then only type.
    expect(page.get_by_role("textbox", name=re.compile(r"^What happened"))).to_be_focused()
    page.keyboard.type(CALL_TEXT)
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    page.wait_for_url(case_url)
    expect(page.get_by_test_id("timeline")).to_contain_text(CALL_TEXT)
    _add_participant(page, JOBCENTER, "Jana Cordes")
    _add_participant(page, JUGENDAMT, "Jonas Abel")
    contacts = page.get_by_test_id("contact-row")
    expect(contacts).to_have_count(3)
    expect(contacts.filter(has_text=JOBCENTER)).to_contain_text("Jana Cordes")

    # --- leaving intake waits for the family's consent -----------------------------------------
    expect(page.get_by_test_id("gap-row")).to_have_count(4)  # 2 persons x 2 agencies
    _phase(page, "Assessment")
    expect(page.get_by_test_id("case-phase")).to_contain_text("Intake")
    expect(page.locator("#id_phase_error")).to_contain_text("The case cannot leave intake yet")
    assert_accessible(page)
    page.get_by_test_id("gap-row").first.get_by_role("link", name="Record a consent").click()
    # The form comes filled in from the gap: the agency, the information, the purpose.
    page.wait_for_url(re.compile(r"/consent/p/P-[0-9A-Z-]+/new/\?recipient_agencies=\d+&"))
    recipients = page.get_by_role("group", name="Who may receive the information?")
    expect(recipients.get_by_role("checkbox", checked=True)).to_have_count(1)
    _choice(page, "Consent given (the form is signed)").check()
    page.get_by_label("No scan yet? Say why").fill("Signed on paper; the scan follows.")
    _choice(recipients, JOBCENTER).check()
    _choice(recipients, JUGENDAMT).check()
    page.wait_for_load_state("networkidle")
    information = page.get_by_role("group", name="Which information?")
    _choice(information, "Identity and contact").check()
    _choice(information, "Goals and measures").check()
    _choice(information, "Work, qualification, recognition").check()
    _choice(page.get_by_role("group", name="What for?"), "Coordinated case management").check()
    also = page.get_by_role("group", name="The same consent also for")
    also.get_by_role("checkbox").first.check()
    page.wait_for_load_state("networkidle")
    page.get_by_role("button", name="Save consent").click()
    page.wait_for_url(re.compile(r"/consent/\d+/$"))
    expect(page.get_by_test_id("consent-status")).to_have_text("given")
    page.goto(case_url)
    expect(page.get_by_test_id("coverage-ok")).to_be_visible()
    _phase(page, "Assessment")
    expect(page.get_by_test_id("case-phase")).to_contain_text("Assessment")

    # --- assessment and plan
    page.get_by_role("link", name=re.compile(r"^assess Work and qualification, Layla")).click()
    page.wait_for_url(re.compile(r"/assessments/new/"))
    _choice(page, "high need").check()
    page.get_by_label("Situation").fill("Trained nurse in Syria; recognition not yet applied for.")
    assert_accessible(page)
    page.get_by_role("button", name="Save assessment").click()
    page.wait_for_url(case_url)
    expect(page.get_by_test_id("assessment-grid")).to_contain_text("3 high need")
    page.get_by_role(
        "link", name=re.compile(r"^assess Health, including mental health, Layla")
    ).click()
    _choice(page, "medium need").check()
    page.get_by_label("Situation").fill(HEALTH_TEXT)
    page.get_by_role("button", name="Save assessment").click()
    page.wait_for_url(case_url)
    _phase(page, "Planning")
    for text, owner, domain, persons in (
        (GOAL_WORK, JOBCENTER, "Work and qualification", ["Layla Haddad"]),
        (GOAL_CHILDCARE, JUGENDAMT, "Childcare", ["Layla Haddad", "Karim Haddad"]),
    ):
        page.get_by_role("link", name="Add a goal").click()
        page.wait_for_url(re.compile(r"/goals/new/$"))
        for person in persons:
            _choice(page, person).check()
        _select(page, "Life domain", domain)
        page.get_by_label("Goal", exact=True).fill(text)
        _select(page, "Owned by", owner)
        page.get_by_label("Target date").fill(
            (timezone.localdate() + timedelta(days=90)).isoformat()
        )
        page.get_by_role("button", name="Add goal").click()
        page.wait_for_url(case_url)
    expect(page.get_by_test_id("plan-goal")).to_have_count(2)
    _phase(page, "Implementation")

    # --- a case conference whose decision becomes a task
    page.get_by_role("link", name="Plan a case conference").click()
    page.wait_for_url(re.compile(r"/conferences/new/$"))
    page.get_by_label("Date and time").fill(timezone.localtime().strftime("%Y-%m-%dT%H:%M"))
    page.get_by_label("Place").fill("Town hall Barmen, room 3")
    _choice(page.get_by_role("group", name="Agenda"), "Work and qualification").check()
    page.get_by_role("button", name="Plan the conference").click()
    page.wait_for_url(re.compile(r"/cases/conferences/\d+/$"))
    conference_url = page.url
    expect(page.get_by_test_id("coverage-ok")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="The conference is being held now").click()
    page.wait_for_url(conference_url)
    decision = page.locator("form[action$='/decisions/']")
    _choice(decision, "Layla Haddad").check()
    decision.get_by_label("Decision").fill(DECISION)
    decision.get_by_label("Carried out by").select_option(label=JOBCENTER)
    decision.get_by_label("Person responsible").select_option(label="Jana Cordes")
    decision.get_by_label("Due by").fill((timezone.localdate() + timedelta(days=14)).isoformat())
    decision.get_by_role("button", name="Save decision as a task").click()
    page.wait_for_url(conference_url)
    expect(page.get_by_test_id("decision")).to_contain_text(DECISION)

    # --- evaluation and closure
    page.goto(case_url)
    _phase(page, "Monitoring")
    _phase(page, "Evaluation")
    goal = page.get_by_test_id("plan-goal").filter(has_text=GOAL_WORK)
    goal.get_by_role("link", name="Change or rate the goal").click()
    _choice(page, "more than expected").check()
    page.get_by_role("button", name="Save goal").click()
    page.wait_for_url(case_url)
    expect(page.get_by_test_id("attainment")).to_contain_text("1 (more than expected): 1")
    for query, name in (("?for=family&lang=de", "de"), ("?for=family&lang=ar", "ar")):
        response = page.request.get(case_url + "plan.pdf" + query)
        assert response.status == 200
        assert response.body().startswith(b"%PDF")
        assert f"plan-{name}-" in response.headers["content-disposition"]
    _phase(page, "Closed", reason="Goals reached")
    expect(page.get_by_test_id("case-phase")).to_contain_text("Closed")
    assert_accessible(page)
    _log_out(page, base)

    # --- the Jobcenter sees the family, its goal, the decision it must carry out
    _log_in(page, base, "jobcenter")
    page.goto(case_url)
    expect(page.get_by_role("heading", name="Family Haddad", level=1)).to_be_visible()
    expect(page.get_by_test_id("plan-goal").filter(has_text=GOAL_WORK)).to_be_visible()
    expect(page.get_by_test_id("assessment-grid")).to_contain_text("3 high need")  # work
    assert HEALTH_TEXT not in page.content()  # health: the family did not release it
    page.goto(conference_url)
    expect(page.get_by_test_id("decision")).to_contain_text(DECISION)
    assert_accessible(page)
    _log_out(page, base)

    # --- the Jugendamt's contact sees the case; the unassigned colleague sees nothing
    _log_in(page, base, "jugendamt")
    page.goto(case_url)
    expect(page.get_by_test_id("plan-goal").filter(has_text=GOAL_CHILDCARE)).to_be_visible()
    _log_out(page, base)
    _log_in(page, base, "jugendamt-b")
    _not_found(page, case_url)
    _not_found(page, conference_url)
    page.goto(base + "/cases/")
    assert "Haddad" not in page.content()
    assert GOAL_CHILDCARE not in page.content()
