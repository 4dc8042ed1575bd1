"""Search finds exactly the published articles whose text holds every term (substring truth)."""

import random
from datetime import timedelta

import pytest
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from news.models import Article
from search.text import fold

pytestmark = pytest.mark.django_db

# Few distinct characters, so that random queries often match: Chinese, Latin in both
# cases and widths, digits, and the characters SQL and regular expressions treat specially.
ALPHABET = "文明松江基金区城市年上海gGＧ6６0０stST%_\\'\"*[] "


def truth(query, articles):
    """Brute force: published, due, and every folded term inside one folded field."""
    terms = fold(query[:100]).split()
    return {
        a.pk
        for a in articles
        if a.is_public
        and terms
        and all(
            any(t in fold(f) for f in (a.title, a.summary, a.body_text, a.source_name))
            for t in terms
        )
    }


def write(article_factory, rng, n):
    articles = []
    for _ in range(n):
        words = ["".join(rng.choice(ALPHABET) for _ in range(rng.randint(0, 12))) for _ in "abc"]
        articles.append(
            article_factory(
                title=words[0].strip() or "空",
                summary=words[1],
                body=f"<p>{words[2]}</p>",
                source_name=rng.choice(["", "松江报", "ＳＴ日报", "g60周刊"]),
                status=rng.choice([Article.Status.PUBLISHED] * 3 + [Article.Status.DRAFT]),
            )
        )
    return [Article.objects.get(pk=a.pk) for a in articles]


@pytest.fixture
def corpus(article_factory):
    return write(article_factory, random.Random(5), 80)


def substrings(articles):
    texts = [fold(a.title + " " + a.body_text) for a in articles]
    return sorted({t[i : i + n] for t in texts for n in (1, 2, 3, 5) for i in range(len(t))})


@settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(data=st.data())
def test_results_equal_substring_truth_on_a_random_corpus(corpus, found, data):
    pieces = st.sampled_from(substrings(corpus)) | st.text(ALPHABET, min_size=1, max_size=4)
    query = " ".join(data.draw(st.lists(pieces, min_size=1, max_size=3)))

    assert set(found(query)) == truth(query, corpus), query


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(seed=st.integers(0, 10**6), query=st.text(ALPHABET, min_size=1, max_size=3))
def test_results_equal_substring_truth_as_articles_come_and_go(article_factory, found, seed, query):
    articles = write(article_factory, random.Random(seed), 6)
    try:
        assert set(found(query)) == truth(query, articles), query
    finally:
        Article.objects.all().delete()  # the index follows the deletes


@pytest.mark.parametrize(
    ("query", "text", "other"),
    [
        ("城", "新城建设", "新成建设"),  # one character
        ("文明", "文明城区", "文化明星"),  # two
        ("松江区", "松江区召开会议", "松江召开区会议"),  # three: both bigrams, not adjacent
        ("文明城区", "创建文明城区", "文明城 区"),  # four, split by a space
        ("长三角一体化", "推动长三角一体化发展", "长三角和一体化"),
        ("g60", "G60科创走廊", "G6 0科创走廊"),  # Latin and digits, any case
        ("ＳＴ锐电", "ST锐电发布公告", "S T锐电"),  # full width
        ("2020年", "2020年全年", "2020 年"),
        ("哈哈哈", "哈哈哈大笑", "哈哈大笑"),  # a repeated bigram
        ("50%", "增长50%以上", "增长500家"),
        ("a_1", "项目A_1期", "项目AB1期"),
        ("\\", "路径C:\\数据", "路径C:数据"),
        ("'", "O'Brien来访", "OBrien来访"),
        ('"', '他说"好"', "他说好"),
        ("\"' OR 1=1 --", "\"' OR 1=1 --示例", "OR 1=1示例"),
    ],
)
def test_a_term_matches_as_a_substring_only(article_factory, found, query, text, other):
    wanted = article_factory(title="稿件", body=f"<p>{text}</p>")
    article_factory(title="稿件", body=f"<p>{other}</p>")

    assert found(query) == [wanted.pk]


def test_several_terms_must_all_match_in_any_field(article_factory, found):
    both = article_factory(title="松江推进", summary="文明创建", source_name="基金报")
    article_factory(title="松江推进", summary="城市创建")

    assert found("文明 松江") == [both.pk]
    assert found("松江 基金报 文明") == [both.pk]
    assert found("松江 银行") == []


def test_a_term_never_spans_two_fields(article_factory, found):
    article_factory(title="上海", summary="松江", body="<p>正文</p>")
    assert found("海松") == []


def test_only_published_articles_whose_time_has_come_are_found(article_factory, found):
    shown = article_factory(title="文明")
    article_factory(title="文明", status=Article.Status.DRAFT)
    article_factory(title="文明", publish_at=shown.publish_at.replace(year=2099))
    article_factory(title="文明", publish_at=shown.publish_at.replace(year=9999))

    assert found("文明") == [shown.pk]


def test_empty_queries_find_nothing(article_factory, backend):
    article_factory(title="文明")
    for query in ("", "   ", "\u3000"):
        page = backend.search(query)
        assert (page.ids, page.count) == ([], 0)


@pytest.mark.parametrize("query", ["文", "文明", "文明城", "文明城区", "ｇ60 文明"])
def test_scheduled_articles_are_left_out_of_the_count_too(
    article_factory, backend, time_passes, query
):
    later = timezone.now() + timedelta(hours=2)
    shown = article_factory(title="G60文明城区", category="news")
    other = article_factory(title="G60文明城区", category="finance")
    article_factory(title="G60文明城区", category="news", publish_at=later)
    article_factory(title="G60文明城区", category="finance", publish_at=later)
    article_factory(title="其他", body="<p>什么也没有</p>", category="news", publish_at=later)
    news = shown.category_id

    page = backend.search(query)
    assert (sorted(page.ids), page.count) == (sorted([shown.pk, other.pk]), 2)
    page = backend.search(query, category_id=news)
    assert (page.ids, page.count) == ([shown.pk], 1)

    time_passes(hours=3)
    assert backend.search(query).count == 4
    assert backend.search(query, category_id=news).count == 2
