"""Editorial writes that touch many articles at once (the admin's bulk actions), revisions
and the trash (回收站).

Every write leaves a revision (news.Article.history): a save records one itself; a bulk
QuerySet.update does not, so the services below record one for each article they changed.
"""

import functools

from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import F, QuerySet, Value
from django.db.models.functions import Coalesce, NullIf
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from search import sync as search_sync

from . import invalidation, text
from .models import Article

# What restoring a revision brings back: the content. Where and when the article is
# published (status, time, headline) stays as it is now: restoring an old wording of a
# live article must not unpublish it. Tags are not versioned.
RESTORED_FIELDS = ["title", "category_id", "author", "source_name", "source_url", "summary", "body"]


def _record_revisions(pks, *, user, reason: str) -> None:
    """A revision of each article as it is now, after a bulk update (which records none)."""
    articles = Article.objects.filter(pk__in=pks).order_by("pk")
    Article.history.bulk_history_create(
        articles, update=True, default_user=user, default_change_reason=reason
    )


def _tracked(update=None, *, reason="", changes_search=True):
    """Run a bulk update and follow up on what it changed (QuerySet.update sends no
    signals): a revision for each changed article, cached pages, and the search index
    unless ``changes_search`` is false. ``update`` returns the ids of the articles it
    changed; the service returns how many there were."""
    if update is None:
        return functools.partial(_tracked, reason=reason, changes_search=changes_search)

    @functools.wraps(update)
    def run(*, articles: QuerySet[Article], user=None, **kwargs) -> int:
        with transaction.atomic():
            # Read once, before the update: a selection filtered by status (the review
            # queue's) no longer matches the articles the update has just changed.
            pks = list(articles.values_list("pk", flat=True))
            before = invalidation.footprints(pks)
            leads_before = invalidation.lead_ids()
            changed = update(articles=Article.objects.filter(pk__in=pks), **kwargs)
            _record_revisions(changed, user=user, reason=str(reason))
            invalidation.articles_changed(before, leads_before)
            if changes_search:
                search_sync.articles_changed(pks)
        return len(changed)

    return run


def _pks(articles: QuerySet[Article]) -> list[int]:
    return list(articles.values_list("pk", flat=True))


@_tracked(reason=gettext_lazy("发布"))
def articles_publish(*, articles: QuerySet[Article]) -> list[int]:
    """Publish drafts (and drafts submitted for review) now; articles already published (or
    scheduled) keep their time."""
    drafts = articles.filter(status__in=[Article.Status.DRAFT, Article.Status.REVIEW])
    changed = _pks(drafts)
    # A draft whose publish time lies in the past is published as of now, so that it
    # appears at the top of the lists instead of being buried at an old date.
    drafts.filter(publish_at__lte=timezone.now()).update(
        status=Article.Status.PUBLISHED, publish_at=timezone.now()
    )
    drafts.update(status=Article.Status.PUBLISHED)
    return changed


@_tracked(reason=gettext_lazy("撤回"))
def articles_unpublish(*, articles: QuerySet[Article]) -> list[int]:
    published = articles.filter(status=Article.Status.PUBLISHED)
    changed = _pks(published)
    published.update(status=Article.Status.DRAFT)
    return changed


@_tracked(reason=gettext_lazy("退回修改"), changes_search=False)  # neither version is public
def articles_send_back(*, articles: QuerySet[Article]) -> list[int]:
    """Return articles submitted for review to their writers as drafts."""
    in_review = articles.filter(status=Article.Status.REVIEW)
    changed = _pks(in_review)
    in_review.update(status=Article.Status.DRAFT)
    return changed


@_tracked(reason=gettext_lazy("头条设置"), changes_search=False)  # search ignores the headline flag
def articles_set_featured(*, articles: QuerySet[Article], featured: bool) -> list[int]:
    others = articles.exclude(is_featured=featured)
    changed = _pks(others)
    others.update(is_featured=featured)
    return changed


def article_restore_revision(*, article: Article, revision, user) -> Article:
    """Bring back a revision's content (RESTORED_FIELDS); the restore is a revision too."""
    with transaction.atomic():
        article = Article.objects.get(pk=article.pk)  # the whole row, body included
        for name in RESTORED_FIELDS:
            setattr(article, name, getattr(revision, name))
        # The summary is compared with the old body's excerpt to tell whether it was
        # derived (Article.save): the restored body is the one that counts now.
        article.body_text = text.visible_text(article.body)
        if revision.cover and default_storage.exists(revision.cover):
            article.cover = revision.cover  # a cover whose file is gone stays as it is now
        elif not revision.cover:
            article.cover = ""
        when = date_format(timezone.localtime(revision.history_date), "Y-m-d H:i")
        article._history_user = user
        article._change_reason = _("恢复为 %(when)s 的版本") % {"when": when}
        article.save()
    return article


def articles_trash(*, articles: QuerySet[Article], user) -> int:
    """Move articles to the trash (回收站): hidden from readers at once, restorable for
    TRASH_DAYS days. Articles already past theirs are purged first."""
    with transaction.atomic():
        trash_purge()
        return _move_to_trash(articles=articles, user=user, deleted_by=user)


@_tracked(reason=gettext_lazy("移入回收站"))
def _move_to_trash(*, articles: QuerySet[Article], deleted_by) -> list[int]:
    live = articles.exclude(status=Article.Status.DELETED)
    changed = _pks(live)
    now = timezone.now()
    live.update(
        status_before_delete=F("status"),
        status=Article.Status.DELETED,
        deleted_at=now,
        deleted_by=deleted_by,
        updated_at=now,
    )
    return changed


@_tracked(reason=gettext_lazy("从回收站恢复"))
def articles_restore_from_trash(*, articles: QuerySet[Article]) -> list[int]:
    """Put articles back exactly as they were, their status included (a published one is
    public again); articles past their TRASH_DAYS are not restorable."""
    expired = Article.objects.trash_expired().values("pk")
    restorable = articles.filter(status=Article.Status.DELETED).exclude(pk__in=expired)
    changed = _pks(restorable)
    restorable.update(
        status=Coalesce(NullIf(F("status_before_delete"), Value("")), Value(Article.Status.DRAFT)),
        status_before_delete="",
        deleted_at=None,
        deleted_by=None,
        updated_at=timezone.now(),
    )
    return changed


def trash_purge() -> int:
    """Delete for good the articles whose TRASH_DAYS in the trash have run out, their
    revisions with them. There is no scheduler: the trash's list and every deletion call
    this, which is soon enough: an expired article is no longer restorable meanwhile."""
    with transaction.atomic():
        expired = Article.objects.trash_expired()
        pks = list(expired.values_list("pk", flat=True))
        if not pks:
            return 0
        # Through the ORM: the deletion signals drop search documents, comments, cached
        # pages and the revisions (cascade_delete_history) as for any deleted article.
        expired.delete()
    return len(pks)
