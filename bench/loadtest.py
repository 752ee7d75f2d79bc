"""Load benchmark: the application under gunicorn on loopback, each page against a hello-world view.

    make loadtest SCALE_DATABASE_URL=postgres://postgres@127.0.0.1:5432/amrc_scale
    .venv/bin/python bench/loadtest.py --database-url postgres://... [--workers 5] [--clients 8]
        [--seconds 2] [--rounds 5] [--port 8400] [--cache-url redis://127.0.0.1:6379/4] [--output file.md]

The database must hold the data set of `manage.py seed_scale` (the demo's logins, published
bulletins, an open campaign): the benchmark reads it, and only adds the demo member's draft
declaration in the open campaign (as the member would, by opening it) for the declaration form.

It collects the static files, starts `gunicorn amrc.wsgi` with `--workers` sync workers in
production mode (DEBUG off, a throwaway SECRET_KEY) and the hello view mounted (LOADTEST_HELLO),
logs in as the demo member and as staff through the login page, then measures in `--rounds`
interleaved rounds: in each, the hello view first and last, and every page in between (in an
order that changes from round to round), each for `--seconds` seconds under `--clients`
concurrent clients (processes sending HTTP/1.1 requests on raw sockets, as browsers would: gzip
and Brotli accepted). A page's requests per second are given as a share of hello's in the same
round (the mean of the round's two hello measures); the table shows the median over the rounds
of that share (and its range), of the requests per second, and of the p50 and p99 latencies,
with the load average of the machine. Every response must have the expected status. The run
stops by itself, in a few minutes: gunicorn is stopped whatever happens.
"""

import argparse
import json
import multiprocessing
import os
import platform
import random
import re
import secrets
import signal
import socket
import statistics
import subprocess
import sys
import time
import urllib.parse
from base64 import b32decode
from dataclasses import dataclass, field
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
GUNICORN = str(Path(PYTHON).with_name("gunicorn"))
MEMBER_EMAIL = "declarant@atlas-demo.ma"
STAFF_EMAIL = "staff@amrc.ma"
HELLO = "hello"
ACCEPT_ENCODING = "gzip, deflate, br"


@dataclass(frozen=True)
class Target:
    name: str
    path: str
    goal: float | None = None
    cookie: str = ""
    headers: tuple[tuple[str, str], ...] = ()
    status: int = 200


@dataclass
class Sample:
    requests_per_second: float
    p50: float
    p99: float
    count: int


@dataclass
class Measures:
    samples: dict[str, list[Sample]] = field(default_factory=dict)
    ratios: dict[str, list[float]] = field(default_factory=dict)
    load: list[tuple[float, float, float]] = field(default_factory=list)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", default=os.environ.get("DATABASE_URL", ""))
    parser.add_argument("--cache-url", default="", help="CACHE_URL for the server (each worker's memory if empty)")
    parser.add_argument("--workers", type=int, default=5, help="gunicorn sync workers")
    parser.add_argument("--clients", type=int, default=8, help="concurrent clients")
    parser.add_argument("--seconds", type=float, default=2.0, help="length of each measure")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--port", type=int, default=8400)
    parser.add_argument("--output", type=Path, help="also write the report to this file")
    arguments = parser.parse_args()
    if not arguments.database_url.startswith(("postgres://", "postgresql://")):
        parser.error("--database-url (or DATABASE_URL) must name the PostgreSQL database seed_scale filled.")

    environment = {
        **os.environ,
        "DEBUG": "0",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1",
        "DATABASE_URL": arguments.database_url,
        "CACHE_URL": arguments.cache_url,
        "CACHE_KEY_PREFIX": f"loadtest-{secrets.token_hex(4)}",
        "STATIC_ROOT": str(BASE_DIR / "var" / "loadtest-static"),
        "LOADTEST_HELLO": "1",
        "LOG_LEVEL": "WARNING",
        # No mail is sent during the run; production mode otherwise refuses to start without a server.
        "ALLOW_CONSOLE_EMAIL": "1",
    }
    started = time.monotonic()
    collectstatic = [PYTHON, "manage.py", "collectstatic", "--noinput", "--verbosity", "0"]
    subprocess.run(collectstatic, cwd=BASE_DIR, env=environment, check=True)
    ids = _data_set(environment)
    gunicorn = [GUNICORN, "amrc.wsgi", "--workers", str(arguments.workers), "--bind", f"127.0.0.1:{arguments.port}"]
    server = subprocess.Popen(
        [*gunicorn, "--log-level", "warning", "--timeout", "60"],
        cwd=BASE_DIR,
        env=environment,
        start_new_session=True,
    )
    try:
        address = ("127.0.0.1", arguments.port)
        _wait_until_up(address, server)
        targets = _targets(address, ids)
        with multiprocessing.Pool(arguments.clients) as pool:
            measures = _measure(pool, address, targets, arguments)
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
        _forget_cache(arguments.cache_url, environment["CACHE_KEY_PREFIX"])
    report = _report(targets, measures, arguments, ids, time.monotonic() - started)
    print(report)
    if arguments.output:
        arguments.output.write_text(report, encoding="utf-8")


def _forget_cache(cache_url: str, prefix: str) -> None:
    """Remove what the run left in a shared cache: only its own keys (a prefix of its own)."""
    if not cache_url.startswith(("redis://", "rediss://")):
        return
    import redis

    client = redis.Redis.from_url(cache_url)
    for key in client.scan_iter(match=f"{prefix}:*", count=1000):
        client.delete(key)


def _data_set(environment: dict[str, str]) -> dict:
    """What the pages need from the data set (addresses, the open campaign), read once through the
    ORM in a child process, so that this process stays a plain HTTP client."""
    script = """
import json
import django
django.setup()
from bulletins.models import BulletinRevision
from measures.models import Campaign, Declaration, DeclarationMeasure
from members.models import Company
latest = (BulletinRevision.objects.published().latest_per_bulletin()
          .order_by("-bulletin__campaign__period_start").select_related("bulletin").first())
if latest is None:
    raise SystemExit("No published bulletin: run manage.py seed_scale on this database first.")
print(json.dumps({
    "slug": latest.bulletin.slug,
    "revision": latest.number,
    "campaign": Campaign.objects.open().order_by("-period_start").values_list("pk", flat=True).first(),
    "companies": Company.objects.count(),
    "campaigns": Campaign.objects.count(),
    "declarations": Declaration.objects.count(),
    "answers": DeclarationMeasure.objects.count(),
}))
"""
    result = subprocess.run(
        [PYTHON, "-c", script],
        cwd=BASE_DIR,
        env={**environment, "DJANGO_SETTINGS_MODULE": "amrc.settings"},
        capture_output=True,
        text=True,
    )
    if result.returncode:
        raise SystemExit(result.stderr.strip().splitlines()[-1])
    return json.loads(result.stdout)


def _wait_until_up(address: tuple[str, int], server: subprocess.Popen) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit("gunicorn stopped before answering.")
        try:
            if _request(address, "/bench/hello/")[0] == 200:
                return
        except OSError:
            time.sleep(0.2)
    raise SystemExit("gunicorn did not answer within a minute.")


# One HTTP exchange on a raw socket: cheap enough for the client to cost far less than the server.


def _request(
    address: tuple[str, int],
    path: str,
    *,
    method: str = "GET",
    cookie: str = "",
    headers: tuple[tuple[str, str], ...] = (),
    body: bytes = b"",
) -> tuple[int, dict[str, list[str]], bytes]:
    lines = [f"{method} {path} HTTP/1.1", f"Host: {address[0]}", "Connection: close"]
    lines.append(f"Accept-Encoding: {ACCEPT_ENCODING}")
    if cookie:
        lines.append(f"Cookie: {cookie}")
    lines += [f"{name}: {value}" for name, value in headers]
    if body:
        lines += ["Content-Type: application/x-www-form-urlencoded", f"Content-Length: {len(body)}"]
    with socket.create_connection(address) as connection:
        connection.sendall(("\r\n".join(lines) + "\r\n\r\n").encode() + body)
        chunks = []
        while chunk := connection.recv(65536):
            chunks.append(chunk)
    response = b"".join(chunks)
    head, _, content = response.partition(b"\r\n\r\n")
    status_line, *header_lines = head.decode("latin-1").split("\r\n")
    received: dict[str, list[str]] = {}
    for line in header_lines:
        name, _, value = line.partition(":")
        received.setdefault(name.strip().lower(), []).append(value.strip())
    return int(status_line.split()[1]), received, content


def _cookies(received: dict[str, list[str]], jar: dict[str, str]) -> dict[str, str]:
    for header in received.get("set-cookie", []):
        name, _, rest = header.partition("=")
        jar[name] = rest.split(";")[0]
    return jar


def _cookie_header(jar: dict[str, str]) -> str:
    return "; ".join(f"{name}={value}" for name, value in jar.items())


def _post(
    address: tuple[str, int], path: str, jar: dict[str, str], data: dict[str, str], *, form_page: str = ""
) -> tuple[int, dict]:
    """A form POST as a browser sends it: the CSRF cookie, the token from the page that holds the
    form (`form_page`, by default the address posted to), the Referer."""
    status, received, content = _request(address, form_page or path, cookie=_cookie_header(jar))
    _cookies(received, jar)
    token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', content)
    fields = {**data, "csrfmiddlewaretoken": token.group(1).decode() if token else ""}
    status, received, _content = _request(
        address,
        path,
        method="POST",
        cookie=_cookie_header(jar),
        headers=(("Referer", f"http://{address[0]}:{address[1]}{path}"),),
        body=urllib.parse.urlencode(fields).encode(),
    )
    _cookies(received, jar)
    return status, received


def _log_in(address: tuple[str, int], email: str) -> dict[str, str]:
    jar: dict[str, str] = {}
    status, _received = _post(address, "/connexion/", jar, {"username": email, "password": "Secteur-Relation-2020"})
    if status != 302 or "sessionid" not in jar:
        raise SystemExit(f"Could not log in as {email} (status {status}): is this the seed_scale data set?")
    return jar


def _verify_second_factor(address: tuple[str, int], jar: dict[str, str]) -> None:
    """The admin asks staff for a code of their authenticator application: seed_scale gives the
    demo's staff account the demo's published key (demo/sector.py)."""
    sys.path.insert(0, str(BASE_DIR))
    from django_otp.oath import totp

    from demo.sector import DEMO_TOTP_KEY

    code = f"{totp(b32decode(DEMO_TOTP_KEY.replace(' ', ''))):06d}"
    status, _received = _post(address, "/admin/deux-facteurs/", jar, {"code": code})
    if status != 302:
        raise SystemExit(f"Could not give staff's second factor (status {status}).")


def _targets(address: tuple[str, int], ids: dict) -> list[Target]:
    member = _log_in(address, MEMBER_EMAIL)
    staff = _log_in(address, STAFF_EMAIL)
    _verify_second_factor(address, staff)
    # The demo member's declaration in the open campaign, started as the member would.
    status, received = _post(
        address, f"/espace/campagnes/{ids['campaign']}/declarer/", member, {}, form_page="/espace/"
    )
    declaration = received.get("location", [""])[0]
    if status != 302 or "/declarations/" not in declaration:
        raise SystemExit(f"Could not open the member's declaration (status {status}).")
    bulletin = f"/bulletins/{ids['slug']}/"
    revision = f"{bulletin}revisions/{ids['revision']}/"
    etag = _request(address, bulletin)[1]["etag"][0]
    public = 0.8
    return [
        Target(HELLO, "/bench/hello/"),
        Target("bulletin page", bulletin, public),
        Target("bulletin page, 304", bulletin, public, headers=(("If-None-Match", etag),), status=304),
        Target("revision page", revision, public),
        Target("home", "/", public),
        Target("bulletin list", "/bulletins/", public),
        Target("Atom feed", "/bulletins/atom.xml", public),
        Target("JSON download", f"{revision}bulletin.json", public),
        Target("CSV download", f"{revision}bulletin.csv", public),
        Target("series CSV", "/bulletins/serie.csv", public),
        Target("bulletin page, Arabic", f"/ar{bulletin}", public),
        Target("member dashboard", "/espace/", 0.25, cookie=_cookie_header(member)),
        Target("declaration form", urllib.parse.urlsplit(declaration).path, 0.25, cookie=_cookie_header(member)),
        Target("admin: declarations", "/admin/measures/declaration/", cookie=_cookie_header(staff)),
        Target("admin: campaigns", "/admin/measures/campaign/", cookie=_cookie_header(staff)),
    ]


def _client(task: tuple) -> tuple[list[float], list[int]]:
    address, target, deadline = task
    latencies, unexpected = [], []
    while time.monotonic() < deadline:
        started = time.perf_counter()
        status = _request(address, target.path, cookie=target.cookie, headers=target.headers)[0]
        latencies.append(time.perf_counter() - started)
        if status != target.status:
            unexpected.append(status)
    return latencies, unexpected


def _run(pool, address: tuple[str, int], target: Target, seconds: float, clients: int) -> Sample:
    started = time.monotonic()
    deadline = started + seconds
    results = pool.map(_client, [(address, target, deadline)] * clients)
    elapsed = time.monotonic() - started
    latencies = sorted(latency for client_latencies, _unexpected in results for latency in client_latencies)
    unexpected = [status for _latencies, client_unexpected in results for status in client_unexpected]
    if unexpected:
        raise SystemExit(f"{target.name}: {len(unexpected)} responses were not {target.status} ({unexpected[:5]}).")
    return Sample(
        requests_per_second=len(latencies) / elapsed,
        p50=latencies[len(latencies) // 2],
        p99=latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))],
        count=len(latencies),
    )


def _measure(pool, address: tuple[str, int], targets: list[Target], arguments) -> Measures:
    measures = Measures()
    # Warm up: every worker renders and caches each page once, and opens its database connection.
    for target in targets:
        _run(pool, address, target, 0.5, arguments.clients)
    hello, pages = targets[0], targets[1:]
    # A different order in each round, the same in every run: no page always follows hello.
    order = random.Random(2020)
    for _round in range(arguments.rounds):
        measures.load.append(os.getloadavg())
        first = _run(pool, address, hello, arguments.seconds, arguments.clients)
        samples = {
            target.name: _run(pool, address, target, arguments.seconds, arguments.clients)
            for target in order.sample(pages, len(pages))
        }
        last = _run(pool, address, hello, arguments.seconds, arguments.clients)
        reference = (first.requests_per_second + last.requests_per_second) / 2
        measures.samples.setdefault(HELLO, []).extend([first, last])
        for name, sample in samples.items():
            measures.samples.setdefault(name, []).append(sample)
            measures.ratios.setdefault(name, []).append(sample.requests_per_second / reference)
    measures.load.append(os.getloadavg())
    return measures


def _report(targets: list[Target], measures: Measures, arguments, ids: dict, elapsed: float) -> str:
    def median(name: str, attribute: str) -> float:
        return statistics.median(getattr(sample, attribute) for sample in measures.samples[name])

    lines = [
        f"Load benchmark, {time.strftime('%Y-%m-%d %H:%M %Z')}: gunicorn, {arguments.workers} sync workers, "
        f"{arguments.clients} clients, {arguments.rounds} rounds of {arguments.seconds:g} s per page, "
        f"cache: {arguments.cache_url or 'each worker’s own memory'}; {elapsed:.0f} s in all.",
        f"Data: {ids['companies']:,} companies, {ids['campaigns']} campaigns, {ids['declarations']:,} declarations, "
        f"{ids['answers']:,} measure answers.",
        f"Machine: {os.cpu_count()} CPUs ({platform.processor() or platform.machine()}), Python "
        f"{platform.python_version()}; load average at each round's start and at the end: "
        + ", ".join(f"{load[0]:.2f}" for load in measures.load)
        + ".",
        "",
        "| page | requests/s | share of hello's | its range over the rounds | goal | p50 | p99 |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    for target in targets:
        ratios = measures.ratios.get(target.name, [1.0])
        ratio = statistics.median(ratios)
        goal = f"≥ {target.goal:g} {'met' if ratio >= target.goal else 'MISSED'}" if target.goal else ""
        lines.append(
            f"| {target.name} | {median(target.name, 'requests_per_second'):,.0f} | {ratio:.2f} "
            f"| {min(ratios):.2f}–{max(ratios):.2f} | {goal} "
            f"| {median(target.name, 'p50') * 1000:.1f} ms | {median(target.name, 'p99') * 1000:.1f} ms |"
        )
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    main()
