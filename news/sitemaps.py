"""Sitemaps for search engines: an index of the categories' sitemap and the articles' ones
(Django's sitemap framework pages them, ARTICLES_PER_SITEMAP each), and a Google News
sitemap of the last NEWS_DAYS days. Published articles only; each page of a sitemap is a
count and one index walk, whatever the size of the table."""

from datetime import timedelta

from django.contrib.sitemaps import Sitemap
from django.db.models import Max, OuterRef, Subquery
from django.utils import timezone

from . import seo
from .models import Article, Category, article_url

ARTICLES_PER_SITEMAP = 5000
NEWS_DAYS = 2
NEWS_LIMIT = 1000  # Google News reads at most 1,000 articles from one news sitemap


class CategorySitemap(Sitemap):
    changefreq = "hourly"

    def items(self):
        newest = Article.objects.published().filter(category=OuterRef("pk")).newest()
        return Category.objects.annotate(newest_at=Subquery(newest.values("publish_at")[:1]))

    def lastmod(self, category):
        """When its newest article went public (None for a category without any)."""
        return category.newest_at

    def get_latest_lastmod(self):
        return max((c.newest_at for c in self.items() if c.newest_at), default=None)


class ArticleSitemap(Sitemap):
    changefreq = "weekly"
    limit = ARTICLES_PER_SITEMAP

    def items(self):
        # Oldest first: a page keeps its articles as new ones are published (at the end),
        # and a search engine that read it needs not read it again for them. Rows, not
        # models: a page lists thousands.
        published = Article.objects.published().order_by("publish_at", "id")
        return published.values_list("pk", "publish_at", "updated_at", named=True)

    def location(self, row):
        return article_url(row.pk)

    def lastmod(self, row):
        return seo.modified_at(row)

    def get_latest_lastmod(self):
        """One aggregate (the framework's default would load every article)."""
        latest = Article.objects.published().aggregate(Max("publish_at"), Max("updated_at"))
        return max((moment for moment in latest.values() if moment), default=None)


class NewsSitemap(Sitemap):
    """Articles of the last NEWS_DAYS days, newest first, for templates/sitemaps/news.xml."""

    limit = NEWS_LIMIT

    def items(self):
        since = timezone.now() - timedelta(days=NEWS_DAYS)
        recent = Article.objects.published().filter(publish_at__gte=since).newest()
        fields = ("pk", "title", "publish_at", "updated_at")
        return recent.values_list(*fields, named=True)[:NEWS_LIMIT]

    def location(self, row):
        return article_url(row.pk)

    def lastmod(self, row):
        return seo.modified_at(row)


SITEMAPS = {"categories": CategorySitemap, "articles": ArticleSitemap}
NEWS_SITEMAPS = {"news": NewsSitemap}
