"""The index follows every change of an article, whoever makes it, and only once committed."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone

from news import services
from news.models import Article, Category
from search.models import SearchDocument

pytestmark = pytest.mark.django_db


def test_a_draft_is_found_once_published_and_no_longer_once_unpublished(article_factory, found):
    article = article_factory(title="文明城区", status=Article.Status.DRAFT)
    assert found("文明") == []

    article.status = Article.Status.PUBLISHED
    article.save()
    assert found("文明") == [article.pk]

    article.status = Article.Status.DRAFT
    article.save()
    assert found("文明") == []


def test_a_scheduled_article_appears_when_its_time_comes_without_a_save(
    article_factory, found, time_passes
):
    article = article_factory(title="文明城区", publish_at=timezone.now() + timedelta(hours=2))
    assert found("文明") == []

    time_passes(hours=3)
    assert found("文明") == [article.pk]


def test_moving_the_schedule_moves_the_article(article_factory, found):
    article = article_factory(title="文明城区")
    article.publish_at = timezone.now() + timedelta(days=1)
    article.save()
    assert found("文明") == []

    article.publish_at = timezone.now() - timedelta(minutes=1)
    article.save()
    assert found("文明") == [article.pk]


def test_edited_title_and_body_are_searched_as_they_are_now(article_factory, found):
    article = article_factory(title="松江新闻", body="<p>旧的正文</p>")
    article.title, article.body = "青浦新闻", "<p>新的内容</p>"
    article.save()

    assert found("松江") == [] and found("旧的") == []
    assert found("青浦") == [article.pk] and found("新的内容") == [article.pk]


def test_the_category_filter_follows_a_category_change(article_factory, found):
    article = article_factory(title="文明城区", category="news")
    finance = Category.objects.get_or_create(slug="finance", defaults={"name": "财经"})[0]
    news = article.category
    article.category = finance
    article.save()

    assert found("文明", category_id=finance.pk) == [article.pk]
    assert found("文明", category_id=news.pk) == []


def test_a_deleted_article_is_gone_and_the_rest_stay(article_factory, found):
    gone, kept = article_factory(title="文明一"), article_factory(title="文明二")
    gone.delete()
    Article.objects.filter(title="不存在").delete()

    assert found("文明") == [kept.pk]
    assert not SearchDocument.objects.filter(pk=gone.pk).exists()


def test_admin_bulk_publish_and_unpublish_update_the_index(article_factory, found):
    drafts = [article_factory(title=f"文明{n}", status=Article.Status.DRAFT) for n in range(3)]
    chosen = Article.objects.filter(pk__in=[a.pk for a in drafts[:2]])

    services.articles_publish(articles=chosen)
    assert sorted(found("文明")) == sorted(a.pk for a in drafts[:2])

    services.articles_unpublish(articles=chosen)
    assert found("文明") == []


def test_a_rolled_back_save_leaves_the_index_as_it_was(article_factory, found):
    article = article_factory(title="文明城区")
    with pytest.raises(RuntimeError), transaction.atomic():
        article.title = "青浦新闻"
        article.save()
        raise RuntimeError

    assert found("文明") == [article.pk]
    assert found("青浦") == []


def test_rebuild_command_restores_the_index_and_shows_progress(article_factory, found, capsys):
    articles = [article_factory(title=f"文明{n}") for n in range(3)]
    article_factory(title="文明草稿", status=Article.Status.DRAFT)
    SearchDocument.objects.all().delete()  # the index lost its documents
    Article.objects.filter(pk=articles[0].pk).update(title="青浦")  # and missed an edit

    call_command("rebuild_search_index")

    out = capsys.readouterr().out
    assert "正在重建搜索索引" in out
    assert "已索引 3 / 3 篇" in out
    assert "搜索索引重建完成" in out
    assert sorted(found("文明")) == sorted(a.pk for a in articles[1:])
    assert found("青浦") == [articles[0].pk]
