"""Test settings: the portal's settings with test-friendly storage and fast hashing.

The database and the cache come from the environment like in production: SQLite (in a
temporary file) and LocMem by default, PostgreSQL and Redis when DATABASE_URL and REDIS_URL
are set (Django creates its own test database; the tests flush the whole Redis database
they are given).
"""

import tempfile
from pathlib import Path
from urllib.parse import urlsplit

from django.core.exceptions import ImproperlyConfigured

from portal.settings import *  # noqa: F403
from portal.settings import CACHES, DATABASES, REDIS_URL

_tmp = Path(tempfile.mkdtemp(prefix="portal-tests-"))
MEDIA_ROOT = _tmp / "media"
STATIC_ROOT = _tmp / "static"
STATIC_ROOT.mkdir()
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# Tests flush buffered view counts themselves, at the moment they choose.
PORTAL_VIEWS_FLUSH_THREAD = False

if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # A file rather than Django's in-memory test database: WAL, the busy timeout and the
    # immediate transactions then work as in production, and tests that read the site from
    # several threads (each with its own connection) get no shared-cache table locks.
    DATABASES = {"default": {**DATABASES["default"], "TEST": {"NAME": _tmp / "test.sqlite3"}}}

if REDIS_URL:
    # Every test starts with cache.clear(), a FLUSHDB: never let that reach database 0,
    # where a developer's own Redis data usually lives.
    if urlsplit(REDIS_URL).path.strip("/") in {"", "0"}:
        raise ImproperlyConfigured(
            "The tests flush the Redis database in REDIS_URL: give them one of their own, "
            "e.g. redis://127.0.0.1:6379/15 (not database 0)."
        )
    CACHES = {"default": {**CACHES["default"], "KEY_PREFIX": "portal-tests"}}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
