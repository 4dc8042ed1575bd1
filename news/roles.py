"""The newsroom's roles: the staff groups and the permissions each one holds.

This table is the one place a role changes. A migration creates the groups from it
(news/migrations/0004_roles.py); a later migration that brings a new permission (a new
model, a new ``Meta.permissions`` entry) gives it to a role by adding one line below and
running ``sync_groups`` again (``migrations.RunPython(roles.sync_groups, noop)``).
Permissions that do not exist yet when a migration runs are skipped, so an older
migration replayed on a fresh database never fails on a line added later.

How the admin reads them (news.admin.ArticleAdmin): ``add_article`` alone is a writer's
right, their own drafts only; ``view_article``/``change_article`` reach every article;
``publish_article`` (publish, schedule, unpublish) and ``feature_article`` are the
editors'.
"""

from django.apps import apps as global_apps
from django.contrib.auth.management import create_permissions
from django.db import DEFAULT_DB_ALIAS
from django.db.models import Q

CONTRIBUTOR, EDITOR, CHIEF_EDITOR = "撰稿人", "编辑", "主编"

_CONTRIBUTOR = [
    "news.add_article",  # writes, edits and submits their own drafts; uploads images
]
_EDITOR = [
    *_CONTRIBUTOR,
    "news.view_article",
    "news.change_article",
    "news.publish_article",
    "news.feature_article",
    "news.view_category",
    "comments.view_comment",
    "comments.change_comment",
    "comments.delete_comment",
    "comments.moderate_comment",
    "comments.view_moderationsettings",
    "placements.view_placement",  # sees the slots, and previews the home page at a later time
]
_CHIEF_EDITOR = [
    *_EDITOR,
    "news.delete_article",
    "news.add_category",
    "news.change_category",
    "news.delete_category",
    "comments.change_moderationsettings",
    "placements.add_placement",
    "placements.change_placement",
    "placements.delete_placement",
    "taggit.view_tag",
    "taggit.change_tag",
    "taggit.delete_tag",
]

ROLES: dict[str, list[str]] = {
    CONTRIBUTOR: _CONTRIBUTOR,
    EDITOR: _EDITOR,
    CHIEF_EDITOR: _CHIEF_EDITOR,
}


def sync_groups(apps=global_apps, schema_editor=None) -> None:
    """Give each role's group exactly the permissions ROLES lists (created if missing).

    Usable as a migration's RunPython: permissions are normally created after ``migrate``
    (post_migrate), too late for a fresh database, so they are created here first.
    """
    using = schema_editor.connection.alias if schema_editor else DEFAULT_DB_ALIAS
    _create_permissions(apps, using)
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, perms in ROLES.items():
        group, _ = Group.objects.using(using).get_or_create(name=name)
        group.permissions.set(Permission.objects.using(using).filter(_matching(perms)))


def remove_groups(apps=global_apps, schema_editor=None) -> None:
    """Undo ``sync_groups``: the groups go (their members lose the roles with them)."""
    using = schema_editor.connection.alias if schema_editor else DEFAULT_DB_ALIAS
    apps.get_model("auth", "Group").objects.using(using).filter(name__in=ROLES).delete()


def _matching(perms) -> Q:
    query = Q(pk__in=[])
    for perm in perms:
        app_label, codename = perm.split(".")
        query |= Q(content_type__app_label=app_label, codename=codename)
    return query


def _create_permissions(apps, using) -> None:
    labels = {perm.split(".")[0] for perms in ROLES.values() for perm in perms}
    for label in sorted(labels):
        try:
            config = apps.get_app_config(label)
        except LookupError:  # an app not installed (yet): its lines are skipped
            continue
        # A migration's app registry has no models modules; create_permissions would skip it.
        missing = getattr(config, "models_module", None) is None
        if missing:
            config.models_module = True
        try:
            create_permissions(config, verbosity=0, using=using, apps=apps)
        finally:
            if missing:
                config.models_module = None
