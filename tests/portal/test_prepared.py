import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from comments.models import Comment, approved_for_article
from news.models import Article, article_by_pk
from portal.prepared import PreparedQuery


def test_a_prepared_query_finds_what_its_queryset_finds_for_each_value(
    article_factory, comment_factory
):
    first, second = article_factory(title="第一篇"), article_factory(title="第二篇")
    for n in range(3):
        comment_factory(article=second, message=f"第{n}条留言", status=Comment.Status.APPROVED)
    comment_factory(article=second, message="待审留言", status=Comment.Status.PENDING)
    comment_factory(article=first, message="别篇的留言", status=Comment.Status.APPROVED)

    assert [a.title for a in article_by_pk(pk=second.pk)] == ["第二篇"]
    assert [a.title for a in article_by_pk(pk=first.pk)] == ["第一篇"]
    expected = list(Comment.objects.for_article(second))
    assert list(approved_for_article(article=second.pk)) == expected
    assert [c.message for c in expected] == ["第0条留言", "第1条留言", "第2条留言"]


def test_a_prepared_query_runs_the_same_statement_with_new_values(article_factory):
    first, second = article_factory(), article_factory()
    with CaptureQueriesContext(connection) as captured:
        list(article_by_pk(pk=first.pk))
        list(article_by_pk(pk=second.pk))

    statements = [q["sql"] for q in captured]
    assert len(statements) == 2
    assert statements[0].replace(str(first.pk), "?") == statements[1].replace(str(second.pk), "?")


def test_a_prepared_query_gives_model_instances_with_aware_datetimes(article_factory):
    article = article_factory()

    found = next(iter(article_by_pk(pk=article.pk)))

    assert isinstance(found, Article)
    assert found.publish_at == article.publish_at
    assert found.publish_at.tzinfo is not None


@pytest.mark.parametrize("value", [0, -1, 2**31, 2**63, 10**40, -(2**64)])
def test_a_value_beyond_any_row_or_integer_matches_nothing(db, value):
    assert list(article_by_pk(pk=value)) == []
    assert list(approved_for_article(article=value)) == []


def test_a_query_that_does_not_pass_its_value_through_is_refused(db):
    ignores_value = PreparedQuery(lambda pk: Article.objects.filter(pk=1), "pk")
    transforms_value = PreparedQuery(lambda pk: Article.objects.filter(pk=pk + 1), "pk")

    with pytest.raises(ValueError, match="'pk' must reach the query once"):
        ignores_value(pk=5)
    with pytest.raises(ValueError, match="'pk' must reach the query once"):
        transforms_value(pk=5)


def test_queries_run_together_give_what_each_gives_alone(article_factory, comment_factory):
    """On PostgreSQL they go out in one pipeline; on SQLite one after the other."""
    from news.related import around, around_query, tags_of, tags_query
    from portal.prepared import run_together

    earlier = article_factory(title="轨交线路规划公示", tags=["轨道交通"])
    article = article_factory(title="松江新城轨交线路开工", tags=["轨道交通", "松江"])
    comment_factory(article=article, message="期待通车", status=Comment.Status.APPROVED)
    tags, values = tags_query(article.pk)

    with CaptureQueriesContext(connection) as captured:
        found, their_tags, comments, links, nothing, beyond, far = run_together(
            (article_by_pk, {"pk": article.pk}),
            (tags, values),
            (approved_for_article, {"article": article.pk}),
            around_query(article.pk, limit=6),  # written in SQL, run with the others
            (article_by_pk, {"pk": article.pk + 1000}),
            (article_by_pk, {"pk": 2**40}),  # answered by the ORM, beside the others
            around_query(2**40, limit=6),  # no article has it: nothing around it
        )

    assert [a.title for a in found] == ["松江新城轨交线路开工"]
    assert [t.name for t in their_tags] == [t.name for t in tags_of(article.pk)]
    assert [t.name for t in their_tags] == ["轨道交通", "松江"]
    assert [c.message for c in comments] == ["期待通车"]
    assert links == around(article.pk, limit=6)
    assert [link.title for link in links.related] == [earlier.title]
    assert links.related[0].shared_tags == 1
    assert nothing == [] and beyond == [] and far.related == [] and far.previous is None
    assert len(captured) == 6  # each statement counted as a query, the ORM's own too


def test_an_error_in_queries_run_together_is_djangos_and_leaves_the_connection_usable(db):
    from django.db import DatabaseError, transaction

    from portal.prepared import run_together

    broken = PreparedQuery(
        lambda pk: Article.objects.filter(pk=pk).extra(where=["no_such_column = 1"]), "pk"
    )
    with pytest.raises(DatabaseError), transaction.atomic():  # as a request's own work would
        run_together((article_by_pk, {"pk": 1}), (broken, {"pk": 1}))
    assert list(article_by_pk(pk=1)) == []  # the next queries run as usual


def test_a_prepared_query_may_defer_columns_which_load_on_first_use(article_factory):
    article = article_factory(body="<p>松江新城轨交线路今日开工。</p>")
    deferring = PreparedQuery(lambda pk: Article.objects.filter(pk=pk).defer("body_text"), "pk")

    with CaptureQueriesContext(connection) as captured:
        (found,) = deferring(pk=article.pk)
        assert found.body == article.body
    assert len(captured) == 1 and "body_text" not in captured[0]["sql"]
    assert found.body_text == "松江新城轨交线路今日开工。"  # one query more, when asked for


def test_a_prepared_query_of_more_than_its_models_columns_is_refused(db):
    with pytest.raises(ValueError, match="columns of its model only"):
        PreparedQuery(lambda pk: Article.objects.filter(pk=pk).select_related("category"), "pk")(
            pk=1
        )
