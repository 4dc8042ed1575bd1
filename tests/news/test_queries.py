"""Reader pages cost a fixed number of queries, however many articles, tags and comments exist.

The upper bounds are today's budgets: the header's navigation and the sidebar (hot list and
each category's lead, two queries a category) come on top of what a page itself needs.
"""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

pytestmark = pytest.mark.django_db


def query_count(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def add_articles(article_factory, n, **fields):
    """``n`` articles spread over the three categories, each with two tags."""
    slugs = ["news", "finance", "industry"]
    return [
        article_factory(category=slugs[i % 3], tags=[f"批量标签{i % 7}", "批量"], **fields)
        for i in range(n)
    ]


def test_home_page_queries_do_not_grow_with_articles(
    client, article_factory, django_assert_max_num_queries
):
    add_articles(article_factory, 2)
    article_factory(is_featured=True)
    few = query_count(client, "/")

    add_articles(article_factory, 27, is_featured=False)
    add_articles(article_factory, 3, is_featured=True)
    many = query_count(client, "/")

    assert many == few
    with django_assert_max_num_queries(8):
        client.get("/")


def test_category_page_queries_do_not_grow_with_articles(
    client, article_factory, django_assert_max_num_queries
):
    for _ in range(3):
        article_factory(category="news", tags=["甲"])
    few = query_count(client, "/category/news/?page=1")

    for n in range(30):
        article_factory(category="news", tags=["甲", f"乙{n}", f"丙{n}"])
    many = query_count(client, "/category/news/?page=1")

    assert many == few
    with django_assert_max_num_queries(12):
        client.get("/category/news/")


def test_article_page_queries_do_not_grow_with_articles_tags_or_comments(
    client, article_factory, comment_factory, django_assert_max_num_queries
):
    current = article_factory(category="news", tags=["文明"])
    article_factory(category="news", tags=["文明"])
    article_factory(category="finance")
    article_factory(category="industry")
    comment_factory(article=current)
    few = query_count(client, current.get_absolute_url())

    current.tags.add(*[f"标签{n}" for n in range(9)])
    for n in range(4):
        article_factory(category="news", tags=["文明", f"标签{n}"])
    add_articles(article_factory, 26)
    for _ in range(19):
        comment_factory(article=current)
    many = query_count(client, current.get_absolute_url())

    assert many == few
    with django_assert_max_num_queries(17):
        client.get(current.get_absolute_url())


def test_tag_page_queries_do_not_grow_with_articles_or_their_tags(
    client, article_factory, django_assert_max_num_queries
):
    for _ in range(3):
        article_factory(tags=["文明"])
    url = reverse("news:tag", args=["文明"])
    few = query_count(client, url)

    for n in range(30):
        category = ["news", "finance", "industry"][n % 3]
        article_factory(category=category, tags=["文明"] + [f"其他{k}" for k in range(n % 10)])
    many = query_count(client, url)

    assert many == few
    with django_assert_max_num_queries(12):
        client.get(url)


def test_search_page_queries_do_not_grow_with_results(
    client, article_factory, django_assert_max_num_queries
):
    for _ in range(3):
        article_factory(title="文明稿件")
    url = reverse("news:search") + "?q=文明"
    few = query_count(client, url)

    add_articles(article_factory, 30, title="文明批量稿件")
    many = query_count(client, url)

    assert many == few
    with django_assert_max_num_queries(11):
        client.get(url)
