"""The documented production configuration (deploy/production.env) passes Django's deployment
checks without a single warning, as CI requires."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent.parent
PRODUCTION_ENV = BASE_DIR / "deploy" / "production.env"


def read_env_file(path: Path) -> dict[str, str]:
    """KEY=VALUE lines as systemd's EnvironmentFile= reads them (comments, blank lines, quotes)."""
    env = {}
    for line in path.read_text().splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        key, _, value = line.partition("=")
        if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'":
            value = value[1:-1]
        env[key] = value
    return env


def _check_deploy(env: dict[str, str]) -> subprocess.CompletedProcess:
    inherited = {key: value for key, value in os.environ.items() if key in {"PATH", "HOME", "LANG"}}
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=BASE_DIR,
        env={**inherited, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_the_documented_production_settings_pass_the_deployment_checks_without_a_warning():
    env = {**read_env_file(PRODUCTION_ENV), "SECRET_KEY": secrets.token_urlsafe(50)}

    result = _check_deploy(env)

    assert result.returncode == 0, result.stdout + result.stderr
    # The one silenced check is settings.SILENCED_SYSTEM_CHECKS' django_ratelimit.W001, with its reason.
    assert "System check identified no issues (1 silenced)." in result.stdout


def test_the_deployment_checks_fail_on_a_warning():
    env = {**read_env_file(PRODUCTION_ENV), "SECRET_KEY": secrets.token_urlsafe(50), "SECURE_HSTS_PRELOAD": "0"}

    result = _check_deploy(env)

    assert result.returncode != 0
    assert "security.W021" in result.stderr
