import pytest


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    """Each test stores uploads in its own empty directory, so "nothing stored" is checkable."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def reader_client(client, reader_user):
    """A logged-in reader without staff rights."""
    client.force_login(reader_user)
    return client
