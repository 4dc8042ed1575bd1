"""Who may do what: the admin's article and comment pages need their permissions, and
drafts and scheduled articles stay hidden from everyone who may not preview them."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import Permission
from django.utils import timezone

from comments.models import Comment
from news.models import Article
from tests.news.helpers import assert_forbidden, change_form_data, html_of, main_text, text_of
from tests.security.helpers import change_url

pytestmark = pytest.mark.django_db

PREVIEW_BANNER = "预览：草稿，读者看不到本文"


def staff_with(django_user_model, username, *codenames):
    """A staff member (not a superuser) holding exactly these permissions."""
    user = django_user_model.objects.create_user(username, is_staff=True)
    user.user_permissions.set(Permission.objects.filter(codename__in=codenames))
    return user


def assert_portal_404(response):
    assert response.status_code == 404
    assert "页面不存在" in text_of(response)


# --- admin change pages -----------------------------------------------------------------


def test_staff_without_permissions_cannot_open_or_post_an_article_change_page(
    django_user_model, login, article_factory
):
    article = article_factory(title="原来的标题")
    client = login(staff_with(django_user_model, "nobody"))

    assert_forbidden(client.get(change_url(article)))
    assert_forbidden(client.post(change_url(article), change_form_data(article, title="篡改")))

    article.refresh_from_db()
    assert article.title == "原来的标题"


def test_staff_who_may_only_view_articles_cannot_change_one(
    django_user_model, login, article_factory
):
    article = article_factory(title="原来的标题", status=Article.Status.DRAFT)
    client = login(staff_with(django_user_model, "viewer", "view_article"))

    page = client.get(change_url(article))
    assert page.status_code == 200
    assert "原来的标题" in text_of(page)
    assert 'name="_save"' not in html_of(page)  # read-only: no save button

    refused = client.post(
        change_url(article),
        change_form_data(article, title="篡改", status=Article.Status.PUBLISHED),
    )

    assert_forbidden(refused)
    article.refresh_from_db()
    assert (article.title, article.status) == ("原来的标题", Article.Status.DRAFT)


def test_staff_without_permissions_cannot_add_articles(django_user_model, login, categories):
    client = login(staff_with(django_user_model, "viewer", "view_article"))

    assert_forbidden(client.get("/admin/news/article/add/"))
    assert not Article.objects.filter(title="冒充的稿件").exists()


def test_staff_without_permissions_cannot_open_or_post_a_comment_change_page(
    django_user_model, login, comment_factory, article
):
    comment = comment_factory(article=article, message="原来的留言", status=Comment.Status.PENDING)
    url = f"/admin/comments/comment/{comment.pk}/change/"
    # An article editor is not a comment moderator.
    client = login(staff_with(django_user_model, "writer", "view_article", "change_article"))

    assert_forbidden(client.get(url))
    assert_forbidden(
        client.post(
            url,
            {
                "name": comment.name,
                "email": comment.email,
                "message": "篡改的留言",
                "status": Comment.Status.APPROVED,
                "_save": "保存",
            },
        )
    )

    comment.refresh_from_db()
    assert (comment.message, comment.status) == ("原来的留言", Comment.Status.PENDING)


def test_staff_without_permissions_cannot_use_bulk_actions(
    django_user_model, login, article_factory
):
    draft = article_factory(status=Article.Status.DRAFT)
    client = login(staff_with(django_user_model, "nobody"))

    response = client.post(
        "/admin/news/article/", {"action": "publish", "_selected_action": [draft.pk]}
    )

    assert_forbidden(response)
    draft.refresh_from_db()
    assert draft.status == Article.Status.DRAFT


# --- previews ---------------------------------------------------------------------------


@pytest.fixture
def unpublished(article_factory):
    return {
        "draft": article_factory(title="草稿稿件", status=Article.Status.DRAFT),
        "scheduled": article_factory(
            title="定时稿件", publish_at=timezone.now() + timedelta(days=1)
        ),
    }


@pytest.mark.parametrize("kind", ["draft", "scheduled"])
@pytest.mark.parametrize("who", ["anonymous", "reader", "staff-without-permission"])
def test_unpublished_articles_are_a_404_for_whoever_may_not_preview(
    client, django_user_model, reader_user, unpublished, kind, who
):
    if who == "reader":
        client.force_login(reader_user)
    elif who != "anonymous":  # staff, e.g. a comment moderator, without the article rights
        client.force_login(staff_with(django_user_model, "moderator", "change_comment"))
    article = unpublished[kind]

    response = client.get(article.get_absolute_url())

    assert_portal_404(response)
    assert article.title not in text_of(response)
    assert client.head(article.get_absolute_url()).status_code == 404
    article.refresh_from_db()
    assert article.views == 0


@pytest.mark.parametrize("codename", ["view_article", "change_article"])
def test_staff_who_may_view_or_change_articles_see_the_preview_never_cached_or_counted(
    client, django_user_model, unpublished, codename
):
    draft = unpublished["draft"]
    client.force_login(staff_with(django_user_model, "editor", codename))

    first = client.get(draft.get_absolute_url())
    second = client.get(draft.get_absolute_url())

    for response in (first, second):
        assert response.status_code == 200
        assert PREVIEW_BANNER in text_of(response)
        assert "草稿稿件" in main_text(response)
        assert "浏览:0" in main_text(response)
    draft.refresh_from_db()
    assert draft.views == 0
    # Nothing of the preview was kept for the readers who come next.
    client.logout()
    assert_portal_404(client.get(draft.get_absolute_url()))


def test_inactive_staff_with_the_permission_cannot_preview(client, django_user_model, unpublished):
    editor = staff_with(django_user_model, "former", "view_article")
    client.force_login(editor)
    assert client.get(unpublished["draft"].get_absolute_url()).status_code == 200

    editor.is_active = False
    editor.save()

    # Logged out with the account, and a 404 like any reader's.
    assert_portal_404(client.get(unpublished["draft"].get_absolute_url()))


def test_visible_to_follows_the_view_and_change_permissions(
    django_user_model, unpublished, article
):
    viewer = staff_with(django_user_model, "viewer", "view_article")
    changer = staff_with(django_user_model, "changer", "change_article")
    moderator = staff_with(django_user_model, "moderator", "change_comment")
    everything = {article, *unpublished.values()}

    assert set(Article.objects.visible_to(viewer)) == everything
    assert set(Article.objects.visible_to(changer)) == everything
    assert set(Article.objects.visible_to(moderator)) == {article}
