"""Reader comments: accepting one, and the moderation decisions on many."""

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from news import invalidation
from news.models import Article

from .models import Comment

RATE_WINDOW_SECONDS = 60


class CommentRejected(ValidationError):
    """A well-formed comment refused by policy (rate limit, duplicate)."""

    def __init__(self, message, *, status=400):
        super().__init__(message)
        self.status = status


def _check_rate(ip_address: str | None) -> None:
    key = f"comments:rate:{ip_address or 'unknown'}"
    cache.add(key, 0, RATE_WINDOW_SECONDS)
    try:
        count = cache.incr(key)
    except ValueError:  # the key expired between add() and incr()
        cache.set(key, 1, RATE_WINDOW_SECONDS)
        count = 1
    if count > settings.COMMENTS_RATE_LIMIT:
        raise CommentRejected(_("留言太频繁了，请一分钟后再试。"), status=429)


@transaction.atomic
def comment_create(
    *,
    article: Article,
    name: str,
    email: str,
    message: str,
    ip_address: str | None,
    user_agent: str = "",
) -> Comment:
    """Store a reader's comment as pending, unless policy refuses it."""
    _check_rate(ip_address)
    duplicate = Comment.objects.filter(article=article, ip_address=ip_address, message=message)
    if duplicate.exists():
        raise CommentRejected(_("您已经提交过相同的留言，请勿重复提交。"))
    return Comment.objects.create(
        article=article,
        name=name,
        email=email,
        message=message,
        ip_address=ip_address,
        user_agent=user_agent[:300],
        status=Comment.Status.PENDING,
    )


@transaction.atomic
def comments_moderate(*, comments: QuerySet[Comment], status: str) -> int:
    changing = comments.exclude(status=status)
    article_ids = set(changing.values_list("article_id", flat=True))
    count = changing.update(status=status)
    invalidation.comments_changed(article_ids)
    return count
