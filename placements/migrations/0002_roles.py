# The placement permissions join the newsroom's roles (news.roles): 编辑 sees the slots and
# previews the home page at a later time; 主编 arranges them.
from django.db import migrations

from news import roles


class Migration(migrations.Migration):
    dependencies = [
        ("placements", "0001_initial"),
        ("news", "0004_roles"),
    ]
    operations = [migrations.RunPython(roles.sync_groups, migrations.RunPython.noop)]
