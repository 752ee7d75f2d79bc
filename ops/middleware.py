"""Tie every log line of a request together: an id per request, on each line the request logs,
on gunicorn's access line and in the response (`X-Request-ID`), so that a visitor's reference or
a proxy's log leads to the application's lines."""

import re
import uuid
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse

from amrc.lib.structured_logging import ENVIRON_LOG_PATH, ENVIRON_REQUEST_ID, current_request_id, redacted_path

# nginx's $request_id is 32 hexadecimal characters; other proxies use UUIDs.
_VALID_ID = re.compile(r"[A-Za-z0-9._-]{1,64}")


class RequestContextMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        # Only a proxy we put in front of the app may name the request; anyone else could fill the
        # logs with ids of their choosing.
        self.trust_incoming_id = settings.BEHIND_PROXY

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request_id = self._incoming_id(request) or uuid.uuid4().hex
        request.META[ENVIRON_REQUEST_ID] = request_id
        token = current_request_id.set(request_id)
        try:
            response = self.get_response(request)
        finally:
            current_request_id.reset(token)
        request.META[ENVIRON_LOG_PATH] = redacted_path(request)
        response["X-Request-ID"] = request_id
        return response

    def _incoming_id(self, request: HttpRequest) -> str | None:
        if not self.trust_incoming_id:
            return None
        value = request.headers.get("X-Request-ID", "")
        return value if _VALID_ID.fullmatch(value) else None
