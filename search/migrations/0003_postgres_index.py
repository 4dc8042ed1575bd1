# The PostgreSQL gram index (GIN): filled in by the PostgreSQL backend's work.
from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("search", "0002_sqlite_fts")]
    operations = []
