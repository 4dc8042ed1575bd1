import pytest
from django.test import Client


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    """Covers are stored in each test's own directory."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def reader(db):
    """An anonymous reader (a feed reader, a crawler) with a client of its own."""
    return Client()
