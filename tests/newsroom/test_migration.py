"""The roles arrive with a migration, on a fresh database too, and migrating back removes them."""

import pytest
from django.contrib.auth.models import Group, Permission
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from news import roles

BEFORE = [("news", "0003_taggeditem_tag_object_index")]


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)


def rights(name) -> set[str]:
    permissions = Group.objects.get(name=name).permissions.select_related("content_type")
    return {f"{p.content_type.app_label}.{p.codename}" for p in permissions}


@pytest.mark.django_db(transaction=True)
def test_migration_creates_the_roles_on_a_fresh_database_and_migrating_back_removes_them():
    migrate(BEFORE)
    assert not Group.objects.filter(name__in=["撰稿人", "编辑", "主编"]).exists()
    # As on a fresh database: no permission exists before migrate's end (post_migrate).
    Permission.objects.all().delete()

    migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())

    assert rights("撰稿人") == {"news.add_article"}
    editor = rights("编辑")
    assert {
        "news.change_article",
        "news.publish_article",
        "news.feature_article",
        "comments.moderate_comment",
    } <= editor
    assert "news.change_category" not in editor and "news.delete_article" not in editor
    chief = rights("主编")
    assert {"news.change_category", "comments.change_moderationsettings"} <= chief
    assert editor < chief
    assert {name: rights(name) for name in roles.ROLES} == {
        name: set(perms) for name, perms in roles.ROLES.items()
    }
