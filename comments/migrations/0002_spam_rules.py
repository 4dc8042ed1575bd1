import hashlib
import unicodedata

from django.db import migrations, models


def _digest(message):
    # Frozen copy of comments.models.message_digest as it was when this migration was written.
    folded = " ".join(unicodedata.normalize("NFKC", message).casefold().split())
    return hashlib.sha256(folded.encode()).hexdigest()


def backfill_digests(apps, schema_editor):
    """Lower-case stored emails and fill the digests; earlier repeats keep no digest.

    A reader could post the same text twice from two addresses before the rule existed:
    the oldest copy gets the digest, the later ones none (never refused, never deleted).
    """
    Comment = apps.get_model("comments", "Comment")
    seen = set()
    for comment in Comment.objects.order_by("created_at", "id").iterator():
        email = comment.email.strip().lower()
        digest = _digest(comment.message)
        key = (comment.article_id, email, digest)
        comment.email, comment.message_digest = email, None if key in seen else digest
        seen.add(key)
        comment.save(update_fields=["email", "message_digest"])


class Migration(migrations.Migration):
    dependencies = [
        ("comments", "0001_initial"),
        ("news", "0003_taggeditem_tag_object_index"),
    ]

    operations = [
        migrations.CreateModel(
            name="ModerationSettings",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "max_links",
                    models.PositiveSmallIntegerField(
                        default=2,
                        help_text="链接多于这个数量的留言转人工审核。",
                        verbose_name="链接数上限",
                    ),
                ),
                (
                    "hold_words",
                    models.TextField(
                        blank=True,
                        help_text="每行一个。含有其中任何一个的留言转人工审核，不区分大小写。",
                        verbose_name="需审核的词",
                    ),
                ),
                (
                    "block_words",
                    models.TextField(
                        blank=True,
                        help_text="每行一个。含有其中任何一个的留言直接标记为垃圾留言，不会显示。",
                        verbose_name="屏蔽词",
                    ),
                ),
                (
                    "trust_known_emails",
                    models.BooleanField(
                        default=True,
                        help_text="邮箱曾有留言通过审核的读者，新留言直接发表（仍受上面的规则约束）。",
                        verbose_name="信任老读者",
                    ),
                ),
            ],
            options={
                "verbose_name": "留言审核规则",
                "verbose_name_plural": "留言审核规则",
            },
        ),
        migrations.AddField(
            model_name="comment",
            name="held_reason",
            field=models.CharField(
                blank=True,
                help_text="留言为什么没有直接发表（由留言审核规则自动填写）。",
                max_length=200,
                verbose_name="审核原因",
            ),
        ),
        migrations.AddField(
            model_name="comment",
            name="message_digest",
            field=models.CharField(
                blank=True, editable=False, max_length=64, null=True, verbose_name="留言摘要"
            ),
        ),
        migrations.RunPython(backfill_digests, migrations.RunPython.noop),
    ]
