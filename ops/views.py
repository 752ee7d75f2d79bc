"""Probes for the load balancer and the process supervisor, and the page of an unexpected error.

`/healthz` answers as long as the process serves requests; `/readyz` only when the database (and
the shared cache, which holds the login limits) answer, so that a server which lost them is taken
out of the pool instead of answering 500 to every visitor. Neither reads the session, sets a
cookie, or may be cached."""

import logging
import os
import socket
import uuid

from django.core.cache import cache
from django.db import DatabaseError, connection
from django.http import HttpRequest, HttpResponse, HttpResponseServerError, JsonResponse
from django.template import loader
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from amrc.lib.structured_logging import current_request_id

logger = logging.getLogger(__name__)

# Several app servers share one cache: each probes a key of its own, so that two probes at once
# never read each other's value.
_CACHE_PROBE_KEY = f"ops:readyz:{socket.gethostname()}:{os.getpid()}"


@never_cache
@require_safe
def healthz(request: HttpRequest) -> JsonResponse:
    return JsonResponse({"status": "ok"})


@never_cache
@require_safe
def readyz(request: HttpRequest) -> JsonResponse:
    checks = {"database": _database_answers(), "cache": _cache_answers()}
    ready = all(checks.values())
    return JsonResponse(
        {
            "status": "ok" if ready else "unavailable",
            "checks": {name: "ok" if answered else "unavailable" for name, answered in checks.items()},
        },
        status=200 if ready else 503,
    )


def server_error(request: HttpRequest) -> HttpResponse:
    """Django's handler500, with the request's id on the page so that a visitor can quote it and
    staff find the event in the logs. Rendered without a request context: the error may come from
    the database or the session, which the page must not touch again."""
    template = loader.get_template("500.html")
    return HttpResponseServerError(template.render({"request_id": current_request_id.get()}))


def _database_answers() -> bool:
    """True when a query gets through. A kept connection the server has just dropped (a restart, a
    failover) is not the database being down: it is closed and a fresh one tried once."""
    for attempt in (1, 2):
        try:
            with connection.cursor() as cursor:
                cursor.execute("SELECT 1")
                cursor.fetchone()
        except DatabaseError as error:
            connection.close()
            if attempt == 2:
                logger.warning("Readiness: the database does not answer.", extra={"error": _describe(error)})
        else:
            return True
    return False


def _cache_answers() -> bool:
    value = uuid.uuid4().hex
    try:
        cache.set(_CACHE_PROBE_KEY, value, timeout=30)
        answered = cache.get(_CACHE_PROBE_KEY) == value
    # Each cache backend raises its own errors (redis.ConnectionError, OSError, …): any of them means
    # the cache cannot be relied on.
    except Exception as error:
        logger.warning("Readiness: the cache does not answer.", extra={"error": _describe(error)})
        return False
    if not answered:
        logger.warning("Readiness: the cache did not keep a value.")
    return answered


def _describe(error: Exception) -> str:
    return f"{type(error).__name__}: {str(error).strip()[:200]}"
