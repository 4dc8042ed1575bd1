import time
from datetime import timedelta

import pytest
from django.contrib.auth.models import Permission
from django.utils import timezone

from news.models import Article
from placements.models import Placement

pytestmark = pytest.mark.django_db

Slot = Placement.Slot


def place(article, slot, **fields):
    fields.setdefault("starts_at", timezone.now() - timedelta(hours=1))
    return Placement.objects.create(article=article, slot=slot, **fields)


def home(client) -> str:
    return client.get("/").content.decode()


def section(html: str, css_class: str) -> str:
    """The HTML of the first <section class="css_class"> on the page ('' if none)."""
    start = html.find(f'<section class="{css_class}"')
    return "" if start < 0 else html[start : html.index("</section>", start)]


def test_slideshow_and_ticker_show_their_articles_in_the_editors_order(client, article_factory):
    first = article_factory(title="幻灯第一张：松江新城夜景")
    second = article_factory(title="幻灯第二张：G60科创走廊")
    ticker = article_factory(title="滚动新闻：地铁九号线加开夜班车")
    place(second, Slot.SLIDESHOW, order=2)
    place(first, Slot.SLIDESHOW, order=1)
    place(ticker, Slot.TICKER)

    html = home(client)
    slides = section(html, "slideshow")
    assert slides.index(first.title) < slides.index(second.title)
    assert ticker.title in section(html, "ticker")
    assert ticker.title not in slides


def test_placements_not_started_ended_or_of_hidden_articles_stay_off_the_page(
    client, article_factory
):
    now = timezone.now()
    shown = article_factory(title="正在推荐的文章")
    later = article_factory(title="明天才上幻灯的文章")
    ended = article_factory(title="昨天已下幻灯的文章")
    draft = article_factory(title="还是草稿的文章", status=Article.Status.DRAFT)
    scheduled = article_factory(title="定时发布未到的文章", publish_at=now + timedelta(days=1))
    place(shown, Slot.SLIDESHOW)
    place(later, Slot.SLIDESHOW, starts_at=now + timedelta(days=1))
    place(ended, Slot.SLIDESHOW, starts_at=now - timedelta(days=2), ends_at=now - timedelta(days=1))
    place(draft, Slot.SLIDESHOW)
    place(scheduled, Slot.SLIDESHOW)

    slides = section(home(client), "slideshow")
    assert shown.title in slides
    for hidden in (later, ended, draft, scheduled):
        assert hidden.title not in slides


def test_headline_placements_come_before_featured_articles(client, article_factory):
    featured = article_factory(title="编辑设为头条的最新文章", is_featured=True)
    placed = article_factory(title="版位头条：全区经济工作会议召开")
    place(placed, Slot.HEADLINE)

    headlines = section(home(client), "headlines")
    assert headlines.index(placed.title) < headlines.index(featured.title)


def test_recommended_placements_fill_the_home_sidebar(client, article_factory):
    article = article_factory(title="编辑推荐：老城厢的早餐地图")
    place(article, Slot.RECOMMENDED)
    html = home(client)
    assert "编辑推荐" in html and article.title in html


def test_a_placement_starts_and_ends_at_its_times_with_nobody_saving_anything(
    client, article_factory
):
    article = article_factory(title="到点上下幻灯的文章")
    assert "slideshow" not in home(client)  # the home page is now cached
    start = timezone.now() + timedelta(seconds=1.5)
    place(article, Slot.SLIDESHOW, starts_at=start, ends_at=start + timedelta(seconds=1.5))

    assert article.title not in section(home(client), "slideshow")
    time.sleep(max(0, (start - timezone.now()).total_seconds()) + 0.2)
    assert article.title in section(home(client), "slideshow")
    time.sleep(1.5)
    assert article.title not in section(home(client), "slideshow")


def test_editing_a_placement_changes_the_cached_home_page_at_once(client, article_factory):
    article = article_factory(title="马上要撤下的滚动新闻")
    placement = place(article, Slot.TICKER)
    assert article.title in section(home(client), "ticker")
    placement.ends_at = timezone.now()
    placement.save()
    assert article.title not in section(home(client), "ticker")
    place(article, Slot.TICKER)
    assert article.title in section(home(client), "ticker")
    Placement.objects.filter(article=article).delete()
    assert article.title not in section(home(client), "ticker")


@pytest.fixture
def placement_editor(django_user_model):
    user = django_user_model.objects.create_user("layout", password="pw-layout-123", is_staff=True)
    user.user_permissions.add(Permission.objects.get(codename="view_placement"))
    return user


def test_editors_preview_the_home_page_at_a_later_time(client, article_factory, placement_editor):
    article = article_factory(title="明早八点上幻灯")
    tomorrow = timezone.localtime() + timedelta(days=1)
    place(article, Slot.SLIDESHOW, starts_at=tomorrow - timedelta(minutes=1))
    at = tomorrow.strftime("%Y-%m-%dT%H:%M")

    # Readers asking for another time get today's page.
    assert article.title not in section(client.get("/", {"at": at}).content.decode(), "slideshow")
    client.force_login(placement_editor)
    response = client.get("/", {"at": at})
    html = response.content.decode()
    assert article.title in section(html, "slideshow")
    assert f"预览：首页在 {tomorrow:%Y/%m/%d %H:%M} 的样子" in html
    assert response["Cache-Control"] == "private, no-store"
    assert article.title not in section(home(client), "slideshow")  # the preview wasn't cached


def test_the_preview_shows_articles_scheduled_by_then(client, article_factory, placement_editor):
    tomorrow = timezone.localtime() + timedelta(days=1)
    article = article_factory(title="明早发布的头条", is_featured=True, publish_at=tomorrow)
    client.force_login(placement_editor)

    assert article.title not in home(client)
    later = (tomorrow + timedelta(minutes=1)).strftime("%Y-%m-%dT%H:%M")
    assert article.title in section(client.get("/", {"at": later}).content.decode(), "headlines")


@pytest.mark.parametrize("at", ["明天", "2026-13-40T99:00", ""])
def test_a_bad_preview_time_is_explained_never_an_error(client, placement_editor, at):
    client.force_login(placement_editor)
    response = client.get("/", {"at": at})
    assert response.status_code == 400
    assert "预览时间" in response.content.decode()


def test_a_placement_cannot_end_before_it_starts(admin_client, article_factory):
    article = article_factory(title="时间填反的版位")
    now = timezone.localtime()
    response = admin_client.post(
        "/admin/placements/placement/add/",
        {
            "slot": Slot.SLIDESHOW,
            "article": article.pk,
            "order": 0,
            "starts_at_0": now.strftime("%Y-%m-%d"),
            "starts_at_1": "10:00:00",
            "ends_at_0": now.strftime("%Y-%m-%d"),
            "ends_at_1": "09:00:00",
        },
    )
    assert response.status_code == 200
    assert "结束时间必须晚于开始时间。" in response.content.decode()
    assert not Placement.objects.exists()


def test_a_category_placement_leads_that_category_page_only(client, article_factory, categories):
    finance = categories["finance"]
    article = article_factory(title="财经栏目推荐：债券市场周报", category=finance)
    place(article, Slot.RECOMMENDED, category=finance)
    for _ in range(20):  # a second page
        article_factory(category=finance)

    page = client.get(finance.get_absolute_url()).content.decode()
    assert article.title in section(page, "box placed")
    assert "本栏推荐" in page
    assert "本栏推荐" not in client.get(finance.get_absolute_url(), {"page": 2}).content.decode()
    assert "编辑推荐" not in home(client)  # a category's placement is not the home page's
