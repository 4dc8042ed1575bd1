"""Open redirects: a ``next`` address never sends a reader or an editor off the site."""

import re
from html import unescape
from urllib.parse import urlencode, urlsplit

import pytest
from django.contrib.auth import SESSION_KEY

from comments.models import Comment
from tests.news.helpers import html_of, region

pytestmark = pytest.mark.django_db

OFF_SITE = [
    "//evil.com",
    "/\\evil.com",
    "\\\\evil.com",
    "/\\/evil.com",
    "https:evil.com",
    "https://evil.com",
    "http://evil.com/admin/",
    "HTTPS://EVIL.COM",
    " //evil.com",
    "\t//evil.com",
    "//evil.com/%2F..",
    "https://testserver@evil.com",
    "http://testserver.evil.com/",
    "javascript:alert(1)",
    "data:text/html,<script>alert(1)</script>",
    "///evil.com",
    "/\t/evil.com",
    "/\n/evil.com",
]


def assert_stays_on_site(response):
    assert response.status_code == 302
    location = response["Location"]
    parts = urlsplit(location)
    assert parts.scheme == "" and parts.netloc == "", location
    assert location.startswith("/") and not location.startswith(("//", "/\\")), location


@pytest.mark.parametrize("target", OFF_SITE)
def test_admin_login_ignores_an_off_site_next(client, staff_user, target):
    response = client.post(
        f"/admin/login/?{urlencode({'next': target})}",
        {"username": "editor", "password": "pw-editor-123", "next": target},
    )

    assert_stays_on_site(response)
    assert response["Location"] == "/admin/"
    assert client.session[SESSION_KEY] == str(staff_user.pk)  # the login itself worked


def test_admin_login_follows_a_next_on_the_site(client, staff_user):
    response = client.post(
        "/admin/login/",
        {"username": "editor", "password": "pw-editor-123", "next": "/admin/news/article/"},
    )

    assert response["Location"] == "/admin/news/article/"


@pytest.mark.parametrize("target", OFF_SITE)
def test_admin_logout_ignores_an_off_site_next(staff_client, target):
    response = staff_client.post(f"/admin/logout/?{urlencode({'next': target})}", {"next": target})

    if response.status_code == 302:
        assert_stays_on_site(response)
    else:  # the "logged out" page
        assert response.status_code == 200
        assert "evil.com" not in html_of(response)
    assert SESSION_KEY not in staff_client.session


def _comment_form(client, article) -> dict[str, str]:
    """The comment form's fields as the article page renders them (hidden ones included)."""
    html = html_of(client.get(article.get_absolute_url()))
    form = region(html, '<form class="comment-form"', "</form>")
    fields = {}
    for tag in re.findall(r"<input\b[^>]*>", form):
        name = re.search(r'\sname="([^"]*)"', tag)
        value = re.search(r'\svalue="([^"]*)"', tag)
        if name:
            fields[unescape(name.group(1))] = unescape(value.group(1)) if value else ""
    return fields


@pytest.mark.parametrize("target", OFF_SITE)
def test_posting_a_comment_ignores_any_next_address(client, article, settings, target):
    settings.COMMENTS_FORM_MIN_SECONDS = 0  # posted at once, like a fast reader
    data = _comment_form(client, article)
    data.update(
        name="王小明",
        email="xiaoming@example.com",
        message="支持文明城区建设。",
        website="",
        next=target,
        redirect_to=target,
        success_url=target,
    )

    response = client.post(
        f"/article/{article.pk}/comments/?{urlencode({'next': target})}",
        data,
        REMOTE_ADDR="203.0.113.5",
    )

    assert_stays_on_site(response)
    assert response["Location"] == f"/article/{article.pk}/#comments"
    assert Comment.objects.get().message == "支持文明城区建设。"
