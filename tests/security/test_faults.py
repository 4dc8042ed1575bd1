"""The database going away: readers get a static Chinese 503 page with Retry-After (never a
500 or a traceback), the outage is logged, and the site comes back by itself, with no
restart, as soon as the database does. (Redis going away: tests/portal/test_cache.py.)"""

import logging
import os
import socket
import threading
import time

import pytest
from django.conf import settings
from django.core.cache import cache
from django.db import close_old_connections, connections
from django.test import Client

from tests.news.helpers import text_of

pytestmark = pytest.mark.django_db(transaction=True)

ON_POSTGRESQL = settings.DATABASES["default"]["ENGINE"] == "portal.postgresql"
UNAVAILABLE = "503 · 服务暂时不可用"


class TcpProxy:
    """A TCP proxy in a thread, in front of the database server: cut it to stop the database
    as the portal sees it (listener and open connections closed), restore it to restart."""

    def __init__(self, upstream: tuple[str, int]):
        self.upstream = upstream
        self.port = 0
        self.accepted = 0
        self._sockets: set[socket.socket] = set()
        self._lock = threading.Lock()
        self._listening = None

    def start(self):
        listener = socket.socket()
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind(("127.0.0.1", self.port))
        listener.listen(16)
        listener.settimeout(0.05)
        self.port = listener.getsockname()[1]
        self._listening = threading.Event()
        self._listening.set()
        self._acceptor = threading.Thread(
            target=self._accept, args=(listener, self._listening), daemon=True
        )
        self._acceptor.start()

    restore = start

    def cut(self):
        self._listening.clear()
        self._acceptor.join()  # the listener is closed: new connections are refused
        with self._lock:
            for sock in self._sockets:
                try:
                    sock.shutdown(socket.SHUT_RDWR)  # wakes the pumps blocked in recv()
                except OSError:
                    pass
                sock.close()
            self._sockets.clear()

    stop = cut

    def _accept(self, listener, listening):
        with listener:
            while listening.is_set():
                try:
                    client, _ = listener.accept()
                except TimeoutError:
                    continue
                client.settimeout(None)
                server = socket.create_connection(self.upstream)
                with self._lock:
                    self._sockets |= {client, server}
                    self.accepted += 1
                for source, target in ((client, server), (server, client)):
                    threading.Thread(target=self._pump, args=(source, target), daemon=True).start()

    @staticmethod
    def _pump(source, target):
        try:
            while data := source.recv(65536):
                target.sendall(data)
        except OSError:
            pass
        finally:
            for sock in (source, target):
                try:
                    sock.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass


@pytest.fixture
def use_database(transactional_db):
    """Serve this test's requests through a fresh connection with the given settings."""
    original = connections["default"]
    swapped = []

    def use(**overrides):
        wrapper = original.__class__({**original.settings_dict, **overrides}, alias="default")
        connections["default"] = wrapper
        swapped.append(wrapper)
        return wrapper

    yield use
    for wrapper in swapped:
        wrapper.close()
    connections["default"] = original


@pytest.fixture
def client():
    return Client(raise_request_exception=False)


def read(client, url):
    """One reader request, with the connection handling a server does around every request
    (the test client leaves it out): drop a connection that failed, health-check a kept one."""
    cache.clear()  # from the database, not from a cached page
    close_old_connections()
    try:
        return client.get(url)
    finally:
        close_old_connections()


def assert_unavailable_page(response):
    assert response.status_code == 503
    assert response.headers["Retry-After"] == "30"
    text = text_of(response)
    assert UNAVAILABLE in text and "请稍后刷新重试" in text
    html = response.content.decode()
    assert "Traceback" not in html and "OperationalError" not in html
    assert "Content-Security-Policy" in response.headers


@pytest.mark.skipif(not ON_POSTGRESQL, reason="PostgreSQL only: the proxy stands in front of it")
def test_postgresql_stopped_is_a_503_and_the_site_recovers_without_a_restart(
    use_database, client, article_factory, caplog
):
    article = article_factory(title="地铁新线今日开通")
    database = connections["default"].settings_dict
    proxy = TcpProxy((database["HOST"] or "127.0.0.1", int(database["PORT"] or 5432)))
    proxy.start()
    use_database(
        HOST="127.0.0.1",
        PORT=str(proxy.port),
        OPTIONS={**database["OPTIONS"], "connect_timeout": 2},
    )
    try:
        before = read(client, article.get_absolute_url())
        assert before.status_code == 200 and article.title in before.content.decode()
        assert proxy.accepted == 1  # the page really came through the proxy

        proxy.cut()  # PostgreSQL stops: the kept connection breaks, new ones are refused
        with caplog.at_level(logging.ERROR, logger="portal.db"):
            during = [read(client, url) for url in ["/", article.get_absolute_url(), "/"]]
        for response in during:
            assert_unavailable_page(response)
        logged = [r.getMessage() for r in caplog.records if r.name == "portal.db"]
        assert len(logged) == 3 and all("数据库不可用" in m for m in logged)

        proxy.restore()  # PostgreSQL is back: the next request connects again
        after = read(client, article.get_absolute_url())
        assert after.status_code == 200 and article.title in after.content.decode()
        assert read(client, "/").status_code == 200
        assert proxy.accepted == 2
    finally:
        proxy.stop()


def admin_session(connection):
    """A second PostgreSQL session to the same database, as another client would open."""
    import psycopg

    database = connection.settings_dict
    return psycopg.connect(
        host=database["HOST"], port=database["PORT"] or 5432, user=database["USER"],
        password=database["PASSWORD"], dbname=database["NAME"], autocommit=True,
    )  # fmt: skip


@pytest.mark.skipif(not ON_POSTGRESQL, reason="PostgreSQL only: its server ends the session")
def test_a_postgresql_session_ended_by_the_server_costs_the_next_reader_nothing(
    use_database, client, article_factory
):
    """What a PostgreSQL restart does to a kept connection: the next request gets its page."""
    article = article_factory(title="地铁新线今日开通")
    connection = use_database()
    assert read(client, article.get_absolute_url()).status_code == 200
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        kept = cursor.fetchone()[0]
    with admin_session(connection) as admin:
        admin.execute("SELECT pg_terminate_backend(%s)", [kept])

    after = read(client, article.get_absolute_url())

    assert after.status_code == 200 and article.title in after.content.decode()
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        assert cursor.fetchone()[0] != kept  # a new session, opened by the health check


@pytest.mark.skipif(not ON_POSTGRESQL, reason="PostgreSQL only: its health check")
def test_a_kept_postgresql_connection_is_checked_without_a_round_trip(use_database, monkeypatch):
    """Nothing waiting on an idle connection's socket: no SELECT 1 before the request's query."""
    connection = use_database()
    connection.ensure_connection()
    full_checks = []
    real_check = connection.is_usable
    monkeypatch.setattr(connection, "is_usable", lambda: full_checks.append(1) or real_check())

    for _request in range(3):
        close_old_connections()  # a request starts: the kept connection is checked again
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    assert full_checks == []

    with connection.cursor() as cursor:
        cursor.execute("LISTEN portal_test")
    with admin_session(connection) as admin:  # the server says something unasked
        admin.execute("NOTIFY portal_test")
    time.sleep(0.2)  # on its way over the socket
    close_old_connections()
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    assert full_checks == [1]


@pytest.mark.skipif(ON_POSTGRESQL, reason="SQLite only: its database is a file")
def test_an_unreachable_sqlite_file_is_a_503_and_the_site_recovers(
    use_database, client, article_factory, tmp_path, caplog
):
    article = article_factory(title="地铁新线今日开通")
    real = connections["default"].settings_dict["NAME"]
    volume = tmp_path / "volume"  # the disk holding the database, not mounted yet
    use_database(NAME=str(volume / os.path.basename(real)))

    with caplog.at_level(logging.ERROR, logger="portal.db"):
        assert_unavailable_page(read(client, article.get_absolute_url()))
    assert any("数据库不可用" in r.getMessage() for r in caplog.records if r.name == "portal.db")

    volume.symlink_to(os.path.dirname(real), target_is_directory=True)  # mounted again
    after = read(client, article.get_absolute_url())
    assert after.status_code == 200 and article.title in after.content.decode()


def test_the_503_page_needs_nothing_but_itself():
    """Shown when the database is gone: no template tags, no stylesheet to fetch."""
    page = (settings.BASE_DIR / "templates" / "503.html").read_text(encoding="utf-8")

    assert "{%" not in page.replace("{# ", "").split("#}")[-1]
    assert "<link" not in page and "<script" not in page
