"""Plain factories for test data: real model instances saved through the ORM."""

import itertools
from datetime import timedelta

from django.utils import timezone

from comments.models import Comment
from news.models import Article, Category

_seq = itertools.count(1)
CATEGORY_NAMES = {"news": "新闻", "finance": "财经", "industry": "产经"}


def make_article(*, category=None, tags=(), views=0, **fields) -> Article:
    """A published article (unless told otherwise) in 新闻, an hour older than the last one."""
    n = next(_seq)
    if category is None or isinstance(category, str):
        # get_or_create: transactional tests truncate the categories the migration made.
        slug = category or "news"
        category, _ = Category.objects.get_or_create(
            slug=slug, defaults={"name": CATEGORY_NAMES.get(slug, slug), "label_en": slug}
        )
    fields.setdefault("title", f"测试文章第{n}篇")
    fields.setdefault("body", f"<p>这是第{n}篇测试文章的正文,讲述城市发展的新变化。</p>")
    fields.setdefault("status", Article.Status.PUBLISHED)
    fields.setdefault("publish_at", timezone.now() - timedelta(hours=n))
    article = Article.objects.create(category=category, **fields)
    if tags:
        article.tags.set(list(tags))
    if views:
        Article.objects.filter(pk=article.pk).update(views=views)
        article.views = views
    return article


def make_comment(*, article, **fields) -> Comment:
    """An approved comment (unless told otherwise) on ``article``."""
    n = next(_seq)
    fields.setdefault("name", f"读者{n}")
    fields.setdefault("email", f"reader{n}@example.com")
    fields.setdefault("message", f"第{n}条留言:写得很好,支持!")
    fields.setdefault("status", Comment.Status.APPROVED)
    fields.setdefault("ip_address", "127.0.0.1")
    return Comment.objects.create(article=article, **fields)
