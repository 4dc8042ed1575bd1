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
    "div",  # only as the editor's page break (ALLOWED_CLASSES)
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
    "div": {"page-break"},
}  # fmt: skip
# CKEditor 5's page break (the 分页符 button), stored exactly as the editor writes it: the
# editor knows a page break again only by its page-break-after style. Sanitizing drops every
# style (and the hidden span), leaving a bare <div class="page-break">; this fixed markup,
# never the submitted one, is put back in its place.
PAGE_BREAK_HTML = (
    '<div class="page-break" style="page-break-after:always;">'
    '<span style="display:none;">&nbsp;</span></div>'
)
_BARE_PAGE_BREAK = re.compile(r'<div class="page-break">[^<]*</div>')
PAGE_BREAK = re.compile(f"{re.escape(PAGE_BREAK_HTML)}|{_BARE_PAGE_BREAK.pattern}")
# Markup that shows something even without text: a page of only a picture or a rule is kept.
_SHOWS_SOMETHING = re.compile(r"<(img|hr|table)\b")
URL_SCHEMES = {"http", "https", "mailto"}

READING_CHARS_PER_MINUTE = 500

_BLOCK_BOUNDARY = re.compile(
    r"</?(p|h[1-6]|ul|ol|li|blockquote|figure|figcaption|table|caption|tr|td|th|pre|div)\b[^>]*>"
    r"|<(br|hr)\b[^>]*>",
    re.I,
)
_WHITESPACE = re.compile(r"\s+")


# A whole tag of nh3's output (its attribute values are always double-quoted), or a <pre>
# start tag followed by a line break: a "<pre>" inside an attribute value is never matched.
_OUTPUT_TAG = re.compile(r'(?P<pre><pre>)(?=\n)|<[^"<>]*(?:"[^"]*"[^"<>]*)*>')


def _keep_pre_line_break(match: re.Match) -> str:
    # HTML parsers drop a line break right after <pre>, and nh3 does not write one back:
    # without this, every save of the article would eat one more leading line break.
    return "<pre>\n" if match.group("pre") else match.group(0)


def sanitize_html(value: str) -> str:
    """Keep only the allowlisted markup: no script, event handler or javascript: URL survives.

    Characters no one types on purpose (controls, lone surrogates, bidi overrides; see
    below) are dropped: rich text is cleaned, not refused. Sanitizing the result again
    changes nothing (the stored body is sanitized on every save).
    """
    cleaned = _clean(_drop_forbidden_characters(value or ""))
    # Clean the output again until it stops changing: characters written as references
    # (java&#1;script:) are decoded by the parser and dropped only on the next pass, and
    # misnested markup (<h2> inside <h2>) is re-parsed into a different tree. Every real
    # case settles by the second or third pass; the bound only guards against a loop.
    for _pass in range(4):
        again = _clean(_drop_forbidden_characters(cleaned))
        if again == cleaned:
            break
        cleaned = again
    return cleaned


def _drop_forbidden_characters(value: str) -> str:
    # Vertical tab and form feed (Word's line and page breaks) still separate words.
    return _FORBIDDEN_CHARACTERS.sub(lambda m: " " if m.group(0) in "\x0b\x0c" else "", value)


def _clean(value: str) -> str:
    cleaned = nh3.clean(
        value,
        tags=ALLOWED_TAGS,
        # "*": none on every element (nh3 would allow lang and title everywhere).
        attributes={"*": set(), **ALLOWED_ATTRIBUTES},
        allowed_classes=ALLOWED_CLASSES,
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer",
        strip_comments=True,
    )
    if "page-break" in cleaned:
        cleaned = _BARE_PAGE_BREAK.sub(PAGE_BREAK_HTML, cleaned)
    return _OUTPUT_TAG.sub(_keep_pre_line_break, cleaned) if "<pre>" in cleaned else cleaned


def visible_text(value: str) -> str:
    """The text a reader sees, with block boundaries turned into single spaces."""
    spaced = _BLOCK_BOUNDARY.sub(lambda m: " " + m.group(0) + " ", value or "")
    text = html.unescape(nh3.clean(spaced, tags=set(), attributes={}))
    return _WHITESPACE.sub(" ", text).strip()


def split_pages(body: str) -> list[str]:
    """The pages of a sanitized body, cut at its page breaks; a page with nothing a reader
    would see (two breaks in a row, a break at the start or end) is no page. Always one
    page at least."""
    if "page-break" not in (body or ""):  # nearly every article: its body, unparsed
        return [(body or "").strip()]
    pages = [
        page.strip()
        for page in PAGE_BREAK.split(body or "")
        if visible_text(page) or _SHOWS_SOMETHING.search(page)
    ]
    return pages or [PAGE_BREAK.sub("", body or "").strip()]


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


def validate_decodable_text(value) -> None:
    """Refuse U+FFFD, what bytes that were not UTF-8 (e.g. a lone surrogate) turn into.

    Django decodes a request's malformed UTF-8 into replacement characters: a lone
    surrogate sent in a form arrives as three of them, and readers would see "���".
    """
    if isinstance(value, str) and "\ufffd" in value:
        raise ValidationError(
            _("内容含有无法识别的字符（可能是编码错误），请删除后再提交。"),
            code="undecodable_characters",
        )


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
