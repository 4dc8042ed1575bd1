"""Keeping SearchDocument rows in step with the articles (the part every backend shares)."""

from dataclasses import dataclass

from django.db import transaction

from news.models import Article

from .backends.base import rank_key
from .models import SearchDocument
from .text import document_text, fold

FIELDS = ("id", "title", "summary", "body_text", "source_name", "category_id", "publish_at")


@dataclass(frozen=True)
class Change:
    """What one refresh did: the rows as they were (for indexes that must be told what to
    forget) and the rows as they are now."""

    removed: list[SearchDocument]
    added: list[SearchDocument]


def build(article: Article) -> SearchDocument:
    return SearchDocument(
        article_id=article.pk,
        title=fold(article.title),
        text=document_text(article.title, article.summary, article.body_text, article.source_name),
        category_id=article.category_id,
        publish_at=article.publish_at,
        rank=rank_key(article.publish_at, article.pk),
    )


@transaction.atomic
def refresh(article_ids) -> Change:
    """Rewrite the documents of ``article_ids``: published articles that have not expired
    get one (scheduled ones too: search leaves them out until their time), others none."""
    ids = list(article_ids)
    removed = list(SearchDocument.objects.filter(pk__in=ids))
    SearchDocument.objects.filter(pk__in=ids).delete()
    published = Article.objects.filter(pk__in=ids, status=Article.Status.PUBLISHED)
    articles = published.unexpired().only(*FIELDS)
    added = SearchDocument.objects.bulk_create([build(a) for a in articles])
    return Change(removed=removed, added=added)
