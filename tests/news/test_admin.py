"""What editors do in the admin: list, search, bulk actions, writing articles, uploading images."""

import json
import re
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from news.models import Article
from tests.news.helpers import html_of, image_bytes, image_upload, region, text_of

pytestmark = pytest.mark.django_db

CHANGELIST = "/admin/news/article/"
ADD = "/admin/news/article/add/"
UPLOAD = reverse("news:editor-image-upload")


def results_text(response) -> str:
    return text_of(region(html_of(response), '<table id="result_list"', "</table>"))


def stored_files(media_root) -> list[Path]:
    return [p for p in Path(media_root).rglob("*") if p.is_file()]


# --- changelist -------------------------------------------------------------------------


def test_changelist_shows_title_category_and_status_of_each_article(staff_client, article_factory):
    article_factory(title="已发布的稿件", category="finance")
    article_factory(title="还是草稿的稿件", category="industry", status=Article.Status.DRAFT)
    article_factory(title="定时发布的稿件", publish_at=timezone.now() + timedelta(days=1))

    rows = results_text(staff_client.get(CHANGELIST))

    assert "已发布的稿件 财经 已发布" in rows
    assert "还是草稿的稿件 产经 草稿" in rows
    assert "定时发布的稿件 新闻 定时发布" in rows


def test_scheduled_label_tooltip_gives_the_local_publish_time(staff_client, article_factory):
    article_factory(publish_at=datetime(2099, 1, 1, 9, 30, tzinfo=ZoneInfo("Asia/Shanghai")))

    html = html_of(staff_client.get(CHANGELIST))
    tooltip = re.search(r'<strong title="([^"]*)">定时发布</strong>', html).group(1)

    assert "09:30" in tooltip


def test_changelist_links_public_articles_as_view_and_others_as_preview(
    staff_client, article_factory
):
    public = article_factory()
    draft = article_factory(status=Article.Status.DRAFT)

    html = html_of(staff_client.get(CHANGELIST))

    assert f'<a href="{public.get_absolute_url()}" target="_blank">查看</a>' in html
    assert f'<a href="{draft.get_absolute_url()}" target="_blank">预览</a>' in html


def test_changelist_is_for_staff_only(client, reader_user):
    client.force_login(reader_user)
    response = client.get(CHANGELIST)
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")


@pytest.mark.parametrize(
    ("field", "value", "query"),
    [
        ("title", "松江举行文明城区建设推进会", "推进会"),
        ("body", "<p>会议要求巩固<strong>创建成果</strong>。</p>", "巩固创建成果"),
        ("source_name", "松江报社", "松江报社"),
    ],
    ids=["title", "body-text", "source"],
)
def test_admin_search_finds_articles_by_title_body_text_or_source(
    staff_client, article_factory, field, value, query
):
    wanted = article_factory(**{"title": "要找的稿件", field: value})
    article_factory(title="无关的稿件", body="<p>地铁新线开通。</p>", source_name="新华社")

    rows = results_text(staff_client.get(CHANGELIST, {"q": query}))

    assert wanted.title in rows
    assert "无关的稿件" not in rows


# --- bulk actions -----------------------------------------------------------------------


def run_action(client, action, articles):
    return client.post(
        CHANGELIST,
        {"action": action, "_selected_action": [a.pk for a in articles]},
        follow=True,
    )


def test_publish_action_publishes_drafts_now_and_keeps_scheduled_times(
    staff_client, article_factory
):
    old_draft = article_factory(
        status=Article.Status.DRAFT, publish_at=timezone.now() - timedelta(days=30)
    )
    future_time = timezone.now() + timedelta(days=2)
    future_draft = article_factory(status=Article.Status.DRAFT, publish_at=future_time)
    untouched = article_factory(status=Article.Status.DRAFT)
    before = timezone.now()

    response = run_action(staff_client, "publish", [old_draft, future_draft])

    assert "已发布 2 篇文章。" in text_of(response)
    for article in (old_draft, future_draft, untouched):
        article.refresh_from_db()
    assert old_draft.status == Article.Status.PUBLISHED
    assert old_draft.publish_at >= before  # published as of now, at the top of the lists
    assert old_draft.is_public
    assert future_draft.status == Article.Status.PUBLISHED
    assert future_draft.publish_at == future_time
    assert future_draft.is_scheduled
    assert untouched.status == Article.Status.DRAFT


def test_publish_action_leaves_the_time_of_published_articles_alone(staff_client, article_factory):
    published_at = timezone.now() - timedelta(days=3)
    article = article_factory(publish_at=published_at)

    response = run_action(staff_client, "publish", [article])

    assert "已发布 0 篇文章。" in text_of(response)
    article.refresh_from_db()
    assert article.publish_at == published_at


def test_unpublish_action_turns_published_and_scheduled_articles_into_drafts(
    staff_client, article_factory
):
    live = article_factory()
    scheduled = article_factory(publish_at=timezone.now() + timedelta(days=1))
    other = article_factory()

    response = run_action(staff_client, "unpublish", [live, scheduled])

    assert "已撤回 2 篇文章。" in text_of(response)
    assert set(Article.objects.filter(status=Article.Status.DRAFT)) == {live, scheduled}
    other.refresh_from_db()
    assert other.status == Article.Status.PUBLISHED


def test_feature_and_unfeature_actions_set_the_headline_flag(staff_client, article_factory):
    first, second, other = article_factory(), article_factory(), article_factory()

    response = run_action(staff_client, "feature", [first, second])
    assert "2 篇文章设为头条。" in text_of(response)
    assert set(Article.objects.featured()) == {first, second}

    response = run_action(staff_client, "unfeature", [first])
    assert "1 篇文章取消头条。" in text_of(response)
    assert set(Article.objects.featured()) == {second}
    other.refresh_from_db()
    assert not other.is_featured


# --- writing an article -----------------------------------------------------------------


def test_add_form_uses_the_ckeditor_5_widget_with_the_portal_upload_url(staff_client):
    html = html_of(staff_client.get(ADD))

    assert re.search(r'<textarea\s+name="body"[^>]*class="django_ckeditor_5"', html)
    assert f'data-upload-url="{UPLOAD}"' in html
    assert "django_ckeditor_5/dist/bundle.js" in html


def article_form(categories, **overrides):
    data = {
        "title": "后台新建的稿件",
        "category": categories["news"].pk,
        "tags": "文明创建, 松江",
        "author": "张记者",
        "body": '<p onclick="steal()">正文<a href="javascript:alert(1)">链接</a></p>'
        "<script>alert(document.cookie)</script>",
        "summary": "",
        "source_name": "",
        "source_url": "",
        "status": Article.Status.PUBLISHED,
        "publish_at_0": "2024-05-01",
        "publish_at_1": "10:30:00",
        "_save": "保存",
    }
    data.update(overrides)
    return data


def test_creating_an_article_in_the_admin_stores_it_sanitized(staff_client, staff_user, categories):
    response = staff_client.post(ADD, article_form(categories))

    assert response.status_code == 302, response.context["adminform"].form.errors
    article = Article.objects.get()
    assert article.title == "后台新建的稿件"
    assert article.body == '<p>正文<a rel="noopener noreferrer">链接</a></p>'
    assert article.summary == "正文链接"
    assert article.word_count == 4
    assert article.category == categories["news"]
    assert sorted(article.tags.names()) == ["文明创建", "松江"]
    assert article.publish_at == datetime(2024, 5, 1, 10, 30, tzinfo=ZoneInfo("Asia/Shanghai"))
    assert article.is_public
    assert article.created_by == staff_user


def test_editing_an_article_in_the_admin_rederives_its_text_fields(staff_client, article_factory):
    article = article_factory(
        title="待修改的稿件", body="<p>旧的正文。</p>", summary="", tags=["松江"]
    )
    change_url = f"/admin/news/article/{article.pk}/change/"

    form = html_of(staff_client.get(change_url))
    assert "&lt;p&gt;旧的正文。&lt;/p&gt;" in form  # the editor opens with the stored body

    local = timezone.localtime(article.publish_at)
    response = staff_client.post(
        change_url,
        article_form(
            {"news": article.category},
            title="待修改的稿件",
            body="<p>" + "新" * 600 + '</p><p><img src="x" onerror="alert(1)"></p>',
            tags="松江",
            publish_at_0=local.strftime("%Y-%m-%d"),
            publish_at_1=local.strftime("%H:%M:%S"),
        ),
    )

    assert response.status_code == 302, response.context["adminform"].form.errors
    article.refresh_from_db()
    assert "onerror" not in article.body
    assert article.body_text == "新" * 600
    assert (article.word_count, article.reading_minutes) == (600, 2)
    assert article.summary == "新" * 120 + "…"


def test_source_url_typed_without_scheme_is_stored_as_https(staff_client, categories):
    staff_client.post(ADD, article_form(categories, source_url="www.songjiang.example/news/1"))
    assert Article.objects.get().source_url == "https://www.songjiang.example/news/1"


def test_admin_cover_upload_is_re_encoded_under_a_generated_name(
    staff_client, categories, media_root
):
    cover = image_upload("我的 封面(1).png", fmt="PNG", size=(900, 600))

    response = staff_client.post(ADD, article_form(categories, cover=cover))

    assert response.status_code == 302, response.context["adminform"].form.errors
    article = Article.objects.get()
    assert re.fullmatch(r"covers/\d{4}/\d{2}/[0-9a-f]{32}\.png", article.cover.name)
    with default_storage.open(article.cover.name, "rb") as f, Image.open(f) as image:
        assert (image.format, image.size) == ("PNG", (900, 600))
    with default_storage.open(article.cover_thumb.name, "rb") as f, Image.open(f) as image:
        assert image.size == (360, 240)


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (SimpleUploadedFile("cover.png", b"not an image at all", "image/png"), "图片"),
        (
            SimpleUploadedFile("cover.bmp", image_bytes("BMP", (40, 30)), "image/bmp"),
            "只支持 JPEG、PNG、GIF、WebP 格式的图片。",
        ),
    ],
    ids=["text-file", "bmp"],
)
def test_admin_cover_that_is_not_an_accepted_image_is_refused_and_nothing_is_stored(
    staff_client, categories, media_root, upload, message
):
    response = staff_client.post(ADD, article_form(categories, cover=upload))

    assert response.status_code == 200
    errors = response.context["adminform"].form.errors["cover"]
    assert any(message in error for error in errors)
    assert message in text_of(response)
    assert not Article.objects.exists()
    assert stored_files(media_root) == []


# --- editor image upload ----------------------------------------------------------------


def test_editor_upload_refuses_anonymous_visitors(client, media_root):
    response = client.post(UPLOAD, {"upload": image_upload()})

    assert response.status_code == 403
    assert response.json() == {"error": {"message": "只有编辑人员可以上传图片。"}}
    assert stored_files(media_root) == []


def test_editor_upload_refuses_logged_in_readers(reader_client, media_root):
    response = reader_client.post(UPLOAD, {"upload": image_upload()})

    assert response.status_code == 403
    assert "只有编辑人员" in response.json()["error"]["message"]
    assert stored_files(media_root) == []


def stored_name(response) -> str:
    url = response.json()["url"]
    assert url.startswith("/media/")
    return url.removeprefix("/media/")


def test_editor_upload_of_a_png_stores_it_re_encoded_under_a_generated_name(
    staff_client, staff_user
):
    payload = b"<script>alert(1)</script>"
    upload = SimpleUploadedFile(
        "现场照片.png", image_bytes("PNG", (640, 480)) + payload, "image/png"
    )

    response = staff_client.post(UPLOAD, {"upload": upload})

    assert response.status_code == 200
    name = stored_name(response)
    assert re.fullmatch(rf"uploads/{staff_user.pk}/[0-9a-f]{{32}}\.png", name)
    assert default_storage.exists(name)
    with default_storage.open(name, "rb") as f:
        data = f.read()
    assert payload not in data  # bytes appended to the image never reach the disk
    with Image.open(default_storage.open(name, "rb")) as image:
        assert (image.format, image.size) == ("PNG", (640, 480))


def test_editor_upload_of_a_jpeg_is_stored_as_jpg(staff_client):
    response = staff_client.post(UPLOAD, {"upload": image_upload("photo.jpeg", fmt="JPEG")})
    assert stored_name(response).endswith(".jpg")


def test_editor_upload_names_the_file_after_its_real_format_not_the_uploaded_name(staff_client):
    response = staff_client.post(UPLOAD, {"upload": image_upload("x.html", fmt="PNG")})

    assert response.status_code == 200
    name = stored_name(response)
    assert name.endswith(".png")
    assert "x.html" not in name


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (
            SimpleUploadedFile("x.png", "这其实是一个文本文件。".encode(), "image/png"),
            "无法识别的图片文件，请上传 JPEG、PNG、GIF 或 WebP 图片。",
        ),
        (
            SimpleUploadedFile(
                "logo.svg",
                b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)">'
                b'<rect width="9"/></svg>',
                "image/svg+xml",
            ),
            "无法识别的图片文件，请上传 JPEG、PNG、GIF 或 WebP 图片。",
        ),
        (
            SimpleUploadedFile("x.bmp", image_bytes("BMP", (20, 20)), "image/bmp"),
            "只支持 JPEG、PNG、GIF、WebP 格式的图片。",
        ),
    ],
    ids=["text-renamed-png", "svg", "bmp"],
)
def test_editor_upload_refuses_files_that_are_not_accepted_images(
    staff_client, media_root, upload, message
):
    response = staff_client.post(UPLOAD, {"upload": upload})

    assert response.status_code == 400
    assert response.json() == {"error": {"message": message}}
    assert stored_files(media_root) == []


def test_editor_upload_refuses_an_image_over_the_size_limit(staff_client, settings, media_root):
    settings.PORTAL_IMAGE_MAX_BYTES = 1024
    upload = SimpleUploadedFile(
        "big.png", image_bytes("PNG", (300, 300), mode="RGB") + b"\0" * 2048
    )

    response = staff_client.post(UPLOAD, {"upload": upload})

    assert response.status_code == 400
    assert "过大" in response.json()["error"]["message"]
    assert stored_files(media_root) == []


def test_editor_upload_refuses_an_image_with_too_many_pixels(staff_client, settings, media_root):
    settings.PORTAL_IMAGE_MAX_PIXELS = 100 * 100
    response = staff_client.post(UPLOAD, {"upload": image_upload(size=(200, 100))})

    assert response.status_code == 400
    assert response.json()["error"]["message"] == "图片尺寸过大（200×100 像素）。"
    assert stored_files(media_root) == []


def test_editor_upload_without_a_file_is_a_400(staff_client):
    response = staff_client.post(UPLOAD, {})
    assert response.status_code == 400
    assert response.json()["error"]["message"] == "没有收到图片文件。"


def test_editor_upload_does_not_answer_get(staff_client):
    assert staff_client.get(UPLOAD).status_code == 405


def test_editor_upload_needs_the_csrf_token(staff_user, media_root):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(staff_user)

    refused = browser.post(UPLOAD, {"upload": image_upload()})

    assert refused.status_code == 403
    assert stored_files(media_root) == []

    # CKEditor sends the token from the cookie in a header; with it the same upload works.
    browser.get(ADD)
    token = browser.cookies["csrftoken"].value
    accepted = browser.post(UPLOAD, {"upload": image_upload()}, headers={"X-CSRFToken": token})
    assert accepted.status_code == 200
    assert json.loads(accepted.content)["url"].endswith(".png")
