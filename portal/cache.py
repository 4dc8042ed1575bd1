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
import os
import threading
import time
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache, RedisCacheClient
from redis.exceptions import NoScriptError, RedisError, ResponseError

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


@dataclass
class FollowUp:
    """Lua that ``get_with_tokens`` runs in its own script when the value is current: the
    body of a function of ``keys`` and ``args`` (Redis keys as they are, without the cache's
    prefix), for what a page served from the cache also has to do in Redis (news.counters
    counts the view). ``result`` is what it returned; None if it did not run."""

    lua: str
    keys: list
    args: list
    result: object = None


class ReusingRedisCacheClient(RedisCacheClient):
    """Django's client, keeping one redis.Redis and one connection of its own.

    Django's client builds a new redis.Redis around the pool on every call. And each
    command through redis.Redis takes a connection from the pool and gives it back, with
    a poll of its socket, locks and metrics around it: in a page's request that costs
    more than the round trip itself (0.12 ms against 0.06 ms here). The commands every
    reader page sends (its scripts, GET, MGET) go over a connection the client holds
    instead (Django makes a client per thread); the rest go through the pool.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}
        self._held = None
        self._held_by = None  # the process that opened it: a forked child opens its own

    def get_client(self, key=None, *, write=False):
        index = self._get_connection_pool_index(write)
        client = self._clients.get(index)
        if client is None:
            client = self._clients[index] = self._client(
                connection_pool=self._get_connection_pool(index)
            )
        return client

    def command(self, *args):
        """Send one command over the held connection and return Redis's reply."""
        connection = self._held
        if connection is None or self._held_by != os.getpid():
            # Taken from the (primary's) pool and never given back: the pool still closes
            # it with the others, and a closed connection reconnects on the next command.
            connection = self._held = self._get_connection_pool(True).get_connection()
            self._held_by = os.getpid()
        try:
            connection.send_command(*args)
            return connection.read_response()
        except ResponseError:
            raise  # Redis answered: the connection is as good as before
        except BaseException:
            connection.disconnect()  # a reply may be half read: start afresh next time
            raise

    def run_script(self, script, keys, args):
        """``script(keys, args)`` (a redis-py Script) over the held connection."""
        try:
            return self.command("EVALSHA", script.sha, len(keys), *keys, *args)
        except NoScriptError:  # Redis restarted, or its scripts were flushed
            script.sha = self.command("SCRIPT", "LOAD", script.script).decode()
            return self.command("EVALSHA", script.sha, len(keys), *keys, *args)

    def get(self, key, default):
        value = self.command("GET", key)
        return default if value is None else self._serializer.loads(value)

    def get_many(self, keys):
        values = self.command("MGET", *keys) if keys else []
        return {
            k: self._serializer.loads(v) for k, v in zip(keys, values, strict=True) if v is not None
        }


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
        self._scripts = {}

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

    # Values stored with the tokens they were made under (news.caching's pages): a Redis
    # hash holding the value under the field "" and, under each token's key, that token.

    def get_with_tokens(self, key, reads, additions: dict, timeout, version=None, *, then=None):
        """One round trip: ``add()`` each of ``additions``, ``get_many(reads)``, and the
        value of ``key`` if each token it was stored with (``set_with_tokens``) is current.

        Returns ``(value or None, {read key: value}, {token key: its current value})``;
        the last holds the tokens the value was stored with as they are now (for a current
        value, those it was stored with: some may have been read only as it was stored, see
        ``set_with_tokens``). The tokens are compared in Redis, so a page served from the
        cache costs this single round trip. ``then``, a FollowUp, runs in the same script
        when the value is current.
        """
        lua, then_keys, then_args = (then.lua, then.keys, then.args) if then else ("", [], [])

        def operation():
            client = self._cache.get_client(write=True)
            script = self._script(client, _READ_WITH_TOKENS, lua)
            serializer = self._cache._serializer  # the client's own, as get() decodes with
            # make_key(): the portal's own keys, spared validate_key()'s per-character
            # loop (it only warns of keys memcached would refuse) on every page served.
            adding = [self.make_key(k, version) for k in additions]
            reading = [self.make_key(k, version) for k in reads]
            ttl = self.get_backend_timeout(timeout) or 0  # None: kept until evicted
            args = [len(adding), ttl, len(then_keys)]
            args += [serializer.dumps(v) for v in additions.values()]
            value, values, token_keys, current, followed = self._cache.run_script(
                script,
                [self.make_key(key, version), *adding, *reading, *then_keys],
                [*args, *then_args],
            )
            values = values[len(adding) :]  # the keys added are read too, as KEYS
            found = {
                k: serializer.loads(v) for k, v in zip(reads, values, strict=True) if v is not None
            }
            prefix = self.make_key("", version)
            now = {
                k.decode().removeprefix(prefix): serializer.loads(v)
                for k, v in zip(token_keys, current, strict=True)
                if v is not None
            }
            if then is not None:
                then.result = followed
            return (serializer.loads(value) if value is not None else None), found, now

        return self._call(lambda: (None, {}, {}), operation)

    def check_tokens(
        self, tokens: dict, reads, additions: dict, timeout, version=None, *, then=None
    ):
        """``get_with_tokens`` for a value the caller already holds, stored under ``tokens``
        (token key: token): whether each is still current, and what ``reads`` found.

        The value itself does not travel (Redis copying 12 KB into its script and out again
        cost more than the rest of the script). Returns ``(current, {read key: value})``;
        ``then`` runs only if ``current``.
        """
        lua, then_keys, then_args = (then.lua, then.keys, then.args) if then else ("", [], [])

        def operation():
            client = self._cache.get_client(write=True)
            script = self._script(client, _CHECK_TOKENS, lua)
            serializer = self._cache._serializer
            adding = [self.make_key(k, version) for k in additions]
            reading = [self.make_key(k, version) for k in reads]
            expected = [self.make_key(k, version) for k in tokens]
            ttl = self.get_backend_timeout(timeout) or 0
            args = [len(adding), ttl, len(then_keys), len(expected)]
            args += [serializer.dumps(v) for v in additions.values()]
            args += [serializer.dumps(v) for v in tokens.values()]
            current, values, followed = self._cache.run_script(
                script, [*adding, *reading, *expected, *then_keys], [*args, *then_args]
            )
            found = {
                k: serializer.loads(v) for k, v in zip(reads, values, strict=True) if v is not None
            }
            if then is not None and current:
                then.result = followed
            return bool(current), found

        return self._call(lambda: (False, {}), operation)

    def set_with_tokens(
        self,
        key,
        value,
        tokens: dict,
        timeout=DEFAULT_TIMEOUT,
        version=None,
        *,
        then=None,
        unless_changed=None,
        read_tokens=None,
        token_timeout=None,
    ):
        """Store ``value`` for ``get_with_tokens``: valid while each of ``tokens`` (token
        key: token) is what the cache holds under that key. ``then``, a FollowUp, runs in
        the same script, stored or not.

        ``unless_changed``, ``(key, expected)``: store only if the cache still holds
        ``expected`` under ``key``. ``read_tokens`` (token key: a token to create it with
        where it is missing, for ``token_timeout``): tokens read in the same script and
        stored with the value as the ones it is valid under. Returns ``{token key: token}``
        of those read if the value was stored, else None.
        """
        lua, then_keys, then_args = (then.lua, then.keys, then.args) if then else ("", [], [])
        read_tokens = read_tokens or {}

        def operation():
            client = self._cache.get_client(write=True)
            script = self._script(client, _STORE_WITH_TOKENS, lua)
            serializer = self._cache._serializer
            ttl = self.get_backend_timeout(timeout)
            fields = [serializer.dumps(value)]
            for token_key, token in tokens.items():
                fields += [self.make_key(token_key, version), serializer.dumps(token)]
            ttl = max(int(ttl), 1) if ttl is not None else 0
            guard_key, expected = unless_changed or ("", "")
            guard = [self.make_key(guard_key, version), serializer.dumps(expected)]
            token_ttl = self.get_backend_timeout(token_timeout) if read_tokens else None
            reading = [len(read_tokens), max(int(token_ttl), 1) if token_ttl else 0]
            for token_key, token in read_tokens.items():
                reading += [self.make_key(token_key, version), serializer.dumps(token)]
            followed, read = self._cache.run_script(
                script,
                [self.make_key(key, version), *then_keys],
                [
                    ttl, len(fields), *fields, *(guard if unless_changed else ["", ""]),
                    *reading, *then_args,
                ],
            )  # fmt: skip
            if then is not None:
                then.result = followed
            if read is None:
                return None
            return {k: serializer.loads(v) for k, v in zip(read_tokens, read, strict=True)}

        return self._call(lambda: None, operation)

    def _script(self, client, template, then_lua):
        """``template`` with ``then_lua`` as its follow-up, registered once per client."""
        script = self._scripts.get((template, then_lua))
        if script is None or script.registered_client is not client:
            script = client.register_script(template.replace("--[[then]]", then_lua))
            self._scripts[template, then_lua] = script
        return script


# Each script below starts with this: a FollowUp's Lua (portal.cache.FollowUp) as a
# function of its keys and arguments, run when the script says.
_FOLLOW_UP = """
local function follow_up(keys, args)
  do
--[[then]]
  end
  return false
end
"""

# KEYS[1]: the value stored with its tokens (a hash: the value under "", each token under its
# key); then the keys to add (ARGV[1] of them, valued ARGV[4]…, expiring in ARGV[2] seconds,
# or never with 0); then the keys to read; then the ARGV[3] keys of the follow-up, whose
# arguments are the ARGV after the values to add. Returns {the value if every token is
# current, else nil; the values read and added; the token keys the value was stored with and
# their current values; what the follow-up returned, run only for a current value}. The
# token keys come from the hash (not KEYS): fine on one Redis server, as Django's cache uses
# it, not on a Redis Cluster.
_READ_WITH_TOKENS = (
    _FOLLOW_UP
    + """
local adding, ttl, then_keys = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])
for i = 1, adding do
  if ttl > 0 then
    redis.call('SET', KEYS[i + 1], ARGV[i + 3], 'NX', 'EX', ttl)
  else
    redis.call('SET', KEYS[i + 1], ARGV[i + 3], 'NX')
  end
end
local values = {}
if #KEYS - then_keys > 1 then values = redis.call('MGET', unpack(KEYS, 2, #KEYS - then_keys)) end
local fields = redis.call('HGETALL', KEYS[1])
local value, token_keys, stored = false, {}, {}
for i = 1, #fields, 2 do
  if fields[i] == '' then
    value = fields[i + 1]
  else
    token_keys[#token_keys + 1] = fields[i]
    stored[#stored + 1] = fields[i + 1]
  end
end
local current = {}
if #token_keys > 0 then current = redis.call('MGET', unpack(token_keys)) end
for i = 1, #token_keys do
  if current[i] ~= stored[i] then value = false end
end
local followed = false
if value then
  followed = follow_up({unpack(KEYS, #KEYS - then_keys + 1)}, {unpack(ARGV, 4 + adding)})
end
return {value, values, token_keys, current, followed}
"""
)

# KEYS: the ARGV[1] keys to add (valued ARGV[5]…, expiring in ARGV[2] seconds, or never with
# 0), the keys to read, the ARGV[4] token keys to compare with the tokens in the ARGV after
# the values to add, then the ARGV[3] keys of the follow-up, whose arguments come last.
# Returns {1 if every token is current, else 0; the values read; what the follow-up
# returned, run only if they are current}.
_CHECK_TOKENS = (
    _FOLLOW_UP
    + """
local adding, ttl = tonumber(ARGV[1]), tonumber(ARGV[2])
local then_keys, tokens = tonumber(ARGV[3]), tonumber(ARGV[4])
for i = 1, adding do
  if ttl > 0 then
    redis.call('SET', KEYS[i], ARGV[i + 4], 'NX', 'EX', ttl)
  else
    redis.call('SET', KEYS[i], ARGV[i + 4], 'NX')
  end
end
local first_token = #KEYS - then_keys - tokens + 1
local values = {}
if first_token > adding + 1 then
  values = redis.call('MGET', unpack(KEYS, adding + 1, first_token - 1))
end
local current = 1
if tokens > 0 then
  local now = redis.call('MGET', unpack(KEYS, first_token, first_token + tokens - 1))
  for i = 1, tokens do
    if now[i] ~= ARGV[4 + adding + i] then current = 0 end
  end
end
local followed = false
if current == 1 then
  followed = follow_up({unpack(KEYS, first_token + tokens)}, {unpack(ARGV, 5 + adding + tokens)})
end
return {current, values, followed}
"""
)

# KEYS[1]: the value's hash, replaced whole, then the follow-up's keys; ARGV[1]: seconds to
# keep it (0: until evicted), ARGV[2]: how many ARGV follow for the hash (the value, then
# each token key and its token); then a key and the value it must still hold for the value
# to be stored (an empty key: no condition); then how many tokens to read, the seconds to
# keep those it creates (0: until evicted), and for each its key and the token to create it
# with where it is missing; then the follow-up's arguments. Returns {what the follow-up
# returned (it runs either way); the tokens read if the value was stored, else nil}.
_STORE_WITH_TOKENS = (
    _FOLLOW_UP
    + """
local ttl, fields = tonumber(ARGV[1]), tonumber(ARGV[2])
local guard, expected = ARGV[3 + fields], ARGV[4 + fields]
local reading, token_ttl = tonumber(ARGV[5 + fields]), tonumber(ARGV[6 + fields])
local first_read = 7 + fields
local read = false
if guard == '' or redis.call('GET', guard) == expected then
  local hash = {unpack(ARGV, 3, 2 + fields)}
  read = {}
  for i = 0, reading - 1 do
    local key, fresh = ARGV[first_read + 2 * i], ARGV[first_read + 2 * i + 1]
    if token_ttl > 0 then
      redis.call('SET', key, fresh, 'NX', 'EX', token_ttl)
    else
      redis.call('SET', key, fresh, 'NX')
    end
    local token = redis.call('GET', key)
    read[#read + 1] = token
    hash[#hash + 1] = key
    hash[#hash + 1] = token
  end
  redis.call('DEL', KEYS[1])
  redis.call('HSET', KEYS[1], '', unpack(hash))
  if ttl > 0 then redis.call('EXPIRE', KEYS[1], ttl) end
end
local followed = follow_up({unpack(KEYS, 2)}, {unpack(ARGV, first_read + 2 * reading)})
return {followed, read}
"""
)
