import json

from django.test import override_settings

from portal.staticfiles import StaticFilesStorage


def storage_with_manifest(tmp_path, paths):
    (tmp_path / "staticfiles.json").write_text(
        json.dumps({"paths": paths, "version": "1.1", "hash": "x"})
    )
    return StaticFilesStorage(location=tmp_path, base_url="/static/")


@override_settings(DEBUG=False)
def test_a_static_address_is_the_hashed_one_and_worked_out_once(tmp_path):
    storage = storage_with_manifest(tmp_path, {"css/portal.css": "css/portal.1a2b.css"})

    assert storage.url("css/portal.css") == "/static/css/portal.1a2b.css"
    storage.hashed_files["css/portal.css"] = "css/portal.3c4d.css"  # not looked up again
    assert storage.url("css/portal.css") == "/static/css/portal.1a2b.css"

    list(storage.post_process({}, dry_run=True))  # collectstatic: a new manifest
    storage.hashed_files["css/portal.css"] = "css/portal.3c4d.css"
    assert storage.url("css/portal.css") == "/static/css/portal.3c4d.css"


@override_settings(DEBUG=False)
def test_a_file_missing_from_the_manifest_is_still_an_error(tmp_path):
    import pytest

    storage = storage_with_manifest(tmp_path, {})
    with pytest.raises(ValueError, match="Missing staticfiles manifest entry"):
        storage.url("css/none.css")
    with pytest.raises(ValueError):
        storage.url("css/none.css")  # an error is not remembered as an address
