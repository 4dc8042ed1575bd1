# A migration of its own: on PostgreSQL the rows updated by 0002's backfill would leave
# pending trigger events that forbid altering the table in the same transaction.
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("comments", "0002_spam_rules"),
    ]

    operations = [
        migrations.AddConstraint(
            model_name="comment",
            constraint=models.UniqueConstraint(
                fields=("article", "email", "message_digest"), name="comment_once_per_reader"
            ),
        ),
    ]
