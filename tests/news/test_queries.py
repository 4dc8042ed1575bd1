"""Query budgets: reader pages cost a fixed number of queries, whatever the data.

Each page is measured three ways:
- page-cold: the page itself is not cached, but the site-wide parts every page shares
  (navigation, the sidebar's lead stories, the 热门 list, the next scheduled publish time)
  are, as they are whenever the site has had a reader in the last minute;
- all-cold: an empty cache, everything read from the database;
- warm: the page was just served; only the view counter may touch the database.
The budgets (page-cold) are the issue's: article ≤ 8, home ≤ 12, category ≤ 6 (page 1
and page 1,000 alike); all-cold adds at most the five queries of the shared parts.
"""

from datetime import timedelta

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from news.models import Article, Category
from news.views import CategoryView

pytestmark = pytest.mark.django_db


SHARED_PARTS = 5


def queries(client, url, *, cold=True, shared_warm=True):
    if cold:
        cache.clear()
        if shared_warm:
            # The search page is never cached itself, but renders every shared part.
            client.get("/search/")
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(captured)


def add_articles(article_factory, n, **fields):
    """``n`` articles spread over the three categories, each with two tags."""
    slugs = ["news", "finance", "industry"]
    return [
        article_factory(category=slugs[i % 3], tags=[f"批量标签{i % 7}", "批量"], **fields)
        for i in range(n)
    ]


def bulk_articles(category, n):
    """Many plain articles at once (no tags), for deep pagination."""
    now = timezone.now()
    Article.objects.bulk_create(
        Article(
            title=f"批量稿件{i}",
            body="<p>批量正文</p>",
            body_text="批量正文",
            summary="批量正文",
            category=category,
            status=Article.Status.PUBLISHED,
            publish_at=now - timedelta(minutes=i + 1),
        )
        for i in range(n)
    )


def test_home_page_budget_holds_for_any_number_of_articles(client, article_factory):
    add_articles(article_factory, 3)
    article_factory(is_featured=True)
    few = queries(client, "/")

    add_articles(article_factory, 30)
    add_articles(article_factory, 3, is_featured=True)
    many = queries(client, "/")

    assert few == many <= 12
    assert queries(client, "/", cold=False) == 0


def test_category_page_budget_holds_on_page_one_and_page_one_thousand(
    client, categories, monkeypatch
):
    monkeypatch.setattr(CategoryView, "paginate_by", 2)
    bulk_articles(categories["news"], 2000)

    first = queries(client, "/category/news/")
    deep = queries(client, "/category/news/?page=1000")

    assert first == deep + 1 <= 6  # the first page also reads the category's placements
    assert queries(client, "/category/news/?page=1000", cold=False) == 0


def test_deep_category_page_skips_ahead_over_ids_only(client, categories, monkeypatch):
    monkeypatch.setattr(CategoryView, "paginate_by", 2)
    bulk_articles(categories["news"], 50)
    cache.clear()

    with CaptureQueriesContext(connection) as captured:
        response = client.get("/category/news/?page=20")

    assert "批量稿件38" in response.content.decode()
    listing = [q["sql"] for q in captured if "OFFSET" in q["sql"].upper()]
    assert len(listing) == 1
    # The offset skips over ids only (the index), never over full rows.
    assert listing[0].startswith('SELECT "news_article"."id" AS "pk" FROM "news_article"')


@pytest.mark.parametrize(("n_comments", "n_tags"), [(0, 0), (10, 5), (200, 30)])
def test_article_page_budget_holds_for_any_number_of_comments_and_tags(
    client, article_factory, comment_factory, n_comments, n_tags
):
    add_articles(article_factory, 12)
    article = article_factory(tags=[f"标签{i}" for i in range(n_tags)])
    for _ in range(n_comments):
        comment_factory(article=article)

    cold = queries(client, article.get_absolute_url())
    all_cold = queries(client, article.get_absolute_url(), shared_warm=False)
    warm = queries(client, article.get_absolute_url(), cold=False)

    assert cold <= 8
    assert all_cold <= 8 + SHARED_PARTS
    # Warm: at most the view counter's one statement.
    assert warm <= 1


def test_article_page_costs_the_same_with_few_or_many_comments_and_tags(
    client, article_factory, comment_factory
):
    add_articles(article_factory, 6)
    small = article_factory(tags=["标签0"])
    big = article_factory(tags=[f"标签{i}" for i in range(30)])
    for _ in range(50):
        comment_factory(article=big)

    assert queries(client, small.get_absolute_url()) == queries(client, big.get_absolute_url())


def test_tag_page_budget_holds_for_any_number_of_articles(client, article_factory):
    add_articles(article_factory, 3)
    few = queries(client, "/tag/批量/")
    add_articles(article_factory, 30)
    many = queries(client, "/tag/批量/")

    assert few == many <= 6


def test_search_page_queries_do_not_grow_with_results(client, article_factory):
    add_articles(article_factory, 3, title="文明城区建设")
    few = queries(client, "/search/?q=文明")
    add_articles(article_factory, 30, title="文明城区建设")
    many = queries(client, "/search/?q=文明")

    assert few == many <= 8


def test_a_new_category_adds_no_query_per_category(client, article_factory):
    add_articles(article_factory, 6)
    before = queries(client, "/")
    category = Category.objects.create(name="科技", label_en="tech", slug="tech", order=40)
    article_factory(category=category)

    # The home page has one block per category, so it grows by that block's query only.
    assert queries(client, "/") == before + 1
    assert queries(client, article_factory().get_absolute_url()) <= 8
