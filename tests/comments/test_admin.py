import pytest
from django.test import Client
from django.urls import reverse

from comments.models import Comment

from .pages import comment_list

CHANGELIST = reverse("admin:comments_comment_changelist")


def run_action(client, action, comments, **extra):
    data = {"action": action, "_selected_action": [c.pk for c in comments], **extra}
    return client.post(CHANGELIST, data, follow=True)


def public_html(article):
    return Client().get(article.get_absolute_url()).content.decode()


def changelist_rows(html):
    return html.split("<tbody>", 1)[1].split("</tbody>", 1)[0]


def test_changelist_shows_article_name_status_and_message(staff_client, article, pending):
    html = staff_client.get(CHANGELIST).content.decode()
    rows = changelist_rows(html)

    assert '<td class="field-article nowrap">松江举行文明城区建设推进会</td>' in rows
    assert '<td class="field-name">赵六</td>' in rows
    assert '<td class="field-status">待审核</td>' in rows
    assert "建议增加夜间公交班次</a>" in rows


def test_changelist_title_counts_pending_comments(staff_client, article, pending, comment_factory):
    comment_factory(article=article, status="approved")
    comment_factory(article=article, status="spam")

    html = staff_client.get(CHANGELIST).content.decode()

    assert "<h1>留言审核（待审核 2 条）</h1>" in html
    assert "<title>留言审核（待审核 2 条）" in html


def test_changelist_shortens_long_messages_to_40_characters(staff_client, article, comment_factory):
    comment_factory(article=article, message="长" * 40 + "尾巴被截掉")
    comment_factory(article=article, message="刚" * 40)

    rows = changelist_rows(staff_client.get(CHANGELIST).content.decode())

    assert "长" * 40 + "…</a>" in rows
    assert "尾巴被截掉" not in rows
    assert ">" + "刚" * 40 + "</a>" in rows


def test_status_filter_lists_only_pending_comments(staff_client, article, pending, comment_factory):
    comment_factory(article=article, name="已审读者", status="approved")
    comment_factory(article=article, name="广告机器人", status="spam")

    response = staff_client.get(CHANGELIST, {"status__exact": "pending"})
    rows = changelist_rows(response.content.decode())

    assert "赵六" in rows and "孙八" in rows
    assert "已审读者" not in rows
    assert "广告机器人" not in rows


def test_bulk_approve_publishes_the_chosen_comments_on_the_article(staff_client, article, pending):
    chosen, left = pending
    assert comment_list(public_html(article)) == []

    response = run_action(staff_client, "approve", [chosen])

    assert "已通过 1 条留言。" in response.content.decode()
    assert "待审核 1 条" in response.content.decode()
    assert Comment.objects.get(pk=chosen.pk).status == Comment.Status.APPROVED
    assert Comment.objects.get(pk=left.pk).status == Comment.Status.PENDING
    assert comment_list(public_html(article)) == [("赵六", "建议增加夜间公交班次")]


def test_bulk_mark_spam_hides_the_chosen_comments(staff_client, article, comment_factory):
    kept = comment_factory(article=article, name="正常读者", message="支持文明创建")
    spam = comment_factory(article=article, name="推销员", message="低价代开发票请加微信")
    assert len(comment_list(public_html(article))) == 2

    response = run_action(staff_client, "mark_spam", [spam])

    assert "已将 1 条留言标记为垃圾。" in response.content.decode()
    assert Comment.objects.get(pk=spam.pk).status == Comment.Status.SPAM
    assert Comment.objects.get(pk=kept.pk).status == Comment.Status.APPROVED
    assert comment_list(public_html(article)) == [("正常读者", "支持文明创建")]


def test_bulk_delete_asks_for_confirmation_first(staff_client, pending):
    response = run_action(staff_client, "delete_selected", pending)
    html = response.content.decode()

    assert response.status_code == 200
    assert 'name="post" value="yes"' in html
    assert "赵六:建议增加夜间公交班次" in html
    assert Comment.objects.count() == 2


def test_bulk_delete_removes_the_comments_once_confirmed(
    staff_client, article, pending, comment_factory
):
    kept = comment_factory(article=article, name="留下的读者")

    response = run_action(staff_client, "delete_selected", pending, post="yes")

    assert "成功删除了 2 个 留言" in response.content.decode()
    assert list(Comment.objects.all()) == [kept]


def test_admin_index_announces_pending_comments_with_a_link_to_them(staff_client, pending):
    html = staff_client.get(reverse("admin:index")).content.decode()

    assert "有 <strong>2</strong> 条读者留言等待审核" in html
    assert f'<a href="{CHANGELIST}?status__exact=pending">去审核</a>' in html


def test_admin_index_is_quiet_when_nothing_awaits_moderation(
    staff_client, article, comment_factory
):
    comment_factory(article=article, status="approved")

    html = staff_client.get(reverse("admin:index")).content.decode()

    assert "等待审核" not in html


def test_editors_cannot_add_comments_themselves(staff_client, pending):
    add_url = reverse("admin:comments_comment_add")

    assert staff_client.get(add_url).status_code == 403
    assert add_url not in staff_client.get(CHANGELIST).content.decode()


def test_change_page_shows_ip_and_user_agent_read_only(staff_client, article, comment_factory):
    comment = comment_factory(
        article=article, ip_address="203.0.113.77", user_agent="SecretBrowser/9.9"
    )

    html = staff_client.get(
        reverse("admin:comments_comment_change", args=[comment.pk])
    ).content.decode()

    assert "203.0.113.77" in html
    assert "SecretBrowser/9.9" in html
    assert 'name="ip_address"' not in html
    assert 'name="user_agent"' not in html
    assert 'name="status"' in html


@pytest.mark.parametrize("who", ["anonymous", "reader"])
def test_moderation_is_closed_to_non_staff(client, reader_user, pending, who):
    if who == "reader":
        client.force_login(reader_user)

    response = client.get(CHANGELIST)

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))
    assert "赵六" not in response.content.decode()


def test_user_with_the_moderation_permission_can_approve(moderator_client, article, pending):
    run_action(moderator_client, "approve", pending[:1])

    assert Comment.objects.get(pk=pending[0].pk).status == Comment.Status.APPROVED
