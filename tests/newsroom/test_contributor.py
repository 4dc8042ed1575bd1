"""撰稿人: writes, edits and submits their own drafts, uploads images, and nothing more.

Every forbidden action is tried as the contributor's browser (or a crafted request) would
send it, and the article is checked afterwards: refusing on the page is not enough.
"""

from datetime import timedelta

import pytest
from django.utils import timezone

from comments.models import Comment
from news.models import Article, Category
from tests.news.helpers import (
    assert_forbidden,
    change_form_data,
    html_of,
    image_upload,
    region,
    text_of,
)
from tests.newsroom.helpers import (
    ADD,
    CHANGELIST,
    UPLOAD,
    bulk_action,
    change_url,
    delete_url,
    form_errors,
    history_url,
    new_article_form,
)

pytestmark = pytest.mark.django_db

PREVIEW_BANNER = "预览：草稿，读者看不到本文"
NO_PUBLISHING = "你没有发布权限：稿件只能存为草稿或提交待审，由编辑审核后发布。"


@pytest.fixture
def writer(login, contributor):
    return login(contributor)


# --- what a contributor does -----------------------------------------------------------


def test_contributor_creates_a_draft_that_is_recorded_as_theirs(writer, contributor, categories):
    response = writer.post(ADD, new_article_form(categories["news"]))

    assert response.status_code == 302
    article = Article.objects.get(title="区里新开通三条社区巴士线路")
    assert (article.status, article.created_by) == (Article.Status.DRAFT, contributor)
    assert not article.is_public


def test_contributor_edits_their_own_draft(writer, own_draft):
    response = writer.post(change_url(own_draft), change_form_data(own_draft, title="改好的标题"))

    assert response.status_code == 302
    own_draft.refresh_from_db()
    assert own_draft.title == "改好的标题"
    assert own_draft.status == Article.Status.DRAFT


def test_contributor_submits_a_draft_for_review(writer, own_draft):
    response = writer.post(
        change_url(own_draft), change_form_data(own_draft, status="review"), follow=True
    )

    assert "稿件已提交待审，编辑审核通过后发布。" in text_of(response)
    own_draft.refresh_from_db()
    assert own_draft.status == Article.Status.REVIEW
    assert own_draft.get_status_display() == "待审"


def test_contributor_is_offered_only_draft_and_review_and_no_publish_time_or_headline(
    writer, own_draft
):
    html = html_of(writer.get(change_url(own_draft)))

    assert '<option value="draft" selected>草稿</option>' in html
    assert '<option value="review">待审</option>' in html
    assert 'value="published"' not in html
    assert 'name="publish_at_0"' not in html
    assert 'name="is_featured"' not in html


def test_contributor_uploads_an_image_for_the_article_body(writer):
    response = writer.post(UPLOAD, {"upload": image_upload("现场.png")})

    assert response.status_code == 200
    assert response.json()["url"].endswith(".png")


def test_contributor_previews_their_own_draft_on_the_reader_site(writer, own_draft):
    response = writer.get(own_draft.get_absolute_url())

    assert response.status_code == 200
    assert PREVIEW_BANNER in text_of(response)
    assert "小王的草稿" in text_of(response)


def test_contributor_lists_only_their_own_articles(writer, own_draft, others_draft, article):
    rows = text_of(region(html_of(writer.get(CHANGELIST)), '<table id="result_list"', "</table>"))

    assert "小王的草稿" in rows
    assert "小李的独家稿件" not in rows
    assert article.title not in rows  # published by someone else: not theirs to manage


# --- what a contributor may not do ------------------------------------------------------


def test_contributor_cannot_publish_their_draft_with_a_crafted_post(writer, own_draft):
    response = writer.post(change_url(own_draft), change_form_data(own_draft, status="published"))

    assert response.status_code == 200
    assert NO_PUBLISHING in form_errors(response)
    own_draft.refresh_from_db()
    assert own_draft.status == Article.Status.DRAFT


def test_contributor_cannot_create_an_article_already_published(writer, categories):
    response = writer.post(ADD, new_article_form(categories["news"], status="published"))

    assert response.status_code == 200
    assert NO_PUBLISHING in form_errors(response)
    assert not Article.objects.filter(title="区里新开通三条社区巴士线路").exists()


def test_contributor_cannot_schedule_a_publish_time_sent_anyway_is_ignored(writer, own_draft):
    stored = own_draft.publish_at
    later = timezone.localtime(timezone.now() + timedelta(days=3))
    crafted = change_form_data(
        own_draft,
        title="改了标题",
        publish_at_0=later.strftime("%Y-%m-%d"),
        publish_at_1=later.strftime("%H:%M:%S"),
    )

    response = writer.post(change_url(own_draft), crafted)

    assert response.status_code == 302
    own_draft.refresh_from_db()
    assert own_draft.title == "改了标题"
    assert own_draft.publish_at == stored


def test_contributor_cannot_make_their_draft_a_headline(writer, own_draft):
    response = writer.post(change_url(own_draft), change_form_data(own_draft, is_featured="on"))

    assert response.status_code == 302
    own_draft.refresh_from_db()
    assert own_draft.is_featured is False


def test_contributor_cannot_delete_their_draft(writer, own_draft):
    assert_forbidden(writer.get(delete_url(own_draft)))
    assert_forbidden(writer.post(delete_url(own_draft), {"post": "yes"}))

    assert Article.objects.filter(pk=own_draft.pk).exists()


@pytest.mark.parametrize("action", ["publish", "unpublish", "feature", "unfeature"])
def test_contributor_cannot_use_the_editors_bulk_actions(writer, own_draft, action):
    assert 'name="action"' not in html_of(writer.get(CHANGELIST))

    assert_forbidden(bulk_action(writer, CHANGELIST, action, own_draft))

    own_draft.refresh_from_db()
    assert (own_draft.status, own_draft.is_featured) == (Article.Status.DRAFT, False)


def test_contributor_cannot_bulk_delete(writer, own_draft):
    response = writer.post(
        CHANGELIST,
        {"action": "delete_selected", "_selected_action": [own_draft.pk], "post": "yes"},
    )

    assert_forbidden(response)
    assert Article.objects.filter(pk=own_draft.pk).exists()


def test_contributor_cannot_edit_their_article_once_published(writer, own_draft):
    Article.objects.filter(pk=own_draft.pk).update(status=Article.Status.PUBLISHED)
    own_draft.refresh_from_db()

    page = writer.get(change_url(own_draft))
    assert page.status_code == 200  # still theirs to read
    assert 'name="_save"' not in html_of(page)
    assert_forbidden(
        writer.post(change_url(own_draft), change_form_data(own_draft, title="偷偷改标题"))
    )

    own_draft.refresh_from_db()
    assert own_draft.title == "小王的草稿"


@pytest.mark.parametrize("page", [change_url, history_url])
def test_contributor_cannot_open_another_writers_draft_in_the_admin(writer, others_draft, page):
    response = writer.get(page(others_draft), follow=True)

    assert "小李的独家稿件" not in text_of(response)
    assert "不存在" in text_of(response)  # the admin's "doesn't exist", back on its index


def test_contributor_cannot_change_another_writers_draft(writer, others_draft):
    writer.post(change_url(others_draft), change_form_data(others_draft, title="冒名修改"))

    others_draft.refresh_from_db()
    assert others_draft.title == "小李的独家稿件"


def test_contributor_cannot_delete_another_writers_draft(writer, others_draft):
    assert_forbidden(writer.post(delete_url(others_draft), {"post": "yes"}))

    assert Article.objects.filter(pk=others_draft.pk).exists()


def test_contributor_cannot_preview_another_writers_draft(writer, others_draft):
    response = writer.get(others_draft.get_absolute_url())

    assert response.status_code == 404
    assert "小李的独家稿件" not in text_of(response)


def test_contributor_cannot_moderate_comments(writer, article, comment_factory):
    comment = comment_factory(article=article, status=Comment.Status.PENDING)

    assert_forbidden(writer.get("/admin/comments/comment/"))
    assert_forbidden(bulk_action(writer, "/admin/comments/comment/", "approve", comment))

    comment.refresh_from_db()
    assert comment.status == Comment.Status.PENDING


def test_contributor_cannot_change_categories(writer, categories):
    news = categories["news"]

    assert_forbidden(writer.post(f"/admin/news/category/{news.pk}/change/", {"name": "改名"}))

    assert Category.objects.get(pk=news.pk).name == "新闻"


def test_contributor_sees_their_own_drafts_and_published_articles_only(
    contributor, own_draft, others_draft, article
):
    assert set(Article.objects.visible_to(contributor)) == {own_draft, article}


def test_staff_without_a_role_cannot_upload_images(login, django_user_model):
    stranger = django_user_model.objects.create_user("linshigong", is_staff=True)

    response = login(stranger).post(UPLOAD, {"upload": image_upload()})

    assert response.status_code == 403
    assert response.json() == {"error": {"message": "只有编辑人员可以上传图片。"}}
