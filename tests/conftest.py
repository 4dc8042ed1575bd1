import time
from types import SimpleNamespace

import pytest
from django.core.cache import cache, caches
from django.core.cache.backends import base, locmem

from tests.factories import make_article, make_comment


@pytest.fixture(autouse=True)
def _clear_cache():
    """Rate limits and cached parts never leak from one test into the next."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def cache_clock(monkeypatch):
    """Move the cache's clock forward, to let rate-limit windows run out without waiting."""
    if not isinstance(caches["default"], locmem.LocMemCache):
        pytest.skip("only LocMem's clock can be moved; Redis expires keys in real time")
    now = [time.time()]
    fake = SimpleNamespace(time=lambda: now[0])
    monkeypatch.setattr(base, "time", fake)
    monkeypatch.setattr(locmem, "time", fake)

    def advance(seconds):
        now[0] += seconds

    return advance


@pytest.fixture
def article_factory(db):
    return make_article


@pytest.fixture
def comment_factory(db):
    return make_comment


@pytest.fixture
def categories(db):
    from news.models import Category

    return {c.slug: c for c in Category.objects.all()}


@pytest.fixture
def article(article_factory):
    return article_factory(title="松江举行文明城区建设推进会", tags=["文明创建", "松江"])


@pytest.fixture
def staff_user(django_user_model):
    return django_user_model.objects.create_user(
        "editor", "editor@example.com", "pw-editor-123", is_staff=True, is_superuser=True
    )


@pytest.fixture
def login(client):
    """The test client, signed in as the given user."""

    def as_user(user):
        client.force_login(user)
        return client

    return as_user


@pytest.fixture
def staff_client(client, staff_user):
    client.force_login(staff_user)
    return client


@pytest.fixture
def reader_user(django_user_model):
    return django_user_model.objects.create_user("reader", "reader@example.com", "pw-reader-123")


def pytest_report_header(config):
    """Say which database and cache this run is testing against."""
    from urllib.parse import urlsplit

    from django.conf import settings

    database, cache_config = settings.DATABASES["default"], settings.CACHES["default"]
    engine = database["ENGINE"].rpartition(".")[2]
    if engine == "sqlite3":
        engine += f" (test database {database.get('TEST', {}).get('NAME') or 'in memory'})"
    else:
        host = f"{database['HOST'] or 'local socket'}:{database['PORT'] or 'default port'}"
        engine += f" (test_{database['NAME']} on {host})"
    backend = cache_config["BACKEND"].rpartition(".")[2]
    if "LOCATION" in cache_config and "redis" in backend.lower():
        url = urlsplit(cache_config["LOCATION"])
        backend += f" ({url.hostname}:{url.port or 6379}{url.path})"
    from tests.browser.support import CHROMIUM, SCREENSHOTS, unavailable

    browser = unavailable() or f"Chromium {CHROMIUM}, screenshots in {SCREENSHOTS}"
    return [f"portal backends: database {engine}, cache {backend}", f"browser tests: {browser}"]
