"""Fields an article derives on save, its publication rules, cover renditions and categories."""

from datetime import timedelta

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from news.models import Article, Category
from tests.news.helpers import image_bytes, image_upload

pytestmark = pytest.mark.django_db


# --- derived text fields ----------------------------------------------------------------


def test_blank_summary_is_taken_from_the_start_of_the_body(article_factory):
    body = "<p>" + "松江区召开文明城区建设推进会。" * 20 + "</p>"
    article = article_factory(body=body, summary="")
    article.refresh_from_db()
    assert article.summary == ("松江区召开文明城区建设推进会。" * 20)[:120] + "…"


def test_summary_of_a_short_body_is_its_whole_visible_text(article_factory):
    article = article_factory(
        body="<p>短讯:<strong>地铁</strong>九号线&amp;十二号线今起加密班次。</p>"
    )
    article.refresh_from_db()
    assert article.summary == "短讯:地铁九号线&十二号线今起加密班次。"


def test_summary_written_by_the_editor_is_kept(article_factory):
    article = article_factory(body="<p>正文第一句。正文第二句。</p>", summary="  编辑写的摘要。 ")
    article.refresh_from_db()
    assert article.summary == "编辑写的摘要。"


def test_whitespace_only_summary_counts_as_blank(article_factory):
    article = article_factory(body="<p>正文第一句。</p>", summary=" \n ")
    article.refresh_from_db()
    assert article.summary == "正文第一句。"


@pytest.mark.parametrize(("chars", "minutes"), [(1, 1), (500, 1), (1200, 3), (2082, 5)])
def test_word_count_and_reading_time_are_derived_on_save(article_factory, chars, minutes):
    article = article_factory(body=f"<p>{'文' * chars}</p>")
    article.refresh_from_db()
    assert (article.word_count, article.reading_minutes) == (chars, minutes)


def test_word_count_follows_the_body_when_it_is_edited(article_factory):
    article = article_factory(body=f"<p>{'文' * 100}</p>")
    article.body = "<p>" + "字" * 600 + "</p><p>" + "字" * 600 + "</p>"
    article.save()
    article.refresh_from_db()
    assert (article.word_count, article.reading_minutes) == (1200, 3)


def test_word_count_counts_visible_characters_only(article_factory):
    article = article_factory(
        body='<p>G60 科创走廊&nbsp;<a href="https://example.com/long/path">官网</a></p>'
        "<script>var x = 1;</script>"
    )
    article.refresh_from_db()
    assert article.word_count == len("G60科创走廊官网")


def test_empty_body_counts_zero_characters_and_one_minute(article_factory):
    article = article_factory(body="")
    article.refresh_from_db()
    assert (article.word_count, article.reading_minutes, article.summary) == (0, 1, "")


def test_body_is_stored_sanitized(article_factory):
    article = article_factory(
        body='<p onclick="steal()">正文<a href="javascript:alert(1)">链接</a></p>'
        '<img src="/media/a.png" onerror="alert(2)"><script>alert(3)</script>'
        '<iframe src="https://evil.example/"></iframe>'
    )
    article.refresh_from_db()
    stored = article.body.lower()
    for banned in ("<script", "alert", "onerror", "onclick", "javascript:", "<iframe"):
        assert banned not in stored
    assert "<p>正文" in article.body
    assert '<img src="/media/a.png">' in article.body


def test_body_text_for_search_is_the_visible_text(article_factory):
    article = article_factory(
        body="<h2>背景</h2><p>推进<strong>文明</strong>创建</p><script>x()</script>"
    )
    article.refresh_from_db()
    assert article.body_text == "背景 推进文明创建"


# --- publication ------------------------------------------------------------------------


def test_published_excludes_drafts_and_articles_scheduled_for_later(article_factory):
    now = timezone.now()
    live = article_factory(publish_at=now - timedelta(minutes=1))
    draft = article_factory(status=Article.Status.DRAFT, publish_at=now - timedelta(days=1))
    scheduled = article_factory(publish_at=now + timedelta(hours=1))

    published = set(Article.objects.published())

    assert live in published
    assert draft not in published
    assert scheduled not in published


def test_scheduled_article_appears_once_its_time_has_passed(article_factory):
    article = article_factory(publish_at=timezone.now() + timedelta(hours=1))
    assert article not in Article.objects.published()
    assert article in Article.objects.scheduled()
    assert article.is_scheduled and not article.is_public

    # Time passing is the same, for the query, as the publish time moving into the past.
    article.publish_at = timezone.now() - timedelta(seconds=1)
    article.save()

    assert article in Article.objects.published()
    assert article not in Article.objects.scheduled()
    assert article.is_public and not article.is_scheduled


def test_staff_see_drafts_and_scheduled_articles_readers_do_not(
    article_factory, staff_user, reader_user
):
    from django.contrib.auth.models import AnonymousUser

    live = article_factory()
    draft = article_factory(status=Article.Status.DRAFT)
    scheduled = article_factory(publish_at=timezone.now() + timedelta(days=1))

    assert set(Article.objects.visible_to(staff_user)) == {live, draft, scheduled}
    assert set(Article.objects.visible_to(reader_user)) == {live}
    assert set(Article.objects.visible_to(AnonymousUser())) == {live}


def test_deactivated_staff_no_longer_preview_drafts(article_factory, staff_user):
    draft = article_factory(status=Article.Status.DRAFT)
    staff_user.is_active = False
    assert draft not in Article.objects.visible_to(staff_user)


def test_new_articles_are_drafts_until_published(categories):
    article = Article.objects.create(title="新稿", body="<p>正文</p>", category=categories["news"])
    assert article.status == Article.Status.DRAFT
    assert article not in Article.objects.published()


def test_articles_are_listed_newest_first(article_factory):
    now = timezone.now()
    older = article_factory(publish_at=now - timedelta(days=2))
    newer = article_factory(publish_at=now - timedelta(days=1))
    assert list(Article.objects.all()) == [newer, older]


# --- cover renditions -------------------------------------------------------------------


def _stored_size(field_file):
    with default_storage.open(field_file.name, "rb") as f, Image.open(f) as image:
        return image.format, image.size


@pytest.mark.parametrize(
    "cover",
    [
        lambda: SimpleUploadedFile("cover.jpg", image_bytes("JPEG", (1200, 900)), "image/jpeg"),
        lambda: ContentFile(image_bytes("PNG", (500, 800), mode="RGBA"), name="cover.png"),
    ],
    ids=["jpeg-landscape", "png-portrait-transparent"],
)
def test_saving_a_cover_creates_a_360x240_list_image(article_factory, cover):
    article = article_factory(cover=cover())
    article.refresh_from_db()

    assert article.cover_thumb
    assert _stored_size(article.cover_thumb) == ("JPEG", (360, 240))
    assert article.list_image == article.cover_thumb
    # The cover itself is kept as uploaded.
    assert default_storage.exists(article.cover.name)


def test_replacing_the_cover_replaces_the_list_image(article_factory):
    article = article_factory(cover=image_upload("old.png", size=(720, 480), color="red"))
    old_thumb = article.cover_thumb.name

    article = Article.objects.get(pk=article.pk)
    article.cover = image_upload("new.png", size=(720, 480), color="blue")
    article.save()
    article.refresh_from_db()

    assert article.cover_thumb.name != old_thumb
    with default_storage.open(article.cover_thumb.name, "rb") as f, Image.open(f) as image:
        red, green, blue = image.convert("RGB").getpixel((180, 120))
    assert blue > 200 and red < 50


def test_removing_the_cover_removes_the_list_image(article_factory):
    article = article_factory(cover=image_upload())
    article.cover = ""
    article.save()
    article.refresh_from_db()
    assert not article.cover_thumb
    assert not article.list_image


def test_article_without_cover_has_no_list_image(article_factory):
    article = article_factory()
    assert not article.cover_thumb
    assert not article.list_image


# --- urls and categories ----------------------------------------------------------------


def test_article_url_is_its_permalink_by_id(article):
    assert article.get_absolute_url() == f"/article/{article.pk}/"


def test_category_url_uses_its_slug(categories):
    assert categories["finance"].get_absolute_url() == "/category/finance/"


def test_the_three_portal_categories_exist_after_migrate_in_navigation_order():
    assert [(c.name, c.label_en, c.slug) for c in Category.objects.all()] == [
        ("新闻", "news", "news"),
        ("财经", "finance", "finance"),
        ("产经", "industry", "industry"),
    ]


def test_article_and_category_read_as_their_titles(article, categories):
    assert str(article) == "松江举行文明城区建设推进会"
    assert str(categories["industry"]) == "产经"


def test_derived_summary_follows_a_correction_of_the_body(article_factory):
    article = article_factory(body="<p>本次推进会共有300家单位参加。</p>", summary="")
    article.body = "<p>本次推进会共有30家单位参加。</p>"
    article.save()
    article.refresh_from_db()
    assert article.summary == "本次推进会共有30家单位参加。"


def test_summary_written_by_the_editor_survives_body_edits(article_factory):
    article = article_factory(body="<p>旧正文。</p>", summary="编辑写的摘要。")
    article.body = "<p>新正文。</p>"
    article.save()
    article.refresh_from_db()
    assert article.summary == "编辑写的摘要。"
