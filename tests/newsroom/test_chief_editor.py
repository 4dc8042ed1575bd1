"""主编: everything an editor does, plus categories, moderation rules and deleting."""

import pytest

from comments.models import ModerationSettings
from news import roles
from news.models import Article, Category
from tests.news.helpers import text_of
from tests.newsroom.helpers import CHANGELIST, bulk_action, delete_url

pytestmark = pytest.mark.django_db


def test_chief_editor_renames_a_category(chief, categories):
    news = categories["news"]

    response = chief.post(
        f"/admin/news/category/{news.pk}/change/",
        {"name": "要闻", "label_en": "news", "slug": "news", "order": "10", "description": ""},
    )

    assert response.status_code == 302
    assert Category.objects.get(pk=news.pk).name == "要闻"


def test_chief_editor_adds_a_category(chief, categories):
    chief.post(
        "/admin/news/category/add/",
        {"name": "体育", "label_en": "sports", "slug": "sports", "order": "40"},
    )

    assert Category.objects.filter(slug="sports", name="体育").exists()


def test_chief_editor_changes_the_moderation_rules(chief):
    rules = ModerationSettings.load()

    response = chief.post(
        f"/admin/comments/moderationsettings/{rules.pk}/change/",
        {"max_links": "1", "hold_words": "代开发票", "block_words": "", "_save": "保存"},
    )

    assert response.status_code == 302
    assert ModerationSettings.load().max_links == 1


def test_chief_editor_deletes_an_article(chief, article):
    response = chief.post(delete_url(article), {"post": "yes"})

    assert response.status_code == 302
    # Deleting moves it to the trash (回收站), restorable for 30 days (see test_trash.py).
    assert Article.objects.get(pk=article.pk).is_deleted
    assert article.title not in text_of(chief.get(CHANGELIST))


def test_chief_editor_publishes_like_an_editor(chief, others_draft):
    bulk_action(chief, CHANGELIST, "publish", others_draft)

    others_draft.refresh_from_db()
    assert others_draft.is_public
    assert "小李的独家稿件" in text_of(chief.get(CHANGELIST))


def test_chief_editor_holds_every_right_of_an_editor(groups):
    def rights(role):
        return set(groups[role].permissions.values_list("codename", flat=True))

    assert rights(roles.EDITOR) < rights(roles.CHIEF_EDITOR)
    assert rights(roles.CONTRIBUTOR) < rights(roles.EDITOR)
