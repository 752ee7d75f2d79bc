"""PostgreSQL drops the app's connections while visitors are reading (a failover, an operator's
pg_terminate_backend, a pooler restart): each terminated connection costs at most the one request
it was serving, which gets the site's 500 page, and the app recovers by itself, since Django checks
a kept connection before reusing it (CONN_HEALTH_CHECKS).

The load is small and bounded (three clients, sixty requests on loopback), and the terminations
are tied to its progress, not to the clock."""

import threading
import time
from collections import Counter
from dataclasses import dataclass, field

import pytest

from tests.deploy import databases
from tests.deploy.servers import Browser, production_env, running

pytestmark = [pytest.mark.server, pytest.mark.postgres]

CLIENTS = 3
REQUESTS_PER_CLIENT = 20
# One backend of the app is terminated each time this many requests have completed.
TERMINATE_AFTER = (8, 16, 24, 32, 40, 48)


@dataclass
class Load:
    base_url: str
    paths: list[str]
    outcomes: list[tuple[str, int | str]] = field(default_factory=list)
    completed: threading.Condition = field(default_factory=threading.Condition)
    finished: bool = False

    def run_client(self, index: int) -> None:
        browser = Browser()
        for number in range(REQUESTS_PER_CLIENT):
            path = self.paths[(index + number) % len(self.paths)]
            try:
                outcome: int | str = browser.get(self.base_url + path, timeout=30).status
            except OSError as error:
                outcome = repr(error)
            with self.completed:
                self.outcomes.append((path, outcome))
                self.completed.notify_all()

    def wait_for(self, count: int) -> bool:
        with self.completed:
            return self.completed.wait_for(lambda: len(self.outcomes) >= count or self.finished, timeout=120)


def _terminate_one_app_backend(database: str, *, wait: float = 15) -> bool:
    """Terminates one of the app's connections, one busy with a query if there is one. Most pages
    are served from the cache without a query, so after earlier terminations no worker may hold a
    connection at this instant: wait for the next one a request opens (/readyz always does)."""
    deadline = time.monotonic() + wait
    while True:
        rows = databases.query(
            "postgres",
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
            " WHERE datname = %s AND backend_type = 'client backend' ORDER BY state = 'active' DESC LIMIT 1",
            [database],
        )
        if rows and rows[0][0]:
            return True
        if time.monotonic() > deadline:
            return False
        time.sleep(0.05)


def _reading_paths(database: str) -> list[str]:
    [(slug, number)] = databases.query(
        database,
        "SELECT b.slug, max(r.number) FROM bulletins_bulletin b JOIN bulletins_bulletinrevision r"
        " ON r.bulletin_id = b.id GROUP BY b.id, b.slug ORDER BY max(r.published_at) DESC LIMIT 1",
    )
    return [
        "/",
        "/bulletins/",
        f"/bulletins/{slug}/",
        f"/bulletins/{slug}/revisions/{number}/bulletin.json",
        "/en/bulletins/",
        "/readyz",
    ]


@pytest.fixture(scope="module")
def app(database_copy, collected_static, tmp_path_factory):
    name, url = database_copy
    env = production_env(static_root=collected_static, database_url=url, CONN_MAX_AGE="60")
    with running(env, tmp_path_factory.mktemp("faults") / "gunicorn.log") as server:
        yield name, server


@pytest.fixture(scope="module")
def terminations_under_load(app):
    """Runs the load, terminating the app's backends at each step; returns what each cost."""
    database, server = app
    load = Load(server.url, _reading_paths(database))
    terminated: list[bool] = []
    clients = [threading.Thread(target=load.run_client, args=(index,)) for index in range(CLIENTS)]
    for client in clients:
        client.start()
    try:
        for count in TERMINATE_AFTER:
            if load.wait_for(count):
                terminated.append(_terminate_one_app_backend(database))
    finally:
        for client in clients:
            client.join(timeout=180)
        load.finished = True
    return load, terminated


def test_the_load_ran_to_its_end(terminations_under_load):
    load, _terminated = terminations_under_load

    assert len(load.outcomes) == CLIENTS * REQUESTS_PER_CLIENT


def test_each_termination_hit_a_connection_the_app_held(terminations_under_load):
    _load, terminated = terminations_under_load

    assert terminated == [True] * len(TERMINATE_AFTER)


def test_each_termination_cost_at_most_one_request(terminations_under_load):
    load, terminated = terminations_under_load

    failed = [(path, outcome) for path, outcome in load.outcomes if outcome != 200]

    assert len(failed) <= len(terminated), failed


def test_a_request_that_lost_its_connection_got_the_500_page_not_a_broken_answer(terminations_under_load):
    load, _terminated = terminations_under_load

    assert set(Counter(outcome for _path, outcome in load.outcomes)) <= {200, 500}


def test_the_app_serves_normally_after_the_terminations(app, terminations_under_load):
    database, server = app
    browser = Browser()

    statuses = [browser.get(server.url + path).status for path in _reading_paths(database) * 2]

    assert statuses == [200] * len(statuses)


def test_a_failed_request_is_logged_as_one_error_line_with_its_id(app, terminations_under_load):
    _database, server = app
    load, _terminated = terminations_under_load
    failures = sum(1 for _path, outcome in load.outcomes if outcome != 200)

    errors = [
        event for event in server.log_events() if event["logger"] == "django.request" and event["level"] == "ERROR"
    ]

    assert len(errors) == failures
    assert all(event.get("request_id") and "exception" in event for event in errors)
