"""Configuration comes from the environment: development needs nothing, production refuses to
start without its secrets or with mail that would not be sent."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from amrc.lib.email_url import parse_email_url
from amrc.lib.env import env_bool, env_int, env_list

BASE_DIR = Path(__file__).resolve().parent.parent


PRODUCTION_KEY = "une-cle-longue-et-secrete-pour-la-production"
SMTP = "smtp+tls://plateforme:secret@smtp.example.ma:587"
_VARIABLES_UNDER_TEST = {"SECRET_KEY", "DEBUG", "EMAIL_URL", "ALLOW_CONSOLE_EMAIL", "BEHIND_PROXY", "LOG_FORMAT"}


def _import_settings(*, code: str = "import amrc.settings", **env: str) -> subprocess.CompletedProcess:
    """Import the settings in a fresh interpreter: they are read once, at import."""
    clean = {key: value for key, value in os.environ.items() if key not in _VARIABLES_UNDER_TEST}
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=BASE_DIR,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_production_refuses_to_start_without_a_secret_key():
    result = _import_settings(DEBUG="0")

    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert "SECRET_KEY" in result.stderr


def test_production_starts_with_a_secret_key_and_a_mail_server():
    result = _import_settings(DEBUG="0", SECRET_KEY=PRODUCTION_KEY, EMAIL_URL=SMTP)

    assert result.returncode == 0, result.stderr


def test_development_starts_with_no_variable_at_all():
    result = _import_settings(DEBUG="1")

    assert result.returncode == 0, result.stderr


def test_a_debug_value_that_is_not_a_boolean_stops_the_start():
    result = _import_settings(DEBUG="peut-etre", SECRET_KEY="x" * 50)

    assert result.returncode != 0
    assert "DEBUG must be a boolean" in result.stderr


def test_production_refuses_to_start_with_mail_written_to_the_console():
    result = _import_settings(DEBUG="0", SECRET_KEY=PRODUCTION_KEY, EMAIL_URL="console://")

    assert result.returncode != 0
    assert "ImproperlyConfigured: EMAIL_URL must name a mail server" in result.stderr
    assert "ALLOW_CONSOLE_EMAIL=1" in result.stderr


def test_production_refuses_to_start_without_any_e_mail_url():
    result = _import_settings(DEBUG="0", SECRET_KEY=PRODUCTION_KEY)

    assert result.returncode != 0
    assert "EMAIL_URL must name a mail server" in result.stderr


def test_production_refuses_to_start_with_mail_kept_in_memory():
    result = _import_settings(DEBUG="0", SECRET_KEY=PRODUCTION_KEY, EMAIL_URL="locmem://")

    assert result.returncode != 0
    assert "EMAIL_URL must name a mail server" in result.stderr


def test_production_accepts_console_mail_when_explicitly_allowed():
    result = _import_settings(DEBUG="0", SECRET_KEY=PRODUCTION_KEY, EMAIL_URL="console://", ALLOW_CONSOLE_EMAIL="1")

    assert result.returncode == 0, result.stderr


def test_the_mail_url_is_not_kept_as_a_setting_since_it_may_hold_a_password():
    assert (
        _print_setting("hasattr(settings, 'EMAIL_URL')", DEBUG="0", SECRET_KEY=PRODUCTION_KEY, EMAIL_URL=SMTP)
        == "False"
    )


def test_development_writes_mail_to_the_console_without_being_asked():
    result = _print_setting("EMAIL_BACKEND", DEBUG="1")

    assert result == "'django.core.mail.backends.console.EmailBackend'"


def test_the_forwarded_protocol_header_is_not_trusted_without_a_proxy():
    assert _print_setting("SECURE_PROXY_SSL_HEADER", DEBUG="0", SECRET_KEY=PRODUCTION_KEY, EMAIL_URL=SMTP) == "None"


def test_the_forwarded_protocol_header_is_trusted_behind_a_declared_proxy():
    value = _print_setting(
        "SECURE_PROXY_SSL_HEADER", DEBUG="0", SECRET_KEY=PRODUCTION_KEY, EMAIL_URL=SMTP, BEHIND_PROXY="1"
    )

    assert value == "('HTTP_X_FORWARDED_PROTO', 'https')"


def test_logs_are_json_lines_in_production():
    assert _print_setting("LOG_FORMAT", DEBUG="0", SECRET_KEY=PRODUCTION_KEY, EMAIL_URL=SMTP) == "'json'"


def test_logs_are_key_value_lines_in_development():
    assert _print_setting("LOG_FORMAT", DEBUG="1") == "'text'"


def test_an_unknown_log_format_stops_the_start():
    result = _import_settings(DEBUG="1", LOG_FORMAT="xml")

    assert result.returncode != 0
    assert "LOG_FORMAT must be one of json, text" in result.stderr


def test_smtp_with_starttls_is_read_from_the_url():
    config = parse_email_url("smtp+tls://user:pass@smtp.example.ma:587")

    assert config == {
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_HOST": "smtp.example.ma",
        "EMAIL_PORT": 587,
        "EMAIL_HOST_USER": "user",
        "EMAIL_HOST_PASSWORD": "pass",
        "EMAIL_USE_TLS": True,
        "EMAIL_USE_SSL": False,
    }


def test_smtp_credentials_may_be_percent_encoded():
    config = parse_email_url("smtp+ssl://plateforme%40amrc.ma:p%40ss%2Fword@smtp.example.ma")

    assert (config["EMAIL_HOST_USER"], config["EMAIL_HOST_PASSWORD"]) == ("plateforme@amrc.ma", "p@ss/word")
    assert (config["EMAIL_PORT"], config["EMAIL_USE_SSL"]) == (465, True)


def test_the_console_backend_needs_no_host():
    assert parse_email_url("console://") == {"EMAIL_BACKEND": "django.core.mail.backends.console.EmailBackend"}


def test_an_unknown_e_mail_scheme_is_refused():
    with pytest.raises(ImproperlyConfigured, match="EMAIL_URL scheme"):
        parse_email_url("ftp://mail.example.ma")


@pytest.mark.parametrize(("raw", "expected"), [("1", True), ("TRUE", True), ("on", True), ("0", False), ("no", False)])
def test_env_bool_reads_the_usual_spellings(monkeypatch, raw, expected):
    monkeypatch.setenv("AMRC_TEST_FLAG", raw)

    assert env_bool("AMRC_TEST_FLAG") is expected


def test_env_bool_refuses_maybe(monkeypatch):
    monkeypatch.setenv("AMRC_TEST_FLAG", "maybe")

    with pytest.raises(ImproperlyConfigured, match="AMRC_TEST_FLAG must be a boolean"):
        env_bool("AMRC_TEST_FLAG")


def test_env_bool_falls_back_to_its_default_when_unset(monkeypatch):
    monkeypatch.delenv("AMRC_TEST_FLAG", raising=False)

    assert env_bool("AMRC_TEST_FLAG", default=True) is True


def test_env_int_refuses_a_word(monkeypatch):
    monkeypatch.setenv("AMRC_TEST_NUMBER", "soixante")

    with pytest.raises(ImproperlyConfigured):
        env_int("AMRC_TEST_NUMBER", 60)


def test_env_list_splits_on_commas_and_drops_blanks(monkeypatch):
    monkeypatch.setenv("AMRC_TEST_HOSTS", "amrc.ma, www.amrc.ma ,,")

    assert env_list("AMRC_TEST_HOSTS") == ["amrc.ma", "www.amrc.ma"]


def _print_setting(expression: str, **env: str) -> str:
    """repr() of an expression on Django's settings (`LOG_FORMAT`), read in a fresh interpreter."""
    if expression.isidentifier():
        expression = f"settings.{expression}"
    code = f"import django.conf; settings = django.conf.settings; print(repr({expression}))"
    result = _import_settings(code=code, DJANGO_SETTINGS_MODULE="amrc.settings", **env)
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()
