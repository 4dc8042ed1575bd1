from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.utils import timezone

from news import roles
from placements.models import Placement

pytestmark = pytest.mark.django_db


@pytest.fixture
def member(django_user_model):
    def make(role):
        user = django_user_model.objects.create_user(
            f"u-{role}", password="pw-12345678", is_staff=True
        )
        user.groups.add(Group.objects.get(name=role))
        return user

    return make


def placement_form(article):
    start = timezone.localtime() - timedelta(hours=1)
    return {
        "slot": Placement.Slot.TICKER,
        "article": article.pk,
        "order": 0,
        "starts_at_0": start.strftime("%Y-%m-%d"),
        "starts_at_1": start.strftime("%H:%M:%S"),
    }


def test_only_the_chief_editor_arranges_placements(client, member, article_factory):
    article = article_factory(title="版位权限测试文章")
    for role in (roles.CONTRIBUTOR, roles.EDITOR):
        client.force_login(member(role))
        response = client.post("/admin/placements/placement/add/", placement_form(article))
        assert response.status_code == 403
    assert not Placement.objects.exists()

    client.force_login(member(roles.CHIEF_EDITOR))
    response = client.post("/admin/placements/placement/add/", placement_form(article))
    assert response.status_code == 302
    assert Placement.objects.get().article == article


def test_editors_preview_the_home_page_later_and_contributors_cannot(
    client, member, article_factory
):
    article = article_factory(title="明天的滚动新闻")
    tomorrow = timezone.localtime() + timedelta(days=1)
    Placement.objects.create(article=article, slot=Placement.Slot.TICKER, starts_at=tomorrow)
    at = (tomorrow + timedelta(minutes=5)).strftime("%Y-%m-%dT%H:%M")

    client.force_login(member(roles.EDITOR))
    assert "预览：首页在" in client.get("/", {"at": at}).content.decode()
    client.force_login(member(roles.CONTRIBUTOR))
    html = client.get("/", {"at": at}).content.decode()
    assert "预览：首页在" not in html
    assert '<section class="ticker"' not in html  # today's page: the ticker starts tomorrow
