"""Gunicorn settings: `gunicorn --config portal/gunicorn.conf.py` (what `make serve` runs).

Anything here can be overridden on the command line or in GUNICORN_CMD_ARGS.
"""

import os

wsgi_app = "portal.wsgi:application"
bind = "127.0.0.1:8000"


def _default_concurrency() -> int:
    # Gunicorn's rule of thumb, 2 × cores + 1, capped: every worker holds its own memory
    # and database connection, and beyond a dozen the database is the bottleneck.
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return min(2 * (cores or 1) + 1, 12)


concurrency = int(os.environ.get("WEB_CONCURRENCY") or _default_concurrency())
if os.environ.get("REDIS_URL"):
    # The cache is shared in Redis: processes side by side, each recycled now and then so
    # a slow leak never grows without bound.
    workers, threads = concurrency, 1
    max_requests, max_requests_jitter = 1000, 100
else:
    # Without Redis the cache lives in the process's memory (LocMem), and a cached page is
    # invalidated only in the process that saw the change: so one process, whose threads
    # serve readers side by side, and which is never recycled (that would empty the cache).
    workers, threads = 1, concurrency

timeout = 30
graceful_timeout = 30
keepalive = 5
accesslog = "-"
errorlog = "-"
# No runtime control socket (~/.gunicorn/gunicorn.ctl): it would be shared by every
# gunicorn of this user on the machine.
control_socket_disable = True


def when_ready(server):
    mode = f"{workers} processes × {threads} threads"
    cache = "Redis" if os.environ.get("REDIS_URL") else "LocMem"
    server.log.info("Portal serving with %s (cache: %s)", mode, cache)
