"""编辑: edits and publishes any article, schedules, features, moderates comments; the
site's structure (categories, moderation rules) and deleting articles are the chief's."""

from datetime import timedelta

import pytest
from django.utils import timezone

from comments.models import Comment, ModerationSettings
from news.models import Article, Category
from tests.news.helpers import assert_forbidden, change_form_data, html_of, text_of
from tests.newsroom.helpers import (
    CHANGELIST,
    bulk_action,
    change_url,
    delete_url,
)

pytestmark = pytest.mark.django_db


def test_editor_sees_and_edits_a_contributors_draft(desk, others_draft):
    assert "小李的独家稿件" in text_of(desk.get(CHANGELIST))

    response = desk.post(
        change_url(others_draft), change_form_data(others_draft, title="编辑改过的标题")
    )

    assert response.status_code == 302
    others_draft.refresh_from_db()
    assert others_draft.title == "编辑改过的标题"


def test_editor_publishes_a_draft_from_the_change_form(desk, client, others_draft):
    desk.post(change_url(others_draft), change_form_data(others_draft, status="published"))

    others_draft.refresh_from_db()
    assert others_draft.is_public
    client.logout()
    assert "小李的独家稿件" in text_of(client.get(others_draft.get_absolute_url()))


def test_editor_schedules_an_article(desk, others_draft):
    later = timezone.localtime(timezone.now() + timedelta(days=2)).replace(microsecond=0)
    desk.post(
        change_url(others_draft),
        change_form_data(
            others_draft,
            status="published",
            publish_at_0=later.strftime("%Y-%m-%d"),
            publish_at_1=later.strftime("%H:%M:%S"),
        ),
    )

    others_draft.refresh_from_db()
    assert others_draft.is_scheduled
    assert others_draft.publish_at == later


def test_editor_makes_an_article_the_headline_in_the_form_and_in_bulk(
    desk, article, article_factory
):
    other = article_factory(title="另一篇要闻")

    desk.post(change_url(article), change_form_data(article, is_featured="on"))
    bulk_action(desk, CHANGELIST, "feature", other)

    article.refresh_from_db()
    other.refresh_from_db()
    assert article.is_featured and other.is_featured


def test_editor_bulk_publishes_and_unpublishes(desk, others_draft, article):
    bulk_action(desk, CHANGELIST, "publish", others_draft)
    bulk_action(desk, CHANGELIST, "unpublish", article)

    others_draft.refresh_from_db()
    article.refresh_from_db()
    assert others_draft.status == Article.Status.PUBLISHED
    assert article.status == Article.Status.DRAFT


def test_editor_moderates_comments(desk, article, comment_factory):
    comment = comment_factory(article=article, status=Comment.Status.PENDING)

    response = bulk_action(desk, "/admin/comments/comment/", "approve", comment)

    assert response.status_code == 302
    comment.refresh_from_db()
    assert comment.status == Comment.Status.APPROVED


def test_editor_cannot_change_or_add_categories(desk, categories):
    news = categories["news"]
    url = f"/admin/news/category/{news.pk}/change/"

    assert 'name="_save"' not in html_of(desk.get(url))  # may look, not change
    assert_forbidden(
        desk.post(url, {"name": "改名", "label_en": "news", "slug": "news", "order": "0"})
    )
    assert_forbidden(desk.get("/admin/news/category/add/"))

    assert Category.objects.get(pk=news.pk).name == "新闻"


def test_editor_cannot_change_the_moderation_rules(desk):
    rules = ModerationSettings.load()
    url = f"/admin/comments/moderationsettings/{rules.pk}/change/"

    assert_forbidden(desk.post(url, {"max_links": "99", "hold_words": "", "block_words": ""}))

    assert ModerationSettings.load().max_links == rules.max_links


def test_editor_cannot_delete_articles(desk, article):
    assert_forbidden(desk.post(delete_url(article), {"post": "yes"}))
    assert_forbidden(
        desk.post(
            CHANGELIST,
            {"action": "delete_selected", "_selected_action": [article.pk], "post": "yes"},
        )
    )

    assert Article.objects.filter(pk=article.pk).exists()
