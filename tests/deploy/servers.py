"""The platform as production runs it: gunicorn with deploy/gunicorn.conf.py and DEBUG off, on a
free loopback port, started for a test and always stopped after it; and a small HTTP client that
keeps cookies and reads forms, as a visitor's browser would.

The ports come from TEST_SERVER_PORTS (first-last, 8200-8299 by default), so that several people
sharing a machine can give each a range of their own.
"""

import contextlib
import http.cookiejar
import json
import os
import re
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent.parent
GUNICORN_CONF = BASE_DIR / "deploy" / "gunicorn.conf.py"
START_TIMEOUT = 60
_INHERITED = ("PATH", "HOME", "LANG", "LC_ALL", "TMPDIR")


# Ports already given to a server of this session, which may not have bound them yet.
_given: set[int] = set()


def free_port() -> int:
    first, _, last = os.environ.get("TEST_SERVER_PORTS", "8200-8299").partition("-")
    for port in range(int(first), int(last or first) + 1):
        if port in _given:
            continue
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
            try:
                probe.bind(("127.0.0.1", port))
            except OSError:
                continue
        _given.add(port)
        return port
    raise RuntimeError(f"No free port in TEST_SERVER_PORTS={first}-{last}.")


def production_env(*, static_root: Path, database_url: str, **overrides: str) -> dict[str, str]:
    """The environment of a production app server on loopback: DEBUG off, a real key, structured
    logs; plain HTTP cookies and mail to the log, since loopback has neither TLS nor a mail server."""
    env = {name: os.environ[name] for name in _INHERITED if name in os.environ}
    env.update(
        DEBUG="0",
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="127.0.0.1,localhost",
        ALLOW_CONSOLE_EMAIL="1",
        SECURE_COOKIES="0",
        STATIC_ROOT=str(static_root),
        DATABASE_URL=database_url,
        LOG_FORMAT="json",
        WEB_CONCURRENCY="2",
    )
    env.update(overrides)
    return env


def manage(*args: str, env: dict[str, str], timeout: int = 300) -> subprocess.CompletedProcess:
    result = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    if result.returncode != 0:
        raise AssertionError(f"manage.py {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}")
    return result


@dataclass
class Response:
    status: int
    headers: dict[str, str]
    body: bytes

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", errors="replace")

    def json(self):
        return json.loads(self.body)


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


@dataclass
class Browser:
    """Cookies are kept per host name, not per port, as a browser does: a session opened on one
    server of 127.0.0.1 is presented to the others, as behind a load balancer."""

    cookies: http.cookiejar.CookieJar = field(default_factory=http.cookiejar.CookieJar)

    def __post_init__(self) -> None:
        self._opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.cookies), _NoRedirects)

    def get(self, url: str, *, headers: dict[str, str] | None = None, timeout: float = 30) -> Response:
        return self._open(urllib.request.Request(url, headers=headers or {}), timeout)

    def post(self, url: str, data: dict[str, str], *, timeout: float = 30) -> Response:
        body = urllib.parse.urlencode(data).encode()
        return self._open(urllib.request.Request(url, data=body, method="POST"), timeout)

    def submit(self, url: str, data: dict[str, str], *, action: str | None = None) -> Response:
        """Open the page at `url`, then post its form (to `action`, or back to the page) with the
        page's CSRF token, as a visitor does."""
        page = self.get(url)
        assert page.status == 200, f"{url} answered {page.status}"
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text)
        assert token, f"No CSRF token in {url}"
        return self.post(action or url, {"csrfmiddlewaretoken": token.group(1), **data})

    def _open(self, request: urllib.request.Request, timeout: float) -> Response:
        try:
            with self._opener.open(request, timeout=timeout) as response:
                return Response(response.status, dict(response.headers.items()), response.read())
        except urllib.error.HTTPError as error:
            return Response(error.code, dict(error.headers.items()), error.read())


class Server:
    """One gunicorn master with its workers, in a process group of its own."""

    def __init__(self, env: dict[str, str], log_path: Path) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log_path = log_path
        self._log = log_path.open("wb")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "-c", str(GUNICORN_CONF), "--bind", f"127.0.0.1:{self.port}"],
            cwd=BASE_DIR,
            env=env,
            stdout=self._log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    def wait_until_ready(self, probe: str = "/readyz") -> None:
        deadline = time.monotonic() + START_TIMEOUT
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise AssertionError(f"gunicorn exited with {self.process.returncode}:\n{self.log()}")
            with contextlib.suppress(OSError):
                if Browser().get(f"{self.url}{probe}", timeout=5).status == 200:
                    return
            time.sleep(0.2)
        raise AssertionError(f"gunicorn was not ready within {START_TIMEOUT} s:\n{self.log()}")

    def stop(self) -> None:
        if self.process.poll() is None:
            # TERM to the whole group: the master and its workers finish their requests and exit.
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=10)
        self._log.close()

    def log(self) -> str:
        if not self._log.closed:
            self._log.flush()
        return self.log_path.read_text(errors="replace")

    def access_line(self, response: Response, timeout: float = 10) -> dict:
        """gunicorn's access line of a response: written once the response is sent, so waited for."""
        request_id = response.headers["X-Request-ID"]
        deadline = time.monotonic() + timeout
        while True:
            lines = [
                event
                for event in self.log_events()
                if event.get("logger") == "gunicorn.access" and event.get("request_id") == request_id
            ]
            if lines or time.monotonic() > deadline:
                assert len(lines) == 1, f"{len(lines)} access lines for request {request_id}"
                return lines[0]
            time.sleep(0.05)

    def log_events(self) -> list[dict]:
        """The JSON lines of the log (everything gunicorn and the app wrote is one)."""
        events = []
        for line in self.log().splitlines():
            with contextlib.suppress(ValueError):
                events.append(json.loads(line))
        return events


@contextlib.contextmanager
def running(env: dict[str, str], log_path: Path, *, probe: str = "/readyz") -> Iterator[Server]:
    """A started server, ready when `probe` answers 200; stopped on exit whatever happened."""
    server = Server(env, log_path)
    try:
        server.wait_until_ready(probe)
        yield server
    finally:
        server.stop()
