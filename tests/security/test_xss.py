"""The article body against an XSS corpus: what the admin stores and readers get is inert."""

import pytest
from django.conf import settings
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from news.models import Article
from news.text import ALLOWED_ATTRIBUTES, ALLOWED_CLASSES, ALLOWED_TAGS, sanitize_html
from tests.news.helpers import change_form_data, html_of, region
from tests.security.helpers import (
    active_content,
    change_url,
    load_payloads,
    parse,
)

PAYLOADS = load_payloads()
BATCH = 25


def disallowed_markup(html: str) -> list[str]:
    """Elements, attributes or classes of a stored body outside the sanitizer's allowlist."""
    found = []
    for tag, attrs in parse(html).elements:
        if tag not in ALLOWED_TAGS:
            found.append(f"<{tag}>")
        allowed = set(ALLOWED_ATTRIBUTES.get(tag, ())) | ({"rel"} if tag == "a" else set())
        classes = set(attrs.pop("class", "").split()) if tag in ALLOWED_CLASSES else set()
        found += [f"<{tag} {name}>" for name in attrs if name not in allowed]
        found += [f'<{tag} class="{c}">' for c in classes - ALLOWED_CLASSES.get(tag, set())]
    return found


# --- the corpus -------------------------------------------------------------------------


def test_corpus_covers_script_handlers_urls_css_and_mutation_xss():
    assert len(PAYLOADS) >= 150
    for vector in [
        "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
        "<svg><style><img src=x onerror=alert(1)></style></svg>",
        '<noscript><p title="</noscript><img src=x onerror=alert(1)>">',
        '<a href="java&#x09;script:alert(1)">x</a>',
        '<a href="vbscript:msgbox(1)">x</a>',
        '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">x</a>',
    ]:
        assert vector in PAYLOADS
    assert any("\t" in p for p in PAYLOADS) and any("\x00" in p for p in PAYLOADS)


@pytest.mark.parametrize("payload", PAYLOADS)
def test_sanitizer_leaves_nothing_active_of_a_payload(payload):
    body = sanitize_html(payload)

    assert active_content(body) == []
    assert disallowed_markup(body) == []
    assert sanitize_html(body) == body


# --- through the admin, as an editor's browser would post it ----------------------------


def test_payloads_posted_as_the_body_of_the_admin_change_form_are_stored_inert(
    staff_client, article_factory
):
    article = article_factory(title="安全测试稿件", tags=["安全"], source_name="本网")
    for start in range(0, len(PAYLOADS), BATCH):
        batch = PAYLOADS[start : start + BATCH]
        body = "\n".join(f"<p>第{start + n}条</p>{payload}" for n, payload in enumerate(batch))

        response = staff_client.post(
            change_url(article), change_form_data(article, body=body, summary="")
        )

        assert response.status_code == 302, response.context["adminform"].form.errors
        article.refresh_from_db()
        assert f"第{start}条" in article.body_text  # the batch was stored, not refused
        assert active_content(article.body) == [], batch
        assert disallowed_markup(article.body) == [], batch
        assert sanitize_html(article.body) == article.body
        assert (article.title, article.source_name) == ("安全测试稿件", "本网")


def test_every_payload_on_the_article_page_is_shown_inert(client, article_factory):
    article = article_factory(body="<p>正文开头</p>" + "\n".join(PAYLOADS))

    page = html_of(client.get(article.get_absolute_url()))
    body = region(page, '<div class="article-body">', "<footer")

    assert "正文开头" in body
    assert active_content(body) == []
    assert "alert(" not in "".join(parse(page).scripts)


def test_links_keep_their_web_address_and_lose_only_script_urls(staff_client, article_factory):
    article = article_factory()
    body = (
        '<p><a href="https://example.com/a?b=1&amp;c=2">官网</a>'
        '<a href="JaVa&#x09;ScRiPt:alert(1)">恶意</a>'
        '<img src="/media/uploads/1/a.png" alt="图"></p>'
    )

    staff_client.post(change_url(article), change_form_data(article, body=body, summary=""))

    article.refresh_from_db()
    assert article.body == (
        '<p><a href="https://example.com/a?b=1&amp;c=2" rel="noopener noreferrer">官网</a>'
        '<a rel="noopener noreferrer">恶意</a><img src="/media/uploads/1/a.png" alt="图"></p>'
    )
    assert article.body_text == "官网恶意"


# --- properties over random HTML-ish text -----------------------------------------------

HOSTILE_TAGS = {"script", "style", "svg", "math", "mtext", "mglyph", "noscript", "textarea",
                "title", "iframe", "form", "template", "xmp", "div", "object", "embed", "base",
                "meta", "link", "select"}  # fmt: skip
TAGS = sorted(ALLOWED_TAGS | HOSTILE_TAGS)
ATTRIBUTES = ["href", "src", "onerror", "onclick", "title", "alt", "class", "style", "colspan",
              "start", "rel", "srcdoc", "xlink:href", "formaction"]  # fmt: skip
VALUES = ['"javascript:alert(1)"', "java&#x09;script:alert(1)", "'vbscript:x'",
          '"data:text/html,x"', '" javascript:x"', "https://example.com/?a=1&b=2", '"></p>',
          "x", '"&quot;"', '"image"', "1", "&#106;avascript:x"]  # fmt: skip
html_ish = st.lists(
    st.one_of(
        st.sampled_from([f"<{t}" for t in TAGS] + [f"<{t}>" for t in TAGS]),
        st.sampled_from([f"</{t}>" for t in TAGS]),
        st.sampled_from([f" {a}=" for a in ATTRIBUTES]),
        st.sampled_from(VALUES),
        st.sampled_from(
            [
                ">",
                "/>",
                "<",
                "&",
                "&amp;",
                "&lt;",
                "&#",
                "&#1;",
                "&#x202e;",
                "<!--",
                "-->",
                "<!",
                "<?",
                "<![CDATA[",
                "]]>",
                '"',
                "'",
                "=",
                " ",
                "\n",
                "\t",
                "\x00",
                "\x0b",
                "\u202e",
                "\ud800",
                "\ufffd",
            ]
        ),  # fmt: skip
        st.text(max_size=6),
    ),
    max_size=40,
).map("".join)
PROPERTY_SETTINGS = hypothesis_settings(
    max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)


@PROPERTY_SETTINGS
@given(html_ish)
def test_sanitizing_twice_changes_nothing(value):
    once = sanitize_html(value)
    assert sanitize_html(once) == once


@PROPERTY_SETTINGS
@given(html_ish)
def test_sanitized_html_never_holds_active_content(value):
    body = sanitize_html(value)
    assert active_content(body) == []
    assert disallowed_markup(body) == []


def test_a_pre_block_keeps_its_leading_blank_line_however_often_it_is_saved(article_factory):
    article = article_factory(body="<pre>\n\n第一行</pre>")

    for _ in range(3):
        article.save()

    article.refresh_from_db()
    assert article.body == "<pre>\n\n第一行</pre>"


def test_invisible_characters_are_dropped_from_the_body(article_factory):
    article = article_factory(body="<p>正\u202e文\x01内容\x0b第二行</p>")
    assert article.body == "<p>正文内容 第二行</p>"


# --- the editor -------------------------------------------------------------------------

RAW_HTML_PLUGINS = {"SourceEditing", "HtmlEmbed", "GeneralHtmlSupport", "Style", "FullPage",
                    "MediaEmbed", "Markdown"}  # fmt: skip


def _toolbar_items(config) -> list[str]:
    toolbar = config.get("toolbar", [])
    items = toolbar.get("items", []) if isinstance(toolbar, dict) else toolbar
    nested = [
        item
        for key in ("image", "table", "blockToolbar")
        for item in (
            config.get(key, {}).get("toolbar", []) if isinstance(config.get(key), dict) else []
        )
    ]
    return [str(item) for item in [*items, *nested]]


@pytest.mark.parametrize("name", sorted(settings.CKEDITOR_5_CONFIGS))
def test_editor_offers_no_raw_html_feature(name):
    config = settings.CKEDITOR_5_CONFIGS[name]
    buttons = {item.lower() for item in _toolbar_items(config)}

    assert not buttons & {"sourceediting", "htmlembed", "mediaembed", "style", "showblocks"}
    assert "htmlSupport" not in config and "htmlEmbed" not in config
    assert "mediaEmbed" not in config  # no previewsInData: no embedded provider HTML
    # django-ckeditor-5 builds every plugin in: these are switched off, not just hidden.
    assert RAW_HTML_PLUGINS <= set(config.get("removePlugins", []))
    assert not set(config.get("extraPlugins", [])) & RAW_HTML_PLUGINS


def test_admin_editor_is_configured_without_raw_html_plugins(staff_client):
    html = html_of(staff_client.get("/admin/news/article/add/"))

    config = region(html, 'id="id_body_script-span"', "</span>")

    assert '"removePlugins"' in config
    for plugin in RAW_HTML_PLUGINS:
        assert f"&quot;{plugin}&quot;" in config or f'"{plugin}"' in config
    assert Article.objects.count() == 0
