"""The RSS 2.0 and Atom feeds, as a feed reader reads them."""

import html
from datetime import timedelta
from email.utils import parsedate_to_datetime

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from news.feeds import FEED_ITEMS
from news.models import Article
from tests.reach.helpers import ATOM_NS, NS, ORIGIN, cover_upload, parse_iso, xml_of

pytestmark = pytest.mark.django_db

RSS = reverse("feed")
ATOM = reverse("feed-atom")


def ago(**delta):
    return timezone.now() - timedelta(**delta)


def rss_items(reader, url=RSS):
    channel = xml_of(reader.get(url)).find("channel")
    return {item.findtext("title"): item for item in channel.findall("item")}


def test_rss_channel_names_the_site_and_links_home(reader, article):
    response = reader.get(RSS)
    root = xml_of(response)

    assert response["Content-Type"].startswith("application/rss+xml")
    assert root.tag == "rss" and root.get("version") == "2.0"
    channel = root.find("channel")
    assert channel.findtext("title") == settings.SITE_NAME
    assert channel.findtext("link") == f"{ORIGIN}/"
    assert channel.findtext("description") == settings.SITE_DESCRIPTION
    assert channel.findtext("language") == "zh-cn"


def test_rss_item_carries_what_a_feed_reader_shows(reader, article_factory):
    article = article_factory(
        title="轨交新线今日开通",
        summary="申城轨交新线今日开通，沿线居民出行更便利。",
        author="王记者",
        category="finance",
        cover=cover_upload(),
        publish_at=ago(hours=3),
    )

    item = rss_items(reader)["轨交新线今日开通"]

    url = f"{ORIGIN}/article/{article.pk}/"
    assert item.findtext("link") == url
    guid = item.find("guid")
    assert guid.text == url and guid.get("isPermaLink") == "true"
    assert parsedate_to_datetime(item.findtext("pubDate")) == article.publish_at.replace(
        microsecond=0
    )
    assert item.findtext("description") == "申城轨交新线今日开通，沿线居民出行更便利。"
    assert [c.text for c in item.findall("category")] == ["财经"]
    enclosure = item.find("enclosure")
    assert enclosure.get("url") == f"{ORIGIN}{article.cover.url}"
    assert int(enclosure.get("length")) == article.cover.size > 0
    assert enclosure.get("type") == "image/jpeg"
    # An article without a cover has no enclosure.
    article_factory(title="没有封面的稿件")
    assert rss_items(reader)["没有封面的稿件"].find("enclosure") is None


def test_feeds_hold_only_public_articles_newest_first(reader, article_factory):
    article_factory(title="较早的稿件", publish_at=ago(hours=5))
    article_factory(title="最新的稿件", publish_at=ago(minutes=5))
    article_factory(title="还是草稿", status=Article.Status.DRAFT, publish_at=ago(hours=1))
    article_factory(title="明早定时发布", publish_at=timezone.now() + timedelta(hours=8))

    assert list(rss_items(reader)) == ["最新的稿件", "较早的稿件"]
    atom = xml_of(reader.get(ATOM))
    titles = [e.findtext("atom:title", namespaces=NS) for e in atom.findall("atom:entry", NS)]
    assert titles == ["最新的稿件", "较早的稿件"]


def test_atom_feed_has_ids_titles_updated_links_and_summaries(reader, article_factory):
    article = article_factory(title="财政预算公布", summary="今年财政预算公布。")
    Article.objects.filter(pk=article.pk).update(updated_at=timezone.now())
    article.refresh_from_db()

    response = reader.get(ATOM)
    feed = xml_of(response)

    assert response["Content-Type"].startswith("application/atom+xml")
    assert feed.tag == f"{{{ATOM_NS}}}feed"
    assert feed.findtext("atom:id", namespaces=NS) == f"{ORIGIN}/"
    assert feed.findtext("atom:title", namespaces=NS) == settings.SITE_NAME
    parse_iso(feed.findtext("atom:updated", namespaces=NS))
    entry = feed.find("atom:entry", NS)
    url = f"{ORIGIN}/article/{article.pk}/"
    assert entry.findtext("atom:id", namespaces=NS) == url
    assert entry.findtext("atom:title", namespaces=NS) == "财政预算公布"
    assert entry.find("atom:link", NS).get("href") == url
    assert entry.findtext("atom:summary", namespaces=NS) == "今年财政预算公布。"
    updated = parse_iso(entry.findtext("atom:updated", namespaces=NS))
    assert updated == article.updated_at.replace(microsecond=0)
    published = parse_iso(entry.findtext("atom:published", namespaces=NS))
    assert published == article.publish_at.replace(microsecond=0)


def test_category_feeds_hold_only_that_categorys_articles(reader, article_factory):
    article_factory(title="财经稿件", category="finance")
    article_factory(title="新闻稿件", category="news")
    article_factory(title="财经草稿", category="finance", status=Article.Status.DRAFT)

    channel = xml_of(reader.get(reverse("category-feed", args=["finance"]))).find("channel")
    assert channel.findtext("title") == f"财经 - {settings.SITE_NAME}"
    assert channel.findtext("link") == f"{ORIGIN}/category/finance/"
    assert [i.findtext("title") for i in channel.findall("item")] == ["财经稿件"]

    atom = xml_of(reader.get(reverse("category-feed-atom", args=["finance"])))
    titles = [e.findtext("atom:title", namespaces=NS) for e in atom.findall("atom:entry", NS)]
    assert titles == ["财经稿件"]


def test_feed_of_a_missing_category_is_a_chinese_404(reader, db):
    response = reader.get(reverse("category-feed", args=["no-such-category"]))

    assert response.status_code == 404
    assert "页面不存在" in response.content.decode()


def test_feeds_hold_the_newest_fifty_in_a_bounded_number_of_queries(
    reader, article_factory, django_assert_max_num_queries
):
    for n in range(FEED_ITEMS + 5):
        article_factory(title=f"第{n}条快讯", publish_at=ago(minutes=n + 1))

    for url in (RSS, ATOM, reverse("category-feed", args=["news"])):
        with django_assert_max_num_queries(2):
            root = xml_of(reader.get(url))
        entries = root.findall("channel/item") or root.findall("atom:entry", NS)
        assert len(entries) == FEED_ITEMS
    titles = list(rss_items(reader))
    assert titles[0] == "第0条快讯" and titles[-1] == f"第{FEED_ITEMS - 1}条快讯"


def test_a_title_with_control_characters_still_makes_a_valid_feed(reader, article_factory):
    article_factory(title="标题\x0b里有\x01控制符")

    assert "标题里有控制符" in rss_items(reader)
    xml_of(reader.get(ATOM))


def test_a_summary_is_shown_as_written_not_read_as_html(reader, article_factory):
    article_factory(title="比较", summary="涨幅 <5% & 跌幅 >3%")

    description = rss_items(reader)["比较"].findtext("description")

    # Feed readers render the description as HTML: the text is escaped once more for it.
    assert description == "涨幅 &lt;5% &amp; 跌幅 &gt;3%"
    assert html.unescape(description) == "涨幅 <5% & 跌幅 >3%"
