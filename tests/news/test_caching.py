"""Cached reader pages change the moment their content does, and only those pages.

Each test first reads the pages (and checks that a second read is served from the cache),
then changes the content the way an editor does it — an admin form or bulk action, a
service function, a plain ORM save — and reads again as a reader would.
"""

import re
from datetime import timedelta
from types import SimpleNamespace

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from taggit.models import Tag

from comments.models import Comment
from comments.services import comments_moderate
from news import caching, services
from news.models import Article, Category
from tests.comments.helpers import comment_form
from tests.comments.pages import comment_list, field_errors, field_value
from tests.news.helpers import change_form_data, html_of, region, text_of

pytestmark = pytest.mark.django_db

ARTICLES = "/admin/news/article/"
COMMENTS = "/admin/comments/comment/"
HOME = reverse("news:home")
SUBMITTED = "留言已提交，审核后显示。"


def ago(**delta):
    return timezone.now() - timedelta(**delta)


def category_url(slug):
    return reverse("news:category", args=[slug])


def tag_url(name):
    return reverse("news:tag", args=[Tag.objects.get(name=name).slug])


@pytest.fixture
def reader(db):
    """An anonymous reader with a browser of their own (the editor uses ``staff_client``)."""
    return Client()


def read(client, url) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return html_of(response)


def queries_for(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(captured.captured_queries)


def warm(client, *urls):
    """Read each page so it is cached, and check the next read comes from the cache.

    A cached list page costs no query; an article page costs one, its view count.
    """
    for url in urls:
        read(client, url)
        allowed = 1 if url.startswith("/article/") else 0
        assert queries_for(client, url) <= allowed, f"{url} is not served from the cache"


def main(html) -> str:
    """The visible text of the page's main column (no header, sidebar or footer)."""
    return text_of(region(html, "<main", "</main>"))


def prev_next(html) -> str:
    """The 上一篇 / 下一篇 links of an article page."""
    return text_of(region(html, 'class="prev-next"', "</nav>"))


def related(html) -> str:
    """The 相关阅读 box of an article page (empty when the page has none)."""
    if 'id="related-title"' not in html:
        return ""
    return text_of(region(html, 'id="related-title"', "</section>"))


def home_headline(html) -> str:
    """The big 头条 story at the top of the home page."""
    return text_of(region(html, 'class="headline-lead"', "</article>"))


def sidebar_lead(html, category_name) -> str:
    """The lead story the sidebar shows for one category."""
    boxes = re.findall(r'<section class="box lead-box">(.*?)</section>', html, re.S)
    for box in boxes:
        if text_of(region(box, "<h2", "</h2>")) == category_name:
            lead = re.search(r"<strong>(.*?)</strong>", box, re.S)
            return text_of(lead.group(1)) if lead else ""
    raise AssertionError(f"no sidebar box for {category_name}")


def run_action(client, changelist, action, objects):
    response = client.post(
        changelist, {"action": action, "_selected_action": [o.pk for o in objects]}, follow=True
    )
    assert response.status_code == 200
    return text_of(response)


def admin_edit(client, article, **changes):
    url = reverse("admin:news_article_change", args=[article.pk])
    response = client.post(url, change_form_data(article, **changes))
    assert response.status_code == 302, response.context["adminform"].form.errors


# --- publishing ----------------------------------------------------------------------------


@pytest.fixture
def standing_leads(article_factory):
    """An old featured story in each category: it stays the sidebar lead whatever else changes.

    A change of lead invalidates every page with a sidebar; with the lead fixed, only the
    precise invalidation of categories, tags and neighbours can update the pages.
    """
    return {
        slug: article_factory(
            title=f"{name}栏目置顶稿", category=slug, is_featured=True, publish_at=ago(days=30)
        )
        for slug, name in [("news", "新闻"), ("finance", "财经"), ("industry", "产经")]
    }


@pytest.fixture
def neighbourhood(article_factory, standing_leads):
    """An older 新闻 story (the next neighbour) and a 财经 story tagged 长三角."""
    return SimpleNamespace(
        neighbour=article_factory(
            title="松江新城综合交通规划公示", category="news", publish_at=ago(hours=5)
        ),
        cousin=article_factory(
            title="长三角基金规模突破千亿",
            category="finance",
            tags=["长三角"],
            publish_at=ago(hours=6),
        ),
    )


def publish_with_admin_action(staff_client, draft):
    assert "已发布 1 篇文章。" in run_action(staff_client, ARTICLES, "publish", [draft])


def publish_with_orm_save(staff_client, draft):
    draft.status = Article.Status.PUBLISHED
    draft.publish_at = timezone.now()
    draft.save()


@pytest.mark.parametrize("publish", [publish_with_admin_action, publish_with_orm_save])
def test_published_draft_appears_at_once_on_every_page_that_lists_it(
    reader, staff_client, article_factory, neighbourhood, publish
):
    draft = article_factory(
        title="示范区跨省通办再扩容",
        category="news",
        tags=["长三角"],
        status=Article.Status.DRAFT,
        publish_at=ago(days=3),
    )
    pages = [
        HOME,
        category_url("news"),
        tag_url("长三角"),
        neighbourhood.neighbour.get_absolute_url(),
        neighbourhood.cousin.get_absolute_url(),
    ]
    warm(reader, *pages)
    assert draft.title not in read(reader, HOME)

    publish(staff_client, draft)

    home, category, tag, neighbour, cousin = (read(reader, url) for url in pages)
    assert draft.title in main(home)
    assert draft.title in main(category)
    assert draft.title in main(tag)
    assert f"下一篇:{draft.title}" in prev_next(neighbour)
    assert draft.title in related(cousin)
    assert "标签:长三角" in main(read(reader, draft.get_absolute_url()))


# --- editing -------------------------------------------------------------------------------


def test_edited_title_replaces_the_old_one_everywhere_at_once(
    reader, staff_client, article_factory, neighbourhood
):
    story = article_factory(
        title="松江举行文明城区建设推进会",
        category="news",
        tags=["长三角"],
        publish_at=ago(hours=1),
    )
    pages = [
        story.get_absolute_url(),
        HOME,
        category_url("news"),
        tag_url("长三角"),
        neighbourhood.neighbour.get_absolute_url(),
        neighbourhood.cousin.get_absolute_url(),
    ]
    warm(reader, *pages)

    admin_edit(staff_client, story, title="松江文明城区建设推进会召开")

    own, home, category, tag, neighbour, cousin = (read(reader, url) for url in pages)
    new = "松江文明城区建设推进会召开"
    assert new in text_of(region(own, "<h1", "</h1>"))
    assert new in main(home)
    assert new in main(category)
    assert new in main(tag)
    assert f"下一篇:{new}" in prev_next(neighbour)
    assert new in related(cousin)
    for html in (own, home, category, tag, neighbour, cousin):
        assert "松江举行文明城区建设推进会" not in text_of(html)


def test_edited_title_of_a_lead_story_changes_in_every_sidebar(
    reader, staff_client, article_factory
):
    lead = article_factory(title="松江举行文明城区建设推进会", category="news", is_featured=True)
    elsewhere = article_factory(title="沪市成交额连续三日破万亿", category="finance")
    pages = [elsewhere.get_absolute_url(), category_url("industry"), category_url("finance")]
    warm(reader, *pages)
    assert lead.title in sidebar_lead(read(reader, pages[0]), "新闻")

    admin_edit(staff_client, lead, title="松江文明城区建设推进会召开")

    for url in pages:
        assert sidebar_lead(read(reader, url), "新闻") == "松江文明城区建设推进会召开", url


# --- unpublishing and deleting -------------------------------------------------------------


def unpublish_with_admin_action(staff_client, story):
    assert "已撤回 1 篇文章。" in run_action(staff_client, ARTICLES, "unpublish", [story])


def unpublish_with_service(staff_client, story):
    services.articles_unpublish(articles=Article.objects.filter(pk=story.pk))


def delete_in_admin(staff_client, story):
    url = reverse("admin:news_article_delete", args=[story.pk])
    assert staff_client.post(url, {"post": "yes"}).status_code == 302
    assert Article.objects.get(pk=story.pk).is_deleted  # in the trash (回收站)


@pytest.mark.parametrize(
    "withdraw", [unpublish_with_admin_action, unpublish_with_service, delete_in_admin]
)
def test_withdrawn_article_disappears_everywhere_and_its_page_is_gone(
    reader, staff_client, article_factory, neighbourhood, withdraw
):
    story = article_factory(
        title="松江举行文明城区建设推进会",
        category="news",
        tags=["长三角"],
        publish_at=ago(hours=1),
    )
    pages = [
        HOME,
        category_url("news"),
        tag_url("长三角"),
        neighbourhood.neighbour.get_absolute_url(),
        neighbourhood.cousin.get_absolute_url(),
    ]
    warm(reader, story.get_absolute_url(), *pages)
    assert story.title in related(read(reader, neighbourhood.cousin.get_absolute_url()))

    withdraw(staff_client, story)

    for url in pages:
        assert story.title not in text_of(read(reader, url)), url
    neighbour = read(reader, neighbourhood.neighbour.get_absolute_url())
    assert "下一篇:没有了" in prev_next(neighbour)
    assert reader.get(story.get_absolute_url()).status_code == 404


def test_unpublished_lead_story_hands_the_sidebar_to_the_next_one(
    reader, staff_client, article_factory
):
    lead = article_factory(
        title="松江举行文明城区建设推进会", category="news", publish_at=ago(hours=1)
    )
    runner_up = article_factory(
        title="松江新城综合交通规划公示", category="news", publish_at=ago(hours=5)
    )
    elsewhere = article_factory(title="沪市成交额连续三日破万亿", category="finance")
    warm(reader, elsewhere.get_absolute_url(), category_url("industry"))

    run_action(staff_client, ARTICLES, "unpublish", [lead])

    for url in (elsewhere.get_absolute_url(), category_url("industry")):
        assert sidebar_lead(read(reader, url), "新闻") == runner_up.title, url


# --- featuring -----------------------------------------------------------------------------


def test_featured_article_becomes_the_headline_and_the_sidebar_lead_everywhere(
    reader, staff_client, article_factory
):
    newest_finance = article_factory(
        title="沪市成交额连续三日破万亿", category="finance", publish_at=ago(hours=1)
    )
    story = article_factory(title="科创板新规征求意见", category="finance", publish_at=ago(hours=8))
    news_article = article_factory(title="松江新城综合交通规划公示", category="news")
    article_factory(title="长三角专题", category="industry", tags=["长三角"])
    pages = [HOME, news_article.get_absolute_url(), category_url("industry"), tag_url("长三角")]
    warm(reader, *pages)
    assert newest_finance.title in sidebar_lead(read(reader, category_url("industry")), "财经")

    assert "1 篇文章设为头条。" in run_action(staff_client, ARTICLES, "feature", [story])

    home, article_page, industry, tag = (read(reader, url) for url in pages)
    assert story.title in home_headline(home)
    for html in (article_page, industry, tag):
        assert sidebar_lead(html, "财经") == story.title


# --- moving between categories and tags ----------------------------------------------------


def test_article_moved_to_another_category_leaves_the_old_list_and_joins_the_new(
    reader, article_factory, standing_leads
):
    story = article_factory(title="临港新片区金融开放新举措", category="news")
    stays = article_factory(title="松江新城综合交通规划公示", category="news")
    warm(reader, category_url("news"), category_url("finance"))
    assert story.title in main(read(reader, category_url("news")))

    story.category = Category.objects.get(slug="finance")
    story.save()

    old, new = read(reader, category_url("news")), read(reader, category_url("finance"))
    assert story.title not in main(old)
    assert stays.title in main(old)
    assert story.title in main(new)


def test_retagged_article_leaves_the_old_tag_page_and_joins_the_new(
    reader, staff_client, article_factory, standing_leads
):
    story = article_factory(title="临港新片区金融开放新举措", category="news", tags=["自贸区"])
    kin = article_factory(title="浦东金融开放三十年", category="finance", tags=["金融开放"])
    pages = [tag_url("自贸区"), tag_url("金融开放"), kin.get_absolute_url()]
    warm(reader, *pages)

    admin_edit(staff_client, story, tags="金融开放")

    old_tag, new_tag, kin_page = (read(reader, url) for url in pages)
    assert story.title not in main(old_tag)
    assert story.title in main(new_tag)
    assert story.title in related(kin_page)
    assert "标签:金融开放" in main(read(reader, story.get_absolute_url()))


def test_tags_set_through_the_orm_move_the_article_between_tag_pages(reader, article_factory):
    story = article_factory(title="临港新片区金融开放新举措", tags=["自贸区"])
    article_factory(title="浦东金融开放三十年", tags=["金融开放"])
    pages = [tag_url("自贸区"), tag_url("金融开放")]
    warm(reader, *pages)

    story.tags.set(["金融开放"])

    old_tag, new_tag = (read(reader, url) for url in pages)
    assert story.title not in main(old_tag)
    assert story.title in main(new_tag)


def test_renamed_tag_shows_its_new_name_on_its_page_and_its_articles(reader, article_factory):
    story = article_factory(title="临港新片区金融开放新举措", tags=["自贸区"])
    tag = Tag.objects.get(name="自贸区")
    pages = [reverse("news:tag", args=[tag.slug]), story.get_absolute_url()]
    warm(reader, *pages)

    tag.name = "自由贸易试验区"
    tag.save()  # what the 标签 admin's change form does

    tag_page, article_page = (read(reader, url) for url in pages)
    assert "标签：自由贸易试验区" in main(tag_page)
    assert "标签:自由贸易试验区" in main(article_page)


def test_merged_tags_move_their_articles_to_the_surviving_tag_page(
    reader, staff_client, article_factory
):
    story = article_factory(title="临港新片区金融开放新举措", tags=["自贸区"])
    kin = article_factory(title="浦东金融开放三十年", tags=["自由贸易区"])
    old = Tag.objects.get(name="自贸区")
    pages = [tag_url("自贸区"), tag_url("自由贸易区"), story.get_absolute_url()]
    warm(reader, *pages)

    changelist = reverse("admin:taggit_tag_changelist")
    run_action(staff_client, changelist, "render_tag_form", [old])
    response = staff_client.post(changelist + "merge-tags/", {"new_tag_name": "自由贸易区"})
    assert response.status_code == 302
    assert set(story.tags.names()) == {"自由贸易区"}  # merged in the database

    old_page, kept_page, own = (read(reader, url) for url in pages)
    assert story.title in main(kept_page)
    assert story.title not in main(old_page)
    assert "标签:自由贸易区" in main(own)
    assert kin.title in main(kept_page)


# --- comments ------------------------------------------------------------------------------


def moderate_in_admin(staff_client, comment, status):
    action, done = {
        Comment.Status.APPROVED: ("approve", "已通过 1 条留言。"),
        Comment.Status.SPAM: ("mark_spam", "已将 1 条留言标记为垃圾。"),
    }[status]
    assert done in run_action(staff_client, COMMENTS, action, [comment])


def moderate_with_service(staff_client, comment, status):
    comments_moderate(comments=Comment.objects.filter(pk=comment.pk), status=status)


@pytest.mark.parametrize("moderate", [moderate_in_admin, moderate_with_service])
def test_approved_comment_appears_at_once_and_spam_disappears(
    reader, staff_client, article, comment_factory, moderate
):
    comment = comment_factory(
        article=article, name="赵六", message="建议增加夜间公交班次", status="pending"
    )
    warm(reader, article.get_absolute_url())
    assert comment_list(read(reader, article.get_absolute_url())) == []

    moderate(staff_client, comment, Comment.Status.APPROVED)
    assert comment_list(read(reader, article.get_absolute_url())) == [
        ("赵六", "建议增加夜间公交班次")
    ]

    moderate(staff_client, comment, Comment.Status.SPAM)
    assert comment_list(read(reader, article.get_absolute_url())) == []


# --- scheduled publishing ------------------------------------------------------------------


@pytest.fixture
def clock(monkeypatch):
    """Move the site's clock (publication checks and the schedule) to ``moment``."""

    def move_to(moment):
        monkeypatch.setattr(timezone, "now", lambda: moment)
        monkeypatch.setattr(caching, "time", SimpleNamespace(time=moment.timestamp))

    return move_to


@pytest.fixture
def scheduled(article_factory, standing_leads):
    """A 财经 story due in an hour, its older 财经 neighbour, and the pages a reader reads."""
    # Newer than the standing leads whatever the factory's running clock says (it makes
    # each article an hour older than the one before, across the whole test session).
    neighbour = article_factory(
        title="沪市成交额连续三日破万亿",
        category="finance",
        tags=["资本市场"],
        publish_at=ago(hours=2),
    )
    story = article_factory(
        title="科创板新规正式实施",
        category="finance",
        tags=["资本市场"],
        publish_at=timezone.now() + timedelta(hours=1),
    )
    pages = [HOME, category_url("finance"), tag_url("资本市场"), neighbour.get_absolute_url()]
    return SimpleNamespace(story=story, neighbour=neighbour, pages=pages)


def test_scheduled_article_appears_when_its_time_comes_without_anyone_saving(
    reader, scheduled, clock
):
    warm(reader, *scheduled.pages)
    for url in scheduled.pages:
        assert scheduled.story.title not in text_of(read(reader, url))

    clock(scheduled.story.publish_at + timedelta(minutes=1))

    home, category, tag, neighbour = (read(reader, url) for url in scheduled.pages)
    assert scheduled.story.title in main(home)
    assert scheduled.story.title in main(category)
    assert scheduled.story.title in main(tag)
    assert f"下一篇:{scheduled.story.title}" in prev_next(neighbour)


def test_scheduled_article_appears_even_if_an_editor_saved_something_after_its_time(
    reader, scheduled, article_factory, clock
):
    unrelated = article_factory(title="泖港镇农业嘉年华开幕", category="news")
    warm(reader, *scheduled.pages)
    # Its time passes while nobody reads; the first thing that happens is an editor's save.
    clock(scheduled.story.publish_at + timedelta(minutes=1))
    unrelated.title = "泖港镇农业嘉年华今日开幕"
    unrelated.save()

    category, tag = read(reader, category_url("finance")), read(reader, tag_url("资本市场"))
    assert scheduled.story.title in main(category)
    assert scheduled.story.title in main(tag)


# --- precision -----------------------------------------------------------------------------


def test_a_change_leaves_unrelated_pages_in_the_cache(reader, article_factory):
    article_factory(title="沪市成交额连续三日破万亿", category="finance", publish_at=ago(hours=1))
    changed = article_factory(
        title="科创板新规征求意见", category="finance", tags=["资本市场"], publish_at=ago(hours=5)
    )
    unrelated = article_factory(title="松江新城综合交通规划公示", category="news", tags=["交通"])
    article_factory(title="产经园区招商成绩单", category="industry")
    warm(reader, category_url("finance"), unrelated.get_absolute_url(), category_url("industry"))

    changed.title = "科创板新规正式发布"
    changed.save()

    # The changed story's list is rendered again, and with it the 热门 list every page
    # shares (the changed title is in it too): one query, once for the whole site.
    assert changed.title in main(read(reader, category_url("finance")))
    assert queries_for(reader, unrelated.get_absolute_url()) <= 1  # only the view count
    assert queries_for(reader, category_url("industry")) == 0


# --- per-reader parts of a cached page -----------------------------------------------------


def test_cached_article_page_shows_the_exact_view_count(reader, article):
    url = article.get_absolute_url()
    shown = []
    for n in range(3):
        with CaptureQueriesContext(connection) as captured:
            text = main(html_of(reader.get(url)))
        if n:  # served from the cache: only the view count is written
            assert len(captured.captured_queries) <= 1
        shown.append(re.search(r"浏览:(\d+)", text).group(1))
    assert shown == ["1", "2", "3"]


def test_an_edit_while_a_cold_article_page_renders_is_shown_to_the_next_reader(
    reader, article, monkeypatch
):
    """The page's own token exists before its data is read, so a page rendered from data an
    editor replaced meanwhile is stored under a stale token and never served."""
    from news import views

    caching.cache.clear()  # nobody has asked for this article yet: it has no token
    read_parts = views.article_with_parts

    def read_then_edit(pk):
        parts = read_parts(pk)  # the old row, as the page renders it
        edited = Article.objects.get(pk=pk)
        edited.title = "松江新城轨交线路提前开通"
        edited.save()
        return parts

    monkeypatch.setattr(views, "article_with_parts", read_then_edit)
    old_title = article.title
    assert old_title in main(read(reader, article.get_absolute_url()))
    monkeypatch.setattr(views, "article_with_parts", read_parts)

    page = main(read(reader, article.get_absolute_url()))
    assert "松江新城轨交线路提前开通" in page
    assert old_title not in page


def test_a_neighbour_published_while_a_cold_article_page_renders_is_shown_to_the_next_reader(
    reader, article, article_factory, monkeypatch
):
    """With Redis the category's and tags' tokens are read as the page is stored, and only
    count if no token changed since the page's first read: a page rendered before a change
    is never stored under the tokens that came after it."""
    from news import views

    caching.cache.clear()
    render = views.render_article

    def render_then_publish(request, shown, **kwargs):
        html = render(request, shown, **kwargs)  # its neighbours as they were
        monkeypatch.setattr(views, "render_article", render)
        article_factory(title="同栏目刚发布的一篇", category=shown.category)
        return html

    monkeypatch.setattr(views, "render_article", render_then_publish)
    assert "同栏目刚发布的一篇" not in prev_next(read(reader, article.get_absolute_url()))

    assert "同栏目刚发布的一篇" in prev_next(read(reader, article.get_absolute_url()))


def csrf_token(html) -> str:
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)


def test_each_reader_of_a_cached_page_gets_a_csrf_token_that_works(reader, article):
    url = article.get_absolute_url()
    warm(reader, url)
    post_url = reverse("comments:post", args=[article.pk])

    first, second = Client(enforce_csrf_checks=True), Client(enforce_csrf_checks=True)
    first_token, second_token = csrf_token(read(first, url)), csrf_token(read(second, url))
    assert first_token != second_token

    for client, token, ip, text in [
        (first, first_token, "203.0.113.1", "第一位读者的看法"),
        (second, second_token, "203.0.113.2", "第二位读者的看法"),
    ]:
        data = comment_form(
            article, message=text, email=f"{ip}@example.com", csrfmiddlewaretoken=token
        )
        response = client.post(post_url, data, REMOTE_ADDR=ip)
        assert response.status_code == 302, text_of(response)[:200]
    assert Comment.objects.filter(article=article).count() == 2


def test_a_readers_form_errors_never_reach_the_cached_page(reader, article):
    url = article.get_absolute_url()
    warm(reader, url)
    other = Client()
    post_url = reverse("comments:post", args=[article.pk])

    response = other.post(post_url, comment_form(article, name="", message="我的草稿留言内容"))
    assert response.status_code == 400
    assert field_errors(html_of(response), "name") == ["请填写姓名。"]

    assert queries_for(reader, url) <= 1  # still the cached page
    html = read(reader, url)
    assert field_errors(html, "name") == []
    assert field_value(html, "message") == ""
    assert "我的草稿留言内容" not in html


@pytest.mark.parametrize("cached_before", [True, False], ids=["cached", "rendered-for-them"])
def test_a_flash_message_is_shown_only_to_the_reader_it_is_for(reader, article, cached_before):
    """Also when the commenter's own request is the one that renders and stores the page."""
    url = article.get_absolute_url()
    if cached_before:
        warm(reader, url)
    commenter = Client()

    response = commenter.post(
        reverse("comments:post", args=[article.pk]),
        comment_form(article, message="支持文明创建"),
        follow=True,
    )
    assert SUBMITTED in text_of(response)
    assert "支持文明创建" not in text_of(response)  # waiting for moderation

    assert queries_for(reader, url) <= 1  # the page the commenter saw, from the cache
    assert SUBMITTED not in text_of(read(reader, url))
    assert SUBMITTED not in text_of(read(commenter, url))  # shown once


def test_cached_list_pages_set_no_cookie_and_article_pages_set_the_csrf_cookie(client, article):
    for _ in range(2):  # the second answer comes from the cache
        home = client.get("/")
        page = client.get(article.get_absolute_url())

    assert "Set-Cookie" not in home.headers
    assert "csrftoken" in page.cookies


def test_addresses_of_missing_articles_leave_nothing_in_the_cache_for_good(reader, cache_clock):
    missing = reverse("news:article", args=[987654321])
    assert reader.get(missing).status_code == 404

    cache_clock(caching.TOKEN_TIMEOUT + 1)

    assert caching.cache.get("news:token:art:987654321") is None


@pytest.mark.skipif(not settings.REDIS_URL, reason="REDIS_URL not set: no Redis to count")
def test_a_cached_page_costs_one_round_trip_to_redis_and_its_view_is_counted(
    reader, article, article_factory, monkeypatch
):
    import redis

    sent = []  # what this process sends to Redis, command by command (a script is one)
    send = redis.connection.AbstractConnection.send_packed_command
    monkeypatch.setattr(
        redis.connection.AbstractConnection,
        "send_packed_command",
        lambda connection, command, *args, **kwargs: (
            sent.append(command),
            send(connection, command, *args, **kwargs),
        )[1],
    )
    url = article.get_absolute_url()
    other = article_factory(title="同栏目的另一篇", category=article.category)
    read(reader, HOME)
    read(reader, other.get_absolute_url())  # the site-wide parts (header, sidebar) are cached
    sent.clear()
    assert "浏览:1" in text_of(read(reader, url))  # rendered, then stored as its view is counted
    # Read (the page, the tokens known so far), then store with the category's and tags'
    # tokens read in the same script, and count the view.
    assert len(sent) == 2
    pages = {url: "浏览:2", HOME: article.title}

    for page, shown in pages.items():
        sent.clear()
        with CaptureQueriesContext(connection) as queries:
            html = read(reader, page)
        assert len(sent) == 1, page  # the page, its tokens checked, the article's view counted
        assert len(queries) == 0 and shown in text_of(html)


@pytest.mark.skipif(not settings.REDIS_URL, reason="pages are kept in memory only with Redis")
def test_a_page_kept_in_memory_gives_way_to_the_one_another_process_rendered_since(reader, article):
    """Each process keeps the pages it served, and serves them only while Redis says their
    tokens are current: after an edit, the page another process rendered is the one shown."""
    url = article.get_absolute_url()
    warm(reader, url)
    key = f"news:page:article:{article.pk}"
    assert key in caching._kept_pages

    article.title = "松江新城轨交线路提前开通"
    article.save()  # the kept page's tokens are replaced
    # Meanwhile another process renders the page and stores it, under the new tokens.
    tokens = caching.tokens(["nav", "leads", f"art:{article.pk}", f"cat:{article.category_id}"])
    other = caching._kept_pages[key].html.replace(
        html_of_title(caching._kept_pages[key].html), "另一进程渲染的标题"
    )
    stored_under = {caching._token_key(n): t for n, t in tokens.items()}
    caching.cache.set_with_tokens(
        key, caching.CachedPage(other, tokens), stored_under, caching.PAGE_TIMEOUT
    )

    assert "另一进程渲染的标题" in main(read(reader, url))
    assert "另一进程渲染的标题" in caching._kept_pages[key].html  # kept from now on
    article.title = "又改了一次"
    article.save()
    shown = main(read(reader, url))  # rendered afresh: neither copy is current any more
    assert "又改了一次" in shown and "另一进程渲染的标题" not in shown


def html_of_title(html) -> str:
    return re.search(r"<h1>(.*?)</h1>", html).group(1)


def test_the_holes_of_a_cached_page_are_filled_for_each_request(rf, article):
    """Every hole is filled, each as often as it appears; the page's own words are kept,
    "portal" in them included."""
    target = caching.COMMENT_TARGET_HOLE.format(pk=article.pk)
    html = (
        '<link href="/static/css/portal.1a2b.css"><p>浏览:<!--portal:views--></p>'
        f'<input value="{caching.CSRF_HOLE}"><input value="{target}">'
        "<!--portal:messages--><aside><!--portal:hot--></aside>"
        f"<p>再看一次:<!--portal:views--> {caching.CSRF_HOLE}</p>__portal_ <!--portal:other-->"
    )
    request = rf.get(article.get_absolute_url())
    request.COOKIES = {}

    parts = caching.split_at_holes(html)
    filled = caching.fill_holes(request, html, views=719, hot_html="<ol>热门</ol>", parts=parts)

    assert parts[1::2] == [
        caching.VIEWS_HOLE, caching.CSRF_HOLE, target, caching.MESSAGES_HOLE, caching.HOT_HOLE,
        caching.VIEWS_HOLE, caching.CSRF_HOLE,
    ]  # fmt: skip
    token = re.search(r'<input value="([^"]+)"><input', filled).group(1)
    assert len(token) == 64 and filled.count(token) == 2  # one reader, one token
    assert "__portal_comment_target" not in filled
    again = caching.fill_holes(request, html, views=719, hot_html="<ol>热门</ol>")  # unsplit
    other = re.search(r'<input value="([^"]+)"><input', again).group(1)
    assert again.replace(other, token) == filled  # the same page, with a mask of its own
    assert filled.count("浏览:719") == 1 and "再看一次:719" in filled
    assert "<aside><ol>热门</ol></aside>" in filled and "<!--portal:messages-->" not in filled
    assert "/static/css/portal.1a2b.css" in filled
    assert filled.endswith("__portal_ <!--portal:other-->")  # not holes: left as they are
