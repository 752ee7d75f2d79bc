"""The platform served as in production (tests/deploy/servers.py): static files collected once for
the session; PostgreSQL tests on throwaway databases copied from one seeded with the demo."""

import pytest

from tests.deploy import databases
from tests.deploy.servers import BASE_DIR, manage, production_env

SEEDED_TEMPLATE_SUFFIX = "_seeded"


def pytest_collection_modifyitems(config, items):
    if databases.uses_postgres():
        return
    skip = pytest.mark.skip(reason="Needs PostgreSQL: run with DATABASE_URL=postgres://… (CI does).")
    for item in items:
        if "postgres" in item.keywords:
            item.add_marker(skip)


@pytest.fixture(scope="session")
def collected_static(tmp_path_factory):
    """collectstatic as production runs it: hashed names, gzip and Brotli copies, a manifest."""
    root = tmp_path_factory.mktemp("staticfiles")
    env = production_env(static_root=root, database_url=f"sqlite:///{root.parent / 'unused.sqlite3'}")
    manage("collectstatic", "--noinput", "--verbosity", "0", env=env)
    return root


@pytest.fixture(scope="session")
def seeded_template():
    """A PostgreSQL database migrated and seeded with the demo (520 companies, ten published weeks),
    built once; each test copies it (CREATE DATABASE … TEMPLATE), which takes a second."""
    name = databases.base_name() + SEEDED_TEMPLATE_SUFFIX
    url = databases.create(name)
    # Development mode for the set-up commands: seed_demo is a development tool.
    env = {**production_env(static_root=BASE_DIR / "staticfiles", database_url=url), "DEBUG": "1"}
    manage("migrate", "--noinput", "--verbosity", "0", env=env)
    manage("seed_demo", "--force", env=env)
    yield name
    databases.drop(name)


@pytest.fixture(scope="module")
def database_copy(seeded_template, request):
    """A copy of the seeded database for one test module, named after it, dropped after it."""
    name = f"{databases.base_name()}_{request.module.__name__.rsplit('.', 1)[-1].removeprefix('test_')}"[:63]
    url = databases.create(name, template=seeded_template)
    yield name, url
    databases.drop(name)
