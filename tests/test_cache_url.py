import pytest
from django.core.exceptions import ImproperlyConfigured

from amrc.lib.cache_url import parse_cache_url, session_engine


def test_without_a_url_each_process_keeps_its_own_memory_cache():
    config = parse_cache_url("")["default"]

    assert config["BACKEND"] == "django.core.cache.backends.locmem.LocMemCache"


@pytest.mark.parametrize("url", ["", "locmem://"])
def test_the_memory_cache_holds_a_campaign_s_quality_flags_without_culling(url):
    config = parse_cache_url(url)["default"]

    assert config["OPTIONS"]["MAX_ENTRIES"] >= 10_000


def test_a_redis_url_selects_djangos_own_redis_cache():
    config = parse_cache_url("redis://127.0.0.1:6379/2", key_prefix="amrc-test")["default"]

    assert config == {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": "redis://127.0.0.1:6379/2",
        "KEY_PREFIX": "amrc-test",
    }


def test_an_unknown_scheme_is_refused_at_start():
    with pytest.raises(ImproperlyConfigured, match="CACHE_URL"):
        parse_cache_url("memcached://127.0.0.1:11211")


@pytest.mark.parametrize("url", ["redis://127.0.0.1:6379/2", "rediss://cache.internal:6380/0"])
def test_sessions_are_read_from_a_shared_cache(url):
    assert session_engine(url) == "django.contrib.sessions.backends.cached_db"


@pytest.mark.parametrize("url", ["", "locmem://", "dummy://"])
def test_sessions_stay_in_the_database_without_a_shared_cache(url):
    # A logout in one process would leave the session alive in another's memory.
    assert session_engine(url) == "django.contrib.sessions.backends.db"
