"""``make loadtest``: a mixed caseworker load on the two-node deployment with the 100k-person city.

The deployment comes up as in ``make deploy-test`` (deploy/test/harness.py), on a copy of the
database ``lotse_loadtest_city`` — the demo city with 40,000 families (about 100,000 persons),
built once with ``lotse seed_demo`` and kept between runs (``--rebuild-city`` builds it anew;
drop it with ``dropdb lotse_loadtest_city`` when done). Caseworkers log in through the proxy
with their second factor (enrolled at the first login, as production requires), then wrk
(Debian; C and LuaJIT, so the load generator takes little of the two cores) sends, over
keep-alive https connections through nginx, five scenarios at once, one wrk process each:

    search   GET /people/search/?q=<a family name the caseworker may see>
    person   GET /people/p/<id>/                   the person page
    journal  POST /journal/p/<id>/new/             a new journal entry (talk, housing)
    consent  GET /consent/p/<id>/                  the person's consents
    api      GET /api/v1/persons/<id>, /api/v1/persons?q=   with a bearer token

First a steady run, then the same with one app node killed (SIGKILL) halfway. Prints req/s,
p50/p95/p99 and errors per scenario, and where the CPU time went. Loopback only.

    .venv/bin/python deploy/test/loadtest.py [--seconds 60] [--connections 16]
"""

from __future__ import annotations

import argparse
import bisect
import json
import os
import re
import shutil
import subprocess
import sys
import threading
import time
import urllib.parse
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import psycopg
from harness import (
    BIN,
    POSTGRES_ADMIN_URL,
    ROOT,
    Deployment,
    DeployTestError,
    csrf_token,
    deployed,
    expect,
    log_in,
    say,
    table,
)

CITY = "lotse_loadtest_city"
CITY_FAMILIES = 40_000  # about 2.5 persons per family: the 100,000-person city of `make bench`
WRK_SCRIPT = Path(__file__).resolve().parent / "wrk" / "lotse.lua"
# Connections per scenario, out of every 16: what a caseworker's day looks like, roughly.
MIX = {"search": 4, "person": 4, "journal": 2, "consent": 2, "api": 4}
PERSON_ID = re.compile(r"^P-[0-9A-Z]{4}-[0-9A-Z]{4}$")


# --- the city -----------------------------------------------------------------------------------
def _admin() -> psycopg.Connection[Any]:
    return psycopg.connect(POSTGRES_ADMIN_URL, autocommit=True)


def _database_exists(name: str) -> bool:
    with _admin() as connection:
        row = connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
    return row is not None


def ensure_city(*, rebuild: bool, families: int) -> None:
    """The prepared city, built under another name and renamed once complete."""
    if _database_exists(CITY) and not rebuild:
        say(f"reusing the prepared city in database {CITY} (--rebuild-city builds it anew)")
        return
    building = f"{CITY}_building"
    began = time.monotonic()
    with _admin() as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{building}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{building}"')
    say(f"building the city: {families:,} families in database {building} (once)")
    environment = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith("LOTSE_") and key != "DJANGO_SETTINGS_MODULE"
    }
    var = Path(f"/tmp/{building}")  # noqa: S108 - scratch for the seeding command only
    environment.update(
        {
            "LOTSE_ENV": "development",
            "LOTSE_DATABASE_URL": f"{POSTGRES_ADMIN_URL.rsplit('/', 1)[0]}/{building}",
            "LOTSE_VAR_DIR": str(var),
            "LOTSE_LOG_LEVEL": "WARNING",
        }
    )
    try:
        for command in (["migrate", "--no-input"], ["seed_demo", "--families", str(families)]):
            subprocess.run(  # noqa: S603 - our own command
                [str(BIN / "lotse"), *command], env=environment, cwd=ROOT, check=True
            )
        with psycopg.connect(environment["LOTSE_DATABASE_URL"], autocommit=True) as connection:
            connection.execute("VACUUM ANALYZE")
        with _admin() as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{CITY}" WITH (FORCE)')
            connection.execute(f'ALTER DATABASE "{building}" RENAME TO "{CITY}"')
    finally:
        shutil.rmtree(var, ignore_errors=True)
    say(f"city built in {time.monotonic() - began:.0f} s")


# --- sessions ----------------------------------------------------------------------------------
@dataclass
class Session:
    username: str
    cookie: str
    csrf: str
    token: str
    persons: list[str]
    terms: list[str]


def caseworkers(deployment: Deployment) -> list[str]:
    url = deployment.environment["LOTSE_DATABASE_URL"]
    with psycopg.connect(url) as connection:
        rows = connection.execute(
            "SELECT DISTINCT u.username FROM accounts_user u "
            "JOIN accounts_membership m ON m.user_id = u.id "
            # The demo accounts with the demo password (statistical staff cannot log in).
            "WHERE m.role = 'caseworker' AND u.is_active AND u.password NOT LIKE '!%%' "
            "ORDER BY u.username"
        ).fetchall()
    return [str(row[0]) for row in rows]


def api_tokens(deployment: Deployment, usernames: list[str]) -> dict[str, str]:
    code = (
        "import json; from lotse.accounts.models import User; "
        "from lotse.accounts.services import api_token_create; "
        f"print(json.dumps({{u.username: api_token_create(user=u, days=1, name='loadtest').raw "
        f"for u in User.objects.filter(username__in={usernames!r})}}))"
    )
    output = deployment.lotse("shell", "-c", code)
    tokens: dict[str, str] = json.loads(output.strip().splitlines()[-1])
    return tokens


def prepare_sessions(deployment: Deployment, *, minimum_persons: int = 30) -> list[Session]:
    """Log every caseworker in through the proxy (with the second factor) and learn their scope."""
    usernames = caseworkers(deployment)
    tokens = api_tokens(deployment, usernames)
    sessions: list[Session] = []
    for username in usernames:
        bearer = {"Authorization": f"Bearer {tokens[username]}"}
        browser = deployment.browser()
        listed = expect(
            browser.get("/api/v1/persons?limit=300", headers=bearer), 200, f"persons of {username}"
        ).json()["items"]
        persons = [item["id"] for item in listed if PERSON_ID.match(item["id"])]
        if len(persons) < minimum_persons:
            continue  # a caseworker with few families adds little but noise
        terms = sorted(
            {
                urllib.parse.quote(item["family_name"])
                for item in listed
                if item["family_name"] and item["family_name"].isascii()
            }
        )
        log_in(browser, username)  # enrolment of an app at the first login, as in production
        form = expect(
            browser.get(f"/journal/p/{persons[0]}/new/"), 200, f"journal form of {username}"
        )
        cookie = "; ".join(
            f"{c.name}={c.value}" for c in browser.cookies if c.value and c.name != "messages"
        )
        sessions.append(
            Session(username, cookie, csrf_token(form), tokens[username], persons, terms)
        )
    if not sessions:
        raise DeployTestError("no caseworker sees enough persons for the load")
    say(
        f"{len(sessions)} caseworkers logged in with their second factor "
        f"({', '.join(s.username for s in sessions)}); "
        f"{sum(len(s.persons) for s in sessions):,} persons in their lists"
    )
    return sessions


def _lua_string(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def write_load_data(deployment: Deployment, sessions: list[Session]) -> Path:
    now = datetime.now(ZoneInfo("Europe/Berlin")).strftime("%Y-%m-%dT%H:%M")
    lines = [
        "return {",
        f"  origin = {_lua_string(deployment.base_url)},",
        f"  now = {_lua_string(urllib.parse.quote(now))},",
        "  sessions = {",
    ]
    for session in sessions:
        persons = ", ".join(_lua_string(p) for p in session.persons)
        terms = ", ".join(_lua_string(t) for t in session.terms)
        lines.append(
            f"    {{ cookie = {_lua_string(session.cookie)}, csrf = {_lua_string(session.csrf)}, "
            f"token = {_lua_string(session.token)}, persons = {{ {persons} }}, "
            f"terms = {{ {terms} }} }},"
        )
    lines += ["  },", "}", ""]
    path = deployment.directory / "load-data.lua"
    path.write_text("\n".join(lines), encoding="utf-8")
    return path


# --- CPU accounting -----------------------------------------------------------------------------
TICKS = os.sysconf("SC_CLK_TCK")


def _process_cpu(pid: int) -> float:
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (FileNotFoundError, ProcessLookupError):
        return 0.0
    return (int(fields[11]) + int(fields[12])) / TICKS  # utime + stime


def _group_pids(pgid: int) -> list[int]:
    pids = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if os.getpgid(int(entry.name)) == pgid:
                    pids.append(int(entry.name))
            except (ProcessLookupError, PermissionError):
                continue
    return pids


def _machine_busy() -> float:
    fields = Path("/proc/stat").read_text().splitlines()[0].split()[1:]
    values = [int(v) for v in fields]
    idle = values[3] + values[4]
    return (sum(values[:8]) - idle) / TICKS


class CpuMeter:
    """CPU seconds of each part of the deployment (and of the rest of the machine)."""

    def __init__(self, deployment: Deployment) -> None:
        self.deployment = deployment
        self.wrk_pgids: list[int] = []

    def _postgres_pids(self) -> list[int]:
        with _admin() as connection:
            rows = connection.execute(
                "SELECT pid FROM pg_stat_activity WHERE datname = %s",
                [self.deployment.database],
            ).fetchall()
        return [int(row[0]) for row in rows]

    def sample(self) -> dict[str, dict[int, float]]:
        parts: dict[str, dict[int, float]] = {}
        for node in self.deployment.app_nodes:
            if node.killed_at is None:
                pids = _group_pids(node.process.pid)
                parts[f"app node {node.port}"] = {pid: _process_cpu(pid) for pid in pids}
        if self.deployment.nginx is not None:
            pids = _group_pids(self.deployment.nginx.pid)
            parts["nginx"] = {pid: _process_cpu(pid) for pid in pids}
        backends = self._postgres_pids()
        parts["PostgreSQL backends (approx.)"] = {pid: _process_cpu(pid) for pid in backends}
        wrk = [pid for pgid in self.wrk_pgids for pid in _group_pids(pgid)]
        parts["wrk"] = {pid: _process_cpu(pid) for pid in wrk}
        parts["machine"] = {0: _machine_busy()}
        return parts


def cpu_rows(
    before: dict[str, dict[int, float]],
    after: dict[str, dict[int, float]],
    *,
    seconds: float,
    requests: int,
) -> list[list[object]]:
    rows: list[list[object]] = []
    ours = 0.0
    for part, samples in after.items():
        if part == "machine":
            continue
        earlier = before.get(part, {})
        used = sum(value - earlier.get(pid, 0.0) for pid, value in samples.items())
        ours += used
        rows.append(_cpu_row(part, used, seconds, requests))
    machine = after["machine"][0] - before["machine"][0]
    rows.append(_cpu_row("rest of the machine (other work)", max(0.0, machine - ours), seconds, 0))
    rows.append(_cpu_row("machine, all", machine, seconds, requests))
    return rows


def _cpu_row(part: str, used: float, seconds: float, requests: int) -> list[object]:
    per_request = f"{1000 * used / requests:.2f}" if requests else "–"
    return [part, f"{used:.1f}", f"{100 * used / seconds:.0f} %", per_request]


# --- wrk ------------------------------------------------------------------------------------------
@dataclass
class Result:
    scenario: str
    requests: int
    seconds: float
    errors: int
    detail: str
    percentiles_us: list[int]

    def percentile_ms(self, p: float) -> float:
        return self.percentiles_us[round(p * 10) - 1] / 1000


def run_mix(
    deployment: Deployment,
    data: Path,
    *,
    seconds: int,
    connections: int,
    kill_after: float | None = None,
    meter: CpuMeter | None = None,
) -> tuple[list[Result], list[list[object]] | None]:
    wrk = shutil.which("wrk")
    if wrk is None:
        raise DeployTestError("wrk is not installed (apt-get install wrk)")
    processes = {}
    for scenario, share in MIX.items():
        count = max(1, round(connections * share / sum(MIX.values())))
        environment = {**os.environ, "LOTSE_LOAD_DATA": str(data), "LOTSE_SCENARIO": scenario}
        command = [wrk, "-t1", f"-c{count}", f"-d{seconds}s", "--timeout", "10s"]
        processes[scenario] = subprocess.Popen(  # noqa: S603
            [*command, "-s", str(WRK_SCRIPT), deployment.base_url],
            env=environment,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            start_new_session=True,
        )
    before = None
    if meter is not None:
        meter.wrk_pgids = [process.pid for process in processes.values()]
        time.sleep(1)  # past the connection set-up
        before = meter.sample()
    if kill_after is not None:
        killer = threading.Timer(kill_after, _kill_first_node, [deployment])
        killer.start()
    results = []
    after = None
    for scenario, process in processes.items():
        output, _ = process.communicate(timeout=seconds + 60)
        if meter is not None and after is None:
            after = meter.sample()  # all wrk processes end together
        line = next((row for row in output.splitlines() if row.startswith("{")), None)
        if process.returncode != 0 or line is None:
            raise DeployTestError(f"wrk ({scenario}) failed:\n{output[-2000:]}")
        found = json.loads(line)
        socket_errors = sum(found[key] for key in ("connect", "read", "write", "timeout"))
        detail = ", ".join(
            f"{key} {found[key]}" for key in ("connect", "read", "write", "timeout") if found[key]
        )
        if found["failed"]:
            detail = (detail + ", " if detail else "") + (
                f"{found['failed']} wrong answers (last {found['last_failed_status']})"
            )
        results.append(
            Result(
                scenario=scenario,
                requests=int(found["requests"]),
                seconds=found["duration_us"] / 1e6,
                errors=int(found["failed"]) + socket_errors,
                detail=detail,
                percentiles_us=[int(v) for v in found["percentiles_us"]],
            )
        )
    cpu = None
    if before is not None and after is not None:
        measured = seconds - 1
        requests = round(sum(r.requests for r in results) * measured / seconds)
        cpu = cpu_rows(before, after, seconds=measured, requests=requests)
    return results, cpu


def _kill_first_node(deployment: Deployment) -> None:
    victim = deployment.app_nodes[0]
    deployment.kill_node(victim)
    say(f"killed app node {victim.address} (SIGKILL to its process group)")


def _mixture_percentile(results: list[Result], p: float) -> float:
    """The percentile of all requests together, from each scenario's percentiles."""
    total = sum(r.requests for r in results)
    candidates = sorted({v for r in results for v in r.percentiles_us})

    def share_below(x: int) -> float:
        return sum(
            r.requests * bisect.bisect_right(r.percentiles_us, x) / len(r.percentiles_us)
            for r in results
        ) / max(total, 1)

    low, high = 0, len(candidates) - 1
    while low < high:
        middle = (low + high) // 2
        if share_below(candidates[middle]) * 100 >= p:
            high = middle
        else:
            low = middle + 1
    return candidates[low] / 1000 if candidates else 0.0


def result_table(results: list[Result]) -> str:
    rows: list[list[object]] = []
    for r in results:
        rows.append(
            [
                r.scenario,
                r.requests,
                f"{r.requests / r.seconds:.1f}",
                f"{r.percentile_ms(50):.0f}",
                f"{r.percentile_ms(95):.0f}",
                f"{r.percentile_ms(99):.0f}",
                r.errors,
                r.detail,
            ]
        )
    seconds = max(r.seconds for r in results)
    rows.append(
        [
            "all",
            sum(r.requests for r in results),
            f"{sum(r.requests / r.seconds for r in results):.1f}",
            f"{_mixture_percentile(results, 50):.0f}",
            f"{_mixture_percentile(results, 95):.0f}",
            f"{_mixture_percentile(results, 99):.0f}",
            sum(r.errors for r in results),
            f"{seconds:.0f} s",
        ]
    )
    headers = ["scenario", "requests", "req/s", "p50 ms", "p95 ms", "p99 ms", "errors", ""]
    return table(headers, rows)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=60, help="length of each measured run")
    parser.add_argument("--connections", type=int, default=16, help="wrk connections in all")
    parser.add_argument("--families", type=int, default=CITY_FAMILIES)
    parser.add_argument("--rebuild-city", action="store_true")
    parser.add_argument("--workers", type=int, help="LOTSE_GUNICORN_WORKERS per node")
    parser.add_argument("--threads", type=int, help="LOTSE_GUNICORN_THREADS per worker")
    parser.add_argument("--no-kill", action="store_true", help="skip the run with a node killed")
    args = parser.parse_args()
    sys.stdout.reconfigure(line_buffering=True)  # type: ignore[union-attr]  # tables in order
    began = time.monotonic()
    try:
        ensure_city(rebuild=args.rebuild_city, families=args.families)
        deployment = Deployment(template_database=CITY, workers=args.workers, threads=args.threads)
        with deployed(deployment):
            sessions = prepare_sessions(deployment)
            data = write_load_data(deployment, sessions)
            say("warm-up: 10 s")
            run_mix(deployment, data, seconds=10, connections=args.connections)
            say(f"steady: {args.seconds} s, {args.connections} connections")
            steady, cpu = run_mix(
                deployment,
                data,
                seconds=args.seconds,
                connections=args.connections,
                meter=CpuMeter(deployment),
            )
            print("\nSteady load, two app nodes:\n" + result_table(steady))
            if cpu:
                print(
                    "\nWhere the CPU time went (2 cores):\n"
                    + table(["part", "CPU s", "of one core", "CPU ms per request (of all)"], cpu)
                )
            killed: list[Result] = []
            if not args.no_kill:
                say(f"again, with app node {deployment.app_nodes[0].address} killed halfway")
                killed, _ = run_mix(
                    deployment,
                    data,
                    seconds=args.seconds,
                    connections=args.connections,
                    kill_after=args.seconds / 2,
                )
                print("\nOne app node killed halfway:\n" + result_table(killed))
            print(f"\nload average: {os.getloadavg()[0]:.1f} (1 min) at the end")
    except DeployTestError as error:
        say(f"FAIL: {error}")
        return 1
    say(f"load test done in {time.monotonic() - began:.0f} s")
    return 0 if verdict(steady, killed, connections=args.connections) else 1


def verdict(steady: list[Result], killed: list[Result], *, connections: int) -> bool:
    """Errors fail the run; the issue's figures are reported against the bar."""
    rate = sum(r.requests / r.seconds for r in steady)
    p95 = _mixture_percentile(steady, 95)
    print(
        f"bar (issue 13): >= 300 req/s, p95 <= 250 ms, 0 errors — measured {rate:.0f} req/s, "
        f"p95 {p95:.0f} ms, {sum(r.errors for r in steady)} errors: "
        + ("met" if rate >= 300 and p95 <= 250 else "MISSED")
    )
    good = sum(r.errors for r in steady) == 0
    if killed:
        # Only what was in flight on the killed node may fail: GETs nginx resends to the other
        # node, a POST it had already sent it must not resend (it might have been saved).
        in_flight_posts = max(1, round(connections * MIX["journal"] / sum(MIX.values())))
        get_errors = sum(r.errors for r in killed if r.scenario != "journal")
        post_errors = sum(r.errors for r in killed if r.scenario == "journal")
        ok = get_errors == 0 and post_errors <= in_flight_posts
        print(
            f"node killed: {get_errors} failed GETs, {post_errors} failed POSTs (at most "
            f"{in_flight_posts} were in flight on the killed node): " + ("ok" if ok else "FAILED")
        )
        good = good and ok
    return good


if __name__ == "__main__":
    sys.exit(main())
