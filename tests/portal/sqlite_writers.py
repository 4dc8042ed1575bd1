"""Writers and readers hammering one SQLite file, configured as the embedded default.

Run by tests/portal/test_sqlite.py in a fresh interpreter with ``portal.settings`` and
PORTAL_SQLITE_PATH pointing at a new file; prints what happened as JSON. With
``--deferred`` the transactions start the way SQLite does by default, as a control.
"""

import json
import sys
import threading
import time

import django
from django.conf import settings
from django.db import OperationalError, connection, transaction

WRITERS = 8
TRANSACTIONS = 10
READERS = 2


def main(deferred: bool) -> dict:
    if deferred:
        settings.DATABASES["default"]["OPTIONS"].pop("transaction_mode")
    django.setup()
    with connection.cursor() as cursor:
        cursor.execute("CREATE TABLE tally (n INTEGER PRIMARY KEY)")
        cursor.execute("PRAGMA journal_mode")
        (journal_mode,) = cursor.fetchone()
    connection.close()

    errors = []
    start = threading.Barrier(WRITERS + READERS)
    writing = threading.Event()

    def writer():
        start.wait()
        try:
            for _ in range(TRANSACTIONS):
                # Read, think, then write what was read: the shape of a comment post
                # (duplicate check, then insert) and of any read-modify-write.
                with transaction.atomic(), connection.cursor() as cursor:
                    cursor.execute("SELECT coalesce(max(n), 0) FROM tally")
                    (last,) = cursor.fetchone()
                    time.sleep(0.002)
                    cursor.execute("INSERT INTO tally (n) VALUES (%s)", [last + 1])
        except OperationalError as error:
            errors.append(f"writer: {error}")
        finally:
            connection.close()

    def reader():
        start.wait()
        try:
            while writing.is_set():
                with connection.cursor() as cursor:
                    cursor.execute("SELECT count(*) FROM tally")
        except OperationalError as error:
            errors.append(f"reader: {error}")
        finally:
            connection.close()

    writing.set()
    writers = [threading.Thread(target=writer) for _ in range(WRITERS)]
    readers = [threading.Thread(target=reader) for _ in range(READERS)]
    for thread in writers + readers:
        thread.start()
    for thread in writers:
        thread.join()
    writing.clear()
    for thread in readers:
        thread.join()

    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*), coalesce(max(n), 0) FROM tally")
        rows, highest = cursor.fetchone()
    return {
        "journal_mode": journal_mode,
        "errors": errors,
        "rows": rows,
        "highest": highest,
        "expected": WRITERS * TRANSACTIONS,
    }


if __name__ == "__main__":
    print(json.dumps(main(deferred="--deferred" in sys.argv)))
