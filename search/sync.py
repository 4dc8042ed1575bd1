"""Keeping the search index in step with the articles.

Every write that changes what search finds ends here: an article saved (admin or ORM:
publish, unpublish, schedule, category, text), deleted, or changed in bulk by the admin's
actions (news.services calls ``articles_changed``, QuerySet.update sends no signal). The
receivers below only forward to these functions.

A backend whose index lives in the portal's database (the default ones) is written inside
the same transaction as the article: a rolled-back save leaves nothing behind, and a
reader never sees an article without its index row. Any other backend (a search engine of
its own, declaring ``in_database = False``) is told once the transaction has committed.
"""

from django.db import transaction

from .backends import get_backend
from .models import SearchDocument


def _run(action):
    backend = get_backend()
    if getattr(backend, "in_database", True):
        action(backend)
    else:
        transaction.on_commit(lambda: action(backend))


def articles_changed(article_ids) -> None:
    """Re-index the given articles: published ones are (re)written, others dropped."""
    ids = list(article_ids)
    if ids:
        _run(lambda backend: backend.index(ids))


def articles_deleted(article_ids) -> None:
    """Drop deleted articles from the index (called before their rows go)."""
    ids = list(article_ids)
    if ids:
        # Run now in any case: the document rows an index must be told about vanish with
        # the article.
        get_backend().remove(ids)


def article_saved(sender, instance, raw=False, **kwargs):
    if not raw:  # fixtures being loaded: rebuild_search_index afterwards
        articles_changed([instance.pk])


def article_deleting(sender, instance, **kwargs):
    articles_deleted([instance.pk])


def index_after_migrate(sender, using="default", verbosity=1, **kwargs):
    """After migrate or a flush: fill an empty index from the articles, or empty a stale one.

    A database that had articles before search existed gets its index here, without anyone
    running rebuild_search_index; a flushed test database loses its index rows with its
    documents (a contentless FTS5 table is not among the tables Django empties).
    """
    from django.db import connections
    from django.db.migrations.loader import MigrationLoader

    from news.models import Article

    loader = MigrationLoader(connections[using], ignore_no_migrations=True)
    if not set(loader.graph.leaf_nodes("search")) <= set(loader.applied_migrations):
        return  # migrated back, or only part of the way: the tables may not be there
    if SearchDocument.objects.using(using).exists():
        return
    has_articles = Article.objects.using(using).filter(status=Article.Status.PUBLISHED).exists()
    if has_articles and verbosity:
        print("正在建立搜索索引……")
    get_backend().rebuild()
