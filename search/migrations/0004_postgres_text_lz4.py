# PostgreSQL: the folded text compressed with lz4 instead of pglz. Terms longer than two
# characters are checked against it (strpos) for every candidate, and decompressing each
# document was most of that check: at 100,000 documents a strpos over all of them took
# 1.5 s with pglz, 0.6 s uncompressed (three times the size) and 0.3 s with lz4, which
# keeps pglz's size (325 MB against 306 MB). Servers built without lz4, and PostgreSQL
# before 14, keep pglz. Rows written before this keep theirs until rewritten
# (rebuild_search_index).
from django.db import DatabaseError, migrations, transaction


def compression(method):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        if schema_editor.connection.pg_version < 140000:
            return
        try:
            with transaction.atomic():
                schema_editor.execute(
                    f"ALTER TABLE search_searchdocument ALTER COLUMN text SET COMPRESSION {method}"
                )
        except DatabaseError:  # "compression method lz4 not supported"
            pass

    return run


class Migration(migrations.Migration):
    dependencies = [("search", "0003_postgres_index")]
    operations = [migrations.RunPython(compression("lz4"), compression("pglz"))]
