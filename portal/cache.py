"""A Redis cache that turns a Redis outage into "no cache" instead of failed pages.

Everything the portal keeps in the cache can be recomputed from the database, so when
Redis is down or unreachable every operation behaves as on an empty cache that keeps
nothing:

- ``get`` returns the default, ``get_many`` ``{}``, ``has_key`` / ``delete`` / ``touch``
  / ``clear`` ``False``; ``set``, ``set_many`` and ``delete_many`` do nothing
  (``set_many`` reports every key as not stored).
- ``add`` returns ``True``, as if the value had been stored and evicted at once. Failing
  open is deliberate: nothing in the portal uses ``add`` as a lock that guards
  correctness, and ``False`` would stall callers that retry until ``add`` succeeds
  (Django's cache session store loops on it).
- ``incr`` / ``decr`` raise ``ValueError``, the error Django's API gives for a missing key.
  Callers already handle it: the comment rate limit (``comments.services._check_rate``)
  then counts the comment as the first of its window, so comments are still stored, just
  not rate limited, while Redis is away.

Short socket timeouts keep a hung Redis from holding up a page, and after a failure the
cache stops trying for ``RETRY_AFTER`` seconds (a circuit breaker shared by the threads of
a process), so only one request in that window waits for the timeout. A warning goes to
the ``portal.cache`` logger at most every ``WARN_EVERY`` seconds; recovery is logged too.
"""

import logging
import threading
import time
from urllib.parse import urlsplit

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache, RedisCacheClient
from redis.exceptions import RedisError

logger = logging.getLogger("portal.cache")

CONNECT_TIMEOUT = 0.25  # seconds to open a connection
READ_TIMEOUT = 0.5  # seconds to wait for an answer
RETRY_AFTER = 2.0  # seconds without trying Redis after a failure
WARN_EVERY = 10.0  # seconds between two warnings about the same Redis


class _Outage:
    """What the cache instances of every thread know about one Redis being unreachable."""

    def __init__(self):
        self.lock = threading.Lock()
        self.down = False
        self.retry_at = 0.0
        self.warned_at = float("-inf")


_outages: dict[tuple[str, ...], _Outage] = {}
_outages_lock = threading.Lock()


def forget_outages() -> None:
    """Start over as if Redis had never failed (for tests that reconfigure the cache)."""
    with _outages_lock:
        _outages.clear()


def _where(servers) -> str:
    """The servers without their passwords, for the log."""
    shown = []
    for server in servers:
        parts = urlsplit(server)
        shown.append(f"{parts.scheme}://{parts.hostname}:{parts.port or 6379}{parts.path}")
    return ", ".join(shown)


class ReusingRedisCacheClient(RedisCacheClient):
    """Django's client builds a new redis.Redis around the pool on every call; keep one."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        index = self._get_connection_pool_index(write)
        client = self._clients.get(index)
        if client is None:
            client = self._clients[index] = self._client(
                connection_pool=self._get_connection_pool(index)
            )
        return client


class ResilientRedisCache(RedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = ReusingRedisCacheClient
        # The settings' OPTIONS win; without them, fail fast rather than hold up a page.
        self._options = {
            "socket_connect_timeout": CONNECT_TIMEOUT,
            "socket_timeout": READ_TIMEOUT,
            **self._options,
        }
        with _outages_lock:
            self._outage = _outages.setdefault(tuple(self._servers), _Outage())

    def _call(self, fallback, operation, *args):
        """Run ``operation`` against Redis; if Redis fails or is resting, ``fallback()``."""
        outage = self._outage
        if outage.down and time.monotonic() < outage.retry_at:
            return fallback()
        try:
            result = operation(*args)
        except RedisError as error:
            self._failed(error)
            return fallback()
        if outage.down:
            with outage.lock:
                outage.down = False
            logger.info("Redis 缓存已恢复：%s", _where(self._servers))
        return result

    def _failed(self, error: RedisError) -> None:
        outage = self._outage
        now = time.monotonic()
        with outage.lock:
            outage.down = True
            outage.retry_at = now + RETRY_AFTER
            warn = now - outage.warned_at >= WARN_EVERY
            if warn:
                outage.warned_at = now
        if warn:
            logger.warning(
                "Redis 缓存不可用（%s），按未命中处理，%.0f 秒后重试：%s",
                _where(self._servers),
                RETRY_AFTER,
                error,
            )

    def get(self, key, default=None, version=None):
        return self._call(lambda: default, super().get, key, default, version)

    def get_many(self, keys, version=None):
        return self._call(dict, super().get_many, keys, version)

    def has_key(self, key, version=None):
        return self._call(lambda: False, super().has_key, key, version)

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call(lambda: None, super().set, key, value, timeout, version)

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call(lambda: list(data), super().set_many, data, timeout, version)

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call(lambda: True, super().add, key, value, timeout, version)

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call(lambda: False, super().touch, key, timeout, version)

    def delete(self, key, version=None):
        return self._call(lambda: False, super().delete, key, version)

    def delete_many(self, keys, version=None):
        return self._call(lambda: None, super().delete_many, keys, version)

    def incr(self, key, delta=1, version=None):
        def missing():
            raise ValueError(f"Key {key!r} not found: the Redis cache is unreachable.")

        # decr() is incr(key, -delta) in Django's base class, so it is covered too.
        return self._call(missing, super().incr, key, delta, version)

    def clear(self):
        return self._call(lambda: False, super().clear)

    def get_many_adding(self, keys, additions: dict, timeout, version=None) -> dict:
        """``add()`` each of ``additions``, then ``get_many(keys)``: one round trip to Redis.

        What a page reads first, and the tokens it must create before reading any data,
        go together (a cold article page used to spend a round trip on each).
        """

        def operation():
            client = self._cache.get_client(write=True)
            script = self._get_many_adding_script(client)
            serializer = self._cache._serializer  # the client's own, as get() decodes with
            adding = [self.make_and_validate_key(k, version) for k in additions]
            reading = [self.make_and_validate_key(k, version) for k in keys]
            ttl = self.get_backend_timeout(timeout) or 0  # None: kept until evicted
            args = [len(adding), ttl, *(serializer.dumps(v) for v in additions.values())]
            values = script(keys=[*adding, *reading], args=args)[len(adding) :]
            return {
                key: serializer.loads(value)
                for key, value in zip(keys, values, strict=True)
                if value is not None
            }

        return self._call(dict, operation)

    def _get_many_adding_script(self, client):
        script = getattr(self, "_adding_script", None)
        if script is None or script.registered_client is not client:
            script = self._adding_script = client.register_script(_GET_MANY_ADDING)
        return script


# KEYS: the keys to add (ARGV[1] of them, valued ARGV[3]…, expiring in ARGV[2] seconds, or
# never with 0), then the keys to read; returns the values of all KEYS.
_GET_MANY_ADDING = """
local ttl = tonumber(ARGV[2])
for i = 1, tonumber(ARGV[1]) do
  if ttl > 0 then
    redis.call('SET', KEYS[i], ARGV[i + 2], 'NX', 'EX', ttl)
  else
    redis.call('SET', KEYS[i], ARGV[i + 2], 'NX')
  end
end
return redis.call('MGET', unpack(KEYS))
"""
