"""The duplicate rule arrives on a site that already has comments."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from comments.models import Comment, message_digest
from comments.services import CommentRejected, comment_create

BEFORE = [("comments", "0001_initial")]


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.mark.django_db(transaction=True)
def test_existing_comments_get_digests_and_earlier_repeats_are_kept_without_one(article):
    old_apps = migrate(BEFORE)
    OldComment = old_apps.get_model("comments", "Comment")
    fields = {"article_id": article.pk, "name": "王小明", "status": "approved"}
    first = OldComment.objects.create(
        email="XiaoMing@Example.com", message="支持文明创建", ip_address="203.0.113.1", **fields
    )
    repeat = OldComment.objects.create(
        email="xiaoming@example.com", message=" 支持文明创建\n", ip_address="198.51.100.2", **fields
    )
    other = OldComment.objects.create(email="li@example.com", message="支持文明创建", **fields)

    migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())

    stored = {c.pk: c for c in Comment.objects.all()}
    assert stored[first.pk].email == "xiaoming@example.com"
    assert stored[first.pk].message_digest == message_digest("支持文明创建")
    assert stored[repeat.pk].message_digest is None  # kept, shown, never refused
    assert stored[other.pk].message_digest == message_digest("支持文明创建")
    with pytest.raises(CommentRejected):
        comment_create(
            article=article,
            name="王小明",
            email="xiaoming@example.com",
            message="支持文明创建",
            ip_address="203.0.113.9",
        )
    assert Comment.objects.count() == 3
