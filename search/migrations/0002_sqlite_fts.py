# The SQLite gram index (FTS5): filled in by the SQLite backend's work.
from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("search", "0001_initial")]
    operations = []
