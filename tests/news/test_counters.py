"""浏览:N is exact: under concurrent readers, through the page cache, and across Redis flushes."""

import threading
import time

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client

from news import counters
from news.models import Article
from tests.news.helpers import text_of

needs_redis = pytest.mark.skipif(
    not settings.REDIS_URL, reason="REDIS_URL not set: the Redis counter runs in CI"
)


def shown_views(response) -> int:
    text = text_of(response.content.decode())
    return int(text.split("浏览:")[1].split()[0])


def read_concurrently(url: str, readers: int, per_reader: int) -> int:
    """Every reader in its own thread and database connection; returns the 200 answers."""
    ok = []
    errors = []

    def read():
        client = Client()
        try:
            for _ in range(per_reader):
                if client.get(url).status_code == 200:
                    ok.append(1)
        except Exception as error:  # surfaced below: a lock error must fail the test
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=read) for _ in range(readers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors, errors
    return len(ok)


def stored_views(article) -> int:
    counters.flush()
    return Article.objects.get(pk=article.pk).views


def test_each_view_shows_the_next_number(client, article):
    url = article.get_absolute_url()

    assert [shown_views(client.get(url)) for _ in range(3)] == [1, 2, 3]
    assert stored_views(article) == 3


@pytest.mark.django_db(transaction=True)
def test_concurrent_readers_add_exactly_their_number_of_views(article_factory, settings):
    # Counted in the database itself (SQLite, or PostgreSQL in CI), even where Redis is set.
    settings.REDIS_URL = None
    article = article_factory(title="并发计数稿件")

    answered = read_concurrently(article.get_absolute_url(), readers=20, per_reader=50)

    assert answered == 1000
    assert stored_views(article) == 1000


def test_an_editors_save_keeps_the_views_readers_added_meanwhile(client, article):
    editing = Article.objects.get(pk=article.pk)  # the editor opens the form: views 0
    for _ in range(5):
        client.get(article.get_absolute_url())

    editing.title = "编辑改过的标题"
    editing.save()

    assert stored_views(article) == 5


def test_previews_and_refused_requests_count_nothing(staff_client, client, article_factory):
    draft = article_factory(status=Article.Status.DRAFT)
    staff_client.get(draft.get_absolute_url())
    client.get(draft.get_absolute_url())
    client.head(article_factory().get_absolute_url())

    assert Article.objects.filter(views__gt=0).count() == 0


@needs_redis
def test_with_redis_views_are_buffered_then_flushed_exactly_once(client, article):
    url = article.get_absolute_url()
    for _ in range(4):
        client.get(url)

    # Counted in Redis, not yet in the row: readers never write the article row.
    assert Article.objects.get(pk=article.pk).views == 0
    assert shown_views(client.get(url)) == 5

    assert counters.flush() == 1
    assert counters.flush() == 0  # nothing left: a second flush writes nothing twice
    assert Article.objects.get(pk=article.pk).views == 5
    assert shown_views(client.get(url)) == 6


@needs_redis
def test_one_flush_writes_each_articles_own_number_of_views(client, article_factory, monkeypatch):
    monkeypatch.setattr(counters, "FLUSH_CHUNK", 2)  # five articles: three statements
    articles = [article_factory(title=f"第{n}篇") for n in range(5)]
    for n, article in enumerate(articles):
        for _ in range(n + 1):
            client.get(article.get_absolute_url())

    assert counters.flush() == 5

    stored = Article.objects.filter(pk__in=[a.pk for a in articles]).values_list("pk", "views")
    assert [dict(stored)[a.pk] for a in articles] == [1, 2, 3, 4, 5]
    assert shown_views(client.get(articles[2].get_absolute_url())) == 4


@needs_redis
def test_a_flush_interrupted_after_writing_the_database_is_not_applied_twice(
    client, article, monkeypatch
):
    url = article.get_absolute_url()
    for _ in range(3):
        client.get(url)
    # The worker dies after the database commit, before Redis learns of it.
    _client, scripts = counters._redis()
    real_finish = scripts["finish"]
    monkeypatch.setitem(scripts, "finish", lambda **kw: (_ for _ in ()).throw(OSError("killed")))
    with pytest.raises(OSError):
        counters.flush()
    assert Article.objects.get(pk=article.pk).views == 3
    assert shown_views(client.get(url)) == 4  # still exact while the batch is unfinished

    monkeypatch.setitem(scripts, "finish", real_finish)
    counters.flush()  # takes the batch up again: recorded, so not applied twice
    counters.flush()

    assert Article.objects.get(pk=article.pk).views == 4
    assert shown_views(client.get(url)) == 5


@needs_redis
def test_views_counted_in_the_database_during_an_outage_are_kept(client, article, monkeypatch):
    url = article.get_absolute_url()
    client.get(url)
    client.get(url)  # 2 pending in Redis
    monkeypatch.setattr(counters, "_redis_down_until", [float("inf")])  # Redis unreachable
    client.get(url)  # straight into the row
    monkeypatch.setattr(counters, "_redis_down_until", [0.0])

    counters.flush()

    assert Article.objects.get(pk=article.pk).views == 3
    assert shown_views(client.get(url)) == 4


@needs_redis
@pytest.mark.django_db(transaction=True)
def test_with_redis_concurrent_readers_are_counted_exactly(article_factory):
    article = article_factory(title="Redis 并发计数稿件")

    answered = read_concurrently(article.get_absolute_url(), readers=20, per_reader=50)

    assert answered == 1000
    assert stored_views(article) == 1000


@needs_redis
@pytest.mark.django_db(transaction=True)
def test_each_server_process_flushes_in_the_background(article_factory, settings, monkeypatch):
    settings.PORTAL_VIEWS_FLUSH_THREAD = True
    monkeypatch.setattr(counters, "FLUSH_INTERVAL", 0.2)
    monkeypatch.setattr(counters, "_flusher", {"pid": None})
    article = article_factory(title="后台写回稿件")
    for _ in range(3):
        Client().get(article.get_absolute_url())

    deadline = time.monotonic() + 5
    while Article.objects.get(pk=article.pk).views < 3 and time.monotonic() < deadline:
        time.sleep(0.1)

    assert Article.objects.get(pk=article.pk).views == 3
