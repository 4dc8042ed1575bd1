"""Redis going away costs readers and commenters nothing but speed."""

import logging
import time

import pytest
from django.conf import settings
from django.core.cache import cache, caches
from django.urls import reverse

from comments.models import Comment
from portal.cache import READ_TIMEOUT, FollowUp, ResilientRedisCache
from tests.comments.helpers import shown_seconds_ago

pytestmark = pytest.mark.django_db


def cache_warnings(caplog):
    return [r.getMessage() for r in caplog.records if r.name == "portal.cache"]


def test_pages_render_from_the_database_while_redis_is_down(
    client, article_factory, redis_down, caplog
):
    article = article_factory(title="松江新城轨交线路开工", tags=["轨道交通"])

    with caplog.at_level(logging.WARNING, logger="portal.cache"):
        pages = {
            "home": client.get("/"),
            "category": client.get(article.category.get_absolute_url()),
            "article": client.get(article.get_absolute_url()),
            "tag": client.get(reverse("news:tag", args=["轨道交通"])),
            "search": client.get(reverse("news:search"), {"q": "轨交"}),
        }

    for name, response in pages.items():
        assert response.status_code == 200, name
        assert article.title in response.content.decode(), name
    assert "轨道交通" in pages["article"].content.decode()
    warnings = cache_warnings(caplog)
    assert warnings and "Redis 缓存不可用" in warnings[0]
    assert "127.0.0.1:1" in warnings[0]


def test_a_comment_posted_while_redis_is_down_is_stored(client, article, redis_down, caplog):
    url = reverse("comments:post", args=[article.pk])
    data = {
        "name": "王小明",
        "email": "xm@example.com",
        "message": "缓存坏了也能留言。",
        "target": shown_seconds_ago(article),
    }

    with caplog.at_level(logging.WARNING, logger="portal.cache"):
        response = client.post(url, data, REMOTE_ADDR="203.0.113.10")

    assert response.status_code == 302
    stored = Comment.objects.get(article=article)
    assert (stored.name, stored.message, stored.status) == ("王小明", data["message"], "pending")
    assert cache_warnings(caplog)


def test_every_cache_operation_acts_as_an_empty_cache_while_redis_is_down(redis_down):
    assert cache.get("k") is None
    assert cache.get("k", "默认") == "默认"
    assert cache.get_many(["a", "b"]) == {}
    assert cache.has_key("k") is False
    assert cache.set("k", 1) is None
    assert cache.set_many({"a": 1, "b": 2}) == ["a", "b"]  # reported as not stored
    assert cache.add("k", 1) is True  # fails open: as if stored, then evicted
    assert cache.touch("k") is False
    assert cache.delete("k") is False
    assert cache.delete_many(["a", "b"]) is None
    assert cache.clear() is False
    assert cache.get_or_set("k", "算出来的") == "算出来的"
    # A missing key, as Django's API reports one: callers already handle ValueError.
    with pytest.raises(ValueError):
        cache.incr("k")
    with pytest.raises(ValueError):
        cache.decr("k")


def test_a_hung_redis_costs_one_short_timeout_then_is_left_alone(use_redis, hung_redis):
    hung = use_redis(hung_redis)

    started = time.monotonic()
    assert hung.get("k", "miss") == "miss"
    first = time.monotonic() - started

    started = time.monotonic()
    for n in range(50):
        hung.set(f"k{n}", n)
        assert hung.get(f"k{n}") is None
    rest = time.monotonic() - started

    assert READ_TIMEOUT * 0.8 < first < READ_TIMEOUT + 1
    assert rest < 0.2


def test_the_home_page_stays_fast_while_redis_hangs(client, article, use_redis, hung_redis):
    use_redis(hung_redis)

    started = time.monotonic()
    response = client.get("/")
    elapsed = time.monotonic() - started

    assert response.status_code == 200
    assert article.title in response.content.decode()
    assert elapsed < READ_TIMEOUT * 3  # one timeout, then no more waiting on Redis


@pytest.mark.skipif(not settings.REDIS_URL, reason="REDIS_URL not set: no live Redis to test")
def test_the_live_redis_cache_round_trips():
    import redis

    live = caches["default"]
    assert isinstance(live, ResilientRedisCache)

    live.set("头条", {"title": "松江新城轨交线路开工", "views": 3}, 30)
    assert live.get("头条") == {"title": "松江新城轨交线路开工", "views": 3}
    assert live.add("头条", "别的") is False
    live.set("n", 1)
    assert live.incr("n", 2) == 3
    assert live.decr("n") == 2
    assert live.get_many(["头条", "n", "没有"]) == {"头条": live.get("头条"), "n": 2}
    assert live.set_many({"a": 1, "b": 2}, 30) == []
    assert live.touch("a", 60) is True
    assert live.has_key("a") is True
    assert live.delete("a") is True
    assert live.has_key("a") is False
    with pytest.raises(ValueError):
        live.incr("没有")
    # In the tests' own Redis database, under the tests' key prefix.
    raw = redis.Redis.from_url(settings.REDIS_URL)
    assert raw.get("portal-tests:1:n") == b"2"


@pytest.mark.skipif(not settings.REDIS_URL, reason="REDIS_URL not set: no live Redis to test")
def test_the_live_redis_cache_serves_a_value_only_while_its_tokens_are_current():
    import redis

    live = caches["default"]
    live.set_many({"令牌:栏目": "甲", "令牌:标签": "乙"}, 30)
    tokens = {"令牌:栏目": "甲", "令牌:标签": "乙"}
    live.set_with_tokens("页面", {"html": "<p>正文</p>"}, tokens, 30)
    live.set("已有", "旧值", 30)

    value, found, current = live.get_with_tokens(
        "页面", ["已有", "新建", "没有"], {"已有": "新值", "新建": "令牌"}, 30
    )

    assert value == {"html": "<p>正文</p>"}
    # What existed is kept (add never overwrites); what was missing is created and read back.
    assert found == {"已有": "旧值", "新建": "令牌"}
    assert current == tokens  # those it was stored with
    raw = redis.Redis.from_url(settings.REDIS_URL)
    assert 0 < raw.ttl("portal-tests:1:新建") <= 30
    assert 0 < raw.ttl("portal-tests:1:页面") <= 30

    # What a current value's read also does in Redis: run only while the value is current.
    hits = FollowUp("return redis.call('INCR', keys[1]) + tonumber(args[1])", ["命中"], [100])
    assert live.get_with_tokens("页面", [], {}, 30, then=hits)[0] is not None
    assert hits.result == 101 and raw.get("命中") == b"1"  # a key of its own, not the cache's

    live.set("令牌:标签", "丙", 30)  # what the page showed under that tag has changed
    stale = FollowUp("return redis.call('INCR', keys[1])", ["命中"], [])
    value, _found, current = live.get_with_tokens("页面", [], {}, 30, then=stale)
    assert value is None and stale.result is None and raw.get("命中") == b"1"
    assert current == {"令牌:栏目": "甲", "令牌:标签": "丙"}
    raw.delete("命中")

    live.delete("令牌:栏目")  # a token evicted: the page cannot be trusted either
    live.set("令牌:标签", "乙", 30)
    assert live.get_with_tokens("页面", [], {}, 30)[0] is None
    # Stored again, with no timeout: kept until evicted, as set(timeout=None) would.
    live.set_with_tokens("页面", "新页", {"令牌:标签": "乙"}, None)
    assert live.get_with_tokens("页面", [], {}, 30)[0] == "新页"
    assert raw.ttl("portal-tests:1:页面") == -1
    live.get_with_tokens("没有的页", [], {"长留": "令牌"}, None)
    assert raw.ttl("portal-tests:1:长留") == -1
    assert live.get_with_tokens("没有的页", ["长留"], {}, 30) == (None, {"长留": "令牌"}, {})


@pytest.mark.skipif(not settings.REDIS_URL, reason="REDIS_URL not set: no live Redis to test")
def test_the_live_redis_cache_stores_with_tokens_it_reads_only_while_a_guard_is_unchanged():
    """A value can be stored with tokens read in the same script, if a key (the site-wide
    sequence) still holds what was read before: they are then the tokens of that moment."""
    live = caches["default"]
    live.set_many({"序列": 1, "令牌:文章": 3, "令牌:栏目": 7}, 30)
    counted = FollowUp("return redis.call('INCR', keys[1])", ["计数"], [])

    read = live.set_with_tokens(
        "页面", "<p>正文</p>", {"令牌:文章": 3}, 30, then=counted,
        unless_changed=("序列", 1), read_tokens={"令牌:栏目": 8, "令牌:标签": 9},
        token_timeout=60,
    )  # fmt: skip

    assert read == {"令牌:栏目": 7, "令牌:标签": 9}  # an existing token kept, a missing one made
    assert live.get("令牌:标签") == 9 and counted.result == 1
    value, _found, current = live.get_with_tokens("页面", [], {}, 30)
    assert value == "<p>正文</p>"
    assert current == {"令牌:文章": 3, "令牌:栏目": 7, "令牌:标签": 9}

    live.set("序列", 2, 30)  # a token was replaced since the value was rendered
    again = FollowUp("return redis.call('INCR', keys[1])", ["计数"], [])
    read = live.set_with_tokens(
        "页面", "<p>旧的渲染</p>", {"令牌:文章": 3}, 30, then=again,
        unless_changed=("序列", 1), read_tokens={"令牌:栏目": 8}, token_timeout=60,
    )  # fmt: skip
    assert read is None and again.result == 2  # not stored; the view still counted
    assert live.get_with_tokens("页面", [], {}, 30)[0] == "<p>正文</p>"
    live.delete("计数")


@pytest.mark.skipif(not settings.REDIS_URL, reason="REDIS_URL not set: no live Redis to test")
def test_the_held_connection_survives_a_redis_that_forgot_its_scripts_or_dropped_it(caplog):
    """Pages' commands go over a connection the cache holds; Redis restarting (its scripts
    gone, its clients dropped) costs at most the one command in flight, never a page."""
    import redis

    live = caches["default"]
    raw = redis.Redis.from_url(settings.REDIS_URL)
    live.set("令牌:栏目", "甲", 30)
    live.set_with_tokens("页面", "<p>正文</p>", {"令牌:栏目": "甲"}, 30)
    assert live.get_with_tokens("页面", ["令牌:栏目"], {}, 30)[:2] == (
        "<p>正文</p>",
        {"令牌:栏目": "甲"},
    )

    raw.script_flush()  # as after a restart: the scripts must be loaded again
    assert live.get_with_tokens("页面", [], {}, 30)[0] == "<p>正文</p>"
    live.set_with_tokens("页面", "<p>新正文</p>", {"令牌:栏目": "甲"}, 30)
    assert live.get_many(["令牌:栏目", "没有"]) == {"令牌:栏目": "甲"}

    held = live._cache._held
    assert held is not None
    raw.client_kill_filter(_id=held_client_id(raw, held))
    with caplog.at_level(logging.WARNING, logger="portal.cache"):
        first = live.get("令牌:栏目")  # the dropped connection: a miss, and a warning
    assert first is None and "Redis 缓存不可用" in cache_warnings(caplog)[0]
    live._outage.retry_at = 0  # not waiting out the pause after a failure
    assert live.get("令牌:栏目") == "甲"  # connected afresh
    assert live.get_with_tokens("页面", [], {}, 30)[0] == "<p>新正文</p>"


def held_client_id(raw, connection) -> int:
    """Redis's id for the client on the other end of ``connection``."""
    port = connection._sock.getsockname()[1]
    for client in raw.client_list():
        if client["addr"].endswith(f":{port}"):
            return int(client["id"])
    raise AssertionError("the held connection is not among Redis's clients")


def test_values_with_tokens_while_redis_is_down_are_not_found(redis_down):
    down = caches["default"]
    down.set_with_tokens("页面", "html", {"令牌": "x"}, 30)
    assert down.get_with_tokens("页面", ["令牌"], {"令牌": "x"}, 30) == (None, {}, {})


@pytest.mark.skipif(not settings.REDIS_URL, reason="REDIS_URL not set: no live Redis to test")
def test_the_live_redis_cache_checks_the_tokens_of_a_value_the_caller_holds():
    import redis

    live = caches["default"]
    raw = redis.Redis.from_url(settings.REDIS_URL)
    live.set_many({"令牌:栏目": "甲", "令牌:标签": "乙", "已有": "旧值"}, 30)
    held = {"令牌:栏目": "甲", "令牌:标签": "乙"}
    hits = FollowUp("return redis.call('INCR', keys[1]) + tonumber(args[1])", ["命中"], [100])

    current, found = live.check_tokens(held, ["已有", "新建"], {"新建": "令牌"}, 30, then=hits)

    assert current is True
    assert found == {"已有": "旧值", "新建": "令牌"}  # read, and created where missing
    assert hits.result == 101 and raw.get("命中") == b"1"
    assert 0 < raw.ttl("portal-tests:1:新建") <= 30

    live.set("令牌:标签", "丙", 30)
    stale = FollowUp("return redis.call('INCR', keys[1])", ["命中"], [])
    assert live.check_tokens(held, ["已有"], {}, 30, then=stale) == (False, {"已有": "旧值"})
    assert stale.result is None and raw.get("命中") == b"1"  # not counted on a stale page
    live.delete("令牌:栏目")
    assert live.check_tokens({"令牌:栏目": "甲"}, [], {}, 30) == (False, {})
    raw.delete("命中")


def test_checking_tokens_while_redis_is_down_finds_nothing_current(redis_down):
    assert caches["default"].check_tokens({"令牌": "x"}, ["令牌"], {}, 30) == (False, {})
