"""The client's address for lockouts and rate limits: the socket's, or behind TRUSTED_PROXY_COUNT
proxies the address the outermost of them saw, never one the client wrote itself."""

from django.test import RequestFactory

from amrc.lib.client_ip import client_ip


def _request(forwarded: str | None = None):
    extra = {"REMOTE_ADDR": "10.0.0.1"}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **extra)


def test_without_a_proxy_the_socket_address_is_the_client(settings):
    settings.TRUSTED_PROXY_COUNT = 0

    assert client_ip(_request(forwarded="198.51.100.9")) == "10.0.0.1"


def test_behind_one_proxy_the_address_it_appended_is_the_client(settings):
    settings.TRUSTED_PROXY_COUNT = 1

    assert client_ip(_request(forwarded="203.0.113.50")) == "203.0.113.50"


def test_an_address_written_by_the_client_is_not_trusted(settings):
    settings.TRUSTED_PROXY_COUNT = 1

    assert client_ip(_request(forwarded="1.2.3.4, 203.0.113.50")) == "203.0.113.50"


def test_behind_two_proxies_the_outer_proxys_peer_is_the_client(settings):
    settings.TRUSTED_PROXY_COUNT = 2

    assert client_ip(_request(forwarded="1.2.3.4, 203.0.113.50, 10.0.0.2")) == "203.0.113.50"


def test_a_request_that_bypassed_the_proxies_falls_back_to_the_socket(settings):
    settings.TRUSTED_PROXY_COUNT = 2

    assert client_ip(_request(forwarded="203.0.113.50")) == "10.0.0.1"
