"""RSS 2.0 and Atom feeds of the newest published articles: the whole site's and each
category's. A feed holds the FEED_ITEMS newest: one short index walk, whatever the size
of the table."""

import mimetypes
from copy import copy

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.http import Http404
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed, Rss201rev2Feed
from django.utils.html import escape
from django.utils.translation import gettext as _

from . import seo
from .models import Article, cached_reverse
from .templating import nav_categories

FEED_ITEMS = 50


class ArticleFeed(Feed):
    """RSS 2.0; routed with a category's slug, that category's articles only."""

    feed_type = Rss201rev2Feed
    language = "zh-cn"
    item_guid_is_permalink = True  # the guid is the article's address, which never changes

    def __call__(self, request, *args, **kwargs):
        # The instance is the view, shared by every request: each request gets a copy that
        # knows its request (the covers' absolute addresses are built from it).
        feed = copy(self)
        feed.request = request
        return Feed.__call__(feed, request, *args, **kwargs)

    def get_object(self, request, slug=None):
        if slug is None:
            return None
        for category in nav_categories():  # cached with the navigation
            if category.slug == slug:
                return category
        raise Http404(_("栏目不存在。"))

    def title(self, category):
        if category is None:
            return settings.SITE_NAME
        return _("%(category)s - %(site)s") % {
            "category": category.name,
            "site": settings.SITE_NAME,
        }

    def link(self, category):
        return category.get_absolute_url() if category else cached_reverse("news:home")

    def description(self, category):
        if category is None:
            return settings.SITE_DESCRIPTION
        return category.description or _("%(site)s“%(category)s”栏目的最新文章。") % {
            "site": settings.SITE_NAME,
            "category": category.name,
        }

    def items(self, category):
        articles = Article.objects.published().for_listing()
        if category is not None:
            articles = articles.in_category(category)
        return articles.newest()[:FEED_ITEMS]

    def item_title(self, article):
        return seo.xml_text(article.title)

    def item_description(self, article):
        # Feed readers show a description as HTML (Atom's summary says type="html"): the
        # plain-text summary is escaped, so "<城市>" is shown, not taken for a tag.
        return escape(seo.xml_text(article.summary))

    # To the second, as the sitemaps and the page's head say it (RSS dates have no more).
    def item_pubdate(self, article):
        return timezone.localtime(article.publish_at).replace(microsecond=0)

    def item_updateddate(self, article):
        return timezone.localtime(seo.modified_at(article)).replace(microsecond=0)

    def item_categories(self, article):
        return [article.category.name]

    def item_author_name(self, article):
        return seo.xml_text(article.author) or None

    def item_enclosure_url(self, article):
        return seo.cover_url(self.request, article) or None

    def item_enclosure_length(self, article):
        try:
            return article.cover.size
        except OSError:  # a cover whose file went missing: RSS allows 0 when unknown
            return 0

    def item_enclosure_mime_type(self, article):
        return mimetypes.guess_type(article.cover.name)[0] or "application/octet-stream"


class AtomArticleFeed(ArticleFeed):
    feed_type = Atom1Feed

    def subtitle(self, category):
        return self.description(category)
