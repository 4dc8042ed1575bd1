# The SQLite gram index: a contentless FTS5 table (see search.backends.sqlite). Nothing on
# other databases. Documents are filled in by search.sync after migrate, or by
# ``manage.py rebuild_search_index``.
from django.db import migrations

CREATE = (
    "CREATE VIRTUAL TABLE IF NOT EXISTS search_grams "
    "USING fts5(title, text, chars, title_chars, content='', detail=full, tokenize='ascii')"
)


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        schema_editor.execute(CREATE)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        schema_editor.execute("DROP TABLE IF EXISTS search_grams")


class Migration(migrations.Migration):
    dependencies = [("search", "0001_initial")]
    operations = [migrations.RunPython(create, drop, elidable=False)]
