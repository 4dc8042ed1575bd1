from datetime import timedelta

import pytest
from django.utils import timezone

from search.backends import get_backend


@pytest.fixture
def backend(db):
    return get_backend()


@pytest.fixture
def found(backend):
    """The ids a search finds, best first (every page at once)."""

    def search(query, **kwargs):
        return backend.search(query, limit=10_000, **kwargs).ids

    return search


@pytest.fixture
def time_passes(monkeypatch):
    """Move the portal's clock forward: scheduled articles come due without any save."""

    def advance(**delta):
        later = timezone.now() + timedelta(**delta)
        monkeypatch.setattr(timezone, "now", lambda: later)

    return advance
