"""Whole reader pages are cached (news.caching): their heads stay each page's own and follow
edits; an article keeps its address when it moves to another category."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.reach.helpers import NS, ORIGIN, head_of, xml_of

pytestmark = pytest.mark.django_db


def cached_read(reader, url):
    """Read ``url`` twice; the second read comes from the cache (an article page costs one
    query there, its view count)."""
    reader.get(url)
    with CaptureQueriesContext(connection) as captured:
        response = reader.get(url)
    assert len(captured.captured_queries) <= (1 if url.startswith("/article/") else 0), url
    return response


def test_cached_article_pages_keep_their_own_head(reader, article_factory):
    first = article_factory(title="第一篇：地铁延伸段开工", category="news")
    second = article_factory(title="第二篇：外资项目落地", category="finance")

    for article in (first, second, first):
        head = head_of(cached_read(reader, article.get_absolute_url()))
        url = f"{ORIGIN}/article/{article.pk}/"
        assert head.link("canonical") == [url]
        assert head.meta("og:title") == article.title
        assert head.meta("og:url") == url
        assert head.ld("NewsArticle")["headline"] == article.title
        assert head.ld("NewsArticle")["articleSection"] == article.category.name
        assert head.ld("BreadcrumbList")["itemListElement"][-1]["item"] == url


def test_cached_category_pages_keep_their_own_head(reader, article_factory):
    article_factory(category="news")
    article_factory(category="finance")

    for slug, name in (("news", "新闻"), ("finance", "财经"), ("news", "新闻")):
        head = head_of(cached_read(reader, f"/category/{slug}/"))
        assert head.link("canonical") == [f"{ORIGIN}/category/{slug}/"]
        assert head.meta("og:title").startswith(name)
        assert head.ld("BreadcrumbList")["itemListElement"][-1]["name"] == name
        assert head.link("alternate", "application/rss+xml")[1].endswith(f"/{slug}/feed/")


def test_editing_an_article_updates_the_head_of_its_cached_page(reader, article):
    url = article.get_absolute_url()
    cached_read(reader, url)

    article.title = "改过的标题"
    article.summary = "改过的摘要。"
    article.save()

    head = head_of(reader.get(url))
    assert head.meta("og:title") == "改过的标题"
    assert head.meta("description") == "改过的摘要。"
    news = head.ld("NewsArticle")
    assert news["headline"] == "改过的标题"
    assert news["description"] == "改过的摘要。"


def test_renaming_a_category_updates_cached_heads(reader, categories, article_factory):
    article = article_factory(category="finance")
    cached_read(reader, "/category/finance/")
    cached_read(reader, article.get_absolute_url())

    finance = categories["finance"]
    finance.name = "金融"
    finance.save()

    assert head_of(reader.get("/category/finance/")).meta("og:title").startswith("金融")
    head = head_of(reader.get(article.get_absolute_url()))
    assert head.ld("NewsArticle")["articleSection"] == "金融"
    assert head.ld("BreadcrumbList")["itemListElement"][1]["name"] == "金融"


def test_moving_an_article_to_another_category_keeps_its_address(
    reader, categories, article_factory
):
    article = article_factory(title="从新闻移到财经的稿件", category="news")
    old_address = article.get_absolute_url()
    cached_read(reader, old_address)

    article.category = categories["finance"]
    article.save()

    # Article addresses hold no category: the old address is the address, unchanged.
    assert article.get_absolute_url() == old_address
    response = reader.get(old_address)
    assert response.status_code == 200
    head = head_of(response)
    assert head.link("canonical") == [f"{ORIGIN}{old_address}"]
    assert head.ld("NewsArticle")["articleSection"] == "财经"
    assert [c["name"] for c in head.ld("BreadcrumbList")["itemListElement"]][1] == "财经"
    finance_feed = xml_of(reader.get("/category/finance/feed/"))
    assert [i.findtext("title") for i in finance_feed.findall("channel/item")] == [article.title]
    assert xml_of(reader.get("/category/news/feed/")).findall("channel/item") == []
    sitemap = xml_of(reader.get("/sitemap-articles.xml"))
    locations = [u.findtext("sm:loc", namespaces=NS) for u in sitemap.findall("sm:url", NS)]
    assert locations == [f"{ORIGIN}{old_address}"]


def test_each_page_of_a_long_article_is_its_own_canonical(reader, article_factory):
    page_break = '<div class="page-break" style="page-break-after:always;"></div>'
    article = article_factory(
        title="两页长文", body=page_break.join(f"<p>第{n}页的正文。</p>" for n in (1, 2))
    )
    url = f"{ORIGIN}{article.get_absolute_url()}"

    first = head_of(cached_read(reader, article.get_absolute_url()))
    second = head_of(cached_read(reader, f"{article.get_absolute_url()}?page=2"))

    assert first.link("canonical") == [url] and first.meta("og:url") == url
    assert second.link("canonical") == [f"{url}?page=2"]
    assert second.meta("og:url") == f"{url}?page=2"
    assert second.title.startswith("两页长文 第2页 - ")
    # Both pages describe the one article, at its own address.
    for head in (first, second):
        assert head.ld("NewsArticle")["mainEntityOfPage"]["@id"] == url
        assert head.ld("NewsArticle")["wordCount"] == article.word_count
