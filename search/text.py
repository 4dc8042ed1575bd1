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

import re
import unicodedata

MAX_QUERY_LENGTH = 100  # the search form cuts longer queries (news.forms.SEARCH_MAX_LENGTH)
MAX_TERMS = 8  # more terms than this are ignored (each one narrows the result anyway)
FIELD_SEPARATOR = "\n"  # between fields of the folded text: whitespace, so no term spans it


def fold(text: str) -> str:
    """NFKC (full-width to half-width, compatibility forms) then case folding."""
    return unicodedata.normalize("NFKC", text or "").casefold()


def grams(folded: str) -> set[str]:
    """The unigrams and bigrams of already folded text, none holding whitespace."""
    runs = folded.split()  # str.split() splits on exactly what str.isspace() calls space
    return {run[i : i + n] for run in runs for n in (1, 2) for i in range(len(run) - n + 1)}


def term_grams(term: str) -> list[str]:
    """What the index is asked for one folded term: its unigram, or all its bigrams."""
    if len(term) == 1:
        return [term]
    return list(dict.fromkeys(term[i : i + 2] for i in range(len(term) - 1)))


# Latin letters, digits and signs (folded: full-width ones are among them). Their trigrams
# are few (tens of thousands at most, against millions for Chinese), and numbers are where
# bigrams are least selective: 2020, 12000, 3.5%.
LATIN_RUN = re.compile(r"[!-~]{3,}")


def latin_trigrams(folded: str) -> set[str]:
    """The trigrams of every run of three or more Latin letters, digits or signs."""
    return {run[i : i + 3] for run in LATIN_RUN.findall(folded) for i in range(len(run) - 2)}


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
