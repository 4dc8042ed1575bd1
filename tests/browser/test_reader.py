"""A reader's visit in Chromium: lists, an article, a comment, a search."""

import re

import pytest
from django.conf import settings

from .support import expect

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_reader_finds_an_article_through_its_category_and_reads_every_part(page, news):
    page.goto("/")
    expect(page.get_by_role("link", name=settings.SITE_NAME).first).to_be_visible()
    page.get_by_role("navigation", name="栏目导航").get_by_role("link", name="新闻").click()

    main = page.get_by_role("main")
    expect(main.get_by_role("heading", level=1)).to_contain_text("新闻")
    expect(main.get_by_role("link", name="新闻列表第1条", exact=True)).to_be_visible()
    page.get_by_role("navigation", name="分页").get_by_role("link", name="下一页").click()

    expect(page).to_have_url(re.compile(r"\?page=2$"))
    expect(main.get_by_role("link", name="新闻列表第1条", exact=True)).to_have_count(0)
    main.get_by_role("link", name="松江举行文明城区建设推进会").click()

    story = news["story"]
    article = page.get_by_role("article").filter(has=page.get_by_role("heading", level=1))
    expect(page.get_by_role("heading", level=1)).to_have_text(story.title)
    for text in ["发布时间", "浏览", "作者:李记者", "读完约", "来源:松江报"]:
        expect(article.get_by_text(text).first).to_be_visible()
    expect(article.get_by_role("heading", name="会议部署")).to_be_visible()
    expect(article.get_by_text("涉及老小区停车与垃圾分类")).to_be_visible()
    expect(article.get_by_role("link", name="新闻", exact=True)).to_be_visible()
    expect(article.get_by_role("link", name="文明创建", exact=True)).to_be_visible()
    neighbours = page.get_by_role("navigation", name="上下篇")
    expect(neighbours.get_by_role("link", name="新闻列表第21条")).to_be_visible()
    expect(neighbours.get_by_role("link", name="松江文明创建回顾")).to_be_visible()
    expect(page.get_by_role("heading", name="相关阅读")).to_be_visible()
    expect(page.get_by_role("heading", name=re.compile("读者留言"))).to_be_visible()
    expect(page.get_by_role("button", name="提交留言")).to_be_visible()


def test_a_reader_corrects_a_refused_comment_and_is_told_it_awaits_review(
    page, news, comments_without_waiting
):
    page.goto(news["story"].get_absolute_url())
    page.get_by_role("textbox", name="姓名", exact=True).fill("王小明")
    page.get_by_role("textbox", name="邮箱", exact=True).fill("不是邮箱")
    page.get_by_role("textbox", name="留言", exact=True).fill("希望多关注老小区的停车问题。")
    page.get_by_role("button", name="提交留言").click()

    expect(page.get_by_text("请输入有效的邮箱地址。")).to_be_visible()
    expect(page.get_by_role("textbox", name="姓名", exact=True)).to_have_value("王小明")
    expect(page.get_by_role("textbox", name="留言", exact=True)).to_have_value(
        "希望多关注老小区的停车问题。"
    )

    page.get_by_role("textbox", name="邮箱", exact=True).fill("xiaoming.wang@example.com")
    page.get_by_role("button", name="提交留言").click()

    expect(page.get_by_role("status")).to_contain_text("留言已提交，审核后显示。")
    expect(page.get_by_text("希望多关注老小区的停车问题。")).to_have_count(0)


def test_a_two_character_search_finds_the_article_and_opens_it(page, news):
    page.goto("/")
    page.get_by_role("searchbox", name="搜索文章").fill("文明")
    page.get_by_role("search").get_by_role("button", name="搜索").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("搜索“文明”")
    expect(page.get_by_text("找到 2 篇相关文章")).to_be_visible()
    page.get_by_role("link", name="松江举行文明城区建设推进会").click()

    expect(page).to_have_url(re.compile(news["story"].get_absolute_url() + "$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(news["story"].title)
