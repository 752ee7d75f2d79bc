"""The platform under gunicorn with DEBUG off, as `make serve` and production run it: every static
file a page links answers, compressed and cached for good; the probes and error pages work; the
access log holds no query string and no token; a configuration that would leak refuses to start."""

import re

import pytest

from tests.deploy.servers import Browser, Server, manage, production_env, running

pytestmark = pytest.mark.server

SECRET = "Zx9-secret-invitation-token-Qw7"
STATIC_LINK = re.compile(r'(?:href|src)="(/static/[^"]+)"')


@pytest.fixture(scope="module")
def site(collected_static, tmp_path_factory):
    directory = tmp_path_factory.mktemp("serving")
    env = production_env(static_root=collected_static, database_url=f"sqlite:///{directory / 'site.sqlite3'}")
    manage("migrate", "--noinput", "--verbosity", "0", env=env)
    with running(env, directory / "gunicorn.log") as server:
        yield server


@pytest.fixture
def browser():
    return Browser()


def _static_links(browser: Browser, url: str) -> list[str]:
    page = browser.get(url)
    assert page.status == 200
    return STATIC_LINK.findall(page.text)


def test_pages_link_static_files_by_their_hashed_names(site, browser):
    links = _static_links(browser, site.url + "/")

    assert any(re.fullmatch(r"/static/css/amrc\.[0-9a-f]{12}\.css", link) for link in links)
    assert any(re.fullmatch(r"/static/bootstrap/css/bootstrap\.min\.[0-9a-f]{12}\.css", link) for link in links)


@pytest.mark.parametrize("path", ["/", "/ar/", "/bulletins/", "/connexion/", "/admin/login/"])
def test_every_static_file_a_page_links_answers(site, browser, path):
    links = _static_links(browser, site.url + path)

    assert links
    assert {link: browser.get(site.url + link).status for link in links} == dict.fromkeys(links, 200)


def test_the_arabic_pages_get_bootstrap_s_right_to_left_build(site, browser):
    links = _static_links(browser, site.url + "/ar/")

    assert any("bootstrap.rtl.min." in link for link in links)


def test_a_hashed_static_file_is_cached_for_good(site, browser):
    [css] = [link for link in _static_links(browser, site.url + "/") if "/css/amrc." in link]

    cache_control = browser.get(site.url + css).headers["Cache-Control"]

    assert "immutable" in cache_control
    assert int(re.search(r"max-age=(\d+)", cache_control).group(1)) >= 365 * 24 * 3600


def test_a_static_file_under_its_plain_name_is_not_cached_for_long(site, browser):
    cache_control = browser.get(site.url + "/static/css/amrc.css").headers["Cache-Control"]

    assert "immutable" not in cache_control


@pytest.mark.parametrize("encoding", ["br", "gzip"])
def test_static_files_are_served_compressed_to_a_browser_that_accepts_it(site, browser, encoding):
    [bootstrap] = [
        link for link in _static_links(browser, site.url + "/") if "bootstrap.min." in link and "css" in link
    ]

    response = browser.get(site.url + bootstrap, headers={"Accept-Encoding": encoding})

    assert response.status == 200
    assert response.headers["Content-Encoding"] == encoding
    assert int(response.headers["Content-Length"]) < 60_000  # the file is 232 kB uncompressed


def test_a_missing_static_file_answers_404(site, browser):
    assert browser.get(site.url + "/static/css/absent.css").status == 404


def test_the_probes_answer_under_gunicorn(site, browser):
    assert browser.get(site.url + "/healthz").json() == {"status": "ok"}
    assert browser.get(site.url + "/readyz").json()["status"] == "ok"


def test_an_unknown_address_gets_the_404_page_with_its_styles(site, browser):
    response = browser.get(site.url + "/cette-page-n-existe-pas/")

    assert response.status == 404
    assert "Page introuvable" in response.text
    assert re.search(r"/static/css/amrc\.[0-9a-f]{12}\.css", response.text)


def test_a_request_for_another_host_gets_the_400_page(site, browser):
    response = browser.get(site.url + "/", headers={"Host": "attaquant.example"})

    assert response.status == 400
    assert "Requête invalide" in response.text


def test_the_access_log_has_one_line_per_request_with_its_id(site, browser):
    response = browser.get(site.url + "/bulletins/")

    line = site.access_line(response)
    assert (line["method"], line["path"], line["status"]) == ("GET", "/bulletins/", 200)
    assert line["duration_ms"] >= 0


def test_the_access_log_holds_neither_query_strings_nor_tokens(site, browser):
    response = browser.get(f"{site.url}/compte/invitation/{SECRET}/?utm_source=lettre&email=amina%40atlas.ma")

    line = site.access_line(response)
    log = site.log()

    assert line["path"] == "/compte/invitation/{token}/"
    assert SECRET not in log
    assert "utm_source" not in log
    assert "amina" not in log


def test_a_request_for_another_host_is_logged_as_one_line(site, browser):
    response = browser.get(site.url + "/", headers={"Host": "scanner.example"})

    lines = [line for line in site.log().splitlines() if "scanner.example" in line]
    assert response.status == 400
    assert len(lines) == 1
    assert '"level": "WARNING"' in lines[0]


def test_a_server_without_its_database_is_alive_but_not_ready(collected_static, tmp_path):
    env = production_env(static_root=collected_static, database_url="postgres://amrc@127.0.0.1:1/absent")
    browser = Browser()

    with running(env, tmp_path / "gunicorn.log", probe="/healthz") as server:
        ready = browser.get(server.url + "/readyz")

    assert ready.status == 503
    assert ready.json()["checks"]["database"] == "unavailable"


def test_gunicorn_refuses_to_start_when_mail_would_go_to_the_log(collected_static, tmp_path):
    env = production_env(static_root=collected_static, database_url=f"sqlite:///{tmp_path / 'site.sqlite3'}")
    del env["ALLOW_CONSOLE_EMAIL"]

    server = Server(env, tmp_path / "gunicorn.log")
    try:
        returncode = server.process.wait(timeout=60)
    finally:
        server.stop()

    assert returncode != 0
    assert "EMAIL_URL must name a mail server" in server.log()


@pytest.mark.parametrize(("behind_proxy", "expected"), [("0", 301), ("1", 200)])
def test_a_forwarded_https_is_believed_only_behind_a_declared_proxy(collected_static, tmp_path, behind_proxy, expected):
    env = production_env(
        static_root=collected_static,
        database_url=f"sqlite:///{tmp_path / 'site.sqlite3'}",
        SECURE_SSL_REDIRECT="1",
        BEHIND_PROXY=behind_proxy,
    )
    manage("migrate", "--noinput", "--verbosity", "0", env=env)

    with running(env, tmp_path / "gunicorn.log") as server:
        response = Browser().get(server.url + "/bulletins/", headers={"X-Forwarded-Proto": "https"})

    assert response.status == expected
