from io import StringIO

import pytest
from django.core.management import call_command

from comments.models import Comment
from news.models import Article
from tests.news.helpers import text_of


@pytest.fixture
def data_dir(settings, tmp_path):
    settings.DATA_DIR = tmp_path / "var"
    return settings.DATA_DIR


@pytest.fixture
def load_demo(data_dir, django_capture_on_commit_callbacks):
    """Run the command as `make run` does; its password file is written when it commits."""

    def run() -> str:
        out = StringIO()
        with django_capture_on_commit_callbacks(execute=True):
            call_command("load_demo", stdout=out)
        return out.getvalue()

    return run


def snapshot():
    return {
        "articles": sorted(Article.objects.values_list("title", "status", "is_featured", "views")),
        "comments": sorted(Comment.objects.values_list("article__title", "name", "status")),
    }


@pytest.mark.django_db
def test_demo_fills_every_section_with_readable_articles(load_demo, client):
    load_demo()

    public = Article.objects.published()
    for slug in ["news", "finance", "industry"]:
        assert public.filter(category__slug=slug).count() >= 9
        assert public.filter(category__slug=slug, is_featured=True).count() == 1
    assert Article.objects.filter(status=Article.Status.DRAFT).count() == 1
    assert Article.objects.scheduled().count() == 1
    assert public.exclude(cover="").count() >= 20
    assert public.filter(word_count__gte=2000).exists()
    assert public.filter(word_count__lte=400).exists()

    home = text_of(client.get("/").content.decode())
    lead = public.filter(category__slug="news", is_featured=True).get()
    assert lead.title in home


@pytest.mark.django_db
def test_demo_has_approved_pending_and_spam_comments(load_demo, client):
    load_demo()

    assert Comment.objects.approved().count() >= 10
    assert Comment.objects.pending().exists()
    assert Comment.objects.filter(status=Comment.Status.SPAM).exists()
    commented = Comment.objects.approved().first().article
    page = text_of(client.get(commented.get_absolute_url()).content.decode())
    assert f"读者留言（{Comment.objects.for_article(commented).count()}）" in page


@pytest.mark.django_db
def test_running_the_demo_twice_changes_nothing(load_demo):
    first_output = load_demo()
    before = snapshot()

    second_output = load_demo()

    assert snapshot() == before
    assert "新建文章 0 篇、留言 0 条" in second_output
    assert "新建文章 0 篇" not in first_output


@pytest.mark.django_db
def test_demo_keeps_what_editors_and_moderators_changed(load_demo):
    load_demo()
    edited = Article.objects.published().first()
    edited.body = "<p>编辑改过的正文。</p>"
    edited.save()
    deleted = Comment.objects.approved().first()
    deleted.delete()

    load_demo()

    edited.refresh_from_db()
    assert edited.body == "<p>编辑改过的正文。</p>"
    assert not Comment.objects.filter(pk=deleted.pk).exists()
    assert not Comment.objects.filter(name=deleted.name, message=deleted.message).exists()


@pytest.mark.django_db
def test_demo_prints_a_login_that_opens_the_admin(load_demo, data_dir, client):
    output = load_demo()
    password = output.split("密码: ")[1].split()[0]

    assert "用户名: demo" in output
    assert (data_dir / "demo-login.txt").stat().st_mode & 0o777 == 0o600
    assert password in load_demo()  # the same login every run
    assert client.login(username="demo", password=password)
    assert "内容管理" in client.get("/admin/").content.decode()


@pytest.mark.django_db
def test_the_demo_fills_the_home_page_slots_and_has_a_multi_page_article(load_demo, client):
    load_demo()
    home = client.get("/").content.decode()
    for slot in ('<section class="slideshow"', '<section class="ticker"', "编辑推荐"):
        assert slot in home
    long_read = Article.objects.get(title__startswith="个人养老金怎么用")
    page = client.get(long_read.get_absolute_url()).content.decode()
    assert "文章分页" in page and "?page=3" in page
