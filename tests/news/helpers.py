"""What a reader sees on a page, and real image files made with Pillow."""

import io
import re
from html.parser import HTMLParser

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

# Elements a browser lays out as their own block: their edges separate words.
_BLOCK_TAGS = {
    "address", "article", "aside", "blockquote", "br", "dd", "div", "dl", "dt", "figcaption",
    "figure", "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr", "li",
    "main", "nav", "ol", "p", "pre", "section", "table", "td", "th", "tr", "ul",
}  # fmt: skip
_HIDDEN_TAGS = {"script", "style", "title", "head"}


class _TextExtractor(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts = []
        self.hidden = 0

    def handle_starttag(self, tag, attrs):
        if tag in _HIDDEN_TAGS:
            self.hidden += 1
        elif tag in _BLOCK_TAGS:
            self.parts.append("\n")

    def handle_endtag(self, tag):
        if tag in _HIDDEN_TAGS:
            self.hidden = max(0, self.hidden - 1)
        elif tag in _BLOCK_TAGS:
            self.parts.append("\n")

    def handle_data(self, data):
        if not self.hidden:
            self.parts.append(data)


def text_of(html) -> str:
    """The visible text of an HTML fragment: tags stripped, entities unescaped, spaces collapsed."""
    if not isinstance(html, str):
        html = html.content.decode()
    parser = _TextExtractor()
    parser.feed(html)
    parser.close()
    return re.sub(r"\s+", " ", "".join(parser.parts)).strip()


def assert_forbidden(response):
    """The admin's 403 page: refused on the server, not only hidden."""
    assert response.status_code == 403
    assert "没有权限" in text_of(response)


def html_of(response) -> str:
    return response.content.decode()


def region(html: str, start: str, end: str) -> str:
    """The part of ``html`` from the first ``start`` marker up to the next ``end`` marker.

    A marker inside a tag (an attribute such as ``id="x"``) starts the region at that tag.
    """
    begin = html.index(start)
    if not start.startswith("<"):
        tag_start = html.rfind("<", 0, begin)
        if tag_start > html.rfind(">", 0, begin):
            begin = tag_start
    return html[begin : html.index(end, begin + len(start))]


def main_html(response) -> str:
    """The page's main column, without header, sidebar and footer."""
    return region(html_of(response), "<main", "</main>")


def main_text(response) -> str:
    return text_of(main_html(response))


def sidebar_text(response) -> str:
    return text_of(region(html_of(response), "<aside", "</aside>"))


def image_bytes(fmt: str = "PNG", size=(800, 600), mode: str = "RGB", color="#c03") -> bytes:
    out = io.BytesIO()
    Image.new(mode, size, color).save(out, fmt)
    return out.getvalue()


def image_upload(name: str = "photo.png", fmt: str = "PNG", **kwargs) -> SimpleUploadedFile:
    content_type = {"PNG": "image/png", "JPEG": "image/jpeg", "GIF": "image/gif"}.get(fmt, "")
    return SimpleUploadedFile(name, image_bytes(fmt, **kwargs), content_type=content_type)


def change_form_data(article, **overrides) -> dict[str, str]:
    """The admin change form of ``article`` as the editor's browser submits it, unchanged."""
    local = timezone.localtime(article.publish_at)
    data = {
        "title": article.title,
        "category": str(article.category_id),
        "tags": ", ".join(sorted(article.tags.names())),
        "author": article.author,
        "body": article.body,
        "summary": article.summary,
        "source_name": article.source_name,
        "source_url": article.source_url,
        "status": article.status,
        "publish_at_0": local.strftime("%Y-%m-%d"),
        "publish_at_1": local.strftime("%H:%M:%S"),
        "_save": "保存",
    }
    if article.is_featured:
        data["is_featured"] = "on"
    data.update(overrides)
    return data
