"""Text derived from an article's HTML body: sanitizing, visible text, counts, excerpts."""

import html
import math
import re

import nh3
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

# What the editor produces and readers may see; everything else is dropped on save.
ALLOWED_TAGS = {
    "p", "br", "h2", "h3", "h4", "strong", "b", "em", "i", "u", "s", "a",
    "ul", "ol", "li", "blockquote", "hr", "figure", "figcaption", "img",
    "table", "thead", "tbody", "tfoot", "tr", "th", "td", "caption", "code", "pre",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "img": {"src", "alt", "width", "height"},
    "td": {"colspan", "rowspan"},
    "th": {"colspan", "rowspan", "scope"},
    "ol": {"start"},
}
ALLOWED_CLASSES = {
    "figure": {"image", "table", "image-style-side", "image-style-align-left",
               "image-style-align-right", "image-style-block-align-center"},
}  # fmt: skip
URL_SCHEMES = {"http", "https", "mailto"}

READING_CHARS_PER_MINUTE = 500

_BLOCK_BOUNDARY = re.compile(
    r"</?(p|h[1-6]|ul|ol|li|blockquote|figure|figcaption|table|caption|tr|td|th|pre|div)\b[^>]*>"
    r"|<(br|hr)\b[^>]*>",
    re.I,
)
_WHITESPACE = re.compile(r"\s+")


def sanitize_html(value: str) -> str:
    """Keep only the allowlisted markup: no script, event handler or javascript: URL survives."""
    return nh3.clean(
        value or "",
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        allowed_classes=ALLOWED_CLASSES,
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer",
        strip_comments=True,
    )


def visible_text(value: str) -> str:
    """The text a reader sees, with block boundaries turned into single spaces."""
    spaced = _BLOCK_BOUNDARY.sub(lambda m: " " + m.group(0) + " ", value or "")
    text = html.unescape(nh3.clean(spaced, tags=set(), attributes={}))
    return _WHITESPACE.sub(" ", text).strip()


def count_chars(text: str) -> int:
    """字数 as Chinese portals count it: every non-whitespace character."""
    return len(_WHITESPACE.sub("", text or ""))


def reading_minutes(chars: int) -> int:
    return max(1, math.ceil(chars / READING_CHARS_PER_MINUTE))


def excerpt(text: str, length: int = 120) -> str:
    text = _WHITESPACE.sub(" ", text or "").strip()
    if len(text) <= length:
        return text
    return text[:length].rstrip() + "…"


# Characters no reader or editor types on purpose: NUL and the other C0 controls (tabs and
# line breaks aside), lone surrogates (PostgreSQL refuses them outright; a browser never
# sends them), and the bidirectional overrides and isolates that make text display in an
# order other than the one it is stored in (names and links that lie about themselves).
_FORBIDDEN_CHARACTERS = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff\u202a-\u202e\u2066-\u2069]"
)


def validate_plain_text(value) -> None:
    """Refuse control, lone surrogate and bidi-override characters in a text field."""
    if isinstance(value, str) and _FORBIDDEN_CHARACTERS.search(value):
        raise ValidationError(
            _("内容含有不允许的控制字符（如空字符或文字方向控制符），请删除后再提交。"),
            code="forbidden_characters",
        )
