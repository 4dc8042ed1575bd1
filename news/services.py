"""Editorial writes that touch many articles at once (the admin's bulk actions)."""

import functools

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from search import sync as search_sync

from . import invalidation
from .models import Article


def _tracked(update=None, *, changes_search=True):
    """Run a bulk update and invalidate what it changed (QuerySet.update sends no signals):
    cached pages, and the search index unless ``changes_search`` is false."""
    if update is None:
        return functools.partial(_tracked, changes_search=changes_search)

    @functools.wraps(update)
    def run(*, articles: QuerySet[Article], **kwargs) -> int:
        with transaction.atomic():
            # Read once, before the update: a selection filtered by status (the review
            # queue's) no longer matches the articles the update has just changed.
            pks = list(articles.values_list("pk", flat=True))
            before = invalidation.footprints(pks)
            leads_before = invalidation.lead_ids()
            count = update(articles=articles, **kwargs)
            invalidation.articles_changed(before, leads_before)
            if changes_search:
                search_sync.articles_changed(pks)
        return count

    return run


@_tracked
def articles_publish(*, articles: QuerySet[Article]) -> int:
    """Publish drafts (and drafts submitted for review) now; articles already published (or
    scheduled) keep their time."""
    drafts = articles.filter(status__in=[Article.Status.DRAFT, Article.Status.REVIEW])
    count = drafts.count()
    # A draft whose publish time lies in the past is published as of now, so that it
    # appears at the top of the lists instead of being buried at an old date.
    drafts.filter(publish_at__lte=timezone.now()).update(
        status=Article.Status.PUBLISHED, publish_at=timezone.now()
    )
    drafts.update(status=Article.Status.PUBLISHED)
    return count


@_tracked
def articles_unpublish(*, articles: QuerySet[Article]) -> int:
    return articles.filter(status=Article.Status.PUBLISHED).update(status=Article.Status.DRAFT)


@_tracked(changes_search=False)  # neither version is public: search drops both
def articles_send_back(*, articles: QuerySet[Article]) -> int:
    """Return articles submitted for review to their writers as drafts."""
    return articles.filter(status=Article.Status.REVIEW).update(status=Article.Status.DRAFT)


@_tracked(changes_search=False)  # search does not look at the headline flag
def articles_set_featured(*, articles: QuerySet[Article], featured: bool) -> int:
    return articles.exclude(is_featured=featured).update(is_featured=featured)
