"""What a reader page's head tells search engines and social sites: title, description,
canonical address, Open Graph / Twitter cards, feed links and JSON-LD (schema.org)."""

import re
from datetime import timedelta

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from tests.news.helpers import html_of, region, text_of
from tests.reach.helpers import ORIGIN, Head, cover_upload, head_of, parse_iso, validate_json_ld

pytestmark = pytest.mark.django_db

SITE = settings.SITE_NAME


def article_page(reader, article):
    return reader.get(article.get_absolute_url())


def visible_breadcrumb(response) -> list[str]:
    trail = text_of(region(html_of(response), 'class="breadcrumbs"', "</nav>"))
    return [part.strip() for part in trail.removeprefix("您现在的位置:").split(">")]


# --- article page ----------------------------------------------------------------------------


def test_article_head_has_title_description_canonical_and_cards(reader, article_factory):
    article = article_factory(
        title="浦江两岸夜景提升工程完工",
        summary="浦江两岸夜景提升工程完工，新增灯光带十二公里。",
        category="news",
        cover=cover_upload(),
        tags=["城市更新", "浦江"],
    )
    url = f"{ORIGIN}/article/{article.pk}/"
    image = f"{ORIGIN}{article.cover.url}"

    head = head_of(article_page(reader, article))

    assert head.title == f"浦江两岸夜景提升工程完工 - 新闻 - {SITE}"
    assert head.meta("description") == "浦江两岸夜景提升工程完工，新增灯光带十二公里。"
    assert head.link("canonical") == [url]
    assert head.meta("og:type") == "article"
    assert head.meta("og:title") == "浦江两岸夜景提升工程完工"
    assert head.meta("og:description") == article.summary
    assert head.meta("og:url") == url
    assert head.meta("og:image") == image
    assert head.meta("og:site_name") == SITE
    assert head.meta("og:locale") == "zh_CN"
    assert head.meta("twitter:card") == "summary_large_image"
    assert head.meta("twitter:title") == article.title
    assert head.meta("twitter:image") == image
    assert head.meta("article:section") == "新闻"
    assert sorted(head.meta_all("article:tag")) == ["城市更新", "浦江"]
    assert parse_iso(head.meta("article:published_time")) == article.publish_at.replace(
        microsecond=0
    )


def test_article_without_cover_gets_a_summary_card_and_no_image(reader, article):
    head = head_of(article_page(reader, article))

    assert head.meta("twitter:card") == "summary"
    assert head.meta("og:image") is None and head.meta("twitter:image") is None
    assert "image" not in head.ld("NewsArticle")


def test_article_json_ld_is_valid_schema_org_and_matches_the_page(reader, article_factory):
    article = article_factory(
        title="新能源汽车产业链大会开幕",
        summary="新能源汽车产业链大会今日开幕。",
        body="<p>大会为期三天。</p><p>来自全国的两百余家企业参会，签约项目三十个。</p>",
        author="李明",
        category="industry",
        cover=cover_upload(),
        tags=["新能源"],
    )
    article.refresh_from_db()
    url = f"{ORIGIN}/article/{article.pk}/"
    response = article_page(reader, article)
    head = head_of(response)

    for data in head.json_ld:
        validate_json_ld(data)
    news = head.ld("NewsArticle")
    assert news["headline"] == article.title == text_of(region(html_of(response), "<h1", "</h1>"))
    assert news["description"] == article.summary
    assert news["mainEntityOfPage"] == {"@type": "WebPage", "@id": url}
    assert news["articleSection"] == "产经"
    assert news["author"] == {"@type": "Person", "name": "李明"}
    assert news["image"] == [f"{ORIGIN}{article.cover.url}"]
    assert news["publisher"]["name"] == SITE
    assert news["publisher"]["logo"]["url"].startswith(f"{ORIGIN}/static/")
    assert parse_iso(news["datePublished"]) == article.publish_at.replace(microsecond=0)
    assert parse_iso(news["dateModified"]) == article.updated_at.replace(microsecond=0)
    assert news["keywords"] == ["新能源"]
    # The word count the page shows ("本篇文章N字").
    shown = re.search(r"本篇文章(\d+)字", text_of(response)).group(1)
    assert news["wordCount"] == int(shown) == article.word_count

    crumbs = head.ld("BreadcrumbList")["itemListElement"]
    assert (
        [c["name"] for c in crumbs]
        == visible_breadcrumb(response)
        == ["首页", "产经", article.title]
    )
    assert [c["position"] for c in crumbs] == [1, 2, 3]
    assert [c["item"] for c in crumbs] == [f"{ORIGIN}/", f"{ORIGIN}/category/industry/", url]


def test_an_article_without_author_is_credited_to_the_newsroom(reader, article):
    news = head_of(article_page(reader, article)).ld("NewsArticle")

    assert news["author"] == {"@type": "Organization", "name": SITE}


def test_a_scheduled_articles_modified_date_is_never_before_it_went_public(reader, article_factory):
    article = article_factory(publish_at=timezone.now() - timedelta(seconds=1))
    news = head_of(article_page(reader, article)).ld("NewsArticle")

    assert parse_iso(news["dateModified"]) >= parse_iso(news["datePublished"])


@pytest.mark.parametrize(
    "title",
    [
        '危险</script><script>alert("x")</script>',
        "<!--<script>注释里的脚本",
        "引号\"与'撇号'&amp;实体\u2028换行",
    ],
)
def test_a_title_cannot_break_out_of_the_json_ld(reader, article_factory, title):
    article = article_factory(title=title)

    html = html_of(article_page(reader, article))
    head = Head(html)

    # One script element per JSON-LD object and nothing else: the title opened none.
    assert head.script_count == len(head.json_ld) == 2
    assert head.ld("NewsArticle")["headline"] == title
    assert head.ld("BreadcrumbList")["itemListElement"][-1]["name"] == title
    scripts = re.findall(r"<script[^>]*>(.*?)</script>", html, re.S)
    assert all("<" not in s and ">" not in s for s in scripts)


def test_preview_of_a_draft_is_kept_out_of_search_engines(staff_client, article_factory):
    draft = article_factory(status="draft")

    head = head_of(staff_client.get(draft.get_absolute_url()))

    assert head.meta("robots") == "noindex"


# --- home, category and tag pages -----------------------------------------------------------


def test_home_head_describes_the_site(reader, article):
    head = head_of(reader.get("/"))

    assert head.title == SITE
    assert head.meta("description") == f"{SITE}：{settings.SITE_DESCRIPTION}"
    assert head.link("canonical") == [f"{ORIGIN}/"]
    assert head.meta("og:type") == "website"
    assert head.meta("og:url") == f"{ORIGIN}/"
    assert head.meta("og:title") == SITE
    assert head.meta("twitter:card") == "summary"
    website = head.ld("WebSite")
    validate_json_ld(website)
    assert website["name"] == SITE and website["url"] == f"{ORIGIN}/"


def test_every_reader_page_links_the_site_feeds(reader, article):
    for url in ("/", article.get_absolute_url(), "/category/news/", "/search/?q=测试"):
        head = head_of(reader.get(url))
        assert head.link("alternate", "application/rss+xml")[0] == f"{ORIGIN}/feed/"
        assert head.link("alternate", "application/atom+xml")[0] == f"{ORIGIN}/feed/atom/"


def test_category_and_article_pages_link_the_categorys_feeds(reader, article_factory):
    article = article_factory(category="finance")

    for url in ("/category/finance/", article.get_absolute_url()):
        head = head_of(reader.get(url))
        assert head.link("alternate", "application/rss+xml") == [
            f"{ORIGIN}/feed/",
            f"{ORIGIN}/category/finance/feed/",
        ]
        assert head.link("alternate", "application/atom+xml")[1] == (
            f"{ORIGIN}/category/finance/feed/atom/"
        )
    for linked in head.link("alternate"):
        assert reader.get(linked.removeprefix(ORIGIN)).status_code == 200


def test_category_head_and_breadcrumb_json_ld(reader, categories, article_factory):
    finance = categories["finance"]
    finance.description = "财经要闻与市场动态。"
    finance.save()
    article_factory(category="finance")

    response = reader.get("/category/finance/")
    head = head_of(response)

    assert head.title == f"财经 - {SITE}"
    assert head.meta("description") == "财经要闻与市场动态。"
    assert head.link("canonical") == [f"{ORIGIN}/category/finance/"]
    assert head.meta("og:url") == f"{ORIGIN}/category/finance/"
    crumbs = head.ld("BreadcrumbList")
    validate_json_ld(crumbs)
    names = [c["name"] for c in crumbs["itemListElement"]]
    assert names == visible_breadcrumb(response) == ["首页", "财经"]


def test_a_later_category_page_is_its_own_canonical(reader, article_factory):
    for _ in range(21):
        article_factory(category="finance")

    head = head_of(reader.get("/category/finance/?page=02&utm_source=x"))

    assert head.link("canonical") == [f"{ORIGIN}/category/finance/?page=2"]
    assert head.title == f"财经 第2页 - {SITE}"


def test_tag_head_has_canonical_and_breadcrumb(reader, article):
    tag = article.tags.get(name="松江")
    url = reverse("news:tag", args=[tag.slug])

    response = reader.get(url)
    head = head_of(response)

    assert head.link("canonical") == [f"{ORIGIN}{url}"]
    crumbs = head.ld("BreadcrumbList")
    validate_json_ld(crumbs)
    assert [c["name"] for c in crumbs["itemListElement"]] == visible_breadcrumb(response)
