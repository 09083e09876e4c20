"""Browser journeys in Debian's Chromium, driven by Playwright (never a downloaded browser).

Without Chromium or Playwright the journeys are skipped with the reason; CI sets
LOTSE_REQUIRE_BROWSER=1 so that a missing browser fails the run instead.
"""

from __future__ import annotations

import base64
import os
import shutil
import threading
import time
from collections.abc import Iterator
from typing import Any

import pytest
from django.core.servers.basehttp import ThreadedWSGIServer
from django.test.testcases import LiveServerThread

# Playwright's sync API runs an event loop in the test thread; Django's ORM refuses to run
# inside one unless told that this test process knows what it is doing.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


class _OneRequestAtATime(ThreadedWSGIServer):
    """The live server, answering one request at a time.

    On SQLite the test database lives in memory and the live server's threads share its one
    connection; two overlapping requests (type-ahead checks fired while typing) would run
    statements on it at once. Real deployments have a connection per thread or process.
    """

    def set_app(self, application: Any) -> None:
        lock = threading.Lock()

        def serially(environ: Any, start_response: Any) -> Any:
            with lock:
                return application(environ, start_response)

        super().set_app(serially)


LiveServerThread.server_class = _OneRequestAtATime  # type: ignore[attr-defined]

CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


def _unavailable(reason: str) -> None:
    if os.environ.get("LOTSE_REQUIRE_BROWSER") == "1":
        pytest.fail(f"Browser tests are required here, but {reason}")
    pytest.skip(f"Browser journey skipped: {reason}")


@pytest.fixture(scope="session")
def chromium() -> Iterator[Any]:
    executable = shutil.which("chromium")
    if executable is None:
        _unavailable("Debian's chromium is not installed (apt-get install chromium).")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _unavailable("the playwright package is not installed.")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=executable, headless=True, args=CHROMIUM_FLAGS
        )
        yield browser
        browser.close()


@pytest.fixture
def page(chromium: Any) -> Iterator[Any]:
    context = chromium.new_context(locale="de-DE")
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


#: The widths every checked page is checked at: a desktop and a phone (390 px, as an iPhone).
CHECKED_WIDTHS = (1280, 390)


def assert_accessible(page: Any) -> None:
    """axe-core on the current page at a desktop's and at a phone's width: no serious or
    critical WCAG violations at either (the viewport is restored afterwards)."""
    viewport = page.viewport_size or {"width": 1280, "height": 720}
    try:
        for width in CHECKED_WIDTHS:
            page.set_viewport_size({"width": width, "height": viewport["height"]})
            _assert_accessible_now(page, width)
    finally:
        page.set_viewport_size(viewport)


def _assert_accessible_now(page: Any, width: int) -> None:
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(
        page,
        options={
            "runOnly": {
                "type": "tag",
                "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"],
            },
            "resultTypes": ["violations"],
        },
    )
    serious = [
        f"{v['id']} ({v['impact']}): {v['help']} – "
        + "; ".join(node["target"][0] for node in v["nodes"][:3])
        for v in results.response["violations"]
        if v.get("impact") in {"serious", "critical"}
    ]
    assert not serious, f"Accessibility violations on {page.url} at {width} px:\n" + "\n".join(
        serious
    )


# --- logging in, with the second step where the account has an app --------------------------

#: The last time step whose code was used per secret: a code logs in once, so a second login
#: within the same 30 seconds waits for the next one.
_USED_STEP: dict[str, int] = {}


def totp_code(secret_base32: str) -> str:
    """The current code of an authenticator app set up with ``secret_base32`` (not one used
    before by this helper: it waits for the next period if need be)."""
    from django_otp.oath import hotp

    step = int(time.time()) // 30
    if _USED_STEP.get(secret_base32, -1) >= step:
        time.sleep(30 - time.time() % 30 + 0.5)
        step = int(time.time()) // 30
    _USED_STEP[secret_base32] = step
    key = base64.b32decode(secret_base32.replace(" ", "").upper())
    return f"{hotp(key, step):06d}"


def log_in(
    page: Any, base_url: str, username: str, password: str | None = None, secret: str = ""
) -> None:
    """Log in through the login page; for an account with an app (the demo's ``dsb`` and
    ``admin``, or ``secret`` given) also through the code step, with the code computed."""
    from lotse.demo.city import DEMO_PASSWORD
    from lotse.demo.twofactor import DEMO_TOTP_SECRETS

    page.goto(base_url + "/accounts/login/")
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill(password or DEMO_PASSWORD)
    page.locator("form:has(#id_username) button[type=submit]").click()
    page.wait_for_load_state()
    secret = secret or DEMO_TOTP_SECRETS.get(username, "")
    if secret and page.url.startswith(base_url + "/accounts/login/code/"):
        page.locator("input[name=code]").fill(totp_code(secret))
        page.get_by_test_id("code-submit").click()
        page.wait_for_load_state()
