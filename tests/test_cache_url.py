import pytest
from django.core.exceptions import ImproperlyConfigured

from amrc.lib.cache_url import parse_cache_url


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
