"""``make deploy-test``: Lotse deployed as deploy/README.md says, smoke-tested through the proxy.

Two app nodes behind nginx on a fresh PostgreSQL database with the demo city; over https:
health, the redirect from http, login with the second factor (the demo DPO's fixed secret; a
caseworker's enrolment at first login, then a login with the new app), search, person page,
a journal entry, the API with a token, the headers; then a request loop in which one app node
is killed (SIGKILL) halfway, and every request must still succeed through the other. Prints a
summary, tears everything down (also on failure), exits non-zero on any failure.

    .venv/bin/python deploy/test/deploy_test.py [--families N] [--seconds S]
"""

from __future__ import annotations

import argparse
import re
import socket
import ssl
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime
from zoneinfo import ZoneInfo

from harness import (
    DEMO_DSB_SECRET,
    HOST,
    Browser,
    Deployment,
    DeployTestError,
    Response,
    deployed,
    expect,
    log_in,
    node_health,
    redirect_path,
    say,
    table,
)

# One line of the "lotse" log format in deploy/nginx/lotse.conf.template.
ACCESS_LINE = re.compile(
    r'"(?P<method>[A-Z]+) (?P<path>\S+) [^"]*" (?P<status>\d+) \d+ (?P<seconds>[\d.]+) '
    r'(?P<msec>[\d.]+) "(?P<upstreams>[^"]*)" "(?P<statuses>[^"]*)"'
)
PERSON_LINK = re.compile(r'href="/people/p/(P-[0-9A-Z]{4}-[0-9A-Z]{4})/"')


@dataclass
class Smoke:
    """What the smoke test found and the failover loop reuses."""

    caseworker: Browser
    token: str
    person_id: str
    search_term: str
    checks: list[tuple[str, str]] = field(default_factory=list)

    def passed(self, what: str, detail: str = "") -> None:
        self.checks.append((what, detail))
        say(f"ok  {what}{'  (' + detail + ')' if detail else ''}")


def smoke(deployment: Deployment) -> Smoke:
    say("smoke test through the proxy")
    anonymous = deployment.browser()
    health = expect(anonymous.get("/healthz"), 200, "/healthz through the proxy").json()
    if health != {"status": "ok", "database": "ok", "migrations": "applied"}:
        raise DeployTestError(f"/healthz says {health}")

    # Plain http only redirects to https.
    plain = urllib.request.Request(f"http://{HOST}:{deployment.http_port}/people/")
    try:
        urllib.request.build_opener(_NoFollow).open(plain, timeout=10)
        raise DeployTestError("http answered without redirecting to https")
    except urllib.error.HTTPError as error:
        location = error.headers.get("Location", "")
        if error.code != 301 or location != f"{deployment.base_url}/people/":
            raise DeployTestError(f"http answered {error.code} {location!r}") from None

    # Another host name gets no TLS handshake at all.
    context = ssl.create_default_context(cafile=str(deployment.certificate))
    context.check_hostname = False
    address = ("127.0.0.1", deployment.https_port)
    try:
        with (
            socket.create_connection(address, timeout=5) as raw,
            context.wrap_socket(raw, server_hostname="other.example"),
        ):
            raise DeployTestError("nginx completed a handshake for another host name")
    except ssl.SSLError:
        pass

    # The DPO's account has an app with the demo's published secret: password, then the code.
    dpo = deployment.browser()
    log_in(dpo, "dsb", secret=DEMO_DSB_SECRET)
    start = expect(dpo.get("/"), 200, "start page of dsb after the code")
    if "/accounts/login/" in start.body and "logout" not in start.body:
        raise DeployTestError("dsb is not logged in after the code step")
    expect(dpo.get("/privacy/audit/"), 200, "audit trail of the DPO")

    # A caseworker needs a second factor in production: enrolment at the first login.
    caseworker = deployment.browser()
    secret = log_in(caseworker, "kim")
    if secret is None:
        raise DeployTestError("kim was not led through the enrolment at the first login")
    start = expect(caseworker.get("/"), 200, "start page of kim after the enrolment")

    token = deployment.lotse("create_api_token", "kim", "--days", "1").strip()
    bearer = {"Authorization": f"Bearer {token}"}
    me = expect(caseworker.get("/api/v1/me", headers=bearer), 200, "API /me with a token").json()
    if me.get("username") != "kim":
        raise DeployTestError(f"API /me answered {me}")
    persons = expect(
        caseworker.get("/api/v1/persons?limit=5", headers=bearer), 200, "API persons"
    ).json()
    if not persons["items"]:
        raise DeployTestError("kim sees no person through the API")
    person = persons["items"][0]
    term = person["family_name"]

    found = expect(
        caseworker.get(f"/people/search/?q={urllib.parse.quote(term)}"), 200, "person search"
    )
    hits = PERSON_LINK.findall(found.body)
    if person["id"] not in hits:
        raise DeployTestError(f"searching {term!r} did not find {person['id']} ({hits[:5]})")
    page = expect(caseworker.get(f"/people/p/{person['id']}/"), 200, "person page")
    _check_page_headers(page)

    stylesheet = re.search(r'href="(/static/[^"]+\.css)"', page.body)
    if stylesheet is None:
        raise DeployTestError("the person page links no stylesheet")
    static = expect(caseworker.get(stylesheet.group(1)), 200, "a static file")
    _check_static_headers(static)

    entry_form = expect(
        caseworker.get(f"/journal/p/{person['id']}/new/"), 200, "journal entry form"
    )
    now = datetime.now(ZoneInfo("Europe/Berlin")).strftime("%Y-%m-%dT%H:%M")
    saved = caseworker.post_form(
        f"/journal/p/{person['id']}/new/",
        entry_form,
        {"kind": "talk", "category": "housing", "text": "Deploy test: talk", "occurred_at": now},
    )
    expect(saved, 302, "journal entry saved (POST through the proxy, CSRF with Origin)")
    journal = expect(caseworker.get(redirect_path(saved)), 200, "the person's journal")
    if "Deploy test: talk" not in journal.body:
        raise DeployTestError("the journal does not show the new entry")

    # Log out (the session ends on the server) and in again with the app set up above.
    logout_page = caseworker.get("/")
    expect(caseworker.post_form("/accounts/logout/", logout_page, {}), 302, "logout")
    expect(caseworker.get("/people/search/?q=x"), 302, "a page after the logout")
    again = deployment.browser()
    log_in(again, "kim", secret=secret)
    expect(again.get(f"/people/p/{person['id']}/"), 200, "person page after a second login")

    result = Smoke(caseworker=again, token=token, person_id=person["id"], search_term=term)
    result.passed("/healthz through nginx", "database ok, migrations applied")
    result.passed("http redirects to https; other host names get no TLS handshake")
    result.passed("dsb: password, then the TOTP code (demo secret)")
    result.passed("kim: enrolment of an app at the first login, recovery codes shown")
    result.passed("API with a bearer token", "/api/v1/me, /api/v1/persons")
    result.passed("person search and person page", f"{term!r} → {person['id']}")
    result.passed("headers", "CSP, HSTS, nosniff, frame DENY on pages; static from nginx")
    result.passed("journal entry POST through the proxy, logout, login with the new app")
    return result


class _NoFollow(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: object, **kwargs: object) -> None:
        return None


def _check_page_headers(page: Response) -> None:
    headers = {name.lower(): value for name, value in page.headers.items()}
    csp = headers.get("content-security-policy", "")
    if "default-src 'self'" not in csp or "frame-ancestors 'none'" not in csp:
        raise DeployTestError(f"the page's CSP is {csp!r}")
    if not headers.get("strict-transport-security", "").startswith("max-age=31536000"):
        raise DeployTestError("the page has no HSTS header")
    if page.headers.get("Strict-Transport-Security", "").count("max-age") > 1:
        raise DeployTestError("HSTS is sent twice")
    if headers.get("x-frame-options") != "DENY" or headers.get("x-content-type-options") != (
        "nosniff"
    ):
        raise DeployTestError("the page lacks X-Frame-Options or X-Content-Type-Options")
    if "secure" not in headers.get("set-cookie", "").lower():
        raise DeployTestError("the session cookie is not marked Secure")


def _check_static_headers(static: Response) -> None:
    headers = {name.lower(): value for name, value in static.headers.items()}
    if "immutable" not in headers.get("cache-control", ""):
        raise DeployTestError(f"static file not cached as immutable: {headers}")
    if "strict-transport-security" not in headers or "content-security-policy" in headers:
        # Django answers with its CSP; nginx's answer has HSTS and no CSP.
        raise DeployTestError(f"the static file did not come from nginx: {headers}")


# --- failover ---------------------------------------------------------------------------------
@dataclass
class Outcome:
    at: float  # time.time() when the request began
    what: str
    status: int | None
    error: str = ""

    @property
    def ok(self) -> bool:
        return self.status is not None and 200 <= self.status < 400


def failover(deployment: Deployment, found: Smoke, *, seconds: float, workers: int) -> bool:
    victim, survivor = deployment.app_nodes[0], deployment.app_nodes[1]
    say(
        f"request loop: {workers} clients for {seconds:.0f} s; app node {victim.address} is "
        f"killed (SIGKILL) after {seconds / 2:.0f} s"
    )
    log_offset = deployment.access_log.stat().st_size
    bearer = {"Authorization": f"Bearer {found.token}"}
    requests = [
        ("person page", f"/people/p/{found.person_id}/", {}),
        ("search", f"/people/search/?q={urllib.parse.quote(found.search_term)}", {}),
        ("API persons", f"/api/v1/persons?q={urllib.parse.quote(found.search_term)}", bearer),
        ("API person", f"/api/v1/persons/{found.person_id}", bearer),
    ]
    outcomes: list[Outcome] = []
    lock = threading.Lock()
    stop_at = time.monotonic() + seconds

    def client(number: int) -> None:
        browser = Browser(deployment.base_url, deployment.certificate)
        for cookie in found.caseworker.cookies:
            browser.cookies.set_cookie(cookie)
        turn = number
        while time.monotonic() < stop_at:
            what, path, headers = requests[turn % len(requests)]
            turn += 1
            began = time.time()
            try:
                status: int | None = browser.get(path, headers=headers, timeout=15).status
                error = ""
            except OSError as exc:
                status, error = None, str(exc)
            with lock:
                outcomes.append(Outcome(began, what, status, error))

    threads = [threading.Thread(target=client, args=(n,)) for n in range(workers)]
    for thread in threads:
        thread.start()
    time.sleep(seconds / 2)
    killed_at = time.time()
    deployment.kill_node(victim)
    say(f"killed app node {victim.address} (SIGKILL to its process group)")
    for thread in threads:
        thread.join()

    after_kill_health = node_health(victim.port)
    proxy_health = deployment.browser().get("/healthz").status
    served = _served_by(deployment, log_offset, killed_at)

    rows = []
    for phase, selected in (
        ("before the kill", [o for o in outcomes if o.at < killed_at]),
        ("after the kill", [o for o in outcomes if o.at >= killed_at]),
        ("all", outcomes),
    ):
        per_node = served[phase]
        rows.append(
            [
                phase,
                len(selected),
                sum(not o.ok for o in selected),
                per_node[victim.address],
                per_node[survivor.address],
                per_node["retried"],
            ]
        )
    print()
    print(
        table(
            [
                "phase",
                "requests",
                "failed",
                f"node {victim.address}",
                f"node {survivor.address}",
                "retried on the other",
            ],
            rows,
        )
    )
    by_kind = Counter(o.what for o in outcomes)
    failures = [o for o in outcomes if not o.ok]
    print(
        "\n"
        + table(
            ["request", "count", "failed"],
            [
                [what, count, sum(o.what == what for o in failures)]
                for what, count in by_kind.items()
            ],
        )
    )
    print()
    for failure in failures[:10]:
        print(f"failed: {failure.what} {failure.status} {failure.error}", file=sys.stderr)

    good = True
    if failures:
        say(f"FAIL: {len(failures)} of {len(outcomes)} requests failed")
        good = False
    if served["before the kill"][victim.address] == 0:
        say(f"FAIL: node {victim.address} served nothing before it was killed")
        good = False
    if served["after the kill"][victim.address] > 0:
        say(f"FAIL: node {victim.address} still answered after it was killed")
        good = False
    if after_kill_health is not None:
        say(f"FAIL: the killed node still answers /healthz ({after_kill_health})")
        good = False
    if proxy_health != 200:
        say(f"FAIL: /healthz through nginx answers {proxy_health} with one node left")
        good = False
    if good:
        say(
            f"ok  {len(outcomes)} requests, 0 failed; after the kill every request was served "
            f"by {survivor.address}"
        )
    return good


def _served_by(deployment: Deployment, offset: int, killed_at: float) -> dict[str, Counter[str]]:
    """Per phase: how many requests each node answered, from nginx's access log."""
    served: dict[str, Counter[str]] = {
        "before the kill": Counter(),
        "after the kill": Counter(),
        "all": Counter(),
    }
    with deployment.access_log.open(encoding="utf-8") as log:
        log.seek(offset)
        for line in log:
            match = ACCESS_LINE.search(line)
            if match is None or match["path"] == "/healthz":
                continue
            began = float(match["msec"]) - float(match["seconds"])
            # After a retry nginx logs "A, B": the last node answered.
            upstreams = [part.strip() for part in match["upstreams"].split(",") if part.strip()]
            if not upstreams:
                continue
            phase = "before the kill" if began < killed_at else "after the kill"
            for counter in (served[phase], served["all"]):
                counter[upstreams[-1]] += 1
                if len(upstreams) > 1:
                    counter["retried"] += 1
    return served


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--families", type=int, default=30, help="size of the demo city")
    parser.add_argument("--seconds", type=float, default=16, help="length of the request loop")
    parser.add_argument("--clients", type=int, default=4, help="parallel clients in the loop")
    args = parser.parse_args()
    sys.stdout.reconfigure(line_buffering=True)  # type: ignore[union-attr]  # tables in order
    began = time.monotonic()
    try:
        with deployed(Deployment(families=args.families)) as deployment:
            found = smoke(deployment)
            good = failover(deployment, found, seconds=args.seconds, workers=args.clients)
    except DeployTestError as error:
        say(f"FAIL: {error}")
        return 1
    say(f"deploy test {'passed' if good else 'FAILED'} in {time.monotonic() - began:.0f} s")
    return 0 if good else 1


if __name__ == "__main__":
    sys.exit(main())
