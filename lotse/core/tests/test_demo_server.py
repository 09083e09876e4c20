"""The demo server as `make demo` starts it: Lotse's own error pages, static files without DEBUG.

The tests start the real development server (``lotse runserver``) in a subprocess on a free
port, against a freshly migrated SQLite database in a temporary ``LOTSE_VAR_DIR``.
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Generator, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]
LOTSE = str(Path(sys.executable).parent / "lotse")
START_TIMEOUT_SECONDS = 15


@dataclass
class Answer:
    status: int
    content_type: str
    body: str


@dataclass
class Server:
    url: str
    log: Path

    def get(self, path: str) -> Answer:
        try:
            with urllib.request.urlopen(self.url + path, timeout=10) as response:  # noqa: S310
                return Answer(
                    response.status,
                    response.headers.get("Content-Type", ""),
                    response.read().decode("utf-8", "replace"),
                )
        except urllib.error.HTTPError as error:
            return Answer(
                error.code,
                error.headers.get("Content-Type", ""),
                error.read().decode("utf-8", "replace"),
            )

    def output(self) -> str:
        return self.log.read_text(errors="replace")


def _environment(var_dir: Path, **extra: str) -> dict[str, str]:
    """The shell's environment without any LOTSE_* or pytest's settings module."""
    clean = {k: v for k, v in os.environ.items() if not k.startswith("LOTSE_")}
    clean.pop("DJANGO_SETTINGS_MODULE", None)
    clean.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)  # set by the browser tests in this process
    return {**clean, "LOTSE_ENV": "development", "LOTSE_VAR_DIR": str(var_dir), **extra}


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@pytest.fixture(scope="module")
def var_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("var")
    result = subprocess.run(  # noqa: S603 - fixed command
        [LOTSE, "migrate", "--no-input", "-v0"],
        cwd=ROOT,
        env=_environment(path),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr + result.stdout
    return path


def _serve(var_dir: Path, log: Path, **extra: str) -> Generator[Server, None, None]:
    port = _free_port()
    server = Server(f"http://127.0.0.1:{port}", log)
    with log.open("wb") as log_file:
        # As `make demo` runs it; a session of its own, so the autoreloader's child ends too.
        process = subprocess.Popen(  # noqa: S603 - fixed command
            [LOTSE, "runserver", f"127.0.0.1:{port}", "--skip-checks"],
            cwd=ROOT,
            env=_environment(var_dir, **extra),
            stdin=subprocess.DEVNULL,
            stdout=log_file,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        deadline = time.monotonic() + START_TIMEOUT_SECONDS
        while True:
            if process.poll() is not None:
                pytest.fail(f"the server stopped ({process.returncode}):\n{server.output()}")
            try:
                server.get("/healthz")
                break
            except OSError:
                if time.monotonic() > deadline:
                    pytest.fail(f"the server did not answer in time:\n{server.output()}")
                time.sleep(0.1)
        yield server
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=10)


@pytest.fixture(scope="module")
def demo_server(var_dir: Path) -> Iterator[Server]:
    """The demo as `make demo` serves it: LOTSE_DEBUG unset."""
    yield from _serve(var_dir, var_dir / "runserver.log")


def test_a_missing_page_answers_with_lotses_own_404_page(demo_server):
    answer = demo_server.get("/no-such-page")
    assert answer.status == 404, demo_server.output()
    assert answer.content_type.startswith("text/html")
    assert 'lang="de"' in answer.body
    assert "Zum Inhalt springen" in answer.body
    assert "URLconf" not in answer.body
    assert "DEBUG = True" not in answer.body


@pytest.mark.parametrize(
    ("path", "content_type"),
    [
        ("/static/vendor/htmx/htmx.min.js", "text/javascript"),
        ("/static/vendor/kern/kern.min.css", "text/css"),
        ("/static/vendor/kern/fonts/fira-sans.css", "text/css"),
        ("/static/lotse/lotse.css", "text/css"),
    ],
)
def test_static_files_are_served_without_debug_and_without_collectstatic(
    demo_server, path, content_type
):
    answer = demo_server.get(path)
    assert answer.status == 200, demo_server.output()
    assert answer.content_type.split(";")[0].strip() == content_type
    assert answer.body.strip()


def test_the_404_page_links_static_files_that_are_served(demo_server):
    body = demo_server.get("/no-such-page").body
    for path in ("/static/vendor/htmx/htmx.min.js", "/static/vendor/kern/kern.min.css"):
        assert f'"{path}"' in body
    assert not (demo_server.log.parent / "static").exists()  # nothing was collected


def test_lotse_debug_1_shows_djangos_technical_404_page(var_dir):
    servers = _serve(var_dir, var_dir / "runserver-debug.log", LOTSE_DEBUG="1")
    server = next(servers)
    try:
        answer = server.get("/no-such-page")
        assert answer.status == 404, server.output()
        assert "URLconf" in answer.body
        assert "DEBUG = True" in answer.body
    finally:
        servers.close()


def test_a_malformed_lotse_debug_stops_the_start_naming_the_variable(tmp_path):
    result = subprocess.run(
        [sys.executable, "-c", "import config.settings"],
        cwd=ROOT,
        env=_environment(tmp_path, LOTSE_DEBUG="maybe"),
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode != 0
    assert "LOTSE_DEBUG must be true or false, not 'maybe'" in result.stderr
