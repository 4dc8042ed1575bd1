from django.conf import settings
from django.contrib import admin
from django.contrib.sitemaps import views as sitemap_views
from django.http import HttpResponse
from django.shortcuts import redirect
from django.templatetags.static import static
from django.urls import include, path, re_path
from django.views.generic import TemplateView

from news.feeds import ArticleFeed, AtomArticleFeed
from news.sitemaps import NEWS_SITEMAPS, SITEMAPS
from news.uploads import serve_media

admin.site.site_header = "新闻门户管理后台"
admin.site.site_title = "新闻门户管理后台"
admin.site.index_title = "内容管理"


def favicon(request):
    """Browsers ask for /favicon.ico on every page, the admin's included."""
    return redirect(static("img/favicon.svg"), permanent=True)


def healthz(request):
    """Liveness probe for load balancers; also the benchmark's floor (full middleware, no work)."""
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [
    path("favicon.ico", favicon),
    path("healthz/", healthz),
    path("admin/", admin.site.urls),
    # Feeds, sitemaps and robots.txt (README, "订阅与收录").
    path("feed/", ArticleFeed(), name="feed"),
    path("feed/atom/", AtomArticleFeed(), name="feed-atom"),
    path("category/<slug:slug>/feed/", ArticleFeed(), name="category-feed"),
    path("category/<slug:slug>/feed/atom/", AtomArticleFeed(), name="category-feed-atom"),
    path(
        "sitemap.xml",
        sitemap_views.index,
        {
            "sitemaps": SITEMAPS,
            "sitemap_url_name": "sitemap-section",
            "template_name": "sitemaps/index.xml",
        },
        name="sitemap",
    ),
    path(
        "sitemap-<section>.xml",
        sitemap_views.sitemap,
        {"sitemaps": SITEMAPS, "template_name": "sitemaps/urlset.xml"},
        name="sitemap-section",
    ),
    path(
        "news-sitemap.xml",
        sitemap_views.sitemap,
        {"sitemaps": NEWS_SITEMAPS, "template_name": "sitemaps/news.xml"},
        name="sitemap-news",
    ),
    path(
        "robots.txt",
        TemplateView.as_view(template_name="robots.txt", content_type="text/plain; charset=utf-8"),
        name="robots",
    ),
    path("", include("comments.urls")),
    path("", include("news.urls")),
]

if settings.SERVE_MEDIA:
    # The embedded default serves uploads itself (also with DEBUG off), images as images
    # and anything else as a download; in production a web server or object storage takes
    # this over and must do the same (see news.uploads.serve_media).
    prefix = settings.MEDIA_URL.lstrip("/")
    urlpatterns += [re_path(rf"^{prefix}(?P<path>.*)$", serve_media)]
