"""The newsroom's roles: 待审 (submitted for review), the publish and headline permissions,
the review queue's proxy model, and the groups 撰稿人 / 编辑 / 主编 (news.roles).

The groups are created on a fresh database too: ``roles.sync_groups`` creates the
permissions it needs first (Django would only create them after ``migrate``). Migrating
back removes the groups.
"""

from django.db import migrations, models

from news import roles


class Migration(migrations.Migration):
    dependencies = [
        ("news", "0003_taggeditem_tag_object_index"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        # The editors' roles hold comment moderation rights: comments' models must exist.
        ("comments", "0003_comment_once_per_reader"),
        ("taggit", "0006_rename_taggeditem_content_type_object_id_taggit_tagg_content_8fc721_idx"),
    ]

    operations = [
        migrations.CreateModel(
            name="ArticleForReview",
            fields=[],
            options={
                "verbose_name": "待审稿件",
                "verbose_name_plural": "待审稿件",
                "proxy": True,
                "indexes": [],
                "constraints": [],
            },
            bases=("news.article",),
        ),
        migrations.AlterModelOptions(
            name="article",
            options={
                "ordering": ["-publish_at", "-id"],
                "permissions": [
                    ("publish_article", "可以发布文章（发布、定时发布、撤回）"),
                    ("feature_article", "可以设置头条"),
                ],
                "verbose_name": "文章",
                "verbose_name_plural": "文章",
            },
        ),
        migrations.AlterField(
            model_name="article",
            name="status",
            field=models.CharField(
                choices=[("draft", "草稿"), ("review", "待审"), ("published", "已发布")],
                default="draft",
                help_text="只有“已发布”且发布时间已到的文章对读者可见。",
                max_length=10,
                verbose_name="状态",
            ),
        ),
        migrations.RunPython(roles.sync_groups, roles.remove_groups),
    ]
