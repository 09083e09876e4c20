"""Acceptance journey of the access core: what the Jugendamt records reaches KIM only by consent.

The Jugendamt registers a person and records a confided talk and a health note. KIM sees
nothing of the person until the person consents; then exactly the confided talk (family and
youth welfare, confided information included) with the consent named as the reason, never the
health note; after the withdrawal nothing again. A consent that would pass health data to the
Ausländerbehörde is refused with its citation.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.core.management import call_command

from lotse.demo.city import DEMO_PASSWORD

from .conftest import assert_accessible

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ENTRUSTED_TEXT = "Mother confided that the father has been violent at home since spring."
HEALTH_TEXT = "Asthma; the inhaler prescription runs out at the end of the month."
KIM = "Ressort Zuwanderung und Integration – KIM-Case-Management"
ABH = "Ausländerbehörde Wuppertal"
PUBLIC_ID = re.compile(r"P-[0-9A-Z]{4}-[0-9A-Z]{4}")
SIGNED_SCAN = b"%PDF-1.4\n% a scan of the form Ms Haddad signed\n%%EOF\n"


def _english(page: Any, base_url: str) -> None:
    # The German catalogue changes while these journeys are written: read English labels.
    page.context.add_cookies([{"name": "lotse_language", "value": "en", "url": base_url}])


def _log_in(page: Any, base_url: str, username: str) -> None:
    page.goto(base_url + "/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Log in", exact=True).click()
    page.wait_for_url(base_url + "/")


def _log_out(page: Any, base_url: str) -> None:
    page.get_by_role("button", name="Log out").click()
    page.wait_for_url(base_url + "/accounts/login/")


def _choice(container: Any, label: str) -> Any:
    """A checkbox or radio whose label starts with ``label`` (explanations may follow it)."""
    return container.get_by_label(re.compile("^" + re.escape(label)))


def _not_found(page: Any, url: str) -> None:
    response = page.goto(url)
    assert response is not None
    assert response.status == 404, f"{url} answered {response.status}, expected 404"
    assert_accessible(page)


def _record_entry(page: Any, *, category: str, text: str, entrusted: bool) -> None:
    """From the person page: journal panel → quick entry → save."""
    panel = page.get_by_test_id("journal-panel")
    panel.get_by_role("link", name="Record a talk, call or visit").click()
    page.wait_for_url(re.compile(r"/journal/p/P-[0-9A-Z-]+/new/$"))
    assert page.get_by_role("heading", name="Record a talk, call or visit").is_visible()
    assert page.get_by_label("What was it?").input_value() == "talk"
    topic = page.get_by_role("group", name="What is it about?")
    _choice(topic, category).check()
    confided = page.get_by_label("Confided in personal help (§ 65 SGB VIII)")
    if entrusted:
        confided.check()
    else:
        assert not confided.is_checked()
    page.get_by_label("What happened?").fill(text)
    page.wait_for_load_state("networkidle")
    assert_accessible(page)
    page.get_by_role("button", name="Save entry").click()
    page.wait_for_url(re.compile(r"/journal/p/P-[0-9A-Z-]+/$"))
    assert page.get_by_role("status").filter(has_text="The entry has been saved.").is_visible()


def _consent_form(page: Any, *, recipient: str, categories: list[str]) -> None:
    """From the person page: consent panel → record, filled for ``recipient``."""
    panel = page.get_by_role("region", name="Consent and sharing")
    panel.get_by_role("link", name="Record a consent").click()
    page.wait_for_url(re.compile(r"/consent/p/P-[0-9A-Z-]+/new/$"))
    assert page.get_by_role("heading", name="Record consent").is_visible()
    decision = page.get_by_role("group", name="What did the person decide?")
    # Nothing counts as given before the family has signed: "asked for" is the default.
    assert _choice(decision, "Asked for, not decided yet").is_checked()
    assert _choice(
        page.get_by_role("group", name="Who gives the consent?"), "the person themself"
    ).is_checked()
    _choice(page.get_by_role("group", name="Who may receive the information?"), recipient).check()
    # htmx fetches the firewall note for the chosen recipients; let it land before going on.
    page.wait_for_load_state("networkidle")
    information = page.get_by_role("group", name="Which information?")
    for category in categories:
        _choice(information, category).check()
    _choice(page.get_by_role("group", name="What for?"), "Coordinated case management").check()
    page.wait_for_load_state("networkidle")


def test_confided_information_reaches_kim_only_on_consent_and_never_health(live_server, page):
    # Imported here: without Playwright the journey is skipped by the fixtures, not an error.
    from playwright.sync_api import expect

    call_command("seed_demo", "--families", "0")
    base = live_server.url
    _english(page, base)

    # --- the Jugendamt registers a person and records two notes ------------------------------
    _log_in(page, base, "jugendamt")
    page.goto(base + "/people/register/")
    row = page.locator("fieldset#members-0")
    row.get_by_label("Given names").fill("Layla")
    row.get_by_label("Family name").fill("Haddad")
    row.get_by_label(re.compile(r"^Date of birth")).fill("1990-04-12")
    page.wait_for_load_state("networkidle")
    page.get_by_role("button", name="Register", exact=True).click()
    page.wait_for_url(re.compile(r"/people/p/P-[0-9A-Z-]+/$"))
    public_id = page.get_by_test_id("public-id").inner_text()
    assert PUBLIC_ID.fullmatch(public_id)
    person_url = f"{base}/people/p/{public_id}/"
    journal_url = f"{base}/journal/p/{public_id}/"
    assert page.get_by_role("status").filter(has_text="Layla Haddad has been registered.").count()
    assert (
        page.get_by_test_id("journal-panel")
        .get_by_text("No journal entries you may see.")
        .is_visible()
    )
    assert_accessible(page)

    _record_entry(page, category="Family and youth welfare", text=ENTRUSTED_TEXT, entrusted=True)
    assert_accessible(page)  # the person's journal
    page.get_by_role("link", name="Back to the person").click()
    page.wait_for_url(person_url)
    _record_entry(page, category="Health", text=HEALTH_TEXT, entrusted=False)
    entries = page.get_by_test_id("journal-entry")
    assert entries.count() == 2
    confided = entries.filter(has_text=ENTRUSTED_TEXT)
    assert "Family and youth welfare" in confided.inner_text()
    assert "confided (§ 65 SGB VIII)" in confided.inner_text()
    _log_out(page, base)

    # --- KIM: without consent, the person does not exist -----------------------------------
    _log_in(page, base, "kim")
    _not_found(page, person_url)
    _not_found(page, journal_url)
    page.goto(base + "/people/search/?q=Layla+Haddad")
    assert page.get_by_role("heading", name="0 persons found").is_visible()
    assert page.get_by_text("Nobody found.").is_visible()
    assert public_id not in page.content()
    assert_accessible(page)
    _log_out(page, base)

    # --- the Jugendamt records the consent for KIM ---------------------------------------------
    _log_in(page, base, "jugendamt")
    page.goto(person_url)
    _consent_form(
        page, recipient=KIM, categories=["Identity and contact", "Family and youth welfare"]
    )
    page.get_by_label("Includes what the person confided to the Jugendamt").check()
    assert_accessible(page)
    # The form is printed as filled in, before anything is saved, for the family to sign.
    with page.expect_download() as printed:
        page.get_by_role("button", name="Print in German and العربية").click()
    assert printed.value.suggested_filename == f"consent-draft-{public_id}-ar.pdf"
    assert page.url.endswith(f"/consent/p/{public_id}/new/")
    page.get_by_role("button", name="Save consent").click()
    page.wait_for_url(re.compile(r"/consent/\d+/$"))
    consent_url = page.url
    consent_no = consent_url.rstrip("/").rsplit("/", 1)[1]
    # Titled by whose and of when; the number stays beside it as the reference.
    assert page.get_by_role(
        "heading", name=re.compile(r"^Consent of Layla Haddad of ")
    ).is_visible()
    assert f"Consent no. {consent_no}" in page.get_by_test_id("consent-reference").inner_text()
    assert page.get_by_test_id("consent-status").inner_text() == "requested"
    assert page.get_by_test_id("subject").inner_text().startswith("Layla Haddad")
    assert_accessible(page)
    # Signed: the scan is uploaded, and only now does the consent count as given.
    page.get_by_label("Signed form").set_input_files(
        files=[{"name": "signed.pdf", "mimeType": "application/pdf", "buffer": SIGNED_SCAN}]
    )
    with page.expect_navigation(url=consent_url):
        page.get_by_role("button", name="Consent given").click()
    assert page.get_by_test_id("consent-status").inner_text() == "given"
    assert page.get_by_test_id("recipients").inner_text() == KIM
    assert page.get_by_test_id("categories").inner_text() == (
        "Identity and contact, Family and youth welfare"
    )
    assert_accessible(page)
    _log_out(page, base)

    # --- KIM sees the confided talk, with the consent as the reason; never the health note ---
    _log_in(page, base, "kim")
    page.goto(person_url)
    assert page.get_by_role("heading", name="Layla Haddad", level=1).is_visible()
    assert_accessible(page)
    page.goto(base + "/people/search/?q=Layla+Haddad")
    assert page.get_by_role("heading", name="1 person found").is_visible()
    page.goto(journal_url)
    assert page.get_by_role("heading", name="Journal of Layla Haddad").is_visible()
    entries = page.get_by_test_id("journal-entry")
    assert entries.count() == 1
    shared = entries.filter(has_text=ENTRUSTED_TEXT)
    assert shared.count() == 1
    assert "shared" in shared.inner_text()
    assert HEALTH_TEXT not in page.content()
    assert "Asthma" not in page.content()
    why = shared.get_by_test_id("why")
    why.get_by_text("Why do I see this?").click()
    assert why.get_by_text(f"Consent no. {consent_no}, valid until").is_visible()
    assert_accessible(page)
    _log_out(page, base)

    # --- the Jugendamt withdraws the consent ----------------------------------------------------
    _log_in(page, base, "jugendamt")
    page.goto(person_url)
    page.get_by_role("region", name="Consent and sharing").get_by_role(
        "link", name="Consents of this person"
    ).click()
    page.wait_for_url(f"{base}/consent/p/{public_id}/")
    assert_accessible(page)
    page.get_by_test_id("consent-row").filter(has_text=f"Consent no. {consent_no}").get_by_role(
        "link", name=re.compile(r"^Consent of ")
    ).click()
    page.wait_for_url(consent_url)
    page.get_by_label("Reason for the withdrawal").fill("Ms Haddad withdrew her consent by phone.")
    with page.expect_navigation(url=consent_url):
        page.get_by_role("button", name="Withdraw consent").click()
    assert (
        page.get_by_role("status")
        .filter(has_text=f"Consent no. {consent_no} has been withdrawn.")
        .is_visible()
    )
    assert page.get_by_test_id("consent-status").inner_text() == "withdrawn"
    assert page.get_by_text("Ms Haddad withdrew her consent by phone.").is_visible()
    assert page.get_by_role("button", name="Withdraw consent").count() == 0
    assert_accessible(page)
    _log_out(page, base)

    # --- KIM: the journal is gone again -----------------------------------------------------
    _log_in(page, base, "kim")
    _not_found(page, journal_url)
    _not_found(page, person_url)
    page.goto(base + "/")  # the plain 404 page has no header to log out from
    _log_out(page, base)

    # --- health data never reach the Ausländerbehörde, not even by consent -------------------
    _log_in(page, base, "jugendamt")
    page.goto(person_url)
    _consent_form(page, recipient=ABH, categories=["Health"])
    # The note beside the recipients follows the choice (htmx).
    expect(page.get_by_test_id("firewall-note")).to_contain_text(
        "You chose the foreigners' authority (Ausländerbehörde)."
    )
    assert_accessible(page)
    with page.expect_navigation(url=re.compile(r"/consent/p/P-[0-9A-Z-]+/new/$")):
        page.get_by_role("button", name="Save consent").click()
    refusal = page.get_by_test_id("categories-error").inner_text()
    assert f"Not allowed for {ABH}" in refusal
    assert "Health data never reach the foreigners' authority." in refusal
    assert "§ 88 Abs. 2 AufenthG" in refusal
    summary = page.get_by_role("alert").filter(has_text="Please correct")
    assert "§ 88 Abs. 2 AufenthG" in summary.inner_text()
    assert_accessible(page)
    page.goto(f"{base}/consent/p/{public_id}/")
    # Only the withdrawn consent: the one refused by the firewall was never saved.
    assert page.get_by_test_id("consent-row").count() == 1
