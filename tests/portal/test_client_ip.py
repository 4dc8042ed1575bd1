import pytest
from django.test import RequestFactory

from portal.client_ip import client_ip

FORGED = "198.51.100.66"


def request(remote="203.0.113.9", **headers):
    return RequestFactory().get("/", REMOTE_ADDR=remote, **headers)


def test_without_a_proxy_the_connection_address_counts_and_forwarded_headers_do_not(settings):
    settings.PORTAL_CLIENT_IP_HEADER = ""
    settings.PORTAL_TRUSTED_PROXY_COUNT = 0

    assert client_ip(request(HTTP_X_FORWARDED_FOR=FORGED, HTTP_X_REAL_IP=FORGED)) == "203.0.113.9"


def test_behind_one_proxy_only_the_entry_it_appended_counts(settings):
    settings.PORTAL_TRUSTED_PROXY_COUNT = 1
    forged = request(remote="10.0.0.2", HTTP_X_FORWARDED_FOR=f"{FORGED}, 203.0.113.9")

    assert client_ip(forged) == "203.0.113.9"
    assert client_ip(request(remote="10.0.0.2", HTTP_X_FORWARDED_FOR="203.0.113.9")) == (
        "203.0.113.9"
    )


def test_behind_two_proxies_the_outer_ones_entry_counts(settings):
    settings.PORTAL_TRUSTED_PROXY_COUNT = 2
    chain = f"{FORGED}, 203.0.113.9, 10.0.0.5"

    assert client_ip(request(remote="10.0.0.2", HTTP_X_FORWARDED_FOR=chain)) == "203.0.113.9"


def test_a_header_the_proxy_sets_is_read_as_configured(settings):
    settings.PORTAL_CLIENT_IP_HEADER = "HTTP_X_REAL_IP"

    assert client_ip(request(remote="10.0.0.2", HTTP_X_REAL_IP="203.0.113.9")) == "203.0.113.9"


@pytest.mark.parametrize("garbage", ["", "not-an-ip", "203.0.113.9\x00", "1" * 300])
def test_garbage_in_the_header_falls_back_to_the_connection_address(settings, garbage):
    settings.PORTAL_CLIENT_IP_HEADER = "HTTP_X_REAL_IP"

    assert client_ip(request(remote="10.0.0.2", HTTP_X_REAL_IP=garbage)) == "10.0.0.2"


def test_fewer_entries_than_proxies_fall_back_to_the_connection_address(settings):
    settings.PORTAL_TRUSTED_PROXY_COUNT = 2

    assert client_ip(request(remote="10.0.0.2", HTTP_X_FORWARDED_FOR="203.0.113.9")) == ("10.0.0.2")
