"""The WSGI entry point that gunicorn loads (amrc.wsgi)."""

import os
import subprocess
import sys
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent.parent


def test_the_server_process_sets_what_it_loaded_apart_from_the_garbage_collector():
    probe = "import gc, amrc.wsgi; print(gc.get_freeze_count())"

    result = subprocess.run(
        [sys.executable, "-c", probe],
        cwd=BASE_DIR,
        env={**os.environ, "DEBUG": "1"},
        capture_output=True,
        text=True,
        timeout=60,
    )

    assert result.returncode == 0, result.stderr
    # Django and the apps' models: tens of thousands of objects a full collection no longer walks.
    assert int(result.stdout) > 10_000
