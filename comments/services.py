"""Reader comments: accepting one, and the moderation decisions on many."""

import hashlib
import logging

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from news import invalidation
from news.models import Article

from . import moderation
from .models import Comment

logger = logging.getLogger("comments")

RATE_WINDOW_SECONDS = 60


class CommentRejected(ValidationError):
    """A well-formed comment refused by policy (rate limit, duplicate)."""

    def __init__(self, message, *, status=400):
        super().__init__(message)
        self.status = status


class RateUnknown(Exception):
    """The shared cache keeps nothing (Redis is down): comments cannot be counted."""


def _count(key: str) -> int:
    """Comments so far in this window under ``key``, this one included."""
    cache.add(key, 0, RATE_WINDOW_SECONDS)
    try:
        return cache.incr(key)
    except ValueError:
        # The key expired between add() and incr() -- or the cache keeps nothing at all:
        # portal.cache.ResilientRedisCache acts as an empty cache while Redis is down.
        cache.set(key, 1, RATE_WINDOW_SECONDS)
        if cache.get(key) is None:
            raise RateUnknown from None
        return 1


def _check_rate(ip_address: str | None) -> None:
    if _count(f"comments:rate:{ip_address or 'unknown'}") > settings.COMMENTS_RATE_LIMIT:
        raise CommentRejected(_("留言太频繁了，请一分钟后再试。"), status=429)


def _check_email_rate(email: str) -> None:
    # Hashed: a key of fixed length and alphabet, whatever the address looks like.
    digest = hashlib.sha256(email.strip().lower().encode()).hexdigest()
    if _count(f"comments:rate:email:{digest}") > settings.COMMENTS_EMAIL_RATE_LIMIT:
        raise CommentRejected(_("这个邮箱留言太频繁了，请一分钟后再试。"), status=429)


def _rate_checked(*, ip_address: str | None, email: str) -> bool:
    """Apply the per-address and per-email limits; ``False`` if they could not be applied.

    When the cache is down the rate limits fail open, deliberately: refusing every comment
    during a Redis outage would silence readers for a fault of ours, while letting them
    through costs little because such comments are held for an editor (see
    comments.moderation) and the outage is logged here for each one.
    """
    try:
        _check_rate(ip_address)
        _check_email_rate(email)
    except RateUnknown:
        logger.warning(
            "无法检查留言频率（缓存不可用），留言转人工审核：IP %s", ip_address or "未知"
        )
        return False
    return True


def comment_create(
    *,
    article: Article,
    name: str,
    email: str,
    message: str,
    ip_address: str | None,
    user_agent: str = "",
) -> Comment:
    """Store a reader's comment with the status the moderation rules give it.

    A reader posting the same text twice on one article (a double click, two tabs) gets
    one comment: the database refuses the second row, whichever request comes second.
    """
    rate_checked = _rate_checked(ip_address=ip_address, email=email)
    decision = moderation.decide(name=name, email=email, message=message, rate_checked=rate_checked)
    comment = Comment(
        article=article,
        name=name,
        email=email,
        message=message,
        ip_address=ip_address,
        user_agent=user_agent[:300],
        status=decision.status,
        held_reason=decision.reason,
    )
    try:
        with transaction.atomic():
            comment.save()
            if comment.status == Comment.Status.APPROVED:
                invalidation.comments_changed([article.pk])
    except IntegrityError:
        if not Comment.objects.filter(
            article=article, email=comment.email, message_digest=comment.message_digest
        ).exists():
            raise
        raise CommentRejected(_("您已经提交过相同的留言，请勿重复提交。")) from None
    return comment


@transaction.atomic
def comments_moderate(*, comments: QuerySet[Comment], status: str) -> int:
    changing = comments.exclude(status=status)
    article_ids = set(changing.values_list("article_id", flat=True))
    count = changing.update(status=status)
    invalidation.comments_changed(article_ids)
    return count
