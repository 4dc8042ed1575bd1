"""字数, reading time, visible text, excerpts and the HTML allowlist of article bodies."""

import pytest

from news.text import count_chars, excerpt, reading_minutes, sanitize_html, visible_text


def word_count(html: str) -> int:
    """字数 as the article page shows it: non-whitespace characters of the visible text."""
    return count_chars(visible_text(html))


# --- 字数 -------------------------------------------------------------------------------


def test_word_count_counts_each_chinese_character_and_punctuation_mark():
    assert word_count("<p>松江举行文明城区建设推进会。</p>") == 14


def test_word_count_counts_latin_letters_and_digits_one_by_one_and_skips_spaces():
    # G60科创走廊 (7) + 2024 (4) + 年产值增长 (5) + 5.6% (4)
    assert word_count("<p>G60科创走廊 2024 年产值增长 5.6%</p>") == 20


def test_word_count_ignores_markup_and_counts_entities_as_the_character_they_show():
    # &amp; is one visible "&"; &nbsp; is a space and does not count.
    assert word_count("<p><strong>甲</strong>&amp;<em>乙</em>&nbsp;丙</p>") == 4


def test_word_count_ignores_link_targets_image_attributes_and_script_code():
    body = (
        '<p><a href="https://example.com/a/very/long/path">链接</a></p>'
        '<figure class="image"><img src="/media/a.png" alt="很长的替代文字"></figure>'
        "<script>var secret = 1;</script>"
    )
    assert word_count(body) == 2


def test_word_count_of_an_empty_body_is_zero():
    assert word_count("") == 0
    assert word_count("<p>&nbsp;</p><p> </p>") == 0


@pytest.mark.parametrize(
    ("chars", "minutes"),
    [(0, 1), (1, 1), (500, 1), (501, 2), (1200, 3), (2082, 5)],
)
def test_reading_minutes_round_up_at_500_characters_a_minute_and_never_show_zero(chars, minutes):
    assert reading_minutes(chars) == minutes


# --- visible text -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ("<p>第一段</p><p>第二段</p>", "第一段 第二段"),
        ("<h2>小标题</h2><p>正文</p>", "小标题 正文"),
        ("<ul><li>一</li><li>二</li></ul>", "一 二"),
        ("<p>一行<br>二行</p>", "一行 二行"),
        ("<table><tr><td>甲</td><td>乙</td></tr><tr><td>丙</td></tr></table>", "甲 乙 丙"),
        ("<blockquote><p>引文</p></blockquote><p>评论</p>", "引文 评论"),
    ],
)
def test_visible_text_separates_blocks_so_their_words_do_not_run_together(body, expected):
    assert visible_text(body) == expected


def test_visible_text_keeps_inline_markup_inside_one_word():
    assert visible_text("<p>文<strong>明</strong>城<a href='https://x.cn'>区</a></p>") == "文明城区"


def test_visible_text_unescapes_entities_and_collapses_whitespace():
    assert visible_text("<p>  A&amp;B \n\n &lt;C&gt;&nbsp;&nbsp;D </p>") == "A&B <C> D"


def test_visible_text_separates_a_list_item_from_its_nested_list():
    body = "<ul><li>要点一<ul><li>细节甲</li></ul></li><li>要点二</li></ul>"
    assert visible_text(body) == "要点一 细节甲 要点二"


# --- excerpt ----------------------------------------------------------------------------


def test_excerpt_keeps_short_text_whole():
    assert excerpt("松江举行文明城区建设推进会", 120) == "松江举行文明城区建设推进会"


def test_excerpt_cuts_long_text_at_the_length_and_marks_the_cut():
    text = "文" * 200
    assert excerpt(text, 120) == "文" * 120 + "…"


def test_excerpt_collapses_whitespace_and_does_not_end_in_a_space_before_the_ellipsis():
    assert excerpt("第一段\n\n第二段   第三段", 100) == "第一段 第二段 第三段"
    assert excerpt("一二三四 五六七八", 5) == "一二三四…"


# --- sanitizing -------------------------------------------------------------------------


def test_sanitize_removes_script_elements_with_their_code():
    cleaned = sanitize_html("<p>正文</p><script>alert('x')</script><SCRIPT SRC=//evil.js></SCRIPT>")
    assert cleaned == "<p>正文</p>"


@pytest.mark.parametrize(
    "body",
    [
        '<p onclick="alert(1)">正文</p>',
        '<img src="/media/a.png" onerror="alert(1)">',
        '<a href="https://example.com/" onmouseover="alert(1)">链接</a>',
        '<figure class="image" onload="alert(1)"><img src="/a.png"></figure>',
    ],
)
def test_sanitize_removes_event_handler_attributes(body):
    cleaned = sanitize_html(body)
    assert "alert" not in cleaned
    assert " on" not in cleaned


@pytest.mark.parametrize(
    "body",
    [
        '<a href="javascript:alert(1)">链接</a>',
        '<a href="JaVaScRiPt:alert(1)">链接</a>',
        '<a href=" javascript:alert(1)">链接</a>',
        '<a href="java&#09;script:alert(1)">链接</a>',
        '<a href="vbscript:msgbox(1)">链接</a>',
        '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">链接</a>',
        '<img src="javascript:alert(1)">',
        '<img src="data:image/svg+xml;base64,PHN2Zz48L3N2Zz4=">',
    ],
)
def test_sanitize_drops_script_and_data_urls_from_links_and_images(body):
    cleaned = sanitize_html(body).lower()
    assert "href=" not in cleaned
    assert "src=" not in cleaned
    assert "script" not in cleaned
    assert "data:" not in cleaned


@pytest.mark.parametrize(
    ("body", "banned"),
    [
        ('<iframe src="https://evil.example/"></iframe>', "<iframe"),
        ("<style>body{display:none}</style><p>正文</p>", "display:none"),
        ('<object data="movie.swf"></object>', "<object"),
        ('<embed src="movie.swf">', "<embed"),
        ('<form action="https://evil.example/"><input name="pw"></form>', "<input"),
        ('<p style="position:fixed;top:0">正文</p>', "style="),
        ("<p>正文</p><!-- 编辑备注:不要发布 -->", "编辑备注"),
    ],
)
def test_sanitize_removes_elements_and_attributes_outside_the_allowlist(body, banned):
    assert banned not in sanitize_html(body)


@pytest.mark.parametrize(
    "markup",
    [
        "<p>正文<strong>重点</strong><em>强调</em></p>",
        "<h2>小标题</h2><h3>三级标题</h3>",
        '<p><a href="https://www.songjiang.gov.cn/" rel="noopener noreferrer">区政府网站</a></p>',
        '<p><a href="/article/1/" rel="noopener noreferrer">站内文章</a></p>',
        '<figure class="image"><img src="/media/uploads/1/a.png" alt="现场" '
        'width="600" height="400"><figcaption>推进会现场</figcaption></figure>',
        '<figure class="image"><img src="https://img.example.com/a.jpg"></figure>',
        "<table><thead><tr><th>指标</th><th>数值</th></tr></thead>"
        '<tbody><tr><td colspan="2">合计</td></tr></tbody></table>',
        "<ul><li>一</li></ul><ol><li>二</li></ol><blockquote><p>引文</p></blockquote>",
    ],
)
def test_sanitize_keeps_the_markup_the_editor_produces(markup):
    assert sanitize_html(markup) == markup


def test_sanitize_keeps_only_the_allowed_figure_classes():
    cleaned = sanitize_html('<figure class="image evil-overlay"><img src="/a.png"></figure>')
    assert cleaned == '<figure class="image"><img src="/a.png"></figure>'


def test_sanitize_marks_links_noopener():
    cleaned = sanitize_html('<a href="https://example.com/">外链</a>')
    assert cleaned == '<a href="https://example.com/" rel="noopener noreferrer">外链</a>'


@pytest.mark.parametrize(
    "body",
    [
        '<p onclick="x()">甲&amp;乙&nbsp;<a href="https://e.cn/">链</a></p><script>x</script>',
        "<table><tr><td>甲</td></tr></table>",
        '<figure class="image other"><img src="/a.png" onerror="x">'
        "<figcaption>注</figcaption></figure>",
        "<p>未闭合<strong>段落",
        "<p>1 &lt; 2 &gt; 0 \"引号\" '单引号'</p>",
    ],
)
def test_sanitizing_twice_changes_nothing(body):
    once = sanitize_html(body)
    assert sanitize_html(once) == once


def test_sanitize_of_nothing_is_empty():
    assert sanitize_html("") == ""
    assert sanitize_html(None) == ""
