"""The search backend in use: PORTAL_SEARCH_BACKEND, or the one for the portal's database."""

import functools

from django.conf import settings
from django.db import connection
from django.utils.module_loading import import_string

DEFAULTS = {
    "sqlite": "search.backends.sqlite.SQLiteSearchBackend",
    "postgresql": "search.backends.postgres.PostgresSearchBackend",
}


@functools.cache
def get_backend():
    path = getattr(settings, "PORTAL_SEARCH_BACKEND", "") or DEFAULTS[connection.vendor]
    return import_string(path)()
