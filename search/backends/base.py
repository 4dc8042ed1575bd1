"""The one small interface views and templates use to search, whatever answers it.

A backend answers ``search(query, category_id=None, offset=0, limit=20)`` with a
``SearchPage``: the ids of one page of matching articles, best first, and how many match
in all. Best first means: articles whose title holds every term, then the others; newest
first within each. Only published articles whose publish time has come are ever found.

The default backends keep a gram index in the portal's own database (search.backends.sqlite:
an FTS5 table; search.backends.postgres: a GIN index). A newsroom that outgrows one database
points ``PORTAL_SEARCH_BACKEND`` at a class of its own (OpenSearch/Elasticsearch with a CJK
analyzer) implementing the same four methods; views and templates do not change.
"""

from dataclasses import dataclass, field


@dataclass(frozen=True)
class SearchPage:
    ids: list[int]  # article ids of the page, best first
    count: int  # how many articles match in all
    terms: list[str] = field(default_factory=list)  # the folded terms searched for


def rank_key(publish_at, article_id: int) -> int:
    """Newest first as one integer: seconds since the epoch, then the id (ids < 2**31).

    Times past 2106 count as 2106 (a 64-bit integer holds no more): far-future articles
    then stay in id order among themselves.
    """
    return min(int(publish_at.timestamp()), 2**32 - 1) * 2**31 + article_id


class SearchBackend:
    """What every backend offers. Subclasses implement the four methods below."""

    def search(self, query: str, *, category_id=None, offset=0, limit=20) -> SearchPage:
        raise NotImplementedError

    def index(self, article_ids) -> None:
        """Bring the given articles up to date: (re)indexed if published, dropped if not."""
        raise NotImplementedError

    def remove(self, article_ids) -> None:
        """Drop the given articles (deleted ones) from the index."""
        raise NotImplementedError

    def rebuild(self, progress=None) -> None:
        """Rebuild the whole index from the articles; ``progress(done, total)`` as it goes."""
        raise NotImplementedError
