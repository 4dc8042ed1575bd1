"""An index on taggit's table for related reading: a tag's articles in id order.

taggit indexes its rows by (content_type, object_id) and by tag alone; related reading
walks a tag's articles nearest to one article, which needs (tag, content_type, object_id).
taggit's model is not ours to alter, so the index is created here, on both databases.
"""

from django.db import migrations

INDEX = "news_taggeditem_tag_object_idx"


class Migration(migrations.Migration):
    dependencies = [
        ("news", "0002_categories"),
        ("taggit", "0006_rename_taggeditem_content_type_object_id_taggit_tagg_content_8fc721_idx"),
    ]

    operations = [
        migrations.RunSQL(
            f"CREATE INDEX IF NOT EXISTS {INDEX} "
            "ON taggit_taggeditem (tag_id, content_type_id, object_id)",
            f"DROP INDEX IF EXISTS {INDEX}",
            elidable=False,
        ),
    ]
