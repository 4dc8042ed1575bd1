import pytest
from django.contrib.auth.models import Group

from news import roles
from news.models import Article


@pytest.fixture
def groups(db):
    """The roles' groups as the migration makes them.

    Made again here when missing: a transactional test (a migration test) empties every
    table, the groups with them, and only permissions come back after it.
    """
    if Group.objects.filter(name__in=roles.ROLES).count() != len(roles.ROLES):
        roles.sync_groups()
    return {group.name: group for group in Group.objects.filter(name__in=roles.ROLES)}


@pytest.fixture
def member(django_user_model, groups):
    """A staff member (never a superuser) whose only rights are those of one role."""

    def make(role: str, username: str):
        user = django_user_model.objects.create_user(
            username, f"{username}@example.com", f"pw-{username}-123", is_staff=True
        )
        user.groups.add(groups[role])
        return user

    return make


@pytest.fixture
def contributor(member):
    return member(roles.CONTRIBUTOR, "xiaowang")


@pytest.fixture
def other_contributor(member):
    return member(roles.CONTRIBUTOR, "xiaoli")


@pytest.fixture
def editor(member):
    return member(roles.EDITOR, "zhangbianji")


@pytest.fixture
def chief_editor(member):
    return member(roles.CHIEF_EDITOR, "lizhubian")


@pytest.fixture
def desk(login, editor):
    """An editor's admin session."""
    return login(editor)


@pytest.fixture
def chief(login, chief_editor):
    """The chief editor's admin session."""
    return login(chief_editor)


@pytest.fixture
def own_draft(article_factory, contributor):
    """The contributor's draft."""
    return article_factory(title="小王的草稿", status=Article.Status.DRAFT, created_by=contributor)


@pytest.fixture
def others_draft(article_factory, other_contributor):
    """A draft by another contributor."""
    return article_factory(
        title="小李的独家稿件", status=Article.Status.DRAFT, created_by=other_contributor
    )
