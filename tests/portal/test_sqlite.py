"""The embedded SQLite database takes concurrent readers and comment writers in its stride."""

import json
import os
import subprocess
import sys
from pathlib import Path

from portal.settings import BASE_DIR


def hammer(tmp_path: Path, *args: str) -> dict:
    """Run tests/portal/sqlite_writers.py against a new file database, as production would."""
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL"}}
    env.update(
        DJANGO_SETTINGS_MODULE="portal.settings",
        PORTAL_DATA_DIR=str(tmp_path),
        PORTAL_SQLITE_PATH=str(tmp_path / "db.sqlite3"),
        PYTHONPATH=str(BASE_DIR),
    )
    script = BASE_DIR / "tests" / "portal" / "sqlite_writers.py"
    done = subprocess.run(
        [sys.executable, str(script), *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return json.loads(done.stdout)


def test_embedded_database_uses_write_ahead_logging(tmp_path):
    assert hammer(tmp_path)["journal_mode"] == "wal"


def test_concurrent_writers_never_see_database_is_locked(tmp_path):
    result = hammer(tmp_path)

    assert result["errors"] == []
    # Every read-then-write saw the previous one's write: nothing lost, nothing doubled.
    assert result["rows"] == result["highest"] == result["expected"]


def test_without_immediate_transactions_the_same_load_does_fail(tmp_path):
    """The control: proves the workload above catches the problem it guards against."""
    result = hammer(tmp_path, "--deferred")

    assert result["errors"], "expected 'database is locked' with deferred transactions"
    assert all("database is locked" in error for error in result["errors"])
