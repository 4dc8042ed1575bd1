"""sitemap.xml, the news sitemap and robots.txt, as a search engine reads them."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from news import sitemaps
from news.models import Article
from tests.reach.helpers import NS, ORIGIN, parse_iso, xml_of

pytestmark = pytest.mark.django_db

INDEX = reverse("sitemap")
NEWS = reverse("sitemap-news")


def ago(**delta):
    return timezone.now() - timedelta(**delta)


def index_entries(reader) -> dict[str, str | None]:
    """The sitemaps the index lists: their addresses and last modifications."""
    root = xml_of(reader.get(INDEX))
    assert root.tag == f"{{{NS['sm']}}}sitemapindex"
    return {
        entry.findtext("sm:loc", namespaces=NS): entry.findtext("sm:lastmod", namespaces=NS)
        for entry in root.findall("sm:sitemap", NS)
    }


def urlset(reader, url) -> dict[str, str | None]:
    """A sitemap's addresses and their last modifications."""
    root = xml_of(reader.get(url))
    assert root.tag == f"{{{NS['sm']}}}urlset"
    return {
        entry.findtext("sm:loc", namespaces=NS): entry.findtext("sm:lastmod", namespaces=NS)
        for entry in root.findall("sm:url", NS)
    }


def article_address(article) -> str:
    return f"{ORIGIN}/article/{article.pk}/"


def test_sitemap_index_lists_the_category_and_article_sitemaps_with_lastmod(
    reader, article_factory
):
    newest = article_factory(publish_at=ago(minutes=10))
    older = article_factory(publish_at=ago(days=3))
    Article.objects.filter(pk=newest.pk).update(updated_at=ago(minutes=9))
    Article.objects.filter(pk=older.pk).update(updated_at=ago(minutes=2))  # edited last
    article_factory(status=Article.Status.DRAFT)  # edited last, but no reader sees it

    entries = index_entries(reader)

    categories, articles = f"{ORIGIN}/sitemap-categories.xml", f"{ORIGIN}/sitemap-articles.xml"
    assert list(entries) == [categories, articles]
    # The categories: when their newest article went public; the articles: the last edit.
    assert parse_iso(entries[categories]) == newest.publish_at.replace(microsecond=0)
    older.refresh_from_db()
    assert parse_iso(entries[articles]) == older.updated_at.replace(microsecond=0)


def test_category_sitemap_lists_every_category_with_its_newest_article(
    reader, categories, article_factory
):
    finance = article_factory(category="finance", publish_at=ago(hours=2))
    article_factory(category="finance", publish_at=ago(days=2))
    article_factory(category="finance", status=Article.Status.DRAFT, publish_at=ago(minutes=1))

    entries = urlset(reader, reverse("sitemap-section", args=["categories"]))

    assert set(entries) >= {f"{ORIGIN}{c.get_absolute_url()}" for c in categories.values()}
    lastmod = entries[f"{ORIGIN}/category/finance/"]
    assert parse_iso(lastmod) == finance.publish_at.replace(microsecond=0)


def test_article_sitemap_lists_public_articles_only_with_lastmod(reader, article_factory):
    public = article_factory(title="已发布")
    draft = article_factory(title="草稿", status=Article.Status.DRAFT)
    scheduled = article_factory(title="定时", publish_at=timezone.now() + timedelta(hours=1))
    public.refresh_from_db()

    entries = urlset(reader, reverse("sitemap-section", args=["articles"]))

    assert list(entries) == [article_address(public)]
    lastmod = parse_iso(entries[article_address(public)])
    assert lastmod == max(public.updated_at, public.publish_at).replace(microsecond=0)
    assert article_address(draft) not in entries and article_address(scheduled) not in entries
    assert lastmod.utcoffset() == timedelta(hours=8)  # in the site's time zone


def test_article_sitemaps_are_paginated_in_a_bounded_number_of_queries(
    reader, article_factory, monkeypatch, django_assert_max_num_queries
):
    monkeypatch.setattr(sitemaps.ArticleSitemap, "limit", 4)
    articles = [article_factory(publish_at=ago(hours=n)) for n in range(10, 0, -1)]
    section = reverse("sitemap-section", args=["articles"])

    with django_assert_max_num_queries(5):
        entries = index_entries(reader)
    assert [e for e in entries if "articles" in e] == [
        f"{ORIGIN}{section}",
        f"{ORIGIN}{section}?p=2",
        f"{ORIGIN}{section}?p=3",
    ]
    seen = []
    for page in ("1", "2", "3"):
        with django_assert_max_num_queries(2):
            seen += list(urlset(reader, f"{section}?p={page}"))
    # Oldest first, each article on exactly one page.
    assert seen == [article_address(a) for a in articles]
    assert reader.get(f"{section}?p=4").status_code == 404
    assert reader.get(f"{section}?p=x").status_code == 404


def test_news_sitemap_lists_the_last_two_days_with_google_news_tags(reader, article_factory):
    fresh = article_factory(title="今日要闻：<城市>更新 & 发展", publish_at=ago(hours=5))
    article_factory(title="三天前的稿件", publish_at=ago(days=3))
    article_factory(title="新草稿", status=Article.Status.DRAFT, publish_at=ago(hours=1))
    article_factory(title="定时稿件", publish_at=timezone.now() + timedelta(hours=1))

    response = reader.get(NEWS)
    root = xml_of(response)

    assert response["Content-Type"].startswith("application/xml")
    urls = root.findall("sm:url", NS)
    assert [u.findtext("sm:loc", namespaces=NS) for u in urls] == [article_address(fresh)]
    news = urls[0].find("news:news", NS)
    publication = news.find("news:publication", NS)
    assert publication.findtext("news:name", namespaces=NS) == settings.SITE_NAME
    assert publication.findtext("news:language", namespaces=NS) == "zh-cn"
    published = parse_iso(news.findtext("news:publication_date", namespaces=NS))
    assert published == fresh.publish_at.replace(microsecond=0)
    assert news.findtext("news:title", namespaces=NS) == "今日要闻：<城市>更新 & 发展"


def test_news_sitemap_is_bounded(
    reader, article_factory, monkeypatch, django_assert_max_num_queries
):
    monkeypatch.setattr(sitemaps, "NEWS_LIMIT", 3)
    for n in range(5):
        article_factory(publish_at=ago(hours=n + 1))

    with django_assert_max_num_queries(2):
        root = xml_of(reader.get(NEWS))
    assert len(root.findall("sm:url", NS)) == 3


def test_robots_txt_points_at_the_sitemaps_and_keeps_crawlers_out_of_the_admin(reader):
    response = reader.get("/robots.txt")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    lines = response.content.decode().splitlines()
    # One group, no blank line inside it (a crawler would read that as the group's end).
    assert lines[:3] == ["User-agent: *", "Disallow: /admin/", "Disallow: /search/"]
    assert f"Sitemap: {ORIGIN}/sitemap.xml" in lines
    assert f"Sitemap: {ORIGIN}/news-sitemap.xml" in lines
    # Nothing else a reader sees is kept from crawlers.
    disallowed = {line.split(":", 1)[1].strip() for line in lines if line.startswith("Disallow")}
    assert disallowed == {"/admin/", "/search/"}
