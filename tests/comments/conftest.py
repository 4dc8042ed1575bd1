import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from .helpers import shown_seconds_ago


@pytest.fixture
def comment_data():
    """What a reader types into the comment form, valid as it stands."""
    return {
        "name": "王小明",
        "email": "xiaoming.wang@example.com",
        "message": "希望文明创建多关注老小区的停车问题。",
        "website": "",
    }


@pytest.fixture
def post_comment(client, article, comment_data):
    """Post the comment form of ``article`` (or another) through the reader's client.

    The form counts as shown ten seconds earlier, as by a reader who took the time to type.
    """

    def post(*, to=None, client=client, follow=False, **overrides):
        target = to or article
        data = {**comment_data, "target": shown_seconds_ago(target), **overrides}
        extra = {"REMOTE_ADDR": data.pop("REMOTE_ADDR", "203.0.113.10")}
        if "HTTP_USER_AGENT" in data:
            extra["HTTP_USER_AGENT"] = data.pop("HTTP_USER_AGENT")
        url = reverse("comments:post", args=[target.pk])
        return client.post(url, data, follow=follow, **extra)

    return post


@pytest.fixture
def article_page(client):
    """The public article page's HTML as an anonymous reader gets it."""

    def get(article):
        response = client.get(article.get_absolute_url())
        assert response.status_code == 200
        return response.content.decode()

    return get


@pytest.fixture
def moderator_client(client, django_user_model):
    """A staff member given only what the admin calls 可以审核留言, plus seeing comments."""
    user = django_user_model.objects.create_user("moderator", password="pw-mod-123", is_staff=True)
    user.user_permissions.set(
        Permission.objects.filter(
            content_type__app_label="comments", codename__in=["view_comment", "moderate_comment"]
        )
    )
    client.force_login(user)
    return client


@pytest.fixture
def pending(article, comment_factory):
    """Two readers' comments waiting for an editor."""
    return [
        comment_factory(article=article, name=name, message=message, status="pending")
        for name, message in [("赵六", "建议增加夜间公交班次"), ("孙八", "垃圾分类点太少了")]
    ]
