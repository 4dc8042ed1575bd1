"""Django's PostgreSQL backend, with a health check that costs no round trip when it can.

With CONN_HEALTH_CHECKS Django checks a reused connection before a request's first query
by running ``SELECT 1``: a round trip to PostgreSQL on every request that reads the
database, to find out what the connection's socket can tell without one. An idle
connection receives nothing unless the server has something to say; when PostgreSQL
restarts or a backend is terminated, the server sends its "terminating connection" error
and closes the socket. So a reused connection whose socket has nothing to read is taken
as healthy; one with anything waiting on it (or already broken) gets Django's full check,
which replaces it if it fails. A connection that dies silently (a host gone without
closing its sockets) fails at its next query, as it would right after a ``SELECT 1``: that
request gets the 503 page (portal.middleware) and the next one reconnects.
"""

import select

from django.db.backends.postgresql import base
from psycopg import pq


class DatabaseWrapper(base.DatabaseWrapper):
    def close_if_health_check_failed(self):
        if (
            self.connection is not None
            and self.health_check_enabled
            and not self.health_check_done
            and not self.pool
            and self._socket_is_quiet()
        ):
            self.health_check_done = True
            return
        super().close_if_health_check_failed()

    def _socket_is_quiet(self) -> bool:
        """The connection is open and idle, and the server has sent nothing since."""
        connection = self.connection
        if connection.closed or connection.broken:
            return False
        if connection.info.transaction_status != pq.TransactionStatus.IDLE:
            return False
        try:
            poller = select.poll()
            poller.register(connection.fileno(), select.POLLIN | select.POLLPRI)
            return not poller.poll(0)  # any event: data, an error or a hang-up
        except (OSError, ValueError):
            return False
