# The PostgreSQL gram index: a GIN expression index over search_grams(text), the unigrams
# and bigrams of search.text.grams() computed by the database. Nothing on other databases.
from django.db import migrations

# Python's str.isspace() characters: no gram holds one (search.text.grams). Spelled out
# because the regex class \s knows only ASCII under the C collation.
WHITESPACE = (
    r"\t\n\v\f\r\u001c-\u001f \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000"
)

# A high COST keeps the planner from calling it per row in a filter (one call reads a whole
# document): rows are found through the index, never by recomputing it.
CREATE_FUNCTION = f"""
CREATE OR REPLACE FUNCTION search_grams(folded text) RETURNS text[]
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE COST 100000 AS $$
  SELECT coalesce(array_agg(g), '{{}}')
  FROM regexp_split_to_table(folded, '[{WHITESPACE}]+') AS r(run)
  CROSS JOIN LATERAL (SELECT string_to_array(run, NULL) AS c) AS a
  CROSS JOIN LATERAL (
    SELECT unnest(a.c) AS g
    UNION ALL
    SELECT x || y FROM unnest(a.c[1:cardinality(a.c) - 1], a.c[2:cardinality(a.c)]) AS p(x, y)
  ) AS b
$$
"""

CREATE_INDEX = (
    "CREATE INDEX IF NOT EXISTS search_searchdocument_grams "
    "ON search_searchdocument USING gin (search_grams(text))"
)


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE_FUNCTION)
        # Documents already there (an existing site): the build sorts its grams in memory.
        schema_editor.execute("SET LOCAL maintenance_work_mem = '512MB'")
        schema_editor.execute(CREATE_INDEX)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS search_searchdocument_grams")
        schema_editor.execute("DROP FUNCTION IF EXISTS search_grams(text)")


class Migration(migrations.Migration):
    dependencies = [("search", "0002_sqlite_fts")]
    operations = [migrations.RunPython(create, drop, elidable=False)]
