import logging

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from security.events import security_event


def ratelimited(request: HttpRequest, exception: Exception) -> HttpResponse:
    """What a request beyond a rate limit gets (RATELIMIT_VIEW): a page saying to wait, 429."""
    security_event("rate_limited", request, level=logging.WARNING, method=request.method)
    return render(request, "security/ratelimited.html", status=429)
