"""What readers see of comments on the article page, by moderation status."""

from datetime import timedelta

from django.db.models import F

from comments.models import Comment

from .pages import comment_list


def test_approved_comments_appear_oldest_first_with_their_count(
    article, comment_factory, article_page
):
    newer = comment_factory(article=article, name="李华", message="第二个发言")
    older = comment_factory(article=article, name="张伟", message="抢个沙发")
    # Saved second, but written earlier: the time decides the order, not the id.
    Comment.objects.filter(pk=older.pk).update(created_at=F("created_at") - timedelta(hours=1))

    html = article_page(article)

    assert "读者留言（2）" in html
    assert comment_list(html) == [("张伟", "抢个沙发"), ("李华", "第二个发言")]
    assert f'id="comment-{older.pk}"' in html
    assert f'id="comment-{newer.pk}"' in html


def test_pending_and_spam_comments_never_appear(article, comment_factory, article_page):
    comment_factory(article=article, name="已通过", message="这条已经审核通过")
    comment_factory(article=article, name="待审核者", message="这条还在等待审核", status="pending")
    comment_factory(article=article, name="推销员", message="低价代开发票请加微信", status="spam")

    html = article_page(article)

    assert "读者留言（1）" in html
    assert comment_list(html) == [("已通过", "这条已经审核通过")]
    assert "这条还在等待审核" not in html and "待审核者" not in html
    assert "低价代开发票请加微信" not in html and "推销员" not in html


def test_article_without_approved_comments_invites_the_first_one(
    article, comment_factory, article_page
):
    comment_factory(article=article, status="pending")

    html = article_page(article)

    assert "还没有留言，欢迎发表您的看法。" in html
    assert "读者留言（" not in html
    assert comment_list(html) == []


def test_comments_of_other_articles_do_not_appear(
    article, article_factory, comment_factory, article_page
):
    comment_factory(article=article_factory(), message="别的文章下的留言")

    assert "别的文章下的留言" not in article_page(article)


def test_email_ip_and_user_agent_are_never_shown_to_readers(article, comment_factory, article_page):
    comment_factory(
        article=article,
        name="王小明",
        email="xiaoming.private@example.com",
        ip_address="203.0.113.77",
        user_agent="SecretBrowser/9.9",
    )

    html = article_page(article)

    assert "王小明" in html
    assert "xiaoming.private" not in html
    assert "203.0.113.77" not in html
    assert "SecretBrowser" not in html


def test_message_html_is_shown_as_text_with_line_breaks_kept(
    article, comment_factory, article_page
):
    comment_factory(article=article, message='<script>alert("x")</script>\n<b>第二行</b>')

    html = article_page(article)

    assert '<script>alert("x")</script>' not in html
    assert "<b>第二行</b>" not in html
    assert comment_list(html)[0][1] == (
        "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;<br>&lt;b&gt;第二行&lt;/b&gt;"
    )


def test_reader_name_html_is_shown_as_text(article, comment_factory, article_page):
    comment_factory(article=article, name="<i>黑客</i>")

    html = article_page(article)

    assert "<i>黑客</i>" not in html
    assert "&lt;i&gt;黑客&lt;/i&gt;" in html
