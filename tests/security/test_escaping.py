"""Text that looks like markup is shown as text everywhere: reader pages and the admin."""

import pytest
from django.urls import reverse
from django.utils.html import escape
from taggit.models import Tag

from comments.models import Comment
from news.models import Article
from tests.news.helpers import html_of, main_text, text_of
from tests.security.helpers import event_handlers, scripts_mentioning

pytestmark = pytest.mark.django_db

TITLE = '<script>alert("标题")</script>"><img src=x onerror=alert(1)>'
SOURCE = '"><img src=x onerror=alert("来源")>'
AUTHOR = "<b onmouseover=alert(2)>记者</b>"
SUMMARY = "<script>alert('摘要')</script>摘要"
TAG = '"><script>alert(1)</script>'
COMMENT_NAME = '<img src=x onerror=alert("名")>'
COMMENT_MESSAGE = "<script>alert(3)</script>"
QUERY = '"><script>alert(4)</script>'


@pytest.fixture
def hostile(article_factory, comment_factory):
    """A featured article whose every reader-visible text is markup, with such a comment."""
    article = article_factory(
        title=TITLE,
        source_name=SOURCE,
        source_url='https://example.com/"onmouseover="alert(5)',
        author=AUTHOR,
        summary=SUMMARY,
        body="<p>正文里提到 alert 一词。</p>",
        tags=[TAG],
        is_featured=True,
    )
    article_factory(title="同栏目的另一篇", tags=[TAG])  # lists it as previous / related
    comment_factory(article=article, name=COMMENT_NAME, message=COMMENT_MESSAGE)
    return article


def assert_shown_as_text(html: str, *payloads: str) -> None:
    """No payload is in the page as markup, each is there escaped, and nothing would run."""
    for payload in payloads:
        assert payload not in html
        assert escape(payload) in html, payload
    assert event_handlers(html) == []
    assert scripts_mentioning(html, "alert(") == []


# --- reader pages -----------------------------------------------------------------------


def test_article_page_shows_title_source_author_summary_tag_and_comment_as_text(client, hostile):
    html = html_of(client.get(hostile.get_absolute_url()))

    assert_shown_as_text(html, TITLE, SOURCE, AUTHOR, SUMMARY, TAG, COMMENT_NAME, COMMENT_MESSAGE)
    assert f"<title>{escape(TITLE)}" in html
    assert 'href="https://example.com/&quot;onmouseover=&quot;alert(5)"' in html
    text = main_text(client.get(hostile.get_absolute_url()))
    assert f"标题:{TITLE}" in text and f"来源:{SOURCE}" in text and COMMENT_MESSAGE in text


def test_neighbouring_article_links_to_it_by_its_title_as_text(client, hostile):
    other = Article.objects.exclude(pk=hostile.pk).get()

    html = html_of(client.get(other.get_absolute_url()))

    assert_shown_as_text(html, TITLE)
    assert TITLE in main_text(client.get(other.get_absolute_url()))


def test_tag_page_shows_the_tag_name_and_titles_as_text(client, hostile):
    tag = Tag.objects.get(name=TAG)

    response = client.get(reverse("news:tag", args=[tag.slug]))

    assert response.status_code == 200
    assert_shown_as_text(html_of(response), TAG, TITLE, SUMMARY)
    assert f"标签：{TAG}" in text_of(response)


def test_search_page_shows_the_query_and_the_results_as_text(client, hostile):
    for query in (QUERY, "alert", "script"):
        response = client.get(reverse("news:search"), {"q": query})
        html = html_of(response)

        for payload in (QUERY, TITLE, SUMMARY):
            assert payload not in html
        assert event_handlers(html) == []
        assert scripts_mentioning(html, "alert(") == []
    html = html_of(client.get(reverse("news:search"), {"q": QUERY}))
    assert f'value="{escape(QUERY)}"' in html
    assert f"搜索“{escape(QUERY)}”" in html


def test_search_highlight_marks_terms_inside_escaped_text(client, hostile):
    html = html_of(client.get(reverse("news:search"), {"q": "script"}))

    assert "&lt;<mark>script</mark>&gt;alert(&quot;标题&quot;)&lt;/<mark>script</mark>&gt;" in html


def test_home_and_category_lists_show_titles_and_summaries_as_text(client, hostile):
    home = html_of(client.get("/"))
    category = html_of(client.get(hostile.category.get_absolute_url()))

    assert_shown_as_text(home, TITLE)
    assert_shown_as_text(category, TITLE)
    assert TITLE in text_of(home) and TITLE in text_of(category)


# --- the admin --------------------------------------------------------------------------


def test_admin_article_list_and_form_show_the_markup_as_text(staff_client, hostile):
    changelist = html_of(staff_client.get("/admin/news/article/"))
    form = html_of(staff_client.get(f"/admin/news/article/{hostile.pk}/change/"))

    assert_shown_as_text(changelist, TITLE)
    assert_shown_as_text(form, TITLE, SOURCE, AUTHOR, SUMMARY, TAG)
    assert f'value="{escape(TITLE)}"' in form
    assert f'value="{escape(SOURCE)}"' in form


def test_admin_comment_list_and_form_show_the_markup_as_text(staff_client, hostile):
    comment = Comment.objects.get()

    changelist = html_of(staff_client.get("/admin/comments/comment/"))
    form = html_of(staff_client.get(f"/admin/comments/comment/{comment.pk}/change/"))

    assert_shown_as_text(changelist, COMMENT_NAME, COMMENT_MESSAGE)
    assert_shown_as_text(form, COMMENT_NAME, COMMENT_MESSAGE)


def test_admin_tag_pages_show_the_tag_name_as_text(staff_client, hostile):
    tag = Tag.objects.get(name=TAG)

    changelist = html_of(staff_client.get("/admin/taggit/tag/"))
    form = html_of(staff_client.get(f"/admin/taggit/tag/{tag.pk}/change/"))

    assert_shown_as_text(changelist, TAG)
    assert_shown_as_text(form, TAG)
