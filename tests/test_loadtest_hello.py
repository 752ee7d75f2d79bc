"""The load benchmark's reference page (bench/loadtest.py) exists only when the benchmark asks."""

import os
import subprocess
import sys
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
RESOLVE_HELLO = """
import os
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "amrc.settings")
import django
django.setup()
from django.test import Client
response = Client().get("/bench/hello/")
print(response.status_code, response.content.decode())
"""


def _hello(**env: str) -> str:
    result = subprocess.run(
        [sys.executable, "-c", RESOLVE_HELLO],
        cwd=BASE_DIR,
        env={
            **os.environ,
            "DEBUG": "1",
            "DJANGO_SETTINGS_MODULE": "amrc.settings",
            "ALLOWED_HOSTS": "testserver",
            **env,
        },
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def test_the_hello_page_is_not_served_by_default(anonymous_client, db):
    assert anonymous_client.get("/bench/hello/").status_code == 404


def test_the_load_benchmark_mounts_its_hello_page():
    assert _hello(LOADTEST_HELLO="1") == "200 Hello, world"
