"""The reader's pages: home, category, article, tag and search, as a reader sees them."""

import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings as django_settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from comments.models import Comment
from news import counters
from news.models import Article
from news.services import articles_publish
from tests.news.helpers import html_of, main_html, main_text, region, sidebar_text, text_of

pytestmark = pytest.mark.django_db

SHANGHAI = ZoneInfo("Asia/Shanghai")


def ago(**delta):
    return timezone.now() - timedelta(**delta)


def later(**delta):
    return timezone.now() + timedelta(**delta)


def local_date(article):
    return timezone.localtime(article.publish_at).strftime("%Y/%m/%d")


def assert_in_order(text, *items):
    positions = [text.index(item) for item in items]
    assert positions == sorted(positions), f"{items} not in this order in: {text}"


def assert_portal_404(response):
    assert response.status_code == 404
    text = text_of(response)
    assert "页面不存在" in text
    assert "返回首页" in text
    assert django_settings.SITE_NAME in text


# --- home -------------------------------------------------------------------------------


def test_home_headline_area_shows_the_newest_featured_article(client, article_factory):
    lead = article_factory(
        title="头条:城市更新三年行动启动", is_featured=True, publish_at=ago(hours=1)
    )
    second = article_factory(title="次条:轨交新线开通", is_featured=True, publish_at=ago(hours=2))
    article_factory(title="普通稿件", publish_at=ago(minutes=5))
    article_factory(title="未发布的头条草稿", is_featured=True, status=Article.Status.DRAFT)

    headlines = text_of(region(main_html(client.get("/")), 'class="headlines"', "</section>"))

    assert headlines.startswith("头条")
    assert_in_order(headlines, lead.title, lead.summary, second.title)
    assert "普通稿件" not in headlines
    assert "未发布的头条草稿" not in headlines


def test_home_has_no_headline_area_without_featured_articles(client, article):
    assert "头条" not in main_text(client.get("/"))


def test_home_category_blocks_show_each_categorys_own_articles(client, article_factory):
    news = article_factory(title="新闻栏目稿件", category="news")
    finance = article_factory(title="财经栏目稿件", category="finance")
    draft = article_factory(title="财经草稿", category="finance", status=Article.Status.DRAFT)

    html = main_html(client.get("/"))
    news_block = text_of(region(html, 'id="block-news"', "</section>"))
    finance_block = text_of(region(html, 'id="block-finance"', "</section>"))
    industry_block = text_of(region(html, 'id="block-industry"', "</section>"))

    assert news_block.startswith("新闻 news")
    assert news.title in news_block and finance.title not in news_block
    assert finance.title in finance_block and news.title not in finance_block
    assert draft.title not in finance_block
    assert "本栏目暂无文章。" in industry_block


def test_home_category_block_shows_the_eight_newest_articles(client, article_factory):
    articles = [
        article_factory(title=f"区块稿件{n:02d}号", publish_at=ago(hours=n)) for n in range(10)
    ]

    block = text_of(region(main_html(client.get("/")), 'id="block-news"', "</section>"))

    assert_in_order(block, *(a.title for a in articles[:8]))
    assert articles[8].title not in block
    assert articles[9].title not in block


def test_home_hot_list_ranks_published_articles_by_views(client, article_factory):
    article_factory(title="冷门稿件", views=5)
    article_factory(title="最热稿件", views=500)
    article_factory(title="次热稿件", views=50)
    article_factory(title="浏览很多的草稿", views=9999, status=Article.Status.DRAFT)

    sidebar = sidebar_text(client.get("/"))
    hot = sidebar[sidebar.index("热门文章") : sidebar.index("最新文章")]

    assert_in_order(hot, "最热稿件 500", "次热稿件 50", "冷门稿件 5")
    assert "浏览很多的草稿" not in hot


def test_home_latest_list_shows_newest_published_first(client, article_factory):
    newest = article_factory(title="刚刚发布", publish_at=ago(minutes=1))
    older = article_factory(title="昨天发布", publish_at=ago(days=1))
    article_factory(title="明天才发布", publish_at=later(days=1))

    sidebar = sidebar_text(client.get("/"))
    latest = sidebar[sidebar.index("最新文章") :]

    assert_in_order(latest, newest.title, older.title)
    assert "明天才发布" not in latest


def test_home_with_no_articles_still_renders(client, db):
    response = client.get("/")
    assert response.status_code == 200
    assert "本栏目暂无文章。" in main_text(response)


# --- category page ----------------------------------------------------------------------


def test_category_page_breadcrumb_reads_home_then_category(client, article):
    response = client.get("/category/news/")
    breadcrumb = text_of(region(html_of(response), '<nav class="breadcrumbs"', "</nav>"))
    assert breadcrumb == "您现在的位置:首页 > 新闻"


def test_category_page_lists_title_date_and_excerpt_of_each_article(client, article_factory):
    article_factory(
        title="松江举行文明城区建设推进会",
        body="<p>会议部署了下一阶段的文明城区创建工作，要求各街镇对照标准查漏补缺。</p>",
        publish_at=datetime(2024, 5, 1, 10, 0, tzinfo=SHANGHAI),
    )

    listing = main_text(client.get("/category/news/"))

    assert listing.startswith("新闻 news")
    assert "松江举行文明城区建设推进会" in listing
    assert "会议部署了下一阶段的文明城区创建工作" in listing
    assert "2024/05/01" in listing
    assert "新闻 2024/05/01" in listing


def test_category_page_lists_only_published_articles_of_that_category(client, article_factory):
    mine = article_factory(title="本栏目稿件", category="finance")
    article_factory(title="其他栏目稿件", category="news")
    article_factory(title="本栏目草稿", category="finance", status=Article.Status.DRAFT)
    article_factory(title="本栏目定时稿", category="finance", publish_at=later(hours=2))

    listing = main_text(client.get("/category/finance/"))

    assert mine.title in listing
    assert "其他栏目稿件" not in listing
    assert "本栏目草稿" not in listing
    assert "本栏目定时稿" not in listing


def test_category_page_without_articles_says_so(client, db):
    assert "暂无文章。" in main_text(client.get("/category/industry/"))


def test_category_page_two_shows_the_twenty_first_article(client, article_factory):
    articles = [
        article_factory(title=f"分页稿件{n:02d}号", publish_at=ago(hours=n)) for n in range(1, 22)
    ]

    first = main_text(client.get("/category/news/"))
    second = main_text(client.get("/category/news/?page=2"))

    assert articles[19].title in first and articles[20].title not in first
    assert articles[20].title in second and articles[0].title not in second
    assert "第 1 / 2 页" in first and "下一页" in first
    assert "第 2 / 2 页" in second and "上一页" in second


@pytest.mark.parametrize("page", ["abc", "0", "-1", "999999", "1e3", "2"])
def test_category_page_number_that_is_not_a_page_is_the_portal_404(client, article, page):
    assert_portal_404(client.get(f"/category/news/?page={page}"))


def test_unknown_category_is_the_portal_404(client, db):
    assert_portal_404(client.get("/category/sports/"))


# --- article page -----------------------------------------------------------------------


@pytest.fixture
def full_article(article_factory):
    return article_factory(
        title="松江举行文明城区建设推进会",
        body="<p>" + "文" * 1200 + "</p>",
        author="张记者",
        source_name="松江报",
        source_url="https://www.songjiang.example/news/1.html",
        publish_at=datetime(2024, 5, 1, 10, 0, tzinfo=SHANGHAI),
        tags=["文明创建", "松江"],
    )


def test_article_page_breadcrumb_reads_home_category_title(client, full_article):
    response = client.get(full_article.get_absolute_url())
    breadcrumb = text_of(region(html_of(response), '<nav class="breadcrumbs"', "</nav>"))
    assert breadcrumb == "您现在的位置:首页 > 新闻 > 松江举行文明城区建设推进会"
    assert '<a href="/category/news/">新闻</a>' in html_of(response)


def test_article_page_header_shows_date_category_views_and_reading_time(client, full_article):
    text = main_text(client.get(full_article.get_absolute_url()))

    assert "发布时间:2024/05/01 新闻 浏览:1 作者:张记者" in text
    assert "本篇文章1200字,读完约3分钟" in text
    assert "文" * 1200 in text


def test_dates_are_shown_and_marked_up_in_shanghai_time(client, article_factory):
    # 23:30 in UTC is already the next day in Shanghai.
    late = datetime(2024, 4, 30, 23, 30, tzinfo=ZoneInfo("UTC"))
    article = article_factory(title="深夜发布", tags=["夜间"], publish_at=late)
    article_factory(title="同标签稿件", tags=["夜间"], publish_at=late - timedelta(days=1))

    html = main_html(client.get(article.get_absolute_url()))

    assert '发布时间:<time datetime="2024-05-01T07:30:00+08:00">2024/05/01</time>' in html
    related = region(html, 'class="box related"', "</section>")
    assert '<time datetime="2024-04-30T07:30:00+08:00">04-30</time>' in related


def test_article_page_footer_shows_linked_source_title_and_permalink(client, full_article):
    response = client.get(full_article.get_absolute_url())
    text = main_text(response)
    permalink = f"http://testserver/article/{full_article.pk}/"

    assert "来源:松江报" in text
    assert '<a href="https://www.songjiang.example/news/1.html" rel="nofollow noopener"' in (
        html_of(response)
    )
    assert "标题:松江举行文明城区建设推进会" in text
    assert f"地址:{permalink}" in text
    assert f'<a href="{permalink}">{permalink}</a>' in html_of(response)


def test_article_page_shows_source_without_link_when_there_is_no_source_url(
    client, article_factory
):
    article = article_factory(source_name="新华社")
    response = client.get(article.get_absolute_url())
    footer = region(main_html(response), '<footer class="article-footer"', "</footer>")

    assert "来源:新华社" in text_of(footer)
    assert "新华社</a>" not in footer


def test_article_page_without_source_shows_no_source_line(client, article):
    assert "来源:" not in main_text(client.get(article.get_absolute_url()))


def test_article_page_source_url_without_name_shows_the_url(client, article_factory):
    article = article_factory(source_url="https://example.com/original")
    text = main_text(client.get(article.get_absolute_url()))
    assert "来源:https://example.com/original" in text


def test_article_tags_link_to_their_tag_pages(client, full_article):
    response = client.get(full_article.get_absolute_url())
    html = html_of(response)

    assert "标签:文明创建松江" in main_text(response)
    for name in ("文明创建", "松江"):
        tag = full_article.tags.get(name=name)
        url = reverse("news:tag", args=[tag.slug])
        assert f'<a href="{url}" rel="tag">{name}</a>' in html
        assert full_article.title in main_text(client.get(url))


def test_article_with_a_symbol_only_tag_still_renders(client, article_factory):
    article = article_factory(tags=["#", "文明"])
    response = client.get(article.get_absolute_url())
    assert response.status_code == 200
    assert "文明" in main_text(response)


def test_previous_and_next_stay_within_the_same_category(client, article_factory):
    base = ago(days=10)
    older = article_factory(title="新闻较早稿", category="news", publish_at=base)
    article_factory(
        title="财经夹在中间的较早稿", category="finance", publish_at=base + timedelta(hours=1)
    )
    current = article_factory(
        title="新闻当前稿", category="news", publish_at=base + timedelta(hours=2)
    )
    article_factory(
        title="财经夹在中间的较新稿", category="finance", publish_at=base + timedelta(hours=3)
    )
    newer = article_factory(
        title="新闻较新稿", category="news", publish_at=base + timedelta(hours=4)
    )
    article_factory(
        title="新闻草稿",
        category="news",
        status=Article.Status.DRAFT,
        publish_at=base + timedelta(hours=3),
    )

    response = client.get(current.get_absolute_url())
    nav = text_of(region(main_html(response), '<nav class="prev-next"', "</nav>"))

    assert nav == f"上一篇:{older.title} 下一篇:{newer.title}"
    assert f'<a href="{older.get_absolute_url()}" rel="prev">' in html_of(response)
    assert f'<a href="{newer.get_absolute_url()}" rel="next">' in html_of(response)


def test_first_and_last_article_say_there_is_no_more(client, article):
    nav = text_of(
        region(
            main_html(client.get(article.get_absolute_url())), '<nav class="prev-next"', "</nav>"
        )
    )
    assert nav == "上一篇:没有了 下一篇:没有了"


def test_articles_published_together_link_to_each_other(client, article_factory):
    drafts = [
        article_factory(
            title=f"同批发布稿{n}号", status=Article.Status.DRAFT, publish_at=ago(days=1)
        )
        for n in range(1, 4)
    ]
    articles_publish(articles=Article.objects.filter(pk__in=[a.pk for a in drafts]))
    # Lists show the batch newest id first: 3号, 2号, 1号.
    response = client.get(drafts[1].get_absolute_url())
    nav = text_of(region(main_html(response), '<nav class="prev-next"', "</nav>"))
    assert nav == "上一篇:同批发布稿1号 下一篇:同批发布稿3号"


def test_related_reading_prefers_shared_tags_then_fills_from_the_category(client, article_factory):
    current = article_factory(title="当前稿件", category="news", tags=["文明", "松江"])
    both = article_factory(title="两个标签都相同", category="finance", tags=["文明", "松江"])
    # Newer than ``both``: sharing more tags outranks being newer.
    one = article_factory(
        title="一个标签相同", category="industry", tags=["松江"], publish_at=ago(minutes=1)
    )
    same_category = article_factory(title="同栏目无标签", category="news")
    article_factory(title="其他栏目无标签", category="finance")
    article_factory(title="同标签的草稿", tags=["文明", "松江"], status=Article.Status.DRAFT)

    response = client.get(current.get_absolute_url())
    related = text_of(region(main_html(response), 'class="box related"', "</section>"))

    assert related.startswith("相关阅读")
    assert_in_order(related, both.title, one.title, same_category.title)
    assert "其他栏目无标签" not in related
    assert "同标签的草稿" not in related
    assert "当前稿件" not in related


def test_related_reading_lists_at_most_six_articles(client, article_factory):
    current = article_factory(tags=["文明"])
    for n in range(8):
        article_factory(title=f"相关稿件{n}号", tags=["文明"])

    html = region(
        main_html(client.get(current.get_absolute_url())), 'class="box related"', "</section>"
    )

    assert html.count("<li>") == 6


def test_related_reading_on_a_busy_tag_shows_the_stories_written_around_the_article(
    client, article_factory
):
    """A tag on many articles: related reading takes the ones written just before and
    after this one (a follow-up, an earlier report), not the whole tag's history."""
    # Written, and published, one after the other.
    for n in range(12):
        article_factory(title=f"早先报道{n}号", tags=["进博会"], publish_at=ago(days=40 - n))
    current = article_factory(title="当前报道", tags=["进博会", "虹桥"], publish_at=ago(days=20))
    after = article_factory(title="后续报道", tags=["进博会", "虹桥"], publish_at=ago(days=19))
    for n in range(12):
        article_factory(title=f"后来报道{n}号", tags=["进博会"], publish_at=ago(days=18 - n))

    page = main_html(client.get(current.get_absolute_url()))
    related = text_of(region(page, 'class="box related"', "</section>"))

    # Sharing both tags comes first; then the busy tag's stories nearest to this one.
    assert related.split()[1] == after.title
    assert "后来报道0号" in related  # the next story on the tag
    assert "后来报道11号" not in related  # a dozen stories later
    assert "早先报道0号" not in related  # a dozen stories earlier


def test_neighbours_and_related_reading_cost_one_statement_however_many_tags(
    client, article_factory
):
    article = article_factory(tags=[f"标签{n}" for n in range(30)], category="news")
    for n in range(3):
        article_factory(title=f"同标签{n}", tags=[f"标签{n}"], category="finance")
    article_factory(title="只同第三十个标签", tags=["标签29"], category="finance")

    with CaptureQueriesContext(connection) as captured:
        page = main_html(client.get(article.get_absolute_url()))

    tag_walks = [q["sql"] for q in captured if "UNION ALL" in q["sql"] and "object_id" in q["sql"]]
    assert len(tag_walks) == 1
    # Related reading looks at the article's first ten tags (a short walk along the index
    # on each side of each), not at all thirty.
    related = text_of(region(page, 'class="box related"', "</section>"))
    assert all(f"同标签{n}" in related for n in range(3))
    assert "只同第三十个标签" not in related


def test_sidebar_shows_each_categorys_lead_article(client, article_factory):
    article_factory(title="新闻最新稿", category="news", publish_at=ago(minutes=1))
    article_factory(title="新闻头条稿", category="news", is_featured=True, publish_at=ago(days=3))
    article_factory(title="财经较早稿", category="finance", publish_at=ago(days=2))
    article_factory(title="财经最新稿", category="finance", publish_at=ago(days=1))
    current = article_factory(title="正在阅读", category="industry", publish_at=ago(days=5))

    sidebar = sidebar_text(client.get(current.get_absolute_url()))

    assert_in_order(sidebar, "新闻", "新闻头条稿", "财经", "财经最新稿", "产经", "正在阅读")
    leads = sidebar[: sidebar.index("热门文章")]
    assert "新闻最新稿" not in leads
    assert "财经较早稿" not in leads


def test_article_page_shows_approved_comments_oldest_first_with_their_count(
    client, article, comment_factory
):
    first = comment_factory(article=article, name="王先生", message="第一条留言，支持文明创建。")
    second = comment_factory(article=article, name="李女士", message="第二条留言，希望多建停车位。")
    comment_factory(
        article=article, name="待审读者", message="这条还在审核", status=Comment.Status.PENDING
    )
    comment_factory(
        article=article, name="广告机器人", message="低价代开发票", status=Comment.Status.SPAM
    )

    comments = text_of(
        region(main_html(client.get(article.get_absolute_url())), 'class="comments"', "</ol>")
    )

    assert comments.startswith("读者留言（2）")
    assert_in_order(comments, first.name, first.message, second.name, second.message)
    assert "这条还在审核" not in comments and "待审读者" not in comments
    assert "低价代开发票" not in comments and "广告机器人" not in comments


def test_article_page_never_shows_commenters_email_or_ip(client, article, comment_factory):
    comment_factory(article=article, email="wang.secret@example.com", ip_address="203.0.113.77")

    html = html_of(client.get(article.get_absolute_url()))

    assert "wang.secret@example.com" not in html
    assert "203.0.113.77" not in html


def test_article_without_comments_invites_the_first_one(client, article):
    text = main_text(client.get(article.get_absolute_url()))
    assert "读者留言 还没有留言，欢迎发表您的看法。" in text


def test_article_page_offers_the_comment_form(client, article):
    html = main_html(client.get(article.get_absolute_url()))
    form = region(html, '<form class="comment-form"', "</form>")

    assert f'action="/article/{article.pk}/comments/#comment-form"' in form
    for label, name in (("姓名", "name"), ("邮箱", "email"), ("留言", "message")):
        assert re.search(rf'<label for="id_{name}">{label}<', form)
        assert f'name="{name}"' in form
    assert "csrfmiddlewaretoken" in form
    assert "提交留言" in text_of(form)


def test_unknown_article_is_the_portal_404(client, db):
    assert_portal_404(client.get("/article/999999/"))


def test_article_id_beyond_the_database_range_is_a_404(client, db):
    assert_portal_404(client.get("/article/99999999999999999999999/"))


# --- view counting ----------------------------------------------------------------------


def test_each_reading_adds_one_view_shown_on_the_page(client, article):
    assert article.views == 0

    first = main_text(client.get(article.get_absolute_url()))
    second = main_text(client.get(article.get_absolute_url()))

    assert "浏览:1" in first
    assert "浏览:2" in second
    counters.flush()  # with Redis the database follows in batches; without, a no-op
    article.refresh_from_db()
    assert article.views == 2


def test_view_is_counted_with_a_single_atomic_update(client, article, settings):
    settings.REDIS_URL = None  # the database counter; the Redis one: test_counters.py
    with CaptureQueriesContext(connection) as queries:
        client.get(article.get_absolute_url())

    updates = [q["sql"] for q in queries.captured_queries if q["sql"].startswith("UPDATE")]
    assert len(updates) == 1
    assert re.search(r'SET "?views"? = \(?("news_article"\.)?"?views"? \+ 1', updates[0])


def test_staff_preview_of_a_draft_does_not_count_a_view(staff_client, article_factory):
    draft = article_factory(status=Article.Status.DRAFT)

    text = main_text(staff_client.get(draft.get_absolute_url()))

    assert "浏览:0" in text
    draft.refresh_from_db()
    assert draft.views == 0


def test_requests_for_unpublished_articles_count_no_views(client, article_factory):
    scheduled = article_factory(publish_at=later(hours=1))
    client.get(scheduled.get_absolute_url())
    scheduled.refresh_from_db()
    assert scheduled.views == 0


def test_reading_one_article_does_not_count_views_for_others(client, article_factory):
    read, other = article_factory(), article_factory()
    client.get(read.get_absolute_url())
    other.refresh_from_db()
    assert other.views == 0


# --- drafts and scheduled articles ------------------------------------------------------


@pytest.fixture
def unpublished(article_factory):
    return {
        "draft": article_factory(title="草稿稿件", status=Article.Status.DRAFT),
        "scheduled": article_factory(
            title="定时稿件", publish_at=datetime(2099, 1, 1, 9, 30, tzinfo=SHANGHAI)
        ),
    }


@pytest.mark.parametrize("kind", ["draft", "scheduled"])
def test_unpublished_articles_are_a_404_for_anonymous_readers(client, unpublished, kind):
    assert_portal_404(client.get(unpublished[kind].get_absolute_url()))


@pytest.mark.parametrize("kind", ["draft", "scheduled"])
def test_unpublished_articles_are_a_404_for_logged_in_readers(reader_client, unpublished, kind):
    assert_portal_404(reader_client.get(unpublished[kind].get_absolute_url()))


def test_staff_preview_a_draft_under_a_preview_banner(staff_client, unpublished):
    response = staff_client.get(unpublished["draft"].get_absolute_url())

    assert response.status_code == 200
    assert "预览：草稿，读者看不到本文" in text_of(response)
    assert "草稿稿件" in main_text(response)
    assert '<meta name="robots" content="noindex">' in html_of(response)
    # Readers cannot comment on what they cannot see.
    assert '<form class="comment-form"' not in html_of(response)


def test_staff_preview_an_article_awaiting_review_under_its_own_banner(
    staff_client, article_factory
):
    article = article_factory(title="等待审核的稿件", status=Article.Status.REVIEW)
    response = staff_client.get(article.get_absolute_url())
    assert "预览：待审，编辑审核发布前读者看不到本文" in text_of(response)


def test_staff_preview_a_scheduled_article_with_its_publish_time(staff_client, unpublished):
    response = staff_client.get(unpublished["scheduled"].get_absolute_url())

    assert response.status_code == 200
    assert "预览：定时发布，将于 2099/01/01 09:30 对读者可见" in text_of(response)


def test_published_article_has_no_preview_banner(staff_client, article):
    assert "预览" not in text_of(staff_client.get(article.get_absolute_url()))


# --- tag page ---------------------------------------------------------------------------


def test_tag_page_lists_only_published_articles_with_that_tag(client, article_factory):
    tagged = article_factory(title="带标签的稿件", tags=["文明创建"], category="finance")
    article_factory(title="其他标签的稿件", tags=["交通"])
    article_factory(title="无标签的稿件")
    article_factory(title="带标签的草稿", tags=["文明创建"], status=Article.Status.DRAFT)

    response = client.get(reverse("news:tag", args=["文明创建"]))
    text = main_text(response)

    assert response.status_code == 200
    assert "标签：文明创建 共 1 篇文章" in text
    assert tagged.title in text
    assert "其他标签的稿件" not in text
    assert "无标签的稿件" not in text
    assert "带标签的草稿" not in text
    breadcrumb = text_of(region(html_of(response), '<nav class="breadcrumbs"', "</nav>"))
    assert breadcrumb == "您现在的位置:首页 > 标签：文明创建"


def test_unknown_tag_is_the_portal_404(client, db):
    assert_portal_404(client.get(reverse("news:tag", args=["不存在的标签"])))


# --- search -----------------------------------------------------------------------------


def search(client, query):
    return client.get(reverse("news:search"), {"q": query})


def test_search_finds_a_word_that_is_only_in_the_body(client, article_factory):
    found = article_factory(
        title="区里召开推进会",
        summary="会议部署下一阶段工作。",
        body="<p>" + "会议听取了各街镇的汇报。" * 10 + "会议要求巩固文明城区创建成果。</p>",
    )
    article_factory(title="无关稿件", body="<p>地铁新线开通。</p>")

    response = search(client, "文明")
    text = main_text(response)

    assert "找到 1 篇相关文章" in text
    assert found.title in text
    assert "无关稿件" not in text
    assert "<mark>文明</mark>" in main_html(response)


def test_search_highlights_the_term_in_titles(client, article_factory):
    article_factory(title="松江举行文明城区建设推进会")
    html = main_html(search(client, "文明"))
    assert "松江举行<mark>文明</mark>城区建设推进会" in html


def test_search_with_several_terms_finds_articles_that_contain_all_of_them(client, article_factory):
    both = article_factory(title="松江推进文明创建")
    article_factory(title="松江地铁新线开通")
    article_factory(title="青浦推进文明创建")

    text = main_text(search(client, "文明  松江"))

    assert "找到 1 篇相关文章" in text
    assert both.title in text


def test_search_finds_terms_in_the_source_name(client, article_factory):
    article = article_factory(title="本地新闻", source_name="松江报")
    assert article.title in main_text(search(client, "松江报"))


def test_search_never_finds_drafts_or_scheduled_articles(client, article_factory):
    article_factory(title="文明草稿", status=Article.Status.DRAFT)
    article_factory(title="文明定时稿", publish_at=later(hours=1))

    text = main_text(search(client, "文明"))

    assert "找到 0 篇相关文章" in text
    assert "没有找到相关文章，换个关键词试试。" in text
    assert "文明草稿" not in text and "文明定时稿" not in text


@pytest.mark.parametrize(
    ("query", "wanted", "unwanted"),
    [("50%", "利润增长50%以上", "利润增长500家"), ("A_1", "项目A_1期开工", "项目AB1期开工")],
)
def test_search_matches_percent_and_underscore_literally(
    client, article_factory, query, wanted, unwanted
):
    article_factory(title=wanted)
    article_factory(title=unwanted)

    text = main_text(search(client, query))

    assert wanted in text
    assert unwanted not in text


def test_search_query_with_markup_is_shown_escaped(client, article_factory):
    response = search(client, "<script>alert(1)</script>")
    html = html_of(response)

    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "搜索“<script>alert(1)</script>”" in main_text(response)


def test_search_result_text_that_looks_like_markup_is_escaped(client, article_factory):
    article_factory(
        title="网页安全课", body="<p>示例代码 &lt;script&gt;alert(1)&lt;/script&gt; 会被过滤。</p>"
    )

    html = main_html(search(client, "alert"))

    assert "<script>" not in html
    assert "&lt;script&gt;<mark>alert</mark>(1)&lt;/script&gt;" in html


def test_empty_search_asks_for_a_keyword(client, article):
    for query in ("", "   "):
        text = main_text(search(client, query))
        assert "请输入要搜索的关键词。" in text
        assert article.title not in text


def test_search_results_are_paginated_keeping_the_query(client, article_factory):
    for n in range(16):
        article_factory(title=f"文明稿件{n:02d}号", publish_at=ago(hours=n))

    first = search(client, "文明")
    second = client.get(reverse("news:search"), {"q": "文明", "page": 2})

    assert "找到 16 篇相关文章" in main_text(first)
    assert 'href="?q=%E6%96%87%E6%98%8E&amp;page=2"' in html_of(first)
    assert "文明稿件15号" in main_text(second)
    assert "文明稿件00号" not in main_text(second)


# --- errors -----------------------------------------------------------------------------


def test_unknown_url_shows_the_portal_404_page(client, db):
    response = client.get("/no-such-page/")
    assert_portal_404(response)
    assert '<a href="/">返回首页</a>' in html_of(response)


def test_the_newsroom_sets_its_own_tagline_description_and_footer_note(client, article, settings):
    settings.SITE_NAME = "松江日报网"
    settings.SITE_TAGLINE = "松江人自己的新闻"
    settings.SITE_DESCRIPTION = "松江区新闻门户。"
    settings.SITE_FOOTER_NOTE = ""

    for url in ["/", article.get_absolute_url()]:
        page = text_of(html_of(client.get(url)))
        assert "松江日报网 松江人自己的新闻" in page
        assert "松江区新闻门户。" in page
        assert "演示内容" not in page and "申城" not in page
    assert '<meta name="description" content="松江日报网：松江区新闻门户。">' in html_of(
        client.get("/")
    )
