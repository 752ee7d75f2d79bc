"""The address a request comes from, for lockouts, rate limits and security logs.

Behind reverse proxies REMOTE_ADDR is the nearest proxy's address, the same for every visitor:
counted per address, one attacker would then lock everybody out. With TRUSTED_PROXY_COUNT = n,
the n proxies in front of the application each append the address they received the request
from to X-Forwarded-For, so the client is the n-th address from the right; anything further left
was written by the client and cannot be trusted.
"""

from django.conf import settings
from django.http import HttpRequest


def client_ip(request: HttpRequest) -> str:
    remote = request.META.get("REMOTE_ADDR") or ""
    proxies = settings.TRUSTED_PROXY_COUNT
    if proxies <= 0:
        return remote
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
    if len(forwarded) < proxies:
        # The request did not come through every proxy (a direct connection): use the socket's address.
        return remote
    return forwarded[-proxies]
