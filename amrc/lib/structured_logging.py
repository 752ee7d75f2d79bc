"""One line per event: JSON for a log collector (production), key=value for a terminal (development).

Django's records, gunicorn's (deploy/gunicorn.conf.py) and the platform's own go through these
formatters, so every line carries its time, level, logger, message, the id of the request it
belongs to and the event's own fields. A traceback stays inside its line (escaped), so a collector
never splits one event into many, and a crafted value (a Host header, a path) cannot start a line.

Paths are logged without their query string, and with the secrets some addresses carry
(invitation and password-reset tokens) masked: whoever reads the logs must not be able to accept
an invitation or choose someone's password.
"""

import contextvars
import datetime
import json
import logging
import os
from typing import Any

from django.core.exceptions import ImproperlyConfigured

from amrc.lib.env import env_bool, env_str

FORMATS = ("json", "text")

# URL keyword arguments whose value is a secret: masked wherever a path is logged.
SECRET_URL_KWARGS = frozenset({"token", "uidb64"})

# The id of the request being served in this thread or task, set by ops.middleware.
current_request_id: contextvars.ContextVar[str | None] = contextvars.ContextVar("current_request_id", default=None)
# The request's id and its redacted path, kept in the WSGI environ (the request's META): Django logs
# a 4xx response after the middleware has returned, and gunicorn writes its access line from there.
ENVIRON_REQUEST_ID = "amrc.request_id"
ENVIRON_LOG_PATH = "amrc.log_path"

# Attributes every LogRecord has: whatever else a record carries was passed as `extra`.
_RECORD_ATTRIBUTES = frozenset(vars(logging.LogRecord("", 0, "", 0, "", (), None))) | {"message", "asctime"}
# Extras that are rendered specially (`request`) or would only repeat the message.
_SKIPPED_EXTRAS = frozenset({"request", "server_time"})


def log_format_from_env() -> str:
    """LOG_FORMAT: `json` by default with DEBUG off, `text` (key=value) with DEBUG on."""
    value = env_str("LOG_FORMAT", "text" if env_bool("DEBUG") else "json").strip().lower()
    if value not in FORMATS:
        raise ImproperlyConfigured(f"LOG_FORMAT must be one of {', '.join(FORMATS)}, got {value!r}.")
    return value


def formatter_for(log_format: str) -> logging.Formatter:
    return JsonFormatter() if log_format == "json" else KeyValueFormatter()


def redacted_path(request: Any) -> str:
    """The request's path with the values of secret URL arguments replaced by their names
    (`/compte/invitation/{token}/`). Only a resolved request is known to carry them."""
    path = request.path
    match = getattr(request, "resolver_match", None)
    if match is None:
        return path
    secrets = {str(value): name for name, value in match.kwargs.items() if name in SECRET_URL_KWARGS and value}
    if not secrets:
        return path
    return "/".join(f"{{{secrets[segment]}}}" if segment in secrets else segment for segment in path.split("/"))


def event_fields(record: logging.LogRecord, formatter: logging.Formatter) -> dict[str, Any]:
    """What one record says, as a flat mapping of JSON-friendly values."""
    message = record.getMessage()
    fields: dict[str, Any] = {
        "time": datetime.datetime.fromtimestamp(record.created, datetime.UTC).isoformat(timespec="milliseconds"),
        "level": record.levelname,
        "logger": record.name,
        "message": message,
        "pid": record.process or os.getpid(),
    }
    request = getattr(record, "request", None)
    # Django's records carry the HttpRequest; the development server's carry a socket instead.
    is_http_request = hasattr(request, "method") and hasattr(request, "path") and hasattr(request, "META")
    request_id = (
        getattr(record, "request_id", None)
        or (request.META.get(ENVIRON_REQUEST_ID) if is_http_request else None)
        or current_request_id.get()
    )
    if request_id:
        fields["request_id"] = request_id
    if is_http_request:
        path = redacted_path(request)
        if path != request.path:
            fields["message"] = message.replace(request.path, path)
        fields["method"] = request.method
        fields["path"] = path

    for name, value in vars(record).items():
        if name in _RECORD_ATTRIBUTES or name in _SKIPPED_EXTRAS or name in fields or name.startswith("_"):
            continue
        fields[name] = value if isinstance(value, str | int | float | bool | type(None)) else str(value)

    if record.exc_info:
        fields["exception"] = formatter.formatException(record.exc_info)
    if record.stack_info:
        fields["stack"] = formatter.formatStack(record.stack_info)
    return fields


class JsonFormatter(logging.Formatter):
    """One JSON object per line."""

    def format(self, record: logging.LogRecord) -> str:
        return json.dumps(event_fields(record, self), ensure_ascii=False, default=str)


class KeyValueFormatter(logging.Formatter):
    """`time level logger: message key=value …` on one line, for reading in a terminal."""

    def format(self, record: logging.LogRecord) -> str:
        fields = event_fields(record, self)
        head = f"{fields.pop('time')} {fields.pop('level')} {fields.pop('logger')}: {_one_line(fields.pop('message'))}"
        fields.pop("pid")
        return " ".join([head, *(f"{key}={_quoted(value)}" for key, value in fields.items())])


class WithoutTraceback(logging.Filter):
    """For client errors Django logs with their traceback (a request for a host the site does not
    serve): one warning line, since the traceback shows Django's code, not a fault of the platform's,
    and scanners send such requests by the thousand."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.exc_info = None
        record.exc_text = None
        record.stack_info = None
        record.levelno, record.levelname = logging.WARNING, logging.getLevelName(logging.WARNING)
        return True


def _one_line(text: str) -> str:
    return text.replace("\\", "\\\\").replace("\r", "\\r").replace("\n", "\\n")


def _quoted(value: Any) -> str:
    text = "" if value is None else str(value)
    if text and not any(char.isspace() or char in '"=\\' for char in text):
        return text
    return json.dumps(text, ensure_ascii=False)
