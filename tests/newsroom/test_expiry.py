"""Scheduled unpublishing: an article with a 下线时间 leaves every reader page at that time,
with nobody saving anything, and stays 已发布 in the admin."""

import time
from datetime import timedelta

import pytest
from django.utils import timezone

from news.models import Article
from search.backends import get_backend
from tests.news.helpers import text_of

from .helpers import ADD, CHANGELIST, change_url, form_errors, new_article_form

pytestmark = pytest.mark.django_db


def found_by_search(article) -> bool:
    return article.pk in get_backend().search("限时", limit=50).ids


def test_an_expired_article_is_gone_from_every_reader_page(client, article_factory):
    now = timezone.now()
    gone = article_factory(title="限时公告：夏季游泳馆开放", expires_at=now - timedelta(minutes=1))
    kept = article_factory(title="限时公告：冬季滑冰场开放", expires_at=now + timedelta(days=7))

    assert client.get(gone.get_absolute_url()).status_code == 404
    assert client.get(kept.get_absolute_url()).status_code == 200
    for page in ("/", gone.category.get_absolute_url(), "/feed/", "/search/?q=限时公告"):
        html = client.get(page).content.decode()
        assert gone.title not in html, page
        assert kept.title in html, page
    assert not found_by_search(gone) and found_by_search(kept)


def test_an_article_expires_at_its_time_with_nobody_saving_anything(client, article_factory):
    article = article_factory(title="限时活动：周末市集报名")
    neighbour = article_factory(title="同栏目的较早文章")
    url = article.get_absolute_url()
    assert client.get(url).status_code == 200  # cached now
    assert article.title in client.get(neighbour.get_absolute_url()).content.decode()
    assert found_by_search(article)

    expires = timezone.now() + timedelta(seconds=1.5)
    article.expires_at = expires
    article.save()
    assert client.get(url).status_code == 200
    time.sleep(max(0, (expires - timezone.now()).total_seconds()) + 0.2)

    assert client.get(url).status_code == 404
    assert article.title not in client.get(article.category.get_absolute_url()).content.decode()
    # Its neighbour's page no longer links to it (下一篇 / related reading).
    assert article.title not in client.get(neighbour.get_absolute_url()).content.decode()
    assert not found_by_search(article)
    article.refresh_from_db()
    assert article.status == Article.Status.PUBLISHED and article.is_expired


def test_the_admin_marks_an_expired_article_and_keeps_it_published(login, editor, article_factory):
    article = article_factory(title="已过期的通知", expires_at=timezone.now() - timedelta(hours=1))
    live = article_factory(title="仍在线的通知")
    client = login(editor)
    html = client.get(CHANGELIST).content.decode()
    assert "已下线" in html and article.title in html
    expired_only = client.get(CHANGELIST, {"status": "expired"}).content.decode()
    assert article.title in expired_only and live.title not in expired_only


def test_an_expiry_before_the_publish_time_is_refused(login, editor, categories):
    now = timezone.localtime()
    response = login(editor).post(
        ADD,
        new_article_form(
            categories["news"],
            status="published",
            publish_at_0=now.strftime("%Y-%m-%d"),
            publish_at_1="10:00:00",
            expires_at_0=now.strftime("%Y-%m-%d"),
            expires_at_1="09:00:00",
        ),
    )
    assert "下线时间必须晚于发布时间。" in form_errors(response)
    assert not Article.objects.filter(title="区里新开通三条社区巴士线路").exists()


def test_a_contributor_cannot_set_an_expiry(login, contributor, categories):
    tomorrow = timezone.localtime() + timedelta(days=1)
    response = login(contributor).post(
        ADD,
        new_article_form(
            categories["news"],
            expires_at_0=tomorrow.strftime("%Y-%m-%d"),
            expires_at_1="09:00:00",
        ),
    )
    assert response.status_code == 302
    assert Article.objects.get(title="区里新开通三条社区巴士线路").expires_at is None


def test_an_editor_schedules_an_expiry_in_the_change_form(login, editor, article_factory):
    article = article_factory(title="需要定时下线的稿件", created_by=editor)
    client = login(editor)
    form = client.get(change_url(article)).content.decode()
    assert "下线时间" in form and "到点自动下线" in form
    tomorrow = timezone.localtime() + timedelta(days=1)
    data = {
        "title": article.title,
        "category": str(article.category_id),
        "tags": "",
        "author": "",
        "body": article.body,
        "summary": article.summary,
        "source_name": "",
        "source_url": "",
        "status": "published",
        "publish_at_0": timezone.localtime(article.publish_at).strftime("%Y-%m-%d"),
        "publish_at_1": timezone.localtime(article.publish_at).strftime("%H:%M:%S"),
        "expires_at_0": tomorrow.strftime("%Y-%m-%d"),
        "expires_at_1": "08:00:00",
        "_save": "保存",
    }
    response = client.post(change_url(article), data)
    assert response.status_code == 302, text_of(response)
    article.refresh_from_db()
    assert timezone.localtime(article.expires_at).strftime("%Y-%m-%d %H:%M") == (
        f"{tomorrow:%Y-%m-%d} 08:00"
    )
    assert article.is_public
