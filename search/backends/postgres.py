"""PostgreSQL: a GIN index over the grams of each SearchDocument, computed by the database.

Migration 0003 defines ``search_grams(text)``, an IMMUTABLE SQL function returning the
unigrams and bigrams of folded text exactly as search.text.grams() does, and a GIN
expression index over ``search_grams(text)``. Nothing is stored beside SearchDocument: the
index follows every insert and delete of a document row by itself, so indexing an article
is rewriting its document (search.documents.refresh).

A query asks the index for every gram of every term at once (``@>``, the array's GIN
support answers it without a recheck). That is exact for terms of one or two characters;
longer terms are then checked against the folded text (``strpos``). The title tier (the
title holds every term) and the rank come from the document row itself; the count comes
with the page, as a window over the same matches.

pg_trgm is of no use here: under the C collation it indexes no Chinese at all.
"""

from django.db import connection
from django.utils import timezone

from .. import documents
from ..models import SearchDocument
from ..text import is_exact, query_terms, term_grams
from .base import SearchBackend, SearchPage

BATCH = 1000  # articles per batch when indexing many at once

_TABLE = SearchDocument._meta.db_table


def _usable(term: str) -> bool:
    """Whether ``term`` can be in stored text at all (PostgreSQL text holds no NUL)."""
    if "\x00" in term:
        return False
    try:
        term.encode("utf-8")
    except UnicodeEncodeError:  # a lone surrogate
        return False
    return True


# Around every search query, in the same round trip: the gram index is the only way to
# the rows. The gram function's high cost (migration 0003) is counted again for each row
# the index finds (as if rechecked), so at some selectivity a sequential scan, or another
# index with the function as a filter, looks no dearer, yet costs a whole document's grams
# per row (seconds, not milliseconds). The same cost would also make every plan look
# worth compiling with JIT. The settings are reset at once (and rolled back on an error).
_BEFORE = "SET enable_seqscan = off; SET enable_indexscan = off; SET jit = off; "
_AFTER = "; RESET enable_seqscan; RESET enable_indexscan; RESET jit"


def _fetch(cursor, sql, params):
    """Rows of ``sql`` run under the settings above, as one statement string."""
    cursor.execute(_BEFORE + connection.ops.compose_sql(sql, params) + _AFTER)
    while cursor.description is None and cursor.nextset():
        pass
    return cursor.fetchall()


class PostgresSearchBackend(SearchBackend):
    in_database = True

    def _where(self, terms, category_id):
        """The WHERE clause and its parameters: grams from the index, long terms verified."""
        grams = list(dict.fromkeys(g for term in terms for g in term_grams(term)))
        # Publish time and category are kept out of reach of their b-tree indexes ("+ 0"):
        # the gram index alone finds the rows (see _BEFORE).
        clauses = ["search_grams(d.text) @> %s::text[]", "d.publish_at + interval '0' <= %s"]
        params = [grams, timezone.now()]
        if category_id is not None:
            clauses.append("d.category_id + 0 = %s")
            params.append(category_id)
        for term in terms:
            if not is_exact(term):
                clauses.append("strpos(d.text, %s) > 0")
                params.append(term)
        return " AND ".join(clauses), params

    def search(self, query, *, category_id=None, offset=0, limit=20) -> SearchPage:
        terms = query_terms(query)
        if not terms or not all(_usable(t) for t in terms):
            return SearchPage(ids=[], count=0, terms=terms)
        offset, limit = max(int(offset), 0), max(int(limit), 0)
        where, params = self._where(terms, category_id)
        in_title = " AND ".join(["strpos(d.title, %s) > 0"] * len(terms))
        page_sql = (
            f"SELECT d.article_id, count(*) OVER () FROM {_TABLE} d WHERE {where} "
            f"ORDER BY ({in_title}) DESC, d.rank DESC LIMIT %s OFFSET %s"
        )
        with connection.cursor() as cursor:
            rows = _fetch(cursor, page_sql, [*params, *terms, limit, offset])
            if rows:
                count = rows[0][1]
            elif offset == 0:
                count = 0
            else:  # a page past the end: the count alone
                sql = f"SELECT count(*) FROM {_TABLE} d WHERE {where}"
                count = _fetch(cursor, sql, params)[0][0]
        return SearchPage(ids=[row[0] for row in rows], count=count, terms=terms)

    def index(self, article_ids) -> None:
        ids = list(article_ids)
        for start in range(0, len(ids), BATCH):
            documents.refresh(ids[start : start + BATCH])

    def remove(self, article_ids) -> None:
        # The articles still exist (this runs before their rows go): refresh would keep them.
        ids = list(article_ids)
        for start in range(0, len(ids), BATCH):
            SearchDocument.objects.filter(pk__in=ids[start : start + BATCH]).delete()

    def rebuild(self, progress=None) -> None:
        from news.models import Article

        published = Article.objects.filter(status=Article.Status.PUBLISHED)
        ids = list(published.order_by("pk").values_list("pk", flat=True))
        total = len(ids)
        SearchDocument.objects.exclude(pk__in=published.values("pk")).delete()
        if progress:
            progress(0, total)
        for start in range(0, total, BATCH):
            documents.refresh(ids[start : start + BATCH])
            if progress:
                progress(min(start + BATCH, total), total)
        with connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {_TABLE}")
