from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from comments.models import Comment
from news.models import Article

from .helpers import shown_seconds_ago
from .pages import comment_list, field_errors, field_value, form_errors

pytestmark = pytest.mark.django_db


# --- a valid comment ---------------------------------------------------------------


def test_valid_comment_is_stored_as_pending_with_ip_and_user_agent(post_comment, article):
    post_comment(HTTP_USER_AGENT="Mozilla/5.0 (iPhone) Safari/604.1")

    comment = Comment.objects.get()
    assert comment.article == article
    assert comment.status == Comment.Status.PENDING
    assert comment.name == "王小明"
    assert comment.email == "xiaoming.wang@example.com"
    assert comment.message == "希望文明创建多关注老小区的停车问题。"
    assert comment.ip_address == "203.0.113.10"
    assert comment.user_agent == "Mozilla/5.0 (iPhone) Safari/604.1"


def test_valid_comment_redirects_back_to_the_comments_of_the_article(post_comment, article):
    response = post_comment()

    assert response.status_code == 302
    assert response["Location"] == f"{article.get_absolute_url()}#comments"


def test_reader_is_told_the_comment_awaits_moderation_and_does_not_see_it_yet(post_comment):
    response = post_comment(follow=True)
    html = response.content.decode()

    assert response.status_code == 200
    assert "留言已提交，审核后显示。" in html
    assert comment_list(html) == []
    assert "希望文明创建多关注老小区的停车问题。" not in html
    assert "还没有留言，欢迎发表您的看法。" in html


def test_form_is_empty_again_after_a_successful_comment(post_comment):
    html = post_comment(follow=True).content.decode()

    assert field_value(html, "name") == ""
    assert field_value(html, "message") == ""


def test_moderation_notice_is_shown_only_once(post_comment, client, article):
    post_comment(follow=True)

    assert "留言已提交" not in client.get(article.get_absolute_url()).content.decode()


# --- invalid input -----------------------------------------------------------------


def test_invalid_comment_shows_the_article_again_with_chinese_errors_beside_the_fields(
    post_comment, article
):
    response = post_comment(name="", email="xiaoming@", message="好")
    html = response.content.decode()

    assert response.status_code == 400
    assert f"<h1>{article.title}</h1>" in html
    assert field_errors(html, "name") == ["请填写姓名。"]
    assert field_errors(html, "email") == ["请输入有效的邮箱地址。"]
    assert field_errors(html, "message") == ["留言至少需要 2 个字。"]
    assert Comment.objects.count() == 0


def test_invalid_comment_keeps_what_the_reader_typed(post_comment):
    html = post_comment(name="王小明", email="xiaoming@", message="第一行\n第二行").content.decode()

    assert field_value(html, "name") == "王小明"
    assert field_value(html, "email") == "xiaoming@"
    assert field_value(html, "message") == "第一行\n第二行"


@pytest.mark.parametrize(
    ("field", "value", "error"),
    [
        ("name", "张" * 51, "姓名不能超过 50 个字（现在是 51 个）。"),
        ("email", "", "请填写邮箱。"),
        ("message", "赞" * 2001, "留言不能超过 2000 个字（现在是 2001 个）。"),
        ("message", "   ", "请填写留言内容。"),
    ],
)
def test_each_rule_is_explained_beside_its_field(post_comment, field, value, error):
    response = post_comment(**{field: value})

    assert response.status_code == 400
    assert field_errors(response.content.decode(), field) == [error]
    assert Comment.objects.count() == 0


def test_valid_fields_show_no_error_when_another_field_is_wrong(post_comment):
    html = post_comment(email="nope").content.decode()

    assert field_errors(html, "name") == []
    assert field_errors(html, "message") == []
    assert 'class="field has-error"' in html


def test_filled_honeypot_stores_nothing_and_shows_a_form_error(post_comment):
    response = post_comment(website="http://spam.example.com")
    html = response.content.decode()

    assert response.status_code == 400
    assert form_errors(html) == ["留言未能提交，请刷新页面后重试。"]
    assert Comment.objects.count() == 0
    # The trap is rendered empty again, never echoing what the bot filled in.
    assert "spam.example.com" not in html


# --- policy: rate limit and duplicates ---------------------------------------------


def test_sixth_comment_within_a_minute_is_refused_as_too_frequent(post_comment, settings):
    for n in range(settings.COMMENTS_RATE_LIMIT):
        reply = post_comment(message=f"第{n}条不同的留言", email=f"reader{n}@example.com")
        assert reply.status_code == 302

    response = post_comment(message="一分钟内的第六条留言", email="sixth@example.com")
    html = response.content.decode()

    assert response.status_code == 429
    assert form_errors(html) == ["留言太频繁了，请一分钟后再试。"]
    assert field_value(html, "message") == "一分钟内的第六条留言"
    assert Comment.objects.count() == settings.COMMENTS_RATE_LIMIT
    assert not Comment.objects.filter(message="一分钟内的第六条留言").exists()


def test_rate_limit_of_one_address_does_not_affect_another(post_comment, settings):
    for n in range(settings.COMMENTS_RATE_LIMIT + 1):
        post_comment(message=f"第{n}条留言", email=f"r{n}@example.com", REMOTE_ADDR="203.0.113.10")

    response = post_comment(message="另一位读者的留言", REMOTE_ADDR="198.51.100.20")

    assert response.status_code == 302
    assert Comment.objects.filter(ip_address="198.51.100.20").count() == 1


def test_same_message_twice_on_the_same_article_is_refused_as_duplicate(post_comment):
    assert post_comment().status_code == 302

    response = post_comment(name="换个名字")
    html = response.content.decode()

    assert response.status_code == 400
    assert form_errors(html) == ["您已经提交过相同的留言，请勿重复提交。"]
    assert Comment.objects.count() == 1


def test_same_message_from_another_reader_is_not_a_duplicate(post_comment):
    post_comment(REMOTE_ADDR="203.0.113.10")

    response = post_comment(email="someone.else@example.com", REMOTE_ADDR="203.0.113.10")

    assert response.status_code == 302
    assert Comment.objects.count() == 2


# --- which articles accept comments, and how -------------------------------------


@pytest.mark.parametrize(
    "fields",
    [
        {"status": Article.Status.DRAFT},
        {"publish_at": timezone.now() + timedelta(days=1)},
    ],
    ids=["draft", "scheduled"],
)
def test_unpublished_articles_do_not_accept_comments(post_comment, article_factory, fields):
    hidden = article_factory(**fields)

    response = post_comment(to=hidden)

    assert response.status_code == 404
    assert Comment.objects.count() == 0


def test_unknown_article_does_not_accept_comments(client, comment_data):
    response = client.post(reverse("comments:post", args=[999_999]), comment_data)

    assert response.status_code == 404
    assert Comment.objects.count() == 0


def test_comment_url_only_accepts_posts(client, article):
    response = client.get(reverse("comments:post", args=[article.pk]))

    assert response.status_code == 405
    assert response["Allow"] == "POST"


def test_post_without_csrf_token_is_forbidden(article, comment_data):
    reader = Client(enforce_csrf_checks=True)

    response = reader.post(reverse("comments:post", args=[article.pk]), comment_data)

    assert response.status_code == 403
    assert Comment.objects.count() == 0


def test_article_page_form_carries_the_csrf_token_that_lets_the_post_through(article, comment_data):
    reader = Client(enforce_csrf_checks=True)
    html = reader.get(article.get_absolute_url()).content.decode()
    assert f'action="{reverse("comments:post", args=[article.pk])}#comment-form"' in html
    token = field_value(html, "csrfmiddlewaretoken")

    data = {**comment_data, "csrfmiddlewaretoken": token, "target": shown_seconds_ago(article)}
    response = reader.post(reverse("comments:post", args=[article.pk]), data)

    assert response.status_code == 302
    assert Comment.objects.count() == 1


# --- what the page shows of a posted comment -------------------------------------


def test_posted_markup_is_shown_as_text_with_line_breaks_once_approved(
    post_comment, client, article
):
    post_comment(message='<script>alert("x")</script>\r\n第二行')
    Comment.objects.update(status=Comment.Status.APPROVED)

    html = client.get(article.get_absolute_url()).content.decode()

    assert '<script>alert("x")</script>' not in html
    assert comment_list(html) == [
        ("王小明", "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;<br>第二行")
    ]


def test_refused_markup_is_echoed_into_the_form_as_text(post_comment):
    html = post_comment(email="nope", message='<script>alert("x")</script>').content.decode()

    assert '<script>alert("x")</script>' not in html
    assert field_value(html, "message") == '<script>alert("x")</script>'


def test_posted_comment_never_shows_email_ip_or_user_agent(post_comment, client, article):
    post_comment(REMOTE_ADDR="203.0.113.77", HTTP_USER_AGENT="SecretBrowser/9.9")
    Comment.objects.update(status=Comment.Status.APPROVED)

    html = client.get(article.get_absolute_url()).content.decode()

    assert comment_list(html) == [("王小明", "希望文明创建多关注老小区的停车问题。")]
    assert "xiaoming.wang@example.com" not in html
    assert "203.0.113.77" not in html
    assert "SecretBrowser" not in html
