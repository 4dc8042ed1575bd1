import pytest

from comments.models import Comment
from comments.services import CommentRejected, comment_create, comments_moderate

pytestmark = pytest.mark.django_db


def create(article, **fields):
    fields = {
        "name": "王小明",
        "email": "xiaoming.wang@example.com",
        "message": "希望文明创建多关注老小区的停车问题。",
        "ip_address": "203.0.113.10",
        "user_agent": "Mozilla/5.0 (iPhone) Safari/604.1",
        **fields,
    }
    return comment_create(article=article, **fields)


def test_comment_create_stores_a_pending_comment_with_ip_and_user_agent(article):
    comment = create(article)

    stored = Comment.objects.get(pk=comment.pk)
    assert stored.article == article
    assert stored.status == Comment.Status.PENDING
    assert (stored.name, stored.email) == ("王小明", "xiaoming.wang@example.com")
    assert stored.message == "希望文明创建多关注老小区的停车问题。"
    assert stored.ip_address == "203.0.113.10"
    assert stored.user_agent == "Mozilla/5.0 (iPhone) Safari/604.1"
    assert stored.created_at is not None


def test_comment_create_cuts_an_overlong_user_agent_to_the_column_size(article):
    comment = create(article, user_agent="A" * 500)

    assert Comment.objects.get(pk=comment.pk).user_agent == "A" * 300


def test_comment_create_refuses_more_than_the_rate_limit_with_status_429(article, settings):
    for n in range(settings.COMMENTS_RATE_LIMIT):
        create(article, message=f"第{n}条不同的留言", email=f"reader{n}@example.com")

    with pytest.raises(CommentRejected) as rejected:
        create(article, message="一分钟内的又一条留言", email="another@example.com")

    assert rejected.value.status == 429
    assert rejected.value.messages == ["留言太频繁了，请一分钟后再试。"]
    assert Comment.objects.count() == settings.COMMENTS_RATE_LIMIT


def test_rate_limit_follows_the_setting(article, settings):
    settings.COMMENTS_RATE_LIMIT = 2
    settings.COMMENTS_EMAIL_RATE_LIMIT = 10
    create(article, message="第一条留言")
    create(article, message="第二条留言")

    with pytest.raises(CommentRejected):
        create(article, message="第三条留言")


def test_rate_limit_counts_each_address_separately(article, settings):
    settings.COMMENTS_EMAIL_RATE_LIMIT = 10
    for n in range(settings.COMMENTS_RATE_LIMIT):
        create(article, message=f"第{n}条留言", ip_address="203.0.113.10")

    other = create(article, message="另一位读者的留言", ip_address="198.51.100.20")

    assert other.pk is not None
    assert Comment.objects.filter(ip_address="198.51.100.20").count() == 1


def test_comment_create_refuses_the_same_message_twice_from_one_email(article):
    create(article)

    with pytest.raises(CommentRejected) as rejected:
        create(article, name="换个名字", ip_address="198.51.100.20")

    assert rejected.value.status == 400
    assert rejected.value.messages == ["您已经提交过相同的留言，请勿重复提交。"]
    assert Comment.objects.count() == 1


def test_duplicate_is_refused_even_after_the_first_was_approved(article):
    first = create(article)
    comments_moderate(comments=Comment.objects.filter(pk=first.pk), status="approved")

    with pytest.raises(CommentRejected):
        create(article)


def test_same_message_is_allowed_on_another_article_or_from_another_reader(
    article, article_factory
):
    create(article)

    create(article_factory())
    create(article, email="someone.else@example.com")

    assert Comment.objects.count() == 3


def test_comments_moderate_sets_the_status_and_counts_only_real_changes(article, comment_factory):
    pending = [comment_factory(article=article, status="pending") for _ in range(2)]
    already = comment_factory(article=article, status="approved")
    untouched = comment_factory(article=article, status="pending")
    chosen = Comment.objects.filter(pk__in=[c.pk for c in pending] + [already.pk])

    changed = comments_moderate(comments=chosen, status=Comment.Status.APPROVED)

    assert changed == 2
    assert set(Comment.objects.approved().values_list("pk", flat=True)) == {
        pending[0].pk,
        pending[1].pk,
        already.pk,
    }
    assert Comment.objects.get(pk=untouched.pk).status == Comment.Status.PENDING


def test_comments_moderate_can_mark_approved_comments_as_spam(article, comment_factory):
    comment = comment_factory(article=article)

    changed = comments_moderate(comments=Comment.objects.all(), status=Comment.Status.SPAM)

    assert changed == 1
    assert Comment.objects.get(pk=comment.pk).status == Comment.Status.SPAM
    assert list(Comment.objects.for_article(article)) == []


def test_rate_limit_window_lasts_one_minute(article, settings, cache_clock):
    settings.COMMENTS_EMAIL_RATE_LIMIT = 10
    for n in range(settings.COMMENTS_RATE_LIMIT):
        create(article, message=f"第{n}条留言")

    cache_clock(59)
    with pytest.raises(CommentRejected):
        create(article, message="还没过一分钟")

    cache_clock(2)
    assert create(article, message="过了一分钟再留言").pk is not None
