"""Comment spam and abuse: the honeypot, the signed form, rate limits, duplicates, rules.

Every refusal is a Chinese message the reader sees above the form, a 4xx status, and no
stored row; the rules editors set in the admin decide what happens to accepted comments.
"""

import logging
import re
import threading
import time
from types import SimpleNamespace

import pytest
from django.core import signing
from django.db import IntegrityError, connection, transaction
from django.test import Client
from django.urls import reverse

from comments.forms import TARGET_SALT, sign_target
from comments.models import Comment, ModerationSettings
from news import caching
from portal.cache import forget_outages
from tests.comments.helpers import comment_form, shown_seconds_ago
from tests.comments.pages import comment_list, field_value, form_errors

pytestmark = pytest.mark.django_db

SUBMITTED = "留言已提交，审核后显示。"
PUBLISHED = "留言已发表。"
TAMPERED = "留言表单无效或已被改动，请重新提交。"
TOO_FAST = "提交得太快了。请确认留言内容，再点一次“提交留言”。"
EXPIRED = "页面打开太久，表单已过期。请确认留言内容，再点一次“提交留言”。"
DUPLICATE = "您已经提交过相同的留言，请勿重复提交。"
RULES_URL = reverse("admin:comments_moderationsettings_changelist")
QUEUE_URL = reverse("admin:comments_comment_changelist")


def post(client, article, ip="203.0.113.10", headers=None, **fields):
    url = reverse("comments:post", args=[article.pk])
    return client.post(url, comment_form(article, **fields), REMOTE_ADDR=ip, headers=headers or {})


def page_target(html) -> str:
    return re.search(r'<input type="hidden" name="target" value="([^"]*)">', html).group(1)


def issued_at(target) -> int:
    return int(signing.Signer(salt=TARGET_SALT).unsign(target).split(":")[1])


@pytest.fixture
def clock(monkeypatch):
    """The clock the comment form signs and checks with, moved by hand."""
    now = [time.time()]
    monkeypatch.setattr("comments.forms.time", SimpleNamespace(time=lambda: now[0]))

    def advance(seconds=0):
        now[0] += seconds
        return now[0]

    return advance


# --- the honeypot ------------------------------------------------------------------------


def test_a_bot_filling_the_hidden_website_field_is_refused_and_nothing_is_stored(client, article):
    response = post(client, article, website="http://cheap-pills.example.com")
    html = response.content.decode()

    assert response.status_code == 400
    assert form_errors(html) == ["留言未能提交，请刷新页面后重试。"]
    assert "cheap-pills" not in html
    assert Comment.objects.count() == 0


def test_the_honeypot_is_on_the_page_empty_and_out_of_the_tab_order(client, article):
    html = client.get(article.get_absolute_url()).content.decode()

    assert '<div class="hp-field" aria-hidden="true">' in html
    assert field_value(html, "website") == ""
    assert re.search(r'<input type="text" name="website" [^>]*tabindex="-1"', html)


# --- the signed, timestamped target ----------------------------------------------------


def test_the_article_page_carries_a_target_signed_for_this_article_and_now(client, article):
    before = int(time.time())
    target = page_target(client.get(article.get_absolute_url()).content.decode())

    article_id, issued = signing.Signer(salt=TARGET_SALT).unsign(target).split(":")
    assert int(article_id) == article.pk
    assert before <= int(issued) <= time.time()


def test_a_cached_article_page_gives_every_request_a_target_issued_at_that_moment(article, clock):
    url = article.get_absolute_url()
    shown_first = clock()
    first = page_target(Client().get(url).content.decode())
    stored = caching.get_page(f"news:page:article:{article.pk}")
    assert stored is not None
    assert caching.COMMENT_TARGET_HOLE.format(pk=article.pk) in stored.html
    assert first not in stored.html  # never kept for the next reader

    later = clock(600)
    second = page_target(Client().get(url).content.decode())

    assert caching.get_page(f"news:page:article:{article.pk}").html == stored.html  # a hit
    assert issued_at(second) == int(later)
    assert issued_at(first) == int(shown_first)


def test_a_form_posted_within_3_seconds_of_showing_is_refused_and_kept_for_a_second_press(
    client, article, clock
):
    url = article.get_absolute_url()
    shown = page_target(client.get(url).content.decode())
    clock(1)

    response = post(client, article, target=shown, message="机器人秒发的留言")
    html = response.content.decode()

    assert response.status_code == 400
    assert form_errors(html) == [TOO_FAST]
    assert field_value(html, "message") == "机器人秒发的留言"
    assert field_value(html, "name") == "王小明"
    assert Comment.objects.count() == 0

    # A person reads the message, then presses the button again: the fresh target passes.
    clock(5)
    again = post(client, article, target=page_target(html), message="机器人秒发的留言")
    assert again.status_code == 302
    assert Comment.objects.get().message == "机器人秒发的留言"


def test_a_form_older_than_2_hours_is_refused_and_given_a_fresh_target(client, article, clock):
    old = sign_target(article.pk, issued_at=clock() - 2 * 3600 - 1)

    response = post(client, article, target=old, message="晚上写了一半，第二天才提交")
    html = response.content.decode()

    assert response.status_code == 400
    assert form_errors(html) == [EXPIRED]
    assert field_value(html, "message") == "晚上写了一半，第二天才提交"
    assert issued_at(page_target(html)) == int(clock())
    assert Comment.objects.count() == 0


@pytest.mark.parametrize("age", [3, 2 * 3600 - 1])
def test_a_form_posted_between_3_seconds_and_2_hours_is_accepted(client, article, clock, age):
    response = post(client, article, target=sign_target(article.pk, issued_at=clock() - age))

    assert response.status_code == 302
    assert Comment.objects.count() == 1


def _edited_time(article):
    value, signature = shown_seconds_ago(article).rsplit(":", 1)
    article_id, issued = value.split(":")
    return f"{article_id}:{int(issued) - 60}:{signature}"


@pytest.mark.parametrize(
    "target",
    [
        lambda article, other: shown_seconds_ago(other),  # copied from another article
        lambda article, other: _edited_time(article),  # the time changed, signature kept
        lambda article, other: signing.Signer().sign(f"{article.pk}:{int(time.time()) - 60}"),
        lambda article, other: "垃圾<script>:::",
        lambda article, other: "",
        lambda article, other: "x" * 100_000,
        lambda article, other: "1\x00:2:3",
    ],
    ids=["other-article", "edited-time", "other-salt", "garbage", "missing", "huge", "nul"],
)
def test_a_tampered_target_is_refused_with_one_opaque_message(
    client, article, article_factory, target
):
    other = article_factory(title="另一篇文章")

    response = post(client, article, target=target(article, other))
    html = response.content.decode()

    assert response.status_code == 400
    assert form_errors(html) == [TAMPERED]
    assert issued_at(page_target(html)) >= int(time.time()) - 1  # a fresh one to retry with
    assert Comment.objects.count() == 0


def test_the_target_of_one_article_cannot_be_used_on_another(client, article, article_factory):
    other = article_factory(title="另一篇文章")

    response = post(client, other, target=shown_seconds_ago(article))

    assert response.status_code == 400
    assert Comment.objects.count() == 0


# --- rate limits ---------------------------------------------------------------------------


def test_a_fourth_comment_from_one_email_within_a_minute_is_refused_whatever_its_case(
    client, article, settings
):
    assert settings.COMMENTS_EMAIL_RATE_LIMIT == 3
    spellings = ["ad@example.com", "AD@example.com", "Ad@Example.COM"]
    for n, email in enumerate(spellings):
        reply = post(client, article, ip=f"198.51.100.{n}", email=email, message=f"广告第{n}条")
        assert reply.status_code == 302

    response = post(client, article, ip="198.51.100.9", email="aD@example.com", message="第四条")

    assert response.status_code == 429
    assert form_errors(response.content.decode()) == ["这个邮箱留言太频繁了，请一分钟后再试。"]
    assert Comment.objects.count() == 3
    assert set(Comment.objects.values_list("email", flat=True)) == {"ad@example.com"}


def test_a_forged_x_forwarded_for_does_not_escape_the_address_limit(client, article, settings):
    limit = settings.COMMENTS_RATE_LIMIT
    for n in range(limit):
        forged = {"X-Forwarded-For": f"10.0.0.{n}"}
        reply = post(client, article, headers=forged, email=f"r{n}@example.com", message=f"{n}号")
        assert reply.status_code == 302

    forged = {"X-Forwarded-For": "10.9.9.9"}
    response = post(client, article, headers=forged, email="new@example.com", message="又来了")

    assert response.status_code == 429
    assert form_errors(response.content.decode()) == ["留言太频繁了，请一分钟后再试。"]
    assert Comment.objects.count() == limit
    assert set(Comment.objects.values_list("ip_address", flat=True)) == {"203.0.113.10"}


def test_behind_a_proxy_only_the_address_the_proxy_wrote_is_limited(client, article, settings):
    settings.PORTAL_TRUSTED_PROXY_COUNT = 1
    limit = settings.COMMENTS_RATE_LIMIT
    for n in range(limit + 1):
        # The client prepends its own invention; the proxy appends the real address.
        chain = {"X-Forwarded-For": f"10.0.0.{n}, 198.51.100.7"}
        post(client, article, ip="127.0.0.1", headers=chain, email=f"r{n}@x.cn", message=f"{n}号")

    assert Comment.objects.count() == limit
    assert set(Comment.objects.values_list("ip_address", flat=True)) == {"198.51.100.7"}


@pytest.fixture
def cache_down(settings):
    """The shared cache is a Redis where nothing listens, as when Redis is stopped."""
    forget_outages()
    settings.CACHES = {
        "default": {
            "BACKEND": "portal.cache.ResilientRedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",
            "KEY_PREFIX": "portal-tests",
        }
    }
    yield
    forget_outages()


def test_with_the_cache_down_comments_are_accepted_but_held_and_the_fault_logged(
    client, article, comment_factory, settings, cache_down, caplog
):
    # Even a reader the rules would trust waits: nobody could count their comments.
    comment_factory(article=article, email="xiaoming.wang@example.com", message="以前的留言")
    with caplog.at_level(logging.WARNING):
        replies = [
            post(client, article, message=f"缓存坏了也能留言，第{n}条")
            for n in range(settings.COMMENTS_RATE_LIMIT + 1)
        ]

    assert [r.status_code for r in replies] == [302] * (settings.COMMENTS_RATE_LIMIT + 1)
    held = Comment.objects.filter(message__startswith="缓存坏了")
    assert held.count() == settings.COMMENTS_RATE_LIMIT + 1
    assert set(held.values_list("status", "held_reason")) == {
        ("pending", "缓存不可用，未能检查留言频率")
    }
    logged = [r.getMessage() for r in caplog.records if r.name == "comments"]
    assert len(logged) == settings.COMMENTS_RATE_LIMIT + 1
    assert "无法检查留言频率" in logged[0] and "203.0.113.10" in logged[0]


# --- duplicates --------------------------------------------------------------------------


def test_the_same_text_again_with_other_spacing_or_case_is_a_duplicate(client, article):
    assert post(client, article, message="支持 文明创建 Good").status_code == 302

    response = post(client, article, message="  支持  文明创建\n\nGOOD ")

    assert response.status_code == 400
    assert form_errors(response.content.decode()) == [DUPLICATE]
    assert Comment.objects.count() == 1


def test_the_database_itself_refuses_a_second_identical_row(article, comment_factory):
    comment_factory(article=article, email="a@example.com", message="同一句话")

    with pytest.raises(IntegrityError), transaction.atomic():
        comment_factory(article=article, email="A@example.com", message="同一句话 ")


@pytest.mark.django_db(transaction=True)
def test_a_double_click_race_stores_one_comment_and_tells_the_other_request(
    article_factory, settings
):
    settings.COMMENTS_RATE_LIMIT = settings.COMMENTS_EMAIL_RATE_LIMIT = 100
    article = article_factory(title="并发留言稿件")
    clicks = 8
    start = threading.Barrier(clicks)
    replies, errors = [], []

    def click():
        client = Client()
        try:
            start.wait()
            replies.append(post(client, article, message="双击提交的同一条留言"))
        except Exception as error:  # surfaced below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=click) for _ in range(clicks)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert not errors, errors
    assert sorted(r.status_code for r in replies) == [302] + [400] * (clicks - 1)
    refused = [r for r in replies if r.status_code == 400]
    assert all(form_errors(r.content.decode()) == [DUPLICATE] for r in refused)
    assert Comment.objects.filter(article=article).count() == 1


# --- moderation rules set by editors -------------------------------------------------------


@pytest.fixture
def rules(staff_client):
    """Set the moderation rules through the admin, as an editor does."""

    def set_rules(**fields):
        page = staff_client.get(RULES_URL, follow=True)
        assert "留言审核规则" in page.content.decode()
        data = {
            "max_links": 2,
            "hold_words": "",
            "block_words": "",
            "trust_known_emails": "on",
            **fields,
        }
        if data["trust_known_emails"] is False:
            del data["trust_known_emails"]
        response = staff_client.post(page.redirect_chain[-1][0], data, follow=True)
        assert "留言审核规则已保存" in response.content.decode()

    return set_rules


def test_the_rules_page_is_one_page_in_chinese_that_cannot_be_added_or_deleted(staff_client):
    response = staff_client.get(RULES_URL, follow=True)
    html = response.content.decode()

    assert response.redirect_chain[-1][0].endswith("/1/change/")
    for label in ["链接数上限", "需审核的词", "屏蔽词", "信任老读者"]:
        assert label in html
    assert reverse("admin:comments_moderationsettings_delete", args=[1]) not in html
    assert staff_client.get(reverse("admin:comments_moderationsettings_add")).status_code == 403
    assert ModerationSettings.objects.count() == 1


def test_readers_without_staff_rights_cannot_see_the_rules(client, reader_user):
    client.force_login(reader_user)

    response = client.get(RULES_URL)

    assert response.status_code == 302
    assert ModerationSettings.objects.count() == 0


def queue_rows(staff_client, status="pending"):
    html = staff_client.get(QUEUE_URL, {"status__exact": status}).content.decode()
    return html.split("<tbody>", 1)[1].split("</tbody>", 1)[0] if "<tbody>" in html else ""


def test_a_comment_with_more_links_than_allowed_is_held_with_the_reason_shown_to_editors(
    client, staff_client, article, rules
):
    rules(max_links=1)
    message = "看这里 https://a.example.com 还有 www.b.example.com"

    response = post(Client(), article, message=message)

    assert response.status_code == 302
    comment = Comment.objects.get()
    assert (comment.status, comment.held_reason) == ("pending", "含有 2 个链接（上限 1 个）")
    assert '<td class="field-held_reason">含有 2 个链接（上限 1 个）</td>' in queue_rows(
        staff_client
    )
    change = staff_client.get(reverse("admin:comments_comment_change", args=[comment.pk]))
    assert "含有 2 个链接（上限 1 个）" in change.content.decode()
    assert 'name="held_reason"' not in change.content.decode()  # read only


def test_a_comment_with_a_word_to_review_is_held_even_from_a_trusted_reader(
    article, comment_factory, rules
):
    rules(hold_words="微信\n加 QQ")
    comment_factory(article=article, email="xiaoming.wang@example.com")

    post(Client(), article, message="有问题可以加  QQ：12345 详聊")

    held = Comment.objects.get(message__startswith="有问题")
    assert (held.status, held.held_reason) == ("pending", "含有需审核的词“加 qq”")


def test_a_comment_with_a_blocked_word_is_marked_spam_and_never_shown(article, staff_client, rules):
    rules(block_words="代开发票")
    reader = Client()

    post(reader, article, name="推销员", message="低价代开发票，请联系")

    spam = Comment.objects.get(message="低价代开发票，请联系")
    assert (spam.status, spam.held_reason) == ("spam", "含有屏蔽词“代开发票”")
    page = reader.get(article.get_absolute_url()).content.decode()
    assert "代开发票" not in page
    assert "推销员" in queue_rows(staff_client, status="spam")


def test_a_blocked_word_is_told_like_any_held_comment(client, article, rules):
    rules(block_words="代开发票")
    url = reverse("comments:post", args=[article.pk])

    response = client.post(url, comment_form(article, message="代开发票"), follow=True)

    assert SUBMITTED in response.content.decode()
    assert Comment.objects.get().status == "spam"


def test_a_reader_whose_earlier_comment_was_approved_is_published_at_once(
    article, article_factory, comment_factory, rules
):
    rules()
    earlier = article_factory(title="早些时候的文章")
    comment_factory(article=earlier, email="xiaoming.wang@example.com", message="以前的留言")
    reader = Client()
    url = article.get_absolute_url()
    assert comment_list(reader.get(url).content.decode()) == []  # the page is cached now

    response = post(reader, article, email="XiaoMing.Wang@example.com", message="老读者又来了")

    comment = Comment.objects.get(message="老读者又来了")
    assert (comment.status, comment.held_reason) == ("approved", "")
    assert response["Location"] == f"{url}#comment-{comment.pk}"
    html = reader.get(response["Location"]).content.decode()
    assert PUBLISHED in html
    assert comment_list(html) == [("王小明", "老读者又来了")]
    assert comment_list(Client().get(url).content.decode()) == [("王小明", "老读者又来了")]


def test_without_trust_or_an_approved_comment_a_reader_waits_for_an_editor(
    article, comment_factory, rules
):
    comment_factory(article=article, email="known@example.com", status="pending")
    comment_factory(article=article, email="trusted@example.com")
    rules(trust_known_emails=False)

    post(Client(), article, email="known@example.com", message="第一次留言还没审")
    post(Client(), article, email="trusted@example.com", message="信任已经关闭")

    held = Comment.objects.filter(message__in=["第一次留言还没审", "信任已经关闭"])
    assert set(held.values_list("status", "held_reason")) == {
        ("pending", "该邮箱还没有通过审核的留言")
    }


def test_an_editor_making_two_comments_identical_gets_an_error_not_a_crash(
    staff_client, article, comment_factory
):
    comment_factory(article=article, email="a@example.com", message="原来的留言")
    other = comment_factory(article=article, email="a@example.com", message="另一条留言")
    url = reverse("admin:comments_comment_change", args=[other.pk])
    data = {"name": other.name, "email": "a@example.com", "message": "原来的留言"}

    response = staff_client.post(url, {**data, "status": "approved"})

    assert response.status_code == 200
    assert "这位读者在这篇文章下已有一条相同的留言。" in response.content.decode()
    assert Comment.objects.get(pk=other.pk).message == "另一条留言"


# --- comment text built to be slow or active -----------------------------------------------

SLOW_TEXTS = {
    "unclosed-tags": "<" * 50_000,
    "nested-entities": "&amp;" * 10_000 + "&#x26;" * 5_000 + "&" * 10_000,
    "half-tags": "<a href='" * 10_000,
    "comment-openers": "<!--" * 10_000 + "<![CDATA[" * 3_000,
}


@pytest.mark.parametrize("text", SLOW_TEXTS.values(), ids=SLOW_TEXTS.keys())
def test_a_comment_built_to_be_slow_renders_quickly_and_escaped(
    client, staff_client, article, comment_factory, text
):
    comment = comment_factory(article=article, message=text)

    started = time.monotonic()
    html = Client().get(article.get_absolute_url()).content.decode()
    elapsed = time.monotonic() - started

    assert elapsed < 1.0
    shown = comment_list(html)[0][1]
    assert "<" not in shown and ">" not in shown
    assert shown.count("&lt;") == text.count("<")
    assert shown.count("&amp;") == text.count("&")

    started = time.monotonic()
    queue = staff_client.get(QUEUE_URL)
    change = staff_client.get(reverse("admin:comments_comment_change", args=[comment.pk]))
    assert time.monotonic() - started < 2.0
    assert queue.status_code == change.status_code == 200


def test_a_link_in_a_comment_is_shown_as_text_not_as_a_link(article, comment_factory):
    comment_factory(
        article=article,
        message='快来 https://spam.example.com/buy 和 <a href="https://x.example.com">点我</a>',
    )

    html = Client().get(article.get_absolute_url()).content.decode()
    shown = comment_list(html)[0][1]

    assert "https://spam.example.com/buy" in shown
    assert "spam.example.com" not in "".join(re.findall(r"<a [^>]*>", html))
    assert "x.example.com" not in "".join(re.findall(r"<a [^>]*>", html))
    assert "&lt;a href=&quot;https://x.example.com&quot;&gt;点我&lt;/a&gt;" in shown
