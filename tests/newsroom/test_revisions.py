"""修订历史: every save keeps a revision; editors compare two side by side and restore one."""

import pytest
from django.urls import reverse

from news import counters, services
from news.models import Article
from tests.news.helpers import assert_forbidden, change_form_data, html_of, text_of
from tests.newsroom.helpers import (
    CHANGELIST,
    REVIEW_QUEUE,
    bulk_action,
    change_url,
    history_url,
)

pytestmark = pytest.mark.django_db


def revisions_of(article):
    return list(Article.history.filter(id=article.pk).order_by("history_date", "history_id"))


def compare_url(article, old, new) -> str:
    url = reverse("admin:news_article_compare", args=[article.pk])
    return f"{url}?old={old.pk}&new={new.pk}"


def restore_url(article, revision) -> str:
    return reverse("admin:news_article_restore", args=[article.pk, revision.pk])


def edit(client, article, **changes):
    article.refresh_from_db()
    response = client.post(change_url(article), change_form_data(article, **changes))
    assert response.status_code == 302, response.content.decode()[:2000]
    article.refresh_from_db()
    return response


@pytest.fixture
def edited(desk, others_draft):
    """A draft the editor has rewritten once: two revisions."""
    edit(
        desk,
        others_draft,
        title="小李的独家稿件（修订）",
        body="<p>第一段没有变。</p><p>第二段改写过了。</p>",
    )
    return others_draft


def test_saving_in_the_admin_keeps_a_revision_with_the_editor_and_what_changed(
    desk, editor, edited
):
    first, second = revisions_of(edited)
    assert second.history_user == editor
    assert second.title == "小李的独家稿件（修订）"
    assert first.title == "小李的独家稿件"

    page = text_of(desk.get(history_url(edited)))
    assert "zhangbianji" in page
    assert "标题" in page and "正文" in page  # the fields the edit changed, by their labels
    assert "共 2 个版本" in page


def test_bulk_publish_keeps_a_revision_of_each_article(desk, editor, own_draft, others_draft):
    bulk_action(desk, CHANGELIST, "publish", own_draft, others_draft)

    for article in (own_draft, others_draft):
        latest = revisions_of(article)[-1]
        assert latest.status == Article.Status.PUBLISHED
        assert latest.history_user == editor
        assert latest.history_change_reason == "发布"


def test_approving_from_the_review_queue_keeps_a_revision(desk, editor, others_draft):
    Article.objects.filter(pk=others_draft.pk).update(status=Article.Status.REVIEW)

    bulk_action(desk, REVIEW_QUEUE, "approve", others_draft)

    latest = revisions_of(others_draft)[-1]
    assert latest.status == Article.Status.PUBLISHED and latest.history_user == editor


def test_featuring_and_unpublishing_keep_revisions(desk, article):
    before = len(revisions_of(article))

    bulk_action(desk, CHANGELIST, "feature", article)
    bulk_action(desk, CHANGELIST, "unpublish", article)

    reasons = [r.history_change_reason for r in revisions_of(article)[before:]]
    assert reasons == ["头条设置", "撤回"]


def test_a_readers_page_view_keeps_no_revision(client, article):
    before = len(revisions_of(article))

    assert article.title in text_of(client.get(article.get_absolute_url()))
    client.get(article.get_absolute_url())
    counters.flush()  # with Redis, the buffered views reach the row now

    assert len(revisions_of(article)) == before
    article.refresh_from_db()
    assert article.views >= 1


def test_comparison_shows_both_versions_of_title_summary_and_body_side_by_side(desk, edited):
    old, new = revisions_of(edited)

    page = html_of(desk.get(compare_url(edited, new, old)))  # picked the other way round

    text = text_of(page)
    # The older version on the left, the difference marked on the right.
    assert (
        '<td class="old">小李的独家稿件</td><td class="new">小李的独家稿件<ins>（修订）</ins>'
        in page
    )
    assert "第二段改写过了。" in text and "第一段没有变。" in text
    assert "这是" in text  # the old body, on the left
    assert "标题" in text and "摘要" in text and "正文" in text


def test_comparison_shows_markup_in_a_title_as_text(desk, others_draft):
    edit(desk, others_draft, title="<script>alert(1)</script>标题")

    old, new = revisions_of(others_draft)
    page = html_of(desk.get(compare_url(others_draft, old, new)))

    assert "<script>alert(1)" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_comparison_of_revisions_of_another_article_is_refused_in_chinese(desk, edited, own_draft):
    response = desk.get(compare_url(edited, revisions_of(edited)[0], revisions_of(own_draft)[0]))

    assert response.status_code == 400
    assert "所选版本不属于这篇文章" in text_of(response)
    bad = desk.get(reverse("admin:news_article_compare", args=[edited.pk]) + "?old=x&new=1")
    assert bad.status_code == 400 and "版本编号无效" in text_of(bad)


def test_restoring_a_revision_brings_back_its_content_as_a_new_revision(desk, editor, edited):
    old, _new = revisions_of(edited)
    assert "恢复此版本" in text_of(desk.get(restore_url(edited, old)))

    response = desk.post(restore_url(edited, old), follow=True)

    assert "已恢复为" in text_of(response)
    edited.refresh_from_db()
    assert edited.title == "小李的独家稿件"
    assert "第二段改写过了" not in edited.body and "测试文章的正文" in edited.body_text
    latest = revisions_of(edited)[-1]
    assert len(revisions_of(edited)) == 3
    assert latest.history_user == editor and latest.history_change_reason.startswith("恢复为")


def test_restoring_keeps_the_article_published(desk, article):
    edit(desk, article, title="改过的标题")
    first = revisions_of(article)[0]

    desk.post(restore_url(article, first))

    article.refresh_from_db()
    assert article.title == "松江举行文明城区建设推进会" and article.is_public


def test_contributor_sees_and_restores_the_history_of_their_own_draft(
    login, contributor, own_draft
):
    writer = login(contributor)
    edit(writer, own_draft, title="小王的草稿（二稿）")

    assert "小王的草稿（二稿）" in text_of(writer.get(history_url(own_draft)))
    writer.post(restore_url(own_draft, revisions_of(own_draft)[0]))

    own_draft.refresh_from_db()
    assert own_draft.title == "小王的草稿"


def test_contributor_cannot_see_or_restore_another_writers_history(login, contributor, edited):
    writer = login(contributor)
    writer.get(CHANGELIST)  # the editor's pending "saved" message, shown and gone
    old, new = revisions_of(edited)

    for url in (compare_url(edited, old, new), restore_url(edited, old)):
        response = writer.get(url, follow=True)
        assert "小李的独家稿件" not in text_of(response)
        assert "不存在" in text_of(response)
    writer.post(restore_url(edited, old))
    edited.refresh_from_db()
    assert edited.title == "小李的独家稿件（修订）"


def test_contributor_cannot_restore_over_a_published_article(login, contributor, editor, own_draft):
    writer = login(contributor)
    edit(writer, own_draft, title="小王的草稿（二稿）")
    services.articles_publish(articles=Article.objects.filter(pk=own_draft.pk), user=editor)

    history = text_of(writer.get(history_url(own_draft)))
    assert "小王的草稿（二稿）" in history and "恢复此版本" not in history
    assert_forbidden(writer.post(restore_url(own_draft, revisions_of(own_draft)[0])))

    own_draft.refresh_from_db()
    assert own_draft.title == "小王的草稿（二稿）"


def test_a_long_history_is_shown_a_page_at_a_time(desk, others_draft):
    for n in range(55):
        others_draft.title = f"第{n}次修改"
        others_draft.save()

    first_page = text_of(desk.get(history_url(others_draft)))
    last_page = text_of(desk.get(history_url(others_draft), {"page": "2"}))

    assert "第54次修改" in first_page and "共 56 个版本" in first_page
    assert "创建" in last_page and "创建" not in first_page.split("说明", 1)[1]
    assert desk.get(history_url(others_draft), {"page": "abc"}).status_code == 200
