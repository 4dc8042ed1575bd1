"""What search compares: folded text, the grams an index keeps, and the terms of a query.

Everything is compared folded: Unicode compatibility forms (full-width Ｇ６０ is G60,
ideographic space is a space) and case (Ｓｔ, ST and st are one). A term matches an article
when the folded term is a substring of one of its folded fields (title, summary, body text,
source); a query of several space-separated terms matches when every term does. That is the
"substring truth" the index must reproduce exactly.

An index keeps, per field, every character (unigram) and every pair of adjacent characters
(bigram) that holds no whitespace, as Lucene's CJK analyzer keeps overlapping bigrams. A term
of one or two characters is found by that one gram, exactly; a longer term by all its
bigrams together, which gives candidates that are then checked against the folded text
itself (PostgreSQL) or against the positions the index keeps (SQLite's FTS5).
"""

import unicodedata

MAX_QUERY_LENGTH = 100  # the search form cuts longer queries (news.forms.SEARCH_MAX_LENGTH)
MAX_TERMS = 8  # more terms than this are ignored (each one narrows the result anyway)
FIELD_SEPARATOR = "\n"  # between fields of the folded text: whitespace, so no term spans it


def fold(text: str) -> str:
    """NFKC (full-width to half-width, compatibility forms) then case folding."""
    return unicodedata.normalize("NFKC", text or "").casefold()


def grams(folded: str, longest: int = 2) -> set[str]:
    """The grams of one to ``longest`` characters of already folded text, none holding
    whitespace."""
    runs = folded.split()  # str.split() splits on exactly what str.isspace() calls space
    return {
        run[i : i + n]
        for run in runs
        for n in range(1, longest + 1)
        for i in range(len(run) - n + 1)
    }


def term_grams(term: str, longest: int = 2) -> list[str]:
    """What an index of grams up to ``longest`` characters is asked for one folded term: the
    term itself when it is that short, else all its overlapping grams of that length."""
    if len(term) <= longest:
        return [term]
    return list(dict.fromkeys(term[i : i + longest] for i in range(len(term) - longest + 1)))


def query_terms(query: str) -> list[str]:
    """The distinct folded terms of a reader's query, in order; [] when nothing is asked.

    A term contained in another term of the query is dropped (松江 松江区 asks for 松江区).
    """
    terms = list(dict.fromkeys(fold(query[:MAX_QUERY_LENGTH]).split()))
    kept = [t for t in terms if not any(t != other and t in other for other in terms)]
    return kept[:MAX_TERMS]


def document_text(*fields: str) -> str:
    """The folded text of an article's searchable fields, one field after another."""
    return FIELD_SEPARATOR.join(fold(f).replace(FIELD_SEPARATOR, " ") for f in fields)
