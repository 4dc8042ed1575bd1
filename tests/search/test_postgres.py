"""PostgreSQL's gram index: the database computes the grams search.text does, and uses them."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from search.backends import postgres
from search.backends.postgres import PostgresSearchBackend
from search.models import SearchDocument
from search.text import fold, grams, latin_trigrams

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="PostgreSQL's own gram index and plans"
    ),
]

# Every kind of whitespace Python knows (str.isspace), some folding away under NFKC, beside
# Chinese, Latin, digits, signs and a character outside the Basic Multilingual Plane.
WHITESPACE = "".join(chr(c) for c in range(0x3001) if chr(c).isspace())
ALPHABET = "文明松江基金年gGＧ60st%_\\'*.~" + WHITESPACE + "𠀀"


def database_grams(text, category=7):
    with connection.cursor() as cursor:
        cursor.execute("SELECT search_tokens(%s, %s)", [text, category])
        return set(cursor.fetchone()[0]) - {postgres.category_token(category)}


@settings(max_examples=300, deadline=None)
@given(text=st.text(ALPHABET, max_size=30))
def test_the_database_computes_the_same_grams_as_python(text):
    folded = fold(text)
    assert database_grams(folded) == grams(folded) | latin_trigrams(folded)


def test_the_category_is_one_more_token_no_gram_can_equal():
    with connection.cursor() as cursor:
        cursor.execute("SELECT search_tokens(%s, 1)", ["c1 文明"])
        tokens = set(cursor.fetchone()[0])
    assert " c1" in tokens and "c1" in tokens
    assert not any(t.startswith(" ") for t in tokens - {" c1"})


def test_every_whitespace_character_splits_grams():
    text = " ".join(f"文{space}明" for space in WHITESPACE)
    found = database_grams(text)
    assert {"文", "明"} <= found
    assert not any(g != g.strip() or not g for g in found)
    assert "文明" not in found and "明文" not in found


LETTERS = "文明松江基金区gＧ6０%_"


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(
    texts=st.lists(st.text(LETTERS + " ", min_size=1, max_size=16), min_size=1, max_size=8),
    query=st.text(LETTERS + " ", min_size=1, max_size=6),
)
def test_results_equal_a_brute_force_substring_check(article_factory, texts, query):
    SearchDocument.objects.all().delete()
    articles = [article_factory(title="标题", body=f"<p>{text}</p>") for text in texts]
    terms = fold(query).split()
    expected = [
        a.pk
        for a in articles
        if terms and all(t in SearchDocument.objects.get(pk=a.pk).text for t in terms)
    ]

    page = PostgresSearchBackend().search(query, limit=1000)

    assert sorted(page.ids) == sorted(expected)
    assert page.count == len(expected)
    # Same title everywhere: newest first (the factory makes each one an hour older).
    assert page.ids == sorted(page.ids)
    for a in articles:
        a.delete()


@pytest.mark.parametrize("query", ["文明", "文", "文明实", "文明实践", "g60 文明"])
def test_searches_use_the_gram_index_not_the_function_row_by_row(article_factory, query):
    for n in range(30):
        article_factory(title=f"松江第{n}篇", body="<p>文明实践G60</p>")
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE search_searchdocument")
    with CaptureQueriesContext(connection) as captured:
        assert PostgresSearchBackend().search(query).count == 30
    (search_sql,) = [q["sql"] for q in captured if "search_tokens" in q["sql"]]
    select = search_sql.removeprefix(postgres._BEFORE).removesuffix(postgres._AFTER)
    with connection.cursor() as cursor:
        plan = "\n".join(row[0] for row in postgres._fetch(cursor, "EXPLAIN " + select, ()))
    # Computing the grams of a document reads all of it: only the index may do that.
    assert "Bitmap Index Scan on search_searchdocument_tokens" in plan
    filters = [line for line in plan.splitlines() if "Filter:" in line]
    assert not any("search_tokens" in line for line in filters)


@pytest.mark.parametrize(
    ("query", "matches"),
    [
        ("文\x00明", False),
        ("\ud800", False),
        ("%", True),
        ("50%", True),
        ("_", False),
        ("\\", False),
        ("'", False),
        ("100%'", False),
    ],
)
def test_odd_queries_are_matched_literally_never_an_error(article_factory, query, matches):
    article = article_factory(title="松江文明城区", body="<p>增长50%以上</p>")
    page = PostgresSearchBackend().search(query)
    assert page.ids == ([article.pk] if matches else [])
    assert page.count == len(page.ids)


def test_a_page_past_the_end_still_tells_the_count(article_factory):
    for n in range(3):
        article_factory(title=f"文明{n}")
    page = PostgresSearchBackend().search("文明", offset=40, limit=20)
    assert page.ids == [] and page.count == 3


def test_deep_pages_follow_on_from_each_other(article_factory):
    made = [
        article_factory(title=f"文明{n}" if n % 3 else f"其他{n}", body="<p>文明</p>")
        for n in range(25)
    ]
    backend = PostgresSearchBackend()
    everything = backend.search("文明", limit=100).ids
    pages = [backend.search("文明", offset=o, limit=7).ids for o in range(0, 28, 7)]
    assert sum(pages, []) == everything
    in_title = [a.pk for a in made if a.title.startswith("文明")]
    assert everything[: len(in_title)] == sorted(in_title)  # newest first


def test_a_rebuild_from_nothing_builds_the_index_again_and_finds_everything(article_factory):
    made = [article_factory(title=f"文明实践{n}", body="<p>松江G60</p>") for n in range(5)]
    SearchDocument.objects.all().delete()
    backend = PostgresSearchBackend()
    assert backend.search("文明").count == 0

    backend.rebuild()

    with connection.cursor() as cursor:
        cursor.execute("SELECT indexdef FROM pg_indexes WHERE indexname = %s", [postgres.INDEX])
        (definition,) = cursor.fetchone()
    assert "gin (search_tokens(text, category_id))" in definition
    for query in ("文明", "文明实践", "g60", "松江 文明实"):
        page = backend.search(query)
        assert (page.ids, page.count) == ([a.pk for a in made], 5)
