# PostgreSQL: the GIN index keeps the document's category as one more token beside its
# unigrams and bigrams, and the trigrams of Latin letters, digits and signs
# (search.backends.postgres), so that a search of short terms is counted from the index
# without reading the documents and a category filter is part of the index lookup; the
# grams are computed about 2.5 times faster. Replaces search_grams(text) and its
# index (migration 0003). Nothing on other databases.
#
# Chinese trigrams were tried and left out: on realistic text (the bench's 100,000 articles)
# they are some 20 million distinct keys, and building the index took tens of minutes.
from importlib import import_module

from django.db import migrations

# Python's str.isspace() characters: no gram holds one (search.text.grams). Spelled out
# because the regex class \s knows only ASCII under the C collation.
WHITESPACE = (
    r"\t\n\v\f\r\u001c-\u001f \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000"
)

# A run of text without whitespace gives its grams of n characters as n splits of the run
# into n-character pieces, started at each of its first n characters: regexp_replace puts a
# space after each piece (a shorter tail piece is a gram too), and all of it is split once.
# About 2.5 times faster than unnesting character arrays, which is most of what writing a
# document costs. Runs of Latin letters, digits and signs (!-~) also give their trigrams
# (search.text.latin_trigrams): few keys, and numbers are where bigrams are least selective.
# A high COST keeps the planner from calling it per row in a filter (one call reads a whole
# document): rows are found through the index, never by recomputing it. The category token
# starts with a space, which no gram holds.
CREATE_FUNCTION = f"""
CREATE OR REPLACE FUNCTION search_tokens(folded text, category integer) RETURNS text[]
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE COST 100000 AS $$
  SELECT array_remove(string_to_array(coalesce(string_agg(part, ' '), ''), ' '), '')
    || (' c' || category)
  FROM (
    SELECT regexp_replace(run, '(.)', '\\1 ', 'g') || ' '
      || regexp_replace(run, '(..)', '\\1 ', 'g') || ' '
      || regexp_replace(substr(run, 2), '(..)', '\\1 ', 'g')
    FROM regexp_split_to_table(folded, '[{WHITESPACE}]+') AS r(run)
    UNION ALL
    SELECT regexp_replace(m.latin[1], '(...)', '\\1 ', 'g') || ' '
      || regexp_replace(substr(m.latin[1], 2), '(...)', '\\1 ', 'g') || ' '
      || regexp_replace(substr(m.latin[1], 3), '(...)', '\\1 ', 'g')
    FROM regexp_matches(folded, '[!-~]{{3,}}', 'g') AS m(latin)
  ) AS parts(part)
$$
"""

CREATE_INDEX = (
    "CREATE INDEX IF NOT EXISTS search_searchdocument_tokens "
    "ON search_searchdocument USING gin (search_tokens(text, category_id))"
)

# Migrating back restores what migration 0003 made, from its own statements.
PREVIOUS = import_module("search.migrations.0003_postgres_index")


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS search_searchdocument_grams")
        schema_editor.execute("DROP FUNCTION IF EXISTS search_grams(text)")
        schema_editor.execute(CREATE_FUNCTION)
        # Documents already there (an existing site): the build sorts its grams in memory.
        schema_editor.execute("SET LOCAL maintenance_work_mem = '512MB'")
        schema_editor.execute(CREATE_INDEX)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS search_searchdocument_tokens")
        schema_editor.execute("DROP FUNCTION IF EXISTS search_tokens(text, integer)")
        schema_editor.execute(PREVIOUS.CREATE_FUNCTION)
        schema_editor.execute("SET LOCAL maintenance_work_mem = '512MB'")
        schema_editor.execute(PREVIOUS.CREATE_INDEX)


class Migration(migrations.Migration):
    dependencies = [("search", "0004_postgres_text_lz4")]
    operations = [migrations.RunPython(forward, backward, elidable=False)]
