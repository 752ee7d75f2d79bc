"""Security events (logins, failures, lockouts, second factor, expired sessions, rate limits):
one line each on the `amrc.security` logger, as `key=value` pairs with JSON-quoted values, so a
value typed by an attacker (a user name with a line break) can never forge another line.

Never a password nor a token: callers pass only the fields listed here. The same fields go to
`extra["security_event"]` for a JSON log formatter.
"""

import json
import logging
from typing import Any

from django.http import HttpRequest

from amrc.lib.client_ip import client_ip

logger = logging.getLogger("amrc.security")

# Anything longer is an attack or a mistake: the log keeps enough to recognise it.
MAX_VALUE_LENGTH = 254


def _value(value: Any) -> str:
    if isinstance(value, str) and len(value) > MAX_VALUE_LENGTH:
        value = value[:MAX_VALUE_LENGTH] + "…"
    return json.dumps(value, ensure_ascii=False, default=str)


def security_event(event: str, request: HttpRequest | None, *, level: int = logging.INFO, **fields: Any) -> None:
    data: dict[str, Any] = {"event": event}
    if request is not None:
        data.update(ip=client_ip(request), path=request.path)
    data.update(fields)
    logger.log(
        level,
        " ".join(f"{key}={_value(value)}" for key, value in data.items()),
        extra={"security_event": data},
    )
