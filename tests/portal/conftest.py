import socket

import pytest
from django.core.cache import caches

from portal.cache import forget_outages

# Nothing listens on port 1: connections are refused at once, as when Redis is stopped.
DEAD_REDIS = "redis://127.0.0.1:1/15"


@pytest.fixture
def use_redis(settings):
    """Point the cache and REDIS_URL at the Redis at ``location``; returns the new cache."""

    def use(location):
        forget_outages()
        settings.REDIS_URL = location
        settings.CACHES = {
            "default": {
                "BACKEND": "portal.cache.ResilientRedisCache",
                "LOCATION": location,
                "KEY_PREFIX": "portal-tests",
            }
        }
        return caches["default"]

    yield use
    forget_outages()


@pytest.fixture
def redis_down(use_redis):
    """Redis is stopped: every connection is refused."""
    return use_redis(DEAD_REDIS)


@pytest.fixture
def hung_redis():
    """A Redis that accepts connections and never answers (overloaded, or a network blackhole)."""
    with socket.create_server(("127.0.0.1", 0), backlog=64) as server:
        yield f"redis://127.0.0.1:{server.getsockname()[1]}/15"
