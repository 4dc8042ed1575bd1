"""SQLite: the gram index as a contentless FTS5 table beside SearchDocument.

Each published article is one row of ``search_grams`` whose rowid is its
``SearchDocument.rank`` negated, so FTS5 hands out matches newest first straight from its
doclists in ascending rowid order, counts them without touching another table, and skips
the scheduled ones with a rowid bound (the publish time is the rank's high part). Ascending,
because SQLite 3.40's FTS5 drops some rows of a phrase query read in descending rowid order
(79,348 of 79,477 for 建设方 at 100,000 articles; ascending gives them all).

Grams are stored as ASCII tokens that FTS5's ``ascii`` tokenizer keeps whole: the hex of
their code points behind a letter (``x``: a bigram, ``u``: a character), and the category
as one more token (``c12``), so a category filter is part of the match. The columns:

- ``title`` and ``text``: the bigrams of the folded title and of the whole folded text, in
  order (``z`` stands for a pair holding whitespace). A term of two or more characters is
  the phrase of its bigrams: consecutive bigrams ab, bc, cd are exactly the substring abcd,
  so FTS5's positions answer every term exactly and no candidate is read back.
- ``chars`` and ``title_chars``: each character of the text and of the title once (terms
  of one character), and the category token.

The title columns give the title tier (title holds every term) with column filters.
The table is contentless (SQLite 3.40 has no ``contentless_delete``): a row is removed with
FTS5's ``'delete'`` command given the values it was inserted with, derived again from the
SearchDocument row being replaced (``documents.refresh`` returns them).
"""

from django.db import connection, transaction
from django.utils import timezone

from .. import documents
from ..models import SearchDocument
from ..text import query_terms
from .base import SearchBackend, SearchPage

TABLE = "search_grams"
ID_BITS = 31  # rank = publish seconds * 2**31 + article id (search.backends.base.rank_key)
BATCH = 500  # articles per batch when indexing many at once
GAP = "z"  # a pair of characters holding whitespace: keeps the positions of the others


def _char_hex(char: str) -> str:
    # Four hex digits for a character of the Basic Multilingual Plane, "g" and six for
    # others: one gram, one token, and no two grams share one. Empty for whitespace.
    if char.isspace():
        return ""
    return f"{ord(char):04x}" if ord(char) < 0x10000 else f"g{ord(char):06x}"


class _Codes(dict):
    def __missing__(self, char):
        self[char] = code = _char_hex(char)
        return code


_CODES = _Codes()  # every character seen so far: a few thousand at most in practice


def _hex(gram: str) -> str:
    return "".join(_CODES[c] for c in gram)


def _bigrams(folded: str) -> str:
    codes = [_CODES[c] for c in folded]
    return " ".join(f"x{a}{b}" if a and b else GAP for a, b in zip(codes, codes[1:], strict=False))


def _chars(folded: str) -> str:
    return " ".join("u" + _hex(c) for c in sorted(set(folded)) if not c.isspace())


def fts_row(doc: SearchDocument) -> tuple[int, str, str, str, str]:
    """(rowid, title, text, chars, title_chars) of a document: to insert and to delete."""
    chars = f"{_chars(doc.text)} c{doc.category_id}"
    return -doc.rank, _bigrams(doc.title), _bigrams(doc.text), chars, _chars(doc.title)


def write_rows(cursor, removed, added) -> None:
    """Forget ``removed`` documents and index ``added`` ones."""
    columns = "rowid, title, text, chars, title_chars"
    if removed:
        cursor.executemany(
            f"INSERT INTO {TABLE}({TABLE}, {columns}) VALUES ('delete', %s, %s, %s, %s, %s)",
            [fts_row(doc) for doc in removed],
        )
    if added:
        cursor.executemany(
            f"INSERT INTO {TABLE}({columns}) VALUES (%s, %s, %s, %s, %s)",
            [fts_row(doc) for doc in added],
        )


def _term(term: str, *, in_title: bool) -> str:
    """The FTS5 query of one folded term: its character, or the phrase of its bigrams."""
    if len(term) == 1:
        return ("{title_chars} : " if in_title else "{chars} : ") + "u" + _hex(term)
    phrase = '"' + " ".join("x" + _hex(term[i : i + 2]) for i in range(len(term) - 1)) + '"'
    return ("{title} : " if in_title else "{title text} : ") + phrase


def _match(terms: list[str], category_id, *, in_title: bool) -> str:
    parts = [_term(term, in_title=in_title) for term in terms]
    if category_id is not None:
        parts.append(f"{{chars}} : c{int(category_id)}")
    return " AND ".join(parts)


class SQLiteSearchBackend(SearchBackend):
    in_database = True  # written in the article's own transaction (search.sync)

    def search(self, query: str, *, category_id=None, offset=0, limit=20) -> SearchPage:
        terms = query_terms(query)
        if not terms:
            return SearchPage(ids=[], count=0, terms=terms)
        every = _match(terms, category_id, in_title=False)
        in_title = _match(terms, category_id, in_title=True)
        visible, params = self._visible()
        where = f"{TABLE} MATCH %s AND {visible}"
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT (SELECT count(*) FROM {TABLE} WHERE {where}), "
                f"(SELECT count(*) FROM {TABLE} WHERE {where})",
                [every, *params, in_title, *params],
            )
            count, title_count = cursor.fetchone()
            page = f"SELECT rowid FROM {TABLE} WHERE {where} ORDER BY rowid LIMIT %s OFFSET %s"
            ranks = []
            if offset < title_count:
                cursor.execute(page, [in_title, *params, limit, offset])
                ranks = [row[0] for row in cursor.fetchall()]
            if len(ranks) < limit and offset + len(ranks) < count:
                # The title matches are left out by rowid, not with FTS5's NOT (whose
                # results SQLite 3.40 also gets wrong in one of the two orders).
                rest = (
                    f"SELECT rowid FROM {TABLE} WHERE {where} AND rowid NOT IN "
                    f"(SELECT rowid FROM {TABLE} WHERE {TABLE} MATCH %s) "
                    "ORDER BY rowid LIMIT %s OFFSET %s"
                )
                skip = max(0, offset - title_count)
                cursor.execute(rest, [every, *params, in_title, limit - len(ranks), skip])
                ranks += [row[0] for row in cursor.fetchall()]
        mask = (1 << ID_BITS) - 1
        return SearchPage(ids=[-rowid & mask for rowid in ranks], count=count, terms=terms)

    @staticmethod
    def _visible():
        """A rowid condition keeping only documents whose publish time has come.

        Ranks below the current second are in the past; within it, the few documents still
        to come are left out one by one (their rank alone cannot say which side they are on).
        """
        now = timezone.now()
        second = int(now.timestamp())
        low, high = second << ID_BITS, (second + 1) << ID_BITS
        pending = (
            "SELECT -rank FROM search_searchdocument "
            "WHERE rank >= %s AND rank < %s AND publish_at > %s"
        )
        when = connection.ops.adapt_datetimefield_value(now)
        return f"rowid > %s AND rowid NOT IN ({pending})", [-high, low, high, when]

    def index(self, article_ids) -> None:
        ids = list(article_ids)
        for start in range(0, len(ids), BATCH):
            with transaction.atomic():
                change = documents.refresh(ids[start : start + BATCH])
                with connection.cursor() as cursor:
                    write_rows(cursor, change.removed, change.added)

    def remove(self, article_ids) -> None:
        ids = list(article_ids)
        for start in range(0, len(ids), BATCH):
            with transaction.atomic():
                gone = SearchDocument.objects.filter(pk__in=ids[start : start + BATCH])
                with connection.cursor() as cursor:
                    write_rows(cursor, list(gone), [])
                gone.delete()

    def rebuild(self, progress=None) -> None:
        from news.models import Article

        with transaction.atomic():
            SearchDocument.objects.all().delete()
            with connection.cursor() as cursor:
                cursor.execute(f"INSERT INTO {TABLE}({TABLE}) VALUES ('delete-all')")
        published = Article.objects.filter(status=Article.Status.PUBLISHED).unexpired()
        published = published.order_by("pk")
        ids = list(published.values_list("pk", flat=True))
        total = len(ids)
        if progress:
            progress(0, total)
        for start in range(0, total, BATCH):
            chunk = ids[start : start + BATCH]
            articles = Article.objects.filter(pk__in=chunk).only(*documents.FIELDS)
            docs = [documents.build(article) for article in articles]
            with transaction.atomic():
                SearchDocument.objects.bulk_create(docs)
                with connection.cursor() as cursor:
                    write_rows(cursor, [], docs)
            if progress:
                progress(min(start + BATCH, total), total)
        with connection.cursor() as cursor:
            # One b-tree per token instead of one per batch: smaller, and faster to read.
            cursor.execute(f"INSERT INTO {TABLE}({TABLE}) VALUES ('optimize')")
