"""An editor's work in Chromium: write, illustrate and publish an article, approve a comment."""

import re

import pytest
from django.urls import reverse

from news.models import Article

from .support import expect, image_loaded, screenshot

pytestmark = pytest.mark.django_db(transaction=True)

TITLE = "松江新城规划展示馆开馆"
BODY = "规划展示馆今天对市民开放,展出新城十年来的建设成果。"


def write_article(page, photo):
    """Fill in the add form: title, column, the body typed into CKEditor 5, two images."""
    page.goto(reverse("admin:news_article_add"))
    page.get_by_role("textbox", name="标题").fill(TITLE)
    page.get_by_role("combobox", name="栏目").select_option(label="新闻")

    editor = page.get_by_role("application", name="富文本编辑器")
    editor.get_by_role("textbox").click()
    page.keyboard.type(BODY)
    with page.expect_file_chooser() as chooser:
        editor.get_by_role("button", name="从电脑上传图片").click()
    chooser.value.set_files(photo)
    uploaded = editor.get_by_role("textbox").get_by_role("img")
    expect(uploaded).to_have_attribute("src", re.compile("^/media/uploads/"), timeout=10_000)


def test_an_editor_writes_illustrates_and_publishes_an_article(admin_page, photo, news):
    page = admin_page
    write_article(page, photo)
    page.get_by_role("button", name="封面图").set_input_files(photo)
    screenshot(page, "admin-article-form")
    page.get_by_role("button", name="保存", exact=True).click()
    expect(page.get_by_role("main").get_by_role("listitem").first).to_contain_text("成功添加")

    page.get_by_role("row").filter(has_text=TITLE).get_by_role("checkbox").check()
    page.get_by_role("combobox", name="动作").select_option(label="发布所选文章")
    page.get_by_role("button", name="执行").click()
    expect(page.get_by_text("已发布 1 篇文章。")).to_be_visible()

    page.goto("/")
    expect(page.get_by_role("main").get_by_role("link", name=TITLE)).to_be_visible()
    assert image_loaded(page.get_by_role("main").get_by_alt_text(TITLE).first)
    page.goto(news["category"].get_absolute_url())
    expect(page.get_by_role("main").get_by_role("link", name=TITLE)).to_be_visible()
    assert image_loaded(page.get_by_role("main").get_by_alt_text(TITLE).first)

    page.get_by_role("main").get_by_role("link", name=TITLE).click()
    article = page.get_by_role("article").filter(has=page.get_by_role("heading", name=TITLE))
    expect(article.get_by_text(BODY)).to_be_visible()
    images = article.get_by_role("img").all()
    assert all(image_loaded(image) for image in images)
    assert any(image.get_attribute("src").startswith("/media/uploads/") for image in images)
    saved = Article.objects.get(title=TITLE)
    assert saved.is_public and "/media/uploads/" in saved.body


def test_an_approved_comment_appears_under_its_article(admin_page, news, comment_factory):
    story = news["story"]
    comment_factory(article=story, name="赵六", message="建议增加夜间公交班次", status="pending")
    page = admin_page
    page.goto(story.get_absolute_url())
    expect(page.get_by_text("建议增加夜间公交班次")).to_have_count(0)

    page.goto(reverse("admin:comments_comment_changelist"))
    expect(page.get_by_role("heading", level=1)).to_have_text("留言审核（待审核 1 条）")
    page.get_by_role("row").filter(has_text="建议增加夜间公交班次").get_by_role("checkbox").check()
    page.get_by_role("combobox", name="动作").select_option(label="通过所选留言")
    page.get_by_role("button", name="执行").click()
    expect(page.get_by_text("已通过 1 条留言。")).to_be_visible()

    page.goto(story.get_absolute_url())
    comments = page.get_by_role("region", name="读者留言（1）")
    comment = comments.get_by_role("listitem").filter(has_text="赵六")
    expect(comment).to_contain_text("建议增加夜间公交班次")
