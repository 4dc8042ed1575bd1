"""The search page as a reader sees it: ranking, count, category, snippets, highlighting."""

import re
from datetime import timedelta

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from news import templating
from news.models import Article
from news.templating import search_snippet
from search.models import SearchDocument
from tests.news.helpers import html_of, main_html, main_text

pytestmark = pytest.mark.django_db


def search(client, **params):
    return client.get(reverse("news:search"), params)


def titles(response):
    """The result titles, in order."""
    headings = re.findall(r"<h3>(.*?)</h3>", main_html(response), re.S)
    return [re.sub(r"<[^>]+>", "", h).strip() for h in headings]


def ago(**delta):
    return timezone.now() - timedelta(**delta)


def test_title_matches_come_first_then_newer(client, article_factory):
    article_factory(
        title="正文提到一", body="<p>会议要求巩固文明成果。</p>", publish_at=ago(hours=1)
    )
    article_factory(title="文明标题旧", publish_at=ago(days=3))
    article_factory(title="正文提到二", body="<p>文明实践站。</p>", publish_at=ago(days=9))
    article_factory(title="文明标题新", publish_at=ago(days=2))

    response = search(client, q="文明")

    assert "找到 4 篇相关文章" in main_text(response)
    assert titles(response) == ["文明标题新", "文明标题旧", "正文提到一", "正文提到二"]


def test_pages_continue_from_the_title_matches_into_the_others(client, article_factory):
    for n in range(10):
        article_factory(title=f"文明标题{n}", publish_at=ago(hours=n))
    for n in range(10):
        article_factory(title=f"其他稿件{n}", body="<p>文明</p>", publish_at=ago(minutes=n))

    first, second = search(client, q="文明"), search(client, q="文明", page=2)

    assert titles(first) == [f"文明标题{n}" for n in range(10)] + [f"其他稿件{n}" for n in range(5)]
    assert titles(second) == [f"其他稿件{n}" for n in range(5, 10)]
    assert search(client, q="文明", page=3).status_code == 404


def test_category_filter_narrows_the_results_and_stays_on_the_next_page(client, article_factory):
    for n in range(16):
        article_factory(title=f"财经文明{n:02d}", category="finance", publish_at=ago(hours=n))
    article_factory(title="新闻文明", category="news")

    response = search(client, q="文明", category="finance")
    text = main_text(response)

    assert "找到 16 篇相关文章" in text and "新闻文明" not in text
    assert 'href="?q=%E6%96%87%E6%98%8E&amp;category=finance&amp;page=2"' in html_of(response)
    assert '<option value="finance" selected>财经</option>' in main_html(response)
    assert titles(search(client, q="文明", category="finance", page=2)) == ["财经文明15"]


def test_unknown_category_is_explained_not_an_error(client, article_factory):
    article_factory(title="文明城区")

    response = search(client, q="文明", category="no-such-slug")

    assert response.status_code == 400
    text = main_text(response)
    assert re.findall(r'role="alert">([^<]*)<', main_html(response)) == [
        "没有这个栏目，请从列表中选择。"
    ]
    assert "文明城区" not in text and "找到" not in text


def test_full_width_and_case_are_folded_in_matching_and_highlighting(client, article_factory):
    article_factory(title="Ｇ６０科创走廊", body="<p>g60 与 G60 同时推进。</p>")

    html = main_html(search(client, q="G60"))

    assert "<mark>Ｇ６０</mark>科创走廊" in html
    assert "<mark>g60</mark> 与 <mark>G60</mark>" in html
    assert "<mark>Ｇ６０</mark>" in main_html(search(client, q="ｇ６０"))


def test_snippet_is_around_the_first_match_with_every_term_marked(client, article_factory):
    body = "开头的话。" * 30 + "松江推进文明城区创建，文明实践站遍布松江。" + "结尾。" * 30
    article_factory(title="一篇长文", body=f"<p>{body}</p>")

    html = main_html(search(client, q="文明 松江"))

    assert "开头的话。" * 10 not in html  # the snippet starts near the match
    assert (
        "<mark>松江</mark>推进<mark>文明</mark>城区创建，<mark>文明</mark>实践站遍布<mark>松江</mark>"
        in html
    )


@pytest.mark.parametrize("before", [0, 395, 398, 1590, 2500])
def test_snippet_finds_the_first_match_however_far_into_a_long_body(
    client, article_factory, before
):
    # Full-width text (folded by NFKC) up to the match, which may straddle where the
    # snippet code first stops folding; a later match must not be taken for the first.
    body = "Ｇ" * before + "松江文明" + "。" * 2000 + "文明结尾"
    article_factory(title="一篇长文", body=f"<p>{body}</p>")

    html = main_html(search(client, q="文明"))

    assert "松江<mark>文明</mark>" in html
    assert "<mark>文明</mark>结尾" not in html


def test_markup_in_the_query_and_in_the_text_is_shown_not_run(client, article_factory):
    article_factory(title="<script>标题", body="<p>代码 &lt;script&gt;alert(1) 示例</p>")

    response = search(client, q="<script>")
    html = html_of(response)

    assert "<script>标题" not in html and "<script>alert" not in html
    assert "<mark>&lt;script&gt;</mark>标题" in html
    assert "<mark>&lt;script&gt;</mark>alert(1)" in html
    assert "找到 1 篇相关文章" in main_text(response)


@pytest.mark.parametrize("query", ["", "   ", "\u3000"])
def test_empty_queries_ask_for_a_keyword(client, article_factory, query):
    article_factory(title="文明城区")
    response = search(client, q=query)
    assert response.status_code == 200
    assert "请输入要搜索的关键词。" in main_text(response)


def queries(client, **params):
    cache.clear()
    client.get(reverse("news:search"))  # the shared parts of every page are cached
    with CaptureQueriesContext(connection) as captured:
        response = search(client, **params)
    assert response.status_code == 200
    return len(captured)


def test_query_count_is_bounded_whatever_the_results_or_the_page(client, article_factory):
    for n in range(40):
        article_factory(title=f"文明{n}" if n % 2 else "其他", body="<p>文明实践</p>")

    first = queries(client, q="文明")
    deep = queries(client, q="文明", page=3)
    mixed = queries(client, q="文明 实践", category="news")
    none = queries(client, q="没有的词")

    assert max(first, deep, mixed, none) <= 6


# Characters that fold to themselves, to another (Ｇ, ６, Ｓ), to several (…, ℃, ①, ß), or
# compose with a neighbour (e and a combining accent).
SNIPPET_TEXT = "文明松江Ｇg６6…℃①ßSsＳe\u0301é。 "


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    body=st.text(SNIPPET_TEXT, min_size=1, max_size=400),
    query=st.text(SNIPPET_TEXT, min_size=1, max_size=4),
)
def test_a_snippet_is_the_same_whether_the_folded_text_comes_with_the_article_or_not(
    article_factory, body, query
):
    article = article_factory(title="标题", body=f"<p>{body}</p>")
    with_document = Article.objects.select_related("search_document").get(pk=article.pk)
    alone = Article.objects.get(pk=article.pk)
    assert templating._folded_fields(with_document) is not None  # the two ways differ

    assert search_snippet(with_document, query) == search_snippet(alone, query)


def test_a_result_whose_document_went_meanwhile_still_gets_its_snippet(article_factory):
    article = article_factory(title="标题", body="<p>开头。松江文明城区。</p>")
    SearchDocument.objects.filter(pk=article.pk).delete()  # unpublished since the search
    loaded = Article.objects.select_related("search_document").get(pk=article.pk)

    assert "松江<mark>文明</mark>城区" in search_snippet(loaded, "文明")
