"""Production configuration comes from the environment; without any, the embedded default."""

import importlib.util
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured

import portal.settings

SETTINGS_FILE = Path(portal.settings.__file__)
BASE_DIR = portal.settings.BASE_DIR


def clean_env(tmp_path, **env) -> dict:
    """The environment of a fresh server process: only ``env`` set, data under tmp_path."""
    kept = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("DJANGO_", "PORTAL_")) and k not in {"DATABASE_URL", "REDIS_URL"}
    }
    return {**kept, "PORTAL_DATA_DIR": str(tmp_path), **env}


@pytest.fixture
def load_settings(monkeypatch, tmp_path):
    """portal/settings.py executed afresh with the given environment variables."""

    def load(**env):
        monkeypatch.setattr(os, "environ", clean_env(tmp_path, **env))
        spec = importlib.util.spec_from_file_location("settings_under_test", SETTINGS_FILE)
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        return module

    return load


def test_embedded_default_is_sqlite_in_wal_mode_and_local_memory_cache(load_settings, tmp_path):
    s = load_settings()

    database = s.DATABASES["default"]
    assert database["ENGINE"] == "django.db.backends.sqlite3"
    assert Path(database["NAME"]) == tmp_path / "db.sqlite3"
    assert database["OPTIONS"]["transaction_mode"] == "IMMEDIATE"
    assert database["OPTIONS"]["timeout"] == 20
    assert "PRAGMA journal_mode=WAL" in database["OPTIONS"]["init_command"]
    assert s.CACHES["default"]["BACKEND"] == "django.core.cache.backends.locmem.LocMemCache"
    assert s.REDIS_URL is None
    assert not hasattr(s, "SECURE_SSL_REDIRECT")
    assert not hasattr(s, "SECURE_PROXY_SSL_HEADER")


def test_database_url_configures_postgresql(load_settings):
    s = load_settings(
        DATABASE_URL="postgres://portal:p%40ss%3Aw0rd@db.internal:6543/news?sslmode=require"
        "&connect_timeout=5"
    )

    database = s.DATABASES["default"]
    assert database["ENGINE"] == "portal.postgresql"
    assert (database["USER"], database["PASSWORD"]) == ("portal", "p@ss:w0rd")
    assert (database["HOST"], database["PORT"], database["NAME"]) == ("db.internal", "6543", "news")
    assert database["OPTIONS"] == {
        "sslmode": "require",
        "connect_timeout": "5",
        "server_side_binding": True,
        "prepare_threshold": 5,
    }
    assert database["CONN_MAX_AGE"] == 60
    assert database["CONN_HEALTH_CHECKS"] is True


def test_prepared_statements_can_be_turned_off_for_transaction_poolers(load_settings):
    database = load_settings(
        DATABASE_URL="postgres://portal@pgbouncer:6432/news", DJANGO_DB_PREPARED="0"
    ).DATABASES["default"]

    assert "server_side_binding" not in database["OPTIONS"]
    assert "prepare_threshold" not in database["OPTIONS"]


@pytest.mark.skipif(
    not os.environ.get("DATABASE_URL", "").startswith("postgres"),
    reason="DATABASE_URL is not PostgreSQL: prepared statements are checked in CI",
)
def test_postgresql_prepares_statements_a_page_runs_again_and_again(client, article_factory):
    from django.db import connection

    article = article_factory(tags=["松江"])
    for _ in range(8):  # the same statements, again and again, on one connection
        cache.clear()
        assert client.get(article.get_absolute_url()).status_code == 200

    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_prepared_statements")
        (prepared,) = cursor.fetchone()
    assert prepared >= 5


@pytest.mark.parametrize(
    "url, host, port",
    [
        ("postgresql://postgres@127.0.0.1/test", "127.0.0.1", ""),
        ("postgresql://postgres@[::1]:5433/test", "::1", "5433"),
        ("postgres://%2Fvar%2Frun%2FPostgreSQL/test", "/var/run/PostgreSQL", ""),
    ],
)
def test_database_url_hosts(load_settings, url, host, port):
    database = load_settings(DATABASE_URL=url).DATABASES["default"]

    assert (database["HOST"], database["PORT"], database["NAME"]) == (host, port, "test")


def test_connection_lifetime_is_configurable(load_settings):
    s = load_settings(DATABASE_URL="postgres://u@h/db", DJANGO_CONN_MAX_AGE="0")

    assert s.DATABASES["default"]["CONN_MAX_AGE"] == 0


@pytest.mark.parametrize(
    "url, name",
    [
        ("sqlite:///var/other.sqlite3", BASE_DIR / "var" / "other.sqlite3"),
        ("sqlite:////srv/portal/db.sqlite3", Path("/srv/portal/db.sqlite3")),
    ],
)
def test_database_url_accepts_sqlite_files(load_settings, url, name):
    database = load_settings(DATABASE_URL=url).DATABASES["default"]

    assert database["ENGINE"] == "django.db.backends.sqlite3"
    assert Path(database["NAME"]) == name
    assert database["OPTIONS"]["transaction_mode"] == "IMMEDIATE"


@pytest.mark.parametrize("url", ["mysql://u@h/db", "sqlite://", "sqlite://relative/db"])
def test_an_unknown_database_url_stops_the_start(load_settings, url):
    with pytest.raises(ImproperlyConfigured, match="DATABASE_URL"):
        load_settings(DATABASE_URL=url)


def test_redis_url_switches_the_cache_to_redis(load_settings):
    s = load_settings(REDIS_URL="redis://:secret@cache.internal:6379/2")

    assert s.REDIS_URL == "redis://:secret@cache.internal:6379/2"
    assert s.CACHES["default"] == {
        "BACKEND": "portal.cache.ResilientRedisCache",
        "LOCATION": "redis://:secret@cache.internal:6379/2",
        "KEY_PREFIX": "portal",
    }


def test_https_turns_on_redirects_secure_cookies_and_hsts(load_settings):
    s = load_settings(DJANGO_HTTPS="1")

    assert s.SECURE_SSL_REDIRECT is True
    assert s.SESSION_COOKIE_SECURE is True
    assert s.CSRF_COOKIE_SECURE is True
    assert s.SECURE_HSTS_SECONDS == 31_536_000
    assert s.SECURE_HSTS_INCLUDE_SUBDOMAINS is True
    assert s.SECURE_HSTS_PRELOAD is True
    assert s.SECURE_REDIRECT_EXEMPT == [r"^healthz/$"]


def test_hsts_can_be_shortened_and_narrowed(load_settings):
    s = load_settings(
        DJANGO_HTTPS="1",
        DJANGO_HSTS_SECONDS="3600",
        DJANGO_HSTS_INCLUDE_SUBDOMAINS="0",
        DJANGO_HSTS_PRELOAD="0",
    )

    assert s.SECURE_HSTS_SECONDS == 3600
    assert s.SECURE_HSTS_INCLUDE_SUBDOMAINS is False
    assert s.SECURE_HSTS_PRELOAD is False


def test_proxy_ssl_header_is_trusted_only_when_asked(load_settings):
    s = load_settings(DJANGO_SECURE_PROXY_SSL_HEADER="1")

    assert s.SECURE_PROXY_SSL_HEADER == ("HTTP_X_FORWARDED_PROTO", "https")


def test_production_refuses_to_start_without_a_secret_key(load_settings):
    with pytest.raises(ImproperlyConfigured, match="DJANGO_SECRET_KEY"):
        load_settings(DJANGO_PRODUCTION="1")


def test_embedded_default_generates_one_private_secret_key(load_settings, tmp_path):
    first, second = load_settings().SECRET_KEY, load_settings().SECRET_KEY

    key_file = tmp_path / "secret_key"
    assert first == second == key_file.read_text().strip()
    assert len(first) >= 50
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    assert [p.name for p in tmp_path.iterdir()] == ["secret_key"]


SECRET_KEY = "k7-Qm2vX9pLr4TzW8sYbN3cHfJ6dGa1uE5oIyR0tKwVnMxCqBh"


def deploy_check(tmp_path, **env) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=BASE_DIR,
        env=clean_env(tmp_path, DJANGO_SETTINGS_MODULE="portal.settings", **env),
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_deploy_check_finds_nothing_with_production_and_https_on(tmp_path):
    done = deploy_check(
        tmp_path,
        DJANGO_PRODUCTION="1",
        DJANGO_HTTPS="1",
        DJANGO_SECRET_KEY=SECRET_KEY,
        DJANGO_ALLOWED_HOSTS="news.example.com",
    )

    assert done.returncode == 0, done.stdout + done.stderr
    assert "System check identified no issues (0 silenced)." in done.stdout


def test_env_example_is_a_setup_the_deploy_check_accepts_once_the_key_is_filled_in(tmp_path):
    lines = (BASE_DIR / ".env.example").read_text().splitlines()
    example = dict(
        line.split("=", 1) for line in lines if line.strip() and not line.startswith("#")
    )
    assert example["DJANGO_SECRET_KEY"] == ""  # left empty: production refuses to start

    done = deploy_check(tmp_path, **{**example, "DJANGO_SECRET_KEY": SECRET_KEY})

    assert done.returncode == 0, done.stdout + done.stderr
    assert "System check identified no issues (0 silenced)." in done.stdout
