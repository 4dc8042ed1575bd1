"""The 浏览 counter: exact under concurrency, whatever is cached.

Without Redis every view is one ``UPDATE … SET views = views + 1 … RETURNING views`` on the
article row.

With Redis (``REDIS_URL``) a view is one Redis script: add one to the article's pending
count and return what the reader sees, the article's count in the database (as Redis last
learnt it) plus what is still pending. Readers' hits never touch the article row an editor
may be saving. ``flush()`` moves the pending counts into the database: a background thread
in each server process does it every FLUSH_INTERVAL seconds (off the request path), and
the ``flush_views`` command does it on demand or as a process of its own:

1. ``begin``: the pending counts become one batch with an id (or the batch an earlier,
   interrupted flush left behind is taken up again);
2. in one database transaction the batch id is recorded (unique) and each article gets
   ``views = views + pending``; a batch whose id is already recorded was applied before
   and is not applied again;
3. ``finish``: Redis learns the new database counts and drops the batch.

A flush interrupted anywhere is completed by the next one, and a batch is applied exactly
once, so no view is lost or counted twice. While Redis is unreachable views go straight to
the database and show up in Redis's figures after the next flush.
"""

import contextlib
import logging
import os
import threading
import time
import uuid
from datetime import timedelta
from functools import cache

from django.conf import settings
from django.core.cache import cache as django_cache
from django.db import IntegrityError, connection, transaction
from django.db.models import Case, F, IntegerField, Value, When
from django.utils import timezone

logger = logging.getLogger(__name__)

PENDING = "news:views:pending"  # hash: article id -> views not yet in the database
FLUSHING = "news:views:flushing"  # hash: the batch being written
BATCH = "news:views:batch"  # the id of the batch being written
BASE = "news:views:base"  # hash: article id -> its count in the database, as last seen
FLUSH_INTERVAL = 10  # seconds between two flushes by a server process
FLUSH_CHUNK = 500  # articles per UPDATE statement
FLUSH_DUE_KEY = "news:views:flush-due"  # taken by the process whose turn it is
RETRY_REDIS_AFTER = 2.0

# One view of article args[1]: what the reader sees, or false if Redis has no database count
# for the article yet (keys: BASE, PENDING, FLUSHING). Also run by a cached article page's
# own read (news.caching), so that serving it costs one round trip to Redis.
COUNT_LUA = """
local base = redis.call('HGET', keys[1], args[1])
if not base then return false end
local pending = redis.call('HINCRBY', keys[2], args[1], 1)
local flushing = tonumber(redis.call('HGET', keys[3], args[1]) or '0')
return tonumber(base) + pending + flushing
"""
# The same, first learning the article's database count (args[2]) if Redis has none.
SEED_AND_COUNT_LUA = "redis.call('HSETNX', keys[1], args[1], args[2])\n" + COUNT_LUA
_HIT = "local keys, args = KEYS, ARGV\n" + SEED_AND_COUNT_LUA

_BEGIN = """
local current = redis.call('GET', KEYS[3])
if current then return current end
if redis.call('EXISTS', KEYS[1]) == 0 then return false end
redis.call('RENAME', KEYS[1], KEYS[2])
redis.call('SET', KEYS[3], ARGV[1])
return ARGV[1]
"""

_FINISH = """
for i = 1, #ARGV, 2 do
  redis.call('HSET', KEYS[1], ARGV[i], ARGV[i + 1])
end
redis.call('DEL', KEYS[2], KEYS[3])
return 1
"""


def redis_enabled() -> bool:
    return bool(getattr(settings, "REDIS_URL", None))


def _redis():
    return _redis_for(settings.REDIS_URL)


@cache
def _redis_for(url: str):
    import redis

    client = redis.Redis.from_url(url, socket_connect_timeout=0.25, socket_timeout=0.5)
    scripts = {name: client.register_script(s) for name, s in [("hit", _HIT), ("begin", _BEGIN)]}
    scripts["finish"] = client.register_script(_FINISH)
    return client, scripts


def hit(pk: int, stored_views: int) -> int:
    """Count one reader view of a public article and return its new total."""
    if redis_enabled() and time.monotonic() >= _redis_down_until[0]:
        try:
            _client, scripts = _redis()
            total = int(scripts["hit"](keys=[BASE, PENDING, FLUSHING], args=[pk, stored_views]))
        except Exception as error:  # Redis down: count in the database, lose no view
            _redis_failed(error)
        else:
            _start_flusher()
            return total
    total = _db_hit(pk)
    return total if total is not None else stored_views


def counting_in_cache(pk: int, stored_views: int | None = None):
    """A portal.cache.FollowUp that counts a view of ``pk`` in a round trip the page makes to
    the cache anyway, or None when views are not counted in the cache's Redis. Without
    ``stored_views`` (the article's count in the database) it counts only an article whose
    count Redis knows. Its result None means not counted (call ``hit``); a number,
    counted (call ``counted``)."""
    if not redis_enabled() or time.monotonic() < _redis_down_until[0]:
        return None
    if settings.CACHES["default"].get("LOCATION") != settings.REDIS_URL:
        return None  # the cache is another Redis (or none): the counter's is asked itself
    from portal.cache import FollowUp

    if stored_views is None:
        return FollowUp(COUNT_LUA, [BASE, PENDING, FLUSHING], [pk])
    return FollowUp(SEED_AND_COUNT_LUA, [BASE, PENDING, FLUSHING], [pk, int(stored_views)])


def counted(total) -> int:
    """A view counted by ``counting_in_cache``'s Lua: its total, and the flusher running."""
    _start_flusher()
    return int(total)


def _db_hit(pk: int) -> int | None:
    """One view straight into the row; the new count, or None if the article isn't public."""
    from .models import Article

    if not connection.features.can_return_columns_from_insert:
        counted = Article.objects.published().filter(pk=pk).count_view()
        return counted and Article.objects.get(pk=pk).views
    # The same statement as published().filter(pk=pk).count_view(), written out: it runs on
    # every view of an uncached page, and building it through the ORM cost more than it.
    table = connection.ops.quote_name(Article._meta.db_table)
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    # SQLite has one writer at a time and makes a blocked writer sleep in growing steps;
    # the threads of a process take turns here instead, which costs microseconds.
    lock = _sqlite_write_lock if connection.vendor == "sqlite" else contextlib.nullcontext()
    with lock, connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {table} SET views = views + 1"
            " WHERE id = %s AND status = %s AND publish_at <= %s"
            " AND (expires_at IS NULL OR expires_at > %s) RETURNING views",
            [pk, Article.Status.PUBLISHED, now, now],
        )
        row = cursor.fetchone()
    return row[0] if row else None


_sqlite_write_lock = threading.Lock()


# After a Redis failure, count in the database for a while instead of waiting for Redis on
# every view (a circuit breaker, per process); warn once per outage, not once per view.
_redis_down_until = [0.0]
_warned_at = [float("-inf")]


def _redis_failed(error: Exception) -> None:
    now = time.monotonic()
    _redis_down_until[0] = now + RETRY_REDIS_AFTER
    if now - _warned_at[0] > 30:
        _warned_at[0] = now
        logger.warning("Redis 不可用（%s），浏览计数暂时直接写入数据库", error)


def maybe_flush() -> None:
    """Flush unless another process did within FLUSH_INTERVAL seconds."""
    if django_cache.add(FLUSH_DUE_KEY, 1, FLUSH_INTERVAL):
        flush()


_flusher = {"pid": None}
_flusher_lock = threading.Lock()


def _start_flusher() -> None:
    """One daemon thread per server process (started again in a forked child)."""
    if _flusher["pid"] == os.getpid() or not settings.PORTAL_VIEWS_FLUSH_THREAD:
        return
    with _flusher_lock:
        if _flusher["pid"] == os.getpid():
            return
        _flusher["pid"] = os.getpid()
        threading.Thread(target=_flush_loop, name="views-flush", daemon=True).start()


def _flush_loop() -> None:
    while True:
        time.sleep(FLUSH_INTERVAL)
        try:
            maybe_flush()
        except Exception:
            logger.exception("浏览计数写回数据库失败，稍后再试")
        finally:
            connection.close()


def flush() -> int:
    """Write the pending views to the database; returns how many articles were updated."""
    if not redis_enabled():
        return 0
    from .models import Article, ViewFlush

    client, scripts = _redis()
    batch = scripts["begin"](keys=[PENDING, FLUSHING, BATCH], args=[uuid.uuid4().hex])
    if not batch:
        return 0
    batch = batch.decode()
    pending = {int(pk): int(n) for pk, n in client.hgetall(FLUSHING).items()}
    try:
        with transaction.atomic():
            ViewFlush.objects.create(batch=batch)
            # A statement per few hundred articles, not one per article: with readers on
            # many articles (a flush every few seconds holds hundreds) the per-article
            # UPDATEs were a tenth of a server process's time. In id order, so two
            # flushes could never wait on each other's rows crosswise.
            rows = sorted(pending.items())
            for start in range(0, len(rows), FLUSH_CHUNK):
                chunk = rows[start : start + FLUSH_CHUNK]
                whens = [When(pk=pk, then=Value(n)) for pk, n in chunk]
                added = Case(*whens, output_field=IntegerField())
                Article.objects.filter(pk__in=[pk for pk, _ in chunk]).update(
                    views=F("views") + added
                )
    except IntegrityError:
        logger.info("浏览计数批次 %s 已写入过数据库，不再重复写入", batch)
    stored = Article.objects.filter(pk__in=pending).values_list("pk", "views")
    scripts["finish"](keys=[BASE, FLUSHING, BATCH], args=[str(v) for row in stored for v in row])
    ViewFlush.objects.filter(created_at__lt=timezone.now() - timedelta(days=7)).delete()
    return len(pending)


def flush_forever(interval: float) -> None:
    while True:
        try:
            flush()
        except Exception:
            logger.exception("浏览计数写回数据库失败，稍后再试")
        time.sleep(interval)
