"""PostgreSQL: a GIN index over the grams of each SearchDocument, computed by the database.

Migration 0005 defines ``search_tokens(text, category)``, an IMMUTABLE SQL function
returning the unigrams and bigrams of folded text (search.text.grams), the trigrams of its
runs of Latin letters, digits and signs (search.text.latin_trigrams) and the document's
category as one more token, and a GIN expression index over it. Nothing is stored beside
SearchDocument: the index follows every insert and delete of a document row by itself, so
indexing an article is rewriting its document (search.documents.refresh).

A query asks the index for every gram of every term at once (``@>``, which the array's GIN
support answers without a recheck): a term of one or two characters is one gram, exactly,
and so is one of three Latin letters, digits or signs (their trigrams are indexed too: few
keys, and numbers are where bigrams are least selective); a longer term is all its
overlapping bigrams (and Latin trigrams), whose candidates are then checked against the
folded text (``strpos``). Then:

- the count of a search whose terms are all exact is the index's alone: PostgreSQL counts a
  bitmap without reading the rows (their pages are all-visible once vacuumed), less the few
  scheduled documents that match, found through the publish-time b-tree and checked
  against their text. With a longer term, each candidate is checked once (its whole
  text is read: about 10 µs), and the count and the page are taken from the same rows.
- the page orders the matches by the title tier (the title holds every term) and the rank,
  read from the document rows, never from their text unless a term must be checked.

pg_trgm is of no use here: under the C collation it indexes no Chinese at all.
"""

from django.db import connection, transaction
from django.utils import timezone

from .. import documents
from ..models import SearchDocument
from ..text import latin_trigrams, query_terms, term_grams
from .base import SearchBackend, SearchPage

BATCH = 1000  # articles per batch when indexing many at once
INDEX = "search_searchdocument_tokens"
# As migration 0005 creates it; rebuild() drops and creates it again around a bulk load.
CREATE_INDEX = (
    f"CREATE INDEX {INDEX} ON search_searchdocument USING gin (search_tokens(text, category_id))"
)

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


def tokens_of(term: str) -> list[str]:
    """What the index is asked for one folded term: its grams, and its Latin trigrams."""
    return term_grams(term) + sorted(latin_trigrams(term))


def is_exact(term: str) -> bool:
    """Whether the index alone answers ``term``: one or two characters, or three Latin ones
    (letters, digits, signs), each a token of its own."""
    return len(term) <= 2 or (len(term) == 3 and term in latin_trigrams(term))


def category_token(category_id) -> str:
    """The index's token for a category: it starts with a space, which no gram holds."""
    return f" c{int(category_id)}"


# Around every search query, in the same round trip: the gram index is the only way to
# the rows. The gram function's high cost (migration 0005) is counted again for each row
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

    def search(self, query, *, category_id=None, offset=0, limit=20) -> SearchPage:
        terms = query_terms(query)
        if not terms or not all(_usable(t) for t in terms):
            return SearchPage(ids=[], count=0, terms=terms)
        offset, limit = max(int(offset), 0), max(int(limit), 0)
        tokens = list(dict.fromkeys(g for t in terms for g in tokens_of(t)))
        if category_id is not None:
            tokens.append(category_token(category_id))
        found = "search_tokens(d.text, d.category_id) @> %s::text[]"
        checked = [t for t in terms if not is_exact(t)]
        check = "".join(" AND strpos(d.text, %s) > 0" for _ in checked)
        # Publish time kept out of reach of its b-tree ("+ interval '0'"): the gram index
        # alone finds the rows (see _BEFORE).
        now = timezone.now()
        visible = f"{found} AND d.publish_at + interval '0' <= %s{check}"
        visible_params = [tokens, now, *checked]
        in_title = " AND ".join(["strpos(d.title, %s) > 0"] * len(terms))
        matches = (
            f"SELECT d.article_id, ({in_title}) AS in_title, d.rank FROM {_TABLE} d WHERE {visible}"
        )
        matches_params = [*terms, *visible_params]
        page = "SELECT article_id FROM m ORDER BY in_title DESC, rank DESC LIMIT %s OFFSET %s"
        if checked:
            # Checking a candidate reads its whole text (about 10 µs at 100,000 articles):
            # each is checked once, for the count and the page together.
            count = "SELECT count(*) FROM m"
            sql = f"WITH m AS MATERIALIZED ({matches}) SELECT ({count}), ARRAY({page})"
            params = [*matches_params, limit, offset]
        else:
            # The index alone counts; the scheduled documents (a few at most) are taken off,
            # checked against their own text.
            in_category = " AND d.category_id = %s" if category_id is not None else ""
            scheduled = (
                f"SELECT count(*) FROM {_TABLE} d WHERE d.publish_at > %s{in_category}"
                + " AND strpos(d.text, %s) > 0" * len(terms)
            )
            count = f"(SELECT count(*) FROM {_TABLE} d WHERE {found}) - ({scheduled})"
            category = [category_id] if category_id is not None else []
            sql = f"WITH m AS ({matches}) SELECT ({count}), ARRAY({page})"
            params = [*matches_params, tokens, now, *category, *terms, limit, offset]
        with connection.cursor() as cursor:
            count, ids = _fetch(cursor, sql, params)[0]
        return SearchPage(ids=list(ids), count=count, terms=terms)

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

        published = Article.objects.filter(status=Article.Status.PUBLISHED).unexpired()
        ids = list(published.order_by("pk").values_list("pk", flat=True))
        total = len(ids)
        if progress:
            progress(0, total)
        with transaction.atomic(), connection.cursor() as cursor:
            SearchDocument.objects.exclude(pk__in=published.values("pk")).delete()
            # An empty index (a new site, or one that had articles before search) is built
            # in one pass after the documents are written: computing every document's grams
            # once and sorting them is a fraction of adding them one document at a time.
            # Searches wait for this transaction; there was nothing to find anyway.
            from_empty = not SearchDocument.objects.exists()
            if from_empty:
                cursor.execute(f"DROP INDEX {INDEX}")
            else:
                # New grams wait in the index's pending list and are merged in large sorted
                # runs rather than one document at a time.
                cursor.execute("SET LOCAL gin_pending_list_limit = '256MB'")
            for start in range(0, total, BATCH):
                documents.refresh(ids[start : start + BATCH])
                if progress:
                    progress(min(start + BATCH, total), total)
            if from_empty:
                # The documents' foreign-key checks wait for the commit, and PostgreSQL
                # builds no index on a table with checks pending: run them now.
                cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
                cursor.execute("SET CONSTRAINTS ALL DEFERRED")
                cursor.execute("SET LOCAL maintenance_work_mem = '512MB'")
                cursor.execute(CREATE_INDEX)
            else:
                cursor.execute("SELECT gin_clean_pending_list(%s::regclass)", [INDEX])
        with connection.cursor() as cursor:
            # A count reads the index alone only where the visibility map says a page is
            # all-visible: vacuum now rather than when autovacuum comes round.
            command = "ANALYZE" if connection.in_atomic_block else "VACUUM (ANALYZE)"
            cursor.execute(f"{command} {_TABLE}")
