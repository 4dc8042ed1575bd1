from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse

from comments.models import Comment
from news.models import Article, Category
from tests.factories import CATEGORY_NAMES

from .support import DESKTOP, MOBILE, chromium, new_page


@pytest.fixture(scope="module")
def chromium_browser():
    """One Chromium per test module: starting it costs more than most tests."""
    with chromium() as browser:
        yield browser


@pytest.fixture
def page(chromium_browser, live_server):
    """A fresh desktop tab on the live server."""
    with new_page(chromium_browser, live_server.url, DESKTOP) as watched:
        yield watched.page


@pytest.fixture
def mobile_page(chromium_browser, live_server):
    """A fresh tab the size of a phone screen (375×812)."""
    with new_page(chromium_browser, live_server.url, MOBILE) as watched:
        yield watched.page


@pytest.fixture
def comments_without_waiting(settings):
    """The comment form may be posted at once (readers must wait 3 s; a test need not)."""
    settings.COMMENTS_FORM_MIN_SECONDS = 0


@pytest.fixture
def news(article_factory):
    """The 新闻 column with two pages of stories; the one to read is on page 2.

    Its neighbours share its tags, so the page shows related reading as well.
    """
    stories = [article_factory(title=f"新闻列表第{n}条", tags=["松江"]) for n in range(1, 22)]
    story = article_factory(
        title="松江举行文明城区建设推进会",
        summary="推进会部署了下一阶段的文明创建工作。",
        body="<h2>会议部署</h2><p>推进会部署了文明创建的重点工作,涉及老小区停车与垃圾分类。</p>",
        author="李记者",
        source_name="松江报",
        tags=["文明创建", "松江"],
    )
    older = article_factory(title="松江文明创建回顾", tags=["松江"])
    return {"category": story.category, "story": story, "stories": stories, "older": older}


@pytest.fixture
def reader_pages(news):
    """The four reader pages every browser check visits, by name."""
    return {
        "home": "/",
        "category": news["category"].get_absolute_url(),
        "article": news["story"].get_absolute_url(),
        "search": reverse("news:search") + "?q=文明",
    }


@pytest.fixture
def demo_pages(settings, tmp_path):
    """The four reader pages over the demo content of `make run` (covers, long bodies,
    comments): what the screenshots show and axe judges is what a new user first sees."""
    settings.DATA_DIR = tmp_path / "var"  # the demo login file, away from the real var/
    # A transactional test empties the tables the migrations filled: the columns first.
    for order, (slug, name) in enumerate(CATEGORY_NAMES.items()):
        Category.objects.get_or_create(
            slug=slug, defaults={"name": name, "label_en": slug, "order": order}
        )
    call_command("load_demo", stdout=StringIO())
    article = (
        Article.objects.published()
        .exclude(cover="")
        .filter(comments__status=Comment.Status.APPROVED)
        .order_by("-is_featured", "-publish_at")
        .first()
    )
    return {
        "home": "/",
        "category": article.category.get_absolute_url(),
        "article": article.get_absolute_url(),
        "search": reverse("news:search") + "?q=文明",
    }


@pytest.fixture
def photo(tmp_path):
    """A photo on the editor's computer, ready to upload."""
    from PIL import Image, ImageDraw

    path = tmp_path / "会场照片.png"
    image = Image.new("RGB", (800, 500), "#2a6fb0")
    ImageDraw.Draw(image).rectangle((200, 120, 600, 380), fill="#f2c14e")
    image.save(path)
    return path


@pytest.fixture
def admin_page(page, staff_user):
    """A desktop tab logged into the admin through its login form."""
    page.goto(reverse("admin:login"))
    page.get_by_role("textbox", name="用户名").fill("editor")
    page.get_by_role("textbox", name="密码").fill("pw-editor-123")
    page.get_by_role("button", name="登录").click()
    page.wait_for_url("**/admin/")
    return page
