"""Turn CACHE_URL (redis://host:6379/0, rediss://…, locmem://, dummy://) into Django's CACHES,
and say which session engine it allows.

Without CACHE_URL each process keeps its own cache in memory: right for one process in
development; several app servers need the shared one (Redis) so that what one of them counts or
caches (rate limits, lockouts, rendered bulletins) holds on the others.
"""

from urllib.parse import urlsplit

from django.core.exceptions import ImproperlyConfigured

_LOCMEM = "django.core.cache.backends.locmem.LocMemCache"
_BACKENDS = {
    "redis": "django.core.cache.backends.redis.RedisCache",
    "rediss": "django.core.cache.backends.redis.RedisCache",
    "locmem": _LOCMEM,
    "dummy": "django.core.cache.backends.dummy.DummyCache",
}


# The quality flags keep an entry per declaration assessed (quality.selectors): with Django's
# default of 300 entries, a campaign's list would cull a third of the cache, login and rate-limit
# counters included, at every read. A few megabytes for 20,000 entries.
_LOCMEM_OPTIONS = {"MAX_ENTRIES": 20_000}


def parse_cache_url(url: str, *, key_prefix: str = "amrc") -> dict:
    if not url:
        return {
            "default": {
                "BACKEND": _LOCMEM,
                "LOCATION": "amrc-default",
                "KEY_PREFIX": key_prefix,
                "OPTIONS": _LOCMEM_OPTIONS,
            }
        }
    parts = urlsplit(url)
    if parts.scheme not in _BACKENDS:
        raise ImproperlyConfigured(
            f"CACHE_URL scheme must be one of {', '.join(sorted(_BACKENDS))}, got {parts.scheme!r}."
        )
    config = {"BACKEND": _BACKENDS[parts.scheme], "KEY_PREFIX": key_prefix}
    if parts.scheme.startswith("redis"):
        config["LOCATION"] = url
    elif parts.scheme == "locmem":
        config["LOCATION"] = parts.netloc or "amrc-default"
        config["OPTIONS"] = _LOCMEM_OPTIONS
    return {"default": config}


def is_shared(url: str) -> bool:
    """Whether CACHE_URL names a cache every app server and worker process sees (Redis)."""
    return urlsplit(url).scheme.startswith("redis") if url else False


_DB_SESSIONS = "django.contrib.sessions.backends.db"
_CACHED_DB_SESSIONS = "django.contrib.sessions.backends.cached_db"


def session_engine(url: str) -> str:
    """Sessions read from the cache, written through to the database, only with a shared cache.

    A logout deletes the session from the database and from the cache of the process that served
    it: with a memory cache per process, the other processes would still hold it and keep the
    visitor logged in there until it expired. With Redis every process sees the deletion.
    """
    return _CACHED_DB_SESSIONS if is_shared(url) else _DB_SESSIONS
