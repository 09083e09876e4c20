"""Bring up Lotse as deploy/README.md deploys it, on this machine, and take it down again.

A fresh PostgreSQL database (or a copy of a prepared one), ``LOTSE_ENV=production``, migrate,
the demo city, collectstatic, ``check --deploy``, app nodes (gunicorn with
deploy/gunicorn_conf.py) on loopback ports, and nginx with the site rendered from
deploy/nginx/lotse.conf.template and a self-signed certificate, in the foreground under this
script's control. Everything lives in one temporary directory; :meth:`Deployment.down` removes
processes, directory and database, also after a failure or Ctrl+C.

Standard library only (plus psycopg, which Lotse itself needs), run with the project's Python:
``.venv/bin/python deploy/test/deploy_test.py``.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import html
import http.cookiejar
import json
import os
import re
import secrets
import shutil
import signal
import socket
import ssl
import struct
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator, Sequence
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from pathlib import Path
from types import FrameType
from typing import Any

import psycopg

ROOT = Path(__file__).resolve().parents[2]
DEPLOY = ROOT / "deploy"
BIN = Path(sys.executable).parent
HOST = "localhost"  # the certificate's name; nginx refuses a TLS handshake for any other
# Published demo credentials (lotse/demo/city.py, lotse/demo/twofactor.py, README).
DEMO_PASSWORD = "lotse-demo"  # noqa: S105
DEMO_DSB_SECRET = "LOTSEDEMODSBZWEITERFAKTORDSB2345"  # noqa: S105
POSTGRES_ADMIN_URL = os.environ.get(
    "DEPLOY_TEST_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/postgres"
)

_started = time.monotonic()


def say(message: str) -> None:
    print(f"[{time.monotonic() - _started:6.1f}s] {message}", flush=True)


class DeployTestError(Exception):
    """A step failed; the message says which and why."""


# --- second factor ----------------------------------------------------------------------------
def totp(secret_base32: str, *, step: int | None = None) -> str:
    """The six-digit RFC 6238 code (SHA-1, 30 s) an authenticator app shows for the secret."""
    compact = secret_base32.replace(" ", "").upper()
    key = base64.b32decode(compact + "=" * (-len(compact) % 8))
    counter = current_step() if step is None else step
    digest = hmac.new(key, struct.pack(">Q", counter), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    number = struct.unpack(">I", digest[offset : offset + 4])[0] & 0x7FFFFFFF
    return f"{number % 1_000_000:06d}"


def current_step() -> int:
    return int(time.time() // 30)


# The last time step whose code logged in, per secret: django-otp takes each code once, and
# the next one only after it (it accepts one step ahead for clocks that drift).
_spent_steps: dict[str, int] = {}


def unspent_code(secret: str) -> str:
    step = max(current_step(), _spent_steps.get(secret, 0) + 1)
    while step > current_step() + 1:
        time.sleep(1)
    _spent_steps[secret] = step
    return totp(secret, step=step)


# --- HTTP through the proxy -------------------------------------------------------------------
@dataclass
class Response:
    status: int
    headers: dict[str, str]
    body: str
    elapsed: float

    def json(self) -> Any:
        return json.loads(self.body)


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None  # every redirect is looked at by the caller


class Browser:
    """A cookie-keeping HTTPS client that posts forms the way a browser does (Origin, CSRF)."""

    def __init__(self, base_url: str, cafile: Path) -> None:
        self.base_url = base_url.rstrip("/")
        self.cookies = http.cookiejar.CookieJar()
        context = ssl.create_default_context(cafile=str(cafile))
        self._opener = urllib.request.build_opener(
            urllib.request.HTTPSHandler(context=context),
            urllib.request.HTTPCookieProcessor(self.cookies),
            _NoRedirect,
        )

    def request(
        self,
        method: str,
        path: str,
        *,
        form: dict[str, str] | None = None,
        headers: dict[str, str] | None = None,
        timeout: float = 30,
    ) -> Response:
        url = path if path.startswith("http") else self.base_url + path
        data = urllib.parse.urlencode(form).encode() if form is not None else None
        request = urllib.request.Request(url, data=data, method=method)  # noqa: S310 - https only
        request.add_header("Accept-Language", "de")
        if method != "GET":
            request.add_header("Origin", self.base_url)
            request.add_header("Referer", url)
        for name, value in (headers or {}).items():
            request.add_header(name, value)
        began = time.perf_counter()
        try:
            with self._opener.open(request, timeout=timeout) as answer:
                body = answer.read().decode("utf-8", "replace")
                return Response(
                    answer.status, dict(answer.headers), body, time.perf_counter() - began
                )
        except urllib.error.HTTPError as error:
            body = error.read().decode("utf-8", "replace")
            return Response(error.code, dict(error.headers), body, time.perf_counter() - began)

    def get(self, path: str, **kwargs: Any) -> Response:
        return self.request("GET", path, **kwargs)

    def post_form(self, path: str, page: Response, fields: dict[str, str]) -> Response:
        """Post ``fields`` with the CSRF token of the form ``page`` showed."""
        return self.request("POST", path, form={"csrfmiddlewaretoken": csrf_token(page), **fields})

    def cookie(self, name: str) -> str:
        for cookie in self.cookies:
            if cookie.name == name and cookie.value is not None:
                return cookie.value
        raise DeployTestError(f"no {name} cookie")


def csrf_token(page: Response) -> str:
    match = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.body)
    if not match:
        raise DeployTestError("the page has no form with a CSRF token")
    return match.group(1)


def expect(response: Response, status: int, what: str) -> Response:
    if response.status != status:
        raise DeployTestError(
            f"{what}: expected {status}, got {response.status} ({response.body[:300]!r})"
        )
    return response


def redirect_path(response: Response) -> str:
    location = response.headers.get("Location", "")
    return urllib.parse.urlsplit(location)._replace(scheme="", netloc="").geturl()


def log_in(browser: Browser, username: str, *, secret: str | None = None) -> str | None:
    """Log in through the proxy with password and second factor; returns the TOTP secret.

    With ``secret`` the account has an app: the code step takes its current code (or the next
    one, if the current one was just spent). Without it, a role that needs a second factor is
    led through the enrolment at this first login: the secret is read off the page (as a user
    types it into an app) and confirmed with its code.
    """
    page = expect(browser.get("/accounts/login/"), 200, "login page")
    answer = browser.post_form(
        "/accounts/login/", page, {"username": username, "password": DEMO_PASSWORD}
    )
    expect(answer, 302, f"password step for {username}")
    step = redirect_path(answer)
    if step.startswith("/accounts/login/code/"):
        if secret is None:
            raise DeployTestError(f"{username} is asked for a code, but no secret is known")
        code_page = expect(browser.get(step), 200, "code page")
        done = browser.post_form(step, code_page, {"code": unspent_code(secret)})
        expect(done, 302, f"code step for {username}")
        return secret
    if step.startswith("/accounts/two-factor/set-up/"):
        enrol_page = expect(browser.get(step), 200, "enrolment page")
        found = re.search(r'data-testid="totp-secret">([A-Z2-7 ]+)<', enrol_page.body)
        if not found:
            raise DeployTestError("the enrolment page shows no secret")
        new_secret = found.group(1).replace(" ", "")
        done = browser.post_form(step, enrol_page, {"code": totp(new_secret), "next": "/"})
        # Lotse marks its current step as spent by the enrolment (whichever code confirmed it);
        # taken after the answer, so a step that ended meanwhile counts as spent too.
        _spent_steps[new_secret] = current_step()
        expect(done, 200, f"enrolment of {username}")
        if "recovery" not in done.body.lower() and "wiederherstell" not in done.body.lower():
            raise DeployTestError("the enrolment did not show the recovery codes")
        return new_secret
    if secret is not None:
        raise DeployTestError(f"{username} has an app but was not asked for its code ({step})")
    return None


# --- processes --------------------------------------------------------------------------------
def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _clean_environment() -> dict[str, str]:
    return {
        key: value
        for key, value in os.environ.items()
        if not key.startswith("LOTSE_") and key != "DJANGO_SETTINGS_MODULE"
    }


@dataclass
class Node:
    port: int
    process: subprocess.Popen[bytes]
    log: Path
    killed_at: float | None = None

    @property
    def address(self) -> str:
        return f"127.0.0.1:{self.port}"


@dataclass
class Deployment:
    """Lotse on PostgreSQL, ``nodes`` gunicorn app nodes and nginx, all on loopback."""

    families: int = 30
    nodes: int = 2
    # Copy this database instead of migrating and seeding (make loadtest's cached city).
    template_database: str | None = None
    keep_database: bool = False
    workers: int | None = None
    threads: int | None = None
    extra_environment: dict[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.directory = Path(tempfile.mkdtemp(prefix="lotse-deploy-"))
        # nginx's workers (user nobody when started as root) read the static files from here.
        self.directory.chmod(0o755)
        self.database = f"lotse_deploy_{os.getpid()}_{int(time.time())}"
        self.database_created = False
        self.https_port = free_port()
        self.http_port = free_port()
        self.base_url = f"https://{HOST}:{self.https_port}"
        self.certificate = self.directory / "tls" / "lotse.crt"
        self.app_nodes: list[Node] = []
        self.nginx: subprocess.Popen[bytes] | None = None
        self._background: list[subprocess.Popen[bytes]] = []
        self.environment = self._environment()

    # .. environment .................................................................
    def _environment(self) -> dict[str, str]:
        var = self.directory / "var"
        environment = _clean_environment()
        environment.update(
            {
                "LOTSE_ENV": "production",
                "LOTSE_SECRET_KEY": secrets.token_urlsafe(64),
                "LOTSE_ALLOWED_HOSTS": HOST,
                "LOTSE_BASE_URL": f"https://{HOST}:{self.https_port}",
                "LOTSE_DATABASE_URL": f"{POSTGRES_ADMIN_URL.rsplit('/', 1)[0]}/{self.database}",
                "LOTSE_CACHE_URL": _cache_url(),
                "LOTSE_VAR_DIR": str(var),
                "LOTSE_TRUSTED_PROXY_COUNT": "1",
                "LOTSE_DPO_NAME": "Datenschutzbeauftragte (deploy test)",
                "LOTSE_DPO_ADDRESS": "Rathaus, Musterplatz 1, 12345 Musterstadt",
                "LOTSE_DPO_EMAIL": "datenschutz@example.org",
                "LOTSE_ACCESSIBILITY_FEEDBACK_EMAIL": "barrierefreiheit@example.org",
                "LOTSE_DPO_PHONE": "+49 123 4567-0",
                "LOTSE_LOG_LEVEL": "WARNING",
                "XDG_CACHE_HOME": str(var / "cache"),
                "MPLCONFIGDIR": str(var / "cache" / "matplotlib"),
            }
        )
        if self.workers:
            environment["LOTSE_GUNICORN_WORKERS"] = str(self.workers)
        if self.threads:
            environment["LOTSE_GUNICORN_THREADS"] = str(self.threads)
        environment.update(self.extra_environment)
        return environment

    def lotse(self, *args: str, quiet: bool = True) -> str:
        """Run a ``lotse`` command with the deployment's settings; its stdout."""
        result = subprocess.run(  # noqa: S603 - our own command
            [str(BIN / "lotse"), *args],
            env=self.environment,
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=False,
        )
        if result.returncode != 0:
            raise DeployTestError(
                f"lotse {' '.join(args)} failed ({result.returncode}):\n"
                f"{result.stdout[-2000:]}{result.stderr[-3000:]}"
            )
        if not quiet:
            print(result.stdout, end="", flush=True)
        return result.stdout

    # .. up ..........................................................................
    def up(self) -> None:
        self._create_database()
        # Needs no database: beside migrate and the demo city (compressing takes a while).
        say("collectstatic (in the background)")
        collect_log = self.directory / "collectstatic.log"
        collecting = subprocess.Popen(  # noqa: S603 - our own command
            [str(BIN / "lotse"), "collectstatic", "--no-input", "-v0"],
            env=self.environment,
            cwd=ROOT,
            stdout=collect_log.open("wb"),
            stderr=subprocess.STDOUT,
        )
        self._background.append(collecting)
        if self.template_database is None:
            say("migrate")
            self.lotse("migrate", "--no-input")
            say(f"seed_demo --families {self.families}")
            self.lotse("seed_demo", "--families", str(self.families))
        else:
            say("migrate (nothing to do on the prepared city, or what is new since)")
            self.lotse("migrate", "--no-input")
        self.lotse("createcachetable")
        if collecting.wait() != 0:
            raise DeployTestError(f"lotse collectstatic failed:\n{_tail(collect_log)}")
        say("collectstatic done")
        say("check --deploy")
        checked = self.lotse("check", "--deploy", "--fail-level", "WARNING")
        if "no issues (0 silenced)" not in checked:
            raise DeployTestError(f"check --deploy reported: {checked}")
        self._certificate()
        for _ in range(self.nodes):
            self.app_nodes.append(self._start_node(free_port()))
        for node in self.app_nodes:
            self._wait_for_node(node)
        say(f"app nodes up on {', '.join(node.address for node in self.app_nodes)}")
        self._start_nginx()
        say(f"nginx up on {self.base_url} (http on {self.http_port})")

    def _admin(self) -> psycopg.Connection[Any]:
        return psycopg.connect(POSTGRES_ADMIN_URL, autocommit=True)

    def _create_database(self) -> None:
        with self._admin() as connection:
            if self.template_database:
                say(f"database {self.database}: a copy of {self.template_database}")
                connection.execute(
                    f'CREATE DATABASE "{self.database}" TEMPLATE "{self.template_database}"'
                )
            else:
                say(f"database {self.database} (fresh)")
                connection.execute(f'CREATE DATABASE "{self.database}"')
        self.database_created = True

    def _certificate(self) -> None:
        self.certificate.parent.mkdir()
        openssl = shutil.which("openssl")
        if openssl is None:
            raise DeployTestError("openssl is not installed")
        subprocess.run(  # noqa: S603
            [
                openssl, "req", "-x509", "-newkey", "ec", "-pkeyopt",
                "ec_paramgen_curve:prime256v1", "-nodes", "-days", "2",
                "-subj", f"/CN={HOST}", "-addext", f"subjectAltName=DNS:{HOST}",
                "-keyout", str(self.certificate.with_suffix(".key")),
                "-out", str(self.certificate),
            ],
            check=True,
            capture_output=True,
        )  # fmt: skip

    def _start_node(self, port: int) -> Node:
        log = self.directory / f"node-{port}.log"
        environment = {**self.environment, "LOTSE_GUNICORN_BIND": f"127.0.0.1:{port}"}
        process = subprocess.Popen(  # noqa: S603
            [str(BIN / "gunicorn"), "--config", str(DEPLOY / "gunicorn_conf.py"), "config.wsgi"],
            env=environment,
            cwd=ROOT,
            stdout=log.open("wb"),
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group: killed as a whole, like a machine
        )
        return Node(port=port, process=process, log=log)

    def _wait_for_node(self, node: Node, timeout: float = 90) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if node.process.poll() is not None:
                raise DeployTestError(f"app node {node.address} exited:\n{_tail(node.log)}")
            if node_health(node.port) == 200:
                return
            time.sleep(0.3)
        raise DeployTestError(f"app node {node.address} did not answer:\n{_tail(node.log)}")

    def _start_nginx(self) -> None:
        sys.path.insert(0, str(DEPLOY))
        from render_nginx import render

        nginx_dir = self.directory / "nginx"
        nginx_dir.mkdir()
        site = render(
            server_name=HOST,
            nodes=[node.address for node in self.app_nodes],
            certificate=str(self.certificate),
            certificate_key=str(self.certificate.with_suffix(".key")),
            static_root=str(self.directory / "var" / "static"),
            https_port=self.https_port,
            http_port=self.http_port,
            listen_address="127.0.0.1",
            log_dir=str(nginx_dir),
            acme_root=str(nginx_dir / "acme"),
        )
        (nginx_dir / "lotse.conf").write_text(site, encoding="utf-8")
        # What Debian's /etc/nginx/nginx.conf provides around a site, pointed at this directory.
        (nginx_dir / "nginx.conf").write_text(
            f"""worker_processes 2;
daemon off;
pid {nginx_dir}/nginx.pid;
error_log {nginx_dir}/error.log warn;
events {{ worker_connections 2048; }}
http {{
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    sendfile on;
    tcp_nopush on;
    client_body_temp_path {nginx_dir}/body;
    proxy_temp_path {nginx_dir}/proxy;
    fastcgi_temp_path {nginx_dir}/fastcgi;
    uwsgi_temp_path {nginx_dir}/uwsgi;
    scgi_temp_path {nginx_dir}/scgi;
    include {nginx_dir}/lotse.conf;
}}
""",
            encoding="utf-8",
        )
        nginx = nginx_binary()
        command = [nginx, "-p", str(nginx_dir), "-c", str(nginx_dir / "nginx.conf")]
        command += ["-e", str(nginx_dir / "error.log")]
        checked = subprocess.run(  # noqa: S603
            [*command, "-t"], capture_output=True, text=True, check=False
        )
        if checked.returncode != 0:
            raise DeployTestError(f"nginx -t refused the rendered site:\n{checked.stderr}")
        self.nginx = subprocess.Popen(  # noqa: S603
            command,
            stdout=(nginx_dir / "stdout.log").open("wb"),
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        deadline = time.monotonic() + 20
        probe = Browser(self.base_url, self.certificate)
        while time.monotonic() < deadline:
            if self.nginx.poll() is not None:
                raise DeployTestError(f"nginx exited:\n{_tail(nginx_dir / 'error.log')}")
            try:
                if probe.get("/healthz", timeout=5).status == 200:
                    return
            except OSError:
                pass
            time.sleep(0.2)
        raise DeployTestError(f"nginx did not answer:\n{_tail(nginx_dir / 'error.log')}")

    @property
    def access_log(self) -> Path:
        return self.directory / "nginx" / "lotse.access.log"

    def browser(self) -> Browser:
        return Browser(self.base_url, self.certificate)

    # .. failures ....................................................................
    def kill_node(self, node: Node) -> None:
        """SIGKILL to the node's whole process group: the machine is gone, mid-request."""
        os.killpg(node.process.pid, signal.SIGKILL)
        node.killed_at = time.monotonic()
        node.process.wait(timeout=10)

    # .. down ........................................................................
    def down(self) -> None:
        for process in self._background:
            if process.poll() is None:
                process.kill()
                process.wait(timeout=10)
        for node in self.app_nodes:
            _stop(node.process, signal.SIGTERM)
        if self.nginx is not None:
            _stop(self.nginx, signal.SIGQUIT)
        if self.database_created and not self.keep_database:
            try:
                with self._admin() as connection:
                    connection.execute(f'DROP DATABASE IF EXISTS "{self.database}" WITH (FORCE)')
                self.database_created = False
            except psycopg.Error as error:
                print(f"could not drop database {self.database}: {error}", file=sys.stderr)
        shutil.rmtree(self.directory, ignore_errors=True)

    def dump_logs(self) -> None:
        for node in self.app_nodes:
            print(f"--- app node {node.address} ---\n{_tail(node.log)}", file=sys.stderr)
        print(f"--- nginx ---\n{_tail(self.directory / 'nginx' / 'error.log')}", file=sys.stderr)


def _stop(process: subprocess.Popen[bytes], first: signal.Signals) -> None:
    if process.poll() is not None:
        return
    try:
        os.killpg(process.pid, first)
        process.wait(timeout=15)
    except (subprocess.TimeoutExpired, ProcessLookupError, PermissionError):
        with suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=10)


def _tail(path: Path, lines: int = 40) -> str:
    try:
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
    except FileNotFoundError:
        return "(no log)"


def _cache_url() -> str:
    """Redis on 127.0.0.1:6379 when it runs (as on this machine and in CI), else the database."""
    configured = os.environ.get("DEPLOY_TEST_CACHE_URL")
    if configured:
        return configured
    try:
        with socket.create_connection(("127.0.0.1", 6379), timeout=1):
            return "redis://127.0.0.1:6379/13"
    except OSError:
        return "db://lotse_cache"


def nginx_binary() -> str:
    found = shutil.which("nginx") or next(
        (path for path in ("/usr/sbin/nginx", "/sbin/nginx") if Path(path).exists()), None
    )
    if found is None:
        raise DeployTestError("nginx is not installed (apt-get install nginx)")
    return found


def node_health(port: int) -> int | None:
    """/healthz of one app node, straight to gunicorn (as the proxy would say: over https)."""
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}/healthz",
        headers={"Host": HOST, "X-Forwarded-Proto": "https"},
    )
    try:
        with urllib.request.urlopen(request, timeout=5) as answer:  # noqa: S310
            return int(answer.status)
    except urllib.error.HTTPError as error:
        return error.code
    except OSError:
        return None


@contextmanager
def deployed(deployment: Deployment) -> Iterator[Deployment]:
    """Up, yield, and down whatever happens (an exception, SIGTERM or Ctrl+C)."""

    def stop(signum: int, frame: FrameType | None) -> None:
        raise KeyboardInterrupt(f"signal {signum}")

    previous = signal.signal(signal.SIGTERM, stop)
    try:
        try:
            deployment.up()
            yield deployment
        except BaseException:
            deployment.dump_logs()
            raise
    finally:
        say("tearing down: app nodes, nginx, temporary directory, database")
        deployment.down()
        signal.signal(signal.SIGTERM, previous)


def table(headers: Sequence[str], rows: Sequence[Sequence[object]]) -> str:
    cells = [[str(header) for header in headers]] + [[str(cell) for cell in row] for row in rows]
    widths = [max(len(row[i]) for row in cells) for i in range(len(headers))]

    def line(row: list[str]) -> str:
        return (
            "| "
            + " | ".join(
                cell.ljust(width) if i == 0 else cell.rjust(width)
                for i, (cell, width) in enumerate(zip(row, widths, strict=True))
            )
            + " |"
        )

    rule = "|" + "|".join("-" * (width + 2) for width in widths) + "|"
    return "\n".join([line(cells[0]), rule, *(line(row) for row in cells[1:])])


def unescape(text: str) -> str:
    return html.unescape(text)
