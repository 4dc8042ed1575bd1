"""The 浏览 counter: exact under concurrency, whatever is cached.

Without Redis every view is one ``UPDATE … SET views = views + 1 … RETURNING views`` on the
article row. With Redis (``REDIS_URL``) a view is a Redis ``INCR`` of the article's total,
and the database is brought up to date in batches by ``flush_views``: readers' hits never
touch the article row an editor may be saving.

The Redis total is seeded from the database the first time an article is counted. A flush
writes ``views = max(views, total)``, which is idempotent: a flush that is interrupted,
repeated or run by two workers at once never loses or doubles a view. Articles counted
since the last flush are kept in a set that is only emptied for the articles whose totals
were written, so a crash between the two leaves them to the next flush.
"""

import logging
import time
from functools import cache

from django.conf import settings
from django.core.cache import cache as django_cache
from django.db import connection, transaction
from django.db.models.functions import Greatest

logger = logging.getLogger(__name__)

TOTAL_KEY = "news:views:{pk}"
DIRTY_KEY = "news:views:dirty"
FLUSH_INTERVAL = 10  # seconds between opportunistic flushes from the request path
FLUSH_DUE_KEY = "news:views:flush-due"

# Seed the total from the database value if missing, then add one; return the new total.
_HIT_SCRIPT = """
redis.call('SET', KEYS[1], ARGV[1], 'NX')
local total = redis.call('INCR', KEYS[1])
redis.call('SADD', KEYS[2], ARGV[2])
return total
"""

_CLEAN_SCRIPT = """
for i = 1, #ARGV, 2 do
  local total = redis.call('GET', 'news:views:' .. ARGV[i])
  if (not total) or tonumber(total) <= tonumber(ARGV[i + 1]) then
    redis.call('SREM', KEYS[1], ARGV[i])
  end
end
return 1
"""


def _redis():
    return _redis_for(settings.REDIS_URL)


@cache
def _redis_for(url: str):
    import redis

    client = redis.Redis.from_url(url, socket_connect_timeout=0.25, socket_timeout=0.5)
    return client, client.register_script(_HIT_SCRIPT)


def redis_enabled() -> bool:
    return bool(getattr(settings, "REDIS_URL", None))


def _db_hit(pk: int) -> int | None:
    """One view straight into the row; the new count, or None if the article isn't public."""
    from .models import Article

    published = Article.objects.published().filter(pk=pk)
    if not connection.features.can_return_columns_from_insert:
        return published.count_view() and Article.objects.get(pk=pk).views
    sql, params = published.order_by().values("pk").query.sql_with_params()
    table = connection.ops.quote_name(Article._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {table} SET views = views + 1 WHERE id IN ({sql}) RETURNING views", params
        )
        row = cursor.fetchone()
    return row[0] if row else None


def hit(pk: int, stored_views: int) -> int:
    """Count one reader view of a public article and return its new total."""
    if redis_enabled():
        try:
            client, script = _redis()
            total = int(script(keys=[TOTAL_KEY.format(pk=pk), DIRTY_KEY], args=[stored_views, pk]))
        except Exception:  # Redis down: count in the database instead of losing the view
            logger.warning("Redis 不可用，浏览计数改为直接写入数据库", exc_info=True)
        else:
            maybe_flush()
            return total
    total = _db_hit(pk)
    return total if total is not None else stored_views


def maybe_flush() -> None:
    """Flush at most every FLUSH_INTERVAL seconds, from whichever request comes first."""
    if django_cache.add(FLUSH_DUE_KEY, 1, FLUSH_INTERVAL):
        try:
            flush()
        except Exception:
            logger.exception("浏览计数写回数据库失败，下次再试")


def flush(batch: int = 500) -> int:
    """Write the Redis totals of recently viewed articles to the database; returns how many."""
    if not redis_enabled():
        return 0
    from .models import Article

    client, _script = _redis()
    written = 0
    while True:
        pks = [int(pk) for pk in client.srandmember(DIRTY_KEY, batch)]
        if not pks:
            return written
        totals = client.mget([TOTAL_KEY.format(pk=pk) for pk in pks])
        with transaction.atomic():
            for pk, total in zip(pks, totals, strict=True):
                if total is not None:
                    Article.objects.filter(pk=pk).update(views=Greatest("views", int(total)))
        # Only articles whose total is still what was written leave the set: one that was
        # viewed again in the meantime stays for the next flush.
        written_totals = zip(pks, totals, strict=True)
        pairs = [str(v) for pk, total in written_totals for v in (pk, int(total or 0))]
        client.eval(_CLEAN_SCRIPT, 1, DIRTY_KEY, *pairs)
        written += len(pks)
        if len(pks) < batch:
            return written


def flush_forever(interval: float) -> None:
    while True:
        flush()
        time.sleep(interval)
