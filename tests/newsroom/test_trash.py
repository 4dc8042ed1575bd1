"""回收站: deleting an article (the chief editor's right) hides it from readers at once;
an editor or the chief editor restores it, exactly as it was, for 30 days; after that it is
purged for good."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from news.models import Article
from tests.news.helpers import assert_forbidden, text_of
from tests.newsroom.helpers import (
    CHANGELIST,
    bulk_action,
    change_url,
    delete_url,
)

pytestmark = pytest.mark.django_db

TRASH = "/admin/news/articleintrash/"


@pytest.fixture
def story(article_factory):
    return article_factory(title="松江举行文明城区建设推进会", body="<p>推进会在区政府召开。</p>")


def search(client, query):
    return text_of(client.get(reverse("news:search"), {"q": query}))


def category_page(client):
    return text_of(client.get(reverse("news:category", args=["news"])))


def deleted_long_ago(article, days=31):
    Article.objects.filter(pk=article.pk).update(deleted_at=timezone.now() - timedelta(days=days))


def test_the_delete_page_says_the_article_goes_to_the_trash(chief, story):
    page = text_of(chief.get(delete_url(story)))

    assert "移入回收站" in page and "30 天内可以在回收站恢复" in page


def test_a_deleted_article_is_gone_for_readers_at_once(chief, client, story):
    assert story.title in category_page(client) and story.title in search(client, "推进会")

    chief.post(delete_url(story), {"post": "yes"})
    client.logout()

    assert client.get(story.get_absolute_url()).status_code == 404
    assert story.title not in category_page(client)
    assert story.title not in search(client, "推进会")


def test_a_deleted_article_leaves_the_article_list_for_the_trash(chief, chief_editor, story):
    response = chief.post(delete_url(story), {"post": "yes"}, follow=True)

    assert "已移入回收站" in text_of(response)
    assert story.title not in text_of(chief.get(CHANGELIST))
    assert chief.get(change_url(story), follow=True).redirect_chain  # "doesn't exist"
    trash = text_of(chief.get(TRASH))
    assert story.title in trash
    assert "lizhubian" in trash  # who deleted it
    assert "已发布" in trash  # the status it will get back
    assert "满 30 天后永久删除" in trash


def test_bulk_delete_moves_the_selection_to_the_trash(chief, story, article_factory):
    other = article_factory(title="沪市成交额连续三日破万亿")

    response = chief.post(
        CHANGELIST,
        {"action": "delete_selected", "_selected_action": [story.pk, other.pk], "post": "yes"},
        follow=True,
    )

    assert Article.objects.in_trash().count() == 2
    notices = [str(m) for m in response.context["messages"]]
    assert notices == ["2 篇文章已移入回收站，30 天内可在“回收站”恢复。"]  # not "成功删除"
    assert {story.title, other.title} <= set(text_of(chief.get(TRASH)).split())


def test_restoring_from_the_trash_makes_a_published_article_public_again(chief, client, story):
    chief.post(delete_url(story), {"post": "yes"})

    response = bulk_action(chief, TRASH, "restore", story)

    assert response.status_code == 302
    story.refresh_from_db()
    assert story.is_public and story.deleted_at is None
    assert story.title not in text_of(chief.get(TRASH))
    client.logout()
    assert "推进会在区政府召开" in text_of(client.get(story.get_absolute_url()))
    assert story.title in category_page(client) and story.title in search(client, "推进会")


def test_a_draft_restored_from_the_trash_is_a_draft_again(chief, others_draft):
    chief.post(delete_url(others_draft), {"post": "yes"})

    bulk_action(chief, TRASH, "restore", others_draft)

    others_draft.refresh_from_db()
    assert others_draft.status == Article.Status.DRAFT
    assert others_draft.title in text_of(chief.get(CHANGELIST))


def test_deleting_and_restoring_are_revisions(chief, chief_editor, story):
    chief.post(delete_url(story), {"post": "yes"})
    bulk_action(chief, TRASH, "restore", story)

    latest = Article.history.filter(id=story.pk).order_by("-history_date", "-history_id")
    assert [r.history_change_reason for r in latest[:2]] == ["从回收站恢复", "移入回收站"]
    assert latest[0].history_user == chief_editor


def test_after_30_days_an_article_can_no_longer_be_restored(chief, story):
    chief.post(delete_url(story), {"post": "yes"})
    deleted_long_ago(story)

    bulk_action(chief, TRASH, "restore", story)

    story.refresh_from_db()
    assert story.is_deleted


def test_after_30_days_the_trash_purges_the_article_for_good(chief, story):
    chief.post(delete_url(story), {"post": "yes"})
    deleted_long_ago(story)

    assert story.title not in text_of(chief.get(TRASH))

    assert not Article.objects.filter(pk=story.pk).exists()
    assert not Article.history.filter(id=story.pk).exists()


def test_deleting_another_article_purges_the_expired_ones(chief, story, article_factory):
    chief.post(delete_url(story), {"post": "yes"})
    deleted_long_ago(story)
    recent = article_factory(title="沪市成交额连续三日破万亿")

    chief.post(delete_url(recent), {"post": "yes"})

    assert not Article.objects.filter(pk=story.pk).exists()
    assert Article.objects.get(pk=recent.pk).is_deleted


def test_an_article_29_days_in_the_trash_is_still_restorable(chief, story):
    chief.post(delete_url(story), {"post": "yes"})
    deleted_long_ago(story, days=29)

    assert story.title in text_of(chief.get(TRASH))
    bulk_action(chief, TRASH, "restore", story)

    story.refresh_from_db()
    assert story.is_public


def test_an_editor_undoes_a_delete_from_the_trash_but_cannot_delete(
    login, editor, chief_editor, story, article_factory
):
    login(chief_editor).post(delete_url(story), {"post": "yes"})
    desk = login(editor)

    assert story.title in text_of(desk.get(TRASH))
    assert bulk_action(desk, TRASH, "restore", story).status_code == 302
    story.refresh_from_db()
    assert story.is_public

    other = article_factory(title="编辑不能删除的稿件")
    assert desk.post(delete_url(other), {"post": "yes"}).status_code == 403
    other.refresh_from_db()
    assert not other.is_deleted


def test_contributor_cannot_restore_from_the_trash(login, contributor, chief_editor, own_draft):
    login(chief_editor).post(delete_url(own_draft), {"post": "yes"})
    writer = login(contributor)

    assert_forbidden(bulk_action(writer, TRASH, "restore", own_draft))
    assert own_draft.title not in text_of(writer.get(CHANGELIST))
