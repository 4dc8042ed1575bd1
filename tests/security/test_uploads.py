"""Hostile uploads: names, types, polyglots, decompression bombs, oversized files, and how
stored files are served. Through the editor's upload view and the admin cover field; every
refusal is a Chinese message, and nothing reaches the disk or the database."""

import io
import re
import struct
import zlib
from pathlib import Path

import pytest
from django.core.files.uploadhandler import FileUploadHandler
from django.test import Client
from django.urls import reverse
from PIL import Image

from news.models import Article
from news.uploads import SizeLimitUploadHandler
from tests.news.helpers import text_of

pytestmark = pytest.mark.django_db

UPLOAD = reverse("news:editor-image-upload")
ADD = "/admin/news/article/add/"
BOUNDARY = "portal-test-boundary-7d2f"
UNRECOGNIZED = "无法识别的图片文件，请上传 JPEG、PNG、GIF 或 WebP 图片。"
GENERATED = r"[0-9a-f]{32}\.(png|jpg|gif)"
MARKUP = (b"<script", b"<html", b"<?php")


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    """Each test stores uploads in its own empty directory, so "nothing stored" is checkable."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def editor(django_user_model):
    """A staff member who writes articles: not a superuser, only the article permissions."""
    from django.contrib.auth.models import Permission

    user = django_user_model.objects.create_user("writer", "writer@example.com", is_staff=True)
    user.user_permissions.set(
        Permission.objects.filter(
            content_type__app_label="news",
            codename__in=["add_article", "change_article", "view_article"],
        )
    )
    return user


@pytest.fixture
def editor_client(client, editor):
    client.force_login(editor)
    return client


# --- test data --------------------------------------------------------------------------


def image_bytes(fmt="PNG", size=(64, 48), **params) -> bytes:
    out = io.BytesIO()
    image = Image.new("RGB", size, "#c03")
    image.save(out, fmt, **params)
    return out.getvalue()


def png_bomb(width: int, height: int) -> bytes:
    """A valid 1-bit PNG of ``width``×``height`` white pixels: a few kB on disk, but
    ``width * height`` bytes of memory once Pillow decodes it."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    row = b"\x00" + b"\xff" * ((width + 7) // 8)
    packer = zlib.compressobj(9)
    idat = b"".join(packer.compress(row) for _ in range(height)) + packer.flush()
    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", idat) + chunk(b"IEND", b"")
    )


def multipart(fields: dict, files: list[tuple[str, bytes, bytes, str]]) -> bytes:
    """A multipart body exactly as given: file names reach the server unchanged (the test
    client would keep only their last path component)."""
    out = []
    for name, value in fields.items():
        for item in value if isinstance(value, list) else [value]:
            out.append(
                f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'
                f"{item}\r\n".encode()
            )
    for field, filename, content, content_type in files:
        out.append(
            f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="{field}"; filename="'.encode()
            + filename
            + f'"\r\nContent-Type: {content_type}\r\n\r\n'.encode()
            + content
            + b"\r\n"
        )
    out.append(f"--{BOUNDARY}--\r\n".encode())
    return b"".join(out)


def post_files(client, url, files, fields=None):
    body = multipart(fields or {}, files)
    return client.post(url, body, content_type=f"multipart/form-data; boundary={BOUNDARY}")


def stored_files(root: Path) -> list[Path]:
    return sorted(p for p in Path(root).rglob("*") if p.is_file())


def files_outside_media(media_root: Path) -> list[Path]:
    """Files written anywhere in the test's directory but the media root (a path escape)."""
    return [p for p in stored_files(media_root.parent) if media_root not in p.parents]


def article_form(category, **overrides) -> dict:
    data = {
        "title": "带封面的稿件",
        "category": str(category.pk),
        "tags": "松江",
        "author": "张记者",
        "body": "<p>正文。</p>",
        "summary": "",
        "source_name": "",
        "source_url": "",
        "status": Article.Status.DRAFT,
        "publish_at_0": "2024-05-01",
        "publish_at_1": "10:30:00",
        "_save": "保存",
    }
    data.update(overrides)
    return data


def cover_errors(response) -> list[str]:
    return list(response.context["adminform"].form.errors.get("cover", []))


# --- hostile names and types ------------------------------------------------------------

PNG = image_bytes("PNG")
SVG = b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><rect width="9"/></svg>'
HTML = b"<html><body><script>alert(document.cookie)</script></body></html>"
PHP = b"<?php system($_GET['c']); ?>"

# (uploaded name, content, content type): what an attacker can pick freely.
REFUSED = {
    "svg": (b"logo.svg", SVG, "image/svg+xml"),
    "svg-named-png": (b"logo.png", SVG, "image/png"),
    "html": (b"page.html", HTML, "text/html"),
    "html-named-jpg": (b"photo.jpg", HTML, "image/jpeg"),
    "php": (b"shell.php", PHP, "application/x-php"),
    "php-named-gif": (b"shell.php.gif", b"GIF89a" + PHP, "image/gif"),
}
# Real PNGs under hostile names: stored under a generated name ending in .png.
RENAMED = {
    "png-named-html": b"x.html",
    "png-named-php": b"shell.php",
    "png-named-svg": b"logo.svg",
    "parent-dirs": b"../../x",
    "parent-dirs-backslash": b"..\\..\\x.png",
    "absolute": b"/etc/cron.d/x.png",
    "300-chars": b"a" * 296 + b".png",
    "nul": b"shell.php\x00.png",
    "nul-only": b"\x00",
    "dotdot": b"..",
    "chinese": "现场 照片(1).png".encode(),
}


@pytest.mark.parametrize(("filename", "content", "content_type"), REFUSED.values(), ids=REFUSED)
def test_editor_upload_refuses_what_is_not_an_image_whatever_its_name(
    editor_client, media_root, filename, content, content_type
):
    response = post_files(editor_client, UPLOAD, [("upload", filename, content, content_type)])

    assert response.status_code == 400
    assert response.json() == {"error": {"message": UNRECOGNIZED}}
    assert stored_files(media_root.parent) == []


@pytest.mark.parametrize("filename", RENAMED.values(), ids=RENAMED)
def test_editor_upload_stores_a_real_image_under_a_generated_name_whatever_its_name(
    editor_client, editor, media_root, filename
):
    response = post_files(editor_client, UPLOAD, [("upload", filename, PNG, "image/png")])

    if filename in (b"\x00", b".."):  # no usable name at all: Django drops the file
        assert response.status_code == 400
        assert response.json()["error"]["message"] == "没有收到图片文件。"
        assert stored_files(media_root.parent) == []
        return
    assert response.status_code == 200
    url = response.json()["url"]
    assert re.fullmatch(rf"/media/uploads/{editor.pk}/{GENERATED}", url)
    (stored,) = stored_files(media_root)
    assert stored == media_root / url.removeprefix("/media/")
    assert stored.suffix == ".png"
    assert files_outside_media(media_root) == []
    with Image.open(stored) as image:
        assert (image.format, image.size) == ("PNG", (64, 48))


@pytest.mark.parametrize(("filename", "content", "content_type"), REFUSED.values(), ids=REFUSED)
def test_admin_cover_refuses_what_is_not_an_image_whatever_its_name(
    client, editor, categories, media_root, filename, content, content_type
):
    client.force_login(editor)
    form = article_form(categories["news"])

    response = post_files(client, ADD, [("cover", filename, content, content_type)], form)

    assert response.status_code == 200
    errors = cover_errors(response)
    assert errors and all("图片" in error for error in errors)
    assert errors[0] in text_of(response)  # shown to the editor, next to the field
    assert not Article.objects.exists()
    assert stored_files(media_root.parent) == []


@pytest.mark.parametrize("filename", RENAMED.values(), ids=RENAMED)
def test_admin_cover_stores_a_real_image_under_a_generated_name_whatever_its_name(
    client, editor, categories, media_root, filename
):
    client.force_login(editor)
    form = article_form(categories["news"])

    response = post_files(client, ADD, [("cover", filename, PNG, "image/png")], form)

    assert response.status_code == 302, cover_errors(response)
    article = Article.objects.get()
    if filename in (b"\x00", b".."):  # no usable name: no file, so no cover
        assert article.cover.name == ""
        assert stored_files(media_root.parent) == []
        return
    assert re.fullmatch(rf"covers/\d{{4}}/\d{{2}}/{GENERATED}", article.cover.name)
    assert article.cover.name.endswith(".png")
    assert (media_root / article.cover.name) in stored_files(media_root)
    assert files_outside_media(media_root) == []


def test_changing_an_article_with_a_bad_cover_changes_nothing(
    client, editor, article_factory, media_root
):
    article = article_factory(title="原来的标题", status=Article.Status.DRAFT)
    client.force_login(editor)
    form = article_form(article.category, title="改过的标题")

    response = post_files(
        client,
        f"/admin/news/article/{article.pk}/change/",
        [("cover", b"x.png", SVG, "image/png")],
        form,
    )

    assert response.status_code == 200
    assert cover_errors(response)
    article.refresh_from_db()
    assert (article.title, article.cover.name) == ("原来的标题", "")
    assert stored_files(media_root.parent) == []


# --- decompression bombs ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("width", "height", "message"),
    [
        (20000, 20000, "图片尺寸过大：不能超过 4000 万像素。"),
        (8000, 8000, "图片尺寸过大（8000×8000 像素）。"),
    ],
    ids=["20000x20000", "8000x8000"],
)
def test_decompression_bomb_is_refused_without_decoding_it(
    editor_client, media_root, width, height, message
):
    bomb = png_bomb(width, height)
    assert len(bomb) < 100_000  # small to send, hundreds of MB once decoded
    decoded_before = Image.core.get_stats()["new_count"]  # images Pillow allocated

    response = post_files(editor_client, UPLOAD, [("upload", b"bomb.png", bomb, "image/png")])

    assert response.status_code == 400
    assert response.json() == {"error": {"message": message}}
    assert Image.core.get_stats()["new_count"] == decoded_before  # no pixel memory taken
    assert stored_files(media_root.parent) == []


def test_decompression_bomb_as_a_cover_is_refused(client, editor, categories, media_root):
    client.force_login(editor)
    bomb = png_bomb(20000, 20000)

    response = post_files(
        client, ADD, [("cover", b"bomb.png", bomb, "image/png")], article_form(categories["news"])
    )

    assert response.status_code == 200
    assert cover_errors(response) == ["图片尺寸过大：不能超过 4000 万像素。"]
    assert not Article.objects.exists()
    assert stored_files(media_root.parent) == []


def test_animated_gif_with_too_many_frames_is_refused(editor_client, settings, media_root):
    settings.PORTAL_IMAGE_MAX_PIXELS = 100 * 100 * 5
    frames = [Image.new("RGB", (100, 100), color) for color in ("red", "green", "blue") * 3]
    out = io.BytesIO()
    frames[0].save(out, "GIF", save_all=True, append_images=frames[1:])

    response = post_files(editor_client, UPLOAD, [("upload", b"a.gif", out.getvalue(), "")])

    assert response.status_code == 400
    assert response.json()["error"]["message"] == (
        "动图过大（9 帧，每帧 100×100 像素），请减少帧数或缩小尺寸。"
    )
    assert stored_files(media_root) == []


# --- polyglots --------------------------------------------------------------------------

PAYLOAD = b"<html><script>alert(document.domain)</script></html>"
POLYGLOTS = {
    "gif+html": (b"a.gif", image_bytes("GIF") + PAYLOAD, "GIF"),
    "jpeg+html": (b"a.jpg", image_bytes("JPEG") + PAYLOAD, "JPEG"),
    "png+html": (b"a.png", image_bytes("PNG") + PAYLOAD, "PNG"),
    "gif-comment": (b"a.gif", image_bytes("GIF", comment=PAYLOAD), "GIF"),
    "jpeg-comment": (b"a.jpg", image_bytes("JPEG", comment=PAYLOAD), "JPEG"),
    "jpeg-exif": (b"a.jpg", image_bytes("JPEG", exif=b"Exif\0\0" + PAYLOAD), "JPEG"),
    "webp-xmp": (b"a.webp", image_bytes("WEBP", xmp=PAYLOAD), "WEBP"),
}


@pytest.mark.parametrize(("filename", "content", "fmt"), POLYGLOTS.values(), ids=POLYGLOTS)
def test_polyglot_image_is_stored_re_encoded_without_its_markup(
    editor_client, media_root, filename, content, fmt
):
    assert b"<script" in content

    response = post_files(editor_client, UPLOAD, [("upload", filename, content, "image/png")])

    assert response.status_code == 200
    (stored,) = stored_files(media_root)
    data = stored.read_bytes()
    assert not [marker for marker in MARKUP if marker in data.lower()]
    with Image.open(stored) as image:
        assert (image.format, image.size) == (fmt, (64, 48))


def test_polyglot_cover_is_stored_re_encoded_without_its_markup(
    client, editor, categories, media_root
):
    client.force_login(editor)
    polyglot = image_bytes("JPEG", comment=PAYLOAD) + PAYLOAD

    response = post_files(
        client,
        ADD,
        [("cover", b"cover.jpg", polyglot, "image/jpeg")],
        article_form(categories["news"]),
    )

    assert response.status_code == 302, cover_errors(response)
    cover = media_root / Article.objects.get().cover.name
    assert cover.suffix == ".jpg"
    data = cover.read_bytes()
    assert not [marker for marker in MARKUP if marker in data.lower()]


# --- size limit -------------------------------------------------------------------------

received: list[int] = []


class CountingHandler(FileUploadHandler):
    """Placed after the size limit: counts the bytes of each file it is handed."""

    def new_file(self, *args, **kwargs):
        super().new_file(*args, **kwargs)
        received.append(0)

    def receive_data_chunk(self, raw_data, start):
        received[-1] += len(raw_data)
        return raw_data

    def file_complete(self, file_size):
        return None


@pytest.fixture
def counted(settings):
    """The project's handlers, with a counter right after the size limit."""
    handlers = list(settings.FILE_UPLOAD_HANDLERS)
    assert handlers[0] == "news.uploads.SizeLimitUploadHandler"
    settings.FILE_UPLOAD_HANDLERS = [handlers[0], f"{__name__}.CountingHandler", *handlers[1:]]
    received.clear()
    return received


@pytest.mark.parametrize("megabytes", [1, 4], ids=["in-memory", "temporary-file"])
def test_oversized_upload_is_dropped_as_it_streams_and_refused_in_chinese(
    editor_client, settings, media_root, counted, megabytes
):
    settings.PORTAL_IMAGE_MAX_BYTES = 200_000
    big = image_bytes("PNG", (600, 400)) + b"\0" * (megabytes * 1024 * 1024)

    response = post_files(editor_client, UPLOAD, [("upload", b"big.png", big, "image/png")])

    assert response.status_code == 400
    assert response.json() == {"error": {"message": "图片过大：不能超过 0.2 MB。"}}
    # The memory and temporary-file handlers were given no more than the limit.
    assert len(counted) == 1 and counted[0] <= settings.PORTAL_IMAGE_MAX_BYTES
    assert stored_files(media_root.parent) == []


def test_upload_within_the_limit_passes_the_size_handler_whole(
    editor_client, settings, media_root, counted
):
    settings.PORTAL_IMAGE_MAX_BYTES = 200_000
    data = image_bytes("PNG", (300, 200))

    response = post_files(editor_client, UPLOAD, [("upload", b"ok.png", data, "image/png")])

    assert response.status_code == 200
    assert counted == [len(data)]
    assert len(stored_files(media_root)) == 1


def test_oversized_cover_is_refused_in_chinese_and_the_form_keeps_the_rest(
    client, editor, categories, settings, media_root, counted
):
    settings.PORTAL_IMAGE_MAX_BYTES = 200_000
    client.force_login(editor)
    big = image_bytes("PNG", (600, 400)) + b"\0" * 3_000_000
    form = article_form(categories["news"], title="封面太大的稿件")

    response = post_files(client, ADD, [("cover", b"big.png", big, "image/png")], form)

    assert response.status_code == 200
    assert cover_errors(response) == ["图片过大：不能超过 0.2 MB。"]
    assert "图片过大：不能超过 0.2 MB。" in text_of(response)
    assert 'value="封面太大的稿件"' in response.content.decode()  # nothing typed is lost
    assert len(counted) == 1 and counted[0] <= settings.PORTAL_IMAGE_MAX_BYTES
    assert not Article.objects.exists()
    assert stored_files(media_root.parent) == []


def test_size_handler_refuses_a_file_that_declares_its_length_before_reading_it(rf, settings):
    settings.PORTAL_IMAGE_MAX_BYTES = 1000
    handler = SizeLimitUploadHandler(rf.post("/"))
    handler.new_file("upload", "big.png", "image/png", 5000)

    assert handler.receive_data_chunk(b"\x89PNG", 0) is None
    too_big = handler.file_complete(4)
    assert too_big.name == "big.png"
    with pytest.raises(Exception, match="图片过大"):
        too_big.read()


# --- who may upload ---------------------------------------------------------------------


def upload_as(client):
    return post_files(client, UPLOAD, [("upload", b"x.png", PNG, "image/png")])


def test_editor_upload_refuses_anonymous_visitors(client, media_root):
    response = upload_as(client)

    assert response.status_code == 403
    assert response.json() == {"error": {"message": "只有编辑人员可以上传图片。"}}
    assert stored_files(media_root.parent) == []


def test_editor_upload_refuses_logged_in_readers(client, reader_user, media_root):
    client.force_login(reader_user)

    response = upload_as(client)

    assert response.status_code == 403
    assert response.json() == {"error": {"message": "只有编辑人员可以上传图片。"}}
    assert stored_files(media_root.parent) == []


def test_editor_upload_refuses_staff_who_may_not_write_articles(
    client, django_user_model, media_root
):
    from django.contrib.auth.models import Permission

    moderator = django_user_model.objects.create_user("moderator", is_staff=True)
    moderator.user_permissions.set(
        Permission.objects.filter(codename__in=["view_article", "change_comment"])
    )
    client.force_login(moderator)

    response = upload_as(client)

    assert response.status_code == 403
    assert response.json() == {"error": {"message": "只有编辑人员可以上传图片。"}}
    assert stored_files(media_root.parent) == []


@pytest.mark.parametrize("codename", ["add_article", "change_article"])
def test_editor_upload_accepts_staff_who_may_add_or_change_articles(
    client, django_user_model, media_root, codename
):
    from django.contrib.auth.models import Group, Permission

    writers, _ = Group.objects.get_or_create(name="撰稿人")  # made by news 0004_roles
    writers.permissions.set(Permission.objects.filter(codename=codename))
    writer = django_user_model.objects.create_user("writer2", is_staff=True)
    writer.groups.add(writers)
    client.force_login(writer)

    response = upload_as(client)

    assert response.status_code == 200
    assert len(stored_files(media_root)) == 1


def test_editor_upload_without_the_csrf_token_is_refused(editor, media_root):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(editor)

    response = upload_as(browser)

    assert response.status_code == 403
    assert "CSRF" in response.content.decode()
    assert stored_files(media_root.parent) == []


def test_editor_upload_with_a_forged_csrf_token_is_refused(editor, media_root):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(editor)
    browser.get(ADD)
    body = multipart({}, [("upload", b"x.png", PNG, "image/png")])

    response = browser.post(
        UPLOAD,
        body,
        content_type=f"multipart/form-data; boundary={BOUNDARY}",
        headers={"X-CSRFToken": "x" * 32},
    )

    assert response.status_code == 403
    assert stored_files(media_root.parent) == []


# --- serving stored files ---------------------------------------------------------------


def test_stored_upload_is_served_as_an_image_with_nosniff(editor_client):
    url = upload_as(editor_client).json()["url"]

    response = Client().get(url)

    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Disposition"].startswith("inline")  # shown, not downloaded
    with Image.open(io.BytesIO(b"".join(response.streaming_content))) as image:
        assert image.format == "PNG"


@pytest.mark.parametrize(
    "name",
    ["x.html", "x.htm", "x.svg", "x.xml", "x.js", "x.txt", "x.php", "x.HTML", "x", "x.html.gz"],
)
def test_media_file_that_is_not_an_image_is_never_served_as_a_page(client, media_root, name):
    """However it got there (an old upload, a restored backup), it is only offered as a download."""
    (media_root / "uploads").mkdir(parents=True)
    (media_root / "uploads" / name).write_bytes(HTML)

    response = client.get(f"/media/uploads/{name}")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/octet-stream"
    assert response["Content-Disposition"] == "attachment"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "Content-Encoding" not in response
    assert "sandbox" in response["Content-Security-Policy"]


@pytest.mark.parametrize(
    "path",
    ["/media/../portal/settings.py", "/media/%2e%2e/%2e%2e/etc/passwd", "/media/uploads/",
     "/media/missing.png", "/media/..%5c..%5cx.png"],
)  # fmt: skip
def test_media_paths_outside_the_uploads_or_missing_are_not_found(media_root, path):
    (media_root / "uploads").mkdir(parents=True)
    browser = Client(raise_request_exception=False)

    response = browser.get(path)

    assert response.status_code in (400, 404)
    assert b"SECRET_KEY" not in response.content
