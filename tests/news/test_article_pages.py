import pytest

from news.text import PAGE_BREAK_HTML, sanitize_html, split_pages

pytestmark = pytest.mark.django_db

# What CKEditor 5's 分页符 button writes into the body.
BREAK = (
    '<div class="page-break" style="page-break-after:always;">'
    '<span style="display:none;">&nbsp;</span></div>'
)


def long_article(article_factory):
    body = BREAK.join(f"<p>第{n}页：{'城市更新的故事' * 20}{n}号段落。</p>" for n in (1, 2, 3))
    return article_factory(title="三页长文：老城区的十年", body=body)


def test_a_long_article_is_read_page_by_page_with_links_between_pages(client, article_factory):
    article = long_article(article_factory)
    url = article.get_absolute_url()

    first = client.get(url).content.decode()
    assert "1号段落" in first and "2号段落" not in first
    assert f'<a href="{url}?page=2">2</a>' in first
    assert f'<a href="{url}?page=2" rel="next">下一页</a>' in first

    second = client.get(url, {"page": 2}).content.decode()
    assert "2号段落" in second and "1号段落" not in second and "3号段落" not in second
    assert f'<a href="{url}" rel="prev">上一页</a>' in second
    assert '<span class="current" aria-current="page">2</span>' in second

    last = client.get(url, {"page": 3}).content.decode()
    assert "3号段落" in last and "下一页" not in last.split('class="pagination article-pages"')[1]


def test_word_count_and_reading_time_count_the_whole_article_on_every_page(client, article_factory):
    article = long_article(article_factory)
    chars = 3 * len("第1页：" + "城市更新的故事" * 20 + "1号段落。")
    assert article.word_count == chars
    for page in (1, 2, 3):
        html = client.get(article.get_absolute_url(), {"page": page}).content.decode()
        assert f"本篇文章{chars}字,读完约{article.reading_minutes}分钟" in html


@pytest.mark.parametrize(
    "page", ["4", "0", "-1", "abc", "２", "²", "99999999999999999999", "9" * 5000]
)
def test_a_page_the_article_does_not_have_is_not_found(client, article_factory, page):
    article = long_article(article_factory)
    response = client.get(article.get_absolute_url(), {"page": page})
    assert response.status_code == 404
    assert "页" in response.content.decode()


def test_an_article_without_page_breaks_shows_no_page_links(client, article_factory):
    article = article_factory(title="一页就完的短讯")
    assert "文章分页" not in client.get(article.get_absolute_url()).content.decode()


def test_each_page_is_cached_on_its_own(client, article_factory):
    article = long_article(article_factory)
    url = article.get_absolute_url()
    client.get(url)  # page 1 cached
    assert "2号段落" in client.get(url, {"page": 2}).content.decode()
    assert "1号段落" in client.get(url).content.decode()


def test_empty_pages_from_stray_breaks_are_dropped():
    stored = sanitize_html(f"{BREAK}<p>甲</p>{BREAK}{BREAK}<p>乙</p>{BREAK}")
    assert split_pages(stored) == ["<p>甲</p>", "<p>乙</p>"]
    assert split_pages("<p>只有一页</p>") == ["<p>只有一页</p>"]
    assert split_pages("") == [""]


def test_a_page_break_is_stored_as_the_editor_reads_it_back(article_factory):
    # CKEditor 5 knows a page break only by its page-break-after style: an article edited
    # again must keep its pages.
    article = long_article(article_factory)
    assert article.body.count(PAGE_BREAK_HTML) == 2
    assert sanitize_html(article.body) == article.body


def test_a_page_break_carries_no_style_or_content_of_its_own(article_factory):
    hostile = (
        '<p>甲</p><div class="page-break" style="position:fixed;inset:0" onclick="steal()">'
        '<a href="javascript:alert(1)">点我</a></div><p>乙</p>'
    )
    article = article_factory(body=hostile)
    assert "position:fixed" not in article.body and "onclick" not in article.body
    assert "javascript:" not in article.body
