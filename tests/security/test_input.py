"""Hostile request input: page numbers, ids, slugs, search queries, admin form fields, and
text built to make filters slow. Every case is a clear answer (404, or a Chinese message),
never a 500, and nothing already stored changes."""

import ast
import time
from pathlib import Path
from urllib.parse import quote, urlencode

import pytest
from django.conf import settings
from django.core.cache import cache
from django.test import Client
from django.urls import reverse
from taggit.models import Tag

from news.forms import ArticleAdminForm
from news.models import Article
from tests.news.helpers import change_form_data, html_of, main_html, main_text, region, text_of
from tests.security.helpers import (
    active_content,
    change_url,
    form_errors,
    post_raw,
)

pytestmark = [
    pytest.mark.django_db,
    # Hostile slugs and numbers make keys memcached could not take; LocMem and Redis can.
    pytest.mark.filterwarnings("ignore::django.core.cache.backends.base.CacheKeyWarning"),
]

FORBIDDEN = "内容含有不允许的控制字符（如空字符或文字方向控制符），请删除后再提交。"
UNDECODABLE = "内容含有无法识别的字符（可能是编码错误），请删除后再提交。"


@pytest.fixture
def client():
    """A reader's browser; a server error is answered as the reader would get it."""
    return Client(raise_request_exception=False)


def assert_portal_404(response):
    assert response.status_code == 404
    text = text_of(response)
    assert "页面不存在" in text and "返回首页" in text


# --- page numbers -----------------------------------------------------------------------

# A NUL anywhere in the address is refused before any view runs: tests/security/test_headers.py
BAD_PAGES = ["abc", "0", "-1", "999999", "1e3", "1.5", "9" * 40, "%ED%A0%80",
             "%E2%80%AE1", "0x2", "9" * 5000]  # fmt: skip
LISTS = ["/category/news/", f"/tag/{quote('松江')}/", f"/search/?q={quote('松江')}"]


def short_id(value: str) -> str:
    return value if len(value) <= 20 else f"{value[:8]}…({len(value)} chars)"


@pytest.mark.parametrize("page", BAD_PAGES, ids=short_id)
@pytest.mark.parametrize("url", LISTS)
def test_page_number_that_is_not_a_page_is_the_portal_404(client, article_factory, url, page):
    article_factory(title="松江新闻", tags=["松江"])
    separator = "&" if "?" in url else "?"

    assert_portal_404(client.get(f"{url}{separator}page={page}"))


@pytest.mark.parametrize("page", BAD_PAGES, ids=short_id)
def test_home_ignores_the_page_number(client, article_factory, page):
    article_factory(title="首页上的新闻")
    expected = main_text(client.get("/"))

    response = client.get(f"/?page={page}")

    assert response.status_code == 200
    assert main_text(response) == expected


def test_page_number_written_differently_never_serves_another_page(client, article_factory):
    articles = [article_factory(title=f"栏目稿件{n:02d}") for n in range(25)]

    second = client.get("/category/news/?page=0000000000002")
    assert articles[20].title in main_text(second) and "第 2 / 2 页" in main_text(second)

    # The same first twelve characters: once cut to twelve, this shared page 2's cache key.
    assert_portal_404(client.get("/category/news/?page=0000000000009"))
    assert_portal_404(client.get("/category/news/?page=000000000000"))
    assert articles[20].title in main_text(client.get("/category/news/?page=2"))


# --- ids and slugs ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        "/article/0/",
        "/article/99999999999999999999/",
        "/article/" + "9" * 400 + "/",
        "/article/" + "9" * 5000 + "/",
        "/article/-1/",
        "/article/1e3/",
        "/article/1.0/",
        "/article/abc/",
        "/category/sports/",
        "/category/%ED%A0%80/",
        "/category/" + "x" * 3000 + "/",
        f"/tag/{quote('不存在的标签')}/",
        "/tag/%ED%A0%80/",
        "/tag/%E2%80%AE/",
        "/tag/" + "x" * 3000 + "/",
    ],
    ids=short_id,
)
def test_unknown_or_malformed_id_or_slug_is_the_portal_404(client, article_factory, url):
    article_factory(tags=["松江"])
    assert_portal_404(client.get(url))


# --- search queries ---------------------------------------------------------------------


def search(client, raw_query: str):
    """The search page for a query written as it appears in the address (percent-encoded)."""
    return client.get(f"/search/?q={raw_query}")


def test_very_long_query_is_cut_with_a_notice(client, article_factory):
    article_factory(title="文明城区建设")
    query = "文明" + "长" * 9998

    response = search(client, quote(query))

    assert response.status_code == 200
    text = main_text(response)
    assert "搜索词太长，只按前 100 个字搜索。" in text
    assert "找到 0 篇相关文章" in text
    assert f'value="{query[:100]}"' in main_html(response)


def test_long_query_still_finds_what_its_first_hundred_characters_ask_for(client, article_factory):
    article_factory(title="文明城区建设")

    text = main_text(search(client, quote("文明 " + "　" * 9000 + "城区" + " " * 900)))

    assert "找到 1 篇相关文章" in text
    assert "搜索词太长" not in text  # whitespace is collapsed before the length counts


@pytest.mark.parametrize(
    ("raw_query", "message"),
    [
        ("a%01b", FORBIDDEN),
        ("%E2%80%AE%E6%96%87%E6%98%8E", FORBIDDEN),
        ("%E2%81%A6x", FORBIDDEN),
        ("%ED%A0%80", UNDECODABLE),
        ("%E6%96%87%ED%B0%80", UNDECODABLE),
        ("%FF%FE", UNDECODABLE),
    ],
)
def test_query_with_invisible_or_undecodable_characters_is_refused_with_a_message(
    client, article_factory, raw_query, message
):
    article = article_factory(title="文明城区建设")

    response = search(client, raw_query)

    assert response.status_code == 400
    text = main_text(response)
    assert message in text
    assert article.title not in text
    assert "找到" not in text


@pytest.mark.parametrize(
    ("query", "wanted", "unwanted"),
    [
        ("%", "利润增长50%以上", "利润增长500家"),
        ("_", "项目A_1期开工", "项目AB1期开工"),
        ("%_", "代码%_占位", "代码_%占位"),
        ("\\", "路径C:\\数据", "路径C:数据"),
        ("\\%", "转义\\%符号", "转义%符号"),
        ("'", "O'Brien访问松江", "OBrien访问松江"),
        ('"', '他说"你好"', "他说你好"),
        ("' OR 1=1 --", "注入' OR 1=1 --示例", "注入示例"),
        ("[a-z]", "正则[a-z]示例", "正则a示例"),
        ("*", "星号*示例", "星号示例"),
    ],
)
def test_query_characters_are_matched_literally(client, article_factory, query, wanted, unwanted):
    article_factory(title=wanted)
    article_factory(title=unwanted)

    response = client.get(reverse("news:search"), {"q": query})

    assert response.status_code == 200
    text = main_text(response)
    assert "找到 1 篇相关文章" in text
    assert wanted in text and unwanted not in text


# --- request parameters never choose filters or ordering --------------------------------

SNEAKY_PARAMETERS = [
    {"ordering": "password"},
    {"ordering": "-views"},
    {"o": "-views"},
    {"o": "2"},
    {"order_by": "title"},
    {"sort": "-publish_at"},
    {"status": "draft"},
    {"status__exact": "draft"},
    {"publish_at__gt": "2000-01-01"},
    {"category": "finance"},
    {"views__gt": "0"},
    {"pk__in": "1,2"},
    {"created_by__password__startswith": "md5"},
    {"format": "json"},
]


@pytest.fixture
def lists(article_factory):
    """A category and tag with articles in date order, most viewed last, and hidden drafts."""
    for n in range(3):
        article_factory(title=f"松江新闻{n}", tags=["松江"], views=n * 100)
    article_factory(title="松江草稿", tags=["松江"], status=Article.Status.DRAFT)
    article_factory(title="松江财经", category="finance", tags=["松江"])
    return ["/category/news/", f"/tag/{quote('松江')}/", "/search/?q=%E6%9D%BE%E6%B1%9F"]


# Parameters a list declares and reads through its form (the search page's category select):
# they filter as the reader asked, and are tested with that page.
DECLARED = {"/search/": {"category"}}


@pytest.mark.parametrize("parameters", SNEAKY_PARAMETERS)
def test_request_parameters_change_neither_order_nor_filter_of_a_list(client, lists, parameters):
    for url in lists:
        if set(parameters) & DECLARED.get(url.split("?")[0], set()):
            continue
        cache.clear()  # rendered again, not served from the cache
        expected = main_text(client.get(url))
        cache.clear()

        response = client.get(f"{url}{'&' if '?' in url else '?'}{urlencode(parameters)}")

        assert response.status_code == 200
        assert main_text(response) == expected
        assert "松江草稿" not in main_text(response)


def test_admin_lists_accept_only_their_declared_filters_and_columns(staff_client, lists):
    expected = text_of(
        region(html_of(staff_client.get("/admin/news/article/")), "<table", "</table>")
    )

    by_password = staff_client.get("/admin/news/article/", {"o": "password"})
    assert by_password.status_code == 200
    assert text_of(region(html_of(by_password), "<table", "</table>")) == expected

    lookup = staff_client.get("/admin/news/article/", {"created_by__password__startswith": "m"})
    assert lookup.status_code == 400 or lookup["Location"].endswith("?e=1")
    assert staff_client.get("/admin/news/article/", {"_to_field": "password"}).status_code == 400


APP_PACKAGES = ["news", "comments", "portal"]
READ_PARAMETERS = {"q", "page"}  # the only request parameters the portal's own code reads
QUERY_METHODS = {"filter", "exclude", "get", "order_by", "annotate", "alias", "extra", "values",
                 "values_list", "aggregate", "only", "defer", "distinct", "in_bulk", "raw",
                 "get_or_create", "update_or_create"}  # fmt: skip


def _app_modules():
    root = Path(settings.BASE_DIR)
    for package in APP_PACKAGES:
        for path in sorted((root / package).rglob("*.py")):
            if "migrations" not in path.parts:
                yield path.relative_to(root), ast.parse(path.read_text(encoding="utf-8"))


def _request_data_uses(tree):
    """(line, how) for every use of request.GET / POST / COOKIES in a module."""
    parents = {child: node for node in ast.walk(tree) for child in ast.iter_child_nodes(node)}
    for node in ast.walk(tree):
        if not (isinstance(node, ast.Attribute) and node.attr in {"GET", "POST", "COOKIES"}):
            continue
        parent = parents.get(node)
        grandparent = parents.get(parent)
        if (
            isinstance(parent, ast.Attribute)
            and parent.attr == "get"
            and isinstance(grandparent, ast.Call)
            and grandparent.args
            and isinstance(grandparent.args[0], ast.Constant)
        ):
            yield node.lineno, f"{node.attr}.get({grandparent.args[0].value!r})"
        elif isinstance(parent, ast.Call) and node in parent.args:
            func = parent.func
            name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "?")
            yield node.lineno, f"{name}({node.attr})"
        else:
            yield node.lineno, f"{node.attr} used directly"


def test_request_parameters_are_read_by_name_or_through_forms_only():
    """The portal's code reads ?q= and ?page= by name; anything else goes through a form."""
    uses = {
        f"{path}:{line}: {how}"
        for path, tree in _app_modules()
        for line, how in _request_data_uses(tree)
    }
    allowed_reads = {f"GET.get({name!r})" for name in READ_PARAMETERS}
    wrong = sorted(
        use
        for use in uses
        if use.split(": ", 1)[1] not in allowed_reads
        and not use.split(": ", 1)[1].endswith(("Form(GET)", "Form(POST)"))
    )
    assert uses, "the scan found no request parameters at all"
    assert wrong == []


def _is_super_call(node) -> bool:
    return isinstance(node, ast.Call) and getattr(node.func, "id", None) == "super"


def test_code_reading_request_parameters_builds_no_lookup_or_ordering_from_them():
    """No filter(**…), order_by(*…) or alias(**…) where request parameters are read."""
    dynamic = []
    for path, tree in _app_modules():
        if not any(how for _, how in _request_data_uses(tree)):
            continue
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr in QUERY_METHODS
                and not _is_super_call(node.func.value)  # a view's get(request, *args, **kwargs)
                and (
                    any(k.arg is None for k in node.keywords)
                    or any(isinstance(a, ast.Starred) for a in node.args)
                )
            ):
                dynamic.append(f"{path}:{node.lineno}: {node.func.attr}(*/**…)")
    assert dynamic == []


# --- admin article form -------------------------------------------------------------------

BAD_TEXT = [
    pytest.param("松江\x00新闻", FORBIDDEN, id="NUL"),
    pytest.param("松江\x01新闻", FORBIDDEN, id="C0-control"),
    pytest.param("松江\u202e闻新", FORBIDDEN, id="bidi-override"),
    pytest.param("\u2066松江新闻", FORBIDDEN, id="bidi-isolate"),
    pytest.param("松江".encode() + b"\xed\xa0\x80", UNDECODABLE, id="lone-surrogate"),
    pytest.param("松江".encode() + b"\xff\xfe", UNDECODABLE, id="invalid-utf8"),
]
TEXT_FIELDS = ["title", "source_name", "tags", "author", "summary"]


@pytest.mark.parametrize("field", TEXT_FIELDS)
@pytest.mark.parametrize(("value", "message"), BAD_TEXT)
def test_admin_article_form_refuses_invisible_characters_and_changes_nothing(
    staff_client, article_factory, field, value, message
):
    article = article_factory(
        title="原标题", source_name="原来源", author="原作者", summary="原摘要", tags=["原标签"]
    )
    before = Article.objects.filter(pk=article.pk).values().get()

    response = post_raw(
        staff_client, change_url(article), change_form_data(article, **{field: value})
    )

    assert response.status_code == 200  # the form again, with the error beside the field
    assert form_errors(response) == [message]
    assert message in html_of(response)
    assert Article.objects.filter(pk=article.pk).values().get() == before
    assert list(article.tags.names()) == ["原标签"]
    assert list(Tag.objects.values_list("name", flat=True)) == ["原标签"]


@pytest.mark.parametrize(("value", "message"), BAD_TEXT)
def test_admin_add_form_with_invisible_characters_stores_no_article_and_no_tag(
    staff_client, categories, value, message
):
    data = {
        "title": value,
        "category": categories["news"].pk,
        "tags": value,
        "source_name": value,
        "body": "<p>正文</p>",
        "status": Article.Status.PUBLISHED,
        "publish_at_0": "2024-05-01",
        "publish_at_1": "10:30:00",
        "_save": "保存",
    }

    response = post_raw(staff_client, "/admin/news/article/add/", data)

    assert response.status_code == 200
    assert form_errors(response) == [message] * 3
    assert not Article.objects.exists()
    assert not Tag.objects.exists()


def test_admin_form_given_a_lone_surrogate_directly_refuses_it(categories):
    """Code (an import, a script) can hand the form a str no HTTP request can carry."""
    form = ArticleAdminForm(
        data={
            "title": "松江\ud800",
            "category": categories["news"].pk,
            "body": "<p>正文</p>",
            "status": "draft",
            "publish_at_0": "2024-05-01",
            "publish_at_1": "10:30:00",
        }  # fmt: skip
    )

    assert not form.is_valid()
    assert form.errors["title"] == [FORBIDDEN]
    assert not Article.objects.exists()


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"tags": "松江, " + "长" * 101}, "tags", "标签不能超过 100 个字"),
        ({"title": "长" * 121}, "title", "120"),
        ({"source_name": "长" * 81}, "source_name", "80"),
        ({"source_url": "javascript:alert(1)"}, "source_url", "URL"),
        ({"source_url": "data:text/html,<script>alert(1)</script>"}, "source_url", "URL"),
        ({"category": "1 OR 1=1"}, "category", "选择"),
        ({"status": "deleted"}, "status", "选择"),
        ({"publish_at_0": "2024-13-45"}, "publish_at", "日期"),
    ],
)
def test_admin_form_refuses_values_the_database_would_choke_on(
    staff_client, article_factory, overrides, field, message
):
    article = article_factory(title="原标题", tags=["原标签"])
    before = Article.objects.filter(pk=article.pk).values().get()

    response = staff_client.post(change_url(article), change_form_data(article, **overrides))

    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert message in " ".join(errors[field])
    assert Article.objects.filter(pk=article.pk).values().get() == before
    assert list(Tag.objects.values_list("name", flat=True)) == ["原标签"]


# --- text built to make filters slow ----------------------------------------------------

SLOW_BOUND = 2.0  # seconds; the real cost is a few milliseconds, the bound allows noisy CI

SLOW_MESSAGES = [
    pytest.param("<" * 50_000, "&lt;" * 50_000, id="unclosed-angles"),
    pytest.param("<a " * 20_000, "&lt;a " * 20_000, id="unclosed-tags"),
    pytest.param("&" + "amp;" * 12_000 + "lt;", "&amp;" + "amp;" * 12_000 + "lt;", id="entities"),
    pytest.param("&#" + "9" * 30_000 + ";", "&amp;#" + "9" * 30_000 + ";", id="huge-char-ref"),
    pytest.param("啊" * 50_000, "啊" * 50_000, id="no-spaces-cjk"),
    pytest.param("x" * 50_000, "x" * 50_000, id="no-spaces-latin"),
    pytest.param("一\n" * 20_000, "一<br>" * 19_999 + "一", id="line-breaks"),
    pytest.param("http://" + "a." * 20_000, "a." * 1_000, id="url-like"),
]


@pytest.mark.parametrize(("message", "shown"), SLOW_MESSAGES)
def test_hostile_comment_is_shown_escaped_on_the_article_page_quickly(
    client, article, comment_factory, message, shown
):
    comment_factory(article=article, name="读者", message=message)

    started = time.perf_counter()
    response = client.get(article.get_absolute_url())
    elapsed = time.perf_counter() - started

    assert response.status_code == 200
    assert elapsed < SLOW_BOUND
    assert shown in html_of(response)
    assert article.title in text_of(response)


def test_hostile_comments_render_quickly_in_the_moderation_list(
    staff_client, article, comment_factory
):
    for param in SLOW_MESSAGES:
        comment_factory(article=article, message=param.values[0], status="pending")

    started = time.perf_counter()
    response = staff_client.get("/admin/comments/comment/")
    elapsed = time.perf_counter() - started

    assert response.status_code == 200
    assert elapsed < SLOW_BOUND
    assert "&lt;" * 30 in html_of(response)


@pytest.mark.parametrize(("body", "_shown"), SLOW_MESSAGES)
def test_hostile_body_is_sanitized_and_shown_quickly(client, article_factory, body, _shown):
    started = time.perf_counter()
    article = article_factory(title="压力测试稿件", body=body)
    response = client.get(article.get_absolute_url())
    elapsed = time.perf_counter() - started

    assert response.status_code == 200
    assert elapsed < SLOW_BOUND
    assert "压力测试稿件" in text_of(response)
    assert active_content(region(html_of(response), '<div class="article-body">', "<footer")) == []
