"""Security headers on every page, and requests refused before any view runs.

A Content-Security-Policy with a fresh script nonce on every response, no inline script on
reader pages (they are cached as whole HTML), nosniff, a strict referrer policy, denied
browser features, HSTS over HTTPS; a foreign Host and a NUL byte in the address get the
portal's Chinese 400 page, never a 500.
"""

import re

import pytest
from django.test import Client
from django.urls import reverse

from news.models import Article, Category
from tests.browser.support import browser
from tests.news.helpers import main_text
from tests.security.helpers import parse

pytestmark = pytest.mark.django_db

NUL_REFUSED = "请求地址中含有无效字符（NUL），无法处理。"


@pytest.fixture
def client():
    """A browser; a server error is answered as the visitor would get it, not raised."""
    return Client(raise_request_exception=False)


@pytest.fixture
def staff_client(client, staff_user):
    client.force_login(staff_user)
    return client


def csp(response) -> dict[str, list[str]]:
    """The response's Content-Security-Policy as {directive: sources}."""
    header = response.headers["Content-Security-Policy"]
    directives = [part.split() for part in header.split(";") if part.strip()]
    return {name: sources for name, *sources in directives}


def nonce_of(response) -> str:
    (nonce,) = [
        s[len("'nonce-") : -1] for s in csp(response)["script-src"] if s.startswith("'nonce-")
    ]
    return nonce


def inline_scripts(html: str) -> list[str]:
    """Script elements that run code written in the page (JSON data blocks do not run)."""
    return [
        f"<script {attrs}>"
        for tag, attrs in parse(html).elements
        if tag == "script"
        and "src" not in attrs
        and attrs.get("type") not in ("application/json", "application/ld+json")
    ]


def reader_pages(article) -> dict[str, str]:
    return {
        "home": "/",
        "category": article.category.get_absolute_url(),
        "article": article.get_absolute_url(),
        "tag": reverse("news:tag", args=["松江"]),
        "search": reverse("news:search") + "?q=松江",
    }


def assert_strict_policy(response, name=""):
    policy = csp(response)
    assert policy["default-src"] == ["'self'"], name
    assert "'unsafe-inline'" not in policy["script-src"], name
    assert "'unsafe-eval'" not in policy["script-src"], name
    assert "'self'" in policy["script-src"] and re.fullmatch(r"[\w-]{20,}", nonce_of(response)), (
        name
    )
    assert policy["object-src"] == ["'none'"], name
    assert policy["frame-ancestors"] == ["'none'"], name
    assert policy["base-uri"] == ["'self'"], name
    assert policy["form-action"] == ["'self'"], name


def test_reader_pages_carry_a_strict_policy_and_no_inline_script(client, article):
    for name, url in reader_pages(article).items():
        response = client.get(url)

        assert response.status_code == 200, name
        assert article.title in response.content.decode(), name
        assert_strict_policy(response, name)
        assert inline_scripts(response.content.decode()) == [], name


def test_every_response_gets_a_fresh_nonce_never_stored_in_a_cached_page(client, article):
    url = article.get_absolute_url()
    first, second = client.get(url), client.get(url)  # the second is served from the cache

    assert nonce_of(first) != nonce_of(second)
    for response in (first, second):
        html = response.content.decode()
        assert article.title in html
        assert nonce_of(first) not in html and nonce_of(second) not in html
        assert "nonce" not in html


def test_admin_and_the_ckeditor_page_carry_the_policy_and_no_inline_script(staff_client):
    pages = {
        "login": reverse("admin:login"),
        "index": reverse("admin:index"),
        "article list": reverse("admin:news_article_changelist"),
        "add article": reverse("admin:news_article_add"),
    }
    for name, url in pages.items():
        response = staff_client.get(url, follow=True)

        assert response.status_code == 200, name
        assert_strict_policy(response, name)
        html = response.content.decode()
        assert inline_scripts(html) == [], name
    # The editor's configuration rides in a JSON data block, which a browser never runs.
    assert 'type="application/json"' in html and "ck-editor" in html
    assert "django_ckeditor_5/dist/bundle.js" in html


def test_nosniff_referrer_policy_and_denied_browser_features(client, article):
    for url in ["/", article.get_absolute_url(), reverse("admin:login"), "/healthz/"]:
        response = client.get(url)

        assert response.headers["X-Content-Type-Options"] == "nosniff"
        assert response.headers["Referrer-Policy"] == "strict-origin-when-cross-origin"
        assert response.headers["X-Frame-Options"] == "DENY"
        permissions = response.headers["Permissions-Policy"]
        for feature in ("camera", "microphone", "geolocation"):
            assert f"{feature}=()" in permissions
        assert "Content-Security-Policy" in response.headers


def test_error_pages_carry_the_headers_too(client):
    response = client.get("/article/999999/")

    assert response.status_code == 404
    assert_strict_policy(response)
    assert "Permissions-Policy" in response.headers


def test_hsts_is_sent_over_https_when_https_is_on(settings, article):
    settings.SECURE_SSL_REDIRECT = True
    settings.SECURE_HSTS_SECONDS = 31_536_000
    settings.SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    settings.SECURE_HSTS_PRELOAD = True
    client = Client()

    secure = client.get(article.get_absolute_url(), secure=True)
    plain = client.get(article.get_absolute_url())

    assert secure.status_code == 200 and article.title in secure.content.decode()
    assert secure.headers["Strict-Transport-Security"] == (
        "max-age=31536000; includeSubDomains; preload"
    )
    assert plain.status_code == 301
    assert plain.headers["Location"] == f"https://testserver{article.get_absolute_url()}"


def test_no_hsts_without_https(client, article):
    assert "Strict-Transport-Security" not in client.get("/", secure=True).headers


# --- requests refused before any view ---------------------------------------------------


def assert_portal_400(response, message=None):
    assert response.status_code == 400
    text = main_text(response)
    assert "400 · 请求无效" in text and "返回首页" in text
    if message:
        assert message in text
    assert "Traceback" not in response.content.decode()


@pytest.mark.parametrize("debug", [False, True], ids=["debug off", "debug on"])
def test_a_foreign_host_is_a_400(settings, client, article, debug):
    settings.DEBUG = debug

    response = client.get(article.get_absolute_url(), HTTP_HOST="evil.com")

    assert response.status_code == 400
    assert article.title not in response.content.decode()
    if not debug:  # with DEBUG on, Django's own page explains the setting to the developer
        assert_portal_400(response)
        assert "Content-Security-Policy" in response.headers


@pytest.mark.parametrize(
    "url",
    [
        "/?page=%00",
        "/category/news/?page=%00",
        "/category/news/?page=1%00",
        f"/tag/{'%E6%9D%BE%E6%B1%9F'}/?page=%00",
        "/search/?q=%00",
        "/search/?q=%E6%96%87%00%E6%98%8E",
        "/search/?q=a&page=%00",
        "/search/?%00=1",
        "/article/%00/",
        "/category/%00/",
        "/tag/%00/",
        "/tag/a%00b/",
    ],
)
def test_a_nul_in_a_reader_address_is_a_400_with_a_message(client, article, url):
    response = client.get(url)

    assert_portal_400(response, NUL_REFUSED)
    assert article.title not in main_text(response)


@pytest.mark.parametrize(
    "query",
    ["status__exact=%00", "q=%00", "q=%E6%96%87%00", "category__id__exact=%00", "o=%00", "%00=x"],
)
def test_a_nul_in_an_admin_list_address_is_a_400_not_a_database_error(staff_client, article, query):
    response = staff_client.get(f"{reverse('admin:news_article_changelist')}?{query}")

    assert_portal_400(response, NUL_REFUSED)


def test_a_nul_in_a_post_address_changes_nothing(staff_client, article):
    url = reverse("admin:news_article_change", args=[article.pk]) + "?_changelist_filters=%00"

    response = staff_client.post(url, {"title": "被篡改的标题"})

    assert_portal_400(response, NUL_REFUSED)
    assert Article.objects.get(pk=article.pk).title == article.title


def test_an_address_without_nul_is_served_as_before(client, article):
    response = client.get("/search/?q=%E6%9D%BE%E6%B1%9F%2500")  # "松江%00", typed literally

    assert response.status_code == 200


# --- in a real browser --------------------------------------------------------------------

EDITOR_TEXT = "浏览器里输入的正文"


@pytest.mark.django_db(transaction=True)
def test_reader_pages_run_in_a_browser_without_a_csp_violation(live_server, article_factory):
    article = article_factory(title="浏览器里看到的新闻", tags=["松江"])
    pages = reader_pages(article)

    with browser(live_server.url) as watched:
        page, violations, errors = watched.page, watched.csp_violations, watched.errors
        for name, url in pages.items():
            response = page.goto(url)
            assert response.status == 200, name
            assert "浏览器里看到的新闻" in page.content(), name
        assert violations == [] and errors == []

        # The policy is enforced, and the check above would have seen a violation: a script
        # written into the page (as an injected one would be) does not run.
        page.goto("/")
        page.evaluate(
            """() => {
                const script = document.createElement("script");
                script.textContent = "window.injected = true";
                document.body.append(script);
            }"""
        )
        page.wait_for_timeout(200)
        assert page.evaluate("() => window.injected === undefined")
        assert len(violations) == 1 and "script-src" in violations[0]


@pytest.mark.django_db(transaction=True)
def test_the_admin_and_its_ckeditor_work_in_a_browser_under_the_policy(live_server, staff_user):
    # Transactional tests start without the categories the migration made.
    Category.objects.get_or_create(slug="news", defaults={"name": "新闻", "label_en": "news"})
    with browser(live_server.url) as watched:
        page, violations, errors = watched.page, watched.csp_violations, watched.errors
        page.goto(reverse("admin:login"))
        page.fill("#id_username", "editor")
        page.fill("#id_password", "pw-editor-123")
        page.click("input[type=submit]")
        page.wait_for_url("**/admin/")
        assert "内容管理" in page.content()

        page.goto(reverse("admin:news_article_add"))
        editable = page.locator(".ck-editor__editable")
        editable.click()
        page.keyboard.type(EDITOR_TEXT)
        page.keyboard.press("Control+b")
        page.keyboard.type("加粗")

        assert EDITOR_TEXT in editable.inner_text()
        assert page.locator(".ck-toolbar").is_visible()
        # The editor writes into the form field the admin saves.
        body = page.input_value("textarea[name=body]")
        assert EDITOR_TEXT in body and "<strong>加粗</strong>" in body

        page.fill("#id_title", "编辑在浏览器里写的稿件")
        page.select_option("#id_category", label="新闻")
        page.click("input[name=_save]")
        page.wait_for_url("**/admin/news/article/")
        assert violations == [] and errors == []

    saved = Article.objects.get(title="编辑在浏览器里写的稿件")
    assert EDITOR_TEXT in saved.body and "<strong>加粗</strong>" in saved.body
