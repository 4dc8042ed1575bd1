"""Gunicorn settings: `gunicorn --config portal/gunicorn.conf.py` (what `make serve` runs).

Anything here can be overridden on the command line or in GUNICORN_CMD_ARGS.
"""

import os

wsgi_app = "portal.wsgi:application"
bind = "127.0.0.1:8000"


def _default_workers() -> int:
    # Gunicorn's rule of thumb, 2 × cores + 1, capped: every worker holds its own memory
    # and database connection, and beyond a dozen the database is the bottleneck.
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return min(2 * (cores or 1) + 1, 12)


workers = int(os.environ.get("WEB_CONCURRENCY") or _default_workers())
timeout = 30
graceful_timeout = 30
keepalive = 5
# Recycle each worker now and then, so a slow leak never grows without bound.
max_requests = 1000
max_requests_jitter = 100
accesslog = "-"
errorlog = "-"
