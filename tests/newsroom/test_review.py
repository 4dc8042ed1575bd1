"""待审: a contributor submits, the editors' queue shows it, and readers never see it."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from news.models import Article
from search.backends import get_backend
from tests.news.helpers import (
    assert_forbidden,
    change_form_data,
    html_of,
    main_text,
    region,
    text_of,
)
from tests.newsroom.helpers import REVIEW_QUEUE, bulk_action, change_url

pytestmark = pytest.mark.django_db


def queue_rows(response) -> str:
    return text_of(region(html_of(response), '<table id="result_list"', "</table>"))


@pytest.fixture
def in_review(article_factory, contributor):
    """Two submitted drafts, the older one first, and a draft not submitted."""
    older = article_factory(
        title="较早提交的稿件", status=Article.Status.REVIEW, created_by=contributor
    )
    newer = article_factory(
        title="刚刚提交的稿件", status=Article.Status.REVIEW, created_by=contributor
    )
    Article.objects.filter(pk=older.pk).update(updated_at=timezone.now() - timedelta(hours=5))
    article_factory(title="还没写完的草稿", status=Article.Status.DRAFT, created_by=contributor)
    return [older, newer]


def test_a_submitted_draft_appears_in_the_editors_review_queue(
    login, contributor, editor, own_draft
):
    login(contributor).post(change_url(own_draft), change_form_data(own_draft, status="review"))

    response = login(editor).get(REVIEW_QUEUE)

    assert "待审稿件（1 篇等待审核）" in text_of(response)
    assert "小王的草稿" in queue_rows(response)
    assert "xiaowang" in queue_rows(response)  # who wrote it


def test_review_queue_lists_only_submitted_drafts_longest_waiting_first(login, editor, in_review):
    rows = queue_rows(login(editor).get(REVIEW_QUEUE))

    assert rows.index("较早提交的稿件") < rows.index("刚刚提交的稿件")
    assert "还没写完的草稿" not in rows


def test_approve_and_publish_puts_a_submitted_draft_before_readers(
    login, client, editor, in_review
):
    older = in_review[0]

    response = bulk_action(login(editor), REVIEW_QUEUE, "approve", older)

    assert response.status_code == 302
    older.refresh_from_db()
    assert older.is_public
    assert older.pk in get_backend().search("较早提交", limit=10).ids
    assert "较早提交的稿件" not in queue_rows(client.get(REVIEW_QUEUE))
    client.logout()
    assert "较早提交的稿件" in main_text(client.get(older.get_absolute_url()))


def test_send_back_returns_a_submitted_draft_to_its_writer(login, editor, in_review):
    older = in_review[0]

    bulk_action(login(editor), REVIEW_QUEUE, "send_back", older)

    older.refresh_from_db()
    assert older.status == Article.Status.DRAFT


def test_admin_index_tells_editors_how_many_drafts_await_review(login, editor, in_review):
    text = text_of(login(editor).get("/admin/"))

    assert "有 2 篇稿件等待审核：去审核" in text
    assert "待审稿件" in text


def test_contributors_have_no_review_queue(login, contributor, in_review):
    writer = login(contributor)

    assert "稿件等待审核" not in text_of(writer.get("/admin/"))
    assert_forbidden(writer.get(REVIEW_QUEUE))
    assert_forbidden(bulk_action(writer, REVIEW_QUEUE, "approve", in_review[0]))

    in_review[0].refresh_from_db()
    assert in_review[0].status == Article.Status.REVIEW


def test_an_article_in_review_never_reaches_readers(client, article_factory, in_review):
    article_factory(title="已经发布的稿件")  # what lists and search do show
    older = in_review[0]

    page = client.get(older.get_absolute_url())
    assert page.status_code == 404
    assert "较早提交的稿件" not in text_of(page)
    assert "较早提交的稿件" not in text_of(client.get("/"))
    assert "较早提交的稿件" not in text_of(client.get(reverse("news:category", args=["news"])))
    found = main_text(client.get(reverse("news:search"), {"q": "稿件"}))
    assert "已经发布的稿件" in found
    assert "较早提交的稿件" not in found
    assert older.pk not in get_backend().search("较早提交", limit=10).ids
    assert older not in Article.objects.published()
